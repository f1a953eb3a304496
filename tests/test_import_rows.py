"""``blueprint import``: how a spreadsheet's text is read into rows: their titles, the rows
without one, the header rows, the separator, quoting and the bound on cells."""

from __future__ import annotations

import pytest

from blueprint_dsl import loads
from blueprint_dsl.check import check
from blueprint_dsl.spreadsheet import RowKind, SpreadsheetError, read_rows
from tests.test_import import blueprint_of, imported, run


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
    # Bitner, Ostrom & Morgan's template (California Management Review, 2008): they were unknown titles.
    ("Onstage/Visible Contact Employee Actions", RowKind.FRONTSTAGE), ("Visible contact employee", RowKind.FRONTSTAGE),
    ("Backstage/Invisible Contact Employee Actions", RowKind.BACKSTAGE),
    ("Invisible Contact Employee actions", RowKind.BACKSTAGE),
])
def test_row_titles_are_read_forgivingly(title: str, kind: RowKind):
    rows = read_rows(f'"{title}",x\nCustomer,y\n', "grid.csv")
    assert rows[0].kind is kind


@pytest.mark.parametrize("title", ["Line of interaction", "line of visibility", "Line of internal interaction",
                                   "Visibility line", "LINES", "# Opportunities", "#", "Line of implementation",
                                   "Order penetration line", "Line of customer interaction"])
def test_the_lines_of_the_method_and_rows_titled_with_a_hash_are_passed_over(title: str):
    rows = read_rows(f"Customer,Orders\n{title},----\n", "grid.csv")
    assert [row.kind for row in rows] == [RowKind.CUSTOMER]


@pytest.mark.parametrize("title", ["Time line", "Waiting line", "Line of sight", "Punch line"])
def test_a_title_ending_in_line_that_is_no_line_of_the_method_is_unknown(title: str):
    """Any title ending in 'line' or starting with 'Line of' was passed over, its row silently dropped."""
    with pytest.raises(SpreadsheetError) as raised:
        read_rows(f"Customer,Orders\n{title},Waits 5 minutes\n", "grid.csv")
    assert [(p.span.line, p.message) for p in raised.value.problems] == [(2, f"no row is titled '{title}'")]


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
    for name in ("commas.txt", "commas.tsv"):  # by the suffix, not the count (commas on more lines)
        (tmp_path / name).write_text("Coffee, to go\nCustomer\tx, y, z; w\n", encoding="utf-8")
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


def test_a_tie_of_lines_goes_to_tab_then_semicolon_and_a_title_holding_another_separator_hints_at_it(tmp_path):
    """As the docs say: on as many lines, a semicolon wins over commas, however many commas the text
    holds (they decided); a title holding a separator other than the one found says how to name it."""
    grid = ("Customer actions;Looks at the menu, chooses, orders;Pays, waits\n"
            "Frontstage;Barista: greets, takes the order;Barista: calls the name, hands over\n")
    assert [a.text for a in blueprint_of(grid).actions()] == [
        "Looks at the menu, chooses, orders", "greets, takes the order", "Pays, waits", "calls the name, hands over"]
    assert len(blueprint_of("Customer\ta;b\tc\nSupport\ta;b\tc;d\n").steps) == 2  # tab, on as many lines
    with pytest.raises(SpreadsheetError) as raised:
        imported("Customer,a;b,c;d\nSupport;x;y\n", separator=";")
    [problem] = raised.value.problems
    assert problem.message == "no row is titled 'Customer,a'"
    assert problem.hint.startswith("the title holds a comma: if commas separate the cells, name it with "
                                   "--separator comma. Did you mean 'Customer actions'? The rows are Stage, Step,")
    with pytest.raises(SpreadsheetError) as raised:
        imported("Customer actions\tOrders\nBackstge\tCooks\n", separator="\t")
    assert raised.value.problems[0].hint.startswith("did you mean 'Backstage'?")  # no other separator in it
    (tmp_path / "grid.csv").write_text("Step,Order,Pay\nCustomer actions;Orders,Pays\n", encoding="utf-8")
    code, _, said = run("grid.csv", cwd=tmp_path)
    assert code == 1 and "= hint: the title holds a semicolon: if semicolons separate the cells, name it with " \
                         "--separator semicolon. Did you mean 'Customer actions'? The rows are" in said


def test_rows_read_as_one_cell_holding_another_separator_hint_at_it(tmp_path):
    """A separator named or found wrongly leaves each row one cell: titles over nothing, and so no
    customer row, said at the first such row with the separator it holds."""
    (tmp_path / "grid.csv").write_text("Customer actions;Orders;Pays\nFrontstage;Greets;Serves\n", encoding="utf-8")
    code, _, said = run("grid.csv", "--separator", "tab", cwd=tmp_path)
    assert code == 1 and said.startswith("grid.csv:1:1: error: no row of customer actions: a blueprint is built on "
                                         "them\n")
    assert "= hint: this row was read as one cell, and it holds a semicolon: if semicolons separate the cells, " \
           "name it with --separator semicolon\n" in said
    with pytest.raises(SpreadsheetError) as raised:
        imported("Title of the sheet\nFrontstage\tGreets\n", separator="\t")
    assert raised.value.problems[0].hint.startswith("add a row titled 'Customer actions'")  # no other separator


def test_a_grid_that_starts_after_the_first_column_is_read_from_its_first_column_with_text():
    """Columns empty in every row before the titles are no part of the grid: the error was that
    the first row had no title, at column 1. Problems still name their own column."""
    blueprint = blueprint_of(",,\n,,Stage,Order,Pay\n,,,,\n,,Customer actions,Orders,Pays\n,,,Waits\n")
    assert [(stage.name, [[a.text for a in step.actions] for step in stage.steps]) for stage in blueprint.stages] == [
        ("Order", [["Orders", "Waits"]]), ("Pay", [["Pays"]])]
    with pytest.raises(SpreadsheetError) as raised:
        imported(",Customer,Orders\n,Backstge,x\n")
    assert [(p.span.line, p.span.column, p.message) for p in raised.value.problems] == [
        (2, 2, "no row is titled 'Backstge'")]
    with pytest.raises(SpreadsheetError) as raised:  # text in the first column of a row: the grid starts there
        imported("Notes,,\n,Customer,Orders\n")
    assert [(p.span.line, p.span.column) for p in raised.value.problems] == [(2, 1)]
