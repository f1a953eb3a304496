"""The widths the layout gives text, checked against the renderers that draw it.

Chromium measures the fonts as browsers draw the SVG (Arial's metrics, in Liberation Sans
here, and DejaVu Sans, the fallback where no such font is installed); Graphviz measures
the lines as it places them and draws PNG and PDF. The text of the project's own
blueprints is the corpus: what users write looks like it.
"""

from __future__ import annotations

import json
import re
import subprocess
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from blueprint_dsl.render._glyph_widths import BLOCKS
from blueprint_dsl.render.dot_markup import markup
from blueprint_dsl.render.metrics import text_width, wrap
from tests.browser_support import ROOT, glyph_widths

MEASURED = [chr(code) for first, last in BLOCKS for code in range(first, last + 1)]
#: Blocks of scripts that neither Arial's font nor DejaVu Sans draws, by the language
#: fontconfig knows their fonts by: they are measured in each font installed for them.
SCRIPTS = {"th": (0xE00, 0xE7F), "hi": (0x900, 0x97F)}
IN_SCRIPTS = {chr(code) for first, last in SCRIPTS.values() for code in range(first, last + 1)}
#: The sizes and weights the drawing sets text in.
STYLES = [(10.0, False), (9.0, False), (8.0, False), (11.0, True), (9.0, True), (18.0, True)]
#: Signs and letters beyond Latin that blueprints use, a line of each.
SIGNS = ["Waits… — then ‘pays’ “in full”", "™ ½ ‰ € → ← ↔ § ¶",
         "ЩШЮЖ щшюж", "ΔΩΣ αβγω", "ÆŒ æœ ß ðþ"]


def _quoted_texts() -> list[str]:
    """Every quoted text of the project's blueprints whose glyphs were measured, and SIGNS."""
    texts = set(SIGNS)
    measured = set(MEASURED)
    for path in sorted(ROOT.glob("*/**/*.svc")):
        for text in re.findall(r'"([^"\\\n]{2,80})"', path.read_text(encoding="utf-8", errors="replace")):
            if set(text) <= measured:
                texts.add(text)
    return sorted(texts)


@pytest.mark.parametrize("family", ["Arial", "DejaVu Sans"])
@pytest.mark.parametrize("bold", [False, True], ids=["regular", "bold"])
def test_every_measured_glyph_takes_at_least_its_width_in_the_fonts_that_draw_it(browser, family, bold):
    characters = [character for character in MEASURED if character not in IN_SCRIPTS]
    assert_room(browser, family, bold, characters)


def assert_room(browser, family: str, bold: bool, characters: list[str]) -> None:
    page = browser.new_page()
    measured = glyph_widths(page, family, bold, characters)
    page.close()
    # A line of one glyph at 1,000 points is as wide as the glyph, in thousandths.
    ours = [text_width(character, 1000.0, bold) - text_width("", 1000.0, bold) for character in characters]
    short = [(character, width, mine) for character, width, mine in zip(characters, measured, ours)
             if mine < width - 1]
    assert short == [], f"glyphs given less room than {family} draws them in: run `make glyphs`"


@pytest.mark.parametrize("language", SCRIPTS)
@pytest.mark.parametrize("bold", [False, True], ids=["regular", "bold"])
def test_thai_and_devanagari_take_at_least_their_width_in_every_font_installed_for_them(browser, language, bold):
    listed = subprocess.run(["fc-list", f":lang={language}", "family"], capture_output=True, text=True).stdout
    families = sorted({line.split(",")[0] for line in listed.splitlines() if line})
    if not families:
        pytest.skip(f"no font for :lang={language} (scripts/setup-system.sh --browser installs one)")
    first, last = SCRIPTS[language]
    characters = [chr(code) for code in range(first, last + 1) if unicodedata.category(chr(code)) != "Cn"]
    for family in families:
        assert_room(browser, family, bold, characters)


def test_thai_and_devanagari_letters_take_their_width_and_their_marks_above_and_below_none():
    assert text_width("\u0e01\u0e34\u0e48", 10) == text_width("\u0e01", 10)  # ko kai with sara i and mai ek
    assert text_width("\u0915\u0941", 10) == text_width("\u0915", 10)  # ka with the vowel sign u below
    assert text_width("\u0915\u093f", 10) > text_width("\u0915", 10)  # and with the vowel sign i beside it
    for letter in ("\u0e01", "\u0915"):  # narrower than a square, wider than a Latin i
        assert text_width("i", 10) < text_width(letter, 10) < text_width("\u65e5", 10)


def test_a_devanagari_vowel_sign_and_a_conjunct_stay_whole_when_a_word_breaks():
    word = "\u0915\u094d\u0937\u093f" * 12  # kshi: ka, virama, ssa and the vowel sign i beside them
    lines = wrap(word, 40, 10)
    assert len(lines) > 1 and "".join(lines) == word
    assert all(line.startswith("\u0915") and line.endswith("\u093f") for line in lines), lines


@pytest.mark.parametrize("family", ["Arial", "DejaVu Sans"])
def test_graphviz_draws_the_projects_text_within_the_room_it_is_given(family):
    texts = _quoted_texts()
    assert len(texts) > 400, "the corpus is missing"
    cases = [(text, size, bold) for text in texts for size, bold in STYLES]
    nodes = "\n".join(
        f'n{number} [fontsize="{size:g}", label=<{f"<B>{markup(text)}</B>" if bold else markup(text)}>];'
        for number, (text, size, bold) in enumerate(cases))
    source = f'digraph {{ node [shape=plaintext, fontname="{family}"];\n{nodes}\n}}'
    run = subprocess.run(["dot", "-Tjson"], input=source.encode(), capture_output=True, timeout=120, check=True)
    wider = []
    for drawn in json.loads(run.stdout)["objects"]:
        text, size, bold = cases[int(drawn["name"][1:])]
        (width,) = [op["width"] for op in drawn["_ldraw_"] if op["op"] == "T"]
        if width > text_width(text, size, bold):
            wider.append((text, size, bold, width, round(text_width(text, size, bold), 2)))
    assert wider == [], f"{len(wider)} of {len(cases)} lines drawn wider than their room, such as {wider[:5]}"


def test_capitals_take_more_room_than_small_letters():
    assert text_width("WWWW", 10) - text_width("", 10) > (text_width("iiii", 10) - text_width("", 10)) * 3
    assert len(wrap("MMMM " * 10, 100, 10)) > len(wrap("nnnn " * 10, 100, 10))


def test_bold_takes_more_room_than_regular():
    assert text_width("Support processes", 11, bold=True) > text_width("Support processes", 11)


def test_text_without_spaces_in_a_wide_script_wraps_at_the_edge():
    text = "日本語のテキストは長い文章です" * 2  # 30 ideographs and kana, a square each
    lines = wrap(text, 100, 10)
    assert "".join(lines) == text
    assert [len(line) for line in lines] == [9, 9, 9, 3]


def test_marks_joiners_and_controls_take_next_to_no_room():
    assert text_width("e\u0301\u200d\u202e\x07", 10) - text_width("e", 10) < 0.5


def test_an_accented_letter_is_as_wide_as_its_letter():
    assert text_width("\u00c9t\u00e9", 10) == text_width("Ete", 10)


def test_an_indent_too_wide_for_the_next_word_makes_no_empty_line():
    assert wrap("\tReimbursements-office handles it", 136, 10) == ("Reimbursements-office", "handles it")


def test_flags_and_joined_emoji_are_not_broken_apart():
    flags = "\U0001f1ec\U0001f1e7\U0001f1eb\U0001f1f7" * 9  # GB FR, nine times
    assert set(wrap(flags, 60, 10)) == {"\U0001f1ec\U0001f1e7\U0001f1eb\U0001f1f7"}
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert set(wrap(family * 6, 40, 10)) == {family}


def test_an_emoji_takes_the_room_an_emoji_font_draws_it_in():
    # An ideograph a square; an emoji, and a sign asked for as one, a quarter more.
    square, emoji = text_width("中", 10), text_width("☕", 10)
    assert emoji - square == pytest.approx(2.5)
    assert text_width("✈\ufe0f", 10) == text_width("1\ufe0f\u20e3", 10) == text_width("\U0001f600", 10) == emoji
    assert text_width("☕\ufe0f", 10) == emoji  # an emoji already: not counted twice
    assert text_width("✈", 10) < emoji  # drawn as the sign, in the text's font
    # Wide punctuation among the emoji's blocks, the angle brackets 〈 〉, is no emoji: a square.
    assert text_width("\u2329", 10) == text_width("\u232a", 10) == square
    assert text_width("\U0001fae8", 10) == emoji  # shaking face, newer than some Pythons' tables


def test_a_mark_stays_on_its_letter_when_a_word_breaks():
    lines = wrap("e\u0301" * 40, 40, 10)
    assert all(not line.startswith("\u0301") for line in lines)
    assert "".join(lines) == "e\u0301" * 40


def test_spaces_are_kept_between_words_and_as_an_indent_but_never_end_a_line():
    assert wrap("  two  spaces", 500, 10) == ("  two  spaces",)
    assert wrap("one two three four", 60, 10) == ("one two", "three four")
    assert all(not line.endswith(" ") for line in wrap("word " * 30, 80, 10))


def test_a_no_break_space_holds_its_words_together():
    assert wrap("10\u00a0min wait for the courier", 40, 10)[0] == "10\u00a0min"


def test_line_breaks_are_kept_and_trailing_empty_lines_dropped():
    assert wrap("one\n\ntwo\n\n", 500, 10) == ("one", "", "two")
    assert wrap("", 500, 10) == ("",)


WORDS = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters="\n"), max_size=12)
BREAKS = re.compile(r"[\t\n\x0b\x0c\r ]")


@given(st.lists(WORDS, max_size=20), st.floats(30, 400), st.sampled_from(STYLES))
def test_every_line_fits_and_only_spaces_change_where_lines_break(words, width, style):
    size, bold = style
    text = " ".join(words)
    lines = wrap(text, width, size, bold)
    for line in lines:
        assert text_width(line, size, bold) <= width, (line, width)
        assert line.strip(" ") or not BREAKS.sub("", text), f"an empty line in {lines}"
    assert BREAKS.sub("", "".join(lines)) == BREAKS.sub("", text)
