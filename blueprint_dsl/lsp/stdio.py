"""The server's standard input, as pygls reads it, with a bound on the length of a message.

pygls reads a message's headers, then its body in one ``read(Content-Length)``: a length
of 99999999999 asks for that much memory at once and ends the server with a
MemoryError. ``start_io`` takes the stream to read from, so the bound is a stream that
will not read a longer body, rather than a change to pygls.
"""

from __future__ import annotations

from typing import BinaryIO

from ..loader import MAX_FILE_BYTES

#: The longest message body read. Twice the longest file the loader reads (32 MiB): a
#: document sent whole (on open, or a change that replaces it) grows by its JSON escapes.
MAX_MESSAGE_BYTES = 2 * MAX_FILE_BYTES


class BoundedInput:
    """A binary stream whose ``read`` refuses a body over ``limit`` bytes and ends the input instead."""

    def __init__(self, stream: BinaryIO, limit: int = MAX_MESSAGE_BYTES) -> None:
        self.stream = stream
        self.limit = limit
        #: Why the input ended early: set once a message was refused.
        self.refused: str | None = None

    def readline(self) -> bytes:
        return self.stream.readline()

    def read(self, size: int) -> bytes:
        if size > self.limit:
            # Its body cannot be skipped either: the client may never send it, so there is
            # no telling where the next message starts. pygls stops at an empty read.
            self.refused = (
                f"a message of {size} bytes is over the {self.limit // (1024 * 1024)} MiB a message may be;"
                " the client and the server no longer agree where messages start, so the server stops"
            )
            return b""
        return self.stream.read(size)
