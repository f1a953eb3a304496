"""A session of a real client with the language server over stdio (pytest-lsp), for the LSP test modules.

The ``client`` fixture (tests/conftest.py) starts one server for each module; each test
opens its own files in a fresh folder.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

SHARED = """\
# Staff shared by the blueprints.
role    barista frontstage "Barista"
system  till    support    "Till"
"""

MAIN = """\
include "shared.svc"

blueprint "Cafe" {
  scenario "Morning"
  actor guest customer "Guest"

  stage order "Order" {
    step ask "Ask" {
      evidence "Counter"
      guest:   "Orders a coffee" as place_order
      barista: "Takes the order" as take_order
               fail "Misheard" owner barista
    }
  }

  place_order -> take_order
}
"""


class Client(LanguageClient):
    """The test client, which keeps every publication of diagnostics besides the last for each file,
    and the capabilities the server registers."""

    def __init__(self) -> None:
        super().__init__(converter_factory=default_converter)
        self.publications: list[types.PublishDiagnosticsParams] = []
        self.registrations: list[types.Registration] = []
        features = {
            **DEFAULT_CLIENT_FEATURES,
            types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: _record,
            types.CLIENT_REGISTER_CAPABILITY: _register,
        }
        register_lsp_features(self, features)


def _record(client: Client, params: types.PublishDiagnosticsParams) -> None:
    client.diagnostics[params.uri] = params.diagnostics
    client.publications.append(params)


def _register(client: Client, params: types.RegistrationParams) -> None:
    client.registrations.extend(params.registrations)


SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "blueprint_dsl", "lsp"], client_factory=Client)
#: What the client can do, as an editor says it: positions in UTF-16 units, and files
#: watched for the server.
CAPABILITIES = types.ClientCapabilities(
    general=types.GeneralClientCapabilities(position_encodings=[types.PositionEncodingKind.Utf16]),
    workspace=types.WorkspaceClientCapabilities(
        did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(dynamic_registration=True)
    ),
)


def write_project(folder: Path, main: str = MAIN) -> tuple[str, str]:
    (folder / ".blueprint-root").write_text("", encoding="utf-8")
    (folder / "shared.svc").write_text(SHARED, encoding="utf-8")
    (folder / "main.svc").write_text(main, encoding="utf-8")
    return (folder / "main.svc").as_uri(), (folder / "shared.svc").as_uri()


async def publication(
    client: Client, since: int, accepts: Callable[[types.PublishDiagnosticsParams], bool]
) -> types.PublishDiagnosticsParams:
    """The first publication of diagnostics after the client's ``since``-th that ``accepts`` takes, awaited if need be.

    None is missed: those received are looked through, then the wait for the next starts,
    with nothing received in between.
    """
    while True:
        for params in client.publications[since:]:
            if accepts(params):
                return params
        since = len(client.publications)
        await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)


async def published(client: Client, uri: str, since: int) -> list[types.Diagnostic]:
    """The first diagnostics published for ``uri`` after the client's ``since``-th publication."""
    return (await publication(client, since, lambda params: params.uri == uri)).diagnostics


async def open_document(client: Client, uri: str, text: str) -> list[types.Diagnostic]:
    since = len(client.publications)
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="svc", version=1, text=text)
        )
    )
    return await published(client, uri, since)


def change(client: Client, uri: str, version: int, text: str) -> None:
    """The client's copy of ``uri`` made ``text``, its ``version``."""
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


@contextmanager
def workspace_folder(client: LanguageClient, folder: Path) -> Iterator[None]:
    """``folder`` a workspace folder of the client's for the time of the block."""
    added = types.WorkspaceFolder(uri=folder.as_uri(), name=folder.name)
    client.workspace_did_change_workspace_folders(
        types.DidChangeWorkspaceFoldersParams(event=types.WorkspaceFoldersChangeEvent(added=[added], removed=[]))
    )
    try:
        yield
    finally:
        client.workspace_did_change_workspace_folders(
            types.DidChangeWorkspaceFoldersParams(event=types.WorkspaceFoldersChangeEvent(added=[], removed=[added]))
        )


def at(line: int, character: int) -> types.Position:
    return types.Position(line=line, character=character)


def doc(uri: str) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=uri)
