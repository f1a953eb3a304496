"""Completion: what may be written at the cursor, from the text as it stands and the ids of the last check."""

from __future__ import annotations

import re

from lsprotocol import types

from ..grammar import COMMENT, QUOTED, TRIPLE_QUOTED
from ..model import Emotion, Lane
from .drafts import Draft
from .positions import offset_of
from .snippets import block_snippets, fail_point

#: A string or a comment: one the cursor (the end of the text) is past, or one it is in
#: (``*_open``: a string not closed yet; a comment runs to the end of its line).
_PROSE = re.compile(
    rf'(?P<triple>{TRIPLE_QUOTED}""")|(?P<triple_open>{TRIPLE_QUOTED}\\?\Z)'
    rf'|(?P<string>{QUOTED}")|(?P<string_open>{QUOTED}\\?\Z)|(?P<comment>{COMMENT})'
)
#: Braces, past strings and comments: how deep the cursor stands in blocks.
_BRACES = re.compile(rf'{TRIPLE_QUOTED}"""|{QUOTED}"|{COMMENT}|[{{}}]')
#: The block at each depth: a blueprint's braces are the only ones at the top, a stage's the only ones
#: in a blueprint, a step's the only ones in a stage. Wherever the keyword stands: the grammar reads a
#: line break as a space, so `{` may stand on a line of its own.
_BLOCKS = ("top", "blueprint", "stage", "step")
_MODIFIERS = ("as", "in", "takes", "wait", "fail", "safe", "owner", "emotion", "note", "tag", "with")
_HEADER = ("scenario", "persona", "segment", "owner", "version", "description", "tolerance", "theme")
_ACTOR_KINDS = ("actor", "person", "role", "system", "partner")


def block_at(text: str) -> str:
    """The kind of block the end of ``text`` is in: top, blueprint, stage or step."""
    depth = 0
    for match in _BRACES.finditer(text):
        brace = match.group(0)
        if brace == "{":
            depth += 1
        elif brace == "}" and depth:
            depth -= 1
    return _BLOCKS[min(depth, len(_BLOCKS) - 1)]


def in_prose(text: str) -> bool:
    """Whether the end of ``text`` is inside a string or a comment, where what is typed is prose, not code."""
    last = None
    for last in _PROSE.finditer(text):
        pass
    return last is not None and last.lastgroup in ("triple_open", "string_open", "comment") and last.end() == len(text)


def completion(draft: Draft, line: int, column: int, snippets: bool = False) -> list[types.CompletionItem]:
    """What may be written at ``line`` and ``column`` of the text now; with ``snippets`` (the
    editor takes them), the blocks that open there and a fail point written whole as well.

    The ids offered are those of the last check (``drafts``): one declared since comes once it is checked.
    """
    analysis = draft.analysis
    prefix = draft.lines[line - 1][: column - 1] if line <= len(draft.lines) else ""
    offset = offset_of(draft.lines, line, column)
    if in_prose(draft.text[:offset]):
        return []
    actors = sorted(analysis.actors()) or [
        n.text for n in analysis.names if n.kind == "actor" and n.role == "definition"
    ]
    actions = sorted(analysis.actions())
    block = block_at(draft.text[:offset])

    def items(words, kind, detail=None):
        return [types.CompletionItem(label=w, kind=kind, detail=detail) for w in words]

    if re.search(r"\bin\s+\w*$", prefix):
        lanes = [lane.value for lane in Lane if lane is not Lane.EVIDENCE]
        return items(lanes, types.CompletionItemKind.EnumMember, "lane")
    if re.search(r"\bemotion\s+\w*$", prefix):
        return items([e.value for e in Emotion], types.CompletionItemKind.EnumMember, "emotion")
    if re.search(r"\bowner\s+\w*$", prefix) and block == "step":
        return items(actors, types.CompletionItemKind.Variable, "actor")
    if re.search(r"(?:->|<->)\s*\w*$", prefix) or re.search(r"^\s*\w+\s*(?:->|<->).*$", prefix):
        return items(actions, types.CompletionItemKind.Function, "action")
    action = re.search(r'^\s*\w+\s*:\s*"', prefix)
    if action or re.search(r'"\s+\w*$', prefix) and block == "step":
        # A fail point whole only after an action's text, not after a string of evidence or a note.
        whole = [fail_point(actors)] if snippets and action else []
        return items(_MODIFIERS, types.CompletionItemKind.Keyword) + whole
    if not re.fullmatch(r"\s*\w*", prefix):
        return []
    return _statements(block, actors, actions, items) + (block_snippets(block, draft.text) if snippets else [])


def _statements(block: str, actors: list[str], actions: list[str], items) -> list[types.CompletionItem]:
    """The words that start a statement in ``block``."""
    keyword = types.CompletionItemKind.Keyword
    if block == "step":
        return (
            items(actors, types.CompletionItemKind.Variable, "actor")
            + items(("evidence", "metric", "policy", "time"), keyword)
            + items(actions, types.CompletionItemKind.Function, "action")
        )
    if block == "stage":
        return items(("step",), keyword)
    if block == "blueprint":
        words = _HEADER + _ACTOR_KINDS + ("include", "stage")
        return items(words, keyword) + items(actions, types.CompletionItemKind.Function, "action")
    return items(("include", "blueprint") + _ACTOR_KINDS, keyword)
