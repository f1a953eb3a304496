"""How ``diff`` pairs the items of two versions of a blueprint: by the id the author gave,
then by content, then by members, then by an id the tool made; and which of the pairs
changed places in their order."""

from __future__ import annotations

import bisect
from typing import Sequence, TypeVar

from .model import Action, Actor, Stage, Step

Node = TypeVar("Node", Actor, Stage, Step, Action)


def _written(node: Node) -> bool:
    """Whether the author gave the node its id (or the tool made it, from a name or an actor)."""
    return getattr(node, "explicit_id", True)


def match(old: Sequence[Node], new: Sequence[Node], content,
          members=None) -> tuple[list[tuple[Node, Node]], list[Node], list[Node]]:
    """Pairs matched by a written id; then by content among the rest (the same id first
    among alike ones); then, given ``members``, by the same members with ids of their own
    (a step's actions named with ``as``: a step renamed while an action of it changed);
    then by a made id among what is left, which is the same item changed. The unmatched
    of each side."""
    new_by_id = {n.id: n for n in new}
    pairs: list[tuple[Node, Node]] = []
    matched_new: set[str] = set()

    def pair(o: Node, n: Node) -> None:
        pairs.append((o, n))
        matched_new.add(n.id)

    rest = []
    for o in old:
        n = new_by_id.get(o.id)
        if n is not None and _written(o) and _written(n):
            pair(o, n)
        else:
            rest.append(o)
    alike: dict[object, list[Node]] = {}
    for n in new:
        if n.id not in matched_new:
            alike.setdefault(content(n), []).append(n)
    unpaired = []
    for o in rest:  # the same id first, wherever it stands among alike ones
        candidates = alike.get(content(o), [])
        n = next((c for c in candidates if c.id == o.id), None)
        if n is None:
            unpaired.append(o)
        else:
            candidates.remove(n)
            pair(o, n)
    left = []
    for o in unpaired:
        candidates = alike.get(content(o), [])
        if candidates:
            pair(o, candidates.pop(0))
        else:
            left.append(o)
    if members is not None:
        left = _match_members(left, [n for n in new if n.id not in matched_new], members, pair)
    removed = []
    for o in left:
        n = new_by_id.get(o.id)
        if n is not None and n.id not in matched_new:
            pair(o, n)
        else:
            removed.append(o)
    added = [n for n in new if n.id not in matched_new]
    return pairs, removed, added


def _match_members(old: list[Node], new: list[Node], members, pair) -> list[Node]:
    """Pairs (``pair``) the old and new with the same members, none of them ``None``; the old left."""
    by_members: dict[object, list[Node]] = {}
    for n in new:
        if key := members(n):
            by_members.setdefault(key, []).append(n)
    left = []
    for o in old:
        candidates = by_members.get(key) if (key := members(o)) else None
        if candidates:
            pair(o, candidates.pop(0))
        else:
            left.append(o)
    return left


def is_rename(before: Node, after: Node) -> bool:
    """A new id the author gave, or took away: one the tool made anew is no rename."""
    return before.id != after.id and (_written(before) or _written(after))


def out_of_order(pairs: list[tuple[Node, Node]], old: Sequence[Node], new: Sequence[Node]) -> set[str]:
    """New ids of matched nodes outside the longest run kept in the same relative order.

    Steps are compared within their stage: a step follows its stage when the stage moves.
    """
    old_index = {o.id: i for i, o in enumerate(old)}
    partner = {n.id: o for o, n in pairs}
    groups: dict[str, list[tuple[int, str]]] = {}
    for n in new:
        o = partner.get(n.id)
        if o is not None and getattr(o, "stage", None) == getattr(n, "stage", None):
            groups.setdefault(getattr(n, "stage", ""), []).append((old_index[o.id], n.id))
    moved = set()
    for sequence in groups.values():
        kept = _longest_increasing([index for index, _ in sequence])
        moved.update(node_id for position, (_, node_id) in enumerate(sequence) if position not in kept)
    return moved


def _longest_increasing(values: list[int]) -> set[int]:
    """Positions of one longest strictly increasing subsequence (patience sorting)."""
    tails: list[int] = []
    tail_positions: list[int] = []
    previous = [-1] * len(values)
    for position, value in enumerate(values):
        slot = bisect.bisect_left(tails, value)
        if slot == len(tails):
            tails.append(value)
            tail_positions.append(position)
        else:
            tails[slot] = value
            tail_positions[slot] = position
        previous[position] = tail_positions[slot - 1] if slot else -1
    kept, position = set(), tail_positions[-1] if tail_positions else -1
    while position != -1:
        kept.add(position)
        position = previous[position]
    return kept
