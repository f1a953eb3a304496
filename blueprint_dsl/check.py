"""The checker: the lane rules run over a loaded blueprint, filtered by configuration.

Syntax, reference and rule diagnostics come out of one function, sorted, with
``# noqa: CODE`` comments and the project's select, ignore and severity applied.
Only the lane rules (``BP3xx``, ``BP4xx``) are configurable: a syntax, reference or
value error means the blueprint cannot be read as written, and no comment or
configuration hides it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator

from . import codes
from .config import Config
from .diagnostics import NOQA, Diagnostic, Severity, Span, clip, did_you_mean, sorted_diagnostics
from .grammar import STRING_OR_COMMENT
from .loader import LoadResult
from .model import Blueprint
from .rules import RULES, RULES_BY_CODE, Facts

_RULE_NAMES = frozenset(rule.code.name for rule in RULES)


def check(result: LoadResult, config: Config = Config()) -> list[Diagnostic]:
    """Every diagnostic for a loaded blueprint, as configured."""
    diagnostics = list(result.diagnostics)
    # Rules need the grid: while the text does not parse or a name does not resolve
    # (an action of an unknown actor has no lane), they would report guesses. A note
    # among those codes (BP112) says the grid is whole.
    unresolved = any(d.code.startswith(("BP0", "BP1")) and d.severity is Severity.ERROR for d in diagnostics)
    if result.blueprint is not None and not unresolved:
        facts = Facts(result.blueprint, config.settings)
        for rule in RULES:
            if _selected(rule.code.code, rule.code.name, config):
                diagnostics.extend(rule.check(result.blueprint, facts))
    noqas = {path: _noqa_comments(text) for path, text in result.sources.items() if "noqa" in text.lower()}
    diagnostics.extend(_invalid_suppressions(noqas))
    diagnostics = [d for d in diagnostics if not _is_rule(d) or _selected(d.code, d.name, config)]
    diagnostics = _apply_severity(diagnostics, config)
    # Once each: `a -> typo -> b` is two flows that name the same unknown end.
    actions = _action_lines(result.blueprint) if noqas and result.blueprint is not None else {}
    return sorted_diagnostics(dict.fromkeys(_unsuppressed(diagnostics, noqas, actions)))


def _is_rule(diagnostic: Diagnostic) -> bool:
    return diagnostic.code in RULES_BY_CODE


def _selected(code: str, name: str, config: Config) -> bool:
    def matches(patterns: Iterable[str]) -> bool:
        return any(code.startswith(p.upper()) or p == name for p in patterns)

    if config.select and not matches(config.select):
        return False
    return not matches(config.ignore)


def _apply_severity(diagnostics: list[Diagnostic], config: Config) -> list[Diagnostic]:
    if not config.severity:
        return diagnostics
    changed = []
    for d in diagnostics:
        level = config.severity.get(d.code)
        changed.append(dataclasses.replace(d, severity=level) if level and _is_rule(d) else d)
    return changed


def _unsuppressed(
    diagnostics: list[Diagnostic], noqas: dict[str, _NoqaComments], actions: dict[tuple[str, int], list[Span]]
) -> list[Diagnostic]:
    """Drop rule hits whose lines carry a matching ``# noqa`` comment; syntax, reference and value errors stay.

    A finding within an action counts the action's lines as its own: one at a modifier
    on a continuation line (BP302 at a `with`) is suppressed from the action's first line.
    """
    kept = []
    for d in diagnostics:
        comments = noqas.get(d.span.path)
        if not _is_rule(d) or not comments:
            kept.append(d)
            continue
        lines = set(range(d.span.line, d.span.end_line + 1))
        for action in actions.get((d.span.path, d.span.line), ()):
            if _within(d.span, action):
                lines.update(range(action.line, action.end_line + 1))
        if not any(_suppresses(comments[n][1], d) for n in lines if n in comments):
            kept.append(d)
    return kept


def _action_lines(blueprint: Blueprint) -> dict[tuple[str, int], list[Span]]:
    """The spans of the actions written over several lines, by (path, each of their lines)."""
    spans: dict[tuple[str, int], list[Span]] = {}
    for action in blueprint.actions():
        span = action.span
        if span.end_line > span.line:
            for number in range(span.line, span.end_line + 1):
                spans.setdefault((span.path, number), []).append(span)
    return spans


def _within(inner: Span, outer: Span) -> bool:
    return ((outer.line, outer.column) <= (inner.line, inner.column)
            and (inner.end_line, inner.end_column) <= (outer.end_line, outer.end_column))


#: The noqa comment of each line that has one: the 0-based column of the comment's
#: '#', and the match of ``NOQA`` in the comment's text.
_NoqaComments = dict[int, tuple[int, re.Match[str]]]

#: A word of the list after a noqa's colon: a rule's code or name, or what was meant for
#: one. Whatever else stands between words (commas, spaces, semicolons) separates them.
_NOQA_WORD = re.compile(r"[\w\-]+")


def _noqa_comments(text: str) -> _NoqaComments:
    """The ``# noqa`` comments of a file, by line number."""
    found: _NoqaComments = {}
    line, counted = 1, 0
    for token in STRING_OR_COMMENT.finditer(text):
        comment = token.group(0)
        if not comment.startswith("#") or "noqa" not in comment.lower():
            continue
        match = NOQA.search(comment)
        if match is not None:
            line += text.count("\n", counted, token.start())
            counted = token.start()
            found[line] = (token.start() - text.rfind("\n", 0, token.start()) - 1, match)
    return found


def _invalid_suppressions(noqas: dict[str, _NoqaComments]) -> list[Diagnostic]:
    """A warning for each ``# noqa`` that suppresses nothing, or less than it says: at each
    word that is no rule's code or name, at a colon with no rule after it, and at the words
    that follow a noqa with no colon. Without it the finding meant would show with no clue why."""
    return [
        codes.INVALID_NOQA.at(Span.point(path, number, start + column + 1, width), *problem)
        for path, comments in noqas.items()
        for number, (start, match) in comments.items()
        for column, width, problem in _noqa_problems(match)
    ]


def _noqa_problems(match: re.Match[str]) -> Iterator[tuple[int, int, tuple[str, str]]]:
    """What is wrong with a ``# noqa``, each as the 0-based column and width of the text
    it is about, and a message and a hint."""
    if match.group("codes") is None:
        words = match.group("words")
        if words.strip():
            start = match.start("words") + len(words) - len(words.lstrip())
            yield start, len(words.strip()), (
                f"'{clip(words.strip())}' follows 'noqa' without a colon: the comment suppresses nothing",
                "name rules after a colon ('# noqa: BP401'); a reason goes after a second '#'",
            )
        return
    found = list(_NOQA_WORD.finditer(match.group("codes")))
    if not found:
        yield match.start("codes") - 1, 1, (
            "the noqa names no rule after its colon: it suppresses nothing",
            "name rules after the colon (`blueprint rules` lists them), or drop the colon to suppress every rule",
        )
    for word in found:
        problem = _not_a_rule(word.group(0))
        if problem is not None:
            yield match.start("codes") + word.start(), len(word.group(0)), problem


def noqa_copy(comment: str) -> str | None:
    """``comment``, a ``# noqa``, with only the words that name rules; None when it
    suppresses nothing, as when none of its words is a rule's.

    What ``fmt`` copies onto the lines it spreads a commented line over: a word that
    names no rule is reported once, where it was written, not once per copy.
    """
    match = NOQA.search(comment)
    if match is None:
        return comment
    if match.group("codes") is None:
        return None if match.group("words").strip() else comment
    words = list(_NOQA_WORD.finditer(match.group("codes")))
    kept = [word.group(0) for word in words if _not_a_rule(word.group(0)) is None]
    if not kept:
        return None
    if len(kept) == len(words):
        return comment
    separator = ", " if "," in match.group("codes") else " "
    # Up to the end of the list: what follows the last word, a quote say, may be no rule's.
    start, end = match.start("codes") + words[0].start(), match.start("codes") + len(match.group("codes").rstrip())
    return comment[:start] + separator.join(kept) + comment[end:]


def _not_a_rule(word: str) -> tuple[str, str] | None:
    """What is wrong with a word of a ``# noqa``, as a message and a hint, or None."""
    if word.upper() in RULES_BY_CODE or word in _RULE_NAMES:
        return None
    code = next((code for code in codes.CODES if word.upper() == code.code or word == code.name), None)
    if code is not None:
        reason = ("a note fails no check" if code.severity is Severity.INFO
                  else "a syntax, reference or value error always counts")
        return f"'{clip(word)}' cannot be suppressed: {reason}", "fix what it reports, then remove it from the comment"
    known = [*RULES_BY_CODE, *_RULE_NAMES]
    return f"'{clip(word)}' is not a rule's code or name", did_you_mean(word, known) or (
        "name rules by code or name (`blueprint rules` lists them); a reason goes after a second '#'"
    )


def _suppresses(match: re.Match[str], diagnostic: Diagnostic) -> bool:
    codes = match.group("codes")
    if codes is None:
        return not match.group("words").strip()  # a bare noqa: every rule
    named = set(_NOQA_WORD.findall(codes))
    return diagnostic.code in {c.upper() for c in named} or diagnostic.name in named


def failed(diagnostics: Iterable[Diagnostic], strict: bool = False) -> bool:
    failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    return any(d.severity in failing for d in diagnostics)
