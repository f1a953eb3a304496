"""What changed between two versions of a blueprint, in the method's own terms.

Stages, steps, actions, actors and flows are matched by id, and by content where an
id changed (an action with the same actor and text is the same action renamed). An id
the tool made (an action without ``as``, a stage without an id) is no name the author
gave: such items are matched by content first, and a new made id is no rename. A
rename carries over to what refers to the renamed item, so the steps of a renamed
stage have not moved. Spans take no part in model equality, so a change of layout or
comments is no change.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import re
from dataclasses import dataclass
from typing import Iterable, Iterator, Sequence

from .diagnostics import visible
from .diff_matching import is_rename, match, out_of_order
from .model import Action, Actor, Annotation, Blueprint, Evidence, FailPoint, Flow, Stage, Step
from .text import json_document, made_label

ADDED, REMOVED, CHANGED, MOVED, RENAMED = "added", "removed", "changed", "moved", "renamed"
#: The detail of a stage or step that changed places with others in its order.
ORDER_CHANGED = "order changed"
_SIGNS = {ADDED: "+", REMOVED: "-", CHANGED: "~", MOVED: ">", RENAMED: "="}
_HEADER_FACTS = ("title", "scenario", "persona", "segment", "owner", "version", "description", "tolerance", "theme")


@dataclass(frozen=True, slots=True, kw_only=True)
class Change:
    kind: str
    entity: str
    id: str
    details: tuple[str, ...] = ()
    #: The id in OLD where it differs: a rename's, or one the tool made anew.
    old_id: str | None = None

    def to_json(self) -> dict:
        return {"kind": self.kind, "entity": self.entity, "id": self.id, "old_id": self.old_id,
                "details": list(self.details)}


@dataclass(frozen=True, slots=True)
class Comparison:
    """What changed, and how OLD's ids became NEW's."""

    changes: list[Change]
    #: NEW's id of each OLD actor, stage, step and action matched under another id, by
    #: entity: renamed, or an id the tool made anew (which no change reports).
    renames: dict[str, dict[str, str]]


def diff(old: Blueprint, new: Blueprint) -> list[Change]:
    return compare(old, new).changes


def compare(old: Blueprint, new: Blueprint) -> Comparison:
    renames: dict[str, dict[str, str]] = {"actor": {}, "stage": {}, "step": {}, "action": {}}
    changes = list(_header(old, new))
    changes += _actors(old.actors, new.actors, renames["actor"])
    # Old steps as if their actors had their new ids, and old stages as if their steps
    # had theirs: a step or stage renamed along with an actor in it is still matched.
    old_steps = [_with_actors(step, renames["actor"]) for step in old.steps]
    step_ids = {before.id: after.id for before, after in match(old_steps, new.steps, _step_content, _step_members)[0]}
    old_stages = [dataclasses.replace(stage, steps=tuple(dataclasses.replace(step, id=step_ids.get(step.id, step.id))
                                                         for step in stage.steps)) for stage in old.stages]
    changes += _ordered("stage", old_stages, new.stages, _stage_details, _stage_content, renames["stage"])
    # Old steps as if in the renamed stages: a step of a renamed stage has not moved.
    stages = renames["stage"]
    old_steps = [dataclasses.replace(step, stage=stages.get(step.stage, step.stage)) for step in old_steps]
    changes += _ordered("step", old_steps, new.steps, _step_details, _step_content, renames["step"], _step_members)
    old_actions = [_renamed_in(action, renames["actor"], stages, renames["step"]) for action in old.actions()]
    changes += _actions(old_actions, list(new.actions()), renames["action"])
    changes += _flows(old.flows, new.flows, renames["action"])
    return Comparison(changes, renames)


# ---- entities --------------------------------------------------------------------------


def _header(old: Blueprint, new: Blueprint) -> Iterator[Change]:
    for fact in _HEADER_FACTS:
        before, after = getattr(old, fact), getattr(new, fact)
        if before != after:
            yield Change(kind=CHANGED, entity="blueprint", id=fact, details=(_was(fact, before, after),))


def _actors(old: Sequence[Actor], new: Sequence[Actor], renames: dict[str, str]) -> Iterator[Change]:
    pairs, removed, added = match(old, new, lambda a: (a.name, a.lane))
    for actor in removed:
        yield Change(kind=REMOVED, entity="actor", id=actor.id, details=(f"{actor.lane.value}: {actor.name}",))
    for actor in added:
        yield Change(kind=ADDED, entity="actor", id=actor.id, details=(f"{actor.lane.value}: {actor.name}",))
    for before, after in pairs:
        details = _field_changes(before, after, ("name", "lane", "kind"))
        if before.id != after.id:
            renames[before.id] = after.id
            yield Change(kind=RENAMED, entity="actor", id=after.id, old_id=before.id, details=details)
        elif details:
            yield Change(kind=CHANGED, entity="actor", id=after.id, details=details)


def _stage_content(stage: Stage) -> object:
    return tuple(step.id for step in stage.steps) or stage.name


def _stage_details(before: Stage, after: Stage) -> tuple[str, ...]:
    return _field_changes(before, after, ("name",))


def _step_content(step: Step) -> object:
    # Actions by what they are, not by id: ids made for them change with the step's, as
    # does the label made from its id where none is written.
    return tuple((action.actor, action.text) for action in step.actions) or step.label


def _step_members(step: Step) -> frozenset[str]:
    """The ids the author gave the step's actions: a step whose actions keep them is the same step."""
    return frozenset(action.id for action in step.actions if action.explicit_id)


def _step_details(before: Step, after: Step) -> tuple[str, ...]:
    # A label made from the id on both sides changed with the id: the rename says so.
    made = before.label == made_label(before.id) and after.label == made_label(after.id)
    fields = ("evidence", "annotations") if made else ("label", "evidence", "annotations")
    details = list(_field_changes(before, after, fields))
    if before.stage != after.stage:
        details.insert(0, _was("stage", before.stage, after.stage))
    return tuple(details)


def _ordered(entity: str, old, new, details_of, content, renames: dict[str, str], members=None) -> Iterator[Change]:
    """Changes of stages or steps, whose order counts; ``renames`` gets each new id by the old."""
    pairs, removed, added = match(old, new, content, members)
    moved = out_of_order(pairs, old, new)
    for node in removed:
        yield Change(kind=REMOVED, entity=entity, id=node.id)
    for node in added:
        yield Change(kind=ADDED, entity=entity, id=node.id)
    for before, after in pairs:
        details = details_of(before, after)
        if before.id != after.id:
            renames[before.id] = after.id
        old_id = before.id if before.id != after.id else None
        if is_rename(before, after):
            reordered = (ORDER_CHANGED,) if after.id in moved else ()
            yield Change(kind=RENAMED, entity=entity, id=after.id, old_id=old_id, details=details + reordered)
        elif after.id in moved or getattr(before, "stage", None) != getattr(after, "stage", None):
            yield Change(kind=MOVED, entity=entity, id=after.id, old_id=old_id, details=details or (ORDER_CHANGED,))
        elif details:
            yield Change(kind=CHANGED, entity=entity, id=after.id, old_id=old_id, details=details)


_ACTION_FIELDS = ("actor", "text", "duration", "wait", "fail", "emotion", "notes", "tags", "evidence")


def _renamed_in(action: Action, actors: dict[str, str], stages: dict[str, str], steps: dict[str, str]) -> Action:
    """An old action with the new ids of the actors, stage and step it names."""
    fail = action.fail
    if fail is not None and fail.owner in actors:
        fail = dataclasses.replace(fail, owner=actors[fail.owner])
    return dataclasses.replace(action, actor=actors.get(action.actor, action.actor), fail=fail,
                               stage=stages.get(action.stage, action.stage), step=steps.get(action.step, action.step))


def _with_actors(step: Step, actors: dict[str, str]) -> Step:
    """An old step whose actions name the new ids of their actors."""
    actions = tuple(dataclasses.replace(action, actor=actors[action.actor]) if action.actor in actors else action
                    for action in step.actions)
    return dataclasses.replace(step, actions=actions)


def _actions(old: Sequence[Action], new: Sequence[Action], renames: dict[str, str]) -> Iterator[Change]:
    pairs, removed, added = match(old, new, lambda a: (a.actor, a.text))
    for action in removed:
        yield Change(kind=REMOVED, entity="action", id=action.id, details=(_where(action),))
    for action in added:
        yield Change(kind=ADDED, entity="action", id=action.id, details=(_where(action),))
    for before, after in pairs:
        # An action whose step moved to another stage has not moved itself.
        where = ("step", "lane") if before.step == after.step else ("stage", "step", "lane")
        placement = _field_changes(before, after, where)
        details = _field_changes(before, after, _ACTION_FIELDS)
        if before.id != after.id:
            renames[before.id] = after.id
        old_id = before.id if before.id != after.id else None
        if is_rename(before, after):
            yield Change(kind=RENAMED, entity="action", id=after.id, old_id=old_id, details=placement + details)
        elif placement:
            yield Change(kind=MOVED, entity="action", id=after.id, old_id=old_id, details=placement + details)
        elif details:
            yield Change(kind=CHANGED, entity="action", id=after.id, old_id=old_id, details=details)


def _flows(old: Sequence[Flow], new: Sequence[Flow], renames: dict[str, str]) -> Iterator[Change]:
    for was, now in flow_pairs(old, new, renames):
        if was is None:
            yield Change(kind=ADDED, entity="flow", id=_flow_name(now), details=_flow_marks(now))
        elif now is None:
            yield Change(kind=REMOVED, entity="flow", id=_flow_name(was), details=_flow_marks(was))
        else:
            yield Change(kind=CHANGED, entity="flow", id=_flow_name(now), details=_flow_changes(was, now, renames))


def flow_pairs(
    old: Sequence[Flow], new: Sequence[Flow], renames: dict[str, str]
) -> Iterator[tuple[Flow | None, Flow | None]]:
    """The flows that differ, as (OLD, NEW) pairs: both for a changed flow, None for the
    side a flow was added to or removed from. ``renames`` maps OLD action ids to NEW.

    Flows are known by their two ends, in either order: a two-way flow written the
    other way round is the same exchange, and a hand-off turned round is a change of
    that flow. Between the same two ends there may be several, and one left as it was
    is no change, whatever became of the others."""
    def ends(flows: Iterable[Flow], mapping: dict[str, str]) -> dict[tuple[str, ...], list[Flow]]:
        by_ends: dict[tuple[str, ...], list[Flow]] = {}
        for flow in flows:
            source, target = mapping.get(flow.source, flow.source), mapping.get(flow.target, flow.target)
            by_ends.setdefault(tuple(sorted((source, target))), []).append(flow)
        return by_ends

    old_by_ends, new_by_ends = ends(old, renames), ends(new, {})
    for k in [*old_by_ends, *(k for k in new_by_ends if k not in old_by_ends)]:
        before, after = _unmatched(old_by_ends.get(k, []), new_by_ends.get(k, []), renames)
        yield from zip(before, after)
        yield from ((flow, None) for flow in before[len(after):])
        yield from ((None, flow) for flow in after[len(before):])


_FLOW_FIELDS = ("two_way", "label", "loop")


def _flow_changes(was: Flow, now: Flow, renames: dict[str, str]) -> tuple[str, ...]:
    """What changed in a flow between the same two actions (``renames`` maps old action ids to new)."""
    details = _field_changes(was, now, _FLOW_FIELDS)
    if not (was.two_way or now.two_way) and renames.get(was.source, was.source) != now.source:
        details = (f"reversed: was {_flow_name(was)}", *details)
    return details


def _flow_name(flow: Flow) -> str:
    return f"{flow.source} {'<->' if flow.two_way else '->'} {flow.target}"


def _flow_marks(flow: Flow) -> tuple[str, ...]:
    """What tells a flow added or removed from others between the same two actions."""
    marks = []
    if flow.label is not None:
        marks.append(f"label: {_show(flow.label)}")
    if flow.loop:
        marks.append("loop")
    return tuple(marks)


def _unmatched(before: list[Flow], after: list[Flow], renames: dict[str, str]) -> tuple[list[Flow], list[Flow]]:
    """The flows of each side with no flow alike on the other, in order."""
    after = list(after)
    left = []
    for flow in before:
        alike = next((i for i, other in enumerate(after) if not _flow_changes(flow, other, renames)), None)
        if alike is None:
            left.append(flow)
        else:
            del after[alike]
    return left, after


# ---- wording ---------------------------------------------------------------------------


def _field_changes(before, after, names: Iterable[str]) -> tuple[str, ...]:
    return tuple(_was(name, getattr(before, name), getattr(after, name))
                 for name in names if getattr(before, name) != getattr(after, name))


def _was(name: str, before: object, after: object) -> str:
    return f"{name.replace('_', ' ')}: {_show(before)} -> {_show(after)}"


def _show(value: object) -> str:
    if value is None or value == ():
        return "none"
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, tuple):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, (Evidence, Annotation)):
        return _show(value.text)
    if isinstance(value, FailPoint):
        return f"({_show(value.description)}, safe {_show(value.safe)}, owner {_show(value.owner)})"
    if isinstance(value, bool):  # two way, loop
        return "yes" if value else "no"
    return str(value)  # Duration


def _where(action: Action) -> str:
    return f"{action.stage}/{action.step}, {action.lane.value}: {action.text}"


def as_text(changes: Sequence[Change]) -> str:
    if not changes:
        return "no semantic change\n"
    lines = []
    for change in changes:
        name = f"{change.old_id} -> {change.id}" if change.kind == RENAMED else change.id
        lines.append(f"{_SIGNS[change.kind]} {change.kind} {change.entity} {name}")
        lines.extend(f"    {visible(detail)}" for detail in change.details)
    counts = {kind: sum(c.kind == kind for c in changes) for kind in _SIGNS}
    lines.append(", ".join(f"{n} {kind}" for kind, n in counts.items() if n))
    return "\n".join(lines) + "\n"


def as_json(changes: Sequence[Change]) -> str:
    return json_document({"version": 1, "changes": [c.to_json() for c in changes]})


def as_markdown(changes: Sequence[Change], old_name: str, new_name: str) -> str:
    """A table for a pull-request comment; every text from a blueprint is a code span."""
    lines = [f"### Blueprint changes: {_code(old_name, cell=False)} → {_code(new_name, cell=False)}", ""]
    if not changes:
        return "\n".join(lines + ["No semantic change."]) + "\n"
    lines += ["| | Change | Item | Details |", "| --- | --- | --- | --- |"]
    for change in changes:
        name = f"{_code(change.old_id)} → {_code(change.id)}" if change.kind == RENAMED else _code(change.id)
        details = "<br>".join(_code(d) for d in change.details)
        lines.append(f"| {_SIGNS[change.kind]} | {change.kind} | {change.entity} {name} | {details} |")
    return "\n".join(lines) + "\n"


def _code(text: str, cell: bool = True) -> str:
    """``text`` as a code span, in a table cell or not: in it nothing is markup, a link, an
    image or a mention. In a cell, a '|' is escaped, which would end the cell."""
    text = visible(text)
    if cell:
        text = text.replace("|", "\\|")
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if not text or text[0] in "` " or text[-1] in "` " else ""
    return f"{fence}{pad}{text}{pad}{fence}"
