"""Write blueprint_dsl/render/_glyph_widths.py: how wide the drawing's fonts draw each glyph.

The drawing names Arial; where no Arial-like font is installed, DejaVu Sans draws it.
Each glyph of the blocks below is measured in both, regular and bold, by the headless
Chromium the tests use, and the module keeps the wider of the two, in thousandths of
the font size. A glyph neither font has is measured in the font the browser falls back
to. ``tests/test_metrics.py`` measures again and fails when a glyph takes more room
than the module gives it.

Run by ``make glyphs``.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser_support import glyph_widths, start_browser  # noqa: E402

#: The blocks measured: ASCII, Latin-1 and the Latin extensions, Greek, Cyrillic, Hebrew,
#: Arabic, general punctuation, currency signs, letterlike signs and number forms, arrows.
BLOCKS = ((0x20, 0x7E), (0xA0, 0x24F), (0x370, 0x3FF), (0x400, 0x4FF), (0x590, 0x5FF),
          (0x600, 0x6FF), (0x2000, 0x206F),
          (0x20A0, 0x20C0), (0x2100, 0x218B), (0x2190, 0x21FF))
FAMILIES = ("Arial", "DejaVu Sans")
TARGET = ROOT / "blueprint_dsl" / "render" / "_glyph_widths.py"


def widest(page, bold: bool, characters: list[str]) -> list[int]:
    measured = [glyph_widths(page, family, bold, characters) for family in FAMILIES]
    return [round(max(widths)) for widths in zip(*measured)]


def module_text(widths: dict[bool, list[int]]) -> str:
    out = [
        '"""Widths of glyphs in thousandths of the font size: the wider of Arial and DejaVu Sans.',
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


def main() -> int:
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
