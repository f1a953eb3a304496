"""The titles of a spreadsheet blueprint's rows: what kind of row each names, read whatever
its case, punctuation and words in brackets (``Front-stage actions:``), and the titles of
the lines of the method, which a sheet draws as rows and the lanes make."""

from __future__ import annotations

import enum
import re

from .diagnostics import closest


class RowKind(enum.Enum):
    """What a row of the grid holds, as its title says."""

    STAGE = "stage"
    STEP = "step"
    EVIDENCE = "evidence"
    CUSTOMER = "customer"
    FRONTSTAGE = "frontstage"
    BACKSTAGE = "backstage"
    SUPPORT = "support"
    TIME = "time"
    METRIC = "metric"
    POLICY = "policy"
    EMOTION = "emotion"
    SCENARIO = "scenario"
    PERSONA = "persona"
    SEGMENT = "segment"
    OWNER = "owner"


#: The rows of the blueprint's header facts: the first cell after the title gives the fact.
HEADERS = (RowKind.SCENARIO, RowKind.PERSONA, RowKind.SEGMENT, RowKind.OWNER)
#: The titles of each kind of row, as ``title_words`` writes them; the first is the one messages name.
_TITLES = {
    RowKind.STAGE: ("stage", "stages", "phase", "phases", "journey stage", "journey stages", "journey phase",
                    "journey phases"),
    RowKind.STEP: ("step", "steps"),
    RowKind.EVIDENCE: ("physical evidence", "evidence", "touchpoint", "touchpoints", "props"),
    RowKind.CUSTOMER: ("customer actions", "customer", "customers", "customer journey", "user", "users"),
    # Bitner, Ostrom & Morgan's template: "Onstage/Visible Contact Employee Actions".
    RowKind.FRONTSTAGE: ("frontstage", "front stage", "onstage", "on stage", "onstage visible contact employee",
                         "visible contact employee", "onstage contact employee"),
    RowKind.BACKSTAGE: ("backstage", "back stage", "offstage", "off stage", "backstage invisible contact employee",
                        "invisible contact employee", "backstage contact employee"),
    RowKind.SUPPORT: ("support processes", "support", "supporting", "support systems"),
    RowKind.TIME: ("time", "times", "timing", "duration", "durations"),
    RowKind.METRIC: ("metrics", "metric", "kpi", "kpis"),
    RowKind.POLICY: ("policies", "policy", "rules", "business rules"),
    RowKind.EMOTION: ("emotions", "emotion", "feelings", "feeling", "customer emotions", "customer feelings"),
    RowKind.SCENARIO: ("scenario",),
    RowKind.PERSONA: ("persona", "customer persona"),
    RowKind.SEGMENT: ("segment", "customer segment"),
    RowKind.OWNER: ("owner", "service owner", "blueprint owner"),
}
#: Words a lane's title may end in: ``Customer actions``, ``Support processes``.
_LANE_ENDINGS = ("action", "actions", "process", "processes", "activities", "interactions")
_LANES = (RowKind.CUSTOMER, RowKind.FRONTSTAGE, RowKind.BACKSTAGE, RowKind.SUPPORT)
_KIND_OF_TITLE: dict[str, RowKind] = {
    **{f"{title} {ending}": kind for kind in _LANES for title in _TITLES[kind] for ending in _LANE_ENDINGS},
    **{title: kind for kind, titles in _TITLES.items() for title in titles},
}
_TITLE_WORDS = tuple(title for titles in _TITLES.values() for title in titles)
#: The title of each kind of row that messages name.
ROW_TITLES = {
    RowKind.STAGE: "Stage", RowKind.STEP: "Step", RowKind.EVIDENCE: "Physical evidence",
    RowKind.CUSTOMER: "Customer actions", RowKind.FRONTSTAGE: "Frontstage", RowKind.BACKSTAGE: "Backstage",
    RowKind.SUPPORT: "Support processes", RowKind.TIME: "Time", RowKind.METRIC: "Metrics",
    RowKind.POLICY: "Policies", RowKind.EMOTION: "Emotions", RowKind.SCENARIO: "Scenario", RowKind.PERSONA: "Persona",
    RowKind.SEGMENT: "Segment", RowKind.OWNER: "Owner",
}


def kind_of_title(words: str) -> RowKind | None:
    """The kind of row that the title ``words`` (as ``title_words`` writes them) names, if any."""
    return _KIND_OF_TITLE.get(words)


def closest_title(words: str) -> RowKind | None:
    """The kind of row whose title is closest to ``words``, when one is close."""
    # Close to a title as written, not to one with a lane's ending: 'opportunities' is not 'support activities'.
    close = closest(words, _TITLE_WORDS)[:1] if words else []
    return _KIND_OF_TITLE[close[0]] if close else None


def title_words(title: str) -> str:
    """A row's title as ``_TITLES`` writes it: lower case, words in brackets left out, and
    the words joined by one space (``Front-stage actions:`` is ``front stage actions``)."""
    return " ".join(re.findall(r"[a-z0-9]+", re.sub(r"\([^)]*\)|\[[^]]*\]", " ", title.casefold())))


#: The lines of the method, between its lanes (Kingman-Brundage's too): ``Line of X`` or ``X line``.
_LINES = ("interaction", "customer interaction", "visibility", "internal interaction", "implementation",
          "order penetration")
_LINE_TITLES = frozenset(("line", "lines", *(f"line of {line}" for line in _LINES),
                          *(f"{line} line" for line in _LINES)))


def is_line(words: str) -> bool:
    """A row for a line of the method (``Line of visibility``, ``Visibility line``): the lanes make
    those. Another title ending in ``line`` (``Time line``, ``Waiting line``) is none."""
    return words in _LINE_TITLES
