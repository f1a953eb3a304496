"""Mistakes in how a value is written: its quotes, its commas, its keyword, its unit."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .. import codes
from ..diagnostics import Diagnostic, Span
from ..grammar import keywords
from ..text import slug, unquote
from .repairs import line_of, short

if TYPE_CHECKING:
    from .mistakes import Mistake


def trailing_comma(m: Mistake) -> tuple[Diagnostic, str] | None:
    comma = re.search(r",\s*$", m.text[: m.token.start_pos])
    if not comma or not m.expected <= {"STRING", "NAME"}:
        return None
    line = line_of(m.text, comma.start())
    if m.token.type in m.expected and m.token.line == line:
        return None
    column = comma.start() - m.text.rfind("\n", 0, comma.start())
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, line, column), "a ',' with nothing after it", "remove it, or write the next item after it"
    )
    return diagnostic, m.text[: comma.start()] + " " + m.text[comma.start() + 1 :]


def colon_after_keyword(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``emotion: pleased``, as in YAML."""
    stack, token = m.stack, m.token
    if token.type == "COLON" and stack and str(stack[-1]) in keywords() and stack[-1].line == token.line:
        keyword, colon = stack[-1], token
    elif len(stack) >= 2 and getattr(stack[-1], "type", None) == "COLON" and str(stack[-2]) in keywords():
        keyword, colon = stack[-2], stack[-1]
    else:
        return None
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, colon.line, colon.column),
        f"'{keyword}' takes no ':'",
        f"write {keyword} and its value with a space between them",
    )
    return diagnostic, m.text[: colon.start_pos] + " " + m.text[colon.end_pos :]


def string_for_name(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``tag "happy path"``: a string after a keyword that takes a name."""
    token = m.token
    if token.type != "STRING" or m.expected != {"NAME"} or not m.stack or str(m.stack[-1]) not in keywords():
        return None
    keyword, label = m.stack[-1], unquote(token)
    made = (slug(label) if re.search(r"[0-9A-Za-z]", label) else "x")[: len(token)]
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, token.line, token.column, len(token) if token.end_line == token.line else 1),
        f"'{keyword}' takes a name, not a string",
        f"write a name of letters, digits and _ without quotes: {keyword} {made}",
    )
    return diagnostic, m.text[: token.start_pos] + made.ljust(len(token)) + m.text[token.end_pos :]


def quoted_duration(m: Mistake) -> tuple[Diagnostic, str] | None:
    token = m.token
    if token.type != "STRING" or "DURATION" not in m.expected or not re.fullmatch(r'"\s*-?[0-9][^"]*"', str(token)):
        return None
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, token.line, token.column, len(token)),
        "a duration is written without quotes",
        f"write {unquote(token).strip()}",
    )
    return diagnostic, m.text[: token.start_pos] + " " + str(token)[1:-1] + " " + m.text[token.end_pos :]


def duration_in_words(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``takes five minutes``: the words up to the next keyword are the duration meant."""
    token = m.token
    if "DURATION" not in m.expected or token.type != "NAME" or str(token) in keywords():
        return None
    words, width = [], 0
    for word in re.finditer(r"\S+", m.lines[token.line - 1][token.column - 1 :]):
        if word.group(0) in keywords() or not re.fullmatch(r"[A-Za-z_]\w*", word.group(0)):
            break
        words.append(word.group(0))
        width = word.end()
    diagnostic = codes.INVALID_DURATION.at(
        Span.point(m.path, token.line, token.column, width),
        f"'{short(' '.join(words))}' is not a duration",
        "write a number and its unit, such as 5min, 90s or 2h",
    )
    return diagnostic, m.text[: token.start_pos] + "0s".ljust(width) + m.text[token.start_pos + width :]
