"""Lists written as YAML writes them: actors under ``actors:``, one a line, and the items
of evidence or tags under their keyword, each after a '-'."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .. import codes
from ..diagnostics import Diagnostic, Span, clip
from ..model import LANE_NAMES
from ..text import quote
from .repairs import blank

if TYPE_CHECKING:
    import lark

    from .mistakes import Mistake


def yaml_list(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``actors:`` over lines of ``guest: customer``, as in YAML: each line read as the
    declaration it means."""
    colon = m.token
    if colon.type != "COLON":
        return None
    header = re.fullmatch(r"(\s*)([A-Za-z_]\w*)\s*(:)\s*(#.*)?", m.lines[colon.line - 1])
    if header is None or header.start(3) != colon.column - 1:
        return None
    indent, word = len(header.group(1)), header.group(2)
    items = []
    for number in range(colon.line, len(m.lines)):
        item = re.fullmatch(r"(\s*)([A-Za-z_]\w*)\s*:\s*([A-Za-z_]\w*)\s*(\"[^\"\n]*\")?\s*", m.lines[number])
        if item is None or len(item.group(1)) <= indent:
            break
        items.append((number, item))
    if not items:
        return None
    lines = list(m.lines)
    lines[colon.line - 1] = ""
    declarations = word.rstrip("s") == "actor" and all(item.group(3) in LANE_NAMES for _, item in items)
    for number, item in items:
        # The line is read as the declaration it means; nothing else on it can move.
        lines[number] = f"actor {item.group(2)} {item.group(3)} {item.group(4) or ''}" if declarations else ""
    first = items[0][1]
    example = f"actor {first.group(2)} {first.group(3)}" if declarations else 'actor id lane "Name"'
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, colon.line, indent + 1, header.end(3) - indent),
        f"'{clip(word)}:' and the lines under it are written as in YAML",
        f"declare each on a line of its own, such as {clip(example)}",
    )
    return diagnostic, "\n".join(lines)


# The keywords whose value is a list, and whether its items are strings (or names).
_LISTS = {"evidence": True, "with": True, "tag": False}
#: An item of a list as YAML writes it: its '-', the item, a comment.
_ITEM = re.compile(r'[ \t]*(-)[ \t]*("(?:[^"\\\n]|\\.)*"|[^#\n]*?)[ \t]*(#.*)?')
#: A string alone on its line, in a list written a line an item without a '-': the blank before it.
_STRING_ITEM = re.compile(r'[ \t]*([ \t])("(?:[^"\\\n]|\\.)*")[ \t]*(#.*)?')


def yaml_items(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``evidence:`` over lines of ``- "Menu"``, as YAML lists them, or of strings alone: the
    items read as the one line they mean, each '-' but the first a ',', or a ',' before each
    string but the first."""
    colon, keyword = m.token, m.stack[-1] if m.stack else None
    if colon.type != "COLON" or str(keyword) not in _LISTS or keyword.line != colon.line:
        return None
    if not re.fullmatch(r"[ \t]*(#.*)?", m.lines[colon.line - 1][colon.end_column - 1 :]):
        return None
    strings, lines, items = _LISTS[str(keyword)], list(m.lines), []
    dashed = _ITEM.fullmatch(m.lines[colon.line]) if colon.line < len(m.lines) else None
    pattern = _ITEM if dashed else _STRING_ITEM
    for number in range(colon.line, len(m.lines)):
        item = pattern.fullmatch(m.lines[number])
        written = item.group(2) if item else ""
        if not written or not strings and not re.fullmatch(r"[A-Za-z_]\w*", written):
            break
        value = written if written.startswith('"') or not strings else quote(written)
        mark, end = item.start(1), item.end(2)
        # The line read as the item it holds, after a ',' where its '-' or the blank before it was;
        # nothing else on it moves.
        lines[number] = lines[number][:mark] + ("," if items else " ") + lines[number][item.end(1) : item.start(2)] \
            + value + lines[number][end:]
        items.append(value)
    if not items:
        return _empty_list(m, keyword, colon)
    if not dashed and len(items) < 2:  # one string under evidence: reads on once the ':' is gone
        return None
    line = lines[colon.line - 1]
    lines[colon.line - 1] = line[: colon.column - 1] + " " + line[colon.column :]
    meant = f"{keyword} {', '.join(items)}"
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, keyword.line, keyword.column, colon.end_column - keyword.column),
        f"'{keyword}:' and the list under it are written as in YAML" if dashed
        else f"'{keyword}:' is followed by its items on lines of their own",
        f"{keyword} is one line, its items separated by commas: write {clip(meant)}",
    )
    return diagnostic, "\n".join(lines)


#: The blanks and comments after a list's keyword.
_BLANKS = re.compile(r"(?:\s|#[^\n]*)*")


def _empty_list(m: Mistake, keyword: lark.Token, colon: lark.Token) -> tuple[Diagnostic, str] | None:
    """``evidence:`` over nothing of its own, as YAML opens a list: said once, and left out."""
    if str(keyword) == "tag" or m.text[_BLANKS.match(m.text, colon.end_pos).end() :].startswith('"'):
        return None  # tag: over a name reads on as a tag; evidence: over strings, as a list without commas
    example = {"evidence": 'evidence "Menu", "Receipt"', "with": 'with "Menu", "Receipt"'}[str(keyword)]
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, keyword.line, keyword.column, colon.end_column - keyword.column),
        f"'{keyword}:' has no items",
        f"{keyword} is one line, its items after it separated by commas, such as {example}; or remove it",
    )
    return diagnostic, m.text[: keyword.start_pos] + blank(m.text[keyword.start_pos : colon.end_pos]) \
        + m.text[colon.end_pos :]
