"""Files to a resolved blueprint: read (``reading``), parsed, their includes followed, resolved.

With ``reading``, the only module of the pipeline that touches the file system. Included files are
read once each, must be regular files inside the project root, and may not include
each other in a cycle. An editor hands ``loads`` its unsaved texts as an overlay: an
included file it has is read from there rather than from the disk. A version from git
hands it ``IncludedFiles`` of its own, which find and read the included files of that version.
"""

from __future__ import annotations

import dataclasses
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Iterable, Mapping

from . import codes
from .diagnostics import PATH_WIDTH, Diagnostic, Span, clip, closest, sorted_diagnostics, suggest
from .model import Actor, Blueprint, Include
from .parser import parse_document
from .reading import normalise_newlines, read_source, read_stream
from .resolve import resolve

if TYPE_CHECKING:
    from .recovery.shifts import Shifts

ROOT_MARKERS = ("pyproject.toml", ".git", ".blueprint-root")
#: Includes nested deeper are refused: each level is a Python call, and the stack is finite.
MAX_INCLUDE_DEPTH = 100
#: The most names of a folder read for a "did you mean" when an include is not found.
_MAX_NEIGHBOURS = 10_000
#: A comment that reads as C's include of a file: it includes nothing.
_COMMENTED_INCLUDE = re.compile(r'^[ \t]*#[ \t]*include[ \t]+"([^"\\\n]+)"[ \t]*$', re.MULTILINE)


@dataclass(frozen=True, slots=True)
class LoadResult:
    """A blueprint, what is wrong with it, and its sources.

    The blueprint is None when the file holds none, or none could be made of it. With
    errors (``ok`` is False) it is what could be read: an action of an unknown actor, say,
    keeps the customer lane the parser gives every action until its actor is found.
    """

    blueprint: Blueprint | None
    diagnostics: tuple[Diagnostic, ...]
    sources: Mapping[str, str] = field(default_factory=dict)
    #: Every file read, the blueprint's own first, as resolved paths.
    files: tuple[str, ...] = ()
    #: Each included file, as diagnostics name it, and the include that read it first.
    included_by: Mapping[str, Span] = field(default_factory=dict)
    #: Included files that could not be read (missing, say), as resolved paths: the
    #: blueprint would read one that came to be.
    unread: tuple[str, ...] = ()
    #: In a file of shared actors (no blueprint): the actors it declares and includes.
    shared_actors: tuple[Actor, ...] = ()
    #: When the file's own syntax errors were patched into a text that parses: the repairs
    #: (``parser.Document.repairs``). Not those of included files, which nothing reads.
    repairs: Shifts | None = None

    @property
    def ok(self) -> bool:
        return self.blueprint is not None and not any(d.severity.value == "error" for d in self.diagnostics)

    # Jupyter shows a loaded blueprint as its diagram, or its errors. The renderers
    # are imported only here, so loading never pays for them.
    def _repr_svg_(self) -> str | None:
        from .render import FORMATS, RenderError, RenderOptions

        if not self.ok:
            return None
        try:
            return FORMATS["svg"].render(self.blueprint, RenderOptions()).decode("utf-8")
        except RenderError:
            return None  # no Graphviz: Jupyter shows the HTML page instead

    def _repr_html_(self) -> str:
        from .markdown import Renderer

        return Renderer("html").rendered(self).markup


def find_root(start: Path) -> Path:
    """The project root: the nearest folder holding a pyproject.toml, .git or .blueprint-root."""
    for folder in (start, *start.parents):
        if any((folder / marker).exists() for marker in ROOT_MARKERS):
            return folder
    return start


def load(
    path: str | os.PathLike[str],
    *,
    root: str | os.PathLike[str] | None = None,
    display: str | None = None,
    origin: str | os.PathLike[str] | None = None,
    included: IncludedFiles | None = None,
) -> LoadResult:
    """Read, parse and resolve the blueprint in a file.

    ``display`` is the name messages give the file (its path by default); ``origin``
    the file it is a copy of (as git hands over an old version), whose folder its
    includes are read from, and named in messages by; ``included`` reads the included
    files instead of the disk alone.
    """
    display = display if display is not None else os.fspath(path)
    text, problem = read_source(Path(path), display, None)
    if text is None:
        return LoadResult(blueprint=None, diagnostics=(problem,))
    real = _real(Path(origin if origin is not None else path))
    root_path = Path(root).resolve() if root is not None else find_root(real.parent)
    beside = os.fspath(origin) if origin is not None else display
    return _Loader(root_path, included or IncludedFiles({})).load_main(text, display, real, beside)


def loads(
    text: str,
    path: str = "<string>",
    *,
    root: str | os.PathLike[str] | None = None,
    origin: str | os.PathLike[str] | None = None,
    overlay: Mapping[str, str] | None = None,
    included: IncludedFiles | None = None,
) -> LoadResult:
    """Parse and resolve blueprint text; includes are relative to the current folder.

    ``origin`` names the file the text is the (perhaps unsaved) content of, as an
    editor has it: includes are then relative to that file's folder, and named by it.
    ``overlay`` holds the texts of other files, by resolved path (``os.path.realpath``),
    as an editor has them unsaved: an included file found there is read from there, not
    from the disk. Whether an include may be followed at all is decided as without it.
    ``included`` finds, reads and names the included files instead, ``origin`` too, for
    text that is a version of ``origin`` kept elsewhere (in git): the overlay is then not used.
    """
    includes_from = included if included is not None else IncludedFiles(overlay or {})
    real = includes_from.locate(Path(origin).absolute()) if origin is not None else Path.cwd() / "__string__.svc"
    root_path = Path(root).resolve() if root is not None else find_root(real.parent)
    beside = os.fspath(origin) if origin is not None else path
    return _Loader(root_path, includes_from).load_main(normalise_newlines(text.lstrip("\ufeff")), path, real, beside)


def load_stream(stream: BinaryIO, display: str = "<stdin>") -> LoadResult:
    """Read, parse and resolve the blueprint on a stream; includes are relative to the current folder."""
    text, problem = read_stream(stream, display)
    if text is None:
        return LoadResult(blueprint=None, diagnostics=(problem,))
    return loads(text, display)


class IncludedFiles:
    """Where included files are read from: the disk, with an editor's unsaved texts (by
    resolved path) over it. ``revisions`` reads them from a version in git instead."""

    def __init__(self, overlay: Mapping[str, str]) -> None:
        self.overlay = overlay

    def locate(self, path: Path) -> Path:
        """Where the file at ``path`` is, the links on the way followed, as the system follows them."""
        return _real(path)

    def name(self, target: Path, display: str) -> str:
        """How messages name the included file ``target``: ``display``, its path joined to the
        including file's folder as messages name that, where that is the file. Where links on
        the way (the including file's own, say) lead elsewhere, the target's path, from the
        current folder when ``display`` is relative and the target is under it."""
        if _real(Path(display)) == target:
            return display
        if not os.path.isabs(display) and target.is_relative_to(Path.cwd()):
            return os.path.relpath(target)
        return str(target)

    def neighbours(self, target: Path) -> list[str]:
        """The names of the blueprint files in the folder of ``target``, for a "did you mean"."""
        try:
            with os.scandir(target.parent) as entries:
                return [entry.name for _, entry in zip(range(_MAX_NEIGHBOURS), entries) if entry.name.endswith(".svc")]
        except OSError:
            return []

    def read(self, target: Path, display: str, span: Span) -> tuple[str | None, Diagnostic | None]:
        """An included file's text, or the diagnostic at the include (``span``) saying why it cannot be had."""
        text = self.overlay.get(str(target))
        if text is not None:
            return normalise_newlines(text.lstrip("\ufeff")), None
        return read_source(target, display, span)


def _real(path: Path) -> Path:
    # Not Path.resolve(): it raises on a symlink loop, which read_source reports instead.
    return Path(os.path.realpath(path))


class _Loader:
    def __init__(self, root: Path, includes_from: IncludedFiles) -> None:
        self.root = root
        self.includes_from = includes_from
        self.sources: dict[str, str] = {}
        self.files: list[str] = []
        self.diagnostics: list[Diagnostic] = []
        #: Every included file already read (resolved): its actors are merged once.
        self.included: set[Path] = set()
        self.included_by: dict[str, Span] = {}
        self.unread: list[str] = []
        #: False once an included file could not be read whole: its actors are unknown.
        self.includes_complete = True

    def load_main(self, text: str, display: str, real: Path, beside: str) -> LoadResult:
        """``beside`` is the file ``real`` as messages name it: the includes are read from
        its folder and named from there. It differs from ``display`` for a copy of another
        file, such as a version from git, whose includes are read from the working tree.
        """
        self.sources[display] = text
        self.files.append(str(real))
        document = parse_document(text, display)
        self.diagnostics.extend(document.diagnostics)
        # The blueprint's own includes count; a second blueprint is reported and ignored.
        includes = (*document.includes, *(document.blueprints[0].includes if document.blueprints else ()))
        actors = self.follow_includes(includes, beside, real, stack=(real,))
        blueprint, problems = resolve(document, actors, includes_complete=self.includes_complete)
        problems = self.commented_include(problems, text, real)
        self.diagnostics.extend(p for p in problems if (p.span.line, p.span.column) not in document.repaired)
        return LoadResult(
            blueprint=blueprint,
            diagnostics=tuple(sorted_diagnostics(self.diagnostics)),
            sources=self.sources,
            files=tuple(self.files),
            included_by=self.included_by,
            unread=tuple(self.unread),
            shared_actors=(*actors, *document.actors) if not document.blueprints else (),
            repairs=document.repairs,
        )

    def commented_include(self, problems: list[Diagnostic], text: str, real: Path) -> list[Diagnostic]:
        """``problems``, where the file holds a comment written as C includes a file that
        exists (``#include "staff.svc"``), with the hint of each unknown actor that would be
        declared here saying that the comment includes nothing: the file may declare it."""
        if not any(problem.code == codes.UNKNOWN_ACTOR.code for problem in problems):
            return problems
        for comment in _COMMENTED_INCLUDE.finditer(text):
            target = self.includes_from.locate(real.parent / comment.group(1))
            if target.is_file() or str(target) in self.includes_from.overlay:
                break
        else:
            return problems
        line = text.count("\n", 0, comment.start()) + 1
        included = clip(comment.group(1), PATH_WIDTH)
        hint = f'the comment on line {line} includes nothing: to include {included}, write include "{included}"'
        return [
            dataclasses.replace(problem, hint=hint)
            if problem.code == codes.UNKNOWN_ACTOR.code and (problem.hint or "").startswith("declare it") else problem
            for problem in problems
        ]

    def _with_neighbours(self, problem: Diagnostic, written: str, target: Path, stack: tuple[Path, ...]) -> Diagnostic:
        """``problem`` hinting at the files beside the one not found whose names are close
        to its name, but for those including it."""
        beside = [name for name in self.includes_from.neighbours(target) if target.parent / name not in stack]
        # By their stems: the suffix they share makes any two short names look alike (tabs.svc, actors.svc).
        stems: dict[str, list[str]] = {}
        for name in beside:
            stems.setdefault(os.path.splitext(name)[0], []).append(name)
        meant = [name for stem in closest(os.path.splitext(target.name)[0], stems) for name in stems[stem]][:3]
        if not meant:
            return problem
        folder = written[: len(written) - len(os.path.basename(written))]
        return dataclasses.replace(problem, hint=suggest(folder + name for name in meant))

    def follow_includes(
        self, includes: Iterable[Include], display: str, real: Path, stack: tuple[Path, ...]
    ) -> list[Actor]:
        actors: list[Actor] = []
        for include in includes:
            actors.extend(self.include(include, display, real, stack))
        return actors

    def include(self, include: Include, display: str, real: Path, stack: tuple[Path, ...]) -> tuple[Actor, ...]:
        if "\0" in include.path:
            # No file system names a file so; os.path would raise.
            self.diagnostics.append(
                codes.INCLUDE_NOT_FOUND.at(
                    include.span, f"'{clip(include.path, PATH_WIDTH)}' holds a NUL character", "check the path"
                )
            )
            self.includes_complete = False
            return ()
        if not include.path:
            # Joined to this file's folder, it would name the folder.
            self.diagnostics.append(
                codes.INCLUDE_NOT_FOUND.at(
                    include.span, "the include's path is empty", "name the .svc file to include, relative to this one"
                )
            )
            self.includes_complete = False
            return ()
        target = self.includes_from.locate(real.parent / include.path)
        joined = os.path.normpath(os.path.join(os.path.dirname(display), include.path))
        target_display = self.includes_from.name(target, joined)
        if not target.is_relative_to(self.root):
            self.diagnostics.append(
                codes.INCLUDE_OUTSIDE_ROOT.at(
                    include.span,
                    f"'{clip(include.path, PATH_WIDTH)}' is outside the project root {self.root}",
                    "keep shared files inside the project (the folder with pyproject.toml, .git or .blueprint-root)",
                )
            )
            self.includes_complete = False
            return ()
        if target in stack:
            chain = " -> ".join(clip(p.name) for p in (*stack[stack.index(target) :], target))
            message = f"files include each other in a cycle: {chain}"
            self.diagnostics.append(codes.INCLUDE_CYCLE.at(include.span, message, "remove one include"))
            return ()
        if target in self.included:
            return ()  # read through another include, or another spelling of the path
        if len(stack) > MAX_INCLUDE_DEPTH:
            self.diagnostics.append(
                codes.INCLUDE_TOO_DEEP.at(
                    include.span,
                    f"includes nest too deep: '{clip(include.path, PATH_WIDTH)}' would be {len(stack)} levels down,"
                    f" and at most {MAX_INCLUDE_DEPTH} levels of includes are followed",
                    "include shared files side by side from one file rather than each from the one before",
                )
            )
            self.includes_complete = False
            return ()
        self.included.add(target)
        text, problem = self.includes_from.read(target, target_display, include.span)
        if text is None:
            if problem.code == codes.INCLUDE_NOT_FOUND.code and not os.path.lexists(target):
                # Only a file that is not there was perhaps misspelt: a link in a loop is there.
                problem = self._with_neighbours(problem, include.path, target, stack)
            self.diagnostics.append(problem)
            self.unread.append(str(target))
            self.includes_complete = False
            return ()
        self.sources[target_display] = text
        self.files.append(str(target))
        self.included_by[target_display] = include.span
        document = parse_document(text, target_display)
        self.diagnostics.extend(document.diagnostics)
        if any(d.code.startswith("BP0") for d in document.diagnostics) or document.broken_actors:
            self.includes_complete = False
        for blueprint in document.blueprints:
            self.diagnostics.append(
                codes.BLUEPRINT_IN_INCLUDE.at(
                    Span.point(target_display, blueprint.span.line, blueprint.span.column, len("blueprint")),
                    "an included file shares actors; this blueprint in it is ignored",
                    "include a file that declares actors only",
                )
            )
        # Only the file's own includes: a blueprint in it is ignored, with its includes.
        nested = self.follow_includes(document.includes, target_display, target, (*stack, target))
        return (*nested, *document.actors)
