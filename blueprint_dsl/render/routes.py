"""Routes of the flows through the grid: in the gutters between columns, never across a card.

A flow leaves its source card at the side that faces its target, runs down the gutter
to a free horizontal corridor, crosses the columns in between there, and enters the
target from the side. Flows within one column go straight when nothing stands in the
way. Corners are rounded; loops run backwards the same way and are styled apart.
Computing the routes here, rather than asking Graphviz to find them around hundreds of
cards, keeps a 60-step blueprint rendering in well under a second.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .grid import Box

Point = tuple[float, float]

ARROW = 7.0  # the arrowhead's length at arrowsize 0.7
RADIUS = 6.0  # of a rounded corner
TRACK = 4.0  # between flows sharing a gutter
CLEARANCE = 5.0  # kept free around a card by a corridor


@dataclass(frozen=True, slots=True, kw_only=True)
class Route:
    """A flow's path: a cubic B-spline in Graphviz's sense (3n+1 points), y down."""

    spline: tuple[Point, ...]
    #: Where the arrowheads touch the cards (None: no arrowhead at that end).
    start_tip: Point | None
    end_tip: Point | None
    label_at: Point


@dataclass(frozen=True, slots=True, kw_only=True)
class Space:
    """What the router needs to know of the grid."""

    cards: dict[int, list[Box]]  # by column
    gutters: tuple[float, ...]  # x of the gutter right of column i (index i + 1); index 0: left of column 0
    top: float  # of the first row
    bottom: float  # of the last row
    right: float  # of the rows: a label past it would widen the drawing
    avoid: tuple[float, ...]  # ys of the method's lines, not to be run along
    #: Horizontal strips free of cards across the whole width (between the rows): label room.
    strips: tuple[tuple[float, float], ...]


class Router:
    def __init__(self, space: Space) -> None:
        self.space = space
        self.tracks: dict[int, int] = {}

    def track(self, gutter: int) -> float:
        """The x of the next free track in a gutter, alternating around its middle."""
        used = self.tracks.get(gutter, 0)
        self.tracks[gutter] = used + 1
        offset = ((used + 1) // 2) * TRACK * (1 if used % 2 else -1)
        return self.space.gutters[gutter] + offset

    def route(self, source: Box, source_column: int, target: Box, target_column: int,
              *, start_arrow: bool, end_arrow: bool, label: tuple[float, float]) -> Route:
        """The route from ``source`` to ``target``; ``label`` is the (width, height) of its label."""
        if source_column == target_column:
            points = self.within_column(source, target, source_column)
        else:
            points = self.across_columns(source, source_column, target, target_column)
        points = _without_repeats(points)
        return _spline(points, start_arrow, end_arrow, self.label_position(points, *label))

    def label_position(self, points: list[Point], width: float, height: float) -> Point:
        """Beside a vertical stretch of the route, in a strip where no card stands; else above it."""
        best: tuple[float, Point] | None = None
        for a, b in zip(points, points[1:]):
            if abs(a[0] - b[0]) > 0.01:
                continue
            low, high = sorted((a[1], b[1]))
            middle = (low + high) / 2
            for top, bottom in self.space.strips:
                for y in (top + height / 2 + 1, bottom - height / 2 - 1):
                    crosses_line = any(abs(y - line) < height / 2 + 1 for line in self.space.avoid)
                    if low <= y <= high and not crosses_line and bottom - top >= height + 2:
                        score = abs(y - middle)
                        if best is None or score < best[0]:
                            best = (score, (self.beside(a[0], width), y))
        if best is not None:
            return best[1]
        a, b = max(zip(points, points[1:]), key=lambda pair: _length(*pair))
        return (min((a[0] + b[0]) / 2, self.space.right - width / 2), min(a[1], b[1]) - height / 2 - 2)

    def beside(self, x: float, width: float) -> float:
        """The centre of a label beside a vertical stretch at ``x``: on its right, or on its left
        when the right would run past the rows."""
        if x + width + 3 <= self.space.right:
            return x + width / 2 + 3
        return x - width / 2 - 3

    def within_column(self, source: Box, target: Box, column: int) -> list[Point]:
        x = source.centre_x
        down = source.bottom <= target.top
        up = target.bottom <= source.top
        if (down or up) and source is not target:
            low, high = (source.bottom, target.top) if down else (target.bottom, source.top)
            blocked = any(card.top < high and card.bottom > low and card is not source and card is not target
                          for card in self.space.cards.get(column, []))
            if not blocked:
                return [(x, source.bottom), (x, target.top)] if down else [(x, source.top), (x, target.bottom)]
        # Something in between, or a flow to itself: out to the right gutter and back.
        gutter_x = self.track(column + 1)
        y0, y1 = source.centre_y, target.centre_y
        if source is target:
            y0, y1 = y0 - 5, y0 + 5
        return [(source.right, y0), (gutter_x, y0), (gutter_x, y1), (target.right, y1)]

    def across_columns(self, source: Box, source_column: int, target: Box, target_column: int) -> list[Point]:
        forward = target_column > source_column
        y0, y1 = source.centre_y, target.centre_y
        if forward:
            start, end = (source.right, y0), (target.left, y1)
            first_gutter, last_gutter = source_column + 1, target_column
        else:
            start, end = (source.left, y0), (target.right, y1)
            first_gutter, last_gutter = source_column, target_column + 1
        between = range(min(source_column, target_column) + 1, max(source_column, target_column))
        if not between:
            x = self.track(first_gutter)
            return [start, (x, y0), (x, y1), end]
        corridor = self.corridor(between, y0, y1)
        x0, x1 = self.track(first_gutter), self.track(last_gutter)
        return [start, (x0, y0), (x0, corridor), (x1, corridor), (x1, y1), end]

    def corridor(self, columns: range, *preferred: float) -> float:
        """A y at which nothing stands in the given columns, as near the preferred ys as can be."""
        blocked = sorted((card.top - CLEARANCE, card.bottom + CLEARANCE)
                         for column in columns for card in self.space.cards.get(column, []))
        blocked += [(y - 4, y + 4) for y in self.space.avoid]
        blocked.sort()
        gaps, cursor = [], self.space.top + 2
        for low, high in blocked:
            if low > cursor:
                gaps.append((cursor, low))
            cursor = max(cursor, high)
        if cursor < self.space.bottom - 2:
            gaps.append((cursor, self.space.bottom - 2))
        best: tuple[float, float] | None = None
        for wish in preferred:
            for low, high in gaps:
                y = min(max(wish, low), high)
                score = abs(y - wish)
                if best is None or score < best[0]:
                    best = (score, y)
            if best is not None and best[0] == 0:
                break
        return best[1] if best is not None else self.space.bottom + 2


def _spline(points: list[Point], start_arrow: bool, end_arrow: bool, label_at: Point) -> Route:
    points = list(points)
    start_tip = points[0] if start_arrow else None
    end_tip = points[-1] if end_arrow else None
    if start_arrow:
        points[0] = _towards(points[0], points[1], ARROW)
    if end_arrow:
        points[-1] = _towards(points[-1], points[-2], ARROW)
    spline = [points[0]]
    for index in range(1, len(points)):
        here = points[index]
        if index < len(points) - 1:
            before, after = points[index - 1], points[index + 1]
            radius = min(RADIUS, _length(before, here) / 2, _length(here, after) / 2)
            entry, leave = _towards(here, before, radius), _towards(here, after, radius)
            _straight(spline, entry)
            spline.extend([here, here, leave])
        else:
            _straight(spline, here)
    return Route(spline=tuple(spline), start_tip=start_tip, end_tip=end_tip, label_at=label_at)


def _straight(spline: list[Point], to: Point) -> None:
    (x0, y0), (x1, y1) = spline[-1], to
    spline.extend([(x0 + (x1 - x0) / 3, y0 + (y1 - y0) / 3), (x0 + 2 * (x1 - x0) / 3, y0 + 2 * (y1 - y0) / 3), to])


def _without_repeats(points: list[Point]) -> list[Point]:
    kept = [points[0]]
    for point in points[1:]:
        if _length(kept[-1], point) > 0.01:
            kept.append(point)
    if len(kept) == 1:
        kept.append((kept[0][0] + 0.5, kept[0][1]))
    return kept


def _length(a: Point, b: Point) -> float:
    return abs(a[0] - b[0]) + abs(a[1] - b[1])  # segments are horizontal or vertical


def _towards(a: Point, b: Point, distance: float) -> Point:
    length = ((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5 or 1.0
    share = min(distance / length, 1.0)
    return (a[0] + (b[0] - a[0]) * share, a[1] + (b[1] - a[1]) * share)
