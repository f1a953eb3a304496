"""The README's first screen: its blueprint is the one drawn beside it, and the drawing is current."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]


def test_the_readme_blueprint_is_the_drawn_one_and_its_svg_is_current():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = re.search(r"^```\n(.*?)^```$", readme, re.MULTILINE | re.DOTALL).group(1)
    assert first_block == (ROOT / "docs" / "images" / "bike-repair.svc").read_text(encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "blueprint_dsl", "render", "docs/images/bike-repair.svc", "-f", "svg", "--check", "-q"],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert (run.returncode, run.stdout) == (0, ""), run.stdout + run.stderr


def test_the_readme_blueprint_is_formatted():
    run = subprocess.run([sys.executable, "-m", "blueprint_dsl", "fmt", "--check", "docs/images/bike-repair.svc"],
                         cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def shown_mistake(page: str, blueprint: str) -> tuple[str, str]:
    """The compiler-style message a page shows, and what `check` says of the page's own
    blueprint with the line it quotes written in (the slip the message is about)."""
    shown = re.search(r"^```\n(\S+\.svc:\d+:\d+: error .*?)^```$", page, re.MULTILINE | re.DOTALL).group(1)
    path, line = re.match(r"(\S+\.svc):(\d+):", shown).groups()
    quoted = re.search(rf"^ {line} \| (.*)$", shown, re.MULTILINE).group(1)
    lines = blueprint.splitlines(keepends=True)
    # The slip is in the actor's name: the action is the blueprint's own.
    assert quoted.split(":", 1)[1].strip() == lines[int(line) - 1].split(":", 1)[1].strip()
    lines[int(line) - 1] = quoted + "\n"
    run = subprocess.run([sys.executable, "-m", "blueprint_dsl", "check", "-"], input="".join(lines),
                         cwd=ROOT, capture_output=True, text=True)
    return shown, run.stdout.replace("<stdin>", path).rsplit("1 error", 1)[0]


def test_the_readme_mistake_is_what_check_says_of_its_blueprint():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown, said = shown_mistake(readme, (ROOT / "docs" / "images" / "bike-repair.svc").read_text(encoding="utf-8"))
    assert shown == said


def test_the_language_reference_mistake_is_what_check_says_of_its_first_example():
    page = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")
    first = re.search(r"^```\n(.*?)^```$", page, re.MULTILINE | re.DOTALL).group(1)
    shown, said = shown_mistake(page, first)
    assert shown == said
