"""Routes of the flows through the grid: in the gutters between columns, never across a card.

A flow leaves its source card at the side that faces its target, runs down the gutter
to a free horizontal corridor, crosses the columns in between there, and enters the
target from the side. Flows that meet one side of a card meet it each at a place of its
own, spread along the side (``ports.py``), so that no two share a stretch of line or an
arrowhead. Flows within one column go straight when nothing stands in the way (one
between two cards; another between the same two goes round by the gutter).
A crowded gutter spreads its tracks over its width, leaving room for an arrowhead beside
the cards, and orders them so that they cross as few lines as can be (``tracks.py``);
flows across the same columns take corridors apart, and a corridor keeps off the other
flows' stretches in the gutters it starts and ends in. Corners are rounded; loops run
backwards the same way and are styled apart. The labels are placed by
``labels.py``, once every route is known, and a label placed far from its route is
joined to it by a leader (``leaders.py``).
Computing the routes here, rather than asking Graphviz to find them around hundreds of
cards, keeps a 60-step blueprint rendering in well under a second.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from .labels import Labels, Point, box_at, drawn_size, length
from .leaders import Leader, leader
from .ports import End, Side, place_ports
from .tracks import Use, ordered

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
    #: A label placed far from the route is joined to it by a line, from the edge of its box
    #: to a point of the route, so that it is not read as naming another flow (``leaders.py``).
    leader: Leader | None = None


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
    """The routes of all the flows, their labels placed clear of the cards and of each other."""
    paths = Router(space).paths(requests)
    # The labels of flows of one straight stretch go first: between two stacked cards the
    # layout kept room for one, which another label must not take.
    order = sorted(range(len(requests)), key=lambda n: (len(paths[n]) > 2, n))
    labels = Labels(space, paths, sum(1 for request in requests if all(request.label)))
    places: dict[int, tuple[Point, bool]] = {}
    for number in order:
        width, height = requests[number].label
        if width and height:
            places[number] = labels.place(number, paths[number], width, height)
    routes = []
    for number, (request, points) in enumerate(zip(requests, paths)):
        route = _spline(points, request.start_arrow, request.end_arrow, *places.get(number, (points[0], False)))
        if number in places:
            # Once every label is placed: a leader keeps off the labels placed after its own.
            box = box_at(route.label_at, *drawn_size(*request.label, route.label_on_top))
            route = replace(route, leader=leader(labels, number, box, points, route))
        routes.append(route)
    return tuple(routes)


@dataclass(frozen=True, slots=True, kw_only=True)
class Plan:
    """A flow's way through the grid, before the places that depend on the other flows are
    chosen: where its ends meet the cards' sides, the y of its corridor, the x of its tracks."""

    #: A flow between two stacked cards with nothing between: a straight line, nothing to choose.
    straight: tuple[Point, Point] | None = None
    ends: tuple[End, ...] = ()  # at the source's side, then at the target's
    gutters: tuple[int, ...] = ()  # the gutters it runs down: one, or two with a corridor between them
    between: range = range(0)  # the columns its corridor crosses
    gaps: tuple[tuple[float, float], ...] = ()  # the spans free of cards across those columns


class Router:
    """Paths of the flows: straight within a column where nothing stands in the way, else
    down tracks in the gutters and across the columns between in a free corridor.

    The ways of all the flows are planned first; then their ends are spread along the
    cards' sides, then their corridors are chosen, then their tracks: each step needs
    the one before it for all the flows."""

    def __init__(self, space: Space) -> None:
        self.space = space
        self.straight: set[tuple[float, float, float]] = set()  # (x, top, bottom) of the straight flows
        self.corridors: dict[int, list[float]] = {}  # the ys of the corridors across each column
        #: The ys of the horizontal stretches in each gutter, and their flows: the ends' and the corridors'.
        self.levels: dict[int, list[tuple[float, int]]] = {}

    def paths(self, requests: list[Request]) -> list[list[Point]]:
        """The corners of the route of each request, from the source's border to the target's."""
        plans = [self.plan(number, request) for number, request in enumerate(requests)]
        ports = place_ports([end for plan in plans for end in plan.ends])
        for plan in plans:
            for end in plan.ends:
                self.levels.setdefault(end.gutter, []).append((ports[end.key], end.flow))
        corridors = {number: self.corridor(number, plan, ports) for number, plan in enumerate(plans) if plan.between}
        tracks = self.tracks(plans, ports, corridors)
        return [_without_repeats(_corners(number, plan, ports, corridors, tracks)) for number, plan in enumerate(plans)]

    def plan(self, number: int, request: Request) -> Plan:
        """The way of flow ``number``: straight between stacked cards, round by the right
        gutter within a column, or out of the side that faces its target, down a gutter and
        across the columns between; its ends headed for the corridor it will likely take."""
        source, target, column = request.source, request.target, request.source_column
        if column == request.target_column:
            straight = self.straight_between(source, target, column)
            if straight is not None:
                return Plan(straight=straight)
            # Something in between, a flow to itself, or a second between two cards: out to the
            # right gutter and back.
            return Plan(ends=(End(flow=number, start=True, card=source, column=column, side="right",
                                  heading=target.centre_y),
                              End(flow=number, start=False, card=target, column=column, side="right",
                                  heading=source.centre_y)),
                        gutters=(column + 1,))
        forward = request.target_column > column
        leave, enter = ("right", "left") if forward else ("left", "right")
        low, high = sorted((column, request.target_column))
        between = range(low + 1, high)
        gaps: tuple[tuple[float, float], ...] = ()
        if between:
            gaps = self.free_spans(between)
            corridor = _nearest(gaps, source.centre_y, target.centre_y)
            towards = away = corridor[0] if corridor is not None else self.space.bottom + 2
            gutters = (low + 1, high) if forward else (high, low + 1)
        else:
            towards, away = target.centre_y, source.centre_y
            gutters = (high,)
        return Plan(ends=(End(flow=number, start=True, card=source, column=column, side=leave, heading=towards),
                          End(flow=number, start=False, card=target, column=request.target_column, side=enter,
                              heading=away)),
                    gutters=gutters, between=between, gaps=gaps)

    def straight_between(self, source: Box, target: Box, column: int) -> tuple[Point, Point] | None:
        """The straight line between two stacked cards, if nothing stands between them and no
        other flow runs there yet: another between the same two would run over it."""
        down = source.bottom <= target.top
        up = target.bottom <= source.top
        if not (down or up) or source is target:
            return None
        low, high = (source.bottom, target.top) if down else (target.bottom, source.top)
        blocked = any(card.top < high and card.bottom > low and card is not source and card is not target
                      for card in self.space.cards.get(column, []))
        if blocked or (source.centre_x, low, high) in self.straight:
            return None
        self.straight.add((source.centre_x, low, high))
        x = source.centre_x
        return ((x, source.bottom), (x, target.top)) if down else ((x, source.top), (x, target.bottom))

    def free_spans(self, columns: range) -> tuple[tuple[float, float], ...]:
        """The spans of y at which nothing stands in the given columns, nor a line of the method runs."""
        blocked = [(card.top - CORRIDOR_CLEARANCE, card.bottom + CORRIDOR_CLEARANCE)
                   for column in columns for card in self.space.cards.get(column, [])]
        blocked += [(y - 4, y + 4) for y in self.space.avoid]
        blocked.sort()
        gaps, cursor = [], self.space.top + 2
        for low, high in blocked:
            if low > cursor:
                gaps.append((cursor, low))
            cursor = max(cursor, high)
        if cursor < self.space.bottom - 2:
            gaps.append((cursor, self.space.bottom - 2))
        return tuple(gaps)

    def corridor(self, number: int, plan: Plan, ports: dict[tuple[int, bool], float]) -> float:
        """The y of the corridor of flow ``number``: free across the columns between, as near
        its ends as can be, apart from the other flows' stretches it would run along."""
        best = _nearest(plan.gaps, *(ports[end.key] for end in plan.ends))
        if best is None:
            return self.space.bottom + 2
        y, low, high = best
        taken = [used for column in plan.between for used in self.corridors.get(column, ())]
        taken += [used for gutter in plan.gutters for used, flow in self.levels.get(gutter, ()) if flow != number]
        chosen = _apart(sorted(taken), y, low, high)
        for column in plan.between:
            self.corridors.setdefault(column, []).append(chosen)
        for gutter in plan.gutters:
            self.levels.setdefault(gutter, []).append((chosen, number))
        return chosen

    def tracks(self, plans: list[Plan], ports: dict[tuple[int, bool], float],
               corridors: dict[int, float]) -> dict[tuple[int, int], float]:
        """The x of each flow's track down each of its gutters, by (flow, which of its gutters):
        around the middle of the gutter, spread to fit when it is crowded, in the order
        ``tracks.py`` gives them."""
        uses: dict[int, list[Use]] = {}
        for number, plan in enumerate(plans):
            for index, gutter in enumerate(plan.gutters):
                uses.setdefault(gutter, []).append(_use(number, index, plan, ports, corridors))
        xs: dict[tuple[int, int], float] = {}
        for gutter, here in uses.items():
            step = self.step(len(here))
            slots = sorted(self.space.gutters[gutter] + _alternate(used, step) for used in range(len(here)))
            xs.update((use.key, x) for use, x in zip(ordered(here), slots))
        return xs

    def step(self, count: int) -> float:
        """The distance between tracks: TRACK, or less when the gutter holds more tracks
        than fit at TRACK apart between its cards."""
        pairs = count // 2
        room = self.space.half_gutter - TRACK_CLEARANCE
        return min(TRACK, room / pairs) if pairs else TRACK


def _use(number: int, index: int, plan: Plan, ports: dict[tuple[int, bool], float],
         corridors: dict[int, float]) -> Use:
    """The ``index``-th stretch of flow ``number`` down a gutter, with the ways its turns run off."""
    start, end = plan.ends
    if len(plan.gutters) == 1:
        turns = ((ports[start.key], _off_to(start)), (ports[end.key], _off_to(end)))
    else:
        # The corridor runs off towards the target from the first gutter, and comes from the source into the last.
        onwards: Side = "right" if start.side == "right" else "left"
        back: Side = "left" if onwards == "right" else "right"
        corridor = corridors[number]
        turns = ((ports[start.key], _off_to(start)), (corridor, onwards)) if index == 0 else \
            ((corridor, back), (ports[end.key], _off_to(end)))
    return Use(key=(number, index), turns=turns)


def _off_to(end: End) -> Side:
    """Which way the stretch from a track to ``end`` runs off: a card's right side is left of its gutter."""
    return "left" if end.side == "right" else "right"


def _corners(number: int, plan: Plan, ports: dict[tuple[int, bool], float], corridors: dict[int, float],
             tracks: dict[tuple[int, int], float]) -> list[Point]:
    """The corners of flow ``number``'s route, once its ends, corridor and tracks are placed."""
    if plan.straight is not None:
        return list(plan.straight)
    start, end = plan.ends
    y0, y1 = ports[start.key], ports[end.key]
    if len(plan.gutters) == 1:
        x = tracks[number, 0]
        return [(start.x, y0), (x, y0), (x, y1), (end.x, y1)]
    x0, x1, corridor = tracks[number, 0], tracks[number, 1], corridors[number]
    return [(start.x, y0), (x0, y0), (x0, corridor), (x1, corridor), (x1, y1), (end.x, y1)]


def _nearest(gaps: tuple[tuple[float, float], ...], *preferred: float) -> tuple[float, float, float] | None:
    """The y in ``gaps`` nearest the first of the preferred ys it can reach, with its gap."""
    best: tuple[float, float, tuple[float, float]] | None = None
    for wish in preferred:
        for low, high in gaps:
            y = min(max(wish, low), high)
            score = abs(y - wish)
            if best is None or score < best[0]:
                best = (score, y, (low, high))
        if best is not None and best[0] == 0:
            break
    return None if best is None else (best[1], *best[2])


def _apart(taken: list[float], y: float, low: float, high: float) -> float:
    """``y``, or the nearest y TRACK apart from the ys ``taken`` (sorted), within ``low``..``high``;
    where none is, the y there farthest from them."""
    for used in range(2 * len(taken) + 1):
        candidate = y + _alternate(used, TRACK)
        if low <= candidate <= high and _clearance(taken, candidate) >= TRACK - 0.01:
            return candidate
    inside = [used for used in taken if low <= used <= high]
    candidates = [low, high, y] + [(a + b) / 2 for a, b in zip(inside, inside[1:])]
    return max(candidates, key=lambda candidate: (round(_clearance(taken, candidate), 2), -abs(candidate - y)))


def _clearance(taken: list[float], y: float) -> float:
    """How far ``y`` is from the nearest of the ys ``taken`` (sorted)."""
    index = bisect_left(taken, y)
    near = taken[max(index - 1, 0):index + 1]
    return min((abs(y - used) for used in near), default=float("inf"))


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
