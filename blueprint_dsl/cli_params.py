"""What the commands share (``cli``, ``cli_render``, ``cli_authoring``, ``cli_new``, ``cli_report``):
exit codes, parameter types, the blueprints and configuration their paths name, and
blueprint text written to standard output."""

from __future__ import annotations

import math
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from .config import Config, Configs
    from .diagnostics import Diagnostic
    from .loader import LoadResult

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class PathParam(click.Path):
    """A file or folder named on the command line; an empty one is a usage error.

    ``''`` names nothing: as a folder it would stand for the current one, and a command
    would read or write every blueprint in it. ``what`` says what to name instead. An
    input that cannot be read is left to the loader, which reports it as BP009, so
    inputs are not checked for it here (``readable=False``).
    """

    def __init__(self, what: str, **checks: bool) -> None:
        super().__init__(**{"readable": False, **checks})
        self.what = what

    def convert(self, value: str | os.PathLike[str], param: click.Parameter | None, ctx: click.Context | None) -> str:
        if os.fspath(value) == "":
            self.fail(f"the path is empty: {self.what}", param, ctx)
        return super().convert(value, param, ctx)


#: The blueprints that check, render and fmt read: files, folders of them, or stdin.
INPUT_PATHS = PathParam("name a .svc file or a folder ('.' for the current one), or '-' for stdin")


class Number(click.FloatRange):
    """A number within bounds: click's FloatRange lets 'nan' through."""

    name = "number"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> float:
        number = super().convert(value, param, ctx)
        if math.isnan(number):
            self.fail(f"{value!r} is not a {self.name}.", param, ctx)
        return number


class Seconds(Number):
    """A number of seconds within bounds."""

    name = "number of seconds"


def load_input(name: str) -> LoadResult:
    """The blueprint in the file ``name``, or in standard input for '-'."""
    from .loader import load, load_stream

    return load_stream(sys.stdin.buffer) if name == "-" else load(name)


def input_files(paths: tuple[str, ...]) -> tuple[list[str], list[Diagnostic]]:
    """The blueprint files in ``paths``, and a BP009 for each folder below them that cannot be listed."""
    from .diagnostics import visible
    from .files import UsageError, collect

    try:
        files, unlisted = collect(paths)
    except UsageError as error:
        raise click.UsageError(str(error)) from error
    if not files and not unlisted:
        raise click.UsageError("no .svc files found in " + ", ".join(visible(path) for path in paths))
    return files, unlisted


def configs_with(overrides: dict[str, object]) -> Configs:
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


def config_of(configs: Configs, source: str) -> Config:
    """The configuration of the file ``source``."""
    from .config import ConfigError

    try:
        return configs.of(source)
    except ConfigError as error:
        raise ConfigFileError(str(error)) from error


def known_theme(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A ``--theme`` option's value, when it names a theme."""
    from .diagnostics import visible
    from .model import THEME_NAMES  # here: the model is not loaded to print --help

    if value is not None and value not in THEME_NAMES:
        raise click.BadParameter(f"'{visible(value)}' is not a theme; the themes are {', '.join(THEME_NAMES)}")
    return value


def agreeing_format(output: str, named: str, output_format: str) -> str:
    """The format ``named`` by the suffix of the output file ``output``, when the command's
    format option says the same or was left out: a usage error when it says another."""
    from click.core import ParameterSource

    from .diagnostics import visible

    context = click.get_current_context()
    if context.get_parameter_source("output_format") is ParameterSource.DEFAULT or named == output_format:
        return named
    option = next(param.opts[0] for param in context.command.params if param.name == "output_format")
    raise click.UsageError(f"-o {visible(output)} names a {visible(Path(output).suffix.lower())} file but {option} is "
                           f"{output_format}: make them agree, or leave {option} out")


def write_out(text: str) -> None:
    """Blueprint text to standard output, as UTF-8 whatever the locale: it is a file's text."""
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()
