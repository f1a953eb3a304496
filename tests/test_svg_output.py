"""The Graphviz backend's bytes: reproducible, escaped, accessible, and honest when dot is missing.

Golden DOT files live in tests/golden/dot/, one per example. After a change to the
drawing that is meant, regenerate them with::

    BLUEPRINT_REGEN=1 .venv/bin/python -m pytest tests/test_svg_output.py

and review the diff like any other.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from blueprint_dsl import load, loads
from blueprint_dsl.cli import main
from blueprint_dsl.render import FORMATS, RenderError, RenderOptions
from blueprint_dsl.render.graphviz import dot_source, drawn_alone, in_source_order
from tests.render_geometry import SVG, generated_blueprint, page_shift, read_svg

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.svc"))
GOLDEN = ROOT / "tests" / "golden" / "dot"
COFFEE = ROOT / "examples" / "coffee.svc"

HOSTILE = '<script>alert(1)</script> "quoted" back\\slash & <B>bold</B> ]; x [label="y'
HOSTILE_SVC = HOSTILE.replace("\\", "\\\\").replace('"', '\\"')


def render(blueprint, fmt: str = "svg", **options) -> bytes:
    return FORMATS[fmt].render(blueprint, RenderOptions(**options))


def coffee():
    result = load(COFFEE)
    assert result.ok
    return result.blueprint


def parse(text: str):
    result = loads(text)
    assert result.ok, [str(d) for d in result.diagnostics]
    return result.blueprint


# ---- reproducible ---------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["svg", "dot"])
def test_rendering_twice_gives_identical_bytes(fmt):
    for blueprint in (coffee(), parse(generated_blueprint(steps=60, seed=11))):
        assert render(blueprint, fmt) == render(blueprint, fmt)


def test_png_and_pdf_are_the_same_bytes_at_another_time(monkeypatch):
    # Cairo dates a PDF to the second of its run: a second apart, the same blueprint
    # must still give the same bytes, dated SOURCE_DATE_EPOCH when it is set.
    blueprint = coffee()
    first = {fmt: render(blueprint, fmt) for fmt in ("png", "pdf")}
    time.sleep(1.1)
    assert {fmt: render(blueprint, fmt) for fmt in ("png", "pdf")} == first
    assert b"/CreationDate (D:19700101000000Z)" in first["pdf"]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    dated = render(blueprint, "pdf")
    assert b"/CreationDate (D:20231114221320Z)" in dated and len(dated) == len(first["pdf"])
    # The cross-reference table still points at each object: the date kept its length.
    xref = int(re.search(rb"startxref\s+(\d+)", dated).group(1))
    assert dated[xref:].startswith(b"xref")
    entries = re.findall(rb"^(\d{10}) 00000 n", dated[xref:], re.MULTILINE)
    assert entries and all(re.match(rb"\d+ 0 obj", dated[int(offset):]) for offset in entries)


def test_svg_names_no_graphviz_version_and_has_no_comments():
    svg = render(coffee()).decode()
    assert "graphviz version" not in svg.lower()
    assert "<!--" not in svg


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_dot_matches_the_golden_file(path):
    result = load(path)
    assert result.ok
    dot = render(result.blueprint, "dot").decode()
    golden = GOLDEN / f"{path.stem}.dot"
    if os.environ.get("BLUEPRINT_REGEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(dot, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden}: run with BLUEPRINT_REGEN=1 and review it"
    assert dot == golden.read_text(encoding="utf-8"), "the DOT changed: review, then regenerate the golden files"


def test_the_dot_file_says_how_to_draw_it_as_laid_out(tmp_path):
    """``dot`` would lay the file out again; the command its head gives draws what ``-f svg`` draws."""
    dot_file = tmp_path / "coffee.dot"
    dot_file.write_bytes(render(coffee(), "dot"))
    head = dot_file.read_text(encoding="utf-8").split("digraph", 1)[0]
    assert head and all(line.startswith("// ") for line in head.splitlines())
    (command,) = re.findall(r"with: (.*?FILE\.svg)", head)
    args = command.replace("FILE", str(tmp_path / "coffee")).split()
    assert args[:2] == ["neato", "-n2"]
    subprocess.run(args, check=True, capture_output=True)
    source = dot_source(coffee(), RenderOptions())[1]
    drawn = (tmp_path / "coffee.svg").read_text(encoding="utf-8")
    assert in_source_order(drawn, source) == drawn_alone(source, None)


# ---- for people and machines ----------------------------------------------------------


def test_svg_has_a_title_and_description_for_the_whole_diagram():
    root = ET.fromstring(render(coffee()))
    first, second = list(root)[:2]
    assert first.tag == f"{SVG}title" and first.text == "Coffee to go"
    assert second.tag == f"{SVG}desc"
    assert "7 steps in 4 stages" in second.text and "3 fail points" in second.text
    assert root.get("role") == "img"
    # A stage without steps is not drawn, and the description counts only what is.
    one = parse('blueprint "One" { actor c customer "C" person s frontstage "S" stage "Only" { step t {\n'
                'c: "asks" fail "lost" as a wait 1min\n s: "answers" as b } } stage "Later" { } a -> b }')
    assert "Service blueprint: 1 step in 1 stage (Only); 2 actions, 1 fail point, 1 wait point, 1 flow." in (
        ET.fromstring(render(one)).find(f"{SVG}desc").text)


def test_each_action_has_a_stable_id_classes_and_a_readable_title():
    _, elements = read_svg(render(coffee()))
    take_order = elements["action-take_order"]
    assert take_order.classes == ("node", "action", "lane-frontstage", "stage-order")
    title = take_order.node.find(f"{SVG}title").text
    assert title.startswith("Barista: Takes the order") and "fail point: Name misheard" in title


def test_fail_and_wait_points_are_marked():
    _, elements = read_svg(render(coffee()))
    assert "F" in elements["action-take_order"].text.split()
    assert "Name misheard" in elements["action-take_order"].text
    assert "W 3min" in elements["action-join_queue"].text
    assert "F" not in elements["action-place_order"].text.split()


def test_evidence_is_drawn_as_a_document():
    _, elements = read_svg(render(coffee()))
    evidence = elements["evidence-order-1"]
    assert "Counter" in evidence.text
    assert evidence.node.find(f"{SVG}polyline") is not None, "evidence is not a note shape"
    assert elements["action-place_order"].node.find(f"{SVG}polyline") is None


def test_flows_two_way_labelled_and_loops_look_different():
    blueprint = parse("""
        blueprint "Flows" {
          actor c customer "C"
          role f frontstage "F"
          stage s "S" {
            step one { c: "Asks" as ask  f: "Answers" as answer }
            step two { c: "Asks again" as again }
          }
          ask <-> answer : "talk"
          answer -> again
          again -> ask loop
        }""")
    _, elements = read_svg(render(blueprint))
    exchange, hand_off, loop = elements["flow-1"], elements["flow-2"], elements["flow-3"]
    arrowheads = lambda e: len(e.node.findall(f"{SVG}polygon"))  # noqa: E731
    assert arrowheads(exchange) == 2 and "talk" in exchange.text
    assert arrowheads(hand_off) == 1 and "loop" not in hand_off.classes
    assert "loop" in loop.classes and loop.node.find(f"{SVG}path").get("stroke-dasharray")
    assert not hand_off.node.find(f"{SVG}path").get("stroke-dasharray")


def test_title_block_and_legend_are_drawn():
    _, elements = read_svg(render(coffee()))
    block = elements["title-block"].text
    assert "Coffee to go" in block and "Commuter on the way to the train" in block and "1.2" in block
    assert "fail point" in elements["legend"].text and "wait point" in elements["legend"].text


def test_long_labels_wrap_inside_their_card():
    words = "a very long action label that goes on and on about what the clerk does " * 3
    blueprint = parse(f'blueprint "W" {{ actor c customer "C" stage s "S" {{ step one {{ c: "{words}" as long }} }} }}')
    root, elements = read_svg(render(blueprint))
    _, shift = page_shift(root)
    card = elements["action-long"]
    lines = card.node.findall(f"{SVG}text")
    assert len(lines) >= 5
    for line in lines:
        assert card.rect.top < float(line.get("y")) + shift < card.rect.bottom


# ---- escaping ---------------------------------------------------------------------------


def test_hostile_text_renders_as_text_and_no_markup():
    blueprint = parse(f"""
        blueprint "{HOSTILE_SVC}" {{
          scenario "{HOSTILE_SVC}"
          actor c customer "{HOSTILE_SVC}"
          role f frontstage "Clerk"
          stage s "{HOSTILE_SVC}" {{
            step one "{HOSTILE_SVC}" {{
              evidence "{HOSTILE_SVC}"
              c: "{HOSTILE_SVC}" as evil fail "{HOSTILE_SVC}"
              f: "Answers" as answer
              metric "{HOSTILE_SVC}"
            }}
          }}
          evil <-> answer : "{HOSTILE_SVC}"
        }}""")
    data = render(blueprint)
    assert b"<script" not in data and b"<B>" not in data
    root = ET.fromstring(data)  # well-formed
    assert {element.tag.removeprefix(SVG) for element in root.iter()} <= {
        "svg", "title", "desc", "g", "polygon", "polyline", "path", "text", "ellipse"}
    assert root.find(f"{SVG}title").text == HOSTILE
    _, elements = read_svg(data)
    # Text may be wrapped into lines; joined again it is the label, character for character.
    for element_id in ("action-evil", "evidence-one-1", "stage-s", "flow-1", "annotation-metric-one-1"):
        assert HOSTILE.replace(" ", "") in elements[element_id].text.replace(" ", ""), element_id
    dot = render(blueprint, "dot").decode()
    assert "<script>" not in dot and "&lt;script&gt;" in dot


# ---- themes -----------------------------------------------------------------------------


def background(data: bytes) -> str:
    return ET.fromstring(data).find(f"{SVG}g").find(f"{SVG}polygon").get("fill")


def test_themes_from_the_option_and_from_the_file():
    assert background(render(coffee())) == "#ffffff"
    assert background(render(coffee(), theme="dark")) == "#1e2228"
    dark_file = parse('blueprint "T" { theme dark actor c customer "C" stage s "S" { step a { c: "Acts" } } }')
    assert background(render(dark_file)) == "#1e2228"
    assert background(render(dark_file, theme="print")) == "#ffffff"  # the command line wins


def test_every_theme_the_language_names_is_drawn():
    from blueprint_dsl.model import THEME_NAMES
    from blueprint_dsl.render.themes import THEMES

    assert set(THEMES) <= set(THEME_NAMES)
    for name in THEME_NAMES:
        assert render(coffee(), theme=name).startswith(b"<?xml")


def test_unknown_theme_is_a_clear_error(tmp_path):
    with pytest.raises(RenderError, match="unknown theme 'neon'.*default, light, dark, print"):
        render(coffee(), theme="neon")
    for fmt in ("svg", "html"):
        result = CliRunner().invoke(main, ["render", str(COFFEE), "-f", fmt, "--theme", "neon", "-o", str(tmp_path),
                                           "--no-cache"])
        assert result.exit_code == 2
        assert "'neon' is not a theme; the themes are default, light, dark, print" in result.output
    assert not list(tmp_path.iterdir())
    neon = tmp_path / "neon.svc"
    neon.write_text('blueprint "T" {\n  theme neon\n  actor c customer "C"\n'
                    '  stage s "S" { step a { c: "Acts" } }\n}\n')
    out = str(tmp_path / "out")
    for args in (["check"], ["render", "-f", "svg", "-o", out], ["render", "-f", "html", "-o", out]):
        result = CliRunner().invoke(main, [*args, str(neon)])
        assert result.exit_code == 1, args
        assert f"{neon}:2:9: error BP111 unknown-theme: 'neon' is not a theme" in result.output
    assert not (tmp_path / "out").exists()


def test_a_theme_for_json_is_a_usage_error(tmp_path):
    # JSON describes the blueprint and draws nothing: a theme asked for it would be dropped unsaid.
    for args in (["-f", "json", "-o", str(tmp_path)], ["-o", str(tmp_path / "coffee.json")]):
        result = CliRunner().invoke(main, ["render", str(COFFEE), *args, "--theme", "dark", "--no-cache"])
        assert result.exit_code == 2, args
        assert "--theme colours the formats that draw (dot, html, pdf, png, svg), not json" in result.output
    assert not list(tmp_path.iterdir())


# ---- the command line -------------------------------------------------------------------


def test_cli_writes_svg_png_pdf_and_dot(tmp_path):
    for fmt, magic in (("svg", b"<?xml"), ("png", b"\x89PNG"), ("pdf", b"%PDF"), ("dot", b"// Laid out already")):
        result = CliRunner().invoke(main, ["render", str(COFFEE), "-f", fmt, "-o", str(tmp_path), "--no-cache"])
        assert result.exit_code == 0, result.output
        assert (tmp_path / f"coffee.{fmt}").read_bytes().startswith(magic)
    assert (tmp_path / "coffee.dot").read_text() == (GOLDEN / "coffee.dot").read_text()


def png_size(path: Path) -> tuple[int, int]:
    """A PNG's width and height, from its header."""
    data = path.read_bytes()
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_scale_draws_a_png_larger_and_is_remembered_by_the_cache(tmp_path):
    """--scale 2 draws twice the pixels each way; the cache tells a render at another scale apart."""
    def render_png(*scale: str) -> str:
        result = CliRunner().invoke(main, ["render", str(COFFEE), "-o", str(tmp_path / "coffee.png"),
                                           "--cache-dir", str(tmp_path / "cache"), *scale])
        assert result.exit_code == 0, result.output
        return result.output

    render_png()
    width, height = png_size(tmp_path / "coffee.png")
    assert "1 rendered" in render_png("--scale", "2")
    larger = png_size(tmp_path / "coffee.png")
    assert abs(larger[0] - 2 * width) <= 1 and abs(larger[1] - 2 * height) <= 1  # Graphviz rounds each
    assert "1 unchanged" in render_png("--scale", "2")
    assert "1 rendered" in render_png()
    assert png_size(tmp_path / "coffee.png") == (width, height)


def test_scale_for_a_format_that_is_no_png_is_a_usage_error(tmp_path):
    for args in (["-f", "svg", "-o", str(tmp_path)], ["-o", str(tmp_path / "coffee.pdf")]):
        result = CliRunner().invoke(main, ["render", str(COFFEE), *args, "--scale", "2", "--no-cache"])
        assert result.exit_code == 2, args
        assert "--scale sizes the png format's pixels, not " in result.output
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("epoch", ["99999999999999", "yesterday", "-1"])
def test_a_pdf_date_that_cannot_be_is_a_message_not_a_traceback(tmp_path, epoch):
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch}
    process = subprocess.run(
        [sys.executable, "-m", "blueprint_dsl", "render", str(COFFEE), "-f", "pdf", "-o", str(tmp_path), "--no-cache"],
        env=env, capture_output=True, text=True, timeout=60, cwd=ROOT,
    )
    assert process.returncode == 2 and "Traceback" not in process.stderr
    assert f"SOURCE_DATE_EPOCH={epoch!r}: write the seconds since 1970-01-01 UTC" in process.stderr
    assert not list(tmp_path.iterdir())


def test_missing_dot_exits_2_with_the_install_hint(tmp_path):
    env = {**os.environ, "PATH": ""}
    process = subprocess.run(
        [sys.executable, "-m", "blueprint_dsl", "render", str(COFFEE), "-f", "svg", "-o", str(tmp_path), "--no-cache"],
        env=env, capture_output=True, text=True, timeout=60, cwd=ROOT,
    )
    assert process.returncode == 2, process.stderr
    assert "apt-get install graphviz" in process.stderr and "brew install graphviz" in process.stderr
    assert "-f html" in process.stderr and "needs no Graphviz" in process.stderr
    assert not list(tmp_path.iterdir()), "a file was written without Graphviz"


def contrast(foreground: str, background: str) -> float:
    """The WCAG 2 contrast ratio of two #rrggbb colours."""
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("name", ["default", "light", "dark", "print"])
def test_every_text_colour_of_a_theme_reads_at_wcag_aa(name):
    # 4.5:1 for text: emotion words and fail text on cards, badge letters on their badges.
    from blueprint_dsl.render.themes import THEMES

    theme = THEMES[name] if name in THEMES else THEMES["default"]
    pairs = [(theme.text, theme.background), (theme.muted, theme.background), (theme.text, theme.card_fill),
             (theme.fail, theme.card_fill), (theme.badge_text, theme.fail), (theme.badge_text, theme.wait),
             (theme.stage_text, theme.stage_fill), *((emotion, theme.card_fill) for emotion in theme.emotions),
             # Flow labels, a loop's in its colour, over the lanes' bands.
             *((colour, band) for colour in (theme.muted, theme.loop)
               for band in (theme.background, theme.annotation_band, *theme.bands.values()))]
    low = [(fg, bg, round(contrast(fg, bg), 2)) for fg, bg in pairs if contrast(fg, bg) < 4.5]
    assert low == []


@pytest.mark.parametrize("name", ["default", "dark", "print"])
def test_every_text_colour_of_a_diff_reads_at_wcag_aa(name):
    # A diff's stage headers take the status colour under the diff's header text; a step's
    # label, a card's status word and a change's title are in the status colour, on its tint,
    # the card and the page; a changed flow's label is in it, over the lanes' bands.
    from blueprint_dsl.render.themes import THEMES

    theme = THEMES[name]
    pairs = [pair for colour, tint in theme.diff.values()
             for pair in ((theme.diff_text, colour), (colour, tint), (colour, theme.background),
                          *((colour, band) for band in (theme.annotation_band, *theme.bands.values())))]
    low = [(fg, bg, round(contrast(fg, bg), 2)) for fg, bg in pairs if contrast(fg, bg) < 4.5]
    assert low == []


def test_the_pages_fail_marker_reads_at_wcag_aa_in_both_colour_schemes():
    css = (Path(__file__).parents[1] / "blueprint_dsl" / "templates" / "html" / "page.css").read_text()
    light = dict(re.findall(r"--(fail|fail-fg): (#[0-9a-f]{6})", css.split("@media")[0]))
    dark = dict(re.findall(r"--(fail|fail-fg): (#[0-9a-f]{6})", css[css.index('html[data-colour-scheme="dark"]'):]))
    for scheme in (light, dark):
        assert contrast(scheme["fail-fg"], scheme["fail"]) >= 4.5, scheme
