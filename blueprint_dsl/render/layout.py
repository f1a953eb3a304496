"""The grid of a blueprint: which row and column every item takes, and where.

Every decision about order, grouping, wrapping and geometry is made here, in points,
with the origin at the top left and y growing downwards. A backend only draws what
this module placed, so the columns line up because they are computed, not hoped for.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from typing import TYPE_CHECKING

from ..model import LINES, Action, Blueprint, Flow, Lane
from . import flow_caption, is_rework
from .grid import Box, Card, CardText, ChangeList, Column, FlowEdge, Grid, LineRule, Row, StageHeader, TitleBlock
from .labels import LABEL_CLEARANCE
from .metrics import text_width, wrap
from .routes import ARROW, Request, Space, route_all

if TYPE_CHECKING:
    from .decorate import Decoration

# ---- sizes, in points ---------------------------------------------------------------

MARGIN = 16.0
HEAD_WIDTH = 124.0  # the column of lane titles at the left
CARD_WIDTH = 150.0
COLUMN_GAP = 38.0  # room between columns for the flows to run in
PITCH = CARD_WIDTH + COLUMN_GAP
FONT_SIZE = 10.0
SMALL_SIZE = 8.0
LEADING = 12.5
SMALL_LEADING = 10.5
CARD_PAD = 6.0
BADGE_HEIGHT = 15.0
STACK_GAP = 10.0
ROW_PAD = 12.0
MIN_ROW_HEIGHT = 44.0
LINE_GAP = 26.0  # between two lanes split by a line of the method
BAND_GAP = 8.0  # between other rows
STAGE_HEIGHT = 24.0  # of a header whose name takes one line
STAGE_LEADING = 13.0
FLOW_LABEL_WIDTH = 100.0
TITLE_WIDTH = 540.0
LEGEND_WIDTH = 230.0

#: The annotation rows, drawn under the lanes in this order when a blueprint has them.
ANNOTATION_ROWS = {
    "emotion": "Customer emotion",
    "time": "Time",
    "metric": "Metrics",
    "policy": "Policies",
}


def safe_name(text: str) -> str:
    """Identifier characters only, so the name is safe in any attribute."""
    return re.sub(r"[^A-Za-z0-9_]", "_", text)


#: Graphviz reads no name or string longer than about 16,000 characters: an id longer
#: than this is cut, and told apart from the others cut alike by a hash of the whole.
ID_LIMIT = 200


def element_id(kind: str, *parts: str) -> str:
    """An SVG id such as ``action-take_order``, stable across runs; at most ID_LIMIT long."""
    whole = "-".join((kind, *(safe_name(part) for part in parts)))
    if len(whole) <= ID_LIMIT:
        return whole
    import hashlib  # here: ids are rarely this long

    digest = hashlib.sha256(whole.encode("utf-8")).hexdigest()[:16]
    return f"{whole[: ID_LIMIT - len(digest) - 1]}-{digest}"


# ---- deciding the grid ----------------------------------------------------------------


def _height(item: CardText) -> float:
    size = LEADING if item.kind != "evidence" else SMALL_LEADING + 1
    height = 2 * CARD_PAD + len(item.lines) * size
    if item.fail or item.wait:
        height += BADGE_HEIGHT + 2
    height += len(item.fail_lines) * SMALL_LEADING
    if item.footer:
        height += len(item.footer) * SMALL_LEADING + 2
    if item.status and item.kind == "action":
        height += SMALL_LEADING + 1  # the word saying what changed, for readers without colour
    return max(height, 26.0)


def layout(blueprint: Blueprint, decoration: Decoration | None = None) -> Grid:
    """Place every item of ``blueprint`` on the grid, coloured by ``decoration`` when it is a diff."""
    steps = blueprint.steps
    marks = _Marks(decoration)
    items = _items(blueprint, marks)
    row_keys = [lane.value for lane in Lane]
    row_keys += [key for key in ANNOTATION_ROWS if any(item.row == key for item in items)]

    grid_left = MARGIN
    content_left = MARGIN + HEAD_WIDTH
    # A little room right of the last column, for flows that run down its gutter; and
    # bands as wide as the page when the title block is wider than the columns.
    width = max(content_left + max(len(steps), 1) * PITCH + COLUMN_GAP / 2,
                MARGIN + TITLE_WIDTH + 24 + LEGEND_WIDTH) + MARGIN
    grid_right = width - MARGIN

    title = _title_block(blueprint)
    legend = Box(width - MARGIN - LEGEND_WIDTH, MARGIN, LEGEND_WIDTH,
                 LEGEND_HEIGHT + (DIFF_LEGEND_HEIGHT if decoration is not None else 0))
    y = MARGIN + max(title.box.height, legend.height) + 14

    stages = _stage_headers(blueprint, content_left, y, marks)
    y += max((header.box.height for header in stages), default=STAGE_HEIGHT) + 4
    columns = []
    for index, step in enumerate(steps):
        left = content_left + index * PITCH
        label = () if marks.placeholder(step.id) else wrap(step.label or step.id, CARD_WIDTH, SMALL_SIZE + 1, bold=True)
        columns.append(Column(index=index, step=step, left=left, right=left + PITCH, label=label,
                              label_box=Box(left + COLUMN_GAP / 2, y, CARD_WIDTH, 0),
                              status=marks.status("step", step.id)))
    label_height = max([1] + [len(c.label) for c in columns]) * SMALL_LEADING + 8
    columns = [_with_label_height(c, label_height) for c in columns]
    y += label_height + 8

    rows, cards = [], []
    gaps = _gaps_below(blueprint, items, marks)
    items_by_row: dict[str, list[CardText]] = {}
    for item in items:
        items_by_row.setdefault(item.row, []).append(item)
    for position, key in enumerate(row_keys):
        if position:
            y += LINE_GAP if _line_between(row_keys[position - 1], key) else BAND_GAP
        stacks: list[list[CardText]] = [[] for _ in columns]
        for item in items_by_row.get(key, ()):
            stacks[item.column].append(item)
        height = max([MIN_ROW_HEIGHT] + [_stack_height(stack, gaps) + 2 * ROW_PAD for stack in stacks])
        for column, stack in zip(columns, stacks):
            top = y + (height - _stack_height(stack, gaps)) / 2
            for item in stack:
                card_width = CARD_WIDTH if item.kind != "evidence" else CARD_WIDTH - 16
                box = Box(column.centre_x - card_width / 2, top, card_width, _height(item))
                cards.append(_placed(item, box))
                top += _height(item) + gaps.get(item.id, STACK_GAP)
        lane = Lane(key) if key in {lane.value for lane in Lane} else None
        title_text = lane.title if lane else ANNOTATION_ROWS[key]
        rows.append(Row(key=key, lane=lane, title=wrap(title_text, HEAD_WIDTH - 16, FONT_SIZE + 1, bold=True),
                        box=Box(grid_left, y, grid_right - grid_left, height)))
        y += height

    lines = []
    for line in LINES:
        above = next(r for r in rows if r.key == line.above.value)
        below = next(r for r in rows if r.key == line.below.value)
        lines.append(LineRule(line=line, id=line.key,
                              y=(above.box.bottom + below.box.top) / 2, left=grid_left, right=grid_right))

    boxes: dict[int, list[Box]] = {c.index: [] for c in columns}
    for card in cards:
        boxes[card.column].append(card.box)
    space = Space(
        cards=boxes,
        gutters=tuple(content_left + index * PITCH for index in range(len(columns) + 1)),
        half_gutter=COLUMN_GAP / 2, top=rows[0].box.top, bottom=rows[-1].box.bottom, left=content_left,
        right=grid_right, avoid=tuple(line.y for line in lines),
        strips=tuple((upper.box.bottom - ROW_PAD + 2, lower.box.top + ROW_PAD - 2)
                     for upper, lower in zip(rows, rows[1:])),
    )
    changes = _change_list(decoration, grid_left, y + 18, grid_right - grid_left) if decoration else None
    if changes is not None:
        y = changes.box.bottom
    return Grid(width=width, height=y + MARGIN, title=title, legend=legend, stages=tuple(stages),
                columns=tuple(columns), rows=tuple(rows), cards=tuple(cards), lines=tuple(lines),
                flows=_flows(blueprint, cards, space, marks), changes=changes)


def _line_between(upper: str, lower: str) -> bool:
    return any(line.above.value == upper and line.below.value == lower for line in LINES)


def _stage_headers(blueprint: Blueprint, content_left: float, top: float, marks: _Marks) -> tuple[StageHeader, ...]:
    """A header over the columns of each stage, its name wrapped to the header's width.

    The headers are one band: all as tall as the one whose name takes the most lines.
    """
    columns: dict[str, list[int]] = {}
    for index, step in enumerate(blueprint.steps):
        columns.setdefault(step.stage, []).append(index)
    spans = []
    for stage in blueprint.stages:
        if stage.id not in columns:
            continue  # an empty stage has no columns to head
        left = content_left + columns[stage.id][0] * PITCH + 3
        right = content_left + (columns[stage.id][-1] + 1) * PITCH - 3
        spans.append((stage, left, right, wrap(stage.name, right - left - 8, FONT_SIZE + 1, bold=True)))
    height = STAGE_HEIGHT + (max((len(label) for *_, label in spans), default=1) - 1) * STAGE_LEADING
    return tuple(StageHeader(stage=stage, id=marks.element_id("stage", stage.id), label=label,
                             box=Box(left, top, right - left, height), status=marks.status("stage", stage.id))
                 for stage, left, right, label in spans)


def _stack_height(stack: list[CardText], gaps: dict[str, float]) -> float:
    return sum(_height(item) for item in stack) + sum(gaps.get(item.id, STACK_GAP) for item in stack[:-1])


def _gaps_below(blueprint: Blueprint, items: list[CardText], marks: _Marks) -> dict[str, float]:
    """The room under each card that a flow joins to the card stacked right under it, by the
    upper card's id. The first such flow runs straight between the two (routes.py), and
    its arrowheads, a stretch of line between them and its label, which has no other
    place as near, must fit in the gap."""
    under: dict[str, str] = {}
    for upper, lower in zip(items, items[1:]):
        if (upper.row, upper.column) == (lower.row, lower.column):
            under[upper.id] = lower.id
    gaps: dict[str, float] = {}
    for flow in blueprint.flows:
        ends = marks.element_id("action", flow.source), marks.element_id("action", flow.target)
        upper = next((a for a, b in (ends, ends[::-1]) if under.get(a) == b), None)
        if upper is None or upper in gaps:
            continue
        # Its heads and a stretch of line as long as a head, so that it reads as an arrow.
        arrows = (3 if flow.two_way else 2) * ARROW
        label = _flow_label(flow, flow.loop)
        room = len(label) * SMALL_LEADING + 2 * LABEL_CLEARANCE + 2 if label else 0.0
        gaps[upper] = max(STACK_GAP, arrows, room)
    return gaps


def _with_label_height(column: Column, height: float) -> Column:
    box = column.label_box
    return dataclasses.replace(column, label_box=Box(box.left, box.top, box.width, height))


def _placed(item: CardText, box: Box) -> Card:
    return Card(**{f.name: getattr(item, f.name) for f in dataclasses.fields(item)}, box=box)


def _items(blueprint: Blueprint, marks: _Marks) -> list[CardText]:
    """Every card of the grid, in a stable order: column by column, in source order."""
    actors = blueprint.actor_index()
    items: list[CardText] = []
    for column, step in enumerate(blueprint.steps):
        stage_class = element_id("stage", step.stage)
        ghost = marks.status("step", step.id) == "removed"
        evidence_classes = ("evidence", "lane-evidence", stage_class) + (("diff-removed",) if ghost else ())
        for number, text in enumerate((e.text for e in step.evidence_shown()), 1):
            items.append(CardText(kind="evidence", id=marks.element_id("evidence", step.id, str(number), entity="step"),
                                  row="evidence", column=column, lines=wrap(text, CARD_WIDTH - 34, SMALL_SIZE + 1),
                                  text=text, classes=evidence_classes, status="removed" if ghost else None))
        for lane in Lane:
            for action in step.actions_in(lane):
                items.append(_action_item(action, column, stage_class, actors, marks))
        for action in step.actions:
            if action.emotion is not None:
                items.append(CardText(kind="emotion", id=element_id("emotion", action.id), row="emotion",
                                   column=column, lines=(action.emotion.value,), action=action,
                                   classes=("annotation", "row-emotion", f"emotion-{action.emotion.value}",
                                            stage_class)))
        counts: dict[str, int] = {}
        for annotation in step.annotations:
            counts[annotation.row] = counts.get(annotation.row, 0) + 1
            items.append(CardText(kind="annotation",
                               id=element_id("annotation", annotation.row, step.id, str(counts[annotation.row])),
                               row=annotation.row, column=column,
                               lines=wrap(annotation.text, CARD_WIDTH - 12, FONT_SIZE - 1), text=annotation.text,
                               classes=("annotation", f"row-{annotation.row}", stage_class)))
    return items


def _action_item(action: Action, column: int, stage_class: str, actors: dict, marks: _Marks) -> CardText:
    actor = actors.get(action.actor)
    footer = actor.name if actor is not None else action.actor
    if action.duration is not None:
        footer = f"{_isolated(footer)} \u00b7 {action.duration}"
    fail_lines = wrap(action.fail.description, CARD_WIDTH - 14, SMALL_SIZE) if action.fail else ()
    status = marks.status("action", action.id)
    classes = ("action", f"lane-{action.lane.value}", stage_class) + ((f"diff-{status}",) if status else ())
    # The footer may come nearer the border than the text above it: small and muted, it
    # reads well that close, and an actor's name with a duration mostly keeps to one line.
    footer_lines = wrap(footer, CARD_WIDTH - 10, SMALL_SIZE) if footer else ()
    return CardText(kind="action", id=marks.element_id("action", action.id), row=action.lane.value, column=column,
                    lines=wrap(action.text, CARD_WIDTH - 14, FONT_SIZE), action=action, fail=action.fail is not None,
                    wait=str(action.wait) if action.wait is not None else None, fail_lines=fail_lines,
                    footer=footer_lines, classes=classes, status=status)


def _isolated(name: str) -> str:
    """``name`` isolated in its own direction when it is written right to left: else, in a
    line drawn left to right, the duration after it joins its run (a Hebrew name with 30s
    reads "30 \u00b7 name" then "s")."""
    if any(unicodedata.bidirectional(character) in ("R", "AL") for character in name):
        return f"\u2068{name}\u2069"  # FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE
    return name


def _flows(blueprint: Blueprint, cards: list[Card], space: Space, marks: _Marks) -> tuple[FlowEdge, ...]:
    placed = {card.id: card for card in cards}
    drawn, requests = [], []
    for number, flow in enumerate(blueprint.flows, 1):
        source = placed.get(marks.element_id("action", flow.source))
        target = placed.get(marks.element_id("action", flow.target))
        if source is None or target is None:
            continue  # reported by the resolver; nothing to draw
        loop = is_rework(flow, source.column, target.column)
        label = _flow_label(flow, loop)
        size = (max((text_width(line, SMALL_SIZE) for line in label), default=0.0), len(label) * SMALL_LEADING)
        requests.append(Request(source=source.box, source_column=source.column, target=target.box,
                                target_column=target.column, start_arrow=flow.two_way, end_arrow=True, label=size))
        drawn.append((number, flow, source.id, target.id, loop, label))
    return tuple(FlowEdge(flow=flow, id=f"flow-{number}", source=source, target=target, loop=loop, label=label,
                          route=route, status=marks.flow_status(number - 1))
                 for (number, flow, source, target, loop, label), route in zip(drawn, route_all(space, requests)))


def _flow_label(flow: Flow, loop: bool) -> tuple[str, ...]:
    """The wrapped lines of a flow's label (``flow_caption``)."""
    text = flow_caption(flow.label, loop)
    return wrap(text, FLOW_LABEL_WIDTH, SMALL_SIZE) if text else ()


# ---- title block and legend -------------------------------------------------------------

TITLE_SIZE = 18.0
LEGEND_HEIGHT = 132.0
DIFF_LEGEND_HEIGHT = 68.0  # four more entries: added, changed, moved, removed


def _title_block(blueprint: Blueprint) -> TitleBlock:
    facts = []
    for name, value in (
        ("Scenario", blueprint.scenario),
        ("Persona", blueprint.persona),
        ("Segment", blueprint.segment),
        ("Owner", blueprint.owner),
        ("Version", blueprint.version),
        ("Tolerance", str(blueprint.tolerance) if blueprint.tolerance else None),
    ):
        if value:
            facts.append((name, wrap(value, TITLE_WIDTH - 90, FONT_SIZE)))
    title = wrap(blueprint.title, TITLE_WIDTH - 16, TITLE_SIZE, bold=True)
    height = 12 + len(title) * (TITLE_SIZE + 4) + sum(len(lines) for _, lines in facts) * LEADING + 6
    return TitleBlock(box=Box(MARGIN, MARGIN, TITLE_WIDTH, height), title=title, facts=tuple(facts))


# ---- a diff's marks and its change list ---------------------------------------------------


class _Marks:
    """The statuses a decoration gives, asked by entity and id; nothing when there is no diff."""

    def __init__(self, decoration: Decoration | None) -> None:
        self.decoration = decoration

    def status(self, entity: str, node_id: str) -> str | None:
        if self.decoration is None:
            return None
        return getattr(self.decoration, entity + "s").get(node_id)

    def placeholder(self, step_id: str) -> bool:
        """Whether the step is the empty column that keeps a removed stage's place."""
        return self.decoration is not None and step_id in self.decoration.placeholders

    def flow_status(self, index: int) -> str | None:
        """The status of the blueprint's flow at ``index``."""
        return self.decoration.flows[index] if self.decoration is not None else None

    def element_id(self, kind: str, node_id: str, *parts: str, entity: str | None = None) -> str:
        """``action-ID``, or ``ghost-action-ID`` for a removed item drawn in its old place."""
        ghost = self.status(entity or kind, node_id) == "removed"
        return element_id(f"ghost-{kind}" if ghost else kind, node_id, *parts)


CHANGE_HEADING = 18.0


def _change_list(decoration: Decoration, left: float, top: float, width: float) -> ChangeList:
    counts = ", ".join(f"{n} {kind}" for kind, n in decoration.counts()) or "no semantic change"
    entries = []
    for item in decoration.items:
        title = wrap(f"{item.sign} {item.kind} {item.entity} {item.name}", width - 24, FONT_SIZE, bold=True)
        details = tuple(line for detail in item.details for line in wrap(detail, width - 48, SMALL_SIZE + 1))
        entries.append((item.status, title, details))
    lines = sum(len(title) + len(details) for _, title, details in entries)
    rows = sum(1 + bool(details) for _, _, details in entries)
    height = CHANGE_HEADING + lines * (LEADING - 2) + rows * 2 + 12
    return ChangeList(box=Box(left, top, width, height), heading=f"Changes: {counts}", entries=tuple(entries))
