"""Where the cells of a table are, as Python-Markdown's tables extension reads a block.

A block is a table when its first line (the header row) splits into more than one cell,
or into one with a pipe at either end of each line, and its second line (the delimiter
row) into as many, made of ``|``, ``:``, ``-`` and spaces alone. A row splits at each
``|`` that is not escaped and not in a code span; a pipe at either end of the header row
is a border, and is taken off each row. A row's cells past the delimiter row's count are
not shown. Code spans are paired as the extension pairs them, which is not as the inline
code spans are: a run of backticks closes at the next run as long, if one comes.
"""

from __future__ import annotations

import re
from bisect import bisect_right

_BACKSLASHES_BACKTICKS_OR_PIPE = re.compile(r"(\\\\)|(\\`+)|(`+)|(\\\|)|(\|)")
_END_BORDER = re.compile(r"(?<!\\)(?:\\\\)*\|$")
_DELIMITER_CHARACTERS = frozenset("|:- ")


def table_cells(rows: list[str]) -> list[list[tuple[int, int]]] | None:
    """Where each shown cell of each row but the delimiter row starts and ends in its row, if
    the rows (the lines of a block) are a table; else None."""
    if len(rows) < 2:
        return None
    header = rows[0].strip(" ")
    border = (header.startswith("|"), _END_BORDER.search(header) is not None)
    columns = len(_split_row(rows[0], border))
    is_table = columns > 1
    if columns == 1 and any(border):
        is_table = all(row.strip(" ").startswith("|") or _END_BORDER.search(row.strip(" ")) for row in rows[1:])
    if not is_table:
        return None
    delimiters = [rows[1][start:end] for start, end in _split_row(rows[1], border)]
    if len(delimiters) != columns or not set("".join(delimiters)) <= _DELIMITER_CHARACTERS:
        return None
    return [_split_row(row, border)[:columns] for row in rows[:1] + rows[2:]]


def _split_row(row: str, border: tuple[bool, bool]) -> list[tuple[int, int]]:
    """Where the cells of a row start and end in it, the spaces around the row and its borders left out."""
    start = len(row) - len(row.lstrip(" "))
    text = row.strip(" ")
    if any(border):
        if text.startswith("|"):
            text, start = text[1:], start + 1
        text = _END_BORDER.sub("", text)
    return [(start + cell_start, start + cell_end) for cell_start, cell_end in _split(text)]


def _split(text: str) -> list[tuple[int, int]]:
    """Where the cells of a row without its borders start and end: it splits at each pipe not
    escaped and not in a code span."""
    runs, pipes = [], []  # each run of backticks: how many, where it starts and ends (a backslash before included)
    for match in _BACKSLASHES_BACKTICKS_OR_PIPE.finditer(text):
        if match[2] or match[3]:
            runs.append((len(match[0]) - 1 if match[2] else len(match[0]), match.start(), match.end(), bool(match[2])))
        elif match[5]:
            pipes.append(match.start())
    of_length: dict[int, list[int]] = {}
    for number, (length, *_) in enumerate(runs):
        of_length.setdefault(length, []).append(number)
    code, number = [], 0  # where each code span starts and ends
    while number < len(runs):
        length, start, _, escaped = runs[number]
        same = of_length.get(length - escaped, [])
        later = bisect_right(same, number)
        if length - escaped == 0 or later == len(same):
            number += 1
            continue
        code.append((start, runs[same[later]][2]))
        number = same[later] + 1
    cells, done, span = [], 0, 0
    for pipe in pipes:
        while span < len(code) and code[span][1] <= pipe:
            span += 1
        if span < len(code) and code[span][0] <= pipe:
            continue
        cells.append((done, pipe))
        done = pipe + 1
    return cells + [(done, len(text))]
