"""The server: the open documents' analyses, kept as the client changes them and the files they include, and their
diagnostics published; a request about a document reads its analysis here (``server`` hands the requests on)."""

from __future__ import annotations

import os
import posixpath
import time
from collections.abc import Iterable
from pathlib import Path

from lsprotocol import types
from pygls.exceptions import FeatureNotificationError
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from .. import __version__
from ..loader import ROOT_MARKERS
from ..reading import normalise_newlines, read_source
from . import assist, workspace
from .document import Analysis, analyse, as_read
from .drafts import Draft
from .protocol import BlueprintProtocol, Refused
from .rechecks import SLOW, Rechecks

#: The files whose change on disk the client is asked to report: blueprints and files of
#: shared actors, and the files that mark the project's root (and hold its configuration).
WATCHED = ("**/*.svc", *(f"**/{marker}" for marker in ROOT_MARKERS))


class BlueprintServer(LanguageServer):
    """Keeps an analysis, and publishes diagnostics, for each document the client has open, and for no other file.

    A file the client has not opened (one it asks about after going to a definition, say)
    is analysed afresh for each request and its diagnostics are not published: the editor
    would list them among the problems of the workspace with nothing to clear them once
    the file changes, and the next request would read an analysis made from includes that
    may have changed on disk since.
    """

    def __init__(self) -> None:
        super().__init__("blueprint-lsp", __version__, protocol_cls=BlueprintProtocol)
        #: The open documents' analyses, by the URI the client gave; the diagnostics published are theirs.
        self.analyses: dict[str, Analysis] = {}
        #: The open documents to analyse again once the files they include, or they themselves, stop changing.
        self.rechecks = Rechecks(self._analyse, lambda error: self.report_server_error(error, FeatureNotificationError))
        #: The open documents whose last analysis took ``SLOW`` seconds or more.
        self.slow: set[str] = set()

    def source(self, uri: str) -> tuple[str, int | None]:
        """The text of a document and its version: the client's copy when it has the document open, else the file.

        A file the client has not opened (an included one, say) is read as ``check`` reads it,
        not by pygls, which would open a FIFO and wait for a writer: a FIFO, a device or a file
        over 32 MiB is refused with the reason.
        """
        document = self.workspace.get_text_document(uri)
        if document.version is not None:  # only a document the client opened has a version
            return document.source, document.version
        path = to_fs_path(uri) or uri
        text, problem = read_source(Path(path), path, None)
        if text is None:
            raise Refused(f"{problem.code} {problem.name}: {problem.message}")
        return text, None

    def includers(
        self, actor: str, declared: frozenset[str], request: str = "Rename", missed: str = "keeps the old name"
    ) -> list[Analysis]:
        """The blueprints, open or under the workspace folders, that take ``actor`` from a file in ``declared``.

        Analysed without publishing: a file the client has not opened gets no diagnostics.
        Should the search stop at its bounds, the client is told that a blueprint past
        them ``missed`` what the ``request`` does.
        """
        # By the URI the client gave: the workspace's keys are unquoted.
        texts = {document.uri: document.source for document in self.workspace.text_documents.values()}
        folders = [f.uri for f in self.workspace.folders.values()] + [self.workspace.root_uri or ""]
        roots = [to_fs_path(uri) for uri in folders if uri.startswith("file:")]
        found = workspace.including(texts, [root for root in roots if root], actor, declared)
        if not found.complete:
            self.window_show_message(
                types.ShowMessageParams(
                    type=types.MessageType.Warning,
                    message=f"{request} of '{actor}': the blueprints including its file were looked for in only"
                    f" {workspace.MAX_SCANNED_FILES} .svc files and {workspace.MAX_SCANNED_FOLDERS} folders of the"
                    f" workspace; one past them {missed}",
                )
            )
        return [analyse(f.uri, f.path, f.text, None, f.loaded) for f in found.files]

    def overlay(self) -> dict[str, str]:
        """The texts of the documents the client has open, by real path: an include is read from here first."""
        texts: dict[str, str] = {}
        for document in self.workspace.text_documents.values():
            path = to_fs_path(document.uri) if document.uri.startswith("file:") else None
            if path is not None:
                texts.setdefault(os.path.realpath(path), as_read(document.source))
        return texts

    def refresh(self, uri: str) -> Analysis:
        """``uri`` analysed again and its diagnostics published at once; the open documents including it soon after."""
        analysis = self._analyse(uri)
        self.refresh_includers(uri)
        return analysis

    def changed(self, uri: str) -> None:
        """The client changed ``uri``: analysed at once, or, when that is slow, once the changes pause
        (or a request about it comes first); the open documents including it, soon after."""
        if uri in self.slow:
            self.rechecks.later([uri])
            self.refresh_includers(uri)
        else:
            self.refresh(uri)

    def refresh_includers(self, uri: str) -> None:
        """Analyse again, once the changes pause, the open documents that read ``uri`` or looked for it in vain;
        for a folder (made, deleted or moved whole), those that read or looked for a file in it.

        What they take from it (directly or through other includes) is the client's text of
        it while it is open, the disk's once it is closed: either may have changed.
        """
        path = to_fs_path(uri) if uri.startswith("file:") else None
        if path is None or "\0" in path:  # a NUL names no file
            return
        real = os.path.realpath(path)
        inside = real.rstrip(os.sep) + os.sep
        self.rechecks.later(
            other
            for other, analysis in self.analyses.items()
            if other != uri
            and any(read == real or read.startswith(inside) for read in _read_or_sought(analysis))
        )

    def watch_files(self) -> None:
        """Ask the client to report changes to the ``WATCHED`` files, where it can watch them for the server."""
        workspace = self.client_capabilities.workspace
        watching = workspace.did_change_watched_files if workspace else None
        if not (watching and watching.dynamic_registration):
            return
        watchers = [types.FileSystemWatcher(glob_pattern=pattern) for pattern in WATCHED]
        # A folder made or deleted whole is reported as itself, not as the files in it.
        made_or_deleted = types.WatchKind.Create | types.WatchKind.Delete
        watchers.append(types.FileSystemWatcher(glob_pattern="**/*", kind=made_or_deleted))
        registration = types.Registration(
            id="blueprint-watched-files",
            method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
        )
        self.client_register_capability(types.RegistrationParams(registrations=[registration]))

    def files_changed(self, uris: Iterable[str]) -> None:
        """Files changed on disk, not in the client: the open documents that read them are checked again soon.

        A root marker (``pyproject.toml`` holds the rules' configuration) may change what
        any of them reads, so all are. A document the client has open is read from the
        client's copy, whatever its file says.
        """
        for uri in uris:
            if self.workspace.get_text_document(uri).version is not None:
                continue
            if posixpath.basename(uri) in ROOT_MARKERS:
                self.rechecks.later(self.analyses)
            else:
                self.refresh_includers(uri)

    def takes_snippets(self) -> bool:
        """Whether the client said its completion takes snippets (``${1:Stage}``)."""
        document = self.client_capabilities.text_document
        completion = document.completion if document else None
        item = completion.completion_item if completion else None
        return bool(item and item.snippet_support)

    def versioned(self, edit: types.WorkspaceEdit) -> types.WorkspaceEdit:
        """``edit`` as edits of the versions of the documents it was made from, for a client that
        takes them so: it then refuses the edit of a document changed since, instead of making it
        in the wrong place. A file the client has not opened is edited on disk (no version)."""
        capabilities = self.client_capabilities.workspace
        edits = capabilities and capabilities.workspace_edit
        if not (edits and edits.document_changes and edit.changes):
            return edit
        return types.WorkspaceEdit(
            document_changes=[
                types.TextDocumentEdit(
                    text_document=types.OptionalVersionedTextDocumentIdentifier(
                        uri=uri, version=self.workspace.get_text_document(uri).version
                    ),
                    edits=list(text_edits),
                )
                for uri, text_edits in edit.changes.items()
            ]
        )

    def is_open(self, uri: str) -> bool:
        """Whether the client has ``uri`` open: only a document it opened has a version."""
        return self.workspace.get_text_document(uri).version is not None

    def analysis(self, uri: str) -> Analysis:
        """What a request about ``uri`` reads: the open document's analysis, or a fresh one of a file not open."""
        text, version = self.source(uri)
        if version is None:
            return analyse(uri, to_fs_path(uri) or uri, text, None, overlay=self.overlay())
        self.rechecks.now(uri)
        current = self.analyses.get(uri)
        if current is None or current.text != normalise_newlines(text):
            current = self._analyse(uri)
        return current

    def draft(self, uri: str) -> Draft:
        """What a request answered at once reads (``drafts``): the client's text now, and the last analysis of
        the document, of that text or an older one; no check is waited for. A file not open is analysed afresh."""
        text, version = self.source(uri)
        if version is None:  # analysed from the text just read, not read again
            last = analyse(uri, to_fs_path(uri) or uri, text, None, overlay=self.overlay())
        else:
            last = self.analyses.get(uri) or self.analysis(uri)
        return Draft.of(last, normalise_newlines(text))

    def _analyse(self, uri: str) -> Analysis:
        """The open document ``uri`` analysed as the client has it, the analysis kept and its diagnostics published."""
        document = self.workspace.get_text_document(uri)
        previous = self.analyses.get(uri)
        started = time.perf_counter()
        analysis = analyse(uri, to_fs_path(uri) or uri, document.source, previous, overlay=self.overlay())
        if time.perf_counter() - started >= SLOW:
            self.slow.add(uri)
        else:
            self.slow.discard(uri)
        self.analyses[uri] = analysis
        self.rechecks.forget(uri)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=uri, version=document.version, diagnostics=assist.lsp_diagnostics(analysis)
            )
        )
        return analysis


def _read_or_sought(analysis: Analysis) -> tuple[str, ...]:
    """The real paths of the files an analysis read, and of those it looked for in vain."""
    return (*analysis.result.files, *analysis.result.unread)


