"""A character the lexer cannot read: what it probably meant, and the line read as that."""

from __future__ import annotations

import re
import unicodedata

import lark
from lark.exceptions import UnexpectedCharacters

from .. import codes
from ..diagnostics import Diagnostic, Span, clip, visible
from ..model import LANE_NAMES
from ..text import parse_duration
from .actor_lanes import explain_actor_lane
from .arrows import explain_arrow
from .duration_marks import explain_marks
from .durations import DURATION_KEYWORDS, WORD_BEFORE, explain_duration, explain_range
from .emotions import explain_emotion
from .equals import equals_after_keyword, equals_for_colon
from .estimates import explain_estimate
from .fan_outs import explain_fan_out
from .ids import id_starting_with_digit
from .includes import explain_include
from .joint_actions import explain_joint_action
from .other_syntax import details_in_brackets, edge_attributes, semicolons_between_statements
from .prose import code_fence, mark_before_statement, may_be_prose, prose_after_statement, prose_line
from .repairs import dangling_name, explain_dangling, parses_past
from .spaces import invisible_spaces
from .text_over_lines import explain_text_over_lines
from .values import separator_between_strings


def explain_character(
    error: UnexpectedCharacters, lines: list[str], path: str, rewritten: set[int]
) -> tuple[Diagnostic, str | None]:
    """The error at a character the lexer cannot read, and the text with its line repaired;
    ``rewritten`` are the lines an earlier repair changed, which no longer read as written."""
    spaces = invisible_spaces(lines, path, error.line, error.column)
    if spaces is not None:
        return spaces
    arrow = explain_text_over_lines(lines, path, error.line, error.column) or explain_actor_lane(
        lines, path, error.line) or explain_arrow(lines, path, error.line, error.column)
    if arrow is not None:
        return arrow
    equals = equals_after_keyword(lines, path, error.line, error.column, set(error.allowed or ())) or \
        equals_for_colon(lines, path, error.line, error.column)
    if equals is not None:
        return equals
    estimate = explain_estimate(lines, path, error.line, error.column) or explain_emotion(
        lines, path, error.line, error.column)
    if estimate is not None:
        return estimate
    included = explain_include(lines, path, error.line, error.column)
    if included is not None:
        return included
    fan = explain_fan_out(lines, path, error.line, error.column)
    if fan is not None:
        return fan
    joint = explain_joint_action(lines, path, error.line, error.column)
    if joint is not None:
        return joint
    allowed = set(error.allowed or ())
    dangling = dangling_name(error, allowed, lines)
    if dangling is not None and (dangling.line, dangling.end_column) == (error.line, error.column):
        # gu$st, guést: the lexer stopped inside the name. Whole, it may yet be followed by
        # what it lacked (gu$st: "Pays"), and then the character is what is wrong.
        dangling = _whole_word(dangling, lines[error.line - 1])
        if re.match(r"\s*(?::|<?->)", lines[error.line - 1][dangling.end_column - 1 :]):
            dangling = None
    if dangling is not None:  # actor c customer Walk-in guest: the '-' is part of a label
        return explain_dangling(dangling, allowed, lines, path)
    line, column = error.line, error.column
    source_line = lines[line - 1]
    char = source_line[column - 1] if column - 1 < len(source_line) else "\n"
    fence = code_fence(lines, path, line)
    if fence is not None:
        return fence
    if char == '"' and source_line[max(0, column - 3) : column] == '"""':
        # The two quotes before were read as an empty string: the text from here on is
        # one unclosed multi-line string, so nothing after it can be read.
        return codes.UNTERMINATED_STRING.at(
            Span.point(path, line, column - 2, 3),
            'this multi-line string has no closing """',
            'end it with """ after its last line',
        ), None
    if char == '"':
        body = source_line[column:].rstrip()
        if body.endswith("{"):
            # stage drop "Drop-off {: the string ends before the brace that opens the block.
            end = column + len(body[:-1].rstrip())
            diagnostic = codes.UNTERMINATED_STRING.at(
                Span(path=path, line=line, column=column, end_line=line, end_column=end + 1),
                "this string has no closing quote",
                f'end it before the brace: {clip(source_line[column - 1 : end])}" {{',
            )
            lines[line - 1] = source_line[:end] + '"' + source_line[end:]
            return diagnostic, "\n".join(lines)
        wrapped = _wrapped_string(lines, line)
        if wrapped is not None:
            # "Checks the licence, / takes the deposit" takes 4min: text wrapped as a paragraph is.
            closing, repaired = wrapped
            diagnostic = codes.UNTERMINATED_STRING.at(
                Span(path=path, line=line, column=column, end_line=line, end_column=len(source_line) + 1),
                f"this string runs on to line {closing}, where its closing quote is",
                'join its lines into one, or use """ for text over several lines',
            )
            return diagnostic, repaired
        diagnostic = codes.UNTERMINATED_STRING.at(
            Span(path=path, line=line, column=column, end_line=line, end_column=len(source_line) + 1),
            "this string has no closing quote",
            'end it with " on the same line, or use """ for text over several lines',
        )
        lines[line - 1] = source_line + '"'
        return diagnostic, "\n".join(lines)
    duration_range = explain_range(lines, path, line, column)
    if duration_range is not None:  # before a unit that is not ASCII: 5–10min, with the dash autocorrect writes
        return duration_range
    number = _duration_holding(source_line, column - 1)
    if number is not None:
        # takes 5mín: a duration whose unit holds a letter that is not ASCII.
        start, end = number
        written = source_line[start:end]
        meant = _folded(written) if parse_duration(_folded(written))[1] is None else None
        diagnostic = codes.INVALID_DURATION.at(
            Span.point(path, line, start + 1, len(written)),
            f"'{clip(written)}' is not a duration",
            f"write {clip(meant)}" if meant else parse_duration("1x")[1],
        )
        lines[line - 1] = source_line[:start] + (meant or "0s").ljust(len(written)) + source_line[end:]
        return diagnostic, "\n".join(lines)
    parser = getattr(error, "interactive_parser", None)
    stack = parser.parser_state.value_stack if parser is not None else []
    digit_first = id_starting_with_digit(lines, path, line, column, allowed, stack)
    if digit_first is not None:
        return digit_first
    if char in "0123456789.":  # not isdigit(), which is true of "²" too
        duration = explain_marks(lines, path, line, column) or explain_duration(lines, path, line, column)
        if duration is not None:
            return duration
    if char in "0123456789":
        number = re.match(r"[0-9]+(?:\.[0-9]+)?", source_line[column - 1 :]).group(0)
        before = WORD_BEFORE.search(source_line, 0, column - 1)
        mark = re.match(r"[0-9]+[.)](?=\s)", source_line[column - 1 :])
        lead = source_line[: column - 1].strip()
        if mark and (not lead or lead.endswith("{") and line not in rewritten):  # at a statement's start
            end = column - 1 + len(mark.group())
            marked = mark_before_statement(lines, path, line, column - 1, end)
            if marked is not None:
                return marked
            if not lead and may_be_prose(source_line, column, line, rewritten):  # 1. Stage two: collection
                return prose_line(lines, path, line, column, end)
        if not (before and before.end(1) == column - 1):
            # A bare number such as a version: read it as the text it probably is.
            diagnostic = codes.UNEXPECTED_CHARACTER.at(
                Span.point(path, line, column, len(number)),
                f"unexpected number {clip(number)}",
                f'text is written in double quotes: "{clip(number)}"',
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
        word = re.search(r"(?<![\w-])[\w-]+$", source_line[:column]).group(0) + re.match(r"[\w-]*", rest).group(0)
        start = column - len(re.search(r"(?<![\w-])[\w-]+$", source_line[: column - 1]).group(0))
        meant = word.replace("-", "").lower()
        if meant in LANE_NAMES:
            # front-stage: a lane is one word, and with a '_' it would name no lane.
            hint = f"a lane is written as one word: write {meant}"
            lines[line - 1] = source_line[: start - 1] + meant.ljust(len(word)) + source_line[start - 1 + len(word) :]
        else:
            meant = word.replace("-", "_")
            hint = f"names are letters, digits and _: write {clip(meant)}"
            lines[line - 1] = source_line[: column - 1] + "_" + rest
        diagnostic = codes.UNEXPECTED_CHARACTER.at(
            Span.point(path, line, start, len(word)), f"'{clip(word)}' holds a '-', which names cannot", hint,
            written=word, meant=(meant,),
        )
        return diagnostic, "\n".join(lines)
    name = _name_holding(source_line, column - 1)
    if name is not None:
        # gäst, beställ, gu$st: a name holding a letter that is not ASCII, or a character no
        # name holds between its letters, reported as the whole word.
        start, end = name
        word = source_line[start:end]
        ascii_word = _ascii(word)
        # A mark (gue\u0301st) is shown on the letter it sits on.
        letter = source_line[column - 2 : column] if unicodedata.category(char).startswith("M") and column > 1 else char
        diagnostic = codes.UNEXPECTED_CHARACTER.at(
            Span.point(path, line, start + 1, len(word)),
            f"'{clip(word)}' holds '{visible(letter)}', which names cannot",
            "names are ASCII letters, digits and _" + (f": write {clip(ascii_word)}" if ascii_word else "")
            + "; the text in quotes may hold any character",
        )
        # Read as the hint writes it, so that where the file already writes it so it is the same name;
        # without one, each character no name holds read as _: the same wherever the word is written.
        named = ascii_word or "".join(c if c.isascii() and (c.isalnum() or c == "_") else "_" for c in word)
        lines[line - 1] = source_line[:start] + named + source_line[end:]
        return diagnostic, "\n".join(lines)
    other = details_in_brackets(lines, path, line, column) or edge_attributes(lines, path, line, column) \
        or semicolons_between_statements(lines, path, line, column)
    if other is not None:
        return other
    if char == "[" and "]" in rest and not re.match(r"[^\]]*\]\(", rest):
        # evidence ["Menu board", "Price list"]: a list as JSON writes it.
        end = column + rest.index("]")
        items = source_line[column:end].strip()
        statement = source_line[: column - 1].strip()
        diagnostic = codes.UNEXPECTED_CHARACTER.at(
            Span(path=path, line=line, column=column, end_line=line, end_column=end + 2),
            "a list is written without brackets",
            f"write the items with commas between them: {clip(statement)} {clip(items)}",
        )
        lines[line - 1] = source_line[: column - 1] + " " + source_line[column:end] + " " + source_line[end + 1 :]
        return diagnostic, "\n".join(lines)
    separator = separator_between_strings(lines, path, line, column)
    if separator is not None:
        return separator
    hint = _character_hint(char, pair)
    run = _junk_run(source_line, column - 1)
    if run is not None and may_be_prose(source_line, column, line, rewritten):
        marked = mark_before_statement(lines, path, line, run[0], run[1])
        if marked is not None:
            return marked
        return prose_line(lines, path, line, column, run[1])
    if run is not None and source_line[: run[0]].rstrip().endswith("{") and line not in rewritten:
        # step pay { - guest: "Pays" }: a list's mark before the first statement of a block on its line.
        marked = mark_before_statement(lines, path, line, run[0], run[1])
        if marked is not None:
            return marked
    if run is not None and line not in rewritten:
        trailing = prose_after_statement(lines, path, line, run)
        if trailing is not None:
            return trailing
    if run is not None and run[1] - run[0] > 1:
        # ;; or ???: a run of one character, one error.
        written = source_line[run[0] : run[1]]
        diagnostic = codes.UNEXPECTED_CHARACTER.at(
            Span.point(path, line, column, len(written)), f"unexpected characters '{clip(visible(written))}'", hint
        )
        lines[line - 1] = source_line[: run[0]] + " " * len(written) + source_line[run[1] :]
        return diagnostic, "\n".join(lines)
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


def _junk_run(source_line: str, index: int) -> tuple[int, int] | None:
    """Where the run of the character at ``index`` repeated ends (%%%, or one %), if it is a
    printable character with no reading of its own: not a quote, nor the start of an arrow
    (=>, -->) or of a comment (//)."""
    char = source_line[index : index + 1]
    if not char.isprintable() or char.isspace() or _in_name(char) or char in _CLOSING_QUOTES or char in '"{}:,#':
        return None
    end = index + 1
    while source_line[end : end + 1] == char:
        end += 1
    if source_line[index : index + 2] in ("=>", "<-", "//") or source_line[end : end + 1] == ">":
        return None
    return index, end


def _whole_word(name: lark.Token, source_line: str) -> lark.Token:
    """``name`` with the rest of the word the lexer stopped in (gu$st, guést), up to a space or
    a character the language writes between words."""
    rest = re.match(r'[^\s{}:"#,<>=-]*', source_line[name.end_column - 1 :]).group(0)
    return lark.Token(name.type, name + rest, start_pos=name.start_pos, line=name.line, column=name.column,
                      end_line=name.end_line, end_column=name.end_column + len(rest), end_pos=name.end_pos + len(rest))


def _name_holding(source_line: str, index: int) -> tuple[int, int] | None:
    """Where the name stands that holds the character at ``index``, or None: a letter (or a
    mark) that is not ASCII, or a character no name holds inside one (``_inside_name``); a
    word that starts with a digit is no name."""
    char = source_line[index : index + 1]
    if not char:  # the line's end
        return None
    if not (char.isalpha() or unicodedata.category(char).startswith("M") or _inside_name(source_line, index)):
        return None
    start, end = _word_around(source_line, index)
    return None if source_line[start].isnumeric() else (start, end)


def _inside_name(source_line: str, index: int) -> bool:
    """Whether the character at ``index`` is a printable one no name holds (gu$st), between
    two a name could hold, and with no other reading known (a quote, an arrow); or a symbol
    such as an emoji, which has no reading of its own, next to one (caf☕)."""
    char = source_line[index]
    if not char.isprintable() or char.isspace() or _in_name(char):
        return False
    before = index > 0 and _in_name(source_line[index - 1])
    after = index < len(source_line) - 1 and _in_name(source_line[index + 1])
    if unicodedata.category(char) == "So":
        return before or after
    known = char in _CLOSING_QUOTES or _character_hint(char, source_line[index : index + 2]) is not None
    return before and after and not known


def _duration_holding(source_line: str, index: int) -> tuple[int, int] | None:
    """Where the duration stands (after takes, wait or tolerance), at ``index``, whose unit
    holds a letter that is not ASCII, or None."""
    if not source_line[index : index + 1]:
        return None
    start, end = _word_around(source_line, index)
    if source_line[start:end].isascii():
        return None
    before = WORD_BEFORE.search(source_line, 0, start)
    if not source_line[start].isdigit() or before is None or before.group(1) not in DURATION_KEYWORDS:
        return None
    return start, end


def _word_around(source_line: str, index: int) -> tuple[int, int]:
    """Where the word stands that ``index`` is in, of the characters a name could be meant
    to hold and those no name holds between them (a$b$c, whole)."""
    start, end = index, index + 1
    while start and (_in_name(source_line[start - 1]) or _inside_name(source_line, start - 1)):
        start -= 1
    while end < len(source_line) and (_in_name(source_line[end]) or _inside_name(source_line, end)):
        end += 1
    return start, end


def _in_name(char: str) -> bool:
    """Whether ``char`` is one a name could be meant to hold: a letter or digit of any script, or a mark on one."""
    return char == "_" or char.isalnum() or unicodedata.category(char).startswith("M")


# Letters that no decomposition takes to ASCII, as they are commonly written in it.
_ASCII_LETTERS = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "œ": "oe", "Œ": "OE",
                                "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "þ": "th", "Þ": "Th", "ı": "i"})


def _wrapped_string(lines: list[str], line: int) -> tuple[int, str] | None:
    """A string left open on ``line`` whose text runs on to a later line, the first with an odd
    number of quotes, within a few lines without any: that line's number, and the text with the
    string closed on ``line`` and the lines it ran on to blank up to its closing quote, where
    the text then reads on past them; else None."""
    for number in range(line, min(line + _WRAPPED_LINES, len(lines))):
        quotes = list(re.finditer(r'(?<!\\)"', lines[number]))
        if len(quotes) % 2 == 0 and quotes:
            return None
        if quotes:
            repaired = [*lines[: line - 1], lines[line - 1] + '"', *(" " * len(text) for text in lines[line:number])]
            closed = quotes[0].end()
            repaired += [" " * closed + lines[number][closed:], *lines[number + 1 :]]
            text = "\n".join(repaired)
            return (number + 1, text) if parses_past(text, number + 1) else None
    return None


#: The most lines a string left open is looked for its closing quote on.
_WRAPPED_LINES = 4


def _ascii(word: str) -> str | None:
    """``word`` as a name in ASCII letters (beställ: bestall), or None when it is not one written in Latin letters."""
    folded = _folded(word)
    return folded if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", folded) else None


def _folded(word: str) -> str:
    """``word`` with its letters written as ASCII does where it can: the marks dropped (é: e), ß as ss, ..."""
    return "".join(c for c in unicodedata.normalize("NFKD", word.translate(_ASCII_LETTERS))
                   if unicodedata.category(c) != "Mn")


#: The quotes text is written in elsewhere (Markdown's backticks among them), and the one closing each.
_CLOSING_QUOTES = {"'": "'", "\u2018": "\u2019", "\u201c": "\u201d", "\u2019": "\u2019", "\u201d": "\u201d", "`": "`"}


def _character_hint(char: str, pair: str) -> str | None:
    if pair in ("=>", "<-") or char == "-":
        return "flows are written a -> b (one-way) or a <-> b (two-way)"
    if char in _CLOSING_QUOTES:
        return 'strings are written in straight double quotes: "like this"'
    if char == "/":
        return "comments start with #"
    if char == ";":
        return "a statement ends where the next begins: no ';' is needed"
    return None
