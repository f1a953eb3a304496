"""Warnings about fail points, time, waits and granularity."""

from __future__ import annotations

from typing import Iterator

from ..codes import Code
from ..diagnostics import Diagnostic, Severity, clip
from ..model import Blueprint
from ..text import format_seconds
from .facts import Facts

W = Severity.WARNING
FAIL_POINT_WITHOUT_SAFE_OR_OWNER = Code(
    "BP408", "fail-point-without-safe-or-owner", W, "A fail point with no fail-safe or no owner."
)
STANDARD_TIME_OVER_TOLERANCE = Code(
    "BP409", "standard-time-over-tolerance", W, "The customer's standard time exceeds the declared tolerance."
)
TOO_MANY_CUSTOMER_ACTIONS = Code(
    "BP410", "too-many-customer-actions", W, "More customer actions than one blueprint reads well with."
)
WAIT_OVER_LIMIT = Code("BP412", "wait-over-limit", W, "A single wait longer than the project's limit.")


def fail_point_without_safe_or_owner(blueprint: Blueprint, facts: Facts) -> Iterator[Diagnostic]:
    """
    ## What it does
    Flags a `fail` point that has no `safe` (fail-safe) or no `owner`.

    ## Why it matters
    Shostack marks fail points so that each gets a fail-safe: a procedure that
    prevents the failure or recovers from it, and someone who owns it. A fail point
    without them is a known risk nobody is handling.

    ## Example
    ```
    barista: "Takes the order" fail "Name misheard"
    ```

    ## Use instead
    ```
    barista: "Takes the order" fail "Name misheard" safe "Read the name back" owner barista
    ```

    ## Source
    Shostack, "Designing Services That Deliver", Harvard Business Review 1984.
    """
    for action in facts.actions.values():
        fail = action.fail
        if fail is None:
            continue
        missing = [word for word, value in (("fail-safe", fail.safe), ("owner", fail.owner)) if not value]
        if missing:
            yield FAIL_POINT_WITHOUT_SAFE_OR_OWNER.at(
                fail.span,
                f"the fail point '{clip(fail.description)}' has no " + " and no ".join(missing),
                " and ".join({"fail-safe": 'add safe "..."', "owner": "add owner ACTOR"}[m] for m in missing),
            )


def standard_time_over_tolerance(blueprint: Blueprint, facts: Facts) -> Iterator[Diagnostic]:
    """
    ## What it does
    Adds up the customer's time (the `takes` of every customer action and every
    `wait`, on whichever action it is written: the customer waits there) and flags it
    when it exceeds the blueprint's `tolerance` (or the project's `default-tolerance`).

    ## Why it matters
    Shostack's shoeshine: standard execution two minutes, customer tolerance five.
    The tolerance is the time past which the customer judges the service as failed,
    however well each step is done.

    ## Example
    ```
    tolerance 5min
    ...
    guest: "Queues" wait 6min
    ```

    ## Use instead
    Shorten the wait, or set a tolerance that matches what customers accept.

    ## Source
    Shostack, "Designing Services That Deliver", Harvard Business Review 1984.
    """
    if blueprint.tolerance is None and facts.settings.default_tolerance is None:
        return
    from .. import stats  # here: a blueprint with no tolerance to compare with does without it

    figures = stats.compute(blueprint, facts.settings.default_tolerance)
    if figures.over_tolerance:
        yield STANDARD_TIME_OVER_TOLERANCE.at(
            blueprint.span.head(len("blueprint")),
            f"the customer's time (standard time and waits) is {format_seconds(figures.total.total_time)}, "
            f"over the tolerance of {format_seconds(figures.tolerance)}",
            "shorten the slowest steps or waits, or revisit the tolerance",
        )


def too_many_customer_actions(blueprint: Blueprint, facts: Facts) -> Iterator[Diagnostic]:
    """
    ## What it does
    Flags a blueprint with more customer actions than `max-customer-actions`
    (15 unless configured).

    ## Why it matters
    A blueprint is read at a glance; past about fifteen customer actions it becomes
    too granular to discuss, and is better split by stage or scenario.

    ## Example
    A blueprint with twenty customer steps for one visit.

    ## Use instead
    One blueprint per stage or scenario, sharing actors with `include`.

    ## Source
    Gibbons, "Service Blueprints: Definition", Nielsen Norman Group 2017.
    """
    count = len(facts.customer_actions())
    limit = facts.settings.max_customer_actions
    if count > limit:
        yield TOO_MANY_CUSTOMER_ACTIONS.at(
            blueprint.span.head(len("blueprint")),
            f"{count} customer actions, more than {limit} read well in one blueprint",
            "split it by stage or scenario, sharing actors with include",
        )


def wait_over_limit(blueprint: Blueprint, facts: Facts) -> Iterator[Diagnostic]:
    """
    ## What it does
    Flags a single `wait` longer than the project's `max-wait` (30min unless configured).

    ## Why it matters
    Wait points are where customers judge a service most harshly. A long single wait
    deserves a decision: shorten it, fill it, or accept it on purpose.

    ## Example
    ```
    patient: "Waits to be called" wait 45min
    ```

    ## Use instead
    ```
    patient: "Waits to be called" wait 15min
    ```
    or, to accept a long wait on purpose, `max-wait` in `[tool.blueprint]`, or:
    ```
    patient: "Waits to be called" wait 45min   # noqa: BP412  # walk-in clinic
    ```

    ## Source
    Shostack, "Designing Services That Deliver", Harvard Business Review 1984.
    """
    limit = facts.settings.max_wait
    for action in facts.actions.values():
        if action.wait is not None and action.wait.seconds > limit:
            yield WAIT_OVER_LIMIT.at(
                action.span,
                f"'{clip(action.id)}' waits {clip(str(action.wait))}, longer than the {format_seconds(limit)} limit",
                "shorten the wait, or raise max-wait in [tool.blueprint]",
            )
