"""The coloured diff: the decoration decided in Python, and the SVG and HTML drawn from it.

Cases come from tests/diff/ (old.svc, new.svc). The browser checks are in
test_diff_browser.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from blueprint_dsl import load
from blueprint_dsl.cli import main
from blueprint_dsl.model import Blueprint, Lane
from blueprint_dsl.render.decorate import Decoration, decorate, render_diff
from tests.render_geometry import read_svg

CASES = Path(__file__).parent / "diff"


def sides(case: str) -> tuple[Blueprint, Blueprint]:
    old, new = load(CASES / case / "old.svc"), load(CASES / case / "new.svc")
    assert old.ok and new.ok
    return old.blueprint, new.blueprint


def decoration(case: str) -> Decoration:
    return decorate(*sides(case))


def placed(blueprint: Blueprint) -> dict[str, tuple[str, str, Lane]]:
    """Every drawn action: (stage, step, lane) by id."""
    return {a.id: (stage.id, step.id, a.lane) for stage in blueprint.stages for step in stage.steps
            for a in step.actions}


def columns(blueprint: Blueprint) -> list[str]:
    return [step.id for step in blueprint.steps]


def flow_statuses(d: Decoration) -> list[tuple[str, str, str | None, str]]:
    """Every drawn flow with a status: (source, target, label, status), in drawing order."""
    assert len(d.flows) == len(d.blueprint.flows)
    return [(f.source, f.target, f.label, status) for f, status in zip(d.blueprint.flows, d.flows) if status]


# ---- the decoration ----------------------------------------------------------------------


def test_no_change_decorates_nothing():
    old, new = sides("01-formatting-only")
    d = decorate(old, new)
    assert (d.actions, d.steps, d.stages, d.items) == ({}, {}, {}, ())
    assert d.flows == (None,) * len(new.flows)
    assert d.blueprint is new


def test_added_action_is_green_and_nothing_is_a_ghost():
    d = decoration("02-action-added")
    assert d.actions == {"test_ride": "added"}
    assert d.blueprint == d.new


def test_changed_moved_and_renamed_actions():
    assert decoration("04-action-text-changed").actions == {"replace": "changed"}
    assert decoration("06-action-moved-lane").actions == {"quote": "moved"}
    assert decoration("07-action-moved-step").actions == {"ticket": "moved"}
    # A rename with the same content is a change of id, drawn as changed.
    assert decoration("05-action-renamed-same-content").actions == {"swap_chain": "changed"}
    assert decoration("20-step-moved-to-another-stage").steps == {"pay": "moved"}


def test_removed_action_comes_back_in_its_old_step_and_lane():
    d = decoration("03-action-removed")
    assert d.actions == {"ticket": "removed"}
    assert placed(d.blueprint)["ticket"] == ("drop", "check_in", Lane.SUPPORT)
    assert columns(d.blueprint) == columns(d.new)
    # Its flows come back too, between the ghost and the actions still there.
    assert flow_statuses(d) == [
        ("quote", "replace", None, "added"),
        ("quote", "ticket", None, "removed"),
        ("ticket", "replace", None, "removed"),
    ]


def test_removed_stage_comes_back_as_a_ghost_stage_where_it_was():
    d = decoration("10-step-removed")
    assert d.stages == {"collect": "removed"} and d.steps == {"pay": "removed"}
    assert [s.id for s in d.blueprint.stages] == ["drop", "repair", "collect"]
    assert placed(d.blueprint)["pay_card"] == ("collect", "pay", Lane.CUSTOMER)
    assert d.actions == {"pay_card": "removed", "take_payment": "removed"}


def test_a_removed_stage_whose_steps_moved_keeps_its_place_with_an_empty_column():
    d = decoration("33-stage-removed-its-steps-moved")
    assert d.stages == {"repair": "removed"}
    assert [s.id for s in d.blueprint.stages] == ["drop", "repair", "collect"]
    (place,) = d.blueprint.stages[1].steps
    assert place.actions == () and d.placeholders == {place.id} and d.steps[place.id] == "removed"
    assert place.id not in {step.id for side in sides("33-stage-removed-its-steps-moved") for step in side.steps}
    assert [item.target for item in d.items] == [("stage", "repair"), ("step", "fix")]


def test_removed_step_comes_back_between_its_old_neighbours():
    d = decoration("21-mixed-changes")
    assert columns(d.new) == ["check_in", "fix", "pay"]
    assert columns(d.blueprint) == ["check_in", "fix", "test", "pay"]
    assert placed(d.blueprint)["test_ride"] == ("repair", "test", Lane.BACKSTAGE)
    assert placed(d.blueprint)["ticket"] == ("drop", "check_in", Lane.SUPPORT)
    assert d.actions == {"ticket": "removed", "test_ride": "removed", "explain": "added", "replace": "changed"}
    assert ("explain", "pay_card", None, "added") in flow_statuses(d)
    assert [item.status for item in d.items][:3] == ["diff-removed"] * 3


def test_of_several_flows_between_two_actions_only_the_one_changed_is_marked():
    d = decoration("22-parallel-flows")
    # One ghost for the flow removed; the flow left beside it, and the one beside
    # the flow added, are drawn as they are.
    assert flow_statuses(d) == [
        ("quote", "ticket", "by phone", "added"),
        ("pay_card", "take_payment", "cash", "removed"),
    ]
    assert len(d.blueprint.flows) == len(d.new.flows) + 1
    _, elements = read_svg(render_diff(*sides("22-parallel-flows"), "svg"))
    marked = sorted(c for e in elements.values() if "flow" in e.classes for c in e.classes if c.startswith("diff-"))
    assert marked == ["diff-added", "diff-removed"]


def test_a_ghost_never_shares_an_id_with_a_card():
    # Of three actions without `as`, the first went: the others now have the ids made
    # for the first two, and the ghost of the first is drawn under an id of its own.
    d = decoration("23-made-action-ids-shift")
    assert d.actions == {"enter_barista_removed": "removed"}
    drawn = placed(d.blueprint)
    assert sorted(drawn) == ["enter_barista", "enter_barista_2", "enter_barista_removed", "enter_guest"]
    texts = {a.id: a.text for a in d.blueprint.actions()}
    assert texts["enter_barista_removed"] == "Greets the guest" and texts["enter_barista"] == "Wipes the counter"
    assert [item.target for item in d.items] == [("action", "enter_barista_removed")]
    _, elements = read_svg(render_diff(*sides("23-made-action-ids-shift"), "svg"))
    ghost = elements["ghost-action-enter_barista_removed"]
    assert "diff-removed" in ghost.classes
    assert "diff-removed" not in elements["action-enter_barista"].classes


def test_a_flow_to_an_action_whose_made_id_shifted_is_drawn_unchanged():
    # The text says only that the first of two actions went; the picture says no more.
    d = decoration("30-flow-to-a-made-id-that-shifts")
    assert d.actions == {"a_b_removed": "removed"}
    assert flow_statuses(d) == []


def test_renames_carry_over_to_what_refers_to_them():
    # A stage's made id, a step's id, an actor's: what is inside them has not moved.
    assert decoration("24-stage-without-id-renamed").steps == {}
    assert decoration("24-stage-without-id-renamed").stages == {"drop_off_at_the_counter": "changed"}
    assert decoration("25-step-renamed").actions == {}
    assert decoration("26-actor-renamed-owning-a-fail-point").actions == {}
    # A step renamed that changed places too is drawn as moved.
    assert decoration("29-step-renamed-and-reordered").steps == {"welcome": "moved"}


def test_a_step_moved_away_is_not_a_ghost():
    d = decoration("07-action-moved-step")
    assert "removed" not in d.actions.values()
    assert d.blueprint == d.new


# ---- the SVG -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mixed_svg() -> bytes:
    return render_diff(*sides("21-mixed-changes"), "svg")


def test_svg_classes_read_back(mixed_svg: bytes):
    _, elements = read_svg(mixed_svg)
    assert "diff-added" in elements["action-explain"].classes
    assert "diff-changed" in elements["action-replace"].classes
    assert "diff-removed" in elements["ghost-action-ticket"].classes
    assert "diff-removed" in elements["ghost-action-test_ride"].classes
    assert "diff-removed" in elements["ghost-step-test"].classes
    assert not any(c.startswith("diff-") for c in elements["action-hand_over"].classes)
    assert "action-ticket" not in elements


def test_svg_ghosts_sit_in_their_old_column_and_lane(mixed_svg: bytes):
    _, elements = read_svg(mixed_svg)
    ticket = elements["ghost-action-ticket"].rect
    assert ticket.inside(elements["lane-support"].rect)
    assert abs(ticket.centre_x - elements["action-hand_over"].rect.centre_x) < 1  # the check-in column
    ride = elements["ghost-action-test_ride"].rect
    assert ride.inside(elements["lane-backstage"].rect)
    assert abs(ride.centre_x - elements["ghost-step-test"].rect.centre_x) < 1
    # The ghost column lies between Fix and Pay, where the step was.
    assert elements["action-replace"].rect.right < ride.left < ride.right < elements["action-pay_card"].rect.left
    assert "REMOVED" in elements["ghost-action-ticket"].text


def test_svg_has_the_legend_and_the_change_list(mixed_svg: bytes):
    root, elements = read_svg(mixed_svg)
    legend = elements["legend"].text
    assert all(word in legend for word in ("added", "changed", "moved", "removed"))
    changes = elements["diff-changes"].text
    assert "removed action ticket" in changes and "added action explain" in changes
    desc = root.find("{http://www.w3.org/2000/svg}desc").text
    assert "- removed step test" in desc


def test_svg_describes_new_without_the_ghosts():
    # The removed stage, its step, its two actions and its flow are drawn; NEW has none of them.
    root, _ = read_svg(render_diff(*sides("10-step-removed"), "svg"))
    desc = root.find("{http://www.w3.org/2000/svg}desc").text
    assert desc.startswith("Service blueprint: 2 steps in 2 stages (Drop-off, Repair); 5 actions, 1 fail point, "
                           "1 wait point, 4 flows. Scenario: Walk-in repair."), desc


def test_a_removed_stage_whose_steps_moved_is_drawn_where_it_was():
    old, new = sides("33-stage-removed-its-steps-moved")
    _, elements = read_svg(render_diff(old, new, "svg"))
    ghost = elements["ghost-stage-repair"]
    assert "diff-removed" in ghost.classes and ghost.text == "Repair"
    # Between the stages it stood between, over a column of its own: no card is under it.
    assert elements["stage-drop"].rect.right < ghost.rect.left < ghost.rect.right < elements["stage-collect"].rect.left
    cards = [e.rect for name, e in elements.items() if name.startswith(("action-", "ghost-action-"))]
    assert not any(ghost.rect.left < card.centre_x < ghost.rect.right for card in cards)
    page = render_diff(old, new, "html").decode()
    assert '<a href="#stage-repair"><code>repair</code></a>' in page
    assert 'class="stage-header diff-removed" id="stage-repair"' in page
    assert "<h4>Step: </h4>" not in page  # the empty column is no step of the text version


def test_svg_and_html_diffs_are_byte_identical_twice():
    old, new = sides("21-mixed-changes")
    for fmt in ("svg", "html"):
        assert render_diff(old, new, fmt) == render_diff(old, new, fmt)


def test_hostile_text_is_escaped(tmp_path: Path):
    old_text = (CASES / "03-action-removed" / "old.svc").read_text()
    hostile = '<script>alert(1)</script> & "x"'
    old_text = old_text.replace("Creates the job ticket", hostile.replace('"', '\\"'))
    (tmp_path / "old.svc").write_text(old_text)
    old = load(tmp_path / "old.svc")
    assert old.ok, old.diagnostics
    new = load(CASES / "03-action-removed" / "new.svc").blueprint
    for fmt in ("svg", "html"):
        data = render_diff(old.blueprint, new, fmt).decode()
        assert "<script>alert" not in data


# ---- the command ---------------------------------------------------------------------------


def test_cli_writes_html_and_svg_to_a_file(tmp_path: Path):
    case = CASES / "21-mixed-changes"
    runner = CliRunner()
    for fmt in ("html", "svg"):
        target = tmp_path / f"diff.{fmt}"
        result = runner.invoke(main, ["diff", str(case / "old.svc"), str(case / "new.svc"), "--format", fmt,
                                      "-o", str(target)])
        assert result.exit_code == 1, result.output
        assert result.output == ""
        assert b"diff-removed" in target.read_bytes()
    stdout = runner.invoke(main, ["diff", str(case / "old.svc"), str(case / "new.svc"), "--format", "svg"])
    assert stdout.output.startswith("<?xml") and 'id="ghost-action-ticket"' in stdout.output
    same = CASES / "00-unchanged"
    unchanged = runner.invoke(main, ["diff", str(same / "old.svc"), str(same / "new.svc"), "--format", "html"])
    assert unchanged.exit_code == 0 and "No semantic change." in unchanged.output


def test_cli_paper_is_the_html_page_s_own_and_no_other_format_s(tmp_path: Path):
    """--paper tabloid selects it in the page's paper menu, as render's does; for the SVG
    or the text, it is a usage error that writes nothing."""
    case = CASES / "21-mixed-changes"
    runner = CliRunner()
    result = runner.invoke(main, ["diff", str(case / "old.svc"), str(case / "new.svc"), "-f", "html",
                                  "--paper", "tabloid"])
    assert result.exit_code == 1
    assert re.findall(r'<option value="(\w+)" data-size="[\d. ]+" selected>', result.stdout) == ["tabloid"]
    for fmt in ("svg", "text"):
        target = tmp_path / f"diff.{fmt}"
        refused = runner.invoke(main, ["diff", str(case / "old.svc"), str(case / "new.svc"), "-f", fmt,
                                       "--paper", "a3", "-o", str(target)])
        assert refused.exit_code == 2 and f"--paper is the paper the html page prints on, not {fmt}" in refused.output
        assert not target.exists()
