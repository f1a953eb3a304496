"""``blueprint import`` of a workbook: what its cells show, which is what its CSV export
writes: numbers, dates and times as their number format shows them in Excel
(blueprint_dsl/number_formats.py), and the value a formula was saved with."""

from __future__ import annotations

import csv
import datetime
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from blueprint_dsl import loads
from blueprint_dsl.number_formats import shown
from tests.test_import import run
from tests.test_import_workbook import _SHEET1, edited, workbook

MAY_DAY = datetime.datetime(2024, 5, 1)
#: A value, its cell's number format, and what Excel shows.
SHOWN = [
    # Rounded half away from zero, at 15 significant digits: Python's own formatting rounds half to even.
    (2.5, "0", "3"), (-2.5, "0", "-3"), (0.125, "0.00", "0.13"), (1.005, "0.00", "1.01"), (3.0, "0", "3"),
    (2.5, "0.00", "2.50"), (1234.5, "#,##0", "1,235"), (1234567.891, "#,##0.00", "1,234,567.89"),
    (0.125, "0%", "13%"), (0.125, "0.0%", "12.5%"), (0.1 + 0.2, "General", "0.3"), (1e20, "General", "1E+20"),
    (0.5, "#.00", ".50"), (2, "0.##", "2."), (2.25, "0.##", "2.25"), (7, "00", "07"), (1500000, "#,##0,", "1,500"),
    # Sections for positive, negative and zero; currencies and text in quotes; colours and spacing passed over.
    (1234.5, '"$"#,##0.00_);("$"#,##0.00)', "$1,234.50"), (-1234.5, '"$"#,##0.00_);[Red]("$"#,##0.00)', "($1,234.50)"),
    (-1234.5, "#,##0;-#,##0", "-1,235"), (0, '0;-0;"none"', "none"), (1234.5, "[$€-407] #,##0.00", "€ 1,234.50"),
    (12345, "0.00E+00", "1.23E+04"), (0.00012345, "0.00E+00", "1.23E-04"), (9.999, "0.00E+00", "1.00E+01"),
    (12345, "##0.0E+0", "12.3E+3"),
    # Not read: the General format's digits.
    (0.5, "# ?/?", "0.5"), (1234, "000-0000", "1234"), (150, "[>100]0;0", "150"),
    # Times and durations.
    (datetime.time(0, 5, 30), "mm:ss", "05:30"), (datetime.timedelta(minutes=75, seconds=30), "[mm]:ss", "75:30"),
    (datetime.timedelta(minutes=75, seconds=30), "[h]:mm:ss", "1:15:30"),
    (datetime.timedelta(hours=26, minutes=5), "[h]:mm", "26:05"), (datetime.time(14, 5), "h:mm AM/PM", "2:05 PM"),
    (datetime.time(0, 5), "h:mm AM/PM", "12:05 AM"), (datetime.time(14, 5), "hh:mm a/p", "02:05 p"),
    (datetime.time(9, 30, 59), "h:mm", "9:30"), (datetime.time(9, 30, 59, 600000), "h:mm:ss", "9:31:00"),
    (datetime.time(9, 30, 59, 640000), "mm:ss.0", "30:59.6"), (datetime.time(9, 5), "[Red]h\\hmm", "9h05"),
    # Dates: the codes as written; Excel's default date and date and time, which show as the computer says, ISO.
    (MAY_DAY, "dd/mm/yyyy", "01/05/2024"), (MAY_DAY, "m/d/yyyy", "5/1/2024"), (MAY_DAY, "d-mmm-yy", "1-May-24"),
    (MAY_DAY, "mmmm d, yyyy", "May 1, 2024"), (MAY_DAY, "dddd, mmmm dd", "Wednesday, May 01"),
    (MAY_DAY, 'yyyy"年"m"月"d"日"', "2024年5月1日"), (MAY_DAY, "mm-dd-yy", "2024-05-01"),
    (datetime.datetime(2024, 5, 1, 14, 7), "[$-409]yyyy-mm-dd h:mm AM/PM;@", "2024-05-01 2:07 PM"),
    (datetime.datetime(2024, 5, 1, 9, 30), "m/d/yy h:mm", "2024-05-01 9:30"),
]


def test_a_workbook_s_numbers_dates_and_times_are_as_excel_shows_them(tmp_path: Path):
    """2.5 in '0' was 2 and 0.125 in '0.00' 0.12 (rounded half to even), a time in mm:ss
    00:05:30, a duration in [mm]:ss 1:15:30, 14:05 in h:mm AM/PM 14:05, any date yyyy-mm-dd."""
    formats = {f"{get_column_letter(column)}1": format for column, (_, format, _) in enumerate(SHOWN, start=2)}
    rows = [["Customer actions", *(value for value, _, _ in SHOWN)]]
    workbook(tmp_path / "shown.xlsx", {"S": rows}, formats=formats)
    code, text, said = run("shown.xlsx", cwd=tmp_path)
    assert code == 0, said
    actions = [action.text for step in loads(text).blueprint.steps for action in step.actions]
    assert actions == [expected for _, _, expected in SHOWN]


def test_numbers_dates_and_formulas_read_as_the_sheet_shows_them(tmp_path: Path):
    """As its CSV export writes them: the same blueprint as from the text the sheet shows; a
    formula's saved value, and one never calculated left empty, said so at its cell."""
    shown = [
        ["Stage", "Order", "", "Pay", "", "", "", ""],
        ["Customer actions", "3", "3", "2.50", "95%", "1,234,567.89", "0.3", "-4"],
        ["Frontstage", "Till: rings", "", "", "", "", "", ""],
        ["", "2024-05-01", "2024-05-01 09:30", "9:30", "26:05", "TRUE", "3", "x"],
        ["Metrics", "0.1", "12.5%", "1E+20", "1", "", "", ""],
    ]
    typed = [
        ["Stage", "Order", None, "Pay"],
        ["Customer actions", 3, 3.0, 2.5, 0.95, 1234567.891, 0.1 + 0.2, -4],
        ["Frontstage", "Till: rings"],
        [None, datetime.date(2024, 5, 1), datetime.datetime(2024, 5, 1, 9, 30), datetime.time(9, 30),
         datetime.timedelta(hours=26, minutes=5), True, "=1+2", "x"],
        ["Metrics", 0.1, 0.125, 1e20, "=B5*10", "=NOW()"],
    ]
    formats = {"D2": "0.00", "E2": "0%", "F2": "#,##0.00", "C4": "yyyy-mm-dd hh:mm", "D4": "h:mm", "E4": "[h]:mm",
               "C5": "0.0%"}
    book = workbook(tmp_path / "grid.xlsx", {"Blueprint": typed}, merged=("B1:C1", "D1:H1", "A3:A4"), formats=formats)
    # openpyxl calculates nothing: the values Excel saves with G4 and E5, and none with F5.
    cached = {b"<f>1+2</f><v></v>": b"<f>1+2</f><v>3</v>", b"<f>B5*10</f><v></v>": b"<f>B5*10</f><v>1</v>"}
    edited(book, "xl/worksheets/sheet1.xml", lambda xml: _replaced(xml.replace(b"<v />", b"<v></v>"), cached))
    with open(tmp_path / "grid.csv", "w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows(shown)
    code, from_workbook, said = run("grid.xlsx", cwd=tmp_path)
    assert code == 0, said
    assert from_workbook == run("grid.csv", cwd=tmp_path)[1]
    assert said.startswith("grid.xlsx:Blueprint!F5: warning: this formula has no value saved with it: left empty\n"
                           "   = hint: open the workbook in Excel or LibreOffice and save it")
    blueprint = loads(from_workbook).blueprint
    assert [stage.name for stage in blueprint.stages] == ["Order", "Pay"]
    assert [a.text for a in blueprint.steps[1].actions] == ["3", "2024-05-01 09:30"]


def _replaced(data: bytes, replacements: dict[bytes, bytes]) -> bytes:
    for old, new in replacements.items():
        assert old in data
        data = data.replace(old, new)
    return data


@pytest.mark.parametrize("value, format, expected", [
    (45413, "yyyy-mm-dd", "2024-05-01"), (0.75, "h:mm", "18:00"), (1.5, "[h]", "36"),  # a serial in a date format
    (datetime.datetime(2024, 5, 1, 14, 7), "General", "2024-05-01 14:07:00"),  # a date in no date format
    (datetime.datetime(2024, 5, 1), "0.00", "2024-05-01"), (1234.5, "", "1234.5"),
])
def test_a_value_and_a_format_that_disagree(value, format: str, expected: str):
    """What openpyxl took for a date and the format does not, or the reverse: read by the value's type."""
    assert shown(value, format) == expected


@pytest.mark.parametrize("value, format, expected", [
    (1e300, "0.00", "1" + "0" * 300 + ".00"), (float("inf"), "0.00", "INF"), (-1e-300, "0.00E+00", "-1.00E-300"),
    (1e300, "yyyy-mm-dd", "1E+300"), (1e300, "[h]:mm", "24" + "0" * 300 + ":00"),
])
def test_a_value_past_what_a_date_or_28_digits_hold(value: float, format: str, expected: str):
    """Decimal's 28 digits, and a date past the year 9999: an error, where Excel shows the digits or ####."""
    assert shown(value, format) == expected


def test_a_sheet_is_read_again_for_its_formulas_only_when_it_has_some(tmp_path: Path, monkeypatch):
    """The workbook was always opened twice, the second time to find formulas with no value
    saved: a sheet whose part holds no formula tag is read once."""
    opened, load = [], openpyxl.load_workbook

    def counted(*args, **options):
        opened.append(options)
        return load(*args, **options)

    monkeypatch.setattr(openpyxl, "load_workbook", counted)
    workbook(tmp_path / "plain.xlsx", {"S": [["Customer actions", "Orders"]]})
    assert run("plain.xlsx", cwd=tmp_path)[0] == 0
    assert [options["data_only"] for options in opened] == [True]
    opened.clear()
    workbook(tmp_path / "summed.xlsx", {"S": [["Customer actions", "Orders"], ["Metrics", "=1+1"]]})
    code, _, said = run("summed.xlsx", cwd=tmp_path)
    assert code == 0 and "this formula has no value saved with it" in said
    assert [options["data_only"] for options in opened] == [True, False]


def test_a_formula_never_calculated_is_said_when_the_sheet_cannot_be_read_without_it(tmp_path: Path):
    """The customer row's only cell a formula with no value saved: the error said the row was
    empty, and the warning that said why was dropped with the blueprint."""
    workbook(tmp_path / "summed.xlsx", {"S": [["Customer actions", "=A1"]]})
    code, _, said = run("summed.xlsx", cwd=tmp_path)
    assert code == 1
    warned = said.index("S!B1: warning: this formula has no value saved with it")
    assert warned < said.index("error: no row of customer")


def test_a_formula_whose_value_is_an_empty_text_is_an_empty_cell_and_no_warning(tmp_path: Path):
    """=IF(x,"",...) as Excel and LibreOffice save it, a text value and an empty <v></v>: it was said
    never calculated. A formula with no value saved at all still is."""
    book = workbook(tmp_path / "blank.xlsx", {"S": [["Customer actions", '=IF(1,"","")', "Pays", "=1+1"]]})
    edited(book, _SHEET1, lambda xml: _replaced(xml, {b'<c r="B1">': b'<c r="B1" t="str">'}).replace(b"<v />",
                                                                                                   b"<v></v>"))
    code, text, said = run("blank.xlsx", cwd=tmp_path)
    assert code == 0, said
    assert [a.text for a in loads(text).blueprint.actions()] == ["Pays"]
    assert said.startswith("blank.xlsx:S!D1: warning: this formula has no value saved with it: left empty\n")
    assert "S!B1" not in said
