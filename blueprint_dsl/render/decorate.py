"""A diff as data for the backends: the NEW blueprint with removed items put back as ghosts.

``decorate(old, new, comparison)`` decides everything a coloured diff shows, so the SVG
and HTML backends only draw it: the status of every action, step, stage and flow
(added, changed, moved or removed), and a blueprint to draw, which is NEW plus ghosts.

Where a ghost goes: a removed action sits in its old step's column and its old lane
when that step still exists in NEW; otherwise its step comes back as a ghost column,
placed after the surviving step that preceded it in OLD (in the same stage when that
stage survives, else in a ghost stage placed after the surviving stage before it).
A removed stage none of whose steps comes back (they moved to other stages, or it had
none) keeps its place with one empty column, a placeholder, so that its header is drawn.
A renamed item counts as changed, or as moved when its place changed too. Removed
flows are drawn between their ends when both are still drawn (a ghost or not).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from ..diff import (
    ADDED,
    CHANGED,
    MOVED,
    ORDER_CHANGED,
    REMOVED,
    RENAMED,
    Change,
    Comparison,
    as_text,
    compare,
    flow_pairs,
)
from ..model import Action, Blueprint, Flow, Stage, Step
from . import FORMATS, RenderOptions

#: The statuses a drawn item can have, in the order the legends list them.
STATUSES = (ADDED, CHANGED, MOVED, REMOVED)
STATUS_TITLES = {ADDED: "added", CHANGED: "changed", MOVED: "moved", REMOVED: "removed (ghost)"}
_SIGNS = {ADDED: "+", REMOVED: "-", CHANGED: "~", MOVED: ">", RENAMED: "="}
_PLACEMENT = ("stage:", "step:", "lane:", ORDER_CHANGED)


@dataclass(frozen=True, slots=True, kw_only=True)
class ChangeItem:
    """One line of the change list, with the drawn item it concerns."""

    sign: str
    kind: str
    entity: str
    name: str
    details: tuple[str, ...]
    #: The status class of the item it concerns (``diff-added``...).
    status: str
    #: What it points at: ("action" | "step" | "stage", drawn id), or None (header, actor, flow).
    target: tuple[str, str] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Decoration:
    """A diff drawn over the new blueprint: the status of each item, and the ghosts of what went."""

    #: What to draw: NEW, with the ghosts of removed stages, steps, actions and flows.
    blueprint: Blueprint
    #: NEW as it is, for the figures of the summary.
    new: Blueprint
    changes: tuple[Change, ...]
    items: tuple[ChangeItem, ...]
    actions: dict[str, str] = field(default_factory=dict, hash=False)
    steps: dict[str, str] = field(default_factory=dict, hash=False)
    stages: dict[str, str] = field(default_factory=dict, hash=False)
    #: The status of each flow of ``blueprint``, in its order; None for one unchanged.
    flows: tuple[str | None, ...] = ()
    #: The ids of the empty ghost columns that keep a removed stage's place: no step of either side.
    placeholders: frozenset[str] = frozenset()

    @property
    def text(self) -> str:
        """The change list as ``blueprint diff`` prints it."""
        return as_text(self.changes)

    def counts(self) -> tuple[tuple[str, int], ...]:
        kinds = (ADDED, REMOVED, CHANGED, MOVED, RENAMED)
        return tuple((kind, n) for kind in kinds if (n := sum(c.kind == kind for c in self.changes)))


def decorate(old: Blueprint, new: Blueprint, comparison: Comparison | None = None) -> Decoration:
    """The diff of ``old`` to ``new`` (``comparison``, when it was made already) as data to draw."""
    comparison = compare(old, new) if comparison is None else comparison
    changes, renames = comparison.changes, comparison.renames
    old, drawn_ids = _set_apart(old, new, changes)
    statuses: dict[str, dict[str, str]] = {"action": {}, "step": {}, "stage": {}}
    for change in changes:
        if change.entity in statuses:
            statuses[change.entity][drawn_ids.get((change.entity, change.id), change.id)] = _status(change)
    pairs = list(flow_pairs(old.flows, new.flows, renames["action"]))
    drawn = _with_ghosts(old, new, statuses, renames, removed_flows=[was for was, now in pairs if now is None])
    # The placeholders are drawn as ghosts, with the stage whose place they keep.
    known = {step.id for side in (old, new) for step in side.steps}
    placeholders = frozenset(step.id for step in drawn.steps if step.id not in known)
    statuses["step"].update(dict.fromkeys(placeholders, REMOVED))
    # By identity: two flows alike between the same two actions are equal, and one may be unchanged.
    added_or_changed = {id(now): ADDED if was is None else CHANGED for was, now in pairs if now is not None}
    # The ghosts of removed flows come after NEW's own.
    flows = tuple(added_or_changed.get(id(flow)) for flow in new.flows)
    flows += (REMOVED,) * (len(drawn.flows) - len(new.flows))
    items = tuple(_item(change, drawn_ids) for change in changes)
    return Decoration(blueprint=drawn, new=new, changes=tuple(changes), items=items,
                      actions=statuses["action"], steps=statuses["step"], stages=statuses["stage"], flows=flows,
                      placeholders=placeholders)


def render_diff(old: Blueprint, new: Blueprint, output_format: str, theme: str | None = None,
                comparison: Comparison | None = None, default_tolerance: float | None = None,
                paper: str = "a4") -> bytes:
    """The coloured diff drawn by the ``html`` or ``svg`` backend; ``default_tolerance``
    is the project's, for a NEW without a tolerance of its own; ``paper`` the one the
    HTML page prints on until its reader picks another."""
    decoration = decorate(old, new, comparison)
    options = RenderOptions(theme=theme, diff=decoration, default_tolerance=default_tolerance, paper=paper)
    return FORMATS[output_format].render(decoration.blueprint, options)


def _status(change: Change) -> str:
    if change.kind == RENAMED:
        return MOVED if any(d.startswith(_PLACEMENT) for d in change.details) else CHANGED
    return change.kind


def _item(change: Change, drawn_ids: dict[tuple[str, str], str]) -> ChangeItem:
    name = f"{change.old_id} -> {change.id}" if change.kind == RENAMED else change.id
    drawn = drawn_ids.get((change.entity, change.id), change.id)
    target = (change.entity, drawn) if change.entity in ("action", "step", "stage") else None
    return ChangeItem(sign=_SIGNS[change.kind], kind=change.kind, entity=change.entity, name=name,
                      details=change.details, status=f"diff-{_status(change)}", target=target)


# ---- putting the ghosts back ------------------------------------------------------------


def _set_apart(old: Blueprint, new: Blueprint, changes: list[Change]) -> tuple[Blueprint, dict[tuple[str, str], str]]:
    """OLD with its removed items given ids of their own where NEW gives their id to
    another (as ids made for actions without ``as`` shift when one goes), so that a ghost
    and a card never share one; and the id each such item is drawn with, by (kind, id)."""
    def ids(blueprint: Blueprint) -> dict[str, set[str]]:
        return {"action": {a.id for a in blueprint.actions()}, "step": {s.id for s in blueprint.steps},
                "stage": {s.id for s in blueprint.stages}}

    live = ids(new)
    clashes = [c for c in changes if c.kind == REMOVED and c.id in live.get(c.entity, ())]
    if not clashes:
        return old, {}
    old_ids = ids(old)
    taken = {kind: names | old_ids[kind] for kind, names in live.items()}
    drawn_ids: dict[tuple[str, str], str] = {}
    for change in clashes:
        drawn, n = f"{change.id}_removed", 2
        while drawn in taken[change.entity]:
            drawn, n = f"{change.id}_removed_{n}", n + 1
        taken[change.entity].add(drawn)
        drawn_ids[(change.entity, change.id)] = drawn

    def apart(kind: str, node_id: str) -> str:
        return drawn_ids.get((kind, node_id), node_id)

    def action(a: Action) -> Action:
        return dataclasses.replace(a, id=apart("action", a.id), step=apart("step", a.step),
                                   stage=apart("stage", a.stage))

    def step(s: Step) -> Step:
        return dataclasses.replace(s, id=apart("step", s.id), stage=apart("stage", s.stage),
                                   actions=tuple(action(a) for a in s.actions))

    stages = tuple(dataclasses.replace(stage, id=apart("stage", stage.id), steps=tuple(step(s) for s in stage.steps))
                   for stage in old.stages)
    flows = tuple(dataclasses.replace(f, source=apart("action", f.source), target=apart("action", f.target))
                  for f in old.flows)
    return dataclasses.replace(old, stages=stages, flows=flows), drawn_ids


def _with_ghosts(old: Blueprint, new: Blueprint, statuses: dict[str, dict[str, str]],
                 renames: dict[str, dict[str, str]], removed_flows: list[Flow]) -> Blueprint:
    removed_actions = {i for i, s in statuses["action"].items() if s == REMOVED}
    removed_steps = {i for i, s in statuses["step"].items() if s == REMOVED}
    removed_stages = {i for i, s in statuses["stage"].items() if s == REMOVED}
    if not (removed_actions or removed_steps or removed_stages or removed_flows):
        return new
    step_in_new = {step.id for step in new.steps}
    stage_in_new = {stage.id for stage in new.stages}
    step_ids = step_in_new | {step.id for step in old.steps}

    def survivor(node_id: str, kind: str, alive: set[str]) -> str | None:
        node_id = renames[kind].get(node_id, node_id)
        return node_id if node_id in alive else None

    # Ghost actions of surviving steps, by the NEW step they go back into.
    returning: dict[str, list[Action]] = {}
    for action in old.actions():
        if action.id in removed_actions and action.step not in removed_steps:
            home = survivor(action.step, "step", step_in_new)
            if home is not None:
                returning.setdefault(home, []).append(action)

    # Ghost steps: after the surviving step before them in OLD, within their stage if it survives.
    inserted_after: dict[str | None, list[Step]] = {}  # NEW step id (None: stage start) -> ghosts
    ghost_stages: dict[str | None, list[Stage]] = {}  # NEW stage id (None: first) -> ghost stages
    for old_stage in old.stages:
        ghosts = [_ghost_step(step, old_stage.id, removed_actions)
                  for step in old_stage.steps if step.id in removed_steps]
        stage_home = survivor(old_stage.id, "stage", stage_in_new)
        if old_stage.id in removed_stages or stage_home is None:
            if ghosts or old_stage.id in removed_stages:
                before = _survivor_before(old.stages, old_stage, lambda s: survivor(s.id, "stage", stage_in_new))
                steps = tuple(ghosts) or (_placeholder(old_stage, step_ids),)
                ghost_stages.setdefault(before, []).append(dataclasses.replace(old_stage, steps=steps))
            continue
        previous: str | None = f"start:{stage_home}"
        for step in old_stage.steps:
            alive = survivor(step.id, "step", step_in_new)
            if step.id in removed_steps:
                inserted_after.setdefault(previous, []).append(_ghost_step(step, stage_home, removed_actions))
            elif alive is not None:
                previous = alive

    stages: list[Stage] = list(ghost_stages.get(None, []))
    for stage in new.stages:
        steps = list(inserted_after.get(f"start:{stage.id}", []))
        for step in stage.steps:
            ghosts = tuple(dataclasses.replace(a, stage=stage.id, step=step.id) for a in returning.get(step.id, ()))
            steps.append(dataclasses.replace(step, actions=step.actions + ghosts) if ghosts else step)
            steps.extend(inserted_after.get(step.id, []))
        stages.append(dataclasses.replace(stage, steps=tuple(steps)))
        stages.extend(ghost_stages.get(stage.id, []))

    drawn_actions = {a.id for s in stages for step in s.steps for a in step.actions}
    ghost_flows = []
    for flow in removed_flows:
        source = renames["action"].get(flow.source, flow.source)
        target = renames["action"].get(flow.target, flow.target)
        if {source, target} <= drawn_actions:
            ghost_flows.append(dataclasses.replace(flow, source=source, target=target))
    actors = new.actors + tuple(a for a in old.actors if a.id not in new.actor_index())
    return dataclasses.replace(new, stages=tuple(stages), flows=new.flows + tuple(ghost_flows), actors=actors)


def _ghost_step(step: Step, stage: str, removed_actions: set[str]) -> Step:
    """A removed step keeps only its removed actions: the others were moved and are drawn in NEW."""
    actions = tuple(dataclasses.replace(a, stage=stage) for a in step.actions if a.id in removed_actions)
    return dataclasses.replace(step, stage=stage, actions=actions)


def _placeholder(stage: Stage, taken: set[str]) -> Step:
    """The empty column of a removed stage with no ghost steps, under an id no step has."""
    step_id, n = f"{stage.id}_place", 2
    while step_id in taken:
        step_id, n = f"{stage.id}_place_{n}", n + 1
    taken.add(step_id)
    return Step(id=step_id, label="", stage=stage.id)


def _survivor_before(stages: tuple[Stage, ...], stage: Stage, alive) -> str | None:
    before = None
    for other in stages:
        if other is stage:
            return before
        before = alive(other) or before
    return before

