"""Names across files: go to definition, find references, rename.

An actor may be declared in an included file and used in the blueprint; an action id
is declared with ``as`` (or generated from its step and actor) and used in flows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lsprotocol import types
from pygls.uris import from_fs_path

from ..syntax import Name, Token, includes, names, parse_syntax
from .document import Analysis
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
    paths = [analysis.path] + [p for p in analysis.result.sources if p != analysis.path] if kind == "actor" else [analysis.path]
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
                path = Path(analysis.path).parent / target
                start = types.Position(line=0, character=0)
                return [types.Location(uri=from_fs_path(str(path.resolve())), range=types.Range(start=start, end=start))]
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


class RenameError(Exception):
    pass


def prepare_rename(analysis: Analysis, offset: int) -> types.Range | None:
    name = analysis.name_at(offset)
    if name is None or name.kind not in ("actor", "action"):
        return None
    return token_range(analysis.lines, name.token)


def rename(analysis: Analysis, offset: int, new_name: str) -> types.WorkspaceEdit | None:
    name = analysis.name_at(offset)
    if name is None or name.kind not in ("actor", "action"):
        return None
    if not IDENTIFIER.fullmatch(new_name):
        raise RenameError(f"'{new_name}' is not an identifier: letters, digits and _, not starting with a digit")
    changes: dict[str, list[types.TextEdit]] = {}

    def replace(path: str, lines: list[str], token: Token, text: str) -> None:
        uri = analysis.uri if path == analysis.path else from_fs_path(path) or path
        changes.setdefault(uri, []).append(types.TextEdit(range=token_range(lines, token), new_text=text))

    for o in occurrences(analysis, name.kind, name.text):
        replace(o.path, o.lines, o.name.token, new_name)
    if name.kind == "actor":
        _rename_generated_ids(analysis, name.text, new_name, replace)
    elif not any(o.name.role == "definition" for o in occurrences(analysis, "action", name.text)):
        _name_generated_action(analysis, name.text, new_name, changes)
    return types.WorkspaceEdit(changes=changes)


def _rename_generated_ids(analysis: Analysis, old: str, new: str, replace) -> None:
    """Flows that name an action of the renamed actor by its generated id follow the rename."""
    for action in analysis.actions().values():
        if action.explicit_id or action.actor != old:
            continue
        prefix = f"{action.step}_{old}"
        renamed = f"{action.step}_{new}" + action.id[len(prefix) :]
        for o in occurrences(analysis, "action", action.id):
            replace(o.path, o.lines, o.name.token, renamed)


def _name_generated_action(analysis: Analysis, old: str, new: str, changes: dict[str, list[types.TextEdit]]) -> None:
    """Renaming a generated id gives the action an explicit ``as`` with the new name."""
    action = analysis.actions().get(old)
    if action is None or action.span.path != analysis.path or analysis.tree is None:
        return
    for node in analysis.tree.walk():
        first = node.first
        if node.kind == "action" and (first.line, first.column) == (action.span.line, action.span.column):
            text_token = node.children[2]
            assert isinstance(text_token, Token)
            end = token_range(analysis.lines, text_token).end
            edit = types.TextEdit(range=types.Range(start=end, end=end), new_text=f" as {new}")
            changes.setdefault(analysis.uri, []).append(edit)
            return
