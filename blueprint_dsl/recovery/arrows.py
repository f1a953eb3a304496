"""An arrow the lexer cannot read: a flow written backwards, or an arrow as another tool
draws it, and the line read as the flow meant."""

from __future__ import annotations

import re

from .. import codes
from ..diagnostics import Diagnostic, Span, clip
from ..grammar import keywords
from ..text import quote, unquote
from .repairs import DASHES, parses_past

# The characters other tools draw arrows with, and the arrows of one character.
_ARROW_PARTS = "<>-=.~" + DASHES
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


#: An arrow of a chain as Mermaid writes it, with its label or without (``-->|label|``,
#: ``-- label -->``, ``-->``, or ``->`` as the language writes it), then the name it points to.
_MERMAID_ARROW = re.compile(
    r"[ \t]*(?:(?P<arrow><?-->|<?==>|<?-\.->|<?->)(?:[ \t]*\|(?P<piped>[^|\n]*)\|)?"
    r"|--[ \t]+(?P<dashed>(?:[^\n-]|-(?!-))+?)[ \t]+-->)[ \t]*(?P<target>\w+)"
)
#: A flow as the language writes it, from the start of its line up to a place: its names and arrows.
_FLOW_BEFORE = re.compile(r"[ \t]*(\w+(?:[ \t]*<?->[ \t]*\w+)*)[ \t]*$")
_LINE_END = re.compile(r"[ \t]*(?:#.*)?$")


def _mermaid_label(lines: list[str], path: str, line: int, column: int) -> tuple[Diagnostic, str] | None:
    """``o -->|hands over| v``, ``o -- hands over --> v``: a flow's label as Mermaid writes
    it, read as the labelled flow meant; in a chain that ends its line (``a -->|x| b -->|y| c``),
    one error for it, read as a flow for each label."""
    source_line = lines[line - 1]
    before = _FLOW_BEFORE.match(source_line, 0, column - 1) or _NAME_BEFORE.search(source_line, 0, column - 1)
    if before is None:
        return None
    names, arrows = re.findall(r"\w+", before.group(1)), re.findall(r"<?->", before.group(1))
    labels: list[str | None] = [None] * len(arrows)
    end, marked, count = column - 1, False, 0
    while (arrow := _MERMAID_ARROW.match(source_line, end)) is not None:
        count += 1
        piped, dashed = arrow.group("piped"), arrow.group("dashed")
        label = (piped if piped is not None else dashed or "").strip()
        if len(label) >= 2 and label[0] == label[-1] == '"':
            label = unquote(label)  # -->|"hands over"|
        names.append(arrow.group("target"))
        arrows.append("<->" if (arrow.group("arrow") or "").startswith("<") else "->")
        labels.append(label or None)
        marked = marked or piped is not None or dashed is not None
        end, last = arrow.end(), arrow
    if not marked or not _LINE_END.match(source_line, end):
        return None  # arrows without labels are foreign arrows, each named on its own
    # A label is every arrow's of its flow: the arrows of one label are one flow.
    flows: list[tuple[str, str | None]] = []
    for index, (arrow, label) in enumerate(zip(arrows, labels)):
        step = f" {arrow} {names[index + 1]}"
        if flows and flows[-1][1] == label:
            flows[-1] = (flows[-1][0] + step, label)
        else:
            flows.append((names[index] + step, label))
    meant = [flow + (f" : {quote(label)}" if label else "") for flow, label in flows]
    shown = source_line[column - 1 : last.start("target")].rstrip()
    labelled = any(label for _, label in flows)
    diagnostic = codes.UNEXPECTED_CHARACTER.at(
        Span.point(path, line, column, len(shown)),
        f"'{clip(shown)}' " + ("are arrows and labels as Mermaid writes them" if count > 1 else
                               "is an arrow and its label as Mermaid writes them" if labelled else
                               "is an arrow as Mermaid writes it"),
        f"write {' and '.join(clip(flow) for flow in meant)}"
        + (": a flow for each label, in quotes after ':'" if len(meant) > 1 else
           ", with the label in quotes after ':'" if labelled else ""),
    )
    lines[line - 1] = source_line[: before.start(1)] + "  ".join(meant) + source_line[end:]
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
    dash = next((character for character in written if character in DASHES), None)
    dashed = f": its '{dash}' is not '-' (autocorrect may have changed it)" if dash else ""
    diagnostic = codes.UNEXPECTED_CHARACTER.at(
        Span.point(path, line, start + 1, len(written)),
        f"'{clip(written)}' is not an arrow{dashed}",
        f"write {clip(flow)}: a flow is written a -> b (one-way) or a <-> b (two-way)",
    )
    return diagnostic, "\n".join(repaired)


#: The names on either side of an arrow: the last word before it, the first after it.
_NAME_BEFORE = re.compile(r"(?<!\w)([A-Za-z_]\w*)[ \t]*$")
_NAME_AFTER = re.compile(r"[ \t]*([A-Za-z_]\w*)(?!\w)")
