"""The marks a drawing puts on an action (Shostack's W for a wait, F for a fail point),
written for the keywords they stand for."""

from __future__ import annotations

from typing import TYPE_CHECKING

import lark

from .. import codes
from ..diagnostics import Diagnostic, Span, clip
from .repairs import is_name, last_statement, parses_past

if TYPE_CHECKING:
    from .mistakes import Mistake

# Each mark, what it marks, the keyword the language writes, and the value that keyword takes.
_MARKS = {"W": ("wait", "wait", "DURATION"), "F": ("fail point", "fail", "STRING")}


def mark_for_keyword(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``s: "Serves" W 10min``, ``F "Cup too hot"``: after an action, the mark the
    drawing shows for a detail, written where the detail's keyword belongs."""
    mark, action = m.stack[-1] if m.stack else None, last_statement(m.stack)
    if not is_name(mark) or str(mark).upper() not in _MARKS:
        return None
    marked, keyword, value = _MARKS[str(mark).upper()]
    if m.token.type != value or not isinstance(action, lark.Tree) or action.data != "action":
        return None
    repaired = m.text[: mark.start_pos] + keyword + m.text[mark.end_pos :]
    if not parses_past(repaired, m.token.line):
        return None
    written = str(m.token).partition("\n")[0]
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, mark.line, mark.column, len(mark)),
        f"'{mark}' is the mark a drawing shows for a {marked}: the keyword is '{keyword}'",
        f"write {keyword} {clip(written)}",
    )
    return diagnostic, repaired
