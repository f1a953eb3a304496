"""Headless Chromium for the HTML page tests: one browser per test module.

Debian's /usr/bin/chromium, driven by Playwright (never ``playwright install``). A page
is served from memory at a fake address, through a route that also records every
request the page makes: the page itself must be the only one.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser, Page, Playwright, sync_playwright

CHROMIUM = os.environ.get("BLUEPRINT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ORIGIN = "http://blueprint.test"
ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "build" / "screenshots"


def start_browser() -> tuple[Playwright, Browser]:
    playwright = sync_playwright().start()
    # Playwright gives every launch a fresh, empty user data dir of its own.
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
    return playwright, browser


@dataclass
class Tab:
    """A page of the browser that remembers requests, console errors and script errors."""

    page: Page
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    pages: dict[str, bytes] = field(default_factory=dict)

    def open(self, name: str, html: bytes, fragment: str = "") -> str:
        """Serves ``html`` as ``name`` and opens it; returns the address."""
        url = f"{ORIGIN}/{name}"
        self.pages[url] = html
        self.page.goto(url + fragment)
        self.page.wait_for_selector("html[data-ready=true]", state="attached", timeout=60_000)
        return url

    def _route(self, route) -> None:
        url = route.request.url.split("#")[0]
        if url in self.pages:
            route.fulfill(status=200, body=self.pages[url], content_type="text/html; charset=utf-8")
        else:
            route.abort()

    def assert_clean(self, url: str | None = None) -> None:
        """No error, and no request but for the page at ``url`` (by default, the pages the tab opened)."""
        assert self.errors == [], f"console or script errors: {self.errors}"
        allowed = {url} if url is not None else set(self.pages)
        assert set(self.requests) <= allowed, f"requests other than the page: {sorted(set(self.requests) - allowed)}"


def new_tab(browser: Browser, **context) -> Tab:
    return watched(browser.new_page(viewport={"width": 1600, "height": 1000}, **context))


def watched(page: Page) -> Tab:
    """``page`` as a tab that serves its pages and remembers its requests and errors."""
    tab = Tab(page)
    page.on("request", lambda request: tab.requests.append(request.url.split("#")[0]))
    page.on("console", lambda message: tab.errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: tab.errors.append(str(error)))
    page.route("**/*", tab._route)
    return tab


MEASURE_GLYPHS = """([family, bold, texts]) => {
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    document.body.appendChild(svg);
    const measure = content => {
        const text = document.createElementNS("http://www.w3.org/2000/svg", "text");
        text.setAttribute("font-family", family);
        text.setAttribute("font-size", "1000");
        text.setAttribute("font-weight", bold ? "bold" : "normal");
        text.setAttribute("style", "white-space: pre");
        text.textContent = content;
        svg.appendChild(text);
        const width = text.getComputedTextLength();
        text.remove();
        return width;
    };
    const widths = texts.map(([letter, character]) => measure(letter + character) - (letter ? measure(letter) : 0));
    svg.remove();
    return widths;
}"""

#: The letter a mark of these scripts is measured on: alone, the browser draws a Devanagari
#: mark on a dotted circle, as wide as a letter, which it never is in a word.
MARK_BASES = {"DEVANAGARI": "\u0915", "THAI": "\u0e01"}


def glyph_widths(page: Page, family: str, bold: bool, characters: list[str]) -> list[float]:
    """How wide Chromium draws each character at 1,000 points: its width in thousandths of
    the font size, in ``family`` (or the font it falls back to). A character is measured
    alone, and a mark of a script of MARK_BASES as the room it adds to a letter."""
    return page.evaluate(MEASURE_GLYPHS, [family, bold, [[_base(character), character] for character in characters]])


def text_widths(page: Page, family: str, texts: list[str], size: float) -> list[float]:
    """How wide Chromium draws each of ``texts`` at ``size`` points in ``family``, measured
    as ``glyph_widths`` measures a character."""
    widths = page.evaluate(MEASURE_GLYPHS, [family, False, [["", text] for text in texts]])
    return [width * size / 1000 for width in widths]


def _base(character: str) -> str:
    if not unicodedata.category(character).startswith("M"):
        return ""
    return MARK_BASES.get(unicodedata.name(character, "").split(" ")[0], "")
