"""Text in other scripts than Latin, as a browser draws it from the SVG: Chinese, Japanese
and emoji inside their cards whichever font draws them, and Hebrew and Arabic read in
their own direction.
"""

from __future__ import annotations

import unicodedata

from blueprint_dsl import loads
from blueprint_dsl.render import FORMATS, RenderOptions
from blueprint_dsl.render.metrics import text_width
from tests.render_geometry import SVG, page_shift, read_svg


def svg_of(text: str) -> bytes:
    result = loads(text)
    assert result.ok, [str(d) for d in result.diagnostics]
    return FORMATS["svg"].render(result.blueprint, RenderOptions())


def extent(line, dx: float) -> tuple[float, float]:
    """Where a line of the SVG reaches across, its wide glyphs drawn a full em wide (as a
    font with Chinese, Japanese and emoji draws them), whatever Graphviz measured."""
    size = float(line.get("font-size"))
    text = "".join(line.itertext())
    width = text_width(text, size, bold=line.get("font-weight") == "bold")
    assert width >= size * sum(unicodedata.east_asian_width(c) in "WF" for c in text)
    x = float(line.get("x")) + dx
    anchor = line.get("text-anchor", "start")
    start = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    return start, start + width


# A long line of Japanese, with no space to break it at.
JAPANESE = "フラットホワイトを注文し、名前を伝えます。" "長い日本語の文章は空白なしで続きますので折り返しが必要です。"


def test_chinese_japanese_and_emoji_lines_lie_inside_their_cards():
    data = svg_of("""
        blueprint "Café" {
          actor guest customer "客"
          stage s "注文" {
            step order "注文する" {
              evidence "菜单板 📋"
              guest: "JAPANESE" takes 30s as place
            }
            step pay "付款" {
              guest: "刷卡付款👍🏽👨‍👩‍👧‍👦🇯🇵" takes 10s as tap
            }
          }
        }
    """.replace("JAPANESE", JAPANESE))
    root, elements = read_svg(data)
    dx, _ = page_shift(root)
    cards = [e for e in elements.values() if {"action", "evidence"} & set(e.classes)]
    assert {"action-place", "action-tap"} <= {e.id for e in cards}
    for card in cards:
        for line in card.node.iter(f"{SVG}text"):
            left, right = extent(line, dx)
            assert card.rect.left <= left and right <= card.rect.right, (
                f"{''.join(line.itertext())!r} spans {left:.1f}..{right:.1f} in {card.id}, "
                f"{card.rect.left:.1f}..{card.rect.right:.1f}")


def footer_of(data: bytes, card: str) -> str:
    _, elements = read_svg(data)
    return "".join(list(elements[card].node.iter(f"{SVG}text"))[-1].itertext())


def test_a_right_to_left_actor_name_keeps_the_duration_after_it():
    # Unisolated, a browser draws "לקוח · 30s" left to right as "30 · לקוחs": the 30 joins
    # the Hebrew run. Isolated (FSI ... PDI), the name is one neutral piece of the line.
    data = svg_of("""
        blueprint "הזמנת קפה" {
          actor guest customer "לקוח"
          person barista frontstage "Barista"
          stage s "הזמנה" {
            step a "כניסה" {
              guest: "שלום" takes 30s as hello
              barista: "هل تريد الدفع نقدًا؟" takes 5s as ask
            }
          }
        }
    """)
    assert footer_of(data, "action-hello") == "\u2068לקוח\u2069 \u00b7 30s"
    assert footer_of(data, "action-ask") == "Barista \u00b7 5s"  # a left-to-right name needs nothing


def test_hebrew_and_arabic_wrap_where_their_narrow_letters_reach_the_edge():
    # Measured a square a letter, as an ideograph is, the sentence took 5 lines of a card
    # and the label split, a bracket on each line.
    data = svg_of("""
        blueprint "زيارة المقهى" {
          actor guest customer "ضيف"
          person barista frontstage "בריסטה"
          stage arrive "الوصول" {
            step enter "دخول المحل" {
              guest: "يدخل المحل وينضم إلى الطابور الطويل في الصباح" as join
              barista: "מקבל את ההזמנה" as take
            }
          }
          join <-> take : "הזמנה (2 כוסות)."
        }
    """)
    _, elements = read_svg(data)
    lines = ["".join(t.itertext()) for t in elements["action-join"].node.iter(f"{SVG}text")][:-1]
    assert len(lines) <= 3, lines
    label = ["".join(t.itertext()) for t in elements["flow-1"].node.iter(f"{SVG}text")]
    assert label == ["הזמנה (2 כוסות)."]


def test_thai_and_devanagari_wrap_where_their_letters_reach_the_edge_and_keep_words_whole():
    # Measured a square a letter, the Thai sentence took 4 lines, broken inside its words
    # (a leading vowel at the end of a line, its consonant on the next), the Hindi one 3.
    thai = "ลูกค้าสั่งกาแฟลาเต้ร้อน หนึ่งแก้วที่เคาน์เตอร์ แล้วจ่ายเงินด้วยบัตร"
    hindi = "ग्राहक काउंटर पर एक गरम कॉफ़ी का ऑर्डर देता है"
    data = svg_of(f"""
        blueprint "ร้านกาแฟ" {{
          actor guest customer "ลูกค้า"
          person barista frontstage "बरिस्ता"
          stage s "สั่งกาแฟ" {{
            step order "ऑर्डर" {{
              guest: "{thai}" as thai
              barista: "{hindi}" as hindi
            }}
          }}
        }}
    """)
    _, elements = read_svg(data)
    for card, text in (("action-thai", thai), ("action-hindi", hindi)):
        lines = ["".join(t.itertext()) for t in elements[card].node.iter(f"{SVG}text")][:-1]
        words = text.split(" ")
        assert len(lines) == {"action-thai": 3, "action-hindi": 2}[card], lines
        assert all(set(line.split(" ")) <= set(words) for line in lines), f"a word broken in {lines}"
