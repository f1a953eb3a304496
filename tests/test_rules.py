"""The lane rules against their fixtures: one file of cases per rule in tests/rules/.

Each ``tests/rules/CODE.toml`` holds ``[[case]]`` tables (name, expect = "fail" or
"pass", source, optionally allow = [codes]). ``CODE.expected`` beside it holds the
text diagnostics of the rule for the failing cases; regenerate with
``BLUEPRINT_REGEN=1 .venv/bin/python -m pytest tests/test_rules.py`` and review
the diff.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

from blueprint_dsl.check import check
from blueprint_dsl.diagnostics import render_text
from blueprint_dsl.loader import loads
from blueprint_dsl.rules import RULES, RULES_BY_CODE

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

FIXTURES = Path(__file__).parent / "rules"
REGEN = os.environ.get("BLUEPRINT_REGEN") == "1"
SECTIONS = ("What it does", "Why it matters", "Example", "Use instead", "Source")


def load_cases(code: str) -> list[dict]:
    with open(FIXTURES / f"{code}.toml", "rb") as handle:
        return tomllib.load(handle).get("case", [])


def run_case(case: dict):
    """Every diagnostic for the case's source, all rules on, default configuration."""
    result = loads(case["source"], f"{case['name']}.svc")
    return check(result), result.sources


def all_cases() -> list:
    found = []
    for path in sorted(FIXTURES.glob("*.toml")):
        for case in load_cases(path.stem):
            found.append(pytest.param(path.stem, case, id=f"{path.stem}/{case['name']}"))
    return found


@pytest.mark.parametrize("code, case", all_cases())
def test_case(code: str, case: dict) -> None:
    assert case["expect"] in ("fail", "pass"), f"expect must be fail or pass, not {case['expect']!r}"
    diagnostics, _ = run_case(case)
    # A fixture that does not parse or resolve proves nothing about the rule.
    unreadable = [d.headline() for d in diagnostics if d.code not in RULES_BY_CODE]
    assert not unreadable, unreadable
    hits = [d for d in diagnostics if d.code == code]
    if case["expect"] == "fail":
        assert hits, f"{code} should flag this case"
    else:
        assert not hits, [d.headline() for d in hits]
        # A passing case is the "use instead": clean under every rule, bar those it names.
        others = [d.headline() for d in diagnostics if d.code not in case.get("allow", ())]
        assert not others, others


def expected_text(code: str) -> str:
    blocks = []
    for case in load_cases(code):
        if case["expect"] != "fail":
            continue
        diagnostics, sources = run_case(case)
        lines = [f"# case: {case['name']}"]
        lines += [render_text(d, sources) for d in diagnostics if d.code == code]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


@pytest.mark.parametrize("code", sorted(p.stem for p in FIXTURES.glob("*.toml")))
def test_golden_diagnostics(code: str) -> None:
    golden = FIXTURES / f"{code}.expected"
    actual = expected_text(code)
    if REGEN:
        golden.write_text(actual, encoding="utf-8")
    assert golden.exists(), f"{golden.name} is missing: run with BLUEPRINT_REGEN=1 and review it"
    assert actual == golden.read_text(encoding="utf-8")


def test_every_rule_has_a_fixture_with_failing_and_passing_cases() -> None:
    for rule in RULES:
        path = FIXTURES / f"{rule.code.code}.toml"
        assert path.exists(), f"{rule.code.code} {rule.code.name} has no fixture {path.name}"
        kinds = {case["expect"] for case in load_cases(rule.code.code)}
        assert kinds == {"fail", "pass"}, f"{path.name} needs failing and passing cases, has {sorted(kinds)}"


def test_every_fixture_is_for_a_rule() -> None:
    stray = sorted(p.name for p in FIXTURES.iterdir() if p.stem not in RULES_BY_CODE)
    assert not stray, f"fixtures for no rule in RULES: {stray}"


def test_case_names_are_unique_within_a_fixture() -> None:
    for path in FIXTURES.glob("*.toml"):
        names = [case["name"] for case in load_cases(path.stem)]
        assert len(names) == len(set(names)), path.name


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code.code)
def test_rule_documentation_has_every_section(rule) -> None:
    headings = re.findall(r"^## (.+)$", rule.doc, flags=re.MULTILINE)
    assert tuple(headings) == SECTIONS, f"{rule.code.code}: sections {headings}"
    bodies = re.split(r"^## .+$", rule.doc, flags=re.MULTILINE)[1:]
    for heading, body in zip(headings, bodies):
        assert body.strip(), f"{rule.code.code}: '{heading}' is empty"


def documented_blueprint(rule, section: str) -> str:
    """The code block under a section of a rule's documentation; "" for prose alone."""
    body = re.split(r"^## .+$", rule.doc, flags=re.MULTILINE)[1 + SECTIONS.index(section)]
    block = re.search(r"```\n(.*?)```", body, flags=re.DOTALL)
    return block[1] if block else ""


#: The rules whose example is a whole blueprint, with nothing left out (``...``).
WHOLE_EXAMPLES = [rule for rule in RULES
                  if documented_blueprint(rule, "Example").startswith("blueprint ")
                  and "..." not in documented_blueprint(rule, "Example")]


@pytest.mark.parametrize("rule", WHOLE_EXAMPLES, ids=lambda rule: rule.code.code)
def test_an_example_that_is_a_whole_blueprint_shows_its_rule_and_the_fix_does_not(rule) -> None:
    found = {d.code for d in check(loads(documented_blueprint(rule, "Example"), "example.svc"))}
    assert rule.code.code in found
    fixed = check(loads(documented_blueprint(rule, "Use instead"), "fixed.svc"))
    assert [d.code for d in fixed] == ["BP411"]  # the examples name no scenario or persona


def test_codes_and_names_are_unique_and_well_formed() -> None:
    codes = [rule.code.code for rule in RULES]
    names = [rule.code.name for rule in RULES]
    assert len(set(codes)) == len(codes) and len(set(names)) == len(names)
    for rule in RULES:
        assert re.fullmatch(r"BP[34]\d\d", rule.code.code), rule.code.code
        assert re.fullmatch(r"[a-z]+(-[a-z]+)+", rule.code.name), rule.code.name
        # BP3xx are errors (the blueprint is wrong), BP4xx warnings (probably incomplete).
        expected = "error" if rule.code.code.startswith("BP3") else "warning"
        assert rule.code.severity.value == expected, rule.code.code


def test_the_rules_wait_for_errors_of_reading_not_for_notes() -> None:
    """BP112 is a note about an actor's id: the grid is whole, and the lane rules run."""
    text = (
        'blueprint "Shop" {\n'
        '  actor  guest customer   "Guest"\n'
        '  person {id} frontstage "Shop owner"\n'
        '  stage "Buy" {\n'
        '    step buy { {id}: "Sells bread" as sell  guest: "Buys bread" as buy }\n'
        "  }\n"
        "}\n"
    )
    found = {d.code for d in check(loads(text.replace("{id}", "owner"), "shop.svc"))}
    assert {"BP112", "BP401"} <= found
    assert found - {"BP112"} == {d.code for d in check(loads(text.replace("{id}", "keeper"), "shop.svc"))}
    unresolved = check(loads(text.replace("{id}", "keeper").replace("keeper:", "kepper:"), "shop.svc"))
    assert "BP101" in {d.code for d in unresolved} and "BP401" not in {d.code for d in unresolved}
