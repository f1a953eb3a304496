"""A keyword that ends its line with no value after it (``wait``, ``evidence``, ``as``): the
parser reads its value off the next line, where the next statement stands, and the error
would fall there, with a hint that makes that statement the value (its actor quoted as
evidence). Said at the keyword instead, which is left out, and the next line read as the
statement it is."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import lark

from .. import codes
from ..diagnostics import Diagnostic, Span
from ..grammar import STRING_OR_COMMENT, keywords
from .repairs import blank, is_name, parses_past

if TYPE_CHECKING:
    from .mistakes import Mistake

#: What each keyword's value is called, and a value to show it with.
_VALUES = {
    "takes": ("duration", "5min"), "wait": ("duration", "5min"), "tolerance": ("duration", "15min"),
    "evidence": ("item", '"Menu board"'), "with": ("item", '"Receipt"'),
    "as": ("id", "ask"), "in": ("lane", "frontstage"), "owner": ("actor", "staff"),
    "emotion": ("emotion", "pleased"), "tag": ("name", "urgent"), "theme": ("theme", "print"),
}
#: The keywords whose value is text in quotes.
_TEXT = ("note", "fail", "safe", "metric", "policy", "time", "scenario", "persona", "segment", "version",
         "description")


def keyword_without_value(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``wait``, ``evidence``, ``as`` at the end of a line, and the next statement below."""
    keyword = _keyword_ending_its_line(m)
    if keyword is None:
        return None
    hashed = _names_after_hashes(m, keyword)
    if hashed is not None:
        return hashed
    repaired = m.text[: keyword.start_pos] + blank(str(keyword)) + m.text[keyword.end_pos :]
    if not parses_past(repaired, m.token.line):
        return None  # the value is on the next line, written wrong: its own error says how
    # The blueprint's owner is text, an action's fail point's an actor.
    text = keyword.type == "HEADER_KEY" or str(keyword) not in _VALUES
    noun, example = ("text", '"..."') if text else _VALUES[str(keyword)]
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, keyword.line, keyword.column, len(keyword)),
        f"'{keyword}' has no {noun} after it",
        f"write its {noun} after it on its line ({keyword} {example}), or remove it",
    )
    return diagnostic, repaired


def _keyword_ending_its_line(m: Mistake) -> lark.Token | None:
    """The keyword on top of the parser's stack, or under the name it read off the next line
    (``as``, then ``b: "Helps"``), if it is the last word on its line and the parse stopped on
    a later one."""
    stack = m.stack
    keyword = stack[-1] if stack else None
    if is_name(keyword) and len(stack) >= 2 and keyword.line == m.token.line:
        keyword = stack[-2]  # a name taken for the keyword's value, from the line of the error
    if not isinstance(keyword, lark.Token) or str(keyword) not in keywords() or keyword.line >= m.token.line:
        return None
    if str(keyword) not in _VALUES and str(keyword) not in _TEXT:
        return None
    rest = m.lines[keyword.line - 1][keyword.end_column - 1 :]
    code = STRING_OR_COMMENT.sub(lambda match: "" if match.group(0).startswith("#") else match.group(0), rest)
    return keyword if not code.strip() else None


#: Names written after '#', as hashtags are (#urgent, #vip), which the lexer reads as a comment
#: with what follows them on the line.
_HASHTAGS = re.compile(r"([ \t]+)((?:#\w+[ \t]*,?[ \t]*)+)")
#: The keywords whose value is a name, and what it is called.
_NAMES = {"tag": "a tag", "as": "an id", "in": "a lane", "owner": "an actor", "emotion": "an emotion",
          "theme": "a theme"}


def _names_after_hashes(m: Mistake, keyword: lark.Token) -> tuple[Diagnostic, str] | None:
    """``tag #urgent``: a name written as a hashtag, after a keyword whose value is one."""
    source_line = m.lines[keyword.line - 1]
    hashtags = _HASHTAGS.match(source_line, keyword.end_column - 1)
    if str(keyword) not in _NAMES or hashtags is None:
        return None
    names = re.findall(r"#(\w+)", hashtags.group(2))
    if len(names) > 1 and str(keyword) != "tag":
        return None  # one value only
    written = hashtags.group(2).rstrip()
    start = keyword.end_pos + len(hashtags.group(1))
    repaired = m.text[:start] + ",".join(names).ljust(len(written)) + m.text[start + len(written) :]
    # Or past the names, on their line, where a keyword follows them: a mistake after it is its own (emotion 😠).
    after = re.match(r"[ \t]*([a-z]*)", source_line[hashtags.end(2) :]).group(1)
    past_the_names = after in keywords() and parses_past(repaired, keyword.line, hashtags.end(2) + len(after) + 1)
    if not parses_past(repaired, m.token.line) and not past_the_names:
        return None
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, keyword.line, hashtags.start(2) + 1, len(written)),
        f"{_NAMES[str(keyword)]} is a name, and '#' starts a comment",
        f"write {keyword} {', '.join(names)}",
    )
    return diagnostic, repaired
