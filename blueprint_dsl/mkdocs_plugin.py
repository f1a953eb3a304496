"""The MkDocs plugin ``blueprint``: blueprints in fenced blocks and image links.

    plugins:
      - blueprint:
          format: svg        # or html: the interactive page in a frame
          theme: default
          paper: a4          # html: the paper the page prints on (a4, a3, letter, tabloid)

A blueprint with errors logs a warning (so ``mkdocs build --strict`` fails) and shows
a readable error block in the page. Renders are cached in ``.blueprint-cache/mkdocs``.
``mkdocs serve`` rebuilds when a file the blueprints read outside docs_dir changes.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import logging
import os
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from html import unescape as unescape_html
from importlib import resources
from pathlib import Path

from markdown import Markdown
from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.utils.meta import get_data

from .config import ConfigError, find_pyproject, load_config
from .markdown import Renderer, attribute_value, with_attributes
from .markdown_html import HtmlBlocks
from .markdown_links import unescaped
from .markdown_page import BlueprintFence, ImageLink, blueprints
from .markdown_prose import named_file
from .mkdocs_placeholders import Shown, fill, placeholders_of, with_placeholders
from .mkdocs_serve import WatchedFiles
from .model import THEME_NAMES
from .output_formats import PAPERS

log = logging.getLogger("mkdocs.plugins.blueprint")


class BlueprintConfig(Config):
    format = config_options.Choice(("svg", "html"), default="svg")
    # Checked as MkDocs loads the config: a theme that does not exist stops the build
    # once, naming the option, rather than failing every diagram of every page.
    theme = config_options.Optional(config_options.Choice(THEME_NAMES))
    paper = config_options.Choice(tuple(PAPERS), default="a4")
    cache_dir = config_options.Type(str, default=".blueprint-cache/mkdocs")


class BlueprintPlugin(BasePlugin[BlueprintConfig]):
    def __init__(self) -> None:
        self.watched = WatchedFiles()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Nothing to start: that the plugin has this event keeps it from one build of
        `mkdocs serve` to the next, with the server that watches the files it read."""

    @event_priority(-100)  # after other plugins' on_config, to see the Markdown extensions they add
    def on_config(self, config):
        project = Path(config["config_file_path"]).resolve().parent if config["config_file_path"] else Path.cwd()
        self.watched.start_build(config["docs_dir"])
        pyproject = find_pyproject(project.resolve())
        self.watched.add([pyproject] if pyproject is not None else [])
        try:
            # [tool.blueprint] in the project's pyproject.toml, as `blueprint check` reads it there.
            rules = load_config(project)
        except ConfigError as error:
            raise PluginError(f"blueprint: {error}") from error
        self.renderer = Renderer(self.config.format, self.config.theme, project / self.config.cache_dir, rules,
                                 paper=self.config.paper)
        markdown = _site_markdown(config)
        self.attribute_lists = _reads_attribute_lists(markdown)
        self.html_blocks = _html_blocks(markdown)
        self.superfences = _reads_superfences(markdown)
        self.tables = "table" in markdown.parser.blockprocessors
        self.escaped_characters = frozenset(markdown.ESCAPED_CHARS)
        # From a page's Markdown to its HTML, and to pages that show its Markdown anew.
        self.by_key: dict[str, _Places] = {}  # the diagrams of each page, by the key of its placeholders
        self.keys: dict[str, str] = {}  # that key, by page
        return config

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        # A page a plugin made may have no file of its own; it is named, and its image links
        # read, as if it were a file at its src_uri in docs_dir.
        page_name = page.file.src_uri
        # A fence's body is read below a blank line for each line above it, front matter
        # included, so that its diagnostics name the lines of the file.
        lines_above = _front_matter_lines(page.file)
        key = _page_key(markdown)
        found = list(blueprints(markdown, attribute_lists=self.attribute_lists, escaped=self.escaped_characters,
                                html=self.html_blocks, superfences=self.superfences, tables=self.tables))
        diagrams = []
        for blueprint in found:
            if isinstance(blueprint, BlueprintFence):
                source = "\n" * (lines_above + blueprint.line) + blueprint.body
                # Its includes are read from the page's folder, as from any including file.
                rendered = self.renderer.text(source, page_name, origin=_page_path(page.file, config["docs_dir"]))
            else:
                path = _image_path(page.file, config["docs_dir"], blueprint.file)
                rendered = self.renderer.file(path)
                self.watched.add([path])
            self.watched.add(rendered.includes)
            if rendered.problems:
                log.warning("%s has errors:\n%s", _named(blueprint, page_name, markdown, lines_above),
                            rendered.problems.rstrip())
            if isinstance(blueprint, ImageLink):
                escaped = self.escaped_characters
                diagrams.append(_Diagram(markup=rendered.markup, attributes=_attributes(blueprint, escaped),
                                         alt=_alt_attribute(blueprint.alt, escaped)))
            else:
                diagrams.append(_Diagram(markup=rendered.markup, attributes=self._fence_attributes(
                    blueprint, f"{page_name}:{lines_above + blueprint.line}:{len(blueprint.prefix) + 1}")))
        self.keys[page_name] = key
        if diagrams:
            self.by_key[key] = _Places(key=key, diagrams=tuple(diagrams))
        return with_placeholders(markdown, found, key)

    def _fence_attributes(self, fence: BlueprintFence, place: str) -> tuple[tuple[str, str], ...]:
        """The attributes a fence's info string gives its diagram, as Markdown gives them to a
        fence's block: none without the attr_list extension. What it leaves out is warned of."""
        if fence.unread:
            log.warning("blueprint fence at %s: %r after the language is left out; a blueprint fence takes "
                        "options (title=\"...\") or an attribute list ({ #id .class })", place, fence.unread)
        if fence.attributes and not self.attribute_lists:
            log.warning("blueprint fence at %s: its attributes are left out, as Markdown reads none without "
                        "the attr_list extension", place)
            return ()
        return fence.attributes

    def on_serve(self, server, config, builder):
        self.watched.serve(server)
        return server

    def on_post_build(self, config) -> None:
        self.watched.update()

    def on_build_error(self, error) -> None:
        self.watched.update()  # the file to mend may be one no build read before

    def on_page_content(self, html: str, page, config, files) -> str:
        for source in _images_of_blueprints(html):
            log.warning("blueprint in %s: the image %r shows a blueprint file, which a browser cannot draw; "
                        "link it as ![alt](path.svc) to draw the diagram (a reference-style image link "
                        "is not read)", page.file.src_uri, source)
        places = self.by_key.get(self.keys.get(page.file.src_uri, ""))
        return places.filled(html, page.file.src_uri, self._shown) if places else html

    def on_post_page(self, output: str, page, config) -> str:
        """The diagrams of other pages' Markdown that this page shows, rendered by another
        Markdown instance than the page's own: a blog's excerpts of its posts, say.

        They come after the page's own diagrams, in the order the page shows them, and
        take their ids from that place, not from their place on their own pages: each
        excerpt's first diagram would otherwise bring the same ids as the others'.
        A page that shows diagrams gets the style and script they need (``_with_page_assets``).
        """
        own = self.by_key.get(self.keys.get(page.file.src_uri, ""))
        places = itertools.count(len(own.diagrams) + 1 if own else 1)

        def markup(match: re.Match[str]) -> Shown | None:
            shown = self.by_key.get(match["key"])
            number = int(match["number"])
            if shown is None or shown is own or not 1 <= number <= len(shown.diagrams):
                return None  # the page's own were placed, or left out with a warning
            return self._shown(shown.diagrams[number - 1], next(places))

        if "blueprint" not in output:
            return output
        return _with_page_assets(fill(output, placeholders_of(r"[0-9a-f]{32}"), markup))

    def _shown(self, diagram: _Diagram, place: int) -> Shown:
        """A diagram as the ``place``-th diagram of the page that shows it.

        The first keeps the ids `blueprint render` gives it, so that links and styles made
        for one diagram still work; the others are told apart by their place. The link's
        attributes go on after, so that an id it gives is kept as written.
        """
        id_prefix = "" if place == 1 else f"blueprint-{place}-"
        markup = with_attributes(self.renderer.prefixed(diagram.markup, id_prefix), diagram.attributes)
        return Shown(markup=markup, alt=diagram.alt)


# An HTML comment: an image link in one is drawn there, where it shows nothing.
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
# An image Markdown made, and its source.
_IMAGE = re.compile(r"<img\s[^>]*>")
_SOURCE = re.compile(r"""\ssrc=(?:"([^"]*)"|'([^']*)')""")


def _images_of_blueprints(html: str) -> list[str]:
    """The sources of the images of a page's HTML that name a .svc file of the site: those
    Markdown made of the image links the plugin does not read (``![alt][reference]``)."""
    found = []
    if "svc" not in html:
        return found  # most pages: no image of a blueprint to look for (a path may spell its '.' %2E)
    for image in _IMAGE.finditer(_COMMENT.sub("", html)):
        source = _SOURCE.search(image[0])
        text = unescape_html(source[1] if source[1] is not None else source[2]) if source else ""
        if (file := named_file(text)) and file.endswith(".svc"):
            found.append(text)
    return found


def _with_page_assets(output: str) -> str:
    """A page's HTML with what its diagrams need, inline, so the site makes no request for it:
    the style that keeps an SVG diagram at its size, and the script that sizes frames.

    The script goes just before the first frame, in the page's content: a theme that swaps
    the content of the next page in, rather than loading it (Material's navigation.instant),
    runs the scripts of that content only. It is then listening before any frame has loaded.
    """
    if '<div class="blueprint' in output and "</head>" in output:
        head = output.index("</head>")
        output = f"{output[:head]}<style>{_asset('diagrams.css')}</style>\n{output[head:]}"
    if (frame := output.find('<iframe class="blueprint')) != -1:
        output = f"{output[:frame]}<script>{_asset('frames.js')}</script>{output[frame:]}"
    return output


@functools.cache
def _asset(name: str) -> str:
    return resources.files("blueprint_dsl").joinpath("templates", "mkdocs", name).read_text(encoding="utf-8")


def _page_key(markdown: str) -> str:
    """The key of a page's placeholders: a hash of its Markdown, which no text on the page can hold."""
    return hashlib.sha256(markdown.encode("utf-8")).hexdigest()[:32]


def _alt_attribute(alt: str, escaped: frozenset[str]) -> str:
    """An image link's alt text as Python-Markdown writes the image's alt attribute, as HTML
    text: its backslash escapes (of the ``escaped`` characters) taken off, entities kept, and
    any other ``&``, ``<``, ``>`` or ``"`` escaped. A link beside a frame shows it so."""
    return attribute_value(unescaped(alt, escaped))


def _attributes(link: ImageLink, escaped: frozenset[str]) -> tuple[tuple[str, str], ...]:
    """The attributes an image link gives its diagram: its title, as Python-Markdown gives it
    to the image, then those of its attribute list (which may give another title)."""
    return (() if link.title is None else (("title", _title(link.title, escaped)),)) + link.attributes


def _title(title: str, escaped: frozenset[str]) -> str:
    """An image link's title (without the spaces around it) as Python-Markdown gives it to the
    image: its backslash escapes taken off, then a pair of quotes around what is left, and
    each space or line break in it made a space."""
    text = unescaped(title, escaped)
    if text[:1] in ('"', "'") and text.endswith(text[0]):
        text = text[1:-1]
    return re.sub(r"\s", " ", text)


@dataclass(frozen=True, slots=True, kw_only=True)
class _Diagram:
    """A diagram's markup, with the ids `blueprint render` gives, and the attributes and alt text (as
    HTML) of its image link."""

    markup: str
    attributes: tuple[tuple[str, str], ...] = ()
    alt: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class _Places:
    """The diagrams of a page, in page order, and the key of its placeholders."""

    key: str
    diagrams: tuple[_Diagram, ...]

    def filled(self, html: str, page: str, shown: Callable[[_Diagram, int], Shown]) -> str:
        """The page's HTML with each diagram in place of its placeholder, as ``shown(diagram, its number)`` shows it."""
        placeholders = placeholders_of(self.key)
        counts = Counter(int(match["number"]) for match in placeholders.finditer(html))
        for diagram in range(1, len(self.diagrams) + 1):
            if counts[diagram] != 1:  # another extension dropped or copied it: no place is sure
                log.warning("blueprint in %s: diagram %d is left out, as Markdown lost or repeated its place",
                            page, diagram)

        def markup(match: re.Match[str]) -> Shown | None:
            diagram = int(match["number"])
            placed = counts[diagram] == 1 and 1 <= diagram <= len(self.diagrams)
            return shown(self.diagrams[diagram - 1], diagram) if placed else None

        return fill(html, placeholders, markup)


def _named(blueprint: BlueprintFence | ImageLink, page_name: str, markdown: str, lines_above: int) -> str:
    """A blueprint, as its warning names it: a fence by its page (its diagnostics give the
    lines), a link by its place on the page, as the diagnostics of the file it links cannot."""
    if isinstance(blueprint, BlueprintFence):
        return f"blueprint in {page_name}"
    line = lines_above + markdown.count("\n", 0, blueprint.start) + 1
    column = blueprint.start - markdown.rfind("\n", 0, blueprint.start)
    return f"blueprint linked at {page_name}:{line}:{column}"


def _page_path(file, docs_dir: str) -> Path:
    """The file a page is read from, or for a page a plugin made (in memory, or in a
    temporary file, as mkdocs-gen-files makes them), where that page would be in docs_dir."""
    if file.abs_src_path and not getattr(file, "generated_by", None):  # MkDocs 1.5 has no generated_by
        return Path(file.abs_src_path)
    return Path(docs_dir, file.src_uri)


def _image_path(file, docs_dir: str, link: str) -> Path:
    """The file an image link on a page points to: next to the page's file (``_page_path``).

    A path from the root (``/``, or ``%2F`` decoded) starts in docs_dir, as MkDocs reads
    it. Its ``..`` are taken off the text of the path, as MkDocs takes them off a link's:
    so the file is named in messages, and a page's folder that does not exist is no matter.
    """
    folder = Path(docs_dir) if link.startswith("/") else _page_path(file, docs_dir).parent
    return Path(os.path.normpath(folder / link.lstrip("/")))


def _site_markdown(config) -> Markdown:
    """Markdown, made with the site's extensions as MkDocs makes it for a page: it is asked
    what they read, as another extension may bring one (``extra``, ``pymdownx.extra``)."""
    return Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"] or {})


def _reads_attribute_lists(markdown: Markdown) -> bool:
    """Whether Markdown reads ``{ .class }`` after an image: the attr_list extension is on."""
    return "attr_list" in markdown.treeprocessors


def _reads_superfences(markdown: Markdown) -> bool:
    """Whether pymdownx.superfences reads fences, in fenced_code's place."""
    fences = markdown.preprocessors["fenced_code_block"] if "fenced_code_block" in markdown.preprocessors else None
    return type(fences).__module__ == "pymdownx.superfences"


def _html_blocks(markdown: Markdown) -> HtmlBlocks:
    """How Markdown reads raw HTML: its block-level elements, and whether the md_in_html extension is on."""
    return HtmlBlocks(block_level_elements=frozenset(markdown.block_level_elements),
                      markdown_in_html="markdown_block" in markdown.parser.blockprocessors)


def _front_matter_lines(file) -> int:
    """How many lines MkDocs took off the top of a page before the plugins see it.

    That is its YAML or MultiMarkdown meta-data and the blank lines after it, found by
    the function MkDocs itself uses.
    """
    try:
        source = file.content_string
    except (OSError, ValueError):
        return 0
    markdown, _ = get_data(source)
    if not source.endswith(markdown):
        return 0
    return source.count("\n", 0, len(source) - len(markdown))
