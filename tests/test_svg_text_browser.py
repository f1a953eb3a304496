"""The SVG's text in other scripts than Latin as Chromium draws it, measured where it is
painted: every line inside its box, and centred there, whichever font draws it.

The fonts that draw Chinese, Japanese or emoji differ from machine to machine, and from
what Graphviz measured when it placed the lines (here, where no font has them, the
browser draws a box for each, narrower than Graphviz's): a line placed by its left end
would start off centre.
"""

from __future__ import annotations

import subprocess
import unicodedata

import pytest

from blueprint_dsl import loads
from blueprint_dsl.render import FORMATS, RenderOptions
from blueprint_dsl.render.layout import layout
from blueprint_dsl.render.metrics import text_width
from tests.browser_support import ORIGIN, text_widths

SMALL_SIZE = 8.0  # a flow label's size

BLUEPRINT = """
blueprint "咖啡店の注文 ☕ 🇯🇵 הזמנת קפה طلب" {
  actor   guest   customer   "お客様 👩‍👩‍👧"
  person  barista frontstage "咖啡师 בריסטה"
  system  pos     support    "نظام الدفع"

  stage arrive "到着する 🚶" {
    step enter "入店 🏪" {
      guest:   "店に入ります" takes 30s as join
      barista: "いらっしゃいませ" as greet
    }
  }
  stage order "注文と支払い 💳 الطلب" {
    step order "注文 הזמנה" {
      guest:   "フラットホワイトを注文します" takes 30s as place
      barista: "注文を受けて名前を聞きます" as take
    }
    step pay "付款 دفع" {
      guest:   "刷卡付款👍🏽" takes 10s as tap
      pos:     "يأخذ الدفع ويطبع الإيصال" as charge
    }
  }
  join -> greet : "挨拶 👋"
  place -> take : "注文を伝える 📣"
  take -> charge : "支払いへ 💳 לתשלום"
  tap -> charge : "カード كرت"
}
"""

#: Each line of text of the drawing: its group, the group's outline and where it is painted.
MEASURE = """() => {
    const out = [];
    for (const group of document.querySelectorAll("g[id]")) {
        const outline = [...group.children].find(c => ["path", "polygon", "ellipse"].includes(c.localName));
        const box = outline ? outline.getBBox() : null;
        for (const text of group.querySelectorAll("text")) {
            const painted = text.getBBox();
            out.push({id: group.id, classes: group.getAttribute("class").split(" "), text: text.textContent,
                      left: painted.x, right: painted.x + painted.width,
                      box: box && [box.x, box.x + box.width]});
        }
    }
    return out;
}"""


def drawn_lines(browser, data: bytes) -> list[dict]:
    """The lines of the SVG ``data``, opened in Chromium as a file of its own is."""
    page = browser.new_page()
    try:
        page.route("**/*", lambda route: route.fulfill(status=200, body=data, content_type="image/svg+xml"))
        page.goto(f"{ORIGIN}/drawing.svg")
        return page.evaluate(MEASURE)
    finally:
        page.close()


@pytest.fixture(scope="module")
def drawing(browser):
    blueprint = loads(BLUEPRINT).blueprint
    data = FORMATS["svg"].render(blueprint, RenderOptions())
    return layout(blueprint), drawn_lines(browser, data)


def test_headers_and_card_lines_lie_inside_their_boxes_centred(drawing):
    _, lines = drawing
    boxed = [line for line in lines if {"stage", "step", "action", "evidence"} & set(line["classes"])]
    assert {"stage", "step", "action"} <= {c for line in boxed for c in line["classes"]}
    for line in boxed:
        left, right = line["box"]
        where = (f"{line['text']!r} painted at {line['left']:.1f}..{line['right']:.1f} in {line['id']}, "
                 f"{left:.1f}..{right:.1f}")
        assert left <= line["left"] and line["right"] <= right, where
        if {"stage", "step"} & set(line["classes"]):
            assert abs((line["left"] + line["right"]) / 2 - (left + right) / 2) < 0.5, where


def test_flow_labels_are_centred_where_the_layout_kept_room_for_them(drawing):
    grid, lines = drawing
    # Graphviz draws the layout's x a little to the right, by half of a margin's corner point.
    cards = {line["id"]: line["box"] for line in lines if "action" in line["classes"]}
    card = grid.cards[0]
    shift = sum(cards[card.id]) / 2 - card.box.centre_x
    labels = {edge.id: edge for edge in grid.flows if edge.label and not edge.route.label_on_top}
    assert len(labels) == 4
    for line in lines:
        edge = labels.get(line["id"])
        if edge is None:
            continue
        centre = edge.route.label_at[0] + shift
        half = max(text_width(text, SMALL_SIZE) for text in edge.label) / 2
        where = (f"{line['text']!r} painted at {line['left']:.1f}..{line['right']:.1f}, "
                 f"kept {centre - half:.1f}..{centre + half:.1f}")
        assert centre - half <= line["left"] and line["right"] <= centre + half, where
        assert abs((line["left"] + line["right"]) / 2 - centre) < 0.5, where


# ---- Thai and Devanagari, measured as the fonts made for them draw them ----------------

THAI_AND_DEVANAGARI = """
blueprint "ร้านกาแฟ कॉफ़ी की दुकान" {
  actor   guest   customer   "ลูกค้า"
  person  barista frontstage "बरिस्ता"
  stage order "สั่งกาแฟ" {
    step order "ऑर्डर" {
      guest:   "ลูกค้าสั่งกาแฟลาเต้ร้อน หนึ่งแก้วที่เคาน์เตอร์ แล้วจ่ายเงินด้วยบัตร" as thai
      barista: "ग्राहक काउंटर पर एक गरम कॉफ़ी का ऑर्डर देता है और कार्ड से भुगतान करता है" as hindi
    }
  }
  thai -> hindi : "ส่งคำสั่ง आदेश भेजें"
}
"""
#: The room of a line of an action's text, and what the layout adds to a line's width.
ACTION_ROOM = 150.0 - 14
HINTING = 3.0


def script_fonts(language: str) -> list[str]:
    listed = subprocess.run(["fc-list", f":lang={language}", "family"], capture_output=True, text=True).stdout
    return sorted({line.split(",")[0] for line in listed.splitlines() if line})


def action_text(card: str) -> str:
    """The text of the action ``card`` (``action-ID``) as the blueprint writes it."""
    return next(line.split('"')[1] for line in THAI_AND_DEVANAGARI.splitlines()
                if line.endswith(f" as {card.removeprefix('action-')}"))


def with_next(text: str, line: str) -> str:
    """``line`` of ``text`` and what follows it: the next word, or the next letter with its marks."""
    end = text.index(line) + len(line)
    if text[end:end + 1] == " ":
        return line + " " + text[end + 1:].split(" ")[0]
    following = text[end]
    for character in text[end + 1:]:
        if not unicodedata.category(character).startswith("M"):
            break
        following += character
    return line + following


def test_thai_and_devanagari_lines_fill_their_cards_as_their_fonts_draw_them(browser):
    fonts = {language: script_fonts(language) for language in ("th", "hi")}
    if not all(fonts.values()):
        pytest.skip("no font for Thai or Devanagari (scripts/setup-system.sh --browser installs them)")
    data = FORMATS["svg"].render(loads(THAI_AND_DEVANAGARI).blueprint, RenderOptions())
    lines = drawn_lines(browser, data)
    page = browser.new_page()
    try:
        for card, language in (("action-thai", "th"), ("action-hindi", "hi")):
            drawn = [line for line in lines if line["id"] == card]
            left, right = drawn[0]["box"]
            for line in drawn:
                assert left <= line["left"] and line["right"] <= right, (line, left, right)
            text = [line["text"] for line in drawn[:-1]]  # the last is the actor's name
            assert 1 < len(text) <= 3, text
            # Each line but the last is full: with the next word, or the next letter of a
            # word broken at the edge, it would be wider than the room in one of the fonts.
            longer = [with_next(action_text(card), line) for line in text[:-1]]
            widest = [max(each) for each in zip(*(text_widths(page, family, longer, 10)
                                                  for family in fonts[language]))]
            for candidate, width in zip(longer, widest):
                assert width > ACTION_ROOM - 2 * HINTING, f"{candidate!r} is {width:.1f} wide: it fitted"
    finally:
        page.close()


# ---- emoji, as an emoji font draws them --------------------------------------------------

EMOJI = """
blueprint "Emoji" {
  actor guest customer "Guest"
  stage order "☕☕☕☕☕☕☕☕☕☕☕" {
    step order "✈️✈️✈️✈️✈️✈️✈️✈️✈️" {
      guest: "☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕" as cups
      guest: "✈️©️1️⃣✈️©️1️⃣✈️©️1️⃣✈️©️1️⃣✈️©️1️⃣✈️©️1️⃣✈️©️1️⃣" as signs
      guest: "Pays 💳 gets 🧾 and 👍🏽 leaves 🚶 happy 😀 then 🎉" as mixed
    }
  }
}
"""


def test_emoji_lie_inside_their_boxes_as_an_emoji_font_draws_them(browser):
    """An emoji font draws an emoji a quarter wider than a square (Noto Color Emoji, 1.248 em),
    and draws a sign asked for as an emoji (✈️, ©️, 1️⃣) as wide, not as the sign is."""
    if not script_fonts("und-zsye"):
        pytest.skip("no emoji font (scripts/setup-system.sh --browser installs Noto Color Emoji)")
    lines = drawn_lines(browser, FORMATS["svg"].render(loads(EMOJI).blueprint, RenderOptions()))
    boxed = [line for line in lines if {"stage", "step", "action"} & set(line["classes"])]
    assert {line["id"] for line in boxed} >= {"action-cups", "action-signs", "action-mixed"}
    for line in boxed:
        left, right = line["box"]
        assert left <= line["left"] and line["right"] <= right, (line, left, right)
