"""The values of a parse tree read and checked, for ``parser``: lanes, durations, themes and
emotions, and actor ids a step would read as keywords; and the span of any part of the
tree as it stands in the file, where recovery patched the text the tree was read from.
What a value gets wrong is a diagnostic at the value, and the value is None.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import codes
from .diagnostics import Diagnostic, Span, clip, closest, suggest
from .model import ACTOR_LANES, THEME_NAMES, Duration, Emotion, Lane
from .text import TOO_LONG, parse_duration

if TYPE_CHECKING:
    from collections.abc import Sequence

    import lark

    from .codes import Code
    from .recovery.shifts import Shifts


def edge_token(item: lark.Tree | lark.Token, end: int) -> lark.Token | None:
    """The first (``end=0``) or last (``end=-1``) token of a subtree."""
    while not isinstance(item, str):
        if not item.children:
            return None
        item = item.children[end]
    return item


# The words that open a statement in a step, with what each opens; and the words read as
# keywords right after an action, and right after a flow, in a step. An actor so named
# cannot act there (tests/test_grammar.py asks the parser which words they are).
STEP_KEYWORDS = {"evidence": "the step's evidence", "metric": "an annotation", "policy": "an annotation",
                 "time": "an annotation"}
AFTER_AN_ACTION = frozenset({"as", "in", "takes", "wait", "fail", "safe", "owner", "emotion", "note", "tag", "with"})
AFTER_A_FLOW = frozenset({"loop", "include", "stage", "tolerance", "theme", "owner", "scenario", "persona", "segment",
                          "version", "description", "actor", "person", "role", "system", "partner"})


class ValueReader:
    """Reads the values of a parse tree, and where its parts are, collecting what is wrong with them."""

    def __init__(
        self, path: str, shifts: Shifts | None = None, errors: frozenset[tuple[int, int]] = frozenset()
    ) -> None:
        self.path = path
        #: For a tree of a text that recovery patched: where its positions are in the file.
        self.shifts = shifts
        #: Where each syntax error starts in the file: a value found there is the repair's reading of it.
        self.errors = errors
        #: The spans of what the patches wrote, whose values are the repair's, not the file's.
        self.patched: set[Span] = set()
        #: The ids a patch wrote (1 read as step_1), which the file does not hold.
        self.repaired_ids: set[str] = set()
        self.diagnostics: list[Diagnostic] = []

    def span(self, item: lark.Tree | lark.Token) -> Span:
        first, last = edge_token(item, 0), edge_token(item, -1)
        if first is None or last is None:
            return Span(path=self.path, line=1, column=1, end_line=1, end_column=1)
        return self.between(first, last)

    def unknown(self, code: Code, token: lark.Token, verdict: str, known: Sequence[str], listing: str) -> None:
        """``token`` names none of ``known``: the closest are the hint and the editor's
        quick fixes, or else ``listing`` and every name in ``known``."""
        meant = closest(str(token), known)
        hint = suggest(meant) or f"{listing} " + ", ".join(known)
        self.diagnostics.append(
            code.at(self.span(token), f"'{clip(token)}' {verdict}", hint, written=str(token), meant=meant)
        )

    def between(self, first: lark.Token, last: lark.Token) -> Span:
        """From the start of ``first`` to the end of ``last``, as they stand in the file."""
        line, column, end_line, end_column = first.line, first.column, last.end_line, last.end_column
        if self.shifts is None:
            return Span(path=self.path, line=line, column=column, end_line=end_line, end_column=end_column)
        written = self.shifts.wrote(line, column)
        line, column = self.shifts.place(line, column)
        end_line, end_column = self.shifts.place(end_line, end_column)
        span = Span(path=self.path, line=line, column=column, end_line=end_line, end_column=end_column)
        if written:
            self.patched.add(span)
        return span

    def id_of(self, name: lark.Token) -> str:
        """The id ``name`` gives, noted where a patch wrote it."""
        if self.shifts is not None and self.shifts.wrote(name.line, name.column, name.end_column):
            self.repaired_ids.add(str(name))
        return str(name)

    def keyword_id(self, name: lark.Token) -> None:
        """Warn of an actor id that a step reads as a keyword: the actor could not act there."""
        after = " or ".join(what for what, words in (("an action", AFTER_AN_ACTION), ("a flow", AFTER_A_FLOW))
                            if name in words)
        if name in STEP_KEYWORDS:
            message = f"the actor '{name}' cannot act: in a step, '{name}' starts {STEP_KEYWORDS[name]}"
        elif after:
            message = f"the actor '{name}' cannot act right after {after} in a step, where '{name}' reads as a keyword"
        else:
            return
        self.diagnostics.append(codes.KEYWORD_ACTOR_ID.at(self.span(name), message, "give the actor another id"))

    def evidence_is_no_lane(self, token: lark.Token, hint: str) -> None:
        self.diagnostics.append(
            codes.INVALID_LANE_FOR_ACTOR.at(
                self.span(token),
                "evidence is what the customer sees, not a lane anyone acts in",
                f"{hint}: " + ", ".join(lane.value for lane in ACTOR_LANES),
            )
        )

    def lane(self, token: lark.Token) -> Lane | None:
        try:
            return Lane(str(token))
        except ValueError:
            self.unknown(codes.UNKNOWN_LANE, token, "is not a lane", [lane.value for lane in Lane], "the lanes are")
            return None

    def duration(self, token: lark.Token) -> Duration | None:
        if self.shifts is not None and (
            self.shifts.wrote(token.line, token.column, token.end_column)
            or self.shifts.place(token.line, token.column) in self.errors
        ):
            # The repair's (8 read as 8s, 1,5min as 1.5min; 5h-10min read as the 5h it starts
            # with, which it keeps as written): the file gives no duration.
            return None
        seconds, problem = parse_duration(str(token))
        if problem == "negative":
            zero = parse_duration(str(token)[1:])[0] == 0  # -0min
            self.diagnostics.append(
                codes.NEGATIVE_DURATION.at(
                    self.span(token),
                    f"'{clip(token)}' " + ("has a minus sign" if zero else "is below zero"),
                    "a duration is 0 or more" + (f": write {clip(token)[1:]}" if zero else ""),
                )
            )
            return None
        if problem == TOO_LONG:
            self.diagnostics.append(
                codes.INVALID_DURATION.at(
                    self.span(token),
                    f"'{clip(token)}' is longer than 100 years",
                    "a duration is at most 100 years (36525d): write how long it really takes",
                )
            )
            return None
        if seconds is None:
            self.diagnostics.append(
                codes.INVALID_DURATION.at(
                    self.span(token), f"'{clip(token)}' is not a duration", problem
                )
            )
            return None
        return Duration(seconds=seconds, text=str(token))

    def theme(self, tree: lark.Tree) -> str | None:
        token = tree.children[0]
        if token in THEME_NAMES:
            return str(token)
        self.unknown(codes.UNKNOWN_THEME, token, "is not a theme", THEME_NAMES, "the themes are")
        return None

    def emotion(self, token: lark.Token) -> Emotion | None:
        try:
            return Emotion(str(token))
        except ValueError:
            self.unknown(codes.UNKNOWN_EMOTION, token, "is not on the emotion scale", [e.value for e in Emotion],
                         "the scale is")
            return None
