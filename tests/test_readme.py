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
