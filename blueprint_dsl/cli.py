"""The ``blueprint`` command: parses options and calls the library."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__, export
from .diagnostics import Diagnostic, Severity, sorted_diagnostics
from .files import UsageError, collect, write_atomic
from .loader import LoadResult, load, loads
from .report import as_json, as_text

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="blueprint")
def main() -> None:
    """Service blueprints as code: check and render .svc files."""


def _load(name: str) -> LoadResult:
    if name == "-":
        return loads(sys.stdin.read(), "<stdin>")
    return load(name)


def _files(paths: tuple[str, ...]) -> list[str]:
    try:
        files = collect(paths)
    except UsageError as error:
        raise click.UsageError(str(error)) from error
    if not files:
        raise click.UsageError("no .svc files found in " + ", ".join(paths))
    return files


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def check(paths: tuple[str, ...], output_format: str) -> None:
    """Parse, resolve and check blueprints; report what is wrong.

    Exit 0 when clean, 1 when an error was found, 2 on a usage or I/O error.
    """
    diagnostics: list[Diagnostic] = []
    sources: dict[str, str] = {}
    files = _files(paths)
    for name in files:
        result = _load(name)
        diagnostics.extend(result.diagnostics)
        sources.update(result.sources)
    diagnostics = sorted_diagnostics(diagnostics)
    if output_format == "json":
        click.echo(as_json(diagnostics, len(files)), nl=False)
    else:
        colour = sys.stdout.isatty()
        click.echo(as_text(diagnostics, sources, len(files), colour), nl=False, color=colour)
    failed = any(d.severity is Severity.ERROR for d in diagnostics)
    sys.exit(EXIT_FINDINGS if failed else EXIT_CLEAN)


@main.command(name="export")
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "output_format", type=click.Choice(["json"]), default="json", show_default=True)
@click.option("-o", "--output", type=click.Path(file_okay=False), help="Folder for the outputs (default: stdout).")
def export_command(paths: tuple[str, ...], output_format: str, output: str | None) -> None:
    """Write the model of each blueprint as JSON (schema: docs/json.md)."""
    files = _files(paths)
    failed = False
    for name in files:
        result = _load(name)
        errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
        if errors or result.blueprint is None:
            failed = failed or bool(errors)
            if errors:
                click.echo(as_text(errors, result.sources, 1, False), nl=False, err=True)
            continue
        text = export.dumps(result.blueprint)
        if output is None:
            click.echo(text, nl=False)
            continue
        target = Path(output) / (Path(name).stem + ".json")
        try:
            write_atomic(target, text.encode("utf-8"))
        except OSError as error:
            click.echo(f"blueprint: cannot write {target}: {error.strerror}", err=True)
            sys.exit(EXIT_USAGE)
    sys.exit(EXIT_FINDINGS if failed else EXIT_CLEAN)
