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


def test_many_findings_in_one_file_cost_one_reading_of_it_each(monkeypatch) -> None:
    # A finding's excerpt and its place on the HTML page are found without reading the
    # whole file again for each: that took minutes for 40,000 findings.
    from blueprint_dsl import diagnostics
    from blueprint_dsl.render import RenderOptions, html
    from blueprint_dsl.report import as_text

    steps = "\n".join(f'    step s{n} {{ c: "Acts {n}" as a{n} }}' for n in range(2000))
    header = 'blueprint "Big" {\n  scenario "s"\n  persona "p"\n  actor c customer "C"\n'
    text = f'{header}  stage "S" {{\n{steps}\n  }}\n}}\n'
    result = loads(text, "big.svc")
    findings = check(result)
    assert len([d for d in findings if d.code == "BP401"]) == 2000

    diagnostics._lines.cache_clear()
    report = as_text(findings, result.sources, 1, False)
    assert report.count("= hint: ") == len(findings) and diagnostics._lines.cache_info().misses == 1

    within = []
    counted = html._within
    monkeypatch.setattr(html, "_within", lambda *args: within.append(args) or counted(*args))
    page = html.render(result.blueprint, RenderOptions(diagnostics=tuple(findings)))
    assert page.count(b'<li class="finding severity-warning"><code>BP401</code>') == 2000
    assert len(within) <= len(findings)
