"""What the method says is not an error must check clean, with every rule on."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from blueprint_dsl.check import check
from blueprint_dsl.cli import main
from blueprint_dsl.config import Config
from blueprint_dsl.loader import load, loads
from blueprint_dsl.rules import RULES

ROOT = Path(__file__).parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.svc"))
ALL_RULES = Config(select=tuple(rule.code.code for rule in RULES))

# Room service by phone: the guest's call reaches the order-taker backstage, out of view
# (PRODUCT.md: not an error). Walking to the room and sleeping are customer steps with no
# organisation action in their columns (PRODUCT.md: not an error either).
HOTEL_NIGHT = """\
blueprint "Hotel night" {
  scenario "Late arrival, dinner in the room"
  persona  "Business traveller"
  actor  guest       customer   "Guest"
  role   clerk       frontstage "Front-desk clerk"
  role   order_taker backstage  "Room-service order-taker"
  role   chef        backstage  "Chef"
  role   server      frontstage "Room-service server"

  stage arrive "Arrive" {
    step check_in "Check in" {
      evidence "Front desk", "Key card"
      guest: "Gives name and card" takes 3min as give_details
      clerk: "Issues the key" takes 2min as issue_key
    }
    step walk "Walk to the room" {
      evidence "Lift", "Room number signs"
      guest: "Walks to the room" takes 2min as walk_to_room
    }
  }
  stage dine "Dine" {
    step call "Order by phone" {
      evidence "Room-service menu", "Phone"
      guest:       "Calls room service and orders" takes 3min as call_order
      order_taker: "Takes the order by phone" as take_call
                   fail "Order misheard" safe "Order read back" owner order_taker
      chef:        "Cooks the dish" takes 20min as cook
    }
    step deliver "Delivery" {
      evidence "Trolley", "Cloche"
      guest:  "Opens the door, signs the bill" takes 2min as sign_bill
      server: "Brings the trolley" as bring
    }
  }
  stage night "Night" {
    step sleep "Sleep" {
      evidence "Bed"
      guest: "Sleeps" as sleep
    }
  }

  give_details <-> issue_key
  call_order <-> take_call : "phone order"
  take_call -> cook -> bring <-> sign_bill
}
"""


def test_the_two_patterns_the_method_allows_check_clean_with_all_rules() -> None:
    result = loads(HOTEL_NIGHT, "hotel-night.svc")
    assert check(result, ALL_RULES) == []


def test_the_patterns_are_really_in_the_blueprint() -> None:
    blueprint = loads(HOTEL_NIGHT, "hotel-night.svc").blueprint
    lanes = {a.id: a.lane.value for a in blueprint.actions()}
    steps = {step.id: {a.lane.value for a in step.actions} for step in blueprint.steps}
    assert steps["walk"] == steps["sleep"] == {"customer"}
    assert any(
        lanes[f.source] == "customer" and lanes[f.target] == "backstage" for f in blueprint.flows
    ), "a customer action flows straight to a backstage one"


def test_the_blueprint_is_clean_with_strict_on_the_command_line(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "hotel-night.svc").write_text(HOTEL_NIGHT, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--strict", "hotel-night.svc"])
    assert (result.exit_code, result.stdout) == (0, "0 errors, 0 warnings in 1 file\n")


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_example_checks_clean(path: Path) -> None:
    diagnostics = check(load(path), ALL_RULES)
    assert [d.headline() for d in diagnostics] == []


def test_the_examples_folder_checks_clean_strictly(monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, ["check", "--strict", "examples"])
    assert result.exit_code == 0, result.stdout
    assert result.stdout.startswith("0 errors, 0 warnings in "), result.stdout
