"""The ``blueprint`` command: parses options and calls the library."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import click

from . import __version__
from .diagnostics import Diagnostic, Severity, sorted_diagnostics
from .files import UsageError, collect, write_atomic
from .loader import LoadResult, load, loads
from .render import FORMATS, RenderError, RenderOptions
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


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-f", "--format", "output_format", type=click.Choice(sorted(FORMATS)), default="json", show_default=True)
@click.option(
    "-o",
    "--output",
    help="Folder for the outputs, mirroring the input folders; '-' for stdout. Default: beside each source.",
)
@click.option("--theme", help="Colour theme (overrides the blueprint's own `theme`).")
def render(paths: tuple[str, ...], output_format: str, output: str | None, theme: str | None) -> None:
    """Render blueprints (FILE, DIR or '-' for stdin) to the chosen format.

    A blueprint with errors is reported and not written, and never replaces an
    existing output. Exit 0 when all rendered, 1 when some had errors, 2 when a
    backend or an output folder failed.
    """
    fmt = FORMATS[output_format]
    files = _files(paths)
    if output == "-" and len(files) > 1:
        raise click.UsageError("-o - writes to stdout and takes one input")
    options = RenderOptions(theme=theme)
    failed = False
    for name in files:
        result = _load(name)
        errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
        if errors:
            click.echo(as_text(errors, result.sources, 1, False), nl=False, err=True)
            failed = True
            continue
        if result.blueprint is None:
            continue  # a file of shared actors: nothing to draw
        try:
            data = fmt.render(result.blueprint, replace(options, diagnostics=result.diagnostics))
        except RenderError as error:
            click.echo(f"blueprint: {error}", err=True)
            sys.exit(EXIT_USAGE)
        if output == "-" or (name == "-" and output is None):
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
            continue
        target = _target(name, paths, output, fmt.suffix)
        try:
            write_atomic(target, data)
        except OSError as error:
            click.echo(f"blueprint: cannot write {target}: {error.strerror}", err=True)
            sys.exit(EXIT_USAGE)
    sys.exit(EXIT_FINDINGS if failed else EXIT_CLEAN)


def _target(name: str, paths: tuple[str, ...], output: str | None, suffix: str) -> Path:
    """Where the output of one input goes: beside it, or mirrored under ``output``."""
    source = Path(name)
    if output is None:
        return source.with_suffix(suffix)
    if name == "-":
        return Path(output) / ("stdin" + suffix)
    for given in paths:
        folder = Path(given)
        if folder.is_dir() and source.is_relative_to(folder):
            return (Path(output) / source.relative_to(folder)).with_suffix(suffix)
    return Path(output) / (source.stem + suffix)
