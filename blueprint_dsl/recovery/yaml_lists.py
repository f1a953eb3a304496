"""Lists written as YAML writes them: actors under ``actors:``, one a line, and the items
of evidence or tags under their keyword, each after a '-'."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .. import codes
from ..diagnostics import Diagnostic, Span, clip
from ..model import LANE_NAMES

if TYPE_CHECKING:
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
