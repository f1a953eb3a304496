"""Blueprints from git: ``REV:PATH`` (``HEAD~1:examples/coffee.svc``), and the index's
``:PATH`` and ``:0:PATH``, as well as files; with the files they include, from the same
revision."""

from __future__ import annotations

import errno
import os
import subprocess
from pathlib import Path, PurePosixPath

from . import codes
from .diagnostics import PATH_WIDTH, Diagnostic, Span, clip, visible
from .loader import IncludedFiles, LoadResult, load, loads
from .reading import MAX_FILE_BYTES, decode

#: The most links followed on the way to a file in a revision, as Linux follows at most 40 on the disk.
MAX_LINKS = 40
#: The mode git gives a symbolic link.
_LINK_MODE = "120000"


class RevisionError(Exception):
    """A revision or path git cannot give: exit code 2."""

    def __init__(self, spec: str, reason: str) -> None:
        # On one line, controls as escapes: the name given and git's complaint quoting it reach the terminal.
        super().__init__(f"{visible(spec)}: {visible(reason)}")
        self.reason = reason


def load_spec(spec: str) -> LoadResult:
    """A file when ``spec`` names one, else ``REV:PATH`` read from git.

    Includes of a blueprint read from a revision are read from the same revision, at the
    path joined to the blueprint's folder, and named so (``HEAD~1:docs/shared/staff.svc``).
    The links the revision has on the way, to the blueprint or its includes, are followed
    in the revision. As with a file, a blob over 32 MiB is not read.
    """
    if not in_git(spec):
        return load(spec)
    revision, path = _split(spec)
    if revision.startswith("-"):
        raise RevisionError(spec, "a revision does not start with '-'")
    top = _top()
    path = _index_path(revision, path)
    included = _RevisionFiles(spec[: len(spec) - len(path)], Path(os.path.realpath(top)) if top else None)
    origin = _in_working_tree(path, top)
    text, problem = included.read_blueprint(spec, origin.absolute())
    if text is None:
        return LoadResult(blueprint=None, diagnostics=(problem,))
    return loads(text, spec, origin=origin, included=included)


def in_git(spec: str) -> bool:
    """Whether ``spec`` names a blueprint in git (``REV:PATH``, ``:PATH``), not a file on the disk."""
    return ":" in spec and not Path(spec).exists()


class _RevisionFiles(IncludedFiles):
    """The files a blueprint from git includes, found and read in its revision: ``prefix``
    is what comes before the path in its spec (``HEAD~1:``, ``:``, ``:0:``)."""

    def __init__(self, prefix: str, top: Path | None) -> None:
        super().__init__({})
        self.prefix = prefix
        self.top = top
        #: What each path of the repository asked about links to in the revision; None for no link.
        self.links: dict[str, str | None] = {}
        #: Paths left at a link because the links from there run in a loop.
        self.loops: set[Path] = set()

    def locate(self, path: Path) -> Path:
        """Where the file at ``path`` is in the revision: the links the revision has on the
        way are followed in it, as the system follows those of the disk; those of the
        working tree never are. A path whose links run in a loop is left at the last one."""
        if self.top is None:
            return Path(os.path.normpath(path))
        located, pending, followed = Path(path.anchor), list(reversed(path.parts[1:])), 0
        while pending:
            part = pending.pop()
            if part == "..":
                located = located.parent
                continue
            located = located / part
            link = self._link(located)
            if link is None:
                continue
            followed += 1
            if followed > MAX_LINKS:
                located = located.joinpath(*reversed(pending))
                self.loops.add(located)
                return located
            target = PurePosixPath(link)
            located = Path(target.anchor) if target.is_absolute() else located.parent
            pending.extend(reversed(target.parts[1:] if target.is_absolute() else target.parts))
        return located

    def read_blueprint(self, spec: str, path: Path) -> tuple[str | None, Diagnostic | None]:
        """The text of the file ``spec`` names, at ``path``, where the links the revision
        has on the way lead, or the diagnostic saying why it cannot be read; a
        RevisionError when git has no such file."""
        span = Span.point(spec, 1, 1)
        located = self.locate(path)
        if located in self.loops:
            return None, codes.UNREADABLE_FILE.at(
                span, f"'{clip(spec, PATH_WIDTH)}' cannot be read ({os.strerror(errno.ELOOP)})", "check the path"
            )
        if located == Path(os.path.normpath(path)):  # no link on the way
            return _text(spec, spec, span)
        linked = self._path(located)
        if linked is None:
            raise RevisionError(spec, "a link that leads out of the repository")
        try:
            return _text(self.prefix + linked, spec, span)
        except RevisionError as error:
            raise RevisionError(spec, error.reason) from error

    def name(self, target: Path, display: str) -> str:
        path = self._path(target)
        return display if path is None else self.prefix + path

    def read(self, target: Path, display: str, span: Span) -> tuple[str | None, Diagnostic | None]:
        path = self._path(target)
        if path is None:
            return None, codes.INCLUDE_NOT_FOUND.at(span, f"'{clip(display, PATH_WIDTH)}' is not in git",
                                                    "include a file of the repository")
        if target in self.loops:
            return None, codes.INCLUDE_NOT_FOUND.at(
                span, f"'{clip(display, PATH_WIDTH)}' cannot be read ({os.strerror(errno.ELOOP)})", "check the path"
            )
        try:
            return _text(self.prefix + path, display, span)
        except RevisionError as error:
            message = f"'{clip(display, PATH_WIDTH)}' cannot be read from git: {error.reason}"
            return None, codes.INCLUDE_NOT_FOUND.at(span, message, "check the path")

    def neighbours(self, target: Path) -> list[str]:
        return []  # the revision's folder is not read: no names to offer

    def _link(self, located: Path) -> str | None:
        """What the path ``located`` is a link to in the revision; None when it is no link."""
        path = self._path(located)
        if path is None or path == ".":
            return None
        if path not in self.links:
            self.links[path] = _link_in_git(self.prefix, path, self.top)
        return self.links[path]

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


def _link_in_git(prefix: str, path: str, top: Path) -> str | None:
    """The target of the link at ``path`` in the revision or index stage ``prefix`` names;
    None when there is no link there, or git cannot tell (reading the file will say why)."""
    if prefix.startswith(":"):  # the index, at a merge stage: mode object stage<TAB>path
        listing, stage = ("ls-files", "--stage", "-z"), prefix[1:-1] or "0"
    else:  # a revision: mode type object<TAB>path
        listing, stage = ("ls-tree", "-z", prefix[:-1]), None
    try:
        entries = _git(prefix + path, "--literal-pathspecs", *listing, "--", path, folder=top).split(b"\0")
        for entry in filter(None, entries):
            fields, _, name = entry.partition(b"\t")
            mode, first, second = fields.decode("ascii", "replace").split()
            if os.fsdecode(name) != path or mode != _LINK_MODE or stage not in (None, second):
                continue
            blob = second if stage is None else first
            return os.fsdecode(_git(prefix + path, "cat-file", "blob", blob, folder=top))
    except RevisionError:
        pass
    return None


def _git(spec: str, *args: str, folder: Path | None = None) -> bytes:
    """What a git command run in ``folder`` (the current one by default) prints; its last
    line of complaint, as a RevisionError, when it fails."""
    try:
        run = subprocess.run(["git", *args], capture_output=True, check=False, timeout=30, cwd=folder)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise RevisionError(spec, f"cannot run git ({error})") from error
    if run.returncode != 0:
        # Its last complaint, whole: a path in it may hold a line break.
        message = run.stderr.decode("utf-8", "replace").strip()
        _, fatal, complaint = message.rpartition("fatal: ")
        if not fatal:
            complaint = message.splitlines()[-1] if message else f"git {args[0]} failed"
        raise RevisionError(spec, complaint)
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
