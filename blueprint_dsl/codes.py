"""The codes of the diagnostics that reading a blueprint can produce.

Syntax, reference and value errors share one code space with the lane rules
(``rules/``): ``BP0xx`` syntax, ``BP1xx`` names and includes, ``BP2xx`` values,
``BP3xx`` lane errors, ``BP4xx`` lane warnings. A code is never reused.
"""

from __future__ import annotations

from dataclasses import dataclass

from .diagnostics import Diagnostic, Severity, Span


@dataclass(frozen=True, slots=True)
class Code:
    """A diagnostic's stable code, its name, default severity and one-line summary."""

    code: str
    name: str
    severity: Severity
    summary: str

    def at(
        self,
        span: Span,
        message: str,
        hint: str | None = None,
        *,
        written: str | None = None,
        meant: tuple[str, ...] = (),
    ) -> Diagnostic:
        return Diagnostic(
            code=self.code,
            name=self.name,
            severity=self.severity,
            message=message,
            span=span,
            hint=hint,
            written=written,
            meant=meant,
        )


E = Severity.ERROR
W = Severity.WARNING
I = Severity.INFO  # noqa: E741 (E, W and I, as the severities are written)

SYNTAX_ERROR = Code("BP001", "syntax-error", E, "The text does not follow the grammar.")
UNTERMINATED_STRING = Code("BP002", "unterminated-string", E, "A string has no closing quote.")
UNCLOSED_BLOCK = Code("BP003", "unclosed-block", E, "A `{` has no matching `}`.")
UNKNOWN_KEYWORD = Code("BP004", "unknown-keyword", E, "A word stands where a keyword belongs.")
UNEXPECTED_CHARACTER = Code("BP005", "unexpected-character", E, "A character the language does not use.")
INVALID_ENCODING = Code("BP006", "invalid-encoding", E, "The file is not valid UTF-8 text.")
NO_BLUEPRINT = Code("BP007", "no-blueprint", E, "The file holds no `blueprint` block.")
SEVERAL_BLUEPRINTS = Code("BP008", "several-blueprints", E, "A file holds more than one `blueprint` block.")
UNREADABLE_FILE = Code("BP009", "unreadable-file", E, "A file cannot be read.")
INVALID_NOQA = Code("BP010", "invalid-noqa", W, "A `# noqa` comment is malformed or names something no rule is called.")

UNKNOWN_ACTOR = Code("BP101", "unknown-actor", E, "A name refers to an actor that is not declared.")
UNKNOWN_ACTION = Code("BP102", "unknown-action", E, "A flow refers to an action that does not exist.")
DUPLICATE_ID = Code("BP103", "duplicate-id", E, "Two actors, two stages, two steps or two actions share an id.")
INCLUDE_NOT_FOUND = Code("BP104", "include-not-found", E, "An included file does not exist.")
INCLUDE_CYCLE = Code("BP105", "include-cycle", E, "Files include each other in a cycle.")
INCLUDE_OUTSIDE_ROOT = Code("BP106", "include-outside-root", E, "An include points outside the project root.")
UNKNOWN_LANE = Code("BP107", "unknown-lane", E, "A lane name that is not one of the five lanes.")
UNKNOWN_EMOTION = Code("BP108", "unknown-emotion", E, "An emotion that is not on the scale.")
BLUEPRINT_IN_INCLUDE = Code("BP109", "blueprint-in-include", E, "An included file holds a `blueprint` block.")
INCLUDE_TOO_DEEP = Code("BP110", "include-too-deep", E, "Includes nest deeper than the limit.")
UNKNOWN_THEME = Code("BP111", "unknown-theme", E, "A `theme` that is not one of the themes.")
KEYWORD_ACTOR_ID = Code("BP112", "keyword-actor-id", I, "An actor id that a step reads as a keyword.")

INVALID_DURATION = Code(
    "BP201", "invalid-duration", E, "A duration with a unit the language does not know, or longer than 100 years."
)
NEGATIVE_DURATION = Code("BP202", "negative-duration", E, "A duration below zero.")
ORPHAN_FAIL_DETAIL = Code(
    "BP203", "fail-detail-without-fail-point", E, "`safe` or `owner` on an action with no `fail`."
)
REPEATED_FACT = Code("BP204", "repeated-fact", E, "A header fact or action detail given twice.")
INVALID_LANE_FOR_ACTOR = Code(
    "BP205", "evidence-lane-for-actor", E, "An actor's home lane, or an action's lane, set to `evidence`."
)

CODES: tuple[Code, ...] = (
    SYNTAX_ERROR,
    UNTERMINATED_STRING,
    UNCLOSED_BLOCK,
    UNKNOWN_KEYWORD,
    UNEXPECTED_CHARACTER,
    INVALID_ENCODING,
    NO_BLUEPRINT,
    SEVERAL_BLUEPRINTS,
    UNREADABLE_FILE,
    INVALID_NOQA,
    UNKNOWN_ACTOR,
    UNKNOWN_ACTION,
    DUPLICATE_ID,
    INCLUDE_NOT_FOUND,
    INCLUDE_CYCLE,
    INCLUDE_OUTSIDE_ROOT,
    UNKNOWN_LANE,
    UNKNOWN_EMOTION,
    BLUEPRINT_IN_INCLUDE,
    INCLUDE_TOO_DEEP,
    UNKNOWN_THEME,
    KEYWORD_ACTOR_ID,
    INVALID_DURATION,
    NEGATIVE_DURATION,
    ORPHAN_FAIL_DETAIL,
    REPEATED_FACT,
    INVALID_LANE_FOR_ACTOR,
)
