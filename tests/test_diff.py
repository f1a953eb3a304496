"""Semantic diff: one folder per case under tests/diff/ (old.svc, new.svc, expected.txt).

Regenerate the expected files with BLUEPRINT_REGEN=1 and review them in the diff.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from blueprint_dsl import load, loads
from blueprint_dsl.cli import main
from blueprint_dsl.diff import ADDED, Change, as_markdown, as_text, diff

CASES = sorted(p for p in (Path(__file__).parent / "diff").iterdir() if p.is_dir())
REGEN = os.environ.get("BLUEPRINT_REGEN") == "1"


def test_there_are_at_least_fifteen_kinds_of_change():
    assert len(CASES) >= 15


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_diff_case(case: Path):
    result = CliRunner().invoke(main, ["diff", str(case / "old.svc"), str(case / "new.svc")])
    expected_file = case / "expected.txt"
    if REGEN:
        expected_file.write_text(result.output, encoding="utf-8")
    assert result.output == expected_file.read_text(encoding="utf-8")
    no_change = result.output == "no semantic change\n"
    assert result.exit_code == (0 if no_change else 1)


def test_formatting_and_comments_are_no_change():
    case = Path(__file__).parent / "diff" / "01-formatting-only"
    assert (case / "old.svc").read_text() != (case / "new.svc").read_text()
    assert diff(load(case / "old.svc").blueprint, load(case / "new.svc").blueprint) == []


def test_json_and_markdown_formats():
    case = Path(__file__).parent / "diff" / "05-action-renamed-same-content"
    runner = CliRunner()
    document = json.loads(runner.invoke(main, ["diff", str(case / "old.svc"), str(case / "new.svc"),
                                               "--format", "json"]).output)
    assert document["changes"] == [
        {"kind": "renamed", "entity": "action", "id": "swap_chain", "old_id": "replace", "details": []}
    ]
    markdown = runner.invoke(main, ["diff", str(case / "old.svc"), str(case / "new.svc"), "--format", "markdown"])
    assert "| = | renamed | action `replace` → `swap_chain` |" in markdown.output


def test_markdown_escapes_a_bar_in_the_table_and_not_in_the_heading():
    """A '|' would end a table's cell, and only there; a backslash before it shows elsewhere."""
    markdown = as_markdown([Change(kind=ADDED, entity="action", id="a|b", details=("text: \"x|y\"",))],
                           "old|x.svc", "new.svc")
    assert markdown.startswith("### Blueprint changes: `old|x.svc` → `new.svc`\n")
    assert "| + | added | action `a\\|b` | `text: \"x\\|y\"` |" in markdown


def test_diff_between_git_revisions(tmp_path: Path):
    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    source = Path(__file__).parent / "diff" / "11-duration-changed"
    (tmp_path / "bike.svc").write_text((source / "old.svc").read_text())
    git("init", "-q")
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "--allow-empty", "-m", "empty")
    git("add", "bike.svc")
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "first")
    (tmp_path / "bike.svc").write_text((source / "new.svc").read_text())
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-am", "second")

    def blueprint(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "blueprint_dsl", *args], cwd=tmp_path, capture_output=True,
                              text=True)

    run = blueprint("diff", "HEAD~1:bike.svc", "HEAD:bike.svc")
    assert run.returncode == 1, run.stderr
    assert run.stdout == (source / "expected.txt").read_text()

    unchanged = blueprint("diff", "HEAD:bike.svc", "bike.svc")
    assert (unchanged.returncode, unchanged.stdout) == (0, "no semantic change\n")

    missing = blueprint("diff", "HEAD~5:bike.svc", "bike.svc")
    assert missing.returncode == 2
    assert "HEAD~5:bike.svc" in missing.stderr and "Traceback" not in missing.stderr


def test_git_external_diff_driver(tmp_path: Path):
    source = Path(__file__).parent / "diff" / "12-wait-added"
    result = CliRunner().invoke(
        main,
        ["git-diff", "bike.svc",
         str(source / "old.svc"), "0" * 40, "100644", str(source / "new.svc"), "1" * 40, "100644"],
    )
    assert result.exit_code == 0
    assert result.output == "blueprint diff a/bike.svc b/bike.svc\n" + (source / "expected.txt").read_text()


def test_revisions_and_the_git_driver_find_includes_beside_the_file(tmp_path: Path):
    """A blueprint in a sub-folder with an include, diffed from a revision and by `git diff`."""
    def git(*args: str) -> str:
        return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=tmp_path,
                              check=True, capture_output=True, text=True).stdout

    examples = Path(__file__).parents[1] / "examples"
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "clinic.svc").write_text((examples / "clinic.svc").read_text())
    (tmp_path / "docs" / "shared").mkdir()
    for shared in (examples / "shared").iterdir():
        (tmp_path / "docs" / "shared" / shared.name).write_text(shared.read_text())
    (tmp_path / "docs" / "broken.svc").write_text(BROKEN := 'blueprint "B" {\n  scenario "s"\n')
    (tmp_path / "zebra.svc").write_text((examples / "coffee.svc").read_text())
    git("init", "-q")
    git("add", ".")
    git("commit", "-q", "-m", "first")
    clinic = tmp_path / "docs" / "clinic.svc"
    clinic.write_text(clinic.read_text().replace('stage book "Book"', 'stage book "Book online"'))
    (tmp_path / "docs" / "broken.svc").write_text(BROKEN + "  persona p\n")
    (tmp_path / "zebra.svc").write_text((examples / "coffee.svc").read_text().replace('"Barista"', '"Server"'))

    # The index's forms too: :PATH, and :N:PATH with a merge stage.
    for folder, old, new in ((tmp_path, "HEAD:docs/clinic.svc", "docs/clinic.svc"),
                             (tmp_path / "docs", "HEAD:./clinic.svc", "clinic.svc"),
                             (tmp_path, ":docs/clinic.svc", "docs/clinic.svc"),
                             (tmp_path, ":0:docs/clinic.svc", "docs/clinic.svc"),
                             # A colon in the revision's braces is not the one before the path.
                             (tmp_path, "HEAD@{2099-01-01 10:00}:docs/clinic.svc", "docs/clinic.svc")):
        run = subprocess.run([sys.executable, "-m", "blueprint_dsl", "diff", old, new], cwd=folder,
                             capture_output=True, text=True)
        assert run.returncode == 1, run.stderr
        assert '"Book" -> "Book online"' in run.stdout

    (tmp_path / ".gitattributes").write_text("*.svc diff=blueprint\n")
    driver = f"{sys.executable} -m blueprint_dsl git-diff"
    shown = git("-c", f"diff.blueprint.command={driver}", "diff")
    assert '"Book" -> "Book online"' in shown
    assert "a/docs/broken.svc" in shown and "error BP001" in shown  # reported, and git goes on
    assert '"Barista" -> "Server"' in shown

    dash = subprocess.run([sys.executable, "-m", "blueprint_dsl", "diff", "--", "--output=written:x", "zebra.svc"],
                          cwd=tmp_path, capture_output=True, text=True)
    assert dash.returncode == 2 and "does not start with '-'" in dash.stderr
    assert not (tmp_path / "written:x").exists()


def test_a_revision_reads_its_includes_from_the_same_revision(tmp_path: Path):
    """A shared file changed between two commits shows in the blueprints that include it;
    its messages name it REV:PATH. `git diff` names no commit: it reads the working tree."""
    def git(*args: str) -> str:
        return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=tmp_path,
                              check=True, capture_output=True, text=True).stdout

    def blueprint(folder: Path, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "blueprint_dsl", *args], cwd=folder, capture_output=True,
                              text=True)

    examples = Path(__file__).parents[1] / "examples"
    (tmp_path / "docs" / "shared").mkdir(parents=True)
    clinic = tmp_path / "docs" / "clinic.svc"
    clinic.write_text((examples / "clinic.svc").read_text())
    staff = tmp_path / "docs" / "shared" / "clinic-staff.svc"
    staff.write_text((examples / "shared" / "clinic-staff.svc").read_text())
    git("init", "-q")
    git("add", ".")
    git("commit", "-q", "-m", "first")
    staff.write_text(staff.read_text().replace('"GP"', '"Family doctor"'))
    git("commit", "-q", "-am", "the doctor's name")

    for folder, old, new in ((tmp_path, "HEAD~1:docs/clinic.svc", "HEAD:docs/clinic.svc"),
                             (tmp_path / "docs", "HEAD~1:./clinic.svc", "HEAD:./clinic.svc")):
        run = blueprint(folder, "diff", old, new)
        assert (run.returncode, run.stdout) == (1, '~ changed actor doctor\n    name: "GP" -> "Family doctor"\n'
                                                   "1 changed\n"), run.stderr

    # Broken in the working tree only: the revisions are read whole from git.
    staff.write_text(staff.read_text() + "persn locum frontstage\n")
    line = staff.read_text().count("\n")
    run = blueprint(tmp_path, "diff", "HEAD~1:docs/clinic.svc", "HEAD:docs/clinic.svc")
    assert run.returncode == 1, run.stderr
    working = blueprint(tmp_path, "diff", "HEAD:docs/clinic.svc", "docs/clinic.svc")
    assert working.returncode == 2
    assert working.stderr.startswith(f"docs/shared/clinic-staff.svc:{line}:1: error BP004 unknown-keyword:")

    # Broken in a commit: named by its revision and path, with the excerpt from there.
    git("commit", "-q", "-am", "a typo")
    run = blueprint(tmp_path / "docs", "diff", "HEAD:./clinic.svc", "HEAD~1:./clinic.svc")
    assert run.returncode == 2
    assert run.stderr.startswith(f"HEAD:docs/shared/clinic-staff.svc:{line}:1: error BP004 unknown-keyword:")
    assert f" {line} | persn locum frontstage\n" in run.stderr

    # Not in the revision, though in the working tree: not found there.
    git("checkout", "-q", "HEAD~1", "--", "docs/shared/clinic-staff.svc")
    (tmp_path / "docs" / "shared" / "desk.svc").write_text('role clerk frontstage "Clerk"\n')
    clinic.write_text('include "shared/desk.svc"\n' + clinic.read_text())
    git("add", ".")
    run = blueprint(tmp_path, "diff", "HEAD~1:docs/clinic.svc", ":docs/clinic.svc")
    assert (run.returncode, run.stdout) == (1, "+ added actor clerk\n    frontstage: Clerk\n1 added\n"), run.stderr
    git("rm", "-q", "--cached", "docs/shared/desk.svc")
    run = blueprint(tmp_path, "diff", "HEAD~1:docs/clinic.svc", ":docs/clinic.svc")
    assert run.returncode == 2
    assert run.stderr.startswith(":docs/clinic.svc:1:1: error BP104 include-not-found: ':docs/shared/desk.svc' "
                                 "cannot be read from git: path 'docs/shared/desk.svc' exists on disk, but not in "
                                 "the index\n")
    assert "Traceback" not in run.stderr


def test_the_git_driver_reads_includes_beside_the_file_where_it_is_now(tmp_path: Path):
    """After `git mv` of a folder, git names both paths: the includes are in the new folder."""
    def git(*args: str) -> str:
        return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com",
                               "-c", f"diff.blueprint.command={sys.executable} -m blueprint_dsl git-diff", *args],
                              cwd=tmp_path, check=True, capture_output=True, text=True).stdout

    examples = Path(__file__).parents[1] / "examples"
    (tmp_path / "bp" / "shared").mkdir(parents=True)
    (tmp_path / "bp" / "clinic.svc").write_text((examples / "clinic.svc").read_text())
    (tmp_path / "bp" / "shared" / "clinic-staff.svc").write_text((examples / "shared" / "clinic-staff.svc").read_text())
    (tmp_path / ".gitattributes").write_text("*.svc diff=blueprint\n")
    git("init", "-q")
    git("add", ".")
    git("commit", "-q", "-m", "first")
    git("mv", "bp", "blueprints")
    moved = tmp_path / "blueprints" / "clinic.svc"
    moved.write_text(moved.read_text().replace('stage book "Book"', 'stage book "Book online"'))
    git("add", "-A")
    shown = git("diff", "--cached", "-M", "--", "bp/clinic.svc", "blueprints/clinic.svc")
    assert shown.startswith("blueprint diff a/bp/clinic.svc b/blueprints/clinic.svc\n"), shown
    assert '"Book" -> "Book online"' in shown and "error" not in shown


def test_a_revision_side_must_be_a_file_of_at_most_32_mib(tmp_path: Path):
    """A tree would be read as text, and a huge blob whole into memory: both are refused."""
    def git(*args: str) -> None:
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=tmp_path,
                       check=True, capture_output=True)

    (tmp_path / "docs").mkdir()
    examples = Path(__file__).parents[1] / "examples"
    (tmp_path / "docs" / "cafe.svc").write_text((examples / "coffee.svc").read_text())
    (tmp_path / "huge.svc").write_bytes(b"#" * (33 * 1024 * 1024))
    git("init", "-q")
    git("add", ".")
    git("commit", "-q", "-m", "first")

    def diff(old: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "blueprint_dsl", "diff", old, "docs/cafe.svc"], cwd=tmp_path,
                              capture_output=True, text=True, timeout=60)

    tree = diff("HEAD:docs")
    assert tree.returncode == 2 and "HEAD:docs: a tree in git, not a file" in tree.stderr
    huge = diff("HEAD:huge.svc")
    assert huge.returncode == 2
    assert "error BP009 unreadable-file: 'HEAD:huge.svc' is 33 MiB, over the 32 MiB" in huge.stdout + huge.stderr
    missing = diff("HEAD:nope.svc")
    assert missing.returncode == 2 and "path 'nope.svc' does not exist in 'HEAD'" in missing.stderr


def test_a_side_that_cannot_be_compared_exits_2_so_that_1_means_changed(tmp_path: Path):
    case = Path(__file__).parent / "diff" / "21-mixed-changes"
    (tmp_path / "broken.svc").write_text((case / "new.svc").read_text().replace("{", "", 1))
    runner = CliRunner()
    for old, new in ((tmp_path / "missing.svc", case / "new.svc"), (case / "old.svc", tmp_path / "broken.svc")):
        result = runner.invoke(main, ["diff", str(old), str(new)])
        assert result.exit_code == 2, result.output
        assert "error BP" in result.output
    stats = [runner.invoke(main, ["stats", str(tmp_path / name)]).exit_code for name in ("missing.svc", "broken.svc")]
    assert stats == [2, 1]  # as check: a file that cannot be read is 2, one with errors 1


def test_an_unwritable_output_exits_2_without_a_traceback(tmp_path: Path):
    case = Path(__file__).parent / "diff" / "04-action-text-changed"
    (tmp_path / "a-file").write_text("")
    result = CliRunner().invoke(main, ["diff", str(case / "old.svc"), str(case / "new.svc"),
                                       "-o", str(tmp_path / "a-file" / "diff.txt")])
    assert result.exit_code == 2
    assert "blueprint: cannot write" in result.output
    assert isinstance(result.exception, SystemExit)  # a clean exit, not an error raised


def test_the_suffix_of_the_output_picks_the_format_as_render_does(tmp_path: Path):
    case = Path(__file__).parent / "diff" / "04-action-text-changed"
    sides = [str(case / "old.svc"), str(case / "new.svc")]
    runner = CliRunner()
    starts = {"d.html": "<!DOCTYPE html>", "d.svg": "<?xml", "d.json": "{", "d.md": "### Blueprint changes"}
    for name, start in starts.items():
        result = runner.invoke(main, ["diff", *sides, "-o", str(tmp_path / name)])
        assert result.exit_code == 1, result.output
        assert (tmp_path / name).read_text().startswith(start), name
    agreed = runner.invoke(main, ["diff", *sides, "--format", "json", "-o", str(tmp_path / "agreed.json")])
    assert agreed.exit_code == 1 and json.loads((tmp_path / "agreed.json").read_text())
    mismatch = runner.invoke(main, ["diff", *sides, "--format", "json", "-o", str(tmp_path / "x.svg")])
    assert mismatch.exit_code == 2 and not (tmp_path / "x.svg").exists()
    assert "-o " + str(tmp_path / "x.svg") + " names a .svg file but --format is json: make them agree, " \
           "or leave --format out" in mismatch.output


def test_one_side_may_be_standard_input():
    case = Path(__file__).parent / "diff" / "04-action-text-changed"
    runner = CliRunner()
    for args in (["-", str(case / "new.svc")], [str(case / "old.svc"), "-"]):
        stdin = (case / ("old.svc" if args[0] == "-" else "new.svc")).read_bytes()
        result = runner.invoke(main, ["diff", *args], input=stdin)
        assert result.exit_code == 1, result.output
        assert result.output == (case / "expected.txt").read_text()
    both = runner.invoke(main, ["diff", "-", "-"], input=b"")
    assert both.exit_code == 2 and "standard input, which can be read once" in both.output


def test_the_output_is_never_a_file_the_blueprints_are_read_from(tmp_path: Path):
    case = Path(__file__).parent / "diff" / "04-action-text-changed"
    for name in ("old.svc", "new.svc"):
        (tmp_path / name).write_text((case / name).read_text())
    (tmp_path / "shared.svc").write_text('person clerk frontstage "Clerk"\n')
    (tmp_path / "new.svc").write_text('include "shared.svc"\n' + (tmp_path / "new.svc").read_text())
    before = {p.name: p.read_text() for p in tmp_path.iterdir()}
    runner = CliRunner()
    for target in ("new.svc", "old.svc", "shared.svc", "./old.svc"):
        for fmt in ("text", "html"):
            result = runner.invoke(main, ["diff", str(tmp_path / "old.svc"), str(tmp_path / "new.svc"),
                                          "--format", fmt, "-o", str(tmp_path / target)])
            assert result.exit_code == 2 and "is a file the blueprints compared are read from" in result.output
    assert {p.name: p.read_text() for p in tmp_path.iterdir()} == before

    dash = runner.invoke(main, ["diff", str(tmp_path / "old.svc"), str(tmp_path / "new.svc"), "-o", "-"])
    assert dash.exit_code == 1 and "~ changed action replace" in dash.output  # "-" is standard output
    assert not (Path.cwd() / "-").exists()


def test_a_file_of_shared_declarations_is_named_as_such(tmp_path: Path):
    (tmp_path / "people.svc").write_text('person clerk frontstage "Clerk"\n')
    runner = CliRunner()
    for args in (["diff", str(tmp_path / "people.svc"), str(tmp_path / "people.svc")],
                 ["stats", str(tmp_path / "people.svc")]):
        result = runner.invoke(main, args)
        assert result.exit_code == 2 and "holds no blueprint, only declarations" in result.output
    driver = runner.invoke(main, ["git-diff", "people.svc", str(tmp_path / "people.svc"), "0" * 40, "100644",
                                  str(tmp_path / "people.svc"), "1" * 40, "100644"])
    assert driver.exit_code == 0 and "no blueprint to compare, only declarations" in driver.output


def test_flows_between_the_same_two_actions_are_told_apart():
    def blueprint(*flows: str):
        result = loads('blueprint "P" { scenario "s" persona "p" actor c customer "C" person s frontstage "S"\n'
                       'stage "One" { step t { evidence "e" c: "asks" as a s: "answers" as b } }\n'
                       + "\n".join(flows) + "\n}")
        assert result.ok, result.diagnostics
        return result.blueprint

    def changes(old, new) -> str:
        return as_text(diff(old, new))

    both = blueprint('a -> b : "first"', 'a -> b : "second"')
    assert changes(both, both) == "no semantic change\n"
    # Which of them went is told by its label.
    assert changes(both, blueprint('a -> b : "second"')) == '- removed flow a -> b\n    label: "first"\n1 removed\n'
    assert changes(both, blueprint('a -> b : "first"', 'a -> b : "third"')) == (
        '~ changed flow a -> b\n    label: "second" -> "third"\n1 changed\n')
    assert changes(blueprint("a -> b"), blueprint("a -> b", "a <-> b")) == "+ added flow a <-> b\n1 added\n"
    assert changes(blueprint('a <-> b : "x"'), blueprint('a <-> b : "y"')) == (
        '~ changed flow a <-> b\n    label: "x" -> "y"\n1 changed\n')


def test_a_theme_for_a_format_without_colours_is_a_usage_error():
    case = Path(__file__).parent / "diff" / "04-action-text-changed"
    for output_format in ("text", "json", "markdown"):
        result = CliRunner().invoke(main, ["diff", str(case / "old.svc"), str(case / "new.svc"),
                                           "--format", output_format, "--theme", "dark"])
        assert result.exit_code == 2
        assert f"--theme colours the html and svg formats, not {output_format}" in result.output
    drawn = CliRunner().invoke(main, ["diff", str(case / "old.svc"), str(case / "new.svc"), "--format", "svg",
                                      "--theme", "dark"])
    assert drawn.exit_code == 1 and drawn.stdout_bytes.startswith(b"<?xml")
