"""Every hostile string, in every text field, through every output format.

Each string of tests/hostile_strings.py goes into the title, the header facts, actor,
stage and step names, evidence, action texts, notes, fail and fail-safe texts,
annotation rows and flow labels (``blueprint_text``). Each output is compared with the
output of a harmless text: the same elements, attributes, nodes and edges, and the
hostile text, literally, wherever the harmless one was. The browser test of the page
(tests/test_html_xss.py) checks that nothing runs.

The drawings and the page leave out the control characters XML 1.0 forbids and HTML
reads as errors (``text.drawable``), in every format alike: the page shows a text as
``drawable`` makes it, the Graphviz outputs as ``dot_markup.plain`` does (``drawable``, with
tabs and line breaks as spaces). The JSON keeps every character.
"""

from __future__ import annotations

import html.parser
import json
import re
import subprocess
import xml.etree.ElementTree as ET
from collections import Counter
from functools import cache

import pytest

from blueprint_dsl import loads
from blueprint_dsl.render import FORMATS, RenderOptions
from blueprint_dsl.render.dot_markup import plain
from blueprint_dsl.text import drawable
from tests.hostile_strings import HOSTILE, blueprint_text, quote

HARMLESS = "Plain words"
SVG = "{http://www.w3.org/2000/svg}"
LEADER = "-leader"  # in the ids and names of a leader from a flow's label, and of its end points
NAMES = list(HOSTILE)
#: What no drawing or page may hold raw: the C0 controls but tab and line breaks, DEL,
#: the C1 controls, and the non-characters (U+FDD0 to U+FDEF, and the last two code
#: points of every plane). Written out here, not taken from the code tested.
UNDRAWN = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff\U0001fffe\U0001ffff\U0002fffe\U0002ffff"
    r"\U0003fffe\U0003ffff\U0004fffe\U0004ffff\U0005fffe\U0005ffff\U0006fffe\U0006ffff\U0007fffe\U0007ffff"
    r"\U0008fffe\U0008ffff\U0009fffe\U0009ffff\U000afffe\U000affff\U000bfffe\U000bffff\U000cfffe\U000cffff"
    r"\U000dfffe\U000dffff\U000efffe\U000effff\U000ffffe\U000fffff\U0010fffe\U0010ffff]"
)


@cache
def rendered(text: str, fmt: str) -> bytes:
    result = loads(blueprint_text(text), "hostile.svc")
    assert result.ok, [d.message for d in result.diagnostics]
    return FORMATS[fmt].render(result.blueprint, RenderOptions())


def squash(text: str) -> str:
    """Without whitespace: Graphviz wraps long labels and turns runs of spaces into U+00A0."""
    return re.sub(r"\s+", "", text.replace("\xa0", " "))


def test_the_corpus_covers_what_the_issue_names():
    corpus = "".join(HOSTILE.values())
    for needle in ("<script>", "</svg>", "]]>", "'", '"', "\\", '"; a -> b [label=', "<B>", ">", "&amp;",
                   "\x00", "\x1f", "\u202e", "\u2066", "\u200d", "W" * 5000, "\U0001f600"):
        assert needle in corpus, needle
    assert all(chr(code) in HOSTILE["controls"] for code in range(0x20))


# ---- JSON: every string round-trips exactly ----------------------------------------------


def same_shape(harmless: object, hostile: object, text: str, where: str = "") -> None:
    """``hostile`` is ``harmless`` with the hostile text wherever the harmless text was."""
    if isinstance(harmless, dict):
        assert isinstance(hostile, dict) and harmless.keys() == hostile.keys(), where
        for key in harmless:
            same_shape(harmless[key], hostile[key], text, f"{where}.{key}")
    elif isinstance(harmless, list):
        assert isinstance(hostile, list) and len(harmless) == len(hostile), where
        for index, (a, b) in enumerate(zip(harmless, hostile)):
            same_shape(a, b, text, f"{where}[{index}]")
    elif isinstance(harmless, str) and HARMLESS in harmless:
        assert hostile == harmless.replace(HARMLESS, text), where


@pytest.mark.parametrize("name", NAMES)
def test_json_round_trips_every_string(name: str):
    text = HOSTILE[name]
    harmless = json.loads(rendered(HARMLESS, "json"))
    hostile = json.loads(rendered(text, "json"))
    same_shape(harmless, hostile, text)
    assert hostile["title"] == text and hostile["actors"][0]["name"] == text


# ---- HTML: the same elements and attributes; the text where it was ------------------------


class Events(html.parser.HTMLParser):
    """The page as a list of start tags (with attributes), end tags and texts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[tuple] = []
        self.data: str | None = None

    def handle_starttag(self, tag, attrs):
        self.events.append(("start", tag, tuple(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.events.append(("start", tag, tuple(attrs)))

    def handle_endtag(self, tag):
        self.events.append(("end", tag))

    def handle_data(self, data):
        if self.events and self.events[-1][0] == "data":
            self.events[-1] = ("data", self.events[-1][1] + data)
        else:
            self.events.append(("data", data))


def events(page: bytes) -> list[tuple]:
    parser = Events()
    parser.feed(page.decode("utf-8"))
    parser.close()
    return parser.events


@pytest.mark.parametrize("name", NAMES)
def test_html_injects_nothing_and_shows_the_text_literally(name: str):
    text, shown = HOSTILE[name], drawable(HOSTILE[name])
    page = rendered(text, "html").decode("utf-8")
    assert not UNDRAWN.search(page)  # no raw control anywhere
    harmless, hostile = events(rendered(HARMLESS, "html")), events(page.encode("utf-8"))
    if not text:  # empty facts and labels are left out: fewer elements, none new
        def tags(page):
            return {(e[1], tuple(n for n, _ in e[2])) for e in page if e[0] == "start"}
        assert tags(hostile) <= tags(harmless)
        return
    assert [e[:2] if e[0] != "data" else ("data",) for e in hostile] == \
        [e[:2] if e[0] != "data" else ("data",) for e in harmless]
    texts = 0
    for index, (a, b) in enumerate(zip(harmless, hostile)):
        if a[0] == "start":
            assert [n for n, _ in a[2]] == [n for n, _ in b[2]], (index, a)
            for (attribute, value_a), (_, value_b) in zip(a[2], b[2]):
                if value_a and HARMLESS in value_a:
                    assert value_b == value_a.replace(HARMLESS, shown), (index, attribute)
        elif a[0] == "data" and index and harmless[index - 1][:2] == ("start", "script"):
            if ("id", "blueprint-data") in harmless[index - 1][2]:
                same_shape(json.loads(a[1]), json.loads(b[1]), shown)  # the flow labels the script draws
        elif a[0] == "data" and HARMLESS in a[1]:
            assert b[1] == a[1].replace(HARMLESS, shown), index
            texts += 1
    assert texts >= 20


# ---- SVG: well-formed XML, the same elements, the text in the drawing and the titles -------


def svg_tree(text: str) -> ET.Element:
    return ET.fromstring(rendered(text, "svg"))


def structure(root: ET.Element) -> Counter:
    """Every element but the drawn text (Graphviz wraps a long label into several) and the
    leaders (``leaders``)."""
    left_out = {id(e) for g in leaders(root) for e in g.iter()}
    return Counter((e.tag, e.get("id"), e.get("class"), tuple(sorted(e.attrib)) if e.tag != SVG + "svg" else ())
                   for e in root.iter() if e.tag not in (SVG + "text",) and id(e) not in left_out)


def leaders(root: ET.Element) -> list[ET.Element]:
    """The groups of the leaders: a label the layout sets far from its flow, as it may a long
    one, has a leader that a harmless label has not. They hold no text."""
    return [g for g in root.iter(SVG + "g") if LEADER in (g.get("id") or "")]


def groups(root: ET.Element) -> dict[str, ET.Element]:
    return {g.get("id"): g for g in root.iter(SVG + "g") if g.get("id")}


def drawn(group: ET.Element) -> str:
    return squash("".join(t.text or "" for t in group.iter(SVG + "text")))


def title(group: ET.Element) -> str:
    return group.find(SVG + "title").text or ""


@pytest.mark.parametrize("name", NAMES)
def test_svg_is_well_formed_and_draws_the_text_literally(name: str):
    text = HOSTILE[name]
    assert not UNDRAWN.search(rendered(text, "svg").decode("utf-8"))
    root = svg_tree(text)  # raises on XML that is not well-formed
    harmless = svg_tree(HARMLESS)
    assert structure(root) == structure(harmless) or name == "empty"
    for leader in leaders(root):  # no text, and the tooltip of its flow
        assert [e.tag for e in leader] == [SVG + "title", SVG + "path", SVG + "ellipse"]
        assert title(leader) == title(groups(root)[leader.get("id").removesuffix(LEADER)])
    if name == "empty":  # nothing drawn for an empty flow label: fewer edge label parts
        assert {k[:3] for k in structure(root)} == {k[:3] for k in structure(harmless)}

    shown = plain(text)
    assert (root.find(f"{SVG}title").text or "") == shown
    assert (root.find(f"{SVG}desc").text or "").startswith(shown)
    g = groups(root)
    word = squash(shown)
    if word:
        # The title and the five facts that have a value.
        assert drawn(g["title-block"]).count(word) == 6
        for element, count in (("stage-s1", 1), ("step-one", 1), ("step-two", 1), ("flow-1", 1), ("flow-2", 1),
                               ("action-a1", 2), ("action-a2", 3), ("action-a3", 2),
                               ("annotation-time-one-1", 1), ("annotation-metric-one-1", 1),
                               ("annotation-policy-one-1", 1)):
            assert drawn(g[element]).count(word) == count, element
    assert squash("second " + shown) in drawn(g["stage-s2"])
    for index, prefix in enumerate(("step", "more", "with"), start=1):
        assert drawn(g[f"evidence-one-{index}"]) == squash(f"{prefix} {shown}")
        assert title(g[f"evidence-one-{index}"]) == f"Evidence: {prefix} {shown}"
    assert title(g["action-a1"]) == f"{shown}: {shown} (takes 1min); wait point: 2min"
    safe = f", fail-safe: {shown}" if text else ""  # an empty fail-safe is none
    assert title(g["action-a2"]) == f"{shown}: {shown} (takes 1min); fail point: {shown}{safe}"
    assert title(g["action-a3"]) == f"{shown}: {shown}"
    assert title(g["stage-s1"]) == f"Stage: {shown}"
    assert title(g["step-two"]) == f"Step 2: {shown or 'two'}"  # an empty label shows the id
    assert title(g["flow-2"]) == (f"a2 -> a3: {shown}" if text else "a2 -> a3")
    assert title(g["annotation-policy-one-1"]) == f"Policy: {shown}"


def test_the_drawings_and_the_page_leave_out_controls_alike_and_keep_backslashes():
    assert drawable("a\x00b\x07c\x1b\x7fd\ufffe\uffff\x0c\x80\x85\x9b\x9f") == "abcd"
    assert drawable("\xa0\xa9\u2028") == "\xa0\xa9\u2028"  # past the C1 controls, characters again
    assert drawable("a\ufdd0\ufdefb\U0001fffe\U0010ffffc") == "abc"  # the other non-characters
    assert drawable("\ufdcf\ufdf0\ufffd\U0001fffd") == "\ufdcf\ufdf0\ufffd\U0001fffd"  # their neighbours stay
    assert drawable("one\ntwo\r\tthree \u202e\ufffd") == "one\ntwo\r\tthree \u202e\ufffd"
    assert plain("a\x00b\x07c\x1b\x7fd\ufffe\uffff") == "abcd"
    assert plain("one\ntwo\r\tthree") == "one two  three"
    assert '<h1 id="title" dir="auto">abc</h1>' in rendered("a\x00b\x1bc", "html").decode("utf-8")
    # \N, \G, \L are Graphviz's own escapes (the node's name...): drawn as written.
    g = groups(svg_tree("\\N \\G \\L \\\\"))
    assert drawn(g["flow-1"]) == squash("\\N \\G \\L \\\\")
    assert "action-a1" not in drawn(g["action-a1"])


# ---- DOT: Graphviz reads it back with the same nodes, edges and attributes ----------------


def graph(text: str) -> dict:
    run = subprocess.run(["dot", "-Kneato", "-n2", "-Tjson"], input=rendered(text, "dot"), capture_output=True,
                         timeout=60)
    assert run.returncode == 0 and b"Error" not in run.stderr, run.stderr
    return json.loads(run.stdout)


def shape_of(graph_json: dict) -> tuple:
    """The graph's nodes and edges, with the names of their attributes; without the leaders
    and their end points (``leaders``)."""
    kept = [o for o in graph_json.get("objects", ()) if LEADER not in o["name"]]
    objects = sorted((o["name"], tuple(sorted(k for k in o if k not in ("_gvid", "nodes", "edges", "subgraphs"))))
                     for o in kept)
    edges = sorted((e["tail"], e["head"], tuple(sorted(k for k in e if k != "_gvid")))
                   for e in graph_json.get("edges", ()) if LEADER not in e.get("id", ""))
    names = {o["_gvid"]: o["name"] for o in kept}
    return objects, [(names[t], names[h], keys) for t, h, keys in edges]


@cache
def harmless_graph() -> tuple:
    return shape_of(graph(HARMLESS))


@pytest.mark.parametrize("name", NAMES)
def test_dot_parses_again_with_nothing_injected(name: str):
    text = HOSTILE[name]
    objects, edges = shape_of(graph(text))
    want_objects, want_edges = harmless_graph()
    assert [o[0] for o in objects] == [o[0] for o in want_objects]
    assert [e[:2] for e in edges] == [e[:2] for e in want_edges]
    if name != "empty":  # an empty flow label is no label
        assert objects == want_objects and edges == want_edges


def test_a_surrogate_escape_is_kept_as_written_and_every_format_renders():
    # chr(0xD800) cannot be written as UTF-8: it used to end every render in a traceback.
    result = loads(blueprint_text("a \\u{d800} b", quote=lambda t: '"' + t + '"'), "surrogate.svc")
    assert result.ok and result.blueprint.title == "a \\u{d800} b"
    for fmt in FORMATS:
        assert FORMATS[fmt].render(result.blueprint, RenderOptions())


# ---- The terminal and CI logs: messages and the stats table -------------------------------


def terminal_safe(output: str) -> bool:
    """Only printable characters, spaces and the line breaks the output itself makes."""
    return all(line.isprintable() for line in output.split("\n"))


@pytest.mark.parametrize("name", NAMES)
def test_messages_and_stats_write_the_text_as_escapes(name: str):
    """A line break in a quoted name could start a forged CI annotation, an ESC drive the terminal."""
    from blueprint_dsl.report import as_github, as_text
    from blueprint_dsl.stats import as_text as stats_text
    from blueprint_dsl.stats import compute

    text = HOSTILE[name]
    missing = loads(f"include {quote(text)}\n", "hostile.svc")
    assert missing.diagnostics
    shown = as_text(missing.diagnostics, missing.sources, 1, False)
    assert terminal_safe(shown), shown
    annotations = as_github(missing.diagnostics).splitlines()
    assert len(annotations) == len(missing.diagnostics) and all(line.startswith("::error ") for line in annotations)
    assert all(line.isprintable() for line in annotations)
    table = stats_text(compute(loads(blueprint_text(text), "hostile.svc").blueprint))
    assert terminal_safe(table), table
    if text.isprintable():
        assert text in table  # printable text stays as it was written


class Cells(html.parser.HTMLParser):
    """The tags of a page, the cells of each body row, and the text inside <code>."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.rows: list[int] = []
        self.code: list[str] = []
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.add(tag)
        self.depth += tag == "code"
        if tag == "tr":
            self.rows.append(0)
        elif tag == "td":
            self.rows[-1] += 1

    def handle_endtag(self, tag: str) -> None:
        self.depth -= tag == "code"

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.code.append(data)


@pytest.mark.parametrize("name", NAMES)
def test_markdown_diff_keeps_every_text_in_code_spans(name: str):
    """The table a pull-request comment shows: no link, image, emphasis or HTML from a blueprint."""
    import markdown

    from blueprint_dsl.diff import as_markdown, diff

    bait = " ![i](https://example.com/i.png) [a](javascript:x) *b* @someone"
    before = loads(blueprint_text(HARMLESS), "old.svc").blueprint
    after = loads(blueprint_text(HOSTILE[name] + bait), "new.svc").blueprint
    table = as_markdown(diff(before, after), "old.svc", "new ` .svc")
    page = Cells()
    page.feed(markdown.markdown(table, extensions=["tables"]))
    assert page.tags <= {"h3", "code", "p", "table", "thead", "tbody", "tr", "th", "td", "br"}, page.tags
    assert len(page.rows) > 1 and all(cells == 4 for cells in page.rows[1:])  # the first row is the header
    assert bait.strip() in "".join(page.code)


# ---- The drawings of `blueprint diff`: every text changed to a hostile one ---------------


@cache
def diff_drawn(text: str, fmt: str) -> bytes:
    from blueprint_dsl.render.decorate import render_diff

    before = loads(blueprint_text(HARMLESS), "old.svc").blueprint
    return render_diff(before, loads(blueprint_text(text), "new.svc").blueprint, fmt)


@pytest.mark.parametrize("name", NAMES)
def test_the_diff_drawings_inject_nothing_and_show_the_new_text(name: str):
    """A pull request that changes every text to a hostile one: the SVG and the page of the
    changes have the elements a harmless change gives them, and hold the text as text."""
    text, other = HOSTILE[name], "Other words"
    svg = diff_drawn(text, "svg").decode("utf-8")
    assert not UNDRAWN.search(svg)
    root, harmless = ET.fromstring(svg), ET.fromstring(diff_drawn(other, "svg"))
    assert structure(root) == structure(harmless) or name == "empty"
    shown = plain(text)
    assert (root.find(f"{SVG}title").text or "") == shown
    if squash(shown):
        drawn_as = drawn(groups(harmless)["action-a3"]).count(squash(other))
        assert drawn_as and drawn(groups(root)["action-a3"]).count(squash(shown)) == drawn_as
    page = diff_drawn(text, "html")
    assert not UNDRAWN.search(page.decode("utf-8"))

    def tags(page: bytes) -> list[tuple]:
        return [(e[1], tuple(n for n, _ in e[2])) for e in events(page) if e[0] == "start"]

    if text:
        assert tags(page) == tags(diff_drawn(other, "html"))
    else:  # empty facts and labels are left out: fewer elements, none new
        assert set(tags(page)) <= set(tags(diff_drawn(other, "html")))
