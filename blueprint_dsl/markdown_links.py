"""Image links in the text of a paragraph, read as Python-Markdown's image pattern reads them.

From each ``![`` in turn, left to right, but for one inside an image link read already,
Python-Markdown reads the alt text up to the ``]`` that balances the ``[``: brackets in
pairs are part of it, and escaped ones and those in code spans are text. Right after it
comes the destination, in parentheses. An image link is text to the patterns read after
it: one in an alt text is none.

The text is read with its code spans and escaped characters masked (they hold no marks),
and where its brackets balance is found once, so that each ``![`` is read at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

# Python-Markdown's own (markdown.Markdown.ESCAPED_CHARS): a backslash before one of them makes it text.
ESCAPED_CHARACTERS = frozenset("\\`*_{}[]()>#+-.!")
# What stands in a masked text for each character of a code span or an escape: no mark.
MASK = "\x00"
_DESTINATION = re.compile(r"\((?P<destination>[^)\s]+)\)")


@dataclass(frozen=True, slots=True, kw_only=True)
class InlineImage:
    """``![alt](destination)`` in a text, from its ``!`` to its ``)``."""

    start: int
    end: int
    #: The alt text, as written.
    alt: str
    #: The destination, as written.
    destination: str


def inline_images(text: str, masked: str) -> Iterator[InlineImage]:
    """The image links of a paragraph's ``text``, in order, read from ``masked``: the
    text with its code spans and escaped characters made ``MASK``."""
    alt_ends = _balanced(masked, "[", "]")
    done = 0
    for mark in re.finditer(r"!\[", masked):
        start = mark.start()
        alt_end = alt_ends.get(start + 1)
        if start < done or alt_end is None:
            continue
        destination = _DESTINATION.match(masked, alt_end + 1)
        if destination is None:
            continue
        done = destination.end()
        yield InlineImage(start=start, end=done, alt=text[start + 2 : alt_end],
                          destination=text[destination.start("destination") : destination.end("destination")])


def _balanced(masked: str, opening: str, closing: str) -> dict[int, int]:
    """Where each ``opening`` mark of a text that is balanced is, and the ``closing`` mark that balances it."""
    pairs: dict[int, int] = {}
    open_marks: list[int] = []
    for mark in re.finditer(f"[{re.escape(opening + closing)}]", masked):
        if mark[0] == opening:
            open_marks.append(mark.start())
        elif open_marks:
            pairs[open_marks.pop()] = mark.start()
    return pairs
