"""Mistakes in where a detail is written: an action's details before its text, or where
no action is to take them; a step's evidence and annotations outside any step; a fact of
the whole blueprint's inside a stage or a step."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import lark

from .. import codes
from ..diagnostics import Diagnostic, Span, clip
from .repairs import blank, is_name, last_statement, parses_past

if TYPE_CHECKING:
    from .mistakes import Mistake

#: The details an action takes after its text.
ACTION_DETAILS = frozenset({"as", "in", "takes", "wait", "fail", "safe", "owner", "emotion", "note", "tag", "with"})
#: What a detail of an action is called, where that is not its keyword.
DETAIL_NAMES = {"as": "id", "in": "lane", "takes": "time", "fail": "fail point", "safe": "fail-safe",
                "owner": "fail point's owner", "tag": "tags", "with": "evidence"}
#: What a step holds besides its actions and flows.
_STEP_ITEMS = frozenset({"evidence", "metric", "policy", "time"})
#: The facts of the whole blueprint, written at its top level.
_FACTS = frozenset({"scenario", "persona", "segment", "owner", "version", "description", "tolerance", "theme"})
#: Words other tools and habits write for an action's details, and the keyword each means.
_OTHER_WORDS = {
    "failure": "fail", "failpoint": "fail", "fail_point": "fail", "risk": "fail", "error": "fail",
    "failsafe": "safe", "fail_safe": "safe", "fallback": "safe", "recovery": "safe", "mitigation": "safe",
    "duration": "takes", "id": "as", "lane": "in", "on": "in", "notes": "note", "comment": "note",
    "tags": "tag", "mood": "emotion", "feeling": "emotion", "emotions": "emotion",
    # The method's own words for them.
    "pain": "fail", "painpoint": "fail", "pain_point": "fail", "fix": "safe", "responsible": "owner",
    "touchpoint": "with", "touchpoints": "with", "touch_point": "with",
}
#: Those of two words (pain point).
_TWO_WORDS = {("pain", "point"): "fail", ("pain", "points"): "fail", ("touch", "point"): "with",
              ("touch", "points"): "with"}
#: The details that belong to a fail point, and are written after it.
_OF_A_FAIL_POINT = ("safe", "owner")
#: Why no action takes a detail in each place.
_NO_ACTION = {"step": "and no action is before it", "stage": "not to a stage", "blueprint": "not to the blueprint"}
#: A detail's keyword after another's values, on their line.
_DETAIL = re.compile(r"[ \t]+([a-z]+)\b")
#: A detail's values after its keyword: strings, names or durations, separated by commas.
DETAIL_VALUES = re.compile(r'[ \t]+(?:"(?:[^"\\\n]|\\.)*"|[\w.]+)(?:[ \t]*,[ \t]*(?:"(?:[^"\\\n]|\\.)*"|[\w.]+))*')


def detail_without_action(m: Mistake) -> tuple[Diagnostic, str] | None:
    """A detail written where nothing takes it: an action's (``note "Busy on Mondays"``) on a
    line of its own in a step, in a stage or in the blueprint; a step's (``evidence "Menu"``)
    in the blueprint; a fact of the blueprint's (``scenario "Lunch rush"``) in a stage or a step."""
    found = _misplaced(m)
    if found is None:
        return None
    word, place = found
    end = _values_end(m.text, word.end_pos)
    # An owner with a string is the blueprint's, with a name a fail point's.
    fact = word in _FACTS and (word != "owner" or m.text[end - 1] == '"')
    while not fact and word in ACTION_DETAILS:  # the action's other details after it: fail "Lost" safe "Spare"
        more = _DETAIL.match(m.text, end)
        if more is None or more.group(1) not in ACTION_DETAILS:
            break
        end = _values_end(m.text, more.end(1))
    written = m.text[word.start_pos : end]
    if fact and place != "blueprint":
        message = f"'{word}' is a fact of the whole blueprint, not of a {place}"
        hint = f"write {clip(written)} at the blueprint's top level, before its stages"
    elif word in _STEP_ITEMS and place == "blueprint":
        message = f"'{word}' belongs to a step, not to the blueprint"
        hint = f"write it in the step it belongs to: step id {{ {clip(written)} ... }}"
    elif word in ACTION_DETAILS and not fact:
        message = f"'{word}' belongs to an action, {_NO_ACTION[place]}"
        hint = f'write it after the text of its action, such as actor: "what they do" {clip(written)}'
    else:
        return None
    diagnostic = codes.SYNTAX_ERROR.at(Span.point(m.path, word.line, word.column, len(word)), message, hint)
    return diagnostic, m.text[: word.start_pos] + blank(written) + m.text[end:]


def _values_end(text: str, start: int) -> int:
    """Where the values of the detail whose keyword ends at ``start`` end: at ``start`` when it has none."""
    values = DETAIL_VALUES.match(text, start)
    return values.end() if values else start


def _misplaced(m: Mistake) -> tuple[lark.Token, str] | None:
    """The word of a detail written as a statement, and where: in a step or the blueprint it is read as the
    start of a flow or an action, and the parser stops after it; in a stage, where only steps go, at it."""
    token, word = m.token, m.stack[-1] if m.stack else None
    if "STEP" in m.expected and m.expected <= {"STEP", "RBRACE"}:
        return (token, "stage") if str(token) in ACTION_DETAILS | _FACTS else None
    if not is_name(word) or token.line != word.line or len(m.stack) >= 2 and is_name(m.stack[-2]):
        return None
    places = {frozenset({"ARROW", "COLON"}): "step", frozenset({"ARROW"}): "blueprint"}
    place = places.get(frozenset(m.expected))
    return (word, place) if place is not None else None


def detail_in_other_words(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``failure "Card declined"``, ``lane frontstage``, ``pain point "Long queue"`` after an action,
    on its line or the next: a detail written in another tool's word for it, or the method's, read
    as a new statement."""
    word, action = m.stack[-1] if m.stack else None, last_statement(m.stack)
    second = m.token if is_name(word) and is_name(m.token) and m.token.line == word.line else None
    keyword = _TWO_WORDS.get((str(word).lower(), str(second).lower())) if is_name(word) else None
    if keyword is None:
        second = None
        keyword = _OTHER_WORDS.get(str(word).lower()) if is_name(word) else None
    if keyword is None or m.token.line != word.line or m.expected != {"ARROW", "COLON"}:
        return None
    if not isinstance(action, lark.Tree) or action.data != "action":
        return None
    end = second.end_pos if second is not None else word.end_pos
    written = m.text[word.start_pos : end]
    value = DETAIL_VALUES.match(m.text, end)
    shown = value.group(0).strip() if value else ""
    given = {child.data for child in action.children if isinstance(child, lark.Tree)}
    meant = f"{keyword} {shown}".rstrip()
    if keyword in _OF_A_FAIL_POINT and "fail" not in given and not re.search(r"(?<!\w)fail(?!\w)", m.text[end:]):
        # A fail-safe or an owner with no fail point to belong to: the hint writes one, and the
        # repair leaves it out, as the fail point it lacks would be reported too.
        hint = f'write it after the fail point it belongs to: fail "what can go wrong" {clip(meant)}'
        stop = value.end() if value else end
        repaired = m.text[: word.start_pos] + blank(m.text[word.start_pos : stop]) + m.text[stop:]
    else:
        hint = f"write {clip(meant)}"
        repaired = m.text[: word.start_pos] + keyword.ljust(len(written)) + m.text[end:]
    if not parses_past(repaired, word.line):
        return None
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, word.line, word.column, len(written)),
        f"after an action, '{clip(written)}' is read as a new statement: an action's "
        f"{DETAIL_NAMES.get(keyword, keyword)} is written '{keyword}'",
        hint,
    )
    return diagnostic, repaired


def details_before_text(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``booking: as ticket "Creates the job ticket"``: an action's details before its text."""
    token, stack = m.token, m.stack
    if str(token) not in ACTION_DETAILS or len(stack) < 2 or getattr(stack[-1], "type", None) != "COLON":
        return None
    line = m.lines[token.line - 1]
    text = re.search(r'"(?:[^"\\\n]|\\.)*"', line[token.column - 1 :])
    if text is None or not is_name(stack[-2]):
        return None
    details = line[token.column - 1 :][: text.start()].rstrip()
    meant = f"{text.group(0)} {details}"
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, token.line, token.column, len(details)),
        "an action's text comes first, right after its actor",
        f"write {clip(stack[-2])}: {clip(meant)}",
    )
    end = token.start_pos + text.end()
    return diagnostic, m.text[: token.start_pos] + meant.ljust(end - token.start_pos) + m.text[end:]
