"""``blueprint new``: a starter blueprint that passes ``check``, written to a new file and
never over one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from blueprint_dsl import load, loads
from blueprint_dsl.check import check
from blueprint_dsl.cli import main
from blueprint_dsl.files import write_atomic
from blueprint_dsl.formatter import format_text
from blueprint_dsl.model import ACTOR_LANES
from blueprint_dsl.render import FORMATS, RenderOptions
from tests.hostile_strings import HOSTILE


def new(*args: str, cwd: Path) -> tuple[int, str, str]:
    """``blueprint new ARGS`` in ``cwd``: the exit code, standard output and standard error."""
    runner = CliRunner()
    os.chdir(cwd)
    result = runner.invoke(main, ["new", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(autouse=True)
def _back_to_the_start():
    start = os.getcwd()
    yield
    os.chdir(start)


def test_the_starter_passes_check_is_formatted_and_draws(tmp_path):
    """No finding at all, fmt would change nothing, and both drawings render it: what a
    new user writes over starts clean."""
    code, _, said = new("bike-repair", cwd=tmp_path)
    assert code == 0, said
    written = tmp_path / "bike-repair.svc"
    assert "wrote bike-repair.svc" in said and "blueprint check bike-repair.svc" in said
    result = load(written)
    assert result.ok and list(check(result)) == []
    text = written.read_text(encoding="utf-8")
    assert format_text(text, str(written)) == text
    blueprint = result.blueprint
    assert blueprint.title == "Bike repair"
    # Everything the method draws: every lane, stages, a fail point with its fail-safe and owner, a wait, flows.
    assert {action.lane for action in blueprint.actions()} == set(ACTOR_LANES)
    assert all(step.evidence for stage in blueprint.stages for step in stage.steps)
    assert len(blueprint.stages) >= 2 and len(blueprint.flows) >= 3
    assert any(a.fail and a.fail.safe and a.fail.owner for a in blueprint.actions())
    assert any(a.wait for a in blueprint.actions())
    for name in ("svg", "html"):
        assert FORMATS[name].render(blueprint, RenderOptions())


@pytest.mark.parametrize("name, written, title", [
    ("coffee_to-go", "coffee_to-go.svc", "Coffee to go"),
    ("x.svc", "x.svc", "X"),
    ("--.svc", "--.svc", "New service"),
    ("onboarding-v1.2", "onboarding-v1.2.svc", "Onboarding v1.2"),
    ("caf\udce9.svc", "caf\udce9.svc", "Caf\ufffd"),  # a file name UTF-8 cannot read: caf, then byte 0xe9
])
def test_the_title_comes_from_the_file_s_name_which_ends_in_svc(tmp_path, name, written, title):
    """Every file written ends in .svc, the files `check` finds in a folder: onboarding-v1.2
    was written without, and titled Onboarding v1."""
    assert new("--", name, cwd=tmp_path)[0] == 0
    assert [path.name for path in tmp_path.iterdir()] == [written]
    assert load(tmp_path / written).blueprint.title == title


def test_a_title_given_that_utf8_cannot_write_has_its_bytes_replaced(tmp_path):
    code, text, _ = new("-", "--title", "caf\udce9", cwd=tmp_path)
    assert code == 0 and loads(text).blueprint.title == "caf\ufffd"


def test_a_device_or_a_pipe_is_no_file_to_write(tmp_path):
    """/dev/null was taken for a name without .svc: as root, /dev/null.svc was made. A
    FIFO stands in for it here, where nothing but the test's folder is written."""
    os.mkfifo(tmp_path / "pipe")
    code, _, said = new("pipe", cwd=tmp_path)
    assert code == 2 and "pipe is no file to write a blueprint to: name a new .svc file, or '-'" in said
    assert [path.name for path in tmp_path.iterdir()] == ["pipe"]


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_any_title_is_written_as_a_string_that_reads_back_as_given(tmp_path, name):
    """Quotes, backslashes, line breaks and controls are escaped: the file holds no
    character one cannot see but its line breaks, and reads back to the title given."""
    code, text, _ = new("-", "--title", HOSTILE[name], cwd=tmp_path)
    assert code == 0
    assert not any(ord(char) < 0x20 and char != "\n" or 0x7F <= ord(char) <= 0x9F for char in text)
    result = loads(text)
    assert result.ok, result.diagnostics
    assert result.blueprint.title == HOSTILE[name]
    assert list(tmp_path.iterdir()) == []


def test_a_file_that_exists_is_never_written_over(tmp_path):
    for name in ("taken.svc", "link.svc"):
        existing = tmp_path / name
        if name == "link.svc":
            existing.symlink_to(tmp_path / "nowhere.svc")  # a link to nothing still holds the name
        else:
            existing.write_text("mine\n", encoding="utf-8")
        code, _, said = new(name, cwd=tmp_path)
        assert code == 2
        assert f"{name} exists, and new never writes over a file" in said
    assert (tmp_path / "taken.svc").read_text(encoding="utf-8") == "mine\n"
    assert not (tmp_path / "nowhere.svc").exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["link.svc", "taken.svc"]


def test_a_name_ending_in_a_slash_is_a_folder_s_and_writes_nothing(tmp_path):
    """``new docs/`` wrote a hidden ``docs/.svc``: a name ending in '/' names no file."""
    code, _, said = new("docs/", cwd=tmp_path)
    assert code == 2 and "docs/ names a folder: name the file to write, such as docs/service.svc" in said
    assert list(tmp_path.iterdir()) == []
    assert new(".svc", cwd=tmp_path)[0] == 0  # a name that is its suffix alone gets no second one
    assert [path.name for path in tmp_path.iterdir()] == [".svc"]


def test_folders_on_the_way_are_made_and_a_file_in_the_way_is_a_message(tmp_path):
    assert new("docs/blueprints/intake.svc", cwd=tmp_path)[0] == 0
    assert load(tmp_path / "docs" / "blueprints" / "intake.svc").ok
    (tmp_path / "plain").write_text("", encoding="utf-8")
    code, _, said = new("plain/intake.svc", cwd=tmp_path)
    assert code == 2 and "cannot write plain/intake.svc: plain is not a folder" in said


def test_a_name_written_over_while_the_starter_is_written_is_kept(tmp_path, monkeypatch):
    """The name is taken only if free when the starter is in place: a file made there
    meanwhile stays, and no temporary is left."""
    target = tmp_path / "raced.svc"
    real_link = os.link

    def made_meanwhile(source, destination):
        Path(destination).write_text("theirs\n", encoding="utf-8")
        real_link(source, destination)

    monkeypatch.setattr(os, "link", made_meanwhile)
    with pytest.raises(FileExistsError):
        write_atomic(target, b"ours\n", replace=False)
    assert target.read_text(encoding="utf-8") == "theirs\n"
    assert [path.name for path in tmp_path.iterdir()] == ["raced.svc"]


def test_without_hard_links_the_name_is_taken_by_an_empty_file_first(tmp_path, monkeypatch):
    """On a file system with no hard links the new file is written all the same, and a
    name already taken is still refused."""
    def no_links(source, destination):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    write_atomic(tmp_path / "fresh.svc", b"ours\n", replace=False)
    assert (tmp_path / "fresh.svc").read_bytes() == b"ours\n"

    def no_links_and_made_meanwhile(source, destination):
        Path(destination).write_text("theirs\n", encoding="utf-8")
        no_links(source, destination)

    monkeypatch.setattr(os, "link", no_links_and_made_meanwhile)
    with pytest.raises(FileExistsError):
        write_atomic(tmp_path / "raced.svc", b"ours\n", replace=False)
    assert (tmp_path / "raced.svc").read_bytes() == b"theirs\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["fresh.svc", "raced.svc"]


def test_standard_output_is_utf8_whatever_the_locale(tmp_path):
    """Written to stdout in the locale's encoding, a Latin-1 terminal's redirect gave a file
    check refused (BP006 invalid-encoding)."""
    import subprocess
    import sys

    env = {**os.environ, "PYTHONIOENCODING": "latin-1"}
    done = subprocess.run([sys.executable, "-m", "blueprint_dsl", "new", "-", "--title", "Café"], env=env,
                          capture_output=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert loads(done.stdout.decode("utf-8")).blueprint.title == "Café"
