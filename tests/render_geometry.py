"""Reading a rendered SVG back: the boxes of its elements, by id, in page coordinates.

Graphviz draws in a group translated down by the page height, with y negative; the
helpers here undo that, so y grows downwards as a reader sees the page. Graphviz's JSON
output is read back the same way, for the widths of the lines of text it drew.
"""

from __future__ import annotations

import json
import math
import random
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, replace

SVG = "{http://www.w3.org/2000/svg}"
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")


@dataclass(frozen=True)
class Rect:
    left: float
    top: float
    right: float
    bottom: float

    @property
    def centre_x(self) -> float:
        return (self.left + self.right) / 2

    @property
    def centre_y(self) -> float:
        return (self.top + self.bottom) / 2

    def inside(self, other: Rect, tolerance: float = 0.5) -> bool:
        return (self.left >= other.left - tolerance and self.right <= other.right + tolerance
                and self.top >= other.top - tolerance and self.bottom <= other.bottom + tolerance)

    def overlaps(self, other: Rect) -> bool:
        return (self.left < other.right and other.left < self.right
                and self.top < other.bottom and other.top < self.bottom)


@dataclass(frozen=True)
class Element:
    id: str
    classes: tuple[str, ...]
    rect: Rect
    text: str
    node: ET.Element


def _points(shape: ET.Element) -> list[tuple[float, float]]:
    tag = shape.tag.removeprefix(SVG)
    if tag in ("polygon", "polyline"):
        numbers = [float(n) for n in _NUMBER.findall(shape.get("points", ""))]
    elif tag == "path":
        numbers = [float(n) for n in _NUMBER.findall(shape.get("d", ""))]
    elif tag == "ellipse":
        cx, cy, rx, ry = (float(shape.get(k)) for k in ("cx", "cy", "rx", "ry"))
        return [(cx - rx, cy - ry), (cx + rx, cy + ry)]
    else:
        return []
    return list(zip(numbers[0::2], numbers[1::2]))


def page_shift(root: ET.Element) -> tuple[float, float]:
    graph = root.find(f"{SVG}g")
    match = re.search(r"translate\(([-\d.]+) ([-\d.]+)\)", graph.get("transform", ""))
    return (float(match.group(1)), float(match.group(2))) if match else (0.0, 0.0)


def read_svg(data: bytes) -> tuple[ET.Element, dict[str, Element]]:
    """The parsed document and every element with an id and a drawn shape."""
    root = ET.fromstring(data)
    dx, dy = page_shift(root)
    elements: dict[str, Element] = {}
    for group in root.iter(f"{SVG}g"):
        element_id = group.get("id")
        if not element_id:
            continue
        points: list[tuple[float, float]] = []
        # The first shape of a node is its outline; an edge's path is its line.
        for shape in group:
            if shape.tag.removeprefix(SVG) in ("polygon", "path", "ellipse", "polyline"):
                points = _points(shape)
                break
        if not points:
            continue
        xs = [x + dx for x, _ in points]
        ys = [y + dy for _, y in points]
        text = " ".join("".join(t.itertext()) for t in group.iter(f"{SVG}text"))
        elements[element_id] = Element(id=element_id, classes=tuple(group.get("class", "").split()),
                                       rect=Rect(min(xs), min(ys), max(xs), max(ys)), text=text, node=group)
    return root, elements


# ---- a generated blueprint -----------------------------------------------------------

_WORDS = ("checks", "the", "order", "sends", "a", "reminder", "to", "customer", "and", "updates",
          "record", "warehouse", "confirmation", "payment", "schedules", "courier", "with", "signature")


def generated_blueprint(steps: int = 60, seed: int = 7) -> str:
    """A blueprint of ``steps`` steps whose lanes are occupied at random (seeded)."""
    rng = random.Random(seed)
    out = [
        'blueprint "Generated" {',
        '  scenario "Random lane occupancy"',
        '  persona "Anyone"',
        '  actor c customer "Customer"',
        '  role f frontstage "Clerk"',
        '  role b backstage "Back office"',
        '  system s support "System"',
    ]
    ids: list[tuple[int, str]] = []
    step = 0
    stage = 0
    while step < steps:
        stage += 1
        length = min(rng.randint(1, 6), steps - step)
        out.append(f'  stage st{stage} "Stage {stage}" {{')
        for _ in range(length):
            step += 1
            out.append(f'    step s{step} "Step {step} {rng.choice(_WORDS)}" {{')
            if rng.random() < 0.7:
                out.append(f'      evidence "Evidence {step}"' + (', "Form"' if rng.random() < 0.3 else ""))
            for actor, weight in (("c", 0.8), ("f", 0.5), ("b", 0.5), ("s", 0.4)):
                for number in range(rng.choice((1, 1, 2, 3)) if rng.random() < weight else 0):
                    name = f"a{step}{actor}{number}"
                    words = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(1, 12)))
                    extra = ""
                    if rng.random() < 0.15:
                        extra += ' fail "It breaks" safe "A fallback" owner f'
                    if actor == "c" and rng.random() < 0.2:
                        extra += f" wait {rng.randint(1, 9)}min"
                    out.append(f'      {actor}: "{words.capitalize()}" as {name}{extra}')
                    ids.append((step, name))
            if rng.random() < 0.2:
                out.append('      metric "Done within a day"')
            out.append("    }")
        out.append("  }")
    for _ in range(steps):
        (first_step, first), (second_step, second) = rng.sample(ids, 2)
        if abs(first_step - second_step) > 3:
            continue
        arrow = "<->" if rng.random() < 0.3 else "->"
        loop = " loop" if second_step < first_step else ""
        out.append(f"  {first} {arrow} {second}{loop}")
    out.append("}")
    return "\n".join(out) + "\n"


# ---- text as Graphviz measures it ------------------------------------------------------


@dataclass(frozen=True)
class Drawn:
    """An element with an id, and each line of text Graphviz drew in it."""

    id: str
    rect: Rect
    lines: tuple[tuple[str, Rect], ...]

    def text(self, line: str) -> Rect:
        return next(rect for text, rect in self.lines if text == line)


def _text_rect(x: float, baseline: float, align: str, width: float, size: float) -> Rect:
    # Arial's (and Helvetica's) cap height and descender, in shares of the font size.
    left = {"l": x, "c": x - width / 2, "r": x - width}[align]
    return Rect(left, baseline - 0.72 * size, left + width, baseline + 0.21 * size)


def read_json(data: bytes) -> tuple[Rect, dict[str, Drawn]]:
    """The page and every element with an id, from Graphviz's ``-Tjson``, in page coordinates.

    The SVG says where a line of text starts but not how wide it is; the JSON gives the
    width Graphviz measured with the font it drew in.
    """
    graph = json.loads(data)
    _, _, page_width, page_height = (float(n) for n in graph["bb"].split(","))
    drawn: dict[str, Drawn] = {}
    for item in graph.get("objects", []) + graph.get("edges", []):
        if "id" not in item:
            continue
        lines, size = [], 14.0
        for op in item.get("_ldraw_", []):
            if op["op"] == "F":
                size = op["size"]
            elif op["op"] == "T":
                x, y = op["pt"]
                lines.append((op["text"], _text_rect(x, page_height - y, op["align"], op["width"], size)))
        if "bb" in item:  # a cluster
            x0, y0, x1, y1 = (float(n) for n in item["bb"].split(","))
            rect = Rect(x0, page_height - y1, x1, page_height - y0)
        elif "pos" in item and "width" in item:  # a node
            x, y = (float(n) for n in item["pos"].split(","))
            half_width, half_height = float(item["width"]) * 36, float(item["height"]) * 36
            rect = Rect(x - half_width, page_height - y - half_height, x + half_width, page_height - y + half_height)
        elif lines:  # an edge: the box of its label
            rect = Rect(min(r.left for _, r in lines), min(r.top for _, r in lines),
                        max(r.right for _, r in lines), max(r.bottom for _, r in lines))
        else:
            continue
        drawn[item["id"]] = Drawn(id=item["id"], rect=rect, lines=tuple(lines))
    return Rect(0.0, 0.0, page_width, page_height), drawn


# ---- the lines of the flows ------------------------------------------------------------

Point = tuple[float, float]


@dataclass(frozen=True)
class FlowLine:
    """A flow as Graphviz drew it: its cubic Bézier pieces and its arrowheads, in page
    coordinates; and the leader from its label, if it has one: where the line starts,
    and the centre of the dot it ends in."""

    id: str
    curves: tuple[tuple[Point, Point, Point, Point], ...]
    heads: tuple[tuple[Point, ...], ...]
    leader: tuple[Point, Point] | None = None


def read_flows(data: bytes) -> dict[str, FlowLine]:
    """Every flow of an SVG (a group of class ``flow``), by id, with the leader from its
    label (class ``flow-leader``, drawn after its flow)."""
    root = ET.fromstring(data)
    dx, dy = page_shift(root)
    flows: dict[str, FlowLine] = {}
    for group in root.iter(f"{SVG}g"):
        classes = group.get("class", "").split()
        if "flow-leader" in classes:
            (x, y), *_ = _points(group.find(f"{SVG}path"))
            (left, top), (right, bottom) = _points(group.find(f"{SVG}ellipse"))
            dot = ((left + right) / 2 + dx, (top + bottom) / 2 + dy)
            key = group.get("id").removesuffix("-leader")
            flows[key] = replace(flows[key], leader=((x + dx, y + dy), dot))
        if "flow" not in classes:
            continue
        path = [(x + dx, y + dy) for x, y in _points(group.find(f"{SVG}path"))]
        curves = tuple(tuple(path[i:i + 4]) for i in range(0, len(path) - 3, 3))
        heads = tuple(tuple((x + dx, y + dy) for x, y in _points(polygon))
                      for polygon in group.findall(f"{SVG}polygon"))
        flows[group.get("id")] = FlowLine(id=group.get("id"), curves=curves, heads=heads)
    return flows


def is_straight(curve: tuple[Point, Point, Point, Point]) -> bool:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = curve
    return all(abs((x3 - x0) * (y - y0) - (y3 - y0) * (x - x0)) < 0.05 for x, y in ((x1, y1), (x2, y2)))


def line_segments(flow: FlowLine) -> list[tuple[Point, Point]]:
    """A flow's line as straight segments: its straight pieces whole, its rounded corners in eight."""
    segments = []
    for curve in flow.curves:
        if is_straight(curve):
            segments.append((curve[0], curve[3]))
        else:
            points = [_bezier(curve, n / 8) for n in range(9)]
            segments += list(zip(points, points[1:]))
    return segments


def _bezier(curve: tuple[Point, Point, Point, Point], t: float) -> Point:
    weights = ((1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t ** 2, t ** 3)
    return (sum(w * x for w, (x, _) in zip(weights, curve)), sum(w * y for w, (_, y) in zip(weights, curve)))


def crosses(a: Point, b: Point, rect: Rect) -> bool:
    """Whether the segment ``a``-``b`` enters the inside of ``rect`` (its border may be touched)."""
    inner = (rect.left + 0.5, rect.top + 0.5, rect.right - 0.5, rect.bottom - 0.5)
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


def point_to_segment(point: Point, a: Point, b: Point) -> float:
    """How far ``point`` is from the segment ``a``-``b``."""
    return math.dist(point, nearest_on_segment(point, a, b))


def nearest_on_segment(point: Point, a: Point, b: Point) -> Point:
    """The point of the segment ``a``-``b`` nearest ``point``."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    share = ((point[0] - a[0]) * dx + (point[1] - a[1]) * dy) / (dx * dx + dy * dy) if dx or dy else 0.0
    share = min(max(share, 0.0), 1.0)
    return (a[0] + share * dx, a[1] + share * dy)


def rect_to_segment(rect: Rect, a: Point, b: Point) -> float:
    """How far the segment ``a``-``b`` (or the point, when ``a`` is ``b``) is from ``rect``:
    0 where it touches or enters it."""
    if a != b and crosses(a, b, rect):
        return 0.0
    corners = ((rect.left, rect.top), (rect.right, rect.top), (rect.left, rect.bottom), (rect.right, rect.bottom))
    ends = [math.hypot(max(rect.left - x, 0, x - rect.right), max(rect.top - y, 0, y - rect.bottom)) for x, y in (a, b)]
    return min(ends + [point_to_segment(corner, a, b) for corner in corners])
