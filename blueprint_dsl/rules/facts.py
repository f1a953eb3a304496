"""What the rules look up, computed once per blueprint so that every rule is linear."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..model import Action, Actor, Blueprint, Lane


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """The thresholds a project can configure (``[tool.blueprint]`` in pyproject.toml)."""

    max_customer_actions: int = 15
    #: A single wait longer than this, in seconds, is flagged.
    max_wait: float = 30 * 60
    #: The customer's tolerance when a blueprint declares none, in seconds (None: no check).
    default_tolerance: float | None = None


@dataclass(slots=True)
class Facts:
    """Indexes of a blueprint that several rules look things up in, built once per check."""

    blueprint: Blueprint
    settings: Settings = field(default_factory=Settings)
    actors: dict[str, Actor] = field(init=False)
    actions: dict[str, Action] = field(init=False)
    column: dict[str, int] = field(init=False)
    #: Action ids reachable from each action through flows, in either direction.
    neighbours: dict[str, set[str]] = field(init=False)
    lanes_by_step: dict[str, set[Lane]] = field(init=False)

    def __post_init__(self) -> None:
        blueprint = self.blueprint
        self.actors = blueprint.actor_index()
        self.actions = blueprint.action_index()
        self.column = blueprint.column_index()
        self.neighbours = defaultdict(set)
        for flow in blueprint.flows:
            self.neighbours[flow.source].add(flow.target)
            self.neighbours[flow.target].add(flow.source)
        self.lanes_by_step = defaultdict(set)
        for action in self.actions.values():
            self.lanes_by_step[action.step].add(action.lane)

    def column_of(self, action_id: str) -> int | None:
        action = self.actions.get(action_id)
        return None if action is None else self.column[action.step]

    def customer_actions(self) -> list[Action]:
        return [a for a in self.actions.values() if a.lane is Lane.CUSTOMER]
