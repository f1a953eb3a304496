"""A flow's label set far from its flow is joined to it by a leader: read the drawing back.

The leader starts at the label's box and ends, in a dot, on the flow's line; it crosses
no card and no other label where a straight line can pass beside them; it is drawn thin,
dotted, in the labels' colour and with no arrowhead, so that it is not read as a flow.
A label beside its flow has none (invariant g of ``test_svg_flows.py``, which checks it
for the crowded blueprints too).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from blueprint_dsl import loads
from blueprint_dsl.render import FORMATS, RenderOptions
from blueprint_dsl.render.themes import THEMES
from tests.render_geometry import SVG, FlowLine, Point, Rect, crosses, line_segments, point_to_segment, rect_to_segment
from tests.test_svg_flows import CARD_KINDS, CLEAN, FAR, drawing, leader_problems, problems, stacked

#: Two steps of a shop, their flows crowded round the clerk's answer: the label of its loop
#: is pushed past the line of visibility, into the backstage lane, while the label of the
#: flow down from the customer's question stays beside it.
COUNTER = """
blueprint "Counter" {
  actor c customer "Customer"
  role f frontstage "Clerk"
  stage s "S" {
    step one { c: "Asks" as ask  f: "Answers" as answer }
    step two { c: "Pays" as pay  f: "Takes the payment" as take }
  }
  ask -> ask : "thinks it over, then thinks it over again" loop
  ask -> pay : "goes to the till"
  answer -> take : "hands the bill"
  answer -> answer : "checks the stock once more" loop
  ask -> answer : "asks about the bill"
  answer -> ask : "tells the price"
}
"""

#: Three loops on one card, their labels stacked under one another beside them: the third
#: label's loop is above the second label.
REWORK = """
blueprint "Rework" {
  role office backstage "Office"
  stage s "S" {
    step one "One" { office: "Checks the form against the record" as check }
    step two "Two" { office: "Files it" as file }
  }
  check -> check loop
  check -> check : "fixes it" loop
  check -> check : "asks again" loop
}
"""

#: Forty labelled flows between two stacked cards: some labels go over the cards, and
#: one of those finds room only far from its flow.
STACKED = stacked(40)


def test_a_label_far_from_its_flow_is_joined_to_it_by_a_leader_and_one_beside_its_flow_is_not():
    assert problems(COUNTER) == CLEAN
    _, elements, flows = drawing(COUNTER)
    label, line = elements["flow-4"].rect, flows["flow-4"]
    assert _away(label, line) > FAR + 10, "the label of the loop is beside it: the case tests nothing"
    assert line.leader is not None, "the label across the line of visibility has no leader"
    start, dot = line.leader
    # Up from the middle of the top of the label to the loop above it.
    assert label.left < start[0] < label.right and abs(start[1] - label.top) <= 3
    assert dot[1] < start[1] and _off(dot, line) <= 1
    assert not _crosses_any(line.leader, _cards(elements))
    # Beside the line down from the customer's card, in the first place the labeller tries.
    beside, line = elements["flow-5"].rect, flows["flow-5"]
    assert _away(beside, line) < FAR and line.curves[0][0][0] < beside.left
    assert line.leader is None


def test_a_leader_passes_beside_another_label_rather_than_through_it():
    assert problems(REWORK) == CLEAN
    _, elements, flows = drawing(REWORK)
    label, line = elements["flow-3"].rect, flows["flow-3"]
    assert line.leader is not None
    _, dot = line.leader
    # Straight up from the middle of the label to its loop, a leader would run through the second label.
    assert _crosses_any(((label.centre_x, label.top), (label.centre_x, dot[1])), [elements["flow-2"].rect])
    others = [e.rect for key, e in elements.items() if key.startswith("flow-") and e.lines and key != "flow-3"]
    assert not _crosses_any(line.leader, others + _cards(elements))


def test_a_label_over_the_cards_far_from_its_flow_has_a_leader_from_its_background():
    _, elements, flows = drawing(STACKED)
    over = {key.removesuffix("-label"): e.rect for key, e in elements.items() if key.endswith("-label")}
    led = {key: rect for key, rect in over.items() if flows[key].leader is not None}
    assert led, "no label over the cards is far from its flow"
    labels = {key: e.rect for key, e in elements.items() if key.startswith("flow-") and e.lines}
    assert leader_problems(flows, labels) == []
    for key, rect in led.items():
        start, _ = flows[key].leader
        # On the border of the background it is drawn on, as Graphviz drew it.
        to_edge = min(abs(start[0] - rect.left), abs(start[0] - rect.right), abs(start[1] - rect.top),
                      abs(start[1] - rect.bottom))
        assert rect_to_segment(rect, start, start) <= 0.5 and to_edge <= 0.5, (key, start, rect)


@pytest.mark.parametrize("theme", sorted(THEMES))
def test_a_leader_is_not_drawn_as_a_flow(theme):
    """Thin, dotted, in the labels' muted colour, ending in a dot rather than an arrowhead."""
    result = loads(COUNTER)
    svg = FORMATS["svg"].render(result.blueprint, RenderOptions(theme=theme))
    assert svg == FORMATS["svg"].render(result.blueprint, RenderOptions(theme=theme))
    groups = {group.get("id"): group for group in ET.fromstring(svg).iter(f"{SVG}g")}
    leader, flow = groups["flow-4-leader"], groups["flow-4"]
    colours = THEMES[theme]
    assert leader.get("class").split() == ["edge", "flow-leader"]
    assert leader.findtext(f"{SVG}title") == flow.findtext(f"{SVG}title")
    path, flow_path = leader.find(f"{SVG}path"), flow.find(f"{SVG}path")
    assert path.get("stroke") == colours.muted and path.get("stroke") not in (colours.flow, colours.loop)
    assert path.get("stroke-dasharray") and path.get("stroke-dasharray") != flow_path.get("stroke-dasharray")
    assert float(path.get("stroke-width")) < float(flow_path.get("stroke-width"))
    assert leader.find(f"{SVG}polygon") is None
    (dot,) = leader.findall(f"{SVG}ellipse")
    assert dot.get("fill") == colours.muted and float(dot.get("rx")) <= 2


def _away(label: Rect, line: FlowLine) -> float:
    return min(rect_to_segment(label, a, b) for a, b in line_segments(line))


def _off(point: Point, line: FlowLine) -> float:
    return min(point_to_segment(point, a, b) for a, b in line_segments(line))


def _cards(elements: dict) -> list[Rect]:
    return [e.rect for key, e in elements.items() if key.startswith(CARD_KINDS)]


def _crosses_any(segment: tuple[Point, Point], rects: list[Rect]) -> bool:
    return any(crosses(*segment, rect) for rect in rects)


def test_a_leader_keeps_clear_of_another_label_where_it_can():
    """The shortest leader of a far label ran along the edge of the label next to it, and
    read as leading from that one; it now keeps leaders.CLEAR from other labels where it can."""
    from blueprint_dsl.render.labels import Labels
    from blueprint_dsl.render.leaders import _crosses, leader
    from blueprint_dsl.render.routes import Route, Space

    space = Space(cards={0: []}, gutters=(0.0, 1000.0), half_gutter=8.0, top=0.0, bottom=1000.0, left=0.0,
                  right=1000.0, avoid=(), strips=())
    straight_down = [(100.0, 100.0), (100.0, 300.0)]
    labels = Labels(space, [straight_down, [(0.0, 0.0), (1.0, 0.0)]], 2)
    labels.keep(0, (150.0, 180.0, 250.0, 190.0))  # this flow's label, 50 pt right of its route
    labels.keep(1, (110.0, 186.5, 140.0, 194.0))  # another's, a point and a half below the shortest way to it
    route = Route(spline=(straight_down[0], straight_down[0], straight_down[1], straight_down[1]),
                  start_tip=None, end_tip=None, label_at=(200.0, 185.0))
    start, end = leader(labels, 0, (150.0, 180.0, 250.0, 190.0), straight_down, route)
    other, near = labels.boxes[1], 3.0  # pt: as close as a line by a label reads as leading from it
    assert not _crosses(start, end, (other[0] - near, other[1] - near, other[2] + near, other[3] + near)), (start, end)
