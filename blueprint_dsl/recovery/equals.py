"""A keyword and its value with an '=' between them, as a settings file writes them
(``tolerance = 10min``, ``owner = "Ops"``): the '=' read as a space, and the value as the
keyword takes it."""

from __future__ import annotations

import re

from .. import codes
from ..diagnostics import Diagnostic, Span, clip
from ..grammar import keywords
from ..model import ActorKind
from ..text import quote, unquote
from .durations import DURATION_KEYWORDS, SPOKEN_DURATION, WORD_BEFORE, duration_spoken
from .repairs import parses_past, text_from

#: The keywords that take no value, or open a block or a declaration: no '=' is meant after them.
_WITHOUT_VALUE = frozenset({"blueprint", "stage", "step", "loop", *(kind.value for kind in ActorKind)})
#: A value after an '=': a string or a word.
_VALUE = re.compile(r'[ \t]*("(?:[^"\\\n]|\\.)*"|[^\s{}#"]+)')


def equals_after_keyword(
    lines: list[str], path: str, line: int, column: int, allowed: set[str]
) -> tuple[Diagnostic, str] | None:
    """``tolerance = 10min``, ``owner = "Ops"``: a keyword and its value with an '=' between
    them, as a settings file writes them; a text after it without quotes (``owner = Ops``,
    where ``allowed`` is a string) is read in them."""
    source_line = lines[line - 1]
    if source_line[column - 1 : column] != "=" or source_line[column : column + 1] in ("=", ">"):
        return None
    before = WORD_BEFORE.search(source_line, 0, column - 1)
    keyword = before.group(1) if before else None
    if keyword not in keywords() or keyword in _WITHOUT_VALUE:
        return None
    value = _VALUE.match(source_line, column)
    rest = source_line[column:]
    duration = _duration_after_equals(source_line, column) if keyword in DURATION_KEYWORDS else None
    if duration is not None:
        # tolerance = 30 minutes, = "30min": the duration meant, read in their place.
        written, meant = duration
        start = value.start(1)
        rest = source_line[column:start] + meant.ljust(len(written)) + source_line[start + len(written) :]
    elif value is not None and allowed == {"STRING"} and not value.group(1).startswith('"'):
        # The text to the end of the line, a brace or a comment, in quotes.
        words = text_from(source_line, column + 1).strip()
        meant = quote(words)
        rest = " " + meant + source_line[value.start(1) + len(words) :]
    elif keyword in DURATION_KEYWORDS:
        meant = None  # what is wrong with the value, its own error says
    else:
        meant = value.group(1) if value else None
    diagnostic = codes.UNEXPECTED_CHARACTER.at(
        Span.point(path, line, column),
        f"'{keyword}' takes no '='",
        f"write {keyword} {clip(meant)}" if meant else f"write {keyword} and its value with a space between them",
    )
    lines[line - 1] = source_line[: column - 1] + " " + rest
    return diagnostic, "\n".join(lines)


#: An actor and the text of its action with an '=' between them, at the start of a statement.
_ACTION_WITH_EQUALS = re.compile(r'(?:^|(?<=[{}]))[ \t]*([A-Za-z_]\w*)[ \t]*=[ \t]*("(?:[^"\\\n]|\\.)*")')


def equals_for_colon(lines: list[str], path: str, line: int, column: int) -> tuple[Diagnostic, str] | None:
    """``guest = "Asks"``: an action written with an '=' where its ':' belongs; read with the ':'."""
    source_line = lines[line - 1]
    if source_line[column - 1 : column] != "=":
        return None
    action = next((found for found in _ACTION_WITH_EQUALS.finditer(source_line)
                   if found.end(1) < column <= found.start(2)), None)
    if action is None or action.group(1) in keywords():
        return None
    repaired = "\n".join([*lines[: line - 1], source_line[: column - 1] + ":" + source_line[column:], *lines[line:]])
    if not parses_past(repaired, line):
        return None  # where no action goes, the ':' would not help
    diagnostic = codes.UNEXPECTED_CHARACTER.at(
        Span.point(path, line, column),
        "an action's text comes after a ':'",
        f"write {clip(action.group(1))}: {clip(action.group(2))}",
    )
    return diagnostic, repaired


def _duration_after_equals(source_line: str, column: int) -> tuple[str, str] | None:
    """The duration written after the '=' at ``column`` (``30 minutes``, ``"30min"``), as it is
    written and as it is meant; None when it is no duration."""
    start = len(source_line) - len(source_line[column:].lstrip(" \t"))
    string = re.match(r'"(?:[^"\\\n]|\\.)*"', source_line[start:])
    spoken = SPOKEN_DURATION.match(source_line, start)
    written = string.group() if string else spoken.group() if spoken else ""
    meant = duration_spoken(unquote(written) if string else written) if written else None
    return (written, meant) if meant else None
