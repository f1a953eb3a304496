"""Blueprints from git: ``REV:PATH`` (``HEAD~1:examples/coffee.svc``), and the index's
``:PATH`` and ``:0:PATH``, as well as files; with the files they include, from the same
revision."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from . import codes
from .diagnostics import PATH_WIDTH, Diagnostic, Span, clip
from .loader import MAX_FILE_BYTES, IncludedFiles, LoadResult, decode, load, loads


class RevisionError(Exception):
    """A revision or path git cannot give: exit code 2."""

    def __init__(self, spec: str, reason: str) -> None:
        super().__init__(f"{spec}: {reason}")
        self.reason = reason


def load_spec(spec: str) -> LoadResult:
    """A file when ``spec`` names one, else ``REV:PATH`` read from git.

    Includes of a blueprint read from a revision are read from the same revision, at the
    path joined to the blueprint's folder, and named so (``HEAD~1:docs/shared/staff.svc``).
    As with a file, a blob over 32 MiB is not read.
    """
    if Path(spec).exists() or ":" not in spec:
        return load(spec)
    revision, path = _split(spec)
    if revision.startswith("-"):
        raise RevisionError(spec, "a revision does not start with '-'")
    text, problem = _text(spec, spec, Span.point(spec, 1, 1))
    if text is None:
        return LoadResult(blueprint=None, diagnostics=(problem,))
    top = _top()
    path = _index_path(revision, path)
    included = _RevisionFiles(spec[: len(spec) - len(path)], Path(os.path.realpath(top)) if top else None)
    return loads(text, spec, origin=_in_working_tree(path, top), included=included)


class _RevisionFiles(IncludedFiles):
    """The files a blueprint from git includes, read from its revision: ``prefix`` is
    what comes before the path in its spec (``HEAD~1:``, ``:``, ``:0:``)."""

    def __init__(self, prefix: str, top: Path | None) -> None:
        super().__init__({})
        self.prefix = prefix
        self.top = top

    def name(self, target: Path, display: str) -> str:
        path = self._path(target)
        return display if path is None else self.prefix + path

    def read(self, target: Path, display: str, span: Span) -> tuple[str | None, Diagnostic | None]:
        path = self._path(target)
        if path is None:
            return None, codes.INCLUDE_NOT_FOUND.at(span, f"'{clip(display, PATH_WIDTH)}' is not in git",
                                                    "include a file of the repository")
        try:
            return _text(self.prefix + path, display, span)
        except RevisionError as error:
            message = f"'{clip(display, PATH_WIDTH)}' cannot be read from git: {error.reason}"
            return None, codes.INCLUDE_NOT_FOUND.at(span, message, "check the path")

    def neighbours(self, target: Path) -> list[str]:
        return []  # the revision's folder is not read: no names to offer

    def _path(self, target: Path) -> str | None:
        """Where ``target`` is in the repository, as git names it."""
        if self.top is None or not target.is_relative_to(self.top):
            return None
        return target.relative_to(self.top).as_posix()


def _text(spec: str, display: str, span: Span) -> tuple[str | None, Diagnostic | None]:
    """The text of the file ``spec`` names in git, or the diagnostic at ``span`` saying why
    it cannot be read; a RevisionError when git has no such file."""
    kind = _git(spec, "cat-file", "-t", spec).decode("ascii", "replace").strip()
    if kind != "blob":
        raise RevisionError(spec, f"a {kind} in git, not a file")
    size = int(_git(spec, "cat-file", "-s", spec))
    if size > MAX_FILE_BYTES:
        return None, codes.UNREADABLE_FILE.at(
            span, f"'{clip(display, PATH_WIDTH)}' is {size // (1024 * 1024)} MiB, over the 32 MiB a blueprint may be",
            "split it",
        )
    return decode(_git(spec, "cat-file", "blob", spec), display)


def _git(spec: str, *args: str) -> bytes:
    """What a git command prints; its last line of complaint, as a RevisionError, when it fails."""
    try:
        run = subprocess.run(["git", *args], capture_output=True, check=False, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise RevisionError(spec, f"cannot run git ({error})") from error
    if run.returncode != 0:
        message = run.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RevisionError(spec, message[-1].removeprefix("fatal: ") if message else f"git {args[0]} failed")
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


def _top() -> str | None:
    """The top folder of the repository the current folder is in."""
    top = subprocess.run(["git", "rev-parse", "--show-toplevel"], capture_output=True, text=True, check=False,
                         timeout=30)
    return top.stdout.strip() if top.returncode == 0 else None


def _in_working_tree(path: str, top: str | None) -> Path:
    """Where ``PATH`` of ``REV:PATH`` is in the working tree, from the current folder: git
    reads it from the top of the repository, or from the current folder when it starts
    with ./ or ../."""
    if path.startswith(("./", "../")) or top is None:
        return Path(path)
    try:
        return Path(os.path.relpath(Path(top, path)))
    except ValueError:  # on another drive (Windows): no relative path
        return Path(top, path)
