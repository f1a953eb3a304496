"""A ``loop`` written before its flow, right after another flow: the grammar reads it as
the loop of the flow before, as a line break does not end a flow. The text parses, but
not as meant, so the loop is said where it is, and moved to the flow it was written for."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import codes
from .diagnostics import Diagnostic, Span, clip
from .parser_values import edge_token

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    import lark


def move_loose_loops(tree: lark.Tree, span: Callable[[lark.Token], Span]) -> list[Diagnostic]:
    """For each flow whose ``loop`` opens the line of the next flow (``a -> b`` over ``loop
    c -> d``), the error at the loop, said at ``span`` of it; the loop is moved in ``tree``
    to the end of the next flow, which then reads as meant."""
    diagnostics = []
    for block in _blocks(tree):
        for before, flow in zip(block.children, block.children[1:]):
            if not (_is_flow(before) and _is_flow(flow)):
                continue
            loop, last, first = before.children[-1], edge_token(before.children[-2], -1), edge_token(flow, 0)
            if not (isinstance(loop, str) and loop.type == "LOOP" and last.end_line < loop.line == first.line):
                continue
            if isinstance(flow.children[-1], str) and flow.children[-1].type == "LOOP":
                continue  # loop a -> b loop: the second is its own
            before.children.pop()
            flow.children.append(loop)
            meant = " ".join(_written(flow))
            diagnostics.append(codes.SYNTAX_ERROR.at(
                span(loop), "'loop' comes after the flow it marks: here it reads as the loop of the flow before it",
                f"write {clip(meant)}",
            ))
    return diagnostics


def _blocks(tree: lark.Tree) -> Iterator[lark.Tree]:
    """The blueprints and steps of ``tree``: the blocks that hold flows."""
    for blueprint in _trees(tree, "blueprint"):
        yield blueprint
        for stage in _trees(blueprint, "stage"):
            yield from _trees(stage, "step")


def _trees(tree: lark.Tree, data: str) -> Iterator[lark.Tree]:
    return (child for child in tree.children if not isinstance(child, str) and child.data == data)


def _is_flow(item: object) -> bool:
    return not isinstance(item, str) and item.data == "flow"


def _written(item: lark.Tree | lark.Token) -> list[str]:
    """The words of a flow, as the file writes them."""
    if isinstance(item, str):
        return [str(item)]
    words = [word for child in item.children for word in _written(child)]
    return [":", *words] if item.data == "flow_label" else words
