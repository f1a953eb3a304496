"""The language server's edits for a client that takes them with the versions they were made from,
as VS Code does (``workspace.workspaceEdit.documentChanges``): it refuses an edit of a document
changed since, instead of making it in the wrong place."""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types

from tests.lsp_session import (
    CAPABILITIES,
    MAIN,
    SERVER,
    Client,
    at,
    change,
    doc,
    open_document,
    published,
    write_project,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")

VERSIONED_EDITS = types.ClientCapabilities(
    general=CAPABILITIES.general,
    workspace=types.WorkspaceClientCapabilities(
        workspace_edit=types.WorkspaceEditClientCapabilities(document_changes=True)
    ),
)


@pytest_lsp.fixture(config=SERVER, scope="module")
async def client(lsp_client: Client):
    await lsp_client.initialize_session(types.InitializeParams(capabilities=VERSIONED_EDITS))
    yield
    await lsp_client.shutdown_session()


def edited(edit: types.WorkspaceEdit) -> dict[tuple[str, int | None], list[tuple[int, int, str]]]:
    """Each document the edit changes, with the version it was made from, and its edits in order."""
    assert edit.changes is None
    return {
        (change.text_document.uri, change.text_document.version): sorted(
            (e.range.start.line, e.range.start.character, e.new_text) for e in change.edits
        )
        for change in edit.document_changes
    }


async def test_a_rename_edits_the_versions_it_was_made_from(client: Client, tmp_path: Path) -> None:
    uri, shared_uri = write_project(tmp_path)
    await open_document(client, uri, MAIN)
    since = len(client.publications)
    change(client, uri, 7, MAIN.replace('"Orders a coffee"', '"Orders a tea"'))
    await published(client, uri, since)

    edit = await client.text_document_rename_async(
        types.RenameParams(text_document=doc(uri), position=at(10, 8), new_name="server")
    )
    # The open blueprint at the version the client last sent; the included file, not open, on disk.
    assert edited(edit) == {
        (uri, 7): [(10, 6, "server"), (11, 37, "server")],
        (shared_uri, None): [(1, 8, "server")],
    }


async def test_a_quick_fix_edits_the_version_it_was_made_from(client: Client, tmp_path: Path) -> None:
    uri, _ = write_project(tmp_path)
    await open_document(client, uri, MAIN)
    since = len(client.publications)
    change(client, uri, 3, MAIN.replace("  scenario", "  scenaro"))
    wanted = [d for d in await published(client, uri, since) if d.code == "BP004"]
    fixes = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=doc(uri), range=wanted[0].range, context=types.CodeActionContext(diagnostics=wanted)
        )
    )
    assert [f.title for f in fixes] == ["Change 'scenaro' to 'scenario'"]
    assert edited(fixes[0].edit) == {(uri, 3): [(3, 2, "scenario")]}
