"""What other languages write between or after statements, written into a line of a
blueprint: a ';' between statements on one line, DOT's list of an edge's attributes
after a flow (``a -> b [label="Hands over"]``), and an action's details in brackets, as
prose writes an aside (``(as order)``)."""

from __future__ import annotations

import re

from .. import codes
from ..diagnostics import Diagnostic, Span, clip
from ..text import quote, unquote
from .details import ACTION_DETAILS
from .repairs import parses_past

#: A string, or a character of a line that is none: the ';' between statements are found outside strings.
_STRING_OR_CHARACTER = re.compile(r'"(?:[^"\\\n]|\\.)*"|[^"]')
#: A list of attributes as DOT writes it after an edge, and its label among them.
_ATTRIBUTES = re.compile(r'\[\s*\w+\s*=[^\]\n]*\]')
_LABEL = re.compile(r'(?<!\w)label\s*=\s*("(?:[^"\\\n]|\\.)*"|[^\s,;\]]+)')
#: A flow as the language writes it, up to its end on the line: its names and arrows.
_FLOW = re.compile(r"[ \t]*\w+(?:[ \t]*<?->[ \t]*\w+)+[ \t]*$")


def semicolons_between_statements(lines: list[str], path: str, line: int, column: int) -> tuple[Diagnostic, str] | None:
    """``o -> k; k -> v; v -> o``: statements on one line separated by ';', as C or DOT writes
    them; one error, the line read without its ';' when the statements then read."""
    source_line = lines[line - 1]
    if source_line[column - 1 : column] != ";":
        return None
    spots = [match.start() for match in _STRING_OR_CHARACTER.finditer(source_line) if match.group() == ";"]
    after = source_line[column:].replace(";", " ").strip()
    if not after or after.startswith("#"):
        return None  # a ';' ending the line: a character of its own
    repaired = "".join(" " if index in spots else character for index, character in enumerate(source_line))
    text = "\n".join([*lines[: line - 1], repaired, *lines[line:]])
    if not parses_past(text, line):
        return None
    diagnostic = codes.UNEXPECTED_CHARACTER.at(
        Span.point(path, line, column),
        "a ';' separates nothing: a statement ends where the next begins",
        "remove the ';'" + ("s" if len(spots) > 1 else "") + ", and write each statement on a line of its own",
    )
    return diagnostic, text


def edge_attributes(lines: list[str], path: str, line: int, column: int) -> tuple[Diagnostic, str] | None:
    """``o -> k [label="Hands over"]``: a flow's label, or other attributes, as DOT writes an
    edge's; read as the flow with its label after ':'."""
    source_line = lines[line - 1]
    attributes = _ATTRIBUTES.match(source_line, column - 1)
    if attributes is None or _FLOW.match(source_line[: column - 1]) is None:
        return None
    written = attributes.group()
    label, text = _LABEL.search(written), None
    if label is not None:
        text = unquote(label.group(1)) if label.group(1).startswith('"') else label.group(1)
    labelled = f" : {quote(text)}" if text else ""
    meant = source_line[: column - 1].strip() + labelled
    repaired = source_line[: column - 1].rstrip() + labelled + source_line[attributes.end() :]
    joined = "\n".join([*lines[: line - 1], repaired, *lines[line:]])
    if not parses_past(joined, line):
        return None
    diagnostic = codes.UNEXPECTED_CHARACTER.at(
        Span.point(path, line, column, len(written)),
        f"'{clip(written)}' is a list of attributes as DOT writes an edge's",
        f"write {clip(meant)}" + (": a flow's label in quotes after ':'" if text else ": a flow has no attributes"),
    )
    return diagnostic, joined


#: Brackets around an action's details, and the ',' between two of them (before a detail's keyword).
_BRACKETED = re.compile(r"([(\[])([^()\[\]\"\n]*(?:\"(?:[^\"\\\n]|\\.)*\"[^()\[\]\"\n]*)*)([)\]])")
_COMMA_BEFORE_DETAIL = re.compile(rf"[ \t]*,(?=[ \t]*(?:{'|'.join(sorted(ACTION_DETAILS))})(?!\w))")


def details_in_brackets(lines: list[str], path: str, line: int, column: int) -> tuple[Diagnostic, str] | None:
    """``guest: "Orders" (as order)``, ``(takes 5min, as order)``: an action's details in brackets,
    as a note in prose is, with commas between them; read without the brackets and the commas."""
    source_line = lines[line - 1]
    found = _BRACKETED.match(source_line, column - 1)
    if found is None or {found.group(1), found.group(3)} not in ({"(", ")"}, {"[", "]"}):
        return None
    inside = found.group(2)
    first = re.match(r"[ \t]*([a-z]+)(?!\w)", inside)
    if first is None or first.group(1) not in ACTION_DETAILS or not source_line[: found.start()].strip():
        return None
    meant = _COMMA_BEFORE_DETAIL.sub(lambda comma: " " * len(comma.group()), inside)
    repaired = source_line[: found.start()] + " " + meant + " " + source_line[found.end() :]
    if not parses_past("\n".join([*lines[: line - 1], repaired, *lines[line:]]), line):
        return None
    diagnostic = codes.UNEXPECTED_CHARACTER.at(
        Span.point(path, line, found.start() + 1, len(found.group())),
        "an action's details are written without brackets" + (" or commas between them" if meant != inside else ""),
        f"remove the brackets{' and the commas' if meant != inside else ''}: "
        f"{clip(_COMMA_BEFORE_DETAIL.sub('', inside).strip())}",
    )
    lines[line - 1] = repaired
    return diagnostic, "\n".join(lines)
