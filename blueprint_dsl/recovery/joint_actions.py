"""An action done by several actors at once (``guest, host: "Talk it over"``, ``guest & host:``,
``guest and host:``): an action has one actor, so each does an action of their own, read
as such. The details written after the text stay with the first actor's action: an id
given with ``as`` names one action."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .. import codes
from ..diagnostics import Diagnostic, Span
from .repairs import parses_past, text_from, written_out

if TYPE_CHECKING:
    from .mistakes import Mistake

_NAME = r"[A-Za-z_]\w*"
#: Actors joined at the start of a statement, from the start of its line or a brace, then
#: the ':' and the text of an action.
_JOINT = re.compile(
    rf"(?:^|(?<=[{{}}]))[ \t]*(?P<actors>{_NAME}(?:(?:[ \t]*[,&+/][ \t]*|[ \t]+and[ \t]+){_NAME})+)"
    r'[ \t]*:[ \t]*(?P<text>"(?:[^"\\\n]|\\.)*")'
)


def joint_action(m: Mistake) -> tuple[Diagnostic, str] | None:
    """A ',' or an ``and`` the parser cannot take in such an action."""
    if m.token.type != "COMMA" and str(m.token) != "and":
        return None
    return explain_joint_action(m.lines, m.path, m.token.line, m.token.column)


def explain_joint_action(lines: list[str], path: str, line: int, column: int) -> tuple[Diagnostic, str] | None:
    """The action on ``line`` of several actors, if the error at ``column`` is among them."""
    source_line = lines[line - 1]
    joint = next((found for found in _JOINT.finditer(source_line) if found.start("actors") < column
                  <= found.end("actors")), None)
    if joint is None:
        return None
    first, *others = re.findall(rf"{_NAME}", re.sub(r"[ \t]+and[ \t]+", " ", joint.group("actors")))
    text = joint.group("text")
    copies = "".join(f"{actor}: {text}  " for actor in others)
    # The others' actions before the first's, whose details, on this line or the next, stay its own.
    repaired_line = source_line[: joint.start("actors")] + copies + first + source_line[joint.end("actors") :]
    repaired = "\n".join([*lines[: line - 1], repaired_line, *lines[line:]])
    if not parses_past(repaired, line):
        return None
    details = text_from(source_line, joint.end("text") + 1).strip()
    written = written_out([f"{first}: {text} {details}".rstrip(), *(f"{actor}: {text}" for actor in others)])
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(path, line, joint.start("actors") + 1, joint.end("actors") - joint.start("actors")),
        "an action has one actor",
        f"write an action for each: {written}",
    )
    return diagnostic, repaired
