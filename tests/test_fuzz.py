"""A short fuzzing run: every input ends in a model or diagnostics, never a traceback.

`make fuzz` runs the same properties over 100,000 inputs (bench/fuzz.py).
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from tests.fuzzing import blueprints, mutated_examples, run_pipeline

SHORT = settings(max_examples=150, deadline=1000, suppress_health_check=[HealthCheck.too_slow])


@SHORT
@given(blueprints())
def test_generated_blueprints_parse_into_a_model(text: str):
    result = run_pipeline(text)
    assert result is not None and result.blueprint is not None
    assert not [d for d in result.diagnostics if d.code.startswith("BP0")], result.diagnostics


@SHORT
@given(mutated_examples())
def test_mutated_examples_end_in_a_model_or_diagnostics(data: bytes):
    run_pipeline(data)
