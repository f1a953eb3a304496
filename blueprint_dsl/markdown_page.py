"""Where a Markdown page holds blueprints: ```blueprint fences and image links to .svc files.

A page that shows how to write one, in a longer fence, a ``~~~`` block, an indented
code block or a code span, shows it as text: only a fence of its own, or an image link
in prose, is a diagram. Blocks follow CommonMark's rules (a fence closes with the same
character, at least as many of it; four spaces of indent more than the enclosing block
make code), inside Python-Markdown's containers: a list item, admonition, details
block, content tab, definition or footnote holds the lines indented four spaces past
the container it is in, whatever the indent of its own marker. A block quote runs from
a line that starts with ``>`` to the next blank line, and its lines are read without
their markers, as Python-Markdown reads them. What an HTML comment holds is left alone:
one that starts a line runs to its ``-->`` over any lines; one in a paragraph ends in it.
With attribute lists on (the attr_list extension), ``{ .class #id key=value }`` right
after an image link belongs to the link, as it belongs to an image.
Each blueprint found knows what starts a line in its container, so that what takes its
place can stay inside it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

_FENCE = re.compile(r"(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>.*?)[ \t]*")
# A list item, an admonition, details or a tab, a definition, a footnote.
_CONTAINER = re.compile(
    r"(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)|(?:!!!|\?{3}\+?|={3}[+!]?)[ \t]+\S|:[ \t]+\S|\[\^[^\]\s]+\]:(?:[ \t]|$)"
)
_THEMATIC_BREAK = re.compile(r"(?:[-*_][ \t]*){3,}")
_HEADING = re.compile(r"#{1,6}(?:[ \t]|$)")
_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<path>[^)\s]+\.svc)\)")
# What attr_list reads right after an image, and each attribute in it, as attr_list reads them.
_ATTRIBUTE_LIST = re.compile(r"\{:?[ ]*(?P<attributes>[^}\n ][^}\n]*)\}")
_ATTRIBUTE = re.compile(
    r"""(?P<name>[^ =}]+)=(?:"(?P<double>.*?)"|'(?P<single>.*?)'|(?P<bare>[^ =}]+))|(?P<word>[^ =}]+)""")
# Outside a code span a backslash escapes the next character; a run of backticks opens one.
_ESCAPE_OR_BACKTICKS = re.compile(r"\\.|`+", re.DOTALL)
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


@dataclass(frozen=True, slots=True, kw_only=True)
class ImageLink:
    """``![alt](path.svc)`` in prose, a table cell or a heading."""

    start: int
    end: int
    path: str
    #: What starts a line in the paragraph's container: a block whose lines start so stays in it.
    prefix: str
    #: Whether the link is in a heading, whose text becomes its id and its entry in the
    #: table of contents: what takes its place goes below the heading, not in its text.
    in_heading: bool
    #: The attributes of an attribute list after the link, ``("class", name)`` for each class, in order.
    attributes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class _Line:
    number: int
    start: int
    end: int
    indent: int
    #: Where the text after the indent starts.
    content_start: int
    #: The text after the indent, without the line break.
    content: str


def blueprints(markdown: str, *, attribute_lists: bool = False) -> Iterator[BlueprintFence | ImageLink]:
    """The blueprints of a page, in page order.

    ``attribute_lists``: whether Markdown reads ``{ .class }`` after an image (attr_list is on).
    """
    lines = _lines(markdown)
    paragraph: list[_Line] = []  # image links and code spans live in paragraphs
    paragraph_indent = 0
    containers: list[int] = []  # the indent of each open container's content, innermost last
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not line.content:
            yield from _images(markdown, paragraph, " " * paragraph_indent, attribute_lists)
            paragraph = []
            continue
        fence = _fence(line.content)
        quote = line.content.startswith(">")
        comment_end = _comment_end(markdown, line.content_start)
        starts_block = bool(fence or quote or comment_end or _CONTAINER.match(line.content)
                            or _HEADING.match(line.content))
        # A line that starts nothing continues the paragraph above it, however little it is indented.
        if starts_block or not paragraph:
            while containers and line.indent < containers[-1]:
                containers.pop()
        container = containers[-1] if containers else 0
        if line.indent - container >= TAB_SIZE:
            if paragraph:
                paragraph.append(line)
            continue  # otherwise indented code, which cannot interrupt a paragraph
        if starts_block:
            yield from _images(markdown, paragraph, " " * paragraph_indent, attribute_lists)
            paragraph = []
        if fence:
            closing, closed = _closing(lines, index, fence["fence"], container)
            if fence["info"] == "blueprint":
                yield _blueprint_fence(markdown, line, lines[index:closing], lines[closing] if closed else None)
            index = closing + 1 if closed else closing
        elif comment_end:
            while lines[index - 1].end < comment_end:
                index += 1
            paragraph, paragraph_indent = _after_comment(markdown, lines[index - 1], comment_end), container
        elif quote:
            end = next((number for number in range(index, len(lines)) if not lines[number].content), len(lines))
            yield from _quoted(markdown, lines[index - 1 : end], container, attribute_lists)
            index = end
        elif _HEADING.match(line.content):
            yield from _images(markdown, [line], " " * container, attribute_lists, in_heading=True)
        else:
            if _CONTAINER.match(line.content) and not _THEMATIC_BREAK.fullmatch(line.content):
                # Python-Markdown nests by four spaces a level, whatever the marker's own
                # indent: an item's lines are those four spaces past its container's.
                containers.append(container + TAB_SIZE)
            if not paragraph:  # a paragraph stays in the container it starts in
                paragraph_indent = containers[-1] if containers else 0
            paragraph.append(line)
    yield from _images(markdown, paragraph, " " * paragraph_indent, attribute_lists)


def _lines(markdown: str) -> list[_Line]:
    lines = []
    start = 0
    for number, text in enumerate(markdown.split("\n")):
        content = text.lstrip(" \t")
        indent = len(text[: len(text) - len(content)].expandtabs(TAB_SIZE))
        lines.append(_Line(number=number, start=start, end=start + len(text), indent=indent,
                           content_start=start + len(text) - len(content), content=content.rstrip()))
        start += len(text) + 1
    return lines


def _after_comment(markdown: str, line: _Line, comment_end: int) -> list[_Line]:
    """The paragraph that text after a comment on the comment's last line starts, if any."""
    rest = markdown[comment_end : line.end]
    if not rest.strip():
        return []
    content = rest.lstrip(" \t")
    return [_Line(number=line.number, start=comment_end, end=line.end, indent=line.indent,
                  content_start=line.end - len(content), content=content.rstrip())]


def _comment_end(markdown: str, start: int) -> int:
    """Where an HTML comment that starts at ``start`` ends, or 0 if none does: then ``<!--`` is text."""
    if not markdown.startswith("<!--", start):
        return 0
    end = markdown.find("-->", start + 4)
    return end + 3 if end != -1 else 0


def _fence(content: str) -> re.Match[str] | None:
    fence = _FENCE.fullmatch(content)
    if fence and fence["fence"][0] == "`" and "`" in fence["info"]:
        return None  # a backtick fence's info string holds no backtick: this is a code span
    return fence


def _closing(lines: list[_Line], index: int, fence: str, container: int) -> tuple[int, bool]:
    """Where a fence opened just above ``lines[index]`` ends, and whether a closing line ends it.

    A fence closes with the same character, at least as many of it. One that is never
    closed runs to the end of its container, or of the page.
    """
    closes = re.compile(re.escape(fence[0]) + f"{{{len(fence)},}}")
    for number in range(index, len(lines)):
        line = lines[number]
        if line.content and line.indent < container:
            return number, False
        if line.indent - container < TAB_SIZE and closes.fullmatch(line.content):
            return number, True
    return len(lines), False


def _quoted(markdown: str, quote: list[_Line], container: int,
            attribute_lists: bool) -> Iterator[BlueprintFence | ImageLink]:
    """The blueprints of a block quote, found in its lines without their markers.

    A line whose ``>`` stands less than four spaces into the container loses it and one
    space after it; another line (a lazy one) is read whole, as Python-Markdown does.
    """
    markers = [_marker(markdown, line, container) for line in quote]
    texts = [markdown[line.start + marker : line.end] for line, marker in zip(quote, markers)]
    starts = [0]
    for text in texts[:-1]:
        starts.append(starts[-1] + len(text) + 1)
    # A line of a block in the quote starts with the indent of the quote's first line and "> ",
    # which Python-Markdown takes off whole: what the block needs in the quote comes after.
    first = markdown[quote[0].start : quote[0].end]
    prefix = first[: first.index(">")] + "> "

    def outside(offset: int) -> int:
        number = bisect_right(starts, offset) - 1
        return quote[number].start + markers[number] + offset - starts[number]

    for found in blueprints("\n".join(texts), attribute_lists=attribute_lists):
        if isinstance(found, ImageLink):
            yield ImageLink(start=outside(found.start), end=outside(found.end), path=found.path,
                            prefix=prefix + found.prefix, in_heading=found.in_heading, attributes=found.attributes)
            continue
        body = "\n".join(" " * markers[found.line + number] + text if text else text
                         for number, text in enumerate(found.body.split("\n")))
        yield BlueprintFence(start=quote[bisect_right(starts, found.start) - 1].start, end=outside(found.end),
                             body=body, line=quote[0].number + found.line, prefix=prefix + found.prefix)


def _marker(markdown: str, line: _Line, container: int) -> int:
    """How many characters of a line of a block quote go before its text there: its ``>``, and a space after it."""
    if not line.content.startswith(">") or line.indent - container >= TAB_SIZE:
        return 0
    text = markdown[line.start : line.end]
    marker = text.index(">") + 1
    return marker + 1 if text[marker : marker + 1] == " " else marker


def _blueprint_fence(markdown: str, opening: _Line, body: list[_Line], closing: _Line | None) -> BlueprintFence:
    body_start = opening.end + 1
    if closing is not None:
        body_end, end = closing.start, closing.end
    elif body:
        body_end, end = body[-1].end + 1, body[-1].end
    else:
        body_end, end = body_start, opening.end
    return BlueprintFence(start=opening.start, end=end, body=markdown[body_start:body_end], line=opening.number + 1,
                          prefix=" " * opening.indent)


def _images(markdown: str, prose: list[_Line], prefix: str, attribute_lists: bool, *,
            in_heading: bool = False) -> Iterator[ImageLink]:
    """The image links to .svc files in a paragraph or heading, outside its code spans."""
    if not prose:
        return
    start = prose[0].start
    text = markdown[start : prose[-1].end]
    spans = list(_code_spans(text))
    comments = list(_comments(text, spans))
    for match in _IMAGE.finditer(text):
        if _escaped(text, match.start()) or any(_breaks(match, span) for span in spans):
            continue
        if any(comment_start < match.start() < comment_end for comment_start, comment_end in comments):
            continue
        attribute_list = _ATTRIBUTE_LIST.match(text, match.end()) if attribute_lists else None
        attributes = _attributes(attribute_list["attributes"]) if attribute_list else ()
        end = attribute_list.end() if attribute_list else match.end()
        yield ImageLink(start=start + match.start(), end=start + end, path=match["path"], prefix=prefix,
                        in_heading=in_heading, attributes=attributes)


def _attributes(attribute_list: str) -> tuple[tuple[str, str], ...]:
    """The attributes of an attribute list: ``.name`` is a class, ``#name`` the id, a word alone an empty value."""
    attributes = []
    for attribute in _ATTRIBUTE.finditer(attribute_list):
        word = attribute["word"]
        if word is None:
            value = next(value for value in attribute.group("double", "single", "bare") if value is not None)
            attributes.append((attribute["name"], value))
        elif word[0] in ".#" and word[1:]:
            attributes.append(("class" if word[0] == "." else "id", word[1:]))
        elif word[0] not in ".#":
            attributes.append((word, ""))
    return tuple(attributes)


def _code_spans(text: str) -> Iterator[tuple[int, int]]:
    """Where the code spans of a paragraph start and end: a run of backticks closes at the next run as long."""
    position = 0
    while match := _ESCAPE_OR_BACKTICKS.search(text, position):
        position = match.end()
        if match[0][0] == "\\":
            continue
        closing = re.compile(rf"(?<!`){match[0]}(?!`)").search(text, position)
        if closing is not None:  # otherwise the backticks are only text
            yield match.start(), closing.end()
            position = closing.end()


def _comments(text: str, code_spans: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """Where the HTML comments of a paragraph start and end, outside its code spans."""
    position = 0
    while (start := text.find("<!--", position)) != -1:
        position = start + 4
        if _escaped(text, start) or any(span_start <= start < span_end for span_start, span_end in code_spans):
            continue
        end = _comment_end(text, start)
        if not end:
            return  # no comment closes in the paragraph: the rest is text
        yield start, end
        position = end


def _escaped(text: str, index: int) -> bool:
    backslashes = len(text[:index]) - len(text[:index].rstrip("\\"))
    return backslashes % 2 == 1


def _breaks(image: re.Match[str], span: tuple[int, int]) -> bool:
    """Whether a code span holds the image's start or runs out of its alt text: then it is no image."""
    start, end = span
    return start <= image.start() < end or (image.start() < start < image.end() and end > image.end("alt"))
