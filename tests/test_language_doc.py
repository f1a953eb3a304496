"""docs/language.md keeps up with the grammar and the catalog of codes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from blueprint_dsl import codes
from blueprint_dsl.check import check
from blueprint_dsl.formatter import format_text
from blueprint_dsl.loader import loads

ROOT = Path(__file__).parents[1]
DOC = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")
GRAMMAR = (ROOT / "grammar" / "blueprint.lark").read_text(encoding="utf-8")


def grammar_names() -> set[str]:
    """Every rule, alias and terminal the grammar defines (imported ones by their name)."""
    names = set(re.findall(r"^\??([A-Za-z_][A-Za-z_0-9]*)(?:\.\d+)?\s*:", GRAMMAR, re.MULTILINE))
    names |= set(re.findall(r"->\s*([a-z_][a-z_0-9]*)\s*$", GRAMMAR, re.MULTILINE))
    names |= set(re.findall(r"^%import\s+\w+\.(\w+)", GRAMMAR, re.MULTILINE))
    return names


def index_section() -> str:
    start = DOC.index("### Index of grammar rules")
    return DOC[start:]


def test_the_grammar_is_read_whole():
    names = grammar_names()
    assert {"start", "blueprint", "action", "tolerance", "fail_owner", "NAME", "DURATION", "WS"} <= names
    assert len(names) > 35


def test_every_grammar_rule_is_in_the_index():
    listed = set(re.findall(r"`([A-Za-z_][A-Za-z_0-9]*)`", index_section()))
    missing = sorted(grammar_names() - listed)
    assert not missing, f"docs/language.md's index lacks {missing}"
    unknown = sorted(listed - grammar_names())
    assert not unknown, f"docs/language.md's index names what the grammar does not have: {unknown}"


@pytest.mark.parametrize("code", codes.CODES, ids=lambda c: c.code)
def test_every_code_is_in_the_diagnostics_table(code: codes.Code):
    assert re.search(rf"^\| {code.code} \| {re.escape(code.name)} \|", DOC, re.MULTILINE), code.code


def test_every_keyword_is_listed():
    from blueprint_dsl.grammar import keywords

    table = DOC[DOC.index("The full list:") : DOC.index("A misspelt keyword")]
    listed = set(re.findall(r"`([a-z]+)`", table))
    assert keywords() <= listed, sorted(keywords() - listed)


def examples_in_doc() -> list[str]:
    blocks = re.findall(r"^```\n(.*?)^```", DOC, re.MULTILINE | re.DOTALL)
    return [block for block in blocks if block.lstrip("# \n").startswith("blueprint") or "\nblueprint " in block]


def test_the_first_example_checks_clean_in_the_formatters_layout():
    (first, *_) = examples_in_doc()
    result = loads(first, "doc.svc")
    assert result.ok, [d.headline() for d in result.diagnostics]
    assert [d.headline() for d in check(result)] == []  # the lane rules' warnings too
    assert len(list(result.blueprint.actions())) == 6 and len(result.blueprint.flows) == 5
    assert format_text(first, "doc.svc") == first


def test_the_action_example_reads():
    block = next(b for b in re.findall(r"^```\n(.*?)^```", DOC, re.MULTILINE | re.DOTALL) if "emotion neutral" in b)
    source = (
        'blueprint "x" { actor guest customer "G" actor barista frontstage "B" '
        'stage "S" { step s { ' + block + " } } }"
    )
    result = loads(source)
    assert not [d for d in result.diagnostics if d.code.startswith(("BP0", "BP1", "BP2"))]
    (action,) = result.blueprint.actions()
    assert (action.fail.owner, action.emotion.value, action.notes, action.tags) == (
        "barista", "neutral", ("Busiest step at 8am",), ("peak",))


def test_the_multi_line_example_reads_as_documented():
    source = ('blueprint "x" {\n  description """\n'
              '    From walking in to leaving with a drink,\n    at the morning peak.\n  """\n}')
    assert loads(source).blueprint.description == "From walking in to leaving with a drink,\nat the morning peak."
    assert "reads as `From walking in to leaving with a drink,\\nat the morning peak.`" in DOC
