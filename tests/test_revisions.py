"""Blueprints read from git (REV:PATH) whose files are symbolic links in the revision:
followed in the revision, as the disk's links are followed on the disk, and never
through the links of the working tree."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from blueprint_dsl.cli import main

BLUEPRINT = ('blueprint "A" {\n include "staff.svc"\n actor g customer "G"\n'
             ' stage "S" { step s { evidence "E" g: "x" as x clerk: "y" as y } }\n x -> y\n}\n')
RENAMED = '~ changed actor clerk\n    name: "Old name" -> "New name"\n1 changed\n'


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository, the current folder, whose a.svc includes staff.svc, once "Old name"
    and in the next commit a link to staff2.svc, "New name"."""
    monkeypatch.chdir(tmp_path)
    git("init", "-q")
    Path("staff.svc").write_text('role clerk frontstage "Old name"\n')
    Path("staff2.svc").write_text('role clerk frontstage "New name"\n')
    Path("a.svc").write_text(BLUEPRINT)
    commit("first")
    link("staff2.svc", "staff.svc")
    commit("staff.svc is a link")
    return tmp_path


def git(*args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], check=True,
                   capture_output=True)


def commit(message: str) -> None:
    git("add", "-A")
    git("commit", "-q", "-m", message)


def link(target: str, name: str) -> None:
    Path(name).unlink(missing_ok=True)
    os.symlink(target, name)


def blueprint(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def test_an_include_that_is_a_link_in_the_revision_is_followed_there(repo: Path):
    run = blueprint("diff", "HEAD~1:a.svc", "HEAD:a.svc")
    assert (run.exit_code, run.output) == (1, RENAMED)
    # Today's link leads elsewhere: the revision's own are followed, not those of the working tree.
    link("a.svc", "staff.svc")
    run = blueprint("diff", "HEAD~1:a.svc", "HEAD:a.svc")
    assert (run.exit_code, run.output) == (1, RENAMED)
    # No link in the working tree: the link's text is not read as the file it names.
    Path("staff.svc").unlink()
    Path("staff.svc").write_text('role clerk frontstage "Newest name"\n')
    run = blueprint("diff", "HEAD~1:a.svc", "HEAD:a.svc")
    assert (run.exit_code, run.output) == (1, RENAMED)
    # The index's links too.
    git("add", "-A")
    run = blueprint("diff", "HEAD:a.svc", ":a.svc")
    assert (run.exit_code, run.output) == (1, '~ changed actor clerk\n    name: "New name" -> "Newest name"\n'
                                              "1 changed\n")


def test_links_to_folders_and_up_are_followed_in_the_revision(repo: Path):
    Path("common").mkdir()
    Path("common", "staff.svc").write_text('role clerk frontstage "Common name"\n')
    link("common", "shared")
    Path("docs").mkdir()
    link("../shared/staff.svc", "docs/staff.svc")
    Path("docs", "a.svc").write_text(BLUEPRINT)
    commit("a link to a link to a folder")
    for name in ("shared", "docs/staff.svc"):
        Path(name).unlink()
    run = blueprint("diff", "HEAD~1:a.svc", "HEAD:docs/a.svc")
    assert (run.exit_code, run.output) == (1, '~ changed actor clerk\n    name: "New name" -> "Common name"\n'
                                              "1 changed\n")


def test_a_loop_of_links_or_one_out_of_the_project_is_reported_as_on_the_disk(repo: Path):
    for target, code, reason in (("staff.svc", "BP104", "cannot be read (Too many levels of symbolic links)"),
                                 ("../outside.svc", "BP106", "is outside the project root")):
        link(target, "staff.svc")
        on_disk = blueprint("stats", "a.svc")
        commit(f"staff.svc links to {target}")
        link("staff2.svc", "staff.svc")
        from_git = blueprint("stats", "HEAD:a.svc")
        for run in (on_disk, from_git):
            assert run.exit_code == 1
            assert f"a.svc:2:2: error {code} " in run.output and reason in run.output, run.output


def test_a_blueprint_that_is_a_link_in_the_revision_is_read_where_it_leads(repo: Path):
    Path("docs").mkdir()
    link("../a.svc", "docs/a.svc")
    link("loop.svc", "loop.svc")
    commit("links to blueprints")
    for name in ("docs/a.svc", "loop.svc"):
        Path(name).unlink()
    stats = blueprint("stats", "HEAD:docs/a.svc")
    assert stats.exit_code == 0 and stats.output.startswith("A\n"), stats.output
    # Its includes are beside the file it leads to, as on the disk.
    run = blueprint("diff", "HEAD~2:a.svc", "HEAD:docs/a.svc")
    assert (run.exit_code, run.output) == (1, RENAMED)
    loop = blueprint("stats", "HEAD:loop.svc")
    assert loop.exit_code == 2
    assert "error BP009 unreadable-file: 'HEAD:loop.svc' cannot be read (Too many levels" in loop.output


@pytest.mark.parametrize("spec", ["HEAD:new\nline.svc", "HE\x1b[31mAD:a.svc", "HEAD:\x9b[2J\u202e.svc"])
def test_a_revision_or_path_with_controls_is_named_as_escapes(repo: Path, spec: str):
    """What git cannot give is said on one line, its controls written as escapes: neither the
    name given nor git's complaint quoting it drives the terminal."""
    for command in (["diff", spec, "a.svc"], ["stats", spec]):
        run = blueprint(*command)
        assert run.exit_code == 2
        assert all(line.isprintable() for line in run.output.splitlines()), run.output
        assert "Error: " + spec.replace("\n", "\\n").replace("\x1b", "\\x1b").replace("\x9b", "\\x9b").replace(
            "\u202e", "\\u202e") + ": " in run.output
