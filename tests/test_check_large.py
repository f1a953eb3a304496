"""The 1,000-action benchmark blueprint (bench/check_large.py) is a real, clean one.

The time is printed (run with -s to see it), not asserted: the machine is shared.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).parent.parent / "bench" / "check_large.py"


def test_check_of_a_1000_action_blueprint(capsys) -> None:
    spec = importlib.util.spec_from_file_location("check_large", SCRIPT)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    figures = bench.measure(1000, repeat=1)  # asserts that it checks clean
    assert figures["actions"] == 1000
    with capsys.disabled():
        print(f"\n1,000 actions: parse+resolve {figures['parse'] * 1000:.0f} ms, check {figures['check'] * 1000:.0f} ms")
