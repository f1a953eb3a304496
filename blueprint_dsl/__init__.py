"""Service blueprints as code: parse, check and render ``.svc`` files.

    >>> from blueprint_dsl import load
    >>> result = load("examples/coffee.svc")

The names below are imported on first use, so that ``import blueprint_dsl`` (and the
command line, which imports a submodule) costs nothing it does not need.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__version__ = "0.1.0"

_EXPORTS = {
    "LoadResult": "loader",
    "load": "loader",
    "loads": "loader",
    "Diagnostic": "diagnostics",
    "Severity": "diagnostics",
    "Span": "diagnostics",
    "Action": "model",
    "Actor": "model",
    "Blueprint": "model",
    "Flow": "model",
    "Lane": "model",
    "Stage": "model",
    "Step": "model",
}

__all__ = [
    "Action",
    "Actor",
    "Blueprint",
    "Diagnostic",
    "Flow",
    "Lane",
    "LoadResult",
    "Severity",
    "Span",
    "Stage",
    "Step",
    "__version__",
    "load",
    "loads",
]

if TYPE_CHECKING:
    from .diagnostics import Diagnostic, Severity, Span
    from .loader import LoadResult, load, loads
    from .model import Action, Actor, Blueprint, Flow, Lane, Stage, Step


def __getattr__(name: str) -> object:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'blueprint_dsl' has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
