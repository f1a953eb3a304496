"""The cache of ``blueprint render``: which outputs are still what their files would give.

An output is skipped when it was rendered from the same source, and its source, its
includes (and the links on the way to them), the options, its configuration, the tool
(with the Graphviz that draws it) and, for a PDF, SOURCE_DATE_EPOCH are unchanged since
it was written; the cache lives in ``.blueprint-cache/``,
safe to delete. A module of its own so that a run that caches nothing (``--no-cache``,
``--check``) does not load ``hashlib`` and ``json``.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .files import regular_file, write_atomic
from .output_formats import DRAWN_BY_GRAPHVIZ

if TYPE_CHECKING:
    from .batch import Job, Outcome
    from .render import RenderOptions


class Cache:
    """Remembers, per output, the source and the hashes of the files and settings it was made from."""

    def __init__(self, folder: Path, format_name: str, options: RenderOptions) -> None:
        self.folder = folder
        self.settings = {"format": format_name, "theme": options.theme, "scale": options.scale, "paper": options.paper,
                         "tool": renderer_fingerprint(format_name), "environment": _environment(format_name)}
        self.salts: dict[str, str] = {}

    def _salt(self, job: Job) -> str:
        """The hash of the settings an output is made with: the run's, and the configuration of its file."""
        config = repr(job.config)
        if config not in self.salts:
            settings = json.dumps({**self.settings, "config": config}, sort_keys=True)
            self.salts[config] = hashlib.sha256(settings.encode()).hexdigest()
        return self.salts[config]

    def _entry(self, target: Path) -> Path:
        return self.folder / (hashlib.sha256(os.fsencode(target.resolve())).hexdigest()[:32] + ".json")

    def fresh(self, job: Job) -> bool:
        # Only a regular file is read back: a FIFO or a terminal would wait for input.
        if job.target is None or job.source == "-" or not regular_file(job.target):
            return False
        try:
            entry = json.loads(self._entry(job.target).read_text(encoding="utf-8"))
            if entry["salt"] != self._salt(job) or entry["source"] != _source(job):
                return False
            if entry["output"] != _digest_file(job.target):
                return False
            if any(os.path.realpath(reached) != real for reached, real in entry["links"].items()):
                return False  # a link on the way to an include leads elsewhere now
            return all(_digest_file(Path(path)) == digest for path, digest in entry["files"].items())
        except (OSError, ValueError, KeyError):
            return False

    def remember(self, outcome: Outcome) -> None:
        """Record an output written from ``outcome``, with the hashes its render took of its files."""
        job = outcome.job
        if job.target is None or outcome.data is None or job.source == "-" or not regular_file(job.target):
            return
        try:
            entry = {
                "salt": self._salt(job),
                "source": _source(job),
                "output": hashlib.sha256(outcome.data).hexdigest(),
                "files": dict(zip(outcome.files, outcome.digests, strict=True)),
                "links": dict(outcome.links),
            }
            write_atomic(self._entry(job.target), json.dumps(entry, sort_keys=True).encode())
        except OSError:
            pass  # a cache that cannot be written only costs a render next time


def _environment(format_name: str) -> dict[str, str]:
    """The variables a format's bytes depend on: the date a PDF carries."""
    if format_name == "pdf":
        return {"SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "").strip()}
    return {}


def _source(job: Job) -> str:
    """The blueprint an output is rendered from: another file written to the same output is no hit."""
    return os.path.realpath(job.source)


def _digest_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def renderer_fingerprint(format_name: str) -> str:
    """What draws ``format_name``: the tool, and for the formats Graphviz draws, its version."""
    if format_name not in DRAWN_BY_GRAPHVIZ:
        return tool_fingerprint()
    return f"{tool_fingerprint()} {graphviz_version()}"


@cache
def graphviz_version() -> str:
    """What ``dot -V`` says, or why it could not say it: a new Graphviz draws anew."""
    try:
        done = subprocess.run(["dot", "-V"], capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as error:
        return f"no dot ({type(error).__name__})"
    return (done.stderr + done.stdout).decode("utf-8", "replace").strip()


@cache
def tool_fingerprint() -> str:
    """The version and a hash of the package's own files: a changed renderer invalidates the cache."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".lark", ".html", ".css", ".js", ".json", ".j2"}:
            digest.update(str(path.relative_to(package)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()
