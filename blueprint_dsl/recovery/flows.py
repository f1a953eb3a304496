"""Mistakes in how a flow is written: its label without a ':' or after its loop, its loop
before it, an action named by its text."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import lark

from .. import codes
from ..diagnostics import Diagnostic, Span, clip
from ..text import slug, unquote
from .repairs import blank, is_name, parses_past

if TYPE_CHECKING:
    from .mistakes import Mistake


def flow_label_without_colon(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``ask -> take "the order"``: the label of a flow comes after ':'."""
    token = m.token
    if token.type != "STRING" or not {"COLON", "LOOP"} <= m.expected:
        return None
    flow = m.lines[token.line - 1][: token.column - 1].strip()
    if not re.search(r"<?->", flow):
        return None
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, token.line, token.column, len(token) if token.end_line == token.line else 1),
        "a flow's label comes after ':'",
        f"write {clip(flow)} : {clip(str(token))}",
    )
    space = m.text[token.start_pos - 1] == " "
    colon = token.start_pos - 1 if space else token.start_pos
    return diagnostic, m.text[:colon] + ":" + m.text[colon + space :]


def text_in_flow(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``"Collects the bike" -> give_back``: an action named in a flow by its text."""
    token = m.token
    if token.type != "STRING" or token.end_line != token.line:
        return None
    line = m.lines[token.line - 1]
    starts_flow = not line[: token.column - 1].strip() and re.match(r"\s*<?->", line[token.end_column - 1 :])
    if not starts_flow and getattr(m.stack[-1] if m.stack else None, "type", None) != "ARROW":
        return None
    texts = _texts_in_flow(line, token.column - 1)
    if len(texts) > 1:
        return _texts_in_flow_explained(m, texts)
    action_id = _id_of_text(m.text, str(token))
    if action_id is not None:
        hint = f"write {clip(action_id)}, the id of the action with this text"
        repaired = m.text[: token.start_pos] + action_id.ljust(len(token)) + m.text[token.end_pos :]
    else:
        label = unquote(token)
        made = clip(slug(label, default="x"))
        hint = f"give the action an id after its text, such as as {made}, and write the id here"
        repaired = _flow_left_out(m, token)
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, token.line, token.column, len(token)), "a flow names an action by its id, not its text", hint
    )
    return diagnostic, repaired


#: An end of a flow, as a name or a string, and the arrow before the next.
_FLOW_END = re.compile(r'("(?:[^"\\\n]|\\.)*"|[A-Za-z_]\w*)([ \t]*<?->[ \t]*)?')


def _texts_in_flow(line: str, start: int) -> list[re.Match]:
    """The ends of the flow at ``start`` on ``line`` (the first a string) that are strings,
    while arrows join them."""
    texts, position = [], start
    while (end := _FLOW_END.match(line, position)) is not None:
        if end.group(1).startswith('"'):
            texts.append(end)
        if not end.group(2):
            break
        position = end.end()
    return texts


def _texts_in_flow_explained(m: Mistake, texts: list[re.Match]) -> tuple[Diagnostic, str]:
    """``"Orders" -> "Serves"``: the actions of a flow all named by their texts, said once."""
    token, line = m.token, m.lines[m.token.line - 1]
    ids = [_id_of_text(m.text, text.group(1)) for text in texts]
    start, end = texts[0].start(), texts[-1].end(1)
    meant = line[start:end]
    for text, action_id in reversed(list(zip(texts, ids))):
        written = action_id or slug(unquote(text.group(1)), default="x")
        meant = meant[: text.start(1) - start] + written + meant[text.end(1) - start :]
    if all(ids):
        hint = f"write {clip(meant)}, with the ids of the actions with these texts"
        offset = token.start_pos - (token.column - 1)
        repaired = m.text
        for text, action_id in reversed(list(zip(texts, ids))):
            at = offset + text.start(1)
            repaired = repaired[:at] + action_id.ljust(len(text.group(1))) + repaired[at + len(text.group(1)) :]
    else:
        hint = f"a flow joins action ids: give each action an id after its text (as ID), then write {clip(meant)}"
        repaired = _flow_left_out(m, token)
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, token.line, start + 1, end - start), "a flow names actions by their ids, not their texts",
        hint,
    )
    return diagnostic, repaired


def _id_of_text(text: str, written: str) -> str | None:
    """The id of the action whose text is ``written``, if it has one."""
    action = re.search(r":\s*" + re.escape(written) + r"[^\n]*?\bas\s+([A-Za-z_]\w*)", text)
    return action.group(1) if action else None


def _flow_left_out(m: Mistake, token: lark.Token) -> str:
    """The text with the flow on ``token``'s line blanked: with no id to read an action as,
    nothing else is reported of it."""
    line = m.lines[token.line - 1]
    start = token.start_pos - (token.column - 1)
    return m.text[:start] + re.sub(r"[^{}]", " ", line) + m.text[start + len(line) :]


#: A string on the line after a ':', and the spaces before it.
LABEL_AFTER = re.compile(r'[ \t]*("(?:[^"\\\n]|\\.)*")')


def label_after_loop(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``ride -> quote loop "still squeaks"``: a flow's label written after its loop."""
    token, loop = m.token, m.stack[-1] if m.stack else None
    if token.type != "STRING" or token.end_line != token.line or str(loop) != "loop" or loop.line != token.line:
        return None
    return label_before_loop(m, loop, str(token), token.end_pos)


def label_before_loop(m: Mistake, loop: lark.Token, label: str, end: int) -> tuple[Diagnostic, str] | None:
    """The flow whose ``loop`` is followed by its ``label`` (up to ``end``, a ':' between them
    or not), written the other way round, where that mends the line."""
    if not re.search(r"<?->", m.lines[loop.line - 1][: loop.column - 1]):
        return None
    repaired = m.text[: loop.start_pos] + f": {label} loop" + m.text[end:]
    if not parses_past(repaired, loop.line):
        return None
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, loop.line, loop.column, len(loop)), "a flow's label comes before 'loop'",
        f"write : {clip(label)} loop",
    )
    return diagnostic, repaired


#: A flow on its line: names joined by arrows, its label and its loop, if any.
_FLOW = re.compile(r'\w+(?:[ \t]*<?->[ \t]*\w+)+(?:[ \t]*:[ \t]*"(?:[^"\\\n]|\\.)*")?([ \t]+loop)?(?=[ \t]*(?:#.*)?$)')


def loop_before_flow(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``loop ride -> quote``: the ``loop`` that marks a flow written before it, read as the
    first name of a flow."""
    loop, token = m.stack[-1] if m.stack else None, m.token
    if not is_name(loop) or str(loop) != "loop" or token.type != "NAME" or token.line != loop.line:
        return None
    flow = _FLOW.match(m.lines[token.line - 1], token.column - 1)
    if flow is None:
        return None
    meant = flow.group(0) + ("" if flow.group(1) else " loop")  # loop ride -> quote loop: once is enough
    end = token.start_pos + len(flow.group(0))
    repaired = m.text[: loop.start_pos] + meant.ljust(end - loop.start_pos) + m.text[end:]
    if not parses_past(repaired, token.line):
        return None
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, loop.line, loop.column, len(loop)), "'loop' comes after the flow it marks",
        f"write {clip(meant)}",
    )
    return diagnostic, repaired


#: ``loop`` and a name alone on their line.
_LOOP_AND_NAME = re.compile(r"[ \t]*(loop[ \t]+([A-Za-z_]\w*))[ \t]*(?:#.*)?")


def loop_without_flow(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``loop take``: the ``loop`` that marks a flow, and the name of an action, with no
    flow after them; after a flow, the grammar reads the ``loop`` as that flow's."""
    top = m.stack[-1] if m.stack else None
    if not is_name(top) or "ARROW" not in m.expected or m.expected - {"ARROW", "COLON"}:
        return None
    name = m.token if str(top) == "loop" and m.token.line == top.line else top
    written = _LOOP_AND_NAME.fullmatch(m.lines[name.line - 1])
    if written is None or written.start(2) != name.column - 1:
        return None
    start = name.start_pos - (name.column - 1)
    repaired = m.text[: start + written.start(1)] + blank(written.group(1)) + m.text[start + written.end(1) :]
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, name.line, written.start(1) + 1, len(written.group(1))),
        "'loop' marks a flow, and no flow follows it here",
        f"write the flow, with loop after it: {clip(written.group(2))} -> ID loop",
    )
    return diagnostic, repaired
