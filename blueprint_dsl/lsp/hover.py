"""Hover: what the ids under the cursor are, and the documentation of the diagnostics there."""

from __future__ import annotations

import re

from lsprotocol import types

from .. import catalog
from ..diagnostics import Diagnostic, Span
from ..model import Action
from ..syntax import enclosing
from ..text import drawable
from .document import Analysis


def hover(analysis: Analysis, offset: int) -> types.Hover | None:
    parts = []
    name = analysis.name_at(offset)
    if name is not None:
        if name.kind == "actor":
            parts.append(_actor_text(analysis, name.text))
        if name.kind == "action":
            parts.append(_action_text(analysis, analysis.actions().get(name.text)))
        if name.kind == "step":
            parts.append(_step_text(analysis, name.text))
    node = enclosing(analysis.tree, offset, "action") if analysis.tree is not None else None
    if node is not None and (name is None or name.kind == "actor" and name.node is node):
        parts.append(_action_text(analysis, analysis.action_at_token(node.first)))
    elif analysis.tree is None and name is not None and name.kind == "actor":
        # No tree while the text is broken: an action's actor is known by standing where the action starts.
        parts.append(_action_text(analysis, analysis.action_at_token(name.token)))
    line = _line_column(analysis, offset)
    for d in analysis.diagnostics:
        if _covers(d.span, *line):
            parts.append(_diagnostic_text(d))
    for include, found in analysis.in_includes.items():
        if _covers(include, *line):
            parts.extend(_diagnostic_text(d, f"in {d.span.path}:{d.span.line}:{d.span.column}: ") for d in found)
    if analysis.config_problem and line[0] == 1 and line[1] <= _first_word_end(analysis):
        parts.append(_config_text(analysis.config_problem))
    parts = [p for p in parts if p]
    if not parts:
        return None
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(parts)))


def _line_column(analysis: Analysis, offset: int) -> tuple[int, int]:
    before = analysis.text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def _covers(s: Span, line: int, column: int) -> bool:
    return (s.line, s.column) <= (line, column) <= (s.end_line, s.end_column)


def _actor_text(analysis: Analysis, actor_id: str) -> str:
    actor = analysis.actors().get(actor_id)
    if actor is None:
        return f"**actor** `{actor_id}`: not declared"
    return (
        f"**{actor.kind.value}** `{actor.id}`: {_plain(actor.name)}\n\n"
        f"home lane: **{actor.lane.value}** ({actor.lane.title})"
    )


def _action_text(analysis: Analysis, action: Action | None) -> str:
    if action is None:
        return ""
    if action.actor not in analysis.actors() and not action.lane_overridden:
        lane = "unknown (the actor is not declared)"  # the model's lane is a stand-in
    else:
        lane = f"**{action.lane.value}**" + (" (overridden)" if action.lane_overridden else "")
    lines = [
        f"**action** `{action.id}`: {_plain(action.text)}",
        "",
        f"actor `{action.actor}` · lane {lane} · step `{action.step}` · stage `{action.stage}`",
    ]
    if action.fail is not None:
        lines.append(f"\nfail point: {_plain(action.fail.description)}")
    return "\n".join(lines)


def _step_text(analysis: Analysis, step_id: str) -> str:
    if analysis.blueprint is None:
        return ""
    for step in analysis.blueprint.steps:
        if step.id == step_id:
            evidence = ", ".join(_plain(e.text) for e in step.evidence) or "none"
            return (
                f"**step** `{step.id}`: {_plain(step.label)}\n\nstage `{step.stage}` · {len(step.actions)} actions · "
                f"evidence: {evidence}"
            )
    return ""


def _diagnostic_text(d: Diagnostic, where: str = "") -> str:
    """A finding and its rule's documentation; ``where`` it is, when in another file than the one hovered."""
    entry = catalog.find(d.code)
    doc = entry.doc if entry is not None and entry.kind == "rule" else (entry.code.summary if entry else "")
    return f"**{d.code} {d.name}** ({d.severity.value}): {_plain(where + d.message)}\n\n{doc.strip()}"


def _first_word_end(analysis: Analysis) -> int:
    """The column just past the first word of the text, where the configuration's problem is said:
    an editor shows the hover of an empty range over the word it stands at."""
    first = analysis.lines[0] if analysis.lines else ""
    return len(first) - len(first.lstrip()) + len(first.split(maxsplit=1)[0] if first.strip() else "") + 1


def _config_text(problem: str) -> str:
    return f"**configuration** (error): {_plain(problem)}\n\n{_CONFIGURATION_DOC}"


#: What ``[tool.blueprint]`` takes, as docs/checking.md says it.
_CONFIGURATION_DOC = """\
`blueprint check` stops at this (exit 2); here every rule runs as by default. The nearest
`pyproject.toml` configures the rules in `[tool.blueprint]`:

```toml
[tool.blueprint]
select = ["BP3", "BP4"]                 # codes, names or code prefixes; default: every rule
ignore = ["no-scenario-or-persona"]     # left out even when selected
severity = { BP401 = "error", flow-backwards-in-time = "info" }
max-customer-actions = 20               # BP410 too-many-customer-actions (default 15)
max-wait = "45min"                      # BP412 wait-over-limit (default 30min)
default-tolerance = "20min"             # BP409 for blueprints with no `tolerance`
```

Only the lane rules (`BP3xx` errors, `BP4xx` warnings) can be selected, ignored or re-graded;
any other key is an error."""


#: What Markdown may read as markup anywhere in a line: emphasis, code, links, HTML, entities.
_INLINE_MARKUP = re.compile(r"[\\`*_~\[\]<>&|]")
#: What may open a block at the start of a line: a heading, a list item, a setext underline.
_BLOCK_MARKUP = re.compile(r"^(\s*\d*)([#+.)=-])", re.MULTILINE)


def _plain(text: str) -> str:
    """Text the user wrote (a label, an action's text, a message quoting it), escaped so that the
    hover's Markdown shows it as written: ``<PIN>`` is not dropped as HTML, nor ``*cash*`` made italic.
    Its control characters (a NUL, an ESC, written ``\\u{1b}``) are left out, as the page leaves them out."""
    return _BLOCK_MARKUP.sub(r"\1\\\2", _INLINE_MARKUP.sub(r"\\\g<0>", drawable(text)))
