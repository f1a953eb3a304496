"""The language server with blueprints that include other files, driven by a real client
(tests/lsp_session.py): what the includes say, typed in the client or changed on disk,
reaches the open blueprints that read them.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from blueprint_dsl.lsp.rechecks import DELAY
from tests.lsp_session import (
    MAIN,
    SERVER,
    SHARED,
    Client,
    at,
    change,
    doc,
    open_document,
    publication,
    published,
    write_project,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def test_what_is_wrong_in_an_included_file_shows_on_the_include(client: LanguageClient, tmp_path: Path) -> None:
    uri, _ = write_project(tmp_path)
    (tmp_path / "shared.svc").write_text(SHARED + 'include "more.svc"\n', encoding="utf-8")
    (tmp_path / "more.svc").write_text('# More staff.\npartner roaster support "Roaster\n', encoding="utf-8")
    diagnostics = await open_document(client, uri, MAIN)
    [through] = [d for d in diagnostics if d.range.start.line == 0]
    assert through.range == types.Range(start=at(0, 0), end=at(0, 20))
    assert through.severity == types.DiagnosticSeverity.Error
    assert through.code == "BP002"
    assert through.message.startswith(f"in {tmp_path / 'more.svc'}:2:25: unterminated-string: ")
    [place] = through.related_information
    assert place.location.uri == (tmp_path / "more.svc").as_uri()
    assert place.location.range.start == at(1, 24)

    (tmp_path / "more.svc").write_text('partner roaster support "Roaster"\n', encoding="utf-8")
    since = len(client.publications)
    client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=doc(uri)))
    assert [d for d in await published(client, uri, since) if d.range.start.line == 0] == []


async def test_hover_on_the_include_and_the_configurations_diagnostics_gives_their_documentation(
    client: LanguageClient, tmp_path: Path
) -> None:
    uri, _ = write_project(tmp_path)
    (tmp_path / "shared.svc").write_text(SHARED.replace("support", "suport"), encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.blueprint]\nignore = ["BP999"]\n', encoding="utf-8")
    diagnostics = await open_document(client, uri, MAIN)
    assert sorted(d.code or "" for d in diagnostics if d.range.start.line == 0) == ["", "BP107"]

    async def hover(line: int, character: int) -> str:
        found = await client.text_document_hover_async(
            types.HoverParams(text_document=doc(uri), position=at(line, character))
        )
        return found.contents.value if found is not None else ""

    # The diagnostic spans the include: hovered on its path, it is explained as in the file it is about.
    on_path = await hover(0, 12)
    where = f"in {tmp_path / 'shared.svc'}:3:17: 'suport' is not a lane"
    assert on_path.replace("\\", "").startswith(f"**BP107 unknown-lane** (error): {where}")  # unescaped
    assert "A lane name that is not one of the five lanes." in on_path
    # The configuration's problem is said at the start of the file, over the first word.
    at_start = await hover(0, 0)
    assert "**configuration** (error): " in at_start and "'BP999'" in at_start
    assert "[tool.blueprint]\nselect = " in at_start
    assert "configuration" not in on_path
    assert await hover(1, 0) == ""


async def diagnostics_now(client: LanguageClient, uri: str) -> list[types.Diagnostic]:
    """The diagnostics last published for ``uri`` once the server has handled what was sent it so far.

    A request is answered after the notifications sent before it, and the server publishes
    while it handles them: they have all arrived by the answer.
    """
    await client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=doc(uri)))
    return client.diagnostics[uri]


def unknown_actors(diagnostics: list[types.Diagnostic]) -> list[str]:
    """The names the diagnostics say no actor has."""
    return [d.message.split("'")[1] for d in diagnostics if d.code == "BP101"]


async def test_the_blueprints_including_a_file_follow_its_unsaved_text(client: LanguageClient, tmp_path: Path) -> None:
    (tmp_path / ".blueprint-root").write_text("", encoding="utf-8")
    (tmp_path / "shared.svc").write_text(SHARED, encoding="utf-8")
    (tmp_path / "everyone.svc").write_text('include "shared.svc"\n', encoding="utf-8")
    uses_host = MAIN.replace('barista: "Takes the order"', 'host:    "Takes the order"')
    # One includes the shared file directly, the other through everyone.svc.
    texts = {"cafe.svc": uses_host, "bar.svc": uses_host.replace('"shared.svc"', '"everyone.svc"')}
    blueprints = []
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        blueprints.append((tmp_path / name).as_uri())
        assert unknown_actors(await open_document(client, blueprints[-1], text)) == ["host"]
    shared_uri = (tmp_path / "shared.svc").as_uri()
    await open_document(client, shared_uri, SHARED)

    change(client, shared_uri, 2, SHARED + 'role    host    frontstage "Host"\n')
    for uri in blueprints:
        assert unknown_actors(await diagnostics_now(client, uri)) == [], uri
    assert (tmp_path / "shared.svc").read_text(encoding="utf-8") == SHARED  # nothing was saved

    # Closed unsaved: the file on disk is what they include again.
    client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=doc(shared_uri)))
    for uri in blueprints:
        assert unknown_actors(await diagnostics_now(client, uri)) == ["host"], uri


async def test_a_file_the_editor_has_open_but_never_saved_is_included(client: LanguageClient, tmp_path: Path) -> None:
    text = MAIN.replace('include "shared.svc"', 'include "shared.svc"\ninclude "hosts.svc"').replace(
        'barista: "Takes the order"', 'host:    "Takes the order"'
    )
    uri, _ = write_project(tmp_path, text)
    missing = [d.code for d in await open_document(client, uri, text) if d.range.start.line == 1]
    assert missing == ["BP104"]
    hosts_uri = (tmp_path / "hosts.svc").as_uri()
    await open_document(client, hosts_uri, 'role host frontstage "Host"\n')
    errors = [d for d in await diagnostics_now(client, uri) if d.severity == types.DiagnosticSeverity.Error]
    assert errors == []  # the include is found, and the host in it
    client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=doc(hosts_uri)))
    assert [d.code for d in await diagnostics_now(client, uri) if d.range.start.line == 1] == ["BP104"]


def write_cafe_needing_a_host(folder: Path) -> tuple[str, str, str]:
    """A shared file of staff without a host, and a cafe blueprint, including it, whose host takes the order.

    The URIs of both and the cafe's text.
    """
    (folder / ".blueprint-root").write_text("", encoding="utf-8")
    (folder / "shared.svc").write_text(SHARED, encoding="utf-8")
    cafe = MAIN.replace('barista: "Takes the order"', 'host:    "Takes the order"')
    (folder / "cafe.svc").write_text(cafe, encoding="utf-8")
    return (folder / "shared.svc").as_uri(), (folder / "cafe.svc").as_uri(), cafe


async def test_typing_in_an_included_file_checks_its_includers_again_once_the_typing_pauses(
    client: Client, tmp_path: Path
) -> None:
    shared_uri, cafe_uri, cafe = write_cafe_needing_a_host(tmp_path)
    assert unknown_actors(await open_document(client, cafe_uri, cafe)) == ["host"]
    await open_document(client, shared_uri, SHARED)
    await diagnostics_now(client, cafe_uri)
    since = len(client.publications)
    line = 'role    host    frontstage "Host"\n'
    keystrokes = [line[:end] for end in range(len(line) - 7, len(line) + 1)]
    last = len(keystrokes) + 1
    for version, typed in enumerate(keystrokes, start=2):
        change(client, shared_uri, version, SHARED + typed)
    # The shared file's own diagnostics come at once, for every keystroke.
    await publication(client, since, lambda params: params.uri == shared_uri and params.version == last)
    # The cafe's, however long the pause takes, once the last keystroke is in.
    done = len(client.publications)
    checked = await publication(client, done, lambda params: params.uri == cafe_uri)
    assert unknown_actors(checked.diagnostics) == [] and checked.version == 1
    shared_versions = [params.version for params in client.publications[since:] if params.uri == shared_uri]
    assert shared_versions == list(range(2, last + 1))
    cafe_checks = [params for params in client.publications[since:] if params.uri == cafe_uri]
    assert len(cafe_checks) < len(keystrokes)


async def test_a_request_about_an_includer_reads_the_included_file_as_just_typed(
    client: Client, tmp_path: Path
) -> None:
    """Asked about before its check comes round, the includer is checked first: the answer is not a stale one."""
    shared_uri, cafe_uri, cafe = write_cafe_needing_a_host(tmp_path)
    await open_document(client, cafe_uri, cafe)
    await open_document(client, shared_uri, SHARED)
    change(client, shared_uri, 2, SHARED + 'role    host    frontstage "Host"\n')
    hover = await client.text_document_hover_async(types.HoverParams(text_document=doc(cafe_uri), position=at(10, 8)))
    assert "**role** `host`: Host" in hover.contents.value
    assert unknown_actors(client.diagnostics[cafe_uri]) == []  # published before the answer
    # The host moved to the top: a rename must edit it where it is now.
    change(client, shared_uri, 3, 'role    host    frontstage "Host"\n' + SHARED)
    edit = await client.text_document_rename_async(
        types.RenameParams(text_document=doc(cafe_uri), position=at(10, 8), new_name="greeter")
    )
    changes = {uri: [(e.range.start, e.new_text) for e in edits] for uri, edits in edit.changes.items()}
    assert changes == {shared_uri: [(at(0, 8), "greeter")], cafe_uri: [(at(10, 6), "greeter")]}


async def test_no_blueprint_is_checked_once_the_client_shuts_the_server_down(tmp_path: Path) -> None:
    shared_uri, cafe_uri, cafe = write_cafe_needing_a_host(tmp_path)
    session = await SERVER.start()
    try:
        await session.initialize_session(types.InitializeParams(capabilities=types.ClientCapabilities()))
        await open_document(session, cafe_uri, cafe)
        await open_document(session, shared_uri, SHARED)
        await diagnostics_now(session, cafe_uri)
        change(session, shared_uri, 2, SHARED + 'role    host    frontstage "Host"\n')
        await session.shutdown_async(None)
        since = len(session.publications)
        # Long enough for a check still due to come round, were it not dropped.
        await asyncio.sleep(4 * DELAY)
    finally:
        session.exit(None)
        await session.stop()
    assert session.publications[since:] == []


async def test_an_include_in_a_folder_reached_through_a_link_leads_where_the_loader_reads_it(
    client: LanguageClient, tmp_path: Path
) -> None:
    # The project opened through a link to its folder: every location names the file by the link's path.
    (tmp_path / "real").mkdir()
    write_project(tmp_path / "real")
    (tmp_path / "link").symlink_to(tmp_path / "real", target_is_directory=True)
    uri, shared_uri = (tmp_path / "link" / "main.svc").as_uri(), (tmp_path / "link" / "shared.svc").as_uri()
    await open_document(client, uri, MAIN)
    [include] = await client.text_document_definition_async(types.DefinitionParams(doc(uri), at(0, 12)))
    [actor] = await client.text_document_definition_async(types.DefinitionParams(doc(uri), at(10, 8)))
    assert (include.uri, actor.uri) == (shared_uri, shared_uri)


async def test_a_file_the_editor_has_not_opened_gets_no_diagnostics(client: LanguageClient, tmp_path: Path) -> None:
    """Requests read it, but its problems would stay in the editor's list with nothing to clear them.

    They show on the include of each open blueprint that reads the file.
    """
    uri, shared_uri = write_project(tmp_path)
    (tmp_path / "shared.svc").write_text(SHARED + 'role    host    frontstag  "Host"\n', encoding="utf-8")
    assert [d.code for d in await open_document(client, uri, MAIN) if d.range.start.line == 0] == ["BP107"]
    [location] = await client.text_document_definition_async(
        types.DefinitionParams(text_document=doc(uri), position=at(10, 8))
    )
    assert location.uri == shared_uri
    # The editor shows the definition without opening the file, and asks about it.
    symbols = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=doc(shared_uri))
    )
    assert [s.name for s in symbols] == ["barista", "till", "host"]
    assert shared_uri not in client.diagnostics


async def test_a_request_about_a_file_not_open_reads_its_includes_as_they_are_now(
    client: LanguageClient, tmp_path: Path
) -> None:
    uri, _ = write_project(tmp_path)
    hover = await client.text_document_hover_async(types.HoverParams(text_document=doc(uri), position=at(10, 8)))
    assert "**role** `barista`: Barista" in hover.contents.value
    (tmp_path / "shared.svc").write_text(SHARED.replace('"Barista"', '"Head barista"'), encoding="utf-8")
    hover = await client.text_document_hover_async(types.HoverParams(text_document=doc(uri), position=at(10, 8)))
    assert "**role** `barista`: Head barista" in hover.contents.value


async def test_the_server_asks_the_client_to_watch_blueprints_and_the_project_files(client: Client) -> None:
    [registration] = [r for r in client.registrations if r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES]
    watched = [(w["globPattern"], w.get("kind")) for w in registration.register_options["watchers"]]
    every_change = [(pattern, None) for pattern in ("**/*.svc", "**/pyproject.toml", "**/.git", "**/.blueprint-root")]
    # Any path made or deleted: a folder made or deleted whole is reported as itself.
    assert watched == [*every_change, ("**/*", types.WatchKind.Create | types.WatchKind.Delete)]


def changed_on_disk(client: Client, uri: str, kind: types.FileChangeType) -> int:
    """The client tells the server that ``uri`` changed on disk; the count of publications before."""
    since = len(client.publications)
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=uri, type=kind)])
    )
    return since


async def republished(client: Client, uri: str, since: int) -> list[types.Diagnostic]:
    """The diagnostics next published for ``uri``: within seconds, though the server waits for changes to pause."""
    return await asyncio.wait_for(published(client, uri, since), timeout=40 * DELAY)


async def test_an_include_changed_on_disk_is_read_again_by_the_blueprints_open(client: Client, tmp_path: Path) -> None:
    shared_uri, cafe_uri, cafe = write_cafe_needing_a_host(tmp_path)
    assert unknown_actors(await open_document(client, cafe_uri, cafe)) == ["host"]
    (tmp_path / "shared.svc").write_text(SHARED + 'role    host    frontstage "Host"\n', encoding="utf-8")
    since = changed_on_disk(client, shared_uri, types.FileChangeType.Changed)
    assert unknown_actors(await republished(client, cafe_uri, since)) == []

    (tmp_path / "shared.svc").unlink()
    since = changed_on_disk(client, shared_uri, types.FileChangeType.Deleted)
    assert "BP104" in [d.code for d in await republished(client, cafe_uri, since) if d.range.start.line == 0]


async def test_an_include_made_on_disk_is_found_by_the_blueprint_that_looked_for_it(
    client: Client, tmp_path: Path
) -> None:
    text = MAIN.replace('include "shared.svc"', 'include "shared.svc"\ninclude "hosts.svc"').replace(
        'barista: "Takes the order"', 'host:    "Takes the order"'
    )
    uri, _ = write_project(tmp_path, text)
    assert [d.code for d in await open_document(client, uri, text) if d.range.start.line == 1] == ["BP104"]
    (tmp_path / "hosts.svc").write_text('role host frontstage "Host"\n', encoding="utf-8")
    since = changed_on_disk(client, (tmp_path / "hosts.svc").as_uri(), types.FileChangeType.Created)
    errors = [d for d in await republished(client, uri, since) if d.severity == types.DiagnosticSeverity.Error]
    assert errors == []


async def test_the_rules_configured_on_disk_apply_to_the_blueprints_open(client: Client, tmp_path: Path) -> None:
    uri, _ = write_project(tmp_path)
    assert "BP411" in [d.code for d in await open_document(client, uri, MAIN)]
    (tmp_path / "pyproject.toml").write_text('[tool.blueprint]\nignore = ["BP411"]\n', encoding="utf-8")
    since = changed_on_disk(client, (tmp_path / "pyproject.toml").as_uri(), types.FileChangeType.Created)
    assert "BP411" not in [d.code for d in await republished(client, uri, since)]


async def test_an_include_open_in_the_client_is_read_from_the_client_whatever_the_disk_says(
    client: Client, tmp_path: Path
) -> None:
    shared_uri, cafe_uri, cafe = write_cafe_needing_a_host(tmp_path)
    await open_document(client, cafe_uri, cafe)
    await open_document(client, shared_uri, SHARED + 'role    host    frontstage "Host"\n')
    assert unknown_actors(await diagnostics_now(client, cafe_uri)) == []
    (tmp_path / "shared.svc").write_text("", encoding="utf-8")
    since = changed_on_disk(client, shared_uri, types.FileChangeType.Changed)
    await asyncio.sleep(4 * DELAY)
    assert [params for params in client.publications[since:] if params.uri == cafe_uri] == []  # not even checked
    assert unknown_actors(await diagnostics_now(client, cafe_uri)) == []


async def test_a_folder_of_includes_deleted_or_made_whole_is_read_again(client: Client, tmp_path: Path) -> None:
    """A client reports a folder deleted or made whole as the folder, not as the files in it."""
    text = MAIN.replace('"shared.svc"', '"staff/shared.svc"')
    uri, _ = write_project(tmp_path, text)
    (tmp_path / "staff").mkdir()
    (tmp_path / "shared.svc").rename(tmp_path / "staff" / "shared.svc")
    assert "BP104" not in [d.code for d in await open_document(client, uri, text)]
    (tmp_path / "staff").rename(tmp_path / "gone")
    since = changed_on_disk(client, (tmp_path / "staff").as_uri(), types.FileChangeType.Deleted)
    assert "BP104" in [d.code for d in await republished(client, uri, since) if d.range.start.line == 0]
    (tmp_path / "gone").rename(tmp_path / "staff")
    since = changed_on_disk(client, (tmp_path / "staff").as_uri(), types.FileChangeType.Created)
    assert "BP104" not in [d.code for d in await republished(client, uri, since)]


async def test_an_event_for_a_path_no_file_can_have_is_passed_over(client: Client, tmp_path: Path) -> None:
    uri, _ = write_project(tmp_path)
    await open_document(client, uri, MAIN)
    shown = len(client.messages)
    nul = (tmp_path / "shared.svc").as_uri().replace("shared", "sha%00red")
    changed_on_disk(client, nul, types.FileChangeType.Created)
    await diagnostics_now(client, uri)
    assert client.messages[shown:] == []


async def test_a_configuration_that_cannot_be_used_is_said_until_it_is_mended(client: Client, tmp_path: Path) -> None:
    uri, _ = write_project(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.blueprint]\nignore = ["BP999"]\n', encoding="utf-8")
    [problem] = [d for d in await open_document(client, uri, MAIN) if d.code is None]
    assert problem.range == types.Range(start=at(0, 0), end=at(0, 0))
    assert problem.severity == types.DiagnosticSeverity.Error
    assert problem.message.startswith(f"{tmp_path / 'pyproject.toml'}: ") and "'BP999'" in problem.message
    (tmp_path / "pyproject.toml").write_text('[tool.blueprint]\nignore = ["BP411"]\n', encoding="utf-8")
    since = changed_on_disk(client, (tmp_path / "pyproject.toml").as_uri(), types.FileChangeType.Changed)
    codes = [d.code for d in await republished(client, uri, since)]
    assert None not in codes and "BP411" not in codes and "BP408" in codes
