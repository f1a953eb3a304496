"""The client's documents as the server keeps them, changed as LSP says the client's changes are made.

pygls cuts a document into lines with ``str.splitlines``, which also ends one at a form
feed, a vertical tab, U+0085, U+2028 or U+2029; LSP ends a line at LF, CRLF and CR only,
as the editor and the loader do. A change the client sends by range would then be
applied lines above where it was made, in a document holding such a character (a line
separator pasted into a label, say). And pygls reads a position past the end of the last
line as one character short of it, where LSP reads it as the line's end: a change to the
end of a file without a final newline kept its last character. Either way the server's
copy would no longer be the editor's text.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from urllib.parse import unquote

from lsprotocol import types
from pygls.workspace import TextDocument, Workspace

from .positions import code_points

#: A line and its ending, or the last line, which has none.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


class LspDocument(TextDocument):
    """A document whose lines end at LF, CRLF and CR only, and whose changes' positions are in UTF-16 units
    (the server holds the client to them)."""

    @property
    def lines(self) -> Sequence[str]:
        return tuple(_LINE.findall(self.source))

    def apply_change(self, change: types.TextDocumentContentChangeEvent) -> None:
        if not isinstance(change, types.TextDocumentContentChangePartial):
            super().apply_change(change)  # the whole text
            return
        start, end = self._offset(change.range.start), self._offset(change.range.end)
        self._source = self.source[:start] + change.text + self.source[end:]

    def _offset(self, position: types.Position) -> int:
        """The offset into the text of ``position``: past the end of its line, the line's end; past the last
        line, the text's end."""
        lines = self.lines
        if position.line >= len(lines):
            return len(self.source)
        before = sum(len(line) for line in lines[: position.line])
        return before + code_points(lines[position.line].rstrip("\r\n"), position.character)


logger = logging.getLogger(__name__)


class LspWorkspace(Workspace):
    """A workspace whose documents are ``LspDocument``\\ s, and which passes over a change to a document
    not open (never opened, or closed since): pygls's would fail with a ``KeyError``, which the
    client shows the user as an error."""

    @classmethod
    def like(cls, workspace: Workspace) -> LspWorkspace:
        """A workspace for the same root, folders, syncing and encoding as ``workspace``, with no documents yet."""
        folders = list(workspace.folders.values())
        return cls(workspace.root_uri, workspace._sync_kind, folders, workspace.position_encoding)

    def update_text_document(
        self, text_doc: types.VersionedTextDocumentIdentifier, change: types.TextDocumentContentChangeEvent
    ) -> None:
        if unquote(text_doc.uri) not in self.text_documents:
            logger.warning("a change to %s, which is not open, is passed over", text_doc.uri)
            return
        super().update_text_document(text_doc, change)

    def _create_text_document(
        self, doc_uri: str, source: str | None = None, version: int | None = None, language_id: str | None = None
    ) -> TextDocument:
        return LspDocument(
            doc_uri,
            source=source,
            version=version,
            language_id=language_id,
            sync_kind=self._sync_kind,
            position_codec=self.position_codec,
        )
