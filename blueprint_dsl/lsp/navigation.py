"""Names across files: go to definition, find references, highlight; and the blueprints that take an actor
from a shared file, which its references and its rename (``renaming``) reach.

An actor may be declared in an included file and used in the blueprint; an action id
is declared with ``as`` (or made from its step and actor) and used in flows.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from lsprotocol import types
from pygls.uris import from_fs_path

from ..loader import IncludedFiles
from ..syntax import Name, Token, enclosing, includes, names, parse_syntax
from .document import Analysis
from .drafts import Draft
from .positions import lines_of, to_range, token_range

#: Given an actor id and the files declaring it (real paths), the blueprints that take it from them.
FindIncluders = Callable[[str, frozenset[str]], Sequence[Analysis]]


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


def _location(analysis: Analysis, path: str, lines: list[str], token: Token) -> types.Location:
    """Where ``token`` of ``path`` is: the analysed document by the URI the client gave (which may
    name no file: an unsaved buffer's ``untitled:``), another file by its path."""
    uri = analysis.uri if path == analysis.path else from_fs_path(path) or path
    return types.Location(uri=uri, range=token_range(lines, token))


def definition(analysis: Analysis, offset: int) -> list[types.Location]:
    token = analysis.token_at(offset)
    if token is not None and token.type == "STRING" and analysis.tree is not None:
        for target, path_token in includes(analysis.tree):
            if path_token == token:
                start = types.Position(line=0, character=0)
                uri = from_fs_path(_included_path(analysis.path, target))
                return [types.Location(uri=uri, range=types.Range(start=start, end=start))]
    name = analysis.name_at(offset)
    if name is None:
        return []
    declared = [o for o in occurrences(analysis, name.kind, name.text) if o.name.role == "definition"]
    if declared:
        return [_location(analysis, o.path, o.lines, o.name.token) for o in declared]
    action = analysis.actions().get(name.text) if name.kind == "action" else None
    if action is not None and action.span.path == analysis.path:
        # A generated id: the action itself is its definition.
        return [types.Location(uri=analysis.uri, range=to_range(analysis.lines, action.span))]
    return []


def _included_path(path: str, written: str) -> str:
    """The file an include ``written`` in ``path`` reads, named as the loader names it (as every other
    location names it): beside the file a link to the blueprint leads to, and by the path through the
    blueprint's folder where that leads there too (a folder opened through a link)."""
    files = IncludedFiles({})
    target = files.locate(Path(os.path.realpath(path)).parent / written)
    return os.path.abspath(files.name(target, os.path.normpath(os.path.join(os.path.dirname(path), written))))


def references(
    analysis: Analysis, offset: int, include_declaration: bool, includers: FindIncluders | None = None
) -> list[types.Location]:
    """Where the actor or action id at ``offset`` is declared and used: in this file and those it includes,
    and for an actor taken from a shared file, in the other blueprints that take it from there (``includers``
    finds them), as its rename reaches them."""
    name = analysis.name_at(offset)
    if name is None or name.kind not in ("actor", "action"):
        return []
    found = [
        _location(analysis, o.path, o.lines, o.name.token)
        for o in occurrences(analysis, name.kind, name.text)
        if include_declaration or o.name.role != "definition"
    ]
    reached = including_blueprints(analysis, name.text, includers) if name.kind == "actor" and includers else []
    for includer in reached:
        found.extend(
            types.Location(uri=includer.uri, range=token_range(includer.lines, o.name.token))
            for o in occurrences(includer, "actor", name.text)
            if o.path == includer.path and o.name.role == "reference"
        )
    return found


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


def declarations(analysis: Analysis, actor: str) -> list[Occurrence]:
    return [o for o in occurrences(analysis, "actor", actor) if o.name.role == "definition"]


def covered_files(analysis: Analysis) -> frozenset[str]:
    """The files (real paths) that a rename started in ``analysis`` edits, and its references reach, of
    themselves: the file and what it includes."""
    return frozenset(os.path.realpath(path) for path in (analysis.path, *analysis.result.sources))


def including_blueprints(analysis: Analysis, actor: str, find: FindIncluders) -> list[Analysis]:
    """The other blueprints that take ``actor`` from the file that declares it.

    From a blueprint too, not only from the shared file: the declaration a rename
    changes is the one every blueprint including that file uses.
    """
    declared = frozenset(
        os.path.realpath(o.path) for o in declarations(analysis, actor) if not _in_own_blueprint(analysis, o)
    )
    if not declared:
        return []  # and the workspace is not searched
    covered = covered_files(analysis)
    return [includer for includer in find(actor, declared) if os.path.realpath(includer.path) not in covered]


def _in_own_blueprint(analysis: Analysis, declaration: Occurrence) -> bool:
    """Whether an actor is declared in the blueprint of ``analysis``: its own, as an include skips a blueprint."""
    if declaration.path != analysis.path or analysis.tree is None:
        return False
    return enclosing(analysis.tree, declaration.name.token.offset, "blueprint") is not None
