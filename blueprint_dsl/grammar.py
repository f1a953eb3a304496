"""The grammar and the Lark parser built from it, shared by the parser modules.

Lark is imported by this module and by ``parser``, ``parser_recovery`` and ``syntax``
only; nothing Lark makes leaves them.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import lark


def grammar_text() -> str:
    """The grammar, from the installed package or from a source checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "grammar" / "blueprint.lark"
    source = packaged if packaged.is_file() else here.parent / "grammar" / "blueprint.lark"
    return source.read_text(encoding="utf-8")


@functools.cache
def lalr(strict: bool = False) -> lark.Lark:
    """The LALR parser of the grammar.

    ``strict=True`` makes Lark refuse any shift/reduce conflict or terminal collision;
    tests/test_grammar.py builds it so, and the grammar must pass. A run of the tool
    then builds the same tables without repeating the check, which needs the
    interegular package and costs a tenth of a ``check``'s start-up.
    """
    return lark.Lark(
        grammar_text(),
        parser="lalr",
        strict=strict,
        # Spans are taken from the first and last token of a subtree instead: the
        # same positions at half the parse time on large files.
        propagate_positions=False,
        maybe_placeholders=False,
        cache=True,
    )


@functools.cache
def keywords() -> frozenset[str]:
    """Every keyword of the language, read off the grammar's terminals."""
    words = set()
    for terminal in lalr().terminals:
        pattern = terminal.pattern
        if pattern.type == "str" and pattern.value.isalpha():
            words.add(pattern.value)
        elif pattern.type == "re" and re.fullmatch(r"\(\?:[a-z|]+\)", pattern.value):
            words.update(pattern.value[3:-1].split("|"))
    return frozenset(words)
