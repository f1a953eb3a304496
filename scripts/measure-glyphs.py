"""Write blueprint_dsl/render/_glyph_widths.py: how wide the drawing's fonts draw each glyph.

The drawing names Arial; where no Arial-like font is installed, DejaVu Sans draws it.
Each glyph of the blocks below is measured in both, regular and bold, by the headless
Chromium the tests use, and the module keeps the wider of the two, in thousandths of
the font size. A glyph neither font has is measured in the font the browser falls back
to; Thai and Devanagari, which neither has, in the fonts that draw them on most systems
(SCRIPT_FAMILIES), the widest of them, which must be installed. A mark of these scripts
is measured as the room it adds to a letter (``tests/browser_support.py``): a vowel sign
above or below takes none. ``tests/test_metrics.py`` measures again and fails when a
glyph takes more room than the module gives it.

Run by ``make glyphs``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser_support import glyph_widths, start_browser  # noqa: E402

#: The blocks measured: ASCII, Latin-1 and the Latin extensions, Greek, Cyrillic, Hebrew,
#: Arabic, Devanagari, Thai, general punctuation, currency signs, letterlike signs and
#: number forms, arrows.
BLOCKS = ((0x20, 0x7E), (0xA0, 0x24F), (0x370, 0x3FF), (0x400, 0x4FF), (0x590, 0x5FF),
          (0x600, 0x6FF), (0x900, 0x97F), (0xE00, 0xE7F), (0x2000, 0x206F),
          (0x20A0, 0x20C0), (0x2100, 0x218B), (0x2190, 0x21FF))
FAMILIES = ("Arial", "DejaVu Sans")
#: The fonts of the scripts neither family has, by block: Noto (Android, ChromeOS, most Linux
#: desktops) and the older Linux defaults, in Debian's fonts-noto-core, fonts-tlwg-loma-ttf and
#: fonts-lohit-deva. Only the script's own glyphs are measured in them: they draw Latin too.
SCRIPT_FAMILIES = {(0x900, 0x97F): ("Noto Sans Devanagari", "Lohit Devanagari"),
                   (0xE00, 0xE7F): ("Noto Sans Thai", "Loma")}
TARGET = ROOT / "blueprint_dsl" / "render" / "_glyph_widths.py"


def widest(page, bold: bool, characters: list[str]) -> list[int]:
    measured = [glyph_widths(page, family, bold, characters) for family in FAMILIES]
    widths = [max(each) for each in zip(*measured)]
    for (first, last), families in SCRIPT_FAMILIES.items():
        script = [index for index, character in enumerate(characters) if first <= ord(character) <= last]
        for family in families:
            for index, width in zip(script, glyph_widths(page, family, bold, [characters[i] for i in script])):
                widths[index] = max(widths[index], width)
    return [round(width) for width in widths]


def module_text(widths: dict[bool, list[int]]) -> str:
    out = [
        '"""Widths of glyphs in thousandths of the font size: the wider of Arial and DejaVu Sans,',
        "and for Thai and Devanagari the widest of the fonts that draw them.",
        "",
        "Written by scripts/measure-glyphs.py (``make glyphs``); do not edit.",
        '"""',
        "",
        "BLOCKS = (",
        *(f"    {block!r}," for block in BLOCKS),
        ")",
    ]
    for name, bold in (("REGULAR", False), ("BOLD", True)):
        out.append(f"{name} = (")
        for start in range(0, len(widths[bold]), 16):
            out.append("    " + ", ".join(str(w) for w in widths[bold][start:start + 16]) + ",")
        out.append(")")
    return "\n".join(out) + "\n"


def missing_families() -> list[str]:
    """The SCRIPT_FAMILIES fontconfig does not find: measured in them, the browser would fall back."""
    families = [family for each in SCRIPT_FAMILIES.values() for family in each]
    found = [subprocess.run(["fc-match", "-f", "%{family}", family], capture_output=True, text=True).stdout
             for family in families]
    return [family for family, match in zip(families, found) if family not in match.split(",")]


def main() -> int:
    missing = missing_families()
    if missing:
        print(f"measure-glyphs: {', '.join(missing)} not installed (Debian: apt-get install fonts-noto-core "
              "fonts-tlwg-loma-ttf fonts-lohit-deva)", file=sys.stderr)
        return 1
    characters = [chr(code) for first, last in BLOCKS for code in range(first, last + 1)]
    playwright, browser = start_browser()
    try:
        page = browser.new_page()
        widths = {bold: widest(page, bold, characters) for bold in (False, True)}
    finally:
        browser.close()
        playwright.stop()
    TARGET.write_text(module_text(widths), encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}: {len(characters)} glyphs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
