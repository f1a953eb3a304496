"""The grammar is LALR(1) with no conflict and no terminal collision, checked strictly,
and the standalone parser generated from it is current and parses as Lark does."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import lark
import pytest
from hypothesis import HealthCheck, given, settings

from blueprint_dsl import _lark_standalone
from blueprint_dsl.grammar import grammar_text, lalr, parse
from tests.fuzzing import blueprints, mutated_examples

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted(p for folder in ("examples", "tests", "docs") for p in (ROOT / folder).rglob("*.svc"))


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


def test_the_standalone_parser_was_generated_from_this_grammar():
    current = hashlib.sha256(grammar_text().encode("utf-8")).hexdigest()
    assert _lark_standalone.GRAMMAR_SHA256 == current, "the grammar changed: run `make parser`"


def test_the_standalone_parser_logs_as_lark_does_once_its_logger_is_used():
    # `make parser` defers Lark's logger to its first use (logging costs start-up); it is
    # then Lark's own, set up as Lark sets it up: quiet below CRITICAL.
    code = (
        "import sys, blueprint_dsl._lark_standalone as parser\n"
        "assert 'logging' not in sys.modules\n"
        "parser.logger.warning('not shown')\n"
        "import logging\n"
        "lark = logging.getLogger('lark')\n"
        "print(parser.logger is lark, lark.level == logging.CRITICAL, len(lark.handlers))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert (run.stdout, run.stderr) == ("True True 1\n", "")


def shape(tree: object) -> object:
    """A tree as plain values, with each token's type, text and place: equal for equal parses."""
    if isinstance(tree, str):
        return (tree.type, str(tree), tree.line, tree.column, tree.end_line, tree.end_column, tree.start_pos)
    return (str(tree.data), [shape(child) for child in tree.children])


def lark_parse(text: str) -> object:
    try:
        return shape(lalr().parse(text))
    except lark.exceptions.UnexpectedInput:
        return None


def standalone_parse(text: str) -> object:
    tree = parse(text)
    return None if tree is None else shape(tree)


@pytest.mark.parametrize("path", SOURCES, ids=[str(p.relative_to(ROOT)) for p in SOURCES])
def test_the_standalone_parser_parses_every_file_as_lark_does(path: Path):
    text = path.read_text(encoding="utf-8", errors="replace")
    assert standalone_parse(text) == lark_parse(text)


def test_the_comparison_sees_a_difference():
    # The comparison above can fail: a moved token changes the shape.
    text = (ROOT / "examples" / "coffee.svc").read_text(encoding="utf-8")
    assert standalone_parse(text) is not None
    assert standalone_parse(text) != lark_parse(" " + text)


SAME = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SAME
@given(blueprints())
def test_generated_blueprints_parse_alike(text: str):
    assert standalone_parse(text) == lark_parse(text)


@SAME
@given(mutated_examples())
def test_mutated_examples_parse_or_fail_alike(data: bytes):
    text = data.decode("utf-8", errors="replace")
    assert standalone_parse(text) == lark_parse(text)


def test_the_keywords_an_actor_id_cannot_be_are_those_the_grammar_reads_so():
    # Whether an actor named WORD can act first in a step, right after an action, and right
    # after a flow, asked of the parser itself for every keyword of the grammar.
    from blueprint_dsl.grammar import keywords
    from blueprint_dsl.parser_values import AFTER_A_FLOW, AFTER_AN_ACTION, STEP_KEYWORDS

    def acts(word: str, before: str) -> bool:
        return parse(f'blueprint "K" {{ actor g customer "G" person {word} frontstage "A"'
                     f' stage "S" {{ step s {{ {before} {word}: "Acts" }} }} }}') is not None

    assert acts("clerk", "") and acts("clerk", 'g: "Asks" as v') and acts("clerk", 'g: "Asks" as v v -> v')
    never = {word for word in keywords() if not acts(word, "")}
    after_an_action = {word for word in keywords() - never if not acts(word, 'g: "Asks" as v')}
    after_a_flow = {word for word in keywords() - never if not acts(word, 'g: "Asks" as v v -> v')}
    assert never == set(STEP_KEYWORDS) and after_an_action == AFTER_AN_ACTION and after_a_flow == AFTER_A_FLOW


def test_the_keywords_recovery_reads_a_duration_after_are_those_the_grammar_gives_one():
    from blueprint_dsl.recovery.durations import DURATION_KEYWORDS

    assert set(re.findall(r'"([a-z]+)" DURATION', grammar_text())) == set(DURATION_KEYWORDS)


def test_a_name_that_begins_with_a_keyword_is_one_name():
    # "timekeeper" is neither "time" and "keeper" nor "loopback" "loop" and "back": as an
    # actor id, an action id, and a flow's first end in a step, after a flow, and in the blueprint.
    from blueprint_dsl.grammar import keywords

    for word in sorted(keywords()):
        name = f"{word}er"
        text = (f'blueprint "K" {{ actor g customer "G" person {name} frontstage "A" stage "S" {{ step s {{'
                f' g: "Asks" as {name}_a {name}: "Acts" as {name}_b'
                f' {name}_a -> {name}_b {name}_b -> {name}_a }} }}'
                f' {name}_b -> {name}_a }}')
        assert parse(text) is not None, name


def one_pass_parse(text: str) -> object:
    """The standalone parser with the one-pass lexer alone: its tree, None, or "undecided"."""
    from blueprint_dsl.grammar import _standalone
    from blueprint_dsl.lexer import Undecided

    try:
        return shape(_standalone(one_pass=True).parse(text))
    except Undecided:
        return "undecided"
    except _lark_standalone.UnexpectedInput:
        return None


@pytest.mark.parametrize("path", SOURCES, ids=[str(p.relative_to(ROOT)) for p in SOURCES])
def test_the_one_pass_lexer_reads_every_valid_file_itself(path: Path):
    # Lark's own lexer reads again only a text the one-pass lexer cannot decide, which a
    # valid file never is; an invalid one is either undecided or fails as it does in Lark.
    text = path.read_text(encoding="utf-8", errors="replace")
    expected = lark_parse(text)
    assert one_pass_parse(text) in ((expected,) if expected is not None else (None, "undecided"))


@SAME
@given(blueprints())
def test_the_one_pass_lexer_reads_generated_blueprints_itself(text: str):
    assert one_pass_parse(text) == lark_parse(text)


@SAME
@given(mutated_examples())
def test_the_one_pass_lexer_decides_as_lark_or_leaves_it_to_lark(data: bytes):
    text = data.decode("utf-8", errors="replace")
    assert one_pass_parse(text) in ("undecided", lark_parse(text))


def lark_braces(text: str) -> tuple[list[tuple[str, int, int, int]], bool]:
    """The braces Lark's own lexer reads in ``text``, and whether it reads the whole text."""
    braces = []
    try:
        for token in lalr().lex(text, dont_ignore=False):
            if token.type in ("LBRACE", "RBRACE"):
                braces.append((str(token), token.start_pos, token.line, token.column))
    except lark.exceptions.UnexpectedInput:
        return braces, False
    return braces, True


@SAME
@given(mutated_examples())
def test_recovery_finds_the_braces_that_lark_s_lexer_reads(data: bytes):
    # Recovery reads them at every error, by expressions of its own: Lark's lexer took seconds.
    from blueprint_dsl.recovery.braces import _braces

    text = data.decode("utf-8", errors="replace")
    braces, whole = _braces(text)
    assert ([tuple(brace) for brace in braces], whole) == lark_braces(text)


def test_a_word_that_only_begins_with_a_keyword_is_none_where_no_name_may_stand():
    # A stage holds steps only: "stepa {" was read as "step a {".
    text = 'blueprint "K" { actor c customer "C" stage "S" { stepa { c: "Asks" } } }'
    assert lark_parse(text) is None and one_pass_parse(text) in (None, "undecided") and standalone_parse(text) is None
    assert lark_parse(text.replace("stepa", "step a")) is not None


def test_the_scanners_outside_the_parser_read_strings_and_comments_as_the_grammar_does():
    from blueprint_dsl.grammar import COMMENT, QUOTED, TRIPLE_QUOTED

    def written(terminal: str) -> str:  # Lark keeps \n as the character itself
        return lalr().get_terminal(terminal).pattern.value.replace("\n", "\\n")

    assert written("STRING") == f'(?:{TRIPLE_QUOTED}"""|{QUOTED}")'
    assert written("COMMENT") == COMMENT


def test_valid_files_are_read_by_the_one_pass_lexer():
    # The speed of a check rests on it: the standalone parser must be given it.
    from blueprint_dsl.grammar import _standalone
    from blueprint_dsl.lexer import OnePassLexer

    assert isinstance(_standalone(one_pass=True).parser.lexer, OnePassLexer)


@pytest.mark.parametrize("terminals", [
    'STEP.2: "step"',  # a keyword string above NAME: Lark reads "stepa" as "step" and "a"
    'STEP: /step(?![A-Za-z0-9_])/',  # whole words at NAME's priority: Lark reads "step" as NAME
])
def test_the_one_pass_lexer_refuses_keywords_that_lark_would_read_otherwise(terminals: str):
    from blueprint_dsl.lexer import OnePassLexer

    grammar = f'start: STEP NAME | NAME NAME\n{terminals}\nNAME: /[a-z_]+/\n%ignore " "\n'
    with pytest.raises(ValueError, match="STEP"):
        lark.Lark(grammar, parser="lalr", _plugins={"ContextualLexer": OnePassLexer})


def test_a_keyword_string_with_an_underscore_is_a_keyword_for_the_one_pass_lexer():
    from blueprint_dsl.lexer import OnePassLexer

    grammar = 'start: NAME NAME | "fail_safe" NAME\nNAME: /[a-z_]+/\n%ignore " "\n'
    lark_tree = lark.Lark(grammar, parser="lalr").parse("fail_safe x")
    one_pass = lark.Lark(grammar, parser="lalr", _plugins={"ContextualLexer": OnePassLexer}).parse("fail_safe x")
    assert one_pass == lark_tree
