"""A 500-step generated blueprint: the page opens and answers, with timings printed.

The figures are printed (run with ``-s`` to see them), not asserted: this machine is
shared and its speed varies. What is asserted is that the page opens, draws every
arrow and reacts to hover and filters.
"""

from __future__ import annotations

import time

import pytest
from tests.browser_support import new_tab, start_browser

from blueprint_dsl import loads
from blueprint_dsl.render import FORMATS, RenderOptions

STEPS, PER_STAGE = 500, 20


def generated(steps: int = STEPS) -> str:
    lines = [
        'blueprint "Five hundred steps" {',
        '  scenario "Generated"',
        '  actor c customer "Customer"',
        '  role f frontstage "Clerk"',
        '  role b backstage "Back office"',
        '  system s support "System"',
    ]
    flows = []
    for n in range(steps):
        if n % PER_STAGE == 0:
            if n:
                lines.append("  }")
            lines.append(f'  stage g{n // PER_STAGE} "Stage {n // PER_STAGE}" {{')
        lines.append(f'    step t{n} "Step {n}" {{')
        lines.append(f'      evidence "Thing {n}"')
        lines.append(f'      c: "Customer does {n}" takes 10s as c{n}')
        lines.append(f'      f: "Clerk answers {n}" as f{n}' + (' fail "Slow" safe "Help" owner f' if n % 7 == 0 else ""))
        lines.append(f'      {"b" if n % 2 else "s"}: "Work {n}" as w{n}')
        lines.append("    }")
        flows += [f"  c{n} <-> f{n}", f"  f{n} -> w{n}"]
        if n:
            flows.append(f"  c{n - 1} -> c{n}")
    lines.append("  }")
    lines += flows
    lines.append("}")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def browser():
    playwright, browser = start_browser()
    yield browser
    browser.close()
    playwright.stop()


def test_a_500_step_page_opens_and_answers(browser):
    started = time.perf_counter()
    result = loads(generated(), "large.svc")
    assert result.ok, result.diagnostics[:3]
    blueprint = result.blueprint
    loaded = time.perf_counter()
    html = FORMATS["html"].render(blueprint, RenderOptions())
    rendered = time.perf_counter()
    tab = new_tab(browser)
    url = tab.open("large.html", html)
    opened = time.perf_counter()
    page = tab.page
    assert page.locator("#flow-paths path").count() == len(blueprint.flows)
    timings = page.evaluate(
        """async () => {
          const frame = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
          const time = async act => { const t = performance.now(); act(); await frame(); return performance.now() - t; };
          const card = document.getElementById('action-f250');
          const hover = await time(() => card.dispatchEvent(new MouseEvent('mouseover', {bubbles: true})));
          const actor = document.getElementById('filter-actor');
          const filter = await time(() => { actor.value = 'c'; actor.dispatchEvent(new Event('change')); });
          const linked = document.querySelectorAll('.card.is-linked').length;
          const reset = await time(() => document.getElementById('filter-reset').click());
          return {hover, filter, reset, linked};
        }"""
    )
    assert timings["linked"] == 2  # c250 and w250
    assert page.locator("#flow-paths path").count() == len(blueprint.flows)
    tab.assert_clean(url)
    print(
        f"\n500 steps, {sum(1 for _ in blueprint.actions())} actions, {len(blueprint.flows)} flows, "
        f"{len(html) / 1024:.0f} KiB: parse {loaded - started:.2f}s, render {rendered - loaded:.2f}s, "
        f"page open {opened - rendered:.2f}s, hover {timings['hover']:.0f}ms, "
        f"actor filter {timings['filter']:.0f}ms, reset {timings['reset']:.0f}ms"
    )
    tab.page.close()
