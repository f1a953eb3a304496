"""A step's annotation (``metric``, ``policy``, ``time``) written with a duration where its
text in quotes belongs: ``time 2h`` on a line of its own, the step's time note in words
without its quotes; ``time 8min`` right after an action, that action's own time, which
is written after ``takes`` (or ``wait``)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import lark

from .. import codes
from ..diagnostics import Diagnostic, Span, clip
from ..text import quote
from .repairs import blank, last_statement, last_token, parses_past, text_from

if TYPE_CHECKING:
    from .mistakes import Mistake


def duration_for_annotation(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``time 2h``, ``metric 5min``: a duration where an annotation's text belongs."""
    token, key = m.token, m.stack[-1] if m.stack else None
    if token.type != "DURATION" or getattr(key, "type", None) != "ANNOTATION_KEY" or "STRING" not in m.expected:
        return None
    if key.line != token.line:
        return None  # time, then a line of its own: the text is missing, not unquoted
    found = _time_of_action(m, key) if key == "time" else None
    if found is not None:
        return found
    source_line = m.lines[token.line - 1]
    # The words to the end of the line (time 2h total), or the duration alone where a statement follows it.
    words = text_from(source_line, token.column)
    candidates = [(words, token.column + len(words) + 2)] if '"' not in words else []
    for written, column in [*candidates, (str(token), None)]:
        repaired = m.text[: token.start_pos] + quote(written) + m.text[token.start_pos + len(written) :]
        if parses_past(repaired, token.line, column):
            break
    else:
        return None
    meant = f"{key} {quote(written)}"
    own_time = f"; an action's own time is written after its text: takes {clip(token)}, or wait {clip(token)}"
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, token.line, token.column, len(written)),
        f"'{key}' takes its text in quotes",
        f"write {clip(meant)}" + (own_time if key == "time" else ""),
    )
    return diagnostic, repaired


def _time_of_action(m: Mistake, key: lark.Token) -> tuple[Diagnostic, str] | None:
    """``guest: "Waits" time 8min as wait``: the action's time written with the step's keyword,
    read as the first of ``takes`` and ``wait`` the action has not given."""
    action = last_statement(m.stack)
    if not isinstance(action, lark.Tree) or action.data != "action" or last_token(action).line != key.line:
        return None
    given = {child.data for child in action.children if isinstance(child, lark.Tree)}
    keyword = next((word for word in ("takes", "wait") if word not in given), None)
    if keyword is None:
        return None
    repaired = m.text[: key.start_pos] + keyword + m.text[key.end_pos :]
    if not parses_past(repaired, key.line, key.column + len(keyword) + 1 + len(m.token)):
        return None
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, key.line, key.column, len(key)),
        "'time' after an action opens the step's time note, which is text in quotes",
        f"an action's own time is written after 'takes', a wait after 'wait': write {keyword} {clip(m.token)}",
    )
    return diagnostic, repaired


def time_after_duration_keyword(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``wait time 5min``, ``takes time 8min``: 'time' between a duration's keyword and its
    duration, read as the keyword of the step's time note."""
    token, keyword = m.token, m.stack[-1] if m.stack else None
    if token.type != "ANNOTATION_KEY" or str(token) != "time" or "DURATION" not in m.expected:
        return None
    if not isinstance(keyword, lark.Token) or keyword.line != token.line:
        return None
    duration = _DURATION_AFTER.match(m.lines[token.line - 1], token.end_column - 1)
    if duration is None:
        return None  # what is after 'time' is no duration: its own error says what is wrong
    repaired = m.text[: token.start_pos] + blank(str(token)) + m.text[token.end_pos :]
    if not parses_past(repaired, token.line, token.end_column + duration.end()):
        return None
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, token.line, token.column, len(token)),
        f"'time' between '{keyword}' and its duration is a word too many",
        f"write {keyword} {clip(duration.group(1))}",
    )
    return diagnostic, repaired


#: A duration after a place, on its line.
_DURATION_AFTER = re.compile(r"[ \t]+(-?[0-9]+(?:\.[0-9]+)?[A-Za-z]+)(?![\w.])")
