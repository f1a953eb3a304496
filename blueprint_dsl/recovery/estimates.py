"""A duration written as an estimate or a bound (``takes about 8min``, ``wait up to 10min``,
``~8min``, ``>20min``, ``10+min``): a duration is one exact value, and the words of an
estimate can go in a note. Read as the duration alone, which the checks then count as
none: the file gives no exact one."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .. import codes
from ..diagnostics import Diagnostic, Span, clip
from ..grammar import keywords
from .durations import DURATION_KEYWORD, note_of, unit_of
from .repairs import DASHES, blank

if TYPE_CHECKING:
    from .mistakes import Mistake

#: A duration's keyword, then its value: the words or the sign before the number (about,
#: up to, approx., ~, >=, ±), the number with a '+' after it, and the word after it with
#: a '+' after that (10+min, 10min+).
_ESTIMATE = re.compile(
    rf"(?P<keyword>{DURATION_KEYWORD})[ \t]+(?P<value>"
    r"(?P<before>(?:[A-Za-z]+\.?[ \t]+)+|(?:[~<>\u2248\u2264\u2265]=?|\+/-|\u00b1)[ \t]*)?"
    r"(?:(?P<number>[0-9]+(?:\.[0-9]+)?)(?P<plus>(?:[ \t]*\+)?)(?P<space>[ \t]*)(?P<word>[A-Za-z]*)(?P<after>\+?))?)"
)
#: What may follow a duration on its line: the next word (a keyword), a comment, a brace, or nothing.
_AFTER_A_DURATION = re.compile(r"[ \t]+[A-Za-z_]|[ \t]*(?:#|[{}]|$)")
#: What goes on from a number as a range does (5-10min, 5 to 10 min).
_RANGE_GOES_ON = re.compile(rf"[ \t]*(?:[-{DASHES}]|to[ \t]+[0-9])")


def explain_estimate(lines: list[str], path: str, line: int, column: int) -> tuple[Diagnostic, str] | None:
    """The error at ``column`` of ``line``, if it is in a duration written as an estimate or a
    bound; else None."""
    source_line = lines[line - 1]
    found = next((e for e in _ESTIMATE.finditer(source_line) if e.start("value") <= column - 1 < e.end("value")), None)
    if found is None:
        return None
    before, number, plus, space, word, after = found.group("before", "number", "plus", "space", "word", "after")
    if before and any(w.rstrip(".") in keywords() for w in before.split()):
        return None  # takes as 5min: a keyword, not an estimate's word
    start = found.start("value")
    if number is None:
        # about .5h: what is wrong with the number, its own error says.
        point = re.match(r"\.[0-9]", source_line[found.end() :])
        return _words_before(lines, path, line, start, before) if before and point else None
    unit = unit_of(word)
    if word and unit is None and space:
        word, after = "", ""  # a word after a space that is no unit is not the duration's
    end = found.end("after") if word else found.end("plus")
    if (word and unit is None) or not _AFTER_A_DURATION.match(source_line, end) \
            or _RANGE_GOES_ON.match(source_line, end):
        # 8xyz, 5-10min, 1h30: what is wrong with the value, its own error says.
        return _words_before(lines, path, line, start, before) if before else None
    if not (before or plus or after):
        return None
    value = source_line[start:end].rstrip()
    keyword = found.group("keyword")
    meant = number + (unit or "s")
    note = note_of(keyword, source_line, value)
    if unit:
        hint = f"write the duration alone{', and the estimate in a note' if note else ''}: {keyword} {clip(meant)}"
    else:
        hint = (f"write one number and its unit{', and the estimate in a note' if note else ''}, "
                f"such as {keyword} {clip(number + 'min')}")
    diagnostic = codes.INVALID_DURATION.at(
        Span.point(path, line, start + 1, len(value)),
        f"'{clip(value)}' is not a duration: a duration is exact",
        hint + clip(note),
    )
    lines[line - 1] = source_line[:start] + meant.ljust(len(value)) + source_line[start + len(value) :]
    return diagnostic, "\n".join(lines)


def _words_before(lines: list[str], path: str, line: int, start: int, before: str) -> tuple[Diagnostic, str]:
    """The words or the sign of an estimate (``about`` of ``about 5-10min``), read as nothing."""
    source_line = lines[line - 1]
    written = before.rstrip()
    diagnostic = codes.INVALID_DURATION.at(
        Span.point(path, line, start + 1, len(written)),
        f"'{clip(written)}' before a duration: a duration is exact",
        "write the duration alone; the words of an estimate can go in a note",
    )
    lines[line - 1] = source_line[:start] + blank(written) + source_line[start + len(written) :]
    return diagnostic, "\n".join(lines)


def estimated_duration(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``takes about 8min``, ``wait up to 10min``: words before a duration, read as a name."""
    if m.token.type != "NAME" or "DURATION" not in m.expected:
        return None
    return explain_estimate(list(m.lines), m.path, m.token.line, m.token.column)
