"""How wide a line of text is drawn, and where text wraps to fit a width.

The drawing names the font Arial. Browsers and Graphviz draw it in Arial or in a font
made to its widths (Helvetica, Liberation Sans); where none of them is installed, in the
system's sans-serif, on Linux mostly DejaVu Sans, which is wider. Text is given the room
of the wider of the two, glyph by glyph, so it fits wherever it is drawn. Counting
characters instead gives a line of capitals too little room, and Chinese or Japanese
not half of what it takes.
"""

from __future__ import annotations

import re
import unicodedata

# Widths of the printable ASCII characters, space to tilde, in thousandths of the font
# size, from the fonts' own metrics (Arial's are Helvetica's). Italics take the upright
# widths.
_ARIAL = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,  # space to /
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,  # 0 to ?
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,  # @ to O
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,  # P to _
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,  # ` to o
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,  # p to ~
)
_ARIAL_BOLD = (
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
)
_DEJAVU = (
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337,
    636, 636, 636, 636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531,
    1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787,
    603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500,
    500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612,
    635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
)
_DEJAVU_BOLD = (
    348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365,
    696, 696, 696, 696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 580,
    1000, 774, 762, 734, 830, 683, 683, 821, 837, 372, 372, 775, 637, 995, 837, 850,
    733, 850, 770, 720, 682, 812, 774, 1103, 771, 724, 725, 457, 365, 457, 838, 500,
    500, 675, 716, 593, 716, 678, 435, 716, 712, 343, 343, 665, 343, 1042, 712, 687,
    716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838,
)
_WIDEST = {False: tuple(map(max, _ARIAL, _DEJAVU)), True: tuple(map(max, _ARIAL_BOLD, _DEJAVU_BOLD))}
WIDE = 1000  # an ideograph, kana, hangul or full-width form takes a square
OTHER = 722  # a letter of another script, or a sign neither font has: a wide capital's room
#: Graphviz rounds each glyph's advance to a whole dot, so a line it draws comes out a
#: little wider than the metrics say: over the texts of this project's blueprints, at
#: most 3 points and a twentieth of a point per glyph (``tests/test_metrics.py``).
HINTING_PER_LINE = 3.0
HINTING_PER_GLYPH = 0.05

#: Where a line may break: ASCII whitespace only, so a no-break space holds its words.
_SPACES = "\t\n\x0b\x0c\r "
_BREAKS = re.compile(f"([{_SPACES}]+)")


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The room ``text`` takes on one line at ``size`` points, wherever it is drawn."""
    return sum(map(_widths(size, bold).__getitem__, text)) / 1000 + HINTING_PER_LINE


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
        chunk_width = sum(map(widths.__getitem__, chunk))
        if line and used + chunk_width > room and chunk_width <= room:
            lines.append(_finish(line))
            line, used = [], 0
        if used + chunk_width <= room:
            line.append(chunk)
            used += chunk_width
            continue
        for character in chunk:  # a word wider than a line breaks at the edge
            character_width = widths[character]
            # A mark stays on its letter; a space before it may have taken the line past its room.
            if line and used + character_width > room and (character_width or line[-1].endswith(" ")):
                lines.append(_finish(line))
                line, used = [], 0
            line.append(character)
            used += character_width
    if line:
        lines.append(_finish(line))
    return lines


def _finish(line: list[str]) -> str:
    return "".join(line).rstrip(" ")


class _Widths(dict):
    """The room each character met so far takes at one size and weight, in thousandths of
    a point: whole numbers, so that a line's width does not depend on how it is summed."""

    def __init__(self, size: float, bold: bool) -> None:
        super().__init__()
        self.size, self.bold = size, bold

    def __missing__(self, character: str) -> int:
        glyph = _glyph_width(character, _WIDEST[self.bold])
        width = round(glyph * self.size + HINTING_PER_GLYPH * 1000) if glyph else 0
        self[character] = width
        return width


_TABLES: dict[tuple[float, bool], _Widths] = {}


def _widths(size: float, bold: bool) -> _Widths:
    key = (size, bold)
    if key not in _TABLES:
        _TABLES[key] = _Widths(size, bold)
    return _TABLES[key]


def _glyph_width(character: str, ascii_widths: tuple[int, ...]) -> int:
    """The width of a glyph, in thousandths of the font size."""
    if " " <= character <= "~":
        return ascii_widths[ord(character) - 32]
    if unicodedata.category(character) in ("Mn", "Me", "Cf", "Cc"):
        return 0  # marks, joiners and direction marks take no room of their own; controls are not drawn
    if unicodedata.east_asian_width(character) in ("W", "F"):
        return WIDE
    base = unicodedata.normalize("NFKD", character)[:1]
    if base != character and " " <= base <= "~":
        return ascii_widths[ord(base) - 32]  # an accented Latin letter is as wide as its letter
    return OTHER
