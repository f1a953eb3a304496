"""The typed, frozen model of a service blueprint.

Nodes compare by structure: every ``span`` is left out of equality, so a blueprint
reformatted or moved within its file is equal to the original. No Lark object ever
reaches this module (``tests/test_model.py`` walks a model to make sure).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Iterator

from .diagnostics import Span

NO_SPAN = Span(path="<none>", line=0, column=0, end_line=0, end_column=0)


def _span() -> Span:
    return field(default=NO_SPAN, compare=False, repr=False)


class Lane(enum.Enum):
    """The rows of the grid, top to bottom in the method's fixed order."""

    EVIDENCE = "evidence"
    CUSTOMER = "customer"
    FRONTSTAGE = "frontstage"
    BACKSTAGE = "backstage"
    SUPPORT = "support"

    @property
    def rank(self) -> int:
        return _LANE_ORDER.index(self)

    @property
    def visible_to_customer(self) -> bool:
        """Above the line of visibility."""
        return self.rank <= Lane.FRONTSTAGE.rank

    @property
    def title(self) -> str:
        return _LANE_TITLES[self]


_LANE_ORDER = list(Lane)
_LANE_TITLES = {
    Lane.EVIDENCE: "Physical evidence",
    Lane.CUSTOMER: "Customer actions",
    Lane.FRONTSTAGE: "Frontstage",
    Lane.BACKSTAGE: "Backstage",
    Lane.SUPPORT: "Support processes",
}

#: The lanes an actor can call home (evidence is not acted in).
ACTOR_LANES = (Lane.CUSTOMER, Lane.FRONTSTAGE, Lane.BACKSTAGE, Lane.SUPPORT)
LANE_NAMES = frozenset(lane.value for lane in Lane)


@dataclass(frozen=True, slots=True)
class Line:
    """A line of the method, drawn between two adjacent lanes."""

    name: str
    above: Lane
    below: Lane

    @property
    def key(self) -> str:
        """The name as the drawings and the page know it: ``line-of-interaction``."""
        return "-".join(self.name.lower().split())


LINE_OF_INTERACTION = Line("Line of interaction", Lane.CUSTOMER, Lane.FRONTSTAGE)
LINE_OF_VISIBILITY = Line("Line of visibility", Lane.FRONTSTAGE, Lane.BACKSTAGE)
LINE_OF_INTERNAL_INTERACTION = Line("Line of internal interaction", Lane.BACKSTAGE, Lane.SUPPORT)
LINES = (LINE_OF_INTERACTION, LINE_OF_VISIBILITY, LINE_OF_INTERNAL_INTERACTION)


class ActorKind(enum.Enum):
    ACTOR = "actor"
    PERSON = "person"
    ROLE = "role"
    SYSTEM = "system"
    PARTNER = "partner"


class Emotion(enum.Enum):
    """The customer's feeling at an action, on a five-point scale."""

    DELIGHTED = "delighted"
    PLEASED = "pleased"
    NEUTRAL = "neutral"
    ANNOYED = "annoyed"
    FRUSTRATED = "frustrated"

    @property
    def score(self) -> int:
        return {"delighted": 2, "pleased": 1, "neutral": 0, "annoyed": -1, "frustrated": -2}[self.value]


@dataclass(frozen=True, slots=True, kw_only=True)
class Duration:
    """A length of time as written (``2 min``) and in seconds; equal when the seconds are."""

    seconds: float
    text: str = field(compare=False)

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True, kw_only=True)
class Actor:
    """Someone or something that acts: the customer, a staff role, a system, a partner."""

    id: str
    name: str
    lane: Lane
    kind: ActorKind
    span: Span = _span()


@dataclass(frozen=True, slots=True, kw_only=True)
class Evidence:
    """Something the customer sees, touches or receives: the top lane of the grid."""

    text: str
    span: Span = _span()


@dataclass(frozen=True, slots=True, kw_only=True)
class FailPoint:
    """Where the service can break (Shostack's F), with its fail-safe and owner."""

    description: str
    safe: str | None = None
    owner: str | None = None
    span: Span = _span()
    owner_span: Span = _span()


@dataclass(frozen=True, slots=True, kw_only=True)
class Action:
    """What one actor does at one step, in one lane: a card of the grid."""

    id: str
    actor: str
    text: str
    lane: Lane
    stage: str
    step: str
    explicit_id: bool = True
    lane_overridden: bool = False
    duration: Duration | None = None
    wait: Duration | None = None
    fail: FailPoint | None = None
    emotion: Emotion | None = None
    notes: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    span: Span = _span()


@dataclass(frozen=True, slots=True, kw_only=True)
class Annotation:
    """A fact of an optional annotation row (metric, policy, time) for one step."""

    row: str
    text: str
    span: Span = _span()


@dataclass(frozen=True, slots=True, kw_only=True)
class Step:
    """A column of the grid: one moment of the scenario, with its actions."""

    id: str
    label: str
    stage: str
    evidence: tuple[Evidence, ...] = ()
    actions: tuple[Action, ...] = ()
    annotations: tuple[Annotation, ...] = ()
    span: Span = _span()

    def actions_in(self, lane: Lane) -> tuple[Action, ...]:
        return tuple(a for a in self.actions if a.lane is lane)

    def evidence_shown(self) -> tuple[Evidence, ...]:
        """The evidence drawn in the step's column: its own, then its actions', each text once."""
        shown: dict[str, Evidence] = {}
        for item in self.evidence + tuple(e for action in self.actions for e in action.evidence):
            shown.setdefault(item.text, item)
        return tuple(shown.values())


@dataclass(frozen=True, slots=True, kw_only=True)
class Stage:
    """A phase of the scenario (Arrive, Order, Pay): consecutive steps under one header."""

    id: str
    name: str
    steps: tuple[Step, ...] = ()
    #: False for an id made from the name, where none was written.
    explicit_id: bool = True
    span: Span = _span()


@dataclass(frozen=True, slots=True, kw_only=True)
class Flow:
    """One arrow: a hand-off (one-way) or an exchange (two-way)."""

    source: str
    target: str
    two_way: bool = False
    label: str | None = None
    loop: bool = False
    span: Span = _span()


@dataclass(frozen=True, slots=True, kw_only=True)
class Include:
    """An ``include "path"``: the actors of another file, read into this one."""

    path: str
    span: Span = _span()


#: The colour themes a blueprint's ``theme`` or ``--theme`` may name. ``light`` is the
#: default's colours; the HTML page follows the reader's light or dark setting unless
#: the theme is ``light``, ``dark`` or ``print``.
THEME_NAMES = ("default", "light", "dark", "print")


@dataclass(frozen=True, slots=True, kw_only=True)
class Blueprint:
    """A whole blueprint: its header facts, actors, stages and flows."""

    title: str
    scenario: str | None = None
    persona: str | None = None
    segment: str | None = None
    owner: str | None = None
    version: str | None = None
    description: str | None = None
    tolerance: Duration | None = None
    theme: str | None = None
    actors: tuple[Actor, ...] = ()
    stages: tuple[Stage, ...] = ()
    flows: tuple[Flow, ...] = ()
    includes: tuple[Include, ...] = ()
    path: str = field(default="<string>", compare=False)
    span: Span = _span()

    @property
    def steps(self) -> tuple[Step, ...]:
        """The columns of the grid, left to right."""
        return tuple(step for stage in self.stages for step in stage.steps)

    def actions(self) -> Iterator[Action]:
        for stage in self.stages:
            for step in stage.steps:
                yield from step.actions

    def actor_index(self) -> dict[str, Actor]:
        return {actor.id: actor for actor in self.actors}

    def action_index(self) -> dict[str, Action]:
        return {action.id: action for action in self.actions()}

    def column_index(self) -> dict[str, int]:
        """The column (0-based) of every step, by step id."""
        return {step.id: column for column, step in enumerate(self.steps)}
