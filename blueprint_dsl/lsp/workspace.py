"""The blueprints that include a file of shared actors: the files a rename of one of its actors must reach.

They are found among the documents the client has open and the ``.svc`` files under its
workspace folders, each loaded as ``check`` loads it but with the open documents' texts
(the client's, perhaps unsaved) for the files they include, so an include counts exactly
when the loader follows it (the same root, links and nesting), directly or through other
shared files. The folders are walked with bounds: a rename answers in seconds, not
after the whole disk.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from pygls.uris import from_fs_path, to_fs_path

from ..grammar import QUOTED
from ..loader import LoadResult, loads
from ..reading import read_source
from ..syntax import parse_syntax
from .document import as_read

#: At most this many ``.svc`` files are read in the workspace folders, and this many
#: folders walked; past either the search stops, and says so.
MAX_SCANNED_FILES = 1000
MAX_SCANNED_FOLDERS = 10_000
#: Folders of installed packages (JavaScript's, and Python's in a virtual environment of
#: any name), not the user's blueprints. Hidden folders (.git, .venv, ...) are skipped too.
SKIPPED_FOLDERS = frozenset({"node_modules", "site-packages"})
#: An include at the start of a line, as it is found in a text that could not be read.
_INCLUDE_LINE = re.compile(rf'^[ \t]*include[ \t]+({QUOTED}")', re.MULTILINE)


@dataclass(frozen=True, slots=True, kw_only=True)
class IncludingFile:
    uri: str
    path: str
    text: str
    #: The blueprint loaded as ``check`` loads it, which showed that it includes the file.
    loaded: LoadResult


@dataclass(frozen=True, slots=True, kw_only=True)
class Includers:
    files: tuple[IncludingFile, ...]
    #: False when a bound stopped the walk: a blueprint past it may include the file too.
    complete: bool


def svc_files(roots: Iterable[str]) -> tuple[list[Path], bool]:
    """The ``.svc`` files under ``roots``, in name order, and whether the walk went through them all.

    Links to folders are not followed: a link back up would walk the same files again. A
    file reached twice (a folder inside another, a link to a file) counts once.
    """
    unique: dict[str, str] = {}  # a root given twice (rootUri and a folder, say) is walked once
    for root in roots:
        unique.setdefault(os.path.realpath(root), root)
    files: dict[str, Path] = {}
    folders = 0
    for root in unique.values():
        for folder, subfolders, names in os.walk(root):
            folders += 1
            if folders > MAX_SCANNED_FOLDERS:
                return list(files.values()), False
            subfolders[:] = sorted(d for d in subfolders if not d.startswith(".") and d not in SKIPPED_FOLDERS)
            for name in sorted(n for n in names if n.endswith(".svc")):
                real = os.path.realpath(os.path.join(folder, name))
                if real not in files:
                    if len(files) == MAX_SCANNED_FILES:
                        return list(files.values()), False
                    files[real] = Path(folder) / name
    return list(files.values()), True


def including(open_texts: Mapping[str, str], roots: Iterable[str], actor: str, declared: frozenset[str]) -> Includers:
    """The blueprints whose ``actor`` is the one declared in a file of ``declared`` (real paths), that file excepted.

    ``open_texts`` are the client's documents by URI: their text is the client's copy,
    for a blueprint and for a file it includes alike. Other files are read as ``check``
    reads them; one that cannot be read is no includer.
    """
    candidates: dict[str, tuple[str, str, str] | Path] = {}  # an open document's uri, path and text
    overlay: dict[str, str] = {}  # the open documents' texts, by real path, for the loader
    for uri, text in open_texts.items():
        path = to_fs_path(uri) if uri.startswith("file:") else None  # an unsaved buffer is included by no file
        if path is not None:
            real = os.path.realpath(path)
            candidates.setdefault(real, (uri, path, text))
            overlay.setdefault(real, as_read(text))
    files, complete = svc_files(roots)
    for file in files:
        candidates.setdefault(os.path.realpath(file), file)
    found = []
    for real, candidate in candidates.items():
        if real in declared:
            continue
        if isinstance(candidate, Path):
            path = str(candidate)
            text, _ = read_source(candidate, path, None)
            if text is None:
                continue
            uri = from_fs_path(path) or path
        else:
            uri, path, text = candidate
        # A file without the word includes nothing: it is not worth parsing.
        if "include" not in text:
            continue
        loaded = loads(as_read(text), path, origin=path, overlay=overlay)
        taken = _takes_actor_from(loaded, actor, declared)
        if taken or _may_take_actor_from(loaded, text, path, overlay, actor, declared):
            found.append(IncludingFile(uri=uri, path=path, text=text, loaded=loaded))
    return Includers(files=tuple(found), complete=complete)


def _takes_actor_from(loaded: LoadResult, actor: str, declared: frozenset[str]) -> bool:
    """Whether ``loaded`` takes ``actor`` from a file in ``declared``."""
    found = loaded.blueprint.actor_index().get(actor) if loaded.blueprint is not None else None
    return found is not None and os.path.realpath(found.span.path) in declared


def _may_take_actor_from(
    loaded: LoadResult, text: str, path: str, overlay: Mapping[str, str], actor: str, declared: frozenset[str]
) -> bool:
    """Whether a file with syntax errors that recovery gave up on includes ``actor`` from a file in ``declared``.

    Nothing of it was read, its includes neither: its include lines are followed alone, as
    the loader follows them, so that the rename is refused there rather than leaving the
    blueprint with the old name.
    """
    if loaded.blueprint is not None:
        return False
    includes = "".join(f"include {match.group(1)}\n" for match in _INCLUDE_LINE.finditer(text))
    if not includes or parse_syntax(text) is not None:
        return False
    read = loads(includes, path, origin=path, overlay=overlay)
    return any(a.id == actor and os.path.realpath(a.span.path) in declared for a in read.shared_actors)
