"""The lane rules: what the checker knows about the service-blueprinting method.

Each rule is a plain function ``(blueprint, facts) -> Iterator[Diagnostic]``, its
documentation in its docstring (What it does / Why it matters / Example / Use
instead / Source), registered once in ``RULES`` below. Adding a rule is one
function, one entry, one fixture file under ``tests/rules/``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator

from ..codes import Code
from ..diagnostics import Diagnostic
from ..model import Blueprint
from . import completeness, flows, lanes, timing
from .facts import Facts, Settings

Check = Callable[[Blueprint, Facts], Iterator[Diagnostic]]


@dataclass(frozen=True, slots=True)
class Rule:
    """A lane rule: its code, and the check that finds where a blueprint breaks it."""

    code: Code
    check: Check

    @property
    def doc(self) -> str:
        import inspect  # only `rules`, `explain` and SARIF read the docs

        return inspect.cleandoc(self.check.__doc__ or "")


RULES: tuple[Rule, ...] = (
    Rule(lanes.ACTOR_OUTSIDE_THEIR_LANES, lanes.actor_outside_their_lanes),
    Rule(lanes.EVIDENCE_BELOW_LINE_OF_VISIBILITY, lanes.evidence_below_line_of_visibility),
    Rule(lanes.NO_CUSTOMER_ACTION, lanes.no_customer_action),
    Rule(completeness.CUSTOMER_ACTION_WITHOUT_EVIDENCE, completeness.customer_action_without_evidence),
    Rule(completeness.STAGE_WITHOUT_CUSTOMER_ACTION, completeness.stage_without_customer_action),
    Rule(completeness.EMPTY_STAGE, completeness.empty_stage),
    Rule(flows.FLOW_SKIPS_CONTACT_STAFF, flows.flow_skips_contact_staff),
    Rule(completeness.FRONTSTAGE_WITHOUT_CUSTOMER_ACTION, completeness.frontstage_without_customer_action),
    Rule(flows.ORPHAN_BEHIND_THE_LINE, flows.orphan_behind_the_line),
    Rule(flows.FLOW_BACKWARDS_IN_TIME, flows.flow_backwards_in_time),
    Rule(timing.FAIL_POINT_WITHOUT_SAFE_OR_OWNER, timing.fail_point_without_safe_or_owner),
    Rule(timing.STANDARD_TIME_OVER_TOLERANCE, timing.standard_time_over_tolerance),
    Rule(timing.TOO_MANY_CUSTOMER_ACTIONS, timing.too_many_customer_actions),
    Rule(completeness.NO_SCENARIO_OR_PERSONA, completeness.no_scenario_or_persona),
    Rule(timing.WAIT_OVER_LIMIT, timing.wait_over_limit),
    Rule(flows.FLOW_TO_ITSELF, flows.flow_to_itself),
    Rule(flows.DUPLICATE_FLOW, flows.duplicate_flow),
)

RULES_BY_CODE = {rule.code.code: rule for rule in RULES}

__all__ = ["RULES", "RULES_BY_CODE", "Facts", "Rule", "Settings"]
