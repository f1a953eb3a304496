"""The coloured HTML diff opened in headless Chromium.

On a case with added, changed and removed items (tests/diff/21-mixed-changes): the
cards carry the right classes, each is visible and coloured unlike an unchanged card,
the ghosts sit in their old lane and column, and the change list links to them. Printed
from a browser in dark mode, it has the colours it prints with from one in light mode.
Screenshots go to build/screenshots/diff-*.png for a person to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from blueprint_dsl import load
from blueprint_dsl.render.decorate import render_diff
from tests.browser_support import SCREENSHOTS, new_tab

CASES = Path(__file__).parent / "diff"


def page_of(case: str) -> bytes:
    old, new = load(CASES / case / "old.svc"), load(CASES / case / "new.svc")
    return render_diff(old.blueprint, new.blueprint, "html")


@pytest.fixture(scope="module")
def page(browser):
    tab = new_tab(browser)
    url = tab.open("diff.html", page_of("21-mixed-changes"))
    yield tab.page
    tab.assert_clean(url)
    tab.page.close()


def style(page, selector: str) -> dict:
    return page.eval_on_selector(selector, """element => {
        const s = getComputedStyle(element), r = element.getBoundingClientRect();
        return {border: s.borderTopColor, style: s.borderTopStyle, background: s.backgroundColor,
                width: r.width, height: r.height, left: r.left, right: r.right, top: r.top, bottom: r.bottom};
    }""")


def test_changed_cards_carry_their_classes(page):
    assert page.get_attribute("#action-explain", "class").split()[-1] == "diff-added"
    assert "diff-changed" in page.get_attribute("#action-replace", "class")
    assert "diff-removed" in page.get_attribute("#ghost-action-ticket", "class")
    assert "diff-removed" in page.get_attribute("#ghost-action-test_ride", "class")
    assert "diff-" not in page.get_attribute("#action-hand_over", "class")
    assert page.query_selector("#action-ticket") is None
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "diff-page.png"), full_page=True)
    page.locator("#grid").screenshot(path=str(SCREENSHOTS / "diff-grid.png"))


def test_each_change_is_visible_and_coloured_unlike_an_unchanged_card(page):
    plain = style(page, "#action-hand_over")
    seen = set()
    for selector in ("#action-explain", "#action-replace", "#ghost-action-ticket", "#ghost-action-test_ride"):
        found = style(page, selector)
        assert found["width"] > 20 and found["height"] > 20, selector
        assert (found["border"], found["background"]) != (plain["border"], plain["background"]), selector
        seen.add(found["border"])
    assert len(seen) == 3  # green, amber, red
    assert style(page, "#ghost-action-ticket")["style"] == "dashed"


def test_ghosts_sit_in_their_old_lane_and_column(page):
    ticket = style(page, "#ghost-action-ticket")
    support = style(page, "#row-support")
    assert support["top"] <= ticket["top"] and ticket["bottom"] <= support["bottom"]
    check_in = style(page, "#step-0")
    assert check_in["left"] <= ticket["left"] and ticket["right"] <= check_in["right"]
    ride = style(page, "#ghost-action-test_ride")
    backstage = style(page, "#row-backstage")
    assert backstage["top"] <= ride["top"] and ride["bottom"] <= backstage["bottom"]
    ghost_column = style(page, "#step-2")
    assert "diff-removed" in page.get_attribute("#step-2", "class")
    assert ghost_column["left"] <= ride["left"] and ride["right"] <= ghost_column["right"]
    assert page.text_content("#step-1").strip() == "Fix" and page.text_content("#step-3").strip() == "Pay"


def test_the_change_list_names_and_links_every_change(page):
    items = page.locator(".change-list > li")
    assert items.count() == 10
    assert page.locator(".change-list a[href='#ghost-action-ticket']").count() == 1
    assert page.locator(".change-list a[href='#action-explain']").count() == 1
    assert "Changes: 3 added, 6 removed, 1 changed" in page.text_content("#changes-title")
    # Removed flows are drawn, dashed and red, between the ghost and the cards still there.
    assert page.locator("path.flow.diff-removed[data-source='quote'][data-target='ticket']").count() == 1
    assert page.locator("path.flow.diff-added[data-source='explain']").count() == 1


def test_the_summary_counts_the_new_blueprint_not_the_ghosts(page):
    assert page.text_content("#summary-below-visibility dd").split()[0] == "1"  # only "replace" is left


#: The colours of every element of the page: its text, background, border and outline.
COLOURS = """() => Array.from(document.querySelectorAll("body *"), element => {
    const s = getComputedStyle(element);
    return [element.id || element.getAttribute("class") || element.tagName,
            s.color, s.backgroundColor, s.borderTopColor, s.borderLeftColor, s.fill, s.stroke];
})"""


@pytest.mark.parametrize("dark_by", ["system", "theme"])
def test_a_page_printed_from_a_dark_screen_has_the_colours_of_one_printed_from_a_light_one(browser, dark_by):
    """On paper every colour is the light scheme's, the diff's as well: from a browser set to
    dark, added cards printed dark green behind dark text (1.1:1)."""
    old, new = load(CASES / "21-mixed-changes" / "old.svc"), load(CASES / "21-mixed-changes" / "new.svc")
    printed = {}
    for scheme in ("light", "dark"):
        tab = new_tab(browser, color_scheme=scheme if dark_by == "system" else "light")
        theme = scheme if dark_by == "theme" else None
        url = tab.open(f"diff-{scheme}.html", render_diff(old.blueprint, new.blueprint, "html", theme=theme))
        tab.page.emulate_media(media="print")
        printed[scheme] = tab.page.evaluate(COLOURS)
        tab.assert_clean(url)
        tab.page.close()
    assert len(printed["dark"]) > 200
    differ = [(light, dark) for light, dark in zip(printed["light"], printed["dark"]) if light != dark]
    assert not differ, differ[:5]
