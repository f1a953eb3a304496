"""Diagnostics, document symbols and quick fixes for one document (hover and completion have modules of their own)."""

from __future__ import annotations

import re
from pathlib import Path

from lsprotocol import types

from ..diagnostics import Diagnostic, Severity, Span, clip
from ..syntax import Node, Token, enclosing
from ..text import drawable, unquote
from .document import Analysis
from .positions import lines_of, offset_of, to_position, to_range, token_range

SOURCE = "blueprint"
_SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


def lsp_diagnostics(analysis: Analysis) -> list[types.Diagnostic]:
    own = [
        types.Diagnostic(
            range=to_range(analysis.lines, d.span),
            severity=_SEVERITIES[d.severity],
            code=d.code,
            source=SOURCE,
            message=f"{d.name}: {d.message}" + (f"\nhint: {d.hint}" if d.hint else ""),
        )
        for d in analysis.diagnostics
    ]
    included = [_included_diagnostic(analysis, include, found) for include, found in analysis.in_includes.items()]
    return own + included + ([_config_diagnostic(analysis.config_problem)] if analysis.config_problem else [])


def _config_diagnostic(problem: str) -> types.Diagnostic:
    """The project's configuration cannot be used: said at the top of each blueprint, as ``check`` refuses to run."""
    return types.Diagnostic(
        range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)),
        severity=types.DiagnosticSeverity.Error,
        source=SOURCE,
        message=f"{problem}\nhint: `blueprint check` stops at this (exit 2); here every rule runs as by default",
    )


def _included_diagnostic(analysis: Analysis, include: Span, found: list[Diagnostic]) -> types.Diagnostic:
    """One diagnostic on an include for what is wrong in the files it reads, each linked to its place."""
    first = found[0].span
    more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
    return types.Diagnostic(
        range=to_range(analysis.lines, include),
        severity=min(_SEVERITIES[d.severity] for d in found),
        code=found[0].code,
        source=SOURCE,
        message=f"in {first.path}:{first.line}:{first.column}: {found[0].name}: {found[0].message}{more}",
        related_information=[
            types.DiagnosticRelatedInformation(
                location=types.Location(
                    uri=Path(d.span.path).absolute().as_uri(),
                    range=to_range(lines_of(analysis.result.sources.get(d.span.path, "")), d.span),
                ),
                message=f"{d.name}: {d.message}",
            )
            for d in found
        ],
    )


# ---- symbols ---------------------------------------------------------------------


def symbols(analysis: Analysis) -> list[types.DocumentSymbol]:
    if analysis.tree is None:
        return []
    found = []
    for node in analysis.tree.walk():
        if node.kind == "actor":
            name, lane = node.children[1].text, node.children[2].text
            label = [_one_line(unquote(t.text)) for t in node.children[3:4] if t.type == "STRING"]
            detail = " · ".join([*label, lane])  # Barista · frontstage
            found.append(_symbol(analysis, node, node.children[1], name, types.SymbolKind.Variable, detail))
        elif node.kind == "stage":
            steps = [_step_symbol(analysis, step) for step in node.nodes() if step.kind == "step"]
            title = next(t for t in node.children if isinstance(t, Token) and t.type == "STRING")
            # A stage may go without an id: its title names it.
            chosen = node.children[1] if node.children[1].type == "NAME" else title
            name = _one_line(unquote(title.text))
            found.append(_symbol(analysis, node, chosen, name, types.SymbolKind.Namespace, None, steps))
    return found


def _step_symbol(analysis: Analysis, step: Node) -> types.DocumentSymbol:
    actions = []
    for node in step.nodes():
        if node.kind == "action":
            action = analysis.action_at_token(node.first)
            label = action.id if action is not None else node.first.text
            detail = f"{node.first.text}: {_one_line(unquote(node.children[2].text))}"
            # An action without `as` has an id made from its actor's.
            chosen = next((n.children[1] for n in node.nodes() if n.kind == "action_id"), node.first)
            actions.append(_symbol(analysis, node, chosen, label, types.SymbolKind.Function, detail))
    label = next((t for t in step.children[2:3] if isinstance(t, Token) and t.type == "STRING"), None)
    detail = _one_line(unquote(label.text)) if label is not None else None
    return _symbol(analysis, step, step.children[1], step.children[1].text, types.SymbolKind.Event, detail, actions)


def _symbol(
    analysis: Analysis, node: Node, chosen: Token, name: str, kind, detail, children=None
) -> types.DocumentSymbol:
    """The symbol of ``node``, whose ``chosen`` token (its id) the editor selects when it is picked."""
    start, end = token_range(analysis.lines, node.first).start, token_range(analysis.lines, node.last).end
    whole = types.Range(start=start, end=end)
    return types.DocumentSymbol(
        name=name or "(unnamed)", kind=kind, range=whole, selection_range=token_range(analysis.lines, chosen),
        detail=detail, children=children or None,
    )


def _one_line(text: str) -> str:
    """A text as an outline shows it, on one line: its line breaks and runs of spaces one space,
    its control characters left out, as the page leaves them out."""
    return " ".join(drawable(text).split())


# ---- quick fixes -----------------------------------------------------------------

def code_actions(analysis: Analysis, requested: list[types.Diagnostic], newline: str = "\n") -> list[types.CodeAction]:
    """The quick fixes for the ``requested`` diagnostics; a line they add ends in ``newline``, the document's."""
    fixes = []
    for wanted in requested:
        for d in analysis.diagnostics:
            if d.code != wanted.code or to_range(analysis.lines, d.span) != wanted.range:
                continue
            if d.code == "BP401":
                fixes.extend(_add_evidence(analysis, d, wanted, newline))
            elif d.written is not None and d.meant:
                fixes.extend(_correct_name(analysis, d, wanted))
    return fixes


def _edit(analysis: Analysis, title: str, edits: list[types.TextEdit], wanted: types.Diagnostic, preferred=False):
    return types.CodeAction(
        title=title, kind=types.CodeActionKind.QuickFix, diagnostics=[wanted], is_preferred=preferred or None,
        edit=types.WorkspaceEdit(changes={analysis.uri: edits}),
    )


def _add_evidence(analysis: Analysis, d: Diagnostic, wanted: types.Diagnostic, newline: str) -> list[types.CodeAction]:
    """``evidence "TODO"`` on a line of its own at the top of the step, indented as the step's lines are."""
    if analysis.tree is None:
        return []
    step = enclosing(analysis.tree, offset_of(analysis.lines, d.span.line, d.span.column), "step")
    if step is None:
        return []
    brace = next(t for t in step.children if isinstance(t, Token) and t.type == "LBRACE")
    line = analysis.lines[brace.line - 1]
    rest = line[brace.end_column - 1 :]
    own, inner = _indents(analysis, step, brace)
    if re.fullmatch(r"\s*(?:#.*)?", rest):
        # Past a comment after the brace, which stays on the step's line.
        at = to_position(analysis.lines, brace.line, len(line) + 1)
        where, after = types.Range(start=at, end=at), ""
    else:
        # A step on one line: what follows the brace goes on the line after, the step's `}` at the step's indentation.
        start = to_position(analysis.lines, brace.line, brace.end_column)
        end = to_position(analysis.lines, brace.line, len(line) - len(rest.lstrip()) + 1)
        where, after = types.Range(start=start, end=end), newline + (own if rest.lstrip().startswith("}") else inner)
    edit = types.TextEdit(range=where, new_text=f'{newline}{inner}evidence "TODO"{after}')
    return [_edit(analysis, f"Add evidence \"TODO\" to the step {step.children[1].text}", [edit], wanted, True)]


def _indents(analysis: Analysis, step: Node, brace: Token) -> tuple[str, str]:
    """The indentation of the step's line, and of a line in it: that of its first statement on a
    line of its own, or the step's and one level more, a tab where the file indents with tabs."""
    own = re.match(r"[ \t]*", analysis.lines[step.first.line - 1]).group(0)
    for node in step.nodes():
        first = node.first
        before = analysis.lines[first.line - 1][: first.column - 1]
        if first.line > brace.line and not before.strip():
            return own, before
    indented = next((text for text in analysis.lines if text[:1] in (" ", "\t") and text.strip()), "  ")
    return own, own + ("\t" if indented.startswith("\t") else "  ")


def _correct_name(analysis: Analysis, d: Diagnostic, wanted: types.Diagnostic) -> list[types.CodeAction]:
    targets = _word_ranges(analysis, d, d.written)
    if not targets:
        return []
    return [
        _edit(analysis, f"Change '{clip(d.written)}' to '{clip(candidate)}'",
              [types.TextEdit(range=r, new_text=candidate) for r in targets], wanted, index == 0)
        for index, candidate in enumerate(d.meant)
    ]


def _word_ranges(analysis: Analysis, d: Diagnostic, word: str) -> list[types.Range]:
    """Where the misspelt word stands: the diagnostic's span, or the owner in its action."""
    span = d.span
    line = analysis.lines[span.line - 1] if span.line <= len(analysis.lines) else ""
    if span.line == span.end_line and line[span.column - 1 : span.end_column - 1] == word:
        return [to_range(analysis.lines, span)]
    if analysis.tree is None:
        return []
    action = enclosing(analysis.tree, offset_of(analysis.lines, span.line, span.column), "action")
    if action is None:
        return []
    return [
        token_range(analysis.lines, node.children[1])
        for node in action.nodes()
        if node.kind == "fail_owner" and node.children[1].text == word
    ]
