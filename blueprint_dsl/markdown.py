"""Blueprints inside Markdown: fenced ```blueprint blocks and image links to .svc files.

Used by the MkDocs plugin (``mkdocs_plugin.py``) and usable alone as a
pymdownx.superfences custom fence::

    markdown_extensions:
      - pymdownx.superfences:
          custom_fences:
            - name: blueprint
              class: blueprint
              format: !!python/name:blueprint_dsl.markdown.fence_format
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass, replace
from pathlib import Path

from .check import check
from .config import Config
from .diagnostics import Severity
from .files import write_atomic
from .loader import LoadResult, load, loads
from .render import FORMATS, RenderError, RenderOptions
from .render_cache import renderer_fingerprint
from .report import as_text

# A start tag, whose quoted values may hold '>'. In the inline SVG text is escaped and
# Graphviz's comments are gone, so every '<' starts a tag.
_START_TAG = re.compile(r"""<[A-Za-z][^<>"']*(?:(?:"[^"]*"|'[^']*')[^<>"']*)*>""")
_TAG_ATTRIBUTE = re.compile(r'(?<=\s)(?P<name>[\w:.-]+)="(?P<value>[^"]*)"')
_URL_REFERENCE = re.compile(r"url\(#(?P<id>[^)\s]+)\)")
_NOT_IN_A_NAME = re.compile(r"[^\w:.-]|^[^A-Za-z_:]")
# An '&' that starts no entity or character reference (Python-Markdown's markdown.serializers.RE_AMP).
_BARE_AMPERSAND = re.compile(r"&(?!(?:#[0-9]+|#x[0-9a-f]+|[0-9a-z]+);)", re.IGNORECASE)
_ID_LIST_ATTRIBUTES = frozenset({"aria-labelledby", "aria-describedby", "aria-controls", "aria-owns",
                                 "aria-flowto", "aria-details", "aria-errormessage", "aria-activedescendant"})


@dataclass(frozen=True, slots=True)
class Rendered:
    """Markup for the page, and the diagnostics text when the blueprint has errors."""

    markup: str
    problems: str | None = None
    #: The files its includes read, and those they looked for in vain, as resolved paths:
    #: a change to one may change the markup.
    includes: tuple[str, ...] = ()


class Renderer:
    """Turns blueprint text or files into inline markup, with a cache between builds."""

    def __init__(
        self,
        output_format: str = "svg",
        theme: str | None = None,
        cache_dir: Path | None = None,
        config: Config = Config(),
        paper: str = "a4",
    ) -> None:
        if output_format not in ("svg", "html"):
            raise ValueError(f"blueprint: format must be svg or html, not {output_format!r}")
        self.format = output_format
        self.options = RenderOptions(theme=theme, paper=paper)
        self.cache_dir = cache_dir
        #: The project's configuration: the findings an HTML page shows are those `check` reports.
        self.config = config

    def text(self, source: str, name: str, *, origin: Path | None = None, id_prefix: str = "") -> Rendered:
        """The markup of blueprint text named ``name`` in messages. Its includes are read from
        the folder of ``origin``, the file that holds the text (a page), or else the current folder."""
        return self.rendered(loads(source, name, origin=origin), id_prefix=id_prefix)

    def file(self, path: Path, *, id_prefix: str = "") -> Rendered:
        return self.rendered(load(path), id_prefix=id_prefix)

    def rendered(self, result: LoadResult, *, id_prefix: str = "") -> Rendered:
        """The markup of a loaded blueprint, or its errors.

        ``id_prefix`` goes before every id of an SVG and every reference to one, for a
        page that shows several diagrams; an HTML page in its frame is a document of its own.
        """
        includes = (*result.files[1:], *result.unread)
        errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
        if errors or result.blueprint is None:
            report = as_text(errors, result.sources, 1, False) if errors else "the file holds no blueprint\n"
            block = f'<pre class="blueprint-error" role="alert">{html.escape(report)}</pre>'
            return Rendered(block, report, includes)
        key = self._key(result)
        cached = self._cached(key)
        if cached is not None:
            return Rendered(self.prefixed(cached, id_prefix), includes=includes)
        try:
            data = FORMATS[self.format].render(result.blueprint, replace(
                self.options, diagnostics=tuple(check(result, self.config)),
                default_tolerance=self.config.settings.default_tolerance))
        except RenderError as error:
            block = f'<pre class="blueprint-error" role="alert">{html.escape(str(error))}</pre>'
            return Rendered(block, str(error), includes)
        markup = _inline(data.decode("utf-8"), self.format)
        self._store(key, markup)
        return Rendered(self.prefixed(markup, id_prefix), includes=includes)

    def prefixed(self, markup: str, id_prefix: str) -> str:
        """Markup this renderer made, with ``id_prefix`` before its ids: an SVG's (an HTML
        page in its frame is a document of its own, and an error block has none)."""
        return prefix_ids(markup, id_prefix) if id_prefix and self.format == "svg" else markup

    def _key(self, result: LoadResult) -> str:
        # The texts alone, not their paths: the same blueprint in two places renders once. An
        # HTML page names the line of a finding, so for it the lines a fence's text starts
        # below (its place on its page) count too.
        settings = "\0".join((self.format, repr(self.options), repr(self.config), renderer_fingerprint(self.format)))
        digest = hashlib.sha256(settings.encode())
        for text in result.sources.values():
            digest.update((text.rstrip() if self.format == "html" else text.strip()).encode() + b"\0")
        return digest.hexdigest()

    def _cached(self, key: str) -> str | None:
        if self.cache_dir is None:
            return None
        try:
            return (self.cache_dir / f"{key}.html").read_text(encoding="utf-8")
        except OSError:
            return None

    def _store(self, key: str, markup: str) -> None:
        if self.cache_dir is None:
            return
        try:
            write_atomic(self.cache_dir / f"{key}.html", markup.encode("utf-8"))
        except OSError:
            pass  # no cache is only slower


def _inline(document: str, output_format: str) -> str:
    """The SVG element alone (no XML prolog), or the HTML page in a sandboxed frame."""
    if output_format == "svg":
        start = document.find("<svg")
        return f'<div class="blueprint">{document[start:]}</div>'
    return (f'<iframe class="blueprint" sandbox="allow-scripts" style="width:100%;height:80vh;border:0" '
            f'srcdoc="{html.escape(document, quote=True)}"></iframe>')


def prefix_ids(markup: str, prefix: str) -> str:
    """The markup with ``prefix`` before every id, and before every reference to one of them.

    References are ``href``/``xlink:href`` to ``#id``, ``url(#id)`` in any attribute and
    the ARIA attributes that list ids; one to an id the markup does not hold is left as is.
    """
    prefix = html.escape(prefix)  # the values it joins are markup too
    ids = {attribute["value"] for tag in _START_TAG.finditer(markup) for attribute in _TAG_ATTRIBUTE.finditer(tag[0])
           if attribute["name"] == "id"}

    def reference(name: str) -> str:
        return prefix + name if name in ids else name

    def attribute(match: re.Match[str]) -> str:
        name, value = match["name"], match["value"]
        if name == "id":
            value = prefix + value
        elif name in ("href", "xlink:href") and value.startswith("#"):
            value = "#" + reference(value[1:])
        elif name in _ID_LIST_ATTRIBUTES:
            value = re.sub(r"\S+", lambda token: reference(token[0]), value)
        else:
            value = _URL_REFERENCE.sub(lambda url: f"url(#{reference(url['id'])})", value)
        return f'{name}="{value}"'

    return _START_TAG.sub(lambda tag: _TAG_ATTRIBUTE.sub(attribute, tag[0]), markup)


def with_attributes(markup: str, attributes: tuple[tuple[str, str], ...]) -> str:
    """The markup with ``attributes`` on its outer element: the diagram's ``<div>``, frame or error block.

    A class joins the element's own classes; any other attribute takes the place of one of
    the same name. A value is written as Python-Markdown writes it. A name is made an XML
    name: a character that is not a letter, digit, ``_``, ``:``, ``.`` or ``-``, and a first
    one that is not an ASCII letter, ``_`` or ``:``, becomes ``_`` (attr_list lets a few
    more through, a leading digit among them).
    """
    tag = _START_TAG.match(markup)
    if not attributes or tag is None:
        return markup
    values = {attribute["name"]: attribute["value"] for attribute in _TAG_ATTRIBUTE.finditer(tag[0])}
    for name, value in attributes:
        name = _NOT_IN_A_NAME.sub("_", name)
        value = attribute_value(value)
        values[name] = f"{values[name]} {value}" if name == "class" and values.get(name) else value
    element = tag[0][1:].split(None, 1)[0].rstrip(">")
    start = f"<{element}" + "".join(f' {name}="{value}"' for name, value in values.items()) + ">"
    return start + markup[tag.end() :]


def fence_format(source: str, language: str, css_class: str, options: dict, md, **kwargs) -> str:
    """A pymdownx.superfences formatter for ```blueprint fences: the diagram, with the id,
    classes and attributes the fence's info string gives it, as superfences gives them to a
    fence's block (its options and other attributes with attr_list on)."""
    given = [("id", kwargs["id_value"])] if kwargs.get("id_value") else []
    given += [("class", name) for name in kwargs.get("classes", ())]
    given += list(kwargs.get("attrs", {}).items())
    return with_attributes(Renderer().text(source, "<fence>").markup, tuple(given))


def attribute_value(text: str) -> str:
    """Text as Python-Markdown writes an attribute's value: an entity or character reference
    kept as it is, any other ``&``, and ``<``, ``>`` and ``"``, escaped."""
    return _BARE_AMPERSAND.sub("&amp;", text).replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
