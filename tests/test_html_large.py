"""A 500-step generated blueprint: the page opens and answers, with timings printed.

The figures are printed (run with ``-s`` to see them), not asserted: this machine is
shared and its speed varies. What is asserted is that the page opens, draws every
arrow and reacts to hover and filters.
"""

from __future__ import annotations

from bench.generate import blueprint as generated
from bench.page import open_and_measure


def test_a_500_step_page_opens_and_answers(browser):
    timings = open_and_measure(browser, generated(500), probe="f250")
    blueprint, page = timings["blueprint"], timings["tab"].page
    assert page.locator("#flow-paths path").count() == len(blueprint.flows)
    assert timings["linked"] == 2  # c250 and w250
    timings["tab"].assert_clean(timings["url"])
    print(
        f"\n500 steps, {sum(1 for _ in blueprint.actions())} actions, {len(blueprint.flows)} flows, "
        f"{timings['size'] / 1024:.0f} KiB: parse and render {timings['render']:.2f}s, "
        f"page open {timings['open']:.2f}s, hover {timings['hover']:.0f}ms, "
        f"actor filter {timings['filter']:.0f}ms, reset {timings['reset']:.0f}ms"
    )
    page.close()
