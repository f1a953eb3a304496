"""Raw HTML blocks in a Markdown page, read as Python-Markdown reads them: what one holds is
not Markdown, and an image link in it is text.

Python-Markdown takes raw HTML out of a page before it reads any block but a fence, so a
raw block starts on any line, whatever paragraph or container it is in, that starts,
indented at most three spaces, with a start tag of a block-level element (``<div>``,
``<p>``, ``<details>``, ...; not ``<hr>``, nor a tag closed with ``/>``); the tag may run
over lines. The block runs on, over blank lines, to the end tag that closes it: each start
tag opens an element, and an end tag closes the last open element of its name and those
opened after it (one of no open element is text). A block never closed runs to the end of
the page. Comments, fences and the text of ``<script>`` and ``<style>`` hold no tags. The
rest of the end tag's line is Markdown, up to a block-level start tag anywhere on it, which
starts another block; so is the rest of a line that starts with a comment, an ``<hr>`` or a
block-level tag closed with ``/>``, which Markdown takes out as blocks of their own.

With md_in_html on, a start tag whose ``markdown`` attribute is ``1``, ``block`` or
``span``, or has no value, opens no raw block (but for ``<pre>``, ``<script>`` and the
other elements whose text md_in_html never reads): what the element holds is Markdown, in
which raw blocks start by the same rules, and also at a start tag right after its own.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .markdown_prose import CommentEnds

# Python-Markdown's own (markdown.util.BLOCK_LEVEL_ELEMENTS), for when no Markdown says which they are.
BLOCK_LEVEL_ELEMENTS = frozenset({
    "address", "article", "aside", "blockquote", "body", "canvas", "center", "colgroup", "dd", "details", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "group", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hgroup", "hr", "html", "iframe", "legend", "li", "main", "map", "math", "menu", "nav", "noscript",
    "object", "ol", "option", "output", "p", "pre", "progress", "script", "section", "style", "summary", "table",
    "tbody", "td", "textarea", "tfoot", "th", "thead", "tr", "ul", "video",
})
# The block-level element Python-Markdown takes as having no end tag.
_EMPTY = "hr"
# The elements whose text md_in_html never reads as Markdown, whatever their markdown attribute says.
_NEVER_MARKDOWN = frozenset({"canvas", "math", "option", "pre", "script", "style", "textarea"})
# The elements whose text holds no tags, up to their end tag.
_RAW_TEXT = frozenset({"script", "style"})
# A start tag, over lines if need be; a name or unquoted value holds no '<', so that a
# tag never closed is given up at the next one.
_START_TAG = re.compile(r"""<(?P<name>[A-Za-z][^\s/<>]*)(?P<attributes>(?:\s+[^\s"'<>/=]+"""
                        r"""(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'<>=`]+))?)*)\s*(?P<closed>/?)>""")
_ATTRIBUTE = re.compile(r"""\s+(?P<name>[^\s"'<>/=]+)(?:\s*=\s*(?:"(?P<double>[^"]*)"|'(?P<single>[^']*)'"""
                        r"""|(?P<bare>[^\s"'<>=`]+)))?""")
_END_TAG = re.compile(r"</(?P<name>[A-Za-z][^\s/<>]*)[^<>]*>")


@dataclass(frozen=True, slots=True, kw_only=True)
class HtmlBlocks:
    """How a site's Markdown reads raw HTML: which elements are block-level, and whether
    md_in_html is on."""

    block_level_elements: frozenset[str] = BLOCK_LEVEL_ELEMENTS
    markdown_in_html: bool = False

    def opened(self, text: str, start: int, comments: CommentEnds) -> RawBlock | None:
        """The raw block that a tag at ``start`` opens, if it opens one."""
        return self._opening(text, start, comments)[0]

    def _opening(self, text: str, start: int, comments: CommentEnds) -> tuple[RawBlock | None, int]:
        """The raw block that a tag at ``start`` opens, if it opens one; else where the tags
        read to tell end (past ``start``), none of which opens one."""
        position = start
        while tag := _START_TAG.match(text, position):
            name = tag["name"].lower()
            if tag["closed"] or name not in self.block_level_elements or name == _EMPTY:
                break
            if not (self.markdown_in_html and name not in _NEVER_MARKDOWN
                    and _markdown_attribute(tag["attributes"]) in ("1", "block", "span")):
                return RawBlock(text, comments, position), position
            position = tag.end()  # a block-level tag right after it, with nothing between, is read as at a line's start
        return None, max(position, start + 1)

    def empty_block_end(self, text: str, start: int) -> int:
        """Where an element with no content that Markdown takes out as a block of its own
        (``<hr>``, or a block-level tag closed with ``/>``) ends, if one starts at ``start``; else 0."""
        tag = _START_TAG.match(text, start)
        if tag is None:
            return 0
        name = tag["name"].lower()
        return tag.end() if name == _EMPTY or (tag["closed"] and name in self.block_level_elements) else 0

    def opened_after(self, text: str, start: int, end: int, comments: CommentEnds) -> tuple[int, RawBlock] | None:
        """The raw block that a start tag from ``start`` to ``end``, the rest of a line after a
        block of HTML, opens first, and where: there Markdown opens one at a block-level start
        tag anywhere, not only at the start of the line. A comment holds no tags."""
        position = text.find("<", start, end)
        while position != -1:
            if comment_end := comments.end(position):
                if comment_end > end:
                    return None
                position = comment_end
            else:
                raw, after = self._opening(text, position, comments)
                if raw is not None:
                    return raw.position, raw
                position = after
            position = text.find("<", position, end)
        return None


def _markdown_attribute(attributes: str) -> str | None:
    """The value of a tag's ``markdown`` attribute: ``1`` for one with no value, None for none."""
    for attribute in _ATTRIBUTE.finditer(attributes):
        if attribute["name"].lower() == "markdown":
            value = next((value for value in attribute.group("double", "single", "bare") if value is not None), None)
            return "1" if value is None else value
    return None


class RawBlock:
    """A raw HTML block being read: the elements open in it, and how far it is read."""

    def __init__(self, text: str, comments: CommentEnds, start: int) -> None:
        self.text = text
        self.comments = comments
        self.position = start  # at its start tag, which is read as the others are
        self.following = -1  # the first '<' at or after position, once searched for
        self.open: list[str] = []
        self.counts: Counter[str] = Counter()  # of each name open: an end tag of none is found so at once

    def end(self, limit: int) -> int | None:
        """Reads the block's tags that start before ``limit``: where the block ends, if one ends it."""
        while (start := self._following()) < limit:
            self.position = start + 1
            if comment_end := self.comments.end(start):
                self.position = comment_end
            elif tag := _START_TAG.match(self.text, start):
                self.position = tag.end()
                name = tag["name"].lower()
                if tag["closed"] or name == _EMPTY:
                    continue
                self.open.append(name)
                self.counts[name] += 1
                if name in _RAW_TEXT:
                    closing = re.compile(rf"</{name}(?=[\s/>])", re.IGNORECASE).search(self.text, self.position)
                    self.position = closing.start() if closing else len(self.text)
            elif tag := _END_TAG.match(self.text, start):
                self.position = tag.end()
                name = tag["name"].lower()
                while self.counts[name]:
                    closed = self.open.pop()
                    self.counts[closed] -= 1
                    if closed == name:
                        break
                if not self.open:
                    return tag.end()
        self.position = max(self.position, limit)
        return None

    def _following(self) -> int:
        """Where the first '<' at or after ``position`` is (the text's end if none): searched
        for once, not once for each line before it."""
        if self.following < self.position:
            found = self.text.find("<", self.position)
            self.following = found if found != -1 else len(self.text)
        return self.following

    def skip(self, end: int) -> None:
        """Goes on reading from ``end``: what comes before holds no tags (a fence)."""
        self.position = max(self.position, end)
