"""Backends: a blueprint in, the bytes of one output format out.

Each format is one entry of ``FORMATS``; its backend module is imported only when
that format is asked for, so ``check`` never pays for Graphviz or Jinja. The names,
suffixes and backends are listed in ``output_formats``, which the command line reads
without loading this module.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .. import output_formats

if TYPE_CHECKING:
    from ..diagnostics import Diagnostic
    from ..model import Blueprint, Flow
    from .decorate import Decoration


def is_rework(flow: Flow, source_column: int, target_column: int) -> bool:
    """Whether every drawing shows a flow as rework: a loop, or a flow back to an earlier
    step (which the checker flags as BP407 unless it is marked a loop)."""
    return flow.loop or target_column < source_column


def flow_caption(label: str | None, rework: bool) -> str | None:
    """A flow's label as every drawing shows it: rework's, a loop's or a flow's back to an
    earlier step, starts with a ↺, and reads "loop" when the flow has no label."""
    return "\u21ba " + (label or "loop") if rework else label


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
    #: The project's ``default-tolerance`` (seconds), for a blueprint without its own, as the findings have it.
    default_tolerance: float | None = None
    #: A diff to draw over the blueprint (``render.decorate``): statuses and ghosts, decided there.
    diff: Decoration | None = None
    #: For PNG: how many times Graphviz's 96 pixels per inch it is drawn at (2 for high-density screens).
    scale: float = 1.0
    #: For HTML: the paper the page prints on until its reader picks another (``output_formats.PAPERS``).
    paper: str = "a4"

    def __post_init__(self) -> None:
        if self.paper not in output_formats.PAPERS:
            raise ValueError(f"paper must be one of {', '.join(output_formats.PAPERS)}, not {self.paper!r}")


@dataclass(frozen=True, slots=True)
class OutputFormat:
    """A format ``render -f`` knows: its name, file suffix and backend."""

    name: str
    suffix: str
    #: "module:function" of the backend, taking (blueprint, options) and returning bytes.
    backend: str
    #: "module:function" of a backend drawing several blueprints in one go, or "" for none.
    together: str = ""

    def render(self, blueprint: Blueprint, options: RenderOptions) -> bytes:
        return _backend(self.backend)(blueprint, options)

    def render_each(self, drawings: Sequence[tuple[Blueprint, RenderOptions]]) -> list[bytes | RenderError]:
        """The bytes of each blueprint, or the error that stopped it: in one go where the format can."""
        if self.together and len(drawings) > 1:
            return _backend(self.together)(drawings)
        results: list[bytes | RenderError] = []
        for blueprint, options in drawings:
            try:
                results.append(self.render(blueprint, options))
            except RenderError as error:
                results.append(error)
        return results


def _backend(name: str) -> Callable[..., object]:
    module_name, function_name = name.split(":")
    return getattr(importlib.import_module(module_name, package=__name__), function_name)


FORMATS: dict[str, OutputFormat] = {
    name: OutputFormat(name, suffix, backend, output_formats.TOGETHER.get(name, ""))
    for name, (suffix, backend) in output_formats.SPECS.items()
}
