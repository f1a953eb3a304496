"""Spans (1-based lines, columns in code points) to LSP positions (0-based, UTF-16) and back.

The one place these conversions happen: every other module of the server speaks in
the tool's own 1-based line and column or in offsets into the text.
"""

from __future__ import annotations

from lsprotocol import types

from ..diagnostics import Span
from ..reading import normalise_newlines
from ..syntax import Token

#: The encoding of the positions the server sends and reads: the one LSP requires every client to take.
ENCODING = types.PositionEncodingKind.Utf16


def lines_of(text: str) -> list[str]:
    """The lines of a text as LSP counts them, and the loader too: CRLF, CR and LF each end one."""
    return normalise_newlines(text).split("\n")


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def to_position(lines: list[str], line: int, column: int) -> types.Position:
    """The LSP position of a 1-based line and column."""
    if line < 1:
        return types.Position(line=0, character=0)
    if line > len(lines):
        return types.Position(line=len(lines), character=0)
    source = lines[line - 1]
    return types.Position(line=line - 1, character=_utf16(source[: max(column - 1, 0)]))


def to_range(lines: list[str], span: Span) -> types.Range:
    return types.Range(
        start=to_position(lines, span.line, span.column), end=to_position(lines, span.end_line, span.end_column)
    )


def token_range(lines: list[str], token: Token) -> types.Range:
    return types.Range(
        start=to_position(lines, token.line, token.column), end=to_position(lines, token.end_line, token.end_column)
    )


def from_position(lines: list[str], position: types.Position) -> tuple[int, int]:
    """The 1-based line and column (in code points) of an LSP position."""
    if position.line >= len(lines):
        return len(lines), len(lines[-1]) + 1 if lines else 1
    return position.line + 1, code_points(lines[position.line], position.character) + 1


def code_points(line: str, units: int) -> int:
    """How many code points of ``line`` stand in its first ``units`` UTF-16 units: all of them past its end."""
    seen = 0
    for index, char in enumerate(line):
        if seen >= units:
            return index
        seen += 2 if ord(char) > 0xFFFF else 1
    return len(line)


def offset_of(lines: list[str], line: int, column: int) -> int:
    """The offset into the text ("\\n"-joined lines) of a 1-based line and column."""
    return sum(len(text) + 1 for text in lines[: line - 1]) + column - 1


def position_offset(lines: list[str], position: types.Position) -> int:
    return offset_of(lines, *from_position(lines, position))


def whole_range(lines: list[str]) -> types.Range:
    """From the start of the text to its end."""
    end = types.Position(line=len(lines) - 1, character=_utf16(lines[-1]))
    return types.Range(start=types.Position(line=0, character=0), end=end)
