"""The language server with a document of 1,000 actions (about 3,000 lines), typed in quickly:
a burst of changes is analysed once, for its last text, not once for each keystroke, even
with the completion and highlight an editor asks for at each one; and its outline made in
one pass over its actions."""

from __future__ import annotations

import asyncio
import re
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


def sent(client: Client, method: str, params: object) -> asyncio.Future:
    """The answer to a request sent now: pytest-lsp's own requests are sent once the test awaits them."""
    return asyncio.wrap_future(client.protocol.send_request(method, params))


async def test_the_requests_at_each_keystroke_wait_for_no_check(client: Client, tmp_path: Path) -> None:
    # As VS Code asks, with suggestions as you type, the cursor's id highlighted and the quick
    # fixes at the cursor looked for: each is answered from the text as it stands and the last
    # check, and the one check is made once the typing pauses.
    (tmp_path / ".blueprint-root").write_text("", encoding="utf-8")
    text = with_actions(1000)
    uri = (tmp_path / "large.svc").as_uri()
    await open_document(client, uri, text)
    lines = text.split("\n")
    [line] = [number for number, source in enumerate(lines) if '"Customer does 0"' in source]
    character = lines[line].index(" 0")
    declared = lines[line].index("as c0") + 3  # the id, after the text the letters go into

    since = len(client.publications)
    completions, highlights, fixes = [], [], []
    for typed in range(KEYSTROKES):
        place = at(line, character + typed)
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2 + typed),
                content_changes=[
                    types.TextDocumentContentChangePartial(range=types.Range(start=place, end=place), text="x")
                ],
            )
        )
        # Each behind its keystroke, as the editor sends them: the server reads them in that order.
        cursor = types.Range(start=at(line, character + typed + 1), end=at(line, character + typed + 1))
        context = types.CodeActionContext(diagnostics=[])
        fixes.append(sent(client, types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionParams(doc(uri), cursor, context)))
        completion = types.CompletionParams(text_document=doc(uri), position=at(line + 1, 6))
        completions.append(sent(client, types.TEXT_DOCUMENT_COMPLETION, completion))
        highlight = types.DocumentHighlightParams(text_document=doc(uri), position=at(line, declared + typed + 2))
        highlights.append(sent(client, types.TEXT_DOCUMENT_DOCUMENT_HIGHLIGHT, highlight))
    options = types.FormattingOptions(tab_size=2, insert_spaces=True)
    formatting = sent(client, types.TEXT_DOCUMENT_FORMATTING, types.DocumentFormattingParams(doc(uri), options))
    await asyncio.gather(*completions, *highlights, *fixes, formatting)
    last = 1 + KEYSTROKES
    await publication(client, since, lambda params: params.uri == uri and params.version == last)
    versions = [params.version for params in client.publications[since:] if params.uri == uri]
    # One check, of the last text, once the typing paused; a machine stalled for the pause's length
    # between two keystrokes may check once more mid-burst, never once a keystroke (as it did).
    assert versions[-1] == last and len(versions) <= 3, versions

    assert [list(found.result()) for found in fixes] == [[]] * KEYSTROKES
    for found in completions:  # the next action's line, at its start: the step's actors
        assert {"c", "f", "b", "s", "evidence"} <= {item.label for item in found.result().items}
    for typed, found in enumerate(highlights):
        # The id where the text has it now, past the letters typed so far; its uses in two flows below.
        write = [h.range for h in found.result() if h.kind == types.DocumentHighlightKind.Write]
        assert [(r.start.line, r.start.character, r.end.character) for r in write] == [
            (line, declared + typed + 1, declared + typed + 3)
        ]
        assert len(found.result()) == 3, found.result()


async def test_a_highlight_before_the_check_finds_the_ids_where_the_edits_moved_them(
    client: Client, tmp_path: Path
) -> None:
    (tmp_path / ".blueprint-root").write_text("", encoding="utf-8")
    text = with_actions(1000)
    uri = (tmp_path / "large.svc").as_uri()
    await open_document(client, uri, text)
    lines = text.split("\n")
    [line] = [number for number, source in enumerate(lines) if '"Customer does 1"' in source]
    declared = lines[line].index("as c1") + 3
    flows = [(number, source) for number, source in enumerate(lines) if "->" in source]
    uses = [(number, found.start()) for number, source in flows for found in re.finditer(r"\bc1\b", source)]

    since = len(client.publications)

    def edit(version: int, start: types.Position, new_text: str) -> None:
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[
                    types.TextDocumentContentChangePartial(range=types.Range(start=start, end=start), text=new_text)
                ],
            )
        )

    def highlight(position: types.Position) -> asyncio.Future:
        return sent(client, types.TEXT_DOCUMENT_DOCUMENT_HIGHLIGHT, types.DocumentHighlightParams(doc(uri), position))

    edit(2, at(line, 0), '      c: "Waits"\n')  # a line above: the id and its uses one line down
    below = highlight(at(line + 1, declared + 1))
    edit(3, at(line, 6), "c")  # `cc:` on the new line, then the id lengthened: `as c1x`
    edit(4, at(line + 1, declared + 2), "x")
    lengthened = highlight(at(line + 1, declared + 1))
    used = highlight(at(uses[0][0] + 1, uses[0][1]))
    await asyncio.gather(below, lengthened, used)
    await publication(client, since, lambda params: params.uri == uri and params.version == 4)
    versions = [params.version for params in client.publications[since:] if params.uri == uri]
    assert versions[-1] == 4 and len(versions) <= 2, versions  # one more only where the machine stalled mid-burst

    def spans(found: list[types.DocumentHighlight]) -> list[tuple[int, int, int, types.DocumentHighlightKind]]:
        return [(h.range.start.line, h.range.start.character, h.range.end.character, h.kind) for h in found]

    write, read = types.DocumentHighlightKind.Write, types.DocumentHighlightKind.Read
    assert spans(below.result()) == [(line + 1, declared, declared + 2, write)] + [
        (number + 1, column, column + 2, read) for number, column in uses
    ]
    # An id being typed is not guessed at; where the edits did not reach, its old uses still are.
    assert spans(lengthened.result()) == []
    assert spans(used.result()) == [(number + 1, column, column + 2, read) for number, column in uses]


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
