"""Where a Markdown page holds blueprints: ```blueprint fences and image links to .svc files.

A page that shows how to write one, in a longer fence, a ``~~~`` block, an indented
code block or a code span, shows it as text: only a fence of its own, or an image link
in prose, is a diagram. Fences are read as Python-Markdown's fence extensions read them
(``markdown_fences.py``); four spaces of indent more than the enclosing block make code,
inside Python-Markdown's containers: a list item, admonition, details block, content
tab, definition or footnote holds the lines indented four spaces past the container it
is in, whatever the indent of its own marker. A block quote runs from
a line that starts with ``>`` to the next blank line; its fences are those
pymdownx.superfences closes, whose lines are quoted as their opening lines are, and they
run on over blank lines. Its lines are
read without their markers, tabs made spaces first, as Python-Markdown reads them. A
heading is a line that starts with ``#``, or a paragraph's one line above a line of
``=`` or ``-``. What an HTML comment holds is left alone: one that starts a line runs to
its ``-->`` over any lines; one in a paragraph ends in it. So is what a raw HTML block
holds, but for fences, which Markdown reads first: where such a block starts and ends is
read in ``markdown_html.py``. The image links of a paragraph or heading are read in
``markdown_prose.py``; with the tables extension on, those of a table's cells one cell at a
time (``markdown_tables.py``).
Each blueprint found knows what starts a line in its container, so that what takes its
place can stay inside it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, replace

from .markdown_fences import TAB_SIZE, BlueprintFence, FenceInfo, Fences, superfences_closings
from .markdown_html import HtmlBlocks, RawBlock
from .markdown_links import ESCAPED_CHARACTERS
from .markdown_prose import CommentEnds, ImageLink, LinkReading, images
from .markdown_tables import table_cells

# A list item, an admonition, details or a tab, a definition, a footnote.
_CONTAINER = re.compile(
    r"(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)|(?:!!!|\?{3}\+?|={3}[+!]?)[ \t]+\S|:[ \t]+\S|\[\^[^\]\s]+\]:(?:[ \t]|$)"
)
_THEMATIC_BREAK = re.compile(r"(?:[-*_][ \t]*){3,}")
_HEADING = re.compile(r"#{1,6}(?:[ \t]|$)")
# The line under a paragraph's one line that makes it a heading (a setext heading).
_UNDERLINE = re.compile(r"=+|-+")
# Python-Markdown reads block quotes as deep as its stack lets it (some 300 levels) and the
# rest as text; the scanner reads this many, and a deeper quote's lines as a paragraph's.
_QUOTE_DEPTH = 100


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


def blueprints(markdown: str, *, attribute_lists: bool = False, escaped: frozenset[str] = ESCAPED_CHARACTERS,
               html: HtmlBlocks = HtmlBlocks(), superfences: bool = False,
               tables: bool = False) -> Iterator[BlueprintFence | ImageLink]:
    """The blueprints of a page, in page order.

    ``attribute_lists``: whether Markdown reads ``{ .class }`` after an image (attr_list is on);
    ``escaped``: the characters a backslash escapes; ``html``: how it reads raw HTML;
    ``superfences``: whether pymdownx.superfences reads fences (else fenced_code); ``tables``:
    whether the tables extension reads tables.
    """
    reading = LinkReading(attribute_lists=attribute_lists, escaped=escaped)
    return _blueprints(markdown, reading, superfences, tables, depth=0, html=html)


def _blueprints(markdown: str, reading: LinkReading, superfences: bool, tables: bool, depth: int,
                html: HtmlBlocks | None = None, quoted: dict[int, int] | None = None
                ) -> Iterator[BlueprintFence | ImageLink]:
    """The blueprints of a page, or of a block quote ``depth`` quotes deep, in order.

    ``html``: how raw HTML is read, in the page's own lines (Markdown takes none out of a block quote);
    ``quoted``: in a block quote, the lines that open the fences it holds, and those that close them
    (on a page, those of its block quotes are read first).
    """
    lines = _lines(markdown)
    fences = Fences(lines, superfences, quoted)
    if quoted is None:  # the fences of the page's block quotes
        quoted = superfences_closings(markdown.split("\n"))
    comments = CommentEnds(markdown)
    raw: RawBlock | None = None  # the raw HTML block the line is in
    paragraph: list[_Line] = []  # image links and code spans live in paragraphs
    paragraph_indent = 0
    paragraph_container = 0  # the indent of the container the paragraph's first line is in
    containers: list[int] = []  # the indent of each open container's content, innermost last
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not line.content:
            yield from _images(markdown, paragraph, " " * paragraph_indent, reading, tables)
            paragraph = []
            continue
        fence = fences.opening(index - 1)
        if raw is None and html is not None and not fence and line.indent < TAB_SIZE:
            before: list[_Line] = []
            raw = html.opened(markdown, line.content_start, comments)
            if raw is None and (empty_end := html.empty_block_end(markdown, line.content_start)):
                before, raw = _tail(markdown, line, empty_end, html, comments)
            if raw is not None:  # Markdown takes it out before it reads paragraphs and containers: it ends them
                yield from _images(markdown, paragraph, " " * paragraph_indent, reading, tables)
                yield from _images(markdown, before, "", reading, tables)
                paragraph, containers = [], []
        elif raw is not None and fence and line.indent < TAB_SIZE and line.start >= raw.position:
            blueprint, index = _fenced(markdown, lines, index, fences)  # Markdown reads fences before raw HTML
            if blueprint:
                yield blueprint
            raw.skip(lines[index - 1].end)
            continue
        if raw is not None:
            end = raw.end(line.end)
            while end is not None:  # the rest of the line is Markdown, up to a tag that opens another block
                before, raw = _tail(markdown, line, end, html, comments)
                if raw is None:
                    paragraph, paragraph_indent, paragraph_container = before, 0, 0
                    break
                yield from _images(markdown, before, "", reading, tables)
                end = raw.end(line.end)
            continue
        if len(paragraph) == 1 and line.indent == paragraph_container and _UNDERLINE.fullmatch(line.content):
            yield from _images(markdown, paragraph, " " * paragraph_container, reading, heading_end=line.end)
            paragraph = []
            continue
        quote = line.content.startswith(">") and depth < _QUOTE_DEPTH
        comment_end = comments.end(line.content_start)
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
            yield from _images(markdown, paragraph, " " * paragraph_indent, reading, tables)
            paragraph = []
        if fence:
            blueprint, index = _fenced(markdown, lines, index, fences)
            if blueprint:
                yield blueprint
        elif comment_end:
            while lines[index - 1].end < comment_end:
                index += 1
            paragraph, paragraph_indent = _after(markdown, lines[index - 1], comment_end), container
            paragraph_container = container
            if html is not None and line.indent < TAB_SIZE:
                before, raw = _tail(markdown, lines[index - 1], comment_end, html, comments)
                if raw is not None:  # read the rest of the comment's last line again, in the block
                    yield from _images(markdown, before, "", reading, tables)
                    paragraph, containers = [], []
                    index -= 1
        elif quote:
            start = index - 1
            end, closings = _quote_end(markdown, lines, start, html, comments, quoted)
            yield from _quoted(markdown, lines[start:end], container, reading, superfences, tables,
                               depth + 1, {opening - start: closing - start for opening, closing in closings.items()})
            index = end
        elif _HEADING.match(line.content):
            yield from _images(markdown, [line], " " * container, reading, heading_end=line.end)
        else:
            if not paragraph:
                paragraph_container = container
            if _CONTAINER.match(line.content) and not _THEMATIC_BREAK.fullmatch(line.content):
                # Python-Markdown nests by four spaces a level, whatever the marker's own
                # indent: an item's lines are those four spaces past its container's.
                containers.append(container + TAB_SIZE)
            if not paragraph:  # a paragraph stays in the container it starts in
                paragraph_indent = containers[-1] if containers else 0
            paragraph.append(line)
    yield from _images(markdown, paragraph, " " * paragraph_indent, reading, tables)


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


def _after(markdown: str, line: _Line, end: int, stop: int | None = None) -> list[_Line]:
    """The paragraph that text after a comment or raw HTML block, on the line it ends on at
    ``end`` (up to ``stop``, if given), starts, if any."""
    stop = line.end if stop is None else stop
    rest = markdown[end:stop]
    if not rest.strip():
        return []
    content = rest.lstrip(" \t")
    return [_Line(number=line.number, start=end, end=stop, indent=line.indent,
                  content_start=stop - len(content), content=content.rstrip())]


def _tail(markdown: str, line: _Line, end: int, html: HtmlBlocks,
          comments: CommentEnds) -> tuple[list[_Line], RawBlock | None]:
    """What follows a block of HTML that ends at ``end`` on ``line``: the Markdown text up to
    a start tag that opens another raw block, and that block; or the paragraph the rest starts."""
    opened = html.opened_after(markdown, end, line.end, comments)
    if opened is None:
        return _after(markdown, line, end), None
    start, raw = opened
    return _after(markdown, line, end, min(start, line.end)), raw


def _fenced(markdown: str, lines: list[_Line], index: int, fences: Fences) -> tuple[BlueprintFence | None, int]:
    """The blueprint a fence opened on ``lines[index - 1]`` holds, if it is one, and the index of the line after it."""
    closing = fences.closing(index - 1)
    info = FenceInfo.read(fences.opening(index - 1)["info"])
    if info.language != "blueprint":
        return None, closing + 1
    return _blueprint_fence(markdown, lines[index - 1], lines[closing], info), closing + 1


def _quote_end(markdown: str, lines: list[_Line], start: int, html: HtmlBlocks | None, comments: CommentEnds,
               quoted: dict[int, int]) -> tuple[int, dict[int, int]]:
    """Where a block quote that starts at ``lines[start]`` ends, and the fences in it: the
    lines that open them, and those that close them.

    pymdownx.superfences reads fences first, over the page's lines: ``quoted`` holds those it
    closes, and a fence in the quote runs on over blank lines to its closing line. Else the
    quote ends at the next blank line, or at a line that starts a block of HTML (a raw block,
    read as ``html`` says, or a comment, ``<hr>`` or block-level tag closed with ``/>``;
    none if ``html`` is None).
    """
    closings: dict[int, int] = {}
    number = start
    while number < len(lines):
        line = lines[number]
        if number in quoted:
            closings[number] = quoted[number]
            number = quoted[number] + 1
            continue
        if not line.content or (
                html is not None and number > start and line.indent < TAB_SIZE
                and (html.opened(markdown, line.content_start, comments)
                     or html.empty_block_end(markdown, line.content_start) or comments.end(line.content_start))):
            return number, closings
        number += 1
    return len(lines), closings


def _quoted(markdown: str, quote: list[_Line], container: int, reading: LinkReading, superfences: bool,
            tables: bool, depth: int, fences: dict[int, int]) -> Iterator[BlueprintFence | ImageLink]:
    """The blueprints of a block quote, found in its lines without their markers, its fences
    those that open and close on the lines ``fences`` says.

    As Python-Markdown does, a line's tabs are made spaces first; then a line whose ``>``
    stands less than four spaces into the container loses it and one space after it;
    another line (a lazy one) is read whole.
    """
    texts, origins, markers = [], [], []
    for line in quote:
        text, origin = _expanded(markdown[line.start : line.end])
        markers.append(_marker(text, line, container))
        texts.append(text[markers[-1] :])
        origins.append(origin)
    starts = [0]
    for text in texts[:-1]:
        starts.append(starts[-1] + len(text) + 1)
    # A line of a block in the quote starts with the indent of the quote's first line and "> ",
    # which Python-Markdown takes off whole: what the block needs in the quote comes after.
    first = markdown[quote[0].start : quote[0].end]
    prefix = first[: first.index(">")] + "> "

    def outside(offset: int) -> int:
        """Where a place in the quote's text is in the text the quote is in."""
        number = bisect_right(starts, offset) - 1
        column = markers[number] + offset - starts[number]
        return quote[number].start + (origins[number][column] if origins[number] else column)

    def body_line(number: int, text: str) -> str:
        """A line of a fence's body as the text the quote is in has it, what goes before its text made spaces."""
        if not text.strip():
            return text
        text_start = outside(starts[number] + len(text) - len(text.lstrip(" ")))
        return " " * (text_start - quote[number].start) + markdown[text_start : quote[number].end]

    for found in _blueprints("\n".join(texts), reading, superfences, tables, depth, quoted=fences):
        if isinstance(found, ImageLink):
            heading_end = outside(found.heading_end) if found.heading_end is not None else None
            yield replace(found, start=outside(found.start), end=outside(found.end), prefix=prefix + found.prefix,
                          heading_end=heading_end)
            continue
        body = "\n".join(body_line(found.line + number, text) for number, text in enumerate(found.body.split("\n")))
        yield replace(found, start=quote[bisect_right(starts, found.start) - 1].start, end=outside(found.end),
                      body=body, line=quote[0].number + found.line, prefix=prefix + found.prefix)


def _expanded(text: str) -> tuple[str, list[int] | None]:
    """A line with its tabs made spaces to the next multiple of four columns, as
    Python-Markdown makes them before it reads a block quote, and where each of its
    characters (and its end) is in ``text``: None when that is where it is, with no tab."""
    if "\t" not in text:
        return text, None
    characters: list[str] = []
    origin: list[int] = []
    for index, character in enumerate(text):
        width = TAB_SIZE - len(characters) % TAB_SIZE if character == "\t" else 1
        characters += " " * width if character == "\t" else character
        origin += [index] * width
    return "".join(characters), origin + [len(text)]


def _marker(text: str, line: _Line, container: int) -> int:
    """How many characters of a line of a block quote, its tabs made spaces, go before its
    text there: its ``>``, and a space after it."""
    if not line.content.startswith(">") or line.indent - container >= TAB_SIZE:
        return 0
    marker = text.index(">") + 1
    return marker + 1 if text[marker : marker + 1] == " " else marker


def _blueprint_fence(markdown: str, opening: _Line, closing: _Line, info: FenceInfo) -> BlueprintFence:
    return BlueprintFence(start=opening.start, end=closing.end, body=markdown[opening.end + 1 : closing.start],
                          line=opening.number + 1, prefix=" " * opening.indent, attributes=info.attributes,
                          unread=info.unread)


def _images(markdown: str, prose: list[_Line], prefix: str, reading: LinkReading, tables: bool = False, *,
            heading_end: int | None = None) -> Iterator[ImageLink]:
    """The image links to .svc files in a paragraph, each cell of a table (with ``tables`` on), or a heading."""
    cells = table_cells([line.content for line in prose]) if tables and heading_end is None else None
    if cells is not None:
        for row, row_cells in zip(prose[:1] + prose[2:], cells):
            for start, end in row_cells:
                yield from images(markdown, row.content_start + start, row.content_start + end, prefix, reading)
    elif prose:
        yield from images(markdown, prose[0].start, prose[-1].end, prefix, reading, heading_end=heading_end)
