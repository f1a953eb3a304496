"""`# noqa` comments: each test shows the finding without the comment, then its effect."""

from __future__ import annotations

from blueprint_dsl.check import check
from blueprint_dsl.diagnostics import render_text
from blueprint_dsl.loader import loads

# Three customer actions without evidence (BP401); the third also waits too long (BP412).
BLUEPRINT = """\
blueprint "Clinic" {
  scenario "GP appointment"
  persona  "Working parent"
  actor patient customer "Patient"
  stage visit "Visit" {
    step arrive "Arrive" {
      patient: "Checks in at the desk" as check_in<noqa1>
      patient: "Sits down" as sit<noqa2>
    }
    step wait "Wait" {
      patient: "Waits to be called"<noqa3>
               wait 45min as wait_call<noqa4>
    }
  }
}
"""


def fill(**noqa: str) -> str:
    text = BLUEPRINT
    for n in range(1, 5):
        text = text.replace(f"<noqa{n}>", noqa.get(f"noqa{n}", ""))
    return text


def findings(**noqa: str) -> set[tuple[str, int]]:
    return findings_in(fill(**noqa))


def findings_in(text: str) -> set[tuple[str, int]]:
    diagnostics = check(loads(text, "clinic.svc"))
    assert not [d for d in diagnostics if not d.code.startswith(("BP3", "BP4"))], "the blueprint must parse"
    return {(d.code, d.span.line) for d in diagnostics}


UNSUPPRESSED = {("BP401", 7), ("BP401", 8), ("BP401", 11), ("BP412", 11)}


def test_the_blueprint_has_the_findings_the_comments_are_about() -> None:
    assert findings() == UNSUPPRESSED


def test_noqa_with_a_code() -> None:
    assert findings(noqa1="  # noqa: BP401") == UNSUPPRESSED - {("BP401", 7)}


def test_noqa_with_a_rule_name() -> None:
    assert findings(noqa1="  # noqa: customer-action-without-evidence") == UNSUPPRESSED - {("BP401", 7)}


def test_noqa_code_is_case_insensitive_and_spacing_is_free() -> None:
    assert findings(noqa1="#NOQA:bp401") == UNSUPPRESSED - {("BP401", 7)}


def test_bare_noqa_suppresses_every_rule_on_the_line() -> None:
    assert findings(noqa3="  # noqa") == UNSUPPRESSED - {("BP401", 11), ("BP412", 11)}


def test_noqa_with_several_codes() -> None:
    assert findings(noqa3="  # noqa: BP401, BP412") == UNSUPPRESSED - {("BP401", 11), ("BP412", 11)}


def test_noqa_on_the_second_line_of_a_multi_line_action() -> None:
    assert findings(noqa4="  # noqa: BP412") == UNSUPPRESSED - {("BP412", 11)}


def test_noqa_on_the_first_line_of_an_action_covers_its_modifiers_below() -> None:
    # BP302 points at the `with` and BP408 at the `fail`, each on a continuation line.
    text = (
        'blueprint "Cafe" {\n  scenario "s"\n  persona  "p"\n'
        '  actor guest customer "Guest"\n  role  cook  backstage "Cook"\n'
        '  stage s "S" {\n    step a {\n      evidence "Counter"\n      guest: "Orders" as order\n'
        '      cook:  "Plates" as plate<noqa>\n             with "Plate"\n             fail "Cold"\n'
        '    }\n  }\n  order -> plate -> order loop\n}\n'
    )
    assert findings_in(text.replace("<noqa>", "")) >= {("BP302", 11), ("BP408", 12)}
    suppressed = findings_in(text.replace("<noqa>", "  # noqa: BP302, BP408"))
    assert not {code for code, _ in suppressed} & {"BP302", "BP408"}
    # Not from the line of another action.
    other = findings_in(text.replace("<noqa>", "").replace('as order', 'as order  # noqa: BP302, BP408'))
    assert {("BP302", 11), ("BP408", 12)} <= other
    # Nor for another action that shares the first line of one written over several.
    shared = text.replace('      guest: "Orders" as order\n      cook:', '      guest: "Orders" as order  cook:')
    shared = shared.replace("<noqa>", "").replace('fail "Cold"', 'fail "Cold"  # noqa')
    assert ("BP401", 8) in findings_in(shared.replace('evidence "Counter"\n', ""))


def test_noqa_with_a_reason_after_a_second_hash() -> None:
    assert findings(noqa4="  # noqa: BP412  # walk-in clinic (no appointments)") == UNSUPPRESSED - {("BP412", 11)}


def test_noqa_for_another_code_does_not_suppress() -> None:
    assert findings(noqa1="  # noqa: BP412", noqa3="  # noqa: flow-backwards-in-time") == UNSUPPRESSED


def test_noqa_applies_to_its_own_line_only() -> None:
    assert findings(noqa2="  # noqa: BP401") == UNSUPPRESSED - {("BP401", 8)}


def test_noqa_inside_a_string_is_not_a_comment() -> None:
    text = fill().replace('"Sits down"', '"Sits down # noqa"')
    assert ("BP401", 8) in {(d.code, d.span.line) for d in check(loads(text, "clinic.svc"))}


def test_noqa_on_the_blueprint_line_suppresses_blueprint_level_findings() -> None:
    text = 'blueprint "Hotel" {{{noqa}\n  actor guest customer "Guest"\n' \
           '  stage s "S" {{ step s "S" {{ evidence "Bed" guest: "Sleeps" }} }}\n}}\n'
    assert [d.code for d in check(loads(text.format(noqa=""), "h.svc"))] == ["BP411"]
    assert check(loads(text.format(noqa="  # noqa: BP411"), "h.svc")) == []


def test_noqa_never_hides_a_syntax_error() -> None:
    text = fill()
    broken = text.replace('"Sits down" as sit', '"Sits down" as sit @  # noqa')
    found = {(d.code, d.span.line) for d in check(loads(broken, "clinic.svc"))}
    assert ("BP005", 8) in found, found


def test_noqa_never_hides_a_reference_or_value_error() -> None:
    text = fill()
    broken = text.replace('patient: "Sits down" as sit', 'patinet: "Sits down" as sit  # noqa')
    broken = broken.replace("wait 45min as wait_call", "wait -5min as wait_call  # noqa: BP202")
    codes = {d.code for d in check(loads(broken, "clinic.svc"))}
    assert {"BP101", "BP202"} <= codes, codes


def test_a_noqa_naming_no_rule_is_a_warning_at_the_word() -> None:
    """A misspelt code suppresses nothing; without the warning, the finding would stay with no clue why."""
    text = fill(noqa4="  # noqa: BP412x, wait-over-limt BP101 accepted")
    invalid = [d for d in check(loads(text, "clinic.svc")) if d.code == "BP010"]
    line = text.splitlines()[11]
    assert [(d.span.line, line[d.span.column - 1 : d.span.end_column - 1]) for d in invalid] == [
        (12, "BP412x"), (12, "wait-over-limt"), (12, "BP101"), (12, "accepted"),
    ]
    assert all(d.severity.value == "warning" for d in invalid)
    hints = [d.hint for d in invalid]
    assert "'BP412'" in hints[0] and hints[1] == "did you mean 'wait-over-limit'?"
    assert "cannot be suppressed" in invalid[2].message
    assert "a reason goes after a second '#'" in hints[3]


def test_a_valid_noqa_gives_no_warning() -> None:
    text = fill(noqa1="  # noqa: bp401, BP412  # walk-in", noqa3="  # noqa: customer-action-without-evidence")
    assert "BP010" not in {d.code for d in check(loads(text, "clinic.svc"))}


def test_a_line_break_other_than_newline_inside_a_string_counts_no_line() -> None:
    # The parser counts lines by \n alone; a NEL, line separator or form feed in a string
    # is a character of that line, so the comment and the excerpt are of the line it is on.
    for character in ("\x85", "\u2028", "\x0c", "\x1e"):
        text = fill(noqa1="  # noqa: BP401").replace('"Clinic"', f'"Cli{character}nic"')
        assert findings_in(text) == UNSUPPRESSED - {("BP401", 7)}, repr(character)
        [sit] = [d for d in check(loads(text, "clinic.svc")) if d.span.line == 8]
        assert ' 8 |       patient: "Sits down" as sit\n' in render_text(sit, {"clinic.svc": text}), repr(character)


def test_the_rules_of_a_noqa_may_be_parted_by_commas_semicolons_or_spaces() -> None:
    for comment in ("  # noqa: BP412; BP401", "  # noqa : BP412, BP401", "  # noqa:BP412,,BP401,"):
        assert findings(noqa3=comment) == UNSUPPRESSED - {("BP401", 11), ("BP412", 11)}, comment


def test_a_noqa_with_words_and_no_colon_is_a_warning_and_suppresses_nothing() -> None:
    """Read as a bare noqa, a forgotten colon would hide every rule on the line."""
    text = fill(noqa3="  # noqa BP412  # the lab is slow")
    diagnostics = check(loads(text, "clinic.svc"))
    assert UNSUPPRESSED <= {(d.code, d.span.line) for d in diagnostics}
    [invalid] = [d for d in diagnostics if d.code == "BP010"]
    line = text.splitlines()[10]
    assert line[invalid.span.column - 1 : invalid.span.end_column - 1] == "BP412"
    assert "without a colon" in invalid.message and "'# noqa: BP401'" in invalid.hint


def test_a_noqa_with_a_colon_and_no_rule_is_a_warning_and_suppresses_nothing() -> None:
    for comment in ("  # noqa:", "  # noqa:  # a reason"):
        text = fill(noqa3=comment)
        diagnostics = check(loads(text, "clinic.svc"))
        assert UNSUPPRESSED <= {(d.code, d.span.line) for d in diagnostics}, comment
        [invalid] = [d for d in diagnostics if d.code == "BP010"]
        assert text.splitlines()[10][invalid.span.column - 1] == ":"
        assert "names no rule" in invalid.message


def test_a_noqa_inside_a_string_is_not_a_comment_over_several_lines_or_before_a_hash() -> None:
    """The lexer reads these as text: a noqa that only looks like one suppresses nothing, nor is it reported."""
    for written in ('"""Waits to be called  # noqa\nfor long"""', '"""Waits  # noqa: nothing\nto be called"""',
                    '"Waits  # noqa  # to be called"', '"Waits  # noqa: BP412x  # to be called"'):
        text = fill().replace('"Waits to be called"', written)
        assert findings_in(text) == UNSUPPRESSED, written


def test_a_quote_in_a_noqa_is_no_rule_and_the_rules_before_it_still_count() -> None:
    """A reason written in quotes without its '#' is reported like any other word, not silently dropped."""
    text = fill(noqa3='  # noqa: BP412 "walk-in"')
    diagnostics = check(loads(text, "clinic.svc"))
    assert {(d.code, d.span.line) for d in diagnostics} == UNSUPPRESSED - {("BP412", 11)} | {("BP010", 11)}
    [invalid] = [d for d in diagnostics if d.code == "BP010"]
    assert text.splitlines()[10][invalid.span.column - 1 : invalid.span.end_column - 1] == "walk-in"
    text = fill(noqa3='  # noqa "BP412"')
    assert {(d.code, d.span.line) for d in check(loads(text, "clinic.svc"))} == UNSUPPRESSED | {("BP010", 11)}


def test_a_noqa_quoted_in_a_comment_is_a_mention() -> None:
    for comment in ('  # write "# noqa: BP412" to accept the wait', "  # e.g. '# noqa: BP412'", "  # e.g. `# noqa`"):
        assert findings(noqa3=comment) == UNSUPPRESSED, comment
