"""Finding blueprint files and writing outputs safely."""

from __future__ import annotations

import errno
import os
import stat
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from .diagnostics import visible

if TYPE_CHECKING:
    from .diagnostics import Diagnostic

SUFFIX = ".svc"


class UsageError(Exception):
    """A path the user named cannot be used: exit code 2."""


def collect(paths: Iterable[str]) -> tuple[list[str], list[Diagnostic]]:
    """The blueprint files named, folders expanded to every .svc below them, sorted; a file
    named twice (``a.svc ./a.svc``, or in a folder named too) is kept once, as first named.
    A symbolic link is a name of its own, as it is an output of its own.

    With them, a BP009 for each folder below that cannot be listed: the blueprints in it
    would otherwise go unread without a word, and the run pass.
    """
    found: dict[str, str] = {}
    unlisted: list[Diagnostic] = []
    for name in paths:
        if name == "-":
            if name in found:
                raise UsageError("'-' names standard input, which can be read once: name it once")
            found[name] = name
            continue
        path = Path(name)
        if path.is_dir():
            for file in _blueprints_below(path, unlisted):
                found.setdefault(os.path.abspath(file), str(file))
        elif path.exists():
            found.setdefault(os.path.abspath(name), name)
        else:
            raise UsageError(f"{visible(name)}: no such file or folder")
    return list(found.values()), unlisted


def _blueprints_below(folder: Path, unlisted: list[Diagnostic]) -> list[Path]:
    """The .svc files in ``folder`` and the folders below it, sorted; links to folders are
    not followed, so a link to a parent cannot loop. A folder that cannot be listed is
    added to ``unlisted``."""
    from . import codes
    from .diagnostics import PATH_WIDTH, Span, clip

    def report(error: OSError) -> None:
        name = str(error.filename)
        message = f"'{clip(name, PATH_WIDTH)}' is a folder that cannot be listed ({error.strerror})"
        unlisted.append(codes.UNREADABLE_FILE.at(Span.point(name, 1, 1), message, "make it readable (chmod +rx)"))

    found = []
    for top, _, names in os.walk(folder, onerror=report):
        found.extend(Path(top, name) for name in names if name.endswith(SUFFIX) and Path(top, name).is_file())
    return sorted(found)


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


#: A temporary file older than this was left by a killed run, not one still writing.
STALE_TEMPORARY = 3600.0
#: Between an output's name and the random part of its temporary's: ``.out.svg.blueprint-k3j9x.tmp``.
_TEMPORARY_MARK = ".blueprint-"
#: The most symbolic links followed from an output's path to a descriptor, as the system follows them.
_MAX_LINKS = 40


def write_atomic(path: Path, data: bytes, *, replace: bool = True) -> None:
    """Write all of ``data`` or nothing: a reader never sees a half-written file.

    The data goes to a hidden ``.NAME.blueprint-*.tmp`` beside the output, then replaces
    it (a symbolic link is replaced, not the file it names). A run killed mid-write leaves
    that temporary behind (never the output half-written); ``remove_stale_temporaries``
    clears such leftovers. With ``replace=False`` the output must not exist yet: the
    temporary is linked to its name, which raises FileExistsError rather than replace
    anything there, even a file made while the data was written.

    What is not a regular file is written into, never replaced by one: a device
    (``/dev/null``), a FIFO, and a descriptor of this process (``/dev/stdout``), through
    the descriptor itself, so that a file the output is redirected to is not reopened and
    cut short.
    """
    if not replace and os.path.lexists(path):
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(path))
    descriptor = _descriptor(path)
    if descriptor is not None:
        _write_to_descriptor(descriptor, data)
        return
    try:
        kind = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        kind = None
    if kind is not None and not stat.S_ISREG(kind):
        _write_into(path, data, fifo=stat.S_ISFIFO(kind))
        return
    import tempfile  # here: `check` writes nothing and need not load it

    _make_folder(path.parent)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}{_TEMPORARY_MARK}", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes the file private; outputs are published, so give them the
        # mode any new file would have (or keep the mode of the file replaced).
        os.chmod(temporary, _mode_for(path))
        if replace:
            os.replace(temporary, path)
        else:
            _publish_new(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _publish_new(temporary: str, path: Path) -> None:
    """Give the file ``temporary`` the name ``path`` unless a file has it already
    (FileExistsError): by a hard link, or where the file system has none, by making an
    empty file there first, for the temporary to replace."""
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise
    except OSError:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        os.replace(temporary, path)
    else:
        os.unlink(temporary)


def read_only(path: Path) -> bool:
    """Whether the file at ``path`` is read-only: this user may not write it, or, for root,
    whom permissions do not bind, its owner may not.

    ``write_atomic`` replaces a file, which needs leave to write in its folder, not in the
    file: a file made read-only would be rewritten all the same. So a command that
    rewrites files (``fmt``) asks this first and leaves such a file alone, as black and
    gofmt do.
    """
    try:
        owner_may_write = bool(os.stat(path).st_mode & stat.S_IWUSR)
    except OSError:
        return False  # gone or unreadable: writing it will say so
    return not os.access(path, os.W_OK) or (os.geteuid() == 0 and not owner_may_write)


def regular_file(path: Path) -> bool:
    """Whether ``path`` is a regular file, to be read back (by ``render --check`` and the
    cache) without waiting: no device, FIFO or descriptor of this process."""
    try:
        return _descriptor(path) is None and stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def _make_folder(folder: Path) -> None:
    """Make ``folder`` and the folders above it that are missing. Where a file stands in
    the way (``c.svc`` of ``c.svc/x.svg``), the error names it, where the system would
    say only "File exists" or "Not a directory"."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError) as error:
        in_the_way = next((above for above in (folder, *folder.parents) if above.exists() and not above.is_dir()), None)
        if in_the_way is None:
            raise
        # Its name goes into messages: written as escapes, as the messages write names.
        raise NotADirectoryError(errno.ENOTDIR, f"{visible(str(in_the_way))} is not a folder") from error


def written_into(path: Path) -> bool:
    """Whether ``path`` is an output ``write_atomic`` writes into as it is: a character
    device (``/dev/null``), a FIFO, or a descriptor of this process (``/dev/stdout``)."""
    try:
        if _descriptor(path) is not None:
            return True
        kind = os.stat(path).st_mode
    except (OSError, ValueError):
        return False
    return stat.S_ISCHR(kind) or stat.S_ISFIFO(kind)


def _descriptor(path: Path) -> int | None:
    """The descriptor of this process that ``path`` names, through ``/proc/self/fd``,
    ``/dev/fd`` or a link to one of them (``/dev/stdout``); None for another path."""
    own = {os.path.realpath(f"/proc/{os.getpid()}/fd"), os.path.realpath("/dev/fd")}
    current = os.path.abspath(path)
    for _ in range(_MAX_LINKS):
        folder, name = os.path.split(current)
        if name.isdigit() and os.path.realpath(folder) in own:
            return int(name)
        if not os.path.islink(current):
            return None
        current = os.path.join(folder, os.readlink(current))
    return None


def _write_to_descriptor(descriptor: int, data: bytes) -> None:
    """Write through a descriptor of this process, after what its streams hold."""
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view):]


def _write_into(path: Path, data: bytes, fifo: bool) -> None:
    """Write into a device or a FIFO. A FIFO is written only while a process reads it:
    opened without waiting for a reader, which would wait for ever if none came."""
    try:
        fd = os.open(path, os.O_WRONLY | (os.O_NONBLOCK if fifo else 0))
    except OSError as error:
        if fifo and error.errno == errno.ENXIO:
            raise OSError(error.errno, "it is a FIFO no process reads") from error
        raise
    os.set_blocking(fd, True)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def remove_stale_temporaries(outputs: Iterable[Path]) -> None:
    """Remove the temporaries of ``write_atomic`` that a killed run left beside ``outputs``.

    Only those of these outputs, and only once they are an hour old: a user's own
    ``.something.tmp`` is never touched. One scan of each folder, not one per output.
    """
    names_by_folder: dict[Path, set[str]] = {}
    for output in outputs:
        names_by_folder.setdefault(output.parent, set()).add(output.name)
    now = time.time()
    for folder, names in sorted(names_by_folder.items()):
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue  # no folder yet: nothing was left in it
        for entry in entries:
            name, mark, _ = entry.name.rpartition(_TEMPORARY_MARK)
            if not (mark and name.startswith(".") and name[1:] in names and entry.name.endswith(".tmp")):
                continue
            try:
                if now - entry.stat(follow_symlinks=False).st_mtime > STALE_TEMPORARY:
                    os.unlink(entry.path)
            except OSError:
                pass  # gone already, or not ours to remove
