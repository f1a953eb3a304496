"""The HTML page of every example, opened in headless Chromium.

Checks what a reader sees and does: cards where the model puts them, arrows between
the right cards, hover and focus highlighting, details, filters, folding, deep links;
and that the page logs no error and asks no host for anything. A screenshot of each
example goes to build/screenshots/ for a person to look at.
"""

from __future__ import annotations

import html
import io
from pathlib import Path

import pytest
from PIL import Image

from blueprint_dsl import load, loads
from blueprint_dsl.check import check
from blueprint_dsl.model import LINES, Blueprint, Lane
from blueprint_dsl.render import FORMATS, RenderOptions
from tests.browser_support import ORIGIN, ROOT, SCREENSHOTS, new_tab

EXAMPLES = sorted((ROOT / "examples").glob("*.svc"))
LANE_ROWS = [lane.value for lane in Lane]
NEAR = 2.5  # px: how far an arrow's end may lie from its card's border


def blueprint_of(path: Path) -> Blueprint:
    result = load(path)
    assert result.ok, result.diagnostics
    return result.blueprint


def render(blueprint: Blueprint) -> bytes:
    return FORMATS["html"].render(blueprint, RenderOptions())


@pytest.fixture(scope="module")
def tab(browser):
    tab = new_tab(browser)
    yield tab
    tab.page.close()


def open_crafted(tab, name: str, text: str):
    """A blueprint written for a test, which must load, opened fresh as ``name``: its load result and address."""
    result = loads(text)
    assert result.ok, result.diagnostics
    tab.requests.clear()
    tab.errors.clear()
    return result, tab.open(name, render(result.blueprint))


@pytest.fixture(params=EXAMPLES, ids=lambda p: p.stem)
def example(request, tab):
    """An example's page, opened fresh; after the test, it must have stayed clean."""
    blueprint = blueprint_of(request.param)
    tab.requests.clear()
    tab.errors.clear()
    url = tab.open(request.param.stem + ".html", render(blueprint))
    yield blueprint, tab.page
    tab.assert_clean(url)


def test_there_are_examples():
    assert len(EXAMPLES) >= 1


def rect(page, selector: str) -> dict:
    found = page.evaluate(
        "s => { const e = document.querySelector(s); if (!e) return null;"
        " const r = e.getBoundingClientRect(); return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; }",
        selector,
    )
    assert found is not None, f"nothing matches {selector}"
    return found


def test_lanes_run_top_to_bottom_in_canonical_order_with_the_lines_between(example):
    blueprint, page = example
    rows = {lane: rect(page, f"#row-{lane}") for lane in LANE_ROWS}
    for upper, lower in zip(LANE_ROWS, LANE_ROWS[1:]):
        assert rows[upper]["bottom"] <= rows[lower]["top"] + 0.5, (upper, lower)
    for line in LINES:
        key = "-".join(line.name.lower().split())
        drawn = rect(page, f"tr[data-line={key}]")
        assert rows[line.above.value]["bottom"] <= drawn["top"] + 0.5
        assert drawn["bottom"] <= rows[line.below.value]["top"] + 0.5
        assert page.inner_text(f"tr[data-line={key}] th") == line.name


def test_every_card_sits_in_its_lane_row_and_its_step_column(example):
    blueprint, page = example
    boxes = page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('.card')].map(c => {
             const r = c.getBoundingClientRect();
             return [c.dataset.action, {left: r.left, right: r.right, top: r.top, bottom: r.bottom}]; }))"""
    )
    actions = list(blueprint.actions())
    assert sorted(boxes) == sorted(a.id for a in actions)
    columns = {step.id: rect(page, f"#step-{i}") for i, step in enumerate(blueprint.steps)}
    rows = {lane: rect(page, f"#row-{lane}") for lane in LANE_ROWS}
    for action in actions:
        card, column, row = boxes[action.id], columns[action.step], rows[action.lane.value]
        assert column["left"] - 0.5 <= card["left"] and card["right"] <= column["right"] + 0.5, action.id
        assert row["top"] - 0.5 <= card["top"] and card["bottom"] <= row["bottom"] + 0.5, action.id
    # A stage's header spans exactly its steps.
    for stage in blueprint.stages:
        header = rect(page, f"th.stage-header[data-stage={stage.id}]")
        first, last = columns[stage.steps[0].id], columns[stage.steps[-1].id]
        assert abs(header["left"] - first["left"]) <= 4 and abs(header["right"] - last["right"]) <= 4, stage.id


def test_evidence_sits_on_top_under_its_step(example):
    blueprint, page = example
    row = rect(page, "#row-evidence")
    for index, step in enumerate(blueprint.steps):
        shown = page.eval_on_selector_all(
            f"#row-evidence td[data-column='{index}'] .evidence", "es => es.map(e => e.textContent)"
        )
        assert [e.text for e in step.evidence] == shown[: len(step.evidence)]
        assert rect(page, "#row-customer")["top"] >= row["bottom"] - 0.5


def test_markers_show_fail_and_wait_points(example):
    blueprint, page = example
    for action in blueprint.actions():
        card = f"#action-{action.id}"
        assert page.locator(f"{card} .marker-fail").count() == (1 if action.fail else 0), action.id
        assert page.locator(f"{card} .marker-wait").count() == (1 if action.wait else 0), action.id


def flow_ends(page) -> list[dict]:
    """Each drawn arrow with the page coordinates of its two ends."""
    return page.evaluate(
        """() => [...document.querySelectorAll('#flow-paths path.flow')].map(p => {
             const m = p.getScreenCTM(), n = p.getTotalLength();
             const at = l => { const q = p.getPointAtLength(l); return new DOMPoint(q.x, q.y).matrixTransform(m); };
             const a = at(0), b = at(n), head = 7 * parseFloat(getComputedStyle(p).strokeWidth);
             return {source: p.dataset.source, target: p.dataset.target, twoWay: p.classList.contains('is-two-way'),
                     start: [a.x, a.y], end: [b.x, b.y], markerStart: p.getAttribute('marker-start'),
                     markerEnd: p.getAttribute('marker-end'), heads: n / head}; })"""
    )


def distance_to(point: list[float], box: dict) -> float:
    dx = max(box["left"] - point[0], 0, point[0] - box["right"])
    dy = max(box["top"] - point[1], 0, point[1] - box["bottom"])
    return (dx * dx + dy * dy) ** 0.5


def drawn_labels(blueprint: Blueprint) -> list[str]:
    """The flows' labels as the page draws them: rework (a loop, or a flow back to an earlier
    step) marked with a ↺, and named "loop" when unlabelled, as in the SVG."""
    column = {action.id: index for index, step in enumerate(blueprint.steps) for action in step.actions}
    labels = []
    for flow in blueprint.flows:
        if flow.loop or column[flow.target] < column[flow.source]:
            labels.append("\u21ba " + (flow.label or "loop"))
        elif flow.label:
            labels.append(flow.label)
    return labels


def test_arrows_join_the_right_cards(example):
    blueprint, page = example
    arrows = flow_ends(page)
    assert [(a["source"], a["target"]) for a in arrows] == [(f.source, f.target) for f in blueprint.flows]
    for arrow, flow in zip(arrows, blueprint.flows):
        source, target = rect(page, f"#action-{flow.source}"), rect(page, f"#action-{flow.target}")
        assert distance_to(arrow["start"], source) <= NEAR, (flow, arrow)
        assert distance_to(arrow["end"], target) <= NEAR, (flow, arrow)
        # ...and the start is not at the target, nor the end at the source.
        assert distance_to(arrow["start"], target) > NEAR and distance_to(arrow["end"], source) > NEAR, flow
        assert arrow["markerEnd"] == "url(#arrow-head)"
        # Long enough to show its head (7 stroke widths, page.html.j2) and some shaft between the cards.
        assert arrow["heads"] >= 1.5, (flow, arrow)
        assert (arrow["markerStart"] is not None) == flow.two_way
    labels = page.eval_on_selector_all("#flow-labels text", "ts => ts.map(t => t.textContent)")
    assert labels == drawn_labels(blueprint)


#: A one-way chain through the back office: where a flow arrives at a card and the next
#: leaves from the same side, the two once shared a point, and read as an exchange.
CHAIN = '''blueprint "Chain" {
  actor c customer "Customer"
  person s frontstage "Clerk"
  role b backstage "Back office"
  stage one "One" { step one "One" { evidence "Desk" c: "Asks" as c1  s: "Answers" as s1 } }
  stage two "Two" { step two "Two" { evidence "Letter" c: "Reads the letter" as c2  b: "Writes" as b2 } }
  c1 -> s1
  s1 -> b2
  b2 -> c2 : "by post"
  c1 -> b2 : "a copy"
}'''
#: px: how close two flows' ends on one card may come; an arrowhead is 11 px wide.
ENDS_APART = 8


def crowded_ends(page) -> list[tuple]:
    """The pairs of ends of different flows on one card closer than ENDS_APART."""
    ends: dict[str, list[tuple[int, list[float]]]] = {}
    for number, arrow in enumerate(flow_ends(page)):
        ends.setdefault(arrow["source"], []).append((number, arrow["start"]))
        ends.setdefault(arrow["target"], []).append((number, arrow["end"]))
    return [(card, one, other, round(((p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2) ** 0.5, 1))
            for card, points in ends.items()
            for k, (one, p) in enumerate(points) for other, q in points[k + 1:]
            if one != other and ((p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2) ** 0.5 < ENDS_APART]


def test_flows_meet_a_card_each_at_a_place_of_its_own(example):
    blueprint, page = example
    assert crowded_ends(page) == []


def test_a_chain_through_one_side_of_a_card_is_not_drawn_as_an_exchange(tab):
    result, url = open_crafted(tab, "chain.html", CHAIN)
    assert crowded_ends(tab.page) == []
    # The flows still join their own cards, each end on its card's border.
    for arrow, flow in zip(flow_ends(tab.page), result.blueprint.flows):
        assert distance_to(arrow["start"], rect(tab.page, f"#action-{flow.source}")) <= NEAR, flow
        assert distance_to(arrow["end"], rect(tab.page, f"#action-{flow.target}")) <= NEAR, flow
    tab.assert_clean(url)


PAIRS = '''blueprint "Pairs" {
  actor guest customer "Guest"
  person staff frontstage "Staff"
  stage "One" {
    step ask "Ask" { evidence "Desk" guest: "Asks" as ask  staff: "Answers" as answer }
    step check "Check" { evidence "Desk" guest: "Waits" as wait
                         staff: "Looks it up" as look_up  staff: "Writes it down" as write_down }
    step leave "Leave" { evidence "Door" guest: "Leaves" as leave  staff: "Checks again" as recheck }
  }
  ask -> answer        answer -> ask          # across lanes, one above the other
  ask -> leave         leave -> ask           # along a lane, past a column: under the cards
  look_up -> write_down  write_down -> look_up  # stacked in one cell: out to the right
  recheck -> recheck : "again"
}'''


def path_points(page, count: int = 24) -> list[dict]:
    """Each drawn arrow: points along it, and its box, in page coordinates."""
    return page.evaluate(
        """count => [...document.querySelectorAll('#flow-paths path.flow')].map(p => {
             const m = p.getScreenCTM(), n = p.getTotalLength();
             const points = [...Array(count + 1).keys()].map(i => {
                 const q = p.getPointAtLength(n * i / count); const d = new DOMPoint(q.x, q.y).matrixTransform(m);
                 return [d.x, d.y]; });
             const xs = points.map(q => q[0]), ys = points.map(q => q[1]);
             return {source: p.dataset.source, target: p.dataset.target, points, length: n,
                     head: 7 * parseFloat(getComputedStyle(p).strokeWidth),
                     box: {left: Math.min(...xs), right: Math.max(...xs),
                           top: Math.min(...ys), bottom: Math.max(...ys)}};
           })""",
        count,
    )


def test_opposite_flows_are_drawn_apart_and_a_flow_to_itself_as_a_loop(tab):
    """a -> b and b -> a are two arrows, not one read as an exchange; a -> a is a loop one can see."""
    result, url = open_crafted(tab, "pairs.html", PAIRS)
    page = tab.page
    arrows = path_points(page)
    assert [(a["source"], a["target"]) for a in arrows] == [(f.source, f.target) for f in result.blueprint.flows]
    for arrow in arrows:
        source, target = rect(page, f"#action-{arrow['source']}"), rect(page, f"#action-{arrow['target']}")
        assert distance_to(arrow["points"][0], source) <= NEAR and distance_to(arrow["points"][-1], target) <= NEAR
        assert arrow["length"] >= 1.5 * arrow["head"], arrow
    for there, back in zip(arrows[0:6:2], arrows[1:6:2]):
        # Apart all along: no point of one lies on the other, the heads least of all.
        gap = min(((x - u) ** 2 + (y - v) ** 2) ** 0.5 for x, y in there["points"] for u, v in back["points"])
        assert gap >= 5, (there["source"], there["target"], gap)
    loop = arrows[6]
    card = rect(page, "#action-recheck")
    assert loop["box"]["right"] - card["right"] >= 10, loop["box"]  # out of the card, where it shows
    assert loop["box"]["bottom"] - loop["box"]["top"] >= 10, loop["box"]
    assert loop["length"] >= 3 * loop["head"], loop
    labels = page.eval_on_selector_all("#flow-labels text", "ts => ts.map(t => t.textContent)")
    assert labels == ["\u21ba loop", "again"]  # leave -> ask runs back to an earlier step
    tab.assert_clean(url)


def test_cards_stacked_in_a_cell_and_joined_by_a_flow_are_set_an_arrow_apart(tab):
    """As the SVG sets them: a short arrow runs straight down between them, not round the
    column's edge, where the flows of a crowded column would run on top of each other."""
    text = PAIRS.replace("  look_up -> write_down  write_down -> look_up  # stacked in one cell: out to the right\n",
                         "  look_up -> write_down\n")
    _, url = open_crafted(tab, "stacked.html", text)
    page = tab.page
    upper, lower = rect(page, "#action-look_up"), rect(page, "#action-write_down")
    [arrow] = [a for a in path_points(page) if (a["source"], a["target"]) == ("look_up", "write_down")]
    assert lower["top"] - upper["bottom"] >= 32
    assert arrow["box"]["right"] - arrow["box"]["left"] <= 1, arrow["box"]
    assert upper["left"] < arrow["box"]["left"] < upper["right"]
    assert arrow["box"]["top"] >= upper["bottom"] - 1 and arrow["box"]["bottom"] <= lower["top"] + 1
    tab.assert_clean(url)


def linked(blueprint: Blueprint, action_id: str) -> set[str]:
    return {f.target for f in blueprint.flows if f.source == action_id} | {
        f.source for f in blueprint.flows if f.target == action_id
    }


def most_connected(blueprint: Blueprint) -> str:
    return max((a.id for a in blueprint.actions()), key=lambda i: (len(linked(blueprint, i)), i))


def highlighted(page) -> tuple[set[str], set[str], int]:
    return (
        set(page.eval_on_selector_all(".card.is-active", "cs => cs.map(c => c.dataset.action)")),
        set(page.eval_on_selector_all(".card.is-linked", "cs => cs.map(c => c.dataset.action)")),
        page.locator("#flow-paths path.is-linked").count(),
    )


def test_hover_and_focus_highlight_the_action_and_what_it_connects_to(example):
    blueprint, page = example
    chosen = most_connected(blueprint)
    expected = linked(blueprint, chosen)
    touching = sum(1 for f in blueprint.flows if chosen in (f.source, f.target))
    page.hover(f"#action-{chosen}")
    assert highlighted(page) == ({chosen}, expected, touching)
    other = next(a.id for a in blueprint.actions() if a.id != chosen and a.id not in expected)
    page.wait_for_function(
        "id => getComputedStyle(document.getElementById('action-' + id)).opacity < 0.5", arg=other
    )
    page.mouse.move(2, 2)  # off the grid: nothing stays highlighted
    assert highlighted(page) == (set(), set(), 0)
    page.focus(f"#action-{chosen}")
    assert highlighted(page) == ({chosen}, expected, touching)
    page.evaluate("document.activeElement.blur()")
    assert highlighted(page) == (set(), set(), 0)


def test_moving_over_a_highlighted_card_restyles_nothing(example):
    """The pointer crossing a card's lines sends a mouseover from each: the highlight stays as
    it is, untouched, since on a large page each one restyles the whole grid."""
    blueprint, page = example
    chosen = most_connected(blueprint)
    other = next(a.id for a in blueprint.actions() if a.id != chosen)
    page.hover(f"#action-{chosen}")
    changes = """async ([id, part]) => {
        const changed = [];
        const observer = new MutationObserver(records => changed.push(...records));
        observer.observe(document.getElementById('grid-wrap'), {attributes: true, subtree: true});
        const target = document.getElementById('action-' + id).querySelector(part);
        target.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
        await new Promise(resolve => setTimeout(resolve));
        observer.disconnect();
        return changed.length + observer.takeRecords().length;
    }"""
    assert page.evaluate(changes, [chosen, ".card-text"]) == 0
    assert page.evaluate(changes, [other, ".card-text"]) > 0  # another card: the highlight moves
    page.mouse.move(2, 2)


def arrowhead_points(page) -> list[dict]:
    """Each linked arrow's head: a point inside it, in the viewport, and the arrow's stroke colour."""
    return page.evaluate(
        """() => [...document.querySelectorAll('#flow-paths path.is-linked')].map(p => {
             const m = p.getScreenCTM(), n = p.getTotalLength(), style = getComputedStyle(p);
             const at = l => { const q = p.getPointAtLength(l); return new DOMPoint(q.x, q.y).matrixTransform(m); };
             const tip = at(n), before = at(n - 0.5), length = Math.hypot(tip.x - before.x, tip.y - before.y);
             // The head is 7 stroke widths long (page.html.j2); its middle lies 0.6 of that behind the tip.
             const head = 7 * parseFloat(style.strokeWidth), back = head * 0.6;
             return {x: tip.x - (tip.x - before.x) / length * back, y: tip.y - (tip.y - before.y) / length * back,
                     stroke: style.stroke}; })"""
    )


def rgb(css: str) -> tuple[int, ...]:
    return tuple(int(part) for part in css.removeprefix("rgb(").removesuffix(")").split(","))


def test_a_highlighted_arrow_has_a_head_of_its_own_colour(tab):
    blueprint = blueprint_of(ROOT / "examples" / "coffee.svc")
    tab.open("coffee-heads.html", render(blueprint))
    page = tab.page
    page.hover(f"#action-{most_connected(blueprint)}")
    settle(page)
    heads = [h for h in arrowhead_points(page) if 0 < h["x"] < 1600 and 0 < h["y"] < 1000]
    assert heads, "no highlighted arrowhead in view"
    for head in heads:
        png = page.screenshot(clip={"x": head["x"] - 1, "y": head["y"] - 1, "width": 3, "height": 3})
        pixel = Image.open(io.BytesIO(png)).convert("RGB").getpixel((1, 1))
        expected = rgb(head["stroke"])
        assert all(abs(a - b) <= 24 for a, b in zip(pixel, expected)), (head, pixel)


def test_click_opens_the_details_and_escape_closes_them(example):
    blueprint, page = example
    action = next((a for a in blueprint.actions() if a.fail), next(blueprint.actions()))
    actor = blueprint.actor_index()[action.actor]
    page.click(f"#action-{action.id} .card-text")
    assert page.is_visible("#details")
    assert page.inner_text("#details-title") == action.text
    facts = page.inner_text("#details-body")
    assert actor.name in facts and action.lane.title in facts
    if action.fail:
        assert action.fail.description in facts
        assert (action.fail.safe or "none given") in facts
    if action.duration:
        assert action.duration.text in facts
    assert page.get_attribute("#details-link", "href") == f"#action-{action.id}"
    page.keyboard.press("Escape")
    assert not page.is_visible("#details")
    assert page.evaluate("document.activeElement.id") == f"action-{action.id}"
    page.keyboard.press("Enter")  # the focused card opens by keyboard too
    assert page.is_visible("#details")
    page.keyboard.press("Escape")


def test_actions_named_like_parts_of_the_page_open_their_own_details(tab):
    """``version`` and ``title`` are also words of the page's own ids (text-version, text-title)."""
    result, url = open_crafted(tab, "named.html", '''blueprint "Named" {
      actor c customer "Guest" system t frontstage "Till"
      stage "Order" { step order { c: "Asks for the version" as version  t: "Shows the title" as title
                                   c: "Reads the main screen" as main } }
      title -> version }''')
    page = tab.page
    for action in result.blueprint.actions():
        page.click(f"#action-{action.id} .card-text")
        assert page.is_visible("#details")
        assert page.inner_text("#details-title") == action.text
        facts = page.inner_text("#details-body")
        assert result.blueprint.actor_index()[action.actor].name in facts and action.id in facts
        page.keyboard.press("Escape")
    tab.assert_clean(url)


def visible_cards(page) -> set[str]:
    return set(
        page.eval_on_selector_all(".card", "cs => cs.filter(c => c.getClientRects().length).map(c => c.dataset.action)")
    )


def drawn_flows(page) -> list[tuple[str, str]]:
    return [(a["source"], a["target"]) for a in flow_ends(page)]


def settle(page) -> None:
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def test_filters_hide_other_actors_and_other_stages(example):
    blueprint, page = example
    actions = list(blueprint.actions())
    everyone = {a.id for a in actions}
    # The actor acting in the fewest steps, so that the filter leaves steps out.
    chosen = min({a.actor for a in actions}, key=lambda actor: (
        sum(any(a.actor == actor for a in step.actions) for step in blueprint.steps), actor))
    page.select_option("#filter-actor", chosen)
    settle(page)
    kept = {a.id for a in actions if a.actor == chosen}
    assert visible_cards(page) == kept
    assert drawn_flows(page) == [(f.source, f.target) for f in blueprint.flows if {f.source, f.target} <= kept]
    # Only the steps where the actor acts are left, side by side under their stages.
    acting = [step for step in blueprint.steps if any(a.actor == chosen for a in step.actions)]
    assert [label for label, _, _, _ in shown_headers(page, ".step-header")] == [step.label for step in acting]
    assert_stages_span_their_steps(page)

    page.select_option("#filter-actor", "")
    stage = max(blueprint.stages, key=lambda s: (sum(len(step.actions) for step in s.steps), s.id))
    page.select_option("#filter-stage", stage.id)
    settle(page)
    kept = {a.id for step in stage.steps for a in step.actions}
    assert visible_cards(page) == kept
    headers = page.eval_on_selector_all(
        ".step-header", "hs => hs.filter(h => h.getClientRects().length).map(h => h.textContent)")
    assert headers == [step.label for step in stage.steps]
    assert drawn_flows(page) == [(f.source, f.target) for f in blueprint.flows if {f.source, f.target} <= kept]

    page.click("#filter-reset")
    settle(page)
    assert visible_cards(page) == everyone
    assert len(drawn_flows(page)) == len(blueprint.flows)


def shown_headers(page, selector: str) -> list[tuple[str, str, float, float]]:
    """The headers shown: text, stage, left and right."""
    return page.eval_on_selector_all(selector, """hs => hs.filter(h => h.getClientRects().length).map(h => {
        const r = h.getBoundingClientRect(); return [h.textContent, h.dataset.stage, r.left, r.right]; })""")


def assert_stages_span_their_steps(page) -> None:
    """Each stage header shown runs over the step headers of its stage shown, and no others."""
    steps = shown_headers(page, ".step-header")
    for _, stage, left, right in shown_headers(page, ".stage-header"):
        under = [(start, end) for _, _, start, end in steps if left - 1 <= start and end <= right + 1]
        assert under and under == [(start, end) for _, own, start, end in steps if own == stage], stage


def test_a_folded_lane_hides_its_actions_and_unfolds_again(example):
    blueprint, page = example
    backstage = {a.id for a in blueprint.actions() if a.lane is Lane.BACKSTAGE}
    button = "#row-backstage button.fold"
    page.click(button)
    settle(page)
    assert page.get_attribute(button, "aria-expanded") == "false"
    assert visible_cards(page) == {a.id for a in blueprint.actions()} - backstage
    assert all(backstage.isdisjoint(pair) for pair in drawn_flows(page))
    page.click(button)
    settle(page)
    assert page.get_attribute(button, "aria-expanded") == "true"
    assert len(drawn_flows(page)) == len(blueprint.flows)


def in_view(page, action_id: str) -> bool:
    """The card lies inside the window and is not covered by the sticky lane titles."""
    return page.evaluate(
        """id => { const c = document.getElementById('action-' + id).getBoundingClientRect();
                   const w = document.getElementById('grid-wrap').getBoundingClientRect();
                   const label = document.querySelector('.row-label').getBoundingClientRect();
                   return c.top >= 0 && c.bottom <= innerHeight
                       && c.left >= label.right - 1 && c.right <= w.right + 1; }""",
        action_id,
    )


def test_deep_link_scrolls_to_and_focuses_the_action(example, tab):
    blueprint, page = example
    last = blueprint.steps[-1]
    target = max(last.actions, key=lambda a: a.lane.rank)  # bottom right: far from the first screen
    url = page.url.split("#")[0]
    tab.page.goto("about:blank")
    tab.open(url.rsplit("/", 1)[1], tab.pages[url], f"#action-{target.id}")
    assert page.evaluate("document.activeElement.id") == f"action-{target.id}"
    assert in_view(page, target.id)
    assert page.locator(".card.is-active").evaluate("c => c.dataset.action") == target.id
    # Following a link inside the page works too, even to a card a filter had hidden.
    first = next(blueprint.actions())
    page.select_option("#filter-stage", blueprint.stages[-1].id)
    page.evaluate(f"location.hash = '#action-{first.id}'")
    page.wait_for_function("id => document.activeElement.id === 'action-' + id", arg=first.id)
    assert in_view(page, first.id)


def test_a_malformed_fragment_is_no_fragment(tab):
    """An address that ends in a stray ``%`` opens the page as without it, and so does a link to one."""
    blueprint = blueprint_of(ROOT / "examples" / "coffee.svc")
    tab.requests.clear()
    tab.errors.clear()
    html = render(blueprint)
    tab.pages[f"{ORIGIN}/coffee-fragment.html"] = html
    page = tab.page
    page.goto(f"{ORIGIN}/coffee-fragment.html#%")
    page.wait_for_selector("html[data-ready=true]", state="attached", timeout=10_000)
    assert page.evaluate("document.activeElement === document.body")  # no card was taken for it
    assert len(drawn_flows(page)) == len(blueprint.flows)
    page.evaluate("location.hash = '#action-%zz'")
    page.evaluate(f"location.hash = '#action-{blueprint.flows[0].source}'")  # a good one still works after
    page.wait_for_function("id => document.activeElement.id === 'action-' + id", arg=blueprint.flows[0].source)
    tab.assert_clean(f"{ORIGIN}/coffee-fragment.html")


def test_shift_tab_back_along_a_lane_never_hides_the_focused_card_under_the_lane_titles(browser):
    blueprint = blueprint_of(ROOT / "examples" / "coffee.svc")
    tab = new_tab(browser)
    tab.page.set_viewport_size({"width": 900, "height": 900})  # the grid scrolls sideways
    url = tab.open("coffee-narrow.html", render(blueprint))
    page = tab.page
    customer = [a.id for a in blueprint.actions() if a.lane is Lane.CUSTOMER]
    page.focus(f"#action-{customer[-1]}")
    assert page.evaluate("document.getElementById('grid-wrap').scrollLeft") > 0
    visited = []
    while True:
        page.keyboard.press("Shift+Tab")
        focused = page.evaluate("document.activeElement.dataset.action || null")
        if focused is None:
            break
        visited.append(focused)
        assert in_view(page, focused), (focused, rect(page, f"#action-{focused}"), rect(page, "#row-customer th"))
    assert visited == customer[-2::-1]
    tab.assert_clean(url)
    page.close()


COUNT_DRAWS = """
window.draws = 0;
new MutationObserver(records => {
    if (records.some(r => Array.from(r.addedNodes).some(n => n.matches && n.matches("path.flow")))) window.draws++;
}).observe(document, { childList: true, subtree: true });
"""

# Two frames and a little more: time for a resize observer's report and the draw it asks for.
AFTER_FRAMES = (
    "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 200))))"
)


def test_the_arrows_are_drawn_once_on_opening_and_again_when_the_grid_changes_size(browser):
    tab = new_tab(browser)
    tab.page.add_init_script(COUNT_DRAWS)
    url = tab.open("coffee-draws.html", render(blueprint_of(ROOT / "examples" / "coffee.svc")))
    page = tab.page
    page.evaluate(AFTER_FRAMES)
    assert page.evaluate("window.draws") == 1
    page.set_viewport_size({"width": 1100, "height": 1000})  # the grid narrows
    page.evaluate(AFTER_FRAMES)
    assert page.evaluate("window.draws") == 2
    tab.assert_clean(url)
    page.close()


def test_screenshots(example):
    blueprint, page = example
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = Path(blueprint.path).stem
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
    chosen = most_connected(blueprint)
    page.hover(f"#action-{chosen}")
    page.locator("#grid-wrap").screenshot(path=str(SCREENSHOTS / f"{name}-hover.png"))
    assert (SCREENSHOTS / f"{name}.png").stat().st_size > 10_000


#: Installed after the page's script, this listener runs after the page's own when print
#: media applies, in the layout that goes on paper: it notes where each arrow's ends and
#: its two cards are then.
NOTE_PRINTED_ARROWS = """() => {
    const printing = matchMedia('print');
    window.printed = [];
    const box = e => {
        const r = e.getBoundingClientRect();
        return {left: r.left, right: r.right, top: r.top, bottom: r.bottom};
    };
    printing.addEventListener('change', () => {
        if (!printing.matches) return;
        window.printed.push([...document.querySelectorAll('#flow-paths path.flow')].map(p => {
            const m = p.getScreenCTM(), n = p.getTotalLength();
            const at = l => {
                const q = new DOMPoint(p.getPointAtLength(l).x, p.getPointAtLength(l).y).matrixTransform(m);
                return [q.x, q.y];
            };
            return {source: p.dataset.source, target: p.dataset.target, start: at(0), end: at(n),
                    from: box(document.getElementById('action-' + p.dataset.source)),
                    to: box(document.getElementById('action-' + p.dataset.target))};
        }));
    });
}"""


def test_printed_arrows_join_their_cards_in_the_printed_layout(tab):
    """Printed from a wide window, as a reader prints: the cards move for paper, the arrows with them."""
    blueprint = blueprint_of(ROOT / "examples" / "coffee.svc")
    tab.requests.clear()
    tab.errors.clear()
    url = tab.open("coffee-print.html", render(blueprint))
    page = tab.page
    on_screen = rect(page, f"#action-{blueprint.flows[0].source}")
    page.evaluate(NOTE_PRINTED_ARROWS)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.pdf(path=str(SCREENSHOTS / "coffee-print.pdf"), prefer_css_page_size=True)
    (printed,) = page.evaluate("window.printed")
    assert [(a["source"], a["target"]) for a in printed] == [(f.source, f.target) for f in blueprint.flows]
    # Paper moves the cards; otherwise this test could not fail.
    assert printed[0]["from"] != on_screen
    for arrow in printed:
        assert distance_to(arrow["start"], arrow["from"]) <= NEAR, arrow
        assert distance_to(arrow["end"], arrow["to"]) <= NEAR, arrow
    # Back on screen, the arrows follow the screen's layout again.
    settle(page)
    for arrow, flow in zip(flow_ends(page), blueprint.flows):
        assert distance_to(arrow["start"], rect(page, f"#action-{flow.source}")) <= NEAR, flow
        assert distance_to(arrow["end"], rect(page, f"#action-{flow.target}")) <= NEAR, flow
    tab.assert_clean(url)


def test_dark_theme_and_print_layout(browser):
    """The system's dark setting turns the page dark; printed, the grid fits a landscape page."""
    tab = new_tab(browser, color_scheme="dark")
    blueprint = blueprint_of(ROOT / "examples" / "coffee.svc")
    url = tab.open("coffee.html", render(blueprint))
    background = tab.page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(20, 24, 31)"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab.page.screenshot(path=str(SCREENSHOTS / "coffee-dark.png"))
    tab.page.emulate_media(media="print")
    # A4 landscape less the margins is about 1061 CSS px wide.
    tab.page.set_viewport_size({"width": 1061, "height": 750})
    settle(tab.page)
    assert tab.page.evaluate("document.getElementById('grid').getBoundingClientRect().width") <= 1061
    assert not tab.page.is_visible("#filters")
    tab.page.pdf(path=str(SCREENSHOTS / "coffee.pdf"), landscape=True, format="A4")
    tab.assert_clean(url)
    tab.page.close()


def card_boxes(page) -> dict[str, dict]:
    """Every card shown, by action id, in page coordinates."""
    return page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('.card[data-action]')]
             .filter(c => c.getClientRects().length).map(c => { const r = c.getBoundingClientRect();
               return [c.dataset.action, {left: r.left + scrollX, right: r.right + scrollX,
                                          top: r.top + scrollY, bottom: r.bottom + scrollY}]; }))"""
    )


def inside(point: list[float], box: dict, margin: float = 1) -> bool:
    return (box["left"] + margin < point[0] < box["right"] - margin
            and box["top"] + margin < point[1] < box["bottom"] - margin)


def test_no_arrow_runs_under_a_card_it_does_not_join(example):
    blueprint, page = example
    cards = card_boxes(page)
    for arrow in path_points(page, count=96):
        for action_id, box in cards.items():
            if action_id not in (arrow["source"], arrow["target"]):
                under = [point for point in arrow["points"] if inside(point, box)]
                assert not under, (arrow["source"], arrow["target"], "under", action_id, under[:3])


def test_a_page_in_a_frame_that_does_not_size_it_keeps_its_own_layout(tab):
    # A frame of any other page (a notebook, an editor's preview) is not sized to the page
    # in it: there the details stay in the window, as at the top, not below their card.
    page_html = render(blueprint_of(ROOT / "examples" / "coffee.svc")).decode("utf-8")
    parent = ('<!doctype html><iframe sandbox="allow-scripts" style="width:100%;height:600px" srcdoc="'
              + html.escape(page_html, quote=True) + '"></iframe>')
    tab.requests.clear()
    tab.errors.clear()
    url = f"{ORIGIN}/framed.html"
    tab.pages[url] = parent.encode("utf-8")
    tab.page.goto(url)
    frame = tab.page.frames[1]
    frame.wait_for_selector("html[data-ready=true]", state="attached", timeout=60_000)
    tab.page.wait_for_timeout(300)  # time for a frame's page to answer, had it one
    assert frame.evaluate("() => document.documentElement.hasAttribute('data-framed')") is False
    frame.locator("#row-customer .card").nth(0).click()
    assert frame.evaluate("() => getComputedStyle(document.getElementById('details')).position") == "fixed"
    tab.assert_clean(url)


def label_boxes(page) -> list[dict]:
    """Every flow label, with its text, in page coordinates."""
    return page.evaluate(
        """() => [...document.querySelectorAll('#flow-labels text')].map(t => { const r = t.getBoundingClientRect();
             return {text: t.textContent, left: r.left + scrollX, right: r.right + scrollX,
                     top: r.top + scrollY, bottom: r.bottom + scrollY}; })"""
    )


def note_boxes(page) -> list[dict]:
    """Every note of evidence and annotation shown, and the stages' and steps' headers,
    with their text, in page coordinates."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.cell .evidence, .cell .annotation, thead th')]
             .filter(n => n.getClientRects().length).map(n => { const r = n.getBoundingClientRect();
               return {text: n.textContent, left: r.left + scrollX, right: r.right + scrollX,
                       top: r.top + scrollY, bottom: r.bottom + scrollY}; })"""
    )


def overlap(one: dict, other: dict) -> bool:
    return min(min(one["right"], other["right"]) - max(one["left"], other["left"]),
               min(one["bottom"], other["bottom"]) - max(one["top"], other["top"])) > 0


def test_no_flow_label_covers_a_card_or_a_note(example):
    blueprint, page = example
    labels = label_boxes(page)
    assert len(labels) == len(drawn_labels(blueprint))
    covered = [*card_boxes(page).items(), *((note["text"], note) for note in note_boxes(page))]
    for label in labels:
        for name, box in covered:
            assert not overlap(label, box), (label["text"], "covers", name)


CROWDED_LABELS = """blueprint "Crowd" {
  actor g customer "Guest"
  person c frontstage "Clerk"
  stage s "S" {
    step a "A" {
      evidence "A long note of evidence, the price list on the wall beside the counter"
      g: "Orders" as o
      c: "Takes" as t
    }
    step b "B" {
      evidence "Receipt"
      g: "Pays" as p
      c: "Charges" as ch
    }
  }
  o -> t : "the order, told across the counter in full"
  t -> o : "a question about the size and the milk"
  o -> t : "the answer, and a change of mind"
  t -> o : "the price, read from the till"
  p -> ch : "card"
}
"""


def test_labels_with_no_room_beside_their_flow_keep_clear_with_a_leader_to_it(tab):
    # Between two stacked cards there is room for one label: the others covered it, each
    # other and the note of evidence above.
    _, url = open_crafted(tab, "crowded-labels.html", CROWDED_LABELS)
    page = tab.page
    labels, cards, notes = label_boxes(page), card_boxes(page), note_boxes(page)
    assert len(labels) == 5
    for n, label in enumerate(labels):
        assert not any(overlap(label, other) for other in [*cards.values(), *notes, *labels[n + 1:]]), label["text"]
    leaders = page.evaluate(
        """() => [...document.querySelectorAll('circle.flow-leader')].map(dot => {
             const r = dot.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
             const near = [...document.querySelectorAll('#flow-paths path.flow')].map(path => {
               const m = path.getPointAtLength(path.getTotalLength() / 2);
               const box = path.ownerSVGElement.getBoundingClientRect();
               return Math.hypot(box.left + m.x - x, box.top + m.y - y); });
             return Math.min(...near); })"""
    )
    assert leaders and max(leaders) < 1.5  # each ends on the middle of a flow
    tab.assert_clean(url)


#: Five steps of four lanes, every flow labelled at length: more labels than the room
#: beside their flows, so that many go elsewhere.
DENSE = '''blueprint "Dense" {
  actor c customer "Customer"
  person f frontstage "Agent"
  role b backstage "Back office"
  system s support "Core system"
  stage one "Apply" {
    step a "Ask" { evidence "Form" c: "Fills in the form" as ca  f: "Checks the form" as fa
                   b: "Files it" as ba  s: "Stores it" as sa }
    step b "Check" { evidence "Letter" c: "Waits for news" as cb  f: "Calls back" as fb
                     b: "Checks the papers" as bb  s: "Scores the risk" as sb }
  }
  stage two "Decide" {
    step c "Offer" { evidence "Offer" c: "Reads the offer" as cc  f: "Explains the offer" as fc
                     b: "Writes the offer" as bc  s: "Prices it" as sc }
    step d "Sign" { evidence "Contract" c: "Signs" as cd  f: "Countersigns" as fd
                    b: "Archives" as bd  s: "Books it" as sd }
    step e "Pay" { evidence "Statement" c: "Gets the money" as ce  f: "Confirms" as fe
                   b: "Releases funds" as be  s: "Pays out" as se }
  }
  ca -> fa : "the form handed over the counter with every page"
  fa -> ba : "scanned pages sent to the back office for filing"
  ba -> sa : "a record written into the core system"
  sa -> sb : "the stored record passed on to the scoring"
  sb -> bb : "the risk score and the reasons behind it"
  bb -> fb : "questions the papers leave open for the agent"
  fb -> cb : "a phone call asking about the missing papers"
  cb -> fb : "the answers given on the phone"
  bb -> bc : "approval to write an offer"
  sc -> bc : "the price of the offer as computed"
  bc -> fc : "the written offer with its terms"
  fc -> cc : "the offer explained in plain words"
  cc -> cd : "decides to sign after reading"
  cd -> fd : "the signed contract handed back"
  fd -> bd : "the countersigned contract for the archive"
  bd -> sd : "the contract booked in the ledger"
  sd -> se : "the payment order for the bank"
  se -> be : "confirmation that the money left"
  be -> fe : "notice that the funds were released"
  fe -> ce : "a message that the money is on its way"
  sa -> sc : "history of earlier applications"
  fa -> fc : "notes from the first meeting"
}'''
#: px: a label's box this near its flow is read as naming it.
NEXT_TO = 16

LABELS_AND_LEADERS = """() => {
    const flows = JSON.parse(document.getElementById('blueprint-data').textContent).flows;
    const along = (path, step) => { const m = path.getScreenCTM(), n = path.getTotalLength(), points = [];
        for (let l = 0; l <= n + step / 2; l += step) {
            const q = new DOMPoint(path.getPointAtLength(Math.min(l, n)).x, path.getPointAtLength(Math.min(l, n)).y)
                .matrixTransform(m);
            points.push([q.x, q.y]); }
        return points; };
    const labelled = [...document.querySelectorAll('#flow-paths path.flow')].filter(p => flows[+p.dataset.flow].label);
    const labels = [...document.querySelectorAll('#flow-labels text')].map((t, i) => {
        const r = t.getBoundingClientRect();
        return {text: t.textContent, box: {left: r.left, right: r.right, top: r.top, bottom: r.bottom},
                flow: along(labelled[i], 1)}; });
    const leaders = [...document.querySelectorAll('path.flow-leader')].map(p => {
        const points = along(p, 1); return [points[0], points[points.length - 1]]; });
    return {labels, leaders};
}"""


def labels_off_their_flow_without_a_leader(page) -> list[tuple[str, float]]:
    """The labels whose box is further than NEXT_TO from their flow, and no leader joins to it."""
    drawn = page.evaluate(LABELS_AND_LEADERS)
    lost = []
    for label in drawn["labels"]:
        off = min(distance_to(point, label["box"]) for point in label["flow"])
        if off <= NEXT_TO:
            continue
        joined = any(distance_to(start, label["box"]) <= 1.5
                     and min(abs(end[0] - x) + abs(end[1] - y) for x, y in label["flow"]) <= 1.5
                     for start, end in drawn["leaders"])
        if not joined:
            lost.append((label["text"], round(off)))
    return lost


def test_a_label_set_off_its_flow_is_joined_to_it_by_a_leader(example):
    blueprint, page = example
    assert labels_off_their_flow_without_a_leader(page) == []


def test_in_a_crowded_blueprint_every_label_off_its_flow_has_a_leader(tab):
    result, url = open_crafted(tab, "dense.html", DENSE)
    assert labels_off_their_flow_without_a_leader(tab.page) == []
    tab.assert_clean(url)


@pytest.mark.parametrize("width", [1600, 1400])
def test_in_a_crowded_blueprint_no_label_covers_a_card_a_note_or_another_label(tab, width):
    # The lines the labelled flows cross have room for a label of two lines on either
    # side; in rows a line of text high, labels went over cards and over each other.
    tab.page.set_viewport_size({"width": width, "height": 1000})
    _, url = open_crafted(tab, "dense.html", DENSE)
    cards, notes, labels = card_boxes(tab.page), note_boxes(tab.page), label_boxes(tab.page)
    assert len(labels) == 22
    covered = [(label["text"], n) for n, label in enumerate(labels)
               if any(overlap(label, other) for other in [*cards.values(), *notes, *labels[n + 1:]])]
    assert covered == []
    tab.page.set_viewport_size({"width": 1600, "height": 1000})
    tab.assert_clean(url)


#: A claim handled over seven steps of four lanes, its flows labelled, many at length and
#: between lanes: the lines of the method and the other flows leave little room beside a flow.
CLAIM = '''blueprint "Car insurance claim" {
  scenario "A driver reports a minor accident and is paid for the repair"
  persona  "Driver with a first claim"

  actor driver   customer   "Driver"
  person agent   frontstage "Claims agent"
  role adjuster  backstage  "Adjuster"
  system claims  support    "Claims system"
  partner garage support    "Partner garage"

  stage report "Report" {
    step call "Call the hotline" {
      evidence "Hotline number on the insurance card"
      driver: "Calls and describes the accident" as describe
      agent:  "Opens a claim and asks for photos" as open_claim
      claims: "Creates the claim record" as create_record
    }
    step photos "Send photos" {
      evidence "Upload link by text message"
      driver: "Uploads photos of the damage" as upload
      agent:  "Checks the photos are usable" as check_photos
      claims: "Stores the photos with the claim" as store_photos
    }
  }

  stage assess "Assess" {
    step review "Review" {
      evidence "Status page"
      driver:   "Waits for a decision" wait 2d as wait_decision
      adjuster: "Reviews photos and policy" as review_claim
      claims:   "Checks cover and excess" as check_cover
    }
    step estimate "Estimate" {
      evidence "Estimate email"
      driver:   "Reads the estimate" as read_estimate
      agent:    "Explains the estimate" as explain_estimate
      adjuster: "Approves the repair cost" as approve_cost
      garage:   "Quotes for the repair" as quote
    }
  }

  stage repair "Repair" {
    step book "Book the garage" {
      evidence "Booking confirmation"
      driver: "Picks a date" as pick_date
      agent:  "Books the garage" as book_garage
      garage: "Reserves a slot" as reserve_slot
    }
    step fix "Repair" {
      evidence "Courtesy car"
      driver:   "Drops the car off" as drop_off
      adjuster: "Authorises the payment" as authorise
      garage:   "Repairs the car" as repair_car
    }
    step close "Close" {
      evidence "Closing letter"
      driver: "Collects the car" as collect
      agent:  "Closes the claim" as close_claim
      claims: "Pays the garage" as pay_garage
    }
  }

  describe -> open_claim : "date, place and the other driver's details"
  open_claim -> create_record : "claim opened"
  open_claim -> upload : "a text message with the upload link"
  upload -> store_photos : "photos uploaded straight to the claim"
  store_photos -> check_photos : "photos to check"
  check_photos -> review_claim : "usable photos, passed on for review"
  create_record -> check_cover : "the policy and its excess"
  check_cover -> review_claim : "cover confirmed"
  review_claim -> approve_cost : "the damage as the adjuster sees it"
  quote -> approve_cost : "the garage's quote for parts and labour"
  approve_cost -> explain_estimate : "approved estimate"
  explain_estimate -> read_estimate : "the estimate and the excess explained on a call"
  wait_decision -> read_estimate : "two days later"
  read_estimate -> pick_date : "accepts"
  pick_date -> book_garage : "a preferred date"
  book_garage -> reserve_slot : "booking request with the claim number"
  reserve_slot -> drop_off : "slot confirmed by text"
  drop_off -> repair_car : "the car and its keys"
  approve_cost -> authorise : "cost cap for the repair"
  repair_car -> authorise : "invoice and photos of the finished repair"
  authorise -> pay_garage : "payment order"
  repair_car -> collect : "the car ready to collect"
  collect -> close_claim : "signs the release"
  pay_garage -> close_claim : "payment made"
}'''

#: For each label another flow's line or a line of the method runs through, a place of its
#: size next to its flow (at most NEXT_TO px off, 1 px clear of it) that nothing runs through
#: or covers, if the page had one: the cards, notes, other labels (2 px clear), the other
#: flows' lines (2 px clear) and the lines of the method, within the grid's cells. Searched
#: on a 4 px grid of places round the flow, independently of how the page places labels.
AVOIDABLY_CROSSED = """() => {
    const NEXT_TO = %d, STEP = 4;
    const flows = JSON.parse(document.getElementById('blueprint-data').textContent).flows;
    const rectOf = e => { const r = e.getBoundingClientRect();
        return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; };
    const along = path => { const m = path.getScreenCTM(), n = path.getTotalLength(), points = [];
        for (let l = 0; l <= n + 1; l += 2) { const p = path.getPointAtLength(Math.min(l, n));
            const q = new DOMPoint(p.x, p.y).matrixTransform(m); points.push([q.x, q.y]); }
        return points; };
    const paths = [...document.querySelectorAll('#flow-paths path.flow')], lines = paths.map(along);
    const labelled = paths.map((p, i) => i).filter(i => flows[+paths[i].dataset.flow].label
                                                        || flows[+paths[i].dataset.flow].loop);
    const method = [...document.querySelectorAll('td.line-cell')].filter(c => c.getClientRects().length)
        .map(c => { const r = rectOf(c); return {y: (r.top + r.bottom) / 2, left: r.left, right: r.right}; });
    const cover = [...document.querySelectorAll('.card[data-action], .cell .evidence, .cell .annotation')]
        .filter(n => n.getClientRects().length).map(rectOf);
    const cells = rectOf(document.querySelector('td.cell')), grid = rectOf(document.getElementById('grid'));
    const texts = [...document.querySelectorAll('#flow-labels text')], labels = texts.map(rectOf);
    const gap = (p, b) => Math.hypot(Math.max(b.left - p[0], 0, p[0] - b.right),
                                     Math.max(b.top - p[1], 0, p[1] - b.bottom));
    const near = (a, b, margin) => a.right + margin > b.left && b.right + margin > a.left
                                   && a.bottom + margin > b.top && b.bottom + margin > a.top;
    const crossed = (box, own, margin) => lines.some((points, j) => j !== own
                                                                    && points.some(p => gap(p, box) < margin));
    const onMethod = box => method.some(l => l.y > box.top - 1 && l.y < box.bottom + 1
                                             && box.right > l.left && box.left < l.right);
    const found = [];
    labels.forEach((label, k) => {
        const own = labelled[k], points = lines[own];
        if (!crossed(label, own, 0.01) && !onMethod(label)) return;
        const width = label.right - label.left, height = label.bottom - label.top;
        const others = labels.filter((other, n) => n !== k);
        const xs = points.map(p => p[0]), ys = points.map(p => p[1]);
        for (let x = Math.min(...xs) - NEXT_TO - width; x <= Math.max(...xs) + NEXT_TO; x += STEP) {
            for (let y = Math.min(...ys) - NEXT_TO - height; y <= Math.max(...ys) + NEXT_TO; y += STEP) {
                const box = {left: x, top: y, right: x + width, bottom: y + height};
                if (box.left < cells.left || box.top < cells.top || box.right > grid.right || box.bottom > grid.bottom
                    || !points.some(p => gap(p, box) <= NEXT_TO) || points.some(p => gap(p, box) < 1)
                    || cover.some(c => near(box, c, 2)) || others.some(o => near(box, o, 2))
                    || onMethod(box) || crossed(box, own, 2)) continue;
                found.push([texts[k].textContent, Math.round(x - label.left), Math.round(y - label.top)]);
                return;
            }
        }
    });
    return found;
}""" % NEXT_TO

#: The other flows whose lines run through a label, by its text, and the lines of the method that do.
CROSSED = """text => {
    const flows = JSON.parse(document.getElementById('blueprint-data').textContent).flows;
    const texts = [...document.querySelectorAll('#flow-labels text')], k = texts.findIndex(t => t.textContent === text);
    const paths = [...document.querySelectorAll('#flow-paths path.flow')];
    const own = paths.filter(p => flows[+p.dataset.flow].label || flows[+p.dataset.flow].loop)[k];
    const r = texts[k].getBoundingClientRect();
    const inside = q => q.x > r.left && q.x < r.right && q.y > r.top && q.y < r.bottom;
    const others = paths.filter(path => {
        if (path === own) return false;
        const m = path.getScreenCTM(), n = path.getTotalLength();
        for (let l = 0; l <= n; l += 2) { if (inside(path.getPointAtLength(l).matrixTransform(m))) return true; }
        return false; });
    const lines = [...document.querySelectorAll('td.line-cell')].filter(c => {
        const l = c.getBoundingClientRect(), y = (l.top + l.bottom) / 2; return y > r.top - 1 && y < r.bottom + 1; });
    return {flows: others.map(p => p.dataset.source + ' -> ' + p.dataset.target), lines: lines.length};
}"""


def test_a_label_keeps_off_the_other_flows_and_the_lines_of_the_method_where_its_flow_leaves_room(example):
    blueprint, page = example
    assert page.evaluate(AVOIDABLY_CROSSED) == []


def test_in_a_crowded_claim_labels_keep_off_the_other_flows_and_the_lines_of_the_method(tab):
    """Labels were placed clear of cards, notes and labels only: another flow's line ran
    through some, and several lay on a line of the method, with a clear place next to their flow."""
    _, url = open_crafted(tab, "claim.html", CLAIM)
    page = tab.page
    # Crossed by two flows, through the Book the garage column, on a 1600 px wide page.
    assert page.evaluate(CROSSED, "booking request with the claim number") == {"flows": [], "lines": 0}
    assert page.evaluate(AVOIDABLY_CROSSED) == []
    assert labels_off_their_flow_without_a_leader(page) == []
    cards, notes, labels = card_boxes(page), note_boxes(page), label_boxes(page)
    for n, label in enumerate(labels):
        assert not any(overlap(label, other) for other in [*cards.values(), *notes, *labels[n + 1:]]), label["text"]
    tab.assert_clean(url)


#: Four lanes of four steps, and flows every way between them: the restart loop runs back
#: along the line of interaction, whose room its label cannot take.
EVERY_WAY = '''blueprint "Every way" {
  scenario "Dense flows"
  persona "P"
  actor g customer "Guest"
  person s frontstage "Staff"
  role b backstage "Back"
  system y support "System"
  stage one "One" {
    step a "A" {
      evidence "E"
      g: "Starts" as a1
      s: "Helps A" as a2
      b: "Back A" as a3
      y: "Sys A" as a4
    }
    step b "B" {
      evidence "E"
      g: "Continues" as b1
      s: "Helps B" as b2
      b: "Back B" as b3
      y: "Sys B" as b4
    }
  }
  stage two "Two" {
    step c "C" {
      evidence "E"
      g: "Goes on" as c1
      s: "Helps C" as c2
      b: "Back C" as c3
      y: "Sys C" as c4
    }
    step d "D" {
      evidence "E"
      g: "Ends" as d1
      s: "Helps D" as d2
      b: "Back D" as d3
      y: "Sys D" as d4
    }
  }
  a1 -> b1 -> c1 -> d1
  a1 <-> a2 : "ask"
  a2 -> d3 : "far one"
  a3 -> d1 : "far two"
  a4 -> d2 : "far three"
  d4 -> a2 : "back all the way"
  d1 -> a1 : "restart" loop
  c3 -> b3 : "back one"
  b3 -> c3 : "forward one"
  b2 -> b2 : "self loop"
  a2 -> b4
  a2 -> c4
  a2 -> d4
  a2 -> c3
  b4 -> a3 : "back diag"
  c2 -> a4 : "diag back"
  d2 -> a1 : "up-left"
}'''

#: How much of each leader lies on a line it cannot be told from: its own flow's, or a line
#: of the method; each [leader's label, share of its points within 3 px of one].
LEADERS_ON_LINES = """() => {
    const along = (path, step) => { const m = path.getScreenCTM(), n = path.getTotalLength(), points = [];
        for (let l = 0; l <= n + step / 2; l += step) {
            const q = path.getPointAtLength(Math.min(l, n));
            const s = new DOMPoint(q.x, q.y).matrixTransform(m); points.push([s.x, s.y]); }
        return points; };
    const near = (a, b) => Math.hypot(a[0] - b[0], a[1] - b[1]);
    const drawn = [...document.querySelectorAll('#flow-paths path.flow')].map(path => {
        const points = along(path, 2); return {points, middle: along(path, path.getTotalLength() / 2)[1]}; });
    const lines = [...document.querySelectorAll('td.line-cell')].filter(cell => cell.offsetParent).map(cell => {
        const r = cell.getBoundingClientRect(); return {left: r.left, right: r.right, y: (r.top + r.bottom) / 2}; });
    return [...document.querySelectorAll('path.flow-leader')].map(leader => {
        const points = along(leader, 2), end = points[points.length - 1];
        const own = drawn.filter(flow => near(flow.middle, end) < 1.5);
        const on = points.filter(q => own.some(flow => flow.points.some(r => near(r, q) <= 3))
            || lines.some(line => Math.abs(line.y - q[1]) <= 3 && q[0] >= line.left && q[0] <= line.right));
        return [own.length, on.length / points.length]; });
}"""


def leaders_along_lines(page) -> list[float]:
    """The share of each leader that lies along its own flow or a line of the method, over half."""
    leaders = page.evaluate(LEADERS_ON_LINES)
    assert all(own == 1 for own, _ in leaders)  # each ends on the middle of one flow
    return [round(share, 2) for _, share in leaders if share > 0.5]


def test_a_leader_does_not_run_along_its_flow_or_a_line_of_the_method(tab):
    # A leader on top of its own flow, or of a line of the method, cannot be seen: the
    # label seems to float free of any flow. The restart loop's label went far to the
    # right, its leader back along the line of interaction and the loop.
    _, url = open_crafted(tab, "leaders.html", EVERY_WAY)
    assert tab.page.locator("path.flow-leader").count() >= 3
    assert leaders_along_lines(tab.page) == []
    tab.assert_clean(url)


def test_no_leader_of_the_examples_runs_along_a_line(example):
    blueprint, page = example
    assert leaders_along_lines(page) == []

REWORK = '''blueprint "Rework" {
  actor c customer "Customer"
  person f frontstage "Clerk"
  stage s "S" {
    step one "One" { evidence "Desk" c: "Orders" as order  f: "Takes the order" as take }
    step two "Two" { evidence "Cup" c: "Tastes it" as taste  f: "Serves" as serve }
  }
  order -> take : "the order"
  take -> serve
  taste -> order : "wrong drink"
  serve -> take loop
}'''


def test_loops_and_flows_back_in_time_are_dashed_in_their_own_colour_with_a_mark(tab):
    """As in the SVG: rework, marked `loop` or not, stands apart from the hand-offs it repeats."""
    result, url = open_crafted(tab, "rework.html", REWORK)
    # taste -> order runs back, unmarked: the checker's BP407.
    assert [d.code for d in check(result) if d.code.startswith("BP407")] == ["BP407"]
    arrows = tab.page.evaluate(
        """() => [...document.querySelectorAll('#flow-paths path.flow')].map(p => {
             const style = getComputedStyle(p);
             return {loop: p.classList.contains('is-loop'), stroke: style.stroke, dashes: style.strokeDasharray}; })"""
    )
    assert [arrow["loop"] for arrow in arrows] == [False, False, True, True]
    plain, rework = arrows[0], arrows[2:]
    for arrow in rework:
        assert arrow["dashes"] != "none" and arrow["stroke"] != plain["stroke"], arrow
    assert plain["dashes"] == "none"
    labels = tab.page.evaluate(
        """() => [...document.querySelectorAll('#flow-labels text')]
             .map(t => [t.textContent, getComputedStyle(t).fill])"""
    )
    assert [text for text, _ in labels] == ["the order", "\u21ba wrong drink", "\u21ba loop"]
    assert labels[1][1] == labels[2][1] == rework[0]["stroke"] != labels[0][1]
    tab.assert_clean(url)


LONG_LABEL = """blueprint "Labels" {
  actor g customer "Guest"
  person c frontstage "Clerk"
  stage s "S" { step a { g: "Orders" as o  c: "Takes" as t } }
  o <-> t : "A very long flow label that will certainly not fit  between two cards, in lines"
}
"""


def test_a_long_flow_label_is_drawn_in_lines_within_the_grid(tab):
    """A label longer than a card is wide ran out of the grid on one line, across the line
    of interaction; it is now drawn in lines about a card wide, and reads as written."""
    result = loads(LONG_LABEL, "labels.svc")
    assert result.ok, result.diagnostics
    tab.open("long-label.html", render(result.blueprint))
    label = tab.page.evaluate(
        """() => { const t = document.querySelector('#flow-labels text'), r = t.getBoundingClientRect(),
                       g = document.getElementById('grid').getBoundingClientRect();
             return {text: t.textContent, lines: [...t.querySelectorAll('tspan')].map(s => s.textContent),
                     inside: r.left >= g.left && r.right <= g.right && r.top >= g.top && r.bottom <= g.bottom}; }"""
    )
    assert label["text"] == result.blueprint.flows[0].label
    assert len(label["lines"]) > 1 and all(len(line.strip()) <= 32 for line in label["lines"]), label["lines"]
    assert label["inside"], label


ROUTES = '''blueprint "Routes" {
  actor c customer "C"
  person f frontstage "F"
  role b backstage "B"
  system s support "S"
  system t support "T"
  stage one "One" {
    step a { c: "C1" as c1  f: "F1" as f1  s: "S1" as s1 }
    step b { c: "C2" as c2  f: "Serves" as f2  b: "Prepares the order with care" as b2  s: "S2" as s2  t: "T2" as t2 }
    step c { c: "C3" as c3  f: "F3" as f3  b: "B3" as b3  s: "S3" as s3 }
    step z { c: "Pays at the end" as cz  f: "Takes the payment" as fz  b: "Books it" as bz }
  }
  c1 -> b2 : "passed to the kitchen"  # round f1 or f2, its label clear of the cards
  c1 -> b3                             # several round cards into one
  c2 -> b3
  f1 -> b3
  b3 -> f1
  s1 -> s3 : "sync"                    # along the bottom lane, inside the grid
  cz -> bz : "book"                    # down the last column, inside the grid
  c1 -> c1 : "retry"                   # two loops on one card, clear of the next card
  c1 -> c1 loop
}'''


@pytest.mark.parametrize("media", ["screen", "print"])
def test_flows_go_round_cards_inside_the_grid_their_labels_clear_of_cards(tab, media: str):
    result, url = open_crafted(tab, f"routes-{media}.html", ROUTES)
    page = tab.page
    page.emulate_media(media=media)
    settle(page)
    try:
        cards = card_boxes(page)
        grid = rect(page, "#grid")
        arrows = path_points(page, count=240)
        assert len(arrows) == len(result.blueprint.flows)
        for arrow in arrows:
            ends = (arrow["source"], arrow["target"])
            for action_id, box in cards.items():
                if action_id not in ends:
                    assert not [p for p in arrow["points"] if inside(p, box, margin=0.5)], (ends, "under", action_id)
            # Nothing cut off by the grid's scrolling box.
            assert grid["left"] - 1 <= arrow["box"]["left"] and arrow["box"]["right"] <= grid["right"] + 1, ends
            assert grid["top"] - 1 <= arrow["box"]["top"] and arrow["box"]["bottom"] <= grid["bottom"] + 1, ends
        if media == "screen":  # paper leaves no room beside the cards for a label
            labels = page.evaluate(
                """() => [...document.querySelectorAll('#flow-labels text')].map(t => {
                     const r = t.getBoundingClientRect();
                     return {text: t.textContent, left: r.left + scrollX, right: r.right + scrollX,
                             top: r.top + scrollY, bottom: r.bottom + scrollY}; })""")
            assert len(labels) == 6  # and b3 -> f1 runs back, c1 -> c1 loop: "↺ loop"
            for label in labels:
                for action_id, box in cards.items():
                    assert (min(label["right"], box["right"]) <= max(label["left"], box["left"])
                            or min(label["bottom"], box["bottom"]) <= max(label["top"], box["top"])), (label, action_id)
    finally:
        page.emulate_media(media="screen")
    tab.assert_clean(url)
