"""The ``blueprint`` command: parses options and calls the library."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from . import __version__
from .cli_params import INPUT_PATHS, Number, PathParam, Seconds
from .output_formats import DIFF_SUFFIXES, DRAWN, MAX_DOT_TIMEOUT, MAX_SCALE, MIN_SCALE, SUFFIXES

if TYPE_CHECKING:
    from .batch import Job, Outcome
    from .config import Config, Configs
    from .diagnostics import Diagnostic
    from .loader import LoadResult

# Each command imports what it needs when it runs: start-up is most of the time of a
# `check`, and `blueprint --help` should not load a parser or a renderer.

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class _Main(click.Group):
    """The command group, which turns a failed write of the output into a message.

    A reader gone from a pipe (`| head -1`) is a stream gone bad too: click would end it
    quietly with exit 1, which `check` and `diff` give for findings and changes, so it is
    caught before click sees it, where the options are read (--help, --version) and where
    a command runs.
    """

    def main(self, *args: object, **kwargs: object) -> None:
        try:
            try:
                super().main(*args, **kwargs)
            finally:
                if not sys.stdout.closed:  # the language server closes it when the editor says exit
                    sys.stdout.flush()  # here, so that a full disk is reported, not ignored at exit
        except OSError as error:
            _output_failed(error)

    def make_context(self, *args: object, **kwargs: object) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except OSError as error:
            _output_failed(error)

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except OSError as error:
            _output_failed(error)


def _output_failed(error: OSError) -> NoReturn:
    """Say that the output could not be written, and exit 2."""
    # Without a file name, this is standard output on a full disk or a stream gone bad.
    if error.filename is None:
        _discard_standard_output()
    with contextlib.suppress(OSError):  # standard error may be the same broken pipe
        where = error.filename if error.filename is not None else "cannot write standard output"
        click.echo(f"blueprint: {where}: {error.strerror}", err=True)
    sys.exit(EXIT_USAGE)


def _discard_standard_output() -> None:
    """Send what standard output still holds nowhere: written at exit, it would fail again."""
    try:
        descriptor = sys.stdout.fileno()
    except (OSError, ValueError):  # closed, or not a file (a test's runner)
        return
    nowhere = os.open(os.devnull, os.O_WRONLY)
    os.dup2(nowhere, descriptor)
    os.close(nowhere)


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="blueprint")
def main() -> None:
    """Service blueprints as code: check and render .svc files."""


def _load(name: str) -> LoadResult:
    from .loader import load, load_stream

    return load_stream(sys.stdin.buffer) if name == "-" else load(name)


def _files(paths: tuple[str, ...]) -> tuple[list[str], list[Diagnostic]]:
    """The blueprint files in ``paths``, and a BP009 for each folder below them that cannot be listed."""
    from .files import UsageError, collect

    try:
        files, unlisted = collect(paths)
    except UsageError as error:
        raise click.UsageError(str(error)) from error
    if not files and not unlisted:
        raise click.UsageError("no .svc files found in " + ", ".join(paths))
    return files, unlisted


@main.command()
@click.argument("paths", nargs=-1, required=True, type=INPUT_PATHS)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "sarif", "github"]),
    default="text",
    show_default=True,
    help="text for people, json (docs/checking.md), sarif 2.1.0, or github workflow annotations.",
)
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
@click.option("--select", multiple=True,
              help="Only these codes, names or code prefixes (repeatable, or comma-separated).")
@click.option("--ignore", multiple=True, help="Leave out these codes, names or code prefixes.")
@click.option("--severity", "severities", multiple=True, metavar="CODE=LEVEL", help="Change a rule's severity.")
@click.option("--max-customer-actions", type=int, help="Threshold of too-many-customer-actions (default 15).")
@click.option("--max-wait", help="Threshold of wait-over-limit, e.g. 30min.")
@click.option("--default-tolerance", help="Tolerance for blueprints that declare none, e.g. 20min.")
def check(paths: tuple[str, ...], output_format: str, strict: bool, **overrides: object) -> None:
    """Parse, resolve and check blueprints against the lane rules.

    Exit 0 when clean, 1 when a finding fails (errors; warnings too with --strict),
    2 on a usage, configuration or I/O error. Each file's configuration is read from
    [tool.blueprint] in the pyproject.toml nearest to it; options override it.
    """
    from .check import check as run_checks
    from .check import failed
    from .diagnostics import sorted_diagnostics
    from .report import as_github, as_github_failure, as_json, as_text

    diagnostics = []
    sources: dict[str, str] = {}
    try:
        files, unlisted = _files(paths)
        diagnostics.extend(unlisted)
        configs = _configs(overrides)
        for name in files:
            result = _load(name)
            diagnostics.extend(run_checks(result, _config(configs, name)))
            sources.update(result.sources)
    except (click.UsageError, ConfigFileError) as error:
        # A CI step reading the findings gets the failure in its own format, not an empty file.
        if output_format == "sarif":
            from .sarif import as_sarif

            click.echo(as_sarif([], failure=error.format_message()), nl=False)
        elif output_format == "github":
            click.echo(as_github_failure(error.format_message()))
        raise
    # A shared file included by several blueprints reports its problems once.
    diagnostics = sorted_diagnostics(dict.fromkeys(diagnostics))
    if output_format == "json":
        click.echo(as_json(diagnostics, len(files)), nl=False)
    elif output_format == "sarif":
        from .sarif import as_sarif

        click.echo(as_sarif(diagnostics), nl=False)
    elif output_format == "github":
        click.echo(as_github(diagnostics), nl=False)
    else:
        colour = sys.stdout.isatty()
        click.echo(as_text(diagnostics, sources, len(files), colour), nl=False, color=colour)
    sys.exit(EXIT_FINDINGS if failed(diagnostics, strict) else EXIT_CLEAN)


def _configs(overrides: dict[str, object]) -> Configs:
    """The configuration of each file, with the command line's options on top."""
    from .config import Config, ConfigError, Configs, with_options

    try:
        with_options(Config(), overrides)  # options that cannot be used stop the run before any file is read
    except ConfigError as error:
        raise click.UsageError(str(error)) from error
    return Configs(overrides)


class ConfigFileError(click.ClickException):
    """A pyproject.toml that configures the run wrongly: exit 2, without the usage that a
    mistyped option gets, since the command line is right."""

    exit_code = EXIT_USAGE


def _config(configs: Configs, source: str) -> Config:
    """The configuration of the file ``source``."""
    from .config import ConfigError

    try:
        return configs.of(source)
    except ConfigError as error:
        raise ConfigFileError(str(error)) from error


@main.command()
@click.argument("code", required=False)
@click.option("--markdown", is_flag=True, help="Print the whole catalog as Markdown (docs/rules.md).")
def rules(code: str | None, markdown: bool) -> None:
    """List the catalog of codes, or explain one (by code or name)."""
    from . import catalog
    from .diagnostics import did_you_mean

    if markdown:
        if code is not None:
            raise click.UsageError(f"--markdown prints the whole catalog: leave out {code!r}, or --markdown")
        click.echo(catalog.markdown(), nl=False)
        return
    if code is None:
        for entry in catalog.entries():
            c = entry.code
            click.echo(f"{c.code}  {c.name:<36} {c.severity.value:<8} {c.summary}")
        return
    entry = catalog.find(code)
    if entry is None:
        hint = did_you_mean(code, [e.code.name for e in catalog.entries()] + [e.code.code for e in catalog.entries()])
        raise click.UsageError(f"no rule {code!r}" + (f"; {hint}" if hint else "; see `blueprint rules`"))
    c = entry.code
    click.echo(f"{c.code} {c.name} ({c.severity.value})\n\n{c.summary}\n")
    if entry.kind == "rule":
        click.echo(entry.doc)


main.add_command(rules, name="explain")


def _known_theme(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from .model import THEME_NAMES  # here: the model is not loaded to print --help

    if value is not None and value not in THEME_NAMES:
        raise click.BadParameter(f"'{value}' is not a theme; the themes are {', '.join(THEME_NAMES)}")
    return value


def _load_valid(spec: str, errors_exit: int = EXIT_FINDINGS) -> LoadResult:
    """A blueprint without errors, or exit: ``errors_exit`` with its diagnostics, 2 when unreadable.
    ``spec`` is a file, a git REV:PATH, or '-' for standard input."""
    from .diagnostics import PATH_WIDTH, Severity, clip
    from .report import as_text
    from .revisions import RevisionError, load_spec

    try:
        result = _load(spec) if spec == "-" else load_spec(spec)
    except RevisionError as error:
        raise click.UsageError(str(error)) from error
    errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
    if not errors and result.blueprint is None:
        name = "<stdin>" if spec == "-" else clip(spec, PATH_WIDTH)
        raise click.UsageError(f"{name} holds no blueprint, only declarations for others to "
                               "include: name a file with a `blueprint` block")
    if errors:
        click.echo(as_text(errors, result.sources, 1, False), nl=False, err=True)
        unreadable = not result.sources  # the file itself could not be read
        sys.exit(errors_exit if not unreadable else EXIT_USAGE)
    return result


def _project_config(result: LoadResult) -> Config:
    """The configuration of a loaded blueprint: that of the file it was read as, in the
    working tree for a REV:PATH, in the current folder for standard input."""
    return _config(_configs({}), result.files[0])


@main.command(name="diff")
@click.argument("old", type=PathParam("name a .svc file, REV:PATH, or '-' for stdin"))
@click.argument("new", type=PathParam("name a .svc file, REV:PATH, or '-' for stdin"))
@click.option("--format", "output_format", type=click.Choice(["text", "json", "markdown", "html", "svg"]),
              default="text", show_default=True,
              help="html and svg draw NEW with the changes coloured and removed items as ghosts.")
@click.option("-o", "--output", type=PathParam("name a file, or '-' or no -o for stdout",
                                               dir_okay=False, writable=True, readable=True, allow_dash=True),
              help="Write to this file (atomically) instead of stdout; never to a blueprint compared. "
                   "Its suffix (.txt, .json, .md, .html, .svg) picks the format when --format is left out.")
@click.option("--theme", callback=_known_theme, help="Colour theme of the html or svg drawing.")
def diff_command(old: str, new: str, output_format: str, output: str | None, theme: str | None) -> None:
    """What changed between two blueprints: files, git REV:PATH, or '-' for stdin (one side).

    Exit 0 when nothing changed in meaning (layout and comments do not count), 1 when
    something did, 2 on a usage or I/O error or a side with errors.
    """
    from . import diff
    from .files import write_atomic

    if output == "-":
        output = None
    named = DIFF_SUFFIXES.get(Path(output).suffix.lower()) if output else None
    if named is not None:
        output_format = _agreeing_format(output, named, output_format)
    if theme is not None and output_format not in ("html", "svg"):
        raise click.UsageError(f"--theme colours the html and svg formats, not {output_format}")
    if old == new == "-":
        raise click.UsageError("'-' names standard input, which can be read once: name it for one side only")
    # A side with errors cannot be compared: 2, so that 1 always means "changed".
    old_side, new_side = _load_valid(old, EXIT_USAGE), _load_valid(new, EXIT_USAGE)
    if output and os.path.realpath(output) in {*old_side.files, *new_side.files}:
        raise click.UsageError(f"-o {output} is a file the blueprints compared are read from: name another file")
    before, after = old_side.blueprint, new_side.blueprint
    comparison = diff.compare(before, after)
    changes = comparison.changes
    if output_format in ("html", "svg"):
        from .render import RenderError
        from .render.decorate import render_diff

        try:
            # The summary is NEW's, its time held to the project's default tolerance as render holds it.
            settings = _project_config(new_side).settings
            data = render_diff(before, after, output_format, theme=theme, comparison=comparison,
                               default_tolerance=settings.default_tolerance)
        except RenderError as error:
            click.echo(f"blueprint: {error}", err=True)
            sys.exit(EXIT_USAGE)
    elif output_format == "json":
        data = diff.as_json(changes).encode("utf-8")
    elif output_format == "markdown":
        data = diff.as_markdown(changes, *("<stdin>" if side == "-" else side for side in (old, new))).encode("utf-8")
    else:
        data = diff.as_text(changes).encode("utf-8")
    if output:
        try:
            write_atomic(Path(output), data)
        except OSError as error:
            click.echo(f"blueprint: cannot write {output}: {error.strerror}", err=True)
            sys.exit(EXIT_USAGE)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    sys.exit(EXIT_FINDINGS if changes else EXIT_CLEAN)


@main.command(name="git-diff", hidden=True)
@click.argument("args", nargs=-1)
def git_diff(args: tuple[str, ...]) -> None:
    """Git's external diff driver: PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE,
    then NEW-PATH and a message when git found the file renamed."""
    if len(args) < 7:
        raise click.UsageError("git calls this with 7 arguments; see docs/diff.md")
    from . import diff
    from .diagnostics import Severity
    from .loader import load
    from .report import as_text

    old_path, old_file, new_file = args[0], args[1], args[4]
    new_path = args[7] if len(args) >= 9 else old_path
    click.echo(f"blueprint diff a/{old_path} b/{new_path}")
    if "/dev/null" in (old_file, new_file):
        click.echo("new file" if old_file == "/dev/null" else "deleted file")
        return
    # git hands over copies of the versions, and names no commit: includes are read from
    # the working tree, beside the file where it is now (renamed, the new path).
    sides = [load(file, display=f"{side}/{path}", origin=new_path)
             for side, file, path in (("a", old_file, old_path), ("b", new_file, new_path))]
    errors = [d for result in sides for d in result.diagnostics if d.severity is Severity.ERROR]
    if not errors and None in (sides[0].blueprint, sides[1].blueprint):
        click.echo("no blueprint to compare, only declarations to include: `git diff --no-ext-diff` shows the lines")
        return
    if errors:
        # Reported, not failed: git stops at a failing driver, and the other files still deserve their diff.
        click.echo(as_text(errors, {**sides[0].sources, **sides[1].sources}, 2, False), nl=False)
        return
    click.echo(diff.as_text(diff.diff(sides[0].blueprint, sides[1].blueprint)), nl=False)


@main.command(name="stats", short_help="Counts, touchpoints, fail points and the customer's time.")
@click.argument("path", type=PathParam("name a .svc file, REV:PATH, or '-' for stdin"))
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def stats_command(path: str, output_format: str) -> None:
    """Counts, touchpoints, fail points and the customer's time, per stage and in total.

    PATH is a .svc file, a git REV:PATH, or '-' for stdin.
    """
    import json

    from . import stats

    result = _load_valid(path)
    settings = _project_config(result).settings
    figures = stats.compute(result.blueprint, default_tolerance=settings.default_tolerance)
    if output_format == "json":
        click.echo(json.dumps(figures.to_json(), indent=2, ensure_ascii=False))
    else:
        click.echo(stats.as_text(figures), nl=False)


@main.command(short_help="Render blueprints to SVG, HTML, PNG, PDF, DOT or JSON.")
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
@click.option("--theme", callback=_known_theme, help="Colour theme (overrides the blueprint's own `theme`).")
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
    from .diagnostics import PATH_WIDTH, clip
    from .render import FORMATS, RenderOptions

    started = time.perf_counter()
    files, unlisted = _files(paths)
    if output == "-" and len(files) > 1:
        raise click.UsageError("-o - writes to stdout and takes one input")
    file_format = _output_file_format(output, output_format, paths, files)
    fmt = FORMATS[file_format or output_format]
    if theme is not None and fmt.name not in DRAWN:
        raise click.UsageError(f"--theme colours the formats that draw ({', '.join(sorted(DRAWN))}), not {fmt.name}")
    if scale is not None and fmt.name != "png":
        raise click.UsageError(f"--scale sizes the png format's pixels, not {fmt.name}, which scales as drawn")
    options = RenderOptions(theme=theme, dot_timeout=dot_timeout, scale=scale or 1.0)
    planned = [batch.Job(files[0], Path(output))] if file_format else batch.plan(files, paths, output, fmt.suffix)
    configs = _configs({})  # the findings the HTML page shows are those `check` reports
    jobs = [dataclasses.replace(job, config=_config(configs, job.source)) for job in _distinct(planned)]
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
            name = "<stdin>" if outcome.job.source == "-" else clip(outcome.job.source, PATH_WIDTH)
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
            click.echo(f"{state}: {path}")
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
        raise click.UsageError(f"cannot write into -o {output}: it is {kind}; give -o a folder, "
                               f"or for one blueprint a file name ending in a format's suffix ({example})")
    if named is None and suffix and not output.endswith(("/", os.sep)) and not Path(output).exists():
        known = ", ".join(sorted(SUFFIXES.values()))
        raise click.UsageError(f"-o {output}: {suffix} is not a format blueprint writes ({known}); "
                               f"to write into a new folder of that name, end it with a slash: -o {output}/")
    if named is None:
        return None
    if len(files) > 1 or any(Path(path).is_dir() for path in paths):
        inputs = "a folder" if len(files) == 1 else f"{len(files)} .svc files"
        raise click.UsageError(f"-o {output} names a single output, for one blueprint; for {inputs}, "
                               "give -o a folder")
    return _agreeing_format(output, named, output_format)


def _agreeing_format(output: str, named: str, output_format: str) -> str:
    """The format ``named`` by the suffix of the output file ``output``, when the command's
    format option says the same or was left out: a usage error when it says another."""
    from click.core import ParameterSource

    context = click.get_current_context()
    if context.get_parameter_source("output_format") is ParameterSource.DEFAULT or named == output_format:
        return named
    option = next(param.opts[0] for param in context.command.params if param.name == "output_format")
    raise click.UsageError(f"-o {output} names a {Path(output).suffix.lower()} file but {option} is "
                           f"{output_format}: make them agree, or leave {option} out")


def _distinct(jobs: list[Job]) -> list[Job]:
    """The jobs, each file once; two blueprints with one output, or an output that would
    replace its source, is a usage error."""
    sources: dict[Path, Job] = {}
    for job in jobs:
        if job.target is None:
            continue
        target = job.target.resolve()
        if job.source != "-" and Path(job.source).resolve() == target:
            raise click.UsageError(f"the output of {job.source} would replace it: name the source with the .svc "
                                   "suffix, or give -o another folder or file")
        other = sources.setdefault(target, job)
        if Path(other.source).resolve() != Path(job.source).resolve():
            raise click.UsageError(f"{other.source} and {job.source} would both render to {job.target}: render "
                                   "the folder that holds both, or each with its own -o")
    # A source named like an output's folder (x.svg/y.svc beside x.svc): one output would be a folder.
    for target, job in sources.items():
        folder = next((sources[parent] for parent in target.parents if parent in sources), None)
        if folder is not None:
            raise click.UsageError(f"{folder.target} would be the output of {folder.source} and the folder of "
                                   f"{job.target}, the output of {job.source}: rename one of them")
    return [job for job in jobs if job.target is None or sources[job.target.resolve()] is job]


def _write(outcome: Outcome) -> bool:
    from .files import write_atomic

    if outcome.job.target is None:
        sys.stdout.buffer.write(outcome.data)
        sys.stdout.buffer.flush()
        return True
    try:
        write_atomic(outcome.job.target, outcome.data)
    except OSError as error:
        click.echo(f"blueprint: cannot write {outcome.job.target}: {error.strerror}", err=True)
        return False
    return True


# The authoring commands live in their own module; registered here so `blueprint` has them.
from .cli_authoring import fmt, lsp, watch  # noqa: E402

for _command in (fmt, watch, lsp):
    main.add_command(_command)
