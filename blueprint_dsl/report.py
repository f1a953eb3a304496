"""Diagnostics for people and machines: text with excerpts, or JSON."""

from __future__ import annotations

from collections import Counter
from typing import Mapping, Sequence

import click

from .diagnostics import Diagnostic, Severity, render_text, visible
from .text import json_document, plural

_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}


def summary(diagnostics: Sequence[Diagnostic], files: int) -> str:
    counts = Counter(d.severity for d in diagnostics)
    parts = [
        plural(counts[Severity.ERROR], "error"),
        plural(counts[Severity.WARNING], "warning"),
    ]
    if counts[Severity.INFO]:
        parts.append(plural(counts[Severity.INFO], "note"))
    return f"{', '.join(parts)} in {plural(files, 'file')}"


def as_text(diagnostics: Sequence[Diagnostic], sources: Mapping[str, str], files: int, colour: bool) -> str:
    blocks = []
    for diagnostic in diagnostics:
        text = render_text(diagnostic, sources)
        if colour:
            head, _, rest = text.partition("\n")
            head = click.style(head, fg=_COLOURS[diagnostic.severity], bold=True)
            text = head + ("\n" + rest if rest else "")
        blocks.append(text)
    blocks.append(summary(diagnostics, files))
    return "\n".join(blocks) + "\n"


def as_json(diagnostics: Sequence[Diagnostic], files: int) -> str:
    counts = Counter(d.severity.value for d in diagnostics)
    document = {
        "version": 1,
        "files": files,
        "errors": counts["error"],
        "warnings": counts["warning"],
        "diagnostics": [d.to_json() for d in diagnostics],
    }
    return json_document(document)


def as_github(diagnostics: Sequence[Diagnostic]) -> str:
    """GitHub Actions workflow commands, which show as annotations on the diff."""
    levels = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    lines = []
    for d in diagnostics:
        s = d.span
        properties = ",".join(
            f"{key}={_github_property(str(value))}"
            for key, value in (
                ("file", s.path),
                ("line", s.line),
                ("col", s.column),
                ("endLine", s.end_line),
                ("endColumn", s.end_column),
                ("title", f"{d.code} {d.name}"),
            )
        )
        message = d.message + (f" ({d.hint})" if d.hint else "")
        lines.append(f"::{levels[d.severity]} {properties}::{_github_data(message)}")
    return "".join(line + "\n" for line in lines)


def as_github_failure(message: str) -> str:
    """The workflow command for a run that could not check at all (a usage or configuration error)."""
    return f"::error title=blueprint check::{_github_data(message)}"


def _github_data(text: str) -> str:
    # Line breaks are encoded for GitHub to show; other control characters are escaped.
    return visible(text, keep="\r\n").replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")
