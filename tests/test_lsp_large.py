"""The language server with a document of 1,000 actions (about 3,000 lines), typed in quickly:
a burst of changes is analysed once, for its last text, not once for each keystroke; and
its outline made in one pass over its actions."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

from bench.generate import with_actions
from blueprint_dsl.lsp.assist import symbols
from blueprint_dsl.lsp.document import analyse
from blueprint_dsl.model import Blueprint
from tests.lsp_session import Client, at, doc, open_document, publication

pytestmark = pytest.mark.asyncio(loop_scope="module")

#: Keystrokes in a burst: each analysis of the document takes about half a second.
KEYSTROKES = 10


def type_into(client: Client, uri: str, first_version: int, line: int, character: int) -> int:
    """``KEYSTROKES`` letters typed, one change each, from ``character`` on ``line``; the last version sent."""
    version = first_version
    for typed in range(KEYSTROKES):
        version += 1
        place = at(line, character + typed)
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[
                    types.TextDocumentContentChangePartial(range=types.Range(start=place, end=place), text="x")
                ],
            )
        )
    return version


async def test_a_burst_of_changes_is_analysed_once_for_its_last_text(client: Client, tmp_path: Path) -> None:
    (tmp_path / ".blueprint-root").write_text("", encoding="utf-8")
    text = with_actions(1000)
    uri = (tmp_path / "large.svc").as_uri()
    await open_document(client, uri, text)
    # `c: "Customer does 0"`: the letters go into the action's text, after "does".
    [line] = [number for number, source in enumerate(text.split("\n")) if '"Customer does 0"' in source]
    character = text.split("\n")[line].index(" 0")

    since = len(client.publications)
    last = type_into(client, uri, 1, line, character)
    hover = await client.text_document_hover_async(types.HoverParams(text_document=doc(uri), position=at(line, 7)))
    versions = [params.version for params in client.publications[since:] if params.uri == uri]
    # The hover reads the last text; the changes before it were not each analysed while it waited.
    assert f'Customer does{"x" * KEYSTROKES} 0' in hover.contents.value
    assert versions[-1:] == [last] and len(versions) < KEYSTROKES, versions

    # With no request to wait on them, the diagnostics of the last text come once the typing pauses.
    since = len(client.publications)
    last = type_into(client, uri, last, line, character)
    await publication(client, since, lambda params: params.uri == uri and params.version == last)
    versions = [params.version for params in client.publications[since:] if params.uri == uri]
    assert versions[-1:] == [last] and len(versions) < KEYSTROKES, versions


async def test_the_outline_reads_the_actions_of_the_blueprint_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Counted, not timed: the outline once read every action for each action (4,000 actions took 7 s).
    (tmp_path / ".blueprint-root").write_text("", encoding="utf-8")
    path = tmp_path / "large.svc"
    text = with_actions(300)
    analysis = analyse(path.as_uri(), str(path), text, None)
    read = []
    actions = Blueprint.actions

    def counted(blueprint: Blueprint):
        read.append(blueprint)
        return actions(blueprint)

    monkeypatch.setattr(Blueprint, "actions", counted)
    outline = symbols(analysis)
    steps = [step for stage in outline for step in stage.children or ()]
    named = [action.name for step in steps for action in step.children or ()]
    assert named[:3] == ["c0", "f0", "w0"] and len(named) == 300
    assert len(read) <= 1, len(read)
