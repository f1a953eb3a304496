"""The MkDocs plugin, through a real `mkdocs build` with the Material theme."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from html import unescape as unescape_html
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).parents[1]
EXAMPLES = ROOT / "examples"
COFFEE = (EXAMPLES / "coffee.svc").read_text(encoding="utf-8")
SMALL = '''blueprint "Ticket machine" {
  scenario "Buy a day ticket"
  persona  "Visitor"
  actor  rider   customer   "Rider"
  system machine frontstage "Ticket machine"
  stage "Buy" {
    step buy {
      evidence "Touch screen", "Ticket"
      rider:   "Chooses a day ticket and pays" as choose
      machine: "Prints the ticket" as print_ticket
    }
  }
  choose <-> print_ticket
}
'''


def site(root: Path, page: str, plugin: str = "  - blueprint", more: str = "") -> Path:
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text(page, encoding="utf-8")
    (root / "docs" / "coffee.svc").write_text(COFFEE, encoding="utf-8")
    (root / "mkdocs.yml").write_text(f"site_name: Blueprints\ntheme:\n  name: material\nplugins:\n{plugin}\n{more}")
    return root


def this_checkout() -> dict[str, str]:
    """The environment for a process run in another folder that imports blueprint_dsl from this
    checkout, whichever one the Python running it has installed (an editable one, say)."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}


def build(root: Path, *options: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    # Not -q: MkDocs drops warnings below its quiet level, and --strict counts warnings.
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(root / "mkdocs.yml"), *options],
                          cwd=cwd or root, env=this_checkout(), capture_output=True, text=True, timeout=300)


def test_fenced_blueprints_and_image_links_become_inline_svg(tmp_path: Path):
    page = f"# Our services\n\n```blueprint\n{SMALL}```\n\nText between.\n\n```blueprint\n{COFFEE}```\n\n" \
           "And the same coffee, linked:\n\n![Coffee](coffee.svc)\n"
    run = build(site(tmp_path, page), "--strict")
    assert run.returncode == 0, run.stderr
    built = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert built.count('<div class="blueprint"><svg') == 3
    assert "<title>Ticket machine" in built and built.count("<title>Coffee to go") == 2
    assert 'id="action-print_ticket"' in built
    assert "```blueprint" not in built and "coffee.svc" not in built
    cache = list((tmp_path / ".blueprint-cache" / "mkdocs").glob("*.html"))
    assert len(cache) == 2  # the coffee blueprint is rendered once for both places

    again = build(tmp_path, "--strict")  # served from the cache, same pages
    assert again.returncode == 0
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == built


def test_a_broken_blueprint_fails_strict_and_shows_an_error_block_otherwise(tmp_path: Path):
    broken = SMALL.replace("machine: ", "machne: ")
    site(tmp_path, f"# Broken\n\n```blueprint\n{broken}```\n")
    strict = build(tmp_path, "--strict")
    assert strict.returncode != 0
    assert "index.md:13:7: error BP101 unknown-actor" in strict.stderr
    assert "did you mean 'machine'?" in strict.stderr

    lenient = build(tmp_path)
    assert lenient.returncode == 0
    built = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert '<pre class="blueprint-error" role="alert">' in built and "BP101 unknown-actor" in built


def test_html_option_embeds_the_interactive_page(tmp_path: Path):
    site(tmp_path, f"```blueprint\n{SMALL}```\n", plugin="  - blueprint:\n      format: html")
    assert build(tmp_path, "--strict").returncode == 0
    built = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert '<iframe class="blueprint" sandbox="allow-scripts"' in built and "srcdoc=" in built


def test_the_paper_option_is_the_framed_pages_own_and_a_paper_it_does_not_know_stops_the_build(tmp_path: Path):
    """``paper: a3`` is selected in the page's menu (the one it prints on until its reader
    picks another), and the cache tells it from the A4 page of the same blueprint."""
    site(tmp_path, f"```blueprint\n{SMALL}```\n")
    selected = []
    for paper in ("a4", "a3", "a4"):
        (tmp_path / "mkdocs.yml").write_text(
            f"site_name: Blueprints\nplugins:\n  - blueprint:\n      format: html\n      paper: {paper}\n")
        assert build(tmp_path, "--strict").returncode == 0
        built = unescape_html((tmp_path / "site" / "index.html").read_text(encoding="utf-8"))
        selected += re.findall(r'<option value="(\w+)" data-size="[\d. ]+" selected>', built)
    assert selected == ["a4", "a3", "a4"]
    (tmp_path / "mkdocs.yml").write_text("site_name: Blueprints\nplugins:\n  - blueprint:\n      paper: a5\n")
    run = build(tmp_path)
    assert run.returncode != 0 and "Traceback" not in run.stderr
    assert any("'paper'" in line and "'a5'" in line and "'tabloid'" in line for line in run.stderr.splitlines())


def test_an_html_page_names_the_line_of_its_own_fence(tmp_path: Path):
    """The same blueprint twice: each frame lists its general finding at its own line of the page."""
    unnamed = SMALL.replace('  scenario "Buy a day ticket"\n  persona  "Visitor"\n', "")  # BP411, at the blueprint
    fence = f"```blueprint\n{unnamed}```\n"
    site(tmp_path, f"{fence}\nText between.\n\n{fence}", plugin="  - blueprint:\n      format: html")
    assert build(tmp_path).returncode == 0
    built = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    second = fence.count("\n") + 5
    assert re.findall(r"at line (\d+)", built) == ["2", str(second)]


def test_superfences_custom_fence_without_mkdocs():
    import markdown

    from blueprint_dsl.markdown import fence_format

    html = markdown.markdown(
        f"```blueprint\n{SMALL}```\n",
        extensions=["pymdownx.superfences"],
        extension_configs={"pymdownx.superfences": {"custom_fences": [
            {"name": "blueprint", "class": "blueprint", "format": fence_format}]}},
    )
    assert '<div class="blueprint"><svg' in html and 'id="action-choose"' in html

    # A fence's attribute list goes on the diagram, as superfences gives it to a block.
    html = markdown.markdown(
        f'``` {{ .blueprint #tickets .wide title="Tickets" }}\n{SMALL}```\n',
        extensions=["attr_list", "pymdownx.superfences"],
        extension_configs={"pymdownx.superfences": {"custom_fences": [
            {"name": "blueprint", "class": "blueprint", "format": fence_format}]}},
    )
    assert re.findall(r"<div class=\"blueprint[^>]*>", html) == [
        '<div class="blueprint wide" id="tickets" title="Tickets">']


def test_the_pages_show_the_findings_the_project_configures(tmp_path: Path):
    without_evidence = SMALL.replace('      evidence "Touch screen", "Ticket"\n', "")  # BP401
    site(tmp_path, f"```blueprint\n{without_evidence}```\n", plugin="  - blueprint:\n      format: html")
    assert build(tmp_path, "--strict").returncode == 0
    assert "BP401" in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")

    (tmp_path / "pyproject.toml").write_text('[tool.blueprint]\nignore = ["BP401"]\n')
    assert build(tmp_path, "--strict").returncode == 0
    assert "BP401" not in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")

    (tmp_path / "pyproject.toml").write_text('[tool.blueprint]\nignore = ["BP999"]\n')
    broken = build(tmp_path)
    assert broken.returncode != 0 and "Traceback" not in broken.stderr
    assert "pyproject.toml" in broken.stderr and "BP999" in broken.stderr


def test_blueprints_shown_as_code_stay_code(tmp_path: Path):
    # A page that teaches the syntax: every example below is code, only the last fence is a diagram.
    page = (
        "# Writing one\n\n"
        f"In a fence of four backticks:\n\n````markdown\n```blueprint\n{SMALL}```\n````\n\n"
        f"In a tilde fence:\n\n~~~markdown\n```blueprint\n{SMALL}```\n~~~\n\n"
        "A tilde fence closes only with tildes, at least as many:\n\n"
        f"~~~~\n~~~\n```\n```blueprint\n{SMALL}```\n~~~~\n\n"
        "In an indented code block:\n\n    ```blueprint\n" + "".join(f"    {line}\n" for line in SMALL.splitlines())
        + "    ```\n\n"
        "An image link in a fence:\n\n```markdown\n![Coffee](coffee.svc)\n```\n\n"
        f"And the real one:\n\n```blueprint\n{SMALL}```\n"
    )
    run = build(site(tmp_path, page), "--strict")
    assert run.returncode == 0, run.stderr
    built = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert built.count('<div class="blueprint"><svg') == 1
    assert len(re.findall(r'```blueprint\nblueprint (?:&quot;|")Ticket machine(?:&quot;|") \{', built)) == 4
    assert "![Coffee](coffee.svc)" in built


def test_image_links_in_code_spans_stay_code(tmp_path: Path):
    page = ("Write `![flow](coffee.svc)` to show a file; a span may run over lines: ``a\n"
            "![flow](coffee.svc)``; an escaped mark is a plain link: \\![flow](coffee.svc).\n\n"
            "![Coffee](coffee.svc)\n")
    run = build(site(tmp_path, page), "--strict")
    assert run.returncode == 0, run.stderr
    built = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert built.count('<div class="blueprint"><svg') == 1
    assert "<code>![flow](coffee.svc)</code>" in built and "<code>a\n![flow](coffee.svc)</code>" in built


@pytest.mark.parametrize("front_matter", [
    "---\ntitle: Broken\ntags:\n  - services\n---\n\n",
    "Title: Broken\nSummary: a blueprint with a typo\n    over two lines\n\n\n",
], ids=["yaml", "multimarkdown"])
def test_errors_name_the_line_of_the_file_with_its_front_matter(tmp_path: Path, front_matter: str):
    broken = SMALL.replace("machine: ", "machne: ")
    page = f"{front_matter}# Broken\n\n```blueprint\n{broken}```\n"
    line = next(number for number, text in enumerate(page.splitlines(), 1) if "machne:" in text)
    site(tmp_path, page)
    strict = build(tmp_path, "--strict")
    assert strict.returncode != 0 and "Traceback" not in strict.stderr
    assert f"index.md:{line}:7: error BP101 unknown-actor" in strict.stderr
    assert f"{line} |       machne: " in strict.stderr


class _Elements(HTMLParser):
    """Every element's id on the page, and each diagram's own ids and the ids it refers to."""

    REFERENCES = ("aria-labelledby", "aria-describedby")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.diagrams: list[tuple[set[str], set[str]]] = []
        self.depth = 0  # of <svg> elements, inside a diagram
        self.previous = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "svg" and (self.depth or self.previous == '<div class="blueprint">'):
            self.depth += 1
            if self.depth == 1:
                self.diagrams.append((set(), set()))
        self.previous = f"<{tag}" + "".join(f' {name}="{value}"' for name, value in attrs) + ">"
        for name, value in attrs:
            value = value or ""
            if name == "id":
                self.ids.append(value)
            if not self.depth:
                continue
            ids, references = self.diagrams[-1]
            if name == "id":
                ids.add(value)
            elif name in ("href", "xlink:href") and value.startswith("#"):
                references.add(value[1:])
            elif name in self.REFERENCES:
                references.update(value.split())
            references.update(re.findall(r"url\(#([^)]+)\)", value))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg" and self.depth:
            self.depth -= 1


def test_diagrams_on_one_page_have_ids_of_their_own(tmp_path: Path):
    page = (f"# Three diagrams\n\n```blueprint\n{SMALL}```\n\n![Coffee](coffee.svc)\n\n"
            f"```blueprint\n{COFFEE}```\n")
    run = build(site(tmp_path, page), "--strict")
    assert run.returncode == 0, run.stderr
    built = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    elements = _Elements()
    elements.feed(built)
    assert len(elements.diagrams) == 3
    duplicates = sorted(name for name, count in Counter(elements.ids).items() if count > 1)
    assert duplicates == []
    for ids, references in elements.diagrams:
        assert references and references <= ids, references - ids
    # The first keeps the ids of `blueprint render`; the others are told apart by their place.
    assert 'aria-labelledby="blueprint-title blueprint-desc"' in built and 'id="action-choose"' in built
    assert 'aria-labelledby="blueprint-2-blueprint-title blueprint-2-blueprint-desc"' in built
    assert 'id="blueprint-3-action-collect"' in built and 'id="blueprint-2-action-collect"' in built

    again = build(tmp_path, "--strict")
    assert again.returncode == 0
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == built


def test_prefixed_ids_take_every_reference_to_them_along():
    from blueprint_dsl.markdown import prefix_ids

    svg = ('<svg role="img" aria-labelledby="t  d" aria-describedby="elsewhere">\n<title id="t">A &lt;b&gt;</title>'
           '<desc id="d">x</desc><defs><linearGradient id="g"/><marker id="m"/></defs>'
           '<path fill="url(#g)" style="stroke: url(#g); marker-end: url(#m)" marker-start="url(#other)"/>'
           '<use xlink:href="#m"/><use href="#m"/><a href="#outside" title="id=&quot;t&quot;">id="t"</a></svg>')
    assert prefix_ids(svg, "blueprint-2-") == (
        '<svg role="img" aria-labelledby="blueprint-2-t  blueprint-2-d" aria-describedby="elsewhere">\n'
        '<title id="blueprint-2-t">A &lt;b&gt;</title><desc id="blueprint-2-d">x</desc>'
        '<defs><linearGradient id="blueprint-2-g"/><marker id="blueprint-2-m"/></defs>'
        '<path fill="url(#blueprint-2-g)" style="stroke: url(#blueprint-2-g); marker-end: url(#blueprint-2-m)" '
        'marker-start="url(#other)"/><use xlink:href="#blueprint-2-m"/><use href="#blueprint-2-m"/>'
        '<a href="#outside" title="id=&quot;t&quot;">id="t"</a></svg>')


CONTAINERS = """markdown_extensions:
  - admonition
  - pymdownx.details
  - pymdownx.superfences
  - pymdownx.tabbed:
      alternate_style: true
"""


def indented(text: str, by: str = "    ") -> str:
    return "".join(f"{by}{line}\n" if line else "\n" for line in text.splitlines())


def diagrams_marked(built: str) -> str:
    """The page with each diagram shown as <DIAGRAM/>, to read the blocks around it."""
    return re.sub(r'<div class="blueprint"><svg.*?</svg>\s*</div>', "<DIAGRAM/>", built, flags=re.DOTALL)


def test_diagrams_stay_in_their_list_item_admonition_details_or_tab(tmp_path: Path):
    page = (
        "# In containers\n\n"
        f"1. Order\n\n    ```blueprint\n{indented(SMALL)}    ```\n\n    Text after the diagram.\n\n"
        "        code in the item\n\n2. Pay\n\n"
        '!!! note "Linked"\n    Before.\n\n    ![Coffee](coffee.svc)\n\n    After the diagram.\n\n'
        f'??? note "Folded"\n    ```blueprint\n{indented(SMALL)}    ```\n    Still folded.\n\n'
        '=== "First tab"\n\n    ![Coffee](coffee.svc) and text on its line.\n\n=== "Second tab"\n\n    Second.\n\n'
        "Outside.\n"
    )
    run = build(site(tmp_path, page, more=CONTAINERS), "--strict")
    assert run.returncode == 0, run.stderr
    built = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    marked = diagrams_marked(built)
    assert marked.count("<DIAGRAM/>") == 4
    assert ("<li>\n<p>Order</p>\n<DIAGRAM/>\n<p>Text after the diagram.</p>\n"
            "<pre><code>code in the item\n</code></pre>\n</li>") in marked
    assert '<p>Before.</p>\n<DIAGRAM/>\n<p>After the diagram.</p>\n</div>' in marked
    assert "<summary>Folded</summary>\n<DIAGRAM/>\n<p>Still folded.</p>\n</details>" in marked
    assert '<div class="tabbed-block">\n<DIAGRAM/>\n<p>and text on its line.</p>\n</div>' in marked
    assert "<p>Outside.</p>" in marked

    again = build(tmp_path, "--strict")
    assert again.returncode == 0
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == built


def test_diagrams_in_lists_nested_by_python_markdowns_rules_definitions_and_footnotes(tmp_path: Path):
    # Python-Markdown nests by four spaces a level, whatever the indent of an item's marker.
    page = (
        "# Nested\n\n- Buying\n  - At the machine\n\n    ![Coffee](coffee.svc)\n\n"
        f"  - An item indented two spaces\n\n    ```blueprint\n{indented(SMALL)}    ```\n\n"
        f"Ticket machine\n:   The machine:\n\n    ```blueprint\n{indented(SMALL)}    ```\n\n"
        "See the note.[^1]\n\n[^1]: The coffee:\n\n    ![Coffee](coffee.svc)\n"
    )
    run = build(site(tmp_path, page, more=CONTAINERS + "  - def_list\n  - footnotes\n"), "--strict")
    assert run.returncode == 0, run.stderr
    marked = diagrams_marked((tmp_path / "site" / "index.html").read_text(encoding="utf-8"))
    assert marked.count("<DIAGRAM/>") == 4 and "<pre" not in marked and "coffee.svc" not in marked
    assert "<li>\n<p>At the machine</p>\n<DIAGRAM/>\n</li>" in marked
    assert "<li>\n<p>An item indented two spaces</p>\n<DIAGRAM/>\n</li>" in marked
    assert "<dd>\n<p>The machine:</p>\n<DIAGRAM/>\n</dd>" in marked
    # The footnote's link back stays in a paragraph after the diagram.
    assert re.search(r'<li id="fn:1">\n<p>The coffee:</p>\n<DIAGRAM/>\n<p>&#160;<a class="footnote-backref"', marked)


def blog_site(tmp_path: Path) -> Path:
    """A site with Material's blog and the plugin, and coffee.svc among its posts: the
    folder of the posts."""
    site(tmp_path, "# Blog\n", plugin="  - blog\n  - blueprint")
    (tmp_path / "docs" / "index.md").rename(tmp_path / "docs" / "blog.md")
    posts = tmp_path / "docs" / "blog" / "posts"
    posts.mkdir(parents=True)
    (tmp_path / "docs" / "blog" / "index.md").write_text("# Blog\n", encoding="utf-8")
    (posts / "coffee.svc").write_text(COFFEE, encoding="utf-8")
    return posts


def test_a_blogs_excerpts_show_the_diagrams_of_its_posts(tmp_path: Path):
    # Material's blog renders each post's excerpt anew, from the post's Markdown, for its index pages.
    posts = blog_site(tmp_path)
    (posts / "first.md").write_text("---\ndate: 2024-01-31\n---\n\n# First post\n\nOur coffee:\n\n"
                                    "![Coffee](coffee.svc)\n\n<!-- more -->\n\nMore text.\n", encoding="utf-8")
    run = build(tmp_path, "--strict")
    assert run.returncode == 0, run.stderr
    for page in ("blog/index.html", "blog/archive/2024/index.html", "blog/2024/01/31/first-post/index.html"):
        built = (tmp_path / "site" / page).read_text(encoding="utf-8")
        assert diagrams_marked(built).count("<DIAGRAM/>") == 1, page
        assert not re.search(r"blueprint\d+x[0-9a-f]{32}", built), page


def test_an_error_inside_a_list_item_shows_there_and_names_its_place(tmp_path: Path):
    broken = SMALL.replace("machine: ", "machne: ")
    page = f"# Broken\n\n- A ticket machine:\n\n    ```blueprint\n{indented(broken)}    ```\n\n    Then the rest.\n"
    line = next(number for number, text in enumerate(page.splitlines(), 1) if "machne:" in text)
    site(tmp_path, page, more=CONTAINERS)
    strict = build(tmp_path, "--strict")
    assert strict.returncode != 0 and "Traceback" not in strict.stderr
    assert f"index.md:{line}:11: error BP101 unknown-actor" in strict.stderr  # the column in the file

    assert build(tmp_path).returncode == 0
    built = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<li>\n<p>A ticket machine:</p>\n<pre class="blueprint-error" role="alert">index\.md:\d+:11: '
                     r"error BP101 unknown-actor[^<]*</pre>\n<p>Then the rest\.</p>\n</li>", built)


def test_text_that_looks_like_a_placeholder_takes_no_diagram(tmp_path: Path):
    # The plugin's own placeholders are built from a hash of the page, so that no text the
    # page holds can be one. Snippets are the way round that: they come in after the plugin.
    from blueprint_dsl.mkdocs_placeholders import placeholder_of
    from blueprint_dsl.mkdocs_plugin import _page_key

    page = f'```blueprint\n{SMALL}```\n\n--8<-- "part.md"\n'
    site(tmp_path, page, more="markdown_extensions:\n  - pymdownx.snippets:\n      base_path: [snippets]\n")
    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets" / "part.md").write_text(placeholder_of(_page_key(page), 1) + "\n", encoding="utf-8")
    strict = build(tmp_path, "--strict")
    assert strict.returncode != 0 and "Traceback" not in strict.stderr
    assert "blueprint in index.md: diagram 1 is left out" in strict.stderr

    assert build(tmp_path).returncode == 0
    assert '<div class="blueprint">' not in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")


GENERATED_PAGE = f"""---
title: Made by a hook
---

# Made by a hook

![Coffee](../coffee.svc)

```blueprint
{SMALL.replace("machine: ", "machne: ")}```
"""

HOOKS = f"""from pathlib import Path

from mkdocs.structure.files import File

PAGE = {GENERATED_PAGE!r}


def on_files(files, config):
    # One page in memory, as mkdocs-gen-files makes them, and one in a file outside docs_dir.
    files.append(File.generated(config, "made/in_memory.md", content=PAGE))
    outside = Path(config["config_file_path"]).parent / "outside" / "page.md"
    outside.parent.mkdir(exist_ok=True)
    outside.write_text(PAGE, encoding="utf-8")
    files.append(File.generated(config, "made/from_file.md", abs_src_path=str(outside)))
    return files
"""


def test_pages_a_plugin_makes_read_links_from_where_they_would_be(tmp_path: Path):
    site(tmp_path, "# Home\n", more="hooks:\n  - hooks.py\n")
    (tmp_path / "hooks.py").write_text(HOOKS, encoding="utf-8")
    line = next(number for number, text in enumerate(GENERATED_PAGE.splitlines(), 1) if "machne:" in text)
    strict = build(tmp_path, "--strict")
    assert strict.returncode != 0 and "Traceback" not in strict.stderr
    for name in ("in_memory", "from_file"):
        assert f"made/{name}.md:{line}:7: error BP101 unknown-actor" in strict.stderr  # front matter counted
    assert "coffee.svc" not in strict.stderr

    lenient = build(tmp_path)
    assert lenient.returncode == 0, lenient.stderr
    for name in ("in_memory", "from_file"):
        built = (tmp_path / "site" / "made" / name / "index.html").read_text(encoding="utf-8")
        assert built.count('<div class="blueprint"><svg') == 1 and "<title>Coffee to go" in built
        assert '<pre class="blueprint-error" role="alert">' in built


def test_an_image_link_with_text_after_it_in_a_tight_list_keeps_the_list(tmp_path: Path):
    page = ("# Steps\n\n- ![Coffee](coffee.svc) and more text\n- next item\n- last item\n\n"
            "Before ![Coffee](coffee.svc) after.\n")
    run = build(site(tmp_path, page), "--strict")
    assert run.returncode == 0, run.stderr
    marked = diagrams_marked((tmp_path / "site" / "index.html").read_text(encoding="utf-8"))
    assert "<ul>\n<li><DIAGRAM/> and more text</li>\n<li>next item</li>\n<li>last item</li>\n</ul>" in marked
    # In a paragraph, a diagram (a block) splits the paragraph around it.
    assert "<p>Before</p>\n<DIAGRAM/>\n<p>after.</p>" in marked


def test_an_image_link_in_a_table_cell_draws_the_diagram_in_the_cell(tmp_path: Path):
    page = "| Step | Blueprint |\n| --- | --- |\n| Order | ![Coffee](coffee.svc) |\n| Pay | none yet |\n"
    run = build(site(tmp_path, page, more="markdown_extensions:\n  - tables\n"), "--strict")
    assert run.returncode == 0, run.stderr
    marked = diagrams_marked((tmp_path / "site" / "index.html").read_text(encoding="utf-8"))
    assert "<tr>\n<td>Order</td>\n<td><DIAGRAM/></td>\n</tr>\n<tr>\n<td>Pay</td>\n<td>none yet</td>\n</tr>" in marked
    assert "|" not in marked[marked.index("<table>"):]


def test_blueprints_in_a_block_quote_are_drawn_in_it(tmp_path: Path):
    page = (f"> Before.\n>\n> ```blueprint\n{indented(SMALL, '> ')}> ```\n>\n> ![Coffee](coffee.svc)\n> After.\n\n"
            "- An item\n\n    > > ![Coffee](coffee.svc)\n\nOutside.\n")
    run = build(site(tmp_path, page, more=CONTAINERS), "--strict")
    assert run.returncode == 0, run.stderr
    marked = diagrams_marked((tmp_path / "site" / "index.html").read_text(encoding="utf-8"))
    assert marked.count("<DIAGRAM/>") == 3 and "```" not in marked
    assert "<blockquote>\n<p>Before.</p>\n<DIAGRAM/>\n<DIAGRAM/>\n<p>After.</p>\n</blockquote>" in marked
    assert "<li>\n<p>An item</p>\n<blockquote>\n<blockquote>\n<DIAGRAM/>\n</blockquote>\n</blockquote>\n</li>" in marked


def assert_strict_build_names_the_typo(tmp_path: Path, page: str) -> None:
    """A strict build of ``page``, whose blueprint misspells an actor ``machne`` nine
    columns into its line (behind a quote marker), fails naming that line and column."""
    line = next(number for number, text in enumerate(page.splitlines(), 1) if "machne:" in text)
    site(tmp_path, page)
    strict = build(tmp_path, "--strict")
    assert strict.returncode != 0 and "Traceback" not in strict.stderr
    assert f"index.md:{line}:9: error BP101 unknown-actor" in strict.stderr  # the column in the file


def test_an_error_in_a_quoted_fence_shows_in_the_quote_and_names_its_column(tmp_path: Path):
    broken = SMALL.replace("machine: ", "machne: ")
    assert_strict_build_names_the_typo(tmp_path, f"# Broken\n\n> ```blueprint\n{indented(broken, '> ')}> ```\n")

    assert build(tmp_path).returncode == 0
    built = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<blockquote>\n<pre class="blueprint-error" role="alert">index\.md:\d+:9: ', built)


def test_blueprints_in_html_comments_are_left_alone(tmp_path: Path):
    broken = SMALL.replace("machine: ", "machne: ")  # commented out: no error either
    page = (f"# Commented out\n\n<!--\n```blueprint\n{broken}```\n\n![Coffee](coffee.svc)\n-->\n\n"
            "Text <!-- ![Coffee](coffee.svc) --> goes on.\n\n"
            "- An item\n\n    <!-- ![Coffee](coffee.svc) -->\n\n"
            "<!-- one line -->![Coffee](coffee.svc)\n")
    run = build(site(tmp_path, page), "--strict")
    assert run.returncode == 0, run.stderr
    built = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    # Only the link after the last comment is drawn; the comments keep what they hold, as Markdown made it.
    assert re.search(r"<!-- one line -->\n<div class=\"blueprint\"><svg", built)
    assert diagrams_marked(built).count("<DIAGRAM/>") == 1
    assert not re.search(r"blueprint\d+x[0-9a-f]{32}", built)
    comments = re.findall(r"<!--.*?-->", built, flags=re.DOTALL)
    assert "machne" in comments[0] and all("coffee.svc" in comment for comment in comments[:3])
    assert "<p>Text <!--" in built and "--> goes on.</p>" in built


def test_an_attribute_list_after_an_image_link_goes_on_the_diagram(tmp_path: Path):
    page = ("![Coffee](coffee.svc){ .wide #coffee-flow data-zoom=\"2\" }\n\n"
            "- ![Coffee](coffee.svc){: .small } in a list\n- next\n")
    run = build(site(tmp_path, page, more="markdown_extensions:\n  - attr_list\n"), "--strict")
    assert run.returncode == 0, run.stderr
    built = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert '<div class="blueprint wide" id="coffee-flow" data-zoom="2"><svg' in built
    assert '<li><div class="blueprint small"><svg' in built and "</div> in a list</li>" in built
    assert "{" not in diagrams_marked(built).partition("<article")[2].partition("</article>")[0]

    # Without attr_list, Markdown leaves the braces as text after an image, and so does the plugin.
    run = build(site(tmp_path / "plain", page), "--strict")
    assert run.returncode == 0, run.stderr
    assert "<DIAGRAM/>\n<p>{ .wide #coffee-flow data-zoom=" in diagrams_marked(
        (tmp_path / "plain" / "site" / "index.html").read_text(encoding="utf-8"))


def test_a_fences_options_and_attribute_list_go_on_the_diagram(tmp_path: Path):
    page = (f'```blueprint title="Ticket machine"\n{SMALL}```\n\n'
            f"``` {{ .blueprint #tickets .wide }}\n{SMALL}```\n\n"
            f"```blueprint {{ #again }}\n{SMALL}```\n\n"
            f"```blueprint linenums=\"1\" oops{{\n{SMALL}```\n")
    run = build(site(tmp_path, page, more="markdown_extensions:\n  - attr_list\n"))
    assert run.returncode == 0, run.stderr
    built = article((tmp_path / "site" / "index.html").read_text(encoding="utf-8"))
    assert re.findall(r"<div class=\"blueprint[^>]*>", built) == [
        '<div class="blueprint" title="Ticket machine">', '<div class="blueprint wide" id="tickets">',
        '<div class="blueprint" id="again">', '<div class="blueprint">']
    assert "```" not in built
    # What the info string holds that is neither is named, at the fence's line and column.
    line = page[: page.index("```blueprint linenums")].count("\n") + 1
    assert re.findall(r"WARNING.*blueprint fence.*", run.stderr) == [
        f"WARNING -  blueprint fence at index.md:{line}:1: 'linenums=\"1\" oops{{' after the language is left out; "
        "a blueprint fence takes options (title=\"...\") or an attribute list ({ #id .class })"]

    # Without attr_list, Markdown gives a fence's block no attributes, and the plugin says so.
    run = build(site(tmp_path / "plain", page))
    assert run.returncode == 0, run.stderr
    built = article((tmp_path / "plain" / "site" / "index.html").read_text(encoding="utf-8"))
    assert re.findall(r"<div class=\"blueprint[^>]*>", built) == ['<div class="blueprint">'] * 4
    assert "index.md:1:1: its attributes are left out" in run.stderr


def test_a_reference_style_image_link_to_a_blueprint_is_warned_of(tmp_path: Path):
    """The plugin reads image links written inline; one written with a reference, which
    Markdown makes an image no browser can draw, is named, and fails a strict build."""
    page = ("![Coffee](coffee.svc)\n\n![Coffee][c] and ![Coffee] and ![Menu][m]\n\n"
            "[c]: coffee.svc\n[coffee]: coffee.svc?v=2 \"To go\"\n[m]: menu.png\n\n"
            "`![Coffee][c]` and <img src='coffee.svc#x' alt=\"raw\">\n")
    site(tmp_path, page)
    run = build(tmp_path)
    assert run.returncode == 0, run.stderr
    warned = re.findall(r"WARNING -  blueprint in index.md: the image '([^']*)' shows a blueprint file", run.stderr)
    assert warned == ["coffee.svc", "coffee.svc?v=2", "coffee.svc#x"]
    assert "a reference-style image link is not read" in run.stderr
    assert build(tmp_path, "--strict").returncode == 1


def test_a_blogs_index_gives_each_excerpts_diagram_ids_of_its_own(tmp_path: Path):
    posts = blog_site(tmp_path)
    for day, title in ((1, "First"), (2, "Second"), (3, "Third")):
        (posts / f"{title.lower()}.md").write_text(
            f"---\ndate: 2024-02-0{day}\n---\n\n# {title} post\n\n![Coffee](coffee.svc)\n\n"
            f"```blueprint\n{SMALL}```\n\n<!-- more -->\n\nMore text.\n", encoding="utf-8")
    run = build(tmp_path, "--strict")
    assert run.returncode == 0, run.stderr
    for page in ("blog/index.html", "blog/archive/2024/index.html", "blog/2024/02/02/second-post/index.html"):
        built = (tmp_path / "site" / page).read_text(encoding="utf-8")
        elements = _Elements()
        elements.feed(built)
        assert len(elements.diagrams) == (2 if "second-post" in page else 6), page
        ids = Counter(name for ids, _ in elements.diagrams for name in ids)
        assert [name for name, count in ids.items() if count > 1] == [], page
        for ids, references in elements.diagrams:
            assert references and references <= ids, (page, references - ids)
        # The first diagram the page shows keeps the ids of `blueprint render`; the others are
        # told apart by their place on the page, not by their place on their post's page.
        labels = re.findall(r'aria-labelledby="([^"]*blueprint-desc)"', built)
        assert labels == ["blueprint-title blueprint-desc"] + [
            f"blueprint-{place}-blueprint-title blueprint-{place}-blueprint-desc"
            for place in range(2, len(elements.diagrams) + 1)], page


TOC = "markdown_extensions:\n  - attr_list\n  - toc:\n      permalink: true\n"


def test_an_image_link_in_a_heading_leaves_the_heading_and_draws_below_it(tmp_path: Path):
    # Setext headings as ATX ones: the heading keeps its other text, id and permalink.
    page = ("Intro.\n\nOur flow ![Coffee](coffee.svc)\n=========\n\nText.\n\n"
            "Sub ![Coffee](coffee.svc) heading\n---\n\nMore.\n\n## Closed ![Coffee](coffee.svc) ##\n\nEnd.\n")
    run = build(site(tmp_path, page, more=TOC), "--strict")
    assert run.returncode == 0, run.stderr
    built = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    marked = diagrams_marked(built)
    assert not re.search(r"blueprint\d+x[0-9a-f]{32}", built)
    assert re.search(r'<h1 id="our-flow">Our flow<a class="headerlink" href="#our-flow"[^>]*>&para;</a></h1>\n'
                     r"<DIAGRAM/>\n<p>Text\.</p>", marked)
    assert re.search(r'<h2 id="sub-heading">Sub  ?heading<a class="headerlink"[^>]*>&para;</a></h2>\n'
                     r"<DIAGRAM/>\n<p>More\.</p>", marked)
    assert re.search(r'<h2 id="closed">Closed<a class="headerlink"[^>]*>&para;</a></h2>\n<DIAGRAM/>\n<p>End\.</p>',
                     marked)


def article(built: str) -> str:
    """The page's own content, without the theme around it."""
    return built.partition("<article")[2].partition("</article>")[0]


def test_a_heading_that_holds_only_an_image_link_takes_its_alt_text(tmp_path: Path):
    # The diagram goes below, as for a heading with other text; the heading keeps a text, an id
    # and its entry in the table of contents. With no alt text, the file's name stands for it.
    page = ("![Checkout](coffee.svc)\n=======================\n\nText.\n\n"
            "![The *new* flow](coffee.svc)\n---\n\nMore.\n\n## ![Closed](coffee.svc) ##\n\nEnd.\n\n"
            "> ![Quoted](coffee.svc)\n> ---\n\n![](coffee.svc)\n---\n\nLast.\n\n"
            # An attribute list after the link, with a space, is the heading's (attr_list is on).
            "## ![With an id](coffee.svc) {#flow .wide}\n\nAfter.\n")
    run = build(site(tmp_path, page, more=TOC), "--strict")
    assert run.returncode == 0, run.stderr
    built = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    marked = diagrams_marked(article(built))
    assert marked.count("<DIAGRAM/>") == 6 and "<hr" not in marked and "<p>=" not in marked
    permalink = r'<a class="headerlink" href="#{}"[^>]*>&para;</a>'
    assert re.search(r'<h1 id="checkout">Checkout' + permalink.format("checkout") + r"</h1>\n<DIAGRAM/>\n<p>Text\.</p>",
                     marked)
    assert re.search(r'<h2 id="the-new-flow">The \*new\* flow' + permalink.format("the-new-flow")
                     + r"</h2>\n<DIAGRAM/>\n<p>More\.</p>", marked)
    assert re.search(r'<h2 id="closed">Closed' + permalink.format("closed") + r"</h2>\n<DIAGRAM/>\n<p>End\.</p>",
                     marked)
    assert re.search(r'<blockquote>\n<h2 id="quoted">Quoted' + permalink.format("quoted")
                     + r"</h2>\n<DIAGRAM/>\n</blockquote>", marked)
    assert re.search(r'<h2 id="coffee">coffee' + permalink.format("coffee") + r"</h2>\n<DIAGRAM/>\n<p>Last\.</p>",
                     marked)
    assert re.search(r'<h2 class="wide" id="flow">With an id' + permalink.format("flow")
                     + r"</h2>\n<DIAGRAM/>\n<p>After\.</p>", marked)
    assert re.search(r'<a href="#the-new-flow" class="md-nav__link">\s*<span class="md-ellipsis">\s*The \*new\* flow',
                     built)


def test_an_alt_text_with_brackets_draws_the_diagram(tmp_path: Path):
    # Python-Markdown reads brackets in pairs, and escaped ones, as part of an alt text.
    page = ("Before ![The [new] flow](coffee.svc) after.\n\n## ![Checkout \\[beta\\]](coffee.svc)\n\nEnd.\n\n"
            "## ![The [old] flow](coffee.svc)\n\nLast.\n")
    run = build(site(tmp_path, page, more=TOC), "--strict")
    assert run.returncode == 0, run.stderr
    marked = diagrams_marked(article((tmp_path / "site" / "index.html").read_text(encoding="utf-8")))
    assert marked.count("<DIAGRAM/>") == 3 and "coffee.svc" not in marked
    assert "<p>Before</p>\n<DIAGRAM/>\n<p>after.</p>" in marked
    # A heading that holds only the link takes its alt text, brackets and all.
    assert re.search(r'<h2 id="checkout-beta">Checkout \[beta\]<a class="headerlink"[^>]*>&para;</a></h2>\n'
                     r"<DIAGRAM/>\n<p>End\.</p>", marked)
    assert re.search(r'<h2 id="the-old-flow">The \[old\] flow<a class="headerlink"[^>]*>&para;</a></h2>\n'
                     r"<DIAGRAM/>\n<p>Last\.</p>", marked)


def test_an_image_links_title_goes_on_the_diagram_as_on_the_image(tmp_path: Path):
    import markdown

    page = ('![Coffee](coffee.svc "The coffee flow")\n\n'
            "Before ![Coffee](<to go.svc> 'Fish &amp; chips, \\*hot\\*') after.\n\n"
            '![Coffee](coffee.svc "Set"){ .wide title="Listed" }\n\n'
            '![Coffee](coffee\\.svc)\n\n'
            '[![Coffee](coffee.svc "Linked")](https://example.com/a)\n')
    site(tmp_path, page, plugin="  - blueprint:\n      format: html", more="markdown_extensions:\n  - attr_list\n")
    (tmp_path / "docs" / "to go.svc").write_text(COFFEE, encoding="utf-8")
    run = build(tmp_path, "--strict")
    assert run.returncode == 0, run.stderr
    built = article((tmp_path / "site" / "index.html").read_text(encoding="utf-8"))
    frames = re.findall(r'<iframe class="blueprint( wide)?" sandbox="allow-scripts"[^>]*?(?: title="([^"]*)")?>', built)
    assert frames == [("", "The coffee flow"), ("", "Fish &amp; chips, *hot*"), (" wide", "Listed"), ("", ""),
                      ("", "Linked")]
    # As Python-Markdown sets each image's title, that on a link's attribute list last.
    images = re.findall(r"<img ([^>]*)>", markdown.markdown(page, extensions=["attr_list"]))
    assert [re.search(r'title="([^"]*)"', image)[1] if "title=" in image else "" for image in images] == [
        title for _, title in frames]
    assert '<p>Before</p>\n<iframe' in built and "</iframe>\n<p>after.</p>" in built
    assert '<a href="https://example.com/a">Coffee</a></p>\n<iframe' in built and "svc" not in re.sub(
        r"<iframe[^>]*>", "", built)


def test_code_spans_in_an_image_link_show_as_on_the_image(tmp_path: Path):
    import markdown

    # Python-Markdown gives the image a code span's code, as text, in its title, alt text and path.
    page = ('![Coffee](coffee.svc "The `coffee` flow")\n\n'
            "[![Fish `&` <chips>, `<b>` `\\*`](coffee.svc)](https://example.com/a)\n\n"
            "![Coffee](`coffee`.svc 'In ` code `')\n\n"
            "## ![The `new` flow](coffee.svc)\n\nEnd.\n")
    run = build(site(tmp_path, page, plugin="  - blueprint:\n      format: html", more=TOC), "--strict")
    assert run.returncode == 0, run.stderr
    built = article((tmp_path / "site" / "index.html").read_text(encoding="utf-8"))
    titles = re.findall(r'<iframe class="blueprint" sandbox="allow-scripts"[^>]*?(?: title="([^"]*)")?>', built)
    images = re.findall(r"<img ([^>]*)>", markdown.markdown(page))
    assert titles == [re.search(r'title="([^"]*)"', image)[1] if "title=" in image else "" for image in images] == [
        "The coffee flow", "", "In code", ""]
    [link_text] = re.findall(r'<a href="https://example\.com/a">(.*?)</a>', built)
    assert link_text == re.search(r'alt="([^"]*)"', images[1])[1] == "Fish &amp; &lt;chips&gt;, &lt;b&gt; \\*"
    assert re.search(r'<h2 id="the-new-flow">The new flow<a class="headerlink"[^>]*>&para;</a></h2>\n<iframe', built)
    assert "`" not in built


def test_a_percent_encoded_path_names_the_file_mkdocs_finds(tmp_path: Path):
    # MkDocs decodes a link's percent-escapes (as UTF-8) before it looks the file up: %2F is a
    # '/', and a '%' that starts no escape is a '%'. A path from the root starts in docs_dir.
    page = ("![Spaced](to%20go.svc) ![Accented](caf%C3%A9.svc) ![Percent](100%.svc) ![Escaped](100%2525.svc)\n\n"
            "![In a folder](flows%2Fcoffee.svc)\n\n## ![](to%20go.svc)\n\n## ![](%2A%5C_%26%3C%3E.svc)\n\nEnd.\n")
    site(tmp_path, page, more=TOC)
    (tmp_path / "docs" / "flows").mkdir()
    for name in ("to go.svc", "café.svc", "100%.svc", "100%25.svc", "flows/coffee.svc", "*\\_&<>.svc"):
        (tmp_path / "docs" / name).write_text(COFFEE, encoding="utf-8")
    (tmp_path / "docs" / "flows" / "page.md").write_text("![From the root](%2Fcoffee.svc) ![Up](..%2Fcoffee.svc)\n")
    run = build(tmp_path, "--strict")
    assert run.returncode == 0, run.stderr
    built = diagrams_marked(article((tmp_path / "site" / "index.html").read_text(encoding="utf-8")))
    assert built.count("<DIAGRAM/>") == 7 and ".svc" not in built
    # With no alt text, a heading takes the file's name, as it is.
    assert re.search(r'<h2 id="to-go">to go<a class="headerlink"[^>]*>&para;</a></h2>\n<DIAGRAM/>', built)
    assert re.search(r'<h2 id="_">\*\\_&amp;&lt;&gt;<a class="headerlink"[^>]*>&para;</a></h2>\n<DIAGRAM/>', built)
    flows = diagrams_marked(article((tmp_path / "site" / "flows" / "page" / "index.html").read_text(encoding="utf-8")))
    assert flows.count("<DIAGRAM/>") == 2 and ".svc" not in flows

    # Bytes that are not UTF-8 name no file, for MkDocs and for the plugin; nor does a NUL.
    (tmp_path / "docs" / "index.md").write_text("![Latin-1](caf%E9.svc)\n\n![Nul](x%00.svc)\n", encoding="utf-8")
    strict = build(tmp_path, "--strict")
    assert strict.returncode != 0 and "Traceback" not in strict.stderr and "caf\ufffd.svc" in strict.stderr
    assert "BP009 unreadable-file: " in strict.stderr and "x\\x00.svc' holds a NUL character" in strict.stderr


def test_an_image_link_to_an_address_elsewhere_stays_an_image(tmp_path: Path):
    # MkDocs leaves a link with a scheme or a host alone: it names no file of the site. It reads
    # the scheme after Markdown takes the backslash escapes off.
    links = ["https://example.com/flows/coffee.svc", "//cdn.example.com/coffee.svc", "file:coffee.svc",
             "coffee\\.svc:coffee.svc"]
    page = "".join(f"![Elsewhere]({link})\n\n" for link in links) + "![Here](coffee.svc)\n"
    run = build(site(tmp_path, page), "--strict")
    assert run.returncode == 0, run.stderr
    built = diagrams_marked(article((tmp_path / "site" / "index.html").read_text(encoding="utf-8")))
    assert re.findall(r'<img alt="Elsewhere" src="([^"]*)"', built) == links[:3] + ["coffee.svc:coffee.svc"]
    assert built.count("<DIAGRAM/>") == 1


def test_an_image_links_query_and_fragment_are_not_part_of_its_file(tmp_path: Path):
    # MkDocs looks up the path before a '?' or '#', and decodes it after: "%23" is a '#' of the name.
    page = ("![Top](coffee.svc#top) ![Versioned](coffee.svc?v=2#top) ![Hash](%23.svc)\n\n"
            "![Fragment only](coffee#part.svc) ![Query only](?coffee.svc)\n")
    site(tmp_path, page)
    (tmp_path / "docs" / "#.svc").write_text(COFFEE, encoding="utf-8")
    run = build(tmp_path, "--strict")
    assert run.returncode == 0, run.stderr
    built = diagrams_marked(article((tmp_path / "site" / "index.html").read_text(encoding="utf-8")))
    assert built.count("<DIAGRAM/>") == 3
    # A file named before the '#' that is no .svc file, and a link to the page itself, stay images.
    assert re.findall(r'<img alt="[^"]*" src="([^"]*)"', built) == ["coffee#part.svc", "?coffee.svc"]
    # A host in brackets never closed, which MkDocs cannot read (a traceback there), is no file either.
    assert placed("![Broken](//[::1/coffee.svc)\n") == '<p><img alt="Broken" src="//[::1/coffee.svc" /></p>'


@pytest.mark.parametrize("link", ["to%20go.svc", "caf%C3%A9.svc", "caf%c3%a9.svc", "caf%E9.svc", "100%.svc",
                                  "a%zz%2.svc", "100%2525.svc", "a+b.svc", "a%2Fb.svc", "%2Fb.svc", "..%2Fb.svc",
                                  "%2e%2e/%2E%2E/b.svc", "/b.svc", "a\\_b%5F.svc", "b.svc#top", "b.svc?v=2#top",
                                  "%23b.svc", "b%3F.svc"])
def test_an_image_links_file_is_the_one_mkdocs_resolves_the_link_to(tmp_path: Path, link: str):
    from mkdocs.structure import pages
    from mkdocs.structure.files import File

    from blueprint_dsl.markdown_prose import named_file
    from blueprint_dsl.mkdocs_plugin import _image_path

    docs = tmp_path / "docs"
    page = File("flows/page.md", str(docs), str(tmp_path / "site"), use_directory_urls=True)
    src = link.replace("\\_", "_")  # the image's src, as Python-Markdown gives it
    # MkDocs decodes the percent-escapes of the src's path (before any query or fragment) and
    # reads it from the page's folder; one from '/' from docs_dir (as its absolute_links:
    # relative_to_docs does; by default it leaves the link).
    resolved = pages._RelativePathTreeprocessor._target_uri(page.src_uri, pages.urlunquote(urlsplit(src).path))
    read = _image_path(page, str(docs), named_file(link, frozenset("\\_")))
    assert Path(os.path.relpath(read, docs)).as_posix() == resolved


def placed(page: str, extensions: tuple[str, ...] = ()) -> str:
    """The HTML the plugin makes of a page with Python-Markdown alone, each diagram shown as <DIAGRAM/>."""
    import markdown

    from blueprint_dsl.markdown_page import blueprints
    from blueprint_dsl.mkdocs_placeholders import Shown, fill, placeholders_of, with_placeholders

    key = "0" * 32
    found = list(blueprints(page, attribute_lists="attr_list" in extensions))
    html = markdown.markdown(with_placeholders(page, found, key), extensions=list(extensions))
    return fill(html, placeholders_of(key), lambda match: Shown(markup="<DIAGRAM/>", alt="Alt"))


EMPHASIS = {
    "emphasis": ("*![A](x.svc)*", "<DIAGRAM/>"),
    "strong emphasis": ("**![A](x.svc)**", "<DIAGRAM/>"),
    "underscores": ("_![A](x.svc)_", "<DIAGRAM/>"),
    "both": ("***![A](x.svc)***", "<DIAGRAM/>"),
    "in a paragraph": ("Before *![A](x.svc)* after.", "<p>Before</p>\n<DIAGRAM/>\n<p>after.</p>"),
    "around a link": ("*[![A](x.svc)](https://example.com)*", '<a href="https://example.com"><DIAGRAM/></a>'),
    "in a link": ("[**![A](x.svc)**](https://example.com)", '<a href="https://example.com"><DIAGRAM/></a>'),
    "in a list item": ("- *![A](x.svc)* and text\n- next\n",
                       "<ul>\n<li><DIAGRAM/> and text</li>\n<li>next</li>\n</ul>"),
    "holding text too": ("*Before ![A](x.svc)*", "<p><em>Before </em></p>\n<DIAGRAM/>"),
    "in a heading": ("# *![A](x.svc)*", "<h1><em>A</em></h1>\n<DIAGRAM/>"),
    "in a heading with text": ("# Our **![A](x.svc)**", "<h1>Our <strong>A</strong></h1>\n<DIAGRAM/>"),
}


@pytest.mark.parametrize(("page", "html"), EMPHASIS.values(), ids=EMPHASIS)
def test_emphasis_that_holds_only_an_image_link_gives_way_to_the_diagram(page: str, html: str):
    # A diagram is a block, which emphasis may not hold: emphasis that would hold nothing else is dropped,
    # and the diagram takes its place. A heading keeps the alt text where the emphasis holds it.
    assert placed(page) == html


# A heading that holds only an image link takes the alt text, as the image's alt attribute shows it.
HEADINGS_OF_ALT_TEXTS = {
    "escapes and markup": "# ![A \\*b\\* <i> &amp; \\q](x.svc)",
    "code spans": "# ![A `*b*` `<c>` `&amp;` `\\*` \\*](x.svc)",
    "code spans in emphasis": "## Our *![The `new` flow](x.svc)*",
}


@pytest.mark.parametrize("page", HEADINGS_OF_ALT_TEXTS.values(), ids=HEADINGS_OF_ALT_TEXTS)
def test_a_heading_shows_the_alt_text_as_the_image_shows_it(page: str):
    import html

    import markdown

    [alt] = re.findall(r'<img alt="([^"]*)"', markdown.markdown(page))
    [heading] = re.findall(r"<h\d>(?:Our )?(?:<em>)?(.*?)(?:</em>)?</h\d>", placed(page))
    assert html.unescape(heading) == html.unescape(alt)


HEADING_ATTRIBUTE_LISTS = {
    "right after the link": "# ![A](x.svc){ .x }",
    "right after the link, with closing marks": "## ![A](x.svc){: .x } ##",
    "right after the link, underlined": "![A](x.svc){ .x }\n===",
    "right after the link, after text": "# Our ![A](x.svc){ .x }",
    "after a space": "# ![A](x.svc) { .x }",
    "after a space, after text": "# Our ![A](x.svc) { .x }",
}


@pytest.mark.parametrize("page", HEADING_ATTRIBUTE_LISTS.values(), ids=HEADING_ATTRIBUTE_LISTS)
def test_an_attribute_list_in_a_heading_goes_where_python_markdown_puts_it(page: str):
    # Right after the link, attr_list gives it to the image, so the plugin to the diagram;
    # after a space, to the heading.
    import markdown

    from blueprint_dsl.markdown_page import blueprints

    html = markdown.markdown(page, extensions=["attr_list"])
    [link] = blueprints(page, attribute_lists=True)
    assert [value for name, value in link.attributes if name == "class"] == re.findall(r'<img [^>]*class="(.*?)"', html)
    heading_classes = r'<h\d class="(.*?)"'
    assert re.findall(heading_classes, placed(page, ("attr_list",))) == re.findall(heading_classes, html)


LINKED = ("[![Checkout](coffee.svc)](https://example.com/checkout)\n\n"
          'Before [![Inline](coffee.svc)](https://example.com/inline "The flow") after.\n\n'
          "[![By reference](coffee.svc)][flows]\n\n"
          "- [![Item](coffee.svc)](https://example.com/item) and text\n- next\n\n"
          "## Our flow [![Linked](coffee.svc)](https://example.com/heading)\n\nEnd.\n\n"
          "[flows]: https://example.com/reference\n")


def test_a_linked_image_link_draws_the_diagram_inside_the_link(tmp_path: Path):
    run = build(site(tmp_path, LINKED, more=TOC), "--strict")
    assert run.returncode == 0, run.stderr
    marked = diagrams_marked(article((tmp_path / "site" / "index.html").read_text(encoding="utf-8")))
    assert marked.count("<DIAGRAM/>") == 5
    assert not re.search(r"<a [^>]*>\s*</a>", marked)  # no link is left empty
    assert '<a href="https://example.com/checkout"><DIAGRAM/></a>\n<p>Before</p>\n' \
           '<a href="https://example.com/inline" title="The flow"><DIAGRAM/></a>\n<p>after.</p>\n' \
           '<a href="https://example.com/reference"><DIAGRAM/></a>\n' in marked
    assert '<li><a href="https://example.com/item"><DIAGRAM/></a> and text</li>' in marked
    # A heading keeps the link, around the image's alt text; the diagram goes below.
    assert re.search(r'<h2 id="our-flow-linked">Our flow <a href="https://example.com/heading">Linked</a>'
                     r'<a class="headerlink"[^>]*>&para;</a></h2>\n<DIAGRAM/>\n<p>End\.</p>', marked)


def test_a_linked_image_link_keeps_its_link_beside_a_frame(tmp_path: Path):
    # A frame takes its own clicks, and a link may not hold one: the link keeps the alt text.
    run = build(site(tmp_path, LINKED, plugin="  - blueprint:\n      format: html"), "--strict")
    assert run.returncode == 0, run.stderr
    page = article((tmp_path / "site" / "index.html").read_text(encoding="utf-8"))
    # The script that sizes the frames, once, in the content before the first.
    assert page.count("<script>") == 1 and page.index("<script>") < page.index("<iframe")
    page = re.sub(r"<script>.*?</script>", "", page, flags=re.DOTALL)
    frames = re.sub(r'<iframe class="blueprint"[^>]*></iframe>', "<FRAME/>", page)
    assert frames.count("<FRAME/>") == 5 and "<iframe" not in frames
    assert not re.search(r"<a [^>]*>(?:(?!</a>).)*<FRAME/>", frames, flags=re.DOTALL)
    assert '<p><a href="https://example.com/checkout">Checkout</a></p>\n<FRAME/>\n' \
           '<p>Before <a href="https://example.com/inline" title="The flow">Inline</a></p>\n<FRAME/>\n<p>after.</p>\n' \
           '<p><a href="https://example.com/reference">By reference</a></p>\n<FRAME/>\n' in frames
    assert '<li><a href="https://example.com/item">Item</a>\n<FRAME/> and text</li>' in frames


def test_the_alt_text_a_link_keeps_beside_a_frame_shows_as_the_image_would_show_it(tmp_path: Path):
    import markdown

    # An entity, a tag, backslash escapes and a bare ampersand, as the image's alt attribute shows them.
    alt = r"Fish &amp; chips, <b>not bold</b>, \*not emphasised\*, \(a\) and \q, A&B"
    page = f"[![{alt}](coffee.svc)](https://example.com/a)\n"
    run = build(site(tmp_path, page, plugin="  - blueprint:\n      format: html"), "--strict")
    assert run.returncode == 0, run.stderr
    built = article((tmp_path / "site" / "index.html").read_text(encoding="utf-8"))
    [text] = re.findall(r'<a href="https://example\.com/a">(.*?)</a>', built)
    [attribute] = re.findall(r'<img alt="(.*?)"', markdown.markdown(page))
    assert text == attribute == r"Fish &amp; chips, &lt;b&gt;not bold&lt;/b&gt;, *not emphasised*, (a) and \q, A&amp;B"


def test_image_links_in_raw_html_are_left_alone_as_markdown_leaves_them(tmp_path: Path):
    page = ('<div class="note">\n![Raw](coffee.svc)\n\n![Raw after a blank line](coffee.svc)\n</div>\n\n'
            "Text <span>![Inline HTML](coffee.svc)</span> goes on.\n\n"
            '<div>A block,</div> and a script on its line: <script>\n'
            'var s = "![In a script](coffee.svc)";\n</script>\n\n'
            f"<details>\n<summary>A fence in raw HTML</summary>\n\n```blueprint\n{SMALL}```\n\n</details>\n\n"
            '<div markdown="1">\n![Markdown in HTML](coffee.svc)\n</div>\n')
    run = build(site(tmp_path, page), "--strict")
    assert run.returncode == 0, run.stderr
    marked = diagrams_marked(article((tmp_path / "site" / "index.html").read_text(encoding="utf-8")))
    # A fence is read before raw HTML is, as Markdown reads it; an image link in raw HTML is text.
    assert marked.count("<DIAGRAM/>") == 2
    assert '<div class="note">\n![Raw](coffee.svc)\n\n![Raw after a blank line](coffee.svc)\n</div>' in marked
    assert '<script>\nvar s = "![In a script](coffee.svc)";\n</script>' in marked
    assert re.search(r"<summary>A fence in raw HTML</summary>\s*<DIAGRAM/>\s*</details>", marked)
    assert '<div markdown="1">\n![Markdown in HTML](coffee.svc)\n</div>' in marked

    # With md_in_html, Markdown reads what an element with markdown="1" holds, and so does the plugin.
    run = build(site(tmp_path / "md_in_html", page, more="markdown_extensions:\n  - md_in_html\n"), "--strict")
    assert run.returncode == 0, run.stderr
    marked = diagrams_marked(article((tmp_path / "md_in_html" / "site" / "index.html").read_text(encoding="utf-8")))
    assert marked.count("<DIAGRAM/>") == 3 and "<div>\n<DIAGRAM/>\n</div>" in marked
    assert "![Raw](coffee.svc)" in marked


RAW_HTML = {
    "closed": "<div>\n![Raw](x.svc)\n</div>\n\n![After](x.svc)\n",
    "over blank lines": "<div>\n![Raw](x.svc)\n\n![Raw too](x.svc)\n\n</div>\n\nAfter ![After](x.svc).\n",
    "never closed": "<div>\n![Raw](x.svc)\n\nMore ![Raw too](x.svc)\n",
    "interrupting a paragraph": "Text\n<div>\n![Raw](x.svc)\n</div>\n\n![After](x.svc)\n",
    "on one line": "<div>![Raw](x.svc)</div>\n\n<div>x</div> ![Tail](x.svc)\n",
    "indented three spaces": "   <div>\n![Raw](x.svc)\n</div>\n",
    "indented four spaces: code": "    <div>\n![Drawn](x.svc)\n</div>\n",
    "an inline element": "<span>\n![Drawn](x.svc)\n</span>\n",
    "in a list item": "- item\n\n    <div>\n    ![Drawn](x.svc)\n    </div>\n",
    "after a list item": "- item\n<div>\n![Raw](x.svc)\n</div>\n",
    "in a block quote": "> <div>\n> ![Drawn](x.svc)\n> </div>\n",
    "after a block quote": "> quote ![Quoted](x.svc)\n<div>\n![Raw](x.svc)\n</div>\n",
    "self-closed, and hr": "<div/>\n![Drawn](x.svc)\n\n<hr>\n![Drawn too](x.svc)\n",
    "nested": "<div><div>\n</div>\n![Raw](x.svc)\n</div>\n![After](x.svc)\n",
    "an end tag closes those opened after": "<div>\n<p>\n![Raw](x.svc)\n</div>\n![After](x.svc)\n",
    "an end tag of no open element": "<div>\n</span>\n![Raw](x.svc)\n</div>\n![After](x.svc)\n",
    "upper case": "<DIV>\n![Raw](x.svc)\n</DIV >\n![After](x.svc)\n",
    "a start tag over two lines": '<div\n  class="x">\n![Raw](x.svc)\n</div>\n![After](x.svc)\n',
    "a comment holds the end tag": "<div>\n<!--\n</div>\n-->\n![Raw](x.svc)\n</div>\n![After](x.svc)\n",
    "a script holds the end tag":
        "<div>\n<script>\nvar a = '</div>';\n</script>\n![Raw](x.svc)\n</div>\n![After](x.svc)\n",
    "a fence holds the end tag": "<div>\n```text\n</div>\n```\n![Raw](x.svc)\n</div>\n![After](x.svc)\n",
    "a second block right after the first": "<div>\n</div><div>\n![Raw](x.svc)\n</div>\n![After](x.svc)\n",
    "markdown=1 without md_in_html": '<div markdown="1">\n![Raw](x.svc)\n</div>\n',
    "a block tag later on the line a block ends on":
        "<div>x</div> text <div>\n![Raw](x.svc)\n</div>\n![After](x.svc)\n",
    "an image link before it on that line": "<div>x</div> ![Tail](x.svc) <p>\n![Raw](x.svc)\n</p>\n![After](x.svc)\n",
    "a script later on the line": '<div>x</div> and <script>\nvar s = "![Raw](x.svc)";\n</script>\n![After](x.svc)\n',
    "a block tag after a comment that starts a line":
        '<!-- grid --><div class="grid">\n![Raw](x.svc)\n</div>\n![After](x.svc)\n',
    "a block tag after an hr": "<hr> ![Tail](x.svc) <div>\n![Raw](x.svc)\n</div>\n![After](x.svc)\n",
    "a block tag after a self-closed one": "text\n<div/><p>\n![Raw](x.svc)\n</p>\n![After](x.svc)\n",
    "a comment line after a block quote, and a block tag":
        "> q\n<!-- x --> <p>\n![Raw](x.svc)\n</p>\n![After](x.svc)\n",
}
MARKDOWN_IN_HTML = {
    "markdown=1": '<div markdown="1">\n![Drawn](x.svc)\n</div>\n\n<div markdown>\n![Drawn too](x.svc)\n</div>\n',
    "span and block": '<div markdown="span">\n![Drawn](x.svc)\n</div>\n\n<p markdown="1">![Drawn too](x.svc)</p>\n',
    "markdown=0": '<div markdown="0">\n![Raw](x.svc)\n</div>\n',
    "raw HTML inside": '<div markdown="1">\n<div>\n![Raw](x.svc)\n</div>\n\n![Drawn](x.svc)\n</div>\n',
    "an element whose text Markdown never reads": '<pre markdown="1">\n![Raw](x.svc)\n</pre>\n',
    "raw HTML right after the start tag": '<div markdown><div class="card">\n![Raw](x.svc)\n</div></div>\n'
                                          '<div markdown="1"><p>![Raw too](x.svc)</p></div>\n',
    "Markdown in HTML right after the start tag": '<div markdown><div markdown>\n![Drawn](x.svc)\n</div></div>\n'
                                                  '<div markdown> <div>\n![Drawn too](x.svc)\n</div></div>\n',
}


@pytest.mark.parametrize(("page", "extensions"), [
    *((page, ["fenced_code"]) for page in RAW_HTML.values()),
    *((page, ["fenced_code", "md_in_html"]) for page in MARKDOWN_IN_HTML.values()),
], ids=[*RAW_HTML, *(f"md_in_html: {name}" for name in MARKDOWN_IN_HTML)])
def test_the_image_links_found_around_raw_html_are_those_python_markdown_draws(page: str, extensions: list[str]):
    import markdown

    from blueprint_dsl.markdown_page import blueprints

    drawn = re.findall(r'<img alt="([^"]*)" src="x\.svc" />', markdown.markdown(page, extensions=extensions))
    if "md_in_html" in extensions:
        from blueprint_dsl.markdown_html import HtmlBlocks

        found = blueprints(page, html=HtmlBlocks(markdown_in_html=True))
    else:
        found = blueprints(page)
    assert [re.match(r"!\[([^\]]*)\]", page[link.start : link.end])[1] for link in found] == drawn


def test_a_quoted_fence_runs_on_over_a_bare_blank_line_as_superfences_reads_it(tmp_path: Path):
    with_blank_line = SMALL.replace("  stage", "\n  stage")
    page = f"> ```blueprint\n{indented(with_blank_line, '> ')}> ```\n\nAfter.\n"
    assert "\n\n> " in page
    run = build(site(tmp_path, page, more=CONTAINERS), "--strict")
    assert run.returncode == 0, run.stderr
    marked = diagrams_marked((tmp_path / "site" / "index.html").read_text(encoding="utf-8"))
    assert "<blockquote>\n<DIAGRAM/>\n</blockquote>\n<p>After.</p>" in marked


def test_a_quoted_value_in_an_attribute_list_may_hold_a_closing_brace(tmp_path: Path):
    page = '![Coffee](coffee.svc){ title="a } b" .wide } and text after.\n'
    run = build(site(tmp_path, page, more="markdown_extensions:\n  - attr_list\n"), "--strict")
    assert run.returncode == 0, run.stderr
    built = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert '<div class="blueprint wide" title="a } b"><svg' in built
    assert "</div>\n<p>and text after.</p>" in built and ".wide }" not in built


def test_a_tab_after_a_quote_marker_is_read_as_python_markdown_expands_it(tmp_path: Path):
    broken = SMALL.replace("machine: ", "machne: ")
    assert_strict_build_names_the_typo(
        tmp_path, f">\t![Coffee](coffee.svc)\n\nBetween.\n\n>\t```blueprint\n{indented(broken, '>' + chr(9))}>\t```\n")

    assert build(tmp_path).returncode == 0
    marked = diagrams_marked((tmp_path / "site" / "index.html").read_text(encoding="utf-8"))
    assert "<blockquote>\n<DIAGRAM/>\n</blockquote>\n<p>Between.</p>\n<blockquote>\n<pre class=\"blueprint-error\"" \
        in marked


def test_a_backslash_does_not_escape_a_comment(tmp_path: Path):
    # Python-Markdown escapes no '<': the comment hides the link, as it hides the image it would be.
    page = "Text \\<!-- ![Coffee](coffee.svc) --> more.\n"
    run = build(site(tmp_path, page), "--strict")
    assert run.returncode == 0, run.stderr
    built = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert '<div class="blueprint">' not in built and "<!-- " in built and "coffee.svc" in built


@pytest.mark.parametrize("extension", ["extra", "pymdownx.extra"])
def test_attribute_lists_turned_on_by_an_extension_that_brings_them(tmp_path: Path, extension: str):
    page = "![Coffee](coffee.svc){ .wide }\n"
    run = build(site(tmp_path, page, more=f"markdown_extensions:\n  - {extension}\n"), "--strict")
    assert run.returncode == 0, run.stderr
    built = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert '<div class="blueprint wide"><svg' in built and "{ .wide }" not in built


def test_block_quotes_nested_deeper_than_markdown_reads_them_build(tmp_path: Path):
    run = build(site(tmp_path, "> " * 600 + "![Coffee](coffee.svc)\n"), "--strict")
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr
    built = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert diagrams_marked(built).count("<DIAGRAM/>") == 1
    assert not re.search(r"blueprint\d+x[0-9a-f]{32}", built)


def _lines_run(read, page: str) -> int:
    """How many lines of blueprint_dsl run while ``read(page)`` reads a page: work, not time."""
    from blueprint_dsl import markdown_page

    count = 0

    def trace(frame, event, arg):
        nonlocal count
        if not frame.f_code.co_filename.startswith(str(Path(markdown_page.__file__).parent)):
            return None
        if event == "line":
            count += 1
        return trace

    sys.settrace(trace)
    try:
        read(page)
    finally:
        sys.settrace(None)
    return count


class _ScanCountingText(str):
    """A page that counts the characters searches for ``-->`` in it read."""

    scanned = 0

    def find(self, sub, start=0, end=None):  # type: ignore[override]
        found = super().find(sub, start) if end is None else super().find(sub, start, end)
        stop = len(self) if end is None else min(end, len(self))  # a search that finds nothing reads to its end
        _ScanCountingText.scanned += (found if found != -1 else stop) - start
        return found


@pytest.mark.parametrize("line", ["Text <!-- c --> ![Coffee](coffee.svc) `code` more\n", "<!-- never closed\n",
                                  "Text `a` and ``b`` ![Coffee](coffee.svc) \\<!-- x\n",
                                  "<div>x</div> ![Coffee](coffee.svc) </p> <!-- c -->\n",
                                  "<div><span title='a'> </p> <!-- never closed\n",
                                  "<hr> <span> text <!-- c --> <b>\n", "<!-- c --> <i> <p/> ![Coffee](coffee.svc)\n",
                                  "```blueprint\n  ~~~~ x\n- a\n", "![[![ ![a](b ![c] \\] d](e.svc) ![f](\n",
                                  "![a](x \"![b](y '(![c](z.svc \"t\"  ) \" ((\n",
                                  "![a `b`](`c` d.svc \"`e` f\") `g` ![h](`i`\n"],
                         ids=["comments-and-links", "unclosed-comments", "code-spans", "raw-html-blocks",
                              "a-raw-html-block-never-closed", "the-rest-of-an-hr-line", "the-rest-of-a-comment-line",
                              "fences-never-closed", "image-links-never-closed", "titles-never-closed",
                              "code-spans-in-image-links"])
def test_reading_a_page_takes_work_in_proportion_to_its_length(line: str):
    from blueprint_dsl.markdown_page import blueprints

    def read(page: str) -> None:
        list(blueprints(_ScanCountingText(page), attribute_lists=True))

    work = []
    for lines in (400, 800):
        _ScanCountingText.scanned = 0
        work.append((_lines_run(read, line * lines), _ScanCountingText.scanned))
    (short_lines, short_scanned), (long_lines, long_scanned) = work
    assert long_lines <= 2.2 * short_lines, work
    assert long_scanned <= 2.2 * max(short_scanned, len(line) * 400), work


@pytest.mark.parametrize("output_format", ["svg", "html"])
def test_an_unknown_theme_stops_the_build_once_naming_the_option_and_the_themes(tmp_path: Path, output_format: str):
    page = f"```blueprint\n{SMALL}```\n\n![Coffee](coffee.svc)\n"
    site(tmp_path, page, plugin=f"  - blueprint:\n      format: {output_format}\n      theme: purple")
    run = build(tmp_path)
    assert run.returncode != 0 and "Traceback" not in run.stderr
    assert not (tmp_path / "site" / "index.html").exists()
    errors = [line for line in run.stderr.splitlines() if "purple" in line]
    assert len(errors) == 1, run.stderr
    assert "'theme'" in errors[0] and all(f"'{theme}'" in errors[0] for theme in ("default", "light", "dark", "print"))
    assert "index.md" not in run.stderr
