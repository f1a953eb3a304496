"""The placed grid: boxes in points, origin at the top left, y growing downwards.

What the layout decides and a backend draws; nothing here decides anything.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Action, Flow, Lane, Line, Stage, Step
from .routes import Route


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle of the drawing, in points from its top left corner."""

    left: float
    top: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def bottom(self) -> float:
        return self.top + self.height

    @property
    def centre_x(self) -> float:
        return self.left + self.width / 2

    @property
    def centre_y(self) -> float:
        return self.top + self.height / 2


@dataclass(frozen=True, slots=True, kw_only=True)
class Row:
    """A horizontal band: a lane of the method or an annotation row."""

    key: str
    title: tuple[str, ...]
    box: Box
    lane: Lane | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Column:
    """The column of one step, and the box of its label above the lanes."""

    index: int
    step: Step
    left: float
    right: float
    label: tuple[str, ...]
    label_box: Box
    #: In a diff: the step's status (``added``, ``changed``, ``moved``, ``removed`` for a ghost).
    status: str | None = None

    @property
    def centre_x(self) -> float:
        return (self.left + self.right) / 2


@dataclass(frozen=True, slots=True, kw_only=True)
class StageHeader:
    """A stage's header above its columns."""

    stage: Stage
    id: str
    label: tuple[str, ...]
    box: Box
    status: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CardText:
    """What a card says, and where in the grid it goes, before it has a place."""

    kind: str  # "action", "evidence", "annotation" or "emotion"
    id: str
    row: str
    column: int
    lines: tuple[str, ...]
    #: The text the lines were wrapped from, for the tooltip: wrapping splits long words.
    text: str = ""
    classes: tuple[str, ...]
    action: Action | None = None
    fail: bool = False
    wait: str | None = None
    fail_lines: tuple[str, ...] = ()
    #: Who acts, and for how long: under the text of an action.
    footer: tuple[str, ...] = ()
    status: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Card(CardText):
    """One drawn item in a cell: an action, a piece of evidence, an annotation."""

    box: Box


@dataclass(frozen=True, slots=True, kw_only=True)
class LineRule:
    """A line of the method, drawn across the width between its two lanes."""

    line: Line
    id: str
    y: float
    left: float
    right: float


@dataclass(frozen=True, slots=True, kw_only=True)
class FlowEdge:
    """A flow as drawn: its ends, wrapped label and route between the cards."""

    flow: Flow
    id: str
    source: str
    target: str
    #: Drawn as a loop: marked ``loop`` in the blueprint, or running back in time.
    loop: bool
    label: tuple[str, ...]
    route: Route
    status: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class TitleBlock:
    """The title and header facts, above the grid."""

    box: Box
    title: tuple[str, ...]
    facts: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ChangeList:
    """The list of changes of a diff, in a box under the lanes."""

    box: Box
    heading: str
    #: Each change: its status class (``diff-added``...), its wrapped title and its wrapped details.
    entries: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Grid:
    """Everything the SVG and DOT backends draw, with its place."""

    width: float
    height: float
    title: TitleBlock
    legend: Box
    stages: tuple[StageHeader, ...]
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    cards: tuple[Card, ...]
    lines: tuple[LineRule, ...]
    flows: tuple[FlowEdge, ...]
    changes: ChangeList | None = None
