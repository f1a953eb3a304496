"""Warnings about flows: skipped contact staff, orphans, arrows back in time, arrows to the
action they leave, and flows written twice."""

from __future__ import annotations

from typing import Iterator

from ..codes import Code
from ..diagnostics import Diagnostic, Severity, clip
from ..model import Blueprint, Flow, Lane
from .facts import Facts

W = Severity.WARNING
FLOW_SKIPS_CONTACT_STAFF = Code(
    "BP404", "flow-skips-contact-staff", W,
    "A flow between the customer and a support process, skipping the frontstage.",
)
ORPHAN_BEHIND_THE_LINE = Code(
    "BP406", "orphan-behind-the-line", W, "Backstage or support work with no path to anything the customer experiences."
)
FLOW_BACKWARDS_IN_TIME = Code(
    "BP407", "flow-backwards-in-time", W, "A flow to an earlier step that is not marked as a loop."
)
FLOW_TO_ITSELF = Code("BP413", "flow-to-itself", W, "A flow from an action to itself that is not marked as a loop.")
DUPLICATE_FLOW = Code("BP414", "duplicate-flow", W, "A flow written again: the same actions, direction and label.")


def flow_skips_contact_staff(blueprint: Blueprint, facts: Facts) -> Iterator[Diagnostic]:
    """
    ## What it does
    Flags a flow from a customer action straight to a support process, or from a
    support process straight to the customer.

    ## Why it matters
    Support processes are other units, partners and systems; the customer reaches
    them through contact staff or customer-facing technology. A direct arrow hides
    the touchpoint that actually carries the interaction, which is where it can fail
    (Bitner, Ostrom & Morgan 2008). A customer reaching a backstage person through an
    invisible channel, such as a phone call to room service, is not flagged.

    ## Example
    ```
    pay_card -> authorise      # customer -> payment provider
    ```

    ## Use instead
    ```
    pay_card <-> checkout_page -> authorise
    ```

    ## Source
    Bitner, Ostrom & Morgan, "Service Blueprinting", California Management Review 2008.
    """
    for flow in blueprint.flows:
        source, target = facts.actions.get(flow.source), facts.actions.get(flow.target)
        if source is None or target is None:
            continue
        if {source.lane, target.lane} == {Lane.CUSTOMER, Lane.SUPPORT}:
            yield FLOW_SKIPS_CONTACT_STAFF.at(
                flow.span,
                f"'{clip(flow.source)}' {'<->' if flow.two_way else '->'} '{clip(flow.target)}' goes between"
                " the customer and a support process directly",
                "route it through the frontstage action or technology the customer deals with",
            )


def orphan_behind_the_line(blueprint: Blueprint, facts: Facts) -> Iterator[Diagnostic]:
    """
    ## What it does
    Flags a backstage or support action that no chain of flows connects to a
    customer or frontstage action.

    ## Why it matters
    Everything behind the line of visibility exists to make something the customer
    experiences possible. Work with no path to the customer is either missing its
    flows or not part of this scenario (Kingman-Brundage 1989).

    ## Example
    ```
    runner: "Restocks cups" as restock     # no flow
    ```

    ## Use instead
    ```
    runner: "Restocks cups" as restock
    restock -> pull_shot
    ```

    ## Source
    Kingman-Brundage, "The ABCs of Service System Blueprinting", 1989.
    """
    visible = {a.id for a in facts.actions.values() if a.lane.visible_to_customer}
    connected = set(visible)
    frontier = list(visible)
    while frontier:  # one breadth-first pass over the flow graph: linear in flows
        current = frontier.pop()
        for neighbour in facts.neighbours.get(current, ()):
            if neighbour not in connected:
                connected.add(neighbour)
                frontier.append(neighbour)
    for action in facts.actions.values():
        if action.id not in connected:
            yield ORPHAN_BEHIND_THE_LINE.at(
                action.span,
                f"the {action.lane.value} action '{clip(action.id)}' has no flow leading to anything the customer"
                " experiences",
                f"add a flow such as {clip(action.id)} -> <frontstage action>",
            )


def flow_backwards_in_time(blueprint: Blueprint, facts: Facts) -> Iterator[Diagnostic]:
    """
    ## What it does
    Flags a one-way flow whose target is in an earlier step than its source, unless
    the flow is marked `loop`.

    ## Why it matters
    Columns run left to right in time. An arrow going left is either a mistake in
    the order of steps or rework, and rework is worth saying out loud: it is where
    time and money are lost.

    ## Example
    ```
    deliver -> take_order
    ```

    ## Use instead
    ```
    deliver -> take_order : "wrong order, make again" loop
    ```

    ## Source
    Shostack, "Designing Services That Deliver", Harvard Business Review 1984.
    """
    for flow in blueprint.flows:
        if flow.loop or flow.two_way:
            continue
        source, target = facts.column_of(flow.source), facts.column_of(flow.target)
        if source is not None and target is not None and target < source:
            yield FLOW_BACKWARDS_IN_TIME.at(
                flow.span,
                f"'{clip(flow.source)}' -> '{clip(flow.target)}' runs back to an earlier step",
                "mark it as rework with `loop` at the end of the flow, or reorder the steps",
            )


def flow_to_itself(blueprint: Blueprint, facts: Facts) -> Iterator[Diagnostic]:
    """
    ## What it does
    Flags a flow from an action to the same action, unless the flow is marked `loop`.

    ## Why it matters
    A line break does not end a flow: a flow left ending in an arrow goes on to the
    next line, and where that line starts with the same action (`encode ->`, then
    `encode -> take_keys`), the two lines read as one chain with a flow from the action
    to itself, which nobody wrote. An action that really hands on to itself is work
    repeated, which is worth saying out loud as rework is.

    ## Example
    ```
    encode ->
    encode -> take_keys : "two keys"
    ```

    ## Use instead
    ```
    encode -> occupy
    encode -> take_keys : "two keys"
    ```
    or, for work done again, `check -> check : "until it passes" loop`.

    ## Source
    Shostack, "Designing Services That Deliver", Harvard Business Review 1984.
    """
    for flow in blueprint.flows:
        if flow.source != flow.target or flow.loop:
            continue
        written = f"'{clip(flow.source)}' {'<->' if flow.two_way else '->'} '{clip(flow.target)}'"
        span = flow.span
        if span.end_line > span.line:
            yield FLOW_TO_ITSELF.at(
                span,
                f"{written} runs on from line {span.line} to the next: the flow there ends in an arrow",
                f"finish the flow on line {span.line}, or remove that line",
            )
        else:
            yield FLOW_TO_ITSELF.at(
                span,
                f"{written} is a flow from an action to itself",
                "mark work done again with `loop` at the end of the flow, or name the action it hands on to",
            )


def duplicate_flow(blueprint: Blueprint, facts: Facts) -> Iterator[Diagnostic]:
    """
    ## What it does
    Flags a flow that an earlier one already says: between the same actions, in the
    same direction (a two-way flow either way round), with the same label or none, both
    marked `loop` or neither.

    ## Why it matters
    Each flow is drawn as an arrow of its own, so a flow written twice, often left
    behind when a chain was rewritten, draws two arrows where the service has one
    hand-off, and reads as two. Hand-offs that differ say so in their labels.

    ## Example
    ```
    take_order -> pull_shot -> call_name
    take_order -> pull_shot
    ```

    ## Use instead
    ```
    take_order -> pull_shot -> call_name
    ```
    or, for two hand-offs, `take_order -> pull_shot : "ticket"` and
    `take_order -> pull_shot : "called out"`.

    ## Source
    Bitner, Ostrom & Morgan, "Service Blueprinting", California Management Review 2008.
    """
    first: dict[tuple, Flow] = {}
    for flow in blueprint.flows:
        ends = tuple(sorted((flow.source, flow.target))) if flow.two_way else (flow.source, flow.target)
        # An empty label is none; a loop is rework, drawn apart from the hand-off it repeats.
        said = first.setdefault((ends, flow.two_way, flow.label or None, flow.loop), flow)
        if said is not flow:
            arrow = "<->" if flow.two_way else "->"
            written = (f"'{clip(flow.source)}' {arrow} '{clip(flow.target)}' is written again: "
                       f"line {said.span.line} has it")
            if flow.span.end_line > flow.span.line:  # as BP413 says of a flow to itself
                yield DUPLICATE_FLOW.at(
                    flow.span, f"{written}; it runs on from line {flow.span.line}, where the flow ends in an arrow",
                    f"finish the flow on line {flow.span.line}, or remove that line",
                )
            else:
                yield DUPLICATE_FLOW.at(flow.span, written, "remove one of them, or label each with the hand-off it is")
