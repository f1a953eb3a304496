"""Rendering many blueprints at once: planning outputs, a content-hash cache, workers.

``blueprint render DIR -o OUT`` mirrors the folder tree of DIR under OUT. A file is
skipped when its source, its includes, the options and the tool are unchanged since
the output was written (the cache lives in ``.blueprint-cache/``, safe to delete).
Files render in parallel across the machine's cores; one failure stops nothing.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import hashlib
import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Callable, Iterable, Iterator

from . import __version__
from .check import check
from .diagnostics import Severity
from .files import write_atomic
from .loader import LoadResult, load, loads
from .render import FORMATS, RenderError, RenderOptions
from .report import as_text

RENDERED, UNCHANGED, FAILED, SHARED = "rendered", "unchanged", "failed", "shared"
CURRENT, STALE, MISSING, EXTRA = "current", "stale", "missing", "extra"
#: Below this many files, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 8


@dataclass(frozen=True, slots=True)
class Job:
    """One file to render, and where its output goes."""

    source: str
    #: Where the output goes; None for standard output.
    target: Path | None


@dataclass(frozen=True, slots=True)
class Outcome:
    """What rendering one file gave: its bytes, or the reason it has none."""

    job: Job
    status: str
    data: bytes | None = None
    #: Diagnostics as text, for a file that could not be rendered.
    report: str = ""
    #: A backend failure (Graphviz missing, say): the run exits 2.
    error: str | None = None
    #: Every file the output depends on, the blueprint's own first.
    files: tuple[str, ...] = ()


def plan(files: Iterable[str], given: Iterable[str], output: str | None, suffix: str) -> list[Job]:
    """One job per file: outputs beside the sources, or mirrored under ``output``."""
    folders = [Path(g) for g in given if Path(g).is_dir()]
    jobs = []
    for name in files:
        if output == "-" or (name == "-" and output is None):
            jobs.append(Job(name, None))
            continue
        source = Path(name)
        if output is None:
            target = source.with_suffix(suffix)
        elif name == "-":
            target = Path(output) / ("stdin" + suffix)
        else:
            folder = next((f for f in folders if source.is_relative_to(f)), None)
            relative = source.relative_to(folder) if folder else Path(source.name)
            target = (Path(output) / relative).with_suffix(suffix)
        jobs.append(Job(name, target))
    return jobs


def render_one(job: Job, format_name: str, options: RenderOptions, read_stdin: Callable[[], str] | None = None) -> Outcome:
    """Load, check and render one blueprint in memory; nothing is written here."""
    result: LoadResult = loads(read_stdin(), "<stdin>") if job.source == "-" and read_stdin else load(job.source)
    diagnostics = check(result)
    errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
    if errors:
        return Outcome(job, FAILED, report=as_text(errors, result.sources, 1, False), files=result.files)
    if result.blueprint is None:
        return Outcome(job, SHARED, files=result.files)
    try:
        data = FORMATS[format_name].render(result.blueprint, dataclasses.replace(options, diagnostics=tuple(diagnostics)))
    except RenderError as error:
        return Outcome(job, FAILED, error=str(error), files=result.files)
    return Outcome(job, RENDERED, data=data, files=result.files)


class Cache:
    """Remembers, per output, the hashes of the files and settings it was made from."""

    def __init__(self, folder: Path, format_name: str, options: RenderOptions) -> None:
        self.folder = folder
        settings = json.dumps({"format": format_name, "theme": options.theme, "tool": tool_fingerprint()})
        self.salt = hashlib.sha256(settings.encode()).hexdigest()

    def _entry(self, target: Path) -> Path:
        return self.folder / (hashlib.sha256(str(target.resolve()).encode()).hexdigest()[:32] + ".json")

    def fresh(self, job: Job) -> bool:
        if job.target is None or job.source == "-":
            return False
        try:
            entry = json.loads(self._entry(job.target).read_text(encoding="utf-8"))
            if entry["salt"] != self.salt or entry["output"] != _digest_file(job.target):
                return False
            return all(_digest_file(Path(path)) == digest for path, digest in entry["files"].items())
        except (OSError, ValueError, KeyError):
            return False

    def remember(self, outcome: Outcome) -> None:
        if outcome.job.target is None or outcome.data is None or outcome.job.source == "-":
            return
        try:
            entry = {
                "salt": self.salt,
                "output": hashlib.sha256(outcome.data).hexdigest(),
                "files": {path: _digest_file(Path(path)) for path in outcome.files},
            }
            write_atomic(self._entry(outcome.job.target), json.dumps(entry, sort_keys=True).encode())
        except OSError:
            pass  # a cache that cannot be written only costs a render next time


def _digest_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@cache
def tool_fingerprint() -> str:
    """The version and a hash of the package's own files: a changed renderer invalidates the cache."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".lark", ".html", ".css", ".js", ".json", ".j2"}:
            digest.update(str(path.relative_to(package)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def run(
    jobs: list[Job],
    format_name: str,
    options: RenderOptions,
    cache_: Cache | None,
    read_stdin: Callable[[], str] | None = None,
) -> Iterator[Outcome]:
    """Render the jobs that are not fresh, in parallel when there are enough of them."""
    pending = []
    for job in jobs:
        if cache_ is not None and cache_.fresh(job):
            yield Outcome(job, UNCHANGED)
        else:
            pending.append(job)
    workers = min(os.cpu_count() or 1, len(pending))
    if workers > 1 and len(pending) >= PARALLEL_THRESHOLD and all(j.source != "-" for j in pending):
        with concurrent.futures.ProcessPoolExecutor(max_workers=workers) as pool:
            chunk = max(1, len(pending) // (workers * 8))
            yield from pool.map(render_one, pending, [format_name] * len(pending), [options] * len(pending),
                                chunksize=chunk)
    else:
        for job in pending:
            yield render_one(job, format_name, options, read_stdin)


def compare(outcome: Outcome) -> str:
    """For ``--check``: is the output on disk what rendering gives now?"""
    target = outcome.job.target
    if target is None or not target.exists():
        return MISSING
    return CURRENT if target.read_bytes() == outcome.data else STALE


def extras(jobs: list[Job], output: Path, suffix: str) -> list[Path]:
    """Outputs under ``output`` that no source renders to any more."""
    expected = {job.target.resolve() for job in jobs if job.target is not None}
    return sorted(p for p in output.rglob(f"*{suffix}") if p.is_file() and p.resolve() not in expected)
