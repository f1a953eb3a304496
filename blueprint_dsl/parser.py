"""Text to model nodes: the parse tree converted, positions and all.

``parse_document`` turns the text of one ``.svc`` file into a ``Document`` of model
nodes plus diagnostics. Lark's trees and tokens are converted to model nodes
and ``Span``s here and nowhere else (the values, lanes and durations and the rest, and
the spans by ``parser_values``). Names are not resolved yet: an action's lane is its
override when it has one and is filled in from its actor by ``resolve``.

The trees come from either of two parsers of the same grammar (``grammar``): the
generated standalone one for a valid file, Lark itself after a syntax error. Their
classes differ, so a token is told from a subtree by being a ``str``, as both
parsers' tokens are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import codes
from .diagnostics import Diagnostic, Span, clip
from .grammar import parse
from .loose_loops import move_loose_loops
from .model import (
    LANE_NAMES,
    Action,
    Actor,
    ActorKind,
    Annotation,
    Blueprint,
    Evidence,
    FailPoint,
    Flow,
    Include,
    Lane,
    Stage,
    Step,
)
from .parser_values import ValueReader
from .text import MadeIds, made_label, slug, unquote

if TYPE_CHECKING:
    import lark

    from .recovery.shifts import Shifts


@dataclass(frozen=True, slots=True, kw_only=True)
class Document:
    """What one file says, before names are resolved."""

    path: str
    includes: tuple[Include, ...] = ()
    actors: tuple[Actor, ...] = ()
    blueprints: tuple[Blueprint, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = field(default=(), compare=False)
    #: Actors declared with a lane that is not one, or with an id a repair wrote: reported
    #: once, at the declaration, and not again as unknown wherever they act, nor suggested.
    broken_actors: frozenset[str] = field(default=frozenset(), compare=False)
    #: For a file with syntax errors that recovery patched into a text that parses: its
    #: repairs, with that text and the lines of it the file wrote (the editor reads names there).
    repairs: Shifts | None = field(default=None, compare=False)
    #: The (line, column) of each syntax error and of what its repair wrote: a name found
    #: there is the repair's (a placeholder), and no later stage reports on it.
    repaired: frozenset[tuple[int, int]] = field(default=frozenset(), compare=False)
    #: The ids a repair wrote (1 read as step_1): the file does not hold them, and no
    #: message names them (the syntax error where each stands says what to write).
    repaired_ids: frozenset[str] = field(default=frozenset(), compare=False)


def parse_document(text: str, path: str) -> Document:
    tree, diagnostics, shifts = parse(text), [], None
    if tree is None:
        from .recovery import parse_recovering

        tree, diagnostics, shifts = parse_recovering(text, path)
    if tree is None:
        return Document(path=path, diagnostics=tuple(diagnostics))
    builder = _Builder(path, shifts, frozenset((d.span.line, d.span.column) for d in diagnostics))
    builder.diagnostics.extend(move_loose_loops(tree, builder.span))
    document = builder.document(tree)
    # Where a syntax error was repaired, the builder saw the repair, not the file.
    repaired = {(diagnostic.span.line, diagnostic.span.column) for diagnostic in diagnostics}
    repaired |= {(span.line, span.column) for span in builder.patched}
    return Document(
        path=path,
        includes=document.includes,
        actors=document.actors,
        blueprints=document.blueprints,
        diagnostics=tuple(diagnostics)
        + tuple(d for d in builder.diagnostics if (d.span.line, d.span.column) not in repaired),
        # An id a repair wrote (gäst read as g_st) is no name to suggest either.
        broken_actors=frozenset(builder.broken_actors | {n for at, n in builder.actor_names.items() if at in repaired}),
        repairs=shifts,
        repaired=frozenset(repaired),
        repaired_ids=frozenset(builder.repaired_ids),
    )


# The keyword that gives each detail of an action, for messages.
_KEYWORD_OF_DETAIL = {"id": "as", "lane": "in", "duration": "takes", "description": "fail"}


def _written_stage_id(tree: lark.Tree) -> str | None:
    """The id written after `stage`, if any."""
    first = tree.children[1]
    return str(first) if isinstance(first, str) and first.type == "NAME" else None


class _Builder(ValueReader):
    """Converts a Lark tree into model nodes, collecting value errors on the way."""

    def __init__(
        self, path: str, shifts: Shifts | None = None, errors: frozenset[tuple[int, int]] = frozenset()
    ) -> None:
        super().__init__(path, shifts, errors)
        self.broken_actors: set[str] = set()
        #: Where each actor declared names it: the (line, column) of its id.
        self.actor_names: dict[tuple[int, int], str] = {}

    def document(self, tree: lark.Tree) -> Document:
        includes, actors, blueprints = [], [], []
        for item in tree.children:
            if item.data == "include":
                includes.append(self.include(item))
            elif item.data == "actor":
                actors.extend(self.actor(item))
            else:
                blueprints.append(self.blueprint(item))
        return Document(path=self.path, includes=tuple(includes), actors=tuple(actors), blueprints=tuple(blueprints))

    def include(self, tree: lark.Tree) -> Include:
        return Include(path=unquote(tree.children[1]), span=self.span(tree))

    def actor(self, tree: lark.Tree) -> list[Actor]:
        kind, name, lane_token, *label = tree.children
        if str(name) in LANE_NAMES and str(lane_token) not in LANE_NAMES:
            # person frontstage mechanic: the id and the lane swapped.
            written = clip(" ".join([str(kind), str(lane_token), str(name), *label]))
            self.diagnostics.append(
                codes.UNKNOWN_LANE.at(
                    self.span(name),
                    f"'{name}' is a lane and '{clip(lane_token)}' is not: the id comes before the lane",
                    f"write {written}",
                )
            )
            self.broken_actors.update((str(name), str(lane_token)))
            return []
        lane = self.lane(lane_token)
        if lane is None:
            self.broken_actors.add(str(name))
            return []
        if lane is Lane.EVIDENCE:
            self.evidence_is_no_lane(lane_token, "give the actor one of")
            self.broken_actors.add(str(name))
            return []
        self.keyword_id(name)
        where = self.span(name)
        self.actor_names[(where.line, where.column)] = str(name)
        return [
            Actor(
                id=self.id_of(name),
                name=unquote(label[0]) if label else str(name),
                lane=lane,
                kind=ActorKind(str(kind)),
                span=self.span(tree),
            )
        ]

    def blueprint(self, tree: lark.Tree) -> Blueprint:
        _, title, *items = tree.children
        facts: dict[str, object] = {}
        includes, actors, stages = [], [], []
        self.flows: list[Flow] = []
        self.stage_ids = MadeIds(_written_stage_id(item) for item in items if item.data == "stage")
        for item in items:
            kind = item.data
            if kind == "header":
                key, value = item.children
                self.fact(facts, str(key), unquote(value), item)
            elif kind == "tolerance":
                self.fact(facts, "tolerance", self.duration(item.children[0]), item)
            elif kind == "theme":
                self.fact(facts, "theme", self.theme(item), item)
            elif kind == "include":
                includes.append(self.include(item))
            elif kind == "actor":
                actors.extend(self.actor(item))
            elif kind == "stage":
                stages.append(self.stage(item))
            else:
                self.flows.extend(self.flow(item))
        return Blueprint(
            title=unquote(title),
            includes=tuple(includes),
            actors=tuple(actors),
            stages=tuple(stages),
            flows=tuple(self.flows),
            path=self.path,
            span=self.span(tree),
            **facts,
        )

    def fact(self, facts: dict[str, object], key: str, value: object, tree: lark.Tree) -> None:
        if key in facts:
            word = _KEYWORD_OF_DETAIL.get(key, key)
            self.diagnostics.append(
                codes.REPEATED_FACT.at(self.span(tree), f"'{word}' is given more than once", "keep one of them")
            )
            return
        facts[key] = value

    def stage(self, tree: lark.Tree) -> Stage:
        explicit_id = _written_stage_id(tree)
        if explicit_id is not None:
            self.id_of(tree.children[1])
        children = list(tree.children[2 if explicit_id is not None else 1 :])
        name = unquote(children.pop(0))
        # Without an id, one is made from the name: "Первый" and "Второй" both make
        # `stage`, so made ids are numbered where they are taken.
        stage_id = explicit_id if explicit_id is not None else self.stage_ids.make(slug(name))
        steps = tuple(self.step(step, stage_id) for step in children)
        return Stage(id=stage_id, name=name, steps=steps, explicit_id=explicit_id is not None, span=self.span(tree))

    def step(self, tree: lark.Tree, stage_id: str) -> Step:
        children = list(tree.children[1:])
        step_id = self.id_of(children.pop(0))
        has_label = children and isinstance(children[0], str)
        label = unquote(children.pop(0)) if has_label else made_label(step_id)
        evidence, actions, annotations = [], [], []
        for item in children:
            if item.data == "evidence":
                evidence.extend(self.evidence(item))
            elif item.data == "annotation":
                row, text = item.children
                annotations.append(Annotation(row=str(row), text=unquote(text), span=self.span(item)))
            elif item.data == "action":
                action = self.action(item, stage_id, step_id)
                if action is not None:
                    actions.append(action)
            else:
                self.flows.extend(self.flow(item))
        return Step(
            id=step_id,
            label=label,
            stage=stage_id,
            evidence=tuple(evidence),
            actions=tuple(actions),
            annotations=tuple(annotations),
            span=self.span(tree),
        )

    def evidence(self, tree: lark.Tree) -> list[Evidence]:
        return [Evidence(text=unquote(token), span=self.span(token)) for token in tree.children]

    def action(self, tree: lark.Tree, stage_id: str, step_id: str) -> Action | None:
        actor, text, *modifiers = tree.children
        details: dict[str, object] = {}
        fail: dict[str, object] = {}
        notes, tags, evidence = [], [], []
        fail_details: list[Span] = []
        for modifier in modifiers:
            kind = modifier.data
            value = modifier.children[0] if modifier.children else None
            if kind == "action_id":
                self.fact(details, "id", self.id_of(value), modifier)
            elif kind == "lane_override":
                lane = self.lane(value)
                if lane is Lane.EVIDENCE:
                    # The card would be drawn among the evidence, and pass for something the customer sees.
                    self.evidence_is_no_lane(value, "give the action one of")
                    lane = None
                self.fact(details, "lane", lane, modifier)
            elif kind == "takes":
                self.fact(details, "duration", self.duration(value), modifier)
            elif kind == "wait":
                self.fact(details, "wait", self.duration(value), modifier)
            elif kind == "fail":
                self.fact(fail, "description", unquote(value), modifier)
                fail.setdefault("span", self.span(modifier))
            elif kind == "safe":
                self.fact(fail, "safe", unquote(value), modifier)
                fail_details.append(self.span(modifier))
            elif kind == "fail_owner":
                self.fact(fail, "owner", str(value), modifier)
                fail.setdefault("owner_span", self.span(value))
                fail_details.append(self.span(value))
            elif kind == "emotion":
                self.fact(details, "emotion", self.emotion(value), modifier)
            elif kind == "note":
                notes.append(unquote(value))
            elif kind == "tags":
                tags.extend(str(tag) for tag in modifier.children)
            else:
                evidence.extend(self.evidence(modifier))
        if fail and "description" not in fail:
            self.diagnostics.append(
                codes.ORPHAN_FAIL_DETAIL.at(
                    fail_details[0] if fail_details else self.span(tree),
                    "a fail-safe or owner is given but no fail point",
                    'add fail "what can go wrong" before it',
                )
            )
            fail = {}
        lane = details.pop("lane", None)
        action_id = details.pop("id", None)
        return Action(
            id=action_id or "",
            explicit_id=action_id is not None,
            actor=str(actor),
            text=unquote(text),
            # Without an override the lane is the actor's home lane, set by resolve.
            lane=lane or Lane.CUSTOMER,
            lane_overridden=lane is not None,
            stage=stage_id,
            step=step_id,
            fail=FailPoint(**fail) if fail else None,
            notes=tuple(notes),
            tags=tuple(tags),
            evidence=tuple(evidence),
            span=self.span(tree),
            **details,
        )

    def flow(self, tree: lark.Tree) -> list[Flow]:
        children = list(tree.children)
        loop = bool(children) and isinstance(children[-1], str) and children[-1].type == "LOOP"
        if loop:
            children.pop()
        label = None
        if children and not isinstance(children[-1], str):
            label = unquote(children.pop().children[0])
        ends = children[0::2]
        arrows = children[1::2]
        return [
            Flow(
                source=str(source),
                target=str(target),
                two_way=str(arrow) == "<->",
                label=label,
                loop=loop,
                span=self.between(source, target),
            )
            for source, arrow, target in zip(ends, arrows, ends[1:])
        ]
