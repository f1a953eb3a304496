"""Rendering folders: mirrored outputs, the cache, --check, and failures that stop nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

FORMATS = ["svg", "html", "json"]


def blueprint(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "blueprint_dsl", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600)


def write_project(root: Path, count: int) -> None:
    """``count`` blueprints in nested folders; every third includes shared/people.svc."""
    (root / ".blueprint-root").write_text("")
    shared = root / "src" / "shared"
    shared.mkdir(parents=True)
    (shared / "people.svc").write_text('person clerk frontstage "Clerk"\nsystem till support "Till"\n')
    for i in range(count):
        folder = root / "src" / f"team{i % 5}"
        folder.mkdir(exist_ok=True)
        include = 'include "../shared/people.svc"\n' if i % 3 == 0 else ""
        people = "" if i % 3 == 0 else '  person clerk frontstage "Clerk"\n  system till support "Till"\n'
        (folder / f"bp{i:03}.svc").write_text(f'''{include}blueprint "Blueprint {i}" {{
  scenario "Scenario {i}"
  persona  "Persona"
  actor guest customer "Guest"
{people}  stage "Visit" {{
    step arrive {{
      evidence "Door"
      guest: "Arrives {i}" as arrive_{i}
      clerk: "Greets" as greet_{i}
      till:  "Logs the visit" as log_{i}
    }}
  }}
  arrive_{i} <-> greet_{i} -> log_{i}
}}
''')


def summary(run: subprocess.CompletedProcess) -> str:
    return run.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize("fmt", FORMATS)
def test_two_hundred_blueprints(tmp_path: Path, fmt: str):
    write_project(tmp_path, 200)
    first = blueprint(tmp_path, "render", "src", "-f", fmt, "-o", "out")
    assert first.returncode == 0, first.stderr
    assert summary(first).startswith("200 rendered, 0 unchanged, 0 failed")
    outputs = sorted(p.relative_to(tmp_path / "out") for p in (tmp_path / "out").rglob(f"*.{fmt}"))
    sources = sorted(p.relative_to(tmp_path / "src").with_suffix(f".{fmt}")
                     for p in (tmp_path / "src").rglob("bp*.svc"))
    assert outputs == sources

    for sample in ("team0/bp000", "team3/bp123", "team4/bp199"):
        single = blueprint(tmp_path, "render", f"src/{sample}.svc", "-f", fmt, "-o", "-", "-q")
        assert single.stdout == (tmp_path / "out" / f"{sample}.{fmt}").read_text(), sample

    second = blueprint(tmp_path, "render", "src", "-f", fmt, "-o", "out")
    assert summary(second).startswith("0 rendered, 200 unchanged, 0 failed")

    with (tmp_path / "src" / "shared" / "people.svc").open("a") as handle:
        handle.write("# touched\n")
    third = blueprint(tmp_path, "render", "src", "-f", fmt, "-o", "out")
    including = sum(1 for i in range(200) if i % 3 == 0)
    assert summary(third).startswith(f"{including} rendered, {200 - including} unchanged, 0 failed")


def test_check_detects_stale_missing_and_extra_outputs(tmp_path: Path):
    write_project(tmp_path, 6)
    assert blueprint(tmp_path, "render", "src", "-f", "json", "-o", "out").returncode == 0
    clean = blueprint(tmp_path, "render", "src", "-f", "json", "-o", "out", "--check")
    assert (clean.returncode, clean.stdout) == (0, "")

    stale = tmp_path / "out" / "team1" / "bp001.json"
    stale.write_text(stale.read_text().replace("Arrives 1", "Arrives one"))
    (tmp_path / "out" / "team2" / "bp002.json").unlink()
    (tmp_path / "out" / "team0" / "gone.json").write_text("{}")
    before = {p: p.read_bytes() for p in (tmp_path / "out").rglob("*")if p.is_file()}

    run = blueprint(tmp_path, "render", "src", "-f", "json", "-o", "out", "--check")
    assert run.returncode == 1
    assert run.stdout.splitlines() == [
        "extra: out/team0/gone.json",
        "stale: out/team1/bp001.json",
        "missing: out/team2/bp002.json",
    ]
    assert {p: p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file()} == before  # wrote nothing


def test_check_of_files_named_one_by_one_says_nothing_of_the_other_outputs(tmp_path: Path):
    # As pre-commit names only the files a commit changes: the others' outputs are no extras.
    write_project(tmp_path, 7)
    assert blueprint(tmp_path, "render", "src/team1", "-f", "json", "-o", "out").returncode == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["bp001.json", "bp006.json"]
    named = blueprint(tmp_path, "render", "src/team1/bp001.svc", "-f", "json", "-o", "out", "--check")
    assert (named.returncode, named.stdout) == (0, "")
    (tmp_path / "out" / "gone.json").write_text("{}")
    folder = blueprint(tmp_path, "render", "src/team1", "-f", "json", "-o", "out", "--check")
    assert (folder.returncode, folder.stdout) == (1, "extra: out/gone.json\n")


def test_one_failing_file_does_not_stop_the_others(tmp_path: Path):
    write_project(tmp_path, 10)
    broken = tmp_path / "src" / "team2" / "bp007.svc"
    broken.write_text(broken.read_text().replace('guest: "Arrives 7"', 'gust: "Arrives 7"'))
    (tmp_path / "out" / "team2").mkdir(parents=True)
    (tmp_path / "out" / "team2" / "bp007.json").write_text("the last good render")
    run = blueprint(tmp_path, "render", "src", "-f", "json", "-o", "out")
    assert run.returncode == 1
    assert "BP101 unknown-actor" in run.stderr and "did you mean 'guest'?" in run.stderr
    assert summary(run).startswith("9 rendered, 0 unchanged, 1 failed")
    assert (tmp_path / "out" / "team2" / "bp007.json").read_text() == "the last good render"


def test_an_output_that_cannot_be_written_counts_as_failed(tmp_path: Path):
    write_project(tmp_path, 3)
    (tmp_path / "out" / "team1" / "bp001.json").mkdir(parents=True)
    run = blueprint(tmp_path, "render", "src", "-f", "json", "-o", "out")
    assert run.returncode == 2
    assert "cannot write" in run.stderr and "bp001.json" in run.stderr
    assert summary(run).startswith("2 rendered, 0 unchanged, 1 failed")


def test_progress_is_silent_when_piped_and_quiet_drops_the_summary(tmp_path: Path):
    write_project(tmp_path, 3)
    run = blueprint(tmp_path, "render", "src", "-f", "json", "-o", "out", "-q")
    assert (run.returncode, run.stdout, run.stderr) == (0, "", "")


def test_a_file_of_shared_declarations_is_passed_over_and_named_when_named(tmp_path: Path):
    write_project(tmp_path, 2)
    people = "src/shared/people.svc"
    note = f"blueprint: {people}: holds no blueprint, only declarations for others to include"
    in_folder = blueprint(tmp_path, "render", "src", "-f", "json", "-o", "out")
    assert in_folder.returncode == 0 and note not in in_folder.stderr
    assert summary(in_folder).startswith("2 rendered, 0 unchanged, 0 failed")
    beside = blueprint(tmp_path, "render", people, "-f", "json")
    assert beside.returncode == 0 and note in beside.stderr
    # One output asked for, which nothing can fill.
    for output in ("one.json", "-"):
        named = blueprint(tmp_path, "render", people, "-f", "json", "-o", output)
        assert named.returncode == 2 and note in named.stderr and named.stdout == ""
        assert summary(named).startswith("0 rendered, 0 unchanged, 1 failed")
    piped = subprocess.run([sys.executable, "-m", "blueprint_dsl", "render", "-", "-f", "json"], cwd=tmp_path,
                           input=(tmp_path / people).read_text(), capture_output=True, text=True, timeout=600)
    assert piped.returncode == 2 and "blueprint: <stdin>: holds no blueprint" in piped.stderr
    assert not (tmp_path / "one.json").exists() and not (tmp_path / "src" / "shared" / "people.json").exists()


def test_unwritable_output_folder_exits_2(tmp_path: Path):
    # A file where the output folder should be: unwritable even for root.
    target = tmp_path / "file-not-folder"
    target.write_text("")
    coffee = Path(__file__).parents[1] / "examples" / "coffee.svc"
    run = blueprint(tmp_path, "render", str(coffee), "-f", "json", "-o", str(target))
    assert run.returncode == 2
    assert "cannot write" in run.stderr and "not a folder" in run.stderr and "Traceback" not in run.stderr
    assert target.read_text() == ""


@pytest.mark.parametrize("output", ["in-the-way.svc/coffee.json", "in-the-way.svc/deeper/", "link/coffee.json"])
def test_a_file_where_the_folder_of_an_output_should_be_is_named(tmp_path: Path, output: str):
    (tmp_path / "in-the-way.svc").write_text("")
    (tmp_path / "link").symlink_to("/dev/null")
    coffee = Path(__file__).parents[1] / "examples" / "coffee.svc"
    run = blueprint(tmp_path, "render", str(coffee), "-f", "json", "-o", output)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    in_the_way = output.partition("/")[0]
    assert f"blueprint: cannot write {output.rstrip('/')}" in run.stderr
    assert f": {in_the_way} is not a folder\n" in run.stderr
    assert (tmp_path / "in-the-way.svc").read_text() == ""


def test_another_blueprint_written_to_the_same_output_is_rendered(tmp_path: Path):
    write_project(tmp_path, 2)
    first, second = tmp_path / "src" / "team0" / "bp000.svc", tmp_path / "src" / "team1" / "bp001.svc"
    assert blueprint(tmp_path, "render", str(first), "-f", "json", "-o", "out.json").returncode == 0
    run = blueprint(tmp_path, "render", str(second), "-f", "json", "-o", "out.json")
    assert summary(run).startswith("1 rendered, 0 unchanged")
    assert "Arrives 1" in (tmp_path / "out.json").read_text()


def test_an_edit_saved_while_a_file_renders_is_rendered_next_time(tmp_path: Path, monkeypatch):
    from blueprint_dsl import batch
    from blueprint_dsl.render import RenderOptions
    from blueprint_dsl.render_cache import Cache

    write_project(tmp_path, 1)
    source = tmp_path / "src" / "team0" / "bp000.svc"
    shared = tmp_path / "src" / "shared" / "people.svc"
    job = batch.Job(str(source), tmp_path / "bp000.json")
    cache = Cache(tmp_path / "cache", "json", RenderOptions())
    read = batch.load

    def load_then_edit(path):
        loaded = read(path)
        shared.write_text(shared.read_text().replace('"Clerk"', '"Cashier"'))  # saved after it was read
        return loaded

    monkeypatch.setattr(batch, "load", load_then_edit)
    outcome = batch.render_group([job], "json", RenderOptions(), digests=True)[0]
    assert b'"Clerk"' in outcome.data and outcome.files[1] == str(shared)
    job.target.write_bytes(outcome.data)
    cache.remember(outcome)
    assert not cache.fresh(job)

    monkeypatch.setattr(batch, "load", read)
    again = batch.render_group([job], "json", RenderOptions(), digests=True)[0]
    job.target.write_bytes(again.data)
    cache.remember(again)
    assert b'"Cashier"' in again.data and cache.fresh(job)


def test_a_new_graphviz_renders_anew(tmp_path: Path):
    write_project(tmp_path, 1)
    dot = shutil.which("dot")
    newer = tmp_path / "bin"
    newer.mkdir()
    (newer / "dot").write_text(f'#!/bin/sh\n[ "$1" = -V ] && {{ echo "dot - graphviz version 99.0" >&2; exit 0; }}\n'
                               f'exec {dot} "$@"\n')
    (newer / "dot").chmod(0o755)
    args = ("render", "src/team0/bp000.svc", "-f", "svg", "-o", "out.svg")
    assert summary(blueprint(tmp_path, *args)).startswith("1 rendered")
    assert summary(blueprint(tmp_path, *args)).startswith("0 rendered, 1 unchanged")
    env = {**os.environ, "PATH": f"{newer}{os.pathsep}{os.environ['PATH']}"}
    upgraded = subprocess.run([sys.executable, "-m", "blueprint_dsl", *args], cwd=tmp_path, capture_output=True,
                              text=True, timeout=600, env=env)
    assert summary(upgraded).startswith("1 rendered, 0 unchanged")


def test_the_page_shows_the_findings_the_project_configures(tmp_path: Path):
    write_project(tmp_path, 1)
    source = tmp_path / "src" / "team0" / "bp000.svc"
    source.write_text(source.read_text().replace('      evidence "Door"\n', ""))  # BP401: no evidence
    args = ("render", str(source), "-f", "html", "-o", "page.html")
    assert blueprint(tmp_path, *args).returncode == 0
    assert "BP401" in (tmp_path / "page.html").read_text()
    (tmp_path / "pyproject.toml").write_text('[tool.blueprint]\nignore = ["BP401"]\n')
    run = blueprint(tmp_path, *args)
    assert summary(run).startswith("1 rendered, 0 unchanged")  # the configuration is part of the cache's key
    assert "BP401" not in (tmp_path / "page.html").read_text()
    assert blueprint(tmp_path, "check", str(source)).returncode == 0


def test_check_needs_outputs_on_disk(tmp_path: Path):
    write_project(tmp_path, 1)
    for args in (("src/team0/bp000.svc", "-o", "-"), ("-",)):
        run = subprocess.run([sys.executable, "-m", "blueprint_dsl", "render", *args, "--check"], cwd=tmp_path,
                             input=(tmp_path / "src" / "team0" / "bp000.svc").read_text(), capture_output=True,
                             text=True, timeout=600)
        assert run.returncode == 2 and "--check compares the outputs on disk" in run.stderr
        assert run.stdout == ""


def test_a_pdf_renders_anew_for_another_source_date_epoch(tmp_path: Path):
    write_project(tmp_path, 1)
    args = ("render", "src/team0/bp000.svc", "-f", "pdf", "-o", "out.pdf")

    def run(epoch: str, *more: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "blueprint_dsl", *args, *more], cwd=tmp_path,
                              capture_output=True, text=True, timeout=600,
                              env={**os.environ, "SOURCE_DATE_EPOCH": epoch})

    assert summary(run("0")).startswith("1 rendered")
    assert summary(run("0")).startswith("0 rendered, 1 unchanged")
    assert summary(run("1700000000")).startswith("1 rendered, 0 unchanged")
    assert b"D:20231114221320" in (tmp_path / "out.pdf").read_bytes()
    assert run("1700000000", "--check").returncode == 0


def test_an_include_reached_through_a_link_repointed_renders_anew(tmp_path: Path):
    write_project(tmp_path, 1)
    shared = tmp_path / "src" / "shared"
    other = tmp_path / "src" / "other"
    shutil.copytree(shared, other)
    (other / "people.svc").write_text((shared / "people.svc").read_text().replace('"Clerk"', '"Cashier"'))
    shared.rename(tmp_path / "src" / "first")
    shared.symlink_to("first")
    args = ("render", "src/team0/bp000.svc", "-f", "svg", "-o", "out.svg")
    assert summary(blueprint(tmp_path, *args)).startswith("1 rendered")
    assert summary(blueprint(tmp_path, *args)).startswith("0 rendered, 1 unchanged")
    shared.unlink()
    shared.symlink_to("other")
    assert summary(blueprint(tmp_path, *args)).startswith("1 rendered, 0 unchanged")
    assert "Cashier" in (tmp_path / "out.svg").read_text()


def test_check_lists_the_output_of_a_file_that_now_holds_only_declarations(tmp_path: Path):
    write_project(tmp_path, 2)
    assert blueprint(tmp_path, "render", "src", "-f", "json", "-o", "out").returncode == 0
    (tmp_path / "src" / "team1" / "bp001.svc").write_text('person porter frontstage "Porter"\n')
    run = blueprint(tmp_path, "render", "src", "-f", "json", "-o", "out", "--check")
    assert (run.returncode, run.stdout) == (1, "extra: out/team1/bp001.json\n")


def test_folders_inside_each_other_mirror_from_the_outer_in_any_order(tmp_path: Path):
    write_project(tmp_path, 6)
    for name, order in (("a", ("src", "src/team1")), ("b", ("src/team1", "src"))):
        run = blueprint(tmp_path, "render", *order, "-f", "json", "-o", name, "-q")
        assert run.returncode == 0, run.stderr
        assert (tmp_path / name / "team1" / "bp001.json").is_file() and not (tmp_path / name / "bp001.json").exists()


def test_an_output_that_would_be_another_outputs_folder_is_a_usage_error(tmp_path: Path):
    write_project(tmp_path, 1)
    source = (tmp_path / "src" / "team0" / "bp000.svc").read_text()
    (tmp_path / "src" / "x.svc").write_text(source)
    (tmp_path / "src" / "x.json").mkdir()
    (tmp_path / "src" / "x.json" / "y.svc").write_text(source)
    run = blueprint(tmp_path, "render", "src", "-f", "json", "-o", "out")
    assert run.returncode == 2
    assert "out/x.json would be the output of src/x.svc and the folder of out/x.json/y.json" in run.stderr
    assert not (tmp_path / "out").exists()  # nothing half written
