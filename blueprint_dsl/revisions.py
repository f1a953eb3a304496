"""Blueprints from git: ``REV:PATH`` (``HEAD~1:examples/coffee.svc``) as well as files."""

from __future__ import annotations

import subprocess
from pathlib import Path

from .loader import LoadResult, decode, load, loads


class RevisionError(Exception):
    """A revision or path git cannot give: exit code 2."""


def load_spec(spec: str) -> LoadResult:
    """A file when ``spec`` names one, else ``REV:PATH`` read through ``git show``.

    Includes of a blueprint read from a revision are taken from the working tree,
    relative to where the file is there.
    """
    if Path(spec).exists() or ":" not in spec:
        return load(spec)
    revision, _, path = spec.partition(":")
    if revision.startswith("-"):
        raise RevisionError(f"{spec}: a revision does not start with '-'")
    try:
        shown = subprocess.run(
            ["git", "show", f"{revision}:{path}"], capture_output=True, check=False, timeout=30
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise RevisionError(f"{spec}: cannot run git ({error})") from error
    if shown.returncode != 0:
        message = shown.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RevisionError(f"{spec}: {message[-1] if message else 'git show failed'}")
    text, problem = decode(shown.stdout, spec)
    if text is None:
        return LoadResult(blueprint=None, diagnostics=(problem,))
    return loads(text, spec, origin=_in_working_tree(path))


def _in_working_tree(path: str) -> Path:
    """Where ``PATH`` of ``REV:PATH`` is in the working tree: git reads it from the top
    of the repository, or from the current folder when it starts with ./ or ../."""
    if path.startswith(("./", "../")):
        return Path(path)
    top = subprocess.run(["git", "rev-parse", "--show-toplevel"], capture_output=True, text=True, check=False,
                         timeout=30)
    return Path(top.stdout.strip(), path) if top.returncode == 0 else Path(path)
