"""Fenced blocks in a Markdown page, and the ```blueprint fences among them.

Python-Markdown's fence extensions read fences before any other block, over the page's
lines: a fence opens with a run of three or more backticks or tildes, and closes with a
line that holds the same run alone, no shorter and no longer, as indented as the opening
line (fenced_code and pymdownx.superfences agree on this). A line indented less than the
opening one, blank lines aside, gives the fence up, as superfences reads it. A fence never
closed is no fence: its lines are text. fenced_code still reads the fences among those
lines; superfences reads none up to where it gave the fence up (that line, or the page's end).
Where a fence may stand (indented up to three spaces, in a list item or a block quote) is
read as superfences reads it, whichever extension is on: fenced_code reads a fence only
at the very start of a line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from .markdown_prose import listed_attributes

# Read from a line's text without its trailing spaces: a pattern that left them out itself
# would try each space as the end of the info string, and take time in the square of their number.
_FENCE = re.compile(r"(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>.*)")
# An info string as pymdownx.superfences reads it: a language, then an attribute list or options;
# or an attribute list alone, whose first class is the language.
_INFO = re.compile(r"\.?(?P<language>[\w#.+-]+)(?:[ \t]+(?:\{(?P<attributes>.*)\}|(?P<rest>.*)))?|\{(?P<listed>.*)\}")
_OPTIONS = re.compile(r"""(?:[ \t]*[a-zA-Z][a-zA-Z0-9_]*(?:=(?:"[^"]*"|'[^']*'))?(?=[ \t]|$))+""")
_OPTION = re.compile(r"""(?P<name>[a-zA-Z][a-zA-Z0-9_]*)(?:=(?:"(?P<double>[^"]*)"|'(?P<single>[^']*)'))?""")
# What pymdownx.superfences reads before a fence's text on a line: spaces, tabs and a block quote's markers.
_PREFIX = re.compile(r"[ \t>]*")
TAB_SIZE = 4


@dataclass(frozen=True, slots=True, kw_only=True)
class BlueprintFence:
    """A ```blueprint fence, from the start of its opening line to the end of its closing one."""

    start: int
    end: int
    #: The body, with the markers of a block quote it is in made spaces: its columns are the file's.
    body: str
    #: The line of the page (counted from 0) the body starts on.
    line: int
    #: What starts the opening line before the fence (its indent, a block quote's ``> ``):
    #: a block whose lines start so stays in the fence's container.
    prefix: str
    #: The attributes its info string gives the diagram (``title="..."``, ``{ #id .class }``).
    attributes: tuple[tuple[str, str], ...] = ()
    #: What its info string holds after the language that is neither options nor an attribute list.
    unread: str = ""


class IndentedLine(Protocol):
    #: How many columns of spaces (tabs made spaces) go before its text.
    indent: int
    #: Its text after the indent, without the line break and trailing spaces.
    content: str


def opening_fence(content: str) -> re.Match[str] | None:
    """The run of backticks or tildes, and the info string, of a line's text (without
    trailing spaces) that opens a fence, if it can."""
    opening = _FENCE.fullmatch(content)
    if opening and opening["fence"][0] == "`" and "`" in opening["info"]:
        return None  # a backtick fence's info string holds no backtick: this is a code span
    return opening


@dataclass(frozen=True, slots=True)
class FenceInfo:
    """What a fence's info string says, as pymdownx.superfences reads it: the language, and the
    attributes it gives the block (options, ``title="Order"``, or an attribute list,
    ``{ #order .wide }``), or what it cannot read (``unread``)."""

    language: str
    attributes: tuple[tuple[str, str], ...] = ()
    unread: str = ""

    @classmethod
    def read(cls, info: str) -> FenceInfo:
        found = _INFO.fullmatch(info)
        if found is None:
            return cls(language="", unread=info)
        if found["listed"] is not None:
            attributes, read = listed_attributes(found["listed"])
            classes = [value for name, value in attributes if name == "class"]
            language = classes[0] if classes else ""
            attributes = tuple(attribute for attribute in attributes if attribute != ("class", language))
            return cls(language=language, attributes=attributes, unread=found["listed"][read:].strip())
        if found["attributes"] is not None:
            attributes, read = listed_attributes(found["attributes"])
            return cls(language=found["language"], attributes=attributes, unread=found["attributes"][read:].strip())
        rest = found["rest"] or ""
        if not _OPTIONS.fullmatch(rest):
            return cls(language=found["language"], unread=rest.strip())
        options = _OPTION.finditer(rest)
        attributes = tuple((option["name"], option["double"] or option["single"] or "") for option in options)
        return cls(language=found["language"], attributes=attributes)


class Fences:
    """The fences Markdown reads in a page's lines: where each opens, and the line that closes it."""

    def __init__(self, lines: Sequence[IndentedLine], superfences: bool, known: dict[int, int] | None = None) -> None:
        """``superfences``: whether pymdownx.superfences reads fences (else fenced_code); ``known``:
        the lines that open fences and those that close them, if read already (a block quote's)."""
        self.closings: dict[int, tuple[re.Match[str], int]] = {}  # by the number of each fence's opening line
        if known is not None:
            for number, closing in known.items():
                if opening := opening_fence(lines[number].content):
                    self.closings[number] = opening, closing
            return
        ends = _ends(lines)
        number = 0
        while number < len(lines):
            if number not in ends:
                number += 1
                continue
            opening, end, closed = ends[number]
            if closed:
                self.closings[number] = opening, end
            number = end + 1 if closed or superfences else number + 1

    def opening(self, number: int) -> re.Match[str] | None:
        """The fence and info string of a line that opens a fence, if ``lines[number]`` does."""
        found = self.closings.get(number)
        return found[0] if found else None

    def closing(self, number: int) -> int:
        """The number of the line that closes the fence ``lines[number]`` opens."""
        return self.closings[number][1]


def _ends(lines: Sequence[IndentedLine]) -> dict[int, tuple[re.Match[str], int, bool]]:
    """For each line that could open a fence: its fence, and the line that closes it and
    True, or the line where the fence is given up (the page's end, if none) and False.

    Read from the last line up, so that each is found at once: the nearest line below that
    is indented less, and the nearest below that holds a run alone, by the run and its indent.
    """
    ends = {}
    less_indented: list[int] = []  # lines below, each indented less than the one above it in the list
    closers: dict[tuple[str, int], int] = {}
    for number in range(len(lines) - 1, -1, -1):
        line = lines[number]
        if not line.content:
            continue
        while less_indented and lines[less_indented[-1]].indent >= line.indent:
            less_indented.pop()
        given_up = less_indented[-1] if less_indented else len(lines)
        opening = opening_fence(line.content)
        if opening:
            closer = closers.get((opening["fence"], line.indent), len(lines))
            ends[number] = (opening, closer, True) if closer < given_up else (opening, given_up, False)
            if not opening["info"]:
                closers[opening["fence"], line.indent] = number
        less_indented.append(number)
    return ends


def superfences_closings(lines: Sequence[str]) -> dict[int, int]:
    """The fences pymdownx.superfences reads in a page's lines (as written), read in one pass
    as it reads them: the line that opens each, and the one that closes it. After a fence it
    gives up, it reads on from the line after the one that gave it up."""
    closings: dict[int, int] = {}
    fence: _SuperFence | None = None
    opening = 0
    for number, line in enumerate(lines):
        if fence is None:
            fence, opening = _SuperFence.opened(line.rstrip("\r")), number
            continue
        closed = fence.read(line.rstrip("\r"))
        if closed:
            closings[opening] = number
        if closed is not None:
            fence = None
    return closings


class _SuperFence:
    """A fence pymdownx.superfences reads, in a block quote or not, read on line by line as it
    reads it: what goes before its text on each line (spaces, tabs and ``>``) is read up to as
    many columns as on its opening line, tabs made spaces."""

    def __init__(self, run: str, prefix: str) -> None:
        self.run = run
        self.prefix_length = len(prefix)
        self.width = len(prefix.expandtabs(TAB_SIZE))
        self.depth = prefix.count(">")
        self.blank_lines = 0  # since the last line of its body

    @classmethod
    def opened(cls, line: str) -> _SuperFence | None:
        """The fence a line (as written) opens, if it opens one."""
        prefix = _PREFIX.match(line)[0]
        opening = opening_fence(line[len(prefix) :].rstrip())
        return cls(opening["fence"], prefix) if opening else None

    def read(self, line: str) -> bool | None:
        """Whether a line closes the fence (True), or gives it up (False); None if it is one of its body."""
        prefix, content = self._split(line)
        depth = prefix.count(">")
        closes = re.fullmatch(re.escape(self.run) + r"[ \t]*", content) is not None
        if self.depth:
            if depth > self.depth:
                return False
            if not content:
                self.blank_lines += 1
                return None
            if len(prefix) < self.prefix_length or (self.blank_lines and depth < self.depth):
                return False
        else:
            if depth:
                return False
            if not (prefix + content).strip():
                self.blank_lines += 1
                return None
            if len(prefix) != self.width:
                return False
            closes = closes and not content.startswith((" ", "\t"))
        if closes:
            return True
        self.blank_lines = 0
        return None

    def _split(self, line: str) -> tuple[str, str]:
        """What goes before a line's text, up to the opening line's width (tabs made spaces), and the rest."""
        prefix: list[str] = []
        width = length = 0
        for character in line:
            if width >= self.width or character not in " \t>":
                break
            length += 1
            size = TAB_SIZE - width % TAB_SIZE if character == "\t" else 1
            prefix.append(" " * size if character == "\t" else character)
            width += size
        return "".join(prefix), line[length:]
