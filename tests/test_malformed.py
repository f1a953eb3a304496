"""Malformed blueprints: one mistake each, and the exact report ``blueprint check`` gives.

A case is a file ``tests/malformed/NAME.svc`` with its expected output in
``NAME.expected`` beside it, or a folder ``tests/malformed/NAME/`` (for mistakes that
take several files: includes, a project root) checked at its ``main.svc``, with
``expected.txt`` in the folder. Adding a case means adding its file and running
``BLUEPRINT_REGEN=1 .venv/bin/python -m pytest tests/test_malformed.py``, then
reviewing the new golden file in the diff.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from blueprint_dsl.cli import main
from blueprint_dsl.recovery import parse_recovering
from blueprint_dsl.recovery.shifts import Shifts
from blueprint_dsl.syntax import parse_syntax

CASES_DIR = Path(__file__).parent / "malformed"
REGEN = os.environ.get("BLUEPRINT_REGEN") == "1"


@dataclass(frozen=True)
class Case:
    name: str
    folder: Path  # the working directory of the run
    entry: str  # the file checked, relative to folder
    golden: Path


def collect_cases() -> list[Case]:
    cases = []
    for path in sorted(CASES_DIR.iterdir()):
        if path.suffix == ".svc":
            cases.append(Case(path.stem, CASES_DIR, path.name, path.with_suffix(".expected")))
        elif path.is_dir():
            (entry,) = path.rglob("main.svc")
            cases.append(Case(path.name, path, entry.relative_to(path).as_posix(), path / "expected.txt"))
    return cases


CASES = collect_cases()


def normalise(output: str, case: Case) -> str:
    # A message may name the project root as an absolute path; goldens hold it relative.
    return output.replace(str(case.folder.resolve()), "<case>")


def compare(case: Case, output: str) -> None:
    if REGEN:
        case.golden.write_text(output, encoding="utf-8")
    assert case.golden.exists(), f"{case.golden} is missing: run with BLUEPRINT_REGEN=1 and review it"
    assert output == case.golden.read_text(encoding="utf-8")


def test_there_are_at_least_thirty_cases():
    assert len(CASES) >= 30


def test_every_golden_file_belongs_to_a_case():
    goldens = {case.golden for case in CASES}
    stray = [p for p in CASES_DIR.glob("*.expected") if p not in goldens]
    assert not stray


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_malformed_case(case: Case, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(case.folder)
    result = CliRunner().invoke(main, ["check", case.entry])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert result.exit_code == 1, result.output
    assert " error BP" in result.output
    compare(case, normalise(result.output, case))


# A real process for a few cases: the installed entry point, real stdout, real exit code.
SUBPROCESS_CASES = ("invalid-utf8", "unterminated-string", "include-cycle")


@pytest.mark.parametrize("name", SUBPROCESS_CASES)
def test_malformed_case_in_a_subprocess(name: str):
    (case,) = [case for case in CASES if case.name == name]
    run = subprocess.run(
        [sys.executable, "-m", "blueprint_dsl", "check", case.entry],
        cwd=case.folder,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "Traceback" not in run.stdout + run.stderr
    assert run.returncode == 1
    assert run.stderr == ""
    assert normalise(run.stdout, case) == case.golden.read_text(encoding="utf-8")


def test_invalid_utf8_names_the_byte_offset():
    data = (CASES_DIR / "invalid-utf8.svc").read_bytes()
    offset = data.index(b"\xe9")
    golden = (CASES_DIR / "invalid-utf8.expected").read_text(encoding="utf-8")
    assert f"byte 0xe9 at offset {offset} is not valid UTF-8" in golden


THREE_MISTAKES = '''blueprint "Bike repair drop-off" {
  scenario "Walk-in repair"
  persona  "Commuter"
  actor rider    customer   "Rider"
  actor mechanic frontstage "Mechanic"
  stage "Drop-off" {
    step check_in {
      evidence "Shop front"
      rider "Hands over the bike" as hand_over
      mechnic: "Inspects the bike" as quote
    }
  }
  stage "Repair" {
    step repair {
      evidence "Bench"
      rider: "Waits for the bike" wait 20mins as wait_bike
    }
  }
  hand_over -> quote
}
'''


def test_three_independent_mistakes_are_reported_in_one_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    (tmp_path / "three.svc").write_text(THREE_MISTAKES, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "three.svc"])
    assert result.exit_code == 1
    headlines = [line for line in result.output.splitlines() if line.startswith("three.svc:")]
    assert headlines == [
        "three.svc:9:13: error BP001 syntax-error: unexpected string '\"Hands over the bike\"', "
        "expected '->' or '<->' or ':'",
        "three.svc:10:7: error BP101 unknown-actor: no actor 'mechnic'",
        "three.svc:16:40: error BP201 invalid-duration: '20mins' is not a duration",
    ]
    assert result.output.endswith("3 errors, 0 warnings in 1 file\n")


def test_recovery_keeps_the_text_it_parsed_and_which_lines_of_it_the_file_wrote():
    """The editor reads names from that text, on those lines only (blueprint_dsl/lsp/document.py)."""
    tree, _, shifts = parse_recovering(THREE_MISTAKES, "three.svc")
    assert tree is not None and parse_syntax(shifts.text) is not None
    lines = THREE_MISTAKES.count("\n") + 1
    assert [n for n in range(1, lines + 1) if not shifts.as_written(n)] == [9]
    repaired = shifts.text.split("\n")
    assert repaired[8] == '      rider : "Hands over the bike" as hand_over'
    assert repaired[:8] + repaired[9:] == THREE_MISTAKES.split("\n")[:8] + THREE_MISTAKES.split("\n")[9:]


def test_closing_braces_recovery_adds_at_the_end_move_no_line_of_the_file():
    unclosed = THREE_MISTAKES[: THREE_MISTAKES.rindex("}")]
    tree, _, shifts = parse_recovering(unclosed, "three.svc")
    lines = unclosed.count("\n") + 1
    assert tree is not None and shifts.text.split("\n")[lines:] == ["}"]
    assert [n for n in range(1, lines + 3) if not shifts.as_written(n)] == [9, lines + 1, lines + 2]


@pytest.mark.parametrize(
    ("before", "after", "written"),
    [
        ("a\nb\nc\nd", "a\nc\nd", [True, False, False, False]),  # a line removed
        ("a\nb\nc", "a\nb\nx\nc", [True, True, False, False]),  # one put before a line
        ("a\nb\nc", "a\nbx\ny\nc", [True, False, False, False]),  # a line broken in two
        ("a\nb", "a\nb\n}", [True, True, False, False]),  # one added at the end
        ("a\nb\nc\nd", "a\nB\nc\nd", [True, False, True, True]),  # the same lines, one rewritten
    ],
)
def test_a_repair_that_adds_or_removes_lines_leaves_as_written_only_those_above_it(
    before: str, after: str, written: list[bool]
):
    shifts = Shifts()
    shifts.record(before, after)
    assert shifts.text == after
    assert [shifts.as_written(n) for n in range(1, 5)] == written


# A name or text of 5,000 characters where each kind of message quotes one: every message
# and hint quotes it cut (tests/malformed/unknown-actor-very-long-name.svc shows the form).
LONG = "bay_" + "_".join(f"w{i}" for i in range(1000))
LONG_TEXT = " ".join(f"word{i}" for i in range(800))
VALID = '''blueprint "Bike repair" {
  scenario "Walk-in repair"
  persona  "Commuter"
  actor rider    customer   "Rider"
  actor mechanic frontstage "Mechanic"
  stage drop "Drop-off" {
    step check_in {
      evidence "Shop front"
      rider: "Hands over the bike" takes 1min as hand_over
      mechanic: "Inspects the bike" takes 3min as quote fail "Misquotes" safe "Reads the list" owner mechanic
    }
  }
  hand_over -> quote
}
'''
LONG_CASES = {
    "unknown-actor": ("rider: ", f"{LONG}: "),
    "unknown-actor-close": ("actor mechanic ", f"actor {LONG} ", "mechanic: ", f"{LONG}x: "),
    "unknown-owner": ("owner mechanic", f"owner {LONG}"),
    "unknown-action": ("hand_over -> quote", f"hand_over -> {LONG}"),
    "unknown-action-close": ("as quote", f"as {LONG}", "hand_over -> quote", f"hand_over -> {LONG}x"),
    "duplicate-id": ("as quote", f"as {LONG}", "as hand_over", f"as {LONG}"),
    "unknown-lane": ("frontstage \"Mechanic\"", f"{LONG} \"Mechanic\""),
    "lane-swapped": ("mechanic frontstage", f"frontstage {LONG}"),
    "unknown-emotion": ("as hand_over", f"as hand_over emotion {LONG}"),
    "unknown-theme": ('persona  "Commuter"', f'persona  "Commuter"\n  theme {LONG}'),
    "too-long-duration": ("takes 1min", f"takes {'9' * 5000}d"),
    "bad-duration-unit": ("takes 1min", f"takes 1{'m' * 5000}"),
    "number-without-unit": ("takes 1min", f"takes {'0' * 5000}1"),
    "duration-in-words": ("takes 1min", f"takes {LONG_TEXT.replace(' ', ' and_')}"),
    "quoted-duration": ("takes 1min", f'takes "1min {LONG_TEXT}"'),
    "hyphen-in-name": ("as hand_over", f"as hand-{LONG}"),
    "unknown-keyword-place": ('scenario "Walk-in repair"', f'{LONG} "Walk-in repair"'),
    "text-without-quotes": ('scenario "Walk-in repair"', f"scenario {LONG_TEXT}"),
    "string-for-name": ("as hand_over", f'as hand_over tag "{LONG_TEXT}"'),
    "step-without-id": ("step check_in {", f'step "{LONG_TEXT}" {{'),
    "block-without-brace": ('stage drop "Drop-off" {', f'stage drop "{LONG_TEXT}"'),
    "unknown-actor-kind": ("actor rider    customer", f"{LONG} rider customer"),
    "actor-without-lane": ('actor rider    customer   "Rider"', f'actor {LONG} "{LONG_TEXT}"'),
    "unclosed-string-before-brace": ('stage drop "Drop-off" {', f'stage drop "{LONG_TEXT} {{'),
    "backward-arrow": ("hand_over -> quote", f"{LONG} <- quote"),
    "dangling-name": ("hand_over -> quote", f"hand_over -> quote {LONG}"),
    "action-outside-step": ("  hand_over -> quote", f'  {LONG}: "Waves"'),
    "include-not-found": ("blueprint ", f'include "{LONG}.svc"\nblueprint '),
    "noqa-not-a-rule": ('"Walk-in repair"', f'"Walk-in repair"  # noqa: {LONG}'),
    "stage-name-in-a-rule": ('"Drop-off"', f'"{LONG_TEXT}"', "rider: ", "mechanic: "),
    "step-outside-stage": ('  stage drop "Drop-off" {', f'  step {LONG} "x" {{ }}\n  stage drop "Drop-off" {{'),
    "quote-inside-string": ('"Hands over the bike"', f'"Hands over the "{LONG}" bike"'),
    "id-without-as": ("takes 1min as hand_over", f"takes 1min {LONG}"),
    "tags-without-commas": ("takes 1min as hand_over", f"takes 1min as hand_over tag a {LONG}"),
    "flow-label-without-colon": ("hand_over -> quote", f'hand_over -> quote "{LONG_TEXT}"'),
    "text-in-flow": ("hand_over -> quote", f'"{LONG_TEXT}" -> quote'),
    "note-without-action": ('evidence "Shop front"', f'note "{LONG_TEXT}"\n      evidence "Shop front"'),
    "lane-in-quotes": ('actor mechanic frontstage "Mechanic"', f'actor mechanic "frontstage" "{LONG_TEXT}"'),
    "mark-for-fail": ("takes 1min as hand_over", f'takes 1min F "{LONG_TEXT}" as hand_over'),
    "mermaid-label": ("hand_over -> quote", f"hand_over -->|{LONG_TEXT}| quote"),
    "keyword-with-equals": ('scenario "Walk-in repair"', f"scenario = {LONG_TEXT}"),
    "evidence-as-yaml": ('evidence "Shop front"', f'evidence:\n        - "{LONG_TEXT}"'),
    "loop-before-flow": ("hand_over -> quote", f'loop hand_over -> quote : "{LONG_TEXT}"'),
    "label-before-id": ('actor mechanic frontstage "Mechanic"', f'actor "{LONG_TEXT}" mechanic frontstage'),
    "actors-as-yaml": ('actor rider    customer   "Rider"', f"actors:\n    {LONG}: customer\n    rider: customer"),
    "details-before-text": ('"Hands over the bike" takes 1min as hand_over', f'as {LONG} "Hands over the bike"'),
    "id-of-several-words": ("step check_in {", f"step check {LONG} {{"),
    "list-in-brackets": ('evidence "Shop front"', f'evidence ["{LONG_TEXT}", "b"]'),
    "key-in-quotes": ('scenario "Walk-in repair"', f'"scenario": "{LONG_TEXT}",'),
    "duration-in-two-units": ("takes 1min", f"takes 1h{'0' * 300}30min"),
    "duration-without-a-leading-zero": ("takes 1min", f"takes .{'5' * 5000}min"),
    "opening-quote-missing": ('"Hands over the bike"', f'{LONG_TEXT}"'),
    "id-starting-with-a-digit": ("as quote", f"as 1{LONG}"),
    "duration-as-an-estimate": ("takes 1min", f"takes about {'9' * 5000}min"),
    "annotation-with-a-duration": ('evidence "Shop front"', f'evidence "Shop front"\n      time 1{"m" * 5000}'),
    "time-of-an-action": ("takes 1min as hand_over", f"time 1{'m' * 5000} as hand_over"),
}


@pytest.mark.parametrize("name", LONG_CASES)
def test_a_long_name_or_text_is_quoted_cut_in_every_message_and_hint(name: str, tmp_path: Path):
    from blueprint_dsl import loads
    from blueprint_dsl.check import check

    replacements = LONG_CASES[name]
    source = VALID
    for old, new in zip(replacements[0::2], replacements[1::2]):
        assert old in source, old
        source = source.replace(old, new, 1)
    diagnostics = check(loads(source, "long.svc", origin=tmp_path / "long.svc"))
    assert diagnostics, name
    texts = [d.message for d in diagnostics] + [d.hint for d in diagnostics if d.hint]
    assert all(len(text) <= 300 for text in texts), [t[:400] for t in texts if len(t) > 300]
    assert any("\N{HORIZONTAL ELLIPSIS}" in text for text in texts), texts  # the long text was quoted, cut
