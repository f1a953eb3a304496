"""The model as JSON, for other tools: the shape is ``schemas/model-v1.schema.json``.

The document is versioned by ``schema_version``; a field is only ever added within a
version, and a version bump says when anything is renamed or removed.
"""

from __future__ import annotations

from pathlib import Path

from .model import Action, Actor, Blueprint, Duration, Evidence, Flow, Stage, Step
from .text import json_document

SCHEMA_VERSION = 1
SCHEMA_PATH = Path(__file__).resolve().parent / "schemas" / "model-v1.schema.json"


def to_json(blueprint: Blueprint) -> dict:
    return {
        "schema_version": SCHEMA_VERSION,
        "title": blueprint.title,
        "scenario": blueprint.scenario,
        "persona": blueprint.persona,
        "segment": blueprint.segment,
        "owner": blueprint.owner,
        "version": blueprint.version,
        "description": blueprint.description,
        "tolerance": _duration(blueprint.tolerance),
        "theme": blueprint.theme,
        "includes": [include.path for include in blueprint.includes],
        "actors": [_actor(actor) for actor in blueprint.actors],
        "stages": [_stage(stage) for stage in blueprint.stages],
        "flows": [_flow(flow) for flow in blueprint.flows],
    }


def dumps(blueprint: Blueprint) -> str:
    """Deterministic JSON text: the same blueprint always gives the same bytes."""
    return json_document(to_json(blueprint))


def _duration(duration: Duration | None) -> dict | None:
    if duration is None:
        return None
    return {"seconds": duration.seconds, "text": duration.text}


def _position(node: Actor | Stage | Step | Action | Flow | Evidence) -> dict:
    span = node.span
    return {"path": span.path, "line": span.line, "column": span.column}


def _actor(actor: Actor) -> dict:
    return {"id": actor.id, "name": actor.name, "lane": actor.lane.value, "kind": actor.kind.value,
            "position": _position(actor)}


def _evidence(items: tuple[Evidence, ...]) -> list[str]:
    return [item.text for item in items]


def _stage(stage: Stage) -> dict:
    return {"id": stage.id, "name": stage.name, "steps": [_step(step) for step in stage.steps],
            "position": _position(stage)}


def _step(step: Step) -> dict:
    return {
        "id": step.id,
        "label": step.label,
        "evidence": _evidence(step.evidence),
        "annotations": [{"row": a.row, "text": a.text} for a in step.annotations],
        "actions": [_action(action) for action in step.actions],
        "position": _position(step),
    }


def _action(action: Action) -> dict:
    fail = action.fail
    return {
        "id": action.id,
        "explicit_id": action.explicit_id,
        "actor": action.actor,
        "text": action.text,
        "lane": action.lane.value,
        "lane_overridden": action.lane_overridden,
        "duration": _duration(action.duration),
        "wait": _duration(action.wait),
        "fail": None if fail is None else {"description": fail.description, "safe": fail.safe, "owner": fail.owner},
        "emotion": action.emotion.value if action.emotion else None,
        "notes": list(action.notes),
        "tags": list(action.tags),
        "evidence": _evidence(action.evidence),
        "position": _position(action),
    }


def _flow(flow: Flow) -> dict:
    return {
        "source": flow.source,
        "target": flow.target,
        "two_way": flow.two_way,
        "label": flow.label,
        "loop": flow.loop,
        "position": _position(flow),
    }
