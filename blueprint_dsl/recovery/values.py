"""Mistakes in how a value is written: its quotes, its commas, its keyword, its unit."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import lark

from .. import codes
from ..diagnostics import Diagnostic, Span, clip, visible
from ..grammar import keywords
from ..model import LANE_NAMES
from ..text import slug, unquote
from .durations import duration_spoken, one_duration
from .flows import LABEL_AFTER, label_before_loop
from .repairs import blank, is_name, last_statement, last_token, line_of, parses_past, written_over

if TYPE_CHECKING:
    from .mistakes import Mistake


def trailing_comma(m: Mistake) -> tuple[Diagnostic, str] | None:
    found = _tag_list_ended_by_comma(m)
    if found is not None:
        return found
    comma = re.search(r",\s*$", m.text[: m.token.start_pos])
    if not comma or not m.expected <= {"STRING", "NAME"}:
        return None
    line = line_of(m.text, comma.start())
    if m.token.type in m.expected and m.token.line == line:
        return None
    column = comma.start() - m.text.rfind("\n", 0, comma.start())
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, line, column), "a ',' with nothing after it", "remove it, or write the next item after it"
    )
    return diagnostic, m.text[: comma.start()] + " " + m.text[comma.start() + 1 :]


def strings_without_comma(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``evidence "Shop front" "Repair ticket" "Bike"``: the items of a list without the
    commas between them, each missing one put in its place."""
    token, before = m.token, m.stack[-1] if m.stack else None
    if token.type != "STRING" or "COMMA" not in m.expected or getattr(before, "type", None) != "STRING":
        return None
    if before.end_line != token.line:
        return None
    items, repaired, end = [*_items_before(m.text, before), str(before)], m.text[: before.end_pos], before.end_pos
    while (item := _NEXT_ITEM.match(m.text, end)) is not None:
        space, comma, string = item.group("space"), item.group("comma"), item.group("string")
        if not comma:  # the comma in the place of a space, so that the columns after it stay right
            space = "," + space[1:] if space.startswith(" ") else "," + space
        repaired += space + m.text[item.start("comma") : item.start("string")] + string
        items.append(string)
        end = item.end()
    repaired += m.text[end:]
    if not parses_past(repaired, token.line):
        return None
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, token.line, token.column, len(token) if token.end_line == token.line else 1),
        "the items of a list are separated by commas",
        f"write {clip(', '.join(items))}",
    )
    return diagnostic, repaired


def _items_before(text: str, item: lark.Token) -> list[str]:
    """The strings before ``item`` on its line that are items of its list, with commas between them."""
    items, start = [], item.start_pos
    line_start = text.rfind("\n", 0, start) + 1
    for string in reversed(list(_STRING.finditer(text, line_start, start))):
        if not re.fullmatch(r"[ \t]*,[ \t]*", text[string.end() : start]):
            break
        items.insert(0, string.group())
        start = string.start()
    return items


_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')
#: The next item of a list on its line: the space before it, its comma if written, and the string.
_NEXT_ITEM = re.compile(rf'(?P<space>[ \t]*)(?P<comma>,?)[ \t]*(?P<string>{_STRING.pattern})')


#: A string that ends at a place (searched up to it), the characters from a place that no
#: word or string holds, and a string after a place.
_STRING_BEFORE = re.compile(r'("(?:[^"\\\n]|\\.)*")[ \t]*$')
_SEPARATOR = re.compile(r'[^\w\s"{}#,]+')
_STRING_AFTER = re.compile(r'[ \t]*("(?:[^"\\\n]|\\.)*")')


def separator_between_strings(lines: list[str], path: str, line: int, column: int) -> tuple[Diagnostic, str] | None:
    """``evidence "Shop front" > "Repair ticket"``: characters between two strings where the
    ',' between two items of a list belongs, read as that ','."""
    source_line = lines[line - 1]
    first = _STRING_BEFORE.search(source_line, 0, column - 1)
    written = _SEPARATOR.match(source_line, column - 1)
    second = _STRING_AFTER.match(source_line, written.end()) if first and written else None
    if second is None:
        return None
    repaired = source_line[: column - 1] + ",".ljust(len(written.group())) + source_line[written.end() :]
    if not parses_past("\n".join([*lines[: line - 1], repaired, *lines[line:]]), line, second.end(1)):
        return None
    shown = clip(visible(written.group()))
    diagnostic = codes.UNEXPECTED_CHARACTER.at(
        Span.point(path, line, column, len(written.group())),
        f"unexpected character{'s' if len(written.group()) > 1 else ''} '{shown}'",
        f"the items of a list are separated by commas: write {clip(first.group(1))}, {clip(second.group(1))}",
    )
    lines[line - 1] = repaired
    return diagnostic, "\n".join(lines)


def _tag_list_ended_by_comma(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``tag peak, cash,`` at the end of a line: the actor of the next action, read as one
    more tag, and its ':' the error."""
    comma, name = m.stack[-2:] if len(m.stack) >= 2 else (None, None)
    if getattr(comma, "type", None) != "COMMA" or not is_name(name) or m.token.type != "COLON":
        return None
    if name.line == comma.line or m.token.line != name.line:
        return None
    repaired = m.text[: comma.start_pos] + " " + m.text[comma.end_pos :]
    if not parses_past(repaired, m.token.line):
        return None
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, comma.line, comma.column), "a ',' with nothing after it",
        "remove it, or write the next item after it",
    )
    return diagnostic, repaired


def text_missing_after_colon(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``encode -> occupy :`` or ``guest:`` at the end of a line: the label or the text
    left out, where the next line is a statement, not the string it would be read as."""
    stack = m.stack
    colon = stack[-1] if stack else None
    if getattr(colon, "type", None) != "COLON" or "STRING" not in m.expected or m.token.line == colon.line:
        return None
    before = stack[-2] if len(stack) >= 2 else None
    if isinstance(before, lark.Tree) and before.children and getattr(before.children[0], "type", None) == "ARROW":
        # The arrows and names of a flow: without its ':', the flow is whole.
        message = "the flow's label is missing after ':'"
        hint = "write the label in quotes after ':', or remove the ':'"
        repaired = m.text[: colon.start_pos] + " " + m.text[colon.end_pos :]
    elif is_name(before):
        # An action without its text: left out, so that nothing is reported of it twice.
        message = f"the action of '{clip(before)}' has no text after ':'"
        hint = f'write what they do in quotes after \':\', as {clip(before)}: "what they do"'
        start, end = before.start_pos, colon.end_pos
        repaired = m.text[:start] + blank(m.text[start:end]) + m.text[end:]
    else:
        return None
    if not parses_past(repaired, m.token.line):
        return None  # the next line is not a statement: the text meant, without quotes
    return codes.SYNTAX_ERROR.at(Span.point(m.path, colon.line, colon.column), message, hint), repaired


#: Words up to the '"' that closes them, which opens no string: the body of a string and its end.
_TO_CLOSING_QUOTE = re.compile(r'(?:[^"\\\n]|\\.)*"')


def string_without_opening_quote(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``barista: Takes the order, asks for a name" takes 30s``: text where a string
    belongs, ended by a '"' whose string was never opened."""
    token = m.token
    if token.type != "NAME" or "STRING" not in m.expected or "NAME" in m.expected:
        return None
    written = _TO_CLOSING_QUOTE.match(m.lines[token.line - 1], token.column - 1)
    if written is None:
        return None
    repaired = m.text[: token.start_pos] + '"' + m.text[token.start_pos :]
    if not parses_past(repaired, token.line):
        return None
    meant = '"' + written.group(0)
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, token.line, token.column, written.end() - written.start()),
        "the opening quote of this text is missing",
        f"write {clip(meant)}",
    )
    return diagnostic, repaired


#: The first word of a lane written in two (front stage), right before the 'stage' read as a keyword.
_LANE_FIRST_WORD = re.compile(r"(?<![\w-])(front|back)[ \t]+$", re.IGNORECASE)


def lane_of_two_words(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``person mechanic front stage "Mechanic"``, ``in back stage``: a lane written as two
    words, whose second reads as a stage that opens no block."""
    for word in [m.token, *m.stack[-3:]]:
        if not isinstance(word, lark.Token) or str(word) != "stage":
            continue
        first = _LANE_FIRST_WORD.search(m.lines[word.line - 1], 0, word.column - 1)
        if first is None:
            continue
        start = word.start_pos - (word.column - 1 - first.start())
        written = m.text[start : word.end_pos]
        meant = (first.group(1) + "stage").lower()
        repaired = m.text[:start] + meant.ljust(len(written)) + m.text[word.end_pos :]
        if not parses_past(repaired, word.line):
            return None
        diagnostic = codes.SYNTAX_ERROR.at(
            Span.point(m.path, word.line, first.start() + 1, len(written)),
            f"'{clip(written)}' is two words, and a lane is one",
            f"write {meant}",
        )
        return diagnostic, repaired
    return None


def colon_after_keyword(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``emotion: pleased``, as in YAML."""
    stack, token = m.stack, m.token
    if token.type == "COLON" and stack and str(stack[-1]) in keywords() and stack[-1].line == token.line:
        keyword, colon = stack[-1], token
    elif len(stack) >= 2 and getattr(stack[-1], "type", None) == "COLON" and str(stack[-2]) in keywords():
        keyword, colon = stack[-2], stack[-1]
    else:
        return None
    label = LABEL_AFTER.match(m.text, colon.end_pos) if keyword == "loop" else None
    found = label_before_loop(m, keyword, label.group(1), label.end()) if label is not None else None
    if found is not None:  # ``a -> b loop : "again"``
        return found
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, colon.line, colon.column),
        f"'{keyword}' takes no ':'",
        "remove the ':'" if keyword == "loop" else f"write {keyword} and its value with a space between them",
    )  # loop, alone of the keywords, takes no value
    return diagnostic, m.text[: colon.start_pos] + " " + m.text[colon.end_pos :]


def string_for_name(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``tag "happy path"``: a string after a keyword that takes a name."""
    token = m.token
    if token.type != "STRING" or m.expected != {"NAME"} or not m.stack or str(m.stack[-1]) not in keywords():
        return None
    keyword, label = m.stack[-1], unquote(token)
    made = slug(label, default="x")[: len(token)]
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, token.line, token.column, len(token) if token.end_line == token.line else 1),
        f"'{keyword}' takes a name, not a string",
        f"write a name of letters, digits and _ without quotes: {keyword} {clip(made)}",
    )
    return diagnostic, m.text[: token.start_pos] + written_over(str(token), made) + m.text[token.end_pos :]


def quoted_duration(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``takes "5min"``: a duration in quotes, read as the words in them."""
    token = m.token
    if token.type != "STRING" or "DURATION" not in m.expected or not re.fullmatch(r'\s*-?[0-9][^"]*', unquote(token)):
        return None
    # "5 min" is 5min, "10 minutes" 10min; of "5-10min" the next error tells, when the words are read as written.
    words = " ".join(unquote(token).split())
    meant = duration_spoken(words) or words
    written = str(token)
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, token.line, token.column, len(written) if token.end_line == token.line else 1),
        "a duration is written without quotes",
        f"write {clip(meant)}",
    )
    return diagnostic, m.text[: token.start_pos] + written_over(written, meant) + m.text[token.end_pos :]


def duration_in_words(m: Mistake) -> tuple[Diagnostic, str] | None:
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
    if not words:  # takes, then the next action on the next line: nothing was written for it
        return None
    diagnostic = codes.INVALID_DURATION.at(
        Span.point(m.path, token.line, token.column, width),
        f"'{clip(' '.join(words))}' is not a duration",
        "write a number and its unit, such as 5min, 90s or 2h",
    )
    return diagnostic, m.text[: token.start_pos] + "0s".ljust(width) + m.text[token.start_pos + width :]


def quote_inside_string(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``"Asks for the "usual" coffee"``: a '"' inside text ends the string, and the word
    after it reads as the start of a flow."""
    word = m.stack[-1] if m.stack else None
    if not is_name(word) or m.text[word.start_pos - 1 : word.start_pos] != '"':
        return None
    inner = re.match(r'[^"\n]*(")[^"\n]*"', m.text[word.start_pos :])
    opening = m.text.rfind('"', 0, word.start_pos - 1)
    if inner is None or opening < 0 or line_of(m.text, opening) != word.line:
        return None
    first, second = word.start_pos - 1, word.start_pos + inner.start(1)
    repaired = m.text[:first] + "'" + m.text[first + 1 : second] + "'" + m.text[second + 1 :]
    if not parses_past(repaired, word.line):
        return None
    meant = m.text[opening + 1 : word.start_pos + inner.end() - 1]
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, word.line, word.column - 1, second - first + 1),
        "a '\"' inside text ends the string",
        'write \\" for a quote inside text: "' + clip(meant.replace('"', '\\"')) + '"',
    )
    return diagnostic, repaired


def word_after_action(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``guest: "Asks" ask``: a word after an action's details without the keyword it
    needs, or a second tag without the comma before it."""
    word, action = m.stack[-1] if m.stack else None, last_statement(m.stack)
    if not is_name(word) or not isinstance(action, lark.Tree) or action.data != "action":
        return None
    if last_token(action).line != word.line or str(word) in keywords():
        return None
    details = {child.data: child for child in action.children if isinstance(child, lark.Tree)}
    rest = m.lines[word.line - 1][word.end_column - 1 :]
    last = action.children[-1]
    if isinstance(last, lark.Tree) and last.data == "tags":
        # tag peak cash card: the words to the end of the line are the tags.
        words = re.match(r"(?:\s+[A-Za-z_]\w*)*", rest).group(0)
        separated = re.sub(r"\s(\s*)(?=\w)", r",\1", words)
        end = word.end_pos + len(words)
        tags = ", ".join([*map(str, last.children), str(word), *words.split()])
        diagnostic = codes.SYNTAX_ERROR.at(
            Span.point(m.path, word.line, word.column, end - word.start_pos),
            "tags are separated by commas",
            f"write tag {clip(tags)}",
        )
        return diagnostic, m.text[: word.start_pos - 1] + "," + str(word) + separated + m.text[end:]
    if rest.strip() and not rest.lstrip().startswith("#"):
        return None  # more words: text without quotes
    keyword = "in" if str(word) in LANE_NAMES else "as"
    if ("lane_override" if keyword == "in" else "action_id") in details:
        return None
    repaired = m.text[: word.start_pos] + keyword + " " + m.text[word.start_pos :]
    if not parses_past(repaired, word.line):
        return None
    meaning = "lane" if keyword == "in" else "id"
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, word.line, word.column, len(word)),
        f"'{clip(word)}' follows the action without a keyword",
        f"an action's {meaning} is written after '{keyword}': {keyword} {clip(word)}",
    )
    return diagnostic, repaired


def duration_in_two_units(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``takes 1h30min``: two durations in a row, the second read as a word too many."""
    token, first = m.token, m.stack[-1] if m.stack else None
    if token.type != "DURATION" or getattr(first, "type", None) != "DURATION" or first.line != token.line:
        return None
    meant = one_duration([str(first), str(token)])
    if meant is None:
        return None
    written = m.text[first.start_pos : token.end_pos]
    diagnostic = codes.INVALID_DURATION.at(
        Span.point(m.path, first.line, first.column, len(written)),
        f"'{clip(written)}' is two durations: a duration is one number and one unit",
        f"write {meant}",
    )
    return diagnostic, m.text[: first.start_pos] + meant.ljust(len(written)) + m.text[token.end_pos :]


#: What follows a quoted key: its ':', the value (strings whole, so a '#' in one stays in
#: it) and a comment. Each piece of the value starts with a character of its own, so a
#: long line is read once, not once per space at its end.
_KEY_VALUE = re.compile(r'\s*:(?P<value>(?:"(?:[^"\\\n]|\\.)*"|[^"#\n])*)(?P<comment>#.*)?$')


def quoted_key(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``"persona": "Commuter",``: a key in quotes, as JSON writes it."""
    token = m.token
    line = m.lines[token.line - 1]
    key = unquote(token) if token.type == "STRING" else ""
    after = _KEY_VALUE.match(line[token.end_column - 1 :])
    if not re.fullmatch(r"[A-Za-z_]\w*", key) or after is None or line[: token.column - 1].strip():
        return None
    keyword = key in keywords()
    value = after.group("value").strip()
    value = value.removesuffix(",").rstrip()  # as JSON ends it
    meant = f"{key} {value}" if keyword else f"{key}: {value}"
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, token.line, token.column, len(token)),
        f"'{clip(key)}' is written without quotes" + (" and without ':'" if keyword else ""),
        f"write {clip(meant)}",
    )
    start = token.start_pos
    width = token.end_column - 1 + after.end() - (token.column - 1)
    comment = after.group("comment") or ""
    written = meant.ljust(width - len(comment)) + comment
    return diagnostic, m.text[:start] + written + m.text[start + width :]
