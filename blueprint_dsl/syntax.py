"""Text to a concrete syntax tree: every token and every comment, with positions.

The second module that knows about Lark (``parser`` is the first). Where ``parser``
builds the model and drops what does not change meaning, this one keeps the words as
written, punctuation and comments included, for the tools that edit text: the
formatter, which must put every comment back, and the language server, which needs
the position of every name, and what the grammar takes at the cursor (``expected``).
Nothing Lark makes leaves this module: trees become ``Node``, tokens become ``Token``,
and what the parser takes next the names of its terminals.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass
from typing import Iterator

import lark
from lark.exceptions import UnexpectedInput

from .grammar import grammar_text, keyword_words
from .text import unquote


@dataclass(frozen=True, slots=True)
class Token:
    """A word of the source: 1-based line and column, end exclusive; offsets into the text."""

    type: str
    text: str
    line: int
    column: int
    end_line: int
    end_column: int
    offset: int
    end_offset: int


@dataclass(frozen=True, slots=True)
class Comment:
    text: str
    line: int
    column: int
    offset: int
    #: True when nothing but whitespace stands before it on its line.
    own_line: bool


@dataclass(frozen=True, slots=True)
class Node:
    """A rule of the grammar (``action``, ``flow``, ``stage``...) with its children in order."""

    kind: str
    children: tuple[Node | Token, ...]

    def tokens(self) -> Iterator[Token]:
        for child in self.children:
            if isinstance(child, Token):
                yield child
            else:
                yield from child.tokens()

    @property
    def first(self) -> Token:
        return next(self.tokens())

    @property
    def last(self) -> Token:
        return list(self.tokens())[-1]

    def nodes(self) -> tuple[Node, ...]:
        return tuple(child for child in self.children if isinstance(child, Node))


@dataclass(frozen=True, slots=True)
class SyntaxTree:
    text: str
    items: tuple[Node, ...]
    comments: tuple[Comment, ...]

    def walk(self) -> Iterator[Node]:
        stack = list(reversed(self.items))
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.nodes()))

    def tokens(self) -> Iterator[Token]:
        for item in self.items:
            yield from item.tokens()


class _CommentSink(threading.local):
    comments: list | None = None


_sink = _CommentSink()


def _collect_comment(token: lark.Token) -> lark.Token:
    if _sink.comments is not None:
        _sink.comments.append(token)
    return token


@functools.cache
def _lark() -> lark.Lark:
    return lark.Lark(
        grammar_text(),
        parser="lalr",
        strict=False,  # the grammar's strictness is checked once, in tests/test_grammar.py
        keep_all_tokens=True,
        maybe_placeholders=False,
        lexer_callbacks={"COMMENT": _collect_comment},
        cache=True,
    )


def parse_syntax(text: str) -> SyntaxTree | None:
    """The concrete tree of a text, or None when it has a syntax error.

    ``parser.parse_document`` says what the error is; this only reports that there is one.
    """
    _sink.comments = []
    try:
        tree = _lark().parse(text)
    except UnexpectedInput:
        return None
    finally:
        found, _sink.comments = _sink.comments, None
    comments = tuple(
        Comment(
            text=str(token).rstrip(),
            line=token.line,
            column=token.column,
            offset=token.start_pos,
            own_line=text[text.rfind("\n", 0, token.start_pos) + 1 : token.start_pos].strip() == "",
        )
        for token in found
    )
    return SyntaxTree(text=text, items=tuple(_node(child) for child in tree.children), comments=comments)


def _node(tree: lark.Tree) -> Node:
    return Node(
        kind=str(tree.data),
        children=tuple(_node(c) if isinstance(c, lark.Tree) else _token(c) for c in tree.children),
    )


def _token(token: lark.Token) -> Token:
    return Token(
        type=token.type,
        text=str(token),
        line=token.line,
        column=token.column,
        end_line=token.end_line,
        end_column=token.end_column,
        offset=token.start_pos,
        end_offset=token.end_pos,
    )


# ---- what the grammar takes next: for completion ------------------------------------


@dataclass(frozen=True, slots=True)
class Expected:
    """What the grammar takes after a text that need not be whole (the text before an editor's cursor)."""

    #: The terminals it takes next: ``NAME``, ``STRING``, ``AS``, ``HEADER_KEY``...
    terminals: frozenset[str]
    #: The types of the tokens read, in order.
    read: tuple[str, ...]


def expected(text: str, opened: str = "") -> Expected | None:
    """What the grammar takes after ``text``, read in the blocks ``opened`` opens (``blueprint "" {``,
    say); None when ``text`` has a syntax error. Only the tokens of ``text`` are in ``read``."""
    parser = _lark().parse_interactive(f"{opened} {text}")
    read = []
    try:
        for token in parser.iter_parse():
            if token.start_pos > len(opened):
                read.append(token.type)
        terminals = parser.accepts()
    except UnexpectedInput:
        return None
    return Expected(terminals=frozenset(terminals), read=tuple(read))


@functools.cache
def terminal_words() -> dict[str, tuple[str, ...]]:
    """The words of each keyword terminal (``AS``: as; ``ACTOR_KIND``: actor, person, ...), in the grammar's order."""
    found = {terminal.name: keyword_words(terminal.pattern) for terminal in _lark().terminals}
    return {name: words for name, words in found.items() if words}


# ---- names: where each actor and action id is declared and used -------------------


@dataclass(frozen=True, slots=True)
class Name:
    """One occurrence of an identifier, and what it names."""

    kind: str  # "actor", "action", "stage" or "step"
    role: str  # "definition" or "reference"
    token: Token
    #: For an action's actor, the action node it opens (hover and generated ids need it).
    node: Node | None = None

    @property
    def text(self) -> str:
        return self.token.text


def names(tree: SyntaxTree) -> list[Name]:
    """Every actor, action, stage and step id in the tree, in source order."""
    found: list[Name] = []
    for node in tree.walk():
        kids = node.children
        if node.kind == "actor":
            found.append(Name("actor", "definition", kids[1]))
        elif node.kind == "action":
            found.append(Name("actor", "reference", kids[0], node))
        elif node.kind == "action_id":
            found.append(Name("action", "definition", kids[1]))
        elif node.kind == "fail_owner":
            found.append(Name("actor", "reference", kids[1]))
        elif node.kind == "flow":
            found.extend(Name("action", "reference", t) for t in kids if isinstance(t, Token) and t.type == "NAME")
        elif node.kind in ("stage", "step") and kids[1].type == "NAME":
            found.append(Name(node.kind, "definition", kids[1]))
    return sorted(found, key=lambda name: name.token.offset)


def includes(tree: SyntaxTree) -> list[tuple[str, Token]]:
    """The path token of every include, with the path it names (its escapes read, as the loader reads them)."""
    return [(unquote(node.children[1].text), node.children[1]) for node in tree.walk() if node.kind == "include"]


def enclosing(tree: SyntaxTree, offset: int, kind: str) -> Node | None:
    """The innermost node of ``kind`` whose text contains ``offset``."""
    best = None
    for node in tree.walk():
        if node.kind == kind and node.first.offset <= offset <= node.last.end_offset:
            best = node
    return best
