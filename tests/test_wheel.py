"""The wheel built from the repository works on its own: in a fresh virtualenv, run from
a folder outside the repository, its ``blueprint`` command checks the examples with
the grammar it carries inside the package, and writes the starter blueprint it carries.
Its metadata names its dependencies, which pip installs with it: openpyxl reads a workbook there.
Slow (about half a minute): the only test that builds and installs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl

ROOT = Path(__file__).parents[1]


def sh(*args: str | Path, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    run = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, f"{args}\n{run.stdout}\n{run.stderr}"
    return run


def test_the_wheel_checks_the_examples_from_a_fresh_virtualenv(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    wheels, venv, work = tmp_path / "wheels", tmp_path / "venv", tmp_path / "work"
    sh(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", wheels, ROOT, cwd=tmp_path, env=env)
    (wheel,) = wheels.glob("blueprint_dsl-*.whl")
    sh(sys.executable, "-m", "venv", venv, cwd=tmp_path, env=env)
    python = venv / "bin" / "python"
    sh(python, "-m", "pip", "install", "-q", wheel, cwd=tmp_path, env=env)

    shutil.copytree(ROOT / "examples", work)
    examples = sorted(p.name for p in work.glob("*.svc"))
    assert len(examples) >= 4
    check = sh(venv / "bin" / "blueprint", "check", *examples, cwd=work, env=env)
    assert check.stdout.endswith(f"0 errors, 0 warnings in {len(examples)} files\n")
    # openpyxl comes with it, a runtime dependency: a workbook is imported.
    requires = sh(python, "-c", "from importlib.metadata import requires; print(requires('blueprint-dsl'))",
                  cwd=work, env=env)
    assert "openpyxl>=3.1" in requires.stdout
    book = openpyxl.Workbook()
    book.active.append(["Customer actions", "Orders"])
    book.save(work / "sheet.xlsx")
    imported = sh(venv / "bin" / "blueprint", "import", "sheet.xlsx", cwd=work, env=env)
    assert 'customer: "Orders"' in imported.stdout
    # The starter `new` writes is in the package too, and passes check.
    sh(venv / "bin" / "blueprint", "new", "started", cwd=work, env=env)
    started = sh(venv / "bin" / "blueprint", "check", "started.svc", cwd=work, env=env)
    assert started.stdout == "0 errors, 0 warnings in 1 file\n"

    # The grammar came from inside the installed package, not from this checkout.
    probe = sh(
        python,
        "-c",
        "import pathlib, blueprint_dsl.grammar as p; "
        "here = pathlib.Path(p.__file__).parent; "
        "print(here); "
        "print((here / 'grammar' / 'blueprint.lark').read_text() == p.grammar_text()); "
        "print((here.parent / 'grammar').exists())",
        cwd=work,
        env=env,
    )
    package, from_package, fallback = probe.stdout.split("\n")[:3]
    assert Path(package).is_relative_to(venv.resolve()) or Path(package).is_relative_to(venv)
    assert from_package == "True" and fallback == "False"
    packaged = Path(package) / "grammar" / "blueprint.lark"
    assert packaged.read_text() == (ROOT / "grammar" / "blueprint.lark").read_text()
