"""In Jupyter, a loaded blueprint shows itself as its diagram, or as its errors."""

from __future__ import annotations

from pathlib import Path

from blueprint_dsl import load, loads

COFFEE = Path(__file__).parents[1] / "examples" / "coffee.svc"


def test_a_loaded_blueprint_shows_as_svg_and_html():
    result = load(COFFEE)
    svg = result._repr_svg_()
    assert svg is not None and "<svg" in svg and "<title>Coffee to go" in svg
    html = result._repr_html_()
    assert html.startswith('<iframe class="blueprint" sandbox="allow-scripts"') and "Coffee to go" in html


def test_a_broken_blueprint_shows_its_errors():
    result = loads(COFFEE.read_text().replace('guest:   "Walks in', 'gust:   "Walks in'), "broken.svc")
    assert result._repr_svg_() is None
    html = result._repr_html_()
    assert '<pre class="blueprint-error" role="alert">' in html and "BP101 unknown-actor" in html
