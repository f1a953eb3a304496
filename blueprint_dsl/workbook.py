"""Reading a blueprint kept in an Excel workbook (.xlsx): the cells of one of its sheets.

openpyxl reads the file, in its read-only mode (a row at a time), imported here and only
when a workbook is imported: the other commands start without it. The cells come out as
Excel's CSV export of the sheet writes them, so that ``spreadsheet`` reads them as it
reads that export, each at its row and column:

- a merged cell's text is in its top-left cell, the others are empty;
- text as written, a control character too (its XML writes ``_x000D_`` for the CR
  of a line break pasted from Windows);
- a number, a date, a time or a duration as its number format shows it
  (``number_formats``); ``TRUE`` and ``FALSE``; an error value as it shows (``#N/A``);
- a formula gives the value Excel saved with it (an empty text too); one never
  calculated (in a file a program wrote) is empty, and said so at its cell;
- hidden rows, columns and sheets are read, as the export writes them.

What no workbook is (not a zip, an encrypted file, a damaged one, one that unzips to
more than a workbook may) is refused with a problem naming the file. openpyxl reads a
row's cells whole, and the workbook's table of texts: their tags are counted as the file
unzips, before it reads any, and a sheet of more cells than a blueprint has, or a table
of more texts, is refused too.
"""

from __future__ import annotations

import datetime
import io
import itertools
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator

from .diagnostics import Severity, Span, clip
from .number_formats import shown
from .reading import MAX_FILE_BYTES, normalise_newlines
from .spreadsheet import Cell, Problem, SpreadsheetError, error, quoted_sheet, too_many_cells

if TYPE_CHECKING:
    from openpyxl.workbook import Workbook
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

#: The suffixes of the files read as workbooks whatever their first bytes (an .xls may be CSV text, as
#: some exports name it; one that is an Excel 97-2003 workbook is told by its first bytes).
SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")
#: How a zip starts, as every .xlsx does.
_ZIP = b"PK\x03\x04"
#: How an OLE2 compound file starts: an Excel 97-2003 workbook, or an .xlsx encrypted with a password.
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: The stream of an encrypted .xlsx inside its compound file, as its directory names it.
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
#: The most a workbook may unzip to: a zip of a few MiB can hold gigabytes of repeated XML.
MAX_UNZIPPED = 2 * MAX_FILE_BYTES
#: The most cells a sheet may have, each row counted to its last cell in the file: a blueprint of
#: 10,000 actions has some 25,000 (2,500 steps, ten rows); openpyxl reads 100,000 in about 3 s.
MAX_CELLS = 100_000
#: The most texts a workbook's table of them (its shared strings, read whole) may hold.
MAX_TEXTS = 200_000
#: A cell's tag, a text's of the table and a formula's, as an XML part of the workbook writes them
#: (``<c r="B4"``, ``<x:si>``, ``<f>``).
_TAGS = re.compile(rb"<(?:\w{1,32}:)?(c|si|f)[\s/>]")
#: The most of a workbook's other sheets named when one is read.
_LISTED = 10
_EXPORT = "save it in Excel as an Excel Workbook (.xlsx), or export the sheet as CSV UTF-8"


def is_workbook(path: str, data: bytes) -> bool:
    """Whether the file ``path``, its bytes ``data``, is read as a workbook: by its suffix, or by
    its first bytes (a zip, or a compound file), whatever it is called (standard input is '<stdin>')."""
    return Path(path).suffix.lower() in SUFFIXES or data.startswith((_ZIP, _OLE2))


class SheetNotFound(Exception):
    """``--sheet`` names no sheet of the workbook: a usage error, which names those it has."""

    def __init__(self, path: str, name: str, names: list[str]) -> None:
        listed = ", ".join(quoted_sheet(clip(sheet)) for sheet in names)
        super().__init__(f"no sheet named {quoted_sheet(clip(name))} in {path}: its sheets are {listed}")


@dataclass(frozen=True, slots=True)
class Sheet:
    """The cells of the sheet read, row by row, and what is doubtful in them."""

    path: str
    name: str
    #: The workbook's other sheets, in its order, a hidden one said so; none when --sheet chose this one.
    others: tuple[str, ...]
    records: tuple[list[Cell], ...]
    warnings: tuple[Problem, ...]

    def note(self) -> str | None:
        """Which sheet was read, when the workbook has others that were not chosen."""
        if not self.others:
            return None
        return f"{self.path}: read the active sheet, {quoted_sheet(clip(self.name))}; to read another, name it with " \
               f"--sheet: {_listed(self.others)}"


def _listed(sheets: tuple[str, ...]) -> str:
    """Sheets' names, the first ``_LISTED`` of them, and how many more."""
    return ", ".join(sheets[:_LISTED]) + (f" and {len(sheets) - _LISTED} more" if len(sheets) > _LISTED else "")


def read_sheet(data: bytes, path: str, name: str | None = None) -> Sheet:
    """The sheet named ``name`` (its case aside) of the workbook ``data``, read from the file
    ``path``; the active sheet when None. Raises SpreadsheetError when no sheet of cells can be
    read, SheetNotFound when ``name`` is none of the workbook's."""
    parts = _refuse_what_is_no_workbook(data, path)
    import warnings

    from openpyxl import load_workbook

    with warnings.catch_warnings():
        # openpyxl's words on what it leaves out (data validation, extensions): nothing a blueprint reads.
        warnings.simplefilter("ignore")
        opened: list[Workbook] = []

        def open_workbook(data_only: bool) -> Workbook:
            opened.append(load_workbook(io.BytesIO(data), read_only=True, data_only=data_only))
            return opened[-1]

        try:
            return _read(open_workbook(True), open_workbook, path, name, parts)
        except _DAMAGED as damaged:
            raise SpreadsheetError([_damaged(path, damaged)]) from None
        finally:
            for workbook in opened:
                workbook.close()


@dataclass(frozen=True, slots=True)
class _Part:
    """How many cells and formulas a part of the zip holds, by their tags."""

    cells: int
    formulas: int


def _refuse_what_is_no_workbook(data: bytes, path: str) -> dict[str, _Part]:
    """A file that is no zip, or that unzips to more than a workbook may, or with more texts: a
    problem at its start. Else how many cells and formulas each part of the zip holds, counted by
    their tags before openpyxl parses any, which reads a row's cells whole and the table of texts
    whole."""
    start = Span.point(path, 1, 1)
    if data.startswith(_OLE2):
        if _ENCRYPTED in data:
            raise SpreadsheetError([error(start, f"'{clip(path)}' is encrypted: a password protects it",
                                          "in Excel, clear the password (File, Info, Protect Workbook, Encrypt "
                                          "with Password), save it, and import it then")])
        raise SpreadsheetError([error(start, f"'{clip(path)}' is an Excel 97-2003 workbook (.xls), which import "
                                             "cannot read", _EXPORT)])
    if not data.startswith(_ZIP):
        raise SpreadsheetError([error(start, f"'{clip(path)}' is no workbook: an .xlsx file is a zip, and this is "
                                             "none", f"{_EXPORT}; a sheet exported as text is read when named .csv "
                                                     "or .tsv")])
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unzipped = sum(member.file_size for member in archive.infolist())
            if unzipped > MAX_UNZIPPED:  # before inflating any: zipfile stops a part at the size it declares
                raise SpreadsheetError([error(
                    start, f"'{clip(path)}' unzips to {unzipped // (1024 * 1024)} MiB, over the "
                           f"{MAX_UNZIPPED // (1024 * 1024)} MiB a workbook may", "split it, or export the sheet as "
                                                                                 "CSV UTF-8")])
            parts, texts = {}, 0
            for member in archive.infolist():
                cells, found, formulas = _tags(archive, member)
                parts[member.filename] = _Part(cells, formulas)
                texts += found
    except _DAMAGED as damaged:  # a header it cannot read, a version of zip it cannot, bad compressed data
        raise SpreadsheetError([_damaged_zip(path, damaged)]) from None
    if texts > MAX_TEXTS:
        raise SpreadsheetError([error(start, f"'{clip(path)}' holds over {MAX_TEXTS:,} texts, more than a workbook "
                                             "of a blueprint has", "copy the blueprint's sheet to a workbook of its "
                                                                   "own, or export the sheet as CSV UTF-8")])
    return parts


def _tags(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> tuple[int, int, int]:
    """How many cells, texts and formulas the part holds, counted by their tags as it unzips (a
    tag across two pieces of it is counted twice at most, which no bound minds)."""
    counts = {b"c": 0, b"si": 0, b"f": 0}
    tail = b""
    with archive.open(member) as part:
        while piece := part.read(1024 * 1024):
            for tag in _TAGS.finditer(tail + piece):
                counts[tag[1]] += 1
            tail = piece[-40:]
    return counts[b"c"], counts[b"si"], counts[b"f"]


#: What openpyxl and zipfile raise on a damaged workbook: a zip's own errors, XML that does not
#: parse (ElementTree's and lxml's errors are SyntaxErrors), a part missing (KeyError, or an
#: OSError saying no part is the workbook's), and values of the wrong type or out of range.
_DAMAGED = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, SyntaxError, KeyError, OSError,
            ValueError, TypeError, IndexError, AttributeError, OverflowError, NotImplementedError, RuntimeError)


def _damaged(path: str, damaged: BaseException) -> Problem:
    """What openpyxl's reading of the workbook raised, said."""
    if isinstance(damaged, (KeyError, OSError)) and not isinstance(damaged, zipfile.BadZipFile):
        return error(Span.point(path, 1, 1), f"'{clip(path)}' is a zip, but no Excel workbook: {_said(damaged)}",
                     _EXPORT)
    if isinstance(damaged, (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError)):
        return _damaged_zip(path, damaged)
    what = "its XML does not parse" if isinstance(damaged, SyntaxError) else "openpyxl cannot read it"
    return error(Span.point(path, 1, 1), f"'{clip(path)}' is a damaged workbook: {what} ({_said(damaged)})",
                 "open it in Excel and save it again, or export the sheet as CSV UTF-8")


def _damaged_zip(path: str, damaged: BaseException) -> Problem:
    """What unzipping the workbook raised, said: a part encrypted, compressed as zipfile cannot, damaged."""
    what = "whose parts are encrypted" if isinstance(damaged, RuntimeError) and "encrypted" in str(damaged) else \
        "damaged"
    return error(Span.point(path, 1, 1), f"'{clip(path)}' is a {what} zip: {_said(damaged)}",
                 "open it in Excel and save it again, or export the sheet as CSV UTF-8")


def _said(damaged: BaseException) -> str:
    """The first line of what an exception says, cut short; its type's name when it says nothing."""
    return clip((str(damaged).strip("'\"").splitlines() or [""])[0], 120) or type(damaged).__name__


def _read(values: Workbook, open_workbook: Callable[[bool], Workbook], path: str, name: str | None,
          parts: dict[str, _Part]) -> Sheet:
    """The sheet chosen of ``values``, the workbook read for the values its cells show; where the
    sheet has formulas, ``open_workbook(False)`` opens it again for them, to find those never
    calculated."""
    names = values.sheetnames
    if not names:
        raise SpreadsheetError([error(Span.point(path, 1, 1), f"'{clip(path)}' is a workbook with no sheet", _EXPORT)])
    if name is None:
        sheet = values.active or values[names[0]]
    else:
        same = [known for known in names if known == name] or [known for known in names
                                                               if known.casefold() == name.casefold()]
        if len(same) != 1:
            raise SheetNotFound(path, name, names)
        sheet = values[same[0]]
    title = sheet.title
    if not hasattr(sheet, "iter_rows"):
        raise SpreadsheetError([error(Span.point(path, 1, 1), f"the sheet {quoted_sheet(clip(title))} is a chart, "
                                                              "with no cells", "name a sheet of cells with --sheet")])
    # openpyxl's name of the sheet's part; every part is counted when that ever changes.
    counted = parts.get(getattr(sheet, "_worksheet_path", ""),
                        _Part(max((part.cells for part in parts.values()), default=0), 1))
    if counted.cells > MAX_CELLS:
        raise SpreadsheetError([_too_many(path, title, 1)])
    formulas = open_workbook(False)[title] if counted.formulas else None
    for read in (sheet, formulas):
        if read is not None:
            read.reset_dimensions()  # its rows as long as their cells, whatever size the file claims
    warnings: list[Problem] = []
    records = tuple(_records(sheet, formulas, path, warnings))
    others = tuple(
        quoted_sheet(clip(other.title)) + (" (hidden)" if getattr(other, "sheet_state", "visible") != "visible" else "")
        for other in (values[sheet_name] for sheet_name in names) if other.title != title)
    if not records:
        raise SpreadsheetError([error(Span.point(path, 1, 1), f"the sheet {quoted_sheet(clip(title))} is empty",
                                      "write the blueprint's rows in it" + (
                                          f", or name the sheet that holds them with --sheet: {_listed(others)}"
                                          if others else ", their titles in a column, a step in each column after "
                                                         "it"), sheet=title)])
    return Sheet(path=path, name=title, others=() if name is not None else others, records=records,
                 warnings=tuple(warnings))


def _records(sheet: ReadOnlyWorksheet, formulas: ReadOnlyWorksheet | None, path: str,
             warnings: list[Problem]) -> Iterator[list[Cell]]:
    """The sheet's rows with text, each the cells of its columns to its last in the file; with
    ``formulas``, the same sheet read for its formulas, those with no value saved said so."""
    read = 0
    formula_rows = formulas.iter_rows() if formulas is not None else itertools.repeat(())
    for line, (row, formula_row) in enumerate(zip(sheet.iter_rows(), formula_rows), start=1):
        read += len(row)
        if read > MAX_CELLS:
            raise SpreadsheetError([_too_many(path, sheet.title, line)])
        record = []
        for column, cell in enumerate(row, start=1):
            span = Span.point(path, line, column)
            formula = formula_row[column - 1] if column <= len(formula_row) else None
            # A formula saved with an empty text (=IF(x,"",...)) has a value: its cell's type says so.
            if cell.value is None and cell.data_type != "str" and formula is not None and formula.data_type == "f":
                warnings.append(Problem(
                    severity=Severity.WARNING, span=span, sheet=sheet.title,
                    message="this formula has no value saved with it: left empty",
                    hint="open the workbook in Excel or LibreOffice and save it, which calculates it; or write the "
                         "value in the cell"))
            record.append(Cell.of(_shown(cell.value, cell.number_format if cell.value is not None else ""), span))
        if any(cell.text for cell in record):  # an empty row is passed over, and its cells need not be kept
            yield record


def _too_many(path: str, sheet: str, line: int) -> Problem:
    return too_many_cells(Span.point(path, line, 1), MAX_CELLS,
                          "copy the blueprint's rows to a sheet of their own, and import that one with --sheet", sheet)


def _shown(value: object, format: str) -> str:
    """A cell's value as the sheet shows it: text as written, a number, date or time in its format."""
    if value is None:
        return ""
    if isinstance(value, str):
        return normalise_newlines(_ESCAPED.sub(lambda escaped: chr(int(escaped[1], 16)), value))
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float, datetime.date, datetime.time, datetime.timedelta)):
        return shown(value, format)
    return str(value)


#: A character a workbook's XML cannot hold, as it writes one: a control character (``_x000D_``), U+FFFE, U+FFFF.
_ESCAPED = re.compile("_x(00[01][0-9A-Fa-f]|[Ff]{3}[EeFf])_")
