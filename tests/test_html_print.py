"""The HTML page printed through headless Chromium (``page.pdf``), as a reader prints it from
a wide window: what goes on paper is read in the layout print gives the page, from a listener
installed after the page's own, when print media applies."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from blueprint_dsl import load, loads
from tests.browser_support import ROOT, SCREENSHOTS
from tests.render_geometry import generated_blueprint
from tests.test_html_browser import AFTER_FRAMES, render

#: CSS px inside the margins of the A4 landscape page the page's style asks for (8 mm):
#: 281 mm across, 194 mm down.
PAPER_WIDTH, PAPER_HEIGHT = 1062, 733
#: px: the smallest a card's text may be on paper (6.5 pt is 8.67 px).
SMALLEST_TEXT = 8.5

#: Notes, each time print media applies, every sheet of the grid printed (the grid and its
#: copies), each with its lanes, steps, size, the widths of its table and of its steps'
#: columns, and its arrows; how wide the page is laid out; and the smallest text of a card.
#: Chromium lays a page wider than its paper out wider and shrinks it to fit, text and all.
NOTE_PRINT = """() => {
    const printing = matchMedia('print');
    window.printed = [];
    const texts = (root, selector) => [...root.querySelectorAll(selector)]
        .filter(e => e.getClientRects().length).map(e => e.textContent.trim());
    printing.addEventListener('change', () => {
        if (!printing.matches) return;
        const sheets = [...document.querySelectorAll('.grid-wrap')].filter(w => w.getClientRects().length);
        window.printed.push({
            width: document.documentElement.clientWidth,
            smallest: Math.min(...[...document.querySelectorAll('.card-text')].filter(e => e.getClientRects().length)
                .map(e => parseFloat(getComputedStyle(e).fontSize))),
            sheets: sheets.map(w => ({
                lanes: texts(w, 'tr[data-lane] th.row-label'),
                steps: texts(w, 'th.step-header'),
                number: texts(w, '.sheet-number').join(''),
                top: w.getBoundingClientRect().top,
                width: w.getBoundingClientRect().width,
                height: w.getBoundingClientRect().height,
                // The table, and each of its steps' columns.
                grid: w.querySelector('table').getBoundingClientRect().width,
                columns: [...w.querySelectorAll('th.step-header')].filter(e => e.getClientRects().length)
                    .map(e => e.getBoundingClientRect().width),
                arrows: [...w.querySelectorAll('path.flow')].map(p => [p.dataset.flow, p.getAttribute('d')]),
                // Each card on it, with the notes at its foot.
                cards: Object.fromEntries([...w.querySelectorAll('.card[data-action]')]
                    .filter(c => c.getClientRects().length)
                    .map(c => [c.dataset.action, texts(c, '.sheet-link')])),
            })),
        });
    });
}"""

SCREEN_ARROWS = """() => Object.fromEntries([...document.querySelectorAll('#flow-paths path.flow')]
    .map(p => [p.dataset.flow, p.getAttribute('d')]))"""


def print_page(tab, name: str, source: str | Path) -> tuple[dict, dict]:
    """Opens a blueprint (its text, or its file) in a wide window, notes its arrows, prints it
    to a PDF: the arrows on screen, and what print media laid out."""
    result = load(source) if isinstance(source, Path) else loads(source)
    assert result.ok, result.diagnostics
    url = tab.open(name, render(result.blueprint))
    screen = tab.page.evaluate(SCREEN_ARROWS)
    tab.page.evaluate(NOTE_PRINT)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab.page.pdf(path=str(SCREENSHOTS / f"{Path(name).stem}.pdf"), prefer_css_page_size=True)
    (printed,) = tab.page.evaluate("window.printed")
    tab.assert_clean(url)
    return screen, printed


def test_a_long_blueprint_prints_in_sheets_of_whole_lanes_at_a_size_that_can_be_read(tab):
    """40 steps on one page were 25 px a step, shrunk to fit, the support lane on the next
    page: they print as sheets of a few stages each, every lane on each, one a page."""
    text = generated_blueprint(40, seed=3)
    _, printed = print_page(tab, "forty.html", text)
    lanes = ["Physical evidence", "Customer actions", "Frontstage", "Backstage", "Support processes"]
    steps = [f"Step {n}" for n in range(1, 41)]
    # Laid out as wide as the paper, not wider and shrunk.
    assert printed["width"] <= PAPER_WIDTH + 1
    assert printed["smallest"] >= SMALLEST_TEXT
    sheets = printed["sheets"]
    assert len(sheets) > 1
    # Every step once, in order, over the sheets.
    assert [step.split(" ")[:2] for sheet in sheets for step in sheet["steps"]] == [s.split(" ") for s in steps]
    for sheet in sheets:
        assert [lane for lane in sheet["lanes"] if lane not in ("Metrics",)] == lanes, sheet["steps"]
        assert sheet["width"] <= PAPER_WIDTH + 1
        # All of it on one page: no lane runs on to the next.
        assert sheet["height"] <= PAPER_HEIGHT, sheet["steps"]
        # A step's column wide enough for a card's words.
        assert sheet["width"] / len(sheet["steps"]) >= 100


def test_a_short_blueprint_prints_as_it_shows_in_one_sheet(tab):
    """The coffee shop's seven steps fit a page as they are: one grid, every step."""
    _, printed = print_page(tab, "coffee.html", ROOT / "examples" / "coffee.svc")
    assert printed["width"] <= PAPER_WIDTH + 1
    assert printed["smallest"] >= SMALLEST_TEXT
    (sheet,) = printed["sheets"]
    assert len(sheet["steps"]) == 7 and len(sheet["arrows"]) == 9


@pytest.mark.parametrize("name", ["coffee", "clinic", "grocery", "hotel"])
def test_a_flow_drawn_straight_on_screen_is_drawn_straight_on_paper(tab, name):
    """Printed from a wide window, the arrows are drawn for the printed layout: a flow that
    runs straight between its cards on screen is not sent round the gaps between columns."""
    screen, printed = print_page(tab, f"{name}.html", ROOT / "examples" / f"{name}.svc")
    # A flow between two sheets has no arrow (a note on each card instead); the others are on the sheet of their cards.
    on_paper = {flow: d for sheet in printed["sheets"] for flow, d in sheet["arrows"]}
    assert on_paper and set(on_paper) <= set(screen)
    straight = [flow for flow, d in screen.items() if " C" in d and flow in on_paper]
    assert straight
    assert [flow for flow in straight if " C" not in on_paper[flow]] == []


def test_the_first_sheet_starts_on_page_one_under_the_header_where_some_of_it_fits(tab):
    """The first sheet of seven steps was too tall to go under the page's header and summary,
    and page one held those alone: the first sheet takes the stages that fit there, the rest
    of its steps the next sheet."""
    _, printed = print_page(tab, "forty-first.html", generated_blueprint(40, seed=1))
    sheets = printed["sheets"]
    # Print lays the page out in pages, the grid at the top of page two when it went there.
    assert 0 < sheets[0]["top"] and sheets[0]["top"] + sheets[0]["height"] <= PAPER_HEIGHT
    assert [step.split(" ")[:2] for sheet in sheets for step in sheet["steps"]] == [
        ["Step", str(n)] for n in range(1, 41)]
    for sheet in sheets:
        assert sheet["height"] <= PAPER_HEIGHT, sheet["steps"]
    assert [sheet["number"] for sheet in sheets] == [f"Sheet {k} of {len(sheets)}" for k in range(1, len(sheets) + 1)]


#: Generated blueprints of 40 steps, and their flows between two sheets: one way or an
#: exchange, and whether back to an earlier step. Seed 3 is the one whose flows were lost;
#: seed 7's flows are given labels.
BETWEEN_SHEETS = {3: [(False, True), (False, False)], 7: [(False, True), (True, False)]}


@pytest.mark.parametrize("seed", sorted(BETWEEN_SHEETS))
def test_a_flow_between_two_sheets_is_noted_on_both_with_the_card_at_its_other_end(tab, seed):
    """A flow whose cards print on two sheets had its arrow on neither, and nothing else on
    paper: each of its cards says where the flow goes or comes from, the sheet, the step and
    the card there, and its label; an exchange "with", a loop back with its ↺."""
    text = generated_blueprint(40, seed=seed)
    if seed == 7:
        flows = iter(range(1, 100))
        text = re.sub(r"^(  \w+ <?-> \w+)", lambda m: f'{m[1]} : "hand-off {next(flows)}"', text, flags=re.M)
    blueprint = loads(text).blueprint
    assert all(flow.label for flow in blueprint.flows) == (seed == 7)
    _, printed = print_page(tab, f"forty-flows-{seed}.html", text)
    sheets = printed["sheets"]
    order = [step for stage in blueprint.stages for step in stage.steps]
    steps, columns = {step.id: step.label for step in order}, {step.id: k for k, step in enumerate(order)}
    actions = blueprint.action_index()
    sheet_of = {action: k for k, sheet in enumerate(sheets) for action in sheet["cards"]}
    assert set(sheet_of) == set(actions)
    between = []
    for index, flow in enumerate(blueprint.flows):
        here, there = sheet_of[flow.source], sheet_of[flow.target]
        drawn = {number for number, _ in sheets[here]["arrows"]}
        if here == there:
            assert str(index) in drawn
            continue
        assert str(index) not in drawn
        source, target = actions[flow.source], actions[flow.target]
        back = flow.loop or columns[target.step] < columns[source.step]
        for card, other, sheet, way in ((source, target, there, "↔ with" if flow.two_way else "→ to"),
                                        (target, source, here, "↔ with" if flow.two_way else "← from")):
            notes = sheets[sheet_of[card.id]]["cards"][card.id]
            (note,) = [note for note in notes if note.startswith(f"{way} sheet {sheet + 1} · {steps[other.step]}")]
            # The start of the other card's text, the label, and a loop's sign.
            assert other.text.split(" ")[0] in note
            assert (flow.label or "") in note and ("↺" in note) == back
            if flow.label:
                assert f"· {'↺ ' if back else ''}{flow.label}:" in note
        between.append((flow.two_way, back))
    assert between == BETWEEN_SHEETS[seed]
    # A card with no flow to another sheet has no note.
    noted = {card for sheet in sheets for card, notes in sheet["cards"].items() if notes}
    assert noted == {end for flow in blueprint.flows if sheet_of[flow.source] != sheet_of[flow.target]
                     for end in (flow.source, flow.target)}


def test_after_printing_the_grid_is_as_it_was(tab):
    """The sheets are for paper only: back on screen, one grid, its stages and lines spanning
    every step again."""
    text = generated_blueprint(40, seed=3)
    result = loads(text)
    tab.open("forty-again.html", render(result.blueprint))
    spans = "() => [...document.querySelectorAll('#grid th.stage-header, #grid td.line-cell')].map(c => c.colSpan)"
    before = tab.page.evaluate(spans)
    tab.page.emulate_media(media="print")
    tab.page.evaluate(AFTER_FRAMES)
    assert tab.page.evaluate("document.querySelectorAll('.grid-wrap').length") > 1
    tab.page.emulate_media(media="screen")
    tab.page.evaluate(AFTER_FRAMES)
    assert tab.page.evaluate("document.querySelectorAll('.grid-wrap').length") == 1
    assert tab.page.evaluate("document.querySelectorAll('.off-sheet').length") == 0
    assert tab.page.evaluate(spans) == before


@pytest.mark.parametrize("stage, steps", [("st3", 1), ("st5", 3), ("st2", 5)])
def test_a_page_filtered_to_one_sheet_prints_its_steps_at_a_sheet_s_width(tab, stage, steps):
    """Filtered to a stage of 1 step, the page printed the step 24 px wide (the lines of the
    method still spanned all 40 columns), its sheet over six pages tall; one of 3 printed as
    two sheets. It prints as one sheet, its steps as wide as on any sheet, on one page."""
    text = generated_blueprint(40, seed=3)
    url = tab.open(f"forty-{stage}.html", render(loads(text).blueprint))
    tab.page.get_by_label("Stage").select_option(stage)
    tab.page.evaluate(NOTE_PRINT)
    tab.page.pdf(prefer_css_page_size=True)
    (printed,) = tab.page.evaluate("window.printed")
    tab.assert_clean(url)
    (sheet,) = printed["sheets"]
    assert len(sheet["steps"]) == steps
    assert min(sheet["columns"]) >= 120 and sheet["height"] <= PAPER_HEIGHT, sheet
