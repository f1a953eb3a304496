"""The ``render`` command: blueprints to files, in parallel, with a cache. Registered on ``blueprint`` by ``cli``."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .cli_params import (
    EXIT_CLEAN,
    EXIT_FINDINGS,
    EXIT_USAGE,
    INPUT_PATHS,
    Number,
    PathParam,
    Seconds,
    agreeing_format,
    config_of,
    configs_with,
    input_files,
    known_theme,
)
from .output_formats import DRAWN, MAX_DOT_TIMEOUT, MAX_SCALE, MIN_SCALE, PAPERS, SUFFIXES

if TYPE_CHECKING:
    from .batch import Job, Outcome


@click.command(short_help="Render blueprints to SVG, HTML, PNG, PDF, DOT or JSON.")
@click.argument("paths", nargs=-1, required=True, type=INPUT_PATHS)
@click.option("-f", "--format", "output_format", type=click.Choice(sorted(SUFFIXES)), default="svg", show_default=True,
              help="Output format; an -o file name ending in a format's suffix picks that format.")
@click.option(
    "-o",
    "--output",
    type=PathParam("name a folder or a file, or leave -o out to write beside each source"),
    help="Folder for the outputs, mirroring the input folders; for one input, a file ending in a format's suffix "
         "(coffee.png); '-' for stdout. Default: beside each source.",
)
@click.option("--theme", callback=known_theme, help="Colour theme (overrides the blueprint's own `theme`).")
@click.option("--check", "check_only", is_flag=True,
              help="Write nothing; exit 1 and list outputs that are stale, missing or extra.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary line.")
@click.option("--no-cache", is_flag=True, help="Render every file, even when nothing changed.")
@click.option("--cache-dir", type=PathParam("name a folder", file_okay=False, readable=True),
              default=".blueprint-cache", show_default=True,
              help="Where to remember what was rendered from what (safe to delete).")
@click.option("--dot-timeout", type=Seconds(min=0, max=MAX_DOT_TIMEOUT, min_open=True), metavar="SECONDS",
              help="Stop Graphviz after this long (default: $BLUEPRINT_DOT_TIMEOUT, else 60).")
@click.option("--scale", type=Number(min=MIN_SCALE, max=MAX_SCALE), metavar="FACTOR",
              help="Draw a PNG this many times larger: 2 for high-density screens and slides (default 1, 96 dpi).")
@click.option("--paper", type=click.Choice(list(PAPERS)),
              help="The paper an HTML page prints on, landscape, until its reader picks another (default a4).")
def render(
    paths: tuple[str, ...],
    output_format: str,
    output: str | None,
    theme: str | None,
    check_only: bool,
    quiet: bool,
    no_cache: bool,
    cache_dir: str,
    dot_timeout: float | None,
    scale: float | None,
    paper: str | None,
) -> None:
    """Render blueprints (FILE, DIR or '-' for stdin) to the chosen format.

    Folders render in parallel; files whose source, includes, options and tool are
    unchanged are skipped. A blueprint that cannot be read (syntax, reference or value
    errors) is reported and not written, and never replaces an existing output; the
    lane rules' findings do not stop a render (`blueprint check` gates on them), and
    the HTML page shows them. A file of shared declarations is passed over, with a note
    when it was named. Exit 0 when all rendered, 1 when some could not be read (or, with
    --check, outputs are not up to date), 2 when a backend or an output folder failed,
    or the one output asked for (-o FILE, stdout) would come from shared declarations.
    """
    import collections
    import dataclasses
    import time

    from . import batch
    from .diagnostics import PATH_WIDTH, clip, visible
    from .render import FORMATS, RenderOptions

    started = time.perf_counter()
    files, unlisted = input_files(paths)
    if output == "-" and len(files) > 1:
        raise click.UsageError("-o - writes to stdout and takes one input")
    file_format = _output_file_format(output, output_format, paths, files)
    fmt = FORMATS[file_format or output_format]
    if theme is not None and fmt.name not in DRAWN:
        raise click.UsageError(f"--theme colours the formats that draw ({', '.join(sorted(DRAWN))}), not {fmt.name}")
    if scale is not None and fmt.name != "png":
        raise click.UsageError(f"--scale sizes the png format's pixels, not {fmt.name}, which scales as drawn")
    if paper is not None and fmt.name != "html":
        raise click.UsageError(f"--paper is the paper the html page prints on; {fmt.name} is drawn to its own size")
    options = RenderOptions(theme=theme, dot_timeout=dot_timeout, scale=scale or 1.0, paper=paper or "a4")
    planned = [batch.Job(files[0], Path(output))] if file_format else batch.plan(files, paths, output, fmt.suffix)
    configs = configs_with({})  # the findings the HTML page shows are those `check` reports
    jobs = [dataclasses.replace(job, config=config_of(configs, job.source)) for job in _distinct(planned)]
    if check_only and any(job.target is None for job in jobs):
        raise click.UsageError("--check compares the outputs on disk with a new render: name the source files "
                               "(not '-') and leave out -o -")
    if check_only:
        from .files import regular_file

        unreadable = next((job.target for job in jobs if job.target.exists() and not regular_file(job.target)), None)
        if unreadable is not None:
            raise click.UsageError(f"--check compares files on disk, and {unreadable} is not a regular file")
    # What goes to standard output is never cached: a run that writes only there needs no cache.
    if no_cache or check_only or all(job.target is None for job in jobs):
        cache = None
    else:
        from .render_cache import Cache

        cache = Cache(Path(cache_dir), fmt.name, options)
    if not check_only:
        from .files import remove_stale_temporaries

        remove_stale_temporaries(job.target for job in jobs if job.target is not None)
    counts = collections.Counter()
    not_current: list[tuple[str, Path]] = []
    exit_code = EXIT_CLEAN
    if unlisted:
        from .diagnostics import render_text

        for problem in unlisted:  # as a blueprint that cannot be read: reported, and the run fails
            click.echo(render_text(problem, {}), err=True)
        counts[batch.FAILED] += len(unlisted)
        exit_code = EXIT_FINDINGS
    outcomes = batch.run(jobs, fmt.name, options, cache, stdin=sys.stdin.buffer)
    show_progress = not quiet and sys.stderr.isatty() and len(jobs) > 1
    with click.progressbar(outcomes, length=len(jobs), file=sys.stderr, label="Rendering") if show_progress \
            else contextlib.nullcontext(outcomes) as progress:
        for outcome in progress:
            status = outcome.status
            name = "<stdin>" if outcome.job.source == "-" else visible(clip(outcome.job.source, PATH_WIDTH))
            if status == batch.FAILED:
                click.echo(outcome.report or f"blueprint: {name}: {outcome.error}", nl=not outcome.report, err=True)
                exit_code = EXIT_USAGE if outcome.error else max(exit_code, EXIT_FINDINGS)
            elif status == batch.SHARED and outcome.job.source in paths:
                # Found in a folder, such a file is passed over quietly; named, it is told.
                click.echo(f"blueprint: {name}: holds no blueprint, only "
                           "declarations for others to include; nothing rendered from it", err=True)
                if file_format or outcome.job.target is None:  # the output asked for cannot be made
                    status = batch.FAILED
                    exit_code = max(exit_code, EXIT_USAGE)
            elif status == batch.SHARED and check_only and outcome.job.target and outcome.job.target.exists():
                # What it rendered to before it held only declarations: no source renders to it now.
                not_current.append((batch.EXTRA, outcome.job.target))
            elif status == batch.RENDERED and check_only:
                state = batch.compare(outcome)
                if state != batch.CURRENT:
                    not_current.append((state, outcome.job.target))
            elif status == batch.RENDERED:
                if not _write(outcome):
                    status = batch.FAILED
                    exit_code = EXIT_USAGE
                elif cache is not None:
                    cache.remember(outcome)
            counts[status] += 1
    if check_only:
        # Outputs no source renders to, when a folder is named: files named one by one (as
        # pre-commit names those changed) say nothing of the others in the output folder.
        if output not in (None, "-") and Path(output).is_dir() and any(Path(path).is_dir() for path in paths):
            not_current += [(batch.EXTRA, path) for path in batch.extras(jobs, Path(output), fmt.suffix)]
        for state, path in sorted(not_current, key=lambda item: str(item[1])):
            click.echo(f"{state}: {visible(str(path))}")
        if not_current:
            exit_code = max(exit_code, EXIT_FINDINGS)
    if not quiet:
        elapsed = time.perf_counter() - started
        if check_only:
            stale = len([state for state, _ in not_current if state != batch.EXTRA])
            parts = [f"{counts[batch.RENDERED] - stale} up to date", f"{len(not_current)} not up to date"]
        else:
            parts = [f"{counts[batch.RENDERED]} rendered", f"{counts[batch.UNCHANGED]} unchanged"]
        parts.append(f"{counts[batch.FAILED]} failed")
        click.echo(f"{', '.join(parts)} in {elapsed:.2f}s", err=True)
    sys.exit(exit_code)


def _output_file_format(output: str | None, output_format: str, paths: tuple[str, ...], files: list[str]) -> str | None:
    """The format of the one output ``-o`` names, or None when it names a folder or stdout.

    ``-o`` names one output when it ends in a format's suffix and is not a folder already;
    the suffix picks the format, and an ``-f`` that says otherwise is a usage error. A
    character device or a FIFO (``/dev/null``) is one output too, whatever its name: its
    name says nothing of a format, so ``-f`` does. An existing file without a format's
    suffix can be neither, and is a usage error. So is a new name with any other suffix
    (``diagram.jpg``): made into a folder, it would surprise; a folder with a dot in its
    name is created first, or written with a trailing slash.
    """
    from .diagnostics import visible
    from .files import written_into

    if output in (None, "-") or output.endswith(("/", os.sep)) or Path(output).is_dir():
        return None  # a trailing slash names a folder, whatever its name ends in
    suffix = Path(output).suffix.lower()
    named = next((name for name, known in SUFFIXES.items() if known == suffix), None)
    if named is None and written_into(Path(output)):
        named = output_format
    if named is None and Path(output).exists():
        example = "coffee" + SUFFIXES[output_format]
        kind = "a file, not a folder" if Path(output).is_file() else "not a folder"
        raise click.UsageError(f"cannot write into -o {visible(output)}: it is {kind}; give -o a folder, "
                               f"or for one blueprint a file name ending in a format's suffix ({example})")
    if named is None and suffix and not output.endswith(("/", os.sep)) and not Path(output).exists():
        known = ", ".join(sorted(SUFFIXES.values()))
        raise click.UsageError(f"-o {visible(output)}: {visible(suffix)} is not a format blueprint writes ({known}); "
                               f"to write into a new folder of that name, end it with a slash: -o {visible(output)}/")
    if named is None:
        return None
    if len(files) > 1 or any(Path(path).is_dir() for path in paths):
        inputs = "a folder" if len(files) == 1 else f"{len(files)} .svc files"
        raise click.UsageError(f"-o {visible(output)} names a single output, for one blueprint; for {inputs}, "
                               "give -o a folder")
    return agreeing_format(output, named, output_format)


def _distinct(jobs: list[Job]) -> list[Job]:
    """The jobs, each file once; two blueprints with one output, or an output that would
    replace its source, is a usage error."""
    from .diagnostics import visible

    sources: dict[Path, Job] = {}
    for job in jobs:
        if job.target is None:
            continue
        target = job.target.resolve()
        if job.source != "-" and Path(job.source).resolve() == target:
            raise click.UsageError(f"the output of {visible(job.source)} would replace it: name the source with "
                                   "the .svc suffix, or give -o another folder or file")
        other = sources.setdefault(target, job)
        if Path(other.source).resolve() != Path(job.source).resolve():
            raise click.UsageError(f"{visible(other.source)} and {visible(job.source)} would both render to "
                                   f"{visible(str(job.target))}: render the folder that holds both, or each with "
                                   "its own -o")
    # A source named like an output's folder (x.svg/y.svc beside x.svc): one output would be a folder.
    for target, job in sources.items():
        folder = next((sources[parent] for parent in target.parents if parent in sources), None)
        if folder is not None:
            raise click.UsageError(f"{visible(str(folder.target))} would be the output of {visible(folder.source)} "
                                   f"and the folder of {visible(str(job.target))}, the output of "
                                   f"{visible(job.source)}: rename one of them")
    return [job for job in jobs if job.target is None or sources[job.target.resolve()] is job]


def _write(outcome: Outcome) -> bool:
    from .diagnostics import visible
    from .files import write_atomic

    if outcome.job.target is None:
        sys.stdout.buffer.write(outcome.data)
        sys.stdout.buffer.flush()
        return True
    try:
        write_atomic(outcome.job.target, outcome.data)
    except OSError as error:
        click.echo(f"blueprint: cannot write {visible(str(outcome.job.target))}: {error.strerror}", err=True)
        return False
    return True
