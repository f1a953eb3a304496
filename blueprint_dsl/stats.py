"""Shostack's analysis of a blueprint: counts, touchpoints, fail points and time.

Per stage and in total: customer actions; touchpoints (flows crossing the line of
interaction, counted in the stage of their customer end); actions below the line of
visibility; fail points with and without a fail-safe and owner; the customer's
standard time (``takes`` of customer actions), the waits (``wait`` on any action: the
customer waits there), and the longest wait.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .diagnostics import cells, visible
from .model import Action, Blueprint, Lane, Stage
from .text import format_seconds, plural

#: Times are summed in whole nanoseconds. Durations are written as decimals, which binary
#: fractions only come near: summed as floats, 0.1s and 0.2s would be over 0.3s. (100
#: years is 3.2e18 ns, an integer Python keeps exact.)
NANOSECONDS = 1_000_000_000


def nanoseconds(seconds: float) -> int:
    return round(seconds * NANOSECONDS)


@dataclass(slots=True, kw_only=True)
class Figures:
    """Counts and times of a blueprint, or of one stage of it."""

    customer_actions: int = 0
    touchpoints: int = 0
    below_visibility: int = 0
    fail_points: int = 0
    fail_points_handled: int = 0
    standard_nanoseconds: int = 0
    wait_nanoseconds: int = 0
    #: The longest wait and the action it is written on; None for both where nothing waits.
    longest_wait: float | None = None
    longest_wait_action: str | None = None

    @property
    def fail_points_unhandled(self) -> int:
        return self.fail_points - self.fail_points_handled

    @property
    def standard_time(self) -> float:
        return self.standard_nanoseconds / NANOSECONDS

    @property
    def wait_time(self) -> float:
        return self.wait_nanoseconds / NANOSECONDS

    @property
    def total_time(self) -> float:
        return (self.standard_nanoseconds + self.wait_nanoseconds) / NANOSECONDS

    def over(self, tolerance: float | None) -> bool | None:
        """Whether the total time is over ``tolerance`` (None for none)."""
        if tolerance is None:
            return None
        return self.standard_nanoseconds + self.wait_nanoseconds > nanoseconds(tolerance)

    def add_action(self, action: Action) -> None:
        if action.lane is Lane.CUSTOMER:
            self.customer_actions += 1
            self.standard_nanoseconds += nanoseconds(action.duration.seconds) if action.duration else 0
        elif not action.lane.visible_to_customer:
            self.below_visibility += 1
        # A wait point is where the customer waits, whichever action it is written on
        # (the rider waits while the mechanic quotes).
        wait = action.wait.seconds if action.wait else 0
        self.wait_nanoseconds += nanoseconds(wait)
        if wait > (self.longest_wait or 0):
            self.longest_wait, self.longest_wait_action = wait, action.id
        if action.fail is not None:
            self.fail_points += 1
            self.fail_points_handled += bool(action.fail.safe and action.fail.owner)

    def to_json(self) -> dict:
        return {
            "customer_actions": self.customer_actions,
            "touchpoints": self.touchpoints,
            "below_line_of_visibility": self.below_visibility,
            "fail_points": self.fail_points,
            "fail_points_with_safe_and_owner": self.fail_points_handled,
            "fail_points_without_safe_or_owner": self.fail_points_unhandled,
            "standard_time_seconds": self.standard_time,
            "wait_seconds": self.wait_time,
            "total_seconds": self.total_time,
            "longest_wait_seconds": self.longest_wait,
            "longest_wait_action": self.longest_wait_action,
        }


@dataclass(slots=True, kw_only=True)
class Stats:
    """The figures of ``blueprint stats``: the whole blueprint's, then each stage's."""

    title: str
    tolerance: float | None
    total: Figures
    stages: list[tuple[Stage, Figures]] = field(default_factory=list)

    @property
    def over_tolerance(self) -> bool | None:
        return self.total.over(self.tolerance)

    def to_json(self) -> dict:
        return {
            "version": 1,
            "title": self.title,
            "tolerance_seconds": self.tolerance,
            "over_tolerance": self.over_tolerance,
            "total": self.total.to_json(),
            "stages": [{"id": stage.id, "stage": stage.name, **figures.to_json()} for stage, figures in self.stages],
        }


def compute(blueprint: Blueprint, default_tolerance: float | None = None) -> Stats:
    """The figures of ``blueprint``; its time is held against its own tolerance, else
    ``default_tolerance`` (the project's ``default-tolerance``, as BP409 does)."""
    total = Figures()
    by_stage = {stage.id: Figures() for stage in blueprint.stages}
    actions = blueprint.action_index()
    for action in actions.values():
        total.add_action(action)
        by_stage[action.stage].add_action(action)
    for flow in blueprint.flows:
        ends = [actions.get(flow.source), actions.get(flow.target)]
        if None in ends:
            continue
        customer = [a for a in ends if a.lane is Lane.CUSTOMER]
        if len(customer) == 1:  # one end above the line of interaction, one below
            total.touchpoints += 1
            by_stage[customer[0].stage].touchpoints += 1
    return Stats(
        title=blueprint.title,
        tolerance=blueprint.tolerance.seconds if blueprint.tolerance else default_tolerance,
        total=total,
        stages=[(stage, by_stage[stage.id]) for stage in blueprint.stages],
    )


_ROWS = (
    ("Customer actions", lambda f: str(f.customer_actions)),
    ("Touchpoints", lambda f: str(f.touchpoints)),
    ("Below the line of visibility", lambda f: str(f.below_visibility)),
    ("Fail points", lambda f: str(f.fail_points)),
    ("  without fail-safe or owner", lambda f: str(f.fail_points_unhandled)),
    ("Standard time", lambda f: format_seconds(f.standard_time)),
    ("Waits", lambda f: format_seconds(f.wait_time)),
    # "none" where nothing waits, as the HTML page has it.
    ("Longest wait",
     lambda f: f"{format_seconds(f.longest_wait)} ({f.longest_wait_action})" if f.longest_wait_action else "none"),
)


def as_text(stats: Stats) -> str:
    """A table: one column per stage and one for the total."""
    headers = [visible(stage.name) for stage, _ in stats.stages] + ["Total"]
    columns = [figures for _, figures in stats.stages] + [stats.total]
    rows = [[label] + [cell(f) for f in columns] for label, cell in _ROWS]
    # Aligned by the cells a terminal gives each text: a CJK stage name takes two a character.
    widths = [max(cells(r[i]) for r in [[""] + headers] + rows) for i in range(len(headers) + 1)]
    lines = [visible(stats.title), ""]
    for row in [[""] + headers] + rows:
        padded = (_pad(cell, widths[i], right=i > 0) for i, cell in enumerate(row))
        lines.append("  ".join(padded).rstrip())
    if stats.tolerance is not None:
        verdict = "over" if stats.over_tolerance else "within"
        lines += ["", f"Customer time {format_seconds(stats.total.total_time)} (standard time and waits), "
                      f"{verdict} the tolerance of {format_seconds(stats.tolerance)}."]
    return "\n".join(lines) + "\n"


def _pad(text: str, width: int, right: bool) -> str:
    """``text`` filled with spaces to ``width`` terminal cells, on the left when ``right``."""
    space = " " * (width - cells(text))
    return space + text if right else text + space


def _verdict(stats: Stats) -> str:
    """Where the customer's time stands against the tolerance: within 1h, over 15min, or none."""
    if stats.tolerance is None:
        return "none"
    return f"{'over' if stats.over_tolerance else 'within'} {format_seconds(stats.tolerance)}"


#: The overview's columns of counts, each headed on two lines, and the count of a
#: blueprint's total figures it shows: summed in the overview's last row.
_COUNTS = (
    (("Customer", "actions"), lambda figures: figures.customer_actions),
    (("", "Touchpoints"), lambda figures: figures.touchpoints),
    (("Below", "visibility"), lambda figures: figures.below_visibility),
    (("Fail", "points"), lambda figures: figures.fail_points),
    (("No fail-safe", "or owner"), lambda figures: figures.fail_points_unhandled),
)
#: Then each blueprint's time against its own tolerance, which is not summed.
_TIMES = (
    (("Customer", "time"), lambda stats: format_seconds(stats.total.total_time)),
    (("", "Tolerance"), _verdict),
)


def as_overview(named: list[tuple[str, Stats]]) -> str:
    """A table of several blueprints, each ``(file name, figures)``: one row each, its totals,
    then a row of the counts summed; times are each blueprint's own, and are not summed."""
    rows = [
        [visible(name)] + [str(count(stats.total)) for _, count in _COUNTS] + [cell(stats) for _, cell in _TIMES]
        for name, stats in named
    ]
    summed = [str(sum(count(stats.total) for _, stats in named)) for _, count in _COUNTS]
    rows.append([f"Total ({plural(len(named), 'blueprint')})"] + summed + [""] * len(_TIMES))
    headers = [["", "Blueprint"]] + [list(header) for header, _ in _COUNTS + _TIMES]
    table = [[column[0] for column in headers], [column[1] for column in headers]] + rows
    widths = [max(cells(row[i]) for row in table) for i in range(len(headers))]
    lines = ["  ".join(_pad(cell, widths[i], right=i > 0) for i, cell in enumerate(row)).rstrip() for row in table]
    return "\n".join(lines) + "\n"


def overview_json(named: list[tuple[str, Stats]]) -> dict:
    """The figures of several blueprints, each under its file name, in one document."""
    documents = []
    for name, stats in named:
        document = stats.to_json()
        del document["version"]  # the whole document's
        documents.append({"file": name, **document})
    return {"version": 1, "blueprints": documents}
