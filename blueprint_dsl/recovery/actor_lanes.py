"""An actor's lane written other than right after its id: after a word (``lane customer``, ``in
customer``), in brackets (``(customer)``), or as two lanes (``frontstage, support``). Said once,
and the actor declared in the lane it names (the first of two: an actor has one home lane, and
an action's ``in`` sets the lane it acts in), so that its uses are not reported as undeclared."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .. import codes
from ..diagnostics import Diagnostic, Span, clip
from ..model import ACTOR_LANES
from .repairs import is_name, parses_past

if TYPE_CHECKING:
    from .mistakes import Mistake

_LANES = frozenset(lane.value for lane in ACTOR_LANES)
#: A declaration whose lane is written otherwise: its kind and id, then the lane after a word,
#: in brackets, or with a second lane after a comma (or '/', '&', '+', '|', and, or); then the
#: label, if any, to the end of the line.
_DECLARATION = re.compile(
    r"[ \t]*(?P<kind>actor|person|role|system|partner)[ \t]+(?P<id>[A-Za-z_]\w*)[ \t]+"
    r"(?P<lane>(?P<word>(?:lane|in|on)(?:[ \t]*[:=])?[ \t]*)?(?P<open>[(\[][ \t]*)?(?P<first>[A-Za-z]+)"
    r"(?:[ \t]*(?P<separator>[,/&+|]|and(?=[ \t])|or(?=[ \t]))[ \t]*(?P<second>[A-Za-z]+))?(?P<close>[ \t]*[)\]])?)"
    r"(?P<label>[ \t]+\"(?:[^\"\\\n]|\\.)*\")?[ \t]*(?:#.*)?"
)
_BRACKETS = {"(": ")", "[": "]"}


def explain_actor_lane(lines: list[str], path: str, line: int) -> tuple[Diagnostic, str] | None:
    """The error on ``line``, if it declares an actor with its lane written otherwise."""
    source_line = lines[line - 1]
    found = _DECLARATION.fullmatch(source_line)
    if found is None:
        return None
    word, opening, first, separator, second, closing = found.group("word", "open", "first", "separator", "second",
                                                                   "close")
    lanes = [lane.lower() for lane in (first, second) if lane]
    if not set(lanes) <= _LANES or not (word or opening or separator):
        return None
    if bool(opening) != bool(closing) or opening and _BRACKETS[opening.strip()] != closing.strip():
        return None
    written = found.group("lane")
    meant = f"{found.group('kind')} {found.group('id')} {lanes[0]}{found.group('label') or ''}"
    if separator:
        message = f"an actor has one home lane, and '{clip(written)}' names two"
        hint = f"write {clip(meant)}; an action's 'in' sets the lane it acts in, such as in {lanes[1]}"
    elif word:
        message = f"'{word.rstrip(' :=')}' before an actor's lane: the lane is written right after the actor's id"
        hint = f"write {clip(meant)}"
    else:
        message, hint = "an actor's lane is written without brackets", f"write {clip(meant)}"
    start = found.start("lane")
    declared = source_line[:start] + lanes[0].ljust(len(written)) + source_line[found.end("lane") :]
    text = "\n".join([*lines[: line - 1], declared, *lines[line:]])
    if not parses_past(text, line):
        return None
    return codes.SYNTAX_ERROR.at(Span.point(path, line, start + 1, len(written)), message, hint), text


def actor_lane_written_otherwise(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``actor applicant lane customer``: the parse stops on the declaration's line, or, where the
    lane's word was read as the lane and the lane as a flow's start, at the next statement."""
    name = m.stack[-1] if m.stack and is_name(m.stack[-1]) else None
    for line in dict.fromkeys([m.token.line, *([name.line] if name is not None else [])]):
        found = explain_actor_lane(list(m.lines), m.path, line)
        if found is not None:
            return found
    return None
