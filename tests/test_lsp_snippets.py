"""Completion snippets, with a client that takes them (as VS Code, Neovim with a snippet
engine and Helix do): a block written whole where it may open, and a fail point with its
fail-safe and owner. Each, its places taken as they stand and indented as the editor
indents it, reads without an error; a client that takes no snippets gets none
(tests/test_lsp.py's)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient

from blueprint_dsl import loads
from blueprint_dsl.check import check
from blueprint_dsl.diagnostics import Severity
from tests.lsp_session import CAPABILITIES, MAIN, SERVER, Client, at, doc, open_document, write_project

pytestmark = pytest.mark.asyncio(loop_scope="module")

#: The test session's client, taking snippets.
SNIPPETS = types.ClientCapabilities(
    general=CAPABILITIES.general,
    workspace=CAPABILITIES.workspace,
    text_document=types.TextDocumentClientCapabilities(
        completion=types.CompletionClientCapabilities(
            completion_item=types.ClientCompletionItemOptions(snippet_support=True))),
)

#: A place of a snippet: ${1:default}, ${1|first,second|}, ${1} or $1.
PLACE = re.compile(r"\$\{(\d+):([^}]*)\}|\$\{(\d+)\|([^|]*)\|\}|\$\{(\d+)\}|\$(\d+)")


@pytest_lsp.fixture(config=SERVER, scope="module")
async def client(lsp_client: Client):
    await lsp_client.initialize_session(types.InitializeParams(capabilities=SNIPPETS))
    yield
    await lsp_client.shutdown_session()


def expanded(snippet: str) -> str:
    """The text of a snippet, each place taken as it stands: its default, its first choice,
    or for a place named again, what it was given first; $0 is where the cursor ends."""
    given: dict[str, str] = {}

    def take(place: re.Match) -> str:
        number = next(group for group in (place[1], place[3], place[5], place[6]) if group is not None)
        if place[2] is not None:
            given.setdefault(number, place[2])
        elif place[4] is not None:
            given.setdefault(number, place[4].split(",")[0])
        return given.get(number, "")

    return PLACE.sub(take, snippet)


def written(text: str, line: int, character: int, item: types.CompletionItem) -> str:
    """``text`` with the item's snippet written at the position, its lines after the first
    indented as the line it is written on (InsertTextMode.AdjustIndentation)."""
    lines = text.split("\n")
    indent = re.match(r"\s*", lines[line])[0]
    body = expanded(item.insert_text).replace("\n", "\n" + indent)
    lines[line] = lines[line][:character] + body + lines[line][character:]
    return "\n".join(lines)


async def snippets_at(client: LanguageClient, uri: str, line: int, character: int) -> dict[str, types.CompletionItem]:
    result = await client.text_document_completion_async(
        types.CompletionParams(text_document=doc(uri), position=at(line, character)))
    found = {item.filter_text: item for item in result.items if item.kind == types.CompletionItemKind.Snippet}
    for item in found.values():
        assert item.insert_text_format == types.InsertTextFormat.Snippet
        assert item.insert_text_mode == types.InsertTextMode.AdjustIndentation
    return found


def errors(text: str, path: Path) -> list[str]:
    result = loads(text, str(path), origin=path)
    return [d.headline() for d in check(result) if d.severity is Severity.ERROR]


async def test_a_blueprint_in_an_empty_file_has_no_finding_at_all(client: LanguageClient, tmp_path: Path) -> None:
    path = tmp_path / "first.svc"
    path.write_text("", encoding="utf-8")
    await open_document(client, path.as_uri(), "")
    found = await snippets_at(client, path.as_uri(), 0, 0)
    assert list(found) == ["blueprint"]
    text = written("", 0, 0, found["blueprint"])
    result = loads(text, str(path))
    assert result.ok and list(check(result)) == [], text


async def test_each_block_reads_where_it_is_offered_however_often_it_is_taken(
    client: LanguageClient, tmp_path: Path
) -> None:
    """A stage in the blueprint, a step in a stage, each written on an empty line there, twice:
    the second has a step id of its own (the same ids twice were a duplicate-id error)."""
    uri, _ = write_project(tmp_path)
    main = tmp_path / "main.svc"
    for keyword, line, blank in (("stage", 15, "  "), ("step", 13, "    ")):
        text = MAIN
        for _ in range(2):
            lines = text.split("\n")
            text = "\n".join(lines[:line] + [blank] + lines[line:])
            await open_document(client, uri, text)
            found = await snippets_at(client, uri, line, len(blank))
            assert list(found) == [keyword]
            text = written(text, line, len(blank), found[keyword])
            assert errors(text, main) == [], text
        result = loads(text, str(main), origin=main)
        assert len(result.blueprint.stages) == (3 if keyword == "stage" else 1)
        assert len(result.blueprint.steps) == 3


async def test_a_blueprint_only_where_the_file_has_none_and_a_fail_point_only_after_an_action(
    client: LanguageClient, tmp_path: Path
) -> None:
    """A second blueprint was offered after the first (several-blueprints), and a fail point
    after a step's evidence, where it cannot stand."""
    uri, _ = write_project(tmp_path)
    text = MAIN + "\n"
    await open_document(client, uri, text)
    assert await snippets_at(client, uri, len(text.split("\n")) - 1, 0) == {}
    evidence = '      evidence "Counter" '
    text = MAIN.replace('      evidence "Counter"', evidence)
    await open_document(client, uri, text)
    assert await snippets_at(client, uri, text.split("\n").index(evidence), len(evidence)) == {}


async def test_a_fail_point_offers_the_blueprint_s_actors_as_its_owner(client: LanguageClient, tmp_path: Path) -> None:
    """After an action's text: the fail point whole, its owner chosen among the actors
    (the included ones too), as well as the keywords that may follow."""
    uri, _ = write_project(tmp_path)
    action = '      guest:   "Orders a coffee" as place_order '
    text = MAIN.replace(action.rstrip(), action)
    await open_document(client, uri, text)
    line = text.split("\n").index(action)
    found = await snippets_at(client, uri, line, len(action))
    assert list(found) == ["fail"]
    assert "owner ${3|barista,guest,till|}" in found["fail"].insert_text
    mended = written(text, line, len(action), found["fail"])
    assert 'fail "What goes wrong" safe "How it is caught" owner barista' in mended
    result = loads(mended, str(tmp_path / "main.svc"), origin=tmp_path / "main.svc")
    assert result.ok
    (fail,) = [a.fail for a in result.blueprint.actions() if a.actor == "guest"]
    assert (fail.description, fail.safe, fail.owner) == ("What goes wrong", "How it is caught", "barista")


async def test_no_snippet_inside_a_string_or_where_a_name_goes(client: LanguageClient, tmp_path: Path) -> None:
    uri, _ = write_project(tmp_path)
    await open_document(client, uri, MAIN)
    assert await snippets_at(client, uri, 9, 20) == {}  # in the evidence's text
    assert await snippets_at(client, uri, 15, 17) == {}  # after an arrow
