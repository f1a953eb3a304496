"""The formats ``render`` and ``diff`` write, by name, with their file suffix, the backends of
``render``, the papers an HTML page prints on, and the longest Graphviz run.

What the command line needs to declare its options, as plain data: the ``render``
package makes the formats of it, and ``check`` need not load that package.
"""

#: Each format ``render -f`` writes: the suffix of its files, and the backend that writes
#: it as "module:function" in ``blueprint_dsl.render``.
SPECS = {
    "json": (".json", ".json_model:render"),
    "html": (".html", ".html:render"),
    "svg": (".svg", ".graphviz:render_svg"),
    "png": (".png", ".graphviz:render_png"),
    "pdf": (".pdf", ".graphviz:render_pdf"),
    "dot": (".dot", ".graphviz:render_dot"),
}
SUFFIXES = {name: suffix for name, (suffix, _) in SPECS.items()}
#: The formats with a backend that draws several blueprints in one go, faster than one at a time.
TOGETHER = {"svg": ".together:render_svgs"}
#: The formats whose bytes the `dot` program writes (``dot`` is the tool's own text).
DRAWN_BY_GRAPHVIZ = frozenset({"svg", "png", "pdf"})
#: The formats that draw, and so take a colour theme; json describes the blueprint only.
DRAWN = frozenset(SPECS) - {"json"}

#: The formats ``diff`` writes, by the suffix of an ``-o`` file that picks one.
DIFF_SUFFIXES = {".txt": "text", ".json": "json", ".md": "markdown", ".html": "html", ".svg": "svg"}

#: The papers an HTML page prints on, landscape, by name (``render --paper``): what its menu
#: calls each, and its size in mm across and down. The first is the page's when none is named.
PAPERS = {
    "a4": ("A4 landscape", "297 210"),
    "a3": ("A3 landscape", "420 297"),
    "letter": ("US Letter landscape", "279.4 215.9"),
    "tabloid": ("US Tabloid landscape", "431.8 279.4"),
}

#: The longest a Graphviz run may be allowed (``--dot-timeout``, BLUEPRINT_DOT_TIMEOUT): a day.
MAX_DOT_TIMEOUT = 24 * 3600.0
#: How much smaller or larger ``--scale`` may draw a PNG: at 8, a large blueprint is already
#: tens of thousands of pixels wide.
MIN_SCALE, MAX_SCALE = 0.25, 8.0
