"""What the server knows about one open file: its text, model, checker findings and syntax."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..check import check
from ..config import Config, ConfigError, load_config
from ..diagnostics import Diagnostic, Span
from ..loader import LoadResult, loads
from ..model import Action, Actor, Blueprint
from ..reading import normalise_newlines
from ..syntax import Name, SyntaxTree, Token, names, parse_syntax
from .positions import lines_of

if TYPE_CHECKING:
    from ..recovery.shifts import Shifts


@dataclass(slots=True)
class Analysis:
    uri: str
    path: str
    text: str
    lines: list[str]
    result: LoadResult
    diagnostics: list[Diagnostic]
    #: Findings in the files this one includes, by the include (in this file) they come through.
    in_includes: dict[Span, list[Diagnostic]]
    #: The concrete tree of this text; None while it has a syntax error.
    tree: SyntaxTree | None
    #: The last blueprint that loaded, kept for completion while the text is broken.
    blueprint: Blueprint | None
    #: The actor, action, stage and step ids of the text; while it has a syntax error,
    #: those on the lines recovery did not patch (hover, definition and references use
    #: them; rename, which must find every use, does not).
    names: list[Name] = field(default_factory=list)
    #: Why the project's ``[tool.blueprint]`` cannot be used, when it cannot: the rules
    #: then run as they do by default.
    config_problem: str | None = None
    #: The blueprint's actions in this file by the line and column they start at, made
    #: at the first lookup: the outline looks up every action, each in one step.
    _actions_by_start: dict[tuple[int, int], Action] | None = field(default=None, init=False, repr=False)

    def token_at(self, offset: int) -> Token | None:
        """The token under (or just before) the cursor."""
        if self.tree is None:
            return None
        for token in self.tree.tokens():
            if token.offset <= offset <= token.end_offset:
                return token
        return None

    def name_at(self, offset: int) -> Name | None:
        for name in self.names:
            if name.token.offset <= offset <= name.token.end_offset:
                return name
        return None

    def actors(self) -> dict[str, Actor]:
        """Actors by id: the blueprint's (with its includes') or, in a file of shared actors, its own."""
        if self.blueprint is not None:
            return self.blueprint.actor_index()
        return {actor.id: actor for actor in self.result.shared_actors}

    def actions(self) -> dict[str, Action]:
        return self.blueprint.action_index() if self.blueprint is not None else {}

    def action_at_token(self, token: Token) -> Action | None:
        """The model action whose first word is ``token``."""
        if self.blueprint is None:
            return None
        if self._actions_by_start is None:
            self._actions_by_start = {
                (action.span.line, action.span.column): action
                for action in self.blueprint.actions()
                if action.span.path == self.path
            }
        return self._actions_by_start.get((token.line, token.column))

    def source_of(self, path: str) -> str | None:
        return self.text if path == self.path else self.result.sources.get(path)


def analyse(
    uri: str,
    path: str,
    text: str,
    previous: Analysis | None,
    loaded: LoadResult | None = None,
    overlay: Mapping[str, str] | None = None,
) -> Analysis:
    """``text`` checked, parsed for the editor's features, with ``loaded`` if it was loaded already.

    ``overlay`` is the client's open documents by real path: included files are read from there first.
    """
    text = normalise_newlines(text)
    read = as_read(text)
    result = loaded if loaded is not None else loads(read, path, origin=path, overlay=overlay)
    config_problem = None
    try:
        config = load_config(Path(path).parent)
    except ConfigError as error:
        config, config_problem = Config(), str(error)
    diagnostics: list[Diagnostic] = []
    in_includes: dict[Span, list[Diagnostic]] = {}
    for diagnostic in check(result, config):
        if diagnostic.span.path == path:
            diagnostics.append(diagnostic)
        else:
            include = _include_in(path, diagnostic.span.path, result.included_by)
            if include is not None:
                in_includes.setdefault(include, []).append(diagnostic)
    lines = lines_of(text)
    repairs = result.repairs if result.sources.get(path) == read else None
    # A text recovery had to repair does not parse: it is not tried again.
    tree = parse_syntax(read) if repairs is None else None
    if tree is not None:
        found = names(tree)
    elif previous is not None and previous.text == text:
        found = previous.names
    else:
        found = _names_as_written(lines, repairs) if repairs is not None else []
    blueprint = result.blueprint if result.blueprint is not None else (previous.blueprint if previous else None)
    if result.blueprint is None and tree is not None and not tree_has_blueprint(tree):
        blueprint = None
    return Analysis(
        uri=uri,
        path=path,
        text=text,
        lines=lines,
        result=result,
        diagnostics=diagnostics,
        in_includes=in_includes,
        tree=tree,
        blueprint=blueprint,
        names=found,
        config_problem=config_problem,
    )


def as_read(text: str) -> str:
    """A text of the client's, its byte-order mark read as a space.

    The loader leaves the mark out, as it is no part of a file's text; an editor that
    holds it in the buffer's text counts it as a character of the first line. Read as
    a space, which the grammar skips, it keeps every position of the text where the
    editor counts it, and the text reads as it does without it.
    """
    if not text.startswith("\ufeff"):
        return text
    body = text.lstrip("\ufeff")
    return " " * (len(text) - len(body)) + body


def _names_as_written(lines: list[str], repairs: Shifts) -> list[Name]:
    """The names of a text (its ``lines``), which has syntax errors, read from the text recovery repaired it into.

    Only those on lines no repair touched: there each stands where the text has it, at the
    same line and column (its offsets are counted again, as the lines above may have been
    made longer or shorter). A name on a patched line may be the repair's, or stand
    elsewhere in the text: it is left out rather than guessed.
    """
    tree = parse_syntax(repairs.text) if repairs.text is not None else None
    if tree is None:
        return []
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    found = []
    for name in names(tree):
        token = name.token
        if token.line == token.end_line < len(starts) and repairs.as_written(token.line):
            offset = starts[token.line - 1] + token.column - 1
            placed = dataclasses.replace(token, offset=offset, end_offset=offset + len(token.text))
            # The node is the repaired text's, at its offsets.
            found.append(dataclasses.replace(name, token=placed, node=None))
    return found


def _include_in(path: str, other: str, included_by: Mapping[str, Span]) -> Span | None:
    """The include in ``path`` through which the file ``other`` was read, directly or not."""
    seen = set()
    while other in included_by and other not in seen:
        seen.add(other)
        include = included_by[other]
        if include.path == path:
            return include
        other = include.path
    return None


def tree_has_blueprint(tree: SyntaxTree) -> bool:
    return any(node.kind == "blueprint" for node in tree.items)
