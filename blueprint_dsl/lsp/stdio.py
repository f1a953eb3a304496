"""The server's standard input, as pygls reads it, with bounds on the length of a message,
and an answer to each request it cannot read.

pygls reads a message's headers a line at a time, then its body in one
``read(Content-Length)``: a length of 99999999999 asks for that much memory at once and
ends the server with a MemoryError, and a header line that never ends is read into
memory until the client stops sending. ``start_io`` takes the stream to read from, so
the bounds are a stream that will not read a longer body or longer headers, rather than
a change to pygls.

A request whose params do not fit its method (a position with a negative line, say)
cannot be made into a message, so pygls never answers it, and the client waits for
ever: ``AnsweringProtocol`` answers it with the error.
"""

from __future__ import annotations

from typing import Any, BinaryIO

from pygls.exceptions import JsonRpcException
from pygls.protocol import LanguageServerProtocol

from ..reading import MAX_FILE_BYTES

#: The longest message body read. Twice the longest file the loader reads (32 MiB): a
#: document sent whole (on open, or a change that replaces it) grows by its JSON escapes.
MAX_MESSAGE_BYTES = 2 * MAX_FILE_BYTES
#: The most header bytes read before a body, all lines together. LSP sends one or two
#: short lines (Content-Length, Content-Type): this is a line without its end, or a
#: client that does not speak LSP.
MAX_HEADER_BYTES = 64 * 1024

_LOST = "the client and the server no longer agree where messages start, so the server stops"


class BoundedInput:
    """A binary stream that refuses a body over ``limit`` bytes, or headers over ``header_limit``: the input ends."""

    def __init__(self, stream: BinaryIO, limit: int = MAX_MESSAGE_BYTES, header_limit: int = MAX_HEADER_BYTES) -> None:
        self.stream = stream
        self.limit = limit
        self.header_limit = header_limit
        #: Header bytes read since the last body.
        self.header_bytes = 0
        #: Why the input ended early: set once a message was refused.
        self.refused: str | None = None

    def readline(self) -> bytes:
        # One byte past what is left: a line that ends in time is told from one that does not.
        line = self.stream.readline(self.header_limit - self.header_bytes + 1)
        self.header_bytes += len(line)
        if self.header_bytes > self.header_limit:
            self.refused = f"a message's headers are over the {self.header_limit // 1024} KiB they may be; {_LOST}"
            return b""  # pygls stops at an empty read
        return line

    def read(self, size: int) -> bytes:
        self.header_bytes = 0
        if size > self.limit:
            # Its body cannot be skipped either: the client may never send it, so there is
            # no telling where the next message starts.
            mib = self.limit // (1024 * 1024)
            self.refused = f"a message of {size} bytes is over the {mib} MiB a message may be; {_LOST}"
            return b""
        return self.stream.read(size)


#: What a request answered already with the error of its params stands for: nothing to handle.
_ANSWERED = object()


class AnsweringProtocol(LanguageServerProtocol):
    """pygls' protocol, which answers a request it cannot read with the error (Invalid Params,
    or Internal Error for what it could not read at all)."""

    def structure_message(self, data: dict[str, Any]) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcException as error:
            if "id" not in data or "method" not in data:
                raise  # a notification has no one waiting for an answer
            self._send_response(data["id"], error=error.to_response_error())
            return _ANSWERED

    def handle_message(self, message: Any) -> None:
        if message is not _ANSWERED:
            super().handle_message(message)
