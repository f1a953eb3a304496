"""The language server, driven by a real client over stdio (tests/lsp_session.py): diagnostics,
quick fixes, completion, navigation, renames, formatting, and what ends a session.

The blueprints that include other files, and the files changed on disk, are in test_lsp_includes.py.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import sys
from pathlib import Path

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pytest_lsp import LanguageClient

from blueprint_dsl import loads
from blueprint_dsl.check import check
from blueprint_dsl.diagnostics import Severity
from blueprint_dsl.lsp.workspace import MAX_SCANNED_FILES, MAX_SCANNED_FOLDERS
from tests.lsp_session import (
    MAIN,
    SERVER,
    SHARED,
    at,
    change,
    doc,
    open_document,
    published,
    workspace_folder,
    write_project,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def test_diagnostics_at_the_right_ranges(client: LanguageClient, tmp_path: Path) -> None:
    text = MAIN.replace('barista: "Takes', 'barsita: "Takes')
    text = text.replace("place_order -> take_order", "place_order -> take_ordr")
    # A non-BMP character before the error: columns are counted in UTF-16 units.
    text = text.replace('"Orders a coffee"', '"Orders a ☕ 🍩" takes 5fortnights')
    uri, _ = write_project(tmp_path, text)
    diagnostics = await open_document(client, uri, text)
    by_code = {d.code: d for d in diagnostics}
    assert by_code["BP101"].range == types.Range(start=at(10, 6), end=at(10, 13))
    assert by_code["BP102"].range == types.Range(start=at(15, 17), end=at(15, 26))
    assert by_code["BP201"].range == types.Range(start=at(9, 37), end=at(9, 48))
    assert by_code["BP101"].severity == types.DiagnosticSeverity.Error
    assert "did you mean 'barista'?" in by_code["BP101"].message

    since = len(client.publications)
    change(client, uri, 2, text.replace("  scenario", "  scenaro"))
    syntax = [d for d in await published(client, uri, since) if d.code == "BP004"]
    assert [d.range for d in syntax] == [types.Range(start=at(3, 2), end=at(3, 9))]

    # Quick fixes: the keyword, then the misspelt actor once the syntax is right again.
    fixes = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=doc(uri), range=syntax[0].range, context=types.CodeActionContext(diagnostics=syntax)
        )
    )
    assert [f.title for f in fixes] == ["Change 'scenaro' to 'scenario'"]
    assert fixes[0].edit.changes[uri][0].new_text == "scenario"


async def test_quick_fixes(client: LanguageClient, tmp_path: Path) -> None:
    async def fixes_for(name: str, text: str, code: str) -> dict[str, list[types.TextEdit]]:
        folder = tmp_path / name
        folder.mkdir()
        uri, _ = write_project(folder, text)
        wanted = [d for d in await open_document(client, uri, text) if d.code == code]
        assert wanted, f"no {code}"
        fixes = await client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=doc(uri), range=wanted[0].range, context=types.CodeActionContext(diagnostics=wanted)
            )
        )
        opened.append(uri)
        return {f.title: f.edit.changes[uri] for f in fixes}

    opened: list[str] = []
    no_evidence = await fixes_for("evidence", MAIN.replace('      evidence "Counter"\n', ""), "BP401")
    # Hovering a finding shows its rule's documentation.
    hover = await client.text_document_hover_async(types.HoverParams(text_document=doc(opened[0]), position=at(8, 20)))
    assert "**BP401 customer-action-without-evidence** (warning)" in hover.contents.value
    assert "## Why it matters" in hover.contents.value
    edit = no_evidence['Add evidence "TODO" to the step ask'][0]
    assert edit.range.start == at(7, 20) and edit.new_text == '\n      evidence "TODO"'
    # A comment after the step's brace stays on the step's line.
    commented = MAIN.replace('      evidence "Counter"\n', "").replace('"Ask" {', '"Ask" {  # at the till')
    [edit] = (await fixes_for("commented", commented, "BP401"))['Add evidence "TODO" to the step ask']
    assert '    step ask "Ask" {  # at the till\n      evidence "TODO"\n      guest:' in applied(commented, [edit])

    misspelt = await fixes_for("actor", MAIN.replace('barista: "Takes', 'barsita: "Takes'), "BP101")
    assert [(e.range, e.new_text) for e in misspelt["Change 'barsita' to 'barista'"]] == [
        (types.Range(start=at(10, 6), end=at(10, 13)), "barista")
    ]
    owner = await fixes_for("owner", MAIN.replace("owner barista", "owner barist"), "BP101")
    assert [(e.range, e.new_text) for e in owner["Change 'barist' to 'barista'"]] == [
        (types.Range(start=at(11, 37), end=at(11, 43)), "barista")
    ]
    lane = await fixes_for("lane", MAIN.replace("actor guest customer", "actor guest custmer"), "BP107")
    assert [(e.range, e.new_text) for e in lane["Change 'custmer' to 'customer'"]] == [
        (types.Range(start=at(4, 14), end=at(4, 21)), "customer")
    ]
    emotion = await fixes_for("emotion", MAIN.replace("as place_order", "as place_order emotion pleasd"), "BP108")
    assert [e.new_text for e in emotion["Change 'pleasd' to 'pleased'"]] == ["pleased"]
    with_theme = MAIN.replace('  scenario "Morning"', '  scenario "Morning"\n  theme drak')
    theme = await fixes_for("theme", with_theme, "BP111")
    assert [e.new_text for e in theme["Change 'drak' to 'dark'"]] == ["dark"]
    # Two flows chained through one misspelt end: one finding, one fix.
    chained = MAIN.replace("place_order -> take_order", "place_order -> take_ordr -> place_order")
    folder = tmp_path / "chained"
    folder.mkdir()
    uri, _ = write_project(folder, chained)
    assert [d.code for d in await open_document(client, uri, chained) if d.code == "BP102"] == ["BP102"]
    # A long name is quoted cut short in the message and the title, and put in whole.
    name = "guest_" + "g" * 70
    text = MAIN.replace("actor guest ", f"actor {name} ").replace("guest:   ", f"{name[:-1]}: ")
    [(title, edits)] = (await fixes_for("long", text, "BP101")).items()
    assert title == f"Change '{name[:39]}…{name[-21:-1]}' to '{name[:39]}…{name[-20:]}'"
    assert [(e.range, e.new_text) for e in edits] == [(types.Range(start=at(9, 6), end=at(9, 6 + len(name) - 1)), name)]


async def test_completion(client: LanguageClient, tmp_path: Path) -> None:
    uri, _ = write_project(tmp_path)
    await open_document(client, uri, MAIN)
    # An unfinished flow: the text does not parse, completion still knows the ids.
    since = len(client.publications)
    text = MAIN.replace("  place_order -> take_order\n", "  place_order -> ta\n  take_order <-> \n")
    change(client, uri, 2, text.replace("as take_order\n", "as take_order \n"))
    await published(client, uri, since)

    async def labels(line: int, character: int) -> list[str]:
        result = await client.text_document_completion_async(
            types.CompletionParams(text_document=doc(uri), position=at(line, character))
        )
        return [item.label for item in result.items]

    assert await labels(15, 20) == ["place_order", "take_order"]
    assert await labels(16, 17) == ["place_order", "take_order"]
    # At the start of an action line: the actors, the included ones too.
    step_start = await labels(9, 6)
    assert {"guest", "barista", "till", "evidence"} <= set(step_start)
    assert await labels(11, 37) == ["barista", "guest", "till"]  # after `owner `
    # This client takes no snippets, so none is offered (tests/test_lsp_snippets.py has a client that does).
    for line, character in ((4, 0), (7, 4), (10, 47)):
        result = await client.text_document_completion_async(
            types.CompletionParams(text_document=doc(uri), position=at(line, character)))
        assert result.items and all(item.insert_text_format != types.InsertTextFormat.Snippet for item in result.items)


async def test_a_document_that_is_no_file_is_pointed_into_by_the_uri_the_client_gave(
    client: LanguageClient, tmp_path: Path
) -> None:
    # A buffer never saved (VS Code's untitled:Untitled-1): its locations name it as the client does.
    uri = "untitled:Untitled-1"
    text = MAIN.replace('include "shared.svc"\n', 'role barista frontstage "Barista"\n')
    await open_document(client, uri, text)
    definition = await client.text_document_definition_async(types.DefinitionParams(doc(uri), at(10, 8)))
    references = await client.text_document_references_async(
        types.ReferenceParams(types.ReferenceContext(include_declaration=True), doc(uri), at(10, 8))
    )
    assert [(d.uri, d.range.start.line) for d in definition] == [(uri, 0)]
    assert sorted((r.uri, r.range.start.line) for r in references) == [(uri, 0), (uri, 10), (uri, 11)]
    client.text_document_did_close(types.DidCloseTextDocumentParams(doc(uri)))


BLOCKS_NAMED_AS_KEYWORDS = """\
blueprint "Cafe" {
  actor guest customer "Guest"

  stage step "Step" {

    step stage "Stage" {

    }
  }
  stage blueprint "Blueprint" {

  }
}
"""


async def test_completion_knows_a_block_whose_id_is_a_block_keyword(client: LanguageClient, tmp_path: Path) -> None:
    """A stage or step may have the id step, stage or blueprint: the keyword that opens the block is its first word."""
    uri, _ = write_project(tmp_path, BLOCKS_NAMED_AS_KEYWORDS)
    await open_document(client, uri, BLOCKS_NAMED_AS_KEYWORDS)

    async def labels(line: int, character: int) -> list[str]:
        result = await client.text_document_completion_async(
            types.CompletionParams(text_document=doc(uri), position=at(line, character))
        )
        return [item.label for item in result.items]

    assert await labels(4, 4) == ["step"]  # in the stage `step`
    assert await labels(6, 6) == ["guest", "evidence", "metric", "policy", "time"]  # in the step `stage`
    assert await labels(10, 4) == ["step"]  # in the stage `blueprint`
    assert "persona" in await labels(2, 2)


BRACES_ON_LINES_OF_THEIR_OWN = """\
blueprint "Cafe"
{
  actor guest customer "Guest"
  stage order "Order"
  {
    step ask "Ask"
    {

    }
  }
  stage pay
    "Pay" {

  }
}
"""


async def test_completion_knows_a_block_whose_brace_is_on_a_line_of_its_own(
    client: LanguageClient, tmp_path: Path
) -> None:
    """The grammar reads a line break as a space: a block opens at its brace, wherever the keyword stands."""
    uri, _ = write_project(tmp_path, BRACES_ON_LINES_OF_THEIR_OWN)
    await open_document(client, uri, BRACES_ON_LINES_OF_THEIR_OWN)

    async def labels(line: int, character: int) -> list[str]:
        result = await client.text_document_completion_async(
            types.CompletionParams(text_document=doc(uri), position=at(line, character))
        )
        return [item.label for item in result.items]

    assert await labels(7, 6) == ["guest", "evidence", "metric", "policy", "time"]  # in the step `ask`
    assert await labels(12, 4) == ["step"]  # in the stage `pay`
    assert "persona" in await labels(2, 2)


WORDS = '''\
include "shared.svc"

blueprint "Cafe" {
  scenario "Morning"
  description """Eight sharp,
    busy in the morning"""
  actor guest customer "Guest"

  stage order "Order" {
    step ask "Ask" {
      evidence "Counter"
      # we go in the queue
      guest:   "Orders a coffee in the cafe" as place_order
      barista: "Takes the order" as take_order
               fail "Misheard" owner barista
    }
  }

  place_order -> take_order : "order and pay"
}
'''


def after(text: str, words: str) -> types.Position:
    """The position just after ``words`` (ASCII, and found once) in ``text``."""
    [line] = [number for number, line in enumerate(text.split("\n")) if words in line]
    return at(line, text.split("\n")[line].index(words) + len(words))


async def test_no_completion_inside_a_string_or_a_comment(client: LanguageClient, tmp_path: Path) -> None:
    """Space is a trigger character: a word typed in an action's text or a comment must not pop a list up."""
    uri, _ = write_project(tmp_path, WORDS)
    await open_document(client, uri, WORDS)

    async def labels(position: types.Position) -> list[str]:
        result = await client.text_document_completion_async(
            types.CompletionParams(text_document=doc(uri), position=position)
        )
        return [item.label for item in result.items]

    inside = ('guest:   "Orders a ', '"Orders a coffee in ', "# we go in ", ': "order and ', "    busy in ")
    for words in inside:
        assert await labels(after(WORDS, words)) == [], words
    # Past the closing quote, the modifiers and the actions are offered again.
    assert "as" in await labels(after(WORDS, 'in the cafe" '))
    assert await labels(after(WORDS, "place_order -> ")) == ["place_order", "take_order"]
    assert "persona" in await labels(at(6, 2))  # the line after the description


async def test_hover_in_a_file_of_shared_actors_names_the_actor(client: LanguageClient, tmp_path: Path) -> None:
    _, shared_uri = write_project(tmp_path)
    await open_document(client, shared_uri, SHARED)

    hover = await client.text_document_hover_async(types.HoverParams(text_document=doc(shared_uri), position=at(1, 10)))
    assert "**role** `barista`: Barista" in hover.contents.value
    assert "home lane: **frontstage**" in hover.contents.value


async def test_hover_on_an_action_of_an_undeclared_actor_gives_no_lane(client: LanguageClient, tmp_path: Path) -> None:
    # The model gives such an action a lane to stand in; hover said "lane **customer**".
    text = MAIN.replace('barista: "Takes', 'barsita: "Takes')
    uri, _ = write_project(tmp_path, text)
    await open_document(client, uri, text)
    hover = await client.text_document_hover_async(types.HoverParams(text_document=doc(uri), position=at(10, 8)))
    assert "**action** `take_order`" in hover.contents.value
    assert "actor `barsita` · lane unknown (the actor is not declared)" in hover.contents.value


async def test_hover_shows_the_texts_as_written_not_read_as_markdown(client: LanguageClient, tmp_path: Path) -> None:
    # An editor renders hover as Markdown: <PIN> would be dropped as HTML, *twice* made italic.
    text = MAIN.replace('"Takes the order"', '"Enters <PIN> *twice*"').replace('"Misheard"', '"[Card] down"')
    text = text.replace('evidence "Counter"', 'evidence "R&amp;D"')
    uri, _ = write_project(tmp_path, text)
    await open_document(client, uri, text)
    hover = await client.text_document_hover_async(types.HoverParams(text_document=doc(uri), position=at(10, 8)))
    assert "**action** `take_order`: Enters \\<PIN\\> \\*twice\\*" in hover.contents.value
    assert "fail point: \\[Card\\] down" in hover.contents.value
    step = await client.text_document_hover_async(types.HoverParams(text_document=doc(uri), position=at(7, 10)))
    assert "evidence: R\\&amp;D" in step.contents.value


async def test_hover_leaves_out_the_controls_a_text_holds_as_the_page_does(
        client: LanguageClient, tmp_path: Path) -> None:
    # Written as escapes in the file (\u{1b}), they reached the editor's Markdown raw: a NUL, an ESC.
    text = MAIN.replace('"Takes the order"', '"Takes\\u{1b}[31m the\\u{0} order\\u{9b}\\u{7f}"')
    uri, _ = write_project(tmp_path, text)
    await open_document(client, uri, text)
    hover = await client.text_document_hover_async(types.HoverParams(text_document=doc(uri), position=at(10, 8)))
    assert "**action** `take_order`: Takes\\[31m the order\n" in hover.contents.value
    assert hover.contents.value.replace("\n", "").isprintable()


async def test_hover_definition_references_symbols(client: LanguageClient, tmp_path: Path) -> None:
    uri, shared_uri = write_project(tmp_path)
    await open_document(client, uri, MAIN)

    hover = await client.text_document_hover_async(types.HoverParams(text_document=doc(uri), position=at(10, 8)))
    assert "**role** `barista`: Barista" in hover.contents.value
    assert "home lane: **frontstage**" in hover.contents.value
    assert "**action** `take_order`: Takes the order" in hover.contents.value
    assert "step `ask` · stage `order`" in hover.contents.value

    flow_hover = await client.text_document_hover_async(types.HoverParams(text_document=doc(uri), position=at(15, 20)))
    assert "actor `barista` · lane **frontstage**" in flow_hover.contents.value

    locations = await client.text_document_definition_async(
        types.DefinitionParams(text_document=doc(uri), position=at(10, 8))
    )
    assert [(loc.uri, loc.range.start) for loc in locations] == [(shared_uri, at(1, 8))]
    include = await client.text_document_definition_async(
        types.DefinitionParams(text_document=doc(uri), position=at(0, 12))
    )
    assert include[0].uri == shared_uri
    flow_target = await client.text_document_definition_async(
        types.DefinitionParams(text_document=doc(uri), position=at(15, 20))
    )
    assert [(loc.uri, loc.range.start) for loc in flow_target] == [(uri, at(10, 36))]

    refs = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=doc(uri), position=at(11, 37), context=types.ReferenceContext(include_declaration=True)
        )
    )
    assert sorted((r.uri, r.range.start.line) for r in refs) == [(uri, 10), (uri, 11), (shared_uri, 1)]

    symbols = await client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=doc(uri)))
    stage = next(s for s in symbols if s.kind == types.SymbolKind.Namespace)
    assert stage.name == "Order"
    assert [step.name for step in stage.children] == ["ask"]
    assert [action.name for action in stage.children[0].children] == ["place_order", "take_order"]



async def test_document_highlight_marks_an_id_where_it_is_declared_and_used_in_this_file(
    client: LanguageClient, tmp_path: Path
) -> None:
    """The action id take_order in the flow: written where the action declares it, read in
    the flow; the actor barista, declared in the shared file, read on both of its lines here."""
    uri, _ = write_project(tmp_path)
    await open_document(client, uri, MAIN)

    async def highlighted(line: int, character: int) -> list[tuple[int, int, int, types.DocumentHighlightKind]]:
        found = await client.text_document_document_highlight_async(
            types.DocumentHighlightParams(text_document=doc(uri), position=at(line, character)))
        return sorted((h.range.start.line, h.range.start.character, h.range.end.character, h.kind) for h in found)

    write, read = types.DocumentHighlightKind.Write, types.DocumentHighlightKind.Read
    assert await highlighted(15, 20) == [(10, 36, 46, write), (15, 17, 27, read)]
    assert await highlighted(10, 36) == await highlighted(15, 20)
    assert await highlighted(10, 8) == [(10, 6, 13, read), (11, 37, 44, read)]
    assert await highlighted(9, 16) == []  # in a string
    assert await highlighted(4, 2) == []  # a keyword


async def test_definition_of_an_include_reads_its_escapes(client: LanguageClient, tmp_path: Path) -> None:
    """``include "caf\\u{E9}.svc"`` names café.svc, as the loader reads it, not a file named with the backslash."""
    _, shared_uri = write_project(tmp_path)
    (tmp_path / "shared.svc").rename(tmp_path / "café.svc")
    text = MAIN.replace('include "shared.svc"', 'include "caf\\u{E9}.svc"')
    (tmp_path / "main.svc").write_text(text, encoding="utf-8")
    uri = (tmp_path / "main.svc").as_uri()
    await open_document(client, uri, text)
    [location] = await client.text_document_definition_async(
        types.DefinitionParams(text_document=doc(uri), position=at(0, 12))
    )
    assert location.uri == (tmp_path / "café.svc").as_uri()


async def test_definitions_through_a_link_to_the_blueprint_lead_beside_the_file_it_links(
    client: LanguageClient, tmp_path: Path
) -> None:
    """A blueprint opened through a link reads its includes beside the file the link leads
    to: go to definition leads there, not to a file of that name beside the link."""
    (tmp_path / "teams" / "a").mkdir(parents=True)
    write_project(tmp_path / "teams" / "a")
    (tmp_path / ".blueprint-root").write_text("", encoding="utf-8")
    (tmp_path / "shared.svc").write_text('role cook backstage "Cook"\n', encoding="utf-8")
    (tmp_path / "main.svc").symlink_to("teams/a/main.svc")
    uri = (tmp_path / "main.svc").as_uri()
    await open_document(client, uri, MAIN)
    shared = (tmp_path / "teams" / "a" / "shared.svc").as_uri()
    for position in (at(0, 12), at(10, 8)):  # the include's path, and an actor it declares
        locations = await client.text_document_definition_async(
            types.DefinitionParams(text_document=doc(uri), position=position)
        )
        assert [location.uri for location in locations] == [shared]


async def test_the_outline_names_a_stage_and_an_action_by_their_texts(client: LanguageClient, tmp_path: Path) -> None:
    """Escapes are the string's characters, as the diagram shows them, not the source's backslashes."""
    text = MAIN.replace('stage order "Order"', 'stage order "Caf\\u{E9} \\"Pay\\""')
    text = text.replace('"Orders a coffee"', '"Says \\"hi\\" \\u{1F600}"')
    uri, _ = write_project(tmp_path, text)
    await open_document(client, uri, text)
    symbols = await client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=doc(uri)))
    [stage] = [s for s in symbols if s.kind == types.SymbolKind.Namespace]
    assert stage.name == 'Café "Pay"'
    assert stage.children[0].children[0].detail == 'guest: Says "hi" \U0001f600'


async def test_the_outline_shows_each_text_on_one_line(client: LanguageClient, tmp_path: Path) -> None:
    """An outline entry is one line: a label's line breaks are spaces, its control characters
    left out, as the page leaves them out. An actor is detailed by its label and lane, a step by its label."""
    text = MAIN.replace('stage order "Order"', 'stage order "Order\\nand\\u{1b}[31m pay"')
    text = text.replace('actor guest customer "Guest"', 'actor guest customer "Walk-in\\nguest"')
    text = text.replace('step ask "Ask"', 'step ask "Asks\\nat the\\u{0} counter"')
    text = text.replace('"Orders a coffee"', '"""\n        Orders\n          a coffee\n        """')
    uri, _ = write_project(tmp_path, text)
    await open_document(client, uri, text)
    symbols = await client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=doc(uri)))
    [guest] = [s for s in symbols if s.name == "guest"]
    [stage] = [s for s in symbols if s.kind == types.SymbolKind.Namespace]
    [step] = stage.children
    assert guest.detail == "Walk-in guest · customer"
    assert (stage.name, step.detail) == ("Order and[31m pay", "Asks at the counter")
    assert step.children[0].detail == "guest: Orders a coffee"


async def test_the_outline_selects_each_symbols_id(client: LanguageClient, tmp_path: Path) -> None:
    """The editor highlights a symbol's selection range when it is picked in the outline: the id, not the keyword."""
    pour = '    step pour "Pour" {\n      barista: "Pours the coffee"\n    }\n'
    text = MAIN.replace("  }\n\n  place_order", f"{pour}  }}\n\n  place_order")
    uri, _ = write_project(tmp_path, text)
    await open_document(client, uri, text)
    symbols = await client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=doc(uri)))

    def selected(symbol: types.DocumentSymbol) -> list[tuple[str, types.Range]]:
        assert symbol.range.start <= symbol.selection_range.start <= symbol.selection_range.end <= symbol.range.end
        inner = [pair for child in symbol.children or () for pair in selected(child)]
        return [(symbol.name, symbol.selection_range), *inner]

    def word(line: int, character: int, length: int) -> types.Range:
        return types.Range(start=at(line, character), end=at(line, character + length))

    assert [pair for symbol in symbols for pair in selected(symbol)] == [
        ("guest", word(4, 8, 5)),
        ("Order", word(6, 8, 5)),  # the stage's id, `order`
        ("ask", word(7, 9, 3)),
        ("place_order", word(9, 36, 11)),
        ("take_order", word(10, 36, 10)),
        ("pour", word(13, 9, 4)),
        ("pour_barista", word(14, 6, 7)),  # an id made from the actor: the actor
    ]


async def test_rename_across_an_include(client: LanguageClient, tmp_path: Path) -> None:
    uri, shared_uri = write_project(tmp_path)
    await open_document(client, uri, MAIN)
    edit = await client.text_document_rename_async(
        types.RenameParams(text_document=doc(uri), position=at(10, 8), new_name="server")
    )
    changes = {key: sorted((e.range.start.line, e.range.start.character, e.new_text) for e in edits)
               for key, edits in edit.changes.items()}
    assert changes == {
        uri: [(10, 6, "server"), (11, 37, "server")],
        shared_uri: [(1, 8, "server")],
    }
    action = await client.text_document_rename_async(
        types.RenameParams(text_document=doc(uri), position=at(15, 4), new_name="order_coffee")
    )
    assert sorted((e.range.start.line, e.range.start.character) for e in action.changes[uri]) == [(9, 36), (15, 2)]


async def rename_refused(client: LanguageClient, uri: str, position: types.Position, new_name: str) -> str:
    """The message of the error a rename is refused with."""
    with pytest.raises(JsonRpcException) as refused:
        await client.text_document_rename_async(
            types.RenameParams(text_document=doc(uri), position=position, new_name=new_name)
        )
    assert refused.value.code == types.LSPErrorCodes.RequestFailed
    return refused.value.message


async def test_rename_of_an_actor_an_included_file_with_a_syntax_error_holds_is_refused(
    client: LanguageClient, tmp_path: Path
) -> None:
    """Its declaration there could not be found, and would keep the old name."""
    uri, _ = write_project(tmp_path)
    (tmp_path / "shared.svc").write_text(SHARED + 'role    host    frontstage "Host\n', encoding="utf-8")
    await open_document(client, uri, MAIN)
    assert await rename_refused(client, uri, at(10, 8), "server") == (
        f"{tmp_path / 'shared.svc'} is included here and has a syntax error, so the rename cannot find the uses of"
        " 'barista' there; fix that file first"
    )
    # An actor whose id the broken file does not hold is renamed.
    edit = await client.text_document_rename_async(
        types.RenameParams(text_document=doc(uri), position=at(9, 6), new_name="visitor")
    )
    assert sorted((e.range.start.line, e.range.start.character) for e in edit.changes[uri]) == [(4, 8), (9, 6)]


async def test_rename_to_an_id_already_taken_is_refused(client: LanguageClient, tmp_path: Path) -> None:
    uri, _ = write_project(tmp_path)
    await open_document(client, uri, MAIN)
    message = await rename_refused(client, uri, at(9, 40), "take_order")
    assert message == (
        "'take_order' is already the id of the action at line 11; pick another name, or rename that action first"
    )
    from_a_flow = await rename_refused(client, uri, at(15, 4), "take_order")
    assert "'take_order' is already the id of the action at line 11" in from_a_flow
    an_included_actor = await rename_refused(client, uri, at(10, 8), "till")
    shared = tmp_path / "shared.svc"
    assert an_included_actor.startswith(f"'till' is already the id of the actor at line 3 of {shared};")
    assert "at line 5;" in await rename_refused(client, uri, at(10, 8), "guest")
    # A keyword would be read as one: `include -> take_order` does not parse, nor does an actor `note` act.
    assert (await rename_refused(client, uri, at(9, 40), "include")).startswith("'include' is a keyword")
    assert (await rename_refused(client, uri, at(10, 8), "note")).startswith("'note' is a keyword")
    # Another kind's id is no clash: an action and a step may both be `ask`.
    edit = await client.text_document_rename_async(
        types.RenameParams(text_document=doc(uri), position=at(9, 40), new_name="ask")
    )
    assert sorted((e.range.start.line, e.new_text) for e in edit.changes[uri]) == [(9, "ask"), (15, "ask")]
    place = await client.text_document_prepare_rename_async(
        types.PrepareRenameParams(text_document=doc(uri), position=at(9, 40))
    )
    assert place == types.Range(start=at(9, 36), end=at(9, 47))


SERVING = """\
include "shared.svc"

blueprint "Cafe" {
  scenario "Morning"
  actor guest customer "Guest"
  role  host  frontstage "Host"

  stage order "Order" {
    step ask "Ask" {
      evidence "Counter"
      guest:   "Orders a coffee" as place_order
      barista: "Takes the order" as take_order
               fail "Misheard" owner barista
    }
  }

  stage serve "Serve" {
    step seat "Seat" {
      evidence "Table"
      host:    "Greets the guest" as greet
      barista: "Brings the cup" az bring
    }
  }

  place_order -> take_order
  take_order -> greet
}
"""


async def open_mid_edit(client: LanguageClient, tmp_path: Path) -> tuple[str, str]:
    """The cafe loaded clean, then edited into ``SERVING``: a second stage with an actor the
    last good load did not have, and a misspelt keyword on line 20 (0-based)."""
    uri, shared_uri = write_project(tmp_path)
    await open_document(client, uri, MAIN)
    since = len(client.publications)
    change(client, uri, 2, SERVING)
    syntax = [(d.code, d.range.start.line) for d in await published(client, uri, since) if d.code.startswith("BP0")]
    assert syntax == [("BP004", 20)]
    return uri, shared_uri


async def hover_text(client: LanguageClient, uri: str, position: types.Position) -> str:
    found = await client.text_document_hover_async(types.HoverParams(text_document=doc(uri), position=position))
    return found.contents.value if found is not None else ""


async def definitions(client: LanguageClient, uri: str, position: types.Position) -> list[tuple[str, types.Range]]:
    found = await client.text_document_definition_async(
        types.DefinitionParams(text_document=doc(uri), position=position)
    )
    return [(location.uri, location.range) for location in found]


async def test_hover_definition_references_on_the_lines_that_read_while_another_has_a_syntax_error(
    client: LanguageClient, tmp_path: Path
) -> None:
    uri, shared_uri = await open_mid_edit(client, tmp_path)
    host = await hover_text(client, uri, at(19, 7))
    assert "**role** `host`: Host" in host and "home lane: **frontstage**" in host
    assert "**action** `greet`: Greets the guest" in host
    barista = await hover_text(client, uri, at(11, 8))
    assert "**role** `barista`: Barista" in barista and "**action** `take_order`: Takes the order" in barista
    assert await definitions(client, uri, at(25, 17)) == [(uri, types.Range(start=at(19, 37), end=at(19, 42)))]
    assert await definitions(client, uri, at(24, 20)) == [(uri, types.Range(start=at(11, 36), end=at(11, 46)))]
    assert await definitions(client, uri, at(12, 40)) == [(shared_uri, types.Range(start=at(1, 8), end=at(1, 15)))]
    refs = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=doc(uri), position=at(11, 8), context=types.ReferenceContext(include_declaration=True)
        )
    )
    # Not the barista of the broken line 20.
    assert sorted((r.uri, r.range.start.line, r.range.start.character, r.range.end.character) for r in refs) == sorted(
        [(uri, 11, 6, 13), (uri, 12, 37, 44), (shared_uri, 1, 8, 15)]
    )


async def test_the_ids_of_a_line_with_a_syntax_error_are_not_offered(client: LanguageClient, tmp_path: Path) -> None:
    """Recovery reads `az bring` as `as bring`: what a repair read is not the file's to offer."""
    uri, _ = await open_mid_edit(client, tmp_path)
    broken = SERVING.split("\n")[20]
    for character in range(len(broken) + 1):
        assert await definitions(client, uri, at(20, character)) == []
        assert "`barista`" not in await hover_text(client, uri, at(20, character))
    assert "BP004 unknown-keyword" in await hover_text(client, uri, at(20, 33))


async def test_a_rename_is_refused_while_the_file_has_a_syntax_error(client: LanguageClient, tmp_path: Path) -> None:
    """The uses on the broken line would keep the old name."""
    uri, _ = await open_mid_edit(client, tmp_path)
    for position in (at(11, 8), at(24, 4)):
        with pytest.raises(JsonRpcException) as refused:
            await client.text_document_prepare_rename_async(
                types.PrepareRenameParams(text_document=doc(uri), position=position)
            )
        assert refused.value.code == types.LSPErrorCodes.RequestFailed
        assert refused.value.message.startswith("this file has a syntax error")
    assert await rename_refused(client, uri, at(11, 8), "server") == (
        "this file has a syntax error, so the rename cannot find every use of 'barista'; fix the error first"
    )


KIOSK = """\
include "../shared/staff.svc"

blueprint "Kiosk" {
  actor guest customer "Guest"
  role courier backstage "Courier"

  stage pay "Pay" {
    step tap "Tap" {
      evidence "Screen"
      guest:   "Taps to pay" as tap_pay
      barista: "Hands over the cup"
               fail "Cold" owner barista
    }
  }

  tap_pay -> tap_barista
}
"""


def write_shared_project(folder: Path) -> dict[str, Path]:
    """A shared file of staff, and blueprints that include it directly, through another file, or not at all."""
    files = {
        ".blueprint-root": "",
        "shared/staff.svc": SHARED,
        "shared/everyone.svc": 'include "staff.svc"\n',
        "cafe.svc": MAIN.replace('include "shared.svc"', 'include "shared/staff.svc"'),
        "kiosk/kiosk.svc": KIOSK,
        "bar.svc": MAIN.replace('include "shared.svc"', 'include "shared/everyone.svc"').replace('"Cafe"', '"Bar"'),
        # Its own barista: not the shared one.
        "other.svc": MAIN.replace('include "shared.svc"\n', 'role barista frontstage "Barista"\n'),
        # Includers where no one keeps blueprints: not looked in.
        ".drafts/draft.svc": MAIN.replace('include "shared.svc"', 'include "../shared/staff.svc"'),
        "node_modules/pkg/pkg.svc": MAIN.replace('include "shared.svc"', 'include "../../shared/staff.svc"'),
    }
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return {name: folder / name for name in files}


def renamed_texts(edit: types.WorkspaceEdit, texts: dict[str, str]) -> dict[str, str]:
    """The text of each file the edit changes, by URI, with the edit made."""
    return {uri: applied(texts[uri], edits) for uri, edits in edit.changes.items()}


async def test_rename_in_a_shared_file_reaches_the_blueprints_that_include_it(
    client: LanguageClient, tmp_path: Path
) -> None:
    files = write_shared_project(tmp_path)
    # The client's copy of the cafe is ahead of the disk: an action whose id is made from its actor.
    pour = '    step pour "Pour" {\n      barista: "Pours the coffee"\n    }\n'
    cafe = (
        files["cafe.svc"].read_text(encoding="utf-8")
        .replace("  }\n\n  place_order", f"{pour}  }}\n\n  place_order")
        .replace("place_order -> take_order\n", "place_order -> take_order\n  take_order -> pour_barista\n")
    )
    await open_document(client, files["cafe.svc"].as_uri(), cafe)
    shared_uri = files["shared/staff.svc"].as_uri()
    await open_document(client, shared_uri, SHARED)
    with workspace_folder(client, tmp_path):
        edit = await client.text_document_rename_async(
            types.RenameParams(text_document=doc(shared_uri), position=at(1, 8), new_name="server")
        )
    texts = {files[name].as_uri(): files[name].read_text(encoding="utf-8") for name in files}
    texts[files["cafe.svc"].as_uri()] = cafe
    after = renamed_texts(edit, texts)
    # Every use of the shared barista, in the open cafe's unsaved text too; the labels stay.
    assert after == {uri: texts[uri].replace("barista", "server") for uri in (
        shared_uri, files["cafe.svc"].as_uri(), files["kiosk/kiosk.svc"].as_uri(), files["bar.svc"].as_uri()
    )}
    for name in ("shared/staff.svc", "cafe.svc", "kiosk/kiosk.svc", "bar.svc"):
        files[name].write_text(after[files[name].as_uri()], encoding="utf-8")
    # The renamed blueprints check clean, and a flow to a made id follows it (`tap_barista` is `tap_server`).
    assert flows_by_text(after[files["kiosk/kiosk.svc"].as_uri()], files["kiosk/kiosk.svc"]) == [
        ("Taps to pay", "Hands over the cup")
    ]
    assert flows_by_text(after[files["cafe.svc"].as_uri()], files["cafe.svc"]) == [
        ("Orders a coffee", "Takes the order"), ("Takes the order", "Pours the coffee")
    ]
    assert flows_by_text(after[files["bar.svc"].as_uri()], files["bar.svc"]) == [("Orders a coffee", "Takes the order")]


async def test_references_of_a_shared_actor_are_the_places_its_rename_changes(
    client: LanguageClient, tmp_path: Path
) -> None:
    files = write_shared_project(tmp_path)
    shared_uri, cafe_uri = files["shared/staff.svc"].as_uri(), files["cafe.svc"].as_uri()
    await open_document(client, shared_uri, SHARED)
    await open_document(client, cafe_uri, files["cafe.svc"].read_text(encoding="utf-8"))

    async def references(uri: str, position: types.Position, declaration: bool = True) -> list[tuple[str, int, int]]:
        found = await client.text_document_references_async(
            types.ReferenceParams(types.ReferenceContext(include_declaration=declaration), doc(uri), position)
        )
        return sorted((r.uri, r.range.start.line, r.range.start.character) for r in found)

    with workspace_folder(client, tmp_path):
        from_shared = await references(shared_uri, at(1, 8))
        from_cafe = await references(cafe_uri, at(10, 8))
        uses_only = await references(shared_uri, at(1, 8), declaration=False)
        edit = await client.text_document_rename_async(
            types.RenameParams(text_document=doc(shared_uri), position=at(1, 8), new_name="server")
        )
    texts = {files[name].as_uri(): files[name].read_text(encoding="utf-8") for name in files}
    renamed = sorted(
        (uri, e.range.start.line, e.range.start.character)
        for uri, edits in edit.changes.items()
        for e in edits
        if texts[uri].split("\n")[e.range.start.line][e.range.start.character :].startswith("barista")
    )
    # The shared declaration, and the uses in each blueprint including it, directly or through another file.
    assert from_shared == from_cafe == renamed == sorted([
        (shared_uri, 1, 8),
        *((files[name].as_uri(), 10, 6) for name in ("cafe.svc", "bar.svc")),
        *((files[name].as_uri(), 11, 37) for name in ("cafe.svc", "bar.svc")),
        (files["kiosk/kiosk.svc"].as_uri(), 10, 6), (files["kiosk/kiosk.svc"].as_uri(), 11, 33),
    ])
    assert uses_only == [found for found in from_shared if found[0] != shared_uri]


async def test_a_rename_says_so_when_the_workspace_is_too_large_to_search_whole(
    client: LanguageClient, tmp_path: Path
) -> None:
    files = write_shared_project(tmp_path)
    # Walked in name order: bar.svc and cafe.svc first, then archive/ fills the bound before kiosk/.
    (tmp_path / "archive").mkdir()
    for number in range(MAX_SCANNED_FILES):
        (tmp_path / "archive" / f"{number:04}.svc").write_text("# Nothing yet.\n", encoding="utf-8")
    shared_uri = files["shared/staff.svc"].as_uri()
    await open_document(client, shared_uri, SHARED)
    with workspace_folder(client, tmp_path):
        cafe_uri = files["cafe.svc"].as_uri()
        await open_document(client, cafe_uri, files["cafe.svc"].read_text(encoding="utf-8"))
        shown = len(client.messages)
        edit = await client.text_document_rename_async(
            types.RenameParams(text_document=doc(shared_uri), position=at(1, 8), new_name="server")
        )
        # An actor declared in a blueprint is its own: no other file is looked at, so nothing to warn about.
        own = await client.text_document_rename_async(
            types.RenameParams(text_document=doc(cafe_uri), position=at(4, 8), new_name="visitor")
        )
    assert sorted(edit.changes) == sorted(files[name].as_uri() for name in ("shared/staff.svc", "cafe.svc", "bar.svc"))
    assert list(own.changes) == [cafe_uri]
    [warning] = client.messages[shown:]
    assert warning.type == types.MessageType.Warning
    assert warning.message == (
        f"Rename of 'barista': the blueprints including its file were looked for in only {MAX_SCANNED_FILES} .svc"
        f" files and {MAX_SCANNED_FOLDERS} folders of the workspace; one past them keeps the old name"
    )
    # Its references are looked for in the same files, and say so too.
    with workspace_folder(client, tmp_path):
        shown = len(client.messages)
        found = await client.text_document_references_async(
            types.ReferenceParams(types.ReferenceContext(include_declaration=True), doc(shared_uri), at(1, 8))
        )
    assert sorted({location.uri for location in found}) == sorted(edit.changes)
    [warning] = client.messages[shown:]
    assert warning.message == (
        f"References of 'barista': the blueprints including its file were looked for in only {MAX_SCANNED_FILES}"
        f" .svc files and {MAX_SCANNED_FOLDERS} folders of the workspace; one past them is not listed"
    )


async def test_rename_of_a_shared_actor_from_either_side_and_what_an_includer_refuses(tmp_path: Path) -> None:
    files = write_shared_project(tmp_path)
    shared_uri = files["shared/staff.svc"].as_uri()
    # A session of its own, whose workspace is given as rootUri.
    session = await SERVER.start()
    try:
        await session.initialize_session(
            types.InitializeParams(capabilities=types.ClientCapabilities(), root_uri=tmp_path.as_uri())
        )
        await open_document(session, shared_uri, SHARED)
        message = await rename_refused(session, shared_uri, at(1, 8), "courier")
        assert message == (
            f"'courier' is already the id of the actor at line 5 of {files['kiosk/kiosk.svc']}; pick another name,"
            " or rename that actor first"
        )
        # A name the shared file has is refused there, as before.
        assert (await rename_refused(session, shared_uri, at(1, 8), "till")).startswith(
            "'till' is already the id of the actor at line 3;"
        )
        includers = ("shared/staff.svc", "cafe.svc", "kiosk/kiosk.svc", "bar.svc")
        reached = sorted(files[name].as_uri() for name in includers)
        edit = await session.text_document_rename_async(
            types.RenameParams(text_document=doc(shared_uri), position=at(1, 8), new_name="server")
        )
        assert sorted(edit.changes) == reached
        # From a blueprint that includes the file, the rename reaches the others as well.
        cafe_uri = files["cafe.svc"].as_uri()
        await open_document(session, cafe_uri, files["cafe.svc"].read_text(encoding="utf-8"))
        edit = await session.text_document_rename_async(
            types.RenameParams(text_document=doc(cafe_uri), position=at(10, 8), new_name="server")
        )
        assert sorted(edit.changes) == reached
        cafe_edits = sorted((e.range.start.line, e.range.start.character) for e in edit.changes[cafe_uri])
        assert cafe_edits == [(10, 6), (11, 37)]
        # An includer with a syntax error: its uses cannot all be found, so nothing is renamed.
        files["kiosk/kiosk.svc"].write_text(KIOSK.replace("  role courier", "  rol courier"), encoding="utf-8")
        assert await rename_refused(session, shared_uri, at(1, 8), "server") == (
            f"{files['kiosk/kiosk.svc']} takes 'barista' from an include and has a syntax error, so the rename"
            " cannot find its uses there; fix that file first"
        )
    finally:
        await session.shutdown_session()
        await session.stop()


async def test_rename_is_refused_when_an_includer_has_more_syntax_errors_than_recovery_takes(
    client: LanguageClient, tmp_path: Path
) -> None:
    files = write_shared_project(tmp_path)
    # 25 stray lines in a step: recovery gives up, and nothing of the kiosk is read, not even its include.
    stray = "".join(f"      ;; stray {number}\n" for number in range(25))
    broken = KIOSK.replace("    }\n  }\n", f"{stray}    }}\n  }}\n")
    files["kiosk/kiosk.svc"].write_text(broken, encoding="utf-8")
    shared_uri = files["shared/staff.svc"].as_uri()
    await open_document(client, shared_uri, SHARED)
    kiosk = await open_document(client, files["kiosk/kiosk.svc"].as_uri(), broken)
    assert len(kiosk) == 20  # as many as recovery reports before it gives up
    with workspace_folder(client, tmp_path):
        message = await rename_refused(client, shared_uri, at(1, 8), "server")
    assert message == (
        f"{files['kiosk/kiosk.svc']} takes 'barista' from an include and has a syntax error, so the rename"
        " cannot find its uses there; fix that file first"
    )


async def test_rename_of_an_actor_only_the_unsaved_shared_file_declares(client: LanguageClient, tmp_path: Path) -> None:
    (tmp_path / ".blueprint-root").write_text("", encoding="utf-8")
    (tmp_path / "shared.svc").write_text(SHARED, encoding="utf-8")
    cafe = tmp_path / "cafe.svc"
    cafe.write_text(MAIN.replace('barista: "Takes the order"', 'host:    "Takes the order"'), encoding="utf-8")
    # The editor's copy of the shared file declares the host; the disk's does not yet.
    shared_uri = (tmp_path / "shared.svc").as_uri()
    await open_document(client, shared_uri, SHARED + 'role    host    frontstage "Host"\n')
    with workspace_folder(client, tmp_path):
        from_shared = await client.text_document_rename_async(
            types.RenameParams(text_document=doc(shared_uri), position=at(3, 8), new_name="greeter")
        )
        # From the blueprint, open as it is on disk: the declaration is the one in the editor's copy.
        await open_document(client, cafe.as_uri(), cafe.read_text(encoding="utf-8"))
        from_cafe = await client.text_document_rename_async(
            types.RenameParams(text_document=doc(cafe.as_uri()), position=at(10, 8), new_name="greeter")
        )
    for edit in (from_shared, from_cafe):
        changes = {uri: [(e.range.start, e.new_text) for e in edits] for uri, edits in edit.changes.items()}
        assert changes == {shared_uri: [(at(3, 8), "greeter")], cafe.as_uri(): [(at(10, 6), "greeter")]}


NUMBERED = """\
blueprint "Numbered" {
  actor c customer "C"
  role b_c frontstage "B C"

  stage s "S" {
    step a_b "A B" {
      evidence "Sign"
      c: "First"
    }
    step a "A" {
      b_c: "Second"
    }
  }

  a_b_c -> a_b_c_2
}
"""


def applied(text: str, edits: list[types.TextEdit]) -> str:
    """The text after the edits (ASCII text: a character is one UTF-16 unit)."""
    lines = text.split("\n")

    def offset(position: types.Position) -> int:
        return sum(len(line) + 1 for line in lines[: position.line]) + position.character

    for edit in sorted(edits, key=lambda e: offset(e.range.start), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text


def flows_by_text(text: str, path: Path) -> list[tuple[str, str]]:
    """The flows of a blueprint as the texts of the actions they join, after checking it has no error."""
    result = loads(text, str(path), origin=path)
    errors = [d for d in check(result) if d.severity is Severity.ERROR]
    assert errors == [], text
    actions = result.blueprint.action_index()
    return [(actions[f.source].text, actions[f.target].text) for f in result.blueprint.flows]


async def test_rename_of_numbered_made_ids_keeps_the_flows(client: LanguageClient, tmp_path: Path) -> None:
    (tmp_path / ".blueprint-root").write_text("", encoding="utf-8")
    path = tmp_path / "numbered.svc"
    path.write_text(NUMBERED, encoding="utf-8")
    uri = path.as_uri()
    await open_document(client, uri, NUMBERED)
    assert flows_by_text(NUMBERED, path) == [("First", "Second")]

    async def renamed(position: types.Position, new_name: str) -> str:
        edit = await client.text_document_rename_async(
            types.RenameParams(text_document=doc(uri), position=position, new_name=new_name)
        )
        assert list(edit.changes) == [uri]
        return applied(NUMBERED, edit.changes[uri])

    # `a_b_c_2` is the second action's: it gets the `as`.
    second = await renamed(at(14, 13), "second")
    assert '      b_c: "Second" as second\n' in second and '"First"\n' in second
    assert flows_by_text(second, path) == [("First", "Second")]
    # Naming the first frees `a_b_c` for the second: the flow to it follows.
    first = await renamed(at(14, 4), "first")
    assert '      c: "First" as first\n' in first
    assert flows_by_text(first, path) == [("First", "Second")]
    # Renaming an actor remakes the ids made from it, and the numbering with them.
    actor = await renamed(at(7, 6), "guest")
    assert "  a_b_guest -> a_b_c\n" in actor
    assert flows_by_text(actor, path) == [("First", "Second")]


async def test_a_fifo_the_client_has_not_opened_is_refused_not_read(client: LanguageClient, tmp_path: Path) -> None:
    text = MAIN.replace('include "shared.svc"', 'include "shared.svc"\ninclude "staff.svc"')
    uri, shared_uri = write_project(tmp_path, text)
    fifo = tmp_path / "staff.svc"
    os.mkfifo(fifo)
    try:
        diagnostics = await open_document(client, uri, text)
        assert any(d.code == "BP009" and "is not a regular file" in d.message for d in diagnostics)
        requests = (
            (types.TEXT_DOCUMENT_HOVER, types.HoverParams(text_document=doc(fifo.as_uri()), position=at(0, 0))),
            (types.TEXT_DOCUMENT_DOCUMENT_SYMBOL, types.DocumentSymbolParams(text_document=doc(fifo.as_uri()))),
        )
        for method, params in requests:
            answer = asyncio.ensure_future(client.protocol.send_request_async(method, params))
            with pytest.raises(JsonRpcException) as refused:
                # Shielded: a request cancelled by the timeout would stop the client when its answer comes.
                await asyncio.wait_for(asyncio.shield(answer), timeout=10)
            assert refused.value.code == types.LSPErrorCodes.RequestFailed
            assert refused.value.message.endswith(f"'{fifo}' is not a regular file")
        # A regular file the client has not opened is still read from disk.
        symbols = await client.text_document_document_symbol_async(
            types.DocumentSymbolParams(text_document=doc(shared_uri))
        )
        assert [s.name for s in symbols] == ["barista", "till"]
    finally:
        # Should the server be reading the FIFO, a writer that comes and goes ends its read.
        try:
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        except OSError:
            pass


async def test_a_message_too_long_to_read_ends_the_server_cleanly() -> None:
    server = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "blueprint_dsl", "lsp",
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(server.communicate(b"Content-Length: 99999999999\r\n\r\n{}"), timeout=60)
    assert server.returncode == 2
    assert b"Traceback" not in stderr and b"MemoryError" not in stderr
    assert stderr.decode().strip().splitlines()[-1] == (
        "blueprint lsp: a message of 99999999999 bytes is over the 64 MiB a message may be; the client and the server"
        " no longer agree where messages start, so the server stops"
    )
    assert b'"window/showMessage"' in stdout and b"over the 64 MiB a message may be" in stdout


async def test_a_header_line_that_never_ends_stops_the_server_while_the_client_still_sends() -> None:
    server = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "blueprint_dsl", "lsp",
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    try:
        # 1 MiB of one header line, and the standard input left open: the server must stop
        # on its own, not read on until the client gives up.
        server.stdin.write(b"Content-Type: " + b"x" * (1024 * 1024))
        try:
            await server.stdin.drain()
        except ConnectionError:
            pass  # the server stopped reading before the whole line was sent
        stdout, stderr, _ = await asyncio.wait_for(
            asyncio.gather(server.stdout.read(), server.stderr.read(), server.wait()), timeout=60
        )
    finally:
        if server.returncode is None:
            server.kill()
            await server.wait()
    assert server.returncode == 2
    assert b"Traceback" not in stderr
    assert stderr.decode().strip().splitlines()[-1] == (
        "blueprint lsp: a message's headers are over the 64 KiB they may be; the client and the server"
        " no longer agree where messages start, so the server stops"
    )
    assert b'"window/showMessage"' in stdout and b"headers are over the 64 KiB they may be" in stdout


def framed(payload: dict) -> bytes:
    """A message of the protocol, as a client writes it."""
    body = json.dumps({"jsonrpc": "2.0", **payload}).encode()
    return b"Content-Length: %d\r\n\r\n%s" % (len(body), body)


async def session_of(*requests: dict) -> tuple[list[dict], bytes, int]:
    """The messages, standard error and exit status of a server sent ``initialize``, the requests, then the end."""
    session = b"".join(map(framed, [
        {"id": 1, "method": "initialize", "params": {"processId": None, "rootUri": None, "capabilities": {}}},
        {"method": "initialized", "params": {}},
        *requests,
        {"id": "end", "method": "shutdown"},
        {"method": "exit"},
    ]))
    server = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "blueprint_dsl", "lsp",
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(server.communicate(session), timeout=60)
    bodies = re.split(rb"Content-Length: \d+\r\n(?:[^\r\n]+\r\n)*\r\n", stdout)
    return [json.loads(body) for body in bodies if body], stderr, server.returncode


def answers_of(messages: list[dict]) -> dict:
    """The server's answers, by the id of the request."""
    return {message["id"]: message for message in messages if "id" in message and "method" not in message}


async def test_a_session_the_editor_ends_exits_0_without_a_traceback() -> None:
    messages, stderr, status = await session_of()
    assert "result" in answers_of(messages)["end"]  # the shutdown was answered
    assert b"Traceback" not in stderr, stderr.decode()
    assert status == 0


async def test_a_request_whose_params_cannot_be_read_is_answered_with_the_error() -> None:
    # A client waits for the answer to each request: pygls alone sends none for these.
    hover = "textDocument/hover"
    messages, _, status = await session_of(
        {"id": 2, "method": hover, "params": {"textDocument": {"uri": "file:///x.svc"},
                                              "position": {"line": -1, "character": 0}}},
        {"id": 3, "method": hover, "params": {}},
    )
    answers = answers_of(messages)
    assert answers[2]["error"]["code"] == answers[3]["error"]["code"] == -32602  # Invalid Params
    assert "result" in answers["end"] and status == 0
    assert not [message for message in messages if message.get("method") == "window/showMessage"]


async def test_formatting(client: LanguageClient, tmp_path: Path) -> None:
    messy = MAIN.replace("  scenario", "scenario").replace("      guest:   ", "   guest: ")
    uri, _ = write_project(tmp_path, messy)
    await open_document(client, uri, messy)
    edits = await client.text_document_formatting_async(
        types.DocumentFormattingParams(
            text_document=doc(uri), options=types.FormattingOptions(tab_size=2, insert_spaces=True)
        )
    )
    assert len(edits) == 1 and edits[0].new_text == MAIN
    assert edits[0].range.start == at(0, 0)


async def test_formatting_keeps_a_documents_crlf_line_endings(client: LanguageClient, tmp_path: Path) -> None:
    # A client applies the text as sent: LF would change every line of a CRLF file.
    uri, _ = write_project(tmp_path, MAIN)
    crlf = MAIN.replace("\n", "\r\n")
    await open_document(client, uri, crlf)
    options = types.FormattingOptions(tab_size=2, insert_spaces=True)
    unchanged = await client.text_document_formatting_async(types.DocumentFormattingParams(doc(uri), options))
    assert not unchanged
    messy = crlf.replace("  scenario", "scenario")
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=messy)]))
    (edit,) = await client.text_document_formatting_async(types.DocumentFormattingParams(doc(uri), options))
    assert edit.new_text == crlf


async def test_formatting_keeps_a_documents_byte_order_mark(client: LanguageClient, tmp_path: Path) -> None:
    # As `blueprint fmt -` keeps it, for an editor that holds the mark in the buffer's text.
    uri, _ = write_project(tmp_path, MAIN)
    marked = "\ufeff" + MAIN
    await open_document(client, uri, marked)
    options = types.FormattingOptions(tab_size=2, insert_spaces=True)
    assert not await client.text_document_formatting_async(types.DocumentFormattingParams(doc(uri), options))
    change(client, uri, 2, marked.replace("  scenario", "scenario"))
    (edit,) = await client.text_document_formatting_async(types.DocumentFormattingParams(doc(uri), options))
    assert edit.new_text == marked


async def test_the_evidence_quick_fix_adds_a_line_of_its_own_indented_as_the_file_indents(
    client: LanguageClient, tmp_path: Path
) -> None:
    one_line = MAIN.replace("    }\n  }\n", '    }\n    step sit "Sit" {guest: "Sits down"}\n  }\n')
    tabs = re.sub(r"(?m)^(?:  )+", lambda m: "\t" * (len(m.group(0)) // 2), one_line)
    tabs = tabs.replace('\t\t\tevidence "Counter"\n', "")
    uri, _ = write_project(tmp_path, one_line)

    async def fixed(text: str) -> str:
        wanted = [d for d in await open_document(client, uri, text) if d.code == "BP401"]
        edits = []
        for diagnostic in wanted:
            [fix] = await client.text_document_code_action_async(
                types.CodeActionParams(doc(uri), diagnostic.range, types.CodeActionContext([diagnostic]))
            )
            edits += fix.edit.changes[uri]
        return applied(text, edits)

    assert '    step sit "Sit" {\n      evidence "TODO"\n      guest: "Sits down"}\n' in await fixed(one_line)
    mended = await fixed(tabs)
    assert '\tstage order "Order" {\n\t\tstep ask "Ask" {\n\t\t\tevidence "TODO"\n\t\t\tguest:' in mended
    assert '\t\tstep sit "Sit" {\n\t\t\tevidence "TODO"\n\t\t\tguest: "Sits down"}\n' in mended
    assert not [d for d in await open_document(client, uri, mended) if d.code == "BP401"]


async def test_the_evidence_quick_fix_keeps_a_documents_crlf_line_endings(
    client: LanguageClient, tmp_path: Path
) -> None:
    crlf = MAIN.replace('      evidence "Counter"\n', "").replace("\n", "\r\n")
    uri, _ = write_project(tmp_path, crlf)
    wanted = [d for d in await open_document(client, uri, crlf) if d.code == "BP401"]
    [fix] = await client.text_document_code_action_async(
        types.CodeActionParams(text_document=doc(uri), range=wanted[0].range, context=types.CodeActionContext(wanted))
    )
    fixed = applied(crlf, fix.edit.changes[uri])
    assert '    step ask "Ask" {\r\n      evidence "TODO"\r\n      guest:' in fixed
    assert "\n" not in fixed.replace("\r\n", "")


async def test_a_rename_names_an_open_includer_by_the_uri_the_client_gave(
    client: LanguageClient, tmp_path: Path
) -> None:
    """A path with a space or a percent sign is quoted in its URI: the edit must use the same URI."""
    (tmp_path / ".blueprint-root").write_text("", encoding="utf-8")
    shared = tmp_path / "shared.svc"
    shared.write_text(SHARED, encoding="utf-8")
    includer = tmp_path / "my cafe 100%.svc"
    includer.write_text(MAIN, encoding="utf-8")
    await open_document(client, includer.as_uri(), MAIN)
    await open_document(client, shared.as_uri(), SHARED)
    edit = await client.text_document_rename_async(
        types.RenameParams(text_document=doc(shared.as_uri()), position=at(1, 8), new_name="server")
    )
    assert set(edit.changes) == {shared.as_uri(), includer.as_uri()}


async def test_a_file_saved_with_cr_line_endings_has_its_positions_on_the_clients_lines(
    client: LanguageClient, tmp_path: Path
) -> None:
    # LSP ends a line at CR alone too, as the loader does: a classic Mac file is not one long line.
    text = MAIN.replace("place_order -> take_order", "place_order -> take_ordr")
    uri, _ = write_project(tmp_path, text)
    cr = text.replace("\n", "\r")
    [unknown] = [d for d in await open_document(client, uri, cr) if d.code == "BP102"]
    assert unknown.range == types.Range(start=at(15, 17), end=at(15, 26))
    [target] = await client.text_document_definition_async(
        types.DefinitionParams(text_document=doc(uri), position=at(15, 4))
    )
    assert target.range == types.Range(start=at(9, 36), end=at(9, 47))
    options = types.FormattingOptions(tab_size=2, insert_spaces=True)
    (edit,) = await client.text_document_formatting_async(types.DocumentFormattingParams(doc(uri), options))
    # The whole text is replaced, not its first line: that would leave the rest after the new text.
    assert edit.range == types.Range(start=at(0, 0), end=at(text.count("\n"), 0))


async def test_a_document_not_open_is_neither_changed_nor_checked(client: LanguageClient, tmp_path: Path) -> None:
    """A change to a document never opened, or closed since, is passed over, and a save of one publishes
    nothing: no error shown to the user, and diagnostics for the open documents only."""
    uri, _ = write_project(tmp_path)
    never = (tmp_path / "never.svc").as_uri()  # no such file either
    (tmp_path / "closed.svc").write_text(MAIN.replace('barista: "Takes', 'barsita: "Takes'), encoding="utf-8")
    closed = (tmp_path / "closed.svc").as_uri()
    await open_document(client, closed, MAIN)
    since = len(client.publications)
    client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=doc(closed)))
    assert not await published(client, closed, since)
    shown, since = len(client.messages), len(client.publications)
    change(client, never, 2, "blueprint")
    change(client, closed, 2, "blueprint")
    for saved in (never, closed):
        client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=doc(saved)))
    # Answered after the notifications sent before it: by then they have all been handled.
    await open_document(client, uri, MAIN)
    assert client.messages[shown:] == []
    assert [params.uri for params in client.publications[since:]] == [uri]
    # A request about the closed file reads the disk, not the change sent after it was closed.
    hover = await client.text_document_hover_async(types.HoverParams(text_document=doc(closed), position=at(10, 7)))
    assert "unknown-actor" in hover.contents.value
