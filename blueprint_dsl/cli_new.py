"""The commands that start a blueprint's file: ``new``, a small one to write over, and
``import``, one kept in a spreadsheet. Registered on ``blueprint`` by ``cli``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .cli_params import EXIT_FINDINGS, EXIT_USAGE, PathParam, write_out

#: The title of the starter written to standard output, or to a file whose name says nothing.
STARTER_TITLE = "New service"


@click.command(name="new", short_help="Start a blueprint: a small one that passes check, to write over.")
@click.argument("path", type=PathParam("name the .svc file to write, or '-' for stdout", dir_okay=False,
                                       allow_dash=True))
@click.option("--title", help="The blueprint's title (default: from the file's name, bike-repair.svc giving "
                              "'Bike repair').")
def new(path: str, title: str | None) -> None:
    """Write a small blueprint to PATH (.svc added when it does not end so; '-' for stdout):
    every lane, two stages, a fail point, a wait and flows, with comments on each part. It
    passes `blueprint check` and is laid out as `blueprint fmt` lays it out.

    Exit 0 when written, 2 when PATH exists (never replaced) or cannot be written.
    """
    from importlib import resources

    from .text import quote

    target = None if path == "-" else _svc_target(path)
    title = _title(title, target.name.removesuffix(".svc") if target is not None else "")
    starter = resources.files("blueprint_dsl").joinpath("templates", "new.svc").read_text(encoding="utf-8")
    text = starter.replace(f"blueprint {quote(STARTER_TITLE)}", f"blueprint {quote(title)}", 1)
    if target is None:
        write_out(text)
        return
    name = _write_new(target, text, "new")
    click.echo(f"wrote {name}: write your service over it, then `blueprint check {name}` "
               f"and `blueprint render {name} -f html`", err=True)


def _write_new(target: Path, text: str, command: str) -> str:
    """Write ``text`` to a file that does not exist yet, or exit 2 saying why not; its name, as a shell reads it."""
    import shlex

    from .diagnostics import visible
    from .files import write_atomic

    try:
        write_atomic(target, text.encode("utf-8"), replace=False)
    except FileExistsError:
        raise click.UsageError(f"{visible(str(target))} exists, and {command} never writes over a file: name another, "
                               "or delete it first") from None
    except OSError as error:
        click.echo(f"blueprint: cannot write {visible(str(target))}: {error.strerror}", err=True)
        sys.exit(EXIT_USAGE)
    return shlex.quote(visible(str(target)))


def _svc_target(path: str) -> Path:
    """The file a command writes a blueprint to: ``path``, ending in .svc (added when it does
    not), as `check` finds blueprints in a folder. A name ending in '/' is a folder's, and a
    device or a pipe is no file to write: usage errors."""
    from .diagnostics import visible

    if path.endswith(("/", os.sep)):
        raise click.UsageError(f"{visible(path)} names a folder: name the file to write, such as {visible(path)}"
                               "service.svc")
    if os.path.exists(path) and not os.path.isfile(path):
        raise click.UsageError(f"{visible(path)} is no file to write a blueprint to: name a new .svc file, "
                               "or '-' for standard output")
    return Path(path if path.endswith(".svc") else f"{path}.svc")


def _title(given: str | None, name: str) -> str:
    """The blueprint's title: ``given`` (--title), else made of a file's ``name``: its words,
    the first capitalised (``bike-repair``: Bike repair). A byte of either that UTF-8 cannot
    read, as Python holds it (a surrogate half), is U+FFFD."""
    if given is None:
        words = " ".join(name.replace("_", " ").replace("-", " ").split())
        given = words[:1].upper() + words[1:] if words else STARTER_TITLE
    from .text import replaced_surrogates

    return replaced_surrogates(given)


@click.command(name="import", short_help="Make a blueprint of one kept in a spreadsheet (.xlsx, CSV or TSV).")
@click.argument("source", type=PathParam("name an .xlsx, .csv or .tsv file, or '-' for stdin", exists=True,
                                         dir_okay=False, allow_dash=True))
@click.option("-o", "--output", type=PathParam("name the .svc file to write, or '-' or no -o for stdout",
                                               dir_okay=False, allow_dash=True),
              help="Write the blueprint to this new file (.svc added when it does not end so), never over one; "
                   "stdout without it.")
@click.option("--title", help="The blueprint's title (default: from the spreadsheet's file name, or from -o's "
                              "for stdin).")
@click.option("--sheet", metavar="NAME", help="The workbook's sheet to read (default: the active one, which "
                                              "Excel opens on).")
@click.option("--separator", type=click.Choice(["comma", "semicolon", "tab"]),
              help="What separates the cells of CSV or TSV text (default: tab for .tsv or .tab, else the one of "
                   "tab, semicolon and comma on most of the first 20 lines).")
def import_command(source: str, output: str | None, title: str | None, sheet: str | None,
                   separator: str | None) -> None:
    """Make a blueprint of one kept in a spreadsheet: an Excel workbook (.xlsx, .xlsm; the
    active sheet, or the one --sheet names), or a sheet exported as CSV or TSV ('-' for stdin,
    a workbook told by its first bytes): a column for each step, a row for each lane, titled
    in the first column (Stage, Step, Physical evidence, Customer actions, Frontstage,
    Backstage, Support processes; Time, Metrics, Policies, Emotions; Scenario, Persona,
    Segment, Owner). A workbook's cells are read as its CSV export writes them: a number
    or a date as its format shows it, a formula's saved value. See docs/import.md.

    A spreadsheet holds no flows: write them, then check. Exit 0 when written, 1 when the
    spreadsheet cannot be read as a blueprint, 2 on a usage error: the output exists (never
    replaced) or cannot be written, SOURCE does not exist or is a folder, --sheet names no
    sheet of the workbook, or --sheet is given for text or --separator for a workbook.
    """
    import shlex

    from .diagnostics import visible
    from .reading import read_file_bytes, read_stream_bytes
    from .spreadsheet import SEPARATORS, SpreadsheetError, decoded, unreadable
    from .spreadsheet_svc import import_spreadsheet, import_workbook
    from .workbook import SheetNotFound, is_workbook

    name = "<stdin>" if source == "-" else source
    if source == "-":
        data, problem = read_stream_bytes(sys.stdin.buffer, name)
    else:
        data, problem = read_file_bytes(Path(source), name, None)
    workbook = data is not None and is_workbook(name, data)
    if workbook and separator is not None:
        raise click.UsageError(f"{visible(name)} is a workbook, whose cells are apart already: --separator is for "
                               "CSV or TSV text")
    if data is not None and not workbook and sheet is not None:
        raise click.UsageError(f"{visible(name)} is CSV or TSV text, one sheet: --sheet is for a workbook (.xlsx)")
    text, unread = None, unreadable(problem) if problem is not None else None
    if data is not None and not workbook:
        text, unread = decoded(data, name)
    if unread is not None:
        click.echo(unread.render(None), err=True)
        click.echo(f"{visible(name)}: not imported", err=True)
        sys.exit(EXIT_FINDINGS)
    target = None if output in (None, "-") else _svc_target(output)
    named = Path(source).stem if source != "-" else target.name.removesuffix(".svc") if target is not None else ""
    title = _title(title, named)
    try:
        if workbook:
            imported = import_workbook(data, name, title=title, sheet=sheet)
        else:
            imported = import_spreadsheet(text, name, title=title, separator=SEPARATORS.get(separator or ""))
    except SheetNotFound as error:
        raise click.UsageError(visible(str(error))) from None
    except SpreadsheetError as error:
        for problem in error.problems:
            click.echo(problem.render(text), err=True)
        click.echo(f"{visible(name)}: not imported", err=True)
        sys.exit(EXIT_FINDINGS)
    if imported.note:
        click.echo(visible(imported.note), err=True)
    for warning in imported.warnings:
        click.echo(warning.render(text), err=True)
    held, found, unused = _findings(imported.text, target)
    if target is None:
        write_out(imported.text)
        said, check_command = f"imported {visible(name) if source == '-' else shlex.quote(visible(name))}", \
            "`blueprint check` it"
    else:
        written = _write_new(target, imported.text, "import")
        said, check_command = f"wrote {written}", f"`blueprint check {written}`"
    click.echo(f"{said}: {held}, and no flows: a spreadsheet holds none", err=True)
    if unused is not None:
        click.echo(f"warning: the configuration is left out of what check finds, as it cannot be used: "
                   f"{visible(unused)}", err=True)
    click.echo(f"check finds {found}{', without the configuration' if unused else ''}: write the flows where the "
               f"comment at the end of the blueprint says, then {check_command}", err=True)


def _findings(text: str, target: Path | None) -> tuple[str, str, str | None]:
    """What the blueprint ``text`` holds, what `blueprint check` finds in it as configured where
    it goes, and why that configuration cannot be used, when it cannot: the defaults are then."""
    from collections import Counter

    from .check import check
    from .config import Config, ConfigError, Configs
    from .diagnostics import Severity
    from .loader import loads
    from .text import plural

    result = loads(text, str(target) if target is not None else "<stdout>")
    try:
        config, unused = Configs({}).of(str(target) if target is not None else "-"), None
    except ConfigError as error:  # it feeds no more than the summary: the blueprint is written
        config, unused = Config(), str(error)
    found = check(result, config)
    blueprint = result.blueprint
    held = (f"{plural(len(blueprint.stages), 'stage')}, {plural(len(blueprint.steps), 'step')}, "
            f"{plural(sum(1 for _ in blueprint.actions()), 'action')} of {plural(len(blueprint.actors), 'actor')}")
    severities = Counter(diagnostic.severity for diagnostic in found)
    names = Counter(diagnostic.name for diagnostic in found)
    figures = f"{plural(severities[Severity.ERROR], 'error')} and {plural(severities[Severity.WARNING], 'warning')}"
    if names:
        figures += " (" + ", ".join(f"{count} {name}" for name, count in
                                    sorted(names.items(), key=lambda item: (-item[1], item[0]))) + ")"
    return held, figures, unused
