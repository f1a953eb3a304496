"""Which track of a gutter each flow runs down: in an order that crosses as few lines as can be.

A flow runs down a gutter between two turns: at each it meets a horizontal stretch that
runs off to the left (to a card of the column left of the gutter, or a corridor across
it) or to the right. Of two flows side by side in the gutter, a stretch of the left one
running off to the right crosses the right one's track where it lies within that track's
height, and a stretch of the right one running off to the left crosses the left one's.
The tracks are sorted by what each order of two costs: flows fanning out from one side
of a card then nest instead of crossing. Two stretches at one height running towards
each other would overlap where the left one's track is right of the other's: that order
is undone wherever it can be.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cmp_to_key

from .ports import Side

#: What an order that lays one flow's stretch along another's costs, in crossings.
ALONG = 1000
LEVEL = 0.5  # two stretches nearer in y than this lie along one another


@dataclass(frozen=True, slots=True, kw_only=True)
class Use:
    """A flow's stretch down a gutter, before its x is chosen: the ys where it turns, and
    which way the horizontal stretch at each turn runs off."""

    key: tuple[int, int]  # (the flow's number, which of its gutters)
    turns: tuple[tuple[float, Side], ...]

    @property
    def span(self) -> tuple[float, float]:
        ys = [y for y, _ in self.turns]
        return min(ys), max(ys)


def ordered(uses: list[Use]) -> list[Use]:
    """``uses`` from left to right; of equal orders, the first given keeps left."""
    result = sorted(uses, key=cmp_to_key(lambda one, other: _cost(one, other) - _cost(other, one)))
    # Sorting compares only some of the pairs: a pair laid along one another is put right.
    position = {use.key: index for index, use in enumerate(result)}
    by_level: dict[int, list[Use]] = {}
    for use in result:
        for y, way in use.turns:
            if way == "right":
                by_level.setdefault(round(y / LEVEL), []).append(use)
    for _ in range(len(result)):
        swapped = False
        for use in list(result):
            for y, way in use.turns:
                if way != "left":
                    continue
                for rounded in (round(y / LEVEL) - 1, round(y / LEVEL), round(y / LEVEL) + 1):
                    for other in by_level.get(rounded, ()):
                        if other is not use and _along(other, use) and position[other.key] < position[use.key]:
                            here, there = position[use.key], position[other.key]
                            result[here], result[there] = other, use
                            position[use.key], position[other.key] = there, here
                            swapped = True
        if not swapped:
            break
    return result


def _cost(left: Use, right: Use) -> int:
    """The crossings of ``left`` put left of ``right`` (ALONG for a stretch laid along another)."""
    cost = 0
    low, high = right.span
    for y, way in left.turns:
        if way == "right" and low + 0.01 < y < high - 0.01:
            cost += 1
    low, high = left.span
    for y, way in right.turns:
        if way == "left" and low + 0.01 < y < high - 0.01:
            cost += 1
    if _along(left, right):
        cost += ALONG
    return cost


def _along(left: Use, right: Use) -> bool:
    """Whether, ``left`` put left of ``right``, a stretch of one would lie along the other's:
    the left one's running off to the right at the height of the right one's running off to the left."""
    return any(way == "right" and other_way == "left" and abs(y - other_y) < LEVEL
               for y, way in left.turns for other_y, other_way in right.turns)
