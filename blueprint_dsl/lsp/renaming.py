"""Rename an actor or action id across files.

A rename never gives two actors, or two actions, one id, and keeps every flow joining
the actions it joined. Renaming an actor declared in a shared file reaches every
blueprint that takes it from there, not only the one the rename started in.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from lsprotocol import types
from pygls.uris import from_fs_path

from ..grammar import keywords
from ..model import Action
from ..parser import parse_document
from ..resolve import resolve
from ..syntax import Name, Token, parse_syntax
from .document import Analysis, as_read
from .navigation import FindIncluders, Occurrence, covered_files, declarations, including_blueprints, occurrences
from .positions import token_range

IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class RenameError(Exception):
    """A rename that is refused, with the reason to show."""


@dataclass(frozen=True, slots=True)
class Replacement:
    """New text for a token of a file, or (``after``) text put just after the token."""

    path: str
    lines: list[str]
    token: Token
    text: str
    after: bool = False

    def edit(self) -> types.TextEdit:
        whole = token_range(self.lines, self.token)
        where = types.Range(start=whole.end, end=whole.end) if self.after else whole
        return types.TextEdit(range=where, new_text=self.text)


def prepare_rename(analysis: Analysis, offset: int) -> types.Range | None:
    """Where the name at ``offset`` is, to be renamed; a ``RenameError`` when the file does not parse."""
    name = analysis.name_at(offset)
    if name is None or name.kind not in ("actor", "action"):
        return None
    _refuse_broken(analysis, name)
    return token_range(analysis.lines, name.token)


def rename(
    analysis: Analysis, offset: int, new_name: str, includers: FindIncluders | None = None
) -> types.WorkspaceEdit | None:
    """The edits that rename the actor or action id at ``offset``; a ``RenameError`` when it may not be renamed.

    ``includers`` finds the blueprints besides this one that an actor's rename must reach.
    """
    name = analysis.name_at(offset)
    if name is None or name.kind not in ("actor", "action"):
        return None
    _refuse_broken(analysis, name)
    _refuse_unfit(new_name)
    if new_name == name.text:
        return types.WorkspaceEdit(changes={})
    actions = _actions(analysis.text, analysis.path)
    _refuse_taken(analysis, actions, name.kind, new_name)
    if name.kind == "actor":
        _refuse_broken_includes(analysis, name.text)
        replacements = [_replacement(o, new_name) for o in occurrences(analysis, "actor", name.text)]
    else:
        replacements = _action_renamed(analysis, actions, name.text, new_name)
    replacements += _flows_followed(analysis, actions, replacements)
    reached = []
    if name.kind == "actor" and includers is not None:
        reached = including_blueprints(analysis, name.text, includers)
    for includer in reached:
        replacements += _renamed_in_includer(analysis, includer, name.text, new_name)
    uris = {a.path: a.uri for a in (*reached, analysis)}
    changes: dict[str, list[types.TextEdit]] = {}
    for replacement in replacements:
        uri = uris.get(replacement.path) or from_fs_path(replacement.path) or replacement.path
        changes.setdefault(uri, []).append(replacement.edit())
    return types.WorkspaceEdit(changes=changes)


def _refuse_broken(analysis: Analysis, name: Name) -> None:
    """Refuse a rename in a text with a syntax error: its names are known on the lines recovery
    did not patch only, and the uses on the others would keep the old name."""
    if analysis.tree is None:
        raise RenameError(
            f"this file has a syntax error, so the rename cannot find every use of '{name.text}'; fix the error first"
        )


def _refuse_broken_includes(analysis: Analysis, actor: str) -> None:
    """Refuse to rename an actor whose id an included file with a syntax error holds: its
    declaration or uses there could not be found, and would keep the old name."""
    for path, text in analysis.result.sources.items():
        if path != analysis.path and re.search(rf"\b{re.escape(actor)}\b", text) and parse_syntax(text) is None:
            raise RenameError(
                f"{path} is included here and has a syntax error, so the rename cannot find the uses of '{actor}'"
                " there; fix that file first"
            )


def _refuse_unfit(new_name: str) -> None:
    """Refuse a new name that is no identifier, or a keyword: where the parser reads it as the
    keyword (an action id starting a flow, an actor acting after another action), the renamed
    file would not parse, or an actor could no longer act."""
    if not IDENTIFIER.fullmatch(new_name):
        raise RenameError(f"'{new_name}' is not an identifier: letters, digits and _, not starting with a digit")
    if new_name in keywords():
        raise RenameError(f"'{new_name}' is a keyword, read as one where an id may stand; pick another name")


def _replacement(occurrence: Occurrence, text: str) -> Replacement:
    return Replacement(occurrence.path, occurrence.lines, occurrence.name.token, text)


def _refuse_taken(analysis: Analysis, actions: list[Action], kind: str, new_name: str) -> None:
    """Refuse a new name that another actor (or action) already has: the rename would make a duplicate id.

    Kinds do not clash: an action may share its id with a step or an actor, as ``check`` allows.
    """
    if kind == "actor":
        taken = [(o.path, o.name.token.line) for o in declarations(analysis, new_name)]
    else:
        taken = [(a.span.path, a.span.line) for a in actions if a.id == new_name]
    _refuse(taken, analysis.path, kind, new_name)


def _refuse(taken: list[tuple[str, int]], here: str, kind: str, new_name: str) -> None:
    if taken:
        path, line = taken[0]
        where = f"line {line}" if path == here else f"line {line} of {path}"
        raise RenameError(
            f"'{new_name}' is already the id of the {kind} at {where}; pick another name, or rename that {kind} first"
        )


def _renamed_in_includer(analysis: Analysis, includer: Analysis, old: str, new: str) -> list[Replacement]:
    """The actor's uses in a blueprint that includes its declaration, and the flows whose made ids they change.

    Refused when the blueprint already has an actor ``new`` (declared in it or in another
    file it includes), or cannot be parsed: its uses could not all be found.
    """
    if includer.tree is None:
        raise RenameError(
            f"{includer.path} takes '{old}' from an include and has a syntax error, so the rename cannot find its"
            " uses there; fix that file first"
        )
    covered = covered_files(analysis)  # their declarations were checked in the text being edited
    declared = [o for o in declarations(includer, new) if os.path.realpath(o.path) not in covered]
    _refuse([(o.path, o.name.token.line) for o in declared], analysis.path, "actor", new)
    uses = [
        _replacement(o, new)
        for o in occurrences(includer, "actor", old)
        if o.path == includer.path and o.name.role == "reference"
    ]
    return uses + _flows_followed(includer, _actions(includer.text, includer.path), uses)


def _actions(text: str, path: str) -> list[Action]:
    """The actions of the blueprint in ``text``, in file order, with the ids ``check`` gives them, made ones too.

    From the text itself rather than the analysis, whose blueprint may be the last one that loaded.
    """
    blueprint, _ = resolve(parse_document(as_read(text), path), (), includes_complete=False)
    return list(blueprint.actions()) if blueprint is not None else []


def _action_renamed(analysis: Analysis, actions: list[Action], old: str, new: str) -> list[Replacement]:
    """Where the id is written, the new one; for a made id, an ``as`` with the new one on its action.

    The flows that name the action follow in ``_flows_followed``.
    """
    found = occurrences(analysis, "action", old)
    written = [o for o in found if o.name.role == "definition"]
    if written:
        return [_replacement(o, new) for o in written]
    made = next((a for a in actions if a.id == old), None)
    text_token = _text_token_of(analysis, made) if made is not None else None
    if text_token is not None:
        return [Replacement(analysis.path, analysis.lines, text_token, f" as {new}", after=True)]
    # An id no action has (a misspelt flow end): its occurrences are renamed as they stand.
    return [_replacement(o, new) for o in found]


def _text_token_of(analysis: Analysis, action: Action) -> Token | None:
    """The string token of ``action`` in the syntax tree: its ``as`` goes after it."""
    if analysis.tree is None or action.span.path != analysis.path:
        return None
    for node in analysis.tree.walk():
        first = node.first
        if node.kind == "action" and (first.line, first.column) == (action.span.line, action.span.column):
            text_token = node.children[2]
            return text_token if isinstance(text_token, Token) else None
    return None


def _flows_followed(analysis: Analysis, actions: list[Action], replacements: list[Replacement]) -> list[Replacement]:
    """Flow ends whose action the rename gives another id, rewritten to that id.

    Besides the renamed action itself: a made id comes from its step and actor and is
    numbered past every id before it, so renaming an actor, or writing an id for an
    action, can change the made ids of others (``a_b_c_2`` becomes ``a_b_c``). Each
    action keeps its place in the file, so its ids before and after pair up in order.
    """
    own = [r for r in replacements if r.path == analysis.path]
    before = [a.id for a in actions]
    after = [a.id for a in _actions(_applied(analysis.text, own), analysis.path)]
    if len(before) != len(after):
        # The pairing below needs every action kept: a rename that loses one is not made.
        raise RenameError("the renamed text would not hold the same actions; nothing was renamed")
    new_ids = dict(zip(before, after))
    edited = {r.token for r in own}
    return [
        Replacement(analysis.path, analysis.lines, n.token, new_ids[n.text])
        for n in analysis.names
        if n.kind == "action" and n.role == "reference" and n.token not in edited
        and new_ids.get(n.text, n.text) != n.text
    ]


def _applied(text: str, replacements: list[Replacement]) -> str:
    """``text`` with the replacements (all of them of tokens in it) made."""
    for r in sorted(replacements, key=lambda r: r.token.offset, reverse=True):
        start, end = (r.token.end_offset, r.token.end_offset) if r.after else (r.token.offset, r.token.end_offset)
        text = text[:start] + r.text + text[end:]
    return text

