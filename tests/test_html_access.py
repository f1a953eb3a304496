"""The HTML page read with a keyboard, a screen reader or a small screen, in headless Chromium.

Colours a reader must be able to read, widths that fit a phone, focus that stays where
the reader is, text in its own direction, and names a screen reader announces.
"""

from __future__ import annotations

import pytest

from blueprint_dsl import loads
from tests.browser_support import ROOT, new_tab
from tests.test_html_browser import blueprint_of, render

COFFEE = ROOT / "examples" / "coffee.svc"


def luminance(css: str) -> float:
    """WCAG's relative luminance of an rgb() or rgba() colour."""
    parts = [float(part) for part in css[css.index("(") + 1 : -1].split(",")[:3]]

    def channel(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(part) for part in parts)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_skip_link_is_readable_in_both_colour_schemes(browser, scheme):
    tab = new_tab(browser, color_scheme=scheme)
    url = tab.open("coffee.html", render(blueprint_of(COFFEE)))
    tab.page.keyboard.press("Tab")
    assert tab.page.evaluate("document.activeElement.className") == "skip-link"
    colour, background = tab.page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement); return [s.color, s.backgroundColor]; })()"
    )
    assert contrast(colour, background) >= 4.5, (scheme, colour, background)
    tab.assert_clean(url)
    tab.page.close()


LONG_NAMES = """blueprint "Long names" {
  actor  guest customer "Guest with an exceptionally long display name for an actor, really, far wider than a phone"
  person clerk frontstage "Clerk"
  stage s1 "A stage name that is much longer than the single step it holds and should wrap or be clipped on a phone" {
    step a "A" {
      guest: "Reads" as read
      clerk: "Greets" as greet
    }
  }
  read -> greet
}
"""


def test_on_a_phone_the_filters_fit_the_page_and_the_page_fits_the_screen(browser):
    from blueprint_dsl import loads

    tab = new_tab(browser)
    tab.page.set_viewport_size({"width": 390, "height": 844})
    result = loads(LONG_NAMES)
    assert result.ok, result.diagnostics
    url = tab.open("long.html", render(result.blueprint))
    assert tab.page.evaluate("document.documentElement.scrollWidth") <= 390
    for select in ("#filter-actor", "#filter-stage"):
        box = tab.page.evaluate(
            "s => { const r = document.querySelector(s).getBoundingClientRect(); return [r.left, r.right]; }", select
        )
        assert 0 <= box[0] and box[1] <= 390, (select, box)
    tab.assert_clean(url)
    tab.page.close()


@pytest.mark.parametrize("width", [390, 1600])
def test_the_details_are_a_dialog_that_keeps_the_focus_until_escape(browser, width):
    tab = new_tab(browser)
    tab.page.set_viewport_size({"width": width, "height": 900})
    url = tab.open("coffee.html", render(blueprint_of(COFFEE)))
    page = tab.page
    card = page.locator(".card[data-action]").first
    card.focus()
    page.keyboard.press("Enter")
    dialog = page.locator("#details")
    assert dialog.get_attribute("role") == "dialog"
    assert dialog.get_attribute("aria-labelledby") == "details-title"
    assert page.evaluate("document.getElementById('details').contains(document.activeElement)")
    inside = "document.getElementById('details').contains(document.activeElement)"
    reached = set()
    for key in ["Tab"] * 12 + ["Shift+Tab"] * 12:
        page.keyboard.press(key)
        assert page.evaluate(inside), (key, page.evaluate("document.activeElement.outerHTML.slice(0, 120)"))
        reached.add(page.evaluate("document.activeElement.id || document.activeElement.textContent"))
    # The close button and the link to the action, at least, are reached.
    assert {"details-close", "details-link"} <= reached
    page.keyboard.press("Escape")
    assert page.evaluate("document.getElementById('details').hidden")
    assert page.evaluate("document.activeElement.getAttribute('data-action')") == card.get_attribute("data-action")
    tab.assert_clean(url)
    page.close()


RIGHT_TO_LEFT = """blueprint "הזמנת קפה" {
  scenario "בוקר של יום חול."
  tolerance 10min
  actor  guest customer "לקוח"
  person barista frontstage "בריסטה"
  stage s1 "הזמנה" {
    step a "שלב 1: כניסה" {
      evidence "תפריט (מודפס)"
      guest: "שלום, אני רוצה קפה!" takes 30s as hello
      barista: "هل تريد الدفع نقدًا؟ (نعم/لا)" takes 5s as ask
    }
  }
  stage s2 "Pay" {
    step b "Pays" {
      guest: "Pays at the till." as pay
    }
  }
  hello <-> ask : "הזמנה (2 כוסות)."
}
"""

DIRECTION = "s => Array.from(document.querySelectorAll(s), e => getComputedStyle(e).direction)"


def test_hebrew_and_arabic_text_takes_its_own_direction_beside_english(browser):
    from blueprint_dsl import loads

    tab = new_tab(browser)
    result = loads(RIGHT_TO_LEFT)
    assert result.ok, result.diagnostics
    url = tab.open("rtl.html", render(result.blueprint))
    page = tab.page
    # Each text right to left, in the grid and in the text version; the English ones left to right.
    for selector, expected in [
        ("h1", ["rtl"]),
        (".fact-scenario dd", ["rtl"]),
        ("th.stage-header", ["rtl", "ltr"]),
        ("th.step-header", ["rtl", "ltr"]),
        (".cell .evidence", ["rtl"]),
        (".card-text", ["rtl", "ltr", "rtl"]),  # by lane: the guest's two, then the barista's
        ("#action-hello .card-actor bdi", ["rtl"]),
        ("#filter-actor option", ["ltr", "rtl", "rtl"]),
        (".text-action a", ["rtl", "rtl", "ltr"]),
        (".text-version h3 bdi", ["rtl", "ltr"]),
        (".text-flows a", ["rtl", "rtl"]),
    ]:
        assert page.evaluate(DIRECTION, selector) == expected, selector
    page.focus("#action-hello")
    page.keyboard.press("Enter")
    assert page.evaluate(DIRECTION, "#details-title") == ["rtl"]
    tab.assert_clean(url)
    page.close()


def test_a_screen_reader_hears_each_card_by_actor_and_text_and_the_filters_results(browser):
    tab = new_tab(browser)
    blueprint = blueprint_of(COFFEE)
    url = tab.open("coffee.html", render(blueprint))
    page = tab.page
    card = page.locator("#action-place_order")
    # A card: its actor and its text, then how to open it.
    assert card.evaluate("e => e.getAttribute('aria-labelledby').split(' ').map("
                         "i => document.getElementById(i).textContent).join(' ')") == "Guest Orders a flat white"
    page.get_by_role("article", name="Guest Orders a flat white", exact=True).wait_for(timeout=2000)
    description = card.evaluate("e => e.getAttribute('aria-describedby').split(' ').map("
                                "i => document.getElementById(i).textContent).join(' ')")
    assert "Enter" in description and "details" in description
    # A lane's fold button is named by its lane only, no arrow read out.
    page.get_by_role("button", name="Physical evidence", exact=True).wait_for(timeout=2000)
    # Each line of the method named once.
    snapshot = page.locator("tr.line-of-interaction").aria_snapshot()
    assert "Line of interaction Line of interaction" not in snapshot, snapshot
    assert 'cell "Line of interaction"' not in snapshot, snapshot
    # A filter's result is said politely.
    status = page.get_by_role("status")
    assert status.get_attribute("aria-live") == "polite"
    page.select_option("#filter-actor", "barista")
    shown = page.evaluate("document.querySelectorAll('th.step-header:not([hidden])').length")
    total = page.evaluate("document.querySelectorAll('th.step-header').length")
    assert shown < total
    assert status.text_content() == f"{shown} of {total} steps shown"
    tab.assert_clean(url)
    page.close()


def test_a_hebrew_flow_label_ends_in_its_full_stop_on_the_left(browser):
    from blueprint_dsl import loads

    tab = new_tab(browser)
    result = loads(RIGHT_TO_LEFT)
    assert result.ok, result.diagnostics
    url = tab.open("rtl.html", render(result.blueprint))
    stop, left, right = tab.page.evaluate("""() => {
        const label = document.querySelector('#flow-labels text'), box = label.getBBox();
        const stop = label.getExtentOfChar(label.textContent.lastIndexOf('.'));
        return [stop.x, box.x, box.x + box.width]; }""")
    assert stop - left < 1 < right - stop, (stop, left, right)
    tab.assert_clean(url)
    tab.page.close()


LABELLED_FLOWS = """blueprint "Labels" {
  actor  guest customer   "Guest"
  person clerk frontstage "Clerk"
  stage s "S" {
    step a "A" {
      guest: "Asks" as ask
    }
    step b "B" {
      clerk: "Answers" as answer
    }
  }
  ask -> answer : "question"
  answer -> ask : "asks again" loop
}
"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_flow_labels_read_at_wcag_aa_on_their_halo_in_both_colour_schemes(browser, scheme):
    """A flow's label is drawn over the lanes with a halo of the page's colour around its
    letters: its colour, a loop's too, must read on that halo."""
    tab = new_tab(browser, color_scheme=scheme)
    result = loads(LABELLED_FLOWS)
    assert result.ok, result.diagnostics
    url = tab.open("labels.html", render(result.blueprint))
    drawn = tab.page.evaluate("""() => [...document.querySelectorAll('.flow-label')].map(label => {
        const style = getComputedStyle(label);
        return [label.textContent, style.fill, style.stroke, getComputedStyle(document.body).backgroundColor];
    })""")
    assert sorted(text for text, *_ in drawn) == ["question", "↺ asks again"]
    for text, fill, halo, page in drawn:
        assert halo == page, (text, halo, page)
        assert contrast(fill, halo) >= 4.5, (scheme, text, fill, halo)
    tab.assert_clean(url)
    tab.page.close()
