"""``blueprint import`` of an Excel workbook (.xlsx): its sheet read as the sheet's CSV export is.

The workbooks are made here with openpyxl. The strongest check: every golden sheet of
tests/import/, written into a workbook cell by cell (its stage cells merged over the
steps they run over, its row titles over the rows they continue), gives the golden
blueprint byte for byte.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.chart import BarChart

from blueprint_dsl import loads
from blueprint_dsl.spreadsheet import cell_name, separator_of
from tests.hostile_strings import HOSTILE
from tests.test_import import GOOD, quoted_csv, run

ROOT = Path(__file__).parents[1]


def workbook(path: Path, sheets: dict[str, list[list[object]]], *, merged: tuple[str, ...] = (),
             formats: dict[str, str] | None = None, active: int = 0, hidden: tuple[str, ...] = ()) -> Path:
    """A workbook at ``path`` of ``sheets``, by name, each its rows of values (None: no cell); in the
    first sheet, the ``merged`` ranges and the number ``formats`` of cells; ``active`` the sheet Excel
    opens on, the ``hidden`` ones hidden."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for rows_number, row in enumerate(rows, start=1):
            for column, value in enumerate(row, start=1):
                if value is not None:
                    sheet.cell(rows_number, column, value)
        sheet.sheet_state = "hidden" if name in hidden else "visible"
    first = book.worksheets[0]
    for cells in merged:
        first.merge_cells(cells)
    for cell, number_format in (formats or {}).items():
        first[cell].number_format = number_format
    book.active = active
    book.save(path)
    return path


def edited(path: Path, part: str, edit) -> Path:
    """The workbook at ``path`` with its ``part`` (``xl/worksheets/sheet1.xml``) changed by ``edit``, bytes to bytes."""
    with zipfile.ZipFile(path) as old:
        parts = {info.filename: old.read(info.filename) for info in old.infolist()}
    parts[part] = edit(parts[part])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for name, data in parts.items():
            new.writestr(name, data)
    return path


def excel_like(path: Path) -> Path:
    """The workbook at ``path`` with its first sheet's texts in a table of shared strings, as Excel
    writes them (openpyxl writes each in its cell)."""
    texts: list[bytes] = []

    def shared(xml: bytes) -> bytes:
        def index(cell: re.Match) -> bytes:
            texts.append(cell[2])
            return cell[1] + b' t="s"><v>' + str(len(texts) - 1).encode() + b"</v></c>"
        inline = rb'(<c r="[A-Z]+[0-9]+"(?: s="[0-9]+")?) t="inlineStr"><is>(<t[^>]*>.*?</t>)</is></c>'
        return re.sub(inline, index, xml, flags=re.DOTALL)

    edited(path, _SHEET1, shared)
    table = b"".join(b"<si>" + text + b"</si>" for text in texts)
    with zipfile.ZipFile(path, "a") as book:
        book.writestr("xl/sharedStrings.xml", b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                                              b'count="%d">%s</sst>' % (len(texts), table))
    return edited(path, "[Content_Types].xml", lambda xml: xml.replace(b"</Types>", (
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        b'spreadsheetml.sharedStrings+xml"/></Types>')))


def _xml_safe(text: str) -> str:
    """``text`` as a workbook's XML holds it: a control character XML cannot, and a CR, as ``_xHHHH_``."""
    return re.sub("[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff]", lambda m: f"_x{ord(m[0]):04X}_", text)


def grid_of(case: Path) -> list[list[str]]:
    text = case.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    return list(csv.reader(io.StringIO(text), delimiter=separator_of(text, case.name)))


def merges(grid: list[list[str]]) -> tuple[str, ...]:
    """Where a sheet merges cells that its CSV export writes as one with text and empty ones after
    it: a stage over the empty cells after it, a row's title over the rows below it without one."""
    width = max(len(row) for row in grid)
    ranges = []
    for number, row in enumerate(grid, start=1):
        if row and re.fullmatch(r"(?i)stages?|phases?", row[0].strip()):
            starts = [column for column in range(1, len(row)) if row[column].strip()]
            for start, end in zip(starts, [*starts[1:], width]):
                if end - start > 1:
                    ranges.append(f"{cell_name('S', number, start + 1)[2:]}:{cell_name('S', number, end)[2:]}")
        below = number
        while (below < len(grid) and grid[below] and not grid[below][0].strip()
               and any(cell.strip() for cell in grid[below])):
            below += 1
        if row and row[0].strip() and below > number:
            ranges.append(f"A{number}:A{below}")
    return tuple(ranges)


@pytest.mark.parametrize("shared", [False, True], ids=["texts-in-cells", "shared-texts"])
@pytest.mark.parametrize("case", GOOD, ids=lambda p: p.name)
def test_each_golden_sheet_as_a_workbook_gives_the_golden_blueprint(case: Path, shared: bool, tmp_path: Path):
    """Cell by cell, its integers as numbers, its merged cells merged, its texts in the cells (as
    openpyxl writes them) or in a table (as Excel does): the same bytes as from the CSV or TSV,
    on both runs."""
    grid = grid_of(case)
    values = [[int(cell) if re.fullmatch(r"-?[1-9][0-9]{0,14}", cell) else _xml_safe(cell) or None for cell in row]
              for row in grid]
    ranges = merges(grid)
    if case.name == "hotel-template.csv":
        assert ranges == ("B2:C2", "D2:E2", "F2:G2", "A7:A8")  # a stage over two steps, a merged row title
    book = workbook(tmp_path / f"{case.stem}.xlsx", {"Blueprint": values}, merged=ranges)
    if shared:
        excel_like(book)
        assert b' t="s"><v>' in zipfile.ZipFile(book).read(_SHEET1)
    code, text, said = run(f"{case.stem}.xlsx", cwd=tmp_path)
    assert code == 0, said
    assert text == case.with_suffix(".svc").read_text(encoding="utf-8")
    assert run(f"{case.stem}.xlsx", cwd=tmp_path)[1] == text


def test_the_active_sheet_is_read_and_the_others_named(tmp_path: Path):
    sheets = {"Notes": [["Ideas", "x"]], "Blueprint": [["Customer", "Orders"]], "Old": [["Customer", "Waits"]],
              "Coffee shop": [["Customer", "Pays"]]}
    workbook(tmp_path / "cafe.xlsx", sheets, active=1, hidden=("Old",))
    code, text, said = run("cafe.xlsx", cwd=tmp_path)
    assert code == 0 and '"Orders"' in text
    assert said.splitlines()[0] == ("cafe.xlsx: read the active sheet, 'Blueprint'; to read another, name it with "
                                    "--sheet: 'Notes', 'Old' (hidden), 'Coffee shop'")
    for name, action in (("Old", "Waits"), ("coffee SHOP", "Pays")):
        code, text, said = run("cafe.xlsx", "--sheet", name, cwd=tmp_path)
        assert code == 0 and f'"{action}"' in text and "read the active sheet" not in said
    code, _, said = run("cafe.xlsx", "--sheet", "Blueprnt", cwd=tmp_path)
    assert code == 2 and ("no sheet named 'Blueprnt' in cafe.xlsx: its sheets are 'Notes', 'Blueprint', 'Old', "
                          "'Coffee shop'") in said
    code, _, said = run("cafe.xlsx", "--sheet", "Notes", cwd=tmp_path)
    assert code == 1 and said.startswith("cafe.xlsx:Notes!A1: error: no row is titled 'Ideas'\n   = hint: ")
    workbook(tmp_path / "one.xlsm", {"Sheet": [["Customer", "Orders"]]})
    code, text, said = run("one.xlsm", cwd=tmp_path)
    assert code == 0 and '"Orders"' in text and "read the active sheet" not in said
    workbook(tmp_path / "many.xlsx", {f"S{n}": [["Customer", "Orders"]] for n in range(13)})
    assert run("many.xlsx", cwd=tmp_path)[2].splitlines()[0] == (
        "many.xlsx: read the active sheet, 'S0'; to read another, name it with --sheet: 'S1', 'S2', 'S3', 'S4', "
        "'S5', 'S6', 'S7', 'S8', 'S9', 'S10' and 2 more")
    (tmp_path / "export.xls").write_text("Customer,Orders\n", encoding="utf-8")  # CSV text, as some exports name it
    assert '"Orders"' in run("export.xls", cwd=tmp_path)[1]
    (tmp_path / "grid.csv").write_text("Customer,Orders\n", encoding="utf-8")
    code, _, said = run("grid.csv", "--sheet", "Sheet", cwd=tmp_path)
    assert code == 2 and "grid.csv is CSV or TSV text, one sheet: --sheet is for a workbook (.xlsx)" in said
    code, _, said = run("one.xlsm", "--separator", "comma", cwd=tmp_path)
    assert code == 2 and "--separator is for CSV or TSV text" in said


def test_an_empty_sheet_names_the_workbook_s_others(tmp_path: Path):
    """The hint said to name another sheet with --sheet, and not which there are."""
    workbook(tmp_path / "two.xlsx", {"Empty": [[None]], "Real": [["Customer", "x"]], "Old": [["Customer", "y"]]},
             hidden=("Old",))
    code, _, said = run("two.xlsx", cwd=tmp_path)
    assert (code, said) == (1, "two.xlsx:Empty!A1: error: the sheet 'Empty' is empty\n   = hint: write the blueprint's "
                               "rows in it, or name the sheet that holds them with --sheet: 'Real', 'Old' (hidden)\n"
                               "two.xlsx: not imported\n")
    workbook(tmp_path / "one.xlsx", {"Empty": [[None]]})
    assert "--sheet" not in run("one.xlsx", cwd=tmp_path)[2]


def test_hidden_rows_and_columns_are_read_as_the_export_writes_them(tmp_path: Path):
    book = workbook(tmp_path / "hidden.xlsx", {"Blueprint": [["Customer", "Orders", "Pays"], ["Frontstage", "Greets"]]})
    loaded = openpyxl.load_workbook(book)
    loaded.active.row_dimensions[2].hidden = True
    loaded.active.column_dimensions["C"].hidden = True
    loaded.save(book)
    assert b'hidden="1"' in zipfile.ZipFile(book).read(_SHEET1)
    code, text, said = run("hidden.xlsx", cwd=tmp_path)
    assert code == 0, said
    assert [a.text for a in loads(text).blueprint.actions()] == ["Orders", "Greets", "Pays"]


def test_a_grid_that_starts_in_c4_is_read_from_there(tmp_path: Path):
    """The error was that row 4 had no title, at A4: the title is in C4."""
    rows = [[], [], [], [None, None, "Stage", "Order"], [], [None, None, "Customer actions", "Orders"]]
    workbook(tmp_path / "offset.xlsx", {"S": [*rows, [None, None, "Backstge", "x"]]})
    code, _, said = run("offset.xlsx", cwd=tmp_path)
    assert code == 1 and said.startswith("offset.xlsx:S!C7: error: no row is titled 'Backstge'\n")
    workbook(tmp_path / "offset.xlsx", {"S": rows})
    code, text, said = run("offset.xlsx", cwd=tmp_path)
    assert code == 0, said
    assert [(stage.name, [a.text for a in stage.steps[0].actions]) for stage in loads(text).blueprint.stages] == [
        ("Order", ["Orders"])]


def test_problems_name_the_cell_as_the_sheet_does(tmp_path: Path):
    rows = [["Stage", "Order"], ["Customer", "Orders"], ["Backstge", "Cooks"], ["Emotions", "Annoyed"],
            ["Feelings", "Pleased"], ["Stage", "Pay"]]
    workbook(tmp_path / "grid.xlsx", {"Coffee shop": rows})
    code, text, said = run("grid.xlsx", cwd=tmp_path)
    assert (code, text) == (1, "")
    assert said.splitlines()[0] == "grid.xlsx:'Coffee shop'!A3: error: no row is titled 'Backstge'"
    assert said.splitlines()[1].startswith("   = hint: did you mean 'Backstage'?")
    assert "grid.xlsx:'Coffee shop'!A6: error: a second stage row: the first is in row 1\n" in said
    assert said.endswith("grid.xlsx: not imported\n")
    workbook(tmp_path / "grid.xlsx", {"Blueprint": rows[:2] + rows[3:5]})
    code, _, said = run("grid.xlsx", cwd=tmp_path)
    assert code == 0
    assert "grid.xlsx:Blueprint!B4: warning: this column has an emotion already, in row 3: left out\n" in said
    assert [cell_name(*place) for place in (("Sheet1", 4, 2), ("S", 1, 27), ("S", 9, 16384), ("Bob's", 1, 1),
                                            ("AB12", 2, 52), ("2024", 1, 1))] == [
        "Sheet1!B4", "S!AA1", "S!XFD9", "'Bob''s'!A1", "'AB12'!AZ2", "'2024'!A1"]


def test_a_workbook_on_standard_input_is_told_by_its_first_bytes(tmp_path: Path):
    data = workbook(tmp_path / "grid.xlsx", {"Sheet": [["Customer", "Orders"]]}).read_bytes()
    code, text, said = run("-", "-o", "cafe", cwd=tmp_path, stdin=data)
    assert (code, text) == (0, ""), said
    assert loads((tmp_path / "cafe.svc").read_text(encoding="utf-8")).blueprint.title == "Cafe"
    (tmp_path / "grid.txt").write_bytes(data)  # a file, whatever its name
    assert '"Orders"' in run("grid.txt", cwd=tmp_path)[1]


def _zip(**parts: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name.replace("__", "/"), data)
    return out.getvalue()


_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
_SHEET1 = "xl/worksheets/sheet1.xml"


@pytest.mark.parametrize("name, make, said", [
    ("text.xlsx", lambda path: path.write_bytes(b"Customer,Orders\n"),
     "'text.xlsx' is no workbook: an .xlsx file is a zip, and this is none"),
    ("notes.xlsx", lambda path: path.write_bytes(_zip(notes__readme_txt=b"hello")),
     "'notes.xlsx' is a zip, but no Excel workbook: There is no item named '[Content_Types].xml' in the archive"),
    ("old.xls", lambda path: path.write_bytes(_OLE2 + "Workbook".encode("utf-16-le")),
     "'old.xls' is an Excel 97-2003 workbook (.xls), which import cannot read"),
    ("secret.xlsx", lambda path: path.write_bytes(_OLE2 + "EncryptedPackage".encode("utf-16-le")),
     "'secret.xlsx' is encrypted: a password protects it"),
    ("cut.xlsx", lambda path: path.write_bytes(workbook(path, {"S": [["Customer", "x"]]}).read_bytes()[:3000]),
     "'cut.xlsx' is a damaged zip: File is not a zip file"),
    ("xml.xlsx", lambda path: edited(workbook(path, {"S": [["Customer", "x"]]}), _SHEET1, lambda xml: xml[:-20]),
     "'xml.xlsx' is a damaged workbook: its XML does not parse ("),
    ("bomb.xlsx", lambda path: path.write_bytes(_zip(xl__big_xml=bytes(65 * 1024 * 1024))),
     "'bomb.xlsx' unzips to 65 MiB, over the 64 MiB a workbook may"),
    ("styles.xlsx", lambda path: edited(workbook(path, {"S": [["Customer", "x"]]}), _SHEET1,
                                        lambda xml: xml.replace(b'<c r="B1"', b'<c r="B1" s="99"')),
     "'styles.xlsx' is a damaged workbook: openpyxl cannot read it (list index out of range)"),
    ("empty.xlsx", lambda path: workbook(path, {"Blueprint": [[None]]}),
     "empty.xlsx:Blueprint!A1: error: the sheet 'Blueprint' is empty"),
    ("dashes.xlsx", lambda path: workbook(path, {"Blueprint": [["", "-", " "]]}),
     "dashes.xlsx:Blueprint!A1: error: the sheet 'Blueprint' is empty"),
])
def test_what_is_no_workbook_of_a_blueprint_is_refused_naming_the_file(tmp_path: Path, name: str, make, said: str):
    make(tmp_path / name)
    code, text, message = run(name, cwd=tmp_path)
    assert (code, text) == (1, "")
    headline = message.splitlines()[0]
    assert headline.startswith(said if said.startswith(name) else f"{name}:1:1: error: {said}"), message
    assert message.endswith(f"{name}: not imported\n") and len(message.splitlines()) == 3


def test_a_chart_sheet_has_no_cells(tmp_path: Path):
    book = openpyxl.Workbook()
    book.active.append(["Customer", "Orders"])
    book.create_chartsheet("Chart").add_chart(BarChart())
    book.save(tmp_path / "chart.xlsx")
    code, _, said = run("chart.xlsx", "--sheet", "Chart", cwd=tmp_path)
    assert code == 1 and said.startswith("chart.xlsx:1:1: error: the sheet 'Chart' is a chart, with no cells\n")


def test_a_sheet_is_read_to_so_many_cells_and_a_workbook_to_so_many_texts(tmp_path: Path, monkeypatch):
    """The cells in the sheet's XML, counted before openpyxl reads a row (a row of millions would
    take it gigabytes); each row counted to its last cell, at the row that passes the bound; the
    texts of the table, which openpyxl reads whole. The empty rows before a far cell cost nothing."""
    monkeypatch.setattr("blueprint_dsl.workbook.MAX_CELLS", 80)
    workbook(tmp_path / "many.xlsx", {"Blueprint": [["Customer", *(f"step {n}" for n in range(80))]],
                                      "Small": [["Customer", "Orders"]]})
    code, _, said = run("many.xlsx", cwd=tmp_path)
    assert code == 1 and said.startswith("many.xlsx:Blueprint!A1: error: the sheet has over 80 cells, more than a "
                                         "blueprint has\n")
    assert run("many.xlsx", "--sheet", "Small", cwd=tmp_path)[0] == 0
    rows = [["Customer", *([None] * 44), "Orders"], [None, "x"], ["Support", *([None] * 44), "Pays"]]
    workbook(tmp_path / "wide.xlsx", {"Blueprint": rows})
    code, _, said = run("wide.xlsx", cwd=tmp_path)
    assert code == 1 and said.startswith("wide.xlsx:Blueprint!A3: error: the sheet has over 80 cells by this row, "
                                         "more than a blueprint has\n")
    monkeypatch.setattr("blueprint_dsl.workbook.MAX_TEXTS", 3)
    excel_like(workbook(tmp_path / "texts.xlsx", {"Blueprint": [["Customer", "Orders", "Waits", "Pays"]]}))
    code, _, said = run("texts.xlsx", cwd=tmp_path)
    assert code == 1 and said.startswith("texts.xlsx:1:1: error: 'texts.xlsx' holds over 3 texts, more than a "
                                         "workbook of a blueprint has\n")
    monkeypatch.undo()
    book = workbook(tmp_path / "far.xlsx", {"Blueprint": [["Customer", "Orders"]]})
    loaded = openpyxl.load_workbook(book)
    loaded.active["XFD1048576"] = "Pays"
    loaded.save(book)
    code, text, said = run("far.xlsx", cwd=tmp_path)
    assert code == 0, said
    assert [a.text for a in loads(text).blueprint.actions()] == ["Orders", "Pays"]


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_any_text_in_a_cell_gives_what_the_same_text_exported_gives(name: str, tmp_path: Path):
    """Quotes, controls (as the XML escapes them: ``_x001B_``), bidi, 5,000 characters: the same blueprint
    as from the sheet's CSV export."""
    hostile = HOSTILE[name]
    rows = [[title, hostile, "Orders" if title.startswith("Customer") else f"Barista: {hostile}"]
            for title in ("Stage", "Step", "Physical evidence", "Customer actions", "Frontstage", "Support processes",
                          "Metrics")]
    (tmp_path / "grid.csv").write_bytes(quoted_csv(rows).encode("utf-8"))
    workbook(tmp_path / "grid.xlsx", {"S": [[_xml_safe(cell) or None for cell in row] for row in rows]})
    code, text, said = run("grid.xlsx", "--title", "T", cwd=tmp_path)
    assert code == 0, said
    assert text == run("grid.csv", "--title", "T", cwd=tmp_path)[1]


def test_a_long_cell_and_nul_characters_read_back_as_written(tmp_path: Path):
    long = "Takes the order " * 2000  # Excel's cells hold 32,767 characters at most
    workbook(tmp_path / "grid.xlsx", {"S": [["Customer", long.strip(), "a_x0000_b_x001B_c_x000D_\nd"]]})
    code, text, said = run("grid.xlsx", cwd=tmp_path)
    assert code == 0, said
    actions = list(loads(text).blueprint.actions())
    assert [a.text for a in actions] == [long.strip(), "a\x00b\x1bc", "d"]
    assert actions[0].id == "takes_the_order_takes"


def test_a_real_process_prints_no_traceback_and_check_never_loads_openpyxl(tmp_path: Path):
    edited(workbook(tmp_path / "bad.xlsx", {"S": [["Customer", "x"]]}), _SHEET1, lambda xml: xml[:-20])
    done = subprocess.run([sys.executable, "-m", "blueprint_dsl", "import", "bad.xlsx"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("bad.xlsx:1:1: error: 'bad.xlsx' is a damaged workbook: its XML does not parse")
    (tmp_path / "grid.csv").write_text("Customer,Orders\n", encoding="utf-8")
    for command in (["check", str(ROOT / "examples" / "coffee.svc")], ["import", "grid.csv"]):
        done = subprocess.run([sys.executable, "-X", "importtime", "-m", "blueprint_dsl", *command], cwd=tmp_path,
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0 and "blueprint_dsl.cli" in done.stderr, done.stderr
        assert "openpyxl" not in done.stderr


def test_the_documentation_s_workbook_example_is_what_import_gives(tmp_path: Path):
    """docs/import.md: its sheet as a workbook gives its blueprint; misspelt, what its workbook section shows."""
    page = (ROOT / "docs" / "import.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```(\w*)\n(.*?)^```$", page, re.MULTILINE | re.DOTALL)
    (_, sheet), (_, blueprint) = blocks[1:3]
    [misspelt] = [block for _, block in blocks if block.startswith("coffee.xlsx:")]
    rows = [[cell or None for cell in row] for row in csv.reader(io.StringIO(sheet))]
    workbook(tmp_path / "coffee.xlsx", {"Blueprint": rows}, merged=("B1:C1",))
    code, text, _ = run("coffee.xlsx", "--title", "Coffee to go", cwd=tmp_path)
    assert (code, text) == (0, blueprint)
    rows[10][0] = "Backstge"
    workbook(tmp_path / "coffee.xlsx", {"Blueprint": rows})
    assert run("coffee.xlsx", cwd=tmp_path)[::2] == (1, misspelt)
