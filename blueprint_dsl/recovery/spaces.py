"""Spaces pasted from a page or a document that are not plain ones: a no-break space, a
zero-width space; read as plain spaces, or as nothing inside a name."""

from __future__ import annotations

import re
import unicodedata

from .. import codes
from ..diagnostics import Diagnostic, Span


def invisible_spaces(lines: list[str], path: str, line: int, column: int) -> tuple[Diagnostic, str] | None:
    """A run of spaces that are not plain ones, pasted from a page or a document (a
    no-break space, a zero-width space), each read as a plain space: one that takes no
    room may still stand where a space was meant (``as\u200bx``)."""
    source_line = lines[line - 1]
    end = column - 1
    while end < len(source_line) and (_is_wide_space(source_line[end]) or source_line[end] in _ZERO_WIDTH):
        end += 1
    run = source_line[column - 1 : end]
    if not run:
        return None
    first = run[0]
    more = f", and {len(run) - 1} more such" if len(run) > 1 else ""
    them = "them" if len(run) > 1 else "it"
    between_words = column > 1 and not source_line[column - 2].isspace() and source_line[end : end + 1].strip()
    zero_width = all(char in _ZERO_WIDTH for char in run)
    joined = _joined_name(lines, line, column - 1, end) if zero_width else None
    diagnostic = codes.UNEXPECTED_CHARACTER.at(
        Span.point(path, line, column, len(run)),
        f"unexpected {unicodedata.name(first).lower()} (U+{ord(first):04X}){more}",
        f"remove {them}" if zero_width and (joined or not between_words) else f"replace {them} with a plain space",
    )
    if joined is not None:
        # gu\u200best, where the file names guest: the name read whole, the run moved after it.
        start, stop = joined
        word = source_line[start : column - 1] + source_line[end:stop]
        lines[line - 1] = source_line[:start] + word + " " * len(run) + source_line[stop:]
    else:
        lines[line - 1] = source_line[: column - 1] + " " * len(run) + source_line[end:]
    return diagnostic, "\n".join(lines)


def _joined_name(lines: list[str], line: int, start: int, end: int) -> tuple[int, int] | None:
    """Where the word stands that the run of zero-width characters from ``start`` to ``end``
    of the line parts (gu\u200best), if the file writes it whole elsewhere; or None, when the
    run rather stands where a space was meant (as\u200bx)."""
    source_line = lines[line - 1]
    before = re.search(r"\w+$", source_line[:start])
    after = re.match(r"\w+", source_line[end:])
    if before is None or after is None:
        return None
    word = before.group() + after.group()
    whole = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)")
    if not any(whole.search(text) for text in lines):
        return None
    return before.start(), end + after.end()


def _is_wide_space(char: str) -> bool:
    return char != " " and unicodedata.category(char) == "Zs"


# Characters that take no room, which a line may hold unseen.
_ZERO_WIDTH = frozenset("\u200b\u2060\ufeff")
