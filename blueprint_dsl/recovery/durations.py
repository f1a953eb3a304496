"""A number the lexer cannot read as a duration, after a keyword whose value is one
(``takes``, ``wait``, ``tolerance``): the duration meant, and the line read as that."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .. import codes
from ..diagnostics import Diagnostic, Span, clip
from ..grammar import STRING_OR_COMMENT
from ..text import TOO_LONG, UNIT_WORDS, duration_meant, parse_duration, quote
from .repairs import DASHES, blank

if TYPE_CHECKING:
    from .mistakes import Mistake

#: The last word before a place (searched up to it) and the keywords whose value is a duration.
WORD_BEFORE = re.compile(r"(?<!\w)(\w+)\s*$")
DURATION_KEYWORDS = ("takes", "wait", "tolerance")
#: One of those keywords, as a regular expression.
DURATION_KEYWORD = rf"(?<!\w)(?:{'|'.join(DURATION_KEYWORDS)})"



def unit_of(word: str) -> str | None:
    """The unit a word after a number stands for (``min``, ``minutes``), or None."""
    unit = UNIT_WORDS.get(word.lower(), word)
    return unit if word and parse_duration("1" + unit)[1] is None else None


def note_of(keyword: str, source_line: str, written: str) -> str:
    """`` note "written"`` for the words of a duration that no duration writes, to keep them
    after ``keyword``'s; none after ``tolerance``, a header fact that takes no note, nor where
    the action has a note on the line already, as an action has one at most."""
    code = STRING_OR_COMMENT.sub(lambda match: blank(match.group(0)), source_line)
    return f" note {quote(written)}" if keyword != "tolerance" and not _NOTE.search(code) else ""


#: A note given to the action on the line already.
_NOTE = re.compile(r"(?<!\w)note(?!\w)")


#: A number and its unit as a person writes them: 10min, 10 min, 10 minutes, 1.5 hours.
_SPOKEN_PART = r"[0-9]+(?:\.[0-9]+)?[ \t]*[A-Za-z]+"
#: Those in a row, as a duration in two units is written (1h 30min, 1 hour 30 minutes).
SPOKEN_DURATION = re.compile(rf"{_SPOKEN_PART}(?:[ \t]+{_SPOKEN_PART})*(?![\w.])")


def duration_spoken(words: str) -> str | None:
    """The duration that ``words`` write as a person says it (``10 minutes``: 10min; ``1h 30min``:
    90min), or None when they are not one."""
    if not SPOKEN_DURATION.fullmatch(words.strip()):
        return None
    parts = []
    for number, word in re.findall(r"([0-9]+(?:\.[0-9]+)?)[ \t]*([A-Za-z]+)", words):
        meant = duration_meant(number, word)
        if meant is None or meant[1]:
            return None  # no unit, or none exact (a month)
        parts.append(meant[0])
    meant = parts[0] if len(parts) == 1 else one_duration(parts)
    return meant if meant is not None and parse_duration(meant)[1] is None else None


def explain_duration(lines: list[str], path: str, line: int, column: int) -> tuple[Diagnostic, str] | None:
    """The error at the number at ``column`` of ``line``, if a keyword whose value is a
    duration is before it; else None."""
    source_line = lines[line - 1]
    tail = _tail_without_unit(lines, path, line, column)
    if tail is not None:
        return tail
    before = WORD_BEFORE.search(source_line, 0, column - 1)
    if not before or before.group(1) not in DURATION_KEYWORDS:
        return None
    point = re.match(r"\.([0-9]+)(\s*)([A-Za-z]*)", source_line[column - 1 :])
    if point is not None:
        return _without_leading_zero(lines, path, line, column, point)
    if source_line[column - 1] == ".":
        return None  # no number: what the '.' is, the caller tells
    number = re.match(r"[0-9]+(?:\.[0-9]+)?", source_line[column - 1 :]).group(0)
    end = column - 1 + len(number)
    if parse_duration(number + "ms")[1] == TOO_LONG:
        # Too long in any unit: read as 0s of the same width, so the columns after
        # it stay right and the repair is not reported again as too long.
        diagnostic = codes.INVALID_DURATION.at(
            Span.point(path, line, column, len(number)),
            f"'{clip(number)}' has no unit, and is longer than 100 years in any unit",
            "a duration is at most 100 years (36525d): write how long it really takes, such as 5min",
        )
        lines[line - 1] = source_line[: column - 1] + "0" * len(number) + "s" + source_line[end:]
        return diagnostic, "\n".join(lines)
    clock = _clock_time(lines, path, line, column)
    if clock is not None:
        return clock
    spoken = SPOKEN_DURATION.match(source_line, column - 1)
    meant = duration_spoken(spoken.group()) if spoken and re.search(r"[A-Za-z][ \t]+[0-9]", spoken.group()) else None
    if meant is not None:
        # 1 hour 30 minutes: a duration in two units, in words.
        written = spoken.group()
        diagnostic = codes.INVALID_DURATION.at(
            Span.point(path, line, column, len(written)),
            f"'{clip(written)}' is not a duration: a duration is one number and one unit",
            f"write {meant}",
        )
        stop = column - 1 + len(written)
        lines[line - 1] = source_line[: column - 1] + meant.ljust(len(written)) + source_line[stop:]
        return diagnostic, "\n".join(lines)
    more = re.match(r"((?:[.,][0-9]+)+)(\s*)([A-Za-z]*)", source_line[end:])
    if more is not None:
        # 1,5min or 1,5 min, a decimal comma; 0.5.5min or 1,5,5min, more than one number.
        digits, space, word = number + more.group(1), more.group(2), more.group(3)
        unit = unit_of(word)
        # A word after a space is the duration's only if it is a unit.
        written = digits + (space + word if unit or not space else "")
        comma = re.fullmatch(r"[0-9]+,[0-9]+", digits) is not None
        meant = digits.replace(",", ".") if comma else number
        problem = "has a decimal comma" if comma else "holds more than one number"
        if unit is None:
            problem += f", and '{clip(word)}' is no unit" if word and not space else " and no unit"
            hint = f"write one number and a unit, such as {clip(meant)}min"
        else:
            hint = f"write {clip(meant + unit)}" if comma else f"write one number, such as {clip(meant + unit)}"
        diagnostic = codes.INVALID_DURATION.at(
            Span.point(path, line, column, len(written)), f"'{clip(written)}' {problem}", hint
        )
        repaired = (meant + (unit or "s")).ljust(len(written))
        lines[line - 1] = source_line[: column - 1] + repaired + source_line[column - 1 + len(written) :]
        return diagnostic, "\n".join(lines)
    # The word after a space, with the '.' of an abbreviation after it (5 min.).
    spaced = re.match(r"(\s+)([A-Za-z]+)\b(\.(?![\w.]))?", source_line[end:])
    if spaced and parse_duration(number + spaced.group(2))[1] is None:
        # 5 min: the unit is there, after a space. Joined, with the space (and the '.') moved behind it.
        written = number + spaced.group(0)
        dot = spaced.group(3) or ""
        diagnostic = codes.INVALID_DURATION.at(
            Span.point(path, line, column, len(written)),
            f"'{clip(written)}' has a space between the number and its unit"
            + (", and a '.' after the unit" if dot else ""),
            f"write {clip(number + spaced.group(2))}" + (", without the space" if not dot else ""),
        )
        joined = number + spaced.group(2) + spaced.group(1) + " " * len(dot)
        lines[line - 1] = source_line[: column - 1] + joined + source_line[column - 1 + len(written) :]
        return diagnostic, "\n".join(lines)
    meant = duration_meant(number, spaced.group(2)) if spaced else None
    if meant is not None:
        # 5 minutes, 2 weeks: a unit in words, or one the language has not got.
        written = number + spaced.group(0)
        return _in_words(lines, path, line, column, written, before.group(1), meant)
    diagnostic = codes.INVALID_DURATION.at(
        Span.point(path, line, column, len(number)),
        f"'{clip(number)}' has no unit",
        f"write the unit after the number, such as {clip(number + 'min')} or {clip(number + 's')}",
    )
    lines[line - 1] = source_line[:end] + "s" + source_line[end:]
    return diagnostic, "\n".join(lines)


def _in_words(
    lines: list[str], path: str, line: int, column: int, written: str, keyword: str, meant: tuple[str, str | None]
) -> tuple[Diagnostic, str]:
    """``5 minutes``, ``2 weeks``, ``1 month`` at ``column``: a duration's unit in words, read as the
    duration ``meant`` in the language's units; one that is no exact number of days (a month) with
    the words kept in a note."""
    source_line = lines[line - 1]
    duration, inexact = meant
    if inexact:
        note = note_of(keyword, source_line, written)
        message = f"'{clip(written)}' is not a duration, and {inexact}"
        words = ", and the words in a note" if note else ""
        hint = f"write it in days{words}, such as {keyword} {duration}{clip(note)}"
    else:
        message, hint = f"'{clip(written)}' is not a duration", f"write {duration}"
    diagnostic = codes.INVALID_DURATION.at(Span.point(path, line, column, len(written)), message, hint)
    stop = column - 1 + len(written)
    lines[line - 1] = source_line[: column - 1] + duration.ljust(len(written)) + source_line[stop:]
    return diagnostic, "\n".join(lines)


#: A range after a keyword whose value is a duration (5-10min, 5min - 10min, 5 to 10 min):
#: the keyword, the first number and its unit if any, the second and the word after it.
_RANGE = re.compile(
    rf"({DURATION_KEYWORD})[ \t]+([0-9]+(?:\.[0-9]+)?)([A-Za-z]*)[ \t]*(?:[-{DASHES}]|to(?=[ \t]))"
    r"[ \t]*([0-9]+(?:\.[0-9]+)?)(?:[ \t]*([A-Za-z]+))?(?!\w)"
)


def explain_range(lines: list[str], path: str, line: int, column: int) -> tuple[Diagnostic, str] | None:
    """``wait 5-10min``: a range where a duration is one value, if the character at
    ``column`` of ``line`` is in one; read as its longest value."""
    source_line = lines[line - 1]
    found = next((r for r in _RANGE.finditer(source_line) if r.start(2) <= column - 1 < r.end()), None)
    if found is None:
        return None
    keyword, first, first_unit, second, word = found.groups()
    unit = unit_of(word or "")
    end = found.end() if unit else found.end(4)  # a word after the range that is no unit is not the range's
    attached = word is not None and source_line[found.end(4)].isalpha()
    if (attached and not unit) or (first_unit and not unit_of(first_unit)):
        return None  # 10xyz: the error about the unit says what is wrong
    ends = [first + (unit_of(first_unit) or unit or "min"), second + (unit or "min")]
    seconds = [parse_duration(value)[0] for value in ends]
    if None in seconds:
        return None  # one longer than any duration: the error about it says so
    longest = ends[seconds[1] >= seconds[0]]
    written = source_line[found.start(2) : end]
    note = note_of(keyword, source_line, written)
    without_unit = not (unit or first_unit)
    diagnostic = codes.INVALID_DURATION.at(
        Span.point(path, line, found.start(2) + 1, len(written)),
        f"'{clip(written)}' is a range{' without a unit' if without_unit else ''}, and a duration is one value",
        f"write one{' and its unit' if without_unit else ''}, such as the longest"
        f"{', and the range in a note' if note else ''}: {keyword} {clip(longest)}{clip(note)}",
    )
    lines[line - 1] = source_line[: found.start(2)] + longest.ljust(len(written)) + source_line[end:]
    return diagnostic, "\n".join(lines)


def duration_range(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``wait 5min-10min``, ``wait 5min to 10min``: a range the lexer reads as two durations,
    or as a duration and a word."""
    return explain_range(list(m.lines), m.path, m.token.line, m.token.column)


#: A time as a clock shows it: minutes or hours, then one or two counts of two digits.
_CLOCK = re.compile(r"([0-9]+)((?::[0-9]{2}){1,2})(?![\w.,:])")


def _clock_time(lines: list[str], path: str, line: int, column: int) -> tuple[Diagnostic, str] | None:
    """``wait 5:00``, ``takes 1:30:00``: a duration written as a clock shows time. Of
    two numbers, the first may be minutes or hours: both are written in the hint."""
    source_line = lines[line - 1]
    clock = _CLOCK.match(source_line, column - 1)
    if clock is None:
        return None
    written = clock.group(0)
    parts = [clock.group(1), *clock.group(2)[1:].split(":")]
    if len(parts) == 3:
        readings = [one_duration([parts[0] + "h", parts[1] + "min", parts[2] + "s"])]
        problem = "is written as a clock shows time"
    else:
        readings = [one_duration([parts[0] + "min", parts[1] + "s"]), one_duration([parts[0] + "h", parts[1] + "min"])]
        problem = "is written as a clock shows time, and could be minutes or hours"
    if None in readings:
        return None  # longer than any duration
    diagnostic = codes.INVALID_DURATION.at(
        Span.point(path, line, column, len(written)),
        f"'{clip(written)}' {problem}",
        "a duration is a number and a unit: write " + " or ".join(readings),
    )
    lines[line - 1] = source_line[: column - 1] + readings[0] + source_line[clock.end() :]
    return diagnostic, "\n".join(lines)


def _without_leading_zero(
    lines: list[str], path: str, line: int, column: int, point: re.Match
) -> tuple[Diagnostic, str]:
    """``.5min``: a number written without the 0 before its decimal point."""
    source_line = lines[line - 1]
    digits, space, word = point.groups()
    unit = unit_of(word)
    # A word after a space is the duration's only if it is a unit.
    written = "." + digits + (space + word if unit or not space else "")
    meant = "0." + digits
    problem = "has no digit before its decimal point"
    if unit is None:
        problem += f", and '{clip(word)}' is no unit" if word and not space else " and no unit"
        hint = f"write one number and a unit, such as {clip(meant)}min"
    else:
        hint = f"write {clip(meant + unit)}"
    diagnostic = codes.INVALID_DURATION.at(
        Span.point(path, line, column, len(written)), f"'{clip(written)}' {problem}", hint
    )
    lines[line - 1] = source_line[: column - 1] + meant + (unit or "s") + source_line[column - 1 + len(written) :]
    return diagnostic, "\n".join(lines)


def one_duration(parts: list[str]) -> str | None:
    """Durations written in a row (1h, 30min) as the one they add up to, in the larger of
    their units that counts it whole (90min), else the smaller; None if one is no duration."""
    total, units = 0.0, {}
    for part in parts:
        written = re.fullmatch(r"(-?[0-9]+(?:\.[0-9]+)?)([A-Za-z]+)", part)
        if written is None:
            return None
        number, unit = written.groups()
        # m is no unit: next to another (1h30m, 5m30s), as alone (5m, whose hint writes 5min), it is minutes.
        unit = "min" if unit == "m" else unit
        seconds = parse_duration(number + unit)[0]
        if seconds is None:
            return None
        total += seconds
        units[unit] = 0
    in_order = sorted(units, key=_seconds_in)
    unit = next((unit for unit in reversed(in_order) if total % _seconds_in(unit) == 0), in_order[0])
    return _number(total / _seconds_in(unit)) + unit


def _seconds_in(unit: str) -> float:
    return parse_duration("1" + unit)[0]


def _number(value: float) -> str:
    """A number as a duration writes it: in full, never in exponent notation, to six
    decimals at most (0.7d0.2h is 17.000000000000004h in floating point: 17h)."""
    return f"{value:.6f}".rstrip("0").rstrip(".")


#: A duration right before a place (searched up to it), after a keyword whose value is one.
_DURATION_BEFORE = re.compile(rf"{DURATION_KEYWORD}\s+([0-9]+(?:\.[0-9]+)?([A-Za-z]+))$")
# The unit a number written on after a duration counts in, as a clock is read (1h30: 30min;
# 5m30: 30s, m read as minutes as in 1h30m).
_NEXT_UNIT = {"d": "h", "h": "min", "hr": "min", "min": "s", "m": "s"}


def _tail_without_unit(lines: list[str], path: str, line: int, column: int) -> tuple[Diagnostic, str] | None:
    """``tolerance 1h30``: a number without a unit written on after a duration, as a clock
    is read, which the lexer cannot take."""
    source_line = lines[line - 1]
    first = _DURATION_BEFORE.search(source_line, 0, column - 1)
    number = re.match(r"[0-9]+(?:\.[0-9]+)?(?![\w.,])", source_line[column - 1 :])
    unit = _NEXT_UNIT.get(first.group(2)) if first is not None else None
    meant = one_duration([first.group(1), number.group(0) + unit]) if unit and number else None
    if meant is None:
        return None
    start = first.start(1)
    written = source_line[start : column - 1 + number.end()]
    diagnostic = codes.INVALID_DURATION.at(
        Span.point(path, line, start + 1, len(written)),
        f"'{clip(written)}' is two durations: a duration is one number and one unit",
        f"write {meant}",
    )
    lines[line - 1] = source_line[:start] + meant.ljust(len(written)) + source_line[start + len(written) :]
    return diagnostic, "\n".join(lines)
