"""Prose and Markdown where a statement belongs: a line of it (marked, or words alone), a
list's mark before a statement, words after a statement on its line, and a line of the
method (``line of visibility``), which the lanes draw."""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from .. import codes
from ..diagnostics import Diagnostic, Span, clip, visible
from ..grammar import STRING_OR_COMMENT, keywords, keywords_of
from .repairs import blank, first_error, is_name, parses_past
from .spelling import closest_keyword

if TYPE_CHECKING:
    from .mistakes import Mistake


def mark_before_statement(lines: list[str], path: str, line: int, start: int,
                          end: int) -> tuple[Diagnostic, str] | None:
    """``- guest: "Orders"`` or ``1. guest: "Orders"``: a list's mark, from ``start`` to
    ``end`` of the line, before a statement that reads without it; or before one that
    starts with a keyword or a name the file declares and has an error of its own past
    its first two words (``- guest: Orders"``, not ``- Note: ask about sizes``); or None."""
    source_line = lines[line - 1]
    written = source_line[start:end]
    unmarked = source_line[:start] + " " * len(written) + source_line[end:]
    words = list(_WORDS.finditer(unmarked, end))
    if len(words) < 2:
        return None
    stop = first_error("\n".join([*lines[: line - 1], unmarked, *lines[line:]]))
    if stop is not None and (stop <= (line, words[1].end()) or not _known_word(words[0].group(), lines)):
        return None
    diagnostic = codes.UNEXPECTED_CHARACTER.at(
        Span.point(path, line, start + 1, len(written)),
        f"unexpected {'characters' if len(written) > 1 else 'character'} '{clip(visible(written))}' "
        "before a statement",
        "remove them" if len(written) > 1 else "remove it",
    )
    lines[line - 1] = unmarked
    return diagnostic, "\n".join(lines)


#: A line that opens or closes a code block in Markdown: ```svc, ~~~.
_FENCE = re.compile(r"[ \t]*(?:`{3,}|~{3,})[ \t]*[\w+.-]*[ \t]*")


def code_fence(lines: list[str], path: str, line: int) -> tuple[Diagnostic, str] | None:
    """``` ```svc ``` on a line of its own: a blueprint copied with the fences of the Markdown
    page it was shown in. One error for the fences of the file, whose lines are read as blank."""
    source_line = lines[line - 1]
    if _FENCE.fullmatch(source_line) is None:
        return None
    # Its fences outside strings: a multi-line string may show a Markdown page.
    code = STRING_OR_COMMENT.sub(lambda match: blank(match.group(0)), "\n".join(lines)).split("\n")
    fences = [number for number, text in enumerate(code, start=1) if _FENCE.fullmatch(text)]
    written = source_line.strip()
    others = [str(number) for number in fences if number != line]
    diagnostic = codes.UNEXPECTED_CHARACTER.at(
        Span.point(path, line, len(source_line) - len(source_line.lstrip()) + 1, len(written)),
        f"'{clip(written)}' opens or closes a code block in Markdown: a .svc file is the blueprint alone",
        "remove the line" + (f", and the fences on line{'s' if len(others) > 1 else ''} {', '.join(others)}"
                             if others else ""),
    )
    for number in fences:
        lines[number - 1] = " " * len(lines[number - 1])
    return diagnostic, "\n".join(lines)


def may_be_prose(source_line: str, column: int, line: int, rewritten: set[int]) -> bool:
    """Whether the line may be prose, the character at ``column`` starting it: no brace,
    which would make it part of the blocks, and not a line a repair wrote."""
    return not source_line[: column - 1].strip() and not re.search(r"[{}]", source_line) and line not in rewritten


def prose_line(lines: list[str], path: str, line: int, column: int, end: int) -> tuple[Diagnostic, str]:
    """``*** TODO ***``, ``---``, ``1. Stage two``: a line of prose or markup, not one
    statement gone wrong, whose mark runs from ``column`` to ``end``. One error for the
    line, which is read as blank."""
    source_line = lines[line - 1]
    written = source_line.strip()
    drawn = method_line(lines, path, line)
    if drawn is not None:
        return drawn
    diagnostic = codes.UNEXPECTED_CHARACTER.at(
        Span.point(path, line, column, len(written)),
        f"this line is not a statement: it starts with '{clip(visible(source_line[column - 1 : end]))}'",
        "to keep it as a note, start the line with #",
    )
    lines[line - 1] = " " * len(source_line)
    return diagnostic, "\n".join(lines)


def prose_after_statement(lines: list[str], path: str, line: int,
                          run: tuple[int, int]) -> tuple[Diagnostic, str] | None:
    """``guest: "Orders" as order *** TODO ***``: the text from the ``run`` of a character
    with no use to the end of the line, after a statement that reads without it, as one
    error; or None."""
    source_line = lines[line - 1]
    start, end = run
    written = source_line[start:].rstrip()
    if len(written) == end - start or re.search(r'[{}"#]', written):
        return None  # the run alone (;;), or text the rest of the file may yet read
    without_run = source_line[:start] + " " * (end - start) + source_line[end:]
    if parses_past("\n".join([*lines[: line - 1], without_run, *lines[line:]]), line):
        return None  # guest: "Orders" $$ as order: the statement goes on after the run
    cut = source_line[:start] + " " * (len(source_line) - start)
    if not parses_past("\n".join([*lines[: line - 1], cut, *lines[line:]]), line):
        return None
    diagnostic = codes.UNEXPECTED_CHARACTER.at(
        Span.point(path, line, start + 1, len(written)),
        f"'{clip(visible(written))}' after the statement is not part of it",
        "to keep it as a note, write # before it",
    )
    lines[line - 1] = cut
    return diagnostic, "\n".join(lines)


def _known_word(word: str, lines: list[str]) -> bool:
    """Whether ``word`` is a keyword, or a name the file gives an actor or an action."""
    named = re.compile(rf"\b(?:actor|person|role|system|partner|as)\s+{re.escape(word)}\b")
    return word in keywords() or any(named.search(text) for text in lines)


# The words of a line as the parser reads them, near enough: names, strings, arrows, marks.
_WORDS = re.compile(r'\w+|"(?:[^"\\]|\\.)*"?|<?->|\S')


#: A line the method draws between two lanes, named as a line of a file may name it, with
#: marks around it (``--- line of visibility ---``).
_METHOD_LINE = re.compile(
    r"[-=*_~#\s]*(?P<name>line\s+of\s+(?:internal\s+)?(?:interaction|visibility)|(?:internal\s+)?"
    r"(?:interaction|visibility)\s+line|line\s+of\s+(?:order\s+penetration|implementation))[-=*_~\s]*",
    re.IGNORECASE,
)


def method_line(lines: list[str], path: str, line: int) -> tuple[Diagnostic, str] | None:
    """``line of interaction`` on a line of its own: the lines of the method are drawn
    between the lanes, never written. One error for the line, which is read as blank."""
    source_line = lines[line - 1]
    drawn = _METHOD_LINE.fullmatch(source_line)
    if drawn is None:
        return None
    name = re.sub(r"\s+", " ", drawn.group("name"))
    written = source_line.strip()
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(path, line, len(source_line) - len(source_line.lstrip()) + 1, len(written)),
        f"'{clip(name)}' is never written: the lines of the method are drawn between the lanes, "
        "from the lanes of the actors",
        "remove it",
    )
    return diagnostic, "\n".join([*lines[: line - 1], " " * len(source_line), *lines[line:]])


#: A line of words alone, three or more, as prose writes them: no quotes, braces, ':' or arrows.
_WORDS_ALONE = re.compile(r"[A-Za-z][\w'’.,!?()/-]*(?:[ \t]+[\w'’.,!?()/-]+){2,}")


def words_for_a_statement(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``ask the manager about refunds``, ``TODO check the stock``, ``line of interaction``: a
    line of words alone where a statement belongs, not a statement gone wrong (no word of it
    respelt as a keyword makes it one, and it does not start with a name the file gives).
    The parse stops at its first word (in a stage), or at its second, the first read as a
    flow's or an action's start. One error for the line, which is read as blank."""
    token, before = m.token, m.stack[-1] if m.stack else None
    if is_name(before) and before.line == token.line and m.expected <= {"ARROW", "COLON"}:
        first = before
    elif is_name(token):
        first = token
    else:
        return None
    line = first.line
    source_line = m.lines[line - 1]
    if source_line[: first.column - 1].strip():
        return None
    drawn = method_line(m.lines, m.path, line)
    if drawn is not None:
        return drawn
    written = source_line.strip()
    if not _WORDS_ALONE.fullmatch(written) or _known_word(str(first), m.lines) or _a_slip(m.lines, line):
        return None
    if closest_keyword(str(first), _statement_keywords()) is not None:
        return None  # actr guest customer: a statement's keyword misspelt, told as such
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, line, first.column, len(written)),
        "this line is not a statement: it reads as prose",
        ("this stands outside the blueprint: " if "BLUEPRINT" in m.expected else "")
        + "to keep it as a note, start the line with #",
    )
    return diagnostic, "\n".join([*m.lines[: line - 1], " " * len(source_line), *m.lines[line:]])


@functools.cache
def _statement_keywords() -> frozenset[str]:
    """The keywords that start a statement."""
    return keywords_of(("ACTOR_KIND", "HEADER_KEY", "ANNOTATION_KEY", "BLUEPRINT", "STAGE", "STEP", "INCLUDE")) | {
        "evidence", "tolerance", "theme"}


def _a_slip(lines: list[str], line: int) -> bool:
    """Whether one of the first words of ``line``, respelt as the keyword it is close to,
    makes the line read as a statement (``actr guest customer``)."""
    source_line = lines[line - 1]
    for word in list(re.finditer(r"[A-Za-z_]\w*", source_line))[:3]:
        keyword = closest_keyword(word.group(), keywords())
        if keyword is None or keyword == word.group():
            continue
        respelt = source_line[: word.start()] + keyword + source_line[word.end() :]
        if parses_past("\n".join([*lines[: line - 1], respelt, *lines[line:]]), line):
            return True
    return False
