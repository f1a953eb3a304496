"""Reading a blueprint's bytes, from a file or a stream, and decoding them as its text.

A file must be a regular file of at most ``MAX_FILE_BYTES``, a stream is read no
further than that, and the text is UTF-8 (a byte-order mark left out) with its line
endings read as LF. Each reader returns what it read or the diagnostic saying why it
could not, never both.
"""

from __future__ import annotations

import codecs
import stat
from pathlib import Path
from typing import BinaryIO

from . import codes
from .diagnostics import PATH_WIDTH, Diagnostic, Span, clip

#: Larger files are refused with a diagnostic rather than read into memory.
MAX_FILE_BYTES = 32 * 1024 * 1024


def read_source(path: Path, display: str, span: Span | None) -> tuple[str | None, Diagnostic | None]:
    """The text of a file, or the diagnostic saying why it cannot be had."""
    data, problem = read_file_bytes(path, display, span)
    return decode(data, display) if data is not None else (None, problem)


def read_file_bytes(path: Path, display: str, span: Span | None) -> tuple[bytes | None, Diagnostic | None]:
    """The bytes of a regular file of at most 32 MiB, or the diagnostic saying why they cannot be had."""
    where, shown = span or Span.point(display, 1, 1), clip(display, PATH_WIDTH)
    try:
        info = path.stat()
    except OSError as error:
        reason = "does not exist" if isinstance(error, FileNotFoundError) else f"cannot be read ({error.strerror})"
        code = codes.INCLUDE_NOT_FOUND if span is not None else codes.UNREADABLE_FILE
        return None, code.at(where, f"'{shown}' {reason}", "check the path")
    except ValueError:  # a NUL, which no path can hold
        return None, codes.UNREADABLE_FILE.at(where, f"'{shown}' holds a NUL character", "check the path")
    if not stat.S_ISREG(info.st_mode):
        return None, codes.UNREADABLE_FILE.at(where, f"'{shown}' is not a regular file", "name a .svc file")
    if info.st_size > MAX_FILE_BYTES:
        return None, codes.UNREADABLE_FILE.at(
            where, f"'{shown}' is {info.st_size // (1024 * 1024)} MiB, over the 32 MiB a blueprint may be", "split it"
        )
    try:
        return path.read_bytes(), None
    except OSError as error:
        return None, codes.UNREADABLE_FILE.at(where, f"'{shown}' cannot be read ({error.strerror})", None)


def read_stream(stream: BinaryIO, display: str) -> tuple[str | None, Diagnostic | None]:
    """The text on a stream (standard input), read as a file is: at most 32 MiB, UTF-8."""
    data, problem = read_stream_bytes(stream, display)
    return decode(data, display) if data is not None else (None, problem)


def read_stream_bytes(stream: BinaryIO, display: str) -> tuple[bytes | None, Diagnostic | None]:
    """The bytes on a stream, at most 32 MiB. Reading stops past the limit, so an endless
    stream is refused, not read whole."""
    try:
        data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        return None, codes.UNREADABLE_FILE.at(Span.point(display, 1, 1), f"cannot read {display} ({error})", None)
    if len(data) > MAX_FILE_BYTES:
        return None, codes.UNREADABLE_FILE.at(
            Span.point(display, 1, 1), f"{display} holds over the 32 MiB a blueprint may be", "split it"
        )
    return data, None


def decode(data: bytes, display: str) -> tuple[str | None, Diagnostic | None]:
    """UTF-8 text with any byte-order mark removed; an error names the bad byte."""
    # The mark is taken off here rather than by the utf-8-sig codec, whose error offsets
    # would count from after it.
    skipped = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return normalise_newlines(data[skipped:].decode("utf-8")), None
    except UnicodeDecodeError as error:
        offset = skipped + error.start
        before = data[skipped:offset]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", errors="replace")) + 1
        return None, codes.INVALID_ENCODING.at(
            Span.point(display, line, column),
            f"byte 0x{data[offset]:02x} at offset {offset} is not valid UTF-8",
            "save the file as UTF-8",
        )


def normalise_newlines(text: str) -> str:
    """CRLF and CR line endings read as LF, so lines and columns are what editors show."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
