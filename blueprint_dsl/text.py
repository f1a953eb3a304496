"""Small conversions of literal text: strings, durations, identifiers."""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterable

_UNITS = {"ms": 0.001, "s": 1, "sec": 1, "min": 60, "h": 3600, "hr": 3600, "d": 86400}
#: The longest duration, 100 years (36525d): no step of a service takes longer, and
#: beyond it the seconds stop being exact and soon overflow to infinity.
MAX_DURATION_SECONDS = 36525 * 86400
#: The problem ``parse_duration`` gives for a duration over the longest.
TOO_LONG = "longer than 100 years"
_DURATION = re.compile(r"(-?)([0-9]+(?:\.[0-9]+)?)([A-Za-z]+)")
_ESCAPE = re.compile(r"\\(u\{[0-9A-Fa-f]{1,6}\}|.)", re.DOTALL)
#: Unicode's non-characters, as the inside of a character class: U+FDD0 to U+FDEF, and
#: the last two code points of each plane (U+FFFE, U+FFFF, U+1FFFE, ..., U+10FFFF).
NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    chr(plane + 0xFFFE) + chr(plane + 0xFFFF) for plane in range(0, 0x110000, 0x10000)
)
# The C0 controls but tab and line breaks, DEL, the C1 controls, and the non-characters.
_UNDRAWN = rf"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{NONCHARACTERS}"
_UNDRAWABLE = re.compile(f"[{_UNDRAWN}]")
#: What ``quote`` writes by its number: those, and a carriage return.
_UNWRITTEN = re.compile(f"[\\r{_UNDRAWN}]")
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
#: A surrogate half: in a file name UTF-8 cannot read, a byte that is none of its characters.
_SURROGATE = re.compile("[\ud800-\udfff]")


def parse_duration(text: str) -> tuple[float | None, str | None]:
    """Seconds for a duration such as ``5min``; else None and what is wrong."""
    match = _DURATION.fullmatch(text)
    if match is None:
        return None, "write a number and a unit, such as 90s, 5min or 1.5h"
    sign, number, unit = match.groups()
    if unit not in _UNITS:
        return None, f"the units are {', '.join(_UNITS)}" + _unit_meant(sign, number, unit)
    if sign:
        return None, "negative"
    seconds = float(number) * _UNITS[unit]
    if seconds > MAX_DURATION_SECONDS:
        return None, TOO_LONG
    return seconds, None


def _unit_meant(sign: str, number: str, unit: str) -> str:
    """What to write for ``number`` in a ``unit`` the language has not got, after the units it has."""
    if unit == "m":  # no unit here, read as minutes, as the hint of 1h30m reads it too
        return f": for minutes, write {sign}{number}min"
    meant = duration_meant(number, unit)
    if meant is None:
        return ""
    written, inexact = meant
    if inexact:
        return f"; {inexact}: write it in days, such as {sign}{written}"
    return f": write {sign}{written}"


#: Units as people write them, in words, as the unit the language writes for each; and m,
#: which it does not write, read as minutes as everywhere (5m, 1h30m).
UNIT_WORDS = {
    "milliseconds": "ms", "millisecond": "ms", "seconds": "s", "second": "s", "secs": "s",
    "minutes": "min", "minute": "min", "mins": "min", "m": "min", "hours": "h", "hour": "h", "hrs": "h",
    "days": "d", "day": "d",
}
#: Units longer than a day, which the language has not got, as days; and of those that are
#: no exact number of days, why: a month is read as 30 and a year as 365.
_DAYS = {"w": 7, "wk": 7, "wks": 7, "week": 7, "weeks": 7, "mo": 30, "mos": 30, "month": 30, "months": 30,
         "y": 365, "yr": 365, "yrs": 365, "year": 365, "years": 365}
_INEXACT = {30: "a month is no exact number of days", 365: "a year is no exact number of days"}


def duration_meant(number: str, word: str) -> tuple[str, str | None] | None:
    """The duration ``number`` and ``word`` write, in a unit the language has: 5 minutes and
    5MIN are 5min, 2 weeks 14d. With it, when it is no exact reading, why (1 month: 30d, "a
    month is no exact number of days"). None when ``word`` is no unit, or the duration is
    longer than any. 5M, minutes or months, is none: m is minutes only in small letters."""
    lower = word if word == "M" else word.lower()
    days = _DAYS.get(lower)
    if days is not None:
        meant = _decimals(float(number) * days) + "d"
    elif UNIT_WORDS.get(lower, lower) in _UNITS:
        meant = number + UNIT_WORDS.get(lower, lower)
    else:
        return None
    if parse_duration(meant)[1] is not None:
        return None  # longer than any
    return meant, _INEXACT.get(days)


def format_seconds(seconds: float) -> str:
    """A human duration, to the second from a minute up: 0.5ms, 0.5s, 45s, 5min, 8min 50s,
    1h 30min, 1h 10min 30s, 2d 3h; never in scientific notation (1e-06s)."""
    if seconds < 0.001 and seconds:
        return _decimals(seconds * 1000) + "ms"
    if seconds < 60 and seconds != int(seconds):
        return _decimals(seconds) + "s"
    remaining = round(seconds)
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60), ("s", 1)):
        amount, remaining = divmod(remaining, size)
        if amount:
            parts.append(f"{amount}{unit}")
    return " ".join(parts) or "0s"


def _decimals(number: float) -> str:
    """``number`` with up to six decimals and no trailing zeros: 0.001, 1.5, 12."""
    return f"{number:.6f}".rstrip("0").rstrip(".")


def made_label(step_id: str) -> str:
    """The label of a step written without one, made from its id: ``check_in`` is "Check in"."""
    return step_id.replace("_", " ").capitalize()


def unquote(token: str) -> str:
    """The text of a string literal: quotes removed, escapes applied.

    A triple-quoted string keeps its lines, with the common indentation and the
    first and last blank lines removed, so it can be indented with the code.
    """
    if token.startswith('"""'):
        lines = token[3:-3].split("\n")
        # The line break after the opening quotes and the indentation before the
        # closing ones belong to the layout, not to the text.
        if len(lines) > 1 and not lines[0].strip():
            lines = lines[1:]
        if len(lines) > 1 and not lines[-1].strip():
            lines = lines[:-1]
        import textwrap  # here: most blueprints have no triple-quoted string

        body = textwrap.dedent("\n".join(lines))
    else:
        body = token[1:-1]
    return _ESCAPE.sub(_unescape, body)


def _unescape(match: re.Match[str]) -> str:
    escape = match.group(1)
    if escape.startswith("u{"):
        code = int(escape[2:-1], 16)
        # A surrogate half is no character and cannot be written as UTF-8: kept as written.
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else match.group(0)
    return _SIMPLE_ESCAPES.get(escape, match.group(0))


def plural(count: int, word: str) -> str:
    """``count`` and ``word``, with an s unless there is one: ``1 step``, ``2 steps``."""
    return f"{count} {word}" + ("" if count == 1 else "s")


def quote(text: str) -> str:
    """The string literal for a text: the inverse of ``unquote``. A line break and a tab are
    written ``\\n`` and ``\\t``; the characters drawings leave out, and a carriage return,
    by their number (``\\u{1b}``), so that the literal holds none of them."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    if not escaped.isprintable():
        escaped = _UNWRITTEN.sub(lambda unseen: f"\\u{{{ord(unseen[0]):x}}}", escaped)
    return f'"{escaped}"'


def drawable(text: str) -> str:
    """``text`` as the drawings and the HTML page show it: its control characters left out.

    A string may hold any character (written ``\\u{1b}``). XML 1.0 forbids the C0 controls
    and U+FFFE and U+FFFF, so an SVG cannot hold them, and discourages the C1 controls and
    the other non-characters; in an HTML page all of them and DEL are parse errors, and a
    browser shows a NUL as U+FFFD.
    Tabs and line breaks stay: each output lays them out as it can.
    """
    # Each of those characters is unprintable; most texts have none, and say so faster.
    return text if text.isprintable() else _UNDRAWABLE.sub("", text)


def json_document(value: object) -> str:
    """``value`` as an indented JSON document, its text as written, each surrogate half as a
    ``\\udcff`` escape: a file name the file system holds in bytes UTF-8 cannot read (``caf\\xe9.svc``)
    reaches Python with one for each such byte, which UTF-8 cannot write, and JSON readers take
    back as it was."""
    import json  # here: most commands write no JSON

    text = json.dumps(value, indent=2, ensure_ascii=False) + "\n"
    return _SURROGATE.sub(lambda half: f"\\u{ord(half[0]):04x}", text)


def replaced_surrogates(text: str) -> str:
    """``text`` with each surrogate half (a byte of a file name UTF-8 cannot read, as Python
    holds it) made U+FFFD, the replacement character, which UTF-8 can write."""
    return _SURROGATE.sub("\ufffd", text)


def slug(text: str, default: str = "stage") -> str:
    """An identifier made from a name: ``"Pick-up & pay"`` becomes ``pick_up_pay``, and
    ``"Étage"`` ``etage``: accents are dropped, not the letters that carry them. A name
    with no Latin letter or digit makes ``default``."""
    if not text.isascii():
        import unicodedata

        text = unicodedata.normalize("NFKD", text.casefold()).translate(_LATIN_LETTERS)
        text = "".join(c for c in text if not unicodedata.combining(c))
    words = re.findall(r"[0-9A-Za-z]+", text.lower())
    ident = "_".join(words) or default
    return ident if not ident[0].isdigit() else "_" + ident


#: Latin letters that Unicode does not write as a plain letter and an accent, as they
#: are spelt in ASCII (ß is folded to ss by casefold; the kra ĸ is written q today).
_LATIN_LETTERS = str.maketrans(
    {"æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "ł": "l", "ħ": "h", "ı": "i", "ŧ": "t",
     "ŋ": "ng", "ĸ": "q", "ƒ": "f"}
)


class MadeIds:
    """Ids made from names, unique among themselves and never one that is written.

    A made id that is taken gets the next free number (`stage_2`), in the order it is
    asked for, so the ids are the same on every run and one that collides with nothing
    keeps its name.
    """

    def __init__(self, written: Iterable[str | None]) -> None:
        self.taken = {ident for ident in written if ident is not None}
        self.uses: Counter[str] = Counter()

    def make(self, base: str) -> str:
        while True:
            self.uses[base] += 1
            candidate = base if self.uses[base] == 1 else f"{base}_{self.uses[base]}"
            if candidate not in self.taken:
                self.taken.add(candidate)
                return candidate
