"""The SVG looks like a blueprint: read the coordinates back and check the grid.

For every example and for a generated blueprint of 60 steps with random lane
occupancy: lanes are bands in the canonical order, each action lies in its lane's
band, the actions of a step share a column, columns follow the steps, stage headers
span their steps, and the three lines of the method lie between their lanes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from blueprint_dsl import Lane, load, loads
from blueprint_dsl.model import LINES, Blueprint
from blueprint_dsl.render import FORMATS, RenderOptions
from tests.render_geometry import SVG, Element, Rect, generated_blueprint, page_shift, read_svg

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.svc"))
CANONICAL = [lane.value for lane in Lane]


def _example(path: Path) -> Blueprint:
    result = load(path)
    assert result.ok, [str(d) for d in result.diagnostics]
    return result.blueprint


def _generated() -> Blueprint:
    result = loads(generated_blueprint(steps=60, seed=7), "generated.svc")
    assert result.ok, [str(d) for d in result.diagnostics]
    return result.blueprint


CASES = [pytest.param(path, id=path.stem) for path in EXAMPLES] + [pytest.param("generated", id="generated-60")]


@pytest.fixture(scope="module", params=CASES)
def drawn(request) -> tuple[Blueprint, dict[str, Element]]:
    blueprint = _generated() if request.param == "generated" else _example(request.param)
    _, elements = read_svg(FORMATS["svg"].render(blueprint, RenderOptions()))
    return blueprint, elements


#: The height of a capital above the baseline, as a share of the font's size (Liberation Sans, Arial).
CAP_HEIGHT = 0.72


def _off_middle(top: float, bottom: float, text: ET.Element, dy: float) -> float:
    """How far the middle of a line's capitals lies from the middle of the box from ``top`` to ``bottom``."""
    baseline = float(text.get("y")) + dy
    return baseline - CAP_HEIGHT * float(text.get("font-size")) / 2 - (top + bottom) / 2


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_one_line_labels_sit_in_the_middle_of_their_boxes(path):
    """Stage and step headers, emotions, and Shostack's F and W markers on the cards and in
    the legend: Graphviz centres a line's box, whose foot is room for descenders, and their
    letters sat 2 pt high."""
    root, elements = read_svg(FORMATS["svg"].render(_example(path), RenderOptions()))
    dy = page_shift(root)[1]
    offsets = {}
    for element in elements.values():
        texts = element.node.findall(f"{SVG}text")
        if {"stage", "step", "row-emotion"} & set(element.classes) and len(texts) == 1:
            offsets[element.id] = _off_middle(element.rect.top, element.rect.bottom, texts[0], dy)
        shapes = list(element.node)
        for shape, text in zip(shapes, shapes[1:]):
            # A marker: a filled shape, then its letter drawn on it.
            if shape.tag == f"{SVG}path" and text.tag == f"{SVG}text" and text.text.split()[0] in ("F", "W"):
                ys = [y + dy for y in map(float, re.findall(r"-?\d+(?:\.\d+)?", shape.get("d"))[1::2])]
                offsets[f"{element.id}: {text.text.strip()}"] = _off_middle(min(ys), max(ys), text, dy)
    assert any(key.startswith("legend: F") for key in offsets) and any("stage" in key for key in offsets)
    assert {key: round(off, 2) for key, off in offsets.items() if abs(off) > 0.75} == {}


def test_there_are_examples_and_a_big_case():
    assert EXAMPLES, "no examples found"
    blueprint = _generated()
    assert len(blueprint.steps) == 60
    occupancy = {tuple(bool(step.actions_in(lane)) for lane in Lane) for step in blueprint.steps}
    assert len(occupancy) > 5, "the generated lanes are not occupied at random"


def test_every_action_is_drawn_with_its_id_lane_and_stage(drawn):
    blueprint, elements = drawn
    for action in blueprint.actions():
        element = elements.get(f"action-{action.id}")
        assert element is not None, f"action {action.id} is not in the SVG"
        assert {"action", f"lane-{action.lane.value}", f"stage-{action.stage}"} <= set(element.classes)


def test_lanes_are_full_width_bands_in_canonical_order(drawn):
    _, elements = drawn
    bands = [elements[f"lane-{key}"].rect for key in CANONICAL]
    for upper, lower in zip(bands, bands[1:]):
        assert upper.bottom <= lower.top, "lanes overlap or are out of order"
    assert len({(round(b.left), round(b.right)) for b in bands}) == 1, "lanes differ in width"
    cards = [e.rect for e in elements.values() if "action" in e.classes or "evidence" in e.classes]
    assert all(bands[0].left <= c.left and c.right <= bands[0].right for c in cards)


def test_each_action_lies_inside_its_lane(drawn):
    blueprint, elements = drawn
    for action in blueprint.actions():
        card = elements[f"action-{action.id}"].rect
        band = elements[f"lane-{action.lane.value}"].rect
        assert card.inside(band), f"{action.id} ({action.lane.value}) is outside its band: {card} vs {band}"
    evidence = [e for e in elements.values() if "evidence" in e.classes]
    assert evidence and all(e.rect.inside(elements["lane-evidence"].rect) for e in evidence)


def _columns(blueprint: Blueprint, elements: dict[str, Element]) -> list[list[Rect]]:
    """The drawn boxes of each step: its label, its evidence and its actions."""
    columns = []
    for step in blueprint.steps:
        boxes = [elements[f"step-{step.id}"].rect]
        boxes += [elements[f"action-{a.id}"].rect for a in step.actions]
        boxes += [e.rect for key, e in elements.items() if key.startswith(f"evidence-{step.id}-")]
        columns.append(boxes)
    return columns


def test_actions_of_one_step_share_a_column(drawn):
    blueprint, elements = drawn
    for step, boxes in zip(blueprint.steps, _columns(blueprint, elements)):
        centres = [box.centre_x for box in boxes]
        assert max(centres) - min(centres) <= 2, f"step {step.id} is not one column: {centres}"


def test_columns_follow_step_order_and_do_not_overlap(drawn):
    blueprint, elements = drawn
    columns = _columns(blueprint, elements)
    for before, after in zip(columns, columns[1:]):
        assert max(b.right for b in before) < min(b.left for b in after)


def test_cards_in_one_cell_are_stacked_not_overlapping(drawn):
    _, elements = drawn
    cards = [e.rect for e in elements.values() if {"action", "evidence", "annotation"} & set(e.classes)]
    for index, card in enumerate(cards):
        for other in cards[index + 1:]:
            assert not card.overlaps(other), f"{card} overlaps {other}"


def test_stage_headers_span_their_steps(drawn):
    blueprint, elements = drawn
    columns = dict(zip((step.id for step in blueprint.steps), _columns(blueprint, elements)))
    order = [step.id for step in blueprint.steps]
    stages = [stage for stage in blueprint.stages if stage.steps]
    assert stages
    for stage in stages:
        header = elements[f"stage-{stage.id}"].rect
        first, last = order.index(stage.steps[0].id), order.index(stage.steps[-1].id)
        assert header.left <= min(b.left for b in columns[order[first]])
        assert header.right >= max(b.right for b in columns[order[last]])
        if first > 0:
            assert header.left > max(b.right for b in columns[order[first - 1]])
        if last < len(order) - 1:
            assert header.right < min(b.left for b in columns[order[last + 1]])
        assert header.bottom <= elements["lane-evidence"].rect.top


def test_lines_lie_between_their_lanes_and_span_the_width(drawn):
    _, elements = drawn
    width = elements["lane-customer"].rect
    for line in LINES:
        element = elements["-".join(line.name.lower().split())]
        assert element.rect.top == pytest.approx(element.rect.bottom, abs=0.1), "a line is not horizontal"
        assert elements[f"lane-{line.above.value}"].rect.bottom <= element.rect.top
        assert element.rect.bottom <= elements[f"lane-{line.below.value}"].rect.top
        assert element.rect.left <= width.left + 1 and element.rect.right >= width.right - 1
        assert line.name in element.text
    # As the HTML page draws them: interaction solid, visibility dashed, internal interaction dotted.
    dashes = [next((child.get("stroke-dasharray") for child in elements[line.key].node
                    if child.get("stroke-dasharray")), None) for line in LINES]
    assert dashes == [None, "5,2", "1,5"]


def test_flows_start_and_end_at_their_cards(drawn):
    blueprint, elements = drawn
    flows = [e for e in elements.values() if "flow" in e.classes]
    assert len(flows) == len(blueprint.flows)
    index = blueprint.action_index()
    for element, flow in zip(sorted(flows, key=lambda e: int(e.id.split("-")[1])), blueprint.flows):
        source = elements[f"action-{index[flow.source].id}"].rect
        target = elements[f"action-{index[flow.target].id}"].rect
        union = Rect(min(source.left, target.left) - 60, min(source.top, target.top) - 300,
                     max(source.right, target.right) + 60, max(source.bottom, target.bottom) + 300)
        assert element.rect.inside(union), f"{element.id} wanders off: {element.rect}"
        assert ("two-way" in element.classes) == flow.two_way
