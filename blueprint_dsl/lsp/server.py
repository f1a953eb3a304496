"""The features: each request handed, with the analysis it reads (``analyses``), to ``assist``, ``hover`` or
``navigation``; and the server run over stdio."""

from __future__ import annotations

import functools
import logging
import sys

from lsprotocol import types
from pygls.protocol import json_rpc
from pygls.uris import to_fs_path

from ..formatter import FormatError, format_text, line_ending
from ..reading import normalise_newlines
from . import assist, completions, navigation, renaming
from .analyses import BlueprintServer
from .hover import hover as hover_contents
from .positions import from_position, lines_of, position_offset, whole_range
from .protocol import RefusalsAreAnswers, Refused
from .stdio import BoundedInput

server = BlueprintServer()


@server.feature(types.INITIALIZED)
def initialized(ls: BlueprintServer, params: types.InitializedParams) -> None:
    ls.watch_files()


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def did_change_watched_files(ls: BlueprintServer, params: types.DidChangeWatchedFilesParams) -> None:
    ls.files_changed(change.uri for change in params.changes)


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: BlueprintServer, params: types.DidOpenTextDocumentParams) -> None:
    ls.refresh(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: BlueprintServer, params: types.DidChangeTextDocumentParams) -> None:
    if ls.is_open(params.text_document.uri):  # else the workspace logged the change, and kept nothing of it
        ls.changed(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: BlueprintServer, params: types.DidSaveTextDocumentParams) -> None:
    if ls.is_open(params.text_document.uri):
        # Included files the client has not opened may have changed on disk: re-read them.
        ls.refresh(params.text_document.uri)
    else:
        # Only the open blueprints that read it are checked again: diagnostics are for open documents.
        ls.refresh_includers(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: BlueprintServer, params: types.DidCloseTextDocumentParams) -> None:
    ls.analyses.pop(params.text_document.uri, None)
    ls.slow.discard(params.text_document.uri)
    ls.rechecks.forget(params.text_document.uri)
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[]))
    # The blueprints including it read it from disk again.
    ls.refresh_includers(params.text_document.uri)


@server.feature(types.SHUTDOWN)
def shutdown(ls: BlueprintServer, params: None) -> None:
    # A check coming round after this would publish to a client that is closing.
    ls.rechecks.cancel()


@server.feature(types.TEXT_DOCUMENT_HOVER)
def hover(ls: BlueprintServer, params: types.HoverParams) -> types.Hover | None:
    analysis = ls.analysis(params.text_document.uri)
    return hover_contents(analysis, position_offset(analysis.lines, params.position))


@server.feature(
    types.TEXT_DOCUMENT_COMPLETION,
    types.CompletionOptions(trigger_characters=[" ", ">"]),
)
def completion(ls: BlueprintServer, params: types.CompletionParams) -> types.CompletionList:
    # Asked at each keystroke: answered from the text now, with the ids of the last check.
    draft = ls.draft(params.text_document.uri)
    line, column = from_position(draft.lines, params.position)
    items = completions.completion(draft, line, column, snippets=ls.takes_snippets())
    return types.CompletionList(is_incomplete=False, items=items)


@server.feature(types.TEXT_DOCUMENT_DEFINITION)
def definition(ls: BlueprintServer, params: types.DefinitionParams) -> list[types.Location]:
    analysis = ls.analysis(params.text_document.uri)
    return navigation.definition(analysis, position_offset(analysis.lines, params.position))


@server.feature(types.TEXT_DOCUMENT_REFERENCES)
def references(ls: BlueprintServer, params: types.ReferenceParams) -> list[types.Location]:
    analysis = ls.analysis(params.text_document.uri)
    offset = position_offset(analysis.lines, params.position)
    includers = functools.partial(ls.includers, request="References", missed="is not listed")
    return navigation.references(analysis, offset, params.context.include_declaration, includers)


@server.feature(types.TEXT_DOCUMENT_DOCUMENT_HIGHLIGHT)
def document_highlight(ls: BlueprintServer, params: types.DocumentHighlightParams) -> list[types.DocumentHighlight]:
    # Asked at each move of the cursor, and so at each keystroke: the ids of the last check, where they stand now.
    draft = ls.draft(params.text_document.uri)
    return navigation.highlights(draft, position_offset(draft.lines, params.position))


@server.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
def prepare_rename(ls: BlueprintServer, params: types.PrepareRenameParams) -> types.Range | None:
    analysis = ls.analysis(params.text_document.uri)
    try:
        return renaming.prepare_rename(analysis, position_offset(analysis.lines, params.position))
    except renaming.RenameError as error:
        raise Refused(str(error)) from None


@server.feature(types.TEXT_DOCUMENT_RENAME)
def rename(ls: BlueprintServer, params: types.RenameParams) -> types.WorkspaceEdit | None:
    analysis = ls.analysis(params.text_document.uri)
    offset = position_offset(analysis.lines, params.position)
    try:
        edit = renaming.rename(analysis, offset, params.new_name, ls.includers)
    except renaming.RenameError as error:
        raise Refused(str(error)) from None
    return None if edit is None else ls.versioned(edit)


@server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
def document_symbol(ls: BlueprintServer, params: types.DocumentSymbolParams) -> list[types.DocumentSymbol]:
    return assist.symbols(ls.analysis(params.text_document.uri))


@server.feature(types.TEXT_DOCUMENT_FORMATTING)
def formatting(ls: BlueprintServer, params: types.DocumentFormattingParams) -> list[types.TextEdit]:
    # The text alone is formatted: no check is waited for.
    written, _ = ls.source(params.text_document.uri)
    text = normalise_newlines(written)
    try:
        # In the document's own line endings, and with its byte-order mark, as `blueprint fmt -`
        # keeps them: a client applies the text as it is sent.
        path = to_fs_path(params.text_document.uri) or params.text_document.uri
        formatted = format_text(text, path).replace("\n", line_ending(written))
    except FormatError:
        return []
    if written.startswith("\ufeff"):
        formatted = "\ufeff" + formatted
    if formatted == written:
        return []
    return [types.TextEdit(range=whole_range(lines_of(text)), new_text=formatted)]


@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
)
def code_action(ls: BlueprintServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    if not params.context.diagnostics:
        # Asked at each move of the cursor: a quick fix is for a diagnostic, and none is asked for.
        return []
    analysis = ls.analysis(params.text_document.uri)
    # A line added in the document's own line endings, as formatting answers.
    written = ls.workspace.get_text_document(params.text_document.uri).source
    actions = assist.code_actions(analysis, list(params.context.diagnostics), line_ending(written))
    for action in actions:  # made for this answer alone
        if action.edit is not None:
            action.edit = ls.versioned(action.edit)
    return actions


def main() -> str | None:
    """Serve over standard input and output until the client says exit; the reason, if the server stopped early."""
    logging.getLogger(json_rpc.__name__).addFilter(RefusalsAreAnswers())
    stdin = BoundedInput(sys.stdin.buffer)
    server.start_io(stdin=stdin)
    if stdin.refused is not None:
        server.window_show_message(types.ShowMessageParams(type=types.MessageType.Error, message=stdin.refused))
    return stdin.refused
