"""Rendering many blueprints at once: planning outputs, skipping cached ones, workers.

``blueprint render DIR -o OUT`` mirrors the folder tree of DIR under OUT. A file is
skipped when the cache (``render_cache``) says its output is current. Files render in
groups, each drawn by one Graphviz run where the format allows, in parallel across the
machine's cores; one failure stops nothing.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Iterable, Iterator

from .check import check
from .config import Config
from .diagnostics import Severity
from .loader import LoadResult, load, load_stream
from .reading import decode
from .render import FORMATS, RenderError, RenderOptions
from .report import as_text

if TYPE_CHECKING:
    from .render_cache import Cache

RENDERED, UNCHANGED, FAILED, SHARED = "rendered", "unchanged", "failed", "shared"
CURRENT, STALE, MISSING, EXTRA = "current", "stale", "missing", "extra"
#: Below this many files, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 8
#: The most files drawn together, by one Graphviz run, for a format that can: enough that
#: starting `dot` costs little per file, few enough that the workers share the batch evenly.
GROUP_SIZE = 16
#: The most bytes the files of a group may hold between them (their includes not counted):
#: every file of a group is laid out before Graphviz draws them, so large ones are drawn alone.
GROUP_BYTES = 128 * 1024


@dataclass(frozen=True, slots=True)
class Job:
    """One file to render, and where its output goes."""

    source: str
    #: Where the output goes; None for standard output.
    target: Path | None
    #: The configuration the file is checked with: the findings shown are those `check` reports.
    config: Config = Config()


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
    #: With a cache: the SHA-256 of each of ``files`` as it was read, or "" for one that
    #: changed while it rendered, which no later run may take as current.
    digests: tuple[str, ...] = ()
    #: The included files reached through a link, as (path as reached, file it led to), when digests are taken.
    links: tuple[tuple[str, str], ...] = ()


def plan(files: Iterable[str], given: Iterable[str], output: str | None, suffix: str) -> list[Job]:
    """One job per file: outputs beside the sources, or mirrored under ``output`` from the
    outermost folder named that holds the file, whatever order the folders come in."""
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
            holding = [folder for folder in folders if source.is_relative_to(folder)]
            relative = max((source.relative_to(folder) for folder in holding), key=lambda path: len(path.parts),
                           default=Path(source.name))
            target = (Path(output) / relative).with_suffix(suffix)
        jobs.append(Job(name, target))
    return jobs


def render_group(
    jobs: list[Job],
    format_name: str,
    options: RenderOptions,
    digests: bool = False,
    stdin: BinaryIO | None = None,
) -> list[Outcome]:
    """Load, check and render blueprints in memory, drawn together where the format can; nothing is written here.

    Only a blueprint that cannot be read (syntax, reference or value errors) fails: the
    lane rules' findings, as each job's configuration sets them, go to the backends that show them.
    """
    outcomes: dict[int, Outcome] = {}
    loaded: list[tuple[int, LoadResult, RenderOptions]] = []
    for index, job in enumerate(jobs):
        result = load_stream(stdin) if job.source == "-" and stdin else load(job.source)
        errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
        if errors:
            outcomes[index] = Outcome(job, FAILED, report=as_text(errors, result.sources, 1, False), files=result.files)
        elif result.blueprint is None:
            outcomes[index] = Outcome(job, SHARED, files=result.files)
        else:
            findings = tuple(check(result, job.config))
            shown = dataclasses.replace(options, diagnostics=findings,
                                        default_tolerance=job.config.settings.default_tolerance)
            loaded.append((index, result, shown))
    drawn = FORMATS[format_name].render_each([(result.blueprint, options) for _, result, options in loaded])
    for (index, result, _), data in zip(loaded, drawn, strict=True):
        job = jobs[index]
        if isinstance(data, RenderError):
            outcomes[index] = Outcome(job, FAILED, error=str(data), files=result.files)
        else:
            outcomes[index] = Outcome(job, RENDERED, data=data, files=result.files,
                                      digests=_digests(result) if digests else (),
                                      links=_links(result, job.source) if digests else ())
    return [outcomes[index] for index in range(len(jobs))]


def _digests(result: LoadResult) -> tuple[str, ...]:
    """The hash of each file as the loader read it: its bytes now, unless they no longer
    give the text that was rendered (an edit saved meanwhile), which gets ""."""
    import hashlib  # here: only a run that caches hashes

    read = {os.path.realpath(name): text for name, text in result.sources.items()}
    digests = []
    for path in result.files:
        try:
            data = Path(path).read_bytes()
        except OSError:
            digests.append("")
            continue
        text, _ = decode(data, path)
        digests.append(hashlib.sha256(data).hexdigest() if text is not None and text == read.get(path) else "")
    return tuple(digests)


def _links(result: LoadResult, source: str) -> tuple[tuple[str, str], ...]:
    """Each included file whose path, as the includes spell it, passes through a link:
    repointed, the link leads to another file, though the one read is unchanged."""
    links = []
    for name in result.sources:
        if name != source:
            reached, real = os.path.abspath(name), os.path.realpath(name)
            if reached != real:
                links.append((reached, real))
    return tuple(links)


def run(
    jobs: list[Job],
    format_name: str,
    options: RenderOptions,
    cache_: Cache | None,
    stdin: BinaryIO | None = None,
) -> Iterator[Outcome]:
    """Render the jobs that are not fresh, in parallel when there are enough of them."""
    pending = []
    for job in jobs:
        if cache_ is not None and cache_.fresh(job):
            yield Outcome(job, UNCHANGED)
        else:
            pending.append(job)
    render = functools.partial(render_group, format_name=format_name, options=options, digests=cache_ is not None)
    workers = min(os.cpu_count() or 1, len(pending))
    most = GROUP_SIZE if FORMATS[format_name].together else 1
    if workers > 1 and len(pending) >= PARALLEL_THRESHOLD and all(j.source != "-" for j in pending):
        import concurrent.futures  # here: fewer files render in this process without it

        with concurrent.futures.ProcessPoolExecutor(max_workers=workers) as pool:
            groups = _groups(pending, most, workers)
            for outcomes in pool.map(render, groups, chunksize=max(1, len(groups) // (workers * 8))):
                yield from outcomes
    else:
        for group in _groups(pending, most, 1):
            yield from render(group, stdin=stdin)


def _groups(jobs: list[Job], most: int, workers: int) -> list[list[Job]]:
    """The jobs in groups drawn together: each of at most ``most`` files holding GROUP_BYTES
    between them, unless one file alone holds more, and two groups or more for each of
    several workers."""
    size = most if workers == 1 else max(1, min(most, math.ceil(len(jobs) / (2 * workers))))
    groups: list[list[Job]] = []
    held = 0
    for job in jobs:
        length = _length(job.source)
        if not groups or len(groups[-1]) == size or held + length > GROUP_BYTES:
            groups.append([])
            held = 0
        groups[-1].append(job)
        held += length
    return groups


def _length(source: str) -> int:
    """The bytes of the file ``source`` itself (its includes are not counted), 0 for standard input."""
    try:
        return os.stat(source).st_size if source != "-" else 0
    except OSError:
        return 0  # its load reports it


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
