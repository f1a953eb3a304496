"""A duration written with the marks of handwriting, after a keyword whose value is one: minutes
and seconds as marks (``5'``, ``30''``, ``5'30"``, ``5′``), or the '.' of an abbreviation after
its unit (``5min.``). Read as the duration meant."""

from __future__ import annotations

import re

from .. import codes
from ..diagnostics import Diagnostic, Span, clip
from ..text import duration_meant, parse_duration
from .durations import DURATION_KEYWORD, one_duration

_NUMBER = r"[0-9]+(?:\.[0-9]+)?"
#: A number and the mark of minutes (a prime, or the apostrophe or the quote written for one),
#: and seconds after them with theirs; or seconds alone.
_MINUTES, _SECONDS = "['\u2032\u2019]", "(?:''|\u2032\u2032|\u2033|\")"
_MARKED = re.compile(
    rf"(?P<minutes>{_NUMBER}){_MINUTES}(?:(?P<and_seconds>{_NUMBER}){_SECONDS})?(?![\w'\u2032\u2019\u2033])"
    rf"|(?P<seconds>{_NUMBER}){_SECONDS}(?![\w'\u2032\u2019\u2033])"
)


def explain_marks(lines: list[str], path: str, line: int, column: int) -> tuple[Diagnostic, str] | None:
    """The error at ``column`` of ``line`` if it is in a duration written with a mark; else None."""
    source_line = lines[line - 1]
    before = re.search(rf"{DURATION_KEYWORD}[ \t]+$", source_line[: column - 1])
    marked = _MARKED.match(source_line, column - 1) if before else None
    if marked is not None:
        minutes, and_seconds, seconds = marked.group("minutes", "and_seconds", "seconds")
        parts = [minutes + "min"] if minutes else []
        parts += [number + "s" for number in (and_seconds, seconds) if number]
        meant = parts[0] if len(parts) == 1 else one_duration(parts)
        problem = "is written with the marks of minutes and seconds" if len(parts) > 1 else (
            "is written with the mark of " + ("minutes" if minutes else "seconds"))
        return _read_as(lines, path, line, column - 1, marked.end(), meant, problem)
    return _unit_with_a_dot(lines, path, line, column)


def _unit_with_a_dot(lines: list[str], path: str, line: int, column: int) -> tuple[Diagnostic, str] | None:
    """``takes 5min.``: the '.' of an abbreviation after a duration's unit, at ``column``."""
    source_line = lines[line - 1]
    if not re.match(r"\.(?![\w.])", source_line[column - 1 :]):
        return None
    duration = re.search(rf"{DURATION_KEYWORD}[ \t]+({_NUMBER})([A-Za-z]+)$", source_line[: column - 1])
    if duration is None:
        return None
    number, unit = duration.groups()
    # 5min., or 5mins.: the duration the unit means, if it is exact.
    meant = (number + unit, None) if parse_duration(number + unit)[1] is None else duration_meant(number, unit)
    if meant is None or meant[1]:
        return None  # no unit, or none exact: the duration's own error says what is wrong with it
    start = duration.start(1)
    return _read_as(lines, path, line, start, column, meant[0], "ends with a '.', and a duration's unit takes none")


def _read_as(
    lines: list[str], path: str, line: int, start: int, end: int, meant: str | None, problem: str
) -> tuple[Diagnostic, str] | None:
    """The duration written from ``start`` to ``end`` on ``line``, read as ``meant``."""
    if meant is None or parse_duration(meant)[1] is not None:
        return None  # longer than any: the error of the number says so
    source_line = lines[line - 1]
    written = source_line[start:end]
    diagnostic = codes.INVALID_DURATION.at(
        Span.point(path, line, start + 1, len(written)), f"'{clip(written)}' {problem}", f"write {meant}"
    )
    lines[line - 1] = source_line[:start] + meant.ljust(len(written)) + source_line[end:]
    return diagnostic, "\n".join(lines)
