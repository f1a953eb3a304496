"""The standalone parser's lexer: Lark's contextual lexer, in one pass over the text.

Lark's lexer for an LALR parser tries, at each token, the terminals that the parser's
state can take next, each state with a regular expression of its own: a run compiles
some thirty of them at its first parse, and each token costs several Python calls.
Here one expression holds every terminal but the keywords, in the order Lark tries
them, and a word is told apart as Lark tells it: the first of its keyword terminals
that the state can take, else a name.

Whenever a token found so is one the state can take, Lark's lexer would have found the
same. Otherwise (a word the state takes neither as a keyword nor as a name, a string
where none may stand, a character no terminal matches) Lark might still read the text
another way, by a keyword's first letters say, so ``Undecided`` is raised and Lark's
own lexer reads it all again. Valid blueprints never get there; tests/test_grammar.py
checks both.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator
from typing import Any

from ._lark_standalone import Lexer, LexerConf, LexerState, Token
from .grammar import keyword_words

#: The grammar's terminal for identifiers, which every keyword also matches.
NAME = "NAME"


class Undecided(Exception):
    """The one-pass lexer cannot tell how Lark's contextual lexer would go on."""


class OnePassLexer(Lexer):
    """Given to the standalone parser as its ``ContextualLexer``, built with the same arguments."""

    def __init__(self, conf: LexerConf, states: dict[int, Collection[str]], always_accept: Collection[str] = ()):
        self.accepts = {state: frozenset(names) | frozenset(always_accept) for state, names in states.items()}
        self.ignore = frozenset(conf.ignore)
        self.keywords: dict[str, tuple[str, ...]] = {}
        others = []
        name = conf.terminals_by_name[NAME]
        is_name = re.compile(name.pattern.to_regexp()).fullmatch
        # Lark's order, as its BasicLexer sorts the terminals of each state (kept in step
        # with Lark's: tests/test_grammar.py compares the two lexers).
        for terminal in sorted(conf.terminals, key=lark_order):
            pattern = terminal.pattern
            words = (pattern.value,) if pattern.type == "str" and is_name(pattern.value) else keyword_words(pattern)
            if not words:
                others.append(terminal)
                continue
            # Lark folds a keyword string into NAME only at NAME's priority (at another, it
            # would match the first letters of a longer word), and tries a pattern of whole
            # words before NAME only above it: else it reads a word otherwise than here.
            if pattern.type == "str":
                misread = terminal.priority != name.priority
            else:
                misread = terminal.priority <= name.priority
            if misread:
                raise ValueError(f"keyword terminal {terminal.name}: its priority makes Lark read it otherwise")
            for word in words:
                self.keywords[word] = self.keywords.get(word, ()) + (terminal.name,)
        self.expression = one_expression(others, conf.g_regex_flags)

    def lex(self, lexer_state: LexerState, parser_state: Any) -> Iterator[Token]:
        """Lark's tokens for the text, found as the parser takes them (``parser_state`` moves on
        between two), with the positions Lark's line counter gives."""
        text, end = lexer_state.text.text, lexer_state.text.end
        counter = lexer_state.line_ctr
        pos, line, line_start = counter.char_pos, counter.line, counter.line_start_pos
        match, accepts, keywords, ignore = self.expression.match, self.accepts, self.keywords, self.ignore
        while pos < end:
            found = match(text, pos, end)
            if found is None:
                raise Undecided
            kind, value, stop = found.lastgroup, found.group(), found.end()
            newlines = value.count("\n")
            end_line_start = pos + value.rindex("\n") + 1 if newlines else line_start
            if kind not in ignore:
                accepted = accepts[parser_state.position]
                if kind == NAME and value in keywords:
                    kind = next((keyword for keyword in keywords[value] if keyword in accepted), NAME)
                if kind not in accepted:
                    raise Undecided
                yield Token(kind, value, pos, line, pos - line_start + 1,
                            line + newlines, stop - end_line_start + 1, stop)
            pos, line, line_start = stop, line + newlines, end_line_start


def one_expression(terminals: Iterable[Any], flags: int) -> re.Pattern[str]:
    """``terminals`` as one expression, each a group named for it, tried in the order given."""
    return re.compile("|".join(f"(?P<{terminal.name}>{terminal.pattern.to_regexp()})" for terminal in terminals), flags)


def lark_order(terminal: Any) -> tuple:
    """The key by which Lark's BasicLexer sorts the terminals it tries."""
    pattern = terminal.pattern
    return -terminal.priority, -pattern.max_width, -len(pattern.value), terminal.name
