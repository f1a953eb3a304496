"""Mistakes in how blocks nest: a step left open where the next one opens, or written
inside another; a file's statements with no blueprint around them; statements grouped
in a block the language does not have (``actors {``, ``lane customer {``)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .. import codes
from ..diagnostics import Diagnostic, Span, clip
from ..grammar import STRING_OR_COMMENT
from ..model import ACTOR_LANES, ActorKind
from ..text import unquote
from .braces import block_end, closing_braces, unclosed_braces
from .repairs import blank, is_name, line_of, parses_past
from .unknown_blocks import block_holds

if TYPE_CHECKING:
    import lark

    from .mistakes import Mistake

#: A step's opening words from its keyword: its id, its label, or both, and the '{'.
_STEP_OPENS = re.compile(r'step[ \t]+(?:[A-Za-z_]\w*[ \t]*)?(?:"(?:[^"\\\n]|\\.)*"[ \t]*)?\{')


def step_in_a_step(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``step pay "Pay" {`` where a step is still open: read as a name (the start of an
    action), the parse stops at the word after it. Either the step above was never closed
    (its '}' forgotten: the usual slip), and is read as closed here, or this step is
    written inside it: that step's '}' is read as moved up here, or, where that step goes
    on after this one, this one's contents as that step's."""
    step = m.stack[-1] if m.stack else None
    if not is_name(step) or str(step) != "step" or m.expected != {"ARROW", "COLON"} or m.token.line != step.line:
        return None
    if _STEP_OPENS.match(m.text, step.start_pos) is None:
        return None
    # The step open around it: closed ones are read whole, into the statements before it.
    at = next((at for at in range(len(m.stack) - 2, -1, -1) if getattr(m.stack[at], "type", None) == "STEP"), None)
    if at is None or not is_name(m.stack[at + 1]):
        return None
    outer, outer_name = m.stack[at], clip(m.stack[at + 1])
    name = clip(m.token) if is_name(m.token) else clip(unquote(m.token))
    closing = _inside_closing(m, outer, step)
    inner_end = block_end(m.text, step.start_pos) if closing is not None else None
    if closing is None or inner_end is None:
        repaired = m.text[: step.start_pos] + "} " + m.text[step.start_pos :]
        message = f"step '{outer_name}' (line {outer.line}) is not closed where step '{name}' opens"
        hint = f"add the '}}' that closes step '{outer_name}' before this line"
    elif not _code(m.text[inner_end:closing]):
        # Nothing of the step above after this one: its '}' moved up closes it here.
        repaired = m.text[: step.start_pos] + "} " + m.text[step.start_pos : closing] + " " + m.text[closing + 1 :]
        message = f"step '{name}' is written inside step '{outer_name}': a step holds actions and flows, not steps"
        moved = line_of(m.text, closing)
        hint = f"close step '{outer_name}' before this line: move its '}}' on line {moved} up, before this step"
    else:
        # The step above goes on after this one: this one is read as part of it, unwrapped.
        header_end = _STEP_OPENS.match(m.text, step.start_pos).end()
        repaired = (
            m.text[: step.start_pos] + blank(m.text[step.start_pos : header_end]) + m.text[header_end : inner_end - 1]
            + " " + m.text[inner_end:]
        )
        message = f"step '{name}' is written inside step '{outer_name}': a step holds actions and flows, not steps"
        hint = f"move it after the '}}' that closes step '{outer_name}', on line {line_of(m.text, closing)}"
    if not parses_past(repaired, step.line):
        return None
    return codes.SYNTAX_ERROR.at(Span.point(m.path, step.line, step.column, len(step)), message, hint), repaired


def _inside_closing(m: Mistake, outer: lark.Token, step: lark.Token) -> int | None:
    """Where the '}' that closes step ``outer`` stands, if ``step`` is written inside it
    rather than after it: the file closes every block it opens, or ``step`` is indented
    under ``outer``, with that '}' first on its line and lined up with ``outer``."""
    end = block_end(m.text, outer.start_pos)
    if end is None:
        return None
    closing = end - 1
    if not unclosed_braces(m.text):
        return closing
    lead = m.text[m.text.rfind("\n", 0, closing) + 1 : closing]
    lined_up = not lead.strip() and len(lead) == _indent(m.lines, outer)
    return closing if lined_up and _indent(m.lines, step) > _indent(m.lines, outer) else None


def _code(text: str) -> str:
    """``text`` without its comments and blanks."""
    return STRING_OR_COMMENT.sub(lambda match: "" if match.group(0).startswith("#") else match.group(0), text).strip()


def _indent(lines: list[str], token: lark.Token) -> int:
    line = lines[token.line - 1]
    return len(line) - len(line.lstrip())



#: What a blueprint holds, written where no blueprint is open: its facts, stages and flows.
_BLUEPRINT_ITEMS = frozenset({"HEADER_KEY", "TOLERANCE", "THEME", "STAGE"})
#: The keyword blueprint, as the lexer reads it.
_BLUEPRINT = re.compile(r"(?<![A-Za-z0-9_])blueprint(?![A-Za-z0-9_])")


def statements_without_blueprint(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``scenario "..."``, ``stage arrive "Arrive" {`` in a file with no ``blueprint``:
    read as if the blueprint opened there and closed at the end of the file."""
    token = m.token
    if "BLUEPRINT" not in m.expected or not m.expected <= {"ACTOR_KIND", "BLUEPRINT", "INCLUDE", "$END"}:
        return None
    flow = is_name(token) and re.match(r"\s*<?->", m.text[token.end_pos :])
    if token.type not in _BLUEPRINT_ITEMS and not flow:
        return None
    if _BLUEPRINT.search(STRING_OR_COMMENT.sub(lambda match: blank(match.group(0)), m.text)):
        return None  # a blueprint after this: what is before it is another mistake
    braces = closing_braces(m.text)
    closed = braces is not None and any(opened is None for _, opened in braces)  # its '}' written, not its title
    repaired = m.text[: token.start_pos] + 'blueprint "" { ' + m.text[token.start_pos :] + ("" if closed else "\n}")
    if not parses_past(repaired, token.line):
        return None
    hint = (
        'start the file with the line that opens it: blueprint "Title" {' if closed
        else 'wrap the file in one: blueprint "Title" { ... }'
    )
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, token.line, token.column, len(token)),
        f"'{clip(token)}' is written outside a blueprint, and this file has none",
        hint,
    )
    return diagnostic, repaired


_ACTORS = 'declared straight in the blueprint, one a line, each with its lane (actor guest customer "Guest")'
#: Blocks other tools group statements in, and where the language writes those statements.
_GROUPS = {
    **dict.fromkeys(("actors", "people", "persons", "roles", "systems", "partners"), f"actors are {_ACTORS}"),
    **dict.fromkeys(("lanes", "swimlanes", "lane", "swimlane"),
                    "a lane is written in each actor's declaration, straight in the blueprint "
                    '(actor guest customer "Guest")'),
    "stages": "stages are written straight in the blueprint",
    "flows": "flows are written straight in the blueprint, after its stages",
    "steps": "steps are written straight in their stage",
    "actions": "actions are written straight in their step",
}
_LANES = frozenset(lane.value for lane in ACTOR_LANES)
#: A grouping block's opening words: its word, a lane's name or label, and the '{'.
_GROUP_OPENS = re.compile(r'([A-Za-z_]\w*)(?:[ \t]+([A-Za-z_]\w*|"(?:[^"\\\n]|\\.)*"))?[ \t]*\{')
#: An actor declared without its lane, on a line of its own: its kind and id, and its label.
_LANELESS = re.compile(
    rf'^([ \t]*(?:{"|".join(kind.value for kind in ActorKind)})[ \t]+[A-Za-z_]\w*)([ \t]+"(?:[^"\\\n]|\\.)*")?'
    r"(?=[ \t]*(?:#|$))",
    re.MULTILINE,
)


def grouping_block(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``actors {``, ``flows {``, ``lane customer {``: statements grouped in a block, as
    other tools write them. Read as written straight where the block is, so that they are
    checked; in a lane's block, an actor declared without a lane takes that lane."""
    token, before = m.token, m.stack[-1] if m.stack else None
    # The parser stops at the block's word (in a stage), or after it (read as a flow's start).
    words = [word for word in (before, token) if is_name(word) and word.line == token.line]
    found = ((word, _GROUP_OPENS.match(m.text, word.start_pos)) for word in words)
    word, opened = next(((word, opened) for word, opened in found if opened and opened.group(1) in _GROUPS),
                        (None, None))
    if opened is None or token.start_pos >= opened.end():
        return None
    lane = opened.group(2)
    if (lane is not None) != (opened.group(1) in ("lane", "swimlane")):
        return None  # a lane's block names its lane, and no other block names anything
    if opened.group(1) not in ("stages", "steps") and block_holds(m.text, opened.end()) in ("stages", "steps"):
        return None  # swimlane "Front" { step ... }: a block of steps, read as a stage (unknown_blocks)
    end = block_end(m.text, word.start_pos)
    body_end = end - 1 if end is not None else len(m.text)
    body = m.text[opened.end() : body_end]
    declared = _LANELESS.search(body) if lane in _LANES else None
    if declared is not None:  # actor nurse "Nurse" in the block of a lane: the lane meant
        body = _LANELESS.sub(lambda laneless: f"{laneless.group(1)} {lane}{laneless.group(2) or ''}", body)
    closing = " " if end is not None else ""
    repaired = m.text[: word.start_pos] + blank(opened.group(0)) + body + closing + m.text[body_end + len(closing) :]
    if not parses_past(repaired, word.line, opened.end() - (m.text.rfind("\n", 0, opened.end()) + 1)):
        return None
    header = re.sub(r"\s+", " ", opened.group(0))
    hint = f"remove '{clip(header)}'" + (f" and its '}}' on line {line_of(m.text, end - 1)}" if end is not None else "")
    if declared is not None:
        meant = f"{declared.group(1).strip()} {lane} {(declared.group(2) or '').strip()}".rstrip()
        hint += f", and write the lane in each declaration: {clip(meant)}"
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, word.line, word.column, len(header)),
        f"the .svc language has no '{clip(opened.group(1))}' block: {_GROUPS[opened.group(1)]}",
        hint,
    )
    return diagnostic, repaired
