"""The command line a user meets first: check, render -f json, stdin and stdout, --version."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from blueprint_dsl import __version__
from blueprint_dsl.cli import main

ROOT = Path(__file__).parents[1]
CLEAN = (ROOT / "tests" / "malformed" / "duplicate-actor-id.svc").read_text().replace(
    '  actor  crew     support    "Cleaning crew"\n', ""
)
BROKEN = CLEAN.replace("mechanic: ", "mechnic:  ")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".blueprint-root").write_text("")
    (tmp_path / "shop" / "bikes").mkdir(parents=True)
    (tmp_path / "shop" / "bikes" / "repair.svc").write_text(CLEAN)
    (tmp_path / "shop" / "cafe.svc").write_text(CLEAN.replace("Bike repair drop-off", "Cafe"))
    (tmp_path / "broken.svc").write_text(BROKEN)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(main, list(args), input=stdin)


def test_check_exit_codes(project: Path):
    clean = run("check", "shop")
    assert (clean.exit_code, clean.output) == (0, "0 errors, 0 warnings in 2 files\n")
    broken = run("check", "shop", "broken.svc")
    assert broken.exit_code == 1
    assert broken.output.startswith("broken.svc:16:7: error BP101 unknown-actor: no actor 'mechnic'\n")
    assert broken.output.endswith("1 error, 0 warnings in 3 files\n")
    for args in (("check", "missing.svc"), ("check",), ("check", "--format", "xml", "shop"), ("nosuchcommand",)):
        result = run(*args)
        assert result.exit_code == 2, args
        assert "Traceback" not in result.output



@pytest.mark.parametrize("args", [["check", "broken.svc"], ["stats", "shop/cafe.svc"],
                                  ["diff", "shop/cafe.svc", "shop/bikes/repair.svc"]])
def test_every_command_with_formats_takes_f_for_format_as_render_does(project: Path, args: list[str]):
    long, short = run(*args, "--format", "json"), run(*args, "-f", "json")
    json.loads(short.output)
    assert (short.exit_code, short.output) == (long.exit_code, long.output)

def test_check_json_shape(project: Path):
    result = run("check", "--format", "json", "broken.svc", "shop")
    assert result.exit_code == 1
    document = json.loads(result.output)
    assert {k: document[k] for k in ("version", "files", "errors", "warnings")} == {
        "version": 1, "files": 3, "errors": 1, "warnings": 0}
    (diagnostic,) = document["diagnostics"]
    assert diagnostic == {
        "code": "BP101", "name": "unknown-actor", "severity": "error", "message": "no actor 'mechnic'",
        "hint": "did you mean 'mechanic'?", "path": "broken.svc",
        "line": 16, "column": 7, "end_line": 16, "end_column": 14,
    }
    assert json.loads(run("check", "--format", "json", "shop").output)["diagnostics"] == []


def test_render_json_mirrors_the_input_folders(project: Path):
    result = run("render", "shop", "-f", "json", "-o", "out", "-q")
    assert result.exit_code == 0, result.output
    written = sorted(p.relative_to(project / "out").as_posix() for p in (project / "out").rglob("*") if p.is_file())
    assert written == ["bikes/repair.json", "cafe.json"]
    document = json.loads((project / "out" / "bikes" / "repair.json").read_text())
    assert document["title"] == "Bike repair drop-off"


def test_render_leaves_no_temporary_file_and_keeps_the_old_output_on_errors(project: Path):
    out = project / "out"
    out.mkdir()
    (out / "broken.json").write_text("previous render\n")
    result = run("render", "broken.svc", "-f", "json", "-o", "out", "-q", "--no-cache")
    assert result.exit_code == 1
    assert "BP101" in result.output
    assert (out / "broken.json").read_text() == "previous render\n"
    assert [p.name for p in out.iterdir()] == ["broken.json"]  # no half-written or temporary file


@pytest.mark.parametrize("form", ["json", "html"])
def test_render_refuses_a_duration_over_100_years(project: Path, form: str):
    # 400 digits of days were infinity seconds: "seconds": Infinity in the JSON, an
    # OverflowError in the page.
    (project / "forever.svc").write_text(CLEAN.replace("takes 3min", "takes " + "9" * 400 + "d", 1))
    result = run("render", "forever.svc", "-f", form, "-o", "out", "-q", "--no-cache")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1, result.output
    assert "forever.svc:16:50: error BP201 invalid-duration:" in result.output
    assert not (project / "out").exists() or not any((project / "out").iterdir())


def test_render_writes_atomically(project: Path, monkeypatch: pytest.MonkeyPatch):
    """os.replace is the only way an output appears: a reader never sees a partial file."""
    replaced = []
    real_replace = os.replace

    def spy(src, dst):
        assert Path(src).resolve().parent == Path(dst).resolve().parent and Path(src).name.startswith(".")
        assert Path(src).read_bytes().endswith(b"}\n")  # complete before it becomes visible
        replaced.append(Path(dst).name)
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    result = run("render", "shop/cafe.svc", "-f", "json", "-o", "out", "-q", "--no-cache")
    assert result.exit_code == 0, result.output
    assert replaced == ["cafe.json"]


def test_render_to_a_named_file(project: Path):
    """-o ending in a format's suffix names the output file, and the suffix picks the format."""
    result = run("render", "shop/cafe.svc", "-o", "site/cafe-page.json", "-q")
    assert result.exit_code == 0, result.output
    assert json.loads((project / "site" / "cafe-page.json").read_text())["title"] == "Cafe"
    piped = run("render", "-", "-o", "piped.html", "-q", stdin=CLEAN)
    assert piped.exit_code == 0, piped.output
    assert (project / "piped.html").read_text().startswith("<!DOCTYPE html>")
    (project / "kept.json").mkdir()
    assert run("render", "shop/cafe.svc", "-f", "json", "-o", "kept.json", "-q").exit_code == 0
    assert (project / "kept.json" / "cafe.json").is_file()  # a folder already: outputs go in it


@pytest.mark.parametrize(("args", "message"), [
    (("shop/cafe.svc", "-f", "html", "-o", "cafe.json"), "-o cafe.json names a .json file but -f is html"),
    (("shop", "-o", "all.json"), "for 2 .svc files, give -o a folder"),
    (("shop/bikes", "-o", "repair.json"), "for a folder, give -o a folder"),
])
def test_a_named_output_file_that_cannot_be_is_a_usage_error(project: Path, args: tuple[str, ...], message: str):
    result = run("render", *args)
    assert result.exit_code == 2
    assert message in result.output
    assert not list(project.glob("*.json"))  # nothing written, not even a folder


def test_an_output_named_with_a_suffix_that_is_no_format_is_refused(project: Path):
    """-o diagram.jpg would otherwise become a folder holding diagram.jpg/cafe.svg."""
    result = run("render", "shop/cafe.svc", "-o", "diagram.jpg")
    assert result.exit_code == 2
    assert "-o diagram.jpg: .jpg is not a format blueprint writes" in result.output
    assert "end it with a slash: -o diagram.jpg/" in result.output
    assert not (project / "diagram.jpg").exists()
    folder = run("render", "shop/cafe.svc", "-f", "json", "-o", "site.v2/", "-q")
    assert folder.exit_code == 0, folder.output
    assert (project / "site.v2" / "cafe.json").is_file()
    # A trailing slash names a folder even when the name ends in a format's suffix.
    slashed = run("render", "shop/cafe.svc", "-f", "json", "-o", "o/cafe.json/", "-q")
    assert slashed.exit_code == 0, slashed.output
    assert (project / "o" / "cafe.json" / "cafe.json").is_file()


def test_a_device_or_a_fifo_is_one_output_in_the_format_given(project: Path):
    """-o /dev/null names no format by its name: -f does, or the default."""
    # As root, replacing /dev/null with a file would break the machine: a link to it, here.
    (project / "null").symlink_to("/dev/null")
    for args in (("-f", "json"), ("-f", "html"), ()):
        result = run("render", "shop/cafe.svc", *args, "-o", "null", "-q", "--no-cache")
        assert result.exit_code == 0, (args, result.output)
    assert os.readlink(project / "null") == "/dev/null" and Path("/dev/null").is_char_device()
    os.mkfifo(project / "pipe")
    unread = run("render", "shop/cafe.svc", "-f", "json", "-o", "pipe", "-q")
    assert unread.exit_code == 2 and "cannot write pipe: it is a FIFO no process reads" in unread.output
    assert (project / "pipe").is_fifo()
    several = run("render", "shop", "-f", "json", "-o", "null")
    assert several.exit_code == 2 and "for 2 .svc files, give -o a folder" in several.output
    assert "a file" not in several.output


def test_outputs_never_replace_one_another_or_their_source(project: Path):
    (project / "other").mkdir()
    (project / "other" / "cafe.svc").write_text(CLEAN)
    clash = run("render", "shop/cafe.svc", "other/cafe.svc", "-o", "out")
    assert clash.exit_code == 2
    assert "shop/cafe.svc and other/cafe.svc would both render to out/cafe.svg" in clash.output
    assert not (project / "out").exists()
    (project / "source.json").write_text(CLEAN)
    own = run("render", "source.json", "-f", "json")
    assert own.exit_code == 2 and "the output of source.json would replace it" in own.output
    assert (project / "source.json").read_text() == CLEAN
    twice = run("render", "shop/cafe.svc", "./shop/cafe.svc", "shop", "-f", "json", "-o", "out")
    assert twice.exit_code == 0, twice.output
    assert "2 rendered" in twice.output  # cafe once, and bikes/repair


def test_a_full_disk_on_standard_output_is_a_message_not_a_traceback(project: Path):
    command = Path(sys.executable).parent / "blueprint"
    for args in (["check", "broken.svc"], ["render", "shop/cafe.svc", "-f", "json", "-o", "-"], ["rules"]):
        with open("/dev/full", "w") as full:
            result = subprocess.run([str(command), *args], stdout=full, stderr=subprocess.PIPE, text=True, timeout=60)
        assert result.returncode == 2, args
        assert result.stderr.endswith("blueprint: cannot write standard output: No space left on device\n"), args


@pytest.mark.parametrize("args", [
    ["rules"], ["explain", "BP101"], ["check", "broken.svc"], ["stats", "shop/cafe.svc"],
    ["stats", "shop/cafe.svc", "--format", "json"], ["render", "shop/cafe.svc", "-f", "json", "-o", "-", "-q"],
    ["diff", "shop/cafe.svc", "shop/bikes/repair.svc"], ["fmt", "-"], ["check", "--help"], ["--version"],
])
def test_a_reader_gone_from_standard_output_is_a_message_and_exit_2(project: Path, args: list[str]):
    # As a full disk is: `blueprint rules | head -1` ended quietly with 1, which check and
    # diff give for findings and changes, and `explain` did so or not by the pipe's timing.
    # Here the reader has gone before a byte is written, so each command meets it.
    command = Path(sys.executable).parent / "blueprint"
    reader, writer = os.pipe()
    os.close(reader)
    try:
        result = subprocess.run([str(command), *args], stdout=writer, stderr=subprocess.PIPE, text=True,
                                input=CLEAN, timeout=60)
    finally:
        os.close(writer)
    assert (result.returncode, result.stderr) == (2, "blueprint: cannot write standard output: Broken pipe\n")


@pytest.mark.parametrize("args", [
    ("check", ""), ("check", "shop", ""), ("render", ""), ("render", "-f", "json", ""), ("fmt", ""),
    ("fmt", "--check", ""), ("stats", ""), ("diff", "", "shop/cafe.svc"), ("diff", "shop/cafe.svc", ""),
    ("watch", ""), ("render", "shop/cafe.svc", "-f", "json", "-o", ""),
    ("render", "shop/cafe.svc", "-f", "json", "--cache-dir", ""), ("diff", "shop/cafe.svc", "shop/cafe.svc", "-o", ""),
], ids=lambda args: " ".join(arg or "''" for arg in args))
def test_an_empty_path_is_a_usage_error(project: Path, args: tuple[str, ...]):
    """'' is not the current folder: nothing is read, formatted or written."""
    before = {path: path.read_bytes() for path in project.rglob("*") if path.is_file()}
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert "the path is empty: name a" in result.output
    assert {path: path.read_bytes() for path in project.rglob("*") if path.is_file()} == before


def test_stdin_to_stdout(project: Path):
    result = run("render", "-", "-f", "json", "-o", "-", "-q", stdin=CLEAN)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["title"] == "Bike repair drop-off"
    checked = run("check", "-", stdin=BROKEN)
    assert checked.exit_code == 1
    assert checked.output.startswith("<stdin>:16:7: error BP101 unknown-actor")


def test_version():
    result = run("--version")
    assert (result.exit_code, result.output) == (0, f"blueprint, version {__version__}\n")


def test_the_installed_command_in_a_real_process(project: Path):
    command = Path(sys.executable).parent / "blueprint"
    run_ = subprocess.run([str(command), "check", "broken.svc"], capture_output=True, text=True, timeout=60)
    assert run_.returncode == 1
    assert run_.stdout.startswith("broken.svc:16:7: error BP101 unknown-actor")
    piped = subprocess.run([str(command), "render", "-", "-f", "json", "-o", "-", "-q"], input=CLEAN,
                           capture_output=True, text=True, timeout=60)
    assert piped.returncode == 0 and json.loads(piped.stdout)["schema_version"] == 1


def test_check_loads_the_other_commands_modules_only_when_they_run(project: Path):
    """`check` declared every command's options at start-up (click: 1.5 to 2.5 ms a module);
    it loads none of theirs, and each command is still listed, and runs."""
    command = [sys.executable, "-X", "importtime", "-m", "blueprint_dsl", "check", "examples/coffee.svc"]
    checked = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    loaded = set(re.findall(r"\|\s+blueprint_dsl\.(cli_\w+)$", checked.stderr, re.MULTILINE))
    assert checked.returncode == 0 and loaded == {"cli_params"}, loaded
    listed = subprocess.run([sys.executable, "-m", "blueprint_dsl", "--help"], capture_output=True, text=True)
    commands = re.findall(r"^  ([a-z][a-z-]*)  ", listed.stdout, re.MULTILINE)
    assert commands == ["check", "diff", "explain", "fmt", "import", "lsp", "new", "render", "rules", "stats", "watch"]
    rendered = subprocess.run([sys.executable, "-m", "blueprint_dsl", "render", "examples/coffee.svc", "-f", "json",
                               "-o", "-"], capture_output=True, text=True, cwd=ROOT)
    assert rendered.returncode == 0 and json.loads(rendered.stdout)["title"] == "Coffee to go"
