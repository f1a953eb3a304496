"""A token the parser cannot take: the message, the hint, and the repair to parse on with."""

from __future__ import annotations

import re

import lark
from lark.exceptions import UnexpectedInput

from .. import codes
from ..diagnostics import Diagnostic, Span, clip, suggest
from ..grammar import STRING_OR_COMMENT, keyword_words, keywords, lalr
from ..text import quote
from .braces import (
    CLOSING_RUN,
    Brace,
    brace_before,
    closing_braces,
    surplus_at_a_line_end,
    surplus_brace,
    unclosed_braces,
)
from .mistakes import Mistake, explain_known_mistake
from .repairs import blank, dangling_name, delete_extra, explain_dangling, insert_missing, parses_past, text_from
from .spelling import misspelt_keyword
from .statements import action_outside_step


def explain_token(
    error: UnexpectedInput, token: lark.Token, lines: list[str], path: str, blanked: set[tuple[int, int]]
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

    mistake = Mistake.of(error, token, lines, path, expected)
    text = mistake.text
    braces = closing_braces(text)
    # More '}' than '{': then one of them closes no block. The layout finding it explains
    # the error first: what follows a block closed early reads as misplaced (a step
    # outside a stage), and the mistake is the '}', not what it left outside.
    too_many = braces is not None and any(opened is None for _, opened in braces)
    surplus = _surplus(text, braces, token, path) if too_many else None
    if surplus is not None:
        return surplus
    known = explain_known_mistake(mistake)
    if known is not None:
        return known
    misspelt = misspelt_keyword(token, source_line, expected)
    if misspelt is not None:
        word, column, keyword = misspelt
        capitals = word.lower() == keyword
        diagnostic = codes.UNKNOWN_KEYWORD.at(
            Span.point(path, line, column, len(word)),
            f"'{clip(word)}' is not a keyword" + (": keywords are written in lower case" if capitals else ""),
            f"write {keyword}" if capitals else suggest([keyword]), written=word, meant=(keyword,),
        )
        lines[line - 1] = source_line[: column - 1] + keyword + source_line[column - 1 + len(word) :]
        return diagnostic, "\n".join(lines)
    dangling = dangling_name(error, expected, lines)
    if dangling is not None:
        return explain_dangling(dangling, expected, lines, path)

    if token.type == "RBRACE" and not unclosed_braces(text[: token.start_pos]):
        # With no block open, none of the '}' that follow it on its line closes one either.
        run = CLOSING_RUN.match(text, token.start_pos).group()
        count = run.count("}")
        diagnostic = codes.SYNTAX_ERROR.at(
            Span.point(path, line, token.column, len(run)),
            f"these {count} '}}' close no block" if count > 1 else "this '}' closes no block",
            "remove them" if count > 1 else "remove it, or open the block it closes",
        )
        return diagnostic, text[: token.start_pos] + blank(run) + text[token.start_pos + len(run) :]
    early_close = brace_before(text, braces, token) if too_many else None
    # A '}' is missing only where the text opens more blocks than it closes; otherwise
    # one inserted would close a block early, and what follows would read as misplaced.
    missing_brace = not too_many and bool(unclosed_braces(text))
    outside = None if too_many else action_outside_step(mistake)
    if outside is not None:
        return outside
    found = _describe_token(token)
    wanted = describe_expected(expected)
    message = f"unexpected {found}" + (f", expected {wanted}" if wanted else "")
    words = _unquoted_words(token, expected, lines)
    diagnostic = codes.SYNTAX_ERROR.at(
        span, message, _token_hint(token, expected, source_line, words, too_many, missing_brace, early_close,
                                   closed_before=any(brace.end_pos <= token.start_pos for brace, _ in braces or ()))
    )
    if early_close is not None:
        return diagnostic, text[: early_close.start_pos] + " " + text[early_close.end_pos :]

    if words is not None:
        # Text written without quotes: read the rest of the line as the string it was meant to be.
        end = token.column - 1 + len(words)
        lines[line - 1] = source_line[: token.column - 1] + quote(words) + source_line[end:]
        return diagnostic, "\n".join(lines)
    repaired = insert_missing(text, token, expected if missing_brace else expected - {"RBRACE"})
    if repaired is not None:
        return diagnostic, repaired
    repaired = delete_extra(text, token)
    if repaired is not None:
        return codes.SYNTAX_ERROR.at(span, message, diagnostic.hint or "remove it"), repaired
    start, end = _statement_on_line(source_line, token.column - 1)
    if (line, start) in blanked:
        return diagnostic, None
    blanked.add((line, start))
    lines[line - 1] = source_line[:start] + " " * (end - start) + source_line[end:]
    return diagnostic, "\n".join(lines)


def _surplus(
    text: str, braces: list[tuple[Brace, int | None]], token: lark.Token, path: str
) -> tuple[Diagnostic, str] | None:
    """The '}' too many, told by the layout, before ``token``: at the end of a line that
    holds a block on one line and closes more than it opens (``step a { ... }}}``), or out
    of line with the block it closes; and the text without them."""
    at_line_end = surplus_at_a_line_end(text, braces, token.start_pos)
    if at_line_end is not None:
        brace, run, opened, closed = at_line_end
        count = run.count("}")
        blocks = "one block" if opened == 1 else f"{opened} blocks"
        message = f"{'one' if count == 1 else count} '}}' too many: this line opens {blocks} and closes {closed}"
    else:
        surplus = surplus_brace(text, braces, token.start_pos)
        if surplus is None:
            return None
        brace, opened, run = surplus
        count = run.count("}")
        which = f"{count} '}}' too many: the first is" if count > 1 else "one '}' too many: this one is"
        message = f"{which} out of line with the block it closes, opened on line {opened}"
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(path, brace.line, brace.column, len(run)), message, "remove them" if count > 1 else "remove it"
    )
    return diagnostic, text[: brace.start_pos] + blank(run) + text[brace.start_pos + len(run) :]


def _statement_on_line(source_line: str, index: int) -> tuple[int, int]:
    """Where the broken statement at ``index`` stands on its line: from the brace before
    it to the brace after it, or the line's ends. Blanked, it leaves the blocks that open
    and close around it whole, with the words that open them (``stage "S" { step s {``)."""
    code = STRING_OR_COMMENT.sub(lambda match: "_" * len(match.group(0)), source_line)
    start = max(code.rfind("{", 0, index), code.rfind("}", 0, index)) + 1
    after = _BRACE.search(code, index)
    return start, after.start() if after else len(source_line)


_BRACE = re.compile(r"[{}]")


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


_TERMINAL_WORDS = {
    "NAME": "a name",
    "STRING": "a string",
    "DURATION": "a duration such as 5min",
    "ARROW": "'->' or '<->'",
    "HEADER_KEY": "a header fact",
    "ACTOR_KIND": "an actor declaration",
    "ANNOTATION_KEY": "an annotation",
    "$END": "the end of the file",
}


def _describe_token(token: lark.Token) -> str:
    if token.type == "$END":
        return "end of file"
    words = {"NAME": "name", "STRING": "string", "DURATION": "duration"}
    shown = clip(str(token).replace("\n", " "))
    return f"{words[token.type]} '{shown}'" if token.type in words else f"'{shown}'"


def describe_expected(expected: set[str]) -> str:
    names = []
    for terminal in sorted(expected):
        if terminal in _TERMINAL_WORDS:
            names.append(_TERMINAL_WORDS[terminal])
            continue
        try:
            pattern = lalr().get_terminal(terminal).pattern
        except KeyError:
            continue
        words = keyword_words(pattern)
        if len(words) == 1:
            names.append(f"'{words[0]}'")
        else:
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
    early_close: Brace | None,
    closed_before: bool,
) -> str | None:
    if early_close is not None:
        outside = "this stands outside the blueprint: " if "BLUEPRINT" in expected else ""
        return f"{outside}is the '}}' on line {early_close.line} one too many?"
    if token.type == "STRING" and "COLON" in expected:
        return 'an action is written actor: "what they do"'
    if words is not None:
        return f"put the text in double quotes: {clip(quote(words))}"
    starts_line = not source_line[: token.column - 1].strip()
    if "BLUEPRINT" in expected and token.type == "NAME" and closed_before:
        return "this stands outside the blueprint: is there a '}' too many above it?"
    if "BLUEPRINT" in expected and token.type == "NAME":
        return "this stands outside the blueprint: to keep it as a note, start the line with #"
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
    words = text_from(source_line, token.column)
    for keyword in re.finditer(r"(?<=\s)[a-z]+(?=\s)", words):
        if keyword.group(0) in keywords():
            before = words[: keyword.start()].rstrip()
            quoted = source_line[: token.column - 1] + quote(before) + source_line[token.column - 1 + len(before) :]
            if parses_past("\n".join([*lines[: token.line - 1], quoted, *lines[token.line :]]), token.line):
                return before
    return words
