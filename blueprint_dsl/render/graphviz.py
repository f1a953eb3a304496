"""The Graphviz backend: ``-f svg``, ``png``, ``pdf`` and ``dot``.

The layout places everything, ``dot.py`` writes it as DOT, and the real Graphviz
(``dot -Kneato -n2``: keep the given positions, route the flows) draws it. The SVG is
then made reproducible and accessible: no version comment, a ``<title>`` and ``<desc>``
for the whole diagram, and a readable ``<title>`` for every action. A batch of SVGs is
drawn by one Graphviz run (``together.py``), byte for byte as each would be alone.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess

from ..model import Blueprint
from ..output_formats import MAX_DOT_TIMEOUT
from ..text import plural
from . import RenderError, RenderOptions
from .centring import centred_lines
from .dot import to_dot
from .dot_markup import escape, plain
from .grid import Grid
from .layout import element_id, layout
from .themes import Theme, get_theme

#: Seconds before a Graphviz run is given up, unless ``--dot-timeout`` or the environment
#: variable ``BLUEPRINT_DOT_TIMEOUT`` says otherwise; a 10,000-action blueprint takes a few.
DEFAULT_TIMEOUT = 60.0
TIMEOUT_VARIABLE = "BLUEPRINT_DOT_TIMEOUT"
#: The pixels per inch Graphviz draws a PNG at, unless told otherwise.
PNG_DPI = 96

INSTALL_HINT = (
    "install Graphviz (Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz; "
    "Windows: winget install graphviz) and make sure `dot` is on PATH; "
    "`-f html` needs no Graphviz"
)


def dot_source(blueprint: Blueprint, options: RenderOptions) -> tuple[Grid, str]:
    grid = layout(blueprint, options.diff)
    return grid, to_dot(grid, choose_theme(blueprint, options))


def choose_theme(blueprint: Blueprint, options: RenderOptions) -> Theme:
    """The command line's theme, else the blueprint's own; an unknown one says where it came from."""
    if options.theme is not None:
        return get_theme(options.theme)
    try:
        return get_theme(blueprint.theme)
    except RenderError as error:
        raise RenderError(f"{error} (named by the blueprint's `theme`)") from None


#: The head of a ``-f dot`` file. Every node in it is pinned and only ``neato -n2`` keeps
#: the pins; ``dot``, the command its suffix suggests, lays the graph out again.
DOT_FILE_HEAD = (
    "// Laid out already by blueprint-dsl: every node is pinned where the grid puts it.\n"
    "// Draw it as laid out with: neato -n2 -Tsvg FILE.dot -o FILE.svg (or -Tpng, -Tpdf)\n"
    "// `dot -Tsvg` would lay it out again, losing the lanes and columns.\n"
)


def render_dot(blueprint: Blueprint, options: RenderOptions) -> bytes:
    return (DOT_FILE_HEAD + dot_source(blueprint, options)[1]).encode("utf-8")


def render_svg(blueprint: Blueprint, options: RenderOptions) -> bytes:
    grid, source = dot_source(blueprint, options)
    return finish_svg(drawn_alone(source, options.dot_timeout), blueprint, grid, options).encode("utf-8")


def render_png(blueprint: Blueprint, options: RenderOptions) -> bytes:
    density = () if options.scale == 1 else (f"-Gdpi={PNG_DPI * options.scale:g}",)
    return run_graphviz(dot_source(blueprint, options)[1], "png", options.dot_timeout, density)


def render_pdf(blueprint: Blueprint, options: RenderOptions) -> bytes:
    return fixed_dates(run_graphviz(dot_source(blueprint, options)[1], "pdf", options.dot_timeout))


#: A date in a PDF's information: ``D:`` and YYYYMMDDHHmmSS, then ``Z`` or an offset from UTC.
_PDF_DATE = re.compile(rb"(/(?:CreationDate|ModDate) \(D:)\d{14}([^)]*)\)")
#: The latest SOURCE_DATE_EPOCH a PDF date can hold: the end of the year 9999.
_LAST_PDF_SECOND = 253402300799


def fixed_dates(pdf: bytes) -> bytes:
    """The PDF with its creation date set to SOURCE_DATE_EPOCH, or else to 1970-01-01:
    the same blueprint gives the same bytes. Cairo writes the time of the run.

    Each date keeps its length, so the offsets of the PDF's cross-reference table hold.
    """
    import datetime  # here: only a PDF has a date

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip() or "0"
    if not (epoch.isascii() and epoch.isdigit() and int(epoch) <= _LAST_PDF_SECOND):
        raise RenderError(f"SOURCE_DATE_EPOCH={epoch!r}: write the seconds since 1970-01-01 UTC, such as "
                          "1700000000, or unset it")
    stamp = datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).strftime("%Y%m%d%H%M%S").encode()

    def fixed(match: re.Match[bytes]) -> bytes:
        zone = match.group(2)  # Z, or an offset written anew as +00'00, of the same length
        utc = zone if zone == b"Z" else re.sub(rb"\d", b"0", zone.replace(b"-", b"+"))
        return match.group(1) + stamp + utc + b")"

    return _PDF_DATE.sub(fixed, pdf)


def dot_timeout(given: float | None = None) -> float:
    """Seconds a Graphviz run may take: the option, else the environment, else the default."""
    if given is not None:
        return given
    value = os.environ.get(TIMEOUT_VARIABLE, "").strip()
    if not value:
        return DEFAULT_TIMEOUT
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds <= MAX_DOT_TIMEOUT:
        raise RenderError(f"{TIMEOUT_VARIABLE}={value!r}: write a number of seconds above 0 and at most "
                          f"{MAX_DOT_TIMEOUT:.0f}, such as 60")
    return seconds


def run_graphviz(source: str, output_format: str, timeout: float | None = None,
                 settings: tuple[str, ...] = ()) -> bytes:
    """Run ``dot -Kneato -n2`` on ``source``, with ``settings`` (``-Gdpi=192``) after it; a
    RenderError says what went wrong and what to do."""
    seconds = dot_timeout(timeout)
    process = start_dot(output_format, settings, stdin=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        stdout, stderr = process.communicate(source.encode("utf-8"), timeout=seconds)
    except subprocess.TimeoutExpired:
        _stop(process)
        raise timed_out(seconds) from None
    except BaseException:
        _stop(process)
        raise
    if process.returncode != 0:
        raise failed(process.returncode, stderr.decode("utf-8", "replace"))
    return stdout


def start_dot(output_format: str, settings: tuple[str, ...] = (), **streams) -> subprocess.Popen:
    """``dot -Kneato -n2`` started, with ``settings`` after it, writing ``output_format`` to a pipe,
    in a process group of its own so that stopping it stops anything it started; ``streams`` say
    where its input and errors go."""
    # The graphviz package builds the command; it is run here rather than through
    # graphviz.pipe, which has no timeout and would leave a hanging `dot` running.
    from graphviz.backend import dot_command

    command = [*map(str, dot_command.command("neato", output_format, neato_no_op=2)), *settings]
    try:
        return subprocess.Popen(command, stdout=subprocess.PIPE, start_new_session=True, **streams)
    except FileNotFoundError as error:
        raise RenderError(f"Graphviz `dot` was not found: {INSTALL_HINT}") from error
    except OSError as error:
        raise RenderError(f"Graphviz `dot` could not be run ({error.strerror}): {INSTALL_HINT}") from error


def timed_out(seconds: float) -> RenderError:
    return RenderError(
        f"Graphviz `dot` took more than {seconds:g} s and was stopped; allow it more with "
        f"--dot-timeout SECONDS or {TIMEOUT_VARIABLE}, or use `-f html`, which needs no Graphviz"
    )


def failed(code: int, stderr: str) -> RenderError:
    """The error of a `dot` that ended with ``code``: its last line of errors says why."""
    detail = stderr.strip().splitlines()
    reason = detail[-1].strip() if detail else ""
    status = f"killed by signal {-code}" if code < 0 else f"exit code {code}"
    return RenderError(f"Graphviz `dot` failed ({status}{': ' + reason if reason else ''}); "
                       f"if it is broken, {INSTALL_HINT}")


def drawn_alone(source: str, timeout: float | None) -> str:
    """The SVG of a run of ``dot`` on ``source`` alone, its clusters in the source's order."""
    svg = run_graphviz(source, "svg", timeout).decode("utf-8")
    return in_source_order(svg, source) or svg


#: A cluster as Graphviz draws it: its group, whose title is the cluster's name, holding no group.
_CLUSTER = re.compile(r'<g id="[^"]*" class="cluster[^"]*">\n<title>(?P<name>[^<]*)</title>\n(?:(?!<g |</g>).)*</g>\n',
                      re.DOTALL)
_SOURCE_CLUSTER = re.compile(r"^  subgraph (cluster_\w+) \{", re.MULTILINE)


def in_source_order(svg: str, source: str) -> str | None:
    """``svg`` with its clusters drawn in the order the DOT ``source`` gives them; None when they cannot be found.

    Graphviz draws clusters in the order of their names' addresses in its memory, which a
    fresh run happens to give in the order of the source; this makes any run give it.
    """
    order = {name: index for index, name in enumerate(_SOURCE_CLUSTER.findall(source))}
    clusters = list(_CLUSTER.finditer(svg))
    if not clusters:
        return svg if not order else None
    start, end = clusters[0].start(), clusters[-1].end()
    if (len(clusters) != len(order) or any(c["name"] not in order for c in clusters)
            or sum(c.end() - c.start() for c in clusters) != end - start):
        return None
    ordered = sorted(clusters, key=lambda cluster: order[cluster["name"]])
    return svg[:start] + "".join(cluster[0] for cluster in ordered) + svg[end:]


def _stop(process: subprocess.Popen) -> None:
    """Kill ``dot`` and its whole process group, and reap it."""
    kill(process)
    process.communicate()


def kill(process: subprocess.Popen) -> None:
    """Kill ``dot`` and its whole process group."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (AttributeError, ProcessLookupError, PermissionError):  # AttributeError: Windows has no groups
        process.kill()


# ---- making the SVG reproducible and accessible --------------------------------------

# Graphviz comments name its version and every node; none of it is for the reader.
_COMMENT = re.compile(r"<!--(?:[^-]|-(?!->))*-->\n")
_GRAPH_TITLE = re.compile(r'(<g id="blueprint" class="graph"[^>]*>\n)<title>[^<]*</title>\n')
_ELEMENT_TITLE = re.compile(r'(<g id="([^"]+)" class="[^"]*">\n)<title>[^<]*</title>')
_SVG_START = re.compile(r"<svg ")


def finish_svg(svg: str, blueprint: Blueprint, grid: Grid, options: RenderOptions | None = None) -> str:
    svg = _COMMENT.sub("", svg)
    # Graphviz writes '-' as '&#45;' so that names cannot end its comments; they are gone.
    svg = svg.replace("&#45;", "-")
    svg = _GRAPH_TITLE.sub(r"\1", svg, count=1)
    head = ('<svg role="img" aria-labelledby="blueprint-title blueprint-desc" ')
    svg = _SVG_START.sub(head, svg, count=1)
    start = svg.index(">", svg.index("<svg ")) + 1
    diff = options.diff if options is not None else None
    # A diff gives NEW's own figures, as the HTML page's summary does: its ghosts are not part of NEW.
    description = describe(blueprint if diff is None else diff.new)
    if diff is not None:
        description += " Changes from the old version:\n" + diff.text
    svg = (svg[:start] + f'\n<title id="blueprint-title">{_text(blueprint.title)}</title>'
           f'\n<desc id="blueprint-desc">{_text(description)}</desc>' + svg[start:])
    svg = centred_lines(svg, grid)
    titles = element_titles(blueprint, grid)
    return _ELEMENT_TITLE.sub(lambda m: m.group(1) + f"<title>{_text(titles.get(m.group(2), ''))}</title>", svg)


def _text(text: str) -> str:
    """Blueprint text for an SVG text node, drawn as in the labels."""
    return escape(plain(text), quote=False)


def describe(blueprint: Blueprint) -> str:
    """A text equivalent of the diagram's shape, for the SVG ``<desc>``."""
    actions = list(blueprint.actions())
    stages = [stage.name for stage in blueprint.stages if stage.steps]  # a stage without steps is not drawn
    parts = [blueprint.description] if blueprint.description else []
    parts.append(
        f"Service blueprint: {plural(len(blueprint.steps), 'step')} in {plural(len(stages), 'stage')} "
        f"({', '.join(stages)}); {plural(len(actions), 'action')}, "
        f"{plural(sum(a.fail is not None for a in actions), 'fail point')}, "
        f"{plural(sum(a.wait is not None for a in actions), 'wait point')}, {plural(len(blueprint.flows), 'flow')}."
    )
    if blueprint.scenario:
        parts.append(f"Scenario: {blueprint.scenario}.")
    if blueprint.persona:
        parts.append(f"Persona: {blueprint.persona}.")
    return " ".join(parts)


def element_titles(blueprint: Blueprint, grid: Grid) -> dict[str, str]:
    """The tooltip of every drawn element, by SVG id: what it is, in words."""
    actors = blueprint.actor_index()
    titles = {f"{'lane' if row.lane else 'row'}-{row.key}": " ".join(row.title) for row in grid.rows}
    titles.update({header.id: f"Stage: {header.stage.name}" for header in grid.stages})
    titles.update({element_id("step", c.step.id): f"Step {c.index + 1}: {c.step.label or c.step.id}"
                   for c in grid.columns})
    titles.update({line.id: line.line.name for line in grid.lines})
    titles["title-block"] = blueprint.title
    titles["legend"] = "Legend"
    titles["diff-changes"] = "Changes"
    titles.update({element_id("ghost-step", c.step.id): f"Removed step: {c.step.label or c.step.id}"
                   for c in grid.columns if c.status == "removed"})
    for card in grid.cards:
        action = card.action
        if card.kind == "action" and action is not None:
            actor = actors.get(action.actor)
            text = f"{actor.name if actor else action.actor}: {action.text}"
            if action.duration is not None:
                text += f" (takes {action.duration})"
            if action.wait is not None:
                text += f"; wait point: {action.wait}"
            if action.fail is not None:
                text += f"; fail point: {action.fail.description}"
                if action.fail.safe:
                    text += f", fail-safe: {action.fail.safe}"
            titles[card.id] = f"{card.status.capitalize()}: {text}" if card.status else text
        elif card.kind == "evidence":
            titles[card.id] = "Evidence: " + card.text
        else:
            titles[card.id] = f"{card.row.capitalize()}: " + (card.text or " ".join(card.lines))
    for edge in grid.flows:
        flow = edge.flow
        arrow = "<->" if flow.two_way else "->"
        titles[edge.id] = f"{flow.source} {arrow} {flow.target}" + (f": {flow.label}" if flow.label else "")
        titles[f"{edge.id}-label"] = titles[edge.id]  # a label drawn over the cards, on its own
        titles[f"{edge.id}-leader"] = titles[edge.id]
    return titles
