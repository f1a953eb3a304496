"""Small repairs of a line, the test of whether a repair gets the parse past it, and
what the parser had read where it stopped."""

from __future__ import annotations

import re

import lark
from lark.exceptions import UnexpectedEOF, UnexpectedInput

from .. import codes
from ..diagnostics import Diagnostic, Span, clip
from ..grammar import lalr
from ..text import quote

#: The dashes autocorrect writes for '-' (hyphens, figure, en and em dash, minus sign), as in '—>' or '5–10min'.
DASHES = "\u2010\u2011\u2012\u2013\u2014\u2212"


def line_of(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def dangling_name(error: UnexpectedInput, expected: set[str], lines: list[str]) -> lark.Token | None:
    """A name read as the start of a flow or action that never comes.

    Only after a statement on its line, or alone on its line: there the parse fails at
    a later word or character. ``actor c customer C`` is a whole declaration followed
    by a flow from ``C``, and the error would be reported on the next line.
    """
    if "ARROW" not in expected or not expected <= {"ARROW", "COLON"}:
        return None
    parser = getattr(error, "interactive_parser", None)
    stack = parser.parser_state.value_stack if parser is not None else []
    name = stack[-1] if stack else None
    if not isinstance(name, lark.Token) or name.type != "NAME":
        return None
    return name if _after_statement(lines[name.line - 1], name.column) or name.end_line < error.line else None


def _after_statement(source_line: str, column: int) -> bool:
    """Does a statement end on this line before ``column`` (not just a block open)?"""
    before = source_line[: column - 1].strip()
    return bool(before) and not before.endswith("{")


def explain_dangling(
    name: lark.Token, expected: set[str], lines: list[str], path: str
) -> tuple[Diagnostic, str | None]:
    source_line = lines[name.line - 1]
    start = name.column - 1
    if _after_statement(source_line, name.column):
        # After a statement on its line: text written without quotes, if quoting it parses.
        words = text_from(source_line, name.column)
        if words.endswith('"') and not words.endswith('\\"'):
            # Front desk": only the opening quote is missing.
            lines[name.line - 1] = source_line[:start] + '"' + source_line[start:]
            quoted = "\n".join(lines)
            if parses_past(quoted, name.line):
                return codes.SYNTAX_ERROR.at(
                    Span.point(path, name.line, name.column, len(words)),
                    "the opening quote of this text is missing",
                    f'write "{clip(words)}',
                ), quoted
            lines[name.line - 1] = source_line
        lines[name.line - 1] = source_line[:start] + quote(words) + source_line[start + len(words) :]
        quoted = "\n".join(lines)
        if parses_past(quoted, name.line):
            return codes.SYNTAX_ERROR.at(
                Span.point(path, name.line, name.column, len(words)),
                f"'{clip(words)}' is text without quotes",
                f"put the text in double quotes: {clip(quote(words))}",
            ), quoted
    lines[name.line - 1] = source_line[:start] + " " * len(name) + source_line[start + len(name) :]
    if "COLON" in expected:
        message = f"'{clip(name)}' starts an action or a flow, but no ':' or '->' follows it"
        hint = 'an action is written actor: "what they do", a flow a -> b'
    else:
        message = f"'{clip(name)}' starts a flow, but no '->' or '<->' follows it"
        hint = "finish the flow, or remove the name"
    return codes.SYNTAX_ERROR.at(Span.point(path, name.line, name.column, len(name)), message, hint), "\n".join(lines)


# What to insert when one token is missing, in the order worth trying.
_PLACEHOLDERS = (("COLON", ":"), ("NAME", "_"), ("STRING", '""'), ("DURATION", "0s"), ("RBRACE", "}"))


def insert_missing(text: str, token: lark.Token, expected: set[str]) -> str | None:
    """The text with a missing token inserted before ``token``, if that gets the parse past it."""
    for terminal, placeholder in _PLACEHOLDERS:
        if terminal not in expected:
            continue
        candidate = text[: token.start_pos] + placeholder + " " + text[token.start_pos :]
        try:
            lalr().parse(candidate)
            return candidate
        except UnexpectedInput as error:
            position = getattr(error, "pos_in_stream", None)
            if position is not None and position > token.start_pos + len(placeholder) + 1:
                return candidate
    return None


def delete_extra(text: str, token: lark.Token) -> str | None:
    """The text without ``token``, if the rest of its line then parses: a token too many.

    Never a brace: one too many is found by the layout (``surplus_brace``).
    """
    if token.type in ("LBRACE", "RBRACE"):
        return None
    candidate = text[: token.start_pos] + blank(str(token)) + text[token.end_pos :]
    return candidate if parses_past(candidate, token.end_line) else None


def blank(written: str) -> str:
    """``written`` as spaces, with its line breaks: every line after it stays where it was."""
    return re.sub(r"[^\n]", " ", written)


def written_over(written: str, replacement: str) -> str:
    """``replacement`` in place of ``written`` on its first line, and the lines of a string
    over several left blank: every line after it stays where it was."""
    first, newline, others = written.partition("\n")
    return replacement.ljust(len(first)) + newline + blank(others)


def parses_past(text: str, line: int, column: int | None = None) -> bool:
    """Does ``text`` parse, or fail only after ``line`` (or at its end)? With ``column``,
    a failure on ``line`` after that column counts as past it too."""
    stop = first_error(text)
    return stop is None or stop[0] > line or (stop[0] == line and column is not None and stop[1] > column)


def first_error(text: str) -> tuple[int, int] | None:
    """The line and column where the parse of ``text`` fails, or None when it parses or
    fails only at its end."""
    try:
        lalr().parse(text)
    except UnexpectedEOF:
        pass
    except UnexpectedInput as error:
        # The LALR parser says the end as a token, placed at the last one read.
        if getattr(getattr(error, "token", None), "type", None) != "$END":
            return error.line, error.column
    return None


def tokens_before(text: str, token: lark.Token) -> list[lark.Token]:
    """The tokens of ``text`` before ``token``, comments left out; none after a character the lexer cannot read."""
    try:
        return list(lalr().lex(text[: token.start_pos], dont_ignore=False))
    except UnexpectedInput:
        return []


def open_blocks(tokens: list[lark.Token]) -> list[lark.Token | None]:
    """The keywords that open the blocks still open after ``tokens``, outermost first."""
    opened: list[lark.Token | None] = []
    opener = None
    for token in tokens:
        if token.type in ("BLUEPRINT", "STAGE", "STEP"):
            opener = token
        elif token.type == "LBRACE":
            opened.append(opener)
            opener = None
        elif token.type == "RBRACE" and opened:
            opened.pop()
    return opened


#: The statements a hint writes out, at most, where it writes one for each of several.
_WRITTEN_OUT = 4


def written_out(statements: list[str]) -> str:
    """``statements`` as a hint writes them out: "a, b and c", each cut, and past the first
    few, how many more."""
    shown = [clip(statement) for statement in statements[:_WRITTEN_OUT]]
    more = len(statements) - len(shown)
    return ", ".join(shown[:-1]) + (f", {shown[-1]} and {more} more" if more else f" and {shown[-1]}")


def text_from(source_line: str, column: int) -> str:
    """The words from ``column`` to the end of the line, a brace or a comment."""
    return re.match(r"[^{}#]*", source_line[column - 1 :]).group(0).rstrip()


def last_statement(stack: list) -> lark.Tree | lark.Token | None:
    """The statement the parser read last before the value on top of its ``stack``."""
    last = stack[-2] if len(stack) >= 2 else None
    while isinstance(last, lark.Tree) and last.data.startswith("__") and last.children:
        last = last.children[-1]  # the statements before, gathered by the parser
    return last


def last_token(item: lark.Tree | lark.Token) -> lark.Token | None:
    while isinstance(item, lark.Tree):
        if not item.children:
            return None
        item = item.children[-1]
    return item


def is_name(item: object) -> bool:
    return isinstance(item, lark.Token) and item.type == "NAME"
