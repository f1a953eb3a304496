"""A block opened by a word the language does not have: ``section "Order" {`` as Mermaid's
journeys write a phase, ``task pay "Pay" {`` as a process diagram writes an activity,
``checkout: Checkout {`` as D2 writes a container. Read as the block its place and its
contents make it: in the blueprint, a block of steps is a stage; in a stage, a block of
actions is a step; a block of what its place holds anyway is unwrapped."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

from lark.exceptions import UnexpectedInput

from .. import codes
from ..diagnostics import Diagnostic, Span, clip
from ..grammar import keywords, lalr
from ..text import quote, slug, unquote
from .braces import block_end
from .repairs import blank, is_name, line_of, open_blocks, parses_past, tokens_before
from .spelling import closest_keyword

if TYPE_CHECKING:
    import lark

    from .mistakes import Mistake

#: A block's opening words as other tools write them: a word, an id, a label, and the '{';
#: or, as D2 writes a container, an id, a ':' and a label.
_OPENS = re.compile(
    r'(?P<word>[A-Za-z_]\w*)(?:[ \t]+(?P<id>[A-Za-z_]\w*))?(?:[ \t]+(?P<label>"(?:[^"\\\n]|\\.)*"))?[ \t]*\{'
    r'|(?P<node>[A-Za-z_]\w*)[ \t]*:[ \t]*(?P<node_label>"(?:[^"\\\n]|\\.)*"|[A-Za-z_]\w*)?[ \t]*\{'
)
#: Words other tools open a block with (Mermaid, PlantUML, BPMN, journey maps): one of
#: these before a label is the block's keyword, where another word may be a step's or a
#: stage's id written without the keyword (``one "First" {``).
_BLOCK_WORDS = frozenset({
    "section", "phase", "part", "chapter", "period", "journey", "title", "task", "activity", "touchpoint",
    "moment", "event", "interaction", "subprocess", "process", "pool", "lane", "swimlane", "group", "subgraph",
    "partition", "package", "box", "rectangle", "frame", "container", "cluster",
})
#: What each block holds, as its place writes it, for the message.
_HOLDS = {"blueprint": "stages", "stage": "steps", "step": "actions and flows"}


class _Opening(NamedTuple):
    """A block's opening words: its first word, where they end, and the id and label given;
    ``form`` tells what the first word is: a keyword of another tool's ('keyword'), the
    block's id with the keyword left out ('id'), or the id of a D2 container ('container')."""

    word: lark.Token
    end: int
    written: str
    id: str | None
    label: str | None
    form: str


def unknown_block(m: Mistake) -> tuple[Diagnostic, str] | None:
    opening = _opening(m)
    if opening is None:
        return None
    place = [str(opener) for opener in open_blocks(tokens_before(m.text, opening.word))]
    if place not in (["blueprint"], ["blueprint", "stage"], ["blueprint", "stage", "step"]):
        return None
    holds = block_holds(m.text, opening.end)
    read = _read_as(place[-1], holds) if holds is not None else None
    if read is None or read == "step" and opening.form == "id":
        return None  # in a stage, one "First" {: a step without its keyword, told as such
    end = block_end(m.text, opening.word.start_pos)
    if end is None and read in ("unwrap", "stage with a step"):
        return None
    return _report(m, opening, place[-1], read, end)


def _opening(m: Mistake) -> _Opening | None:
    """The opening words of a block the parser stopped in: at the word, where a place
    takes no name (a stage), or after it, read as a flow's or an action's start."""
    token, before = m.token, m.stack[-1] if m.stack else None
    if is_name(before) and m.expected <= {"ARROW", "COLON"} and before.line == token.line:
        word = before
    elif is_name(token) and "STEP" in m.expected:
        word = token
    else:
        return None
    lead = m.lines[word.line - 1][: word.column - 1].rstrip()
    if lead and lead[-1] not in "{}":
        return None  # not the start of a statement
    opened = _OPENS.match(m.text, word.start_pos)
    if opened is None or token.start_pos >= opened.end() or str(word) in keywords():
        return None
    if closest_keyword(str(word), frozenset({"blueprint", "stage", "step"})) is not None:
        return None  # a misspelt keyword, told as such
    if opened.group("node"):
        label = opened.group("node_label")
        label = label if label is None or label.startswith('"') else quote(label)
        return _Opening(word, opened.end(), opened.group(0), str(word), label, "container")
    given_id, label = opened.group("id"), opened.group("label")
    if given_id in keywords():
        return None
    if given_id is None and str(word) not in _BLOCK_WORDS:
        return _Opening(word, opened.end(), opened.group(0), str(word), label, "id")  # one "First" {
    return _Opening(word, opened.end(), opened.group(0), given_id, label, "keyword")


def block_holds(text: str, start: int) -> str | None:
    """What the block opened just before ``start`` holds, told by its first statement:
    'stages', 'steps', 'actions' (an action, evidence, an annotation, a flow), 'nothing',
    or None for anything else (``{lane: frontstage}``: a node's attributes, no statements)."""
    try:
        tokens = lalr().lex(text[start:], dont_ignore=False)
        first = next(tokens, None)
        second = next(tokens, None) if first is not None and first.type == "NAME" else None
        third = next(tokens, None) if second is not None and second.type == "COLON" else None
    except UnexpectedInput:
        return None
    if first is None:
        return None
    kinds = {"STAGE": "stages", "STEP": "steps", "RBRACE": "nothing", "EVIDENCE": "actions",
             "ANNOTATION_KEY": "actions"}
    if first.type in kinds:
        return kinds[first.type]
    action = second is not None and second.type == "COLON" and third is not None and third.type == "STRING"
    return "actions" if second is not None and (second.type == "ARROW" or action) else None


def _read_as(place: str, holds: str) -> str | None:
    """What a block in ``place`` that ``holds`` this is read as: a stage, a step, a stage
    with a step around its actions, or its contents written straight in ``place``."""
    if place == "blueprint":
        return {"stages": "unwrap", "steps": "stage", "nothing": "stage", "actions": "stage with a step"}[holds]
    if place == "stage":
        return {"steps": "unwrap", "nothing": "step", "actions": "step"}.get(holds)
    return "unwrap" if holds == "actions" else None


#: What each read says of the block.
_WHAT = {
    "stage": "a phase of the scenario, with its steps, is a stage",
    "stage with a step": "a phase of the scenario is a stage, and its actions are written in its steps",
    "step": "an activity in a stage, with its actions, is a step",
}


def _report(m: Mistake, opening: _Opening, place: str, read: str, end: int | None) -> tuple[Diagnostic, str] | None:
    word, closing = opening.word, end - 1 if end is not None else None
    stage = " ".join(part for part in ("stage", opening.id, opening.label or '""') if part) + " {"
    step_id = opening.id or (_made_id(opening.label) if opening.label else str(word))
    text = m.text
    if read == "unwrap":
        meant = None
        replaced = blank(text[word.start_pos : opening.end])
        text = text[:closing] + " " + text[end:]
    elif read == "stage":
        replaced = meant = stage
    elif read == "step":
        replaced = meant = " ".join(part for part in ("step", step_id, opening.label) if part) + " {"
    else:  # its '}' closes the step, and one more the stage
        replaced, meant = f"{stage} step {step_id} {{", f"{stage} step {step_id} {{ ... }} }}"
        text = text[:closing] + "} }" + text[end:]
    repaired = text[: word.start_pos] + replaced + text[opening.end :]
    if not parses_past(repaired, word.line, word.column + len(replaced)):
        return None
    what = _WHAT.get(read) or f"a {place}'s {_HOLDS[place]} are written straight in it"
    if opening.form == "container":
        message = f"'{clip(word)}' is written as a diagram's container: {what}"
    elif opening.form == "id" and read == "unwrap":
        message = f"'{clip(word)}' opens a block inside a {place}: {what}"
    elif opening.form == "id":
        keyword = read.split()[0]
        message = f"the {keyword} '{clip(word)}' is written without the keyword '{keyword}'" + (
            ", and its actions without a step around them" if read == "stage with a step" else "")
    else:
        message = f"the .svc language has no '{clip(word)}' block: {what}"
    written = re.sub(r"\s+", " ", opening.written)
    if meant is None:
        hint = f"remove '{clip(written)}'" + (f" and its '}}' on line {line_of(m.text, closing)}" if end else "")
    elif opening.label is None and read.startswith("stage"):
        named = meant.replace('""', '"Name"', 1)
        hint = f"write {clip(named)}, with the stage's name in quotes"
    else:
        hint = f"write {clip(meant)}"
    diagnostic = codes.SYNTAX_ERROR.at(Span.point(m.path, word.line, word.column, len(opening.written)), message, hint)
    return diagnostic, repaired


def _made_id(label: str) -> str:
    """An id made from a label, as the hint for a step without one makes it."""
    made = slug(unquote(label), default="step")
    made = "step" + made if made.startswith("_") else made
    return made + "_step" if made in keywords() else made
