"""Machine-readable findings: `--format json`, `sarif` and `github`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from blueprint_dsl.cli import main
from tests.test_check_cli import CLEAN

SARIF_SCHEMA = json.loads((Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))

# Errors and warnings of several rules.
FINDINGS = """\
blueprint "Shop" {
  tolerance 5min
  actor  buyer   customer   "Buyer"
  person clerk   frontstage "Clerk"
  system payment support    "Payment provider"
  stage pay "Pay" {
    step pay "Pay" {
      buyer:   "Pays by card" wait 40min as pay_card
      clerk:   "Rings it up" with "Till" as ring
               fail "Card reader offline"
      payment: "Authorises" with "Receipt" as authorise
    }
  }
  stage leave "Leave" { }
  pay_card -> authorise
  pay_card <-> ring
}
"""
BROKEN = 'blueprint "Broken" {\n  actor guest customer "Guest"\n  stage s "S" {\n'

# The documented shape of `--format json` (docs/checking.md).
JSON_SCHEMA = {
    "type": "object",
    "required": ["version", "files", "errors", "warnings", "diagnostics"],
    "additionalProperties": False,
    "properties": {
        "version": {"const": 1},
        "files": {"type": "integer", "minimum": 0},
        "errors": {"type": "integer", "minimum": 0},
        "warnings": {"type": "integer", "minimum": 0},
        "diagnostics": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["code", "name", "severity", "message", "hint", "path", "line", "column",
                             "end_line", "end_column"],
                "properties": {
                    "code": {"type": "string", "pattern": "^BP[0-9]{3}$"},
                    "name": {"type": "string", "pattern": "^[a-z]+(-[a-z]+)*$"},
                    "severity": {"enum": ["error", "warning", "info"]},
                    "message": {"type": "string", "minLength": 1},
                    "hint": {"type": ["string", "null"]},
                    "path": {"type": "string"},
                    "line": {"type": "integer", "minimum": 1},
                    "column": {"type": "integer", "minimum": 1},
                    "end_line": {"type": "integer", "minimum": 1},
                    "end_column": {"type": "integer", "minimum": 1},
                },
            },
        },
    },
}


@pytest.fixture()
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "clean.svc").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "findings.svc").write_text(FINDINGS, encoding="utf-8")
    (tmp_path / "broken.svc").write_text(BROKEN, encoding="utf-8")
    return tmp_path


def output(fmt: str, *args: str) -> str:
    result = CliRunner().invoke(main, ["check", "--format", fmt, *args])
    assert result.exit_code in (0, 1), result.output
    return result.stdout


def as_json(*args: str) -> dict:
    return json.loads(output("json", *args))


def test_the_blueprint_has_findings_of_several_rules_and_severities(folder: Path) -> None:
    diagnostics = as_json("findings.svc")["diagnostics"]
    assert {d["code"] for d in diagnostics} >= {"BP302", "BP403", "BP404", "BP408", "BP409", "BP411", "BP412"}
    assert {d["severity"] for d in diagnostics} == {"error", "warning"}


# ---- json -------------------------------------------------------------------------------


@pytest.mark.parametrize("files", [("clean.svc",), ("findings.svc", "broken.svc", "clean.svc")])
def test_json_has_the_documented_shape(folder: Path, files: tuple[str, ...]) -> None:
    document = as_json(*files)
    jsonschema.Draft202012Validator(JSON_SCHEMA).validate(document)
    assert document["files"] == len(files)
    diagnostics = document["diagnostics"]
    assert document["errors"] == sum(d["severity"] == "error" for d in diagnostics)
    assert document["warnings"] == sum(d["severity"] == "warning" for d in diagnostics)
    keys = [(d["path"], d["line"], d["column"]) for d in diagnostics]
    assert keys == sorted(keys)


def test_json_of_a_clean_blueprint(folder: Path) -> None:
    assert as_json("clean.svc") == {"version": 1, "files": 1, "errors": 0, "warnings": 0, "diagnostics": []}


def test_json_diagnostic_fields(folder: Path) -> None:
    diagnostics = as_json("findings.svc")["diagnostics"]
    skip = next(d for d in diagnostics if d["code"] == "BP404")
    assert skip == {
        "code": "BP404",
        "name": "flow-skips-contact-staff",
        "severity": "warning",
        "message": "'pay_card' -> 'authorise' goes between the customer and a support process directly",
        "hint": "route it through the frontstage action or technology the customer deals with",
        "path": "findings.svc",
        "line": 15,
        "column": 3,
        "end_line": 15,
        "end_column": 24,
    }


# ---- sarif ------------------------------------------------------------------------------


@pytest.mark.parametrize("files", [("clean.svc",), ("findings.svc",), ("findings.svc", "broken.svc", "clean.svc")])
def test_sarif_validates_against_the_schema(folder: Path, files: tuple[str, ...]) -> None:
    log = json.loads(output("sarif", *files))
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
    assert log["version"] == "2.1.0"


def test_sarif_results_match_the_findings(folder: Path) -> None:
    files = ("findings.svc", "broken.svc")
    diagnostics = as_json(*files)["diagnostics"]
    run = json.loads(output("sarif", *files))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    assert len(results) == len(diagnostics) > 5
    levels = {"error": "error", "warning": "warning", "info": "note"}
    for result, d in zip(results, diagnostics):
        assert result["ruleId"] == d["code"] == rules[result["ruleIndex"]]["id"]
        assert result["level"] == levels[d["severity"]]
        assert result["message"]["text"].startswith(d["message"])
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == d["path"]
        assert location["region"]["startLine"] == d["line"]
        assert location["region"]["startColumn"] == d["column"]


def test_sarif_catalog_carries_each_rules_documentation(folder: Path) -> None:
    rules = json.loads(output("sarif", "clean.svc"))["runs"][0]["tool"]["driver"]["rules"]
    by_id = {rule["id"]: rule for rule in rules}
    assert by_id["BP404"]["name"] == "flow-skips-contact-staff"
    assert "## Why it matters" in by_id["BP404"]["help"]["markdown"]
    assert by_id["BP404"]["defaultConfiguration"]["level"] == "warning"


def test_sarif_level_follows_a_severity_override(folder: Path) -> None:
    run = json.loads(output("sarif", "--severity", "BP411=error", "findings.svc"))["runs"][0]
    assert {r["level"] for r in run["results"] if r["ruleId"] == "BP411"} == {"error"}


# ---- github -----------------------------------------------------------------------------

COMMAND = re.compile(r"^::(error|warning|notice) (?P<properties>[^:]*)::(?P<data>.*)$")


def unescape(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


def parse_github(text: str) -> list[tuple[str, dict[str, str], str]]:
    commands = []
    for line in text.splitlines():
        match = COMMAND.match(line)
        assert match, f"not a workflow command: {line!r}"
        properties = dict(item.split("=", 1) for item in match["properties"].split(","))
        commands.append((match[1], {k: unescape(v) for k, v in properties.items()}, unescape(match["data"])))
    return commands


def test_github_annotations_are_one_well_formed_command_per_finding(folder: Path) -> None:
    diagnostics = as_json("findings.svc", "broken.svc")["diagnostics"]
    commands = parse_github(output("github", "findings.svc", "broken.svc"))
    assert len(commands) == len(diagnostics)
    for (level, properties, data), d in zip(commands, diagnostics):
        assert level == {"error": "error", "warning": "warning", "info": "notice"}[d["severity"]]
        assert properties == {
            "file": d["path"],
            "line": str(d["line"]),
            "col": str(d["column"]),
            "endLine": str(d["end_line"]),
            "endColumn": str(d["end_column"]),
            "title": f"{d['code']} {d['name']}",
        }
        assert data.startswith(d["message"])


def test_github_escapes_properties_and_data(folder: Path) -> None:
    odd = "odd, name: 100%.svc"
    text = CLEAN.replace('"Sleeps" as sleep', '"Sleeps" as sleep fail "50% chance:\\nnoisy, cold"')
    (folder / odd).write_text(text, encoding="utf-8")
    raw = output("github", odd)
    assert raw.count("\n") == 1  # the newline in the message is escaped, not printed
    assert "%0A" in raw and "%25" in raw and "%2C" in raw and "%3A" in raw
    [(level, properties, data)] = parse_github(raw)
    assert level == "warning"
    assert properties["file"] == odd
    assert data.startswith("the fail point '50% chance:\nnoisy, cold' has no fail-safe and no owner")


def test_github_prints_nothing_for_a_clean_blueprint(folder: Path) -> None:
    assert output("github", "clean.svc") == ""


def test_a_run_that_cannot_check_says_so_in_sarif_and_annotations(folder: Path) -> None:
    # A CI step uploads the SARIF file or reads the annotations: an empty stdout left it
    # to fail on its own with an unclear error.
    (folder / "pyproject.toml").write_text("[tool.blueprint]\nmax-waits = 3\n", encoding="utf-8")
    sarif = CliRunner().invoke(main, ["check", "--format", "sarif", "clean.svc"])
    assert sarif.exit_code == 2
    log = json.loads(sarif.stdout)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
    (invocation,) = log["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    assert "unknown key 'max-waits'" in invocation["toolExecutionNotifications"][0]["message"]["text"]
    assert log["runs"][0]["results"] == []
    github = CliRunner().invoke(main, ["check", "--format", "github", "nothing-here/"])
    assert github.exit_code == 2
    ((level, properties, data),) = parse_github(github.stdout)
    assert (level, properties["title"]) == ("error", "blueprint check")
    assert "nothing-here/" in data
