"""Prose and Markdown where a statement belongs: a line of it, a list's mark before a
statement, and words after a statement on its line."""

from __future__ import annotations

import re

from .. import codes
from ..diagnostics import Diagnostic, Span, clip, visible
from ..grammar import keywords
from .repairs import first_error, parses_past


def mark_before_statement(lines: list[str], path: str, line: int, start: int,
                          end: int) -> tuple[Diagnostic, str] | None:
    """``- guest: "Orders"`` or ``1. guest: "Orders"``: a list's mark, from ``start`` to
    ``end`` of the line, before a statement that reads without it; or before one that
    starts with a keyword or a name the file declares and has an error of its own past
    its first two words (``- guest: Orders"``, not ``- Note: ask about sizes``); or None."""
    source_line = lines[line - 1]
    written = source_line[start:end]
    unmarked = source_line[:start] + " " * len(written) + source_line[end:]
    words = list(_WORDS.finditer(unmarked, end))
    if len(words) < 2:
        return None
    stop = first_error("\n".join([*lines[: line - 1], unmarked, *lines[line:]]))
    if stop is not None and (stop <= (line, words[1].end()) or not _known_word(words[0].group(), lines)):
        return None
    diagnostic = codes.UNEXPECTED_CHARACTER.at(
        Span.point(path, line, start + 1, len(written)),
        f"unexpected {'characters' if len(written) > 1 else 'character'} '{clip(visible(written))}' "
        "before a statement",
        "remove them" if len(written) > 1 else "remove it",
    )
    lines[line - 1] = unmarked
    return diagnostic, "\n".join(lines)


def may_be_prose(source_line: str, column: int, line: int, rewritten: set[int]) -> bool:
    """Whether the line may be prose, the character at ``column`` starting it: no brace,
    which would make it part of the blocks, and not a line a repair wrote."""
    return not source_line[: column - 1].strip() and not re.search(r"[{}]", source_line) and line not in rewritten


def prose_line(lines: list[str], path: str, line: int, column: int, end: int) -> tuple[Diagnostic, str]:
    """``*** TODO ***``, ``---``, ``1. Stage two``: a line of prose or markup, not one
    statement gone wrong, whose mark runs from ``column`` to ``end``. One error for the
    line, which is read as blank."""
    source_line = lines[line - 1]
    written = source_line.strip()
    diagnostic = codes.UNEXPECTED_CHARACTER.at(
        Span.point(path, line, column, len(written)),
        f"this line is not a statement: it starts with '{clip(visible(source_line[column - 1 : end]))}'",
        "to keep it as a note, start the line with #",
    )
    lines[line - 1] = " " * len(source_line)
    return diagnostic, "\n".join(lines)


def prose_after_statement(lines: list[str], path: str, line: int,
                          run: tuple[int, int]) -> tuple[Diagnostic, str] | None:
    """``guest: "Orders" as order *** TODO ***``: the text from the ``run`` of a character
    with no use to the end of the line, after a statement that reads without it, as one
    error; or None."""
    source_line = lines[line - 1]
    start, end = run
    written = source_line[start:].rstrip()
    if len(written) == end - start or re.search(r'[{}"#]', written):
        return None  # the run alone (;;), or text the rest of the file may yet read
    without_run = source_line[:start] + " " * (end - start) + source_line[end:]
    if parses_past("\n".join([*lines[: line - 1], without_run, *lines[line:]]), line):
        return None  # guest: "Orders" $$ as order: the statement goes on after the run
    cut = source_line[:start] + " " * (len(source_line) - start)
    if not parses_past("\n".join([*lines[: line - 1], cut, *lines[line:]]), line):
        return None
    diagnostic = codes.UNEXPECTED_CHARACTER.at(
        Span.point(path, line, start + 1, len(written)),
        f"'{clip(visible(written))}' after the statement is not part of it",
        "to keep it as a note, write # before it",
    )
    lines[line - 1] = cut
    return diagnostic, "\n".join(lines)


def _known_word(word: str, lines: list[str]) -> bool:
    """Whether ``word`` is a keyword, or a name the file gives an actor or an action."""
    named = re.compile(rf"\b(?:actor|person|role|system|partner|as)\s+{re.escape(word)}\b")
    return word in keywords() or any(named.search(text) for text in lines)


# The words of a line as the parser reads them, near enough: names, strings, arrows, marks.
_WORDS = re.compile(r'\w+|"(?:[^"\\]|\\.)*"?|<?->|\S')
