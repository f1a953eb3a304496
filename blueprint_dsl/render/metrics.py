"""How wide a line of text is drawn, and where text wraps to fit a width.

The drawing names the font "Arial,sans-Serif". Browsers and Graphviz draw it in Arial or
in a font made to its widths (Helvetica, Liberation Sans); where none of them is
installed, in the system's sans-serif, on Linux mostly DejaVu Sans, which is wider. Text
is given the room of the wider of the two (for Thai and Devanagari, which neither has,
of the fonts that draw them), glyph by glyph, so it fits wherever it is drawn: as
measured for Latin, Greek, Cyrillic, Hebrew, Arabic, Devanagari and Thai letters,
punctuation, signs and arrows (``_glyph_widths.py``), a square for an ideograph or any
glyph not measured, and for an emoji (or a sign asked for as one, ``✈️``) the room an
emoji font draws it in, a quarter more than a square. Counting characters instead gives
a line of capitals too little room, and Chinese or Japanese not half of what it takes; a
square for a Hebrew, Arabic, Thai or Devanagari letter, narrow as a Latin one, wraps
their text at half a line. An Arabic letter is measured alone, in the form it takes
alone, mostly the widest of its forms. A Thai or Devanagari vowel sign above or below its
letter takes no room, and one beside it the room it adds to the letter; a Devanagari
conjunct is given the room of its letters, a little more than it takes.
"""

from __future__ import annotations

import re
import unicodedata

from ._glyph_widths import BLOCKS, BOLD, REGULAR

WIDE = 1000  # an ideograph, kana, hangul or full-width form takes a square
OTHER = 1000  # a glyph of a script or block not measured takes a square too
#: An emoji is drawn by an emoji font, a quarter wider than a square (Noto Color Emoji: 1.248).
EMOJI = 1250
#: The blocks whose wide characters are emoji (☕, ⌚, ⭐, 😀, 🧾, 🀄): the emoji fonts draw them.
_PICTOGRAPHS = ((0x2300, 0x2BFF), (0x1F000, 0x1FAFF))
#: A character followed by the emoji variation selector, which asks for it as an emoji: ✈️, ©️, 1️⃣.
_EMOJI_ASKED = re.compile("(.)\ufe0f", re.DOTALL)
#: Graphviz rounds each glyph's advance to a whole dot, so a line it draws comes out a
#: little wider than the metrics say: over the texts of this project's blueprints, at
#: most 3 points and a twentieth of a point per glyph (``tests/test_metrics.py``).
HINTING_PER_LINE = 3.0
HINTING_PER_GLYPH = 0.05

#: Where a line may break: ASCII whitespace only, so a no-break space holds its words.
_SPACES = "\t\n\x0b\x0c\r "
_BREAKS = re.compile(f"([{_SPACES}]+)")
_VIRAMA = 9  # the combining class of a virama, which joins the letters either side into one


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The room ``text`` takes on one line at ``size`` points, wherever it is drawn."""
    return _widths(size, bold).room(text) / 1000 + HINTING_PER_LINE


def wrap(text: str, width: float, size: float, bold: bool = False) -> tuple[str, ...]:
    """Lines of ``text`` that fit ``width`` points at ``size``; explicit line breaks are kept.

    Lines break at spaces, and a word wider than a line breaks where it reaches the
    edge. Spaces are kept as they were written between the words of a line and at the
    start of a paragraph; a line never ends with one.
    """
    widths = _widths(size, bold)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(_wrap_paragraph(paragraph.expandtabs(), (width - HINTING_PER_LINE) * 1000, widths) or [""])
    while len(lines) > 1 and not lines[-1]:
        lines.pop()
    return tuple(lines)


def _wrap_paragraph(paragraph: str, room: float, widths: _Widths) -> list[str]:
    """Lines of ``paragraph`` within ``room``, in thousandths of a point."""
    lines: list[str] = []
    line: list[str] = []
    used = 0
    for chunk in _BREAKS.split(paragraph):
        if not chunk:
            continue
        if chunk[0] in _SPACES:
            if line or not lines:  # kept between words, and as a paragraph's indent
                line.append(" " * len(chunk))
                used += widths[" "] * len(chunk)
            continue
        chunk_width = widths.room(chunk)
        if line and used + chunk_width > room and chunk_width <= room:
            _flush(lines, line)
            line, used = [], 0
        if used + chunk_width <= room:
            line.append(chunk)
            used += chunk_width
            continue
        for cluster in _clusters(chunk, widths):  # a word wider than a line breaks at the edge
            cluster_width = widths.room(cluster)
            if line and used + cluster_width > room:
                _flush(lines, line)
                line, used = [], 0
            line.append(cluster)
            used += cluster_width
    _flush(lines, line)
    return lines


def _clusters(word: str, widths: _Widths) -> list[str]:
    """``word`` in the pieces a line may not break inside: a character with the marks and
    joiners after it, the character a joiner or a virama joins, and the two halves of a flag."""
    clusters: list[str] = []
    for character in word:
        if clusters and _joins(clusters[-1], character, widths):
            clusters[-1] += character
        else:
            clusters.append(character)
    return clusters


def _joins(cluster: str, character: str, widths: _Widths) -> bool:
    if not widths[character] or cluster[-1] == "\u200d" or unicodedata.category(character) == "Mc":
        return True  # a mark or joiner, a vowel sign beside its letter, or what a joiner joins
    if unicodedata.combining(cluster[-1]) == _VIRAMA:
        return True  # the letter a virama joins into a conjunct
    # The second regional indicator letter of a flag.
    return len(cluster) == 1 and all("\U0001f1e6" <= c <= "\U0001f1ff" for c in (cluster, character))


def _flush(lines: list[str], line: list[str]) -> None:
    """Ends ``line``, unless it holds only an indent: then the next word starts the paragraph."""
    text = "".join(line).rstrip(" ")
    if text:
        lines.append(text)


class _Widths(dict):
    """The room each character met so far takes at one size and weight, in thousandths of
    a point: whole numbers, so that a line's width does not depend on how it is summed."""

    def __init__(self, size: float, bold: bool) -> None:
        super().__init__()
        self.size, self.bold = size, bold
        self.emoji = round(EMOJI * size + HINTING_PER_GLYPH * 1000)

    def room(self, text: str) -> int:
        """The room of ``text``: its characters', but for each asked for as an emoji, an emoji's."""
        total = sum(map(self.__getitem__, text))
        if "\ufe0f" in text:
            total += sum(max(self.emoji - self[asked], 0) for asked in _EMOJI_ASKED.findall(text))
        return total

    def __missing__(self, character: str) -> int:
        glyph = _glyph_width(character, self.bold)
        width = round(glyph * self.size + HINTING_PER_GLYPH * 1000) if glyph else 0
        self[character] = width
        return width


_TABLES: dict[tuple[float, bool], _Widths] = {}


def _widths(size: float, bold: bool) -> _Widths:
    key = (size, bold)
    if key not in _TABLES:
        _TABLES[key] = _Widths(size, bold)
    return _TABLES[key]


def _glyph_width(character: str, bold: bool) -> int:
    """The width of a glyph, in thousandths of the font size."""
    measured = _measured(character, bold)
    if measured is not None:
        return measured
    if unicodedata.category(character) in ("Mn", "Me", "Cf", "Cc"):
        return 0  # marks, joiners and direction marks take no room of their own; controls are not drawn
    if unicodedata.east_asian_width(character) in ("W", "F"):
        code = ord(character)
        # Wide punctuation there (the angle brackets 〈 〉) is no emoji; a character newer than
        # Python's tables, unassigned to it, most likely is.
        pictograph = any(first <= code <= last for first, last in _PICTOGRAPHS)
        return EMOJI if pictograph and not unicodedata.category(character).startswith("P") else WIDE
    base, *marks = unicodedata.normalize("NFD", character)
    if marks and all(unicodedata.combining(mark) for mark in marks):
        return _glyph_width(base, bold)  # a letter with marks is as wide as the letter
    return OTHER


def _measured(character: str, bold: bool) -> int | None:
    """The width ``scripts/measure-glyphs.py`` measured, or None outside the blocks it measures."""
    code, offset = ord(character), 0
    for first, last in BLOCKS:
        if first <= code <= last:
            return (BOLD if bold else REGULAR)[offset + code - first]
        offset += last - first + 1
    return None
