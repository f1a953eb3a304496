"""Reading a rendered SVG back: the boxes of its elements, by id, in page coordinates.

Graphviz draws in a group translated down by the page height, with y negative; the
helpers here undo that, so y grows downwards as a reader sees the page. Graphviz's JSON
output is read back the same way, for the widths of the lines of text it drew.
"""

from __future__ import annotations

import json
import random
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

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
    """A flow as Graphviz drew it: its cubic Bézier pieces and its arrowheads, in page coordinates."""

    id: str
    curves: tuple[tuple[Point, Point, Point, Point], ...]
    heads: tuple[tuple[Point, ...], ...]


def read_flows(data: bytes) -> dict[str, FlowLine]:
    """Every flow of an SVG (a group of class ``flow``), by id."""
    root = ET.fromstring(data)
    dx, dy = page_shift(root)
    flows: dict[str, FlowLine] = {}
    for group in root.iter(f"{SVG}g"):
        if "flow" not in group.get("class", "").split():
            continue
        path = [(x + dx, y + dy) for x, y in _points(group.find(f"{SVG}path"))]
        curves = tuple(tuple(path[i:i + 4]) for i in range(0, len(path) - 3, 3))
        heads = tuple(tuple((x + dx, y + dy) for x, y in _points(polygon))
                      for polygon in group.findall(f"{SVG}polygon"))
        flows[group.get("id")] = FlowLine(id=group.get("id"), curves=curves, heads=heads)
    return flows
