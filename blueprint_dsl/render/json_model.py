"""The JSON model as a render format, so ``render -f json`` writes it beside the others."""

from ..export import dumps
from ..model import Blueprint
from . import RenderOptions


def render(blueprint: Blueprint, options: RenderOptions) -> bytes:
    return dumps(blueprint).encode("utf-8")
