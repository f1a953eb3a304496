"""What ``mkdocs serve`` watches for the plugin: the files a build's blueprints read outside docs_dir.

MkDocs watches docs_dir and mkdocs.yml. A blueprint linked from a page or included by a
fence may live elsewhere (a ``blueprints/`` folder beside ``docs/``), as may the files it
includes and the project's pyproject.toml: those are watched here, so that a change to
one rebuilds the site. The set is that of the last build, so a file a rebuild reads for
the first time is watched from then on, and one no longer read is let go.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable


class WatchedFiles:
    """The files the blueprints of a build read (or looked for in vain), and the server watching them."""

    def __init__(self) -> None:
        self.server = None
        self.docs_dir = ""
        self.read: set[str] = set()
        self.watched: set[str] = set()

    def start_build(self, docs_dir: str) -> None:
        self.docs_dir = os.path.realpath(docs_dir)
        self.read = set()

    def add(self, paths: Iterable[str | os.PathLike[str]]) -> None:
        # A link may name a path with a NUL, which no file has: nothing to watch.
        self.read.update(os.path.realpath(path) for path in map(os.fspath, paths) if "\0" not in path)

    def serve(self, server) -> None:
        """Watch the files of every build from now on, with ``server`` (MkDocs' LiveReloadServer)."""
        self.server = server
        self.update()

    def update(self) -> None:
        """Watch the files the last build read, and no longer those it did not."""
        if self.server is None:
            return
        wanted = {target for path in self.read if (target := self._watchable(path)) is not None}
        for path in sorted(self.watched - wanted):
            self.server.unwatch(path)
            self.watched.discard(path)
        for path in sorted(wanted - self.watched):
            try:
                self.server.watch(path, recursive=False)
            except OSError:
                continue  # gone since it was looked at: the change that took it rebuilds the site
            self.watched.add(path)

    def _watchable(self, path: str) -> str | None:
        """What to watch for changes to ``path``: the file, or while it does not exist (a missing
        include) its folder, as a path that does not exist cannot be watched. None for a path in
        docs_dir, which MkDocs watches, or in a folder that does not exist either."""
        target = path if os.path.exists(path) else os.path.dirname(path)
        if not os.path.exists(target) or Path(target).is_relative_to(self.docs_dir):
            return None
        return target
