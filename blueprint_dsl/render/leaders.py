"""Leader lines: from a flow's label placed far from its route back to the route.

A label goes beside its route where it can (``labels.py``); in a crowded grid it may end
up further than FAR from it, or nearer with another flow's line between them, where it
reads as naming whichever line passes nearest, often another flow's. A leader joins it
to its own: a straight line from an edge of the label's box to a straight stretch of the
route, drawn so that it is not read as a flow (``dot.py``).

Like every line, a leader is drawn under the cards (Graphviz draws the edges first), and
it should not run through another label's text, nor close by it, where it would seem to
lead from that label; so of the lines from points along the edges of the box that face
the route to points along the route, shortest first, it takes the first that crosses no
card and keeps CLEAR of the other labels, else the first that crosses no card and no
other label. Where every one does (a label boxed
in by others, or drawn over a card), it takes the shortest, and shows where it is not
covered. It is at most twice as long as the shortest, and straight: one that bent round
what stands in the way would be harder to follow than one that crosses it.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import TYPE_CHECKING

from .labels import FAR, STEP, Point, Rect, overlaps

if TYPE_CHECKING:
    from .labels import Labels
    from .routes import Route

#: The most leaders a label tries, shortest first, for one that crosses nothing: in a
#: crowded corner, where none is clear, the search stops there and takes the shortest.
TRIES = 400
BESIDE = 2.0  # as near its route, or its label, as another flow's line runs beside it, not between them
CLEAR = 4.0  # kept between a leader and the labels of other flows
END = 4.0  # kept between where a leader meets its route and a card the route meets without an arrowhead

Leader = tuple[Point, Point]  # from the edge of the label's box, to the route


def leader(labels: Labels, number: int, box: Rect, corners: list[Point], route: Route) -> Leader | None:
    """The leader of route ``number``'s label, drawn in ``box``, if the label is further than
    FAR from the route through ``corners``, or another flow's line runs between them; it
    ends on a straight stretch of the drawn route."""
    away, near, on_route = min(_nearest(box, a, b) for a, b in zip(corners, corners[1:]))
    if away <= FAR and not _across_another(labels, number, near, on_route):
        return None
    # No longer than twice the shortest: a longer one would wander off across the drawing.
    candidates = sorted(_candidates(box, route, 2 * away + STEP))
    own = labels.boxes[number]  # the box the labeller kept for this label, as wide as the text may be drawn
    # Clear of the other labels by CLEAR where one can be, else just clear of them.
    for clear in (CLEAR, 0.0):
        for *_, start, end in candidates[:TRIES]:
            if not _blocked(labels, own, start, end, clear):
                return start, end
    return (candidates[0][-2], candidates[0][-1]) if candidates else None


def _candidates(box: Rect, route: Route, reach: float) -> Iterator[tuple[float, int, int, int, Point, Point]]:
    """Each leader to try, with its length and, for a stable order among equals, where it
    ends and starts: to points STEP apart along each straight stretch of the route, from
    points STEP apart along the edges of the box that face it, nearest first (a leader
    from further along an edge may pass beside what stands in the way)."""
    spline = route.spline
    for piece, (a, b) in enumerate(_straight_stretches(spline)):
        along = 0 if abs(a[1] - b[1]) < 0.01 else 1
        first, last = a[along], b[along]
        # Where the route meets a card with no arrowhead, the card would cover the dot.
        if a == spline[0] and route.start_tip is None:
            first += math.copysign(END, b[along] - a[along])
        if b == spline[-1] and route.end_tip is None:
            last -= math.copysign(END, b[along] - a[along])
        if (last - first) * (b[along] - a[along]) < 0:
            continue  # too short to hold the dot
        low, high = sorted((first, last))
        middle = (box[along] + box[2 + along]) / 2
        half = (box[2 + along] - box[along]) / 2
        for order, position in enumerate(_steps(min(max(middle, low), high), low, high, half + reach)):
            end = (position, a[1]) if along == 0 else (a[0], position)
            for side, start in enumerate(_facing(box, end)):
                length = math.dist(start, end)
                if length <= reach:
                    yield length, piece, order, side, start, end


def _facing(box: Rect, point: Point) -> Iterator[Point]:
    """Points STEP apart along the edges of ``box`` that face ``point``, the nearest to it
    first, and the corners."""
    left, top, right, bottom = box
    if not top <= point[1] <= bottom:
        y = bottom if point[1] > bottom else top
        yield from ((x, y) for x in _steps(min(max(point[0], left), right), left, right, right - left, ends=True))
    if not left <= point[0] <= right:
        x = right if point[0] > right else left
        yield from ((x, y) for y in _steps(min(max(point[1], top), bottom), top, bottom, bottom - top, ends=True))


def _steps(middle: float, low: float, high: float, reach: float, ends: bool = False) -> list[float]:
    """``middle``, then the values STEP apart either side of it within ``low``..``high``
    and ``reach`` of it; with ``ends``, ``low`` and ``high`` themselves last."""
    found = [middle]
    distance = STEP
    while distance <= reach:
        found += [value for value in (middle - distance, middle + distance) if low <= value <= high]
        distance += STEP
    return found + [value for value in (low, high) if ends and value not in found]


def _straight_stretches(spline: tuple[Point, ...]) -> list[tuple[Point, Point]]:
    """The straight pieces of a route's B-spline: those between its rounded corners, and
    short of its arrowheads. The route runs straight across or straight down."""
    pieces = []
    for index in range(0, len(spline) - 3, 3):
        a, one, two, b = spline[index:index + 4]
        straight = abs(a[0] - b[0]) < 0.01 or abs(a[1] - b[1]) < 0.01
        if straight and math.dist(a, b) > 0.01 and all(abs(p[0] - a[0]) < 0.01 or abs(p[1] - a[1]) < 0.01
                                                       for p in (one, two)):
            pieces.append((a, b))
    return pieces


def _blocked(labels: Labels, own: Rect, start: Point, end: Point, clear: float) -> bool:
    """Whether the line from ``start`` to ``end`` runs through a card, or through another
    flow's label or within ``clear`` of it, where it would seem to lead from that one."""
    bounds = (min(start[0], end[0]), min(start[1], end[1]), max(start[0], end[0]), max(start[1], end[1]))
    for column in labels.columns(bounds):
        others = ((left - clear, top - clear, right + clear, bottom + clear)
                  for left, top, right, bottom in labels.placed.get(column, ()) if (left, top, right, bottom) != own)
        for rect in (*labels.cards.get(column, ()), *others):
            # Most are nowhere near the line: their boxes apart tell so at once.
            if overlaps(bounds, rect) and _crosses(start, end, rect):
                return True
    return False


def _crosses(a: Point, b: Point, rect: Rect) -> bool:
    """Whether the segment from ``a`` to ``b`` enters the inside of ``rect`` (touching its border does not)."""
    inner = (rect[0] + 0.5, rect[1] + 0.5, rect[2] - 0.5, rect[3] - 0.5)
    start, end = 0.0, 1.0  # Liang-Barsky: clip the segment to the rectangle
    for p, q in ((a[0] - b[0], a[0] - inner[0]), (b[0] - a[0], inner[2] - a[0]),
                 (a[1] - b[1], a[1] - inner[1]), (b[1] - a[1], inner[3] - a[1])):
        if abs(p) < 1e-9:
            if q < 0:
                return False
        elif p < 0:
            start = max(start, q / p)
        else:
            end = min(end, q / p)
    return end - start > 1e-6


def _nearest(box: Rect, a: Point, b: Point) -> tuple[float, Point, Point]:
    """How far ``box`` is from the stretch ``a``-``b``, which runs straight across or down,
    and the nearest points of each: of a stretch beside the box, those midway along it."""
    ends = [_between(low, high, first, last) for low, high, first, last in
            ((box[0], box[2], *sorted((a[0], b[0]))), (box[1], box[3], *sorted((a[1], b[1]))))]
    near = (ends[0][0], ends[1][0])
    on_route = (ends[0][1], ends[1][1])
    return math.dist(near, on_route), near, on_route


def _between(low: float, high: float, first: float, last: float) -> tuple[float, float]:
    """Along one axis, the nearest points of the span ``low``..``high`` and the span
    ``first``..``last``: where they overlap, the middle of the overlap in both."""
    if first > high:
        return high, first
    if last < low:
        return low, last
    middle = (max(low, first) + min(high, last)) / 2
    return middle, middle


def _across_another(labels: Labels, number: int, near: Point, on_route: Point) -> bool:
    """Whether another flow's line runs between a label, at ``near``, and its route, at
    ``on_route``: there the label reads as naming that flow, however near its own."""
    bounds = (min(near[0], on_route[0]), min(near[1], on_route[1]),
              max(near[0], on_route[0]), max(near[1], on_route[1]))
    return any(other != number and _cuts(near, on_route, line)
               for column in labels.columns(bounds) for other, line in labels.lines.get(column, ()))


def _cuts(a: Point, b: Point, line: Rect) -> bool:
    """Whether the segment from ``a`` to ``b`` crosses ``line``, a stretch straight across or
    down (given as its bounds), more than BESIDE from either end of the segment: a line
    that close to the label's edge runs along it, and one that close to the route runs
    beside it, as one of a bundle."""
    across = line[1] == line[3]  # else straight down
    along, level = (0, 1) if across else (1, 0)
    if abs(b[level] - a[level]) < 1e-9:
        return False
    share = (line[level] - a[level]) / (b[level] - a[level])
    margin = BESIDE / math.dist(a, b)
    if not margin < share < 1 - margin:
        return False
    at = a[along] + (b[along] - a[along]) * share
    return line[along] < at < line[along + 2]
