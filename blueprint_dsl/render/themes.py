"""Colour themes of the diagram: a sober default, a dark one, and one for printing."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import THEME_NAMES
from . import RenderError


@dataclass(frozen=True, slots=True, kw_only=True)
class Theme:
    """A named set of colours and a font for every part of the drawing."""

    name: str
    description: str
    font: str = "Arial,sans-Serif"
    background: str
    text: str
    muted: str
    #: Band fill per row key; annotation rows share ``annotation_band``.
    bands: dict[str, str]
    annotation_band: str
    band_border: str
    band_title: str
    card_fill: str
    card_border: str
    evidence_fill: str
    evidence_border: str
    stage_fill: str
    stage_text: str
    line: str
    flow: str
    loop: str
    fail: str
    wait: str
    badge_text: str
    #: Border colour of the emotion cards, by the emotion's score from -2 to 2.
    emotions: tuple[str, str, str, str, str]
    #: A diff's colours, by status: (border, fill). Removed items are drawn dashed, as ghosts.
    #: The border colour is also the text of a changed step, status word and flow label.
    diff: dict[str, tuple[str, str]] = field(default_factory=lambda: dict(LIGHT_DIFF))
    #: The text of a stage header filled with a diff's colour.
    diff_text: str = "#ffffff"


#: Each colour reads at 4.5:1 or more as text on its tint, on the page and on the lanes'
#: bands, and under ``diff_text``; the HTML page's diff has the same (page.css).
LIGHT_DIFF = {
    "added": ("#2b7a30", "#e8f5e9"),
    "changed": ("#965800", "#fff4e0"),
    "moved": ("#1c68b4", "#e6f0fb"),
    "removed": ("#c62828", "#fdecec"),
}


THEMES: dict[str, Theme] = {
    theme.name: theme
    for theme in (
        Theme(
            name="default",
            description="sober: pale lane bands, white cards, dark grey text",
            background="#ffffff",
            text="#222222",
            muted="#5f6368",
            bands={
                "evidence": "#f4f1ea",
                "customer": "#eaf1fb",
                "frontstage": "#edf6ee",
                "backstage": "#f6f3e6",
                "support": "#f1eef6",
            },
            annotation_band="#f5f5f5",
            band_border="#d9dce1",
            band_title="#333333",
            card_fill="#ffffff",
            card_border="#8a8f98",
            evidence_fill="#fffdf5",
            evidence_border="#a89f86",
            stage_fill="#3d4b5c",
            stage_text="#ffffff",
            line="#55595f",
            flow="#3f6ea8",
            loop="#a14f26",
            fail="#c62828",
            wait="#9a5b00",
            badge_text="#ffffff",
            # Each at least 4.5:1 on a card, as text (WCAG AA).
            emotions=("#c62828", "#b35400", "#5f6368", "#4a7c1f", "#2e7d32"),
        ),
        Theme(
            name="dark",
            description="light text on a dark background, for slides and dark pages",
            background="#1e2228",
            text="#e8eaed",
            muted="#a9b0ba",
            bands={
                "evidence": "#2b2a26",
                "customer": "#233042",
                "frontstage": "#22342a",
                "backstage": "#35311f",
                "support": "#2f2939",
            },
            annotation_band="#292c31",
            band_border="#3a3f47",
            band_title="#e8eaed",
            card_fill="#2d3239",
            card_border="#7d8590",
            evidence_fill="#33312a",
            evidence_border="#9b917a",
            stage_fill="#4a6d94",
            stage_text="#ffffff",
            line="#c3c8cf",
            flow="#7fb0ea",
            loop="#f0a070",
            fail="#ff7b72",
            wait="#f0b030",
            badge_text="#1e2228",
            emotions=("#ff7b72", "#ffa726", "#a9b0ba", "#9ccc65", "#66bb6a"),
            diff={"added": ("#66bb6a", "#1f3323"), "changed": ("#f0a030", "#3a2f1a"),
                  "moved": ("#64a8f0", "#1c2c40"), "removed": ("#f47371", "#3a1f22")},
            diff_text="#1e2228",
        ),
        Theme(
            name="print",
            description="black on white with no fills, for paper and photocopies",
            background="#ffffff",
            text="#000000",
            muted="#333333",
            bands={lane: "#ffffff" for lane in ("evidence", "customer", "frontstage", "backstage", "support")},
            annotation_band="#ffffff",
            band_border="#000000",
            band_title="#000000",
            card_fill="#ffffff",
            card_border="#000000",
            evidence_fill="#ffffff",
            evidence_border="#000000",
            stage_fill="#e0e0e0",
            stage_text="#000000",
            line="#000000",
            flow="#000000",
            loop="#000000",
            fail="#000000",
            wait="#555555",
            badge_text="#ffffff",
            emotions=("#000000",) * 5,
        ),
    )
}

DEFAULT_THEME = "default"


def get_theme(name: str | None) -> Theme:
    """The theme called ``name`` (the default for None, and for ``light``), or a RenderError naming the themes."""
    theme = THEMES.get(DEFAULT_THEME if name in (None, "light") else name)
    if theme is None:
        raise RenderError(f"unknown theme '{name}': the themes are {', '.join(THEME_NAMES)}")
    return theme
