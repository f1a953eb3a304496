"""What the server knows about one open file: its text, model, checker findings and syntax."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..check import check
from ..config import Config, ConfigError, load_config
from ..diagnostics import Diagnostic
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
    #: The concrete tree of this text; None while it has a syntax error.
    tree: SyntaxTree | None
    #: The last blueprint that loaded, kept for completion while the text is broken.
    blueprint: Blueprint | None
    names: list[Name] = field(default_factory=list)

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
        return {}

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


def analyse(uri: str, path: str, text: str, previous: Analysis | None) -> Analysis:
    text = text.replace("\r\n", "\n")
    result = loads(text, path, origin=path)
    try:
        config = load_config(Path(path).parent)
    except ConfigError:
        config = Config()
    diagnostics = [d for d in check(result, config) if d.span.path == path]
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
        tree=tree,
        blueprint=blueprint,
        names=names(tree) if tree is not None else (previous.names if previous and previous.text == text else []),
    )


def tree_has_blueprint(tree: SyntaxTree) -> bool:
    return any(node.kind == "blueprint" for node in tree.items)
