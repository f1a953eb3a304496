"""How long `check` takes on a generated blueprint of N actions (default 1,000).

    .venv/bin/python bench/check_large.py [N]

Prints the figures; asserts nothing (tests/test_check_large.py makes sure the
generated blueprint is a real one, clean under every rule).
"""

from __future__ import annotations

import sys
import time


def generate(actions: int) -> str:
    """A clean blueprint: stages of five steps, each step a customer action, a frontstage
    reply, a backstage task and a support call, joined by flows."""
    steps = max(1, actions // 4)
    out = [
        'blueprint "Generated" {',
        '  scenario "Benchmark"',
        '  persona  "Anyone"',
        "  actor  guest   customer   \"Guest\"",
        "  person clerk   frontstage \"Clerk\"",
        "  role   cook    backstage  \"Cook\"",
        "  system ledger  support    \"Ledger\"",
    ]
    flows = []
    for n in range(steps):
        if n % 5 == 0:
            if n:
                out.append("  }")
            out.append(f'  stage s{n // 5} "Stage {n // 5}" {{')
        out += [
            f'    step t{n} "Step {n}" {{',
            f'      evidence "Counter {n}"',
            f'      guest:  "Asks for item {n}" takes 10s as c{n}',
            f'      clerk:  "Answers {n}" takes 20s as f{n}',
            f'              fail "Misheard {n}" safe "Read back" owner clerk',
            f'      cook:   "Prepares {n}" takes 1min as b{n}',
            f'      ledger: "Records {n}" as s{n}',
            "    }",
        ]
        flows.append(f"  c{n} <-> f{n} -> b{n} -> s{n}")
        if n:
            flows.append(f"  c{n - 1} -> c{n}")
    out.append("  }")
    out += flows
    out.append("}")
    return "\n".join(out) + "\n"


def measure(actions: int, repeat: int = 5) -> dict[str, float]:
    from blueprint_dsl.check import check
    from blueprint_dsl.config import Config
    from blueprint_dsl.loader import loads
    from blueprint_dsl.rules.facts import Settings

    text = generate(actions)
    # Customer actions are a quarter of the actions: raise the granularity limit so
    # that the benchmark measures a clean blueprint, not a report.
    config = Config(settings=Settings(max_customer_actions=actions))
    best_load = best_check = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        result = loads(text, "generated.svc")
        loaded = time.perf_counter()
        diagnostics = check(result, config)
        done = time.perf_counter()
        best_load, best_check = min(best_load, loaded - started), min(best_check, done - loaded)
    assert not diagnostics, [d.headline() for d in diagnostics[:5]]
    return {"actions": sum(1 for _ in result.blueprint.actions()), "parse": best_load, "check": best_check}


def main() -> None:
    actions = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    figures = measure(actions)
    print(
        f"{figures['actions']} actions: parse+resolve {figures['parse'] * 1000:.1f} ms, "
        f"check (rules, noqa, config) {figures['check'] * 1000:.1f} ms, "
        f"total {(figures['parse'] + figures['check']) * 1000:.1f} ms (best of 5)"
    )


if __name__ == "__main__":
    main()
