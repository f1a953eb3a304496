"""Parameter types the commands share, in ``cli`` and ``cli_authoring`` alike: paths and numbers."""

from __future__ import annotations

import math
import os

import click


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
