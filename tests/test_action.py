"""The GitHub action (action.yml), its steps run one after another as a runner runs a composite
action's: each a bash script (``bash --noprofile --norc -eo pipefail``) in the workspace, its
``${{ }}`` expressions filled in from the inputs (their defaults unless given),
``github.action_path`` (this checkout) and ``runner.temp``, with an Ubuntu runner's PATH, whose
``python3`` is the system's. Where that Python is externally managed (PEP 668: Debian 12,
Ubuntu 24.04), installing into it fails. Installs from this checkout into a fresh virtualenv:
a few seconds each run."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
#: An Ubuntu runner's PATH, less its tool caches.
RUNNER_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def run_action(workspace: Path, temp: Path, **inputs: str) -> list[tuple[str, subprocess.CompletedProcess]]:
    """Each step's name and run, up to the first that fails, as the runner runs them."""
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    unknown = set(inputs) - set(action["inputs"])
    assert not unknown, f"the action has no input {unknown}"
    values = {"github.action_path": str(ROOT), "runner.temp": str(temp)}
    values |= {f"inputs.{name}": str(inputs.get(name, spec.get("default", "")))
               for name, spec in action["inputs"].items()}

    def filled(text: str) -> str:
        def value(match: re.Match[str]) -> str:
            assert match["name"] in values, f"an expression the test does not know: {match[0]}"
            return values[match["name"]]

        return re.sub(r"\$\{\{\s*(?P<name>[\w.-]+)\s*\}\}", value, text)

    github_path, github_env = temp / "github_path", temp / "github_env"
    github_path.touch()
    github_env.touch()
    environment = {name: value for name, value in os.environ.items()
                   if name not in ("PATH", "PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    environment |= {"RUNNER_TEMP": str(temp), "GITHUB_PATH": str(github_path), "GITHUB_ENV": str(github_env),
                    "GITHUB_WORKSPACE": str(workspace)}
    runs = []
    for number, step in enumerate(action["runs"]["steps"]):
        assert step["shell"] == "bash"
        script = temp / f"step-{number}.sh"
        script.write_text(filled(step["run"]), encoding="utf-8")
        # A step's PATH starts with what the steps before it added to GITHUB_PATH.
        added = [line for line in github_path.read_text(encoding="utf-8").splitlines() if line]
        env = environment | {"PATH": os.pathsep.join([*reversed(added), RUNNER_PATH])}
        env |= {name: filled(str(value)) for name, value in step.get("env", {}).items()}
        run = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=workspace,
                             env=env, capture_output=True, text=True, timeout=600)
        runs.append((step["name"], run))
        if run.returncode != 0:
            break
    return runs


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A repository with the examples, and a blueprint with a warning (BP401: a step without evidence)."""
    for tool in ("python3", "dot"):
        if shutil.which(tool, path=RUNNER_PATH) is None:
            pytest.fail(f"{tool} is needed on {RUNNER_PATH} to run the action as a runner would")
    workspace = tmp_path / "workspace"
    shutil.copytree(EXAMPLES, workspace / "blueprints")
    coffee = (EXAMPLES / "coffee.svc").read_text(encoding="utf-8")
    (workspace / "blueprints" / "no-evidence.svc").write_text(re.sub(r"\n *evidence [^\n]*", "", coffee, count=1),
                                                              encoding="utf-8")
    (workspace / ".git").mkdir()  # the project root
    return workspace


def test_the_action_installs_into_a_venv_of_its_own_and_checks_and_renders(workspace: Path, tmp_path: Path):
    temp = tmp_path / "runner-temp"
    temp.mkdir()
    runs = run_action(workspace, temp, path="blueprints", output="site/blueprints")
    for name, run in runs:
        assert run.returncode == 0, f"step {name!r} failed:\n{run.stdout}\n{run.stderr}"
    assert [name for name, _ in runs] == ["Install Graphviz", "Install blueprint-dsl", "Check", "Render"]
    check = dict(runs)["Check"]
    assert re.search(r"^::warning file=blueprints/no-evidence\.svc,line=\d+,.*BP401", check.stdout, re.MULTILINE)
    rendered = sorted(p.relative_to(workspace / "site").as_posix() for p in (workspace / "site").rglob("*.svg"))
    assert rendered == [f"blueprints/{p.stem}.svg" for p in sorted((workspace / "blueprints").glob("*.svc"))]
    assert (workspace / "site" / "blueprints" / "hotel.svg").read_text(encoding="utf-8").lstrip().startswith("<")

    # The job's own Python and PATH are left alone.
    assert (temp / "github_path").read_text(encoding="utf-8") == ""
    system = subprocess.run(["python3", "-c", "import blueprint_dsl"], env={"PATH": RUNNER_PATH},
                            capture_output=True, text=True, cwd=tmp_path)
    assert system.returncode != 0 and "No module named 'blueprint_dsl'" in system.stderr

    # Run again in the same job, strict: the warning fails the check, and nothing is rendered.
    shutil.rmtree(workspace / "site")
    strict = run_action(workspace, temp, path="blueprints", output="site/blueprints", strict="true")
    assert [name for name, _ in strict] == ["Install Graphviz", "Install blueprint-dsl", "Check"]
    assert strict[-1][1].returncode == 1 and "BP401" in strict[-1][1].stdout
    assert not (workspace / "site").exists()
