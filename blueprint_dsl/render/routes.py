"""Routes of the flows through the grid: in the gutters between columns, never across a card.

A flow leaves its source card at the side that faces its target, runs down the gutter
to a free horizontal corridor, crosses the columns in between there, and enters the
target from the side. Flows within one column go straight when nothing stands in the
way (one between two cards; another between the same two goes round by the gutter).
A crowded gutter spreads its tracks over its width, leaving room for an arrowhead beside
the cards, and flows across the same columns take corridors apart. Corners are rounded;
loops run backwards the same way and are styled apart. The labels are placed by
``labels.py``, once every route is known.
Computing the routes here, rather than asking Graphviz to find them around hundreds of
cards, keeps a 60-step blueprint rendering in well under a second.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .labels import Labels, Point, length

if TYPE_CHECKING:
    from .grid import Box

ARROW = 7.0  # the arrowhead's length at arrowsize 0.7
RADIUS = 6.0  # of a rounded corner
TRACK = 4.0  # between flows sharing a gutter, while the gutter has room for them all
#: Kept between a track and the cards either side of its gutter: room for an arrowhead
#: on a straight end before the corner, on whichever side the flow enters its card.
TRACK_CLEARANCE = ARROW + 1
CORRIDOR_CLEARANCE = 5.0  # kept free around a card by a corridor


@dataclass(frozen=True, slots=True, kw_only=True)
class Route:
    """A flow's path: a cubic B-spline in Graphviz's sense (3n+1 points), y down."""

    spline: tuple[Point, ...]
    #: Where the arrowheads touch the cards (None: no arrowhead at that end).
    start_tip: Point | None
    end_tip: Point | None
    label_at: Point
    #: No free place near the route held the label: it is drawn over the cards, on a
    #: background of its own, rather than hidden under them.
    label_on_top: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Space:
    """What the router needs to know of the grid."""

    cards: dict[int, list[Box]]  # by column
    gutters: tuple[float, ...]  # x of the gutter right of column i (index i + 1); index 0: left of column 0
    #: From a gutter's x to the cards either side of it.
    half_gutter: float
    top: float  # of the first row
    bottom: float  # of the last row
    left: float  # of the columns: a label past it would run over the titles of the lanes
    right: float  # of the rows: a label past it would widen the drawing
    avoid: tuple[float, ...]  # ys of the method's lines, not to be run along
    #: Horizontal strips free of cards across the whole width (between the rows): label room.
    strips: tuple[tuple[float, float], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Request:
    """A flow to route: its two cards, their columns, its arrowheads and its label's size."""

    source: Box
    source_column: int
    target: Box
    target_column: int
    start_arrow: bool
    end_arrow: bool
    label: tuple[float, float]  # (width, height); (0, 0) when the flow has no label


def route_all(space: Space, requests: list[Request]) -> tuple[Route, ...]:
    """The routes of all the flows, their labels placed clear of the cards and of each other.

    A first pass counts the flows down each gutter, so that a crowded gutter spreads its
    tracks over the room it has instead of running them over the cards beside it.
    """
    counting = Router(space)
    for request in requests:
        counting.path(request)
    router = Router(space, demand=counting.tracks)
    paths = [router.path(request) for request in requests]
    # The labels of flows of one straight stretch go first: between two stacked cards the
    # layout kept room for one, which another label must not take.
    order = sorted(range(len(requests)), key=lambda n: (len(paths[n]) > 2, n))
    labels = Labels(space, paths)
    places: dict[int, tuple[Point, bool]] = {}
    for number in order:
        width, height = requests[number].label
        if width and height:
            places[number] = labels.place(number, paths[number], width, height)
    return tuple(_spline(points, request.start_arrow, request.end_arrow, *places.get(number, (points[0], False)))
                 for number, (request, points) in enumerate(zip(requests, paths)))


class Router:
    """Paths of the flows: straight within a column where nothing stands in the way, else
    down tracks in the gutters and across the columns between in a free corridor."""

    def __init__(self, space: Space, demand: dict[int, int] | None = None) -> None:
        self.space = space
        #: How many tracks each gutter will hold, when known: they are spread to fit.
        self.demand = demand or {}
        self.tracks: dict[int, int] = {}
        self.straight: set[tuple[float, float, float]] = set()  # (x, top, bottom) of the straight flows
        self.corridors: dict[int, list[float]] = {}  # the ys of the corridors across each column

    def track(self, gutter: int) -> float:
        """The x of the next free track in a gutter, alternating around its middle."""
        used = self.tracks.get(gutter, 0)
        self.tracks[gutter] = used + 1
        return self.space.gutters[gutter] + _alternate(used, self.step(gutter))

    def step(self, gutter: int) -> float:
        """The distance between tracks: TRACK, or less when the gutter holds more tracks
        than fit at TRACK apart between its cards."""
        pairs = self.demand.get(gutter, 0) // 2
        room = self.space.half_gutter - TRACK_CLEARANCE
        return min(TRACK, room / pairs) if pairs else TRACK

    def path(self, request: Request) -> list[Point]:
        """The corners of the route of ``request``, from the source's border to the target's."""
        if request.source_column == request.target_column:
            points = self.within_column(request.source, request.target, request.source_column)
        else:
            points = self.across_columns(request.source, request.source_column, request.target,
                                         request.target_column)
        return _without_repeats(points)

    def within_column(self, source: Box, target: Box, column: int) -> list[Point]:
        down = source.bottom <= target.top
        up = target.bottom <= source.top
        if (down or up) and source is not target:
            low, high = (source.bottom, target.top) if down else (target.bottom, source.top)
            blocked = any(card.top < high and card.bottom > low and card is not source and card is not target
                          for card in self.space.cards.get(column, []))
            # One flow between two cards runs straight; another between the same two would
            # run over it, and goes round by the gutter instead, its label near its own line.
            if not blocked and (source.centre_x, low, high) not in self.straight:
                self.straight.add((source.centre_x, low, high))
                x = source.centre_x
                return [(x, source.bottom), (x, target.top)] if down else [(x, source.top), (x, target.bottom)]
        # Something in between, a flow to itself, or a second between two cards: out to the
        # right gutter and back.
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
        blocked = sorted((card.top - CORRIDOR_CLEARANCE, card.bottom + CORRIDOR_CLEARANCE)
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
        best: tuple[float, float, tuple[float, float]] | None = None
        for wish in preferred:
            for low, high in gaps:
                y = min(max(wish, low), high)
                score = abs(y - wish)
                if best is None or score < best[0]:
                    best = (score, y, (low, high))
            if best is not None and best[0] == 0:
                break
        if best is None:
            return self.space.bottom + 2
        return self.apart(columns, best[1], *best[2])

    def apart(self, columns: range, y: float, low: float, high: float) -> float:
        """``y``, or the nearest y TRACK apart from the corridors already run across any of
        ``columns``, within ``low``..``high``: flows between the same columns do not run over
        one another."""
        taken = [used for column in columns for used in self.corridors.get(column, ())]
        chosen = y
        for used in range(2 * len(taken) + 1):
            candidate = y + _alternate(used, TRACK)
            if low <= candidate <= high and all(abs(candidate - other) >= TRACK - 0.01 for other in taken):
                chosen = candidate
                break
        for column in columns:
            self.corridors.setdefault(column, []).append(chosen)
        return chosen


def _alternate(used: int, step: float) -> float:
    """The offset from the middle of the ``used``-th of several lines side by side: 0, +1, -1, +2... steps."""
    return ((used + 1) // 2) * step * (1 if used % 2 else -1)


def _spline(points: list[Point], start_arrow: bool, end_arrow: bool, label_at: Point, label_on_top: bool) -> Route:
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
            radius = min(RADIUS, length(before, here) / 2, length(here, after) / 2)
            entry, leave = _towards(here, before, radius), _towards(here, after, radius)
            _straight(spline, entry)
            spline.extend([here, here, leave])
        else:
            _straight(spline, here)
    return Route(spline=tuple(spline), start_tip=start_tip, end_tip=end_tip, label_at=label_at,
                 label_on_top=label_on_top)


def _straight(spline: list[Point], to: Point) -> None:
    (x0, y0), (x1, y1) = spline[-1], to
    spline.extend([(x0 + (x1 - x0) / 3, y0 + (y1 - y0) / 3), (x0 + 2 * (x1 - x0) / 3, y0 + 2 * (y1 - y0) / 3), to])


def _without_repeats(points: list[Point]) -> list[Point]:
    kept = [points[0]]
    for point in points[1:]:
        if length(kept[-1], point) > 0.01:
            kept.append(point)
    if len(kept) == 1:
        kept.append((kept[0][0] + 0.5, kept[0][1]))
    return kept


def _towards(a: Point, b: Point, distance: float) -> Point:
    apart = ((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5 or 1.0
    share = min(distance / apart, 1.0)
    return (a[0] + (b[0] - a[0]) * share, a[1] + (b[1] - a[1]) * share)
