"""What a request answered at once reads: the text as the client has it now, and the document's last analysis.

An editor asks for completion and for the highlight of the id under the cursor at every
keystroke (VS Code does, with its suggestions as you type). Checking the text first would
hold each answer up by the check, half a second in a blueprint of a thousand actions, and
run one check per keystroke where the server means to run one once the typing pauses.
Neither answer needs a check: completion reads the text up to the cursor, and the ids the
blueprint had at its last check; a highlight reads the ids of the last check, each moved
to where it stands in the text now. An id the edits since then touched (one being typed,
say) is left out rather than guessed at, as rust-analyzer and pyright answer from their
last analysis while the next is being made.
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from ..syntax import Name, Token
from .document import Analysis
from .positions import lines_of


@dataclass(frozen=True, slots=True)
class Draft:
    """The text of a document now, and its last analysis, with the part of the text that differs between them."""

    #: The last analysis of the document, made from an older text, or from this one.
    analysis: Analysis
    #: The text now (line endings read as LF, as ``analysis.text``), and its lines.
    text: str
    lines: list[str]
    #: The edits since the analysis, as one change: the analysed text's ``[start, old_end)``
    #: became the text's ``[start, new_end)``; what stands before and after is the same.
    start: int
    old_end: int
    new_end: int
    #: The offset each line of the text starts at, once it differs from the analysed one.
    starts: list[int] = dataclasses.field(default_factory=list)

    @classmethod
    def of(cls, analysis: Analysis, text: str) -> Draft:
        """``text`` (line endings read as LF) and what ``analysis`` knew, which may be of an older text."""
        old = analysis.text
        if old == text:
            return cls(analysis, text, analysis.lines, len(text), len(text), len(text))
        shorter = min(len(old), len(text))
        start = _longest(lambda n: old[:n] == text[:n], shorter)
        same_end = _longest(lambda n: old[len(old) - n :] == text[len(text) - n :], shorter - start)
        lines = lines_of(text)
        starts = [0]
        for line in lines[:-1]:
            starts.append(starts[-1] + len(line) + 1)
        return cls(analysis, text, lines, start, len(old) - same_end, len(text) - same_end, starts)

    @property
    def unchanged(self) -> bool:
        return self.start == self.old_end == self.new_end == len(self.text)

    def analysed_offset(self, offset: int) -> int | None:
        """Where ``offset`` into the text stood in the analysed text; None inside what the edits wrote."""
        if offset <= self.start:
            return offset
        if offset >= self.new_end:
            return offset - self.new_end + self.old_end
        return None

    def moved(self, token: Token) -> Token | None:
        """A token of the analysed text where it stands in the text now; None when the edits touched it
        (a name edited, or one that an edit just before or after it may have made longer)."""
        if self.unchanged or token.end_offset < self.start:
            return token
        if token.offset <= self.old_end or token.line != token.end_line:
            return None
        offset = token.offset - self.old_end + self.new_end
        line = bisect.bisect_right(self.starts, offset)
        column = offset - self.starts[line - 1] + 1
        return dataclasses.replace(
            token,
            line=line,
            column=column,
            end_line=line,
            end_column=column + token.end_offset - token.offset,
            offset=offset,
            end_offset=offset + token.end_offset - token.offset,
        )

    def name_at(self, offset: int) -> Name | None:
        """The last analysis's name under ``offset`` into the text now, moved there; None if the edits touched it."""
        analysed = self.analysed_offset(offset)
        name = self.analysis.name_at(analysed) if analysed is not None else None
        token = self.moved(name.token) if name is not None else None
        return dataclasses.replace(name, token=token) if token is not None else None


def _longest(same: Callable[[int], bool], most: int) -> int:
    """The largest ``n`` up to ``most`` for which ``same(n)`` holds, ``same`` holding for every smaller one:
    the length of a common prefix (or suffix), found in slices the interpreter compares whole."""
    low, high = 0, most
    while low < high:
        middle = (low + high + 1) // 2
        if same(middle):
            low = middle
        else:
            high = middle - 1
    return low
