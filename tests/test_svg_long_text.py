"""Long text stays inside what holds it, however long a blueprint's names and labels are.

The lines are measured as Graphviz drew them: its JSON output gives the width of every
line of text, where the SVG gives only where a line starts.
"""

from __future__ import annotations

import re

import pytest

from blueprint_dsl import loads
from blueprint_dsl.render import FORMATS, RenderOptions
from blueprint_dsl.render.graphviz import run_graphviz
from blueprint_dsl.render.layout import HEAD_WIDTH, MARGIN
from tests.render_geometry import Drawn, Rect, read_json


def drawn(text: str) -> tuple[Rect, dict[str, Drawn]]:
    """The page and the elements of ``text``'s drawing, as Graphviz placed and measured them."""
    result = loads(text)
    assert result.ok, [str(d) for d in result.diagnostics]
    source = FORMATS["dot"].render(result.blueprint, RenderOptions()).decode("utf-8")
    return read_json(run_graphviz(source, "json"))


def assert_lines_inside(element: Drawn) -> None:
    assert element.lines, f"{element.id} has no text"
    for text, rect in element.lines:
        assert rect.inside(element.rect), f"{text!r} runs out of {element.id}: {rect} vs {element.rect}"


def test_a_long_stage_name_wraps_inside_its_header():
    one_column = "Drop-off of the bicycle at the counter, with an inspection and a quote"
    two_columns = "Repair in the workshop, with parts ordered from the wholesaler if need be"
    _, elements = drawn(f"""
        blueprint "Bike repair" {{
          actor rider customer "Rider"
          stage drop "{one_column}" {{
            step check_in {{ rider: "Hands over the bike" as hand_over }}
          }}
          stage repair "{two_columns}" {{
            step fix {{ rider: "Waits" as wait_bike }}
            step collect {{ rider: "Collects the bike" as collect }}
          }}
        }}""")
    drop, repair = elements["stage-drop"], elements["stage-repair"]
    assert len(drop.lines) >= 3 and len(repair.lines) >= 2, "the names are not wrapped"
    assert " ".join(text for text, _ in drop.lines) == one_column
    assert_lines_inside(drop)
    assert_lines_inside(repair)
    # The headers are one band, above the labels of the steps.
    assert (drop.rect.top, drop.rect.bottom) == (repair.rect.top, repair.rect.bottom)
    assert drop.rect.bottom < elements["step-check_in"].rect.top


def test_a_long_actor_name_wraps_inside_its_card():
    name = "Senior customer-facing bicycle mechanic and workshop supervisor"
    _, elements = drawn(f"""
        blueprint "Bike repair" {{
          actor rider customer "Rider"
          person mechanic frontstage "{name}"
          stage drop "Drop-off" {{
            step check_in {{
              rider: "Hands over the bike" as hand_over
              mechanic: "Inspects the bike and quotes a price" takes 5min as quote
            }}
          }}
        }}""")
    card = elements["action-quote"]
    assert_lines_inside(card)
    assert " ".join(text for text, _ in card.lines).endswith(f"{name} \u00b7 5min")


def test_a_wrapped_title_lines_up_with_the_facts_inside_its_block():
    title = "Bike repair drop-off, from the phone call that books it to the ride home after work"
    blueprint = """
        blueprint "{title}" {{
          scenario "Walk-in repair"
          persona "Commuter"
          owner "Workshop"
          actor rider customer "Rider"
          stage drop "Drop-off" {{ step check_in {{ rider: "Hands over the bike" as hand_over }} }}
        }}"""
    _, short = drawn(blueprint.format(title="Bike repair"))
    _, elements = drawn(blueprint.format(title=title))
    block = elements["title-block"]
    assert_lines_inside(block)
    facts = {"Scenario", "Walk-in repair", "Persona", "Commuter", "Owner", "Workshop"}
    title_lines = [rect for text, rect in block.lines if text not in facts]
    assert len(title_lines) >= 2, "the title is not wrapped"
    # Every line of the title starts where the names of the facts start...
    assert {round(rect.left, 1) for rect in title_lines} == {round(block.text("Scenario").left, 1)}
    # ...and the values start where they do under a short title.
    for value in ("Walk-in repair", "Commuter", "Workshop"):
        assert block.text(value).left == short["title-block"].text(value).left, value


FIVE_COLUMNS = """
    blueprint "Flow at the edge" {{
      actor c customer "Customer"
      role f frontstage "Clerk"
      role b backstage "Office"
      stage s "Stage" {{
        step one {{ c: "One" as one }}
        step two {{ c: "Two" as two }}
        step three {{ c: "Three" as three }}
        step four {{ c: "Four" as four }}
        step five {{
          c: "Asks" as ask
          f: "Answers" as answer
          b: "Files it" as file
        }}
      }}
      one -> two -> three -> four -> ask
      {flow}
    }}"""


@pytest.mark.parametrize("flow", [
    # The clerk's card stands in the way: the flow runs down the gutter right of the last
    # column, and its label stands beside it.
    pytest.param('ask -> file : "a label on the flow down the gutter right of the last column"', id="beside"),
    # A flow back to its own card has no stretch to stand beside: its label goes above it.
    pytest.param('ask -> ask : "asks again until the answer is clear" loop', id="above"),
])
def test_a_flow_label_at_the_right_edge_stays_within_the_lanes(flow):
    page, elements = drawn(FIVE_COLUMNS.format(flow=flow))
    lanes = elements["lane-customer"].rect
    label = elements["flow-5"]
    assert len(label.lines) >= 2
    for text, rect in label.lines:
        assert lanes.left <= rect.left and rect.right <= lanes.right, f"{text!r} is outside the lanes: {rect}"
    # Graphviz widens the page to hold a label: the lanes and their margin are all of it.
    assert page.right <= lanes.right + MARGIN + 1


def test_capitals_and_wide_glyphs_stay_inside_what_holds_them():
    # Capitals, bold text and wide punctuation take more room than an average letter: a
    # count of characters gave a stage name like this one half the room it takes.
    _, elements = drawn("""
        blueprint "WORKSHOP MAINTENANCE WINDOW, MOWING MACHINES" {
          owner "MOWING & MAINTENANCE WORKSHOP (WEST WING) — MAIN DESK"
          actor rider customer "WWW MEMBERSHIP WORKSHOP MANAGER"
          person mechanic frontstage "MW"
          stage drop "WORKSHOP WINDOW" {
            step check_in "MOWER WHEEL MOUNTING WORKSHOP" {
              evidence "WWW.MOWERMAN.COM/WARRANTY"
              rider: "WHEELS MOWER OVER, WAITS AT WINDOW" as hand_over
              mechanic: "%%%% @@@@ &&&& WWWW MMMM ####" as quote
            }
          }
          stage collect "MOW" {
            step fix { rider: "MMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMM" as wait_bike }
          }
          hand_over -> quote : "WHEEL WOBBLE WARNING, WAIT"
        }""")
    for name in ("stage-drop", "stage-collect", "action-hand_over", "action-quote", "action-wait_bike",
                 "title-block", "evidence-check_in-1"):
        assert_lines_inside(elements[name])
    step, stage = elements["step-check_in"], elements["stage-drop"].rect
    assert len(step.lines) >= 2, "the step's label is not wrapped"
    for text, rect in step.lines:
        assert stage.left <= rect.left and rect.right <= stage.right, f"{text!r} runs out of its column"
    # The lanes' own titles, in bold, keep to the column of titles.
    for lane in ("customer", "frontstage", "backstage", "support", "evidence"):
        assert elements[f"lane-{lane}"].lines, f"lane-{lane} has no title"
        for text, rect in elements[f"lane-{lane}"].lines:
            assert MARGIN <= rect.left and rect.right <= MARGIN + HEAD_WIDTH, f"{text!r} runs out of its column"


LONG_ID = "s" * 17_000  # Graphviz reads no name or string past about 16,000 characters


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(f'stage {LONG_ID} "S" {{\n    step a {{ g: "x" }}\n  }}', id="stage id"),
        pytest.param(f'stage "{LONG_ID}" {{\n    step a {{ g: "x" }}\n  }}', id="stage name, its id made from it"),
        pytest.param(f'stage "S" {{\n    step {LONG_ID} {{ g: "x" }}\n  }}', id="step id"),
        pytest.param(f'stage "S" {{\n    step a {{ g: "x" as {LONG_ID}1 }}\n    step b {{ g: "y" as {LONG_ID}2 }}\n'
                     f'  }}\n  {LONG_ID}1 -> {LONG_ID}2', id="action ids alike for their first 17,000 characters"),
    ],
)
def test_ids_too_long_for_graphviz_are_drawn_cut_and_kept_apart(text: str):
    # They passed `check`, and then Graphviz refused the DOT with a syntax error.
    result = loads(f'blueprint "Long ids" {{\n  actor g customer "Guest"\n  {text}\n}}\n')
    assert result.ok, [str(d) for d in result.diagnostics]
    svg = FORMATS["svg"].render(result.blueprint, RenderOptions()).decode("utf-8")
    ids = re.findall(r' id="([^"]*)"', svg)
    assert ids and max(map(len, ids)) <= 200
    assert len(ids) == len(set(ids))
    assert len([i for i in ids if i.startswith(("action-", "step-", "stage-")) and len(i) == 200]) >= 1
