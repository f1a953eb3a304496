"""Parameter types the commands share."""

from __future__ import annotations

import math

import click


class Seconds(click.FloatRange):
    """A number of seconds within bounds: click's FloatRange lets 'nan' through."""

    name = "seconds"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> float:
        seconds = super().convert(value, param, ctx)
        if math.isnan(seconds):
            self.fail(f"{value!r} is not a number of seconds.", param, ctx)
        return seconds
