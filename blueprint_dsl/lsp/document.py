"""What the server knows about one open file: its text, model, checker findings and syntax."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..check import check
from ..config import Config, ConfigError, load_config
from ..diagnostics import Diagnostic, Span
from ..loader import LoadResult, loads
from ..model import Action, Actor, Blueprint
from ..syntax import Name, SyntaxTree, Token, names, parse_syntax
from .positions import lines_of


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
    names: list[Name] = field(default_factory=list)
    #: Why the project's ``[tool.blueprint]`` cannot be used, when it cannot: the rules
    #: then run as they do by default.
    config_problem: str | None = None

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
        for action in self.blueprint.actions():
            if action.span.path == self.path and (action.span.line, action.span.column) == (token.line, token.column):
                return action
        return None

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
    text = text.replace("\r\n", "\n")
    result = loaded if loaded is not None else loads(text, path, origin=path, overlay=overlay)
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
    tree = parse_syntax(text)
    blueprint = result.blueprint if result.blueprint is not None else (previous.blueprint if previous else None)
    if result.blueprint is None and tree is not None and not tree_has_blueprint(tree):
        blueprint = None
    return Analysis(
        uri=uri,
        path=path,
        text=text,
        lines=lines_of(text),
        result=result,
        diagnostics=diagnostics,
        in_includes=in_includes,
        tree=tree,
        blueprint=blueprint,
        names=names(tree) if tree is not None else (previous.names if previous and previous.text == text else []),
        config_problem=config_problem,
    )


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
