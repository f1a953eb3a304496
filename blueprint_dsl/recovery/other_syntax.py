"""What other languages write between or after statements, written into a line of a
blueprint: a ';' between statements on one line, and DOT's list of an edge's attributes
after a flow (``a -> b [label="Hands over"]``)."""

from __future__ import annotations

import re

from .. import codes
from ..diagnostics import Diagnostic, Span, clip
from ..text import quote, unquote
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
