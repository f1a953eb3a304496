"""The pages audited with axe-core, the standard automated WCAG checker, in headless Chromium.

axe-core's own build (axe.min.js) comes with the axe-playwright-python package of the test
extra: nothing is fetched at run time. Its rules for WCAG 2.0, 2.1 and 2.2 at levels A and
AA, and its best practices, run over every example's page in both colour schemes at a
desktop and a phone width; over the page with a filter applied, with the details open and
with a card highlighted; over pages of ``blueprint diff``; and over the SVG drawings. A
failure lists each rule broken, with its help and the elements that break it.

Two things hide the grid's text from axe's colour check, and are set aside before it runs:
the SVG layers of arrows and flow labels lie over the grid (aria-hidden, pointer-events:
none), so axe cannot tell what lies behind a card's text; and the parts of the text version
away from the window are not drawn (content-visibility: auto). Axe judges no SVG text, so
hiding the layers loses nothing it could check; and each page must leave no text unjudged.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.base import AXE_SCRIPT

from blueprint_dsl import load
from blueprint_dsl.render import FORMATS, RenderOptions
from blueprint_dsl.render.decorate import render_diff
from tests.browser_support import ORIGIN, ROOT, new_tab
from tests.test_html_browser import blueprint_of, render

EXAMPLES = sorted((ROOT / "examples").glob("*.svc"))
DIFFS = Path(__file__).parent / "diff"
#: Cases that between them colour a card, a step and a stage added, changed, moved and removed.
DIFF_CASES = ["21-mixed-changes", "08-stage-reordered", "10-step-removed", "24-stage-without-id-renamed"]
WIDTHS = {"desktop": 1600, "phone": 390}
OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations", "incomplete"],
}
SET_ASIDE = """() => {
    document.querySelectorAll('svg.flows').forEach(layer => layer.style.visibility = 'hidden');
    document.querySelectorAll('.text-steps, .text-flows').forEach(part => part.style.contentVisibility = 'visible');
}"""
#: Text whose colours axe may leave unjudged: the details float (position: fixed) over the
#: page, and axe cannot part the dialog's own background from the page beneath it. Its
#: colours are the cards' own, which the grid's cards are judged in.
UNJUDGED_ALLOWED = "#details"


def audit(page, exclude: tuple[str, ...] = (), judge_all_text: bool = True) -> None:
    """Runs axe over ``page`` (less the elements of ``exclude``) and fails on any violation."""
    page.evaluate(SET_ASIDE)
    # A card fades in or out over .12s: colours are judged once it has.
    page.evaluate("() => Promise.all(document.getAnimations().map(animation => animation.finished.catch(() => null)))")
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT)
    results = page.evaluate("([exclude, options]) => axe.run(exclude.length ? {exclude: exclude.map(s => [s])}"
                            " : document, options)", [list(exclude), OPTIONS])
    assert not results["violations"], report(results["violations"])
    if judge_all_text:
        unjudged = [node for rule in results["incomplete"] if rule["id"] == "color-contrast" for node in rule["nodes"]]
        outside = page.evaluate("([nodes, allowed]) => nodes.filter(n => !document.querySelector(n.target[0])"
                                ".closest(allowed))", [unjudged, UNJUDGED_ALLOWED])
        assert not outside, "axe could not judge the colours of:\n" + "\n".join(
            f"  {node['target']} {node['html'][:120]}\n    {node['failureSummary']}" for node in outside)


def report(violations: list[dict]) -> str:
    lines = []
    for rule in violations:
        lines.append(f"{rule['id']} ({rule['impact']}): {rule['help']} <{rule['helpUrl']}>")
        for node in rule["nodes"]:
            lines.append(f"  {' '.join(node['target'])}: {node['html'][:160]}")
            lines.extend(f"    {line.strip()}" for line in node["failureSummary"].splitlines())
    return "axe found violations:\n" + "\n".join(lines)


def opened(browser, name: str, html: bytes, scheme: str, width: str):
    tab = new_tab(browser, color_scheme=scheme)
    tab.page.set_viewport_size({"width": WIDTHS[width], "height": 900})
    return tab, tab.open(name, html)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_examples_page_passes_axe(browser, path, scheme, width):
    tab, url = opened(browser, path.stem + ".html", render(blueprint_of(path)), scheme, width)
    audit(tab.page)
    tab.assert_clean(url)
    tab.page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_page_passes_axe_filtered_with_its_details_open_and_a_card_highlighted(browser, scheme):
    tab, url = opened(browser, "coffee.html", render(blueprint_of(ROOT / "examples" / "coffee.svc")), scheme, "desktop")
    page = tab.page
    page.select_option("#filter-actor", "barista")
    assert page.evaluate("document.querySelectorAll('th.step-header[hidden]').length") > 0
    audit(page)
    page.click("#filter-reset")
    card = page.locator(".card[data-action]").nth(2)
    card.focus()
    assert page.evaluate("document.querySelector('.has-active')") is not None
    # While a card is highlighted the others fade (to .38), below 4.5:1 on purpose: they are
    # what the reader is not looking at, and come back the moment the pointer or focus moves
    # on. Only they are left out; the highlighted card and those linked to it must pass.
    audit(page, exclude=(".has-active .card:not(.is-active):not(.is-linked)",))
    page.keyboard.press("Enter")
    assert not page.evaluate("document.getElementById('details').hidden")
    audit(page)
    tab.assert_clean(url)
    page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("case", DIFF_CASES)
def test_the_diff_page_passes_axe(browser, case, scheme):
    old, new = load(DIFFS / case / "old.svc"), load(DIFFS / case / "new.svc")
    html = render_diff(old.blueprint, new.blueprint, "html")
    for width in WIDTHS if case == DIFF_CASES[0] else ["desktop"]:
        tab, url = opened(browser, "diff.html", html, scheme, width)
        audit(tab.page)
        tab.assert_clean(url)
        tab.page.close()


def svg_drawing(name: str) -> bytes:
    if name == "diff":
        old, new = load(DIFFS / DIFF_CASES[0] / "old.svc"), load(DIFFS / DIFF_CASES[0] / "new.svc")
        return render_diff(old.blueprint, new.blueprint, "svg")
    return FORMATS["svg"].render(blueprint_of(ROOT / "examples" / f"{name}.svc"), RenderOptions())


@pytest.mark.parametrize("name", [path.stem for path in EXAMPLES] + ["diff"])
def test_the_svg_drawing_opened_alone_passes_axe(browser, name):
    svg = svg_drawing(name)
    page = browser.new_page()
    page.route("**/*", lambda route: route.fulfill(status=200, body=svg, content_type="image/svg+xml"))
    page.goto(f"{ORIGIN}/{name}.svg")
    assert page.evaluate("document.documentElement.localName") == "svg"
    page.evaluate(AXE_SCRIPT)
    results = page.evaluate("options => axe.run(document, options)", {**OPTIONS, "resultTypes": ["violations"]})
    assert not results["violations"], report(results["violations"])
    # Axe judged the drawing's name (it draws no conclusion on SVG text's colours, which
    # tests/test_svg_output.py checks).
    assert "svg-img-alt" in [rule["id"] for rule in results["passes"]]
    page.close()
