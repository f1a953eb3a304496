"""The hooks in .pre-commit-hooks.yaml, run through the real pre-commit tool."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).parents[1]
GOOD = (REPO / "examples" / "coffee.svc").read_text(encoding="utf-8")


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=cwd, check=True,
                   capture_output=True)


def pre_commit(cwd: Path, hook: str, *files: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), hook, "--files", *files],
        cwd=cwd, capture_output=True, text=True, timeout=900,
    )


def test_hooks(tmp_path: Path):
    project = tmp_path / "project"
    project.mkdir()
    (project / "good.svc").write_text(GOOD)
    (project / "bad.svc").write_text(GOOD.replace('guest:   "Walks in', 'gest:   "Walks in'))
    git(project, "init", "-q")
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "blueprints")

    passed = pre_commit(project, "blueprint-check", "good.svc")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "blueprint check" in passed.stdout and "Passed" in passed.stdout

    failed = pre_commit(project, "blueprint-check", "good.svc", "bad.svc")
    assert failed.returncode == 1
    assert "Failed" in failed.stdout and "BP101 unknown-actor" in failed.stdout

    # render --check: the committed SVG beside good.svc is current until it is edited.
    subprocess.run([sys.executable, "-m", "blueprint_dsl", "render", "good.svc", "-q"], cwd=project, check=True)
    current = pre_commit(project, "blueprint-render-check", "good.svc")
    assert current.returncode == 0, current.stdout
    (project / "good.svg").write_text("<svg/>\n")
    stale = pre_commit(project, "blueprint-render-check", "good.svc")
    assert stale.returncode == 1 and "stale: good.svg" in stale.stdout
    shutil.rmtree(project / ".blueprint-cache", ignore_errors=True)

    # fmt: passes on a formatted file, rewrites (and so fails) an unformatted one.
    assert pre_commit(project, "blueprint-fmt", "good.svc").returncode == 0
    (project / "messy.svc").write_text(GOOD.replace("  scenario    ", "  scenario "))
    git(project, "add", "messy.svc")
    messy = pre_commit(project, "blueprint-fmt", "messy.svc")
    assert messy.returncode == 1 and "files were modified by this hook" in messy.stdout
    assert (project / "messy.svc").read_text() == GOOD
