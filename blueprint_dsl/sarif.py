"""SARIF 2.1.0, the format code-scanning services read."""

from __future__ import annotations

import os
import urllib.parse
from pathlib import PurePath
from typing import Sequence

from . import __version__
from .catalog import entries
from .diagnostics import Diagnostic, Severity
from .text import json_document

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def as_sarif(diagnostics: Sequence[Diagnostic], failure: str | None = None) -> str:
    """The log of one run; ``failure`` says why a run could not check at all (exit code 2)."""
    catalog = entries()
    index = {entry.code.code: i for i, entry in enumerate(catalog)}
    rules = [
        {
            "id": entry.code.code,
            "name": entry.code.name,
            "shortDescription": {"text": entry.code.summary},
            "fullDescription": {"text": entry.code.summary},
            "help": {"text": entry.doc, "markdown": entry.doc},
            "defaultConfiguration": {"level": _LEVELS[entry.code.severity]},
        }
        for entry in catalog
    ]
    results = []
    for d in diagnostics:
        result = {
            "ruleId": d.code,
            "level": _LEVELS[d.severity],
            "message": {"text": d.message + (f" ({d.hint})" if d.hint else "")},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": _uri(d.span.path)},
                        "region": {
                            "startLine": max(d.span.line, 1),
                            "startColumn": max(d.span.column, 1),
                            "endLine": max(d.span.end_line, d.span.line, 1),
                            "endColumn": max(d.span.end_column, 1),
                        },
                    }
                }
            ],
        }
        if d.code in index:
            result["ruleIndex"] = index[d.code]
        results.append(result)
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "blueprint-dsl",
                        "version": __version__,
                        "rules": rules,
                    }
                },
                # Columns count characters (code points), as everywhere in this tool.
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    if failure is not None:
        notification = {"level": "error", "message": {"text": failure}}
        log["runs"][0]["invocations"] = [{"executionSuccessful": False, "toolExecutionNotifications": [notification]}]
    return json_document(log)


def _uri(path: str) -> str:
    """A relative URI reference for a file path: forward slashes, reserved characters escaped.
    Each byte is escaped as the file system holds it, a name UTF-8 cannot read (caf%E9.svc) too."""
    return urllib.parse.quote(os.fsencode(PurePath(path).as_posix()))
