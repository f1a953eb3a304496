"""The ``blueprint`` command: parses options and calls the library."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from . import __version__
from .cli_params import (
    EXIT_CLEAN,
    EXIT_FINDINGS,
    EXIT_USAGE,
    INPUT_PATHS,
    ConfigFileError,
    PathParam,
    agreeing_format,
    config_of,
    configs_with,
    input_files,
    known_theme,
    load_input,
)
from .output_formats import DIFF_SUFFIXES

if TYPE_CHECKING:
    from .config import Config
    from .loader import LoadResult
    from .stats import Stats

# Each command imports what it needs when it runs: start-up is most of the time of a
# `check`, and `blueprint --help` should not load a parser or a renderer.


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
    from .diagnostics import visible

    with contextlib.suppress(OSError):  # standard error may be the same broken pipe
        where = visible(str(error.filename)) if error.filename is not None else "cannot write standard output"
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


@main.command()
@click.argument("paths", nargs=-1, required=True, type=INPUT_PATHS)
@click.option(
    "--format",
    "-f",
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
@click.option("--severity", "severities", multiple=True, metavar="CODE=LEVEL",
              help="Change a rule's severity (repeatable, or comma-separated).")
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
        files, unlisted = input_files(paths)
        diagnostics.extend(unlisted)
        configs = configs_with(overrides)
        for name in files:
            result = load_input(name)
            diagnostics.extend(run_checks(result, config_of(configs, name)))
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


def _load_valid(spec: str, errors_exit: int = EXIT_FINDINGS) -> LoadResult:
    """A blueprint without errors, or exit: ``errors_exit`` with its diagnostics, 2 when unreadable.
    ``spec`` is a file, a git REV:PATH, or '-' for standard input."""
    from .diagnostics import PATH_WIDTH, Severity, clip, visible
    from .report import as_text
    from .revisions import RevisionError, load_spec

    try:
        result = load_input(spec) if spec == "-" else load_spec(spec)
    except RevisionError as error:
        raise click.UsageError(str(error)) from error
    errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
    if not errors and result.blueprint is None:
        name = "<stdin>" if spec == "-" else visible(clip(spec, PATH_WIDTH))
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
    return config_of(configs_with({}), result.files[0])


@main.command(name="diff")
@click.argument("old", type=PathParam("name a .svc file, REV:PATH, or '-' for stdin"))
@click.argument("new", type=PathParam("name a .svc file, REV:PATH, or '-' for stdin"))
@click.option("--format", "-f", "output_format", type=click.Choice(["text", "json", "markdown", "html", "svg"]),
              default="text", show_default=True,
              help="html and svg draw NEW with the changes coloured and removed items as ghosts.")
@click.option("-o", "--output", type=PathParam("name a file, or '-' or no -o for stdout",
                                               dir_okay=False, writable=True, readable=True, allow_dash=True),
              help="Write to this file (atomically) instead of stdout; never to a blueprint compared. "
                   "Its suffix (.txt, .json, .md, .html, .svg) picks the format when --format is left out.")
@click.option("--theme", callback=known_theme, help="Colour theme of the html or svg drawing.")
def diff_command(old: str, new: str, output_format: str, output: str | None, theme: str | None) -> None:
    """What changed between two blueprints: files, git REV:PATH, or '-' for stdin (one side).

    Exit 0 when nothing changed in meaning (layout and comments do not count), 1 when
    something did, 2 on a usage or I/O error or a side with errors.
    """
    from . import diff
    from .diagnostics import visible
    from .files import write_atomic

    if output == "-":
        output = None
    named = DIFF_SUFFIXES.get(Path(output).suffix.lower()) if output else None
    if named is not None:
        output_format = agreeing_format(output, named, output_format)
    if theme is not None and output_format not in ("html", "svg"):
        raise click.UsageError(f"--theme colours the html and svg formats, not {output_format}")
    if old == new == "-":
        raise click.UsageError("'-' names standard input, which can be read once: name it for one side only")
    # A side with errors cannot be compared: 2, so that 1 always means "changed".
    old_side, new_side = _load_valid(old, EXIT_USAGE), _load_valid(new, EXIT_USAGE)
    if output and os.path.realpath(output) in {*old_side.files, *new_side.files}:
        raise click.UsageError(f"-o {visible(output)} is a file the blueprints compared are read from: "
                               "name another file")
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
            click.echo(f"blueprint: cannot write {visible(output)}: {error.strerror}", err=True)
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
    from .diagnostics import Severity, visible
    from .loader import load
    from .report import as_text

    old_path, old_file, new_file = args[0], args[1], args[4]
    new_path = args[7] if len(args) >= 9 else old_path
    click.echo(f"blueprint diff a/{visible(old_path)} b/{visible(new_path)}")
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
@click.argument("paths", nargs=-1, required=True,
                type=PathParam("name a .svc file, a folder, REV:PATH, or '-' for stdin"))
@click.option("--format", "-f", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
def stats_command(paths: tuple[str, ...], output_format: str) -> None:
    """Counts, touchpoints, fail points and the customer's time, per stage and in total.

    PATH is a .svc file, a git REV:PATH, or '-' for stdin. Several files, or a folder,
    give an overview instead: a row of totals for each blueprint. Exit 1 when a
    blueprint has errors (the others' figures are still given).
    """
    from . import stats
    from .text import json_document

    if len(paths) > 1 or os.path.isdir(paths[0]):
        named, failed = _overview_figures(paths)
        if output_format == "json":
            click.echo(json_document(stats.overview_json(named)), nl=False)
        elif named:  # else only errors, said on stderr
            click.echo(stats.as_overview(named), nl=False)
        sys.exit(EXIT_FINDINGS if failed else EXIT_CLEAN)
    result = _load_valid(paths[0])
    settings = _project_config(result).settings
    figures = stats.compute(result.blueprint, default_tolerance=settings.default_tolerance)
    if output_format == "json":
        click.echo(json_document(figures.to_json()), nl=False)
    else:
        click.echo(stats.as_text(figures), nl=False)


def _overview_figures(paths: tuple[str, ...]) -> tuple[list[tuple[str, Stats]], bool]:
    """The figures of each blueprint in ``paths`` (files, folders, then git REV:PATHs), by
    name, and whether any could not be given: its errors are reported on stderr. Files of
    shared declarations, which hold no blueprint, are passed over."""
    from . import stats
    from .diagnostics import Severity, visible
    from .report import as_text
    from .revisions import RevisionError, in_git, load_spec

    revisions = [path for path in paths if path != "-" and in_git(path)]
    on_disk = tuple(path for path in paths if path not in revisions)
    files, problems = input_files(on_disk) if on_disk else ([], [])
    configs = configs_with({})
    named, sources = [], {}
    for name in files + revisions:
        try:
            result = load_input(name) if name == "-" else load_spec(name)
        except RevisionError as error:
            raise click.UsageError(str(error)) from error
        errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
        problems.extend(errors)
        sources.update(result.sources)
        if result.blueprint is not None and not errors:
            # Held to the tolerance of the project the file is in (in the working tree for a REV:PATH).
            tolerance = config_of(configs, result.files[0]).settings.default_tolerance
            figures = stats.compute(result.blueprint, default_tolerance=tolerance)
            named.append(("<stdin>" if name == "-" else name, figures))
    if problems:
        click.echo(as_text(problems, sources, len(files) + len(revisions), False), nl=False, err=True)
    if not named and not problems:
        raise click.UsageError("no blueprint to count in " + ", ".join(visible(path) for path in paths)
                               + ", only declarations for others to include")
    return named, bool(problems)


# `render` and the authoring commands live in modules of their own; registered here so `blueprint` has them.
from .cli_authoring import fmt, lsp, new, watch  # noqa: E402
from .cli_render import render  # noqa: E402

for _command in (render, new, fmt, watch, lsp):
    main.add_command(_command)
