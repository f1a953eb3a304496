"""The blueprints the MkDocs plugin finds in a page are those Python-Markdown reads: each case
is run through Python-Markdown itself, and what it draws compared with what the plugin finds."""

from __future__ import annotations

import html
import re
from urllib.parse import unquote, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from blueprint_dsl.markdown_code_spans import _code_spans_before_3_11
from blueprint_dsl.markdown_page import BlueprintFence, blueprints


def _marked_fence(source: str, language: str, css_class: str, options: dict, md, **kwargs) -> str:
    return "<BLUEPRINT/>"


# How each fence extension is set up, for its blueprint fences to be counted in its output.
FENCE_EXTENSIONS = {
    "fenced_code": ({"extensions": ["fenced_code"]}, "language-blueprint"),
    "superfences": ({"extensions": ["pymdownx.superfences"], "extension_configs": {"pymdownx.superfences": {
        "custom_fences": [{"name": "blueprint", "class": "blueprint", "format": _marked_fence}]}}}, "<BLUEPRINT/>"),
}


def read_by_python_markdown(page: str, fences: str) -> tuple[int, list[str]]:
    """How many blueprint fences Python-Markdown reads in a page, and the alt text of each image it draws."""
    import markdown

    settings, mark = FENCE_EXTENSIONS[fences]
    html = markdown.markdown(page, **settings)
    return html.count(mark), re.findall(r'<img alt="([^"]*)" src="x\.svc"', html)


def found_by_the_plugin(page: str, fences: str) -> tuple[int, list[str]]:
    found = list(blueprints(page, superfences=fences == "superfences"))
    return (sum(isinstance(blueprint, BlueprintFence) for blueprint in found),
            [blueprint.alt for blueprint in found if not isinstance(blueprint, BlueprintFence)])


UNCLOSED_FENCES = {
    "an unclosed fence is text": "```\nA\n\n![After](x.svc)\n",
    "an unclosed blueprint fence draws nothing": '```blueprint\nblueprint "a" {\n}\n\n![After](x.svc)\n',
    "a longer run does not close a fence": "```\nA\n````\n\n![Fenced](x.svc)\n\n```\n\n![After](x.svc)\n",
    "a fence closes with as many, no more": "````\n![In](x.svc)\n`````\n````\n\n![After](x.svc)\n",
    "a closing line indented more closes nothing": "```\nA\n  ```\n\n![Fenced](x.svc)\n\n```\n\n![After](x.svc)\n",
    "unclosed in a list item": "- item\n\n    ```blueprint\n    x\n\n- next ![After](x.svc)\n",
    "a line indented less ends a fence in a list item":
        "- item\n\n    ```blueprint\n    x\nA\n\n    ```\n\n![After](x.svc)\n",
    "unclosed in a block quote": "> ```blueprint\n> x\n\n![After](x.svc)\n",
    "unclosed, around a closed one": "````\n```blueprint\nB\n```\n\n![After](x.svc)\n",
    "unclosed, and a blueprint fence after": "````\nA\n\n```blueprint\nB\n```\n\n![After](x.svc)\n",
}
# superfences gives up a fence in a block quote whose lines are quoted otherwise than its opening line;
# fenced_code reads no fence in a block quote at all.
QUOTED_FENCES = {
    "a closing line not quoted": "> ```blueprint\n> B\n```\n",
    "a line with no space after its marker": "> ```blueprint\n>B\n```\n",
    "such a line, closed in the quote": "> ```blueprint\n>B\n> ```\n",
    "a lazy line": "> ```blueprint\nB\n```\n",
    "a lazy line, closed in the quote": "> ```blueprint\nB\n> ```\n",
    "a lazy image link between quoted lines": "> ~~~\n![A](x.svc)\n> ~~~\n  B\n",
    "two quotes deep, closed one deep": ">> ```blueprint\n>> B\n> ```\n",
}
# The plugin reads a fence indented by up to three spaces, or in a block quote, as superfences
# does, whichever extension is on.
INDENTED_FENCES = {
    "a closing line at the opening's indent": "  ```blueprint\n  x\n  ```\n\n![After](x.svc)\n",
    "in a block quote": "> ```blueprint\n> B\n> ```\n",
    "a bare marker in a quoted fence": "> ```blueprint\n> B\n>\n> B\n> ```\n",
    "an indented lazy line in a quoted fence": "> ```blueprint\n  B\n> ```\n",
    "two quotes deep, closed as wide one deep": ">> ```blueprint\n>> B\n>  ```\n",
}


@pytest.mark.parametrize(("page", "fences"), [
    *(pytest.param(page, fences, id=f"{name}-{fences}") for name, page in UNCLOSED_FENCES.items()
      for fences in FENCE_EXTENSIONS),
    *(pytest.param(page, fences, id=f"{name}-{fences}") for name, page in QUOTED_FENCES.items()
      for fences in FENCE_EXTENSIONS),
    *(pytest.param(page, "superfences", id=f"{name}-superfences") for name, page in INDENTED_FENCES.items()),
])
def test_fences_close_where_python_markdown_closes_them_or_are_none(page: str, fences: str):
    # fenced_code reads the lines of a fence never closed as text, fences among them too;
    # superfences reads no fence among them.
    assert found_by_the_plugin(page, fences) == read_by_python_markdown(page, fences)


def test_reading_fences_in_block_quotes_takes_time_in_proportion_to_their_length():
    import time

    started = time.perf_counter()
    assert not list(blueprints("> ```a\n> b\n\n" * 5000, superfences=True))  # each fence runs on to the page's end
    assert time.perf_counter() - started < 1  # a search from each quote to the page's end takes a minute


def test_the_plugin_tells_which_extension_reads_fences():
    from markdown import Markdown

    from blueprint_dsl.mkdocs_plugin import _reads_superfences

    extensions = [[], ["fenced_code"], ["pymdownx.superfences"], ["pymdownx.extra"]]
    assert [_reads_superfences(Markdown(extensions=chosen)) for chosen in extensions] == [False, False, True, True]


def test_reading_a_fences_info_string_takes_time_in_proportion_to_its_length():
    import time

    started = time.perf_counter()
    list(blueprints("```a" + " " * 50_000 + "b\n\n![After](x.svc)\n"))
    assert time.perf_counter() - started < 1  # a search that backtracks over the spaces takes a minute


def images_drawn_by_python_markdown(page: str, extensions: list[str]) -> list[dict[str, str]]:
    """The alt text, source and title of each image Python-Markdown draws from a .svc file, as HTML text."""
    import markdown

    tags = re.findall(r"<img (.*?) />", markdown.markdown(page, extensions=extensions), flags=re.DOTALL)
    drawn = [dict(re.findall(r'(\w+)="([^"]*)"', tag)) for tag in tags]
    return [{name: value for name, value in attributes.items() if name in ("alt", "src", "title")}
            for attributes in drawn if names_a_blueprint(html.unescape(attributes["src"]))]


def names_a_blueprint(src: str) -> bool:
    """Whether MkDocs reads an image's src as a .svc file of the site: no scheme or host, and
    a path (before any query or fragment, its percent-escapes decoded) that ends in .svc."""
    parts = urlsplit(src)
    return not (parts.scheme or parts.netloc) and unquote(parts.path).endswith(".svc")


def images_found_by_the_plugin(page: str, attribute_lists: bool = False, tables: bool = False) -> list[dict[str, str]]:
    """The same of each image link the plugin finds, as the plugin writes them."""
    from blueprint_dsl.markdown import attribute_value
    from blueprint_dsl.markdown_links import unescaped
    from blueprint_dsl.mkdocs_plugin import _alt_attribute, _title

    escaped = frozenset("\\`*_{}[]()>#+-.!" + "|" * tables)  # the tables extension lets a backslash escape '|'
    found = []
    for link in blueprints(page, attribute_lists=attribute_lists, escaped=escaped, tables=tables):
        if not isinstance(link, BlueprintFence):
            title = {} if link.title is None else {"title": attribute_value(_title(link.title, escaped))}
            found.append({"alt": _alt_attribute(link.alt, escaped),
                          "src": attribute_value(unescaped(link.path, escaped)), **title})
    return found


BRACKETED_ALT_TEXTS = {
    "brackets in pairs": "![A [b] c](x.svc)",
    "brackets in pairs in pairs": "![A [b [c] d] e](x.svc) and ![[F]](x.svc)",
    "an escaped closing bracket": "![A \\] c](x.svc)",
    "an escaped opening bracket": "![A \\[ c](x.svc)",
    "a bracket that closes none: no image": "![A [b c](x.svc)",
    "a bracket that closes the alt text early: no image": "![A ] c](x.svc)",
    "a bracket in a comment closes it too": "![A <!-- ] --> c](x.svc)",
    "an image link in the alt text is text": "![![In](y.svc) and more](x.svc)",
    "over two lines": "Text ![A [b\nc] d](x.svc) text.",
    "in a link": "[![A [b] c](x.svc)](https://example.com)",
    "in a heading": "## ![A [b] c](x.svc)",
}


@pytest.mark.parametrize("page", BRACKETED_ALT_TEXTS.values(), ids=BRACKETED_ALT_TEXTS)
def test_an_alt_text_holds_brackets_as_python_markdown_reads_them(page: str):
    assert images_found_by_the_plugin(page) == images_drawn_by_python_markdown(page, [])


def test_the_image_links_to_blueprints_are_those_whose_src_mkdocs_reads_as_one():
    page = ("![Top](x.svc#top) ![Query](x.svc?v=2) ![Named](x#y.svc) ![Self](#x.svc) ![Hash](%23.svc) "
            "![Scheme](a\\.b:x.svc) ![Escaped hash](x\\#y.svc) ![Encoded](x.sv%63)")
    found = images_found_by_the_plugin(page)
    assert found == images_drawn_by_python_markdown(page, [])
    assert [image["alt"] for image in found] == ["Top", "Query", "Hash", "Encoded"]


def test_an_alt_text_that_holds_a_link_ends_where_python_markdown_ends_it():
    # Python-Markdown's alt attribute holds the text the link shows: only the links are compared.
    page = "![A [b](https://example.com) c](x.svc)"
    assert [image["src"] for image in images_found_by_the_plugin(page)] == [
        image["src"] for image in images_drawn_by_python_markdown(page, [])] == ["x.svc"]


# Python-Markdown reads code spans before image links: in an alt text, title or path, a code span
# is its code, without the spaces around it, as text (&, < and > as they are, backslashes too).
CODE_SPANS_IN_LINKS = {
    "in the alt text and title": '![A `b`](x.svc "t `c` d")',
    "a bracket in it": "![A `]` c](x.svc) `![B](y.svc)`",
    "a backtick in a longer run": '![A ``b ` c``](x.svc "t ``c ` d`` e")',
    "markup and entities": '![A `<b>&amp;"`](x.svc "t `<i>&amp;\\*` d")',
    "a backslash, which escapes nothing in it": '![A `b\\`\\*](x.svc "`\\\\*` \\*")',
    "spaces around the code": '![A `  b  `](x.svc "`  c  `")',
    "code of spaces, once the title's own spaces are taken off": '![` ` A ` `](x.svc "` ` t ` `")',
    "quotes around the code are the title's": "![A](x.svc \"`'t'`\")",
    "a line break in it": '![A](x.svc "a `b\nc` d")',
    "a quote in it closes no title": "![A](x.svc 'a `b' c` d')",
    "in the path": "![A](`x`.svc) and ![B](<x`y`.svc>)",
    "the whole path": "![A](` x.svc `)",
    "markup in the path": "![A](`a&b<c>`.svc)",
}


@pytest.mark.parametrize("extensions", [[], ["attr_list"], ["pymdownx.superfences"]],
                         ids=["plain", "attr_list", "superfences"])
@pytest.mark.parametrize("page", CODE_SPANS_IN_LINKS.values(), ids=CODE_SPANS_IN_LINKS)
def test_code_spans_in_an_image_link_give_the_image_what_python_markdown_gives_it(page: str, extensions: list[str]):
    found = images_found_by_the_plugin(page, attribute_lists="attr_list" in extensions)
    assert found == images_drawn_by_python_markdown(page, extensions)


# Python-Markdown 3.11 closes a run of backticks at the next run as long; failing that, at the
# first of the longest runs after it, if they are shorter (the rest of the opening run is code).
CODE_SPANS = {
    "a run closed by a shorter one": "````\n![A](x.svc)\n```\n",
    "a shorter run closes early": "Text ``a` and ![A](x.svc)`.",
    "the longest of the shorter runs closes": "``a ![A](x.svc) ```` ` ![C](x.svc) ``` ![D](x.svc)",
    "a longer run after: none closes": "`` a ![A](x.svc) ``` b ![C](x.svc) `",
    "a run as long closes first": "``a ![A](x.svc) ``` b `` c",
    "a run never closed is text": "`a ![B](x.svc) ```` b ``` ![A](x.svc)",
    "an escaped backtick opens none": "\\```a ![A](x.svc) ``",
    "an escaped backslash before it": "\\\\`a ![A](x.svc)`",
}


@pytest.mark.parametrize("page", CODE_SPANS.values(), ids=CODE_SPANS)
def test_code_spans_hold_the_image_links_python_markdown_reads_in_them(page: str):
    assert images_found_by_the_plugin(page) == images_drawn_by_python_markdown(page, [])


def test_reading_code_spans_takes_time_in_proportion_to_their_length():
    import time

    page = " ".join("`" * length for length in range(1, 900)) + " ![A](x.svc)\n"  # 400 KB, no run closed
    started = time.perf_counter()
    assert len(list(blueprints(page))) == 1
    assert time.perf_counter() - started < 1  # a search for a closing run from each run takes seconds


# Python-Markdown's BACKTICK_RE before 3.11, as its inline processor applies it: each match
# put aside in a placeholder (no backtick, no backslash) before the next search.
BACKTICK_RE_BEFORE_3_11 = re.compile(r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)(`+)(.+?)(?<!`)\2(?!`))", re.DOTALL)


def code_spans_of_python_markdown_before_3_11(text: str) -> list[tuple[int, int]]:
    data, starts, ends, spans = text, list(range(len(text))), list(range(1, len(text) + 1)), []
    position = 0
    while found := BACKTICK_RE_BEFORE_3_11.search(data, position):
        start, end = found.span()
        if found[2]:
            spans.append((starts[start], ends[end - 1]))
        data = data[:start] + "\x02" + data[end:]
        starts[start:end], ends[start:end] = [starts[start]], [ends[end - 1]]
        position = start + 1
    return spans


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="`\\a", max_size=24))
def test_code_spans_are_those_of_python_markdown_before_3_11_where_it_is_installed(text: str):
    """The plugin reads code spans as the Python-Markdown installed does; the reading of the
    versions before 3.11 is held here to their expression, which the suite's own may not have."""
    assert list(_code_spans_before_3_11(text)) == code_spans_of_python_markdown_before_3_11(text)


# The tables extension reads a table's cells one at a time: a link does not run across a '|'
# that is not escaped or in a code span, nor across rows.
TABLES = {
    "a link in a cell": "| Step | Blueprint |\n| --- | --- |\n| Order | ![A](x.svc) |\n",
    "a link in a one-column table": "| ![A](x.svc) |\n|---|",
    "a title over two rows: no image": '| a | b |\n|---|---|\n| ![A](x.svc "t | c |\n| d | e") |\n| f | g |',
    "a pipe in a title: no image": '| ![A](x.svc "a|b") | c |\n|---|---|',
    "a pipe in angle brackets: no image": "| ![A](<x | y.svc>) | c |\n|---|---|",
    "an escaped pipe": '| ![A](x.svc "a\\|b") | c |\n|---|---|',
    "a pipe in a code span, no border": "a | ![A](x.svc)\n--|--\n`|` ![B](x.svc) | c",
    "a cell past the delimiter row's count is not shown": "| a | b |\n|---|---|\n| c | d | ![A](x.svc) |",
    "not a table: a paragraph": '![A](x.svc "a|b") c\n| d |',
}


@pytest.mark.parametrize("page", TABLES.values(), ids=TABLES)
def test_a_tables_cells_hold_the_image_links_python_markdown_reads_in_them(page: str):
    assert images_found_by_the_plugin(page, tables=True) == images_drawn_by_python_markdown(page, ["tables"])


def test_reading_a_tables_cells_takes_time_in_proportion_to_their_length():
    import time

    row = "| " + " ".join("`" * length for length in range(1, 900)) + " | ![A](x.svc) |\n"  # no run closed
    started = time.perf_counter()
    assert len(list(blueprints(row + "|---|---|\n" + row, tables=True))) == 2
    assert time.perf_counter() - started < 1  # a search for a closing run from each run takes seconds


TITLES_AND_DESTINATIONS = {
    "a title in double quotes": '![A](x.svc "The flow")',
    "a title in single quotes": "![A](x.svc 'The flow')",
    "in parentheses it is no title": "![A](x.svc (The flow))",
    "spaces and a line break around it": '![A]( x.svc\n  "The flow"  )',
    "a title holds parentheses and quotes": '![A](x.svc "The (new) \\"flow") ")',
    "a title's line break is a space": "- ![A](x.svc 'The\n  flow')",
    "a title's escapes and entities": '![A](x.svc "Fish &amp; \\*chips\\* <b>")',
    "an empty title": '![A](x.svc "")',
    "text after the title: no title": '![A](x.svc "The flow" more)',
    "a line break before the parenthesis: no title": '![A](x.svc "The flow"\n)',
    "a title with a parenthesis, closed by the next quote": '![A](x.svc "The) flow")',
    "a title closed later on": '![A](x.svc "The) and later "quoted") text',
    "two kinds of quote": "![A](x.svc 'The' \"flow\")",
    "a quote never closed": '![A](x "y.svc) text',
    "a destination in angle brackets": "![A](<my flow.svc>)",
    "angle brackets and a title": "![A](< x.svc > 'The flow')",
    "angle brackets and text after them": "![A](<x.svc> flow)",
    "a destination with spaces": "![A](my flow.svc)",
    "a destination with parentheses": "![A](flow (1).svc) and ![B](x.svc))",
    "an escaped parenthesis": "![A](x.svc\\) more.svc)",
    "escapes in the destination": "![A](x\\_y.svc)",
    "a parenthesis never closed": "![A](x.svc and ![B](y.svc)",
}


@pytest.mark.parametrize("page", TITLES_AND_DESTINATIONS.values(), ids=TITLES_AND_DESTINATIONS)
def test_an_image_links_destination_and_title_are_read_as_python_markdown_reads_them(page: str):
    assert images_found_by_the_plugin(page) == images_drawn_by_python_markdown(page, [])


ATTRIBUTE_LISTS = {
    "classes, an id and a value": '![A](x.svc){ .wide #flow data-zoom="2" }',
    "a colon": "![A](x.svc){: .wide }",
    "a quoted value holds a brace": '![A](x.svc){ title="a } b" .wide } and text',
    "a brace after it": "![A](x.svc){ .a } and { .b }",
    "a quote never closed": '![A](x.svc){ title="a }',
    "the last brace on the line ends it": '![A](x.svc){a="x}" b="y}"',
    "one for each link": "![A](x.svc){ .a } ![B](x.svc){ .b }",
    "none over a line break": "![A](x.svc){ .a\n}",
    "none after a space": "![A](x.svc) { .a }",
    "an escaped brace closes none": "![A](x.svc){ .a \\}",
    "an escaped brace after it": "![A](x.svc){ .a } \\}",
}


@pytest.mark.parametrize("page", ATTRIBUTE_LISTS.values(), ids=ATTRIBUTE_LISTS)
def test_an_attribute_list_gives_the_attributes_python_markdown_gives_the_image(page: str):
    import markdown

    html = markdown.markdown(page, extensions=["attr_list"])
    given = [{name: value for name, value in re.findall(r'([\w-]+)="([^"]*)"', image) if name not in ("alt", "src")}
             for image in re.findall(r"<img (.*?) />", html)]
    found = []
    for link in blueprints(page, attribute_lists=True):
        attributes: dict[str, str] = {}
        for name, value in link.attributes:
            attributes[name] = f"{attributes[name]} {value}" if name == "class" and name in attributes else value
        found.append({name: value.replace('"', "&quot;") for name, value in attributes.items()})
    assert found == given


def test_reading_an_attribute_list_never_closed_takes_time_in_proportion_to_its_length():
    import time

    started = time.perf_counter()
    list(blueprints('![A](x.svc){a' + '"' * 34 + "\n", attribute_lists=True))
    assert time.perf_counter() - started < 1  # a search that tries each way to pair the quotes takes seconds


def test_putting_diagrams_in_a_pages_html_takes_time_in_proportion_to_its_length():
    import time

    from blueprint_dsl.mkdocs_placeholders import fill, placeholders_of

    started = time.perf_counter()
    fill("<p>Text</p>\n<!--\n" + "<p " * 20_000 + "\n-->", placeholders_of(r"[0-9a-f]{32}"), lambda match: None)
    assert time.perf_counter() - started < 1  # a search from each '<p ' to the next '>' takes seconds
