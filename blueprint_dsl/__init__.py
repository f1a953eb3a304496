"""Service blueprints as code: parse, check and render ``.svc`` files."""

from .api import LoadResult, load, loads
from .diagnostics import Diagnostic, Severity, Span
from .model import Action, Actor, Blueprint, Flow, Lane, Stage, Step

__version__ = "0.1.0"

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
