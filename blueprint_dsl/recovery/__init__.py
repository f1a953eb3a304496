"""Syntax errors: friendly messages, and recovery so that one run reports several.

On an error the offending line is patched and the text parsed again; patches keep
every other line where it was, and ``shifts`` takes positions on a patched line back
to the file, so later errors keep their positions. A character the lexer cannot read is
explained in ``characters``, with what it calls on: ``spaces`` for pasted spaces,
``prose`` for prose and Markdown where a statement belongs, ``arrows`` for an arrow as
another tool draws it, ``other_syntax`` for what other languages write between
statements, ``equals`` for an '=' after a keyword, ``estimates``, ``durations`` and
``duration_marks`` for a duration written otherwise, ``ids`` for an id that starts with a
digit, and the modules of ``mistakes`` whose mistakes the lexer stops at too. A token
the parser cannot take is explained in ``tokens``, with the common mistakes it
recognises by name in ``mistakes``.
"""

from __future__ import annotations

import dataclasses

import lark
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from .. import codes
from ..diagnostics import Diagnostic, Span
from ..grammar import STRING_OR_COMMENT, lalr
from .braces import unclosed_braces
from .characters import explain_character
from .shifts import Shifts
from .tokens import describe_expected, explain_token

# Beyond this many syntax errors a file is too broken for more to help.
MAX_SYNTAX_ERRORS = 20
# Recovering from an error reads the whole text again, a few times over: at most this
# many characters are read so in all, so that a large file reports fewer errors (a
# megabyte, its first only) and a long line of junk takes seconds, not minutes.
RECOVERY_BUDGET = 1_000_000


def parse_recovering(text: str, path: str) -> tuple[lark.Tree | None, list[Diagnostic], Shifts]:
    """Parse, and on an error patch the offending line and parse again.

    Patches keep every other line where it was: a misspelt keyword is replaced by its
    nearest keyword, an unterminated string is closed, a bad character becomes a
    space, a missing token is inserted or one too many removed, a name left alone is
    removed (or quoted, where it was text), any other broken statement is blanked, and
    missing closing braces are added at the end. The tree is of the patched text, which
    the shifts keep (``Shifts.text``) with the lines it has as the file wrote them; they
    take its positions back to the file, where the diagnostics already are.
    """
    diagnostics: list[Diagnostic] = []
    blanked: set[tuple[int, int]] = set()
    shifts = Shifts()
    repairs = 0
    while True:
        try:
            return lalr().parse(text), diagnostics, shifts
        except UnexpectedInput as error:
            diagnostic, patched = _explain(error, text, path, blanked, shifts.rewritten)
            repeated = _in_a_repair(diagnostic.span, shifts)
            diagnostic = _placed(diagnostic, shifts)
            if not repeated and not any(_echoes(diagnostic, earlier) for earlier in diagnostics):
                diagnostics.append(diagnostic)
            repairs += 1  # each reported or not: an echo costs a parse too
            spent = repairs >= MAX_SYNTAX_ERRORS or repairs * len(text) >= RECOVERY_BUDGET
            if patched in (None, text) or spent:
                return None, diagnostics, shifts
            shifts.record(text, patched)
            text = patched


def _echoes(diagnostic: Diagnostic, earlier: Diagnostic) -> bool:
    """Whether ``diagnostic`` says again what ``earlier`` said at the same place, or was
    found in a name ``earlier`` wrote over as a whole (scénario read as sc_nario)."""
    span, covered = diagnostic.span, earlier.span
    if (span, diagnostic.message) == (covered, earlier.message):
        return True
    over_a_name = earlier.code == codes.UNEXPECTED_CHARACTER.code and covered.end_column - covered.column > 1
    return over_a_name and span.line == covered.line == covered.end_line and \
        covered.column <= span.column < covered.end_column


def _in_a_repair(span: Span, shifts: Shifts) -> bool:
    """Whether ``span``, of the patched text, holds what a repair wrote: an error found there
    is the repair's ('0s' read for 'about', then '0s 8min' two durations), and would quote
    text the file does not hold."""
    end_column = span.end_column if span.end_line == span.line else span.column + 1
    return shifts.wrote(span.line, span.column, max(end_column, span.column + 1))


def _placed(diagnostic: Diagnostic, shifts: Shifts) -> Diagnostic:
    """``diagnostic``, found in the patched text, where it stands in the file."""
    span = diagnostic.span
    line, column = shifts.place(span.line, span.column)
    end_line, end_column = shifts.place(span.end_line, span.end_column)
    if (line, column, end_line, end_column) == (span.line, span.column, span.end_line, span.end_column):
        return diagnostic
    moved = Span(path=span.path, line=line, column=column, end_line=end_line, end_column=end_column)
    return dataclasses.replace(diagnostic, span=moved)


def _explain(
    error: UnexpectedInput, text: str, path: str, blanked: set[tuple[int, int]], rewritten: set[int]
) -> tuple[Diagnostic, str | None]:
    lines = text.split("\n")
    if isinstance(error, UnexpectedCharacters):
        return explain_character(error, lines, path, rewritten)
    assert isinstance(error, (UnexpectedToken, UnexpectedEOF))
    token = getattr(error, "token", None)
    if token is None or token.type == "$END":
        return _explain_end(set(getattr(error, "expected", ()) or ()), text, path)
    return explain_token(error, token, lines, path, blanked)


def _explain_end(expected: set[str], text: str, path: str) -> tuple[Diagnostic, str | None]:
    unclosed = unclosed_braces(text)
    closing = "the missing '}'" if len(unclosed) == 1 else f"the {len(unclosed)} missing '}}'"
    if unclosed and "RBRACE" in expected:
        line, column = unclosed[-1]
        diagnostic = codes.UNCLOSED_BLOCK.at(Span.point(path, line, column), "this block is never closed",
                                             f"add {closing}")
        return diagnostic, text + "\n" + "}" * len(unclosed)
    # Cut off in a statement: said where its last word ends, not at a '}' the repair would
    # add past it, nor after a comment or a blank line that follow it.
    written = _code_before_end(text)
    line = written.count("\n") + 1
    column = len(written) - (written.rfind("\n") + 1) + 1
    wanted = describe_expected(expected - {"RBRACE"})
    message = "the file ends in the middle of a statement" + (f", where {wanted} should follow" if wanted else "")
    hint = "finish the statement" + (f", and add {closing}" if unclosed else "")
    return codes.SYNTAX_ERROR.at(Span.point(path, line, column), message, hint), None


def _code_before_end(text: str) -> str:
    """``text`` up to its last character that is neither blank nor in a comment."""
    return STRING_OR_COMMENT.sub(lambda match: "" if match.group(0).startswith("#") else match.group(0), text).rstrip()
