"""The generated blueprints of the benchmark (bench/generate.py) are real, clean ones.

The time for 1,000 actions is printed (run with -s to see it), not asserted: the machine
is shared. The benchmark measures and judges it.
"""

from __future__ import annotations

import time

from bench.generate import with_actions
from blueprint_dsl import loads
from blueprint_dsl.check import check
from blueprint_dsl.config import from_mapping


def test_a_1000_action_blueprint_checks_clean(capsys) -> None:
    started = time.perf_counter()
    result = loads(with_actions(1000), "generated.svc")
    loaded = time.perf_counter()
    diagnostics = check(result, from_mapping({"ignore": ["too-many-customer-actions"]}))
    checked = time.perf_counter()
    assert sum(1 for _ in result.blueprint.actions()) == 999
    assert diagnostics == []
    assert [d.code for d in check(result)] == ["BP410"]  # its size is the only thing wrong with it
    with capsys.disabled():
        print(f"\n999 actions: parse and resolve {(loaded - started) * 1000:.0f} ms, "
              f"rules {(checked - loaded) * 1000:.0f} ms")
