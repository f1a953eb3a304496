"""The DOT source of a placed grid: every node pinned where the layout put it.

Positions are fixed (``neato -n2`` keeps them); Graphviz only routes the flows and
draws. Blueprint text reaches DOT only inside HTML-like labels, escaped by ``markup``;
ids and classes are made of identifier characters by the layout.
"""

from __future__ import annotations

import math

from ..model import LINE_OF_INTERACTION, LINE_OF_INTERNAL_INTERACTION, LINE_OF_VISIBILITY
from .dot_markup import attribute_list, font_lines, markup, middled, quoted
from .grid import Box, Card, ChangeList, FlowEdge, Grid, LineRule, Row
from .labels import drawn_size
from .layout import FONT_SIZE, HEAD_WIDTH, MARGIN, SMALL_LEADING, SMALL_SIZE, TITLE_SIZE, element_id
from .metrics import text_width
from .themes import Theme

#: The radius of the dot a leader ends in on its flow; Graphviz draws a ``dot`` arrowhead
#: of radius 4 x ``arrowsize``.
LEADER_DOT = 1.5
#: The word on a card of a diff, so the status reads without colour too.
STATUS_WORDS = {"added": "ADDED", "changed": "CHANGED", "moved": "MOVED", "removed": "REMOVED"}
#: A marker's height: its letters, ``dot_markup.DROP`` lower, in the middle.
BADGE_HEIGHT = 13


#: Each line of the method drawn its own way, as the HTML page draws it, so that the three
#: tell apart at a glance.
LINE_STYLES = {LINE_OF_INTERACTION.key: "solid", LINE_OF_VISIBILITY.key: "dashed",
               LINE_OF_INTERNAL_INTERACTION.key: "dotted"}

class DotWriter:
    """Writes the DOT source of one grid in one theme; y is flipped to Graphviz's upward axis."""

    def __init__(self, grid: Grid, theme: Theme) -> None:
        self.grid = grid
        self.theme = theme
        self.out: list[str] = []

    def point(self, x: float, y: float) -> str:
        return f"{x:.2f},{self.grid.height - y:.2f}"

    def bb(self, box: Box) -> str:
        return f"{box.left:.2f},{self.grid.height - box.bottom:.2f},{box.right:.2f},{self.grid.height - box.top:.2f}"

    def write(self) -> str:
        theme, grid = self.theme, self.grid
        self.out.append("digraph blueprint {")
        self.emit("graph", attribute_list(
            bb=f"0,0,{grid.width:.2f},{grid.height:.2f}", bgcolor=theme.background, splines="true",
            outputorder="edgesfirst", pad="0", fontname=theme.font, fontcolor=theme.text, id="blueprint",
        ))
        self.emit("node", attribute_list(
            shape="box", fixedsize="true", style="filled", fontname=theme.font, fontsize=f"{FONT_SIZE:g}",
            fontcolor=theme.text, fillcolor=theme.card_fill, color=theme.card_border, penwidth="1",
            margin="0",
        ))
        self.emit("edge", attribute_list(
            fontname=theme.font, fontsize=f"{SMALL_SIZE:g}", fontcolor=theme.muted, color=theme.flow,
            arrowsize="0.7", penwidth="1.2",
        ))
        # Two invisible corners keep the margins: Graphviz crops the drawing to what it holds.
        for name, x, y in (("corner-top-left", 0.0, 0.0), ("corner-bottom-right", grid.width, grid.height)):
            self.emit(quoted(name), attribute_list(shape="point", style="invis", width=0.01, height=0.01,
                                                 pos=self.point(x, y) + "!"))
        for row in grid.rows:
            self.row(row)
        for header in grid.stages:
            fill = theme.diff[header.status][0] if header.status else theme.stage_fill
            text = theme.diff_text if header.status else theme.stage_text
            label = font_lines(header.label, size=FONT_SIZE + 1, colour=text, bold=True)
            self.emit(f"subgraph cluster_{header.id.replace('-', '_')} {{ graph", attribute_list(
                bb=self.bb(header.box), lp=self.point(header.box.centre_x, header.box.centre_y),
                label=f"<{middled(label, len(header.label), FONT_SIZE + 1)}>",
                style="filled,rounded", fillcolor=fill, color=fill,
                id=header.id, **{"class": _classes("stage", header.status)},
            ), "}")
        self.title_block()
        self.legend()
        for column in grid.columns:
            if not column.label:
                continue  # the empty column of a removed stage: nothing to label
            box = column.label_box
            # A box the colour of the page: the label's extent stays in the SVG for readers and tests.
            fill, text = theme.background, theme.muted
            if column.status:
                text, fill = theme.diff[column.status]
            prefix = "ghost-step" if column.status == "removed" else "step"
            label = font_lines(column.label, size=SMALL_SIZE + 1, colour=text, bold=True)
            self.node(element_id(prefix, column.step.id), box, fillcolor=fill, color=fill,
                      label=f"<{middled(label, len(column.label), SMALL_SIZE + 1)}>",
                      **{"class": _classes(f"step {element_id('stage', column.step.stage)}", column.status)})
        for card in grid.cards:
            self.card(card)
        for line in grid.lines:
            self.line(line)
        for edge in grid.flows:
            self.flow(edge)
        if grid.changes is not None:
            self.change_list(grid.changes)
        self.out.append("}")
        return "\n".join(self.out) + "\n"

    def emit(self, head: str, attributes: str, tail: str = "") -> None:
        self.out.append(f"  {head} {attributes}{' ' + tail if tail else ''};")

    def node(self, name: str, box: Box, **attributes: str) -> None:
        self.emit(quoted(name), attribute_list(
            id=name, pos=self.point(box.centre_x, box.centre_y) + "!",
            width=box.width / 72, height=box.height / 72, **attributes,
        ))

    def row(self, row: Row) -> None:
        theme = self.theme
        fill = theme.bands.get(row.key, theme.annotation_band)
        # A table as wide as the title column, so every title starts at the same x.
        title = (f'<TABLE BORDER="0" CELLPADDING="0" CELLSPACING="0"><TR><TD ALIGN="LEFT" BALIGN="LEFT" '
                 f'WIDTH="{HEAD_WIDTH - 16:.0f}">'
                 f"{font_lines(row.title, size=FONT_SIZE + 1, colour=theme.band_title, bold=True)}</TD></TR></TABLE>")
        kind = "lane" if row.lane is not None else "annotation-row"
        self.emit(f"subgraph cluster_row_{row.key} {{ graph", attribute_list(
            bb=self.bb(row.box), lp=self.point(row.box.left + HEAD_WIDTH / 2, row.box.centre_y),
            label=f"<{title}>",
            style="filled", fillcolor=fill, color=theme.band_border, penwidth="1",
            id=f"{'lane' if row.lane else 'row'}-{row.key}", **{"class": f"{kind} {kind}-{row.key}"},
        ), "}")

    def card(self, card: Card) -> None:
        theme = self.theme
        attributes = {"class": " ".join(card.classes)}
        if card.kind == "evidence":
            attributes.update(shape="note", fillcolor=theme.evidence_fill, color=theme.evidence_border)
            label = font_lines(card.lines, size=SMALL_SIZE + 1, italic=True)
        elif card.kind == "emotion":
            score = card.action.emotion.score if card.action and card.action.emotion else 0
            colour = theme.emotions[score + 2]
            attributes.update(style="filled,rounded", color=colour, penwidth="1.5")
            label = middled(font_lines(card.lines, size=SMALL_SIZE + 1, colour=colour, bold=True), len(card.lines),
                             SMALL_SIZE + 1)
        elif card.kind == "annotation":
            attributes.update(style="filled,rounded,dashed")
            label = font_lines(card.lines, size=FONT_SIZE - 1)
        else:
            attributes.update(style="filled,rounded")
            if card.fail:
                attributes.update(color=theme.fail, penwidth="1.6")
            label = self.action_label(card)
        if card.status:
            border, fill = theme.diff[card.status]
            attributes.update(color=border, fillcolor=fill, penwidth="2.2")
            if card.status == "removed":
                attributes["style"] = attributes.get("style", "filled") + ",dashed"
        self.node(card.id, card.box, label=f"<{label}>", **attributes)

    def action_label(self, card: Card) -> str:
        theme = self.theme
        rows = [f"<TR><TD>{font_lines(card.lines)}</TD></TR>"]
        badges = []
        if card.fail:
            badges.append("F")
        if card.wait:
            badges.append(f"W {card.wait}")
        if badges:
            rows.append(f"<TR><TD>{self.badges(badges)}</TD></TR>")
        if card.fail_lines:
            fail = font_lines(card.fail_lines, size=SMALL_SIZE, colour=theme.fail, italic=True)
            rows.append(f"<TR><TD>{fail}</TD></TR>")
        if card.footer:
            rows.append(f"<TR><TD>{font_lines(card.footer, size=SMALL_SIZE, colour=theme.muted)}</TD></TR>")
        if card.status:
            word = STATUS_WORDS[card.status]
            status = font_lines((word,), size=SMALL_SIZE, colour=theme.diff[card.status][0], bold=True)
            rows.append(f"<TR><TD>{status}</TD></TR>")
        return '<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="1" CELLPADDING="0">' + "".join(rows) + "</TABLE>"

    def flow(self, edge: FlowEdge) -> None:
        theme, route = self.theme, edge.route
        classes = ["flow"]
        attributes: dict[str, str] = {"id": edge.id}
        if edge.flow.two_way:
            attributes.update(dir="both", arrowtail="normal")
            classes.append("two-way")
        if edge.loop:
            attributes.update(style="dashed", color=theme.loop, fontcolor=theme.loop)
            classes.append("loop")
        if edge.status:
            colour = theme.diff[edge.status][0]
            attributes.update(color=colour, fontcolor=colour, penwidth="1.8")
            if edge.status == "removed":
                attributes["style"] = "dashed"
            classes.append(f"diff-{edge.status}")
        ends = []  # Graphviz reads the start tip before the end tip
        if route.start_tip is not None:
            ends.append("s," + self.point(*route.start_tip))
        if route.end_tip is not None:
            ends.append("e," + self.point(*route.end_tip))
        attributes["pos"] = " ".join(ends + [self.point(x, y) for x, y in route.spline])
        if edge.label and not route.label_on_top:
            attributes["label"] = f"<{font_lines(edge.label)}>"
            attributes["lp"] = self.point(*route.label_at)
        attributes["class"] = " ".join(classes)
        self.emit(f"{quoted(edge.source)} -> {quoted(edge.target)}", attribute_list(**attributes))
        if edge.label and route.label_on_top:
            self.label_on_top(edge, attributes.get("fontcolor", theme.muted))
        if route.leader is not None:
            self.leader(edge)

    def label_on_top(self, edge: FlowEdge, colour: str) -> None:
        """A flow's label that found no free place: a node of its own, declared after the
        cards so that it is drawn over them, on the page's colour so that it reads there."""
        # As wide as the place kept for it: Graphviz may draw the text wider than estimated.
        width, height = drawn_size(max(text_width(line, SMALL_SIZE) for line in edge.label),
                                   len(edge.label) * SMALL_LEADING, on_top=True)
        x, y = edge.route.label_at
        box = Box(x - width / 2, y - height / 2, width, height)
        self.node(f"{edge.id}-label", box, label=f"<{font_lines(edge.label, size=SMALL_SIZE, colour=colour)}>",
                  style="filled,rounded", fillcolor=self.theme.background, color=colour, penwidth="0.6",
                  **{"class": "flow-label"})

    def leader(self, edge: FlowEdge) -> None:
        """The line from a label placed far from its flow to the flow: thin, dotted, in the
        labels' muted colour, with no arrowhead but a dot on the flow, so that it is not read
        as a flow itself (a flow is a solid or dashed line ending in an arrowhead)."""
        (x0, y0), (x1, y1) = edge.route.leader
        apart = math.hypot(x1 - x0, y1 - y0)
        # The dot is drawn at the line's tip: its centre on the flow, the line stopping at its edge.
        dx, dy = (x1 - x0) / apart * LEADER_DOT, (y1 - y0) / apart * LEADER_DOT
        start, end = f"{edge.id}-leader-start", f"{edge.id}-leader-end"
        for name, x, y in ((start, x0, y0), (end, x1 + dx, y1 + dy)):
            self.emit(quoted(name), attribute_list(shape="point", style="invis", width=0.01, height=0.01,
                                                 pos=self.point(x, y) + "!"))
        path = " ".join(self.point(x0 + (x1 - dx - x0) * i / 3, y0 + (y1 - dy - y0) * i / 3) for i in range(4))
        self.emit(f"{quoted(start)} -> {quoted(end)}", attribute_list(
            id=f"{edge.id}-leader", pos=f"e,{self.point(x1 + dx, y1 + dy)} {path}", style="dotted",
            color=self.theme.muted, penwidth="0.8", arrowhead="dot", arrowsize=LEADER_DOT / 4,
            **{"class": "flow-leader"},
        ))

    def badges(self, texts: list[str], spacing: int = 3) -> str:
        """Shostack's markers in a row, ``F`` for a fail point and ``W ...`` for a wait, ``spacing``
        apart and from the edges: a table of fixed size, or Graphviz stretches the markers over
        the whole cell it is in."""
        cells = "".join(self.badge(text, self.theme.fail if text == "F" else self.theme.wait) for text in texts)
        width = sum(_badge_width(text) for text in texts) + spacing * (len(texts) + 1)
        return (f'<TABLE BORDER="0" CELLSPACING="{spacing}" CELLPADDING="0" FIXEDSIZE="TRUE" WIDTH="{width:.0f}" '
                f'HEIGHT="{BADGE_HEIGHT + 2 * spacing}"><TR>{cells}</TR></TABLE>')

    def badge(self, text: str, colour: str) -> str:
        """A Shostack marker: a small filled tag, sized to its text so it does not stretch."""
        # At the cell's foot, the letters come to its middle (``DROP``).
        return (f'<TD BGCOLOR="{colour}" STYLE="rounded" FIXEDSIZE="TRUE" WIDTH="{_badge_width(text):.0f}" '
                f'HEIGHT="{BADGE_HEIGHT}" VALIGN="BOTTOM">'
                f'<FONT COLOR="{self.theme.badge_text}" POINT-SIZE="{SMALL_SIZE + 1:g}"><B>{markup(text)}</B>'
                "</FONT></TD>")

    def line(self, line: LineRule) -> None:
        theme = self.theme
        start, end = f"{line.id}-start", f"{line.id}-end"
        for name, x in ((start, line.left), (end, line.right)):
            self.emit(quoted(name), attribute_list(shape="point", style="invis", width=0.01, height=0.01,
                                                 pos=self.point(x, line.y) + "!"))
        third = (line.right - line.left) / 3
        path = " ".join(self.point(line.left + third * i, line.y) for i in range(4))
        label_x = MARGIN + 6 + text_width(line.line.name, SMALL_SIZE) / 2
        self.emit(f"{quoted(start)} -> {quoted(end)}", attribute_list(
            id=line.id, pos=path, style=LINE_STYLES[line.line.key], arrowhead="none", color=theme.line, penwidth="1.3",
            label=f"<{font_lines((line.line.name,), size=SMALL_SIZE, colour=theme.line, italic=True)}>",
            lp=self.point(label_x, line.y - 6), **{"class": f"line {line.id}"},
        ))

    def title_block(self) -> None:
        theme, block = self.theme, self.grid.title
        width = f"{block.box.width - 8:.0f}"
        # The facts are a table of their own: sharing columns with a title wider than they
        # are, Graphviz would widen the column of names and push the values to the right.
        title = font_lines(block.title, size=TITLE_SIZE, bold=True)
        rows = [f'<TR><TD ALIGN="LEFT" BALIGN="LEFT">{title}</TD></TR>']
        if block.facts:
            facts = "".join(f'<TR><TD ALIGN="LEFT" VALIGN="TOP">{font_lines((name,), colour=theme.muted, bold=True)}'
                            f'</TD><TD ALIGN="LEFT" BALIGN="LEFT">{font_lines(lines)}</TD></TR>'
                            for name, lines in block.facts)
            # As wide as the block: Graphviz spreads the room a narrower table is given over its columns.
            rows.append(f'<TR><TD CELLPADDING="0"><TABLE BORDER="0" CELLBORDER="0" CELLSPACING="1" CELLPADDING="1" '
                        f'WIDTH="{width}">{facts}</TABLE></TD></TR>')
        label = (f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2" WIDTH="{width}">'
                 + "".join(rows) + "</TABLE>")
        self.node("title-block", block.box, fillcolor=theme.background, color=theme.background, label=f"<{label}>",
                  **{"class": "title-block"})

    def legend(self) -> None:
        theme = self.theme
        entries = (
            (f'<TD>{self.badges(["F"], spacing=0)}</TD>', "fail point (Shostack's F)"),
            (f'<TD>{self.badges(["W"], spacing=0)}</TD>', "wait point, with the wait"),
            (f'<TD><FONT COLOR="{theme.flow}"><B>\u2192</B></FONT></TD>', "flow, hand-off"),
            (f'<TD><FONT COLOR="{theme.flow}"><B>\u2194</B></FONT></TD>', "exchange (two-way)"),
            (f'<TD><FONT COLOR="{theme.loop}"><B>\u21ba</B></FONT></TD>', "loop or rework (dashed)"),
            (f'<TD><FONT COLOR="{theme.line}">- - -</FONT></TD>', "line of the method"),
            ('<TD><FONT POINT-SIZE="8"><I>note</I></FONT></TD>', "physical evidence"),
        )
        if self.grid.changes is not None:
            swatch = '<TD BGCOLOR="{}" COLOR="{}" BORDER="2" STYLE="{}" WIDTH="24"> </TD>'
            entries += tuple(
                (swatch.format(theme.diff[status][1], theme.diff[status][0],
                               "dashed" if status == "removed" else "rounded"), text)
                for status, text in DIFF_LEGEND
            )
        rows = ['<TR><TD COLSPAN="2" ALIGN="LEFT"><B>Legend</B></TD></TR>']
        for symbol, text in entries:
            rows.append(f'<TR>{symbol}<TD ALIGN="LEFT" WIDTH="{self.grid.legend.width - 60:.0f}">'
                        f'{font_lines((text,), size=SMALL_SIZE + 1)}</TD></TR>')
        label = ('<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="2" CELLPADDING="1">'
                 + "".join(rows) + "</TABLE>")
        self.node("legend", self.grid.legend, label=f"<{label}>", style="filled,rounded",
                  fillcolor=theme.background, color=theme.band_border, **{"class": "legend"})

    def change_list(self, changes: ChangeList) -> None:
        theme = self.theme
        heading = font_lines((changes.heading,), size=FONT_SIZE + 1, bold=True)
        rows = [f'<TR><TD ALIGN="LEFT" COLSPAN="2">{heading}</TD></TR>']
        for status, title, details in changes.entries:
            colour = theme.diff[status.removeprefix("diff-")][0]
            title_lines = font_lines(title, colour=colour, bold=True)
            rows.append(f'<TR><TD ALIGN="LEFT" BALIGN="LEFT" COLSPAN="2">{title_lines}</TD></TR>')
            if details:
                rows.append(f'<TR><TD WIDTH="16"></TD><TD ALIGN="LEFT" BALIGN="LEFT">'
                            f'{font_lines(details, size=SMALL_SIZE + 1, colour=theme.muted)}</TD></TR>')
        label = (f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="2" CELLPADDING="0" '
                 f'WIDTH="{changes.box.width - 24:.0f}">' + "".join(rows) + "</TABLE>")
        self.node("diff-changes", changes.box, label=f"<{label}>", style="filled,rounded",
                  fillcolor=theme.background, color=theme.band_border, labeljust="l", **{"class": "diff-changes"})


DIFF_LEGEND = (
    ("added", "added"),
    ("changed", "changed"),
    ("moved", "moved (other step, stage or lane)"),
    ("removed", "removed: a ghost in its old place"),
)


def _classes(base: str, status: str | None) -> str:
    return f"{base} diff-{status}" if status else base


def _badge_width(text: str) -> float:
    return round(text_width(text, SMALL_SIZE + 1, bold=True) + 10)


def to_dot(grid: Grid, theme: Theme) -> str:
    """The DOT source of ``grid`` drawn in ``theme``."""
    return DotWriter(grid, theme).write()

