"""Mistakes in an actor's declaration: its kind, its lane, its label, how it is listed."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import lark

from .. import codes
from ..diagnostics import Diagnostic, Span, clip
from ..grammar import keywords
from ..model import ACTOR_LANES, LANE_NAMES, ActorKind
from .repairs import last_statement
from .spelling import closest_keyword

if TYPE_CHECKING:
    from .mistakes import Mistake


def unknown_actor_kind(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``team booking support "Booking"``: read as a flow from its first word, the parse
    fails at the id."""
    if m.expected != {"ARROW"} or not m.stack or m.token.type != "NAME":
        return None
    kind = m.stack[-1]
    if not isinstance(kind, lark.Token) or kind.type != "NAME" or kind.line != m.token.line:
        return None
    declaration = re.match(r"\s*(\w+)\s+(\w+)\s+(\w+)", m.lines[kind.line - 1])
    if declaration is None or declaration.start(1) != kind.column - 1 or declaration.group(3) not in LANE_NAMES:
        return None
    if closest_keyword(str(kind), frozenset(k.value for k in ActorKind)) is not None:
        return None  # a misspelt kind, reported as such
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, kind.line, kind.column, len(kind)),
        f"'{clip(kind)}' is not a kind of actor",
        "declare an actor with one of: " + ", ".join(k.value for k in ActorKind),
    )
    return diagnostic, m.text[: kind.start_pos] + "actor".ljust(len(kind)) + m.text[kind.end_pos :]


def actor_without_lane(m: Mistake) -> tuple[Diagnostic, str] | None:
    laneless = _laneless_declaration(m.stack, m.token, m.expected)
    if laneless is None:
        return None
    kind, actor, label = laneless
    at = label or actor
    column = at.column if label else at.end_column + 1
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, at.line, column),
        f"actor '{clip(actor)}' has no lane",
        f"write its lane after the name, such as {kind} {clip(actor)} frontstage{f' {clip(label)}' if label else ''}; "
        "the lanes are " + ", ".join(lane.value for lane in ACTOR_LANES),
    )
    # The lane is read as '_', which names no lane: the actor then acts without more errors.
    if label:
        return diagnostic, m.text[: label.start_pos] + "_ " + m.text[label.start_pos :]
    return diagnostic, m.text[: actor.end_pos] + " _" + m.text[actor.end_pos :]


def _laneless_declaration(
    stack: list, token: lark.Token, expected: set[str]
) -> tuple[lark.Token, lark.Token, lark.Token | None] | None:
    """An actor declared without a lane: its kind, its name and its label, if any.

    Either the parser wants the lane now, or it took the keyword that starts the next
    line for it (``actor guest`` then ``person clerk frontstage``).
    """
    if len(stack) >= 2 and getattr(stack[-2], "type", None) == "ACTOR_KIND" and expected == {"NAME"}:
        if token.line > stack[-1].line:
            return stack[-2], stack[-1], None
        return (stack[-2], stack[-1], token) if token.type == "STRING" else None
    last = last_statement(stack)
    declared = list(last.children) if isinstance(last, lark.Tree) and last.data == "actor" else stack[-3:]
    if len(declared) != 3 or not all(isinstance(item, lark.Token) for item in declared):
        return None
    kind, actor, lane = declared
    if kind.type == "ACTOR_KIND" and lane.line > actor.line and str(lane) in keywords():
        return kind, actor, None
    return None


def label_before_id(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``system "Order screen" screen frontstage``: the label written first."""
    token, kind = m.token, m.stack[-1] if m.stack else None
    if token.type != "STRING" or getattr(kind, "type", None) != "ACTOR_KIND" or token.end_line != token.line:
        return None
    rest = m.lines[token.line - 1][token.end_column - 1 :]
    after = re.match(r"(\s+)([A-Za-z_]\w*)\s+([A-Za-z_]\w*)(?=\s*(#|$))", rest)
    if after is None or after.group(3) not in LANE_NAMES:
        return None
    end = token.end_pos + after.end()
    meant = f"{after.group(2)} {after.group(3)} {token}"
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, token.line, token.column, len(token)),
        "an actor's label comes after its id and lane",
        f"write {kind} {clip(meant)}",
    )
    return diagnostic, m.text[: token.start_pos] + meant.ljust(end - token.start_pos) + m.text[end:]


def yaml_list(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``actors:`` over lines of ``guest: customer``, as in YAML: each line read as the
    declaration it means."""
    colon = m.token
    if colon.type != "COLON":
        return None
    header = re.fullmatch(r"(\s*)([A-Za-z_]\w*)\s*(:)\s*(#.*)?", m.lines[colon.line - 1])
    if header is None or header.start(3) != colon.column - 1:
        return None
    indent, word = len(header.group(1)), header.group(2)
    items = []
    for number in range(colon.line, len(m.lines)):
        item = re.fullmatch(r"(\s*)([A-Za-z_]\w*)\s*:\s*([A-Za-z_]\w*)\s*(\"[^\"\n]*\")?\s*", m.lines[number])
        if item is None or len(item.group(1)) <= indent:
            break
        items.append((number, item))
    if not items:
        return None
    lines = list(m.lines)
    lines[colon.line - 1] = ""
    declarations = word.rstrip("s") == "actor" and all(item.group(3) in LANE_NAMES for _, item in items)
    for number, item in items:
        # The line is read as the declaration it means; nothing else on it can move.
        lines[number] = f"actor {item.group(2)} {item.group(3)} {item.group(4) or ''}" if declarations else ""
    first = items[0][1]
    example = f"actor {first.group(2)} {first.group(3)}" if declarations else 'actor id lane "Name"'
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, colon.line, indent + 1, header.end(3) - indent),
        f"'{clip(word)}:' and the lines under it are written as in YAML",
        f"declare each on a line of its own, such as {clip(example)}",
    )
    return diagnostic, "\n".join(lines)
