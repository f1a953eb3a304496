"""The paper the HTML page prints on, chosen beside its filters: the PDF Chromium prints
(``page.pdf``, with the paper's format and the page's own @page size preferred) is of that
paper, and the sheets of a long blueprint are laid out for it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from blueprint_dsl import loads
from blueprint_dsl.render import FORMATS, RenderOptions
from tests.browser_support import ROOT, SCREENSHOTS, new_tab, watched
from tests.render_geometry import generated_blueprint
from tests.test_html_browser import render
from tests.test_html_print import NOTE_PRINT, SMALLEST_TEXT

#: mm: the margin of the page's @page on every side.
MARGIN = 8
#: px: the lane titles' width on paper (5.5rem).
TITLES = 88
#: px: the narrowest a step's column is printed; a sheet holds as many as its paper has room for.
STEP = 120


@dataclass(frozen=True)
class Paper:
    """A paper of the page's control, landscape, and Playwright's name for its format."""

    format: str
    width: float  # mm
    height: float

    def points(self) -> tuple[float, float]:
        return self.width * 72 / 25.4, self.height * 72 / 25.4

    def inside(self) -> tuple[int, int]:
        """px: the page inside its margins, across and down."""
        return int((self.width - 2 * MARGIN) * 96 / 25.4), int((self.height - 2 * MARGIN) * 96 / 25.4)

    def column(self) -> float:
        """px: how wide a full sheet's steps are printed."""
        room = self.inside()[0] - TITLES
        return room / (room // STEP)


PAPERS = {
    "a4": Paper("A4", 297, 210),
    "a3": Paper("A3", 420, 297),
    "letter": Paper("Letter", 279.4, 215.9),
    "tabloid": Paper("Tabloid", 431.8, 279.4),
}

#: The PDF's pages, each its size in points.
MEDIA_BOX = re.compile(rb"/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]")


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    return [(float(x1) - float(x0), float(y1) - float(y0)) for x0, y0, x1, y1 in MEDIA_BOX.findall(pdf)]


def choose(tab, paper: str) -> None:
    tab.page.get_by_label("Paper").select_option(paper, timeout=5_000)


def print_on(tab, name: str, text: str, paper: str | None, pdf_format: str | None = None) -> tuple[dict, bytes]:
    """Opens a blueprint in a wide window, chooses ``paper`` (None: leaves the page's own, A4)
    and prints it to a PDF in the format of that paper (or ``pdf_format``), landscape: what
    print media laid out, and the PDF."""
    result = loads(text)
    assert result.ok, result.diagnostics
    tab.open(name, render(result.blueprint))
    if paper:
        choose(tab, paper)
    tab.page.evaluate(NOTE_PRINT)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pdf = tab.page.pdf(path=str(SCREENSHOTS / f"{Path(name).stem}.pdf"), landscape=True,
                       format=pdf_format or PAPERS[paper or "a4"].format, prefer_css_page_size=True)
    (printed,) = tab.page.evaluate("window.printed")
    tab.assert_clean()
    return printed, pdf


@pytest.mark.parametrize("paper", sorted(PAPERS))
def test_the_page_prints_on_the_paper_chosen(tab, paper):
    """Whatever the reader chose, the page asked for A4 landscape: it asks for the paper
    chosen, whether the printer's format is that paper or another."""
    text = (ROOT / "examples" / "coffee.svc").read_text(encoding="utf-8")
    width, height = PAPERS[paper].points()
    for pdf_format in (PAPERS[paper].format, "A5"):
        printed, pdf = print_on(tab, f"coffee-{paper}.html", text, paper, pdf_format)
        sizes = page_sizes(pdf)
        assert sizes and all(abs(w - width) < 1 and abs(h - height) < 1 for w, h in sizes), (pdf_format, sizes)
        # Laid out as wide as the paper inside its margins.
        assert abs(printed["width"] - PAPERS[paper].inside()[0]) <= 1


@pytest.mark.parametrize("small, large", [("a4", "a3"), ("letter", "tabloid")])
def test_a_long_blueprint_prints_on_fewer_sheets_of_a_larger_paper(tab, small, large):
    """A3 held the sheets A4 did, at A4's size: its sheets hold more steps, fewer of them
    print the same blueprint, and each fits its page."""
    text = generated_blueprint(40, seed=3)
    counts = {}
    for paper in (small, large):
        printed, pdf = print_on(tab, f"forty-{paper}.html", text, paper)
        across, down = PAPERS[paper].inside()
        assert printed["smallest"] >= SMALLEST_TEXT
        sheets = printed["sheets"]
        assert [step.split(" ")[:2] for sheet in sheets for step in sheet["steps"]] == [
            ["Step", str(n)] for n in range(1, 41)]
        for sheet in sheets:
            assert sheet["grid"] <= across + 1 and sheet["height"] <= down, (paper, sheet["steps"])
            assert min(sheet["columns"]) >= STEP - 1
        counts[paper] = len(sheets), len(page_sizes(pdf)), max(len(sheet["steps"]) for sheet in sheets)
    assert counts[large][0] < counts[small][0] and counts[large][1] < counts[small][1], counts
    # The larger paper's sheets hold more steps than the smaller's have room for.
    assert counts[large][2] > (PAPERS[small].inside()[0] - TITLES) // STEP, counts


def test_a_sheet_of_few_steps_has_the_columns_of_a_full_sheet(tab):
    """The first sheet, of the one or two steps that fit under the page's header, spread
    them over the paper, 490 px a step, where a full sheet's were 122: its steps are as wide
    as the others', the rest of the paper left empty."""
    printed, _ = print_on(tab, "forty-columns.html", generated_blueprint(40, seed=3), None)
    first = printed["sheets"][0]
    assert 0 < len(first["steps"]) <= 2
    assert all(abs(width - PAPERS["a4"].column()) <= 1.5 for width in first["columns"]), first["columns"]
    assert first["grid"] < PAPERS["a4"].inside()[0] / 2


@pytest.mark.parametrize("name, paper", [("grocery", None), ("coffee", "a3")])
def test_the_last_sheet_and_a_short_blueprint_keep_a_full_sheets_columns(tab, name, paper):
    """The grocery's last sheet of two steps, and the coffee shop's seven steps alone on
    A3, were stretched across the paper: their steps are a full sheet's width."""
    printed, _ = print_on(tab, f"{name}-{paper}-columns.html",
                          (ROOT / "examples" / f"{name}.svc").read_text(encoding="utf-8"), paper)
    last, full = printed["sheets"][-1], PAPERS[paper or "a4"]
    assert all(abs(width - full.column()) <= 1.5 for width in last["columns"]), last["columns"]
    assert last["grid"] < full.inside()[0] - full.column()


def test_the_paper_chosen_is_remembered_after_a_reload_and_on_other_pages(tab):
    """The choice is the browser's: the page reloaded, or another blueprint's page, prints
    on it too."""
    text = (ROOT / "examples" / "coffee.svc").read_text(encoding="utf-8")
    tab.open("coffee-remembered.html", render(loads(text).blueprint))
    assert tab.page.get_by_label("Paper").input_value() == "a4"
    choose(tab, "a3")
    tab.page.reload()
    tab.page.wait_for_selector("html[data-ready=true]", state="attached")
    assert tab.page.get_by_label("Paper").input_value() == "a3"
    assert page_sizes(tab.page.pdf(prefer_css_page_size=True))[0] == pytest.approx(PAPERS["a3"].points(), abs=1)
    other = render(loads((ROOT / "examples" / "hotel.svc").read_text(encoding="utf-8")).blueprint)
    tab.open("hotel-remembered.html", other)
    assert tab.page.get_by_label("Paper").input_value() == "a3"
    tab.assert_clean()


def test_a_page_rendered_for_a_paper_prints_on_it_until_the_reader_chooses_another(browser):
    """``render --paper a3``: a browser that has no choice of its own opens the page on A3 and
    lays its sheets out for it; once its reader picks a paper, that one is theirs, on this
    page and on every other, A3 pages included."""
    tab = new_tab(browser)
    try:
        forty = loads(generated_blueprint(40, seed=3)).blueprint
        tab.open("forty-own-a3.html", FORMATS["html"].render(forty, RenderOptions(paper="a3")))
        assert tab.page.get_by_label("Paper").input_value() == "a3"
        assert tab.page.evaluate("document.documentElement.dataset.paper") == "a3"
        tab.page.evaluate(NOTE_PRINT)
        assert page_sizes(tab.page.pdf(prefer_css_page_size=True))[0] == pytest.approx(PAPERS["a3"].points(), abs=1)
        (printed,) = tab.page.evaluate("window.printed")
        # A3's sheets: more steps than a sheet of A4 has room for.
        assert max(len(sheet["steps"]) for sheet in printed["sheets"]) > (PAPERS["a4"].inside()[0] - TITLES) // STEP
        choose(tab, "letter")
        coffee = loads((ROOT / "examples" / "coffee.svc").read_text(encoding="utf-8")).blueprint
        tab.open("coffee-own-a3.html", FORMATS["html"].render(coffee, RenderOptions(paper="a3")))
        assert tab.page.get_by_label("Paper").input_value() == "letter"
        assert page_sizes(tab.page.pdf(prefer_css_page_size=True))[0] == pytest.approx(PAPERS["letter"].points(), abs=1)
        tab.assert_clean()
    finally:
        tab.page.close()


def test_a_page_rendered_for_a_paper_prints_on_it_without_its_script_too(browser):
    """The page's own paper was set by its script alone: printed where scripts do not run,
    an A3 page came out on A4."""
    page = browser.new_page(java_script_enabled=False)
    try:
        coffee = loads((ROOT / "examples" / "coffee.svc").read_text(encoding="utf-8")).blueprint
        page.set_content(FORMATS["html"].render(coffee, RenderOptions(paper="a3")).decode("utf-8"))
        assert page_sizes(page.pdf(prefer_css_page_size=True))[0] == pytest.approx(PAPERS["a3"].points(), abs=1)
    finally:
        page.close()


def test_a_paper_no_page_knows_is_refused_before_a_page_is_made():
    """A page written with no paper selected stopped its script: a paper must be one of the menu's."""
    with pytest.raises(ValueError, match="paper must be one of a4, a3, letter, tabloid, not 'A3'"):
        RenderOptions(paper="A3")


def test_a_paper_chosen_on_one_page_is_taken_by_the_others_open(browser):
    """Two blueprints open side by side: the paper chosen on one is the other's too, without a reload."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    try:
        left, right = watched(context.new_page()), watched(context.new_page())
        for tab, name in ((left, "coffee"), (right, "hotel")):
            text = (ROOT / "examples" / f"{name}.svc").read_text(encoding="utf-8")
            tab.open(f"{name}-side.html", render(loads(text).blueprint))
        assert right.page.get_by_label("Paper").input_value() == "a4"
        choose(left, "tabloid")
        right.page.wait_for_selector("html[data-paper=tabloid]", state="attached", timeout=5000)
        assert right.page.get_by_label("Paper").input_value() == "tabloid"
        size = page_sizes(right.page.pdf(prefer_css_page_size=True))[0]
        assert size == pytest.approx(PAPERS["tabloid"].points(), abs=1)
        left.assert_clean()
        right.assert_clean()
    finally:
        context.close()


#: A browser that keeps nothing for the page: reading or writing localStorage throws, as
#: in a sandboxed frame (the MkDocs plugin's) or with site data turned off.
NO_STORAGE = """Object.defineProperty(window, 'localStorage', {
    get() { throw new DOMException('The operation is insecure.', 'SecurityError'); } });"""


def test_without_storage_the_paper_is_chosen_for_the_visit(browser):
    """Where the browser keeps nothing, the page opens without an error on A4, and prints on
    the paper chosen while it is open."""
    tab = new_tab(browser)
    try:
        tab.page.add_init_script(NO_STORAGE)
        text = (ROOT / "examples" / "coffee.svc").read_text(encoding="utf-8")
        tab.open("coffee-no-storage.html", render(loads(text).blueprint))
        assert tab.page.get_by_label("Paper").input_value() == "a4"
        choose(tab, "letter")
        assert page_sizes(tab.page.pdf(prefer_css_page_size=True))[0] == pytest.approx(PAPERS["letter"].points(), abs=1)
        tab.assert_clean()
    finally:
        tab.page.close()


def test_the_paper_control_is_on_screen_beside_the_filters_and_not_on_paper(tab):
    """A select named "Paper" in the toolbar of filters, which print leaves out."""
    text = (ROOT / "examples" / "coffee.svc").read_text(encoding="utf-8")
    tab.open("coffee-control.html", render(loads(text).blueprint))
    control = tab.page.get_by_role("combobox", name="Paper")
    assert control.is_visible()
    assert control.evaluate("e => e.closest('form').id") == "filters"
    assert control.locator("option").all_inner_texts() == [
        "A4 landscape", "A3 landscape", "US Letter landscape", "US Tabloid landscape"]
    tab.page.emulate_media(media="print")
    assert not control.is_visible()
    tab.assert_clean()
