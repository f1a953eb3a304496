"""Warnings: a blueprint that is probably incomplete."""

from __future__ import annotations

from typing import Iterator

from ..codes import Code
from ..diagnostics import Diagnostic, Severity, clip
from ..model import Blueprint, Lane
from .facts import Facts

W = Severity.WARNING
CUSTOMER_ACTION_WITHOUT_EVIDENCE = Code(
    "BP401", "customer-action-without-evidence", W, "A customer action with no physical evidence."
)
STAGE_WITHOUT_CUSTOMER_ACTION = Code(
    "BP402", "stage-without-customer-action", W, "A stage in which the customer does nothing."
)
EMPTY_STAGE = Code("BP403", "empty-stage", W, "A stage with no actions.")
FRONTSTAGE_WITHOUT_CUSTOMER_ACTION = Code(
    "BP405", "frontstage-without-customer-action", W, "A frontstage action with no customer action in its step."
)
NO_SCENARIO_OR_PERSONA = Code("BP411", "no-scenario-or-persona", W, "A blueprint that names no scenario or persona.")


def customer_action_without_evidence(blueprint: Blueprint, facts: Facts) -> Iterator[Diagnostic]:
    """
    ## What it does
    Flags a customer action with no physical evidence: none on its step (`evidence`),
    none handed over in its step by frontstage staff or technology (`with` on a
    frontstage action), and none of its own (`with` on the action).

    ## Why it matters
    Mapping the evidence for every customer action is step six of building a
    blueprint: it is what the customer judges the service by (Bitner, Ostrom &
    Morgan 2008). A step without it is usually a step not yet thought through.

    ## Example
    ```
    step pay { guest: "Pays" }
    ```

    ## Use instead
    ```
    step pay {
      evidence "Card reader", "Receipt"
      guest: "Pays"
    }
    ```

    ## Source
    Bitner, Ostrom & Morgan, "Service Blueprinting", California Management Review 2008.
    """
    for step in blueprint.steps:
        if step.evidence or any(action.evidence for action in step.actions_in(Lane.FRONTSTAGE)):
            continue
        for action in step.actions_in(Lane.CUSTOMER):
            if action.evidence:
                continue
            yield CUSTOMER_ACTION_WITHOUT_EVIDENCE.at(
                action.span,
                f"the customer action '{clip(action.id)}' shows no physical evidence",
                f'add evidence "..." to the step {clip(step.id)}, or with "..." to the action',
            )


def stage_without_customer_action(blueprint: Blueprint, facts: Facts) -> Iterator[Diagnostic]:
    """
    ## What it does
    Flags a stage that has actions but none by the customer.

    ## Why it matters
    Stages are phases of the customer's journey (arrive, order, pay, leave). A stage
    the customer takes no part in is internal process that belongs below the steps
    the customer does experience, or in a process map of its own (Kingman-Brundage 1989).

    ## Example
    ```
    stage "Restock" { step night { runner: "Restocks the shelves" } }
    ```

    ## Use instead
    Put the restocking in the step whose customer action it supports.

    ## Source
    Kingman-Brundage, "The ABCs of Service System Blueprinting", 1989.
    """
    for stage in blueprint.stages:
        actions = [a for step in stage.steps for a in step.actions]
        if actions and not any(a.lane is Lane.CUSTOMER for a in actions):
            yield STAGE_WITHOUT_CUSTOMER_ACTION.at(
                stage.span.head(len("stage")),
                f"the customer does nothing in the stage '{clip(stage.name)}'",
                "add the customer's action, or move this work into a stage the customer is part of",
            )


def empty_stage(blueprint: Blueprint, facts: Facts) -> Iterator[Diagnostic]:
    """
    ## What it does
    Flags a stage with no steps, or whose steps have no actions.

    ## Why it matters
    An empty stage draws an empty band of columns: a placeholder left behind.

    ## Example
    ```
    stage "Leave" { }
    ```

    ## Use instead
    ```
    stage "Leave" { step leave { evidence "Door" guest: "Leaves" } }
    ```

    ## Source
    Shostack, "Designing Services That Deliver", Harvard Business Review 1984.
    """
    for stage in blueprint.stages:
        if not any(step.actions for step in stage.steps):
            yield EMPTY_STAGE.at(
                stage.span.head(len("stage")),
                f"the stage '{clip(stage.name)}' has no actions",
                "fill it in or remove it",
            )


def frontstage_without_customer_action(blueprint: Blueprint, facts: Facts) -> Iterator[Diagnostic]:
    """
    ## What it does
    Flags a frontstage action in a step where the customer does nothing.

    ## Why it matters
    Frontstage means in the customer's view: contact staff and customer-facing
    technology acting with or for the customer. In a column where the customer does
    not act, the action is either backstage or belongs to another step.

    ## Example
    ```
    step prep { barista: "Grinds beans for the day" }
    ```

    ## Use instead
    ```
    step prep {
      evidence "Counter"
      guest:   "Asks for ground beans"
      barista: "Grinds beans for the day"
    }
    ```

    ## Source
    Bitner, Ostrom & Morgan, "Service Blueprinting", California Management Review 2008.
    """
    for step in blueprint.steps:
        if Lane.CUSTOMER in facts.lanes_by_step.get(step.id, ()):
            continue
        for action in step.actions_in(Lane.FRONTSTAGE):
            yield FRONTSTAGE_WITHOUT_CUSTOMER_ACTION.at(
                action.span,
                f"the frontstage action '{clip(action.id)}' has no customer action in its step",
                "add what the customer does here, or move the action backstage",
            )


def no_scenario_or_persona(blueprint: Blueprint, facts: Facts) -> Iterator[Diagnostic]:
    """
    ## What it does
    Flags a blueprint that names no `scenario`, or no `persona` (or `segment`).

    ## Why it matters
    A blueprint maps one scenario for one customer segment; without them readers
    cannot tell whose journey is drawn, and two blueprints of one service cannot be
    compared (Nielsen Norman Group, "Service Blueprints: Definition", 2017).

    ## Example
    ```
    blueprint "Coffee" { ... }
    ```

    ## Use instead
    ```
    blueprint "Coffee" {
      scenario "Morning order to go"
      persona  "Commuter"
      ...
    }
    ```

    ## Source
    Gibbons, "Service Blueprints: Definition", Nielsen Norman Group 2017.
    """
    missing = [name for name, value in (("scenario", blueprint.scenario),
                                        ("persona", blueprint.persona or blueprint.segment)) if not value]
    if missing:
        yield NO_SCENARIO_OR_PERSONA.at(
            blueprint.span.head(len("blueprint")),
            "this blueprint names no " + " and no ".join(missing),
            " and ".join(f'add {name} "..."' for name in missing),
        )
