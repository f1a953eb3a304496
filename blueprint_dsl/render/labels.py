"""Where the labels of the flows go: beside their routes, clear of the cards, of the
method's lines and of each other.

A label tries, in order: beside a vertical stretch of its route in a strip between two
rows, where no card stands; above its route's longest stretch; then places ever further
from its route, beside each vertical stretch and above or below each horizontal one,
first clear of the method's lines, then across one (near its route, before far from it).
The first place that is free wins, and its box is kept, so that a later label does not
cover an earlier one. A free place across another flow's line is taken only when none
clear of the other flows is free as near as FAR, where a label still reads as beside its
route: a line through a label is harder to read than a label a little further along.
When nothing within reach of the route is free, the label is drawn over the cards, on a
background of its own, at the nearest place clear of the other labels and of its own
line: crowded, but visible, where a label under a card would be hidden. The labels of a
drawing try at most TRIES places in all, and TRIES_PER_LABEL more for each label, so
that labels that fit nowhere (a long route's, or a hundred on one short route) take a
bounded time: once they are spent, a label is drawn over the cards above its route's
longest stretch, where it is looked for last.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .routes import Space

Point = tuple[float, float]
Rect = tuple[float, float, float, float]  # left, top, right, bottom

GAP = 3.0  # between a label and the stretch of line it stands beside
LABEL_CLEARANCE = 2.0  # kept between a label and a card or another label
#: Kept free either side of a label, as a share of its width, beyond the room its text is
#: given (``metrics.py``): a margin for a font wider still than those measured.
SLACK = 0.05
STEP = 4.0  # between the places tried along a stretch, and away from it
#: Further than this from its route, a label gets a leader (``leaders.py``). The places
#: tried are GAP, then STEP more at a time, from the route (3, 7, 11, 15 pt): a label further
#: away found those taken by cards, other labels or other flows' lines, and in such a crowd
#: it is as near other lines as its own. Up to about a line and a half of its text
#: (SMALL_LEADING) away, it still reads as beside its line.
FAR = 16.0
NEAR = 48.0  # as far from its route as a label is looked for before it may cross a line of the method
#: How far from its route a label is looked for at all: past a column's cards to the next gutter.
REACH = 240.0
#: Along a stretch, as far from its middle as places are tried: a long route's label
#: stays near the middle of one of its stretches.
ALONG = 400.0
#: The most places the labels of a drawing try, and how many more each label brings: a
#: crowded drawing of ten labels tries a few thousand.
TRIES = 100000
TRIES_PER_LABEL = 100
RINGS = 8  # of places round a label's last resort, once the tries are spent: (2 * 8 + 1) ** 2 places
ON_TOP_PAD = 2.0  # around a label drawn over the cards, on its background


class Labels:
    """The cards, the labels placed so far and the routes of all the flows, filed by the
    columns they reach into."""

    def __init__(self, space: Space, routes: list[list[Point]], count: int) -> None:
        """``count`` is how many of the routes have a label."""
        self.space = space
        self.tries_left = TRIES + TRIES_PER_LABEL * count
        self.cards = {column: [(card.left, card.top, card.right, card.bottom) for card in cards]
                      for column, cards in space.cards.items()}
        self.placed: dict[int, list[Rect]] = {}
        self.boxes: dict[int, Rect] = {}  # the box kept for each route's label, by the route's number
        self.blocker: Rect = (0.0, 0.0, 0.0, 0.0)  # what stood in the way of the last place tried
        self.lines: dict[int, list[tuple[int, Rect]]] = {}
        for number, points in enumerate(routes):
            for a, b in zip(points, points[1:]):
                for column in self.columns(_segment(a, b)):
                    self.lines.setdefault(column, []).append((number, _segment(a, b)))

    def place(self, number: int, points: list[Point], width: float, height: float) -> tuple[Point, bool]:
        """The centre of the label of route ``number``, through ``points``, and whether it must
        be drawn over the cards because no place near the route is free."""
        centre = self.first_free(number, points, width, height, over_cards=False)
        if centre is not None:
            self.keep(number, box_at(centre, width, height))
            return centre, False
        padded = (width + 2 * ON_TOP_PAD, height + ON_TOP_PAD)
        if self.tries_left > 0:
            centre = self.first_free(number, points, *padded, over_cards=True)
        else:
            centre = self.stacked(points, *padded)
        centre = centre or self.within_lanes(self.above_longest(points, *padded), *padded)
        self.keep(number, box_at(centre, *padded))
        return centre, True

    def first_free(self, number: int, points: list[Point], width: float, height: float,
                   over_cards: bool) -> Point | None:
        """The first free place of the rounds of candidates, or None.

        A place clear of the other flows' lines is taken before one across them, as far as FAR
        from the route; the first across them is taken when nothing is clear that near."""
        crossing = None
        for gap, places in self.candidates(points, width, height):
            if crossing is not None and gap > FAR:
                return crossing
            for centre, across_lines in places:
                self.tries_left -= 1
                if self.tries_left < 0:
                    return crossing
                box = box_at(centre, width, height)
                if self.free(box, points, across_lines, over_cards):
                    if self.clear_of_flows(box, number):
                        return centre
                    crossing = crossing or centre
        return crossing

    def stacked(self, points: list[Point], width: float, height: float) -> Point | None:
        """Once the drawing's tries are spent: the nearest place clear of the other labels to
        above the route's longest stretch, among places a label's size apart (RINGS rings of
        them round it), over the cards; or None."""
        x, y = self.within_lanes(self.above_longest(points, width, height), width, height)
        across, down = width * (1 + 2 * SLACK) + 2 * LABEL_CLEARANCE, height + 2 * LABEL_CLEARANCE
        for ring in range(RINGS + 1):
            for column, row in _ring(ring):
                centre = (x + column * across, y + row * down)
                if self.free(box_at(centre, width, height), points, across_lines=True, over_cards=True):
                    return centre
        return None

    def candidates(self, points: list[Point], width: float,
                   height: float) -> Iterator[tuple[float, list[tuple[Point, bool]]]]:
        """Rounds of places to try, each round with how far from the route its places are,
        each place with whether it may lie across a line of the method: a label over a
        dashed line near its route reads better than one far away."""
        first = [(centre, False) for centre in self.in_strips(points, width, height)]
        yield 0.0, first + [(self.above_longest(points, width, height), False)]
        for start, end in ((GAP, NEAR), (NEAR + STEP, REACH)):
            for across_lines in (False, True):
                gap = start
                while gap <= end:
                    yield gap, [(centre, across_lines) for centre in _around(points, width, height, gap)]
                    gap += STEP

    def in_strips(self, points: list[Point], width: float, height: float) -> list[Point]:
        """Beside a vertical stretch, in a strip between two rows, nearest the stretch's middle first."""
        found = []
        for a, b in zip(points, points[1:]):
            if abs(a[0] - b[0]) > 0.01:
                continue
            low, high = sorted((a[1], b[1]))
            middle = (low + high) / 2
            for top, bottom in self.space.strips:
                for y in (top + height / 2 + 1, bottom - height / 2 - 1):
                    if low <= y <= high and bottom - top >= height + 2:
                        for x in (a[0] + width / 2 + GAP, a[0] - width / 2 - GAP):  # right, else left
                            found.append((abs(y - middle), len(found), (x, y)))
        return [centre for *_, centre in sorted(found)]

    def above_longest(self, points: list[Point], width: float, height: float) -> Point:
        """Centred above the longest stretch (the first of equals), moved in from the edges of the lanes."""
        a, b = max(zip(points, points[1:]), key=lambda pair: length(*pair))
        x = max(min((a[0] + b[0]) / 2, self.space.right - width / 2), self.space.left + width / 2)
        return (x, min(a[1], b[1]) - height / 2 - 2)

    def within_lanes(self, centre: Point, width: float, height: float) -> Point:
        """``centre`` moved into the lanes, as far as the box fits: outside them it would make the page larger."""
        half = width / 2 + width * SLACK
        space = self.space
        return (max(min(centre[0], space.right - half), space.left + half),
                max(min(centre[1], space.bottom - height / 2), space.top + height / 2))

    def free(self, box: Rect, points: list[Point], across_lines: bool = False, over_cards: bool = False) -> bool:
        """Whether ``box`` lies within the lanes and clear of the labels placed so far, of its
        own route, unless ``over_cards`` of the cards and, unless ``across_lines``, of the
        method's lines."""
        left, top, right, bottom = _measured(box)
        space = self.space
        if left < space.left or right > space.right or top < space.top or bottom > space.bottom:
            return False
        grown = (left - LABEL_CLEARANCE, top - LABEL_CLEARANCE, right + LABEL_CLEARANCE, bottom + LABEL_CLEARANCE)
        # Places are tried near one another: what stood in the way of the last often stands
        # in the way of this one, and is asked first.
        if not over_cards and overlaps(grown, self.blocker):
            return False
        if not across_lines and any(top - 1 < y < bottom + 1 for y in space.avoid):
            return False
        for column in self.columns(grown):
            cards = () if over_cards else self.cards.get(column, ())
            for other in (*cards, *self.placed.get(column, ())):
                if overlaps(grown, other):
                    self.blocker = other
                    return False
        # Beside its own line a label keeps the GAP of its estimated width: the line is thin.
        return not any(overlaps(box, _segment(a, b)) for a, b in zip(points, points[1:]))

    def clear_of_flows(self, box: Rect, number: int) -> bool:
        """Whether ``box`` keeps off the lines of the other flows."""
        grown = (box[0] - 1, box[1] - 1, box[2] + 1, box[3] + 1)
        return not any(other != number and overlaps(grown, line)
                       for column in self.columns(grown) for other, line in self.lines.get(column, ()))

    def keep(self, number: int, box: Rect) -> None:
        measured = _measured(box)
        self.boxes[number] = measured
        for column in self.columns(measured):
            self.placed.setdefault(column, []).append(measured)

    def columns(self, box: Rect) -> range:
        """The columns ``box`` reaches into; left of the first or right of the last counts as in it."""
        gutters, last = self.space.gutters, len(self.space.gutters) - 2
        first = min(max(bisect_right(gutters, box[0]) - 1, 0), last)
        return range(first, min(max(bisect_left(gutters, box[2]) - 1, first), last) + 1)


def drawn_size(width: float, height: float, on_top: bool) -> tuple[float, float]:
    """The size of the box a label of text ``width`` by ``height`` is drawn in: the text
    itself, or over the cards a background as wide as Graphviz may draw the text, with
    ON_TOP_PAD around it."""
    return (width * (1 + 2 * SLACK) + 2 * ON_TOP_PAD, height + ON_TOP_PAD) if on_top else (width, height)


def box_at(centre: Point, width: float, height: float) -> Rect:
    return (centre[0] - width / 2, centre[1] - height / 2, centre[0] + width / 2, centre[1] + height / 2)


def _ring(ring: int) -> list[tuple[int, int]]:
    """The cells ``ring`` steps from the centre of a grid, nearest the centre first, and of
    those as near, the higher first."""
    if not ring:
        return [(0, 0)]
    cells = {(column, row) for column in range(-ring, ring + 1) for row in (-ring, ring)}
    cells |= {(column, row) for column in (-ring, ring) for row in range(-ring, ring + 1)}
    return sorted(cells, key=lambda cell: (abs(cell[0]) + abs(cell[1]), cell[1], cell[0]))


def _around(points: list[Point], width: float, height: float, gap: float) -> list[Point]:
    """Places ``gap`` from the route: right or left of each vertical stretch, above or below
    each horizontal one, nearest the middle of a stretch first."""
    found = []
    for a, b in _stretches(points):
        vertical = abs(a[0] - b[0]) <= 0.01
        along, across, reach, half = (1, 0, height, width) if vertical else (0, 1, width, height)
        low, high = sorted((a[along], b[along]))
        middle = (low + high) / 2
        sides = (a[across] + half / 2 + gap, a[across] - half / 2 - gap)
        if not vertical:
            sides = sides[::-1]  # above, then below
        offset = 0.0
        while offset <= min((high - low + reach) / 2, ALONG):
            for position in (middle - offset, middle + offset) if offset else (middle,):
                for side, place in enumerate(sides):
                    centre = (place, position) if vertical else (position, place)
                    found.append((offset, side, len(found), centre))
            offset += STEP
    return [centre for *_, centre in sorted(found)]


def _stretches(points: list[Point]) -> list[tuple[Point, Point]]:
    """The straight stretches of a route: a corner where it goes on in the same direction
    (a flow straight across to the next column) joins two."""
    stretches = [(points[0], points[1])]
    for point in points[2:]:
        a, b = stretches[-1]
        if _direction(a, b) == _direction(b, point):
            stretches[-1] = (a, point)
        else:
            stretches.append((b, point))
    return stretches


def _direction(a: Point, b: Point) -> tuple[int, int]:
    return ((b[0] > a[0] + 0.01) - (b[0] < a[0] - 0.01), (b[1] > a[1] + 0.01) - (b[1] < a[1] - 0.01))


def _measured(box: Rect) -> Rect:
    """``box`` widened by the SLACK on either side: as wide as Graphviz may draw the text."""
    slack = (box[2] - box[0]) * SLACK
    return (box[0] - slack, box[1], box[2] + slack, box[3])


def length(a: Point, b: Point) -> float:
    return abs(a[0] - b[0]) + abs(a[1] - b[1])  # stretches are horizontal or vertical


def _segment(a: Point, b: Point) -> Rect:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1]))


def overlaps(one: Rect, other: Rect) -> bool:
    return one[0] < other[2] and other[0] < one[2] and one[1] < other[3] and other[1] < one[3]
