"""The commands that report on blueprints: ``diff`` (and git's ``git-diff`` driver) and
``stats``. Registered on ``blueprint`` by ``cli``."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .cli_params import (
    EXIT_CLEAN,
    EXIT_FINDINGS,
    EXIT_USAGE,
    PathParam,
    agreeing_format,
    config_of,
    configs_with,
    input_files,
    known_theme,
    load_input,
)
from .output_formats import DIFF_SUFFIXES, PAPERS

if TYPE_CHECKING:
    from .config import Config
    from .loader import LoadResult
    from .stats import Stats


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


@click.command(name="diff")
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
@click.option("--paper", type=click.Choice(list(PAPERS)),
              help="The paper the html page prints on, landscape, until its reader picks another (default a4).")
def diff_command(old: str, new: str, output_format: str, output: str | None, theme: str | None,
                 paper: str | None) -> None:
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
    if paper is not None and output_format != "html":
        raise click.UsageError(f"--paper is the paper the html page prints on, not {output_format}")
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
            data = render_diff(before, after, output_format, theme=theme, comparison=comparison, paper=paper or "a4",
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


@click.command(name="git-diff", hidden=True)
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


@click.command(name="stats", short_help="Counts, touchpoints, fail points and the customer's time.")
@click.argument("paths", nargs=-1, required=True,
                type=PathParam("name a .svc file, a folder, REV:PATH, or '-' for stdin"))
@click.option("--format", "-f", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
def stats_command(paths: tuple[str, ...], output_format: str) -> None:
    """Counts, touchpoints, fail points and the customer's time, per stage and in total.

    Each PATH is a .svc file, a folder, a git REV:PATH, or '-' for stdin. One file gives
    its figures; several, or a folder, an overview: a row of totals for each blueprint.
    Exit 1 when a blueprint has errors (the others' figures are still given).
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
