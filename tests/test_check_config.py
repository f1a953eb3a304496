"""[tool.blueprint] in pyproject.toml and the command line's options over it.

Every test runs the same blueprint with and without the setting, so that a
configuration that were ignored would fail it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from blueprint_dsl.cli import main

# Four customer actions, two of them without evidence (BP401), one wait of 15min,
# 24min of customer time, no persona (BP411), no tolerance.
BLUEPRINT = """\
blueprint "Clinic" {
  scenario "GP appointment"
  actor patient customer "Patient"
  stage visit "Visit" {
    step arrive "Arrive" {
      evidence "Desk"
      patient: "Checks in" takes 2min as check_in
      patient: "Sits down" as sit
    }
    step wait "Wait" {
      patient: "Waits to be called" wait 15min as wait_call
      patient: "Sees the doctor" takes 7min as consult
    }
  }
}
"""


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "clinic.svc").write_text(BLUEPRINT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def configure(project: Path, table: str) -> None:
    (project / "pyproject.toml").write_text("[project]\nname = 'x'\n\n[tool.blueprint]\n" + table, encoding="utf-8")


def run(*args: str):
    return CliRunner().invoke(main, ["check", "--format", "json", *args, "clinic.svc"])


def codes(*args: str) -> list[str]:
    result = run(*args)
    assert result.exit_code in (0, 1), result.output
    return sorted(d["code"] for d in json.loads(result.stdout)["diagnostics"])


def test_without_configuration(project: Path) -> None:
    assert codes() == ["BP401", "BP401", "BP411"]


# A pyproject.toml that cannot name the table is not parsed, so each way TOML has of
# spelling it must be recognised.
@pytest.mark.parametrize(
    "text",
    [
        "[tool.blueprint]\nignore = ['BP401']\n",
        "[ tool . blueprint ]\nignore = ['BP401']\n",
        "[\"tool\".'blueprint']\nignore = ['BP401']\n",
        "[tool]\nblueprint.ignore = ['BP401']\n",
        "[tool]\nblueprint = { ignore = ['BP401'] }\n",
        "tool.blueprint.ignore = ['BP401']\n",
        "tool = { blueprint = { ignore = ['BP401'] } }\n",
        "[tool.blueprint.severity]\nBP411 = 'error'\n[tool.blueprint]\nignore = ['BP401']\n",
    ],
)
def test_every_spelling_of_the_table_is_read(project: Path, text: str) -> None:
    (project / "pyproject.toml").write_text(text + "[project]\nname = 'x'\n", encoding="utf-8")
    assert codes() == ["BP411"]


def test_a_tool_value_that_is_not_a_table_configures_nothing(project: Path) -> None:
    (project / "pyproject.toml").write_text("tool = 1\n", encoding="utf-8")
    assert codes() == ["BP401", "BP401", "BP411"]


def test_a_blueprint_value_that_is_not_a_table_is_refused(project: Path) -> None:
    (project / "pyproject.toml").write_text("[tool]\nblueprint = 3\n", encoding="utf-8")
    result = run()
    assert result.exit_code == 2
    assert "tool.blueprint must be a table" in result.output and "Traceback" not in result.output


def test_a_pyproject_without_the_table_is_not_parsed(project: Path) -> None:
    # Invalid TOML: were it parsed, the check would stop with exit code 2.
    (project / "pyproject.toml").write_text("[tool.other]\nkey = = 1\n", encoding="utf-8")
    assert codes() == ["BP401", "BP401", "BP411"]
    assert run().exit_code == 0


def test_select(project: Path) -> None:
    configure(project, 'select = ["BP401"]\n')
    assert codes() == ["BP401", "BP401"]


def test_select_by_name_and_prefix(project: Path) -> None:
    configure(project, 'select = ["no-scenario-or-persona"]\n')
    assert codes() == ["BP411"]
    configure(project, 'select = ["BP41"]\n')
    assert codes() == ["BP411"]


def test_ignore(project: Path) -> None:
    configure(project, 'ignore = ["no-scenario-or-persona"]\n')
    assert codes() == ["BP401", "BP401"]


def test_severity_warning_to_error_changes_the_exit_code(project: Path) -> None:
    assert run().exit_code == 0
    configure(project, 'severity = { BP401 = "error" }\n')
    result = run()
    assert result.exit_code == 1
    levels = {d["code"]: d["severity"] for d in json.loads(result.stdout)["diagnostics"]}
    assert levels == {"BP401": "error", "BP411": "warning"}


def test_severity_by_rule_name(project: Path) -> None:
    configure(project, 'severity = { no-scenario-or-persona = "error" }\n')
    assert run().exit_code == 1


def test_severity_of_an_error_lowered_to_warning(project: Path) -> None:
    (project / "clinic.svc").write_text(BLUEPRINT.replace('"Sits down"', '"Sits down" in backstage'), encoding="utf-8")
    assert run().exit_code == 1  # BP301: the customer acting backstage
    configure(project, 'severity = { BP301 = "warning" }\n')
    assert run().exit_code == 0


def test_max_customer_actions(project: Path) -> None:
    assert "BP410" not in codes()
    configure(project, "max-customer-actions = 3\n")
    assert "BP410" in codes()


def test_max_wait(project: Path) -> None:
    assert "BP412" not in codes()
    configure(project, 'max-wait = "10min"\n')
    assert "BP412" in codes()


def test_default_tolerance(project: Path) -> None:
    assert "BP409" not in codes()
    configure(project, 'default-tolerance = "20min"\n')
    assert "BP409" in codes()


def test_the_blueprints_own_tolerance_wins_over_the_default(project: Path) -> None:
    text = BLUEPRINT.replace('  scenario "GP appointment"', '  scenario "GP appointment"\n  tolerance 1h')
    (project / "clinic.svc").write_text(text, encoding="utf-8")
    configure(project, 'default-tolerance = "20min"\n')
    assert "BP409" not in codes()


def test_configuration_is_found_in_a_parent_folder(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    configure(project, 'select = ["BP411"]\n')
    (project / "docs").mkdir()
    (project / "docs" / "clinic.svc").write_text(BLUEPRINT, encoding="utf-8")
    monkeypatch.chdir(project / "docs")
    assert codes() == ["BP411"]


def test_each_file_takes_the_configuration_nearest_to_it_wherever_the_command_runs(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two projects in one repository, checked from its top and from elsewhere: each file is
    # checked as the editor checks it, with its own project's configuration.
    configure(project, 'select = ["BP411"]\n')
    (project / "clinic" / "docs").mkdir(parents=True)
    (project / "clinic" / "docs" / "visit.svc").write_text(BLUEPRINT, encoding="utf-8")
    configure(project / "clinic", 'select = ["BP401"]\n')
    clinic = str(project / "clinic" / "docs" / "visit.svc")
    for folder in (project, project / "clinic", project.parent):
        monkeypatch.chdir(folder)
        result = CliRunner().invoke(main, ["check", "--format", "json", str(project / "clinic.svc"), clinic])
        found = {(Path(d["path"]).name, d["code"]) for d in json.loads(result.stdout)["diagnostics"]}
        assert found == {("clinic.svc", "BP411"), ("visit.svc", "BP401")}, folder
    from blueprint_dsl.lsp.document import analyse

    opened = analyse(Path(clinic).as_uri(), clinic, BLUEPRINT, None)
    assert {d.code for d in opened.diagnostics} == {"BP401"}

    # The page shows the findings of its file's project, the cached page too; a change to
    # that project's configuration renders it anew.
    monkeypatch.chdir(project)
    command = ["render", "-f", "html", "-o", "out", "clinic.svc", clinic]
    assert CliRunner().invoke(main, command).exit_code == 0
    page = (project / "out" / "visit.html").read_text(encoding="utf-8")
    assert "BP401" in page and "BP411" not in page
    assert "2 unchanged" in CliRunner().invoke(main, command).stderr
    configure(project / "clinic", 'select = ["BP411"]\n')
    again = CliRunner().invoke(main, command)
    assert "1 rendered, 1 unchanged" in again.stderr
    page = (project / "out" / "visit.html").read_text(encoding="utf-8")
    assert "BP411" in page and "BP401" not in page


@pytest.mark.parametrize(
    "table, message",
    [
        ("max-waits = 3\n", "unknown key 'max-waits'"),
        ('max_wait = "45min"\n', "unknown key 'max_wait'; did you mean 'max-wait'? the keys are"),
        ('select = ["empty-stag"]\n', "'empty-stag' is not a rule; did you mean 'empty-stage'?"),
        ('ignore = ["BP999"]\n', "'BP999' is not a rule"),
        ('severity = { BP401 = "fatal" }\n', "'fatal' is not error, warning or info"),
        ('severity = { BP401 = "eror" }\n', "'eror' is not error, warning or info; did you mean 'error'?"),
        ('[tool.blueprint.rules]\nBP401 = "error"\n', "unknown key 'rules'; the rules' levels go in severity"),
        ('severity = { BP4 = "error" }\n', "'BP4' is not a rule"),
        ('ignore = ["BP010"]\n', "ignore: 'BP010' is invalid-noqa, a code of reading a file, not a lane rule: "
         "only the lane rules (BP3xx, BP4xx) can be selected, ignored or given a severity"),
        ('severity = { unknown-actor = "warning" }\n', "severity: 'unknown-actor' is BP101, a code of reading a file"),
        ('severity = "error"\n', "severity must be a table"),
        ('severity = { BP401 = "error", customer-action-without-evidence = "info" }\n',
         "severity: 'customer-action-without-evidence' is BP401 again: give its severity once"),
        ('max-wait = "soon"\n', "max-wait: 'soon' is not a duration"),
        ('default-tolerance = "36526d"\n', "default-tolerance: '36526d' is not a duration (longer than 100 years)"),
        ("max-customer-actions = 0\n", "max-customer-actions must be a whole number"),
        ("max-customer-actions = true\n", "max-customer-actions must be a whole number"),
        ('select = [""]\n', "select: an empty name selects every rule or none"),
        ("select = 3\n", "select must be a list"),
        ("select = [\n", "cannot read [tool.blueprint]"),
    ],
)
def test_a_bad_configuration_stops_the_run_and_says_where(project: Path, table: str, message: str) -> None:
    configure(project, table)
    result = run()
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "pyproject.toml" in result.stderr  # says which file
    assert "Usage:" not in result.stderr  # the command line was right


def test_a_pyproject_of_up_to_a_mebibyte_is_read(project: Path) -> None:
    padding = "# " + "x" * 97 + "\n"
    text = "[tool.blueprint]\nselect = [\"BP411\"]\n"
    (project / "pyproject.toml").write_text(text + padding * ((1024 * 1024 - len(text)) // len(padding)))
    assert (project / "pyproject.toml").stat().st_size <= 1024 * 1024
    assert codes() == ["BP411"]


def test_a_huge_or_irregular_pyproject_is_refused_unread(project: Path) -> None:
    """Exit 2 and the file named, instead of reading it whole, blocking on it, or passing it over."""
    def check() -> subprocess.CompletedProcess:
        # A process of its own, with a timeout: a FIFO that were opened would block the read.
        return subprocess.run([sys.executable, "-m", "blueprint_dsl", "check", "clinic.svc"], cwd=project,
                              capture_output=True, text=True, timeout=60)

    pyproject = project.resolve() / "pyproject.toml"
    with pyproject.open("w") as handle:
        handle.write('[tool.blueprint]\nselect = ["BP411"]\n')
        handle.truncate(1024 * 1024 + 1)  # sparse: over the limit by one byte
    huge = check()
    assert (huge.returncode, huge.stdout) == (2, "")
    assert f"{pyproject}: over the 1 MiB a pyproject.toml may be" in huge.stderr
    assert "Traceback" not in huge.stderr
    pyproject.unlink()
    for make in (os.mkfifo, os.mkdir):
        make(pyproject)
        refused = check()
        assert (refused.returncode, refused.stdout) == (2, ""), refused.stderr
        assert f"{pyproject}: not a regular file, so [tool.blueprint] cannot be read from it" in refused.stderr
        assert "Traceback" not in refused.stderr
        os.rmdir(pyproject) if pyproject.is_dir() else pyproject.unlink()
    pyproject.symlink_to(project / "moved.toml")
    dangling = check()
    assert (dangling.returncode, dangling.stdout) == (2, ""), dangling.stderr
    assert f"{pyproject}: a link to a file that does not exist, so [tool.blueprint] cannot be read" in dangling.stderr


def test_unknown_key_message_lists_the_keys(project: Path) -> None:
    configure(project, "colour = true\n")
    result = run()
    assert result.exit_code == 2
    for key in ("select", "ignore", "severity", "max-customer-actions", "max-wait", "default-tolerance"):
        assert key in result.stderr


# ---- the command line over the file ---------------------------------------------------


def test_command_line_select_replaces_the_files(project: Path) -> None:
    configure(project, 'select = ["BP411"]\n')
    assert codes("--select", "BP401") == ["BP401", "BP401"]


def test_command_line_select_is_repeatable_and_comma_separated(project: Path) -> None:
    assert codes("--select", "BP401,BP411") == ["BP401", "BP401", "BP411"]
    assert codes("--select", "BP401", "--select", "BP411") == ["BP401", "BP401", "BP411"]


def test_command_line_ignore_adds_to_the_files(project: Path) -> None:
    configure(project, 'ignore = ["BP411"]\n')
    assert codes() == ["BP401", "BP401"]
    assert codes("--ignore", "customer-action-without-evidence") == []


def test_command_line_severity_overrides_the_files(project: Path) -> None:
    configure(project, 'severity = { BP401 = "error" }\n')
    assert run().exit_code == 1
    assert run("--severity", "BP401=warning").exit_code == 0
    assert run("--severity", "BP411=error").exit_code == 1
    # A rule named by its name on one side and by its code on the other is the same rule.
    assert run("--severity", "customer-action-without-evidence=warning").exit_code == 0
    configure(project, 'severity = { customer-action-without-evidence = "error" }\n')
    assert run("--severity", "BP401=warning").exit_code == 0


def test_command_line_severities_may_be_comma_separated(project: Path) -> None:
    """As --select and --ignore: one option, several rules."""
    result = run("--severity", "BP401=info, no-scenario-or-persona=error")
    assert result.exit_code == 1  # BP411 an error now
    levels = {(d["code"], d["severity"]) for d in json.loads(result.stdout)["diagnostics"]}
    assert levels == {("BP401", "info"), ("BP411", "error")}


def test_command_line_max_wait_overrides_the_files(project: Path) -> None:
    configure(project, 'max-wait = "10min"\n')
    assert "BP412" in codes()
    assert "BP412" not in codes("--max-wait", "1h")
    assert "BP412" in codes("--max-wait", "5min")


def test_command_line_thresholds(project: Path) -> None:
    assert "BP410" in codes("--max-customer-actions", "3")
    assert "BP409" in codes("--default-tolerance", "20min")


@pytest.mark.parametrize(
    "args, message",
    [
        (("--select", "emtpy-stage"), "command line: select: 'emtpy-stage' is not a rule; did you mean 'empty-stage'?"),
        (("--select", "unknown-actor"), "select: 'unknown-actor' is BP101, a code of reading a file, not a lane rule"),
        (("--ignore", "bp1"), "ignore: 'bp1' names codes of reading a file (BP1xx), not lane rules: only the lane"),
        (("--severity", "BP401"), "write CODE=LEVEL"),
        (("--severity", "BP401=error,BP402"), "--severity BP401=error,BP402: write CODE=LEVEL"),
        (("--severity", "BP401=loud"), "'loud' is not error, warning or info"),
        (("--max-wait", "forever"), "'forever' is not a duration"),
        (("--max-wait", "9" * 400 + "d"), "is not a duration (longer than 100 years)"),
        (("--select", ""), "--select '' names no rule"),
        (("--ignore", " , "), "--ignore ' , ' names no rule"),
    ],
)
def test_bad_command_line_options_are_usage_errors(project: Path, args: tuple[str, ...], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_strict_makes_warnings_fail(project: Path) -> None:
    assert run().exit_code == 0
    assert run("--strict").exit_code == 1
    assert run("--strict", "--ignore", "BP401,BP411").exit_code == 0


def test_selection_never_hides_errors_that_are_not_rules(project: Path) -> None:
    (project / "clinic.svc").write_text(BLUEPRINT.replace("patient: \"Sits", "patinet: \"Sits"), encoding="utf-8")
    configure(project, 'select = ["BP411"]\n')
    result = run()
    assert result.exit_code == 1
    assert "BP101" in [d["code"] for d in json.loads(result.stdout)["diagnostics"]]


def test_the_documented_example_configuration_is_valid() -> None:
    import re

    from blueprint_dsl.config import from_mapping, parse_toml

    doc = (Path(__file__).parent.parent / "docs" / "checking.md").read_text(encoding="utf-8")
    block = re.search(r"```toml\n(.*?)```", doc, re.DOTALL)[1]
    config = from_mapping(parse_toml(block)["tool"]["blueprint"], "docs/checking.md")
    assert config.settings.max_customer_actions == 20 and config.settings.max_wait == 45 * 60
    for key in ("select", "ignore", "severity", "max-customer-actions", "max-wait", "default-tolerance"):
        assert f"`{key}`" in doc
