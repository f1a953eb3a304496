"""A 500-step generated blueprint: the page opens and answers, with timings printed.

The figures are printed (run with ``-s`` to see them), not asserted: this machine is
shared and its speed varies. What is asserted is that the page opens, draws every
arrow and reacts to hover and filters.
"""

from __future__ import annotations

from bench.generate import blueprint as generated
from bench.page import open_and_measure
from blueprint_dsl.render.html_view import FACTS_PREFIX


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


PLACEHOLDER = 640  # px: the height the page gives a part of its text version not yet laid out (40rem)


def test_the_text_version_is_laid_out_as_it_is_reached_and_when_printed(browser):
    """On opening, the text version's later stages wait unlaid; a link to one of their
    actions, scrolling there, or printing lays them out, whole and readable."""
    timings = open_and_measure(browser, generated(500), probe="f250")
    tab, page = timings["tab"], timings["tab"].page
    heights = "() => Array.from(document.querySelectorAll('.text-steps'), list => list.getBoundingClientRect().height)"
    opened = page.evaluate(heights)
    assert len(opened) == 25 and opened[-1] == PLACEHOLDER

    last = FACTS_PREFIX + "w499"
    page.goto(f"{timings['url']}#{last}")
    page.wait_for_timeout(100)
    item = page.evaluate("""id => { const r = document.getElementById(id).getBoundingClientRect();
                                    return {top: r.top, bottom: r.bottom, height: r.height}; }""", last)
    assert 0 <= item["top"] < item["bottom"] <= 1000 and item["height"] > 40
    assert "Work 499" in page.inner_text(f"#{last}")
    assert page.evaluate(heights)[-1] not in (0, PLACEHOLDER)

    page.emulate_media(media="print")
    printed = page.evaluate(heights)
    assert all(height not in (0, PLACEHOLDER) for height in printed)
    tab.assert_clean(timings["url"])
    page.close()
