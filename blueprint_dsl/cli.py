"""The ``blueprint`` command: parses options and calls the library."""

from __future__ import annotations

import contextlib
import os
import sys
from typing import NoReturn

import click

from . import __version__
from .cli_params import (
    EXIT_CLEAN,
    EXIT_FINDINGS,
    EXIT_USAGE,
    INPUT_PATHS,
    ConfigFileError,
    config_of,
    configs_with,
    input_files,
    load_input,
)

# Each command imports what it needs when it runs: start-up is most of the time of a
# `check`, and `blueprint --help` should not load a parser or a renderer.


#: The commands defined in modules of their own, each as "module:its click command": a
#: module is imported when one of its commands runs, or --help lists them all, so that
#: `check` loads none (click's options cost 1.5 to 2.5 ms a module to declare).
_ELSEWHERE = {
    "render": "cli_render:render",
    "new": "cli_new:new",
    "import": "cli_new:import_command",
    "fmt": "cli_authoring:fmt",
    "watch": "cli_authoring:watch",
    "lsp": "cli_authoring:lsp",
    "diff": "cli_report:diff_command",
    "git-diff": "cli_report:git_diff",
    "stats": "cli_report:stats_command",
}


class _Main(click.Group):
    """The command group, which finds the commands of other modules as they are asked for,
    and turns a failed write of the output into a message.

    A reader gone from a pipe (`| head -1`) is a stream gone bad too: click would end it
    quietly with exit 1, which `check` and `diff` give for findings and changes, so it is
    caught before click sees it, where the options are read (--help, --version) and where
    a command runs.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *_ELSEWHERE})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in _ELSEWHERE:
            import importlib

            module, command = _ELSEWHERE[name].split(":")
            self.add_command(getattr(importlib.import_module(f".{module}", __package__), command), name)
        return super().get_command(ctx, name)

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

