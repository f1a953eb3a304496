"""An include written as another tool writes one: ``import "staff.svc"`` (Python, JavaScript,
D2), ``!include staff.svc`` (PlantUML), ``@import``, ``require``, ``use``, ``source``: read as
the include it means, so that the actors the included file declares are known."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .. import codes
from ..diagnostics import Diagnostic, Span, clip
from ..text import quote, unquote
from .repairs import parses_past

if TYPE_CHECKING:
    from .mistakes import Mistake

#: Another tool's word for an include, the path (in double or single quotes, in angle
#: brackets, or bare with a '.' or '/' in it, as a file's name has), and nothing after it
#: but a ';' or a comment.
_INCLUDE = re.compile(
    r"(?P<word>[!@%]?(?:include|import|require|use|source|load|input))[ \t]+"
    r"""(?P<path>"(?:[^"\\\n]|\\.)*"|'[^'\n]*'|<[^>\n]*>|[\w-]*[./][\w./\\-]*)[ \t]*;?(?=[ \t]*(?:#.*)?$)"""
)


def include_in_other_words(m: Mistake) -> tuple[Diagnostic, str] | None:
    """A name the parser cannot take that starts such an include: at it, where no name starts
    a statement (at the top of a file), or after it, read as a flow's start (in the blueprint)."""
    token, before = m.token, m.stack[-1] if m.stack else None
    at = before if getattr(before, "type", None) == "NAME" and before.line == token.line else token
    return explain_include(m.lines, m.path, at.line, at.column)


def explain_include(lines: list[str], path: str, line: int, column: int) -> tuple[Diagnostic, str] | None:
    """The include written on ``line`` in another tool's words, if the error at ``column`` is in it."""
    source_line = lines[line - 1]
    start = len(source_line) - len(source_line.lstrip())
    written = _INCLUDE.match(source_line, start)
    if written is None or not start < column <= written.end() or source_line[start:].startswith('include "'):
        return None
    named = written.group("path")
    file = unquote(named) if named.startswith('"') else named.strip("'<>")
    meant = f"include {quote(file)}"
    text = "\n".join([*lines[: line - 1], source_line[:start] + meant + source_line[written.end() :], *lines[line:]])
    if not file or not parses_past(text, line):
        return None
    word = written.group("word")
    message = (
        "the path of an include is written in double quotes" if word == "include"
        else f"a file is included with the keyword include, not '{clip(word)}'"
    )
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(path, line, start + 1, written.end() - start), message, f"write {clip(meant)}"
    )
    return diagnostic, text
