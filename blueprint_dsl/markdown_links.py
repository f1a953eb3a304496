"""Image links in the text of a paragraph, read as Python-Markdown's image pattern reads them.

From each ``![`` in turn, left to right, but for one inside an image link read already,
Python-Markdown reads the alt text up to the ``]`` that balances the ``[``: brackets in
pairs are part of it, and escaped ones and those in code spans are text. Right after it
comes ``(``, and spaces or line breaks, then one of:

- a destination in ``<`` and ``>``, perhaps a title in quotes, and ``)``, each after any
  spaces or line breaks;
- a destination up to the ``)`` that balances the ``(``, if no quote comes first;
- else a destination up to the first quote, and a title from there, in which parentheses
  are text, up to the first ``)`` whose nearest character before it but spaces is a
  quote that closes a title there: the title's first quote once more, or the other
  kind of quote for the second time (the title then starts at its first, and what came
  before is the destination's);
- should none, there is no title, and the destination runs to the parenthesis that comes
  as many places after that first quote as the parentheses open at it, if it is a ``)``.
  If it is a ``(``, the destination runs to the last two characters of the paragraph, and
  the link to its last.

These are the rules of Python-Markdown's ``LinkInlineProcessor.getLink``, the last one a
slip of its own, kept here: the page shows what Python-Markdown makes of it. An image link
is text to the patterns read after it: one in an alt text is none. Links (``[text](url)``),
which Python-Markdown reads before images, are not read here: that leaves out what only a
link's destination could change, such as an image link inside one.

The text is read with its code spans and escaped characters masked (they hold no marks).
Where its brackets and parentheses balance, and where each title would end, are found
once, so that each ``![`` is read at once.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

# Python-Markdown's own (markdown.Markdown.ESCAPED_CHARS): a backslash before one of them makes it text.
ESCAPED_CHARACTERS = frozenset("\\`*_{}[]()>#+-.!")
# What stands in a masked text for each character of a code span or an escape: no mark.
MASK = "\x00"
_QUOTES = "\"'"
# From the "(": a destination in angle brackets, a title, and the ")"; or the spaces before a
# destination (Python-Markdown's LinkInlineProcessor.RE_LINK).
_OPENING = re.compile(r"""\(\s*(?:(?P<angled><[^<>]*>)\s*(?:(?P<title>'[^']*'|"[^"]*")\s*)?\))?""")


@dataclass(frozen=True, slots=True, kw_only=True)
class InlineImage:
    """``![alt](destination "title")`` in a text, from its ``!`` to its ``)``."""

    start: int
    end: int
    #: Where the alt text starts and ends in the text.
    alt: tuple[int, int]
    #: Where the destination starts and ends, without the spaces around it (and its angle brackets).
    destination: tuple[int, int]
    #: Where the title starts and ends, between its quotes, without the spaces around it; None for none.
    title: tuple[int, int] | None


def unescaped(text: str, escaped: frozenset[str] = ESCAPED_CHARACTERS) -> str:
    """Markdown text with its backslash escapes (of the ``escaped`` characters) taken off, as Markdown shows it."""
    return re.sub(r"\\(.)", lambda match: match[1] if match[1] in escaped else match[0], text)


def inline_images(text: str, masked: str) -> Iterator[InlineImage]:
    """The image links of a paragraph's ``text``, in order, read from ``masked``: the
    text with its code spans and escaped characters made ``MASK``."""
    marks = _Marks(masked)
    done = 0
    for mark in re.finditer(r"!\[", masked):
        start = mark.start()
        alt_end = marks.brackets.get(start + 1)
        if start < done or alt_end is None or not masked.startswith("(", alt_end + 1):
            continue
        link = _link(text, masked, alt_end + 1, marks)
        if link is None:
            continue
        done, destination, title = link
        yield InlineImage(start=start, end=done, alt=(start + 2, alt_end), destination=destination, title=title)


def _link(text: str, masked: str, opening: int,
          marks: _Marks) -> tuple[int, tuple[int, int], tuple[int, int] | None] | None:
    """Where the part of an image link in parentheses that opens at ``opening`` ends, and
    where its destination and title are; None if it is none."""
    start = _OPENING.match(masked, opening)
    if start["angled"]:
        title = _stripped(text, start.start("title") + 1, start.end("title") - 1) if start["title"] else None
        return start.end(), _stripped(text, start.start("angled") + 1, start.end("angled") - 1), title
    quote = marks.quote_from(start.end())
    closing = marks.parentheses.get(opening)
    if closing is not None and (quote is None or closing < quote):
        return closing + 1, _stripped(text, start.end(), closing), None
    if quote is None:
        return None
    if quote in marks.title_ends:
        closing, last = marks.title_ends[quote]
        first = quote if masked[last] == masked[quote] else marks.quote_from(quote, masked[last])
        return closing + 1, _stripped(text, start.end(), first), _stripped(text, first + 1, last)
    closing = marks.parenthesis_after(quote, marks.depth(opening, quote))
    if closing is None:
        return None
    if masked[closing] == "(":
        return len(text) - 1, _stripped(text, start.end(), len(text) - 2), None
    return closing + 1, _stripped(text, start.end(), closing), None


def _stripped(text: str, start: int, end: int) -> tuple[int, int]:
    """Where ``text[start:end]`` is without the spaces around it (those ``str.strip`` takes off)."""
    part = text[start:end]
    start += len(part) - len(part.lstrip())
    return start, max(start, end - len(part) + len(part.rstrip()))


class _Marks:
    """Where the brackets and parentheses of a masked text balance, where its quotes are,
    and where a title that starts at each quote would end."""

    def __init__(self, masked: str) -> None:
        self.brackets = _balanced(masked, "[", "]")
        self.parentheses = _balanced(masked, "(", ")")
        #: Where each parenthesis is, and how many more "(" than ")" come before it.
        self.parenthesis_places: list[int] = []
        self.depths: list[int] = []
        depth = 0
        for mark in re.finditer(r"[()]", masked):
            self.parenthesis_places.append(mark.start())
            self.depths.append(depth)
            depth += 1 if mark[0] == "(" else -1
        self.depths.append(depth)
        self.quotes = {quote: [mark.start() for mark in re.finditer(quote, masked)] for quote in _QUOTES}
        self.all_quotes = sorted(self.quotes['"'] + self.quotes["'"])
        self.title_ends = _title_ends(masked, self.all_quotes)

    def quote_from(self, start: int, quote: str | None = None) -> int | None:
        """Where the first quote (of either kind, or ``quote``) at or after ``start`` is, if one is."""
        places = self.all_quotes if quote is None else self.quotes[quote]
        number = bisect_left(places, start)
        return places[number] if number < len(places) else None

    def depth(self, opening: int, end: int) -> int:
        """How many parentheses are open at ``end``, counted from the ``(`` at ``opening``."""
        return self.depths[bisect_left(self.parenthesis_places, end)] - self.depths[
            bisect_left(self.parenthesis_places, opening)]

    def parenthesis_after(self, start: int, count: int) -> int | None:
        """Where the ``count``-th parenthesis after ``start`` is, if there are as many."""
        number = bisect_right(self.parenthesis_places, start) + count - 1
        return self.parenthesis_places[number] if number < len(self.parenthesis_places) else None


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


def _title_ends(masked: str, quotes: list[int]) -> dict[int, tuple[int, int]]:
    """For each quote of a text that a title starting there ends after: the ``)`` it ends
    at, and the quote that closes it.

    A ``)`` whose nearest character before it but spaces is a quote ends the titles that
    start from the quote of that kind before that one back (the same kind once more, or,
    the other kind, a second time): a title ends at the first ``)`` that ends it.
    """
    first_ends: dict[int, tuple[int, int]] = {}  # the first ")" that ends the titles from each quote back
    last_of_kind: dict[str, int] = {}
    previous: dict[int, int] = {}  # for each quote, the one of its kind before it
    for quote in quotes:
        if masked[quote] in last_of_kind:
            previous[quote] = last_of_kind[masked[quote]]
        last_of_kind[masked[quote]] = quote
    for mark in re.finditer(r"\)", masked):
        last = mark.start() - 1
        while last >= 0 and masked[last] == " ":  # each run of spaces is read for the ")" right after it alone
            last -= 1
        if last in previous and previous[last] not in first_ends:
            first_ends[previous[last]] = mark.start(), last
    ends: dict[int, tuple[int, int]] = {}
    first: tuple[int, int] | None = None
    for quote in reversed(quotes):
        if quote in first_ends and (first is None or first_ends[quote][0] < first[0]):
            first = first_ends[quote]
        if first is not None:
            ends[quote] = first
    return ends
