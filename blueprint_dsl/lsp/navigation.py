"""Names across files: go to definition, find references, rename.

An actor may be declared in an included file and used in the blueprint; an action id
is declared with ``as`` (or made from its step and actor) and used in flows. A rename
never gives two actors, or two actions, one id, and keeps every flow joining the
actions it joined. Renaming an actor declared in a shared file reaches every blueprint
that takes it from there, not only the one the rename started in.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from lsprotocol import types
from pygls.uris import from_fs_path

from ..grammar import keywords
from ..model import Action
from ..parser import parse_document
from ..resolve import resolve
from ..syntax import Name, Token, enclosing, includes, names, parse_syntax
from .document import Analysis
from .drafts import Draft
from .positions import lines_of, to_range, token_range

IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True, slots=True)
class Occurrence:
    path: str
    lines: list[str]
    name: Name


def _file_names(analysis: Analysis, path: str) -> tuple[list[str], list[Name]]:
    if path == analysis.path:
        return analysis.lines, analysis.names
    text = analysis.source_of(path)
    tree = parse_syntax(text) if text is not None else None
    if tree is None:
        return [], []
    return lines_of(text), names(tree)


def occurrences(analysis: Analysis, kind: str, text: str) -> list[Occurrence]:
    """Every occurrence of an actor or action id in the file and the files it includes."""
    paths = [analysis.path]
    if kind == "actor":
        paths += [p for p in analysis.result.sources if p != analysis.path]
    found = []
    for path in paths:
        lines, file_names = _file_names(analysis, path)
        found.extend(Occurrence(path, lines, n) for n in file_names if n.kind == kind and n.text == text)
    return found


def _location(path: str, lines: list[str], token: Token) -> types.Location:
    return types.Location(uri=from_fs_path(path) or path, range=token_range(lines, token))


def definition(analysis: Analysis, offset: int) -> list[types.Location]:
    token = analysis.token_at(offset)
    if token is not None and token.type == "STRING" and analysis.tree is not None:
        for target, path_token in includes(analysis.tree):
            if path_token == token:
                # Beside the file a link to the blueprint leads to, as the loader reads it.
                path = Path(os.path.realpath(analysis.path)).parent / target
                start = types.Position(line=0, character=0)
                uri = from_fs_path(os.path.realpath(path))
                return [types.Location(uri=uri, range=types.Range(start=start, end=start))]
    name = analysis.name_at(offset)
    if name is None:
        return []
    declared = [o for o in occurrences(analysis, name.kind, name.text) if o.name.role == "definition"]
    if declared:
        return [_location(o.path, o.lines, o.name.token) for o in declared]
    action = analysis.actions().get(name.text) if name.kind == "action" else None
    if action is not None and action.span.path == analysis.path:
        # A generated id: the action itself is its definition.
        return [types.Location(uri=analysis.uri, range=to_range(analysis.lines, action.span))]
    return []


def references(analysis: Analysis, offset: int, include_declaration: bool) -> list[types.Location]:
    name = analysis.name_at(offset)
    if name is None or name.kind not in ("actor", "action"):
        return []
    return [
        _location(o.path, o.lines, o.name.token)
        for o in occurrences(analysis, name.kind, name.text)
        if include_declaration or o.name.role != "definition"
    ]


def highlights(draft: Draft, offset: int) -> list[types.DocumentHighlight]:
    """The actor or action id at ``offset`` wherever this file names it: where it is
    declared (written), and where it is used (read). From the ids of the last check,
    where they stand in the text now: those the edits since touched are left out."""
    name = draft.name_at(offset)
    if name is None or name.kind not in ("actor", "action"):
        return []
    found = []
    for other in draft.analysis.names:
        moved = draft.moved(other.token) if other.kind == name.kind and other.text == name.text else None
        if moved is not None:
            kind = types.DocumentHighlightKind.Write if other.role == "definition" else types.DocumentHighlightKind.Read
            found.append(types.DocumentHighlight(range=token_range(draft.lines, moved), kind=kind))
    return found


#: Given an actor id and the files declaring it (real paths), the blueprints that take it from them.
FindIncluders = Callable[[str, frozenset[str]], Sequence[Analysis]]


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
    reached = _includers(analysis, name.text, includers) if name.kind == "actor" and includers is not None else []
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
        taken = [(o.path, o.name.token.line) for o in _declarations(analysis, new_name)]
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


def _declarations(analysis: Analysis, actor: str) -> list[Occurrence]:
    return [o for o in occurrences(analysis, "actor", actor) if o.name.role == "definition"]


def _covered(analysis: Analysis) -> frozenset[str]:
    """The files (real paths) a rename started in ``analysis`` edits itself: the file and what it includes."""
    return frozenset(os.path.realpath(path) for path in (analysis.path, *analysis.result.sources))


def _includers(analysis: Analysis, actor: str, find: FindIncluders) -> list[Analysis]:
    """The other blueprints that take ``actor`` from the file that declares it.

    From a blueprint too, not only from the shared file: the declaration the rename
    changes is the one every blueprint including that file uses.
    """
    declared = frozenset(
        os.path.realpath(o.path) for o in _declarations(analysis, actor) if not _in_own_blueprint(analysis, o)
    )
    if not declared:
        return []  # and the workspace is not searched
    covered = _covered(analysis)
    return [includer for includer in find(actor, declared) if os.path.realpath(includer.path) not in covered]


def _in_own_blueprint(analysis: Analysis, declaration: Occurrence) -> bool:
    """Whether an actor is declared in the blueprint of ``analysis``: its own, as an include skips a blueprint."""
    if declaration.path != analysis.path or analysis.tree is None:
        return False
    return enclosing(analysis.tree, declaration.name.token.offset, "blueprint") is not None


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
    covered = _covered(analysis)  # their declarations were checked in the text being edited
    declared = [o for o in _declarations(includer, new) if os.path.realpath(o.path) not in covered]
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
    blueprint, _ = resolve(parse_document(text.lstrip("\ufeff"), path), (), includes_complete=False)
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
