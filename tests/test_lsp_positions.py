"""The language server with a client that offers UTF-8 positions first, as Neovim 0.10+ and Helix do:
positions are in UTF-16 units all the same, said so at ``initialize``, on lines of text past ASCII."""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types

from tests.lsp_session import SERVER, Client, at, doc, open_document, published

pytestmark = pytest.mark.asyncio(loop_scope="module")

UTF8_FIRST = types.ClientCapabilities(
    general=types.GeneralClientCapabilities(
        position_encodings=[
            types.PositionEncodingKind.Utf8,
            types.PositionEncodingKind.Utf16,
            types.PositionEncodingKind.Utf32,
        ]
    )
)

#: The encoding the server said it speaks, by the client it said it to.
ENCODINGS: dict[int, str | None] = {}


@pytest_lsp.fixture(config=SERVER, scope="module")
async def client(lsp_client: Client):
    result = await lsp_client.initialize_session(types.InitializeParams(capabilities=UTF8_FIRST))
    ENCODINGS[id(lsp_client)] = result.capabilities.position_encoding
    yield
    await lsp_client.shutdown_session()


TEA = """\
blueprint "Tea" {
  scenario "Afternoon"
  persona  "Regular"
  actor guest customer "Guest"
  role  host  frontstage "Host"

  stage order "Order" {
    step ask "Ask" {
      evidence "Menu"
      guest: "日本語のテキスト 🍵" as order_tea
      host:  "Takes it" as take
    }
  }

  order_tea -> take
}
"""
#: Where `order_tea` starts on its action's line, in UTF-16 units: eight CJK characters of
#: one unit each, and a cup of two (in UTF-8 bytes it would be 48, in code points 29).
ORDER_TEA = 30


def utf16_applied(text: str, edits: list[types.TextEdit]) -> str:
    """The text after the edits, their positions read as UTF-16 units."""
    lines = text.split("\n")

    def offset(position: types.Position) -> int:
        line = lines[position.line].encode("utf-16-le")[: 2 * position.character].decode("utf-16-le")
        return sum(len(before) + 1 for before in lines[: position.line]) + len(line)

    for edit in sorted(edits, key=lambda e: offset(e.range.start), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text


async def test_positions_are_utf16_units_whatever_the_client_offers_first(client: Client, tmp_path: Path) -> None:
    assert ENCODINGS[id(client)] == types.PositionEncodingKind.Utf16
    (tmp_path / ".blueprint-root").write_text("", encoding="utf-8")
    uri = (tmp_path / "tea.svc").as_uri()
    assert [d.code for d in await open_document(client, uri, TEA)] == []

    [target] = await client.text_document_definition_async(
        types.DefinitionParams(text_document=doc(uri), position=at(14, 4))
    )
    assert target.range == types.Range(start=at(9, ORDER_TEA), end=at(9, ORDER_TEA + len("order_tea")))
    edit = await client.text_document_rename_async(
        types.RenameParams(text_document=doc(uri), position=at(14, 4), new_name="ask_for_tea")
    )
    assert utf16_applied(TEA, edit.changes[uri]) == TEA.replace("order_tea", "ask_for_tea")

    # A change the client sends in UTF-16 units lands where it meant, after the cup.
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[
                types.TextDocumentContentChangePartial(range=types.Range(start=at(9, 25), end=at(9, 25)), text=" now")
            ],
        )
    )
    hover = await client.text_document_hover_async(types.HoverParams(text_document=doc(uri), position=at(14, 4)))
    assert "**action** `order_tea`: 日本語のテキスト 🍵 now" in hover.contents.value


async def test_a_change_lands_on_its_line_past_line_breaks_lsp_does_not_count(client: Client, tmp_path: Path) -> None:
    # A line separator pasted into a label, and a form feed in a comment, end no line in LSP:
    # the change on line 14 must be made there, not two lines above.
    (tmp_path / ".blueprint-root").write_text("", encoding="utf-8")
    uri = (tmp_path / "tea.svc").as_uri()
    text = TEA.replace("Afternoon", "After\u2028noon").replace("  persona", "  # \x0c\n  persona").replace("\n\n", "\n")
    assert text.split("\n")[13] == "  order_tea -> take"
    assert not await open_document(client, uri, text)
    since = len(client.publications)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[
                types.TextDocumentContentChangePartial(range=types.Range(start=at(13, 15), end=at(13, 19)), text="tak")
            ],
        )
    )
    [unknown] = await published(client, uri, since)
    assert (unknown.code, unknown.range) == ("BP102", types.Range(start=at(13, 15), end=at(13, 18)))


async def test_a_change_to_past_the_end_of_the_last_line_reaches_its_end(client: Client, tmp_path: Path) -> None:
    # LSP reads a position past the end of a line as its end: the last line, without a
    # newline after it, too. The change replaces all of it, and leaves no '}' behind.
    (tmp_path / ".blueprint-root").write_text("", encoding="utf-8")
    uri = (tmp_path / "tea.svc").as_uri()
    text = TEA.rstrip("\n")
    assert not await open_document(client, uri, text)
    since = len(client.publications)
    last = text.count("\n")
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[
                types.TextDocumentContentChangePartial(range=types.Range(start=at(last, 0), end=at(last, 99)), text="}")
            ],
        )
    )
    assert not await published(client, uri, since)


async def test_a_byte_order_mark_is_a_character_of_the_first_line_and_nothing_else(
    client: Client, tmp_path: Path
) -> None:
    # An editor that holds the mark in the buffer's text counts it: what stands on line 1 is
    # one unit further on than without it, and the text reads as it does without it.
    (tmp_path / ".blueprint-root").write_text("", encoding="utf-8")
    text = "\ufeff" + TEA.replace('blueprint "Tea" {', 'blueprint "Tea" { actor guest customer "Guest"').replace(
        '  actor guest customer "Guest"\n', ""
    )
    uri = (tmp_path / "tea.svc").as_uri()
    assert [d.code for d in await open_document(client, uri, text)] == []
    guest = text.index("guest")  # 24: the mark is a unit of its own
    declared = types.Range(start=at(0, guest), end=at(0, guest + len("guest")))

    hover = await client.text_document_hover_async(types.HoverParams(text_document=doc(uri), position=at(0, guest)))
    assert "**actor** `guest`: Guest" in hover.contents.value
    [target] = await client.text_document_definition_async(
        types.DefinitionParams(text_document=doc(uri), position=at(8, 6))
    )
    assert target.range == declared
    marked = await client.text_document_document_highlight_async(
        types.DocumentHighlightParams(text_document=doc(uri), position=at(0, guest))
    )
    assert [h.range for h in marked] == [declared, types.Range(start=at(8, 6), end=at(8, 11))]
    symbols = await client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=doc(uri)))
    assert [s.selection_range for s in symbols if s.name == "guest"] == [declared]
    edit = await client.text_document_rename_async(
        types.RenameParams(text_document=doc(uri), position=at(0, guest), new_name="visitor")
    )
    assert utf16_applied(text, edit.changes[uri]) == text.replace("guest", "visitor")

    # A finding on line 1 is where the mark puts it, and so is its quick fix.
    misspelt = text.replace('actor guest customer "Guest"', 'scenaro "Morning"').replace("guest", "host")
    since = len(client.publications)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=misspelt)],
        )
    )
    [keyword] = [d for d in await published(client, uri, since) if d.code == "BP004"]
    column = misspelt.index("scenaro")
    assert keyword.range == types.Range(start=at(0, column), end=at(0, column + len("scenaro")))
    [fix, *_] = await client.text_document_code_action_async(
        types.CodeActionParams(doc(uri), keyword.range, types.CodeActionContext([keyword]))
    )
    assert utf16_applied(misspelt, fix.edit.changes[uri]) == misspelt.replace("scenaro", "scenario")


async def test_an_included_file_open_with_a_byte_order_mark_is_pointed_into_as_the_editor_counts_it(
    client: Client, tmp_path: Path
) -> None:
    (tmp_path / ".blueprint-root").write_text("", encoding="utf-8")
    staff = '\ufeffrole host frontstage "Host"\n'
    (tmp_path / "staff.svc").write_text(staff, encoding="utf-8")
    text = 'include "staff.svc"\n' + TEA.replace('  role  host  frontstage "Host"\n', "")
    uri, staff_uri = (tmp_path / "tea.svc").as_uri(), (tmp_path / "staff.svc").as_uri()
    await open_document(client, staff_uri, staff)
    assert [d.code for d in await open_document(client, uri, text)] == []
    [target] = await client.text_document_definition_async(
        types.DefinitionParams(text_document=doc(uri), position=at(10, 6))
    )
    assert (target.uri, target.range) == (staff_uri, types.Range(start=at(0, 6), end=at(0, 10)))
