"""Image links to .svc files in a paragraph, a table cell or a heading.

Image links are read as Python-Markdown reads them (``markdown_links.py``), which reads
code spans first: one in an alt text, title or path is its code there, as text. A link in a
code span is code, and one in an HTML comment is commented out (Python-Markdown draws
the image inside the comment, where it shows nothing); a backslash before its ``!``
makes it a plain link. The file a link names is the one MkDocs looks up: its path, up to
any query or fragment (``x.svc#top``), percent-escapes decoded. A link to an address
elsewhere (``https://...``) stays an image.
With attribute lists on (the attr_list extension), ``{ .class #id key=value }`` right
after an image link belongs to the link, as it belongs to an image. A link leaves a
heading; where the heading, or a link or emphasis around the image, would then hold
nothing, the alt text stays in its place.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from .markdown_code_spans import Spans, find_code_spans
from .markdown_links import ESCAPED_CHARACTERS, MASK, inline_images, unescaped

# The start of an attribute list right after an image link, up to its first attribute. And each attribute in it.
_ATTRIBUTE_LIST_START = re.compile(r"\{:?[ ]*(?=[^}\n ])")
_LISTED_ATTRIBUTE = re.compile(
    r"""[ ]*(?:(?P<name>[^ =}]+)=(?:"(?P<double>.*?)"|'(?P<single>.*?)'|(?P<bare>[^ =}]+))|(?P<word>[^ =}]+))""")
_ESCAPE = re.compile(r"\\.", re.DOTALL)
# What is left of a heading that holds nothing but image links: the marks of a "#" heading, and spaces.
_HEADING_MARKS = re.compile(r"[ \t#]*")
# The heading's own attribute list, after a space, at its end (attr_list's HEADER_RE).
_HEADING_ATTRIBUTE_LIST = re.compile(r"[ ]+\{:?[ ]*[^}\n ][^\n]*\}")
# The end of the text of a link (``[...](url)`` or ``[...][reference]``) that holds an image link alone.
_LINK_TEXT_END = re.compile(r"[ \t]*\][(\[]")
# What Markdown would read as more than text in an alt text made a heading's: a character
# Python-Markdown lets a backslash escape (escaped already, or not), or a '<'.
_NOT_PLAIN = re.compile(r"\\[-\\`*_{}\[\]()>#+.!]|[-\\`*_{}\[\]()>#+.!<]")
# What Markdown would read as more than text in a file's name made a heading's.
_MARKUP = re.compile(r"[-\\`*_{}\[\]()>#+.!<&]")


@dataclass(frozen=True, slots=True, kw_only=True)
class LinkReading:
    """How the site's Markdown reads an image link."""

    #: Whether it reads ``{ .class }`` after an image (the attr_list extension is on).
    attribute_lists: bool = False
    #: The characters a backslash escapes (``markdown.Markdown.ESCAPED_CHARS``).
    escaped: frozenset[str] = ESCAPED_CHARACTERS


@dataclass(frozen=True, slots=True, kw_only=True)
class ImageLink:
    """``![alt](path.svc "title")`` in prose, a table cell or a heading."""

    start: int
    end: int
    #: The file's path, as written (its backslash escapes and percent-escapes kept), without the
    #: spaces around it, each code span made text.
    path: str
    #: The file it names, as MkDocs finds it (``named_file``).
    file: str
    #: What starts a line in the paragraph's container: a block whose lines start so stays in it.
    prefix: str
    #: Where the heading the link is in ends, if it is in one. A heading's text becomes its id
    #: and its entry in the table of contents: the link leaves it, and what takes its place
    #: goes below the heading.
    heading_end: int | None = None
    #: The attributes of an attribute list after the link, ``("class", name)`` for each class, in order.
    attributes: tuple[tuple[str, str], ...] = ()
    #: The alt text, as written, each code span made text.
    alt: str = ""
    #: The title, as written between its quotes, without the spaces around it, each code span
    #: made text; None for none.
    title: str | None = None
    #: What the link leaves in the heading it is in, as Markdown text: where the heading, or a
    #: link or emphasis around the image, would otherwise hold nothing, the alt text (the file's
    #: name, if there is none), as a browser shows an image it does not draw; else nothing.
    left_in_heading: str = ""


class CommentEnds:
    """Where the HTML comments of a text end.

    The last search for ``-->`` is remembered, so that a text with many ``<!--`` (and
    perhaps no ``-->``) is read once, not once for each.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.searched_from = len(text) + 1
        self.found = -1  # the first "-->" at or after searched_from, or -1: none

    def end(self, start: int) -> int:
        """Where a comment that starts at ``start`` ends, or 0 if none does: then ``<!--`` is text."""
        if not self.text.startswith("<!--", start):
            return 0
        after = start + 4
        if not (self.searched_from <= after and (self.found == -1 or self.found >= after)):
            self.searched_from, self.found = after, self.text.find("-->", after)
        return self.found + 3 if self.found != -1 else 0


def images(markdown: str, start: int, end: int, prefix: str, reading: LinkReading, *,
           heading_end: int | None = None) -> Iterator[ImageLink]:
    """The image links to .svc files in the paragraph or heading from ``start`` to ``end``,
    outside its code spans and comments.

    ``prefix`` starts a line in the paragraph's container.
    """
    text = markdown[start:end]
    spans = Spans(find_code_spans(text))
    comments = Spans(_comments(text, spans))
    links = []  # each link, the file it names, where it ends with its attribute list, and the attributes
    masked = _masked(text, spans, reading.escaped)
    found = list(inline_images(text, masked))
    # The text after an image that attr_list reads ends at the next element: an image, a code span, ...
    next_starts = [image.start for image in found[1:]] + [len(text)]
    for image, next_start in zip(found, next_starts):
        path = _with_code_as_text(text, image.destination, spans).strip()  # as Python-Markdown strips the src
        file = named_file(path, reading.escaped)
        if file is None or not file.endswith(".svc") or comments.holds(image.start):
            continue
        limit = min(next_start, spans.next_start(image.end, len(text)))
        attribute_list = _attribute_list(text, masked, image.end, limit) if reading.attribute_lists else None
        links.append((image, path, file, *(attribute_list or (image.end, ()))))
    in_heading = heading_end is not None
    places = [(image.start, link_end) for image, _, _, link_end, _ in links]
    alone = in_heading and bool(links) and _holds_only(text, places, reading.attribute_lists)
    for image, path, file, link_end, attributes in links:
        stays = in_heading and (alone or _alone_in_markup(text, image.start, link_end))
        alt = _with_code_as_text(text, image.alt, spans)
        title = None if image.title is None else _with_code_as_text(text, image.title, spans)
        yield ImageLink(start=start + image.start, end=start + link_end, path=path, file=file, prefix=prefix,
                        heading_end=heading_end, attributes=attributes, alt=alt, title=title,
                        left_in_heading=_as_text(alt, file) if stays else "")


def named_file(path: str, escaped: frozenset[str] = ESCAPED_CHARACTERS) -> str | None:
    """The file an image link's path names, as MkDocs finds it: in the image's ``src`` (the
    path, its backslash escapes taken off), the part before any query or fragment, its
    percent-escapes decoded (``urllib.parse.unquote``: as UTF-8, ``%2F`` a ``/``; a ``%``
    that starts no escape stays, and bytes that are not UTF-8 become U+FFFD, naming no file).

    None for an address with a scheme or a host (``https://...``, ``//host/...``): MkDocs
    leaves such a link alone, as it names no file of the site.
    """
    try:
        parts = urlsplit(unescaped(path, escaped))
    except ValueError:  # a host in brackets never closed: an address still, if not a valid one
        return None
    return None if parts.scheme or parts.netloc else unquote(parts.path)


def _masked(text: str, code_spans: Spans, escaped: frozenset[str]) -> str:
    """The text with its code spans and escaped characters made ``MASK``: marks of an image link in them are text."""
    characters = list(text)
    for start, end in code_spans.spans:
        characters[start:end] = MASK * (end - start)
    for escape in _ESCAPE.finditer("".join(characters)):
        if escape[0][1] in escaped:
            characters[escape.start() : escape.end()] = MASK * 2
    return "".join(characters)


def _with_code_as_text(text: str, part: tuple[int, int], code_spans: Spans) -> str:
    """The part of a text from ``part[0]`` to ``part[1]``, each code span in it made text, as
    Python-Markdown makes it in an image's alt text, title and path (``_code_as_text``)."""
    start, end = part
    pieces = []
    for span_start, span_end in code_spans.within(start, end):
        pieces += [text[start:span_start], _code_as_text(text[span_start:span_end])]
        start = span_end
    return "".join(pieces) + text[start:end]


def _code_as_text(code_span: str) -> str:
    """A code span as Markdown text that shows what Python-Markdown gives an image for it: its
    code, without the spaces around it, shown as it is. ``&``, ``<`` and ``>`` are written as
    entities, as Python-Markdown writes them in code, and each backslash is doubled, so that
    taking the link's backslash escapes off leaves it."""
    ticks = len(code_span) - len(code_span.rstrip("`"))  # those of the run that closes it
    return html.escape(code_span[ticks:-ticks].strip(), quote=False).replace("\\", "\\\\")


def _holds_only(text: str, links: list[tuple[int, int]], attribute_lists: bool) -> bool:
    """Whether a heading holds nothing but its image links (where each starts and ends, in
    order), the marks of a "#" heading and spaces; with attribute lists on, and the
    heading's own attribute list after them."""
    last_end = links[-1][1]
    if _HEADING_MARKS.fullmatch(_without(text[:last_end], links)) is None:
        return False
    after = text[last_end:]
    if attribute_lists and _HEADING_ATTRIBUTE_LIST.fullmatch(after.rstrip(" \t#")):
        return True
    return _HEADING_MARKS.fullmatch(after) is not None


def _without(text: str, links: list[tuple[int, int]]) -> str:
    """The text without its image links (where each starts and ends, in order)."""
    kept, done = [], 0
    for start, end in links:
        kept.append(text[done:start])
        done = end
    return "".join(kept) + text[done:]


def _alone_in_markup(text: str, start: int, end: int) -> bool:
    """Whether emphasis (``*...*``, ``__...__``, ...) right around the image link from
    ``start`` to ``end`` holds nothing else, or a link around it (its emphasis included)."""
    emphasised = False
    while start and end < len(text) and text[start - 1] in "*_" and text[end] == text[start - 1] \
            and not _escaped(text, start - 1):
        start, end, emphasised = start - 1, end + 1, True
    return emphasised or _alone_in_a_link(text, start, end)


def _alone_in_a_link(text: str, start: int, end: int) -> bool:
    """Whether the text of a link (``[...](url)`` or ``[...][reference]``) is the image
    link from ``start`` to ``end``, and spaces."""
    before = start
    while before and text[before - 1] in " \t":
        before -= 1
    if not before or text[before - 1] != "[" or _escaped(text, before - 1) or text[before - 2 : before - 1] == "!":
        return False
    return _LINK_TEXT_END.match(text, end) is not None


def _as_text(alt: str, file: str) -> str:
    """An image link's alt text, as Markdown text that shows it as the alt text shows it; if
    it has none, the name of its file, as Markdown text that shows it as it is."""
    if alt:
        return _NOT_PLAIN.sub(_plain, alt)
    return _MARKUP.sub(lambda mark: html.escape(mark[0]) if mark[0] in "<&" else "\\" + mark[0],
                       file.rpartition("/")[2].removesuffix(".svc"))


def _plain(character: re.Match[str]) -> str:
    """A character of an alt text made the text of a heading, as Markdown shows it in the alt text."""
    if len(character[0]) == 2:
        return character[0]  # escaped already, as the alt text shows it
    return "&lt;" if character[0] == "<" else "\\" + character[0]


def _attribute_list(text: str, masked: str, start: int, limit: int) -> tuple[int, tuple[tuple[str, str], ...]] | None:
    """Where an attribute list that starts at ``start`` and ends by ``limit`` ends, and its
    attributes, if one does, as attr_list reads it.

    attr_list reads the braces from the ``{`` to the last ``}`` on the line, and the
    attributes in them up to the first that is none: should a ``}`` come there (outside a
    quoted value), the list ends before it, and it is text. An escaped brace (``masked``, the
    text with its escaped characters masked, has none there) is text.
    """
    opening = _ATTRIBUTE_LIST_START.match(masked, start, limit)
    if opening is None:
        return None
    line_end = text.find("\n", start, limit)
    last = masked.rfind("}", opening.end(), limit if line_end == -1 else line_end)
    if last == -1:
        return None
    attributes, read = listed_attributes(text[opening.end() : last])
    brace = masked.find("}", opening.end() + read, last)
    return (last + 1 if brace == -1 else brace), attributes


def listed_attributes(attribute_list: str) -> tuple[tuple[tuple[str, str], ...], int]:
    """The attributes of an attribute list, read as attr_list reads them, up to the first
    that is none, and how far they are read: ``name=value`` (the value quoted or not),
    ``.name`` a class, ``#name`` the id, a name alone an attribute with an empty value. An
    empty class or id is left out."""
    attributes = []
    position = 0
    while position < len(attribute_list) and (attribute := _LISTED_ATTRIBUTE.match(attribute_list, position)):
        position = attribute.end()
        word = attribute["word"]
        if word is None:
            value = next(value for value in attribute.group("double", "single", "bare") if value is not None)
            attributes.append((attribute["name"], value))
        elif word[0] in ".#" and word[1:]:
            attributes.append(("class" if word[0] == "." else "id", word[1:]))
        elif word[0] not in ".#":
            attributes.append((word, ""))
    return tuple(attributes), position


def _comments(text: str, code_spans: Spans) -> Iterator[tuple[int, int]]:
    """Where the HTML comments of a paragraph start and end, outside its code spans.

    A backslash does not escape ``<``: ``\\<!--`` opens a comment too, as in Python-Markdown.
    """
    comment_ends = CommentEnds(text)
    position = 0
    while (start := text.find("<!--", position)) != -1:
        position = start + 4
        if code_spans.holds(start, from_start=True):
            continue
        end = comment_ends.end(start)
        if not end:
            return  # no comment closes in the paragraph: the rest is text
        yield start, end
        position = end


def _escaped(text: str, index: int) -> bool:
    """Whether an odd number of backslashes stands right before ``index``."""
    before = index
    while before and text[before - 1] == "\\":
        before -= 1
    return (index - before) % 2 == 1
