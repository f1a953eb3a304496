"""One diagnostic type for everything the tool reports, syntax errors included.

A diagnostic names a code from the catalog (``codes.py``), a message, the span it
concerns and, where there is one, a hint saying what to do. Rendered as::

    path:line:col: error BP101 unknown-actor: no actor named 'mechnic'
       12 |     mechnic: "Inspects the bike"
          |     ^^^^^^^
          = hint: did you mean 'mechanic'?
"""

from __future__ import annotations

import enum
import functools
import re
from dataclasses import dataclass, field
from typing import Iterable, Mapping


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


@dataclass(frozen=True, slots=True, kw_only=True, order=True)
class Span:
    """Where a node came from: 1-based line and column, end exclusive."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def point(cls, path: str, line: int, column: int, width: int = 1) -> Span:
        return cls(path=path, line=line, column=column, end_line=line, end_column=column + width)

    def head(self, width: int) -> Span:
        """The first ``width`` characters of this span, as for the keyword opening a block."""
        return Span.point(self.path, self.line, self.column, width)


@dataclass(frozen=True, slots=True, kw_only=True)
class Diagnostic:
    """One finding: what is wrong or missing, where, and how to fix it."""

    code: str
    name: str
    severity: Severity
    message: str
    span: Span
    hint: str | None = None
    #: For a misspelt name: the name as written and the names it may be meant as,
    #: closest first. The hint quotes them cut short; an editor offers each in full.
    written: str | None = None
    meant: tuple[str, ...] = ()

    def sort_key(self) -> tuple:
        return (self.span.path, self.span.line, self.span.column, self.code, self.message)

    def headline(self) -> str:
        s = self.span
        return f"{s.path}:{s.line}:{s.column}: {self.severity.value} {self.code} {self.name}: {self.message}"

    def to_json(self) -> dict:
        s = self.span
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "message": self.message,
            "hint": self.hint,
            "path": s.path,
            "line": s.line,
            "column": s.column,
            "end_line": s.end_line,
            "end_column": s.end_column,
        }


#: A noqa comment, which keeps rule findings off its line, matched in the text of a
#: comment (``check`` finds the comments, so that a noqa inside a string is not one); one
#: in quotes there is mentioned, not meant. A reason may follow after a second '#':
#: `# noqa: BP412  # the lab is slow, accepted`. ``codes`` is what follows the colon;
#: without one, ``words`` is what follows the noqa, which is nothing in a bare noqa and a
#: mistake otherwise.
NOQA = re.compile(r"(?<![\"'`])#\s*noqa\b(?:\s*:(?P<codes>[^#]*)|(?P<words>[^#]*))(?:#.*)?$", re.IGNORECASE)

#: The most characters of a name or text from a blueprint that a message or hint quotes.
QUOTE_WIDTH = 60
#: The same for a file's path, whose folders are part of what names the file: only a
#: path longer than any a project has (written in an include, say) is cut.
PATH_WIDTH = 160


def clip(text: str, width: int = QUOTE_WIDTH) -> str:
    """``text`` as a message or hint quotes it: whole up to ``width`` characters, else
    its start and end around a '…', ``width`` characters in all.

    Names and texts can be any length (generated, pasted); quoted whole, a 5,000-character
    name makes a 5,000-character hint. The end stays too, so that two long names that
    differ only there still read apart.
    """
    if len(text) <= width:
        return text
    head = (width - 1) * 2 // 3
    return text[:head] + "\N{HORIZONTAL ELLIPSIS}" + text[len(text) - (width - 1 - head) :]


def did_you_mean(name: str, candidates: Iterable[str]) -> str | None:
    """A hint naming the closest candidates, or None when nothing is close."""
    return suggest(closest(name, candidates))


def closest(name: str, candidates: Iterable[str]) -> tuple[str, ...]:
    """Up to three candidates close to ``name``, closest first.

    Close as difflib measures it, with case and the characters that look alike (``O`` and
    ``0``, ``l`` and ``1``) read as one: ``BP4O1`` is closest to ``BP401``, not to
    BP411 with it. Of candidates as close, the one closer as written, then the first in
    alphabetical order.
    """
    import difflib  # only when a name is unknown: most runs never need it

    matcher, scored = difflib.SequenceMatcher(), []
    matcher.set_seq2(name.lower().translate(_LOOK_ALIKE))
    for candidate in sorted(set(candidates)):
        matcher.set_seq1(candidate.lower().translate(_LOOK_ALIKE))
        if matcher.real_quick_ratio() >= _CLOSE and matcher.quick_ratio() >= _CLOSE:
            ratio = matcher.ratio()
            if ratio >= _CLOSE:
                scored.append((-ratio, -difflib.SequenceMatcher(None, candidate, name).ratio(), candidate))
    return tuple(candidate for *_, candidate in sorted(scored)[:3])


#: How close a candidate must be to be named (difflib's ratio; get_close_matches' default).
_CLOSE = 0.6
#: The characters that look alike, read as one by ``closest`` (in lower case).
_LOOK_ALIKE = str.maketrans("ol", "01")


def suggest(names: Iterable[str]) -> str | None:
    """The hint naming ``names``, or None when there are none."""
    quoted = [f"'{clip(name)}'" for name in names]
    return "did you mean " + " or ".join(quoted) + "?" if quoted else None


def render_text(diagnostic: Diagnostic, sources: Mapping[str, str]) -> str:
    """The headline, then the source line with a caret under the span."""
    lines = [visible(diagnostic.headline())]
    source = sources.get(diagnostic.span.path)
    shown = excerpt(diagnostic.span, source) if source is not None else None
    if shown:
        lines.extend(shown)
    if diagnostic.hint:
        gutter = " " * (len(str(diagnostic.span.line)) + 1)
        lines.append(f"{gutter} = hint: {visible(diagnostic.hint)}")
    return "\n".join(lines)


def excerpt(span: Span, source: str) -> list[str]:
    """The line of ``source`` that ``span`` starts on, and a caret under the span."""
    source_lines = _lines(source)
    if not 1 <= span.line <= len(source_lines):
        return []
    text = source_lines[span.line - 1].expandtabs(1)
    if len(text) > 200:
        # A huge line (minified or generated) is cut around the span.
        start = max(0, span.column - 80)
        text = text[start : start + 160]
        column = span.column - start
    else:
        column = span.column
    width = span.end_column - span.column if span.end_line == span.line else len(text) - column + 1
    width = max(1, min(width, len(text) - column + 2))
    number = str(span.line)
    gutter = " " * len(number)
    before, under = text[: column - 1], text[column - 1 : column - 1 + width]
    return [
        f" {number} | {_printable(text)}",
        # Past the end of the line, as for what is missing there, one cell a column.
        f" {gutter} | {' ' * (cells(before) + column - 1 - len(before))}"
        f"{'^' * max(1, cells(under) + width - len(under))}",
    ]


def cells(text: str) -> int:
    """The terminal cells ``text`` takes: two for a wide character (CJK), none for a mark set
    on the letter before it (any nonspacing or enclosing mark, whatever its combining class:
    the vowel sign of नमस्ते)."""
    import unicodedata  # here: only for text that is not ASCII

    if text.isascii():
        return len(text)
    return sum(0 if unicodedata.category(c) in _NO_CELL else 2 if unicodedata.east_asian_width(c) in "WF" else 1
               for c in text)


_NO_CELL = ("Mn", "Me")


@functools.lru_cache(maxsize=4)
def _lines(source: str) -> tuple[str, ...]:
    """The lines of a source, split once for all its diagnostics; an empty file has none to show."""
    return tuple(source.split("\n")) if source else ()


def _printable(text: str) -> str:
    # Control characters in an excerpt would garble the terminal; one character each keeps the caret in place.
    # A space of another width (a no-break space pasted from a document) is shown as the file holds it.
    if text.isprintable():
        return text
    import unicodedata  # here: only for a line that holds such a character

    return "".join(c if c.isprintable() or unicodedata.category(c) == "Zs" else "\N{REPLACEMENT CHARACTER}"
                   for c in text)


def visible(text: str, keep: str = "") -> str:
    """``text`` with its control and format characters written as escapes (``\\n``, ``\\x1b``, ``\\u202e``).

    A blueprint's names and labels reach messages: written as they are, a line break
    could start a forged CI annotation, an escape sequence drive the terminal, a bidi
    override reorder what is read. The characters in ``keep`` stay as they are.
    """
    if text.isprintable():
        return text
    return "".join(
        c if c.isprintable() or c == " " or c in keep else c.encode("unicode_escape").decode("ascii") for c in text
    )


def sorted_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    return sorted(diagnostics, key=Diagnostic.sort_key)


@dataclass(slots=True)
class Collector:
    """Collects diagnostics for one run so that many are reported at once."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(self, diagnostic: Diagnostic) -> None:
        self.items.append(diagnostic)
