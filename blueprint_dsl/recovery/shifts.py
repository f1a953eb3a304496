"""Positions in a repaired text, taken back to the file as written.

A repair keeps every line where it was, but may make one longer or shorter: a
misspelt keyword replaced by a longer one, a stage wrapped around a stray step. What
follows on that line then stands at other columns. Each repair's change is recorded,
so that the errors found after it, and the blueprint built from the repaired text,
point at the file; and so are the lines no repair touched, whose words the editor
can take from the repaired text as they stand in the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True, kw_only=True)
class LineEdit:
    """A change on a line: its columns from ``start`` up to ``old_end`` became the
    columns from ``start`` up to ``new_end``. Of several on a line, each counts its
    columns with the ones to its left made and the ones to its right not."""

    line: int
    start: int
    old_end: int
    new_end: int

    def back(self, line: int, column: int) -> int:
        """The column before the edit of ``column`` after it; inside what the edit wrote, its start."""
        if line != self.line or column <= self.start:
            return column
        if column >= self.new_end:
            return column - (self.new_end - self.old_end)
        return self.start

    def wrote(self, line: int, column: int, end_column: int) -> bool:
        """Whether any of the columns from ``column`` up to ``end_column`` after the edit is in what it wrote."""
        return line == self.line and self.start < end_column and column < self.new_end


@dataclass(slots=True)
class Shifts:
    """The line edits of each repair in turn, and the text the last one made."""

    repairs: list[tuple[LineEdit, ...]] = field(default_factory=list)
    #: The text as the last repair left it (None before any): the one recovery's tree is of.
    text: str | None = None
    #: The lines some repair rewrote.
    rewritten: set[int] = field(default_factory=set)
    #: The first line from which a repair that added or removed lines may have moved every line.
    moved: int | None = None

    def record(self, before: str, after: str) -> None:
        edits = line_edits(before, after)
        self.repairs.append(edits)
        self.text = after
        self.rewritten.update(edit.line for edit in edits)
        if before.count("\n") != after.count("\n"):
            first = _first_moved_line(before, after)
            self.moved = first if self.moved is None else min(self.moved, first)

    def as_written(self, line: int) -> bool:
        """Whether ``line`` of the repaired text is the file's line of that number, word for word."""
        return line not in self.rewritten and (self.moved is None or line < self.moved)

    def place(self, line: int, column: int) -> tuple[int, int]:
        """Where ``line`` and ``column`` of the repaired text stand in the file (the edits
        of a repair are undone right to left)."""
        for edits in reversed(self.repairs):
            for edit in edits:
                column = edit.back(line, column)
        return line, column

    def wrote(self, line: int, column: int, end_column: int | None = None) -> bool:
        """Whether ``line`` and ``column`` of the repaired text are in what a repair wrote;
        with ``end_column``, any of the columns from ``column`` up to it."""
        end_column = column + 1 if end_column is None else end_column
        for edits in reversed(self.repairs):
            if any(edit.wrote(line, column, end_column) for edit in edits):
                return True
            for edit in edits:
                column, end_column = edit.back(line, column), edit.back(line, end_column)
        return False


def line_edits(before: str, after: str) -> tuple[LineEdit, ...]:
    """The changes from ``before`` to ``after``, line by line, right to left on a line.

    A repair that adds lines adds them at the end, where nothing follows; one that
    removed or added lines elsewhere is not followed.
    """
    old, new = before.split("\n"), after.split("\n")
    if len(old) != len(new):
        return ()
    edits: list[LineEdit] = []
    for number, (was, now) in enumerate(zip(old, new), start=1):
        if was != now:
            edits.extend(reversed(_changes(number, was, now)))
    return tuple(edits)


def _first_moved_line(before: str, after: str) -> int:
    """The first line of ``after`` (which has more or fewer lines than ``before``) that may
    not be the line of that number in ``before``: every line above it is, as the texts
    agree up to it. Closing braces added at the end move no line of the file."""
    same = _common_prefix(before, after)
    line = before.count("\n", 0, same) + 1
    ended = all(same == len(text) or text[same] == "\n" for text in (before, after))
    return line + 1 if ended else line


def _changes(number: int, was: str, now: str) -> list[LineEdit]:
    """The changes from ``was`` to ``now``, left to right: one, or two insertions around
    what the line kept (a stage wrapped around a step written on one line)."""
    prefix = _common_prefix(was, now)
    suffix = min(_common_prefix(was[::-1], now[::-1]), min(len(was), len(now)) - prefix)
    old_end, new_end = len(was) - suffix, len(now) - suffix
    kept = now.find(was[prefix:old_end], prefix + 1, new_end) if prefix < old_end else -1
    if kept < 0:
        return [LineEdit(line=number, start=prefix + 1, old_end=old_end + 1, new_end=new_end + 1)]
    after = kept + old_end - prefix
    return [
        LineEdit(line=number, start=prefix + 1, old_end=prefix + 1, new_end=kept + 1),
        LineEdit(line=number, start=after + 1, old_end=after + 1, new_end=new_end + 1),
    ]


def _common_prefix(a: str, b: str) -> int:
    """The length of the start ``a`` and ``b`` share, found by halves: a line may be a megabyte."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low
