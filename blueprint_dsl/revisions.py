"""Blueprints from git: ``REV:PATH`` (``HEAD~1:examples/coffee.svc``), and the index's
``:PATH`` and ``:0:PATH``, as well as files."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from . import codes
from .diagnostics import PATH_WIDTH, Span, clip
from .loader import MAX_FILE_BYTES, LoadResult, decode, load, loads


class RevisionError(Exception):
    """A revision or path git cannot give: exit code 2."""


def load_spec(spec: str) -> LoadResult:
    """A file when ``spec`` names one, else ``REV:PATH`` read from git.

    Includes of a blueprint read from a revision are taken from the working tree,
    relative to where the file is there, and messages name them by their path there (as
    ``check`` would), not as if they came from the revision. As with a file, a blob over
    32 MiB is not read.
    """
    if Path(spec).exists() or ":" not in spec:
        return load(spec)
    revision, path = _split(spec)
    if revision.startswith("-"):
        raise RevisionError(f"{spec}: a revision does not start with '-'")
    kind = _git(spec, "cat-file", "-t", spec).decode("ascii", "replace").strip()
    if kind != "blob":
        raise RevisionError(f"{spec}: a {kind} in git, not a file")
    size = int(_git(spec, "cat-file", "-s", spec))
    if size > MAX_FILE_BYTES:
        problem = codes.UNREADABLE_FILE.at(
            Span.point(spec, 1, 1),
            f"'{clip(spec, PATH_WIDTH)}' is {size // (1024 * 1024)} MiB, over the 32 MiB a blueprint may be",
        )
        return LoadResult(blueprint=None, diagnostics=(problem,))
    text, problem = decode(_git(spec, "cat-file", "blob", spec), spec)
    if text is None:
        return LoadResult(blueprint=None, diagnostics=(problem,))
    return loads(text, spec, origin=_in_working_tree(_index_path(revision, path)))


def _git(spec: str, *args: str) -> bytes:
    """What a git command prints; its last line of complaint, as a RevisionError, when it fails."""
    try:
        run = subprocess.run(["git", *args], capture_output=True, check=False, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise RevisionError(f"{spec}: cannot run git ({error})") from error
    if run.returncode != 0:
        message = run.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RevisionError(f"{spec}: {message[-1] if message else 'git ' + args[0] + ' failed'}")
    return run.stdout


def _split(spec: str) -> tuple[str, str]:
    """REV and PATH of ``REV:PATH``, at the first colon outside braces: a revision such as
    ``main@{2024-01-01 10:00}`` or ``HEAD^{/fix: typo}`` may hold colons of its own."""
    depth = 0
    for index, character in enumerate(spec):
        if character == "{":
            depth += 1
        elif character == "}":
            depth = max(depth - 1, 0)
        elif character == ":" and depth == 0:
            return spec[:index], spec[index + 1 :]
    return spec, ""


def _index_path(revision: str, path: str) -> str:
    """The path of a spec: git's index forms ``:PATH`` and ``:N:PATH`` (N, a merge stage
    from 0 to 3) give no revision, and the second puts the stage before the path."""
    if revision == "" and path[:1] in ("0", "1", "2", "3") and path[1:2] == ":":
        return path[2:]
    return path


def _in_working_tree(path: str) -> Path:
    """Where ``PATH`` of ``REV:PATH`` is in the working tree, from the current folder: git
    reads it from the top of the repository, or from the current folder when it starts
    with ./ or ../."""
    if path.startswith(("./", "../")):
        return Path(path)
    top = subprocess.run(["git", "rev-parse", "--show-toplevel"], capture_output=True, text=True, check=False,
                         timeout=30)
    if top.returncode != 0:
        return Path(path)
    try:
        return Path(os.path.relpath(Path(top.stdout.strip(), path)))
    except ValueError:  # on another drive (Windows): no relative path
        return Path(top.stdout.strip(), path)
