"""Errors: actions in lanes their actor cannot act in, evidence the customer cannot see."""

from __future__ import annotations

from typing import Iterator

from ..codes import Code
from ..diagnostics import Diagnostic, Severity, clip
from ..model import ActorKind, Blueprint, Lane
from .facts import Facts

ACTOR_OUTSIDE_THEIR_LANES = Code(
    "BP301", "actor-outside-their-lanes", Severity.ERROR, "An action in a lane its actor cannot act in."
)
EVIDENCE_BELOW_LINE_OF_VISIBILITY = Code(
    "BP302", "evidence-below-line-of-visibility", Severity.ERROR,
    "Physical evidence on an action the customer cannot see.",
)
NO_CUSTOMER_ACTION = Code("BP303", "no-customer-action", Severity.ERROR, "A blueprint with no customer action.")


#: Kinds of actor that are never the customer, whatever lane they are declared in.
_NEVER_THE_CUSTOMER = frozenset({ActorKind.SYSTEM, ActorKind.PARTNER})


def actor_outside_their_lanes(blueprint: Blueprint, facts: Facts) -> Iterator[Diagnostic]:
    """
    ## What it does
    Flags an action placed in a lane its actor cannot act in: the customer acting
    anywhere but the customer lane, or staff, systems and partners acting in it. A
    system or partner never acts in the customer lane, even one declared there.

    ## Why it matters
    The lanes separate who acts, not only where: the customer lane is the customer's
    own, and the organisation's people and systems act below the line of interaction
    (Shostack 1984; Bitner, Ostrom & Morgan 2008). A customer "acting backstage"
    usually means an organisation step was given to the wrong actor.

    ## Example
    ```
    actor guest customer "Guest"
    ...
    guest: "Pulls the espresso shot" in backstage
    ```

    ## Use instead
    ```
    person barista frontstage "Barista"
    ...
    barista: "Pulls the espresso shot" in backstage
    ```

    ## Source
    Bitner, Ostrom & Morgan, "Service Blueprinting", California Management Review 2008.
    """
    for action in facts.actions.values():
        actor = facts.actors.get(action.actor)
        if actor is None:
            continue
        if actor.kind in _NEVER_THE_CUSTOMER:
            # Whatever its home lane says: declared `customer`, it is a slip of the declaration.
            if action.lane is Lane.CUSTOMER:
                home = actor.lane if actor.lane is not Lane.CUSTOMER else None
                yield ACTOR_OUTSIDE_THEIR_LANES.at(
                    action.span,
                    f"the {actor.kind.value} '{clip(actor.id)}' cannot act in the customer lane",
                    f"keep it in {home.value}, or give this step to the customer" if home else
                    f"a {actor.kind.value} is never the customer: declare it frontstage (technology the customer "
                    "uses) or support",
                )
        elif actor.lane is Lane.CUSTOMER and action.lane is not Lane.CUSTOMER:
            yield ACTOR_OUTSIDE_THEIR_LANES.at(
                action.span,
                f"the customer '{clip(actor.id)}' cannot act in the {action.lane.value} lane",
                "give this step to a member of staff or a system, or move it to the customer lane",
            )
        elif actor.lane is not Lane.CUSTOMER and action.lane is Lane.CUSTOMER:
            yield ACTOR_OUTSIDE_THEIR_LANES.at(
                action.span,
                f"the {actor.kind.value} '{clip(actor.id)}' cannot act in the customer lane",
                f"keep it in {actor.lane.value}, or give this step to the customer",
            )


def evidence_below_line_of_visibility(blueprint: Blueprint, facts: Facts) -> Iterator[Diagnostic]:
    """
    ## What it does
    Flags physical evidence (`with "..."`) attached to a backstage or support action.

    ## Why it matters
    Physical evidence is what the customer sees, touches or receives. Below the line
    of visibility the customer sees nothing, so evidence there is either misplaced or
    belongs to the customer-facing step that hands it over (Shostack 1984).

    ## Example
    ```
    chef: "Plates the dish" with "Plate and cloche"
    ```

    ## Use instead
    ```
    server: "Serves the dish" with "Plate and cloche"
    chef:   "Plates the dish"
    ```

    ## Source
    Shostack, "Designing Services That Deliver", Harvard Business Review 1984.
    """
    for action in facts.actions.values():
        if action.evidence and not action.lane.visible_to_customer:
            first = action.evidence[0]
            yield EVIDENCE_BELOW_LINE_OF_VISIBILITY.at(
                first.span,
                f"'{clip(first.text)}' is on a {action.lane.value} action, which the customer cannot see",
                "attach it to the step, or to the customer or frontstage action that hands it over",
            )


def no_customer_action(blueprint: Blueprint, facts: Facts) -> Iterator[Diagnostic]:
    """
    ## What it does
    Flags a blueprint in which the customer never acts.

    ## Why it matters
    Customer actions are the spine of a blueprint: they are drawn first and every
    other lane is read against them (Bitner, Ostrom & Morgan 2008). Without them the
    diagram is a process map, not a service blueprint.

    ## Example
    ```
    blueprint "Kitchen" {
      role chef backstage "Chef"
      stage "Cook" { step cook { chef: "Cooks" } }
    }
    ```

    ## Use instead
    ```
    blueprint "Dinner" {
      actor guest  customer   "Guest"
      role  server frontstage "Server"
      stage "Eat" { step eat {
        evidence "Plate"
        guest:  "Eats"
        server: "Serves" } }
    }
    ```

    ## Source
    Bitner, Ostrom & Morgan, "Service Blueprinting", California Management Review 2008.
    """
    if not facts.customer_actions():
        span = blueprint.span
        yield NO_CUSTOMER_ACTION.at(
            span.head(len("blueprint")),
            "the customer never acts in this blueprint",
            "declare a customer actor and give them the actions the service is built around",
        )
