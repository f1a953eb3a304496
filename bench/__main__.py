"""The benchmark: ``python -m bench`` or ``make bench``.

Prints a table of figures measured side by side in one run (medians of several runs)
with their targets, writes the same table to bench/results.md with the machine line,
and exits 1 when a target is missed. Tests never assert times; this does.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench import generate
from bench.measure import Sample, interleaved, median, run_once

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_BLUEPRINT = str(Path(sys.executable).parent / "blueprint")
TOOLS = ROOT / "bench" / ".tools"


@dataclass(frozen=True, slots=True)
class Row:
    what: str
    figure: str
    target: str = ""
    ok: bool | None = None  # None: measured, no target


def seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 10 else f"{value:.1f} s"


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    dot = "no dot"
    if shutil.which("dot"):
        dot = subprocess.run(["dot", "-V"], capture_output=True, text=True).stderr.strip()
    python = f"Python {platform.python_version()}"
    return f"{platform.system()} {platform.machine()}, {cpu}, {os.cpu_count()} cores, {python}, {dot}"


def largest_example() -> Path:
    return max((p for p in (ROOT / "examples").glob("*.svc")), key=lambda p: p.stat().st_size)


# What every command loads before it does anything: click and the parser generated
# from the grammar (``make parser``), in the tool's own environment.
LIBRARIES = "import click, blueprint_dsl._lark_standalone as parser; parser.Lark_StandAlone()"


def startup(blueprint: str, runs: int) -> list[Row]:
    example = largest_example()
    python = Path(blueprint).parent / "python"
    with tempfile.TemporaryDirectory() as folder:
        dot_file = Path(folder) / "example.dot"
        dot_file.write_bytes(subprocess.run([blueprint, "render", str(example), "-f", "dot", "-o", "-", "-q"],
                                            capture_output=True, check=True).stdout)
        commands = {
            "floor": [sys.executable, "-c", "pass"],
            "check": [blueprint, "check", str(example)],
            "dot": ["dot", "-Tsvg", str(dot_file)],
            "svg": [blueprint, "render", str(example), "-f", "svg", "-o", "-", "-q", "--no-cache"],
        }
        if python.exists():
            commands["libraries"] = [str(python), "-c", LIBRARIES]
        got = interleaved(commands, runs)
    floor, check, dot, svg = got["floor"].seconds, got["check"].seconds, got["dot"].seconds, got["svg"].seconds
    rows = [Row("`python -c pass` (the floor)", seconds(floor))]
    if "libraries" in got:
        libraries = got["libraries"].seconds
        rows.append(Row("Python with click and the generated Lark parser loaded, no work",
                        f"{seconds(libraries)} = {libraries / floor:.1f}x the floor"))
    return rows + [
        Row(f"`blueprint check` {example.name}", f"{seconds(check)} = {check / floor:.1f}x the floor", "≤ 5x",
            check <= 5 * floor),
        Row("`dot -Tsvg` on its DOT", seconds(dot)),
        Row(f"`blueprint render -f svg` {example.name}", f"{seconds(svg)} = {svg / (floor + dot):.1f}x (floor + dot)",
            "≤ 3x", svg <= 3 * (floor + dot)),
    ]


def other_tools(blueprint: str, runs: int) -> list[Row]:
    """mermaid-cli and PlantUML on an equivalent swimlane diagram, when installed."""
    equivalent = ROOT / "bench" / "equivalent"
    ours = median([blueprint, "render", str(equivalent / "coffee.svc"), "-f", "svg", "-o", "-", "-q", "--no-cache"],
                  runs).seconds
    rows = [Row("`blueprint render -f svg` equivalent diagram", seconds(ours))]
    mmdc = TOOLS / "node_modules" / ".bin" / "mmdc"
    if mmdc.exists():
        with tempfile.TemporaryDirectory() as folder:
            theirs = median([str(mmdc), "-p", str(equivalent / "puppeteer.json"), "-i", str(equivalent / "coffee.mmd"),
                             "-o", str(Path(folder) / "out.svg"), "-q"], max(3, runs // 2))
        rows.append(Row("mermaid-cli, same diagram", f"{seconds(theirs.seconds)}, {theirs.peak_mib:.0f} MiB; "
                        f"ours is {theirs.seconds / ours:.1f}x faster", "≥ 15x faster", theirs.seconds >= 15 * ours))
    else:
        rows.append(Row("mermaid-cli", "not installed (`make bench-tools`)"))
    if shutil.which("plantuml"):
        with tempfile.TemporaryDirectory() as folder:
            source = Path(folder) / "coffee.puml"
            shutil.copy(equivalent / "coffee.puml", source)
            theirs = median(["plantuml", "-tsvg", str(source)], max(3, runs // 2))
        rows.append(Row("PlantUML, same diagram",
                        f"{seconds(theirs.seconds)}; ours is {theirs.seconds / ours:.1f}x faster",
                        "≥ 6x faster", theirs.seconds >= 6 * ours))
    else:
        rows.append(Row("PlantUML", "not installed (`make bench-tools`)"))
    return rows


def scaling(blueprint: str, runs: int, sizes: tuple[int, ...]) -> list[Row]:
    rows = []
    times: dict[tuple[str, int], Sample] = {}
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            path = Path(folder) / f"gen{size}.svc"
            path.write_text(generate.with_actions(size))
            commands = {
                "check": [blueprint, "check", str(path), "--ignore", "too-many-customer-actions"],
                "html": [blueprint, "render", str(path), "-f", "html", "-o", "-", "-q", "--no-cache"],
                "svg": [blueprint, "render", str(path), "-f", "svg", "-o", "-", "-q", "--no-cache"],
            }
            for name, command in commands.items():
                try:
                    times[(name, size)] = median(command, runs if size < 10_000 else max(1, runs // 2), timeout=900)
                except TimeoutError as error:
                    rows.append(Row(f"{name}, {size:,} actions", str(error), "", False))
    for name, limit in (("check", 2.0), ("html", 3.0), ("svg", None)):
        for size in sizes:
            sample = times.get((name, size))
            if sample is None:
                continue
            target, ok = "", None
            if size == 10_000 and limit is not None:
                target = f"< {limit:.0f} s, < 300 MiB"
                ok = sample.seconds < limit and sample.peak_mib < 300
            figure = f"{seconds(sample.seconds)}, {sample.peak_mib:.0f} MiB"
            rows.append(Row(f"{name}, {size:,} actions", figure, target, ok))
        if (name, 1000) in times and (name, 10_000) in times:
            ratio = times[(name, 10_000)].seconds / times[(name, 1000)].seconds
            linear = limit is not None
            rows.append(Row(f"{name}, 10,000 / 1,000 time", f"{ratio:.1f}", "≤ 12" if linear else "",
                            ratio <= 12 if linear else None))
    return rows


def batch(blueprint: str, count: int = 200) -> list[Row]:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "src"
        source.mkdir()
        for i in range(count):
            (source / f"bp{i:03}.svc").write_text(generate.blueprint(4 + i % 5, title=f"Blueprint {i}"))
        command = [blueprint, "render", str(source), "-f", "svg", "-o", str(Path(folder) / "out"), "-q",
                   "--cache-dir", str(Path(folder) / "cache")]
        cold = run_once(command, cwd=folder)
        warm = run_once(command, cwd=folder)
    return [
        Row(f"render {count} blueprints to SVG, cold", f"{count / cold.seconds:.0f} files/s ({seconds(cold.seconds)})",
            "≥ 40 files/s", count / cold.seconds >= 40),
        Row(f"render {count} blueprints, nothing changed",
            f"{count / warm.seconds:.0f} files/s ({seconds(warm.seconds)})",
            "≥ 500 files/s", count / warm.seconds >= 500),
    ]


def page(steps: int = 500) -> list[Row]:
    """Open the HTML page of a 500-step blueprint in headless Chromium and time interactions."""
    try:
        from bench.page import interaction_timings
    except ImportError as error:
        return [Row(f"HTML page, {steps} steps", f"not measured ({error})")]
    return [Row(f"HTML page, {steps} steps: {what}", f"{value * 1000:.0f} ms") for what, value in
            interaction_timings(generate.blueprint(steps))]


def table(rows: list[Row]) -> str:
    lines = ["| Measure | Figure | Target | |", "| --- | --- | --- | --- |"]
    for row in rows:
        mark = "" if row.ok is None else ("ok" if row.ok else "**missed**")
        lines.append(f"| {row.what} | {row.figure} | {row.target} | {mark} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="runs per measure (median)")
    parser.add_argument("--quick", action="store_true", help="skip 10,000 actions and the browser")
    parser.add_argument("--blueprint", help="the `blueprint` command to measure (default: this environment's); "
                        "`make bench` passes one installed from a wheel, as users have it")
    args = parser.parse_args()
    tool = str(Path(args.blueprint).resolve()) if args.blueprint else DEFAULT_BLUEPRINT
    sizes = (100, 1000) if args.quick else (100, 1000, 10_000)
    rows = (startup(tool, args.runs) + other_tools(tool, args.runs) + scaling(tool, max(3, args.runs // 3), sizes)
            + batch(tool))
    if not args.quick:
        rows += page()
    text = f"# Benchmark results\n\nMachine: {machine()}\nMeasured: `{tool}`\n\n{table(rows)}\n"
    print(text)
    (ROOT / "bench" / "results.md").write_text(text, encoding="utf-8")
    missed = [row.what for row in rows if row.ok is False]
    if missed:
        print("Missed: " + "; ".join(missed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
