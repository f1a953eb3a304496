"""The loader: the overlay of texts an editor has unsaved, read for included files before the
disk, and the files named to an include it cannot find."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from blueprint_dsl import loads
from blueprint_dsl.loader import LoadResult

STAFF = 'role barista frontstage "Barista"\n'
HOST = 'role host frontstage "Host"\n'
MAIN = """\
include "staff.svc"

blueprint "Cafe" {
  actor guest customer "Guest"
  stage order "Order" {
    step ask "Ask" {
      evidence "Counter"
      guest: "Orders a coffee"
      host:  "Greets the guest"
    }
  }
}
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / ".blueprint-root").write_text("", encoding="utf-8")
    (tmp_path / "staff.svc").write_text(STAFF, encoding="utf-8")
    return tmp_path


def load_main(project: Path, text: str = MAIN, overlay: dict[str, str] | None = None) -> LoadResult:
    main = project / "main.svc"
    return loads(text, str(main), origin=main, overlay=overlay)


def codes(result: LoadResult) -> list[str]:
    return [d.code for d in result.diagnostics]


def test_an_included_file_in_the_overlay_is_read_from_there(project: Path):
    assert codes(load_main(project)) == ["BP101"]  # the host is not on disk
    staff = project / "staff.svc"
    # An editor's copy, with a byte-order mark and CRLF line ends, read as a file would be.
    unsaved = "\ufeff" + (STAFF + HOST + "rol till support \"Till\"\n").replace("\n", "\r\n")
    result = load_main(project, overlay={os.path.realpath(staff): unsaved})
    assert result.sources[str(staff)] == STAFF + HOST + "rol till support \"Till\"\n"
    assert [(d.code, d.span.path, d.span.line, d.span.column) for d in result.diagnostics] == [
        ("BP004", str(staff), 3, 1)
    ]
    assert result.files == (os.path.realpath(project / "main.svc"), os.path.realpath(staff))
    assert staff.read_text(encoding="utf-8") == STAFF


def test_a_file_only_the_overlay_has_is_included_and_one_neither_has_is_unread(project: Path):
    text = MAIN.replace('include "staff.svc"', 'include "staff.svc"\ninclude "hosts.svc"')
    hosts = os.path.realpath(project / "hosts.svc")
    missing = load_main(project, text)
    assert codes(missing) == ["BP104"]
    assert missing.unread == (hosts,)
    found = load_main(project, text, overlay={hosts: HOST})
    assert codes(found) == [] and found.unread == ()
    assert hosts in found.files


def test_the_overlay_is_keyed_by_the_real_path_an_include_leads_to(project: Path):
    (project / "shared").mkdir()
    (project / "shared" / "hosts.svc").write_text("", encoding="utf-8")
    (project / "link.svc").symlink_to("shared/hosts.svc")
    text = MAIN.replace('include "staff.svc"', 'include "staff.svc"\ninclude "link.svc"')
    overlay = {os.path.realpath(project / "shared" / "hosts.svc"): HOST}
    assert codes(load_main(project, text, overlay)) == []
    # By the link's own path it is not found: the loader follows links before it looks.
    assert codes(load_main(project, text, {str(project / "link.svc"): HOST})) == ["BP101"]


def test_an_include_the_loader_refuses_is_refused_with_an_overlay_too(project: Path):
    inner = project / "inner"
    inner.mkdir()
    (inner / ".blueprint-root").write_text("", encoding="utf-8")
    (inner / "staff.svc").write_text(STAFF, encoding="utf-8")
    text = MAIN.replace('include "staff.svc"', 'include "staff.svc"\ninclude "../hosts.svc"')
    outside = {os.path.realpath(project / "hosts.svc"): HOST}
    assert codes(load_main(inner, text, outside)) == ["BP106"]
    # A cycle through the editor's copy is a cycle.
    staff = os.path.realpath(project / "staff.svc")
    assert codes(load_main(project, overlay={staff: STAFF + HOST + 'include "main.svc"\n'})) == ["BP105"]


def test_an_include_is_named_by_the_file_read_where_a_link_leads_elsewhere(project: Path, monkeypatch):
    """A blueprint reached through a link takes its includes from beside the file the link
    leads to; messages, and an editor's rename, name that file, not one beside the link."""
    team = project / "teams" / "a"
    team.mkdir(parents=True)
    (team / "staff.svc").write_text(STAFF + 'role till backstge "Till"\n', encoding="utf-8")
    (team / "main.svc").write_text(MAIN, encoding="utf-8")
    (project / "main.svc").symlink_to("teams/a/main.svc")
    monkeypatch.chdir(project)
    for name in ("main.svc", str(project / "main.svc")):
        result = loads(MAIN, name, origin=name)
        named = [d.span.path for d in result.diagnostics if d.code == "BP107"]
        expected = str(team / "staff.svc") if os.path.isabs(name) else os.path.join("teams", "a", "staff.svc")
        assert named == [expected] and expected in result.sources
    # Where the name joined beside the including file is the file read, it stays as written.
    assert [d.span.path for d in loads(MAIN, "teams/a/main.svc", origin="teams/a/main.svc").diagnostics
            if d.code == "BP107"] == [os.path.join("teams", "a", "staff.svc")]


def test_an_include_not_found_is_told_the_files_beside_it_with_a_close_name(project: Path):
    """Close by their names without the suffix they share, which makes any short names look alike."""
    for name in ("tabs.svc", "utf16.svc", "step_cap.svc", "actor.svc"):
        (project / name).write_text(STAFF, encoding="utf-8")
    text = MAIN.replace('include "staff.svc"', 'include "actors.svc"')
    [hint] = [d.hint for d in load_main(project, text).diagnostics if d.code == "BP104"]
    assert hint == "did you mean 'actor.svc'?"
    text = MAIN.replace('include "staff.svc"', 'include "tab.svc"')
    assert [d.hint for d in load_main(project, text).diagnostics if d.code == "BP104"] == ["did you mean 'tabs.svc'?"]
