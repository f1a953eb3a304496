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


def test_hooks_given_the_folder_as_docs_ci_md_shows(tmp_path: Path):
    # The configuration docs/ci.md gives for shared files and an output folder, run by
    # pre-commit from this repository's last commit: a commit that changes only a shared
    # file checks the blueprints that include it.
    import re

    import yaml

    ci = (REPO / "docs" / "ci.md").read_text(encoding="utf-8")
    lead = r"give each\nhook the folder of blueprints instead of the changed files:\n\n"
    snippet = re.search(lead + r"```yaml\n(.*?)```", ci, flags=re.DOTALL)[1]
    hooks = yaml.safe_load(snippet)
    assert [hook["id"] for hook in hooks] == ["blueprint-check", "blueprint-render-check"]
    revision = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True)
    project = tmp_path / "project"
    (project / "blueprints" / "shared").mkdir(parents=True)
    (project / "blueprints" / "shared" / "staff.svc").write_text('role barista frontstage "Barista"\n')
    cafe = re.sub(r"^ *person +barista .*\n", "", GOOD, flags=re.MULTILINE)
    cafe = re.sub(r"^blueprint ", 'include "shared/staff.svc"\n\nblueprint ', cafe, count=1, flags=re.MULTILINE)
    assert "barista" in cafe and "person  barista" not in cafe
    (project / "blueprints" / "cafe.svc").write_text(cafe)
    config = {"repos": [{"repo": str(REPO), "rev": revision.stdout.strip(), "hooks": hooks}]}
    (project / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    subprocess.run([sys.executable, "-m", "blueprint_dsl", "render", "blueprints", "-f", "svg", "-o", "docs/blueprints",
                    "-q"], cwd=project, check=True)
    assert (project / "docs" / "blueprints" / "cafe.svg").is_file()
    git(project, "init", "-q")
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "blueprints")

    def run_hooks(*files: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "pre_commit", "run", "--files", *files], cwd=project,
                              capture_output=True, text=True, timeout=900)

    clean = run_hooks("blueprints/cafe.svc")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    (project / "blueprints" / "shared" / "staff.svc").write_text('role server frontstage "Server"\n')
    broken = run_hooks("blueprints/shared/staff.svc")
    assert broken.returncode == 1
    assert "BP101 unknown-actor" in broken.stdout and "no actor 'barista'" in broken.stdout
