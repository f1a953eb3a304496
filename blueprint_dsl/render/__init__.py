"""Backends: a blueprint in, the bytes of one output format out.

Each format is one entry of ``FORMATS``; its backend module is imported only when
that format is asked for, so ``check`` never pays for Graphviz or Jinja.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the command line imports this module to list the formats
    from ..diagnostics import Diagnostic
    from ..model import Blueprint

if TYPE_CHECKING:
    from .decorate import Decoration


#: The longest a Graphviz run may be allowed (``--dot-timeout``, BLUEPRINT_DOT_TIMEOUT): a day.
MAX_DOT_TIMEOUT = 24 * 3600.0


class RenderError(Exception):
    """A backend could not produce its output (say, Graphviz is missing): exit code 2."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RenderOptions:
    """What a render is asked for beyond the blueprint itself."""

    theme: str | None = None
    #: Seconds a Graphviz run may take; None for BLUEPRINT_DOT_TIMEOUT or the default.
    dot_timeout: float | None = None
    #: The checker's findings, for backends that show them beside the actions.
    diagnostics: tuple[Diagnostic, ...] = field(default=())
    #: A diff to draw over the blueprint (``render.decorate``): statuses and ghosts, decided there.
    diff: Decoration | None = None


@dataclass(frozen=True, slots=True)
class OutputFormat:
    """A format ``render -f`` knows: its name, file suffix and backend."""

    name: str
    suffix: str
    #: "module:function" of the backend, taking (blueprint, options) and returning bytes.
    backend: str

    def render(self, blueprint: Blueprint, options: RenderOptions) -> bytes:
        module_name, function_name = self.backend.split(":")
        module = importlib.import_module(module_name, package=__name__)
        return getattr(module, function_name)(blueprint, options)


FORMATS: dict[str, OutputFormat] = {
    fmt.name: fmt
    for fmt in (
        OutputFormat("json", ".json", ".json_model:render"),
        OutputFormat("html", ".html", ".html:render"),
        OutputFormat("svg", ".svg", ".graphviz:render_svg"),
        OutputFormat("png", ".png", ".graphviz:render_png"),
        OutputFormat("pdf", ".pdf", ".graphviz:render_pdf"),
        OutputFormat("dot", ".dot", ".graphviz:render_dot"),
    )
}
