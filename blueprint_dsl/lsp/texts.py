"""The client's documents as pygls keeps them, with their lines ended where LSP ends them.

pygls cuts a document into lines with ``str.splitlines``, which also ends one at a form
feed, a vertical tab, U+0085, U+2028 or U+2029; LSP ends a line at LF, CRLF and CR only,
as the editor and the loader do. A change the client sends by range would then be
applied lines above where it was made, in a document holding such a character (a line
separator pasted into a label, say), and the server's copy would no longer be the
editor's text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pygls.workspace import TextDocument, Workspace

#: A line and its ending, or the last line, which has none.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


class LspDocument(TextDocument):
    """A document whose lines end at LF, CRLF and CR only."""

    @property
    def lines(self) -> Sequence[str]:
        return tuple(_LINE.findall(self.source))


class LspWorkspace(Workspace):
    """A workspace whose documents are ``LspDocument``\\ s."""

    @classmethod
    def like(cls, workspace: Workspace) -> LspWorkspace:
        """A workspace for the same root, folders, syncing and encoding as ``workspace``, with no documents yet."""
        folders = list(workspace.folders.values())
        return cls(workspace.root_uri, workspace._sync_kind, folders, workspace.position_encoding)

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
