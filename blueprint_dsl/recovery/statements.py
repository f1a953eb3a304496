"""Mistakes in a statement's shape or place: a block, a step, an action, a flow."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import lark
from lark.exceptions import UnexpectedInput

from .. import codes
from ..diagnostics import Diagnostic, Span, clip
from ..grammar import STRING_OR_COMMENT, keywords, lalr
from ..model import ActorKind
from ..text import slug, unquote
from .braces import block_end, unclosed_braces
from .details import ACTION_DETAILS, DETAIL_NAMES
from .repairs import blank, is_name, parses_past, text_from, tokens_before
from .spelling import closest_keyword

if TYPE_CHECKING:
    from .mistakes import Mistake


def block_without_brace(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``step pay "Pay"`` with no '{' at the end of its line, or before the block's first
    statement on its line (``step pay guest: "Pays" }``): read with the '{'."""
    token = m.token
    on_its_line = bool(m.lines[token.line - 1][: token.column - 1].strip())
    if "LBRACE" not in m.expected or on_its_line and not _starts_a_statement(m.text, token):
        return None
    opened = _statement_without_brace(m.text, token, on_its_line)
    if opened is None:
        return None
    opener, last = opened
    statement = clip(m.text[opener.start_pos : last.end_pos].replace("\n", " "))
    repaired = m.text[: last.end_pos] + " {" + m.text[last.end_pos :]
    where = "before its first statement" if on_its_line else "at the end of the line"
    hint = f"write {{ {where}: {statement} {{"
    # A blueprint's title alone, with no '}' either: its block runs to the end of the file.
    if opener.type == "BLUEPRINT" and unclosed_braces(repaired)[:1] == [(last.end_line, last.end_column + 1)]:
        repaired += "\n}"
        hint = f"write {{ at the end of the line, and }} at the end of the file: {statement} {{ ... }}"
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, last.end_line, last.end_column), f"'{statement}' has no '{{' to open its block", hint
    )
    return diagnostic, repaired


def id_after_label(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``step "Get the keys" keys {``, ``stage "Collect" collect {``: the id written after the label."""
    token, stack = m.token, m.stack
    kinds = [getattr(item, "type", None) for item in stack[-2:]]
    if token.type == "STRING" and m.expected == {"NAME"} and kinds[-1:] == ["STEP"]:
        opener, label = stack[-1], token  # a step stops at its label, where its id belongs
    elif is_name(token) and m.expected == {"LBRACE"} and kinds == ["STAGE", "STRING"]:
        opener, label = stack[-2], stack[-1]  # a stage reads its label, and stops at the id after it
    else:
        return None
    after = _ID_BEFORE_BRACE.match(m.lines[label.line - 1], label.end_column - 1)
    if label.end_line != label.line or after is None or after.group(1) in keywords():
        return None
    end = label.end_pos + after.end(1) - after.start()
    meant = f"{after.group(1)} {label}"  # as wide as what was written: nothing after it moves
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, label.line, label.column, end - label.start_pos),
        f"a {opener}'s id comes before its label",
        f"write {opener} {clip(meant)} {{",
    )
    return diagnostic, m.text[: label.start_pos] + meant.ljust(end - label.start_pos) + m.text[end:]


#: A name after a label, then the '{' of the block.
_ID_BEFORE_BRACE = re.compile(r"[ \t]+([A-Za-z_]\w*)(?=[ \t]*\{)")


def step_without_id(m: Mistake) -> tuple[Diagnostic, str] | None:
    token = m.token
    if token.type != "STRING" or m.expected != {"NAME"} or not m.stack or getattr(m.stack[-1], "type", None) != "STEP":
        return None
    label = unquote(token)
    made = slug(label, default="step")
    made = "step" + made if made.startswith("_") else made  # of a label that starts with a digit: step_1st
    written = clip(str(token).replace("\n", " "))
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, token.line, token.column, len(token) if token.end_line == token.line else 3),
        "this step has no id",
        f"give it one before its label, such as step {clip(made)} {written}",
    )
    return diagnostic, m.text[: token.start_pos] + made + " " + m.text[token.start_pos :]


#: A step's id, its label if any, and the '{' that opens it.
_STEP_OPENED = re.compile(r'[A-Za-z_]\w*(?:[ \t]+"(?:[^"\\\n]|\\.)*")?[ \t]*\{')


def step_without_keyword(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``one "First" {`` in a stage: a step written without the keyword ``step``."""
    token = m.token
    if token.type != "NAME" or "STEP" not in m.expected or closest_keyword(str(token), frozenset({"step"})):
        return None  # a misspelt step, reported as such
    written = _STEP_OPENED.match(m.lines[token.line - 1], token.column - 1)
    if written is None:
        return None
    repaired = m.text[: token.start_pos] + "step " + m.text[token.start_pos :]
    if not parses_past(repaired, token.line):
        return None
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, token.line, token.column, len(token)),
        f"the step '{clip(token)}' is written without the keyword 'step'",
        f"write step {clip(written.group(0))}",
    )
    return diagnostic, repaired


def stage_name_without_quotes(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``stage Order {``, ``stage Order and pay {``: the stage's name without its quotes."""
    first = m.stack[-1] if m.stack else None
    keyword = m.stack[-2] if len(m.stack) >= 2 else None
    if "STRING" not in m.expected or not is_name(first) or getattr(keyword, "type", None) != "STAGE":
        return None
    words = re.match(r"[A-Za-z_]\w*(?:[ \t]+[A-Za-z_]\w*)*(?=\s*\{)", m.lines[first.line - 1][first.column - 1 :])
    if words is None:
        return None
    name = words.group(0)
    stage_id, _, label = name.partition(" ")
    if not (label and " " not in label.strip() and stage_id == stage_id.lower()):
        stage_id, label = "", name  # stage order Order {: an id, then the name; else all the name
    label = label.strip()
    offset = name.index(label)
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, first.line, first.column + offset, len(label)),
        "a stage's name is written in quotes",
        f'write stage {stage_id} "{clip(label)}" {{' if stage_id else
        f'write stage "{clip(label)}" {{, or with an id before it: stage {clip(slug(label, default="stage"))} '
        f'"{clip(label)}" {{',
    )
    start = first.start_pos + offset
    return diagnostic, m.text[:start] + f'"{label}"' + m.text[start + len(label) :]


def flow_on_from_action(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``guest: "Asks" as ask -> answer``: a flow written on from an action, which a flow
    names by its id, in a statement of its own."""
    token, stack = m.token, m.stack
    if token.type != "ARROW" or len(stack) < 3:
        return None
    named = len(stack) >= 5 and getattr(stack[-2], "type", None) == "AS" and is_name(stack[-1])
    statement = 5 if named else 3  # actor: "text" (as id), which starts the statement
    actor, colon, text = stack[-statement : len(stack) - statement + 3]
    before = stack[-statement - 1] if len(stack) > statement else None  # not a flow's a -> b : "label"
    if not is_name(actor) or getattr(colon, "type", None) != "COLON" or getattr(text, "type", None) != "STRING" \
            or getattr(before, "type", None) == "ARROW":
        return None
    rest = text_from(m.lines[token.line - 1], token.column)
    if named:
        message = "a flow is a statement of its own, from the action's id"
        action_id = clip(stack[-1])
        hint = f"write as {action_id}  {action_id} {clip(rest)}"
        # The id written again before the arrow: the flow is read, and checked, as meant.
        repaired = m.text[: token.start_pos] + f"{stack[-1]} " + m.text[token.start_pos :]
    else:
        made = slug(unquote(text), default="action")
        made = made if made not in keywords() else made + "_action"
        message = "a flow names an action by its id, and this action has none"
        hint = f"give it one, and write the flow from it: {clip(str(text))} as {made}  {made} {clip(rest)}"
        # The flow is left out: an id made here could clash with one made for another.
        end = token.start_pos + len(rest)
        repaired = m.text[: token.start_pos] + blank(m.text[token.start_pos : end]) + m.text[end:]
    diagnostic = codes.SYNTAX_ERROR.at(Span.point(m.path, token.line, token.column, len(token)), message, hint)
    return diagnostic, repaired


def action_outside_step(m: Mistake) -> tuple[Diagnostic, str] | None:
    """An action written where no step is open, reported once and blanked with all its details.

    Tried after the checks for a '}' too many, which closes a step early and leaves its
    last actions outside it.
    """
    token, text = m.token, m.text
    name = token if token.type == "NAME" else m.stack[-1] if token.type == "COLON" and m.stack else None
    if (
        not isinstance(name, lark.Token)
        or name.type != "NAME"
        or "COLON" in m.expected
        or not m.expected & {"STEP", "ARROW", "BLUEPRINT"}
        or not re.match(r'\s*:\s*"', text[name.end_pos :])
    ):
        return None
    end = _action_end(text, name)
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, name.line, name.column, len(name)),
        f"the action of '{clip(name)}' is not inside a step",
        'put it in a step: step id "Label" { actor: "what they do" }',
    )
    return diagnostic, text[: name.start_pos] + blank(text[name.start_pos : end]) + text[end:]


# A parser inside a step: what it accepts after an action tells where the action ends.
_INSIDE_A_STEP = 'blueprint "" { stage "" { step s { '


def _action_end(text: str, name: lark.Token) -> int:
    """Where the action that starts with ``name`` ends, with all its details."""
    parser = lalr().parse_interactive(_INSIDE_A_STEP)
    parser.exhaust_lexer()
    depth = len(parser.parser_state.value_stack)
    end = name.end_pos
    try:
        for token in lalr().lex(text[name.start_pos :], dont_ignore=False):
            # The first word is the actor's, whatever it is (note, read as a keyword after an action).
            parser.feed_token(token if token.start_pos else lark.Token.new_borrow_pos("NAME", token, token))
            if isinstance(parser.parser_state.value_stack[depth], lark.Tree):
                break  # the action is complete: this token starts what follows it
            end = name.start_pos + token.end_pos
    except UnexpectedInput:
        pass  # the action ends at a token it cannot take
    return end


def _starts_a_statement(text: str, token: lark.Token) -> bool:
    """Whether ``token`` starts a statement a block holds: an action, a flow, a step, evidence."""
    if token.type in ("STEP", "EVIDENCE", "ANNOTATION_KEY"):
        return True
    return token.type == "NAME" and re.match(r'[ \t]*(?::[ \t]*"|<?->)', text[token.end_pos :]) is not None


def _statement_without_brace(
    text: str, token: lark.Token, on_its_line: bool = False
) -> tuple[lark.Token, lark.Token] | None:
    """For a ``token`` that should have been a '{', the statement that lacks it: the
    keyword that opened it and its last token, if a '{' after that gets the parse past
    ``token`` (``scenario: "Returns"`` after a title is a mistake of its own). The
    statement ends on an earlier line, or, ``on_its_line``, on the token's."""
    before = tokens_before(text, token)
    openers = [item for item in before if item.type in ("BLUEPRINT", "STAGE", "STEP")]
    if not openers or (before[-1].line == token.line) != on_its_line:
        return None
    last = before[-1]
    if not parses_past(text[: last.end_pos] + " {" + text[last.end_pos :], token.line, token.column):
        return None
    return openers[-1], last


def stage_without_step(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``stage collect "Collect" { evidence "Bike"  rider: "Collects it" }``: evidence and
    actions written straight into a stage, with no step around them: read in one."""
    token, stack = m.token, m.stack
    opened = stack[-1] if stack else None
    stage = next((item for item in stack[-4:-1] if getattr(item, "type", None) == "STAGE"), None)
    if getattr(opened, "type", None) != "LBRACE" or stage is None or "STEP" not in m.expected:
        return None
    action = token.type == "NAME" and re.match(r"\s*:", m.text[token.end_pos :])
    if token.type not in ("EVIDENCE", "ANNOTATION_KEY") and not action:
        return None
    closing = block_end(m.text, stage.start_pos)
    if closing is None:
        return None
    named = stack[stack.index(stage) + 1]
    name = str(named) if is_name(named) else unquote(named)
    made = f"_{stage.line}"  # an id no one writes, so that it clashes with none
    # The step made holds what comes before the stage's first step, which is read as written.
    end = _first_step(m.text, opened.end_pos, closing - 1)
    repaired = m.text[: opened.end_pos] + f" step {made} {{" + m.text[opened.end_pos : end] + "} " + m.text[end:]
    if not parses_past(repaired, token.line):
        return None
    if end < closing - 1:  # a step after them
        message = f"stage '{clip(name)}' holds evidence or actions before its first step, outside any step"
        hint = 'put them in the step they belong to, or in a step of their own: step id "Label" { ... }'
    else:
        message = f"stage '{clip(name)}' has no step: its evidence and actions are written in one"
        hint = 'put them in a step inside the stage: step id "Label" { ... }'
    diagnostic = codes.SYNTAX_ERROR.at(Span.point(m.path, token.line, token.column, len(token)), message, hint)
    return diagnostic, repaired


def _first_step(text: str, start: int, end: int) -> int:
    """Where the first step of a stage's block opens, between ``start`` and ``end``
    (its '}'), or ``end`` if no step does."""
    depth = 0
    try:
        for token in lalr().lex(text[start:end], dont_ignore=False):
            if token.type == "LBRACE":
                depth += 1
            elif token.type == "RBRACE":
                depth -= 1
            elif token.type == "STEP" and not depth:
                return start + token.start_pos
    except UnexpectedInput:
        pass  # a bad character further on
    return end


def step_outside_stage(m: Mistake) -> tuple[Diagnostic, str] | None:
    """A step written straight into the blueprint: read in a stage of its own."""
    step = m.stack[-1] if m.stack else None
    if not is_name(step) or str(step) != "step" or m.expected != {"ARROW"} or m.token.line != step.line:
        return None
    closing = block_end(m.text, step.start_pos)
    if closing is None:
        return None
    before = tokens_before(m.text, step)
    opening = before[-1].end_pos if before else step.start_pos
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, step.line, step.column, len(step)),
        f"step '{clip(m.token)}' is not inside a stage",
        'put it in a stage: stage id "Label" { step ... }',
    )
    # The stage opens after the statement before and closes after the step, so that only
    # the words after those on their own lines move.
    return diagnostic, (
        m.text[:opening] + ' stage "" {' + m.text[opening:closing] + " }" + m.text[closing:]
    )


def keyword_actor_after_action(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``g: "Orders" note: "Writes it down"``, with an actor named ``note``: right after
    an action, its id is read as a detail of that action (BP112 says so where it is declared)."""
    word, colon = m.stack[-1] if m.stack else None, m.token
    if colon.type != "COLON" or str(word) not in ACTION_DETAILS or getattr(word, "line", None) != colon.line:
        return None
    # Declared so: at the start of a statement, not in a string or comment ("a person with a cold").
    kinds = "|".join(kind.value for kind in ActorKind)
    code = STRING_OR_COMMENT.sub(lambda match: blank(match.group(0)), m.text)
    declared = re.search(rf"(?:^|[{{}}])\s*(?:{kinds})\s+{word}(?!\w)", code, re.MULTILINE)
    if declared is None or not re.match(r'\s*"', m.text[colon.end_pos :]):
        return None
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, word.line, word.column, len(word)),
        f"right after an action, '{word}' is read as that action's {DETAIL_NAMES.get(str(word), str(word))}, "
        f"so the actor '{word}' cannot act here",
        "give the actor another id",
    )
    # The action is left out whole: read as details, its own would repeat the first action's.
    end = _action_end(m.text, word)
    return diagnostic, m.text[: word.start_pos] + blank(m.text[word.start_pos : end]) + m.text[end:]


def id_of_several_words(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``step check in "Check in"``: an id written as words."""
    first = m.stack[-1] if m.stack else None
    opener = m.stack[-2] if len(m.stack) >= 2 else None
    if not is_name(first) or getattr(opener, "type", None) not in ("STEP", "STAGE") or m.token.line != first.line:
        return None
    words = re.match(r"[A-Za-z_]\w*(?:\s+[A-Za-z_]\w*)+(?=\s*[\"{])", m.lines[first.line - 1][first.column - 1 :])
    if words is None:
        return None
    meant = "_".join(words.group(0).split())
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, first.line, first.column, words.end()),
        f"a {opener}'s id is one word",
        f"write {opener} {clip(meant)}, with _ between the words",
    )
    end = first.start_pos + words.end()
    return diagnostic, m.text[: first.start_pos] + meant.ljust(words.end()) + m.text[end:]
