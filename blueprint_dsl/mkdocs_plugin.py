"""The MkDocs plugin ``blueprint``: blueprints in fenced blocks and image links.

    plugins:
      - blueprint:
          format: svg        # or html: the interactive page in a frame
          theme: default

A blueprint with errors logs a warning (so ``mkdocs build --strict`` fails) and shows
a readable error block in the page. Renders are cached in ``.blueprint-cache/mkdocs``.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.utils.meta import get_data

from .config import ConfigError, load_config
from .markdown import Rendered, Renderer
from .markdown_page import BlueprintFence, blueprints

log = logging.getLogger("mkdocs.plugins.blueprint")


class BlueprintConfig(Config):
    format = config_options.Choice(("svg", "html"), default="svg")
    theme = config_options.Optional(config_options.Type(str))
    cache_dir = config_options.Type(str, default=".blueprint-cache/mkdocs")


class BlueprintPlugin(BasePlugin[BlueprintConfig]):
    def on_config(self, config):
        project = Path(config["config_file_path"]).resolve().parent if config["config_file_path"] else Path.cwd()
        try:
            # [tool.blueprint] in the project's pyproject.toml, as `blueprint check` reads it there.
            rules = load_config(project)
        except ConfigError as error:
            raise PluginError(f"blueprint: {error}") from error
        self.renderer = Renderer(self.config.format, self.config.theme, project / self.config.cache_dir, rules)
        return config

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        source_path = page.file.src_path
        folder = Path(page.file.abs_src_path).parent
        # A fence's body is read below a blank line for each line above it, front matter
        # included, so that its diagnostics name the lines of the file.
        lines_above = _front_matter_lines(page.file)
        parts = []
        done = 0
        for number, found in enumerate(blueprints(markdown), start=1):
            # The first diagram keeps the ids `blueprint render` gives it, so that links and
            # styles made for one diagram still work; the others are told apart by their place.
            id_prefix = "" if number == 1 else f"blueprint-{number}-"
            if isinstance(found, BlueprintFence):
                source = "\n" * (lines_above + found.line) + found.body
                rendered = self.renderer.text(source, source_path, id_prefix=id_prefix)
            else:
                rendered = self.renderer.file(folder / found.path, id_prefix=id_prefix)
            parts += [markdown[done : found.start], self._place(rendered, source_path)]
            done = found.end
        return "".join(parts) + markdown[done:]

    @staticmethod
    def _place(rendered: Rendered, page: str) -> str:
        if rendered.problems:
            log.warning("blueprint in %s has errors:\n%s", page, rendered.problems.rstrip())
        # Blank lines keep Markdown from reading the markup as part of a paragraph.
        return "\n\n" + rendered.markup + "\n\n"


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
