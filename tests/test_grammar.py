"""The grammar is LALR(1) with no conflict and no terminal collision, checked strictly."""

from __future__ import annotations

import lark
import pytest

from blueprint_dsl.grammar import grammar_text, lalr


def test_the_grammar_builds_under_lark_strict_mode():
    lalr.cache_clear()
    try:
        parser = lalr(strict=True)  # raises on any shift/reduce conflict or regex collision
    finally:
        lalr.cache_clear()
    assert parser.options.strict


def test_strict_mode_does_reject_an_ambiguous_grammar():
    # The check above can fail: a grammar with a shift/reduce conflict is refused.
    ambiguous = grammar_text() + '\nextra: NAME | NAME NAME?\n'
    ambiguous = ambiguous.replace("_item: include", "_item: extra\n     | include")
    with pytest.raises(lark.exceptions.GrammarError, match="strict-mode"):
        lark.Lark(ambiguous, parser="lalr", strict=True)
