"""Graphviz missing, failing or hanging: exit 2, a message that names the cause, nothing left behind.

A fake `dot` placed first on PATH stands in for a broken Graphviz; an empty PATH for a
missing one.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

COFFEE = Path(__file__).parents[1] / "examples" / "coffee.svc"


def fake_dot(folder: Path, script: str) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / "dot"
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return folder


def render(tmp_path: Path, path: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "BLUEPRINT_DOT_TIMEOUT"}
    environment.update(env or {}, PATH=path)
    return subprocess.run([sys.executable, "-m", "blueprint_dsl", "render", str(COFFEE), "-o", str(tmp_path / "out"),
                           "--no-cache", *args], cwd=tmp_path, env=environment, capture_output=True, text=True,
                          timeout=60)


def assert_failed(run: subprocess.CompletedProcess, tmp_path: Path, *words: str) -> None:
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr
    for word in words:
        assert word in run.stderr, run.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.mark.parametrize("fmt", ["svg", "png", "pdf"])
def test_dot_missing(tmp_path: Path, fmt: str):
    empty = tmp_path / "empty-path"
    empty.mkdir()
    run = render(tmp_path, str(empty), "-f", fmt)
    assert_failed(run, tmp_path, "Graphviz `dot` was not found", "apt-get install graphviz",
                  "`-f html` needs no Graphviz")


def test_dot_missing_does_not_stop_html_or_dot(tmp_path: Path):
    empty = tmp_path / "empty-path"
    empty.mkdir()
    for fmt in ("html", "dot", "json"):
        run = render(tmp_path, str(empty), "-f", fmt)
        assert run.returncode == 0, run.stderr


def test_dot_exiting_non_zero(tmp_path: Path):
    folder = fake_dot(tmp_path / "bin", 'cat >/dev/null\necho "Error: something inside Graphviz broke" >&2\nexit 3\n')
    run = render(tmp_path, f"{folder}:{os.environ['PATH']}", "-f", "svg")
    assert_failed(run, tmp_path, "Graphviz `dot` failed (exit code 3: Error: something inside Graphviz broke)",
                  "`-f html` needs no Graphviz")


def test_dot_killed_by_a_signal(tmp_path: Path):
    folder = fake_dot(tmp_path / "bin", "cat >/dev/null\nkill -SEGV $$\n")
    run = render(tmp_path, f"{folder}:{os.environ['PATH']}", "-f", "svg")
    assert_failed(run, tmp_path, "Graphviz `dot` failed (killed by signal 11)")


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


@pytest.mark.parametrize("how", ["option", "environment"])
def test_dot_hanging_is_stopped_with_everything_it_started(tmp_path: Path, how: str):
    pids = tmp_path / "pids"
    # A `dot` that starts a child and waits on it forever: both must be gone afterwards.
    folder = fake_dot(tmp_path / "bin", f"sleep 1000 &\necho $$ $! > {pids}\nwait\n")
    args, env = (["--dot-timeout", "0.5"], {}) if how == "option" else ([], {"BLUEPRINT_DOT_TIMEOUT": "0.5"})
    started = time.monotonic()
    run = render(tmp_path, f"{folder}:{os.environ['PATH']}", "-f", "svg", *args, env=env)
    assert time.monotonic() - started < 20
    assert_failed(run, tmp_path, "Graphviz `dot` took more than 0.5 s and was stopped", "--dot-timeout",
                  "BLUEPRINT_DOT_TIMEOUT", "`-f html`")
    deadline = time.monotonic() + 5
    numbers = [int(n) for n in pids.read_text().split()]
    while any(alive(pid) for pid in numbers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(pid) for pid in numbers)


@pytest.mark.parametrize("value", ["soon", "nan", "inf", "1e300", "-1"])
def test_a_bad_timeout_is_a_usage_error(tmp_path: Path, value: str):
    path = os.environ["PATH"]
    run = render(tmp_path, path, "-f", "svg", env={"BLUEPRINT_DOT_TIMEOUT": value})
    assert_failed(run, tmp_path, f"BLUEPRINT_DOT_TIMEOUT={value!r}", "number of seconds")
    run = render(tmp_path, path, "-f", "svg", "--dot-timeout", value)
    assert run.returncode == 2 and "--dot-timeout" in run.stderr and "Traceback" not in run.stderr


def test_the_default_timeout_lets_a_real_render_finish(tmp_path: Path):
    run = render(tmp_path, os.environ["PATH"], "-f", "svg", env={"BLUEPRINT_DOT_TIMEOUT": "30"})
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "out" / "coffee.svg").read_bytes().startswith(b"<?xml")
