"""``blueprint import``: what a spreadsheet's cells become: steps and stages by column, items,
actions and their actors, emotions, ids, and any text read back as written."""

from __future__ import annotations

import re

import pytest

from blueprint_dsl import loads
from blueprint_dsl.check import check
from blueprint_dsl.grammar import keywords
from blueprint_dsl.model import Emotion, Lane
from blueprint_dsl.spreadsheet import SpreadsheetError
from tests.hostile_strings import HOSTILE
from tests.test_import import blueprint_of, imported, quoted_csv, run


def test_an_emotion_off_the_scale_or_with_no_customer_is_a_warning_and_left_out(tmp_path):
    grid = "Step,One,Two,Three\nCustomer,Waits,,Pays\nFrontstage,,Greets,\nEmotions,Relieved,Annoyed,pleased\n" \
           "Feelings,,,Frustrated\n"
    result = imported(grid)
    assert [(w.severity.value, w.span.line, w.span.column, w.message) for w in result.warnings] == [
        ("warning", 4, 10, "'Relieved' is no emotion of the scale: left out"),
        ("warning", 4, 19, "no customer action in this column to feel it: left out"),
        ("warning", 5, 12, "this column has an emotion already, on line 4: left out"),
    ]
    assert [a.emotion for a in loads(result.text).blueprint.actions()] == [None, None, Emotion.PLEASED]
    (tmp_path / "grid.csv").write_text(grid, encoding="utf-8")
    code, _, said = run("grid.csv", cwd=tmp_path)
    assert code == 0
    assert "grid.csv:4:10: warning: 'Relieved' is no emotion of the scale: left out\n 4 | Emotions,Relieved," in said


def test_a_column_whose_only_text_is_an_emotion_left_out_is_no_step():
    """Its emotion is warned of and left out: it made an empty step."""
    result = imported("Customer actions,Orders,,\nEmotions,,,Happy\nFeelings,,Pleased,\n")
    assert [step.id for step in loads(result.text).blueprint.steps] == ["step_1"]
    assert [(w.span.line, w.span.column, w.message) for w in result.warnings] == [
        (2, 12, "'Happy' is no emotion of the scale: left out"),
        (3, 11, "no customer action in this column to feel it: left out")]


def test_columns_with_nothing_in_them_are_no_steps_and_rows_may_be_ragged():
    blueprint = blueprint_of("Stage,A,,,B,,,\nCustomer,one,,,two\nSupport,,,,,three\nEvidence\n,,,,,,,,,\n")
    assert [[step.id for step in stage.steps] for stage in blueprint.stages] == [["step_1"], ["step_2", "step_3"]]


def test_a_cell_of_dashes_alone_is_empty():
    """As sheets mark a step where a lane does nothing, and so is a line of dashes in a cell;
    a column of them is no step."""
    blueprint = blueprint_of("Stage,Order,-,\u2014,Pay\nCustomer,Orders,\u2013,Waits,Pays\n"
                             "Backstage,-,--,\"-\n- x - y\",-\n")
    assert [stage.name for stage in blueprint.stages] == ["Order", "Pay"]
    assert [[a.text for a in step.actions] for step in blueprint.steps] == [["Orders"], ["Waits", "x - y"], ["Pays"]]


@pytest.mark.parametrize("cell", ['"-\n-"', '"- -"', '" \u2014 \n\n\u2013"', '"- "'])
def test_a_cell_of_dash_lines_alone_is_no_action_so_no_customer_row(cell: str):
    """Empty as its items are read, whatever its lines hold: the customer row of such a cell is
    there but empty, which the error says at the row, and so is a stage cell of them."""
    with pytest.raises(SpreadsheetError) as raised:
        imported(f"Stage,Order\nCustomer actions,{cell}\nFrontstage,Greets\n")
    [problem] = raised.value.problems
    assert (problem.span.line, problem.message) == (2, "no row of customer actions: a blueprint is built on them")
    assert problem.hint == ("the row 'Customer actions' has nothing in its cells (a dash is nothing): write there "
                            "what the customer does at each step")
    assert [stage.name for stage in blueprint_of(f"Stage,{cell},Pay\nCustomer,Orders,Pays\n").stages] == [
        "Stage 1", "Pay"]


def test_a_cell_that_looks_empty_is_empty_and_blanks_at_a_line_s_ends_are_left_out():
    """Dashes with spaces between them ('- - -' was the action '- -', a list's mark taken off), a
    no-break or a zero-width space alone (an action of it, and an actor made for the lane): none is
    an item; such blanks around a line's text are left out as spaces are."""
    grid = ("Step,A,B,C,D\nCustomer actions,Arrives,\u00a0,- - -,\u00a0Pays\u3000\n"
            "Frontstage,\u2014 \u2014 \u2014,\u200b,\"\u2013 \u2013\n* -\","
            "\"-\u00a0Greets\u00a0\n\u2022\u2002Waves\"\n")
    blueprint = blueprint_of(grid)
    assert [[a.text for a in step.actions] for step in blueprint.steps] == [
        ["Arrives"], [], [], ["Pays", "Greets", "Waves"]]
    assert [actor.id for actor in blueprint.actors] == ["customer", "frontstage_staff"]
    assert [s.name for s in blueprint_of("Stage,\u00a0- -\u00a0,Pay\nCustomer,Orders,Pays\n").stages] == [
        "Stage 1", "Pay"]


def test_without_a_stage_row_one_stage_and_before_the_first_stage_cell_another():
    assert [s.name for s in blueprint_of("Customer,a,b\n").stages] == ["Stage 1"]
    assert [s.name for s in blueprint_of("Stage,,Order\nCustomer,a,b\n").stages] == ["Stage 1", "Order"]


def test_actors_by_name_their_home_the_first_lane_they_act_in():
    """Names match whatever their case and spacing; the lanes are read in the method's order,
    whatever the sheet's, so the support row below does not make the barista support staff."""
    grid = ("Support,Barista: cleans up,\nCustomer,Guest: orders,CUSTOMER: pays\nFrontstage,,barista:  takes cash\n"
            "Backstage,Pulls a shot,\n")
    blueprint = blueprint_of(grid)
    assert [(a.id, a.kind.value, a.lane.value, a.name) for a in blueprint.actors] == [
        ("guest", "actor", "customer", "Guest"), ("customer", "actor", "customer", "CUSTOMER"),
        ("barista", "role", "frontstage", "barista"), ("backstage_staff", "role", "backstage", "Backstage staff")]
    assert [(a.actor, a.lane.value, a.lane_overridden) for a in blueprint.actions()] == [
        ("guest", "customer", False), ("backstage_staff", "backstage", False), ("barista", "support", True),
        ("customer", "customer", False), ("barista", "frontstage", False)]


def test_a_name_in_the_customer_row_and_a_staff_row_is_two_actors_and_said_so():
    """The customer never acts in the organisation's lanes, nor staff in the customer's (BP301): one
    actor of the name made a blueprint that failed check. Each side its actor, the staff's id its lane."""
    grid = ("Step,Arrive,Order,Pay\nCustomer actions,Host: Greets the guest,Orders,Customer: pays\n"
            "Frontstage,,Host: Takes the order,Customer: signs\nSupport,,HOST: logs,\n")
    result = imported(grid)
    loaded = loads(result.text)
    assert [(a.id, a.lane.value, a.name) for a in loaded.blueprint.actors] == [
        ("host", "customer", "Host"), ("customer", "customer", "Customer"),
        ("host_frontstage", "frontstage", "Host"), ("customer_frontstage", "frontstage", "Customer")]
    assert [(a.actor, a.lane.value) for a in loaded.blueprint.actions()] == [
        ("host", "customer"), ("customer", "customer"), ("host_frontstage", "frontstage"),
        ("host_frontstage", "support"), ("customer", "customer"), ("customer_frontstage", "frontstage")]
    assert not [d for d in check(loaded) if d.severity.value == "error"]
    assert [(w.span.line, w.span.column, w.message) for w in result.warnings] == [
        (3, 13, "'Host' acts in the customer lane on line 2, and here in frontstage: two actors, 'host' and "
                "'host_frontstage', since the customer and the organisation never act in each other's lanes"),
        (3, 35, "'Customer' acts in the customer lane on line 2, and here in frontstage: two actors, 'customer' and "
                "'customer_frontstage', since the customer and the organisation never act in each other's lanes")]
    long = "Reservations coordinator team lead"  # the lane's name fits in the id's 32 characters
    assert loads(imported(f"Customer,{long}: x\nBackstage,{long}: y\n").text).blueprint.actors[1].id == \
        "reservations_coordinat_backstage"


@pytest.mark.parametrize("line, actor, text", [
    ("Barista: takes the order", "Barista", "takes the order"),
    ("Front desk clerk: checks in", "Front desk clerk", "checks in"),
    ("- Porter: carries", "Porter", "carries"),
    ("1. Porter: carries", "Porter", "carries"),
    ("A name of five words here: acts", "Frontstage staff", "A name of five words here: acts"),
    ("Opens at 10:30", "Frontstage staff", "Opens at 10:30"),
    ("see https://example.org", "Frontstage staff", "see https://example.org"),
    ("Barista:", "Frontstage staff", "Barista:"),
    ("12: the twelfth", "Frontstage staff", "12: the twelfth"),
])
def test_an_action_names_its_actor_before_a_colon(line: str, actor: str, text: str):
    blueprint = blueprint_of(f'Customer,Orders\nFrontstage,"{line}"\n')
    action = blueprint.steps[0].actions[1]
    assert (blueprint.actor_index()[action.actor].name, action.text) == (actor, text)


def test_ids_are_made_from_the_text_unique_and_never_a_keyword():
    grid = ("Step,Time,Step,Заказ,Wait\nCustomer,Wait,Wait,Заказ,\"Stage\nTake the order and pay at the till\"\n"
            "Frontstage,24h desk: answers,In,As,Note: notes\n")
    blueprint = blueprint_of(grid)
    taken = keywords()
    assert [step.id for step in blueprint.steps] == ["time_step", "step_step", "step_3", "wait_step"]
    assert [a.id for a in blueprint.actions()] == [
        "wait_action", "answers", "wait_action_2", "in_action", "step_3_customer", "as_action", "stage_action",
        "take_the_order_and", "notes"]
    assert [actor.id for actor in blueprint.actors] == ["customer", "_24h_desk", "frontstage_staff", "note_actor"]
    ids = [x.id for x in (*blueprint.actors, *blueprint.stages, *blueprint.steps, *blueprint.actions())]
    assert not taken & set(ids)
    assert all(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,31}", ident) for ident in ids)
    assert blueprint_of("Customer," + "W" * 5000 + "\n").steps[0].actions[0].id == "w" * 32


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_any_text_in_a_cell_reads_back_as_written(name: str):
    """Quotes, backslashes, controls, bidi and keywords in every kind of cell: the file holds
    no character one cannot see but its line breaks, parses, and reads back each item, a
    line of a cell, as written (its spaces and tabs at either end left out)."""
    hostile = HOSTILE[name]
    rows = (["Stage", hostile, ""], ["Step", hostile, ""], ["Physical evidence", hostile, ""],
            ["Customer actions", hostile, "Orders"], ["Frontstage", hostile, f"Barista: {hostile}"],
            ["Backstage", hostile, ""], ["Support processes", hostile, ""], ["Time", hostile, ""],
            ["Metrics", hostile, ""], ["Policies", hostile, ""])
    result = imported(quoted_csv(rows), title=hostile)
    assert not any(ord(c) < 0x20 and c != "\n" or 0x7F <= ord(c) <= 0x9F for c in result.text)
    loaded = loads(result.text)
    assert loaded.ok, loaded.diagnostics
    blueprint = loaded.blueprint
    whole = re.sub(r"\r\n?", "\n", hostile).strip(" \t")
    items = [line.strip(" \t") for line in whole.split("\n") if line.strip(" \t")]
    assert blueprint.title == hostile
    if not whole:  # a column with nothing in it is no step
        assert [step.id for step in blueprint.steps] == ["step_1"]
        return
    assert blueprint.stages[0].name == whole
    assert blueprint.steps[0].label == whole
    assert [e.text for e in blueprint.steps[0].evidence] == items
    first = blueprint.steps[0]
    for lane in (Lane.CUSTOMER, Lane.FRONTSTAGE, Lane.BACKSTAGE, Lane.SUPPORT):
        assert [a.text for a in first.actions_in(lane)] == items
    for row in ("time", "metric", "policy"):
        assert [a.text for a in first.annotations if a.row == row] == items
    if items and "\n" not in whole:  # one line: the text after the actor's name
        [action] = blueprint.steps[1].actions_in(Lane.FRONTSTAGE)
        assert (action.actor, action.text) == ("barista", whole)
