"""Interaction timings of a large HTML page in headless Chromium (printed, never asserted)."""

from __future__ import annotations

import time

from blueprint_dsl import loads
from blueprint_dsl.render import FORMATS, RenderOptions
from tests.browser_support import new_tab, start_browser

# Time from an interaction to the second animation frame after it: the page has painted.
MEASURE = """async (probe) => {
  const frame = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const time = async act => { const t = performance.now(); act(); await frame(); return performance.now() - t; };
  const card = document.getElementById('action-' + probe);
  const hover = await time(() => card.dispatchEvent(new MouseEvent('mouseover', {bubbles: true})));
  const linked = document.querySelectorAll('.card.is-linked').length;
  const actor = document.getElementById('filter-actor');
  const filter = await time(() => { actor.value = 'c'; actor.dispatchEvent(new Event('change')); });
  const reset = await time(() => document.getElementById('filter-reset').click());
  return {hover, filter, reset, linked};
}"""


def open_and_measure(browser, text: str, probe: str) -> dict:
    """Render ``text``, open the page and time hover, a filter and a reset on ``probe``."""
    started = time.perf_counter()
    result = loads(text, "large.svc")
    html = FORMATS["html"].render(result.blueprint, RenderOptions())
    rendered = time.perf_counter()
    tab = new_tab(browser)
    url = tab.open("large.html", html)
    opened = time.perf_counter()
    timings = tab.page.evaluate(MEASURE, probe)
    timings.update(render=rendered - started, open=opened - rendered, size=len(html), tab=tab, url=url,
                   blueprint=result.blueprint)
    return timings


def interaction_timings(text: str, probe: str = "f250") -> list[tuple[str, float]]:
    playwright, browser = start_browser()
    try:
        got = open_and_measure(browser, text, probe)
    finally:
        browser.close()
        playwright.stop()
    return [
        ("parse and render", got["render"]),
        ("page open until ready", got["open"]),
        ("hover highlight", got["hover"] / 1000),
        ("actor filter", got["filter"] / 1000),
        ("reset", got["reset"] / 1000),
    ]
