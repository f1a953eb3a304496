"""``blueprint import``: a blueprint kept in a spreadsheet, exported as CSV or TSV, made a ``.svc`` file.

Golden cases in tests/import/: ``NAME.csv`` or ``NAME.tsv`` and the blueprint made of it,
``NAME.svc``; in tests/import/bad/, a spreadsheet that cannot be read and what the command
says, ``NAME.expected``. ``BLUEPRINT_REGEN=1`` rewrites both (review the diff).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from blueprint_dsl import loads
from blueprint_dsl.check import check
from blueprint_dsl.cli import main
from blueprint_dsl.formatter import format_text
from blueprint_dsl.grammar import keywords
from blueprint_dsl.model import Emotion, Lane
from blueprint_dsl.spreadsheet import RowKind, SpreadsheetError, read_rows
from blueprint_dsl.spreadsheet_svc import import_spreadsheet
from tests.hostile_strings import HOSTILE

CASES = Path(__file__).parent / "import"
GOOD = sorted([*CASES.glob("*.csv"), *CASES.glob("*.tsv")])
BAD = sorted((CASES / "bad").glob("*.csv"))
REGEN = bool(os.environ.get("BLUEPRINT_REGEN"))


def run(*args: str, cwd: Path, stdin: bytes | None = None) -> tuple[int, str, str]:
    """``blueprint import ARGS`` in ``cwd``: the exit code, standard output and standard error."""
    start = os.getcwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, ["import", *args], input=stdin)
    finally:
        os.chdir(start)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def quoted_csv(rows) -> str:
    """Rows as CSV, every cell quoted (RFC 4180), CRLF between them: as spreadsheets export,
    a NUL too (Python 3.10's csv module refuses to write one)."""
    return "".join(",".join('"' + cell.replace('"', '""') + '"' for cell in row) + "\r\n" for row in rows)


def imported(text: str, path: str = "grid.csv", **options: object):
    return import_spreadsheet(text, path, title=str(options.pop("title", "Grid")), **options)


def blueprint_of(text: str, path: str = "grid.csv"):
    result = loads(imported(text, path).text)
    assert result.ok, result.diagnostics
    return result.blueprint


@pytest.mark.parametrize("case", GOOD, ids=lambda p: p.name)
def test_golden(case: Path):
    """The blueprint made of each spreadsheet: as expected, read without a diagnostic, laid
    out as fmt lays it out, and the same bytes on a second run."""
    code, text, said = run(case.name, cwd=CASES)
    assert code == 0, said
    expected = case.with_suffix(".svc")
    if REGEN:
        expected.write_text(text, encoding="utf-8")
    assert text == expected.read_text(encoding="utf-8")
    assert run(case.name, cwd=CASES)[1] == text
    result = loads(text)
    assert result.ok and not result.diagnostics
    assert not [d for d in check(result) if d.severity.value == "error"]
    assert format_text(text) == text
    assert not result.blueprint.flows


@pytest.mark.parametrize("case", BAD, ids=lambda p: p.name)
def test_a_spreadsheet_that_cannot_be_read_says_where_and_why(case: Path):
    code, text, said = run(case.name, cwd=case.parent)
    expected = case.with_suffix(".expected")
    if REGEN:
        expected.write_text(said, encoding="utf-8")
    assert (code, text) == (1, "")
    assert said == expected.read_text(encoding="utf-8")
    assert re.match(rf"{re.escape(case.name)}:\d+:\d+: error: ", said)
    assert said.endswith(f"{case.name}: not imported\n")


def test_the_template_reads_as_the_method_lays_it_out():
    """The typical template: stages over merged cells, steps, evidence, the lanes and the lines
    between them, a merged row title, a title row, a row left out with '#'."""
    blueprint = blueprint_of((CASES / "hotel-template.csv").read_text(encoding="utf-8"))
    assert [stage.name for stage in blueprint.stages] == ["Arrival", "Check-in", "Stay"]
    assert [[step.label for step in stage.steps] for stage in blueprint.stages] == [
        ["Arrive at the hotel", "Find reception"], ["Give details", "Get the key"], ["Go to the room"]]
    actors = {actor.name: (actor.kind.value, actor.lane) for actor in blueprint.actors}
    assert actors == {
        "Customer": ("actor", Lane.CUSTOMER), "Doorman": ("role", Lane.FRONTSTAGE), "Clerk": ("role", Lane.FRONTSTAGE),
        "Room app": ("role", Lane.FRONTSTAGE), "Housekeeping": ("role", Lane.BACKSTAGE),
        "Porter": ("role", Lane.BACKSTAGE), "Property management system": ("system", Lane.SUPPORT),
        "Key encoder": ("system", Lane.SUPPORT),
    }
    first = blueprint.steps[0]
    assert first.evidence and [e.text for e in first.evidence] == ["Hotel front", "Parking sign"]
    assert [(a.actor, a.text, a.lane, a.lane_overridden) for a in first.actions] == [
        ("customer", "Arrives by car", Lane.CUSTOMER, False),
        ("doorman", "Greets and takes the bags", Lane.FRONTSTAGE, False),
        ("doorman", "Brings the bags up", Lane.BACKSTAGE, True),
    ]
    last = blueprint.steps[-1]
    assert [(a.actor, a.text) for a in last.actions] == [
        ("customer", "Finds the room"), ("room_app", "Shows the way"), ("porter", "Delivers the bags"),
        ("housekeeping", "Turns down the bed")]
    assert [(a.row, a.text) for a in blueprint.steps[2].annotations] == [("metric", "Check-in within 5 minutes")]
    assert [a.emotion for a in blueprint.actions() if a.lane is Lane.CUSTOMER] == [
        Emotion.NEUTRAL, Emotion.ANNOYED, Emotion.NEUTRAL, Emotion.PLEASED, None]
    assert "Valet" not in imported((CASES / "hotel-template.csv").read_text(encoding="utf-8")).text


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


def test_header_rows_give_the_blueprint_s_facts_and_no_steps():
    """Scenario and persona rows, as templates have them above the grid: the facts, one
    text each (a line break a space), not steps; a second cell is warned of; a second
    scenario row is an error."""
    grid = ("Scenario,Weekday lunch\nCustomer persona,\"Office worker\nin a hurry\",extra\nService owner,Ops\n"
            "Step,Order,Pay\nCustomer,Orders,Pays\n")
    result = imported(grid)
    blueprint = loads(result.text).blueprint
    assert (blueprint.scenario, blueprint.persona, blueprint.owner) == ("Weekday lunch", "Office worker in a hurry",
                                                                         "Ops")
    assert [step.label for step in blueprint.steps] == ["Order", "Pay"]
    assert [(w.span.line, w.span.column, w.message) for w in result.warnings] == [
        (3, 13, "a persona is one text, in the first cell after the title: the other cells are left out")]
    assert "no-scenario-or-persona" not in {d.name for d in check(loads(result.text))}
    with pytest.raises(SpreadsheetError) as raised:
        imported("Scenario,One\nScenario,Two\nCustomer,Orders\n")
    assert [p.message for p in raised.value.problems] == ["a second scenario row: the first is on line 1"]


@pytest.mark.parametrize("title, kind", [
    ("Stage", RowKind.STAGE), ("PHASES", RowKind.STAGE), ("Journey phase:", RowKind.STAGE),
    ("Steps", RowKind.STEP), ("Touchpoints", RowKind.EVIDENCE), ("Physical Evidence", RowKind.EVIDENCE),
    ("Customer", RowKind.CUSTOMER), ("Customer actions (what they do)", RowKind.CUSTOMER),
    ("User actions", RowKind.CUSTOMER), ("Front-stage", RowKind.FRONTSTAGE), ("Onstage actions", RowKind.FRONTSTAGE),
    ("front stage interactions", RowKind.FRONTSTAGE), ("Back stage", RowKind.BACKSTAGE),
    ("BACKSTAGE ACTIONS:", RowKind.BACKSTAGE), ("Support processes", RowKind.SUPPORT),
    ("Supporting processes", RowKind.SUPPORT), ("Support", RowKind.SUPPORT), ("Time", RowKind.TIME),
    ("KPIs", RowKind.METRIC), ("Metrics", RowKind.METRIC), ("Policies", RowKind.POLICY),
    ("Business rules", RowKind.POLICY), ("Emotions", RowKind.EMOTION), ("Customer feelings", RowKind.EMOTION),
])
def test_row_titles_are_read_forgivingly(title: str, kind: RowKind):
    rows = read_rows(f'"{title}",x\nCustomer,y\n', "grid.csv")
    assert rows[0].kind is kind


@pytest.mark.parametrize("title", ["Line of interaction", "line of visibility", "Line of internal interaction",
                                   "Visibility line", "LINES", "# Opportunities", "#"])
def test_the_lines_of_the_method_and_rows_titled_with_a_hash_are_passed_over(title: str):
    rows = read_rows(f"Customer,Orders\n{title},----\n", "grid.csv")
    assert [row.kind for row in rows] == [RowKind.CUSTOMER]


def test_a_row_without_a_title_continues_the_titled_row_above():
    """A title merged over rows, the first of them empty or not; below a row passed over, passed over too."""
    blueprint = blueprint_of("Customer,Orders,Pays\nBackstage,Cook: cooks,\n,Runner: runs,Cook: cleans\n"
                             "Support,,\n,,\n,Till: rings,\nLine of visibility,,\n,----,----\n# Ideas,x,\n,y,z\n")
    assert [(a.actor, a.lane.value) for a in blueprint.actions()] == [
        ("customer", "customer"), ("cook", "backstage"), ("runner", "backstage"), ("till", "support"),
        ("customer", "customer"), ("cook", "backstage")]
    with pytest.raises(SpreadsheetError) as raised:
        imported("Service blueprint: coffee,,\n,Queue,Order\n,Wait,Ask\nCustomer,a,b\n")
    assert [(p.span.line, p.message) for p in raised.value.problems] == [
        (2, "this row has no title, and no row above it to continue")]


def test_rows_without_a_title_under_a_stage_step_or_header_row_are_merged_into_it():
    """A row a sheet holds once, its title merged over two rows: each column's texts joined by a
    line break, which a header fact reads as a space; a second row with a title is still an error."""
    grid = ("Scenario,Weekday lunch\n,in a hurry\nPersona,,\n,Office worker,Manager\nStage,Order,,\n,,,Pay\n"
            ",Queue and order,,\nStep,Queue,Order,Pay\n,,,Tap the card\nCustomer,Queues,Orders,Pays\n")
    result = imported(grid)
    blueprint = loads(result.text).blueprint
    assert (blueprint.scenario, blueprint.persona) == ("Weekday lunch in a hurry", "Office worker")
    assert [(w.span.line, w.span.column, w.message) for w in result.warnings] == [
        (4, 16, "a persona is one text, in the first cell after the title: the other cells are left out")]
    assert [(stage.name, [step.label for step in stage.steps]) for stage in blueprint.stages] == [
        ("Order\nQueue and order", ["Queue", "Order"]), ("Pay", ["Pay\nTap the card"])]
    assert [s.name for s in blueprint_of("Stage,Order\n,Pay\nCustomer,Orders\n").stages] == ["Order\nPay"]
    with pytest.raises(SpreadsheetError) as raised:
        imported("Stage,A\n,B\nStage\n,C\n,D\nStep,x\nSteps,y\n,z\nCustomer,Orders\n")
    assert [(p.span.line, p.message) for p in raised.value.problems] == [
        (3, "a second stage row: the first is on line 1"), (7, "a second step row: the first is on line 6")]


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


def test_the_separator_is_found_and_can_be_named(tmp_path):
    for text in ("Stage;A, early;B\nCustomer;x, y;z\n", "Stage,A; early,B\nCustomer,\"x; y\",z\n",
                 "Stage\tA, early; late\tB\nCustomer\tx\ty\n"):
        assert len(blueprint_of(text).steps) == 2
    (tmp_path / "tie.txt").write_text("Customer;a,b;c\n", encoding="utf-8")
    assert '"a,b"' in run("tie.txt", cwd=tmp_path)[1]  # a tie goes to the semicolon
    (tmp_path / "grid.txt").write_text("Customer,a;b,c;d\n", encoding="utf-8")
    code, _, said = run("grid.txt", cwd=tmp_path)
    assert code == 1 and "no row is titled 'Customer,a'" in said
    code, text, _ = run("grid.txt", "--separator", "comma", cwd=tmp_path)
    assert code == 0 and '"a;b"' in text and '"c;d"' in text
    for name in ("commas.txt", "commas.tsv"):  # by the suffix, not the count
        (tmp_path / name).write_text("Customer\tx, y, z; w\n", encoding="utf-8")
    assert run("commas.txt", cwd=tmp_path)[0] == 1
    assert '"x, y, z; w"' in run("commas.tsv", cwd=tmp_path)[1]


def test_a_file_is_read_to_so_many_cells(tmp_path, monkeypatch):
    """Counted as they are read, each row to its last separator: a file of 32 MiB of commas
    would be 32 million cells, and gigabytes of memory, before the rows are looked at."""
    monkeypatch.setattr("blueprint_dsl.spreadsheet.MAX_CELLS", 10)
    (tmp_path / "wide.csv").write_text("Customer" + "," * 10 + "Orders\n", encoding="utf-8")
    code, _, said = run("wide.csv", cwd=tmp_path)
    assert code == 1 and said.startswith("wide.csv:1:1: error: the sheet has over 10 cells, more than a blueprint "
                                         "has\n")
    (tmp_path / "rows.csv").write_text("Customer,a,b\n,c\n,,,\n,\n", encoding="utf-8")
    code, _, said = run("rows.csv", cwd=tmp_path)
    assert code == 1 and said.startswith("rows.csv:4:1: error: the sheet has over 10 cells by this row, more than "
                                         "a blueprint has\n")
    assert "= hint: export only the blueprint's rows and columns\n" in said
    (tmp_path / "ten.csv").write_text("Customer,a,b\n,c\n,,,\n", encoding="utf-8")
    assert run("ten.csv", cwd=tmp_path)[0] == 0


def test_quoted_cells_over_lines_and_positions_after_them():
    text = 'Customer,"one\n""two"", three\n\nfour",five\nBackstge,x\n'
    with pytest.raises(SpreadsheetError) as raised:
        imported(text)
    [problem] = raised.value.problems
    assert (problem.span.line, problem.span.column, problem.message) == (5, 1, "no row is titled 'Backstge'")
    assert problem.hint.startswith("did you mean 'Backstage'?")
    blueprint = blueprint_of(text.replace("Backstge", "Backstage"))
    assert [a.text for a in blueprint.actions()] == ['one', '"two", three', 'four', "x", "five"]


def test_several_unknown_rows_are_reported_at_once():
    with pytest.raises(SpreadsheetError) as raised:
        imported("Customer,a\nPain points,b\nIdeas,c\nStage,d\nStage,e\n")
    assert [(p.span.line, p.message) for p in raised.value.problems] == [
        (2, "no row is titled 'Pain points'"), (3, "no row is titled 'Ideas'"),
        (5, "a second stage row: the first is on line 4")]


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


def test_written_to_a_new_file_never_over_one_and_says_what_check_finds(tmp_path):
    source = CASES / "hotel-template.csv"
    (tmp_path / "hotel.csv").write_bytes(source.read_bytes())
    code, text, said = run("hotel.csv", "-o", "blueprints/hotel", cwd=tmp_path)
    assert (code, text) == (0, "")
    written = tmp_path / "blueprints" / "hotel.svc"
    assert written.read_text(encoding="utf-8") == (CASES / "hotel-template.svc").read_text(encoding="utf-8").replace(
        'blueprint "Hotel template"', 'blueprint "Hotel"')
    assert "wrote blueprints/hotel.svc: 3 stages, 5 steps, 17 actions of 8 actors, and no flows" in said
    # The figures are those `blueprint check` gives the file.
    checked = CliRunner().invoke(main, ["check", str(written)])
    errors, warnings = re.search(r"(\d+) errors?, (\d+) warnings?", checked.stdout).groups()
    assert f"check finds {errors} errors and {warnings} warnings (7 orphan-behind-the-line, " in said
    assert "`blueprint check blueprints/hotel.svc`" in said
    code, _, said = run("hotel.csv", "-o", "blueprints/hotel.svc", "--title", "Other", cwd=tmp_path)
    assert code == 2 and "blueprints/hotel.svc exists, and import never writes over a file" in said
    assert 'blueprint "Hotel"' in written.read_text(encoding="utf-8")
    code, _, said = run("hotel.csv", "-o", "hotel.csv", cwd=tmp_path)  # written to hotel.csv.svc: a blueprint's name
    assert code == 0 and (tmp_path / "hotel.csv").read_bytes() == source.read_bytes()
    assert 'blueprint "Hotel"' in (tmp_path / "hotel.csv.svc").read_text(encoding="utf-8")


def test_standard_input_with_a_byte_order_mark_and_crlf(tmp_path):
    data = "\ufeffStage,Order\r\nCustomer,\"Orders\r\nPays\"\r\n".encode("utf-8")
    code, text, said = run("-", "--title", "Till", cwd=tmp_path, stdin=data)
    assert code == 0
    assert [a.text for a in loads(text).blueprint.actions()] == ["Orders", "Pays"]
    assert 'blueprint "Till"' in text and said.startswith("imported <stdin>: 1 stage, 1 step, 2 actions of 1 actor")
    assert run("-", "-o", "till", cwd=tmp_path, stdin=data)[0] == 0
    assert loads((tmp_path / "till.svc").read_text(encoding="utf-8")).blueprint.title == "Till"
    code, _, said = run("-", cwd=tmp_path, stdin=b"Customer,caf\xe9\n")
    assert code == 1 and said.startswith("<stdin>:1:13: error: byte 0xe9 at offset 12 is not valid UTF-8\n")


def test_a_real_process_prints_no_traceback(tmp_path):
    (tmp_path / "bad.csv").write_bytes(b"Customer,x\nBackstge,y\n")
    done = subprocess.run([sys.executable, "-m", "blueprint_dsl", "import", "bad.csv"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("bad.csv:2:1: error: no row is titled 'Backstge'\n")


def test_the_documentation_s_example_is_what_import_gives(tmp_path):
    """docs/import.md: its sheet, the blueprint and the messages shown under it, and its misspelt row's error."""
    page = (Path(__file__).parents[1] / "docs" / "import.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```(\w*)\n(.*?)^```$", page, re.MULTILINE | re.DOTALL)
    (_, sheet), (_, blueprint), (_, summary), (_, misspelt) = blocks[1:5]
    (tmp_path / "coffee.csv").write_text(sheet, encoding="utf-8")
    code, text, said = run("coffee.csv", "--title", "Coffee to go", cwd=tmp_path)
    assert (code, text, said) == (0, blueprint, summary)
    (tmp_path / "coffee.csv").write_text(sheet.replace("\nBackstage,", "\nBackstge,"), encoding="utf-8")
    code, text, said = run("coffee.csv", cwd=tmp_path)
    assert (code, said) == (1, misspelt)


def test_a_file_name_utf8_cannot_read_gives_a_title_that_can_be_written(tmp_path):
    """caf\\xe9.csv, a Latin-1 name: its byte was written into the title and the file, and
    the command ended in a traceback."""
    (tmp_path / "caf\udce9.csv").write_text("Customer actions,Orders\n", encoding="utf-8")
    code, text, said = run("caf\udce9.csv", cwd=tmp_path)
    assert code == 0, said
    assert loads(text).blueprint.title == "Caf\ufffd"
