"""What the HTML page shows, as the template reads it: a column for each step, the header
of each stage, a card for each action, the cells and rows of the grid, the summary's
figures and a diff's list of changes; and the ids the page makes of a blueprint's.
``html.HtmlRenderer`` decides what goes in them."""

from __future__ import annotations

from dataclasses import dataclass

from .. import stats
from ..diagnostics import Diagnostic
from ..model import Action, Evidence, Line, Stage, Step
from .decorate import ChangeItem

# The ids the page makes from a blueprint's ids are one of these prefixes and the id.
# Blueprint ids are identifiers, without a hyphen, so two prefixes never make the same
# id, and none of the page's own ids (``title``, ``text-version``, ``details``...)
# starts with one: an action called ``version`` or ``title`` takes none of the page's.
#: A card, and so its deep link: ``page.html#action-ID``.
DEEP_LINK_PREFIX = "action-"
#: A removed action's card in a diff.
GHOST_PREFIX = "ghost-action-"
#: A card's actor and text, and its line of markers: its name and description for assistive technology.
ACTOR_PREFIX = "action-actor-"
LABEL_PREFIX = "action-label-"
META_PREFIX = "action-meta-"
#: An action's entry in the text version, whose facts the details panel shows.
FACTS_PREFIX = "action-facts-"
STAGE_PREFIX = "stage-"


@dataclass(frozen=True, slots=True)
class Column:
    """One step: a column of the grid."""

    index: int
    step: Step
    stage: Stage
    #: In a diff: ``added``, ``changed``, ``moved``, or ``removed`` for a ghost column.
    status: str | None = None


@dataclass(frozen=True, slots=True)
class StageHeader:
    """A stage's header, spanning its columns."""

    stage: Stage
    span: int
    status: str | None = None
    #: The steps the text version lists: not the empty column that keeps a removed stage's place.
    steps: tuple[Step, ...] = ()

    @property
    def anchor(self) -> str:
        return STAGE_PREFIX + self.stage.id


@dataclass(frozen=True, slots=True)
class Card:
    """An action's card on the page, with its findings and the actions it is linked to."""

    action: Action
    actor: str
    column: Column
    findings: tuple[Diagnostic, ...]
    #: Ids of the actions a flow joins this one to, in flow order.
    linked: tuple[str, ...]
    #: The name of the fail point's owner, when it has one.
    fail_owner: str | None = None
    status: str | None = None
    #: Whether a flow joins it to the card above it in its cell: the two are set an arrow apart.
    joined_above: bool = False

    @property
    def anchor(self) -> str:
        return (GHOST_PREFIX if self.status == "removed" else DEEP_LINK_PREFIX) + self.action.id

    @property
    def actor_id(self) -> str:
        return ACTOR_PREFIX + self.action.id

    @property
    def label_id(self) -> str:
        return LABEL_PREFIX + self.action.id

    @property
    def meta_id(self) -> str:
        return META_PREFIX + self.action.id

    @property
    def facts_id(self) -> str:
        return FACTS_PREFIX + self.action.id


@dataclass(frozen=True, slots=True)
class Cell:
    """What one lane or row holds in one column."""

    column: Column
    cards: tuple[Card, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    texts: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Row:
    """A row of the grid: a lane, a line between two lanes, or an annotation row."""

    kind: str  # "lane", "line" or "annotation"
    key: str
    title: str
    cells: tuple[Cell, ...] = ()
    line: Line | None = None
    #: A line labelled flows cross: its row has room for their labels, two lines on either side of it.
    labelled: bool = False

    @property
    def has_content(self) -> bool:
        return any(cell.cards or cell.evidence or cell.texts for cell in self.cells)


@dataclass(frozen=True, slots=True)
class Summary:
    """The figures of ``blueprint stats`` for the whole blueprint."""

    figures: stats.Figures
    tolerance: float | None
    #: The card of the action with the longest wait, when there is a wait.
    longest_wait_card: Card | None

    @property
    def total(self) -> float:
        return self.figures.total_time

    @property
    def over_tolerance(self) -> bool:
        return bool(self.figures.over(self.tolerance))


@dataclass(frozen=True, slots=True)
class ChangeView:
    """A line of a diff's change list, with the address of what it concerns on the page."""

    item: ChangeItem
    href: str | None
