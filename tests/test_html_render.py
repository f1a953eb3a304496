"""The HTML backend without a browser: bytes, golden file, figures, escaping, packaging.

The golden page is tests/golden/coffee.html. After a change to the page that is meant,
regenerate it with::

    BLUEPRINT_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_html_render.py

and review the diff like any other.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from blueprint_dsl import load, loads, stats
from blueprint_dsl.check import check
from blueprint_dsl.diagnostics import Diagnostic, Severity, Span
from blueprint_dsl.render import FORMATS, RenderOptions
from blueprint_dsl.render.html import HtmlRenderer, script_json
from blueprint_dsl.text import format_seconds

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "coffee.html"
EXAMPLES = sorted((ROOT / "examples").glob("*.svc"))


def render(blueprint, **options) -> bytes:
    return FORMATS["html"].render(blueprint, RenderOptions(**options))


def coffee():
    result = load(ROOT / "examples" / "coffee.svc")
    assert result.ok
    return result.blueprint


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_rendering_twice_gives_the_same_bytes(path):
    blueprint = load(path).blueprint
    first = render(blueprint)
    assert render(blueprint) == first
    assert render(load(path).blueprint) == first


def test_rendering_in_a_fresh_process_gives_the_same_bytes():
    """No hash seed, set order or id() leaks into the page."""
    code = (
        "import sys; from blueprint_dsl import load; from blueprint_dsl.render import FORMATS, RenderOptions;"
        "sys.stdout.buffer.write(FORMATS['html'].render(load('examples/coffee.svc').blueprint, RenderOptions()))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, capture_output=True, check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    }
    assert len(outputs) == 1
    assert outputs == {render(coffee())}


def test_golden_page():
    page = render(coffee())
    if os.environ.get("BLUEPRINT_UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_bytes(page)
    assert GOLDEN.exists(), "no golden page: run with BLUEPRINT_UPDATE_GOLDEN=1"
    assert page == GOLDEN.read_bytes(), "the page changed: review, then regenerate with BLUEPRINT_UPDATE_GOLDEN=1"


def test_the_page_is_self_contained():
    page = render(coffee()).decode("utf-8")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:|//)""", page)
    assert "@import" not in page and "url(http" not in page
    assert re.search(r'<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;;', page)
    assert page.count("<script") == 2 and page.count("<style") == 1


def test_inline_json_cannot_close_its_script_element():
    label = "</script><!-- & \u2028\u2029 <b> \x7f\x85\x9f\ufffe\uffff\ufdd0\U0010ffff"
    text = script_json({"label": label})
    assert "<" not in text and ">" not in text and "&" not in text
    assert not re.search("[\u2028\u2029\x7f-\x9f\ufffe\uffff\ufdd0\U0010ffff]", text)
    assert "\\u003c/script\\u003e" in text and "\\u0085" in text
    assert "\\ufdd0" in text and "\\udbff\\udfff" in text  # past U+FFFF, as its two UTF-16 units
    assert json.loads(text) == {"label": label}


def test_summary_counts_customer_actions_touchpoints_fail_points_and_time():
    summary = HtmlRenderer(coffee(), RenderOptions()).summary()
    figures = summary.figures
    assert figures.customer_actions == 7
    # Flows with one end at or above the line of interaction and the other below it.
    assert figures.touchpoints == 3
    assert figures.fail_points == 3
    assert format_seconds(figures.standard_time) == "1min 50s"
    assert format_seconds(figures.wait_time) == "7min"
    assert format_seconds(summary.tolerance) == "12min"
    assert not summary.over_tolerance


def test_summary_shows_the_figures_of_blueprint_stats():
    page = render(coffee()).decode("utf-8")
    figures = stats.compute(coffee()).total

    def figure(name: str) -> str:
        start = page.index(f'id="summary-{name}"')
        return re.sub(r"<[^>]+>", "", page[start: page.index("</div>", start)])

    assert f"{figures.below_visibility} actions" in figure("below-visibility")
    assert f"{figures.fail_points_unhandled} without fail-safe or owner" in figure("fail-points")
    longest = format_seconds(figures.longest_wait)
    assert figure("longest-wait").startswith(f'id="summary-longest-wait">Longest wait{longest} at')
    assert 'href="#action-wait_drink"' in page[page.index('id="summary-longest-wait"'):]


def test_durations_are_written_as_check_and_stats_write_them():
    # To the second: a time over a tolerance never reads as equal to it.
    assert [format_seconds(s) for s in (0, 0.5, 45, 60, 530, 3600, 4230, 7500, 90061)] == [
        "0s", "0.5s", "45s", "1min", "8min 50s", "1h", "1h 10min 30s", "2h 5min", "1d 1h 1min 1s"
    ]
    # Never in scientific notation, which no blueprint may write (it showed 1e-06s).
    assert [format_seconds(s) for s in (0.000001, 0.0005, 1.23456789)] == ["0.001ms", "0.5ms", "1.234568s"]


def test_findings_go_beside_the_action_whose_lines_hold_them():
    blueprint = coffee()
    action = blueprint.action_index()["take_order"]
    last_line = Span.point(action.span.path, action.span.end_line, 3)
    at_action = Diagnostic(code="BP999", name="t", severity=Severity.WARNING, message="beside the card", span=last_line)
    general = Diagnostic(code="BP998", name="t", severity=Severity.INFO, message="about the whole",
                         span=Span.point(action.span.path, 1, 1))
    page = render(blueprint, diagnostics=(at_action, general)).decode("utf-8")
    card = page[page.index('id="action-take_order"') : page.index("</article>", page.index('id="action-take_order"'))]
    assert "beside the card" in card and "about the whole" not in card
    findings = page[page.index('class="findings"') : page.index("</section>", page.index('class="findings"'))]
    assert "beside the card" in findings and "about the whole" in findings
    # A finding of no action says the line it is on apart from its message, which would run on into it.
    assert 'about the whole <span class="where">at line 1</span>' in findings


def test_a_finding_goes_beside_its_own_action_on_a_line_of_several():
    source = """blueprint "One line" { scenario "s" persona "p"
      actor c customer "Customer"
      person s frontstage "Staff"
      stage "One" {
        step a { evidence "Sign" c: "Asks" as ask s: "Answers" fail "Wrong answer" as answer }
      }
      ask <-> answer
    }"""
    result = loads(source, "one.svc")
    found = check(result)
    assert [d.code for d in found] == ["BP408"]  # the fail point of `answer` has no owner
    page = render(result.blueprint, diagnostics=tuple(found)).decode("utf-8")

    def card(action: str) -> str:
        start = page.index(f'id="action-{action}"')
        return page[start: page.index("</article>", start)]

    assert "BP408" in card("answer") and "BP408" not in card("ask")


def test_every_action_has_a_card_of_its_own_when_made_ids_would_collide():
    # Step a_b with actor c and step a with actor b_c: both ids were once a_b_c.
    source = """blueprint "C" { scenario "s" persona "p"
     actor a customer "A" actor b_c customer "BC" actor c customer "C"
     stage one "One" { step a_b { evidence "e" c: "first" } step a { evidence "e" b_c: "second" } } }"""
    page = render(loads(source).blueprint).decode("utf-8")
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    assert 'id="action-a_b_c"' in page and 'id="action-a_b_c_2"' in page


def named_after_the_page() -> str:
    """A blueprint whose actions and stages take every id that could end one of the page's
    own ids (``version`` of ``text-version``): blueprint ids hold no hyphen, so that is the
    last word of each, and the ids without a hyphen themselves."""
    template = (ROOT / "blueprint_dsl" / "templates" / "html" / "page.html.j2").read_text(encoding="utf-8")
    words = sorted({own.rsplit("-", 1)[-1] for own in re.findall(r'\bid="([^"{]+)"', template)})
    assert {"title", "version", "main", "details"} <= set(words)
    stages = " ".join(f'stage "{word}" {{ step s_{word} {{ c: "Does {word}" as {word} }} }}' for word in words)
    return f'blueprint "Named" {{ actor c customer "C" {stages} {words[0]} -> {words[1]} }}'


def test_ids_made_from_the_blueprint_never_take_one_of_the_page_s_own():
    result = loads(named_after_the_page(), "named.svc")
    assert result.ok, result.diagnostics
    finding = Diagnostic(code="BP998", name="t", severity=Severity.INFO, message="m",
                         span=Span.point("named.svc", 1, 1))
    page = render(result.blueprint, diagnostics=(finding,)).decode("utf-8")  # with its list of findings
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert sorted(i for i in set(ids) if ids.count(i) > 1) == []
    # Every reference names an element that is there.
    references = re.findall(r'\b(?:aria-labelledby|aria-describedby|aria-controls)="([^"]+)"|href="#([^"]+)"', page)
    assert {name for pair in references for names in pair for name in names.split()} <= set(ids)
    assert 'id="action-version"' in page and 'id="text-version"' in page  # deep links keep their address


def test_theme_forces_a_colour_scheme():
    # On the page's root element: the style sheet names every scheme too.
    def scheme(page: bytes) -> str:
        return re.search(rb'<html lang="en" data-colour-scheme="(\w+)"', page).group(1).decode()

    assert scheme(render(coffee())) == "auto"
    assert scheme(render(coffee(), theme="dark")) == "dark"
    assert scheme(render(coffee(), theme="print")) == "light"  # as on paper, whatever the screen
    forced = loads('blueprint "T" { theme light actor c customer "C" stage "S" { step s { c: "x" } } }').blueprint
    assert scheme(render(forced)) == "light"


def test_the_text_version_says_which_flows_are_rework():
    """A loop, and a flow back to an earlier step, as the drawings mark them with a ↺."""
    text = """blueprint "R" {
      actor c customer "C"
      stage "S" { step one { c: "Asks" as ask } step two { c: "Answers" as answer } }
      ask -> answer
      answer -> ask : "again"
      answer -> answer loop
    }"""
    flows = render(loads(text).blueprint).decode("utf-8").split('<ul class="text-flows">')[1].split("</ul>")[0]
    items = [re.sub(r"<[^>]+>|\s+", " ", item).split() for item in re.findall(r"<li>(.*?)</li>", flows, re.S)]
    assert [" ".join(words) for words in items] == [
        "Asks leads to Answers", "Answers leads to Asks : again (back to an earlier step)",
        "Answers leads to Answers (loop)"]



def test_a_line_a_labelled_flow_crosses_has_room_for_its_label():
    """A labelled flow's middle, where its label goes, lies on the lines it crosses."""
    text = """blueprint "L" {
      actor c customer "C"  role f frontstage "F"  role b backstage "B"  system s support "S"
      stage "S" { step one { c: "Asks" as ask  f: "Hears" as hear  b: "Files" as file  s: "Stores" as store } }
      ask -> hear : "the question"
      file -> store
    }"""
    def labelled(page: str) -> list[str]:
        rows = re.findall(r'<tr class="line-row ([^"]*)"', page)
        assert len(rows) == 3
        return [row.split()[0] for row in rows if "labelled" in row.split()]

    assert labelled(render(loads(text).blueprint).decode("utf-8")) == ["line-of-interaction"]
    across = text.replace("file -> store", 'ask -> store : "straight to the system"')
    assert labelled(render(loads(across).blueprint).decode("utf-8")) == [
        "line-of-interaction", "line-of-visibility", "line-of-internal-interaction"]

def test_a_blueprint_without_steps_makes_a_valid_grid():
    empty = loads('blueprint "E" { actor c customer "C" stage "Later" { } }').blueprint
    page = render(empty).decode("utf-8")
    assert 'colspan="0"' not in page and 'class="line-cell" colspan="1"' in page


def test_cli_renders_html(tmp_path):
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "blueprint_dsl", "render", "examples/coffee.svc", "-f", "html", "-o", str(out)],
        cwd=ROOT,
        capture_output=True,
    )
    assert done.returncode == 0, done.stderr
    assert (out / "coffee.html").read_bytes() == render(coffee())


#: The options of the page's paper menu, and the one selected.
PAPER_OPTION = re.compile(r'<option value="(\w+)" data-size="[\d. ]+"( selected)?>')


def test_render_paper_is_the_page_s_own_and_the_cache_tells_it_apart(tmp_path):
    """--paper a3 selects A3 in the menu (A4 without it, the one option selected either way);
    a render with another paper is not taken for an unchanged one; --paper for a format
    that is no page is a usage error that writes nothing."""
    def render_html(*paper: str) -> list[str]:
        done = subprocess.run([sys.executable, "-m", "blueprint_dsl", "render", "examples/coffee.svc", "-o",
                               str(tmp_path / "coffee.html"), "--cache-dir", str(tmp_path / "cache"), *paper],
                              cwd=ROOT, capture_output=True, text=True)
        assert done.returncode == 0 and "1 rendered" in done.stderr, done.stderr
        options = PAPER_OPTION.findall((tmp_path / "coffee.html").read_text(encoding="utf-8"))
        assert [name for name, _ in options] == ["a4", "a3", "letter", "tabloid"]
        return [name for name, selected in options if selected]

    assert render_html() == ["a4"]
    assert render_html("--paper", "a3") == ["a3"]
    assert render_html("--paper", "letter") == ["letter"]
    assert render_html() == ["a4"]
    for output in ("coffee.svg", "coffee.json"):
        done = subprocess.run([sys.executable, "-m", "blueprint_dsl", "render", "examples/coffee.svc", "-o",
                               str(tmp_path / output), "--paper", "a3"], cwd=ROOT, capture_output=True, text=True)
        assert done.returncode == 2 and "--paper is the paper the html page prints on" in done.stderr, done.stderr
        assert not (tmp_path / output).exists()


def test_the_wheel_ships_the_templates(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0 and "hatchling" in done.stderr:
        # No hatchling in this environment: build it the way pip would, in isolation.
        done = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
            capture_output=True,
            text=True,
        )
    assert done.returncode == 0, done.stderr
    (wheel,) = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ("page.html.j2", "macros.html.j2", "page.css", "flows.js", "labels.js", "arrows.js", "highlighting.js",
                 "details.js", "filters.js", "connectors.js", "sheets.js", "paper.js", "page.js"):
        assert f"blueprint_dsl/templates/html/{name}" in names
