"""Names to things: actors, actions and ids checked and linked across a blueprint.

Pure: takes the parsed document and the actors its includes declare, returns the
finished ``Blueprint`` and the reference errors. Reading files is ``loader``'s job.
"""

from __future__ import annotations

import dataclasses
from typing import Iterable, Iterator

from . import codes
from .diagnostics import Diagnostic, Span, clip, closest, suggest
from .grammar import keywords
from .model import ACTOR_LANES, Action, Actor, Blueprint, Lane, Stage, Step
from .parser import Document
from .text import MadeIds, quote, slug


def resolve(
    document: Document, included_actors: Iterable[Actor], *, includes_complete: bool = True
) -> tuple[Blueprint | None, list[Diagnostic]]:
    """The blueprint of a document with its names checked.

    Errors that would only echo an earlier one are left out: an unknown actor while an
    include could not be read (it may declare it) or whose declaration was reported
    already, and an unknown action in a flow while the file has syntax errors (the
    parser may have dropped the statement that named it).
    """
    diagnostics: list[Diagnostic] = []
    if not document.blueprints:
        # A file of shared actors, made to be included, is not a blueprint itself.
        shared = document.actors or document.includes
        if not document.diagnostics and not shared:
            diagnostics.append(
                codes.NO_BLUEPRINT.at(
                    Span.point(document.path, 1, 1),
                    "this file holds no blueprint",
                    'start one with blueprint "Title" { ... }',
                )
            )
        return None, diagnostics
    for extra in document.blueprints[1:]:
        diagnostics.append(
            codes.SEVERAL_BLUEPRINTS.at(
                extra.span.head(len("blueprint")),
                "a file holds one blueprint; this is a second one",
                "move it to a file of its own",
            )
        )
    blueprint = document.blueprints[0]
    actors = tuple(included_actors) + document.actors + blueprint.actors
    diagnostics.extend(_duplicates("actor", actors, document.repaired_ids))
    actor_index = {}
    for actor in actors:
        actor_index.setdefault(actor.id, actor)

    unresolved: list[tuple[str, Diagnostic]] = []
    # An id written with `as` anywhere wins over one made for an action without it.
    made = MadeIds(action.id for action in blueprint.actions() if action.explicit_id)
    known = {name: actor for name, actor in actor_index.items() if name not in document.broken_actors}
    stages = tuple(_resolve_stage(stage, actor_index, known, made, unresolved) for stage in blueprint.stages)
    if includes_complete:
        diagnostics.extend(d for name, d in unresolved if name not in document.broken_actors)
    blueprint = dataclasses.replace(
        blueprint,
        actors=tuple(actor_index.values()),
        stages=stages,
        includes=document.includes + blueprint.includes,
    )
    diagnostics.extend(_duplicates("stage", blueprint.stages, document.repaired_ids))
    diagnostics.extend(_duplicates("step", blueprint.steps, document.repaired_ids))
    actions = list(blueprint.actions())
    diagnostics.extend(_duplicates("action", (a for a in actions if a.explicit_id), document.repaired_ids))
    if not any(d.code.startswith("BP0") for d in document.diagnostics):
        diagnostics.extend(_unknown_flow_ends(blueprint, {action.id for action in actions}))
    return blueprint, diagnostics


def _resolve_stage(stage: Stage, actors: dict[str, Actor], known: dict[str, Actor], made: MadeIds,
                   unknown: list[tuple[str, Diagnostic]]) -> Stage:
    steps = tuple(_resolve_step(step, actors, known, made, unknown) for step in stage.steps)
    return dataclasses.replace(stage, steps=steps)


def _resolve_step(step: Step, actors: dict[str, Actor], known: dict[str, Actor], made: MadeIds,
                  unknown: list[tuple[str, Diagnostic]]) -> Step:
    """``known`` are the actors an unknown name may be told it meant: those declared whole."""
    actions = []
    for action in step.actions:
        changes: dict[str, object] = {}
        actor = actors.get(action.actor)
        if actor is None:
            # Its `in` lane, where it has one, is the home lane the hint declares.
            lane = action.lane if action.lane_overridden and action.lane is not Lane.EVIDENCE else Lane.FRONTSTAGE
            span = _name_span(action.span, action.actor)
            unknown.append((action.actor, _unknown_actor(action.actor, span, known, lane=lane)))
        elif not action.lane_overridden:
            changes["lane"] = actor.lane
        if action.fail is not None and action.fail.owner is not None and action.fail.owner not in actors:
            owner = action.fail.owner
            unknown.append((owner, _unknown_actor(owner, action.fail.owner_span, known, role="owner")))
        if not action.explicit_id:
            # Made from its step and actor, unique across the blueprint: step `a_b` with
            # actor `c` and step `a` with actor `b_c` both make `a_b_c`, and the second
            # becomes `a_b_c_2`. In file order, so the ids are the same on every run.
            changes["id"] = made.make(f"{step.id}_{action.actor}")
        actions.append(dataclasses.replace(action, **changes) if changes else action)
    return dataclasses.replace(step, actions=tuple(actions))


def _name_span(span: Span, name: str) -> Span:
    return Span.point(span.path, span.line, span.column, len(name))


def _unknown_actor(
    name: str, span: Span, actors: dict[str, Actor], role: str = "actor", lane: Lane = Lane.FRONTSTAGE
) -> Diagnostic:
    shown = clip(name)
    meant = closest(name, actors)
    named_lane = _LANES_BY_NAME.get(name.casefold())
    if named_lane is not None:  # written as a grid titles its rows: the lane's own actors are meant
        lane = named_lane
        meant = tuple(actor.id for actor in actors.values() if actor.lane is named_lane)[:3] or meant
        message = (f"no actor '{shown}': {lane.value} is a lane, and an action is done by an actor in it"
                   if role == "actor" else f"the owner names a lane, '{shown}': a fail point is owned by an actor")
    else:
        message = f"no actor '{shown}'" if role == "actor" else f"the owner names no actor: '{shown}'"
    hint = suggest(meant) or (
        f"declare it, e.g. actor {shown} {lane.value} \"{shown.replace('_', ' ').capitalize()}\""
    )
    return codes.UNKNOWN_ACTOR.at(span, message, hint, written=name, meant=meant)


#: The lanes an actor can call home, by name: a name written where an actor goes may be one.
_LANES_BY_NAME = {lane.value: lane for lane in ACTOR_LANES}


def _duplicates(
    kind: str, nodes: Iterable[Actor | Stage | Step | Action], repaired: frozenset[str]
) -> Iterator[Diagnostic]:
    """The second and later nodes of each id; not of an id a repair wrote, which the file does not hold."""
    first: dict[str, Span] = {}
    for node in nodes:
        if node.id in repaired:
            continue
        if node.id in first:
            where = first[node.id]
            yield codes.DUPLICATE_ID.at(
                node.span,
                f"the {kind} id '{clip(node.id)}' is already used at line {where.line}"
                + ("" if where.path == node.span.path else f" of {where.path}"),
                "give each one its own id",
            )
        else:
            first[node.id] = node.span


def _unknown_flow_ends(blueprint: Blueprint, action_ids: set[str]) -> Iterator[Diagnostic]:
    # A made id is for the JSON: never one to name in a flow, nor to suggest.
    named = {action.id for action in blueprint.actions() if action.explicit_id}
    others: dict[str, tuple[str, tuple[str, ...]]] | None = None  # found at the first unknown end
    for flow in blueprint.flows:
        span = flow.span
        ends = ((flow.source, span.line, span.column), (flow.target, span.end_line, span.end_column - len(flow.target)))
        for end, line, column in ends:
            if end in action_ids:
                continue
            if others is None:
                others = _other_ids(blueprint, named)
            meant = closest(end, named)
            hint, actions = others.get(end, ("name an action with `as ID` to use it in a flow", ()))
            yield codes.UNKNOWN_ACTION.at(
                Span.point(span.path, line, column, len(end)),
                f"no action with the id '{clip(end)}'",
                suggest(meant) or hint,
                written=end,
                meant=meant or actions,
            )


def _other_ids(blueprint: Blueprint, named: set[str]) -> dict[str, tuple[str, tuple[str, ...]]]:
    """The hint for a flow end that names an actor, a stage or a step instead of an
    action, with the ids of the actions it may mean (an actor's own)."""
    first = next((action.id for action in blueprint.actions() if action.explicit_id), None)
    example = f", such as {clip(first)}" if first else ""
    acting: dict[str, list[Action]] = {}
    for action in blueprint.actions():
        acting.setdefault(action.actor, []).append(action)
    made = MadeIds(named)  # the ids the hints make, each its own
    hints = {actor.id: _actor_hint(actor.id, acting.get(actor.id, []), made, example) for actor in blueprint.actors}
    for kind, nodes in (("a stage", blueprint.stages), ("a step", blueprint.steps)):
        for node in nodes:
            hint = f"'{clip(node.id)}' is {kind}: flows join actions, by the id given with `as ID`{example}"
            hints[node.id] = hint, ()
    return hints


def _actor_hint(actor: str, actions: list[Action], made: MadeIds, example: str) -> tuple[str, tuple[str, ...]]:
    """For a flow end that names ``actor``: its actions that have ids, or how to give one an id."""
    own = tuple(action.id for action in actions if action.explicit_id)
    if own:
        listed = " or ".join(clip(ident) for ident in own[:3]) + (" or another" if len(own) > 3 else "")
        its = "its action" if len(own) == 1 else "its actions"
        return f"'{clip(actor)}' is an actor: flows join actions, such as {its} {listed}", own
    if actions:
        base = slug(actions[0].text, default="action")
        action_id = made.make(base if base not in keywords() else base + "_action")
        return (f"'{clip(actor)}' is an actor, and flows join actions: write as {clip(action_id)} after its action "
                f"{clip(quote(actions[0].text))}, and name that"), ()
    return f"'{clip(actor)}' is an actor: flows join actions, by the id given with `as ID`{example}", ()
