"""`blueprint check`, `rules` and `explain` as a user runs them."""

from __future__ import annotations

import json
import os
import pty
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from blueprint_dsl import catalog
from blueprint_dsl.cli import main
from blueprint_dsl.codes import CODES
from blueprint_dsl.rules import RULES

ROOT = Path(__file__).parent.parent
BLUEPRINT_BIN = [sys.executable, "-m", "blueprint_dsl"]

CLEAN = """\
blueprint "Night" {
  scenario "One night"
  persona  "Traveller"
  actor guest customer "Guest"
  stage night "Night" {
    step sleep "Sleep" {
      evidence "Bed"
      guest: "Sleeps" as sleep
    }
  }
}
"""
# Warnings only: no persona (1:1), a customer action without evidence (line 6).
WARNINGS = """\
blueprint "Night" {
  scenario "One night"
  actor guest customer "Guest"
  stage night "Night" {
    step sleep "Sleep" {
      guest: "Sleeps" as sleep
    }
  }
}
"""
# One error (the customer acting backstage, line 8) and one warning (no scenario, 1:1).
ERRORS = """\
blueprint "Night" {
  persona "Traveller"
  actor guest customer "Guest"
  stage night "Night" {
    step sleep "Sleep" {
      evidence "Bed"
      guest: "Sleeps" as sleep
      guest: "Makes the bed" in backstage as make_bed
    }
  }
  sleep -> make_bed
}
"""


@pytest.fixture()
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(folder: Path, name: str, text: str) -> str:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return name


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


# ---- exit codes and the summary ---------------------------------------------------------


def test_clean_exits_0_with_a_summary(folder: Path) -> None:
    result = invoke("check", write(folder, "a.svc", CLEAN))
    assert result.exit_code == 0
    assert result.stdout == "0 errors, 0 warnings in 1 file\n"


def test_warnings_exit_0(folder: Path) -> None:
    result = invoke("check", write(folder, "a.svc", WARNINGS))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "0 errors, 2 warnings in 1 file"


def test_errors_exit_1(folder: Path) -> None:
    result = invoke("check", write(folder, "a.svc", ERRORS))
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == "1 error, 1 warning in 1 file"


def test_summary_counts_every_file(folder: Path) -> None:
    for name, text in (("a.svc", ERRORS), ("b.svc", ERRORS), ("c.svc", WARNINGS), ("d/e.svc", CLEAN)):
        write(folder, name, text)
    result = invoke("check", ".")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == "2 errors, 4 warnings in 4 files"


@pytest.mark.parametrize("names", [("a.svc", "./a.svc"), (".", "a.svc"), ("a.svc", "a.svc"), ("d/..", "a.svc")])
def test_a_file_named_twice_is_checked_and_counted_once(folder: Path, names: tuple[str, ...]) -> None:
    write(folder, "a.svc", ERRORS)
    (folder / "d").mkdir()
    result = invoke("check", *names)
    assert result.stdout.count("error BP") == 1, result.stdout
    assert result.stdout.splitlines()[-1] == "1 error, 1 warning in 1 file"


def test_a_symbolic_link_to_a_file_is_a_file_of_its_own(folder: Path) -> None:
    # As render writes an output for each name (latest.svc -> v3.svc), check reads each.
    write(folder, "sub/a.svc", ERRORS)
    (folder / "link.svc").symlink_to("sub/a.svc")
    result = invoke("check", ".")
    assert result.stdout.splitlines()[-1] == "2 errors, 2 warnings in 2 files"


def test_a_shared_file_included_by_several_blueprints_reports_its_problems_once(folder: Path) -> None:
    (folder / ".blueprint-root").touch()
    write(folder, "shared/staff.svc", 'role clerk frontstage "Clerk" @\n')
    for name in ("a.svc", "b.svc"):
        write(folder, name, 'include "shared/staff.svc"\n' + CLEAN)
    result = invoke("check", ".")
    assert result.stdout.count("shared/staff.svc:1:31: error BP005") == 1, result.stdout
    assert result.stdout.splitlines()[-1] == "1 error, 0 warnings in 3 files"


def test_a_syntax_error_exits_1_and_is_reported_like_a_finding(folder: Path) -> None:
    result = invoke("check", write(folder, "a.svc", CLEAN.replace('"Sleeps"', '"Sleeps')))
    assert result.exit_code == 1
    assert re.search(r"^a\.svc:\d+:\d+: error BP0\d\d ", result.stdout, re.MULTILINE)


@pytest.mark.parametrize(
    "args",
    [
        ("check", "missing.svc"),
        ("check", "empty-folder"),
        ("check", "--format", "xml", "a.svc"),
        ("check", "--max-customer-actions", "many", "a.svc"),
        ("check",),
    ],
)
def test_usage_and_io_errors_exit_2(folder: Path, args: tuple[str, ...]) -> None:
    write(folder, "a.svc", CLEAN)
    (folder / "empty-folder").mkdir()
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert "Error:" in result.stderr


def test_missing_file_message_names_it(folder: Path) -> None:
    result = invoke("check", "missing.svc")
    assert "missing.svc: no such file or folder" in result.stderr


def bound_by_permissions() -> list[str]:
    """The start of a command line that runs a process the permissions of files bind: root
    without the capabilities that let it read any folder, or nothing for another user."""
    if os.geteuid() != 0:
        return []
    command = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]
    if shutil.which("setpriv") is None or subprocess.run([*command, "true"], capture_output=True).returncode:
        pytest.skip("root reads every folder, and setpriv cannot take that from it here")
    return command


@pytest.mark.parametrize("command", [("check",), ("fmt",), ("fmt", "--check"), ("render", "-f", "json", "-q")],
                         ids=" ".join)
def test_a_folder_that_cannot_be_listed_fails_the_run(folder: Path, command: tuple[str, ...]) -> None:
    write(folder, "d/a.svc", CLEAN)
    write(folder, "d/locked/b.svc", CLEAN)
    (folder / "d" / "locked").chmod(0)
    try:
        run = subprocess.run([*bound_by_permissions(), *BLUEPRINT_BIN, *command, "d"], capture_output=True, text=True,
                             timeout=120)
    finally:
        (folder / "d" / "locked").chmod(0o755)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "d/locked:1:1: error BP009 unreadable-file: 'd/locked' is a folder that cannot be listed " \
           "(Permission denied)" in run.stdout + run.stderr
    assert "Traceback" not in run.stderr


# ---- order ------------------------------------------------------------------------------


def test_diagnostics_are_sorted_by_file_and_position_across_files(folder: Path) -> None:
    write(folder, "b.svc", ERRORS)
    write(folder, "a.svc", WARNINGS)
    write(folder, "sub/c.svc", WARNINGS)
    result = invoke("check", "sub", "b.svc", "a.svc")
    heads = [line for line in result.stdout.splitlines() if re.match(r"^\S+\.svc:\d+:\d+: ", line)]
    positions = [re.match(r"^(\S+\.svc):(\d+):(\d+): \w+ (BP\d+)", line).groups() for line in heads]
    assert [(p, int(line), int(c), code) for p, line, c, code in positions] == [
        ("a.svc", 1, 1, "BP411"),
        ("a.svc", 6, 7, "BP401"),
        ("b.svc", 1, 1, "BP411"),
        ("b.svc", 8, 7, "BP301"),
        ("sub/c.svc", 1, 1, "BP411"),
        ("sub/c.svc", 6, 7, "BP401"),
    ]


def test_text_shows_the_source_line_a_caret_and_a_hint(folder: Path) -> None:
    result = invoke("check", write(folder, "a.svc", ERRORS))
    assert (
        "a.svc:8:7: error BP301 actor-outside-their-lanes: the customer 'guest' cannot act in the backstage lane\n"
        ' 8 |       guest: "Makes the bed" in backstage as make_bed\n'
        "   |       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
        "   = hint: give this step to a member of staff or a system, or move it to the customer lane\n"
    ) in result.stdout


def test_the_caret_stands_under_the_span_after_wide_characters(folder: Path) -> None:
    # Chinese and Japanese characters take two cells of a terminal; a combining accent and
    # a vowel sign set on its letter (of combining class 0) none; a zero-width joiner is
    # shown as one replacement character.
    text = ERRORS.replace('"Makes the bed"', '"整理床铺 e\u0301 नमस्ते \u200d"')
    assert text != ERRORS
    result = invoke("check", write(folder, "a.svc", text))
    assert (
        ' 8 |       guest: "整理床铺 e\u0301 नमस्ते \N{REPLACEMENT CHARACTER}" in backstage as make_bed\n'
        "   |       " + "^" * len('guest: "12345678 e abcd x" in backstage as make_bed') + "\n"
    ) in result.stdout


# ---- colour -----------------------------------------------------------------------------


def test_no_colour_when_piped(folder: Path) -> None:
    write(folder, "a.svc", ERRORS)
    done = subprocess.run([*BLUEPRINT_BIN, "check", "a.svc"], capture_output=True, text=True, cwd=folder)
    assert done.returncode == 1
    assert "BP301" in done.stdout
    assert "\x1b[" not in done.stdout


def test_colour_on_a_terminal(folder: Path) -> None:
    write(folder, "a.svc", ERRORS)
    main_end, child_end = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM")} | {"TERM": "xterm"}
    process = subprocess.Popen(
        [*BLUEPRINT_BIN, "check", "a.svc"], stdout=child_end, stderr=subprocess.DEVNULL, cwd=folder, env=env
    )
    os.close(child_end)
    output = b""
    while True:
        try:
            chunk = os.read(main_end, 4096)
        except OSError:  # the terminal closes when the process ends
            break
        if not chunk:
            break
        output += chunk
    os.close(main_end)
    assert process.wait(timeout=30) == 1
    assert b"\x1b[31m" in output  # errors in red
    assert b"\x1b[33m" in output  # warnings in yellow


# ---- rules and explain ------------------------------------------------------------------


def test_rules_lists_every_code() -> None:
    result = invoke("rules")
    assert result.exit_code == 0
    listed = [line.split()[0] for line in result.stdout.splitlines()]
    assert listed == sorted([c.code for c in CODES] + [r.code.code for r in RULES])
    for rule in RULES:
        assert re.search(rf"^{rule.code.code}\s+{rule.code.name}\s+{rule.code.severity.value}\s", result.stdout, re.M)


def test_rules_code_prints_the_documentation() -> None:
    result = invoke("rules", "BP404")
    assert result.exit_code == 0
    assert result.stdout.startswith("BP404 flow-skips-contact-staff (warning)\n")
    for section in ("## What it does", "## Why it matters", "## Example", "## Use instead", "## Source"):
        assert section in result.stdout
    assert "pay_card -> authorise" in result.stdout


def test_explain_by_name_prints_the_same_documentation() -> None:
    by_name = invoke("explain", "flow-skips-contact-staff")
    assert by_name.exit_code == 0
    assert by_name.stdout == invoke("rules", "BP404").stdout
    assert invoke("explain", "bp404").stdout == by_name.stdout


def test_explain_a_syntax_code() -> None:
    result = invoke("explain", "BP101")
    assert result.exit_code == 0
    assert "unknown-actor" in result.stdout


@pytest.mark.parametrize(
    "key, hint",
    [("flow-skip-contact-staff", "did you mean 'flow-skips-contact-staff'?"), ("BP4O4", "'BP404'"),
     # A letter O for a zero, a letter l for a one: the code meant first, before codes as far off as written.
     ("BP4O1", "did you mean 'BP401' or"), ("BP1O1", "did you mean 'BP101' or"), ("BP40l", "did you mean 'BP401' or")],
)
def test_unknown_rule_exits_2_with_did_you_mean(key: str, hint: str) -> None:
    result = invoke("explain", key)
    assert result.exit_code == 2
    assert f"no rule '{key}'" in result.stderr
    assert hint in result.stderr


def test_markdown_with_a_code_is_a_usage_error() -> None:
    result = invoke("rules", "BP401", "--markdown")
    assert result.exit_code == 2 and "--markdown prints the whole catalog" in result.stderr


def test_unknown_rule_far_from_anything_points_to_the_list() -> None:
    result = invoke("rules", "zzz")
    assert result.exit_code == 2
    assert "see `blueprint rules`" in result.stderr


# ---- docs/rules.md ----------------------------------------------------------------------


def test_docs_rules_md_is_generated_from_the_catalog() -> None:
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == invoke("rules", "--markdown").stdout, "docs/rules.md is stale: run `make docs`"


def test_docs_rules_md_has_a_section_per_code() -> None:
    generated = catalog.markdown()
    for entry in catalog.entries():
        assert f"## {entry.code.code} {entry.code.name}\n" in generated
    for rule in RULES:
        assert rule.doc.splitlines()[1] in generated  # the rule's own documentation, not only its summary


# ---- what runs --------------------------------------------------------------------------


def test_rules_wait_until_the_names_resolve(folder: Path) -> None:
    # A typo in a staff actor's name must not make the action a "customer action".
    text = WARNINGS.replace(
        '      guest: "Sleeps" as sleep\n',
        '      guest: "Sleeps" as sleep\n      clrek: "Turns down the bed" as turn_down\n',
    )
    result = invoke("check", "--format", "json", write(folder, "a.svc", text))
    assert [d["code"] for d in json.loads(result.stdout)["diagnostics"]] == ["BP101"]
    fixed = text.replace("clrek:", "guest:")
    result = invoke("check", "--format", "json", write(folder, "a.svc", fixed))
    assert [d["code"] for d in json.loads(result.stdout)["diagnostics"]] == ["BP411", "BP401", "BP401"]
