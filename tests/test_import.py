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
from blueprint_dsl.model import Emotion, Lane
from blueprint_dsl.spreadsheet_svc import import_spreadsheet

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


def test_a_pyproject_toml_that_cannot_be_used_leaves_the_configuration_out_of_the_summary(tmp_path):
    """It feeds no more than what check is said to find: it stopped the import with exit 2, the
    blueprint unwritten. A configuration that can be used is still used."""
    (tmp_path / "grid.csv").write_text("Customer actions,Orders\n", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text("[tool.blueprint]\nrules = 5\n", encoding="utf-8")
    code, text, said = run("grid.csv", "-o", "grid", cwd=tmp_path)
    assert (code, text) == (0, "")
    assert loads((tmp_path / "grid.svc").read_text(encoding="utf-8")).ok
    lines = said.splitlines()
    assert lines[1].startswith(f"warning: the configuration is left out of what check finds, as it cannot be used: "
                               f"{tmp_path / 'pyproject.toml'}: [tool.blueprint]: unknown key 'rules'")
    assert lines[2].startswith("check finds 0 errors and 2 warnings (1 customer-action-without-evidence, "
                               "1 no-scenario-or-persona), without the configuration: write the flows")
    (tmp_path / "pyproject.toml").write_text('[tool.blueprint]\nignore = ["BP401"]\n', encoding="utf-8")
    code, text, said = run("grid.csv", cwd=tmp_path)
    assert code == 0 and "configuration" not in said
    assert "check finds 0 errors and 1 warning (1 no-scenario-or-persona): write" in said


def test_the_file_imported_is_named_as_a_shell_reads_it(tmp_path):
    """As 'wrote NAME' names the file written: 'imported NAME' wrote a name with a space as it is."""
    (tmp_path / "my café shop.csv").write_text("Customer actions,Orders\n", encoding="utf-8")
    code, _, said = run("my café shop.csv", cwd=tmp_path)
    assert code == 0 and said.startswith("imported 'my café shop.csv': 1 stage,")
    code, _, said = run("my café shop.csv", "-o", "my shop", cwd=tmp_path)
    assert code == 0 and said.startswith("wrote 'my shop.svc': 1 stage,")
