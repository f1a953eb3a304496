"""`blueprint stats` on a blueprint whose figures were worked out by hand."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from blueprint_dsl.cli import main

KNOWN = Path(__file__).parent / "stats" / "known.svc"


def stats_json() -> dict:
    result = CliRunner().invoke(main, ["stats", str(KNOWN), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_totals_match_the_hand_count():
    figures = stats_json()
    assert figures["total"] == {
        "customer_actions": 4,
        "touchpoints": 4,  # c1<->f1, c2->s1, c3<->f2, f2->c4
        "below_line_of_visibility": 2,  # b1, s1
        "fail_points": 3,
        "fail_points_with_safe_and_owner": 2,
        "fail_points_without_safe_or_owner": 1,  # b1
        "standard_time_seconds": 210.0,  # 2min + 30s + 1min: takes of customer actions only
        "wait_seconds": 840.0,  # 3min + 1min (the customer waits while f1 serves) + 10min
        "total_seconds": 1050.0,
        "longest_wait_seconds": 600.0,
        "longest_wait_action": "c3",
    }
    assert figures["tolerance_seconds"] == 900.0
    assert figures["over_tolerance"] is True


def test_per_stage_figures():
    a, b = stats_json()["stages"]
    assert (a["stage"], a["customer_actions"], a["touchpoints"], a["below_line_of_visibility"]) == ("A", 2, 2, 2)
    assert (a["fail_points"], a["standard_time_seconds"], a["wait_seconds"]) == (2, 150.0, 240.0)
    assert (b["stage"], b["customer_actions"], b["touchpoints"], b["below_line_of_visibility"]) == ("B", 2, 2, 0)
    assert (b["fail_points"], b["standard_time_seconds"], b["wait_seconds"]) == (1, 60.0, 600.0)


def test_json_carries_its_version_and_each_stages_id_beside_its_name():
    figures = stats_json()
    assert list(figures)[0] == "version" and figures["version"] == 1  # as check and diff have it
    assert [(stage["id"], stage["stage"]) for stage in figures["stages"]] == [("a", "A"), ("b", "B")]


def test_text_table():
    output = CliRunner().invoke(main, ["stats", str(KNOWN)]).output
    assert "Touchpoints" in output and "Total" in output
    assert "Customer time 17min 30s (standard time and waits), over the tolerance of 15min." in output


def test_a_stage_where_nothing_waits_has_no_longest_wait(tmp_path: Path):
    # As the HTML page says it: "none", not a wait of 0s; and null in JSON, as its action is.
    path = str(tmp_path / "no-wait-in-a.svc")
    Path(path).write_text(KNOWN.read_text(encoding="utf-8").replace("wait 3min", "").replace("wait 1min", ""))
    figures = json.loads(CliRunner().invoke(main, ["stats", path, "--format", "json"]).output)
    first, second = figures["stages"]
    assert (first["longest_wait_seconds"], first["longest_wait_action"]) == (None, None)
    assert (second["longest_wait_seconds"], second["longest_wait_action"]) == (600.0, "c3")
    table = CliRunner().invoke(main, ["stats", path]).output
    longest = next(line for line in table.splitlines() if line.startswith("Longest wait"))
    assert longest.split() == ["Longest", "wait", "none", "10min", "(c3)", "10min", "(c3)"]


def test_the_table_is_aligned_as_a_terminal_shows_it(tmp_path: Path):
    # A CJK character takes two cells and a combining accent none: counted as one character
    # each, they pushed the numbers after them out of line.
    import re

    from blueprint_dsl.diagnostics import cells

    path = tmp_path / "wide.svc"
    source = KNOWN.read_text(encoding="utf-8").replace('stage a "A"', 'stage a "日本語の段階"')
    path.write_text(source.replace('stage b "B"', 'stage b "Cafe\u0301"'), encoding="utf-8")
    table = CliRunner().invoke(main, ["stats", str(path)]).output.split("\n\n")[1].splitlines()
    assert "日本語の段階" in table[0] and "Cafe\u0301" in table[0]

    def ends(line: str) -> list[int]:
        """Where each column of a line ends, in cells: the figures are aligned right."""
        return [cells(line[: column.end()]) for column in re.finditer(r"\S+(?: \S+)*", line)][-3:]

    assert [ends(line) for line in table] == [ends(table[0])] * len(table), "\n".join(table)


def test_a_duration_over_100_years_is_an_error_not_a_crash(tmp_path: Path):
    # 400 digits of days: once infinity seconds, an OverflowError in the text table and
    # "seconds": Infinity, which is no JSON, in the other.
    source = KNOWN.read_text(encoding="utf-8")
    assert "takes 2min" in source
    path = tmp_path / "forever.svc"
    path.write_text(source.replace("takes 2min", "takes " + "9" * 400 + "d", 1), encoding="utf-8")
    for args in ([], ["--format", "json"]):
        result = CliRunner().invoke(main, ["stats", str(path), *args])
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        assert result.exit_code == 1, result.output
        cut = "9" * 39 + "…" + "9" * 19 + "d"  # the start and end of the 400 digits, 60 characters in all
        assert f"error BP201 invalid-duration: '{cut}' is longer than 100 years" in result.output
        assert "Infinity" not in result.output


def test_decimal_times_sum_as_written(tmp_path: Path):
    # 0.1s and 0.2s make 0.3s, not the 0.30000000000000004 of binary floats: no BP409 at a
    # tolerance of 0.3s, nor over it on the HTML page or in stats; 0.1s more is over.
    from blueprint_dsl import loads
    from blueprint_dsl.check import check
    from blueprint_dsl.render import RenderOptions, html

    text = ('blueprint "D" {\n  scenario "s"\n  persona "p"\n  tolerance 0.3s\n  actor c customer "C"\n'
            '  stage "S" { step a { evidence "E" c: "x" takes 0.1s as a1 c: "y" takes 0.2s as a2 } }\n  a1 -> a2\n}\n')
    (tmp_path / "d.svc").write_text(text, encoding="utf-8")
    figures = json.loads(CliRunner().invoke(main, ["stats", str(tmp_path / "d.svc"), "--format", "json"]).output)
    assert figures["total"]["standard_time_seconds"] == 0.3 and figures["over_tolerance"] is False
    assert [d.code for d in check(loads(text, "d.svc"))] == []
    assert b"within the tolerance of 0.3s" in html.render(loads(text, "d.svc").blueprint, RenderOptions())
    over = loads(text.replace("takes 0.2s", "takes 0.2s wait 0.1s"), "d.svc")
    assert [d.code for d in check(over)] == ["BP409"]
    # Nor are times below a microsecond lost: they count to the nanosecond.
    tiny = text.replace("0.1s", "0.0000001s").replace("0.2s", "0.0000003s").replace("0.3s", "0.0000003s")
    assert [d.code for d in check(loads(tiny, "d.svc"))] == ["BP409"]


def test_stats_and_check_hold_the_time_to_the_same_tolerance(tmp_path: Path):
    # The project's default-tolerance, for a blueprint without its own, as BP409 has it;
    # and times to the second, so a time over the tolerance never reads as equal to it.
    (tmp_path / "pyproject.toml").write_text('[tool.blueprint]\ndefault-tolerance = "70min"\n', encoding="utf-8")
    (tmp_path / "long.svc").write_text(
        'blueprint "L" {\n  scenario "s"\n  persona "p"\n  actor c customer "C"\n'
        '  stage "S" { step a { evidence "E" c: "x" takes 1h wait 630s } }\n}\n', encoding="utf-8")
    path = str(tmp_path / "long.svc")
    figures = json.loads(CliRunner().invoke(main, ["stats", path, "--format", "json"]).output)
    assert (figures["tolerance_seconds"], figures["over_tolerance"]) == (4200, True)
    text = CliRunner().invoke(main, ["stats", path]).output
    assert "Customer time 1h 10min 30s (standard time and waits), over the tolerance of 1h 10min." in text
    check = CliRunner().invoke(main, ["check", path]).output
    assert "the customer's time (standard time and waits) is 1h 10min 30s, over the tolerance of 1h 10min" in check
    # And the HTML page's summary, as render and the MkDocs plugin draw it.
    page = CliRunner().invoke(main, ["render", path, "-f", "html", "-o", "-", "-q"]).stdout
    assert "<small>over the tolerance of 1h 10min</small>" in page
    # And the page of a diff, whose summary is NEW's.
    page = CliRunner().invoke(main, ["diff", path, path, "--format", "html"]).stdout
    assert "<small>over the tolerance of 1h 10min</small>" in page


def test_a_blueprint_from_git_is_held_to_the_tolerance_of_its_own_folder(tmp_path: Path):
    # REV:PATH names the file from the top of the repository: the pyproject.toml that
    # configures it is the one nearest to where it is, not to the current folder.
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "pyproject.toml").write_text('[tool.blueprint]\ndefault-tolerance = "1min"\n')
    (tmp_path / "docs" / "short.svc").write_text(
        'blueprint "S" {\n  actor c customer "C"\n  stage "S" { step a { c: "x" takes 2min } }\n}\n')
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "add", "."], cwd=tmp_path, check=True)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "first"],
                   cwd=tmp_path, check=True)
    run = subprocess.run([sys.executable, "-m", "blueprint_dsl", "stats", "HEAD:docs/short.svc", "--format", "json"],
                         cwd=tmp_path, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    figures = json.loads(run.stdout)
    assert (figures["tolerance_seconds"], figures["over_tolerance"]) == (60, True)


def test_standard_input_is_read_as_a_file_is():
    piped = CliRunner().invoke(main, ["stats", "-", "--format", "json"], input=KNOWN.read_bytes())
    assert piped.exit_code == 0, piped.output
    assert json.loads(piped.output) == stats_json()
    broken = CliRunner().invoke(main, ["stats", "-"], input=b"blueprint {\n")
    assert broken.exit_code == 1 and "<stdin>:1:11: error BP001 syntax-error" in broken.output


def overview_folder(tmp_path: Path) -> Path:
    """A folder of blueprints: the known one, a short one in a team folder whose project
    gives it a tolerance, and a file of shared declarations, which holds no blueprint."""
    (tmp_path / "known.svc").write_bytes(KNOWN.read_bytes())
    (tmp_path / "team").mkdir()
    (tmp_path / "team" / "pyproject.toml").write_text('[tool.blueprint]\ndefault-tolerance = "1min"\n')
    (tmp_path / "team" / "short.svc").write_text(
        'include "shared.svc"\nblueprint "S" {\n  stage "S" { step a { c: "x" takes 2min } }\n}\n')
    (tmp_path / "team" / "shared.svc").write_text('actor c customer "C"\n')
    return tmp_path


def test_a_folder_gives_a_row_of_totals_for_each_blueprint(tmp_path: Path):
    folder = overview_folder(tmp_path)
    run = CliRunner().invoke(main, ["stats", str(folder)])
    assert run.exit_code == 0, run.output
    header, columns, known, short, total = run.output.splitlines()
    assert header.split() == ["Customer", "Below", "Fail", "No", "fail-safe", "Customer"]
    assert columns.split() == ["Blueprint", "actions", "Touchpoints", "visibility", "points", "or", "owner", "time",
                               "Tolerance"]
    assert known.split() == [str(folder / "known.svc"), "4", "4", "2", "3", "1", "17min", "30s", "over", "15min"]
    # Held to the tolerance of its own project, as check and a blueprint's own stats hold it.
    assert short.split() == [str(folder / "team" / "short.svc"), "1", "0", "0", "0", "0", "2min", "over", "1min"]
    assert total.split() == ["Total", "(2", "blueprints)", "5", "4", "2", "3", "1"]  # times are not summed
    # Every row lines up under its headers.
    assert len({len(line) for line in (columns, known, short)}) == 1


def test_the_overview_in_json_holds_each_blueprints_own_figures(tmp_path: Path):
    folder = overview_folder(tmp_path)
    run = CliRunner().invoke(main, ["stats", str(folder / "team" / "short.svc"), str(folder), "-f", "json"])
    assert run.exit_code == 0, run.output
    document = json.loads(run.output)
    assert list(document) == ["version", "blueprints"] and document["version"] == 1
    short, known = document["blueprints"]  # as named: a file named and found again in a folder is read once
    assert (short["file"], known["file"]) == (str(folder / "team" / "short.svc"), str(folder / "known.svc"))
    alone = stats_json()
    del alone["version"]
    assert {key: value for key, value in known.items() if key != "file"} == alone
    assert (short["tolerance_seconds"], short["over_tolerance"]) == (60, True)


def test_a_blueprint_with_errors_is_reported_and_the_others_still_counted(tmp_path: Path):
    folder = overview_folder(tmp_path)
    (folder / "broken.svc").write_text('blueprint "B" {\n  stage "S" { step a { nobody: "x" } }\n}\n')
    run = CliRunner().invoke(main, ["stats", str(folder)])
    assert run.exit_code == 1
    assert f"{folder / 'broken.svc'}:2:24: error BP101 unknown-actor" in run.stderr
    assert [line.split()[0] for line in run.stdout.splitlines()[2:]] == [
        str(folder / "known.svc"), str(folder / "team" / "short.svc"), "Total"]


def test_when_no_blueprint_can_be_counted_only_the_errors_are_said(tmp_path: Path):
    (tmp_path / "broken.svc").write_text('blueprint "B" {\n  stage "S" { step a { nobody: "x" } }\n}\n')
    (tmp_path / "other.svc").write_text('blueprint "C" {\n  stage "S" { step a { nobody: "x" } }\n}\n')
    run = CliRunner().invoke(main, ["stats", str(tmp_path)])
    assert (run.exit_code, run.stdout) == (1, "")
    assert run.stderr.count("error BP101 unknown-actor") == 2
    as_json = CliRunner().invoke(main, ["stats", str(tmp_path), "-f", "json"])
    assert (as_json.exit_code, json.loads(as_json.stdout)) == (1, {"version": 1, "blueprints": []})


def test_a_folder_of_shared_declarations_only_has_nothing_to_count(tmp_path: Path):
    (tmp_path / "shared.svc").write_text('actor c customer "C"\n')
    run = CliRunner().invoke(main, ["stats", str(tmp_path)])
    assert run.exit_code == 2
    assert "no blueprint to count in" in run.output and "only declarations for others to include" in run.output


def test_the_overview_reads_blueprints_from_git_too(tmp_path: Path):
    folder = overview_folder(tmp_path)
    subprocess.run(["git", "init", "-q"], cwd=folder, check=True)
    subprocess.run(["git", "add", "."], cwd=folder, check=True)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "first"],
                   cwd=folder, check=True)
    (folder / "team" / "short.svc").write_text(
        'include "shared.svc"\nblueprint "S" {\n  stage "S" { step a { c: "x" takes 30s } }\n}\n')
    run = subprocess.run([sys.executable, "-m", "blueprint_dsl", "stats", "HEAD:team/short.svc", "team/short.svc",
                          "--format", "json"], cwd=folder, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    now, then = json.loads(run.stdout)["blueprints"]  # files first, then what git gives
    assert (then["file"], then["total"]["total_seconds"], then["over_tolerance"]) == ("HEAD:team/short.svc", 120, True)
    assert (now["file"], now["total"]["total_seconds"], now["over_tolerance"]) == ("team/short.svc", 30, False)
