"""A 500-step generated blueprint: the page opens and answers, with timings printed.

The figures are printed (run with ``-s`` to see them), not asserted: this machine is
shared and its speed varies. What is asserted is that the page opens, draws every
arrow and reacts to hover and filters, and that its text version, laid out as it is
reached, has the room it takes until then.
"""

from __future__ import annotations

import pytest

from bench.generate import blueprint as generated
from bench.page import open_and_measure
from blueprint_dsl import loads
from blueprint_dsl.render import FORMATS, RenderOptions
from blueprint_dsl.render.html_view import FACTS_PREFIX
from tests.browser_support import new_tab


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


#: Each list of the text version: its height, and the room the page held for it before it was laid out.
LISTS = """() => Array.from(document.querySelectorAll('.text-steps, .text-flows'), list => [
    list.getBoundingClientRect().height, parseFloat(list.style.containIntrinsicSize.split(' ')[1])])"""


def test_the_text_version_is_laid_out_as_it_is_reached_and_when_printed(browser):
    """On opening, the text version's later stages wait unlaid, in the room held for them;
    a link to one of their actions, scrolling there, or printing lays them out, whole and
    readable."""
    timings = open_and_measure(browser, generated(500), probe="f250")
    tab, page = timings["tab"], timings["tab"].page
    opened = page.evaluate(LISTS)
    assert len(opened) == 26 and opened[-2][0] == opened[-2][1]  # the last stage's steps, then the flows

    last = FACTS_PREFIX + "w499"
    page.goto(f"{timings['url']}#{last}")
    page.wait_for_timeout(100)
    item = page.evaluate("""id => { const r = document.getElementById(id).getBoundingClientRect();
                                    return {top: r.top, bottom: r.bottom, height: r.height}; }""", last)
    # At the top of the window: to a pixel, as lists above it laid out round their room.
    assert -1 < item["top"] < item["bottom"] <= 1000 and item["height"] > 40
    assert "Work 499" in page.inner_text(f"#{last}")
    height, held = page.evaluate(LISTS)[-2]
    assert height not in (0, held)

    page.emulate_media(media="print")
    assert all(height not in (0, held) for height, held in page.evaluate(LISTS))
    tab.assert_clean(timings["url"])
    page.close()


@pytest.mark.parametrize("width", [1600, 390])
def test_the_page_is_about_as_long_before_its_text_version_is_laid_out_as_after(browser, width):
    """The room held for each list of the text version was 40rem, whatever it held: the
    500-step page opened at a third of its length, and grew as it was scrolled (its
    scroll bar three times too short). Held for its text at the window's width, it is
    within a tenth of its length, wide and on a phone."""
    tab = new_tab(browser)
    tab.page.set_viewport_size({"width": width, "height": 900})
    url = tab.open("long.html", FORMATS["html"].render(loads(generated(500)).blueprint, RenderOptions()))
    held = tab.page.evaluate("document.documentElement.scrollHeight")
    tab.page.evaluate("document.querySelectorAll('.text-steps, .text-flows').forEach(list => "
                      "list.style.contentVisibility = 'visible')")
    laid_out = tab.page.evaluate("document.documentElement.scrollHeight")
    assert abs(held - laid_out) < laid_out / 10, (held, laid_out)
    tab.assert_clean(url)
    tab.page.close()
