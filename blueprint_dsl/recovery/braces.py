"""Braces: the blocks left open, and which '}' is one too many, told by the layout."""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

import lark
from lark.exceptions import UnexpectedInput

from ..grammar import lalr
from ..lexer import lark_order, one_expression
from .repairs import parses_past


class Brace(NamedTuple):
    """A '{' or a '}' of a text, and where it stands."""

    char: str
    start_pos: int
    line: int
    column: int

    @property
    def end_pos(self) -> int:
        return self.start_pos + 1


def unclosed_braces(text: str) -> list[tuple[int, int]]:
    """Positions of the `{` left open at the end of the text (or at a character that
    cannot be read), outermost first."""
    stack: list[tuple[int, int]] = []
    braces, _ = _braces(text)  # up to a bad character, reported when the parse gets there
    for brace in braces:
        if brace.char == "{":
            stack.append((brace.line, brace.column))
        elif stack:
            stack.pop()
    return stack


def block_end(text: str, start: int) -> int | None:
    """Where the block whose opening words start at ``start`` ends, just after its '}'
    (None: it is never closed)."""
    depth = 0
    for brace in _braces(text[start:])[0]:
        if brace.char == "{":
            depth += 1
        elif depth:
            depth -= 1
            if not depth:
                return start + brace.end_pos
    return None


def surplus_brace(
    text: str, braces: list[tuple[Brace, int | None]], error_position: int
) -> tuple[Brace, int, str] | None:
    """In a text with more '}' than '{', the one too many, the line of the block it closes,
    and the run of those too many: it and those right after it on its line (``}}}``).

    The layout tells which it is: a '}' before the error that starts its line, or follows
    only '}' on it, out of line with the line that opened the block it closes, such that
    without it and the '}' after it on its line every '}' first on its line lines up and
    the text parses past the error. The first such '}' is the one: in ``    }}`` closing a
    step and, out of line, its stage, the second '}' rather than a later '}' lined up with
    the stage. In a file laid out some other way this finds nothing, and the error is
    explained where it was found.
    """
    def first(found: list[tuple[Brace, int | None]]) -> tuple[Brace, int] | None:
        return next(((b, o) for b, o in found if o is not None and b.start_pos < error_position), None)

    # Two at most, each tried by a parse: the first '}' out of line that starts its line, and
    # the first that starts its line or follows only '}' there, if it comes before.
    tried = {first(_out_of_line(text, braces)), first(_out_of_line(text, braces, after_braces=True))} - {None}
    for brace, opened in sorted(tried, key=lambda candidate: candidate[0].start_pos):
        run = CLOSING_RUN.match(text, brace.start_pos).group()
        fixed = text[: brace.start_pos] + " " * len(run) + text[brace.start_pos + len(run) :]
        if _lines_up(fixed, error_position):
            return brace, opened, run
    return None


def surplus_at_a_line_end(
    text: str, braces: list[tuple[Brace, int | None]], error_position: int
) -> tuple[Brace, str, int, int] | None:
    """In a text with more '}' than '{', the last '}' that end a line holding a block on one
    line (``step a { guest: "Asks" }}}``) and close more blocks than the line opens, where
    without them every '}' first on its line lines up and the text parses past the error:
    the first of them, the run of them, and how many blocks the line opens and closes."""
    surplus = sum(1 for _, opened in braces if opened is None)
    opens: dict[int, int] = {}
    for brace in _braces(text)[0]:
        if brace.char == "{":
            opens[brace.line] = opens.get(brace.line, 0) + 1
    closing: dict[int, list[Brace]] = {}
    for brace, _ in braces:
        if brace.start_pos < error_position:
            closing.setdefault(brace.line, []).append(brace)
    lines = text.split("\n")
    closing_more = [line for line, closed in closing.items() if 0 < opens.get(line, 0) < len(closed)]
    # The last such line before the error, the one tried: where the layout goes wrong, seen from there.
    for line in sorted(closing_more, reverse=True)[:1]:
        closed, opened = closing[line], opens[line]
        rest = lines[line - 1][closed[-1].column :]
        if lines[line - 1].lstrip().startswith("}") or rest.strip() and not rest.lstrip().startswith("#"):
            continue
        extra = closed[-min(len(closed) - opened, surplus)]
        run = CLOSING_RUN.match(text, extra.start_pos).group()
        if run.count("}") != len(closed) - closed.index(extra):
            continue  # the '}' to remove are not all at the line's end
        fixed = text[: extra.start_pos] + " " * len(run) + text[extra.start_pos + len(run) :]
        if _lines_up(fixed, error_position):
            return extra, run, opened, len(closed)
    return None


def _lines_up(fixed: str, error_position: int) -> bool:
    """Whether every '}' first on its line in ``fixed`` lines up, and it parses past the error."""
    fixed_braces = closing_braces(fixed)
    if fixed_braces is None or _out_of_line(fixed, fixed_braces):
        return False
    try:
        lalr().parse(fixed)
    except UnexpectedInput as error:
        position = getattr(error, "pos_in_stream", None)
        return position is not None and position > error_position
    return True


#: A '}' and those after it on its line, with only spaces between.
CLOSING_RUN = re.compile(r"\}(?:[ \t]*\})*")


def brace_before(text: str, braces: list[tuple[Brace, int | None]], token: lark.Token) -> Brace | None:
    """The last '}' before ``token``, if without it the text parses past the token's line.

    Where the layout cannot tell which '}' is one too many, this is the one that closed
    the block ``token`` belongs in.
    """
    before = [brace for brace, opened in braces if opened is not None and brace.end_pos <= token.start_pos]
    if not before:
        return None
    brace = before[-1]
    return brace if parses_past(text[: brace.start_pos] + " " + text[brace.end_pos :], token.end_line) else None


def closing_braces(text: str) -> list[tuple[Brace, int | None]] | None:
    """Each '}' with the line of the '{' it closes (None: it closes nothing); None if the text cannot be lexed."""
    open_lines: list[int] = []
    closing: list[tuple[Brace, int | None]] = []
    braces, whole = _braces(text)
    if not whole:
        return None  # a bad character further on
    for brace in braces:
        if brace.char == "{":
            open_lines.append(brace.line)
        else:
            closing.append((brace, open_lines.pop() if open_lines else None))
    return closing


def _braces(text: str) -> tuple[list[Brace], bool]:
    """The braces of ``text`` as Lark's lexer reads them (none in a string or a comment),
    and whether the whole text reads, or only up to a character it cannot.

    Recovery asks this of the whole text at each error: Lark's lexer makes a token of
    every word, at several Python calls each, where this matches one expression a token.
    """
    match = _terminals().match
    braces = []
    position, line, line_start, counted = 0, 1, 0, 0
    while position < len(text):
        found = match(text, position)
        if found is None:
            return braces, False
        if found.lastgroup in ("LBRACE", "RBRACE"):
            # Lines counted from brace to brace: most tokens are not braces.
            line += text.count("\n", counted, position)
            line_start = max(line_start, text.rfind("\n", counted, position) + 1)
            counted = position
            braces.append(Brace(found.group(), position, line, position - line_start + 1))
        position = found.end()
    return braces, True


@functools.cache
def _terminals() -> re.Pattern[str]:
    """Every terminal of the grammar in one expression, in the order Lark's lexer tries them."""
    lexer = lalr().lexer_conf
    return one_expression(sorted(lexer.terminals, key=lark_order), lexer.g_regex_flags)


def _out_of_line(
    text: str, braces: list[tuple[Brace, int | None]], after_braces: bool = False
) -> list[tuple[Brace, int | None]]:
    """The braces first on their line (``after_braces``: or after only '}' on it) whose
    line is not indented as the line that opened their block."""
    lines = text.split("\n")
    indents = [len(line) - len(line.lstrip()) for line in lines]
    # Where each line's text starts: after its indent, or after its indent and '}'.
    leads = [len(line) - len(line.lstrip(" \t}")) for line in lines] if after_braces else indents
    return [
        (brace, opened)
        for brace, opened in braces
        if brace.column - 1 <= leads[brace.line - 1]
        and (after_braces or brace.column - 1 == indents[brace.line - 1])
        and (opened is None or indents[opened - 1] != indents[brace.line - 1])
    ]
