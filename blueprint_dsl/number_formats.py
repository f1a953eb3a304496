"""A workbook cell's number, date or time as Excel shows it in the cell's number format,
which is what its CSV export writes.

A format code (ECMA-376 Part 1, 18.8.31) has up to four sections, for positive numbers,
negative ones, zero and text, each of placeholders and literal text. Read here:

- numbers: ``0``, ``#`` and ``?`` digits, ``,`` between them for thousands (after them,
  a scale of a thousand), ``.`` and decimals, ``%``, ``E+00``; text in quotes or after
  ``\\``, a currency ``[$€-407]``; colours and ``_``/``*`` spacing passed over. Rounded
  half away from zero, at Excel's 15 significant digits (2.5 in ``0`` is 3, 0.125 in
  ``0.00`` is 0.13, 1.005 is 1.01);
- dates and times: ``y``, ``m``, ``d`` (month and day names in English), ``h``, ``m``
  (minutes after an hour or before seconds), ``s`` and its decimals (rounded; minutes
  without seconds are not), elapsed ``[h]``, ``[m]``, ``[s]``, ``AM/PM`` and ``A/P``.
  Excel's default date (format 14, ``mm-dd-yy`` to openpyxl) and date and time (22)
  show as the computer's settings say, which the file does not hold: they are written
  ``yyyy-mm-dd`` and ``yyyy-mm-dd h:mm``;
- anything else (``General``, fractions, a condition such as ``[>100]``, digits between
  literals as in ``000-0000``): the number in up to 15 significant digits, an integer
  without ``.0`` (``0.3``, ``1E+20``); a date ``yyyy-mm-dd`` (its time after it when it has
  one), a time ``h:mm:ss``, a duration ``[h]:mm:ss``.
"""

from __future__ import annotations

import datetime
import math
import re
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, localcontext
from typing import Union

#: What a cell's value may be, as openpyxl reads it.
Value = Union[int, float, datetime.datetime, datetime.date, datetime.time, datetime.timedelta]
#: The day Excel counts dates from (serial 0 is the day before 1 January 1900, wrongly a leap year).
_EPOCH = datetime.datetime(1899, 12, 30)
#: Excel's default formats, which show as the computer's settings say, and what is written for them.
_LOCAL = {"mm-dd-yy": "yyyy-mm-dd", "m/d/yy h:mm": "yyyy-mm-dd h:mm"}
#: A piece of a format code: text in quotes, a character after a backslash, a space the width of a
#: character (``_)``), a character repeated to fill the cell (``*-``), what brackets hold, a character.
_PIECE = re.compile(r'"(?P<quoted>[^"]*)"?|\\(?P<escaped>.)|_(?P<padding>.)|\*(?P<fill>.)|\[(?P<bracket>[^]]*)\]?|'
                    r"(?P<general>(?i:general))|(?P<char>.)", re.DOTALL)
_AM_PM = re.compile("am/pm|a/p", re.IGNORECASE)
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

#: A section's pieces: (kind, text), the kind ``text`` for literal text, ``code`` for a character
#: of the code, ``elapsed`` for ``[h]`` and the like, ``condition`` for ``[>100]``, ``general``.
Piece = tuple[str, str]


def shown(value: Value, format: str) -> str:
    """``value`` as a cell in the number format ``format`` shows it."""
    if isinstance(value, float) and not math.isfinite(value):
        return general(value)
    with localcontext() as context:
        context.prec = 400  # a float's every digit: 1E+308 in 0.00 is 311 of them
        return _shown(value, format)


def _shown(value: Value, format: str) -> str:
    sections = _sections(_LOCAL.get(format, format) if format.strip() else "General")
    numbers = [section for section in sections if ("code", "@") not in section][:3]
    if any(kind == "condition" for section in numbers for kind, _ in section):
        numbers = []
    if isinstance(value, (int, float)):
        if numbers and _is_date(numbers[0]):
            return _date_or_time(value, numbers[0])
        return _number(value, numbers) if numbers else general(value)
    section = numbers[0] if numbers and _is_date(numbers[0]) else _sections(_default(value))[0]
    return _date_or_time(value, section)


def general(value: int | float) -> str:
    """A number as the General format writes it: up to 15 significant digits, an integer without ``.0``."""
    if isinstance(value, int) or value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.15G}"


def _default(value: Value) -> str:
    if isinstance(value, datetime.datetime):
        return "yyyy-mm-dd h:mm:ss" if value.time() != datetime.time() else "yyyy-mm-dd"
    if isinstance(value, datetime.date):
        return "yyyy-mm-dd"
    return "h:mm:ss" if isinstance(value, datetime.time) else "[h]:mm:ss"


def _sections(format: str) -> list[list[Piece]]:
    sections: list[list[Piece]] = [[]]
    for piece in _PIECE.finditer(format):
        if piece["quoted"] is not None or piece["escaped"] is not None:
            sections[-1].append(("text", piece["quoted"] if piece["quoted"] is not None else piece["escaped"]))
        elif piece["padding"] is not None:
            sections[-1].append(("text", " "))
        elif piece["bracket"] is not None:
            inside = piece["bracket"]
            if re.fullmatch("h+|m+|s+", inside, re.IGNORECASE):
                sections[-1].append(("elapsed", inside.lower()))
            elif inside.startswith("$"):  # a currency and its locale: [$€-407]; [$-409] is the locale alone
                sections[-1].append(("text", inside[1:].partition("-")[0]))
            elif inside[:1] in ("<", ">", "="):
                sections[-1].append(("condition", inside))
            # else a colour ([Red], [Color10]) or a calendar: nothing shown
        elif piece["general"] is not None:
            sections[-1].append(("general", piece["general"]))
        elif piece["char"] == ";":
            sections.append([])
        elif piece["char"] is not None:
            sections[-1].append(("code", piece["char"]))
    return sections


def _is_date(section: list[Piece]) -> bool:
    return any(kind == "elapsed" or kind == "code" and text in "yYmMdDhHsS" for kind, text in section)


def _number(value: int | float, sections: list[list[Piece]]) -> str:
    """A number in the first section for a positive one (any, with one section), the second for a
    negative one, shown without its sign, the third for zero."""
    if value < 0 and len(sections) > 1:
        section, sign = sections[1], ""
    elif value == 0 and len(sections) > 2:
        section, sign = sections[2], ""
    else:
        section, sign = sections[0], "-" if value < 0 else ""
    exact = Decimal(abs(value)) if isinstance(value, int) else Decimal(f"{abs(value):.15g}")
    placed = _placed(exact, section)
    return general(value) if placed is None else sign + placed


def _placed(value: Decimal, section: list[Piece]) -> str | None:
    """A number of no sign in the placeholders of ``section``; None when they are none of those read."""
    general_at = next((index for index, (kind, _) in enumerate(section) if kind == "general"), None)
    if general_at is not None:  # "Total: "General
        return _literal(section[:general_at]) + general(float(value)) + _literal(section[general_at + 1:])
    codes = [index for index, (kind, text) in enumerate(section) if kind == "code" and text in "0#?"]
    value *= 100 ** sum(piece == ("code", "%") for piece in section)
    if not codes:
        return _literal(section)
    first, last = codes[0], codes[-1]
    pattern = "".join(text for kind, text in section[first:last + 1] if kind == "code")
    if any(kind != "code" for kind, _ in section[first:last + 1]) or not re.fullmatch(
            r"[0#?,]*(?:\.[0#?]*)?(?:[Ee][+-][0#?]+)?", pattern):
        return None  # digits between literals (000-0000), or a fraction (# ?/?)
    after = last + 1
    while after < len(section) and section[after] == ("code", ","):  # each a scale of a thousand
        value /= 1000
        after += 1
    scientific = re.search("[Ee]([+-])([0#?]+)$", pattern)
    digits = _scientific(value, pattern[:scientific.start()], *scientific.groups()) if scientific else \
        _digits(value, pattern)
    return _literal(section[:first]) + digits + _literal(section[after:])


def _digits(value: Decimal, pattern: str) -> str:
    """``value`` in the placeholders ``pattern`` (``#,##0.00``): rounded half away from zero."""
    whole, point, decimals = pattern.partition(".")
    rounded = value.quantize(Decimal(1).scaleb(-len(decimals)), rounding=ROUND_HALF_UP)
    integer, _, fraction = f"{rounded:f}".partition(".")
    places = whole.replace(",", "")
    integer = integer.lstrip("0")
    padding = places[: max(len(places) - len(integer), 0)]
    integer = "".join({"0": "0", "?": " "}.get(place, "") for place in padding) + integer
    if "," in whole:
        digits = integer.lstrip(" ")
        head = len(digits) % 3 or 3
        integer = integer[: len(integer) - len(digits)] + ",".join(
            [digits[:head], *(digits[start:start + 3] for start in range(head, len(digits), 3))])
    shown = list(fraction)
    for place in range(len(decimals) - 1, -1, -1):  # a trailing zero in # is left out, in ? a space
        if shown[place] != "0" or decimals[place] == "0":
            break
        shown[place] = " " if decimals[place] == "?" else ""
    return integer + point + "".join(shown)


def _scientific(value: Decimal, mantissa: str, sign: str, digits: str) -> str:
    """``value`` as ``0.00E+00`` shows it; integer places of ``#`` (``##0.0E+0``) make the exponent
    a multiple of their number."""
    whole, _, decimals = mantissa.partition(".")
    places = len(whole.replace(",", "")) or 1
    exponent = value.adjusted() if value else 0
    step = places if "#" in whole and places > 1 else 1
    exponent = exponent // step * step if step > 1 else exponent - (places - 1)
    shown = value.scaleb(-exponent).quantize(Decimal(1).scaleb(-len(decimals)), rounding=ROUND_HALF_UP)
    if shown >= 10 ** (places if step == 1 else step):  # rounded up to one more digit: 9.99 to 10.0
        exponent += step
        shown = value.scaleb(-exponent).quantize(Decimal(1).scaleb(-len(decimals)), rounding=ROUND_HALF_UP)
    written = _digits(shown, mantissa)
    mark = "-" if exponent < 0 else "+" if sign == "+" else ""
    return f"{written}E{mark}{abs(exponent):0{len(digits)}}"


def _literal(section: list[Piece]) -> str:
    return "".join(text for kind, text in section if kind in ("text", "code"))


def _date_or_time(value: Value, section: list[Piece]) -> str:
    """A date, a time or a duration in a section of date and time codes."""
    total = _seconds(value)
    sign, total = ("-", -total) if total < 0 else ("", total)
    parts = _date_parts(section)
    decimals = max((len(text) for kind, text in parts if kind == "fraction"), default=0)
    if any(kind in ("s", "elapsed") and text[0] == "s" for kind, text in parts):
        total = total.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    else:  # minutes are not rounded up: 9:30:59 shows 9:30
        total = total.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP).quantize(Decimal(1), rounding=ROUND_FLOOR)
    whole = int(total)
    hour, minute, second = whole // 3600 % 24, whole // 60 % 60, whole % 60
    moment = _EPOCH
    if any(kind in ("y", "month", "d") for kind, _ in parts):
        try:
            moment += datetime.timedelta(seconds=whole)
        except OverflowError:  # past the year 9999, where Excel shows ####
            return general(float(sign + str(total / 86400)))
    twelve = any(kind == "am/pm" for kind, _ in parts)
    out = []
    for kind, text in parts:
        width = len(text)
        if kind == "text":
            out.append(text)
        elif kind == "y":
            out.append(f"{moment.year % 100:02}" if width <= 2 else f"{moment.year:04}")
        elif kind == "month":
            name = _MONTHS[moment.month - 1]
            out.append({1: str(moment.month), 2: f"{moment.month:02}", 3: name[:3], 5: name[0]}.get(width, name))
        elif kind == "d":
            day = _DAYS[moment.weekday()]
            out.append({1: str(moment.day), 2: f"{moment.day:02}", 3: day[:3]}.get(width, day))
        elif kind == "h":
            out.append(f"{(hour % 12 or 12) if twelve else hour:0{min(width, 2)}}")
        elif kind == "minute":
            out.append(f"{minute:0{min(width, 2)}}")
        elif kind == "s":
            out.append(f"{second:0{min(width, 2)}}")
        elif kind == "fraction":
            out.append("." + f"{total - whole:f}".partition(".")[2].ljust(width, "0")[:width])
        elif kind == "elapsed":
            out.append(f"{whole // {'h': 3600, 'm': 60, 's': 1}[text[0]]:0{width}}")
        elif kind == "am/pm":
            noon = hour >= 12
            words = text.split("/")
            out.append(words[1 if noon else 0] if text.lower() == "a/p" else
                       ("PM" if noon else "AM") if text[0].isupper() else ("pm" if noon else "am"))
    return sign + "".join(out)


def _seconds(value: Value) -> Decimal:
    """The seconds since Excel's epoch of a date, or in a time of day or a duration."""
    if isinstance(value, datetime.timedelta):
        delta = value
    elif isinstance(value, datetime.datetime):
        delta = value.replace(tzinfo=None) - _EPOCH
    elif isinstance(value, datetime.date):
        delta = datetime.datetime.combine(value, datetime.time()) - _EPOCH
    elif isinstance(value, datetime.time):
        delta = datetime.timedelta(hours=value.hour, minutes=value.minute, seconds=value.second,
                                   microseconds=value.microsecond)
    else:
        return Decimal(f"{value:.15g}") * 86400
    return Decimal(delta.days * 86400 + delta.seconds) + Decimal(delta.microseconds).scaleb(-6)


def _date_parts(section: list[Piece]) -> list[Piece]:
    """The section's codes as parts: runs of one letter (``yyyy``, ``mm``), a month or minutes told
    apart (minutes after an hour or before seconds), the decimals of seconds, AM/PM, text."""
    text = "".join(f"\0{index}\0" if kind != "code" else piece for index, (kind, piece) in enumerate(section))
    parts: list[Piece] = []
    for found in re.finditer(r"\0(\d+)\0|am/pm|a/p|([ymdhs])\2*|(?<=s)\.0+|.", text, re.IGNORECASE | re.DOTALL):
        piece = found.group()
        if found[1] is not None:
            kind, inside = section[int(found[1])]
            parts.append((kind, inside) if kind == "elapsed" else ("text", inside))
        elif _AM_PM.fullmatch(piece):
            parts.append(("am/pm", piece))
        elif found[2] is not None:
            parts.append((piece[0].lower(), piece))
        elif piece.startswith(".") and len(piece) > 1:
            parts.append(("fraction", piece[1:]))
        else:
            parts.append(("text", piece))
    codes = [index for index, (kind, _) in enumerate(parts) if kind != "text"]
    units = [_unit(parts[index]) for index in codes]
    for place, index in enumerate(codes):
        kind, piece = parts[index]
        if kind == "m":
            minutes = len(piece) <= 2 and ("h" in units[place - 1:place] or "s" in units[place + 1:place + 2])
            parts[index] = ("minute" if minutes else "month", piece)
    return parts


def _unit(part: Piece) -> str:
    """Which letter a part of a date or time is of: ``h`` for ``hh`` and ``[h]``."""
    kind, text = part
    return text[0] if kind == "elapsed" else kind
