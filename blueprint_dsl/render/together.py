"""Several SVGs from one Graphviz run, byte for byte as runs of their own give them.

A `dot` run spends 30-40 ms of a small blueprint's time starting: linking its
libraries, loading fontconfig and the fonts. Given several graphs, one run draws each
in a few milliseconds more, so ``render -f svg`` of a folder hands each group of files
to one run.

Graphviz draws the graphs after the first of a run a little differently: it orders
their clusters by where their names lie in its memory, and prefixes their ids with a
page number. Both are undone. Should another Graphviz differ in more, the last graph a
run drew is drawn alone too and compared: a difference, or a failed run, sends each
graph to a run of its own, as does any output this module cannot read.

Each graph has the time a run of its own would have, counted from the end of the graph
before it: one that takes longer gets the timeout's error, and the graphs after it a
run of their own, so a `dot` that hangs costs what it costs one file at a time.
"""

from __future__ import annotations

import queue
import re
import subprocess
import tempfile
import threading
import time
from collections.abc import Sequence
from typing import IO

from ..model import Blueprint
from . import RenderError, RenderOptions
from .graphviz import (
    dot_source,
    dot_timeout,
    drawn_alone,
    failed,
    finish_svg,
    in_source_order,
    kill,
    start_dot,
    timed_out,
)
from .grid import Grid

#: How every SVG document Graphviz writes ends: several graphs give several documents.
_DOCUMENT_END = b"</svg>\n"
#: The page number Graphviz prefixes to the ids of every graph after the first in a run.
_PAGE_PREFIX = re.compile(r'(?<= id=")page\d+,\d+_')


def render_svgs(drawings: Sequence[tuple[Blueprint, RenderOptions]]) -> list[bytes | RenderError]:
    """The SVG of each blueprint as ``render_svg`` draws it, or why it has none, from as few `dot` runs as can be."""
    results: list[bytes | RenderError] = []
    prepared: list[tuple[int, Grid, str]] = []
    for blueprint, options in drawings:
        try:
            prepared.append((len(results), *dot_source(blueprint, options)))
        except RenderError as error:
            results.append(error)
            continue
        results.append(b"")
    given = [options.dot_timeout for _, options in drawings if options.dot_timeout is not None]
    svgs = _drawn([source for _, _, source in prepared], min(given, default=None))
    for (index, grid, _), svg in zip(prepared, svgs, strict=True):
        blueprint, options = drawings[index]
        results[index] = svg if isinstance(svg, RenderError) else finish_svg(svg, blueprint, grid, options).encode()
    return results


def _drawn(sources: list[str], timeout: float | None) -> list[str | RenderError]:
    """The SVG of each DOT source, or why it has none: together while the runs can be trusted."""
    svgs: list[str | RenderError] = []
    while len(svgs) < len(sources):
        rest = sources[len(svgs):]
        together = _drawn_together(rest, timeout) if len(rest) > 1 else None
        if together is None:
            svgs.extend(_alone(source, timeout) for source in rest)
        else:
            finished, stopped = together
            svgs.extend(finished)
            if stopped is not None:
                svgs.append(stopped)
    return svgs


def _alone(source: str, timeout: float | None) -> str | RenderError:
    try:
        return drawn_alone(source, timeout)
    except RenderError as error:
        return error


def _drawn_together(sources: list[str], timeout: float | None) -> tuple[list[str], RenderError | None] | None:
    """The SVGs one `dot` run gives of ``sources``, as runs of their own give them, up to one
    that took too long, with the error for that one; None when the run cannot be trusted."""
    try:
        documents, stopped = _documents("".join(sources), timeout)
    except RenderError:
        return None  # failed: each graph's own run says why
    drawn = [in_source_order(_PAGE_PREFIX.sub("", document), source) for document, source in zip(documents, sources)]
    complete = stopped is None and len(documents) == len(sources)
    cut_short = stopped is not None and len(documents) < len(sources)
    if not (complete or cut_short) or None in drawn:
        return None
    # A graph drawn first is drawn as alone; the later ones are checked by the last of them.
    if len(drawn) > 1 and drawn[-1] != _alone(sources[len(drawn) - 1], timeout):
        return None
    return drawn, stopped


def _documents(text: str, timeout: float | None) -> tuple[list[str], RenderError | None]:
    """The SVG documents `dot` writes for the graphs of ``text``, up to a graph that took
    longer than the timeout, with the error for that graph; a failed run raises RenderError."""
    seconds = dot_timeout(timeout)
    with tempfile.TemporaryFile() as given, tempfile.TemporaryFile() as errors:
        given.write(text.encode("utf-8"))
        given.seek(0)
        process = start_dot("svg", stdin=given, stderr=errors)
        chunks: queue.SimpleQueue[bytes] = queue.SimpleQueue()
        reader = threading.Thread(target=_read, args=(process.stdout, chunks), daemon=True)
        reader.start()
        output = bytearray()
        documents: list[str] = []
        deadline = time.monotonic() + seconds
        try:
            while chunk := chunks.get(timeout=max(0.0, deadline - time.monotonic())):
                # Only the new bytes, and an end that may straddle them, are searched: a large
                # document comes in many chunks.
                start = max(0, len(output) - len(_DOCUMENT_END))
                output += chunk
                while (end := output.find(_DOCUMENT_END, start)) >= 0:
                    documents.append(output[:end + len(_DOCUMENT_END)].decode("utf-8"))
                    del output[:end + len(_DOCUMENT_END)]
                    deadline = time.monotonic() + seconds
                    start = 0
            process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except (queue.Empty, subprocess.TimeoutExpired):
            return documents, timed_out(seconds)
        finally:
            if process.returncode is None:
                kill(process)
                process.wait()
            reader.join()
        if process.returncode != 0 or output:
            errors.seek(0)
            raise failed(process.returncode or 1, errors.read().decode("utf-8", "replace"))
    return documents, None


def _read(stream: IO[bytes], chunks: queue.SimpleQueue[bytes]) -> None:
    """Hand on what ``stream`` gives as it comes, then b"" at its end."""
    with stream:
        while chunk := stream.read1(65536):
            chunks.put(chunk)
    chunks.put(b"")
