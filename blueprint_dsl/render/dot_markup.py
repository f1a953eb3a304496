"""Text in DOT: blueprint text escaped for Graphviz's HTML-like labels, the labels' lines
and fonts, and DOT's own strings and attribute lists.

Blueprint text reaches DOT only inside HTML-like labels, escaped by ``markup``.
"""

from __future__ import annotations

import re

from ..text import drawable

_SPACE = re.compile(r"[\t\n\r]")


def plain(text: str) -> str:
    """Text as it can be drawn: ``text.drawable``, with tabs and line breaks as spaces.

    The layout has already broken lines at newlines, so one left inside a line is a space
    (docs/rendering.md).
    """
    return _SPACE.sub(" ", drawable(text))


def markup(text: str) -> str:
    """Text for an HTML-like label: ``<>&`` and quotes escaped, controls as ``plain``.

    Graphviz reads ``\\N``, ``\\G`` and friends in labels as the node's or the graph's
    name, even in HTML-like ones and after entities are decoded; a doubled backslash
    is one backslash.
    """
    return escape(plain(text).replace("\\", "\\\\"))


def escape(text: str, quote: bool = True) -> str:
    """``html.escape``, written out: importing ``html`` loads its table of entities, which
    only unescaping needs, at 1.5% of an SVG render."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;").replace("'", "&#x27;") if quote else text


def quoted(value: str) -> str:
    """A DOT double-quoted string."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def attribute_list(**attributes: str | float) -> str:
    """A DOT attribute list, ``[name=value, ...]``: an HTML-like label as it is, a float to three places."""
    parts = []
    for name, value in attributes.items():
        if isinstance(value, str) and value.startswith("<") and value.endswith(">"):
            parts.append(f"{name}={value}")  # an HTML-like label, escaped when it was built
        elif isinstance(value, float):
            parts.append(f"{name}={value:.3f}")
        else:
            parts.append(f"{name}={quoted(str(value))}")
    return "[" + ", ".join(parts) + "]"


def font_lines(lines: tuple[str, ...], *, size: float | None = None, colour: str | None = None,
           bold: bool = False, italic: bool = False) -> str:
    # Graphviz rejects a <FONT>, <B> or <I> with nothing inside: an empty text is a space.
    text = "<BR/>".join(markup(line) for line in lines) or " "
    if bold:
        text = f"<B>{text}</B>"
    if italic:
        text = f"<I>{text}</I>"
    font = []
    if size is not None:
        font.append(f'POINT-SIZE="{size:g}"')
    if colour is not None:
        font.append(f'COLOR="{colour}"')
    return f"<FONT {' '.join(font)}>{text}</FONT>" if font else text


#: Graphviz sets a line of text in a box ``LINE_SPACING`` times its size tall, centred in
#: its cell; the foot of that box is room for descenders, so letters sat high in a badge
#: or a header. Set at the foot of a cell taller by twice ``DROP`` times the size, the
#: letters come that much lower, to the middle.
LINE_SPACING = 1.2
DROP = 0.15


def middled(label: str, lines: int, size: float) -> str:
    """``label``, of ``lines`` lines of ``size`` points, in a cell that sets its letters in
    the middle of the box it is centred in."""
    height = lines * LINE_SPACING * size + 2 * DROP * size
    return (f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0"><TR><TD HEIGHT="{height:.0f}" '
            f'VALIGN="BOTTOM">{label}</TD></TR></TABLE>')
