"""``make fuzz``: the fuzzing properties of tests/test_fuzz.py over many more inputs.

Half the inputs are generated valid blueprints, half mutated examples; each must end in
a model or in diagnostics within a second. Prints how many inputs ran.
"""

from __future__ import annotations

import argparse
import sys
import time

from hypothesis import HealthCheck, given, settings

from tests.fuzzing import blueprints, mutated_examples, run_pipeline


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.fuzz")
    parser.add_argument("--count", type=int, default=100_000, help="inputs in all (at least)")
    args = parser.parse_args()
    counted = {"generated": 0, "mutated": 0}
    each = settings(max_examples=args.count // 2 + 1, deadline=1000, database=None,
                    suppress_health_check=list(HealthCheck))

    @each
    @given(blueprints())
    def generated(text: str) -> None:
        counted["generated"] += 1
        result = run_pipeline(text)
        assert result is not None and result.blueprint is not None

    @each
    @given(mutated_examples())
    def mutated(data: bytes) -> None:
        counted["mutated"] += 1
        run_pipeline(data)

    started = time.perf_counter()
    generated()
    mutated()
    total = sum(counted.values())
    print(f"fuzz: {total:,} inputs ({counted['generated']:,} generated, {counted['mutated']:,} mutated) "
          f"in {time.perf_counter() - started:.0f}s, every one ended in a model or diagnostics")
    return 0


if __name__ == "__main__":
    sys.exit(main())
