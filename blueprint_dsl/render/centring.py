"""The SVG's centred lines of text anchored at their middle, where Graphviz centred them.

Graphviz places every line by its left end, found from the width of the font it measured
with. Where another font draws the line (a browser's, or a fallback for Chinese, Japanese,
Thai or emoji, which Graphviz measured as wider or narrower boxes), a line placed so would
start off centre, and run out of its box on one side. Anchored at its middle it stays
centred whatever draws it: the lines of the cards, of the stage and step headers, and the
flows' labels. Lines set from the left (the lanes' titles, the title block, the legend)
keep their left end, which no font moves.
"""

from __future__ import annotations

import re

from .grid import Grid

# A group whose lines are centred in its box: a card, a stage or step header, a flow's
# label drawn over the cards; and in it each shape and each line of text.
_BOXED = re.compile(
    r'<g id="[^"]+" class="(?:node (?:action|evidence|step|flow-label)|cluster stage)\b[^"]*">\n.*?\n</g>', re.S)
# A flow, whose label Graphviz centred on the point the layout chose for it.
_FLOW = re.compile(r'<g id="(?P<id>[^"]+)" class="edge flow\b[^"]*">\n.*?\n</g>', re.S)
_CARD_OUTLINE = re.compile(r'<g id="(?P<id>[^"]+)" class="node action\b[^"]*">\n<title>[^<]*</title>\n'
                           r'<(?:path|polygon) fill="[^"]*" stroke="[^"]*" (?:points|d)="(?P<shape>[^"]*)"')
_SHAPE_OR_TEXT = re.compile(
    r'<(?:path|polygon|polyline|ellipse) fill="([^"]*)"[^>]*>|<text text-anchor="start" x="([-\d.]+)"'
)
_TEXT = re.compile(r'<text text-anchor="start" x="[-\d.]+"')
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def centred_lines(svg: str, grid: Grid) -> str:
    """``svg`` with the lines Graphviz centred anchored at their middle."""
    svg = _BOXED.sub(_centred_in_box, svg)
    shift = _shift(svg, grid)
    if shift is None:
        return svg
    label_x = {edge.id: edge.route.label_at[0] + shift for edge in grid.flows
               if edge.label and not edge.route.label_on_top}

    def centred_label(flow: re.Match[str]) -> str:
        x = label_x.get(flow["id"])
        if x is None:
            return flow.group(0)
        return _TEXT.sub(f'<text text-anchor="middle" x="{x:.2f}"', flow.group(0))

    return _FLOW.sub(centred_label, svg)


def _centred_in_box(group: re.Match[str]) -> str:
    """The group's lines anchored at the middle of its box: a line is centred in the filled
    shape just before it (a card's badge), or else in the group's outline."""
    outline: float | None = None
    box: float | None = None

    def centred(match: re.Match[str]) -> str:
        nonlocal outline, box
        fill, x = match.groups()
        if x is None:
            centre = _centre(match.group(0))
            if outline is None:
                outline = centre
            elif fill != "none":
                box = centre
            return match.group(0)
        centre, box = (box if box is not None else outline), None
        if centre is None:
            return match.group(0)
        return f'<text text-anchor="middle" x="{centre:.2f}"'

    return _SHAPE_OR_TEXT.sub(centred, group.group(0))


def _centre(shape: str) -> float | None:
    """The middle, across, of a shape's points or path (its element, or the attribute's value)."""
    xs = [float(n) for n in _NUMBER.findall(shape.split(" points=")[-1].split(' d="')[-1])[0::2]]
    return (min(xs) + max(xs)) / 2 if xs else None


def _shift(svg: str, grid: Grid) -> float | None:
    """How far right of the layout's x Graphviz drew the drawing (it keeps the margins'
    corner points whole): found from the first card, which every drawing with flows has."""
    centres = {card.id: card.box.centre_x for card in grid.cards}
    for card in _CARD_OUTLINE.finditer(svg):
        drawn = _centre(card["shape"])
        if card["id"] in centres and drawn is not None:
            return drawn - centres[card["id"]]
    return None
