"""Where Python-Markdown reads a paragraph's code spans: as the version installed pairs
backticks (3.11 pairs them otherwise than the versions before it), found without its
expression's searches back and forth; and spans' places, looked up by bisection."""

from __future__ import annotations

import functools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator

_BACKTICKS = re.compile(r"`+")
# A run of backticks that opens a code span, or the backslashes in pairs before one (Python-Markdown's BACKTICK_RE):
# a backslash before the run escapes it, even where Python-Markdown's reading starts right after that backslash.
_OPENING_BACKTICKS = re.compile(r"(?<!\\)(?P<backslashes>(?:\\{2})+)(?=`)|(?<!\\)`")


class Spans:
    """Where the code spans or comments of a paragraph are: ``(start, end)``, in order, none in another."""

    def __init__(self, spans: Iterator[tuple[int, int]]) -> None:
        self.spans = list(spans)
        self.starts = [start for start, _ in self.spans]

    def next_start(self, index: int, end: int) -> int:
        """Where the first span that starts at or after ``index`` starts; ``end`` if none does."""
        number = bisect_left(self.starts, index)
        return self.starts[number] if number < len(self.starts) else end

    def within(self, start: int, end: int) -> list[tuple[int, int]]:
        """The spans that lie from ``start`` to ``end``, in order."""
        number = bisect_left(self.starts, start)
        spans = []
        while number < len(self.spans) and self.spans[number][1] <= end:
            spans.append(self.spans[number])
            number += 1
        return spans

    def holds(self, index: int, *, from_start: bool = False) -> bool:
        """Whether a span holds the character at ``index`` (past its first one, unless ``from_start``)."""
        number = bisect_right(self.starts, index) - 1
        if number < 0:
            return False
        start, end = self.spans[number]
        return (start <= index if from_start else start < index) and index < end


def find_code_spans(text: str) -> Iterator[tuple[int, int]]:
    """Where the code spans of a paragraph start and end, as the Python-Markdown installed pairs backticks."""
    return (_code_spans_before_3_11 if _pairs_runs_as_long() else _code_spans_3_11)(text)


def _code_spans_before_3_11(text: str) -> Iterator[tuple[int, int]]:
    """Where the code spans of a paragraph start and end, as Python-Markdown before 3.11
    reads them (its BACKTICK_RE), found without that expression's searches back and forth,
    which take time in the square of the runs' lengths.

    A run of backticks opens a code span that the first later run as long closes, taken
    whole: of the run's lengths from its own down, the first that a later run has. A
    backtick after an odd number of backslashes is escaped (the rest of its run may still
    open a span); after an even number, not: the backslashes pair up, put aside first.
    """
    runs = [(run.start(), run.end()) for run in _BACKTICKS.finditer(text)]
    starts_of_length: dict[int, list[int]] = {}  # where the runs of each length start, in order
    for start, end in runs:
        starts_of_length.setdefault(end - start, []).append(start)
    position = 0
    for start, end in runs:
        if start < position:
            continue  # inside the span before
        backslashes = start - position - len(text[position:start].rstrip("\\"))
        opening = start + backslashes % 2
        for length in range(end - opening, 0, -1):
            later = starts_of_length.get(length, [])
            closing = bisect_right(later, end)
            if closing < len(later):
                yield opening, later[closing] + length
                position = later[closing] + length
                break


@functools.cache
def _pairs_runs_as_long() -> bool:
    """Whether the Python-Markdown installed is one before 3.11, which reads code spans by ``_AS_LONG``."""
    import markdown  # the plugin's Markdown, there whenever a page is read

    return markdown.__version_info__ < (3, 11)


def _code_spans_3_11(text: str) -> Iterator[tuple[int, int]]:
    """Where the code spans of a paragraph start and end, as Python-Markdown 3.11 pairs backticks.

    A run of backticks not escaped opens a code span, which the next run as long closes. Should
    none come, the first of the longest runs after it closes it, if they are shorter (the rest
    of the opening run is code); else the run is text, and so are as many characters after it
    (Python-Markdown skips them too). Each closing run is looked up, not searched for.
    """
    runs = [(run.start(), run.end()) for run in _BACKTICKS.finditer(text)]
    ending_at = {end: number for number, (_, end) in enumerate(runs)}
    of_length: dict[int, list[int]] = {}  # the runs of each length, by number, in order
    for number, (start, end) in enumerate(runs):
        of_length.setdefault(end - start, []).append(number)
    longest_from: list[int | None] = [None] * (len(runs) + 1)  # the first of the longest runs from each on
    for number in reversed(range(len(runs))):
        longest = longest_from[number + 1]
        longer = longest is None or runs[number][1] - runs[number][0] >= runs[longest][1] - runs[longest][0]
        longest_from[number] = number if longer else longest
    position = 0
    while match := _OPENING_BACKTICKS.search(text, position):
        start = match.end() if match["backslashes"] else match.start()
        end = _BACKTICKS.match(text, start).end()
        opening, ticks = ending_at[end], end - start
        same = of_length.get(ticks, [])
        later = bisect_right(same, opening)
        closing = same[later] if later < len(same) else longest_from[opening + 1]
        if closing is None or runs[closing][1] - runs[closing][0] > ticks:
            position = start + 2 * ticks  # the backticks are only text, and so are as many characters after them
            continue
        yield start, runs[closing][1]
        position = runs[closing][1]
