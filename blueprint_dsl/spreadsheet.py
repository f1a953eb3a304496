"""Reading a service blueprint kept in a spreadsheet: the CSV or TSV export of its grid.

One column per step, left to right in time, and one row per lane, titled in the first
column with text (the columns before it, empty in every row, left out). This module
reads the text into titled rows of cells, each cell with the line and column it starts
at, so that what is wrong names its place in the file; ``spreadsheet_svc`` turns the
rows into a ``.svc`` blueprint. A workbook's sheet (``workbook``) comes in as cells too,
each at its row and column, and is read the same.

The rules, as docs/import.md gives them:

- the separator is a tab for a ``.tsv`` or ``.tab`` file; else the one of tab, semicolon
  (European Excel) and comma on the most of the first 20 lines, outside quoted cells
  (a tie goes to tab, then semicolon: commas are common in text); an unknown title that
  holds another of them hints at ``--separator``;
- cells are quoted as RFC 4180 has it (``"a ""b"", c"``), a quoted cell may hold line
  breaks, rows may be of any length, a cell's blanks at either end (spaces, tabs,
  no-break and other Unicode spaces, zero-width ones) are left out;
- a cell holds one item a line, a list's mark before it left out; a line of dashes
  (``-``, ``—``) is none, and a cell without an item is empty (``items`` says so);
- a scenario, persona, segment or owner row gives the header fact in its first cell;
- a row is read by its title, whatever its case and punctuation (``Front-stage
  actions:``), words in brackets left out; a row without a title continues the titled
  row above it (a merged cell exports so), and is merged into it when that is a stage,
  step or header row, which a sheet holds once; a row whose cells are all empty, a line
  of the method (``Line of visibility``) and a title starting with ``#`` are passed over.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from dataclasses import dataclass, replace
from itertools import zip_longest
from pathlib import Path
from typing import Iterable, Iterator

from . import codes
from .diagnostics import Diagnostic, Severity, Span, clip, excerpt, suggest, visible
from .reading import decode
from .spreadsheet_titles import HEADERS, ROW_TITLES, RowKind, closest_title, is_line, kind_of_title, title_words

#: The separators ``--separator`` names.
SEPARATORS = {"comma": ",", "semicolon": ";", "tab": "\t"}
#: How many lines of the file's start decide its separator.
_SNIFFED_LINES = 20
#: The most cells a text's grid may have, each row counted to its last separator: a blueprint of
#: 10,000 actions has some 25,000 (2,500 steps, ten rows), read in a tenth of a second. A file of
#: separators alone would be millions, and gigabytes of memory.
MAX_CELLS = 100_000


#: The rows a sheet may hold once: rows without a title under one are merged into it.
_ONCE = (RowKind.STAGE, RowKind.STEP, *HEADERS)


@dataclass(frozen=True, slots=True)
class Cell:
    """A cell's text, its blanks at either end left out ('' when it holds no item), and where it starts."""

    text: str
    span: Span

    @classmethod
    def of(cls, text: str, span: Span) -> Cell:
        """The cell of ``text`` at ``span``: its blanks at either end left out, '' when it holds no item."""
        text = text.strip(BLANKS)
        return cls(text if items(text) else "", span)


@dataclass(frozen=True, slots=True)
class Row:
    """A row of the grid: its title, and its cells after the title, one for each column of steps."""

    kind: RowKind
    title: Cell
    cells: tuple[Cell, ...]

    def cell(self, column: int) -> str:
        """The text of the cell in ``column`` (0 is the first after the title); '' past the row's end."""
        return self.cells[column].text if column < len(self.cells) else ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Problem:
    """What is wrong with a spreadsheet, or doubtful in it, where, and what to do. In a
    workbook's ``sheet``, the span's line and column are the cell's row and column."""

    severity: Severity
    message: str
    span: Span
    hint: str | None = None
    sheet: str | None = None

    def render(self, source: str | None) -> str:
        """As a diagnostic is written: the headline, the line of the file with a caret, the hint.
        A cell of a workbook is named as the sheet names it (``Sheet1!B4``), and has no line to show."""
        s = self.span
        place = f"{s.line}:{s.column}" if self.sheet is None else cell_name(self.sheet, s.line, s.column)
        lines = [visible(f"{s.path}:{place}: {self.severity.value}: {self.message}")]
        lines.extend(excerpt(s, source) if source is not None else ())
        if self.hint:  # under the excerpt's bar, or where it would be
            gutter = len(str(s.line)) + 1 if self.sheet is None else 2
            lines.append(f"{' ' * gutter} = hint: {visible(self.hint)}")
        return "\n".join(lines)


class SpreadsheetError(Exception):
    """The spreadsheet cannot be read as a blueprint: these say where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(problem.message for problem in problems))
        self.problems = problems


def error(span: Span, message: str, hint: str | None = None, sheet: str | None = None) -> Problem:
    return Problem(severity=Severity.ERROR, message=message, span=span, hint=hint, sheet=sheet)


def cell_name(sheet: str, row: int, column: int) -> str:
    """A workbook's cell as its users write it: ``Sheet1!B4``, ``'Coffee shop'!AA10``."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    plain = re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", sheet) and not re.fullmatch(r"[A-Za-z]{1,3}[0-9]+", sheet)
    return f"{sheet if plain else quoted_sheet(sheet)}!{letters}{row}"


def quoted_sheet(sheet: str) -> str:
    """A sheet's name quoted as a spreadsheet writes it in a reference: ``'Coffee shop'``, ``'Bob''s'``."""
    return "'" + sheet.replace("'", "''") + "'"


def too_many_cells(span: Span, bound: int, hint: str, sheet: str | None = None) -> Problem:
    """The error of a sheet with over ``bound`` cells, at the row that goes over."""
    return error(span, f"the sheet has over {bound:,} cells" + (" by this row" if span.line > 1 else "")
                 + ", more than a blueprint has", hint, sheet=sheet)


def row_named(span: Span, sheet: str | None) -> str:
    """Where the row of ``span`` is, as a message names it: on its line of a text, in its row of a sheet."""
    return f"on line {span.line}" if sheet is None else f"in row {span.line}"


def unreadable(diagnostic: Diagnostic) -> Problem:
    """The problem of a spreadsheet the loader's readers cannot read (not UTF-8, not a file, too
    large), its hint for a sheet where the loader's speaks of a blueprint: chosen by the
    diagnostic's code, and by what the file it names is, whatever the loader's words."""
    hint = diagnostic.hint
    if diagnostic.code == codes.INVALID_ENCODING.code:
        hint = "export the sheet as CSV UTF-8 (in Excel: Save As, 'CSV UTF-8')"
    elif diagnostic.code == codes.UNREADABLE_FILE.code and _is_other_than_a_file(diagnostic.span.path):
        hint = "name an .xlsx, .csv or .tsv file, or give this one on standard input ('-')"
    return error(diagnostic.span, diagnostic.message, hint)


#: The byte-order marks of the encodings Excel's "Unicode Text" and other exports write, which are no UTF-8.
_WIDE_MARKS = ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"), (codecs.BOM_UTF16_LE, "UTF-16"),
               (codecs.BOM_UTF16_BE, "UTF-16"))


def decoded(data: bytes, path: str) -> tuple[str | None, Problem | None]:
    """The text of a CSV or TSV file's bytes, read from ``path``, or the problem of one that is no UTF-8."""
    for mark, encoding in _WIDE_MARKS:  # UTF-32's little-endian mark starts as UTF-16's does
        if data.startswith(mark):
            return None, error(Span.point(path, 1, 1), f"'{clip(path)}' is {encoding} text, as its byte-order mark "
                                                       "says, and import reads UTF-8",
                               "export the sheet as CSV UTF-8 (in Excel: Save As, 'CSV UTF-8', not 'Unicode Text')")
    text, problem = decode(data, path)
    return text, unreadable(problem) if problem is not None else None


def _is_other_than_a_file(path: str) -> bool:
    """Whether ``path`` names a FIFO, a device or a folder: something there, and no regular file."""
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):  # nothing there, or a name no path can be (<stdin> is none)
        return False


def read_rows(text: str, path: str, separator: str | None = None) -> list[Row]:
    """The titled rows of the grid in ``text`` (LF line endings, no byte-order mark), read
    from the file ``path``; ``separator`` (one of ``SEPARATORS``' values) is found when None.
    Raises SpreadsheetError naming every row that cannot be read."""
    if not text.strip():
        raise SpreadsheetError([error(Span.point(path, 1, 1), "the file is empty",
                                      "export the sheet as CSV or TSV, the row titles in its first column")])
    separator = separator or separator_of(text, path)
    return read_records(_records(text, path, separator), path, separator=separator)


def read_records(records: Iterable[list[Cell]], path: str, sheet: str | None = None,
                 separator: str | None = None) -> list[Row]:
    """The titled rows of a grid's records, each a list of its cells (one at least), read from
    the file ``path``, or from its workbook's ``sheet``; the ``separator`` of a text's cells
    (a title holding another may say that it is wrong). Raises SpreadsheetError naming every
    row that cannot be read."""
    rows: list[Row] = []
    problems: list[Problem] = []
    once: dict[RowKind, tuple[Cell, int]] = {}  # a stage, step or header row's title, and its place in ``rows``
    empty_customer: Cell | None = None  # the title of a customer row with no action in it
    unparted: Cell | None = None  # the first row of one cell holding another separator: cells not parted
    above: RowKind | str | None = None  # what the rows below a title and without one continue
    titled = Cell("", Span.point(path, 1, 1))  # the title of the row they continue
    records = list(records)
    start = _first_column(records)
    for record in records:
        if len(record) <= start:  # empty, as each of its cells is
            continue
        title, cells = record[start], tuple(record[start + 1:])
        filled = any(cell.text for cell in cells)
        if title.text:
            above, titled = _kind_of(title, filled, problems, separator), title
            if not cells and unparted is None and _other_separators(title.text, separator):
                unparted = title
            if above is RowKind.CUSTOMER and not filled and empty_customer is None:
                empty_customer = title
        elif filled and above is None:
            problems.append(error(title.span, "this row has no title, and no row above it to continue",
                                  f"title it: {', '.join(ROW_TITLES.values())}"))
            above = _PASSED_OVER  # its own rows without a title are part of it
        if not filled or not isinstance(above, RowKind):
            continue
        if above in _ONCE and above in once:
            first, place = once[above]
            if first is titled:  # a row without a title, under the first: one row, as a merged title cell exports it
                rows[place] = _merged(rows[place], cells)
            else:
                problems.append(error(titled.span, f"a second {above.value} row: the first is "
                                      f"{row_named(first.span, sheet)}", "keep one, merging their cells"))
                above = _PASSED_OVER  # its rows without a title are part of it
            continue
        if above in _ONCE:
            once[above] = (titled, len(rows))
        rows.append(Row(kind=above, title=title, cells=cells))
    if not problems and all(row.kind is not RowKind.CUSTOMER for row in rows):
        problems.append(_no_customer(path, empty_customer, unparted, separator))
    if problems:
        raise SpreadsheetError([replace(problem, sheet=sheet) for problem in problems])
    return rows


def _first_column(records: list[list[Cell]]) -> int:
    """The first column with text in any record: those before it, empty in every row, are no part
    of the grid (a sheet's that starts in C4)."""
    return min((next(column for column, cell in enumerate(record) if cell.text) for record in records
                if any(cell.text for cell in record)), default=0)


def _merged(row: Row, cells: tuple[Cell, ...]) -> Row:
    """``row`` and the cells of a row without a title under it, as one: in each column their texts
    joined by a line break, where the first with text is."""
    merged = []
    for pair in zip_longest(row.cells, cells):
        written = [cell for cell in pair if cell is not None and cell.text]
        start = written[0] if written else next(cell for cell in pair if cell is not None)
        merged.append(Cell("\n".join(cell.text for cell in written), start.span))
    return replace(row, cells=tuple(merged))


def _no_customer(path: str, empty: Cell | None, unparted: Cell | None, separator: str | None) -> Problem:
    """No action in a customer row: at the first such row, or at the start of a sheet without one;
    at a row read as one cell that holds another separator, where the separator found is likely wrong."""
    message = "no row of customer actions: a blueprint is built on them"
    if empty is None and unparted is not None:
        held = _other_separators(unparted.text, separator)[0]
        return error(unparted.span, message, f"this row was read as one cell, and it holds a {held}: if {held}s "
                                             f"separate the cells, name it with --separator {held}")
    if empty is None:
        return error(Span.point(path, 1, 1), message,
                     "add a row titled 'Customer actions', its cells what the customer does at each step")
    return error(empty.span, message, f"the row '{clip(empty.text)}' has nothing in its cells (a dash is nothing): "
                                      "write there what the customer does at each step")


def separator_of(text: str, path: str) -> str:
    """The separator of the cells in ``text``, by the file's suffix or its first lines."""
    if Path(path).suffix.lower() in (".tsv", ".tab"):
        return "\t"
    start = _QUOTED.sub('""', text[: 64 * 1024])  # a separator inside quotes separates nothing
    lines = [line for line in start.split("\n") if line.strip()][:_SNIFFED_LINES]
    # On most lines, since every row of an export has its separators; a tie goes to the first
    # (max keeps it), commas being common in text.
    return max(("\t", ";", ","), key=lambda s: sum(s in line for line in lines))


_QUOTED = re.compile(r'"([^"]*(?:""[^"]*)*)"')
#: What a cell's lines are stripped of at either end, as it shows nothing: spaces, a tab, no-break and
#: other Unicode spaces, and the zero-width ones.
BLANKS = " \t\u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200C))) + "\u202f\u205f\u2060\u3000\ufeff"
#: A line of a cell of dashes alone, blanks between them or not (``-``, ``- - -``): as sheets mark an empty one.
_DASHES = re.compile(f"[-\u2013\u2014][-\u2013\u2014{BLANKS}]*")
#: A list's mark before an item, as cells are often written.
_BULLET = re.compile(rf"^(?:[-*\u2022\u2013\u2014\u00b7]|\d{{1,2}}[.)])[{BLANKS}]+")


def items(text: str) -> list[str]:
    """The items of a cell: one a line, its blanks at either end and a list's mark left out,
    and none of dashes alone. A cell without one is empty, whatever its text (``-``, ``- - -``)."""
    found = []
    for line in text.split("\n"):
        line = line.strip(BLANKS)
        item = _BULLET.sub("", line, count=1)
        if item and not _DASHES.fullmatch(line) and not _DASHES.fullmatch(item):
            found.append(item)
    return found


def _records(text: str, path: str, separator: str) -> Iterator[list[Cell]]:
    """The records of a CSV text, each a list of its cells; a record holds one cell at least."""
    plain = re.compile(f"[^{re.escape(separator)}\n]*")
    record: list[Cell] = []
    position, line, line_start, cells = 0, 1, 0, 0
    while True:
        cells += 1
        if cells > MAX_CELLS:
            raise SpreadsheetError([too_many_cells(Span.point(path, line, 1), MAX_CELLS,
                                                   "export only the blueprint's rows and columns")])
        start, column = position, position - line_start + 1
        if text.startswith('"', position):
            quoted = _QUOTED.match(text, position)
            if quoted is None:
                raise SpreadsheetError([error(
                    Span.point(path, line, column), "this quoted cell is never closed",
                    'end it with a ", and write a quote inside a cell as two ("")')])
            # What follows the closing quote is kept, as spreadsheets read it: "a"b is a"b.
            after = plain.match(text, quoted.end())
            value, position = quoted.group(1).replace('""', '"') + after.group(), after.end()
        else:
            found = plain.match(text, position)
            value, position = found.group(), found.end()
        first_line_end = text.find("\n", start, position)
        width = (first_line_end if first_line_end >= 0 else position) - start
        record.append(Cell.of(value, Span.point(path, line, column, max(width, 1))))
        if first_line_end >= 0:  # a quoted cell over several lines
            line += text.count("\n", start, position)
            line_start = text.rfind("\n", start, position) + 1
        if position < len(text) and text[position] == separator:
            position += 1
            continue
        yield record
        record = []
        position += 1  # past the line break
        line, line_start = line + 1, position
        if position >= len(text):
            return


#: What a row passed over is, and the rows without a title below it: a line, a '#' row, an unknown title reported.
_PASSED_OVER = "passed over"


def _kind_of(title: Cell, filled: bool, problems: list[Problem], separator: str | None) -> RowKind | str | None:
    """What the row titled ``title`` holds, or ``_PASSED_OVER``; None for an unknown title over
    empty cells (a title row), which is no error, and which no row continues."""
    words = title_words(title.text)
    if title.text.startswith("#") or is_line(words):
        return _PASSED_OVER
    kind = kind_of_title(words)
    if kind is None and filled:
        problems.append(_unknown_title(title, words, separator))
        return _PASSED_OVER
    return kind


def _unknown_title(title: Cell, words: str, separator: str | None) -> Problem:
    close = closest_title(words)
    meant = [ROW_TITLES[close]] if close is not None else []
    listed = ", ".join(ROW_TITLES.values())
    hint = f"{suggest(meant)} The rows are {listed}" if meant else f"the rows are {listed}"
    # A title holding another separator than the one found: likely cells the separator did not part.
    held = _other_separators(title.text, separator)
    if held:
        hint = f"the title holds a {held[0]}: if {held[0]}s separate the cells, name it with --separator " \
               f"{held[0]}. {hint[0].upper()}{hint[1:]}"
    return error(title.span, f"no row is titled '{clip(title.text)}'",
                 f"{hint}; a line of the method ('Line of visibility') is passed over, and so is a row "
                 "whose title starts with '#'")


def _other_separators(text: str, separator: str | None) -> list[str]:
    """The names of the separators other than a text's ``separator`` that ``text`` holds; none for a workbook's."""
    return [name for name, mark in SEPARATORS.items() if separator and mark != separator and mark in text]
