"""A flow to or from several actions at once, as Mermaid writes one (``put --> tag & record``)
or as a list (``put -> tag, record``, ``put -> {tag record}``, ``put -> [tag, record]``): a
flow has one action at each end, so each pair is a flow of its own, read as such."""

from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING

from .. import codes
from ..diagnostics import Diagnostic, Span
from .repairs import written_out

if TYPE_CHECKING:
    from .mistakes import Mistake

_NAME = r"[A-Za-z_]\w*"
#: Names joined as other tools join them: with '&', ',' or '|'; in braces, with spaces too.
_JOINED = rf"{_NAME}(?:[ \t]*[&,|][ \t]*{_NAME})+"
_LISTED = (
    rf"\{{[ \t]*{_NAME}(?:(?:[ \t]*,[ \t]*|[ \t]+){_NAME})*[ \t]*\}}"  # {a b}, {a, b}
    rf"|\[[ \t]*{_NAME}(?:[ \t]*,[ \t]*{_NAME})*[ \t]*\]"  # [a, b]
)
_END = rf"(?:{_LISTED}|{_JOINED}|{_NAME})"
#: A flow statement with its ends, on one line: from the start of the line or a brace, to
#: its end, a comment or a brace; its label and loop, if any.
_FLOW = re.compile(
    rf"(?:^|(?<=[{{}}]))[ \t]*(?P<flow>{_END}(?:[ \t]*<?->[ \t]*{_END})+)"
    r'(?P<label>[ \t]*:[ \t]*"(?:[^"\\\n]|\\.)*")?(?P<loop>[ \t]+loop)?(?=[ \t]*(?:[{}#]|$))'
)
_ARROW = re.compile(r"[ \t]*(<?->)[ \t]*")


def fan_out(m: Mistake) -> tuple[Diagnostic, str] | None:
    """A ',' or a '{' the parser cannot take in such a flow."""
    if m.token.type not in ("COMMA", "LBRACE"):
        return None
    return explain_fan_out(m.lines, m.path, m.token.line, m.token.column)


def explain_fan_out(lines: list[str], path: str, line: int, column: int) -> tuple[Diagnostic, str] | None:
    """The flow on ``line`` whose ends hold several names, if the error at ``column`` is in it."""
    source_line = lines[line - 1]
    flow = next((found for found in _FLOW.finditer(source_line) if found.start("flow") < column <= found.end()), None)
    if flow is None:
        return None
    parts = _ARROW.split(flow.group("flow"))
    ends, arrows = [_names(end) for end in parts[::2]], parts[1::2]
    if all(len(names) == 1 for names in ends):
        return None
    label, loop = (flow.group("label") or "").strip(), (flow.group("loop") or "").strip()
    flows = [
        " ".join(part for part in (f"{source} {arrow} {target}", f": {label[1:].strip()}" if label else "", loop)
                 if part)
        for (sources, targets), arrow in zip(itertools.pairwise(ends), arrows)
        for source, target in itertools.product(sources, targets)
    ]
    several = [index for index, names in enumerate(ends) if len(names) > 1]
    end = "target" if 0 not in several else "source" if several == [0] else "action at each end"
    first = next(found for index, found in enumerate(_ends(flow)) if index in several)
    written = written_out(flows)
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(path, line, first.start() + 1, first.end() - first.start()),
        f"a flow has one {end}",
        f"write a flow for each: {written}",
    )
    lines[line - 1] = source_line[: flow.start("flow")] + "  ".join(flows) + source_line[flow.end() :]
    return diagnostic, "\n".join(lines)


def _names(end: str) -> list[str]:
    return re.findall(_NAME, end)


def _ends(flow: re.Match) -> list[re.Match]:
    """Where each end of ``flow`` stands on its line."""
    return list(_ENDS.finditer(flow.string, flow.start("flow"), flow.end("flow")))


_ENDS = re.compile(_END)
