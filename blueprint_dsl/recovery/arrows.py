"""An arrow the lexer cannot read: a flow written backwards, or an arrow as another tool
draws it, and the line read as the flow meant."""

from __future__ import annotations

import re

from .. import codes
from ..diagnostics import Diagnostic, Span, clip
from ..grammar import keywords
from ..text import quote, unquote
from .repairs import parses_past

# The characters other tools draw arrows with, and the arrows of one character.
_ARROW_PARTS = "<>-=.~"
_ONE_WAY = "\u2192\u27f6\u21d2\u27f9"  # → ⟶ ⇒ ⟹
_TWO_WAY = "\u2194\u27f7\u21d4"  # ↔ ⟷ ⇔
_ARROWS = frozenset(_ONE_WAY + _TWO_WAY)


def explain_arrow(lines: list[str], path: str, line: int, column: int) -> tuple[Diagnostic, str] | None:
    """The error at the character at ``column`` of ``line``, if it is in an arrow the
    language does not write; else None."""
    backwards = _backward_flow(lines, path, line, column)
    if backwards is not None:
        return backwards
    labelled = _mermaid_label(lines, path, line, column)
    if labelled is not None:
        return labelled
    return _foreign_arrow(lines, path, line, column)


def _backward_flow(lines: list[str], path: str, line: int, column: int) -> tuple[Diagnostic, str] | None:
    """``give_back <- collect_bike``: a flow written backwards."""
    source_line = lines[line - 1]
    flow = re.search(r"(?<!\w)(\w+)\s*<-(?!>)\s*(\w+)", source_line)
    if flow is None or not flow.end(1) <= column - 1 < flow.start(2):
        return None
    arrow = source_line.index("<-", flow.end(1))
    diagnostic = codes.UNEXPECTED_CHARACTER.at(
        Span.point(path, line, arrow + 1, 2),
        "'<-' is not an arrow: flows point from the first name to the next",
        f"write {clip(flow.group(2))} -> {clip(flow.group(1))}",
    )
    lines[line - 1] = source_line[:arrow] + "->" + source_line[arrow + 2 :]
    return diagnostic, "\n".join(lines)


#: An arrow and its label as Mermaid writes them (``-->|label|``, ``-- label -->``), then
#: the flow's target, which ends the line.
_MERMAID_LABEL = re.compile(
    r"(?:(?P<arrow><?-->|<?==>|<?-\.->)[ \t]*\|(?P<piped>[^|\n]*)\||--[ \t]+(?P<dashed>.+?)[ \t]+-->)"
    r"[ \t]*(?P<target>\w+)[ \t]*(?:#.*)?$"
)


def _mermaid_label(lines: list[str], path: str, line: int, column: int) -> tuple[Diagnostic, str] | None:
    """``o -->|hands over| v``, ``o -- hands over --> v``: a flow's label as Mermaid writes
    it, read as the labelled flow meant."""
    source_line = lines[line - 1]
    source = re.search(r"(?<!\w)(\w+)[ \t]*$", source_line[: column - 1])
    written = _MERMAID_LABEL.match(source_line, column - 1)
    if source is None or written is None:
        return None
    label = (written.group("piped") if written.group("arrow") else written.group("dashed")).strip()
    if len(label) >= 2 and label[0] == label[-1] == '"':
        label = unquote(label)  # -->|"hands over"|
    arrow = "<->" if (written.group("arrow") or "").startswith("<") else "->"
    meant = f"{source.group(1)} {arrow} {written.group('target')}"
    shown = source_line[column - 1 : written.start("target")].rstrip()
    diagnostic = codes.UNEXPECTED_CHARACTER.at(
        Span.point(path, line, column, len(shown)),
        f"'{clip(shown)}' is an arrow " + ("and its label as Mermaid writes them" if label else "as Mermaid writes it"),
        f"write {clip(meant)} : {clip(quote(label))}, with the label in quotes after ':'" if label else
        f"write {clip(meant)}",
    )
    lines[line - 1] = (
        source_line[: source.start(1)] + meant + (f" : {quote(label)}" if label else "")
        + source_line[written.end("target") :]
    )
    return diagnostic, "\n".join(lines)


def _foreign_arrow(lines: list[str], path: str, line: int, column: int) -> tuple[Diagnostic, str] | None:
    """``quote ->> ticket``, ``-->``, ``==>``, ``<-->``, ``-.->``, ``→``: an arrow as Mermaid,
    PlantUML or a word processor writes it, read as the arrow of a flow meant."""
    source_line = lines[line - 1]
    index = column - 1
    if source_line[index : index + 1] in _ARROWS:
        start, end = index, index + 1
    else:
        start, end = index, index
        while start and source_line[start - 1] in _ARROW_PARTS:
            start -= 1
        while end < len(source_line) and source_line[end] in _ARROW_PARTS:
            end += 1
    written = source_line[start:end]
    if not (written.endswith(">") or written in _ARROWS) or written in ("->", "<->", "=>"):
        return None  # => has a message of its own, and <- one of its own
    # Only between two names, and where the flow then reads: tolerance >20min, evidence
    # "A" > "B" and a <-> → b are no flows, and an arrow written into them is a second error.
    source, target = _NAME_BEFORE.search(source_line, 0, start), _NAME_AFTER.match(source_line, end)
    if source is None or target is None or {source.group(1), target.group(1)} & keywords():
        return None
    meant = "<->" if written.startswith("<") or written in _TWO_WAY else "->"
    repaired = [*lines[: line - 1], source_line[:start] + meant.ljust(len(written)) + source_line[end:], *lines[line:]]
    if not parses_past("\n".join(repaired), line, target.end(1)):
        return None  # read on past its target, at least: in a → b → c, the second is an error of its own
    flow = f"{source.group(1)} {meant} {target.group(1)}"
    diagnostic = codes.UNEXPECTED_CHARACTER.at(
        Span.point(path, line, start + 1, len(written)),
        f"'{clip(written)}' is not an arrow",
        f"write {clip(flow)}: a flow is written a -> b (one-way) or a <-> b (two-way)",
    )
    return diagnostic, "\n".join(repaired)


#: The names on either side of an arrow: the last word before it, the first after it.
_NAME_BEFORE = re.compile(r"(?<!\w)([A-Za-z_]\w*)[ \t]*$")
_NAME_AFTER = re.compile(r"[ \t]*([A-Za-z_]\w*)(?!\w)")
