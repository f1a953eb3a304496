"""``blueprint import`` as a command: a file it cannot read, and its help."""

from __future__ import annotations

import os

from click.testing import CliRunner

from blueprint_dsl import codes
from blueprint_dsl.cli import main
from blueprint_dsl.diagnostics import Span
from blueprint_dsl.spreadsheet import ROW_TITLES, unreadable
from tests.test_import import run


def test_a_file_that_cannot_be_read_is_said_so_with_a_hint_for_a_sheet(tmp_path):
    """Not UTF-8 (tests/import/bad/not-utf8.csv), a FIFO, a device, over 32 MiB, a folder: the
    reader's message, and a hint for a sheet where the reader's speaks of a .svc file."""
    os.mkfifo(tmp_path / "pipe.csv")
    (tmp_path / "folder.csv").mkdir()
    with open(tmp_path / "big.csv", "wb") as big:
        big.truncate(33 * 1024 * 1024)
    elsewhere = "name an .xlsx, .csv or .tsv file, or give this one on standard input ('-')"
    for name in ("pipe.csv", "/dev/null"):
        assert run(name, cwd=tmp_path) == (1, "", f"{name}:1:1: error: '{name}' is not a regular file\n"
                                                  f"   = hint: {elsewhere}\n{name}: not imported\n")
    assert run("big.csv", cwd=tmp_path) == (1, "", "big.csv:1:1: error: 'big.csv' is 33 MiB, over the 32 MiB a "
                                                   "blueprint may be\n   = hint: split it\nbig.csv: not imported\n")
    code, _, said = run("-", cwd=tmp_path, stdin=b"Customer," + b"x" * 32 * 1024 * 1024)
    assert (code, said) == (1, "<stdin>:1:1: error: <stdin> holds over the 32 MiB a blueprint may be\n"
                               "   = hint: split it\n<stdin>: not imported\n")
    code, _, said = run("folder.csv", cwd=tmp_path)
    assert code == 2 and "'folder.csv' is a directory" in said
    # By the diagnostic's code and what the file is, whatever the reader's hint says.
    utf8 = "export the sheet as CSV UTF-8 (in Excel: Save As, 'CSV UTF-8')"
    assert unreadable(codes.INVALID_ENCODING.at(Span.point("a.csv", 1, 2), "byte 0xe9", "reworded")).hint == utf8
    (tmp_path / "grid.csv").write_text("Customer,x\n", encoding="utf-8")
    for path, hint in ((tmp_path / "pipe.csv", elsewhere), ("/dev/null", elsewhere), ("<stdin>", "as it was"),
                       (tmp_path / "grid.csv", "as it was"), (tmp_path / "gone.csv", "as it was")):
        problem = unreadable(codes.UNREADABLE_FILE.at(Span.point(str(path), 1, 1), "cannot be read", "as it was"))
        assert (problem.severity.value, problem.message, problem.hint) == ("error", "cannot be read", hint)


def test_the_help_names_every_row_how_the_separator_is_found_and_workbooks():
    said = " ".join(CliRunner().invoke(main, ["import", "--help"]).stdout.split())
    assert [title for title in ROW_TITLES.values() if title not in said] == []
    assert "tab for .tsv or .tab, else the one of tab, semicolon and comma on most of the first 20 lines" in said
    assert "2 on a usage error" in said
    assert "an Excel workbook (.xlsx, .xlsm; the active sheet, or the one --sheet names)" in said
    assert "a workbook told by its first bytes" in said and "a formula's saved value" in said


def test_a_utf16_export_is_said_to_be_one_with_how_to_export_utf8(tmp_path):
    """Excel's 'Unicode Text' is UTF-16, tab-separated: it was 'byte 0xff at offset 0 is not valid UTF-8'."""
    hint = "   = hint: export the sheet as CSV UTF-8 (in Excel: Save As, 'CSV UTF-8', not 'Unicode Text')\n"
    for encoding, name in (("utf-16", "UTF-16"), ("utf-16-be", "UTF-16"), ("utf-32", "UTF-32")):
        data = ("\ufeff" + "Customer\tOrders\r\n").encode(encoding)
        (tmp_path / "unicode.txt").write_bytes(data)
        assert run("unicode.txt", cwd=tmp_path) == (1, "", f"unicode.txt:1:1: error: 'unicode.txt' is {name} text, "
                                                           f"as its byte-order mark says, and import reads UTF-8\n"
                                                           f"{hint}unicode.txt: not imported\n")
    code, _, said = run("-", cwd=tmp_path, stdin="\ufeffCustomer,Orders\n".encode("utf-16"))
    assert code == 1 and said.startswith("<stdin>:1:1: error: '<stdin>' is UTF-16 text")
