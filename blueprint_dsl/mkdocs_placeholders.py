"""Where a page's diagrams go: placeholders in its Markdown, and the diagrams in their place in its HTML.

Markdown only sees a placeholder where a diagram goes: a word of letters and digits,
which no Markdown extension reads anything in. An image link's placeholder takes the
link's place, so that the paragraph, tight list item, table cell or block quote around
it stays as it was. A fence's is a paragraph of its own, indented as the fence was, so
that it stays in the list item, admonition, details block or tab the fence was in
(markup at column 0 ended it); so are a heading's links', below the heading, which they
leave. Once Markdown has made the page, the markup takes the placeholder's place, and a
paragraph it was in is split around it (a diagram is a block). A link that holds nothing
but a placeholder holds the diagram. A placeholder holds a hash of the page, so that no
text on the page can be one, and the same page makes the same placeholders in every
build.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .markdown_page import BlueprintFence, ImageLink


@dataclass(frozen=True, slots=True, kw_only=True)
class Shown:
    """A diagram's markup where a page shows it, and the alt text (as HTML) of its image link."""

    markup: str
    alt: str


def with_placeholders(text: str, found: list[BlueprintFence | ImageLink], key: str) -> str:
    """A page's Markdown with a placeholder where each blueprint found in it goes, numbered in page order."""
    edits = []  # (start, end, what takes their place), in page order
    below: dict[tuple[int, str], list[str]] = {}  # the placeholders below each heading: by its end, and prefix
    for number, blueprint in enumerate(found, start=1):
        placeholder = placeholder_of(key, number)
        if isinstance(blueprint, BlueprintFence):
            edits.append((blueprint.start, blueprint.end,
                          _placeholder_block(text, blueprint.start, blueprint.end, blueprint.prefix, [placeholder])))
        elif blueprint.heading_end is None:
            edits.append((blueprint.start, blueprint.end, placeholder))  # a word where the link was
        else:
            edits.append((blueprint.start, blueprint.end, blueprint.left_in_heading))
            below.setdefault((blueprint.heading_end, blueprint.prefix), []).append(placeholder)
    for (end, prefix), placeholders in below.items():
        edits.append((end, end, _placeholder_block(text, end, end, prefix, placeholders)))
    edits.sort(key=lambda edit: edit[0])  # a heading's end comes after its links, and before what follows it
    parts, done = [], 0
    for start, end, replacement in edits:
        parts += [text[done:start], replacement]
        done = end
    return "".join(parts) + text[done:]


def placeholder_of(key: str, number: int | str) -> str:
    return f"blueprint{number}x{key}"  # letters and digits only: no Markdown extension reads anything in it


def placeholders_of(key: str) -> re.Pattern[str]:
    """The placeholders of a key (a pattern)."""
    return re.compile(placeholder_of(f"(?P<key>{key})", r"(?P<number>\d+)"))


@dataclass(frozen=True, slots=True, kw_only=True)
class _Placeholder:
    """A placeholder in a page's HTML, with the link and emphasis around it that hold nothing else."""

    match: re.Match[str]
    start: int
    end: int
    #: The start tag of the link among them, if one is.
    link: str | None


# What Markdown makes around an image link, that may hold nothing else: a link, or emphasis
# (and with pymdownx's caret, mark and tilde, an insertion, a mark, a deletion, a sub- or superscript).
_AROUND = frozenset({"a", "em", "strong", "ins", "mark", "del", "sub", "sup"})
_START_TAG = re.compile(r"<(?P<name>[A-Za-z][\w-]*)(?:\s[^<>]*)?>")
_END_TAG = re.compile(r"</(?P<name>[A-Za-z][\w-]*)\s*>")


def _found(text: str, placeholders: re.Pattern[str]) -> Iterator[_Placeholder]:
    """The placeholders of a text, in order, each with the link and emphasis around it that
    hold nothing else, spaces aside: Markdown made them of a link or emphasis around an image link."""
    done = 0
    for match in placeholders.finditer(text):
        start, end, link = match.start(), match.end(), None
        while around := _around(text, start, end, done):
            start, end, tag = around
            link = tag[0] if tag["name"].lower() == "a" else link
        yield _Placeholder(match=match, start=start, end=end, link=link)
        done = end


def _around(text: str, start: int, end: int, done: int) -> tuple[int, int, re.Match[str]] | None:
    """The link or emphasis right around ``text[start:end]`` (after ``done``), spaces aside,
    if there is one: where it starts and ends, and its start tag."""
    before, after = start, end
    while before > done and text[before - 1].isspace():
        before -= 1
    while after < len(text) and text[after].isspace():
        after += 1
    opening = text.rfind("<", done, before) if before > done and text[before - 1] == ">" else -1
    tag = _START_TAG.fullmatch(text, opening, before) if opening != -1 else None
    closing = _END_TAG.match(text, after) if tag else None
    if closing is None or tag["name"].lower() not in _AROUND or closing["name"].lower() != tag["name"].lower():
        return None
    return opening, closing.end(), tag


# A paragraph, its attributes and its content; Markdown makes no paragraph in another, and escapes
# '<' and '>' in attribute values (a '<' ends the search for the start tag's end, which keeps it short).
_PARAGRAPH = re.compile(r"<p(?P<attributes>\s[^<>]*)?>(?P<content>(?:(?!</?p[\s>]).)*)</p>", re.DOTALL)
# A start or end tag, whose quoted values may hold '>'.
_START_OR_END_TAG = re.compile(r"""<(?P<end>/?)(?P<name>[A-Za-z][\w-]*)(?:[^<>"']|"[^"]*"|'[^']*')*?(?P<empty>/?)>""")
_VOID_ELEMENTS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                            "track", "wbr"})


def fill(html: str, placeholders: re.Pattern[str], shown_of: Callable[[re.Match[str]], Shown | None]) -> str:
    """The HTML with each placeholder for which ``shown_of`` gives a diagram replaced by it.

    A diagram is a block, which a paragraph cannot hold: one in a paragraph splits it, and
    goes after the paragraph when it sits inside a link or emphasis there that holds more.
    A link that holds nothing but the diagram goes with it, around it; emphasis that holds
    nothing else, which may not hold a block, goes. A tight list item, a table cell or a
    block quote holds it where the placeholder was.
    """

    def elsewhere(text: str) -> str:
        parts, done = [], 0
        for found in _found(text, placeholders):
            shown = shown_of(found.match)
            if shown is not None:
                inline, block = _in_link(found.link, shown)
                parts += [text[done : found.start], f"{inline}\n{block}" if inline else block]
                done = found.end
        return "".join(parts) + text[done:]

    # In page order, so that ``shown_of`` sees the placeholders in the order the page shows them.
    parts, done = [], 0
    for paragraph in _PARAGRAPH.finditer(html):
        if placeholders.search(paragraph["content"]):
            parts += [elsewhere(html[done : paragraph.start()]),
                      _split(paragraph["attributes"] or "", paragraph["content"], placeholders, shown_of)]
            done = paragraph.end()
    return "".join(parts) + elsewhere(html[done:])


def _in_link(link: str | None, shown: Shown) -> tuple[str, str]:
    """What stays in the text, and what the block is, for a diagram in a link (its start tag) that holds nothing else.

    The link holds the diagram, as it would hold the image. A frame takes its own clicks,
    and no link may hold one: it goes after the link, which keeps the alt text as its text.
    """
    if link is None:
        return "", shown.markup
    if shown.markup.startswith("<iframe"):
        return f"{link}{shown.alt}</a>", shown.markup
    return "", f"{link}{shown.markup}</a>"


def _split(attributes: str, content: str, placeholders: re.Pattern[str],
           shown_of: Callable[[re.Match[str]], Shown | None]) -> str:
    """A paragraph's content as paragraphs and the diagrams between them.

    The paragraph's attributes stay with its first part of text.
    """
    blocks, after, text, done = [], [], "", 0
    for found in _found(content, placeholders):
        shown = shown_of(found.match)
        if shown is None:
            continue
        inline, block = _in_link(found.link, shown)
        text += content[done : found.start] + inline
        done = found.end
        if _inside_an_element(text):
            after.append(block)
            continue
        if text.strip():
            blocks.append(f"<p{attributes}>{text.strip()}</p>")
            attributes = ""
        blocks.append(block)
        text = ""
    text += content[done:]
    if text.strip():
        blocks.append(f"<p{attributes}>{text.strip()}</p>")
    return "\n".join(blocks + after)


def _inside_an_element(fragment: str) -> bool:
    """Whether an element that ``fragment`` opens is still open at its end."""
    open_elements: list[str] = []
    for tag in _START_OR_END_TAG.finditer(fragment):
        name = tag["name"].lower()
        if not tag["end"]:
            if not tag["empty"] and name not in _VOID_ELEMENTS:
                open_elements.append(name)
        elif name in open_elements:
            del open_elements[len(open_elements) - 1 - open_elements[::-1].index(name) :]
    return bool(open_elements)


def _placeholder_block(text: str, start: int, end: int, prefix: str, placeholders: list[str]) -> str:
    """Placeholders as paragraphs of their own in a container, to stand in place of ``text[start:end]``.

    ``prefix`` starts a line in the container. One blank line goes before them, one between
    and one after, no more: two end a footnote. Their lines, the blank ones too, start with
    the prefix (a block quote's ``>`` included), so that they stay inside.
    """
    blank = prefix.rstrip()
    if start and text[start - 1] != "\n":
        lead = f"\n{blank}\n"  # below a heading, from the end of its line
    else:
        lead = "" if not start or _blank(text[text.rfind("\n", 0, start - 1) + 1 : start - 1]) else f"{blank}\n"
    if not text.startswith("\n", end):  # text after an image link on its line starts a paragraph
        tail = f"\n{blank}\n{prefix}" if end < len(text) else "\n"
    else:
        next_end = text.find("\n", end + 1)
        tail = "" if _blank(text[end + 1 : next_end if next_end != -1 else len(text)]) else f"\n{blank}"
    return lead + f"\n{blank}\n".join(prefix + placeholder for placeholder in placeholders) + tail


def _blank(line: str) -> bool:
    """Whether a line is blank, in a block quote or out of one."""
    return not line.replace(">", " ").strip()
