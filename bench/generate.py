"""Generated blueprints of any size, for the benchmark and the scaling tests.

Each step has a customer action, a frontstage answer and one piece of backstage or
support work, linked by flows, so a blueprint of N steps has 3N actions and checks
clean but for its size.
"""

from __future__ import annotations

PER_STAGE = 20


def blueprint(steps: int, title: str = "Generated") -> str:
    lines = [
        f'blueprint "{title}" {{',
        '  scenario "Generated for measuring"',
        '  persona  "Benchmark"',
        '  actor  c customer   "Customer"',
        '  role   f frontstage "Clerk"',
        '  role   b backstage  "Back office"',
        '  system s support    "System"',
    ]
    flows = []
    for n in range(steps):
        if n % PER_STAGE == 0:
            if n:
                lines.append("  }")
            lines.append(f'  stage g{n // PER_STAGE} "Stage {n // PER_STAGE}" {{')
        lines += [
            f'    step t{n} "Step {n}" {{',
            f'      evidence "Thing {n}"',
            f'      c: "Customer does {n}" takes 10s as c{n}',
            f'      f: "Clerk answers {n}" as f{n}' + (' fail "Slow" safe "Help" owner f' if n % 7 == 0 else ""),
            f'      {"b" if n % 2 else "s"}: "Work {n}" as w{n}',
            "    }",
        ]
        flows += [f"  c{n} <-> f{n}", f"  f{n} -> w{n}"]
        if n:
            flows.append(f"  c{n - 1} -> c{n}")
    if steps:
        lines.append("  }")
    lines += flows
    lines.append("}")
    return "\n".join(lines) + "\n"


def with_actions(actions: int) -> str:
    """A blueprint of about ``actions`` actions (three per step)."""
    return blueprint(max(1, actions // 3), title=f"{actions} actions")
