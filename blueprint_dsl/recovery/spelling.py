"""Misspelt keywords: the keyword a word is a slip of."""

from __future__ import annotations

import difflib
import re

import lark

from ..grammar import keywords, keywords_of


def misspelt_keyword(token: lark.Token, source_line: str, expected: set[str]) -> tuple[str, int, str] | None:
    """A misspelt keyword at or just before the unexpected token.

    At the token, one of the keywords the parser expects there; just before it (read as
    a name, where a keyword would have made the token fit), any keyword.
    """
    candidates = [(str(token), token.column, keywords_of(expected))] if token.type == "NAME" else []
    before = re.search(r"(?<![\w.])([A-Za-z_]\w*)\s*$", source_line[: token.column - 1])
    if before:
        candidates.append((before.group(1), before.start(1) + 1, keywords()))
    for word, column, wanted in candidates:
        if word in keywords() or len(word) < 3 and word.lower() not in wanted:
            continue  # As, In: short, but a keyword in capitals
        keyword = closest_keyword(word, wanted)
        if keyword is not None:
            return word, column, keyword
    return None


def closest_keyword(word: str, wanted: frozenset[str]) -> str | None:
    """The keyword of ``wanted`` that ``word`` is a slip of: the fewest typing _edits among
    the similar ones, so that two swapped letters (``wiat``) give the word they swap (``wait``)."""
    if word.lower() in wanted:
        return word.lower()  # TAKES, As: a keyword in capitals
    words = sorted(wanted)
    similar = difflib.get_close_matches(word, words, n=3, cutoff=0.75)
    swapped = [keyword for keyword in words if sorted(keyword) == sorted(word) and edits(word, keyword) == 1]
    similar += [keyword for keyword in swapped if keyword not in similar]
    return min(similar, key=lambda keyword: edits(word, keyword), default=None)


def edits(a: str, b: str) -> int:
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
