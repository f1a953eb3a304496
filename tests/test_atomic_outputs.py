"""Outputs are written whole or not at all.

``blueprint render`` of a large blueprint is killed (SIGKILL) over and over, at random
moments and the moment its temporary file appears; the output is each time the old
render or the new one, byte for byte, and a temporary file left by a kill is never
taken for an output. A blueprint with errors, or a backend that fails, leaves an
existing output alone; an output that cannot be written is exit 2 and a message.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.generate import blueprint as generated

ROOT = Path(__file__).parents[1]
#: Steps of the generated blueprint: 3,000 actions, a JSON model of about 3 MB.
STEPS = 1000
KILLS = 24


def command(source: Path, out: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "blueprint_dsl", "render", str(source), "-f", "json", "-o", str(out), "-q",
            "--no-cache", *args]


def run(source: Path, out: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(command(source, out, *args), capture_output=True, text=True, timeout=120,
                          env=env, cwd=source.parent)


def temporaries(out: Path) -> list[Path]:
    return [p for p in out.iterdir() if p.name.startswith(".") and p.name.endswith(".tmp")]


def identity(path: Path) -> tuple:
    try:
        info = path.stat()
    except FileNotFoundError:
        return ()
    return info.st_ino, info.st_size, info.st_mtime_ns


def test_a_killed_render_leaves_the_old_output_or_the_new_one(tmp_path: Path):
    source, out = tmp_path / "big.svc", tmp_path / "out"
    target = out / "big.json"
    # Known-good renders of the old and the new blueprint.
    source.write_text(generated(STEPS, title="New"))
    assert run(source, out).returncode == 0
    new = target.read_bytes()
    source.write_text(generated(STEPS, title="Old"))
    assert run(source, out).returncode == 0
    old = target.read_bytes()
    assert old != new and len(new) > 2_000_000
    source.write_text(generated(STEPS, title="New"))

    chances = random.Random(8)
    seen = {"old": 0, "new": 0, "mid-write": 0}
    started = time.monotonic()
    for attempt in range(KILLS):
        before = identity(target)
        process = subprocess.Popen(command(source, out), cwd=tmp_path, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        if attempt % 2:
            # The moment writing starts (a temporary file appears, or the output itself
            # changes): the kill lands while the output is written.
            deadline = time.monotonic() + 30
            while (process.poll() is None and not temporaries(out) and identity(target) == before
                   and time.monotonic() < deadline):
                time.sleep(0.0005)
            time.sleep(chances.uniform(0, 0.004))
            seen["mid-write"] += bool(temporaries(out)) or identity(target) != before
        else:
            time.sleep(chances.uniform(0.05, 0.9))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)

        written = target.read_bytes()
        assert written in (old, new), f"kill {attempt}: a partial output of {len(written)} bytes"
        seen["old" if written == old else "new"] += 1
        if written == new:
            target.write_bytes(old)  # back to the old render, so the next kill tests the switch again
        # Whatever a kill left behind is a hidden temporary, never an output name.
        assert {p.name for p in out.iterdir() if not p.name.startswith(".")} == {"big.json"}

    assert seen["old"] and seen["mid-write"] >= KILLS // 4, seen
    assert time.monotonic() - started < 60

    # A temporary left by a kill is not an extra output for --check, and the next render
    # replaces the output as usual.
    left = temporaries(out)
    check = run(source, out, "--check")
    assert "extra" not in check.stdout and check.returncode == 1 and "stale" in check.stdout
    # Temporaries more than an hour old are a killed run's: the next write removes them.
    assert left, "no kill landed mid-write"
    os.utime(left[0], (time.time() - 7200, time.time() - 7200))
    assert run(source, out).returncode == 0
    assert target.read_bytes() == new
    assert run(source, out, "--check").returncode == 0
    assert not left[0].exists()
    assert set(temporaries(out)) == set(left[1:])


@pytest.fixture
def coffee(tmp_path: Path) -> Path:
    source = tmp_path / "coffee.svc"
    source.write_text((ROOT / "examples" / "coffee.svc").read_text())
    return source


def test_a_blueprint_with_errors_never_changes_an_existing_output(tmp_path: Path, coffee: Path):
    out = tmp_path / "out"
    assert run(coffee, out).returncode == 0
    target = out / "coffee.json"
    before, stamp = target.read_bytes(), target.stat().st_mtime_ns
    for broken in (coffee.read_text().replace("stage", "stge", 1),           # a syntax error
                   coffee.read_text().replace("guest:", "nobody:", 1),      # an unknown actor
                   "blueprint \"Broken\" {"):                                # cut short
        coffee.write_text(broken)
        result = run(coffee, out)
        assert result.returncode == 1, result.stderr
        assert target.read_bytes() == before and target.stat().st_mtime_ns == stamp
        assert sorted(p.name for p in out.iterdir()) == ["coffee.json"]


def test_a_failing_backend_never_changes_an_existing_output(tmp_path: Path, coffee: Path):
    out = tmp_path / "out"
    svg = [sys.executable, "-m", "blueprint_dsl", "render", str(coffee), "-f", "svg", "-o", str(out), "--no-cache"]
    assert subprocess.run(svg, cwd=tmp_path, capture_output=True, timeout=60).returncode == 0
    target = out / "coffee.svg"
    before = target.read_bytes()
    empty = tmp_path / "no-graphviz"
    empty.mkdir()
    result = subprocess.run(svg, cwd=tmp_path, capture_output=True, text=True, timeout=60,
                            env={**os.environ, "PATH": str(empty)})
    assert result.returncode == 2 and "not found" in result.stderr
    assert target.read_bytes() == before and sorted(p.name for p in out.iterdir()) == ["coffee.svg"]


def test_an_output_path_that_is_a_folder_exits_2_and_leaves_no_temporary(tmp_path: Path, coffee: Path):
    out = tmp_path / "out"
    (out / "coffee.json").mkdir(parents=True)
    result = run(coffee, out)
    assert result.returncode == 2
    assert "cannot write" in result.stderr and "coffee.json" in result.stderr and "Traceback" not in result.stderr
    assert [p.name for p in out.iterdir()] == ["coffee.json"]


def test_an_output_folder_below_a_file_exits_2(tmp_path: Path, coffee: Path):
    (tmp_path / "out").write_text("a file, not a folder")
    result = run(coffee, tmp_path / "out" / "nested")
    assert result.returncode == 2
    assert "cannot write" in result.stderr and "Traceback" not in result.stderr
    assert (tmp_path / "out").read_text() == "a file, not a folder"


def test_only_the_outputs_own_leftovers_are_removed(tmp_path: Path, coffee: Path):
    out = tmp_path / "out"
    out.mkdir()
    left = out / ".coffee.json.blueprint-k3j9x2ab.tmp"  # what a killed render of this output leaves
    others = [out / ".env.local.tmp", out / ".settings.old.tmp", out / ".hotel.json.blueprint-aaaa1111.tmp",
              out / ".coffee.json.k3j9x2ab.tmp"]
    for path in [left, *others]:
        path.write_text("kept?")
        os.utime(path, (time.time() - 7200, time.time() - 7200))
    assert run(coffee, out).returncode == 0
    assert not left.exists()
    assert all(path.read_text() == "kept?" for path in others)


def test_a_link_is_replaced_and_the_file_it_named_left_alone(tmp_path: Path, coffee: Path):
    # A render never writes outside the path it is given, whatever a link there names.
    (tmp_path / "elsewhere.json").write_text("old", encoding="utf-8")
    (tmp_path / "coffee.json").symlink_to(tmp_path / "elsewhere.json")
    assert run(coffee, tmp_path / "coffee.json").returncode == 0
    assert not (tmp_path / "coffee.json").is_symlink()
    assert '"title": "Coffee to go"' in (tmp_path / "coffee.json").read_text(encoding="utf-8")
    assert (tmp_path / "elsewhere.json").read_text(encoding="utf-8") == "old"


def test_standard_output_named_as_a_file_is_written_through_its_descriptor(tmp_path: Path, coffee: Path):
    # Reopened, /dev/stdout would cut short the file the output is redirected to.
    log = tmp_path / "log.txt"
    log.write_text("before\n", encoding="utf-8")
    (tmp_path / "out.json").symlink_to("/dev/stdout")
    with log.open("a", encoding="utf-8") as appended:
        rendered = subprocess.run(command(coffee, tmp_path / "out.json"), stdout=appended, stderr=subprocess.PIPE,
                                  text=True, timeout=120, cwd=tmp_path)
    assert rendered.returncode == 0, rendered.stderr
    text = log.read_text(encoding="utf-8")
    assert text.startswith("before\n{") and '"title": "Coffee to go"' in text
    assert (tmp_path / "out.json").is_symlink()


def test_a_device_or_a_fifo_is_written_into_never_replaced(tmp_path: Path, coffee: Path):
    # As root, replacing /dev/null with a file would break the machine: a link to it, here.
    (tmp_path / "null.json").symlink_to("/dev/null")
    assert run(coffee, tmp_path / "null.json").returncode == 0
    assert os.readlink(tmp_path / "null.json") == "/dev/null" and Path("/dev/null").is_char_device()

    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    unread = run(coffee, fifo)  # no process reads it: refused at once, not waited on
    assert unread.returncode == 2 and "cannot write" in unread.stderr
    assert "it is a FIFO no process reads" in unread.stderr
    # Rendered with the cache, which must neither remember the FIFO nor, the next time, read it.
    cached = [sys.executable, "-m", "blueprint_dsl", "render", str(coffee), "-f", "json", "-o", str(fifo), "-q"]
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader, there before the render starts
    render = subprocess.Popen(cached, cwd=tmp_path)
    received, deadline = [], time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            chunk = os.read(reader, 65536)
        except BlockingIOError:  # the render has it open and is still writing
            chunk = None
        if chunk:
            received.append(chunk)
        elif chunk == b"" and render.poll() is not None:
            break  # written, and closed
        else:
            time.sleep(0.01)
    os.close(reader)
    assert render.wait(timeout=60) == 0 and b'"title": "Coffee to go"' in b"".join(received)
    assert fifo.is_fifo()
    # What is no regular file is never read back: not by the cache, which would wait on the
    # FIFO for ever, nor by --check.
    again = subprocess.run(cached, capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert again.returncode == 2 and "it is a FIFO no process reads" in again.stderr
    compared = run(coffee, fifo, "--check")
    assert compared.returncode == 2 and "fifo.json is not a regular file" in compared.stderr
