"""The JSON model of every example validates against the published schema, byte-stably."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from blueprint_dsl import load, loads
from blueprint_dsl.export import SCHEMA_PATH, SCHEMA_VERSION, dumps, to_json

ROOT = Path(__file__).parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.svc"))
SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def test_the_schema_is_a_valid_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["properties"]["schema_version"] == {"const": SCHEMA_VERSION}


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_example_validates(path: Path):
    result = load(path)
    assert result.ok
    document = json.loads(dumps(result.blueprint))
    VALIDATOR.validate(document)
    assert document["schema_version"] == SCHEMA_VERSION
    assert sum(len(step["actions"]) for stage in document["stages"] for step in stage["steps"]) == len(
        list(result.blueprint.actions())
    )


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_export_is_deterministic(path: Path):
    first = dumps(load(path).blueprint)
    assert dumps(load(path).blueprint) == first
    # Key order is part of the bytes: it follows the schema, not a hash seed.
    assert list(json.loads(first)) == SCHEMA["required"]


def test_the_schema_rejects_what_the_model_never_produces():
    document = to_json(load(EXAMPLES[0]).blueprint)
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate({**document, "schema_version": 2})
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate({**document, "surprise": True})
    bad_lane = json.loads(json.dumps(document))
    bad_lane["actors"][0]["lane"] = "evidence"
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate(bad_lane)


def test_every_construct_reaches_the_json():
    source = '''blueprint "All" {
      scenario "s" persona "p" segment "g" owner "o" version "1" description """
        Two
        lines
      """
      tolerance 1.5h theme dark
      actor c customer "C"  role f frontstage "F"
      stage s "S" { step a "A" {
        evidence "E"  metric "m"  policy "p"  time "t"
        c: "Does" as x takes 90s wait 2min emotion annoyed note "n" tag t1, t2 with "W"
        f: "Helps" in backstage as y fail "F" safe "S" owner f
        x -> y : "go" loop
      } }
      x <-> y
    }'''
    result = loads(source)
    assert result.ok, result.diagnostics
    document = to_json(result.blueprint)
    VALIDATOR.validate(document)
    assert document["description"] == "Two\nlines"
    assert document["tolerance"] == {"seconds": 5400.0, "text": "1.5h"}
    step = document["stages"][0]["steps"][0]
    assert [a["row"] for a in step["annotations"]] == ["metric", "policy", "time"]
    x, y = step["actions"]
    assert (x["wait"]["seconds"], x["emotion"], x["notes"], x["tags"], x["evidence"]) == (
        120.0, "annoyed", ["n"], ["t1", "t2"], ["W"])
    assert (y["lane"], y["lane_overridden"], y["fail"]) == (
        "backstage", True, {"description": "F", "safe": "S", "owner": "f"})
    flows = [(f["two_way"], f["label"], f["loop"]) for f in document["flows"]]
    assert flows == [(False, "go", True), (True, None, False)]


def test_the_schema_names_the_command_that_writes_the_document():
    (command,) = re.findall(r"`blueprint ([^`]+)`", SCHEMA["description"])
    coffee = ROOT / "examples" / "coffee.svc"
    written = subprocess.run(
        [sys.executable, "-m", "blueprint_dsl", *command.split(), str(coffee), "-o", "-"],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert written.returncode == 0, written.stderr
    assert written.stdout == dumps(load(coffee).blueprint)


@pytest.mark.parametrize("field", ["line", "column"])
def test_positions_are_one_based(field: str):
    document = to_json(load(EXAMPLES[0]).blueprint)
    assert document["actors"][0]["position"][field] >= 1
    document["actors"][0]["position"][field] = 0
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate(document)
