"""Completion: what may be written at the cursor, from the text as it stands and the ids of the last check.

What fits there is the grammar's to say. The text before the cursor is read by its LALR
parser, which tells the terminals it takes next (``syntax.expected``): a keyword is offered
where the grammar takes it, an id, a lane, an emotion or a theme where it takes a name of
that kind, and nothing where it takes a string, a duration or a name of the writer's own
(a new id, a tag). Only the text after the last brace before the cursor is read, in blocks
made up to stand for the ones the cursor is in: the statements above it in other blocks
cost nothing. On a line of its own a statement starts; after words on the line, what
continues the statement there does (an action's modifiers, each once but a note, a tag
and evidence; a flow's `loop`).
"""

from __future__ import annotations

import re

from lsprotocol import types

from ..grammar import COMMENT, QUOTED, TRIPLE_QUOTED
from ..model import ACTOR_LANES, THEME_NAMES, Emotion
from ..syntax import expected, terminal_words
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
#: A text that opens the blocks down to each depth, for the parser to read the cursor's block in.
_OPENED = ("", 'blueprint "" {', 'blueprint "" { stage "" {', 'blueprint "" { stage "" { step s {')

#: The terminals that start a statement wherever they stand (a name may too: ``_name_after``).
_STARTERS = frozenset(
    {"INCLUDE", "BLUEPRINT", "STAGE", "STEP", "ACTOR_KIND", "HEADER_KEY", "TOLERANCE", "THEME", "EVIDENCE",
     "ANNOTATION_KEY"}
)
#: What a name is after each terminal: a lane, an actor, an action... or the writer's own
#: (a new id, a tag), of which there is nothing to offer. After any other, it starts a statement.
_NAME_AFTER = {
    "IN": "lane", "OWNER": "actor", "EMOTION": "emotion", "THEME": "theme", "ARROW": "action",
    "ACTOR_KIND": "own", "STAGE": "own", "STEP": "own", "AS": "own", "TAG": "own", "COMMA": "own",
}
#: The modifiers an action takes once (``check`` reports another); a note, a tag and evidence may come again.
_ONCE = frozenset({"AS", "IN", "TAKES", "WAIT", "FAIL", "SAFE", "OWNER", "EMOTION"})
#: The order keywords are offered in: a statement's words, then an action's, then a flow's.
_ORDER = (
    "HEADER_KEY", "TOLERANCE", "THEME", "ACTOR_KIND", "INCLUDE", "BLUEPRINT", "STAGE", "STEP", "EVIDENCE",
    "ANNOTATION_KEY", "AS", "IN", "TAKES", "WAIT", "FAIL", "SAFE", "OWNER", "EMOTION", "NOTE", "TAG", "WITH", "LOOP",
)


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
    before = draft.text[: offset_of(draft.lines, line, column)]
    if in_prose(before):
        return []
    before = before[: len(before) - len(re.search(r"\w*\Z", before).group())]  # the word being typed is filtered
    block, start = _block(before)
    line_start = before.rfind("\n") + 1
    opened = _OPENED[_BLOCKS.index(block)]
    found = expected(before[start:], opened)
    if found is None and line_start > start:
        # What stands above in the block does not parse: the statement is taken to start on the cursor's line.
        found = expected(before[line_start:], opened)
    if found is None:
        return []
    analysis = draft.analysis
    actors = sorted(analysis.actors()) or [
        n.text for n in analysis.names if n.kind == "actor" and n.role == "definition"
    ]
    names = {"actor": actors, "action": sorted(analysis.actions()), "lane": [lane.value for lane in ACTOR_LANES],
             "emotion": [e.value for e in Emotion], "theme": list(THEME_NAMES)}
    statement = _statement(found.read)
    starting = _name_after(found.read) == "statement"
    starters = {t for t in found.terminals if t in _STARTERS or t == "NAME" and starting}
    if not before[max(start, line_start) :].strip() and starters:
        # On a line of its own: a statement (or the block's end); in a step, an action starts with its actor.
        named = names["actor"] if block == "step" and "NAME" in starters else []
        flows = names["action"] if "NAME" in starters else []
        offered = (
            _items(named, types.CompletionItemKind.Variable, "actor")
            + _keywords(starters)
            + _items(flows, types.CompletionItemKind.Function, "action")
        )
        return offered + (block_snippets(block, draft.text) if snippets else [])
    # After words of the statement: what continues it.
    continuing = {t for t in found.terminals - starters if t not in _ONCE or t not in statement}
    value = _name_after(found.read) if "NAME" in continuing else None
    offered = _keywords(continuing)
    if value in _KINDS:
        offered = _items(names[value], *_KINDS[value]) + offered
    whole = snippets and "FAIL" in continuing and not {"SAFE", "OWNER"} & set(statement)
    return offered + ([fail_point(actors)] if whole else [])


#: How the names of each kind are offered.
_KINDS = {
    "actor": (types.CompletionItemKind.Variable, "actor"),
    "action": (types.CompletionItemKind.Function, "action"),
    "lane": (types.CompletionItemKind.EnumMember, "lane"),
    "emotion": (types.CompletionItemKind.EnumMember, "emotion"),
    "theme": (types.CompletionItemKind.EnumMember, "theme"),
}


def _block(text: str) -> tuple[str, int]:
    """The kind of block the end of ``text`` is in (top, blueprint, stage or step), and where
    its statements before the cursor start: past the last brace."""
    depth, start = 0, 0
    for match in _BRACES.finditer(text):
        brace = match.group(0)
        if brace == "{":
            depth, start = depth + 1, match.end()
        elif brace == "}" and depth:
            depth, start = depth - 1, match.end()
    return _BLOCKS[min(depth, len(_BLOCKS) - 1)], start


def _name_after(read: tuple[str, ...]) -> str:
    """What a name is after the tokens ``read`` (the last two tell): a kind of ``_NAME_AFTER``, or
    "statement" when it starts one."""
    if len(read) >= 2 and read[-2:] == ("ACTOR_KIND", "NAME"):
        return "lane"  # an actor's home lane, after its id
    return _NAME_AFTER.get(read[-1], "statement") if read else "statement"


def _statement(read: tuple[str, ...]) -> tuple[str, ...]:
    """The tokens of the statement the cursor is in, from the last that starts one."""
    start = 0
    for index, kind in enumerate(read):
        if kind in _STARTERS or kind == "NAME" and _name_after(read[max(index - 2, 0) : index]) == "statement":
            start = index
    return read[start:]


def _keywords(terminals: set[str]) -> list[types.CompletionItem]:
    words = terminal_words()
    ordered = [t for t in _ORDER if t in terminals] + sorted(t for t in terminals if t in words and t not in _ORDER)
    return _items([word for t in ordered for word in words.get(t, ())], types.CompletionItemKind.Keyword)


def _items(words: list[str], kind: types.CompletionItemKind, detail: str | None = None) -> list[types.CompletionItem]:
    return [types.CompletionItem(label=word, kind=kind, detail=detail) for word in words]
