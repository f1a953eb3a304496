"""Backends: a blueprint in, the bytes of one output format out.

Each format is one entry of ``FORMATS``; its backend module is imported only when
that format is asked for, so ``check`` never pays for Graphviz or Jinja. The names,
suffixes and backends are listed in ``output_formats``, which the command line reads
without loading this module.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .. import output_formats

if TYPE_CHECKING:
    from ..diagnostics import Diagnostic
    from ..model import Blueprint
    from .decorate import Decoration


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
    name: OutputFormat(name, suffix, backend) for name, (suffix, backend) in output_formats.SPECS.items()
}
