"""The protocol's terms as the server keeps them: positions in UTF-16 units, and refusals that are answers."""

from __future__ import annotations

import copy
import logging
from collections.abc import Generator
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.protocol.language_server import lsp_method

from .positions import ENCODING
from .stdio import AnsweringProtocol
from .texts import LspWorkspace


class Refused(JsonRpcException):
    """A request the server answers with an error that says why: the editor shows the message."""

    CODE = types.LSPErrorCodes.RequestFailed


class RefusalsAreAnswers(logging.Filter):
    """Keeps pygls from logging a refusal as a fault: it logs every exception a handler raises, traceback and all."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], Refused))


class BlueprintProtocol(AnsweringProtocol):
    """The server's protocol, whose positions are in UTF-16 units whatever encodings the client offers.

    pygls takes the first encoding a client offers (Neovim and Helix offer UTF-8 first), says
    so in its answer to ``initialize`` and applies the client's changes in it; ``positions``
    counts in UTF-16 units, which every client must take: the client is held to that one.
    The changes are applied to lines as LSP counts them (``texts``).
    """

    @lsp_method(types.INITIALIZE)
    def lsp_initialize(self, params: types.InitializeParams) -> Generator[Any, Any, types.InitializeResult]:
        offered = params.capabilities
        if offered.general is not None and offered.general.position_encodings is not None:
            general = copy.copy(offered.general)
            general.position_encodings = [ENCODING]
            params = copy.copy(params)
            params.capabilities = copy.copy(offered)
            params.capabilities.general = general
        result = yield from super().lsp_initialize(params)
        self._workspace = LspWorkspace.like(self.workspace)  # made at initialize, before any document opens
        self.client_capabilities = offered  # what the client said, for the other capabilities read later
        return result
