"""Syntax errors: friendly messages, and recovery so that one run reports several.

On an error the offending line is patched and the text parsed again; patches keep
every other line where it was, so later errors keep their positions.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import lark
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from . import codes
from .diagnostics import Diagnostic, Span
from .grammar import keywords, keywords_of, lalr
from .model import ACTOR_LANES, LANE_NAMES, ActorKind
from .text import TOO_LONG, parse_duration, quote, slug, unquote

# Beyond this many syntax errors a file is too broken for more to help.
MAX_SYNTAX_ERRORS = 20
# Re-parsing to recover costs a parse per error; past this size, report the first only.
RECOVERY_SIZE_LIMIT = 1_000_000


def parse_recovering(text: str, path: str) -> tuple[lark.Tree | None, list[Diagnostic]]:
    """Parse, and on an error patch the offending line and parse again.

    Patches keep every other line where it was, so later errors keep their positions:
    a misspelt keyword is replaced by its nearest keyword, an unterminated string is
    closed, a bad character becomes a space, a missing token is inserted or one too
    many removed, a name left alone is removed (or quoted, where it was text), any
    other broken statement is blanked, and missing closing braces are added at the end.
    """
    diagnostics: list[Diagnostic] = []
    blanked: set[int] = set()
    while True:
        try:
            return lalr().parse(text), diagnostics
        except UnexpectedInput as error:
            diagnostic, patched = _explain(error, text, path, blanked)
            if not diagnostics or diagnostic != diagnostics[-1]:
                diagnostics.append(diagnostic)
            if patched is None or len(diagnostics) >= MAX_SYNTAX_ERRORS or len(text) > RECOVERY_SIZE_LIMIT:
                return None, diagnostics
            text = patched


def _explain(error: UnexpectedInput, text: str, path: str, blanked: set[int]) -> tuple[Diagnostic, str | None]:
    lines = text.split("\n")
    if isinstance(error, UnexpectedCharacters):
        return _explain_character(error, lines, path)
    assert isinstance(error, (UnexpectedToken, UnexpectedEOF))
    token = getattr(error, "token", None)
    if token is None or token.type == "$END":
        return _explain_end(text, path)
    return _explain_token(error, token, lines, path, blanked)


def _explain_character(error: UnexpectedCharacters, lines: list[str], path: str) -> tuple[Diagnostic, str | None]:
    flow = re.search(r"(\w+)\s*<-(?!>)\s*(\w+)", lines[error.line - 1])
    if flow is not None and flow.end(1) <= error.column - 1 < flow.start(2):
        # give_back <- collect_bike: a flow written backwards.
        arrow = lines[error.line - 1].index("<-", flow.end(1))
        diagnostic = codes.UNEXPECTED_CHARACTER.at(
            Span.point(path, error.line, arrow + 1, 2),
            "'<-' is not an arrow: flows point from the first name to the next",
            f"write {flow.group(2)} -> {flow.group(1)}",
        )
        source_line = lines[error.line - 1]
        lines[error.line - 1] = source_line[:arrow] + "->" + source_line[arrow + 2 :]
        return diagnostic, "\n".join(lines)
    allowed = set(error.allowed or ())
    dangling = _dangling_name(error, allowed, lines)
    if dangling is not None:  # actor c customer Walk-in guest: the '-' is part of a label
        return _explain_dangling(dangling, allowed, lines, path)
    line, column = error.line, error.column
    source_line = lines[line - 1]
    char = source_line[column - 1] if column - 1 < len(source_line) else "\n"
    if char == '"' and source_line[max(0, column - 3) : column] == '"""':
        # The two quotes before were read as an empty string: the text from here on is
        # one unclosed multi-line string, so nothing after it can be read.
        return codes.UNTERMINATED_STRING.at(
            Span.point(path, line, column - 2, 3),
            'this multi-line string has no closing """',
            'end it with """ after its last line',
        ), None
    if char == '"':
        opening = re.search(r"\s*\{\s*$", source_line[column:])
        if opening is not None:
            # stage drop "Drop-off {: the string ends before the brace that opens the block.
            end = column + opening.start()
            diagnostic = codes.UNTERMINATED_STRING.at(
                Span(path=path, line=line, column=column, end_line=line, end_column=end + 1),
                "this string has no closing quote",
                f'end it before the brace: {source_line[column - 1 : end]}" {{',
            )
            lines[line - 1] = source_line[:end] + '"' + source_line[end:]
            return diagnostic, "\n".join(lines)
        diagnostic = codes.UNTERMINATED_STRING.at(
            Span(path=path, line=line, column=column, end_line=line, end_column=len(source_line) + 1),
            "this string has no closing quote",
            'end it with " on the same line, or use """ for text over several lines',
        )
        lines[line - 1] = source_line + '"'
        return diagnostic, "\n".join(lines)
    if char in "0123456789":  # not isdigit(), which is true of "²" too
        number = re.match(r"[0-9]+(?:\.[0-9]+)?", source_line[column - 1 :]).group(0)
        before = re.search(r"(\w+)\s*$", source_line[: column - 1])
        if before and before.group(1) in ("takes", "wait", "tolerance"):
            end = column - 1 + len(number)
            if parse_duration(number + "ms")[1] == TOO_LONG:
                # Too long in any unit: read as 0s of the same width, so the columns after
                # it stay right and the repair is not reported again as too long.
                diagnostic = codes.INVALID_DURATION.at(
                    Span.point(path, line, column, len(number)),
                    f"'{number[:12]}…' has no unit, and is longer than 100 years in any unit",
                    "a duration is at most 100 years (36525d): write how long it really takes, such as 5min",
                )
                lines[line - 1] = source_line[: column - 1] + "0" * len(number) + "s" + source_line[end:]
                return diagnostic, "\n".join(lines)
            spaced = re.match(r"(\s+)([A-Za-z]+)\b", source_line[end:])
            unit = _UNIT_WORDS.get(spaced.group(2).lower()) if spaced else None
            if unit is not None:
                written = number + spaced.group(0)
                diagnostic = codes.INVALID_DURATION.at(
                    Span.point(path, line, column, len(written)),
                    f"'{written}' is not a duration",
                    f"write {number}{unit}",
                )
                lines[line - 1] = source_line[: column - 1] + (number + unit).ljust(len(written)) + source_line[
                    column - 1 + len(written) :
                ]
                return diagnostic, "\n".join(lines)
            if spaced and parse_duration(number + spaced.group(2))[1] is None:
                # 5 min: the unit is there, after a space. Joined, with the space moved behind it.
                written = number + spaced.group(0)
                diagnostic = codes.INVALID_DURATION.at(
                    Span.point(path, line, column, len(written)),
                    f"'{written}' has a space between the number and its unit",
                    f"write {number}{spaced.group(2)}, without the space",
                )
                joined = number + spaced.group(2) + spaced.group(1)
                lines[line - 1] = source_line[: column - 1] + joined + source_line[column - 1 + len(written) :]
                return diagnostic, "\n".join(lines)
            diagnostic = codes.INVALID_DURATION.at(
                Span.point(path, line, column, len(number)),
                f"'{number}' has no unit",
                f"write the unit after the number, such as {number}min or {number}s",
            )
            lines[line - 1] = source_line[:end] + "s" + source_line[end:]
            return diagnostic, "\n".join(lines)
        if not (before and before.end(1) == column - 1):
            # A bare number such as a version: read it as the text it probably is.
            diagnostic = codes.UNEXPECTED_CHARACTER.at(
                Span.point(path, line, column, len(number)),
                f"unexpected number {number}",
                f'text is written in double quotes: "{number}"',
            )
            end = column - 1 + len(number)
            lines[line - 1] = source_line[: column - 1] + f'"{number}"' + source_line[end:]
            return diagnostic, "\n".join(lines)
    pair = source_line[column - 1 : column + 1]
    rest = source_line[column:]
    after_word = column > 1 and (source_line[column - 2].isalnum() or source_line[column - 2] == "_")
    in_word = after_word and rest[:1].isalnum()
    if char == "-" and in_word:
        # front-stage, drop-off: a name with a hyphen, reported as the whole word.
        word = re.search(r"[\w-]+$", source_line[:column]).group(0) + re.match(r"[\w-]*", rest).group(0)
        start = column - len(re.search(r"[\w-]+$", source_line[: column - 1]).group(0))
        diagnostic = codes.UNEXPECTED_CHARACTER.at(
            Span.point(path, line, start, len(word)),
            f"'{word}' holds a '-', which names cannot",
            f"names are letters, digits and _: write {word.replace('-', '_')}",
        )
        lines[line - 1] = source_line[: column - 1] + "_" + rest
        return diagnostic, "\n".join(lines)
    hint = _character_hint(char, pair)
    shown = repr(char)[1:-1] if not char.isprintable() else char
    diagnostic = codes.UNEXPECTED_CHARACTER.at(Span.point(path, line, column), f"unexpected character '{shown}'", hint)
    closing = _CLOSING_QUOTES.get(char)
    if closing is not None and closing in rest:
        # 'text' or “text”: read it as the string it was meant to be.
        end = column + rest.index(closing)
        lines[line - 1] = source_line[: column - 1] + '"' + source_line[column:end] + '"' + source_line[end + 1 :]
    elif pair == "=>":
        lines[line - 1] = source_line[: column - 1] + "->" + rest[1:]
    elif pair == "//":
        lines[line - 1] = source_line[: column - 1] + "#" + rest
    elif in_word:
        # Inside a word (ticket$1): read it as one identifier.
        lines[line - 1] = source_line[: column - 1] + "_" + rest
    else:
        lines[line - 1] = source_line[: column - 1] + " " + rest
    return diagnostic, "\n".join(lines)


# Units written out in words, as the unit the language writes for each.
_UNIT_WORDS = {
    "milliseconds": "ms", "millisecond": "ms", "seconds": "s", "second": "s", "secs": "s",
    "minutes": "min", "minute": "min", "mins": "min", "hours": "h", "hour": "h", "hrs": "h",
    "days": "d", "day": "d",
}

_CLOSING_QUOTES = {"'": "'", "\u2018": "\u2019", "\u201c": "\u201d", "\u2019": "\u2019", "\u201d": "\u201d"}


def _character_hint(char: str, pair: str) -> str | None:
    if pair in ("=>", "<-") or char == "-":
        return "flows are written a -> b (one-way) or a <-> b (two-way)"
    if char in "'\u2018\u2019\u201c\u201d":
        return 'strings are written in straight double quotes: "like this"'
    if char == "/":
        return "comments start with #"
    return None


def _explain_end(text: str, path: str) -> tuple[Diagnostic, str | None]:
    unclosed = _unclosed_braces(text)
    if unclosed:
        line, column = unclosed[-1]
        diagnostic = codes.UNCLOSED_BLOCK.at(
            Span.point(path, line, column),
            "this block is never closed",
            "add the missing '}'" if len(unclosed) == 1 else f"add the {len(unclosed)} missing '}}'",
        )
        return diagnostic, text + "\n" + "}" * len(unclosed)
    line = text.count("\n") + 1
    column = len(text) - (text.rfind("\n") + 1) + 1
    diagnostic = codes.SYNTAX_ERROR.at(Span.point(path, line, column), "the file ends in the middle of a statement")
    return diagnostic, None


def _unclosed_braces(text: str) -> list[tuple[int, int]]:
    """Positions of the `{` left open at the end of the text (or at a character that
    cannot be read), outermost first."""
    stack: list[tuple[int, int]] = []
    try:
        for token in lalr().lex(text, dont_ignore=False):
            if token.type == "LBRACE":
                stack.append((token.line, token.column))
            elif token.type == "RBRACE" and stack:
                stack.pop()
    except UnexpectedInput:
        pass  # a bad character further on, reported when the parse gets there
    return stack


def _surplus_brace(
    text: str, braces: list[tuple[lark.Token, int | None]], error_position: int
) -> tuple[lark.Token, int] | None:
    """In a text with more '}' than '{', the one too many and the line of the block it closes.

    The layout tells which it is: a '}' before the error, first on its line, out of line
    with the line that opened the block it closes, such that without it every such '}'
    lines up and the text parses past the error. In a file laid out some other way this
    finds nothing, and the error is explained where it was found.
    """
    candidate = next(
        (
            (brace, opened)
            for brace, opened in _out_of_line(text, braces)
            if opened is not None and brace.start_pos < error_position
        ),
        None,
    )
    if candidate is None:
        return None
    brace = candidate[0]
    fixed = text[: brace.start_pos] + " " + text[brace.end_pos :]
    fixed_braces = _closing_braces(fixed)
    if fixed_braces is None or _out_of_line(fixed, fixed_braces):
        return None
    try:
        lalr().parse(fixed)
    except UnexpectedInput as error:
        position = getattr(error, "pos_in_stream", None)
        if position is None or position <= error_position:
            return None
    return candidate


def _brace_before(text: str, braces: list[tuple[lark.Token, int | None]], token: lark.Token) -> lark.Token | None:
    """The last '}' before ``token``, if without it the text parses past the token's line.

    Where the layout cannot tell which '}' is one too many, this is the one that closed
    the block ``token`` belongs in.
    """
    before = [brace for brace, opened in braces if opened is not None and brace.end_pos <= token.start_pos]
    if not before:
        return None
    brace = before[-1]
    return brace if _parses_past(text[: brace.start_pos] + " " + text[brace.end_pos :], token.end_line) else None


def _closing_braces(text: str) -> list[tuple[lark.Token, int | None]] | None:
    """Each '}' with the line of the '{' it closes (None: it closes nothing); None if the text cannot be lexed."""
    open_lines: list[int] = []
    braces: list[tuple[lark.Token, int | None]] = []
    try:
        for token in lalr().lex(text, dont_ignore=False):
            if token.type == "LBRACE":
                open_lines.append(token.line)
            elif token.type == "RBRACE":
                braces.append((token, open_lines.pop() if open_lines else None))
    except UnexpectedInput:
        return None  # a bad character further on
    return braces


def _out_of_line(text: str, braces: list[tuple[lark.Token, int | None]]) -> list[tuple[lark.Token, int | None]]:
    """The braces first on their line that are not indented as the line that opened their block."""
    indents = [len(line) - len(line.lstrip()) for line in text.split("\n")]
    return [
        (brace, opened)
        for brace, opened in braces
        if brace.column - 1 == indents[brace.line - 1] and (opened is None or indents[opened - 1] != brace.column - 1)
    ]


def _explain_token(
    error: UnexpectedInput, token: lark.Token, lines: list[str], path: str, blanked: set[int]
) -> tuple[Diagnostic, str | None]:
    line = token.line
    source_line = lines[line - 1]
    token = _whole_word(token, source_line)
    expected = set(getattr(error, "expected", ()) or ())
    span = Span(
        path=path,
        line=line,
        column=token.column,
        end_line=token.end_line,
        end_column=token.end_column if token.end_line == line else len(source_line) + 1,
    )

    mistake = _Mistake.of(error, token, lines, path, expected)
    known = _explain_known_mistake(mistake)
    if known is not None:
        return known
    misspelt = _misspelt_keyword(token, source_line, expected)
    if misspelt is not None:
        word, column, keyword = misspelt
        diagnostic = codes.UNKNOWN_KEYWORD.at(
            Span.point(path, line, column, len(word)), f"'{word}' is not a keyword", f"did you mean '{keyword}'?"
        )
        lines[line - 1] = source_line[: column - 1] + keyword + source_line[column - 1 + len(word) :]
        return diagnostic, "\n".join(lines)
    dangling = _dangling_name(error, expected, lines)
    if dangling is not None:
        return _explain_dangling(dangling, expected, lines, path)

    text = "\n".join(lines)
    braces = _closing_braces(text)
    # More '}' than '{': then one of them closes no block.
    too_many = braces is not None and any(opened is None for _, opened in braces)
    surplus = _surplus_brace(text, braces, token.start_pos) if too_many else None
    if surplus is not None:
        brace, opened = surplus
        diagnostic = codes.SYNTAX_ERROR.at(
            Span.point(path, brace.line, brace.column),
            f"one '}}' too many: this one is out of line with the block it closes, opened on line {opened}",
            "remove it",
        )
        return diagnostic, text[: brace.start_pos] + " " + text[brace.end_pos :]
    if token.type == "RBRACE" and not _unclosed_braces(text[: token.start_pos]):
        diagnostic = codes.SYNTAX_ERROR.at(span, "this '}' closes no block", "remove it, or open the block it closes")
        return diagnostic, text[: token.start_pos] + " " + text[token.end_pos :]
    early_close = _brace_before(text, braces, token) if too_many else None
    # A '}' is missing only where the text opens more blocks than it closes; otherwise
    # one inserted would close a block early, and what follows would read as misplaced.
    missing_brace = not too_many and bool(_unclosed_braces(text))
    outside = None if too_many else _action_outside_step(mistake)
    if outside is not None:
        return outside
    found = _describe_token(token)
    wanted = _describe_expected(expected)
    message = f"unexpected {found}" + (f", expected {wanted}" if wanted else "")
    words = _unquoted_words(token, expected, lines)
    diagnostic = codes.SYNTAX_ERROR.at(
        span, message, _token_hint(token, expected, source_line, words, too_many, missing_brace, early_close)
    )
    if early_close is not None:
        return diagnostic, text[: early_close.start_pos] + " " + text[early_close.end_pos :]

    if words is not None:
        # Text written without quotes: read the rest of the line as the string it was meant to be.
        end = token.column - 1 + len(words)
        lines[line - 1] = source_line[: token.column - 1] + quote(words) + source_line[end:]
        return diagnostic, "\n".join(lines)
    repaired = _insert_missing(text, token, expected if missing_brace else expected - {"RBRACE"})
    if repaired is not None:
        return diagnostic, repaired
    repaired = _delete_extra(text, token)
    if repaired is not None:
        return codes.SYNTAX_ERROR.at(span, message, diagnostic.hint or "remove it"), repaired
    if line in blanked:
        return diagnostic, None
    blanked.add(line)
    # Keep the braces so that the blocks around the broken statement stay whole.
    lines[line - 1] = re.sub(r"[^{}]", " ", source_line)
    return diagnostic, "\n".join(lines)


def _whole_word(token: lark.Token, source_line: str) -> lark.Token:
    """The token as the whole word it starts.

    Where no name is allowed, the lexer reads a keyword off the front of a longer word
    (``as`` of ``ask``); the mistake is the word.
    """
    word = re.match(r"[A-Za-z_]\w*", source_line[token.column - 1 :]) if str(token).isalpha() else None
    if word is None or len(word.group(0)) == len(token):
        return token
    width = len(word.group(0))
    return lark.Token(
        "NAME", word.group(0), token.start_pos, token.line, token.column, token.line, token.column + width,
        token.start_pos + width,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class _Mistake:
    """Where the parser stopped, for the recognisers of common mistakes."""

    token: lark.Token
    expected: set[str]
    #: The parser's value stack: the tokens and subtrees read before the token.
    stack: list
    lines: list[str]
    text: str
    path: str

    @classmethod
    def of(cls, error: UnexpectedInput, token: lark.Token, lines: list[str], path: str, expected: set[str]) -> _Mistake:
        parser = getattr(error, "interactive_parser", None)
        stack = parser.parser_state.value_stack if parser is not None else []
        return cls(token=token, expected=expected, stack=stack, lines=lines, text="\n".join(lines), path=path)


def _explain_known_mistake(mistake: _Mistake) -> tuple[Diagnostic, str] | None:
    """Mistakes common enough to be named, each reported once with a repair of its own
    (docs/language.md lists them)."""
    for recognise in _RECOGNISERS:
        explained = recognise(mistake)
        if explained is not None:
            return explained
    return None


def _trailing_comma(m: _Mistake) -> tuple[Diagnostic, str] | None:
    comma = re.search(r",\s*$", m.text[: m.token.start_pos])
    if not comma or not m.expected <= {"STRING", "NAME"}:
        return None
    line = _line_of(m.text, comma.start())
    if m.token.type in m.expected and m.token.line == line:
        return None
    column = comma.start() - m.text.rfind("\n", 0, comma.start())
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, line, column), "a ',' with nothing after it", "remove it, or write the next item after it"
    )
    return diagnostic, m.text[: comma.start()] + " " + m.text[comma.start() + 1 :]


def _colon_after_keyword(m: _Mistake) -> tuple[Diagnostic, str] | None:
    """``emotion: pleased``, as in YAML."""
    stack, token = m.stack, m.token
    if token.type == "COLON" and stack and str(stack[-1]) in keywords() and stack[-1].line == token.line:
        keyword, colon = stack[-1], token
    elif len(stack) >= 2 and getattr(stack[-1], "type", None) == "COLON" and str(stack[-2]) in keywords():
        keyword, colon = stack[-2], stack[-1]
    else:
        return None
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, colon.line, colon.column),
        f"'{keyword}' takes no ':'",
        f"write {keyword} and its value with a space between them",
    )
    return diagnostic, m.text[: colon.start_pos] + " " + m.text[colon.end_pos :]


def _string_for_name(m: _Mistake) -> tuple[Diagnostic, str] | None:
    """``tag "happy path"``: a string after a keyword that takes a name."""
    token = m.token
    if token.type != "STRING" or m.expected != {"NAME"} or not m.stack or str(m.stack[-1]) not in keywords():
        return None
    keyword, label = m.stack[-1], unquote(token)
    made = (slug(label) if re.search(r"[0-9A-Za-z]", label) else "x")[: len(token)]
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, token.line, token.column, len(token) if token.end_line == token.line else 1),
        f"'{keyword}' takes a name, not a string",
        f"write a name of letters, digits and _ without quotes: {keyword} {made}",
    )
    return diagnostic, m.text[: token.start_pos] + made.ljust(len(token)) + m.text[token.end_pos :]


def _quoted_duration(m: _Mistake) -> tuple[Diagnostic, str] | None:
    token = m.token
    if token.type != "STRING" or "DURATION" not in m.expected or not re.fullmatch(r'"\s*-?[0-9][^"]*"', str(token)):
        return None
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, token.line, token.column, len(token)),
        "a duration is written without quotes",
        f"write {unquote(token).strip()}",
    )
    return diagnostic, m.text[: token.start_pos] + " " + str(token)[1:-1] + " " + m.text[token.end_pos :]


def _unknown_actor_kind(m: _Mistake) -> tuple[Diagnostic, str] | None:
    """``team booking support "Booking"``: read as a flow from its first word, the parse
    fails at the id."""
    if m.expected != {"ARROW"} or not m.stack or m.token.type != "NAME":
        return None
    kind = m.stack[-1]
    if not isinstance(kind, lark.Token) or kind.type != "NAME" or kind.line != m.token.line:
        return None
    declaration = re.match(r"\s*(\w+)\s+(\w+)\s+(\w+)", m.lines[kind.line - 1])
    if declaration is None or declaration.start(1) != kind.column - 1 or declaration.group(3) not in LANE_NAMES:
        return None
    if _closest_keyword(str(kind), frozenset(k.value for k in ActorKind)) is not None:
        return None  # a misspelt kind, reported as such
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, kind.line, kind.column, len(kind)),
        f"'{kind}' is not a kind of actor",
        "declare an actor with one of: " + ", ".join(k.value for k in ActorKind),
    )
    return diagnostic, m.text[: kind.start_pos] + "actor".ljust(len(kind)) + m.text[kind.end_pos :]


def _block_without_brace(m: _Mistake) -> tuple[Diagnostic, str] | None:
    token = m.token
    if "LBRACE" not in m.expected or m.lines[token.line - 1][: token.column - 1].strip():
        return None
    opened = _statement_without_brace(m.text, token)
    if opened is None:
        return None
    opener, last = opened
    statement = _short(m.text[opener.start_pos : last.end_pos])
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, last.end_line, last.end_column),
        f"'{statement}' has no '{{' to open its block",
        f"write {{ at the end of the line: {statement} {{",
    )
    return diagnostic, m.text[: last.end_pos] + " {" + m.text[last.end_pos :]


def _duration_in_words(m: _Mistake) -> tuple[Diagnostic, str] | None:
    """``takes five minutes``: the words up to the next keyword are the duration meant."""
    token = m.token
    if "DURATION" not in m.expected or token.type != "NAME" or str(token) in keywords():
        return None
    words, width = [], 0
    for word in re.finditer(r"\S+", m.lines[token.line - 1][token.column - 1 :]):
        if word.group(0) in keywords() or not re.fullmatch(r"[A-Za-z_]\w*", word.group(0)):
            break
        words.append(word.group(0))
        width = word.end()
    diagnostic = codes.INVALID_DURATION.at(
        Span.point(m.path, token.line, token.column, width),
        f"'{_short(' '.join(words))}' is not a duration",
        "write a number and its unit, such as 5min, 90s or 2h",
    )
    return diagnostic, m.text[: token.start_pos] + "0s".ljust(width) + m.text[token.start_pos + width :]


def _step_without_id(m: _Mistake) -> tuple[Diagnostic, str] | None:
    token = m.token
    if token.type != "STRING" or m.expected != {"NAME"} or not m.stack or getattr(m.stack[-1], "type", None) != "STEP":
        return None
    label = unquote(token)
    made = slug(label) if re.search(r"[0-9A-Za-z]", label) else "step"
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, token.line, token.column, len(token) if token.end_line == token.line else 3),
        "this step has no id",
        f"give it one before its label, such as step {made} {_short(str(token))}",
    )
    return diagnostic, m.text[: token.start_pos] + made + " " + m.text[token.start_pos :]


def _actor_without_lane(m: _Mistake) -> tuple[Diagnostic, str] | None:
    laneless = _laneless_declaration(m.stack, m.token, m.expected)
    if laneless is None:
        return None
    kind, actor, label = laneless
    at = label or actor
    column = at.column if label else at.end_column + 1
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, at.line, column),
        f"actor '{actor}' has no lane",
        f"write its lane after the name, such as {kind} {actor} frontstage{f' {label}' if label else ''}; "
        "the lanes are " + ", ".join(lane.value for lane in ACTOR_LANES),
    )
    # The lane is read as '_', which names no lane: the actor then acts without more errors.
    if label:
        return diagnostic, m.text[: label.start_pos] + "_ " + m.text[label.start_pos :]
    return diagnostic, m.text[: actor.end_pos] + " _" + m.text[actor.end_pos :]


_RECOGNISERS = (
    _trailing_comma,
    _colon_after_keyword,
    _step_without_id,
    _string_for_name,
    _quoted_duration,
    _unknown_actor_kind,
    _block_without_brace,
    _duration_in_words,
    _actor_without_lane,
)


def _action_outside_step(m: _Mistake) -> tuple[Diagnostic, str] | None:
    """An action written where no step is open, reported once and blanked with all its details.

    Tried after the checks for a '}' too many, which closes a step early and leaves its
    last actions outside it.
    """
    token, text = m.token, m.text
    name = token if token.type == "NAME" else m.stack[-1] if token.type == "COLON" and m.stack else None
    if (
        not isinstance(name, lark.Token)
        or name.type != "NAME"
        or "COLON" in m.expected
        or not m.expected & {"STEP", "ARROW", "BLUEPRINT"}
        or not re.match(r'\s*:\s*"', text[name.end_pos :])
    ):
        return None
    end = _action_end(text, name)
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, name.line, name.column, len(name)),
        f"the action of '{name}' is not inside a step",
        'put it in a step: step id "Label" { actor: "what they do" }',
    )
    return diagnostic, text[: name.start_pos] + re.sub(r"[^\n]", " ", text[name.start_pos : end]) + text[end:]


def _line_of(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1



def _laneless_declaration(
    stack: list, token: lark.Token, expected: set[str]
) -> tuple[lark.Token, lark.Token, lark.Token | None] | None:
    """An actor declared without a lane: its kind, its name and its label, if any.

    Either the parser wants the lane now, or it took the keyword that starts the next
    line for it (``actor guest`` then ``person clerk frontstage``).
    """
    if len(stack) >= 2 and getattr(stack[-2], "type", None) == "ACTOR_KIND" and expected == {"NAME"}:
        if token.line > stack[-1].line:
            return stack[-2], stack[-1], None
        return (stack[-2], stack[-1], token) if token.type == "STRING" else None
    last = stack[-2] if len(stack) >= 2 else None
    while isinstance(last, lark.Tree) and last.data.startswith("__") and last.children:
        last = last.children[-1]  # the statements before, gathered by the parser
    declared = list(last.children) if isinstance(last, lark.Tree) and last.data == "actor" else stack[-3:]
    if len(declared) != 3 or not all(isinstance(item, lark.Token) for item in declared):
        return None
    kind, actor, lane = declared
    if kind.type == "ACTOR_KIND" and lane.line > actor.line and str(lane) in keywords():
        return kind, actor, None
    return None


# A parser inside a step: what it accepts after an action tells where the action ends.
_INSIDE_A_STEP = 'blueprint "" { stage "" { step s { '


def _action_end(text: str, name: lark.Token) -> int:
    """Where the action that starts with ``name`` ends, with all its details."""
    parser = lalr().parse_interactive(_INSIDE_A_STEP)
    parser.exhaust_lexer()
    depth = len(parser.parser_state.value_stack)
    end = name.end_pos
    try:
        for token in lalr().lex(text[name.start_pos :], dont_ignore=False):
            parser.feed_token(token)
            if isinstance(parser.parser_state.value_stack[depth], lark.Tree):
                break  # the action is complete: this token starts what follows it
            end = name.start_pos + token.end_pos
    except UnexpectedInput:
        pass  # the action ends at a token it cannot take
    return end


def _statement_without_brace(text: str, token: lark.Token) -> tuple[lark.Token, lark.Token] | None:
    """For a ``token`` that should have been a '{', the statement that lacks it: the
    keyword that opened it and its last token, if a '{' after that gets the parse past
    ``token``'s line."""
    before = []
    try:
        for item in lalr().lex(text[: token.start_pos], dont_ignore=False):
            before.append(item)
    except UnexpectedInput:
        return None
    openers = [item for item in before if item.type in ("BLUEPRINT", "STAGE", "STEP")]
    if not openers or not before or before[-1].line == token.line:
        return None
    last = before[-1]
    if not _parses_past(text[: last.end_pos] + " {" + text[last.end_pos :], token.line):
        return None
    return openers[-1], last


def _dangling_name(error: UnexpectedInput, expected: set[str], lines: list[str]) -> lark.Token | None:
    """A name read as the start of a flow or action that never comes.

    Only after a statement on its line, or alone on its line: there the parse fails at
    a later word or character. ``actor c customer C`` is a whole declaration followed
    by a flow from ``C``, and the error would be reported on the next line.
    """
    if "ARROW" not in expected or not expected <= {"ARROW", "COLON"}:
        return None
    parser = getattr(error, "interactive_parser", None)
    stack = parser.parser_state.value_stack if parser is not None else []
    name = stack[-1] if stack else None
    if not isinstance(name, lark.Token) or name.type != "NAME":
        return None
    return name if _after_statement(lines[name.line - 1], name.column) or name.end_line < error.line else None


def _after_statement(source_line: str, column: int) -> bool:
    """Does a statement end on this line before ``column`` (not just a block open)?"""
    before = source_line[: column - 1].strip()
    return bool(before) and not before.endswith("{")


def _explain_dangling(name: lark.Token, expected: set[str], lines: list[str], path: str) -> tuple[Diagnostic, str | None]:
    source_line = lines[name.line - 1]
    start = name.column - 1
    if _after_statement(source_line, name.column):
        # After a statement on its line: text written without quotes, if quoting it parses.
        words = _text_from(source_line, name.column)
        lines[name.line - 1] = source_line[:start] + quote(words) + source_line[start + len(words) :]
        quoted = "\n".join(lines)
        if _parses_past(quoted, name.line):
            return codes.SYNTAX_ERROR.at(
                Span.point(path, name.line, name.column, len(words)),
                f"'{_short(words)}' is text without quotes",
                f"put the text in double quotes: {quote(words)}",
            ), quoted
    lines[name.line - 1] = source_line[:start] + " " * len(name) + source_line[start + len(name) :]
    if "COLON" in expected:
        message = f"'{name}' starts an action or a flow, but no ':' or '->' follows it"
        hint = 'an action is written actor: "what they do", a flow a -> b'
    else:
        message, hint = f"'{name}' starts a flow, but no '->' or '<->' follows it", "finish the flow, or remove the name"
    return codes.SYNTAX_ERROR.at(Span.point(path, name.line, name.column, len(name)), message, hint), "\n".join(lines)


# What to insert when one token is missing, in the order worth trying.
_PLACEHOLDERS = (("COLON", ":"), ("NAME", "_"), ("STRING", '""'), ("DURATION", "0s"), ("RBRACE", "}"))


def _insert_missing(text: str, token: lark.Token, expected: set[str]) -> str | None:
    """The text with a missing token inserted before ``token``, if that gets the parse past it."""
    for terminal, placeholder in _PLACEHOLDERS:
        if terminal not in expected:
            continue
        candidate = text[: token.start_pos] + placeholder + " " + text[token.start_pos :]
        try:
            lalr().parse(candidate)
            return candidate
        except UnexpectedInput as error:
            position = getattr(error, "pos_in_stream", None)
            if position is not None and position > token.start_pos + len(placeholder) + 1:
                return candidate
    return None


def _delete_extra(text: str, token: lark.Token) -> str | None:
    """The text without ``token``, if the rest of its line then parses: a token too many.

    Never a brace: one too many is found by the layout (``_surplus_brace``).
    """
    if token.type in ("LBRACE", "RBRACE"):
        return None
    candidate = text[: token.start_pos] + " " * (token.end_pos - token.start_pos) + text[token.end_pos :]
    return candidate if _parses_past(candidate, token.end_line) else None


def _parses_past(text: str, line: int) -> bool:
    """Does ``text`` parse, or fail only after ``line`` (or at its end)?"""
    try:
        lalr().parse(text)
    except UnexpectedEOF:
        pass
    except UnexpectedInput as error:
        return error.line > line
    return True


def _misspelt_keyword(token: lark.Token, source_line: str, expected: set[str]) -> tuple[str, int, str] | None:
    """A misspelt keyword at or just before the unexpected token.

    At the token, one of the keywords the parser expects there; just before it (read as
    a name, where a keyword would have made the token fit), any keyword.
    """
    candidates = [(str(token), token.column, keywords_of(expected))] if token.type == "NAME" else []
    before = re.search(r"(?<![\w.])([A-Za-z_]\w*)\s*$", source_line[: token.column - 1])
    if before:
        candidates.append((before.group(1), before.start(1) + 1, keywords()))
    for word, column, wanted in candidates:
        if len(word) < 3 or word in keywords():
            continue
        keyword = _closest_keyword(word, wanted)
        if keyword is not None:
            return word, column, keyword
    return None


def _closest_keyword(word: str, wanted: frozenset[str]) -> str | None:
    """The keyword of ``wanted`` that ``word`` is a slip of: the fewest typing edits among
    the similar ones, so that two swapped letters (``wiat``) give the word they swap (``wait``)."""
    words = sorted(wanted)
    similar = difflib.get_close_matches(word, words, n=3, cutoff=0.75)
    swapped = [keyword for keyword in words if sorted(keyword) == sorted(word) and _edits(word, keyword) == 1]
    similar += [keyword for keyword in swapped if keyword not in similar]
    return min(similar, key=lambda keyword: _edits(word, keyword), default=None)


def _edits(a: str, b: str) -> int:
    """Letters inserted, deleted, replaced or swapped with the next to turn ``a`` into ``b``
    (the optimal string alignment distance)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[len(b)]


_TERMINAL_WORDS = {
    "NAME": "a name",
    "STRING": "a string",
    "DURATION": "a duration such as 5min",
    "ARROW": "'->' or '<->'",
    "HEADER_KEY": "a header fact",
    "ACTOR_KIND": "an actor declaration",
    "ANNOTATION_KEY": "an annotation",
    "LOOP": "'loop'",
    "$END": "the end of the file",
}


def _describe_token(token: lark.Token) -> str:
    if token.type == "$END":
        return "end of file"
    words = {"NAME": "name", "STRING": "string", "DURATION": "duration"}
    if token.type in words:
        return f"{words[token.type]} '{_short(str(token))}'"
    return f"'{_short(str(token))}'"


def _short(text: str) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= 30 else text[:27] + "..."


def _describe_expected(expected: set[str]) -> str:
    names = []
    for terminal in sorted(expected):
        if terminal in _TERMINAL_WORDS:
            names.append(_TERMINAL_WORDS[terminal])
            continue
        try:
            pattern = lalr().get_terminal(terminal).pattern
        except KeyError:
            continue
        names.append(f"'{pattern.value}'" if pattern.type == "str" else terminal.lower())
    if not names:
        return ""
    if len(names) > 6:
        return "one of " + ", ".join(names[:6]) + ", ..."
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _token_hint(
    token: lark.Token,
    expected: set[str],
    source_line: str,
    words: str | None,
    too_many_braces: bool,
    missing_brace: bool,
    early_close: lark.Token | None,
) -> str | None:
    if early_close is not None:
        outside = "this stands outside the blueprint: " if "BLUEPRINT" in expected else ""
        return f"{outside}is the '}}' on line {early_close.line} one too many?"
    if token.type == "STRING" and "COLON" in expected:
        return 'an action is written actor: "what they do"'
    if words is not None:
        return f"put the text in double quotes: {quote(words)}"
    starts_line = not source_line[: token.column - 1].strip()
    if "BLUEPRINT" in expected and token.type == "NAME":
        return "this stands outside the blueprint: is there a '}' too many above it?"
    if "RBRACE" in expected and starts_line and token.type == "NAME" and too_many_braces:
        return "is there a '}' too many above it?"
    if "RBRACE" in expected and starts_line and token.type not in ("RBRACE", "STRING") and missing_brace:
        return "is a '}' missing before this line?"
    return None


def _unquoted_words(token: lark.Token, expected: set[str], lines: list[str]) -> str | None:
    """The text written without quotes from a name where a string belongs.

    To the end of the line (or a brace or comment), or, where the words after a keyword
    read as details of the statement once the text before is quoted (``Hands over the
    bike takes 2min``), to that keyword.
    """
    if token.type != "NAME" or "STRING" not in expected or "NAME" in expected:
        return None
    source_line = lines[token.line - 1]
    words = _text_from(source_line, token.column)
    for keyword in re.finditer(r"(?<=\s)[a-z]+(?=\s)", words):
        if keyword.group(0) in keywords():
            before = words[: keyword.start()].rstrip()
            quoted = source_line[: token.column - 1] + quote(before) + source_line[token.column - 1 + len(before) :]
            if _parses_past("\n".join([*lines[: token.line - 1], quoted, *lines[token.line :]]), token.line):
                return before
    return words


def _text_from(source_line: str, column: int) -> str:
    """The words from ``column`` to the end of the line, a brace or a comment."""
    return re.match(r"[^{}#]*", source_line[column - 1 :]).group(0).rstrip()
