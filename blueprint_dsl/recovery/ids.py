"""An id that starts with a digit (``step 1``, ``as 1st_call``, ``role 2nd_valet``): no
name can, and the lexer reads its digits as a number or a duration.

Said once, with the id to write: what it names, then the id as written (``step_1``,
``action_1st_call``, ``actor_2nd_valet``). The repair reads that id in its place, and
reads so every other place the same id is written, so that an actor's uses agree with
its declaration; an id a repair wrote is not reported again, as unknown or as a
duplicate, nor suggested. Where each stage numbers its steps from 1, a step is named
after its stage (``drop_1``), so that the ids to write differ.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .. import codes
from ..diagnostics import Diagnostic, Span, clip
from ..grammar import STRING_OR_COMMENT
from ..text import parse_duration, slug, unquote
from .repairs import blank, parses_past

if TYPE_CHECKING:
    from .mistakes import Mistake

#: What an id names, by the word the parser read before it.
_NAMED_AFTER = {"STEP": "step", "STAGE": "stage", "ACTOR_KIND": "actor", "AS": "action", "OWNER": "actor",
                "ARROW": "action"}
#: Words before which a name is one of a fixed few, or a tag: no id.
_NOT_AN_ID_AFTER = frozenset({"IN", "EMOTION", "THEME", "TAG", "COMMA"})
#: A word that starts with a digit and goes on as a name would, to a space or what the
#: language writes after a name: not a number (1.5), a list's mark (1.), nor a word that
#: holds a character no name holds too (2nd-valet), whose other error is told first.
_DIGIT_FIRST = re.compile(r'[0-9][A-Za-z0-9_]*(?=\s|$|[:{}",#]|<?->)')
#: What follows the first word of a statement: the ':' of an action, or the arrow of a flow.
_STATEMENT_GOES_ON = {"actor": re.compile(r"[ \t]*:"), "action": re.compile(r"[ \t]*<?->")}
#: A label right after an id, on its line.
_LABEL = re.compile(r'[ \t]+("(?:[^"\\\n]|\\.)*")')


def id_starting_with_digit(
    lines: list[str], path: str, line: int, column: int, expected: set[str], stack: list
) -> tuple[Diagnostic, str] | None:
    """The error at a word starting at ``column`` of ``line`` with a digit, where the parser
    (its value ``stack`` read so far) takes a name that is an id, or a use of one; else None."""
    if "NAME" not in expected or "DURATION" in expected:
        return None
    source_line = lines[line - 1]
    word = _DIGIT_FIRST.match(source_line, column - 1)
    if word is None or parse_duration(word.group())[1] is None:
        return None  # as 10min: a duration, not an id, where the keyword is wrong
    before = stack[-1] if stack else None
    kind = getattr(before, "type", None)
    lane = kind == "NAME" and len(stack) > 1 and getattr(stack[-2], "type", None) == "ACTOR_KIND"
    if kind in _NOT_AN_ID_AFTER or lane:
        return None  # a lane, an emotion, a theme or a tag
    noun = _NAMED_AFTER.get(kind)
    keyword = str(before) if noun else ""
    if kind == "ARROW" and len(stack) > 1 and getattr(stack[-2], "type", None) == "NAME":
        keyword = f"{stack[-2]} {keyword}"  # the flow's action before the arrow
    if noun is None:  # the first word of a statement: an action's actor, or a flow's first action
        noun = next((what for what, goes_on in _STATEMENT_GOES_ON.items()
                     if goes_on.match(source_line, word.end())), None)
    if noun is None:
        return None
    if noun == "step":
        noun = _step_named(stack, "\n".join(lines), word.group())
    meant = f"{noun}_{word.group()}"
    repaired = source_line[: column - 1] + meant + source_line[word.end() :]
    if not parses_past("\n".join([*lines[: line - 1], repaired, *lines[line:]]), line, column + len(meant)):
        return None
    label = _LABEL.match(source_line, word.end()) if kind in ("STEP", "STAGE") else None
    written = " ".join(part for part in (keyword, meant, label.group(1) if label else "") if part)
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(path, line, column, len(word.group())),
        f"'{clip(word.group())}' starts with a digit, and an id cannot",
        f"start it with a letter: write {clip(written)}",
    )
    lines[line - 1] = repaired
    return diagnostic, "\n".join(lines)


def id_token_starting_with_digit(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``as 1st_call``, ``role 2nd_valet``: an id the lexer reads as a duration and a name."""
    if m.token.type != "DURATION":
        return None
    return id_starting_with_digit(list(m.lines), m.path, m.token.line, m.token.column, m.expected, m.stack)


def _step_named(stack: list, text: str, written: str) -> str:
    """What names a step whose id is ``written``: ``step``, or where another step of the file
    has that id too (each stage's steps numbered from 1), its stage (``drop_1``)."""
    code = STRING_OR_COMMENT.sub(lambda match: blank(match.group(0)), text)
    # Another step so numbered may have been read already, with the name of its stage.
    if len(re.findall(rf"(?<!\w)step[ \t]+(?:[A-Za-z_]\w*_)?{re.escape(written)}(?![\w.])", code)) < 2:
        return "step"
    stage = max((at for at, item in enumerate(stack) if getattr(item, "type", None) == "STAGE"), default=None)
    named = stack[stage + 1] if stage is not None and stage + 1 < len(stack) else None
    if getattr(named, "type", None) == "NAME":
        return str(named)
    return slug(unquote(named), default="step") if getattr(named, "type", None) == "STRING" else "step"

