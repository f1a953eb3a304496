"""A batch of SVGs drawn by one Graphviz run: byte for byte what each file's run of its own gives.

A `dot` placed first on PATH logs how many graphs each run was given and hands them to
the real one; other stand-ins change what a run of several graphs writes, or fail it,
and every file must still come out as it does alone.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from bench import generate
from blueprint_dsl.batch import GROUP_BYTES, Job, _groups
from blueprint_dsl.render.graphviz import in_source_order

ROOT = Path(__file__).parents[1]
DOT = shutil.which("dot")


def write_blueprints(folder: Path) -> list[Path]:
    """The examples, the README's drawing and generated blueprints of every size the generator makes."""
    folder.mkdir()
    shutil.copytree(ROOT / "examples", folder, dirs_exist_ok=True)
    shutil.copy(ROOT / "docs" / "images" / "bike-repair.svc", folder)
    for steps in range(1, 13):
        (folder / f"generated{steps:02}.svc").write_text(generate.blueprint(steps, title=f"Generated {steps}"))
    return sorted(path for path in folder.glob("*.svc"))


def stand_in_dot(folder: Path, filter_: str) -> dict[str, str]:
    """An environment whose `dot` logs the number of graphs each run gets, then runs the real one through ``filter_``.

    ``filter_`` is a shell command reading the real output, with ``$graphs`` the count.
    """
    folder.mkdir()
    script = folder / "dot"
    script.write_text(f"""#!/bin/sh
[ "$1" = -V ] && exec {DOT} -V
input=$(mktemp)
cat > "$input"
graphs=$(grep -c '^digraph' "$input")
echo "$graphs" >> {folder / 'runs'}
{DOT} "$@" < "$input" | {filter_}
status=$?
rm -f "$input"
exit $status
""")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return {**os.environ, "PATH": f"{folder}{os.pathsep}{os.environ['PATH']}"}


def render(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "blueprint_dsl", "render", *args, "-q", "--no-cache"], cwd=cwd,
                          capture_output=True, text=True, timeout=600, env=env)


def assert_drawn_as_alone(tmp_path: Path, sources: list[Path], out: Path) -> None:
    for source in sources:
        alone = render(tmp_path, str(source), "-f", "svg", "-o", "-")
        assert alone.returncode == 0, alone.stderr
        assert (out / source.with_suffix(".svg").name).read_text() == alone.stdout, source.name


def test_a_batch_is_drawn_by_few_graphviz_runs_and_each_file_as_alone(tmp_path: Path):
    sources = write_blueprints(tmp_path / "src")
    env = stand_in_dot(tmp_path / "bin", "cat")
    run = render(tmp_path, "src", "-f", "svg", "-o", "out", env=env)
    assert run.returncode == 0, run.stderr

    runs = [int(line) for line in (tmp_path / "bin" / "runs").read_text().split()]
    # Each group once together, and its second graph once alone to confirm Graphviz draws it so.
    assert max(runs) > 1 and sum(runs) < 2 * len(sources), runs
    assert len(runs) < len(sources) / 2, runs
    assert_drawn_as_alone(tmp_path, sources, tmp_path / "out")


def test_a_serial_batch_is_drawn_together_too(tmp_path: Path):
    sources = write_blueprints(tmp_path / "src")[:5]  # below the count that starts workers
    env = stand_in_dot(tmp_path / "bin", "cat")
    run = render(tmp_path, *map(str, sources), "-f", "svg", "-o", "out", env=env)
    assert run.returncode == 0, run.stderr
    assert [int(line) for line in (tmp_path / "bin" / "runs").read_text().split()] == [5, 1]
    assert_drawn_as_alone(tmp_path, sources, tmp_path / "out")


@pytest.mark.parametrize("filter_", [
    # A Graphviz that draws the graphs after the first two of a run differently: a changed colour.
    "awk '/^<[?]xml /{n++} n>2{gsub(/#ffffff/, \"#fffffe\")} {print}'",
    # One that fails a run of several graphs.
    "if [ $graphs -gt 1 ]; then cat >/dev/null; exit 3; else cat; fi",
    # One that writes fewer documents than it was given graphs.
    "if [ $graphs -gt 1 ]; then head -c 1000; else cat; fi",
], ids=["differs", "fails", "short"])
def test_a_run_of_several_graphs_that_is_not_trusted_gives_way_to_runs_of_their_own(tmp_path: Path, filter_: str):
    sources = write_blueprints(tmp_path / "src")
    env = stand_in_dot(tmp_path / "bin", f"{{ {filter_}; }}")
    run = render(tmp_path, "src", "-f", "svg", "-o", "out", env=env)
    assert run.returncode == 0, run.stderr
    runs = [int(line) for line in (tmp_path / "bin" / "runs").read_text().split()]
    assert max(runs) > 1 and runs.count(1) >= len(sources), runs
    assert_drawn_as_alone(tmp_path, sources, tmp_path / "out")


def sizes(groups: list[list[Job]]) -> list[int]:
    return [len(group) for group in groups]


def test_groups_share_the_files_among_the_workers_and_keep_large_files_apart(tmp_path: Path):
    small, large = tmp_path / "small.svc", tmp_path / "large.svc"
    small.write_text("x" * 1000)
    large.write_text("x" * (GROUP_BYTES - 1500))
    jobs = [Job(str(small), None)] * 40
    assert sizes(_groups(jobs, 16, 1)) == [16, 16, 8]
    assert sizes(_groups(jobs, 16, 2)) == [10, 10, 10, 10]  # two groups or more for each worker
    assert sizes(_groups(jobs, 1, 2)) == [1] * 40  # a format drawn one file at a time
    mixed = [Job(str(small), None), Job(str(large), None), Job(str(small), None), Job(str(small), None)]
    assert sizes(_groups(mixed, 16, 1)) == [2, 2]
    assert sizes(_groups([Job(str(tmp_path / "gone.svc"), None), Job("-", None)], 16, 1)) == [2]


def test_a_graph_that_hangs_gets_the_timeout_and_the_others_are_drawn_together(tmp_path: Path):
    sources = write_blueprints(tmp_path / "src")[:5]
    hanging = sources[2]
    hanging.write_text(hanging.read_text().replace('blueprint "', 'blueprint "Hangs ', 1))
    # Each document as it comes, until the hanging blueprint's title: then nothing more.
    env = stand_in_dot(tmp_path / "bin", "awk '{print; fflush()} /Hangs /{system(\"sleep 1000\")}'")
    run = render(tmp_path, *map(str, sources), "-f", "svg", "-o", "out", "--dot-timeout", "3", env=env)
    assert run.returncode == 2, run.stderr
    assert f"blueprint: {hanging}: Graphviz `dot` took more than 3 s and was stopped" in run.stderr
    assert run.stderr.count("took more than") == 1 and "Traceback" not in run.stderr
    # The five together, stopped at the third; the second alone to confirm; the last two
    # together and the last alone. The hanging one is not drawn again on its own.
    assert [int(line) for line in (tmp_path / "bin" / "runs").read_text().split()] == [5, 1, 2, 1]
    assert not (tmp_path / "out" / hanging.with_suffix(".svg").name).exists()
    assert_drawn_as_alone(tmp_path, [s for s in sources if s != hanging], tmp_path / "out")


@pytest.mark.parametrize("broken, message", [
    ("cat >/dev/null; exit 3", "Graphviz `dot` failed (exit code 3)"),
    ("cat >/dev/null; kill -SEGV $$", "Graphviz `dot` failed (killed by signal 11)"),
], ids=["fails", "crashes"])
def test_a_broken_graphviz_fails_each_file_of_a_batch_by_name(tmp_path: Path, broken: str, message: str):
    sources = write_blueprints(tmp_path / "src")
    folder = tmp_path / "bin"
    folder.mkdir()
    (folder / "dot").write_text(f"#!/bin/sh\n{broken}\n")
    (folder / "dot").chmod(0o755)
    env = {**os.environ, "PATH": f"{folder}{os.pathsep}{os.environ['PATH']}"}
    run = render(tmp_path, "src", "-f", "svg", "-o", "out", env=env)
    assert run.returncode == 2 and "Traceback" not in run.stderr, run.stderr
    for source in sources:
        assert f"blueprint: {Path('src', source.name)}: {message}" in run.stderr
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").rglob("*.svg"))


def test_a_timeout_written_wrong_fails_each_file_of_a_batch(tmp_path: Path):
    sources = write_blueprints(tmp_path / "src")
    run = render(tmp_path, "src", "-f", "svg", "-o", "out", env={**os.environ, "BLUEPRINT_DOT_TIMEOUT": "abc"})
    assert run.returncode == 2 and "Traceback" not in run.stderr, run.stderr
    assert run.stderr.count("BLUEPRINT_DOT_TIMEOUT='abc': write a number of seconds") == len(sources)


SOURCE = """digraph blueprint {
  subgraph cluster_row_customer { graph [label="Customer"] };
  subgraph cluster_row_frontstage { graph [label="Frontstage"] };
  a;
}
"""


def cluster(name: str) -> str:
    return f'<g id="lane-{name}" class="cluster lane">\n<title>cluster_row_{name}</title>\n<polygon/>\n</g>\n'


def svg(*parts: str) -> str:
    node = '<g id="a" class="node">\n</g>\n'
    return '<svg>\n<g id="blueprint" class="graph">\n' + "".join(parts) + node + "</g>\n</svg>\n"


def test_clusters_are_put_in_the_order_of_the_source():
    in_order = svg(cluster("customer"), cluster("frontstage"))
    assert in_source_order(svg(cluster("frontstage"), cluster("customer")), SOURCE) == in_order
    assert in_source_order(in_order, SOURCE) == in_order


@pytest.mark.parametrize("drawn", [
    svg(cluster("frontstage")),  # one cluster missing
    svg(cluster("frontstage"), cluster("backstage")),  # one the source does not name
    svg(cluster("frontstage"), '<g id="x" class="node">\n</g>\n', cluster("customer")),  # not side by side
    svg(cluster("frontstage").replace("<polygon/>", '<g id="link">\n</g>'), cluster("customer")),  # holding a group
    svg(),
], ids=["missing", "unknown", "apart", "nested", "none"])
def test_clusters_not_drawn_as_expected_are_not_reordered(drawn: str):
    assert in_source_order(drawn, SOURCE) is None


def test_a_graph_without_clusters_is_left_as_it_is():
    drawn = svg()
    assert in_source_order(drawn, "digraph blueprint {\n  a;\n}\n") == drawn
