"""A word that is no keyword, with a value after it, where a detail belongs: a step's annotation
in the method's other words (``kpi "Served in 5 minutes"`` for ``metric``), or a word no detail
is written with after an action (``channel "Phone"``), read as a new statement whose actor never
comes. Said once, at the word, and the value kept out of the way of what follows."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import lark

from .. import codes
from ..diagnostics import Diagnostic, Span, clip, suggest
from ..grammar import STRING_OR_COMMENT, keywords
from ..text import quote, unquote
from .details import DETAIL_VALUES
from .repairs import blank, is_name, last_statement, last_token, parses_past
from .spelling import closest_keyword, edits

if TYPE_CHECKING:
    from .mistakes import Mistake

#: Words other tools and habits write for a step's annotations, and the keyword each means.
_ANNOTATION_WORDS = {"kpi": "metric", "kpis": "metric", "measure": "metric", "metrics": "metric",
                     "rule": "policy", "rules": "policy", "policies": "policy"}
#: An action's details, in the order the grammar gives them.
_DETAILS = ("as", "in", "takes", "wait", "fail", "safe", "owner", "emotion", "note", "tag", "with")
#: What follows a value on its line, up to a comment: the next word, if any.
_AFTER = re.compile(r"[ \t]*(\w*)[ \t]*(?:#|\r?\n|$)?")


def annotation_in_other_words(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``kpi "Served in 5 minutes"`` in a step: a step's annotation in another word for it."""
    word = m.stack[-1] if m.stack else None
    keyword = _ANNOTATION_WORDS.get(str(word).lower()) if is_name(word) else None
    if keyword is None or m.expected != {"ARROW", "COLON"} or m.token.type != "STRING" or m.token.line != word.line:
        return None
    if _declared(m.text, str(word)):
        return None  # an action of that actor's, written without its ':'
    repaired = m.text[: word.start_pos] + keyword.ljust(len(word)) + m.text[word.end_pos :]
    if not parses_past(repaired, word.line):
        return None
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, word.line, word.column, len(word)),
        f"'{clip(word)}' is no keyword: a step's {keyword} is written '{keyword}'",
        f"write {keyword} {clip(m.token.partition(chr(10))[0])}",
    )
    return diagnostic, repaired


def unknown_detail(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``guest: "Waits" channel "Phone"``: a word no detail is written with, and its value, after an
    action on its line."""
    word, action, value = m.stack[-1] if m.stack else None, last_statement(m.stack), m.token
    if not is_name(word) or m.expected != {"ARROW", "COLON"} or str(word) in keywords():
        return None
    if not isinstance(action, lark.Tree) or action.data != "action" or last_token(action).line != word.line:
        return None
    if value.line != word.line or value.end_line != word.line or value.type not in ("STRING", "NAME", "DURATION"):
        return None
    values = DETAIL_VALUES.match(m.text, word.end_pos)
    if values is None or _declared(m.text, str(word)):
        return None  # an actor's next action on the line, without its ':'
    after = _AFTER.match(m.text, values.end()).group(1)
    if value.type == "NAME" and after and after not in keywords():
        return None  # words without quotes (text), but for a keyword or the line's end after the value
    slip = _slip_of_a_detail(m, word)
    if slip is not None or closest_keyword(str(word), keywords()):
        return slip  # a slip of a keyword: the misspelling is said
    repaired = m.text[: word.start_pos] + blank(m.text[word.start_pos : values.end()]) + m.text[values.end() :]
    if not parses_past(repaired, word.line):
        return None
    items = [unquote(item) if item.startswith('"') else item for item in _ITEM.findall(values.group(0))]
    noted = "note" in {child.data for child in action.children if isinstance(child, lark.Tree)} or _note_on(
        m.lines[word.line - 1][word.column - 1 :])
    # An action has one note at most: where it has one, the hint cannot add another.
    hint = "write it as one of those, or remove it" if noted else \
        f"to keep it, write it in a note: note {clip(quote(f'{word}: ' + ', '.join(items)))}"
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, word.line, word.column, len(word)),
        f"'{clip(word)}' is no detail of an action: an action's details are {', '.join(_DETAILS[:-1])} "
        f"and {_DETAILS[-1]}",
        hint,
    )
    return diagnostic, repaired


def _slip_of_a_detail(m: Mistake, word: lark.Token) -> tuple[Diagnostic, str] | None:
    """``az bring``: a word one letter from a detail's keyword, too short to be taken for one by
    its likeness alone, which the line reads with that keyword in its place."""
    near = [detail for detail in _DETAILS if edits(str(word).lower(), detail) == 1]
    if len(near) != 1:
        return None
    keyword = near[0]
    repaired = m.text[: word.start_pos] + keyword.ljust(len(word)) + m.text[word.end_pos :]
    if not parses_past(repaired, word.line):
        return None
    diagnostic = codes.UNKNOWN_KEYWORD.at(
        Span.point(m.path, word.line, word.column, len(word)), f"'{clip(word)}' is not a keyword", suggest([keyword]),
        written=str(word), meant=(keyword,),
    )
    return diagnostic, repaired


#: An item of a detail's values: a string, or a word.
_ITEM = re.compile(r'"(?:[^"\\\n]|\\.)*"|[\w.]+')


def _note_on(rest: str) -> bool:
    """Whether ``rest`` of a line, strings and comments aside, writes a note."""
    code = STRING_OR_COMMENT.sub(lambda match: blank(match.group(0)), rest)
    return re.search(r"(?<!\w)note(?!\w)", code) is not None


def _declared(text: str, name: str) -> bool:
    """Whether ``text`` declares an actor ``name``."""
    return re.search(rf"(?<!\w)(?:actor|person|role|system|partner)[ \t]+{re.escape(name)}(?!\w)", text) is not None
