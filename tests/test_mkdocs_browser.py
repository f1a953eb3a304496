"""Sites the MkDocs plugin builds, with the Material theme, opened in headless Chromium
at a laptop's width: what a reader sees of a blueprint of a usual size."""

from __future__ import annotations

import mimetypes
import time
from pathlib import Path

import pytest

from tests.browser_support import ORIGIN
from tests.test_mkdocs import build

GROCERY = Path(__file__).parents[1] / "examples" / "grocery.svc"  # 10 steps, some 2,000 points wide
VIEWPORT = {"width": 1280, "height": 900}
READABLE = 9  # CSS px: the smallest text a reader reads without zooming in


def grocery_site(root: Path, output_format: str, *, page: str = "index.md", theme: str = "") -> Path:
    """A site whose ``page`` shows the grocery blueprint; any other home page links to it."""
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "grocery.svc").write_text(GROCERY.read_text(encoding="utf-8"), encoding="utf-8")
    (root / "docs" / page).write_text("# Grocery delivery\n\nHow an order reaches a kitchen.\n\n"
                                      "![Grocery delivery](grocery.svc)\n\nText after the diagram.\n")
    if page != "index.md":
        (root / "docs" / "index.md").write_text(f"# Home\n\nSee [the grocery delivery]({page}).\n")
    # No web fonts: the site asks no host but its own for anything.
    (root / "mkdocs.yml").write_text(f"site_name: Blueprints\nsite_url: {ORIGIN}/\ntheme:\n  name: material\n"
                                     f"  font: false\n{theme}plugins:\n  - blueprint:\n      format: {output_format}\n")
    run = build(root, "--strict")
    assert run.returncode == 0, run.stderr
    return root / "site"


@pytest.fixture
def opened(browser):
    """Opens a built site's index page; checks, once the test is done, that it asked no other host for anything."""
    requests: list[str] = []
    errors: list[str] = []
    page = browser.new_page(viewport=VIEWPORT)
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))

    def open_site(site: Path):
        def serve(route) -> None:
            path = site / route.request.url.removeprefix(ORIGIN).split("?")[0].split("#")[0].lstrip("/")
            path = path / "index.html" if path.is_dir() else path
            if not route.request.url.startswith(ORIGIN + "/") or not path.is_file():
                route.abort()
                return
            route.fulfill(status=200, body=path.read_bytes(),
                          content_type=mimetypes.guess_type(path.name)[0] or "application/octet-stream")

        page.route("**/*", serve)
        page.goto(f"{ORIGIN}/")
        page.wait_for_load_state("load")
        return page

    yield open_site
    page.close()
    assert errors == []
    assert [url for url in requests if not url.startswith(ORIGIN + "/")] == []


CARD_TEXT_SIZES = """() => Array.from(document.querySelectorAll("div.blueprint g.node.action text")).map(text =>
    parseFloat(text.getAttribute("font-size")) * text.getScreenCTM().a)"""


def test_a_wide_svg_diagram_keeps_its_card_text_readable_and_scrolls_sideways(tmp_path: Path, opened):
    page = opened(grocery_site(tmp_path, "svg"))
    sizes = page.evaluate(CARD_TEXT_SIZES)
    assert len(sizes) > 20
    assert min(sizes) >= READABLE, f"the cards' text is {min(sizes):.1f} px high"
    # The diagram scrolls in its own box; the page itself does not get wider than the window.
    box = page.evaluate("""() => { const box = document.querySelector("div.blueprint");
        return [box.scrollWidth, box.clientWidth, document.documentElement.scrollWidth, window.innerWidth]; }""")
    assert box[0] > box[1] and box[2] <= box[3], box
    assert page.evaluate("() => getComputedStyle(document.querySelector('div.blueprint')).overflowX") == "auto"


def frame_sized(page, frame, timeout: float = 10) -> tuple[float, float]:
    """The frame's height, and that of the page in it, once they agree (or the time is up)."""
    heights = (0.0, -1.0)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        heights = frame.evaluate("() => [window.innerHeight, document.documentElement.getBoundingClientRect().height]")
        if abs(heights[0] - heights[1]) <= 1:
            break
        page.wait_for_timeout(100)
    return heights


def test_a_frame_takes_the_height_of_its_page_and_shows_the_whole_grid(tmp_path: Path, opened):
    page = opened(grocery_site(tmp_path, "html"))
    frame = page.frames[1]
    frame.wait_for_selector("html[data-ready=true]", state="attached", timeout=60_000)
    inner, content = frame_sized(page, frame)
    assert abs(inner - content) <= 1, f"the frame is {inner} px high, its page {content} px"
    grid = frame.evaluate("() => document.getElementById('grid').getBoundingClientRect().toJSON()")
    assert grid["height"] > 300 and grid["bottom"] <= inner, (grid, inner)
    assert frame.evaluate("() => document.documentElement.scrollHeight <= window.innerHeight + 1")
    # An action's details open beside it, in the window, not at the top of the tall frame.
    card = frame.locator("#row-frontstage .card").nth(2)
    card.scroll_into_view_if_needed()
    card.click()
    panel = frame.evaluate("() => document.getElementById('details').getBoundingClientRect().toJSON()")
    frame_top = page.evaluate("() => document.querySelector('iframe.blueprint').getBoundingClientRect().top")
    assert 0 <= frame_top + panel["top"] and frame_top + panel["top"] + 100 <= VIEWPORT["height"], (frame_top, panel)
    frame.press("#details", "Escape")
    # Folding a lane makes the page shorter, and the frame follows.
    frame.click("#row-support .fold")
    folded, content = frame_sized(page, frame)
    assert folded < inner and abs(folded - content) <= 1


def test_a_frame_that_materials_instant_navigation_brings_takes_the_height_of_its_page(tmp_path: Path, opened):
    """navigation.instant swaps a page's content in from a page without a frame, and runs
    only the scripts in that content: the one that sizes frames must be among them."""
    page = opened(grocery_site(tmp_path, "html", page="delivery.md",
                               theme="  features:\n    - navigation.instant\n"))
    page.evaluate("() => { window.loadedOnce = true; }")
    page.click("text=the grocery delivery")
    page.wait_for_selector("iframe.blueprint")
    assert page.evaluate("() => window.loadedOnce === true")  # the content was swapped in, no page loaded anew
    frame = page.frames[1]
    frame.wait_for_selector("html[data-ready=true]", state="attached", timeout=60_000)
    inner, content = frame_sized(page, frame)
    assert abs(inner - content) <= 1, f"the frame is {inner} px high, its page {content} px"
