"""The grammar and the Lark parsers built from it, shared by the parser modules.

A valid file is parsed by the standalone module generated from the grammar
(``_lark_standalone``, written by ``make parser``), which loads in half the time of
Lark itself, with the one-pass lexer of ``lexer``. Lark proper is imported only to
explain a syntax error (``recovery``) and to keep the layout for the formatter
(``syntax``). Nothing either parser makes leaves the parser modules.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    import lark


#: A string literal, triple-quoted or not, up to its closing quotes, and a comment, as the
#: grammar's STRING and COMMENT read them (tests/test_grammar.py holds them equal), for
#: the scanners that look at a text outside the parser: its noqa comments, and where an
#: editor's cursor stands in a string still being typed.
TRIPLE_QUOTED = r'"""(?:[^"\\]|\\[\s\S]|"(?!""))*'
QUOTED = r'"(?:[^"\\\n]|\\.)*'
COMMENT = r"#[^\n]*"
#: What the lexer reads as a string and as a comment (``STRING`` and ``COMMENT`` in
#: grammar/blueprint.lark): a '#' inside a string, on any of its lines, starts no comment.
#: A string never closed (a syntax error) runs to the end of its line, or of the text for
#: a triple-quoted one: every '"' starts a match, so the search never reads a line again
#: from each of its quotes, which took quadratic time.
STRING_OR_COMMENT = re.compile(rf'{TRIPLE_QUOTED}(?:"""|\\?\Z)|{QUOTED}(?:"|\\?$)|{COMMENT}', re.MULTILINE)


def grammar_text() -> str:
    """The grammar, from the installed package or from a source checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "grammar" / "blueprint.lark"
    source = packaged if packaged.is_file() else here.parent / "grammar" / "blueprint.lark"
    return source.read_text(encoding="utf-8")


def parse(text: str) -> lark.Tree | None:
    """The parse tree of ``text``, or None when it has a syntax error, which
    ``recovery`` then explains with the full Lark parser."""
    from ._lark_standalone import UnexpectedInput
    from .lexer import Undecided

    try:
        try:
            return _standalone(one_pass=True).parse(text)
        except Undecided:  # a text that is all but certainly wrong: Lark's own lexer decides
            return _standalone(one_pass=False).parse(text)
    except UnexpectedInput:
        return None


@functools.cache
def _standalone(one_pass: bool):
    """The standalone parser, with the one-pass lexer (``lexer``) or Lark's contextual lexer."""
    from ._lark_standalone import Lark_StandAlone

    if not one_pass:
        return Lark_StandAlone()
    from .lexer import OnePassLexer

    # The plug-in option through which Lark takes the classes it builds from elsewhere.
    return Lark_StandAlone(_plugins={"ContextualLexer": OnePassLexer})


@functools.cache
def lalr(strict: bool = False) -> lark.Lark:
    """The LALR parser of the grammar.

    ``strict=True`` makes Lark refuse any shift/reduce conflict or terminal collision;
    tests/test_grammar.py builds it so, and the grammar must pass. A run of the tool
    then builds the same tables without repeating the check, which needs the
    interegular package and costs a tenth of a ``check``'s start-up.
    """
    import lark

    return lark.Lark(
        grammar_text(),
        parser="lalr",
        strict=strict,
        # Spans are taken from the first and last token of a subtree instead: the
        # same positions at half the parse time on large files.
        propagate_positions=False,
        maybe_placeholders=False,
        cache=True,
    )


@functools.cache
def keywords() -> frozenset[str]:
    """Every keyword of the language, read off the grammar's terminals."""
    return keywords_of(terminal.name for terminal in lalr().terminals)


def keywords_of(terminals: Iterable[str]) -> frozenset[str]:
    """The keywords among the named terminals (``STEP``, ``HEADER_KEY``, ...)."""
    words = set()
    for name in terminals:
        try:
            pattern = lalr().get_terminal(name).pattern
        except KeyError:
            continue  # $END
        words.update(keyword_words(pattern))
    return frozenset(words)


def keyword_words(pattern: lark.lexer.Pattern) -> tuple[str, ...]:
    """The words of a keyword terminal's pattern, Lark's or the standalone module's
    (``"step"``, or words that end where a name would: ``/(?:actor|role)(?![A-Za-z0-9_])/``),
    or none for another terminal."""
    if pattern.type == "str" and pattern.value.isalpha():
        return (pattern.value,)
    if pattern.type == "re" and (match := _WHOLE_WORDS.fullmatch(pattern.value)):
        return tuple((match["words"] or match["word"]).split("|"))
    return ()


#: Keywords that end where a name would, as the grammar writes them; ``LOOP``'s one word has no group.
_WHOLE_WORDS = re.compile(r"(?:\(\?:(?P<words>[a-z|]+)\)|(?P<word>[a-z]+))\(\?!\[A-Za-z0-9_\]\)")
