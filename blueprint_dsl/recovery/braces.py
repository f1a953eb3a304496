"""Braces: the blocks left open, and which '}' is one too many, told by the layout."""

from __future__ import annotations

import lark
from lark.exceptions import UnexpectedInput

from ..grammar import lalr
from .repairs import parses_past


def unclosed_braces(text: str) -> list[tuple[int, int]]:
    """Positions of the `{` left open at the end of the text (or at a character that
    cannot be read), outermost first."""
    stack: list[tuple[int, int]] = []
    try:
        for token in lalr().lex(text, dont_ignore=False):
            if token.type == "LBRACE":
                stack.append((token.line, token.column))
            elif token.type == "RBRACE" and stack:
                stack.pop()
    except UnexpectedInput:
        pass  # a bad character further on, reported when the parse gets there
    return stack


def surplus_brace(
    text: str, braces: list[tuple[lark.Token, int | None]], error_position: int
) -> tuple[lark.Token, int] | None:
    """In a text with more '}' than '{', the one too many and the line of the block it closes.

    The layout tells which it is: a '}' before the error, first on its line, out of line
    with the line that opened the block it closes, such that without it every such '}'
    lines up and the text parses past the error. In a file laid out some other way this
    finds nothing, and the error is explained where it was found.
    """
    candidate = next(
        (
            (brace, opened)
            for brace, opened in _out_of_line(text, braces)
            if opened is not None and brace.start_pos < error_position
        ),
        None,
    )
    if candidate is None:
        return None
    brace = candidate[0]
    fixed = text[: brace.start_pos] + " " + text[brace.end_pos :]
    fixed_braces = closing_braces(fixed)
    if fixed_braces is None or _out_of_line(fixed, fixed_braces):
        return None
    try:
        lalr().parse(fixed)
    except UnexpectedInput as error:
        position = getattr(error, "pos_in_stream", None)
        if position is None or position <= error_position:
            return None
    return candidate


def brace_before(text: str, braces: list[tuple[lark.Token, int | None]], token: lark.Token) -> lark.Token | None:
    """The last '}' before ``token``, if without it the text parses past the token's line.

    Where the layout cannot tell which '}' is one too many, this is the one that closed
    the block ``token`` belongs in.
    """
    before = [brace for brace, opened in braces if opened is not None and brace.end_pos <= token.start_pos]
    if not before:
        return None
    brace = before[-1]
    return brace if parses_past(text[: brace.start_pos] + " " + text[brace.end_pos :], token.end_line) else None


def closing_braces(text: str) -> list[tuple[lark.Token, int | None]] | None:
    """Each '}' with the line of the '{' it closes (None: it closes nothing); None if the text cannot be lexed."""
    open_lines: list[int] = []
    braces: list[tuple[lark.Token, int | None]] = []
    try:
        for token in lalr().lex(text, dont_ignore=False):
            if token.type == "LBRACE":
                open_lines.append(token.line)
            elif token.type == "RBRACE":
                braces.append((token, open_lines.pop() if open_lines else None))
    except UnexpectedInput:
        return None  # a bad character further on
    return braces


def _out_of_line(text: str, braces: list[tuple[lark.Token, int | None]]) -> list[tuple[lark.Token, int | None]]:
    """The braces first on their line that are not indented as the line that opened their block."""
    indents = [len(line) - len(line.lstrip()) for line in text.split("\n")]
    return [
        (brace, opened)
        for brace, opened in braces
        if brace.column - 1 == indents[brace.line - 1] and (opened is None or indents[opened - 1] != brace.column - 1)
    ]
