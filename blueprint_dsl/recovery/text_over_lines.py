"""Text over several lines as YAML writes it (``description: |``, or ``>``, and its lines indented
below) or Python does (between ``'''``): each line of it would be read as a statement. Said once,
at the mark that opens it, and read as the string between ``\"\"\"`` it means."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .. import codes
from ..diagnostics import Diagnostic, Span
from ..grammar import keywords
from .repairs import parses_past

if TYPE_CHECKING:
    from .mistakes import Mistake

#: The mark that opens text over lines, to the end of its line: YAML's '|' or '>' (with its sign
#: of how the text ends), or Python's '''; and before it (searched up to it), a keyword whose
#: value is text, or an actor before the ':' of an action.
_MARK = re.compile(r"(?P<mark>[|>][-+]?|''')[ \t]*(?:#.*)?$")
_BEFORE = re.compile(r"(?<!\w)(?P<word>[A-Za-z_]\w*)(?P<colon>[ \t]*:)?[ \t]*$")
#: The keywords whose value is text.
_TEXT_KEYWORDS = frozenset({"scenario", "persona", "segment", "owner", "version", "description", "note", "fail",
                            "safe", "metric", "policy", "time", "evidence", "with"})
#: The most lines Python's text is looked for its closing ''' on.
_MOST_LINES = 50


def explain_text_over_lines(lines: list[str], path: str, line: int, column: int) -> tuple[Diagnostic, str] | None:
    """The error at ``column`` of ``line``, if it is in the mark that opens text over several lines
    as YAML or Python writes it (or in the ':' before it), after a keyword whose value is text."""
    source_line = lines[line - 1]
    colon = re.compile(r":[ \t]*").match(source_line, column - 1)
    found = _MARK.match(source_line, colon.end() if colon else column - 1)
    before = _BEFORE.search(source_line, 0, found.start()) if found else None
    if before is None:
        return None
    word, mark = before.group("word"), found.group("mark")
    if word in keywords() and word not in _TEXT_KEYWORDS or word not in keywords() and not before.group("colon"):
        return None  # no keyword whose value is text, nor an action's actor
    indent = len(source_line) - len(source_line.lstrip())
    last = _python_end(lines, line) if mark == "'''" else _yaml_end(lines, line, indent)
    if last is None:
        return None
    body = "\n".join(lines[line:last])
    if '"""' in body or "\\" in body:
        return None  # a string between """ would not hold it as written
    # The mark, and a keyword's ':' before it (an action's stays), read as the opening quotes.
    keyword_colon = bool(before.group("colon")) and word in keywords()
    start = before.start("colon") if keyword_colon else found.start()
    repaired = list(lines)
    repaired[line - 1] = source_line[:start] + (' """' if keyword_colon else '"""') + source_line[found.end("mark") :]
    if mark == "'''":
        closing = lines[last - 1].rindex("'''")
        repaired[last - 1] = lines[last - 1][:closing] + '"""' + lines[last - 1][closing + 3 :]
    else:
        repaired[last - 1] = lines[last - 1] + '"""'
    text = "\n".join(repaired)
    if not parses_past(text, last):
        return None
    written = source_line[start : found.end("mark")].strip()
    if mark == "'''":
        message = "text over several lines is written between \"\"\", not between ''' as in Python"
        hint = f"write \"\"\" for each ''' (here and on line {last})"
    else:
        message = f"text over several lines is written between \"\"\", not after '{mark}' as in YAML"
        hint = f'write {word}{":" if word not in keywords() else ""} """ here, and """ at the end of line {last}'
    column = start + len(source_line[start:]) - len(source_line[start:].lstrip()) + 1
    diagnostic = codes.SYNTAX_ERROR.at(Span.point(path, line, column, len(written)), message, hint)
    return diagnostic, text


def _yaml_end(lines: list[str], line: int, indent: int) -> int | None:
    """The number of the last line of YAML's text after ``line``: the lines indented more than it."""
    last = None
    for number in range(line + 1, len(lines) + 1):
        text = lines[number - 1]
        if not text.strip():
            continue
        if len(text) - len(text.lstrip()) <= indent:
            break
        last = number
    return last


def _python_end(lines: list[str], line: int) -> int | None:
    """The number of the line after ``line`` that closes Python's text with ''', or None."""
    for number in range(line + 1, min(line + _MOST_LINES, len(lines)) + 1):
        if "'''" in lines[number - 1]:
            return number
    return None


def text_over_lines(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``description: |``: the ':' as YAML writes it, before the mark that opens text over lines."""
    if m.token.type != "COLON":
        return None
    return explain_text_over_lines(list(m.lines), m.path, m.token.line, m.token.column)
