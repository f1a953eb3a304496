"""The model: frozen, slotted, free of Lark, compared by structure and not by position."""

from __future__ import annotations

import dataclasses
import enum
import importlib
from pathlib import Path

import pytest

from blueprint_dsl import load, loads
from blueprint_dsl.model import Action, Actor, Blueprint, Duration, FailPoint, Flow, Lane, Stage, Step

ROOT = Path(__file__).parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.svc"))


def walk(value, path="blueprint"):
    """Every object reachable from a model node, with where it was found."""
    yield path, value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from walk(getattr(value, f.name), f"{path}.{f.name}")
    elif isinstance(value, (tuple, list, frozenset, set)):
        for i, item in enumerate(value):
            yield from walk(item, f"{path}[{i}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from walk(key, f"{path}<key>")
            yield from walk(item, f"{path}[{key!r}]")


ALLOWED_LEAVES = (str, int, float, bool, type(None), enum.Enum)
# Where the two parsers' trees and tokens come from.
PARSER_MODULES = ("lark", "blueprint_dsl._lark_standalone")


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_no_lark_object_reaches_the_model(path: Path):
    result = load(path)
    assert result.blueprint is not None
    seen = 0
    for where, value in walk(result.blueprint):
        seen += 1
        module = type(value).__module__ or ""
        assert not module.startswith(PARSER_MODULES), f"{where} is a {type(value)!r}"
        # A Token is a str subclass: exact types only for leaves.
        if not dataclasses.is_dataclass(value) and not isinstance(value, (tuple, list, dict, set, frozenset)):
            assert type(value) in ALLOWED_LEAVES or isinstance(value, enum.Enum), f"{where} is {type(value)!r}"
    assert seen > 200  # the walk really went through the whole blueprint


@pytest.mark.parametrize("parser", PARSER_MODULES)
def test_the_walk_would_see_a_parser_token(parser: str):
    # The check above can fail: a Token of either parser smuggled into a field is found.
    token = importlib.import_module(parser).Token("NAME", "c")
    blueprint = loads('blueprint "x" { actor c customer "C" }').blueprint
    actor = dataclasses.replace(blueprint.actors[0], id=token)
    smuggled = dataclasses.replace(blueprint, actors=(actor,))
    assert any(type(v).__module__.startswith(PARSER_MODULES) for _, v in walk(smuggled))


NODE_TYPES = (Blueprint, Stage, Step, Action, Actor, Flow, FailPoint, Duration)


@pytest.mark.parametrize("cls", NODE_TYPES, ids=lambda c: c.__name__)
def test_nodes_are_frozen_and_slotted(cls):
    assert cls.__dataclass_params__.frozen
    assert "__slots__" in cls.__dict__


def test_a_node_cannot_be_changed_or_given_new_attributes():
    blueprint = load(ROOT / "examples" / "coffee.svc").blueprint
    with pytest.raises(dataclasses.FrozenInstanceError):
        blueprint.title = "Tea"  # type: ignore[misc]
    actor = blueprint.actors[0]
    with pytest.raises((AttributeError, TypeError)):
        actor.colour = "red"  # type: ignore[attr-defined]
    assert isinstance(blueprint.stages, tuple) and isinstance(blueprint.stages[0].steps, tuple)
    assert hash(actor) == hash(dataclasses.replace(actor))


def test_nodes_are_keyword_only():
    with pytest.raises(TypeError):
        Actor("guest", "Guest", Lane.CUSTOMER)  # type: ignore[misc]


COMPACT = '''blueprint "Cafe" { scenario "Order" persona "Regular" actor guest customer "Guest"
actor barista frontstage "Barista" stage "Order" { step order { evidence "Menu"
guest: "Orders" takes 30s as ask barista: "Takes the order" as take
fail "Misheard" safe "Repeat back" owner barista } } ask <-> take : "order" }
'''

SPREAD = '''# The same cafe, laid out one fact per line, with comments.

blueprint "Cafe" {
    scenario "Order"
    persona  "Regular"

    actor guest   customer   "Guest"
    actor barista frontstage "Barista"

    stage "Order" {
        step order {
            evidence "Menu"
            guest:   "Orders" takes 30s as ask
            barista: "Takes the order" as take
                     fail "Misheard"
                     safe "Repeat back"
                     owner barista
        }
    }

    ask <-> take : "order"   # the exchange at the counter
}
'''


def test_spans_take_no_part_in_equality():
    compact, spread = loads(COMPACT, "compact.svc"), loads(SPREAD, "spread.svc")
    assert compact.ok and spread.ok, (compact.diagnostics, spread.diagnostics)
    assert compact.blueprint == spread.blueprint
    # ...although the positions do differ.
    a, b = compact.blueprint.stages[0].steps[0].actions[1], spread.blueprint.stages[0].steps[0].actions[1]
    assert (a.span.path, a.span.line) != (b.span.path, b.span.line)
    assert a.fail.span.line != b.fail.span.line


def test_a_change_of_meaning_is_not_equal():
    compact = loads(COMPACT).blueprint
    assert compact != loads(COMPACT.replace("takes 30s", "takes 40s")).blueprint
    assert compact != loads(COMPACT.replace("<->", "->")).blueprint


def test_a_duration_compares_by_its_length_not_its_spelling():
    assert loads(COMPACT).blueprint == loads(COMPACT.replace("takes 30s", "takes 0.5min")).blueprint


# ---- ids made for actions written without `as` ----------------------------------------

CROSSING_IDS = '''blueprint "C" { scenario "s" persona "p"
 actor a customer "A"
 actor b_c customer "BC"
 actor c customer "C"
 stage one "One" { step a_b { evidence "e" c: "first" } step a { evidence "e" b_c: "second" } }
}
'''


def test_made_action_ids_are_unique_across_the_blueprint():
    # Step a_b with actor c and step a with actor b_c both make a_b_c.
    result = loads(CROSSING_IDS)
    assert result.ok, result.diagnostics
    assert [a.id for a in result.blueprint.actions()] == ["a_b_c", "a_b_c_2"]


def test_a_made_action_id_never_takes_an_id_written_with_as():
    source = '''blueprint "W" { scenario "s" persona "p" actor a customer "A"
     stage "One" { step s { evidence "e" a: "first" a: "again" }
                   step t { evidence "e" a: "written" as s_a } } }'''
    result = loads(source)
    assert result.ok, result.diagnostics
    assert {a.text: a.id for a in result.blueprint.actions()} == {"first": "s_a_2", "again": "s_a_3", "written": "s_a"}


def test_made_action_ids_that_collide_with_nothing_keep_their_names():
    source = '''blueprint "K" { scenario "s" persona "p" actor a customer "A" actor b customer "B"
     stage "One" { step s { evidence "e" a: "one" a: "two" b: "three" } step t { evidence "e" a: "four" } } }'''
    ids = [a.id for a in loads(source).blueprint.actions()]
    assert ids == ["s_a", "s_a_2", "s_b", "t_a"]
    assert ids == [a.id for a in loads(source).blueprint.actions()]


def test_stages_named_in_other_scripts_get_ids_of_their_own():
    # Neither name has an ASCII letter, so both make the id `stage`.
    source = '''blueprint "U" { scenario "s" persona "p" actor a customer "A"
     stage "Первый" { step s1 { evidence "e" a: "first" } }
     stage "Второй" { step s2 { evidence "e" a: "second" } } }'''
    result = loads(source)
    assert result.ok, result.diagnostics
    assert [stage.id for stage in result.blueprint.stages] == ["stage", "stage_2"]
    assert [step.stage for step in result.blueprint.steps] == ["stage", "stage_2"]
    assert [action.stage for action in result.blueprint.actions()] == ["stage", "stage_2"]


def test_stages_named_with_accents_keep_the_letters_under_them():
    source = '''blueprint "A" { scenario "s" persona "p" actor a customer "A"
     stage "Été" { step s1 { evidence "e" a: "first" } }
     stage "Straße" { step s2 { evidence "e" a: "second" } }
     stage "Smørrebrød" { step s3 { evidence "e" a: "third" } }
     stage "Łódź, Œuvre" { step s4 { evidence "e" a: "fourth" } }
     stage "Ŋaŋ ĸaƒé" { step s5 { evidence "e" a: "fifth" } } }'''
    result = loads(source)
    assert result.ok, result.diagnostics
    assert [stage.id for stage in result.blueprint.stages] == [
        "ete", "strasse", "smorrebrod", "lodz_oeuvre", "ngang_qafe"
    ]


def test_a_made_stage_id_never_takes_one_written_after_stage():
    source = '''blueprint "S" { scenario "s" persona "p" actor a customer "A"
     stage "Order" { step s1 { evidence "e" a: "first" } }
     stage order "Pay" { step s2 { evidence "e" a: "second" } } }'''
    result = loads(source)
    assert result.ok, result.diagnostics
    assert [stage.id for stage in result.blueprint.stages] == ["order_2", "order"]


def test_a_duration_of_100_years_is_the_longest():
    assert loads(COMPACT.replace("takes 30s", "takes 36525d")).ok
    longer = loads(COMPACT.replace("takes 30s", "takes 36525.5d"))
    assert [d.code for d in longer.diagnostics] == ["BP201"]
    assert longer.blueprint is None or all(a.duration is None for a in longer.blueprint.actions())


def test_a_loop_written_before_its_flow_marks_that_flow_not_the_one_above():
    """A line break does not end a flow: ``loop`` opening the line of the next flow would
    read as the loop of the flow above. It is said, and read as meant."""
    source = (Path(__file__).parent / "malformed" / "loop-before-flow.svc").read_text(encoding="utf-8")
    result = loads(source)
    assert [d.span.line for d in result.diagnostics] == [26, 31]
    loops = {(flow.source, flow.target): flow.loop for flow in result.blueprint.flows}
    assert loops[("collect_bike", "give_back")] is False
    assert loops[("give_back", "quote")] is True
    assert loops[("file_card", "ticket")] is True
    assert loops[("hand_over", "quote")] is False
