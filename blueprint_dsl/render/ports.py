"""Where the flows meet the sides of the cards: each flow at a place of its own.

Flows that leave or enter one side of a card are spread along it, evenly around its
middle, so that each is seen apart from the card to its end and no two arrowheads meet.
They are ordered by where each turns to after its first stretch: the flow that goes up
highest leaves highest, and flows fanning out from one side do not cross one another.

Between two neighbouring columns the stretches from the right sides of one column and
those from the left sides of the next share a gutter: the ends on a left side are moved
along it, as little as will do, off the ys of other flows' ends across the gutter (two
stretches at one y would run on top of one another), and, where that can be, level with
their own flow's other end, so that a flow between two cards side by side runs straight.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from .grid import Box

Side = Literal["left", "right"]

PORT_GAP = 8.0  # between the ends along one side: arrowheads 4.9 wide stay apart
#: Kept free at the top and bottom of a side, where the card's corner is rounded: an
#: arrowhead there would stop short of the border.
PORT_MARGIN = 6.0
#: How far apart two stretches in one gutter are kept, when the ends allow it.
LEVEL_APART = 4.0
SNAP = 2.0  # an end this near level with its other end across the gutter is made level
#: At most this many moves that would bring one of a side's flows level with its other end are tried.
ALIGNMENTS = 4


@dataclass(frozen=True, slots=True, kw_only=True)
class End:
    """One end of a flow at a side of a card, before it has its place along the side."""

    flow: int  # the flow's number
    start: bool  # the flow's start, else its end
    card: Box
    column: int
    side: Side
    #: The y the route turns to after its stretch from the card: the other card's middle,
    #: or the corridor it crosses the columns in. The ends along a side are ordered by it.
    heading: float

    @property
    def key(self) -> tuple[int, bool]:
        return (self.flow, self.start)

    @property
    def gutter(self) -> int:
        """The gutter its stretch from the card runs into: gutter i is left of column i."""
        return self.column + 1 if self.side == "right" else self.column

    @property
    def x(self) -> float:
        return self.card.right if self.side == "right" else self.card.left


def place_ports(ends: list[End]) -> dict[tuple[int, bool], float]:
    """The y of each end along its card's side, by ``End.key``."""
    sides: dict[tuple[Box, Side], list[End]] = {}
    for end in ends:
        sides.setdefault((end.card, end.side), []).append(end)
    for group in sides.values():
        group.sort(key=_order)
    ys: dict[tuple[int, bool], float] = {}
    facing: dict[int, list[tuple[float, int]]] = {}  # by gutter: the ys of the right sides' ends, and their flows
    for (card, side), group in sides.items():
        if side == "right":
            for end, y in zip(group, _spread(card, len(group))):
                ys[end.key] = y
                facing.setdefault(end.gutter, []).append((y, end.flow))
    for levels in facing.values():
        levels.sort()
    partners = {end.key: end for end in ends}
    for (card, side), group in sides.items():
        if side == "left":
            across = facing.get(group[0].gutter, [])
            ys.update((end.key, y) for end, y in zip(group, _fitted(card, group, across, ys, partners)))
    return ys


def _order(end: End) -> tuple[float, int, bool]:
    # A flow to its own card leaves above where it comes back.
    return (end.heading, end.flow, not end.start)


def _spread(card: Box, count: int, shift: float = 0.0) -> list[float]:
    """``count`` ys evenly around the middle of the card's side, moved by ``shift``, PORT_GAP
    apart or closer, so that all keep PORT_MARGIN from the ends of the side."""
    gap = _gap(card, count, shift)
    middle = card.centre_y + shift
    return [middle + (index - (count - 1) / 2) * gap for index in range(count)]


def _gap(card: Box, count: int, shift: float = 0.0) -> float:
    """Between the ends of a side holding ``count``, moved by ``shift`` from its middle."""
    if count == 1:
        return PORT_GAP
    room = card.height - 2 * PORT_MARGIN - 2 * abs(shift)
    return min(PORT_GAP, max(room, 0.0) / (count - 1))


def _fitted(card: Box, group: list[End], across: list[tuple[float, int]], ys: dict[tuple[int, bool], float],
            partners: dict[tuple[int, bool], End]) -> list[float]:
    """The ys of the ends on a card's left side: spread around its middle, then moved as the
    module says. Of the moves tried, the first wins that, in this order: keeps every end off
    the lines of other flows' ends across the gutter (a point apart); crowds the ends least
    (a side with no room to spare draws them closer to move them); keeps them farthest from
    those lines, up to LEVEL_APART; makes the most flows straight."""
    count = len(group)
    base = _spread(card, count)
    gap = _gap(card, count)
    levels: list[tuple[int, float]] = []  # (index along the side, y of the flow's other end across the gutter)
    for index, end in enumerate(group):
        partner = partners.get((end.flow, not end.start))
        if partner is not None and partner.side == "right" and partner.gutter == end.gutter:
            levels.append((index, ys[partner.key]))
    shifts = [0.0, gap / 2, -gap / 2, gap / 4, -gap / 4] + [y - base[index] for index, y in levels[:ALIGNMENTS]]
    limit = (card.height - 2 * PORT_MARGIN) / 2
    best: tuple[tuple[bool, float, float, int, int], list[float]] | None = None
    for number, shift in enumerate(shifts):
        if shift and abs(shift) > limit:
            continue
        placed = _spread(card, count, shift)
        apart = min(_distance(y, end.flow, across) for end, y in zip(group, placed))
        straight = sum(1 for index, y in levels if abs(placed[index] - y) < 0.01)
        score = (apart >= 1.0, round(_gap(card, count, shift), 2), round(apart, 2), straight, -number)
        if best is None or score > best[0]:
            best = (score, placed)
        if number == 0 and apart >= LEVEL_APART and straight == len(levels):
            break  # in the middle, clear of the other lines and straight: nothing better to find
    placed = best[1] if best is not None else base
    _level(placed, group, levels, across)
    return placed


def _level(placed: list[float], group: list[End], levels: list[tuple[int, float]],
           across: list[tuple[float, int]]) -> None:
    """Makes level with its other end each end the move left a little off it (up to SNAP),
    where that keeps it off the other flows' lines and half a gap from its neighbours: a
    step that small in a line looks like a slip of the pen."""
    for index, y in levels:
        if not 0.01 < abs(placed[index] - y) <= SNAP or _distance(y, group[index].flow, across) < 1.0:
            continue
        gap = min((abs(placed[index] - placed[other]) for other in (index - 1, index + 1) if 0 <= other < len(placed)),
                  default=PORT_GAP)
        if all(abs(y - placed[other]) >= gap / 2 for other in (index - 1, index + 1) if 0 <= other < len(placed)):
            placed[index] = y


def _distance(y: float, flow: int, across: list[tuple[float, int]]) -> float:
    """How far ``y`` is from the nearest end of another flow in ``across`` (sorted by y),
    looked for up to LEVEL_APART away."""
    nearest = LEVEL_APART
    index = bisect_left(across, (y - LEVEL_APART, -1))
    while index < len(across) and across[index][0] <= y + LEVEL_APART:
        other, number = across[index]
        if number != flow:
            nearest = min(nearest, abs(other - y))
        index += 1
    return nearest
