"""The HTML backend: one self-contained, interactive page per blueprint.

Everything the page shows is decided here, before the template runs: the order of
columns and rows, which card sits in which cell, the summary figures and which finding
belongs to which action, in the records of ``html_view``. The templates (``blueprint_dsl/templates/html/``) only turn
that view into markup; the script in the page only draws the arrows and handles
hover, filters and details. CSS and script are inlined and pinned by hash in the
page's Content-Security-Policy, so the page makes no request to any host and runs no
script it did not ship.
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import json
import re
from functools import cache
from importlib import resources

import jinja2
from markupsafe import Markup

from .. import stats
from ..diagnostics import Diagnostic, sorted_diagnostics
from ..model import LINES, Action, Actor, Blueprint, Emotion, Flow, Lane, Line
from ..output_formats import PAPERS
from ..text import NONCHARACTERS, drawable, format_seconds
from . import RenderOptions, flow_caption, is_rework
from .decorate import STATUS_TITLES, STATUSES
from .html_view import (
    DEEP_LINK_PREFIX,
    FACTS_PREFIX,
    STAGE_PREFIX,
    Card,
    Cell,
    ChangeView,
    Column,
    Row,
    StageHeader,
    Summary,
)

#: Annotation rows below the lanes, in this order when present.
ANNOTATION_ROWS = ("time", "metric", "policy")
ANNOTATION_TITLES = {"time": "Time", "metric": "Metrics", "policy": "Policies", "emotion": "Customer emotion"}
#: The colour scheme each theme forces on the page; ``default`` follows the reader's
#: system setting. ``print`` is the light page, as on paper.
COLOUR_SCHEMES = {"light": "light", "dark": "dark", "print": "light"}


def render(blueprint: Blueprint, options: RenderOptions) -> bytes:
    return HtmlRenderer(blueprint, options).render().encode("utf-8")


class HtmlRenderer:
    """Builds the page's view of one blueprint, then fills the template with it."""

    def __init__(self, blueprint: Blueprint, options: RenderOptions) -> None:
        self.blueprint = blueprint
        self.options = options
        self.actors: dict[str, Actor] = blueprint.actor_index()
        self.actions: dict[str, Action] = blueprint.action_index()
        self.diff = options.diff
        self.columns = tuple(
            Column(index, step, stage, self.status("step", step.id))
            for index, (stage, step) in enumerate((stage, step) for stage in blueprint.stages for step in stage.steps)
        )
        self.findings, self.general_findings = self.assign_findings(options.diagnostics)
        self.links = self.linked_actions()
        self.cards = {
            action.id: self.card(action, column) for column in self.columns for action in column.step.actions
        }

    # -- the view ----------------------------------------------------------------------

    def render(self) -> str:
        script, style = "".join(_asset(name) for name in _SCRIPTS), _asset("page.css")
        return _template().render(
            blueprint=self.blueprint,
            header=self.header(),
            summary=self.summary(),
            stages=self.stage_headers(),
            columns=self.columns,
            rows=self.rows(),
            actors=self.acting_actors(),
            cards=self.cards,
            flows=self.blueprint.flows,
            rework=self.rework,
            findings=self.all_findings(),
            general_findings=self.general_findings,
            colour_scheme=self.colour_scheme(),
            data=Markup(script_json(self.page_data())),
            script=Markup(script),
            style=Markup(style),
            csp=f"default-src 'none'; img-src data:; style-src '{_sha256(style)}'; "
            f"script-src '{_sha256(script)}'; base-uri 'none'; form-action 'none'",
            lane_titles={lane: lane.title for lane in Lane},
            fmt=format_seconds,
            diff=self.diff,
            changes=self.change_views(),
            status_legend=tuple((status, STATUS_TITLES[status]) for status in STATUSES),
            papers=PAPERS,
            paper=self.options.paper,
        )

    def header(self) -> tuple[tuple[str, str], ...]:
        bp = self.blueprint
        facts = (
            ("Scenario", bp.scenario),
            ("Persona", bp.persona),
            ("Segment", bp.segment),
            ("Owner", bp.owner),
            ("Version", bp.version),
        )
        return tuple((name, value) for name, value in facts if value)

    def summary(self) -> Summary:
        """The figures of NEW in a diff (ghosts do not count), else of the blueprint."""
        figures = stats.compute(self.diff.new if self.diff else self.blueprint, self.options.default_tolerance)
        longest = figures.total.longest_wait_action
        return Summary(figures=figures.total, tolerance=figures.tolerance,
                       longest_wait_card=self.cards.get(longest) if longest else None)

    def status(self, entity: str, node_id: str) -> str | None:
        return getattr(self.diff, entity + "s").get(node_id) if self.diff else None

    def change_views(self) -> tuple[ChangeView, ...]:
        if self.diff is None:
            return ()
        steps = {column.step.id: f"step-{column.index}" for column in self.columns}
        stages = {column.stage.id: STAGE_PREFIX + column.stage.id for column in self.columns}
        views = []
        for item in self.diff.items:
            entity, node_id = item.target or ("", "")
            href = {"action": self.cards[node_id].anchor if node_id in self.cards else None,
                    "step": steps.get(node_id), "stage": stages.get(node_id)}.get(entity)
            views.append(ChangeView(item, "#" + href if href else None))
        return tuple(views)

    def stage_headers(self) -> tuple[StageHeader, ...]:
        placeholders = self.diff.placeholders if self.diff else frozenset()
        return tuple(StageHeader(stage, len(stage.steps), self.status("stage", stage.id),
                                 tuple(step for step in stage.steps if step.id not in placeholders))
                     for stage in self.blueprint.stages if stage.steps)

    def rows(self) -> tuple[Row, ...]:
        rows = [self.evidence_row()]
        lines_below = {line.above: line for line in LINES}
        labelled = self.lines_crossed_by_labels()
        for lane in Lane:
            if lane is Lane.EVIDENCE:
                continue
            cells = tuple(Cell(c, cards=tuple(self.cards[a.id] for a in c.step.actions_in(lane))) for c in self.columns)
            rows.append(Row("lane", lane.value, lane.title, cells))
            if lane in lines_below:
                line = lines_below[lane]
                rows.append(Row("line", line.key, line.name, line=line, labelled=line in labelled))
        rows.extend(self.annotation_rows())
        return tuple(rows)

    def lines_crossed_by_labels(self) -> set[Line]:
        """The lines of the method that a labelled flow crosses, whose middle and label lie on them."""
        lanes = {action.id: action.lane.rank for action in self.blueprint.actions()}
        crossed = set()
        for flow in self.blueprint.flows:
            if flow.label and flow.source in lanes and flow.target in lanes:
                top, bottom = sorted((lanes[flow.source], lanes[flow.target]))
                crossed.update(line for line in LINES if top <= line.above.rank < bottom)
        return crossed

    def evidence_row(self) -> Row:
        cells = tuple(Cell(column, evidence=column.step.evidence_shown()) for column in self.columns)
        return Row("lane", Lane.EVIDENCE.value, Lane.EVIDENCE.title, cells)

    def annotation_rows(self) -> list[Row]:
        rows = []
        emotions = tuple(
            Cell(c, texts=tuple(_emotion_text(a.emotion) for a in c.step.actions if a.emotion)) for c in self.columns
        )
        candidates = [("emotion", emotions)] + [
            (key, tuple(Cell(c, texts=tuple(n.text for n in c.step.annotations if n.row == key)) for c in self.columns))
            for key in ANNOTATION_ROWS
        ]
        for key, cells in candidates:
            row = Row("annotation", key, ANNOTATION_TITLES[key], cells)
            if row.has_content:
                rows.append(row)
        return rows

    def acting_actors(self) -> tuple[Actor, ...]:
        acting = {a.actor for a in self.actions.values()}
        return tuple(actor for actor in self.blueprint.actors if actor.id in acting)

    def colour_scheme(self) -> str | None:
        return COLOUR_SCHEMES.get(self.options.theme or self.blueprint.theme)

    # -- cards, flows, findings --------------------------------------------------------

    def card(self, action: Action, column: Column) -> Card:
        return Card(
            action=action,
            actor=self.actor_name(action.actor),
            column=column,
            findings=self.findings.get(action.id, ()),
            linked=self.links.get(action.id, ()),
            fail_owner=self.actor_name(action.fail.owner) if action.fail and action.fail.owner else None,
            status=self.status("action", action.id),
            joined_above=self.joined_above(action, column),
        )

    def joined_above(self, action: Action, column: Column) -> bool:
        """Whether a flow joins the action to the one above it in its cell."""
        stacked = column.step.actions_in(action.lane)
        place = stacked.index(action)
        return place > 0 and stacked[place - 1].id in self.links.get(action.id, ())

    def actor_name(self, actor_id: str) -> str:
        actor = self.actors.get(actor_id)
        return actor.name if actor else actor_id

    def linked_actions(self) -> dict[str, tuple[str, ...]]:
        links: dict[str, list[str]] = {}
        for flow in self.blueprint.flows:
            for a, b in ((flow.source, flow.target), (flow.target, flow.source)):
                bucket = links.setdefault(a, [])
                if b not in bucket:
                    bucket.append(b)
        return {key: tuple(value) for key, value in links.items()}

    def assign_findings(
        self, diagnostics: tuple[Diagnostic, ...]
    ) -> tuple[dict[str, tuple[Diagnostic, ...]], tuple[Diagnostic, ...]]:
        """Each finding goes to the action whose span holds its line; the rest are general."""
        by_action: dict[str, list[Diagnostic]] = {}
        general = []
        # The actions in the order they start: they do not overlap, so the one that may hold
        # a finding is the last to start before it.
        actions = sorted((a for a in self.blueprint.actions() if a.span.line > 0),
                         key=lambda a: (a.span.path, a.span.line, a.span.column))
        starts = [(a.span.path, a.span.line, a.span.column) for a in actions]
        for diagnostic in sorted_diagnostics(diagnostics):
            where = diagnostic.span
            before = bisect.bisect_right(starts, (where.path, where.line, where.column))
            owner = actions[before - 1] if before and _within(diagnostic, actions[before - 1]) else None
            if owner is None:
                general.append(diagnostic)
            else:
                by_action.setdefault(owner.id, []).append(diagnostic)
        return {key: tuple(value) for key, value in by_action.items()}, tuple(general)

    def all_findings(self) -> tuple[tuple[Diagnostic, str | None], ...]:
        """Every finding with the action it concerns (None for general ones), in source order."""
        owners = {id(d): action_id for action_id, found in self.findings.items() for d in found}
        at_actions = [d for found in self.findings.values() for d in found]
        everything = sorted_diagnostics(at_actions + list(self.general_findings))
        return tuple((d, owners.get(id(d))) for d in everything)

    def rework(self, flow: Flow) -> bool:
        """Whether the flow is drawn as rework (``is_rework``), as the SVG draws it."""
        return is_rework(flow, self.cards[flow.source].column.index, self.cards[flow.target].column.index)

    def page_data(self) -> dict:
        """What the script needs: the flows, by action id. Text goes in as data, never as markup."""
        return {
            "flows": [
                self._flow_data(index, f)
                for index, f in enumerate(self.blueprint.flows)
                if f.source in self.actions and f.target in self.actions
            ],
            "deepLinkPrefix": DEEP_LINK_PREFIX,
            "factsPrefix": FACTS_PREFIX,
        }

    def _flow_data(self, index: int, flow: Flow) -> dict:
        """A flow as the script draws it: its ends, its caption, and whether it is rework."""
        rework = self.rework(flow)
        return {
            "source": flow.source,
            "target": flow.target,
            "twoWay": flow.two_way,
            "label": flow_caption(drawable(flow.label) if flow.label is not None else None, rework),
            "loop": rework,
            **({"status": self.diff.flows[index]} if self.diff else {}),
        }


def _within(diagnostic: Diagnostic, action: Action) -> bool:
    """Whether the finding starts inside the action's text: by line and column, for
    a step that holds several actions on one line."""
    span, where = action.span, diagnostic.span
    start, end = (span.line, span.column), (span.end_line, span.end_column)
    return where.path == span.path and span.line > 0 and start <= (where.line, where.column) < end


def _emotion_text(emotion: Emotion) -> str:
    return f"{emotion.value} ({emotion.score:+d})" if emotion.score else emotion.value


def script_json(value: object) -> str:
    """JSON safe inside a <script> element: no ``</script>``, ``<!--`` or line separators,
    and no character the page may not hold raw (JSON escapes the C0 controls itself)."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return _UNSCRIPTABLE.sub(_json_escape, text)


#: Markup characters, the line separators that ended a JavaScript string, DEL, the C1
#: controls, and the non-characters: in the page's JSON, each as its \u escape.
_UNSCRIPTABLE = re.compile(f"[<>&\u2028\u2029\x7f-\x9f{NONCHARACTERS}]")


def _json_escape(match: re.Match[str]) -> str:
    """A character as JSON escapes it: ``\\u`` and its UTF-16 code unit, or the two of a
    character past U+FFFF."""
    units = match.group(0).encode("utf-16-be")
    return "".join(f"\\u{int.from_bytes(units[i:i + 2], 'big'):04x}" for i in range(0, len(units), 2))


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


#: The page's script, in the order it runs: where the arrows and their labels go, then the
#: parts that draw them, handle the reader's hover, clicks and filters and lay out the
#: printed sheets and the notes on them for the flows between two on the paper chosen, then page.js, which sets
#: them going.
_SCRIPTS = ("flows.js", "labels.js", "arrows.js", "highlighting.js", "details.js", "filters.js", "connectors.js",
            "sheets.js", "paper.js", "page.js")


@cache
def _asset(name: str) -> str:
    return resources.files("blueprint_dsl").joinpath("templates", "html", name).read_text(encoding="utf-8")


def _shown(value: object) -> object:
    """Every value the templates write, text as the drawings show it (``text.drawable``).

    Markup is written as it is: a macro's output was shown value by value, and the page's
    data, script and style are made here, the flow labels in the data drawable already.
    """
    if value.__class__ is str:  # nearly every value: the test that costs least
        return value if value.isprintable() else drawable(value)
    return drawable(value) if isinstance(value, str) and not isinstance(value, Markup) else value


@cache
def _template() -> jinja2.Template:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("blueprint_dsl", "templates/html"),
        autoescape=True,
        finalize=_shown,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return environment.get_template("page.html.j2")
