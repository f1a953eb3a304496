"""The authoring commands: ``fmt``, ``watch`` and ``lsp``. Registered on ``blueprint`` by ``cli``."""

from __future__ import annotations

import codecs
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import click

from .cli_params import (
    EXIT_FINDINGS,
    EXIT_USAGE,
    INPUT_PATHS,
    ConfigFileError,
    PathParam,
    Seconds,
    input_files,
    write_out,
)


@click.command(name="fmt", short_help="Lay out blueprints in the one canonical way.")
@click.argument("paths", nargs=-1, required=True, type=INPUT_PATHS)
@click.option("--check", "check_only", is_flag=True,
              help="Write nothing; list the files fmt would change and exit 1 if any.")
@click.option("--diff", "show_diff", is_flag=True, help="Write nothing; print what would change as a unified diff "
              "(exit 0 all the same; add --check to exit 1 when something would change).")
def fmt(paths: tuple[str, ...], check_only: bool, show_diff: bool) -> None:
    """Lay out blueprints (FILE, DIR or '-' for stdin) in the one canonical way.

    Comments stay where they were and nothing is reordered. A file with syntax errors
    is reported and left alone. Exit 0 when done (or, with --check, when every file is
    formatted), 1 when a file has syntax errors, a folder cannot be listed or --check
    finds a file unformatted, 2 on a usage error or a file that could not be written or
    is read-only (the others still are).
    """
    # Imported here: `blueprint --help` and the other commands do not pay for them.
    import difflib

    from .diagnostics import render_text, sorted_diagnostics, visible
    from .files import read_only, write_atomic
    from .formatter import FormatError, format_text
    from .reading import decode, read_source, read_stream_bytes

    files, unlisted = input_files(paths)
    for problem in unlisted:
        click.echo(render_text(problem, {}), err=True)
    failed, changed, unwritten = len(unlisted), 0, 0
    for given in files:
        name = "<stdin>" if given == "-" else given  # as `check -` names it
        # The loader's reader: a FIFO, a device or a huge file is refused, not read.
        if given == "-":
            data, problem = read_stream_bytes(sys.stdin.buffer, name)
            text, problem = decode(data, name) if data is not None else (None, problem)
        else:
            text, problem = read_source(Path(name), name, None)
        if text is None:
            click.echo(render_text(problem, {}), err=True)
            failed += 1
            continue
        try:
            formatted = format_text(text, name)
        except FormatError as error:
            for diagnostic in sorted_diagnostics(error.diagnostics):
                click.echo(render_text(diagnostic, {name: text}), err=True)
            click.echo(f"{visible(name)}: not formatted: fix the syntax errors first", err=True)
            failed += 1
            continue
        if given == "-" and not (check_only or show_diff):
            write_out(_Written.of_start(data).text(formatted))  # its line endings and mark as they came
            continue
        if formatted == text:
            continue
        changed += 1
        # Through a symbolic link to the file it names: replacing the link would leave it unformatted.
        real = None if given == "-" else Path(os.path.realpath(name))
        # As the file is written (its line endings, its byte-order mark), in the diff as in
        # the file: a patch applies to the lines as they are.
        written = _Written.of_start(data) if real is None else _Written.of(real)
        if show_diff:
            # The name as messages write it: one line, and only characters UTF-8 can write.
            write_out("".join(difflib.unified_diff(_patch_lines(written.text(text)),
                                                    _patch_lines(written.text(formatted)), visible(name),
                                                    f"{visible(name)} (formatted)")))
        if check_only:
            click.echo(f"would reformat {visible(name)}")
        elif not show_diff:
            if read_only(real):
                click.echo(f"{visible(name)}: not formatted: the file is read-only; make it writable "
                           "(chmod u+w) to format it", err=True)
                unwritten += 1
                continue
            try:
                write_atomic(real, written.text(formatted).encode("utf-8"))
            except OSError as error:
                # The file stays as it was; the others are still formatted.
                click.echo(f"blueprint: cannot write {visible(name)}: {error.strerror}", err=True)
                unwritten += 1
                continue
            click.echo(f"reformatted {visible(name)}", err=True)
    if unwritten:
        sys.exit(EXIT_USAGE)
    if failed or (check_only and changed):
        sys.exit(EXIT_FINDINGS)


def _patch_lines(text: str) -> list[str]:
    """The lines of ``text`` for a unified diff: a last line without its newline says so,
    as diff and git write it, so that patch and git apply take the diff. Lines end at
    LF only, as git counts them: a string may hold a U+2028 or a form feed, which
    ``str.splitlines`` would take for line breaks, and the patch would be corrupt."""
    *lines, last = text.split("\n")
    lines = [line + "\n" for line in lines]
    if last:
        lines.append(last + "\n\\ No newline at end of file\n")
    return lines


#: How much of a file's start is read for its first line's ending.
_FIRST_LINE = 64 * 1024


@dataclass(frozen=True, slots=True)
class _Written:
    """How a file is written where its text reads the same: line endings and a byte-order mark."""

    ending: str = "\n"
    mark: str = ""

    @classmethod
    def of(cls, path: Path) -> _Written:
        """As the file's first line has it; LF and no mark when it cannot be read (writing it then says why)."""
        try:
            with path.open("rb") as file:
                return cls.of_start(file.readline(_FIRST_LINE))
        except OSError:
            return cls()

    @classmethod
    def of_start(cls, data: bytes) -> _Written:
        """As the first line of ``data``, a file's bytes from its start, has it."""
        from .formatter import line_ending

        first = data[:_FIRST_LINE]
        return cls(line_ending(first.decode("utf-8", "replace")), "\ufeff" if first.startswith(codecs.BOM_UTF8) else "")

    def text(self, text: str) -> str:
        """``text``, read with LF and no mark, as the file writes it."""
        return self.mark + text.replace("\n", self.ending)


@click.command(name="lsp", short_help="Run the language server over stdio.")
def lsp() -> None:
    """Run the language server over stdio (for editors: see docs/editors.md).

    Exit 2 when the client sends a message over 64 MiB, or headers over 64 KiB: the server cannot read on.
    """
    from .lsp.server import main as serve

    stopped = serve()
    if stopped is not None:
        click.echo(f"blueprint lsp: {stopped}", err=True)
        sys.exit(EXIT_USAGE)


@click.command(name="watch", short_help="Serve a blueprint's page and redraw it on every save.")
@click.argument("path", type=PathParam("name a .svc file", exists=True, dir_okay=False, readable=True))
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Port on 127.0.0.1; 0 picks a free one.")
@click.option("--interval", type=Seconds(min=0.05, max=60), default=0.25, show_default=True,
              help="Seconds between checks for changes.")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the default browser ($BROWSER).")
def watch(path: str, port: int, interval: float, open_browser: bool) -> None:
    """Serve the HTML page of a blueprint on 127.0.0.1 and redraw it on every save.

    Open the address it prints, or give --open. Included files are watched too, and
    missing ones until they come, and the pyproject.toml that configures it. A blueprint
    that stops loading shows its diagnostics over the last good page.
    """
    from .config import ConfigError
    from .diagnostics import visible
    from .watch import serve

    def ready(url: str) -> None:
        click.echo(f"watching {visible(path)}: {url} (Ctrl-C to stop)")
        sys.stdout.flush()
        if open_browser:
            import threading

            # Beside the server: a browser of the terminal (w3m, lynx) holds its caller until it quits.
            threading.Thread(target=_open_in_browser, args=(url,), daemon=True).start()

    try:
        serve(Path(path), port, interval=interval, ready=ready)
    except ConfigError as error:
        raise ConfigFileError(str(error)) from error
    except OSError as error:
        raise click.UsageError(f"cannot serve on port {port}: {error.strerror}") from error
    except KeyboardInterrupt:
        pass


def _open_in_browser(url: str) -> None:
    import webbrowser

    if not webbrowser.open(url):
        click.echo("blueprint watch: no browser found to open the page; open the address above", err=True)
