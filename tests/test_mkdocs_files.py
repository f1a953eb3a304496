"""The MkDocs plugin and the files a page's blueprints read: includes, linked files outside
docs_dir, and `mkdocs serve` rebuilding when they change. Through a real `mkdocs build`."""

from __future__ import annotations

import shutil
from pathlib import Path

from .test_mkdocs import EXAMPLES, build

HOTEL = (EXAMPLES / "hotel.svc").read_text(encoding="utf-8")


def project(root: Path) -> Path:
    """A site whose blueprints live beside docs/, with their shared actors."""
    (root / ".blueprint-root").write_text("", encoding="utf-8")
    (root / "docs" / "guide").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (root / "blueprints").mkdir()
    shutil.copytree(EXAMPLES / "shared", root / "blueprints" / "shared")
    (root / "mkdocs.yml").write_text("site_name: Blueprints\nplugins:\n  - blueprint\n", encoding="utf-8")
    return root


def fenced(text: str, include: str) -> str:
    return "```blueprint\n" + text.replace('include "shared/hotel-staff.svc"', f'include "{include}"') + "```\n"


def test_a_fences_includes_are_read_from_the_pages_folder_wherever_mkdocs_runs(tmp_path: Path):
    root = project(tmp_path)
    (root / "docs" / "index.md").write_text(fenced(HOTEL, "../blueprints/shared/hotel-staff.svc"))
    (root / "docs" / "guide" / "stay.md").write_text(fenced(HOTEL, "../../blueprints/shared/hotel-staff.svc"))
    for cwd in (root, root / "docs", root / "docs" / "guide"):
        run = build(root, "--strict", cwd=cwd)
        assert run.returncode == 0, f"from {cwd}:\n{run.stderr}"
        for page in ("index.html", "guide/stay/index.html"):
            built = (root / "site" / page).read_text(encoding="utf-8")
            assert built.count('<div class="blueprint"><svg') == 1 and "Room-service order-taker" in built

    # A missing include is named at its line of the page, the page by its path in docs_dir.
    (root / "docs" / "guide" / "stay.md").write_text(fenced(HOTEL, "../shared/hotel-staff.svc"))
    line = 1 + next(number for number, text in enumerate(HOTEL.splitlines(), 1) if text.startswith("include"))
    strict = build(root, "--strict")
    assert strict.returncode != 0 and "Traceback" not in strict.stderr
    missing = root / "docs" / "shared" / "hotel-staff.svc"
    assert f"guide/stay.md:{line}:1: error BP104 include-not-found: '{missing}' does not exist" in strict.stderr


def test_a_linked_file_outside_docs_dir_is_named_by_its_plain_path(tmp_path: Path):
    root = project(tmp_path)
    (root / "blueprints" / "broken.svc").write_text(HOTEL.replace("  scenario", "  scenaro"), encoding="utf-8")
    (root / "docs" / "guide" / "links.md").write_text("![Broken](../../blueprints/broken.svc)\n", encoding="utf-8")
    strict = build(root, "--strict")
    assert strict.returncode != 0 and "Traceback" not in strict.stderr
    assert f"\n{root}/blueprints/broken.svc:8:3: error BP004 unknown-keyword" in strict.stderr
    assert "/../" not in strict.stderr
