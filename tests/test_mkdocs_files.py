"""The MkDocs plugin and the files a page's blueprints read: includes, linked files outside
docs_dir, and `mkdocs serve` rebuilding when they change. Through a real `mkdocs build`."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .test_mkdocs import EXAMPLES, build, this_checkout

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



def test_a_linked_file_that_cannot_be_drawn_is_named_with_the_place_of_its_link(tmp_path: Path):
    """Of a page with many links, the warning says which one, at its line and column (front matter counted)."""
    root = project(tmp_path)
    (root / "docs" / "guide" / "links.md").write_text("---\ntitle: Links\n---\n\n# Links\n\n"
                                                     "Text, then ![Gone](gone.svc)\n", encoding="utf-8")
    strict = build(root, "--strict")
    assert strict.returncode != 0 and "Traceback" not in strict.stderr
    assert "blueprint linked at guide/links.md:7:12 has errors:\n" in strict.stderr
    assert f"{root}/docs/guide/gone.svc' does not exist" in strict.stderr

@contextmanager
def serving(root: Path) -> Iterator[str]:
    """A real `mkdocs serve` of the site on a free port, with this checkout's plugin; its address."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = (root / "serve.log").open("w", encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-f", str(root / "mkdocs.yml"),
                                "--dev-addr", f"127.0.0.1:{port}"], cwd=root, env=this_checkout(),
                               stdout=log, stderr=subprocess.STDOUT)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.send_signal(signal.SIGINT)  # as Ctrl-C stops it, taking its temporary site away
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def page_showing(url: str, shows: Callable[[str], bool], what: str, log: Path) -> str:
    """The page as served once ``shows`` holds of it (within 60 seconds: the first build comes first)."""
    deadline = time.monotonic() + 60
    page = ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                page = response.read().decode("utf-8")
        except OSError:
            pass  # not serving yet
        if shows(page):
            return page
        time.sleep(0.2)
    raise AssertionError(f"the page never showed {what}:\n{log.read_text(encoding='utf-8')[-3000:]}")


def test_serve_rebuilds_when_a_blueprint_outside_docs_dir_or_its_include_changes(tmp_path: Path):
    root = project(tmp_path)
    blueprints = root / "blueprints"
    (blueprints / "hotel.svc").write_text(HOTEL, encoding="utf-8")
    (root / "docs" / "index.md").write_text("![Hotel](../blueprints/hotel.svc)\n", encoding="utf-8")
    clinic = (EXAMPLES / "clinic.svc").read_text(encoding="utf-8")
    fence = clinic.replace('include "shared/clinic-staff.svc"', 'include "../../blueprints/new/staff.svc"')
    (root / "docs" / "guide" / "clinic.md").write_text(f"```blueprint\n{fence}```\n", encoding="utf-8")
    (blueprints / "new").mkdir()
    log = root / "serve.log"
    with serving(root) as url:
        clinic_url = url + "guide/clinic/"
        page_showing(url, lambda page: "<title>Hotel stay with room service" in page, "the linked blueprint", log)

        # The linked file, then the file it includes.
        (blueprints / "hotel.svc").write_text(HOTEL.replace('"Arrives by taxi"', '"Arrives on foot"'))
        page_showing(url, lambda page: "Arrives on foot" in page, "the linked file's change", log)
        staff = blueprints / "shared" / "hotel-staff.svc"
        staff.write_text(staff.read_text(encoding="utf-8").replace('"Chef"', '"Head chef"'), encoding="utf-8")
        page_showing(url, lambda page: "Head chef" in page, "the included file's change", log)

        # A fence's include that does not exist, in a folder that does, then comes to be.
        page_showing(clinic_url, lambda page: "BP104" in page, "the missing include", log)
        shutil.copy(EXAMPLES / "shared" / "clinic-staff.svc", blueprints / "new" / "staff.svc")
        page = page_showing(clinic_url, lambda page: "blueprint-error" not in page, "the include made", log)
        assert '<div class="blueprint"><svg' in page

        # A file a rebuild reads for the first time is watched from then on.
        more = blueprints / "shared" / "more.svc"
        more.write_text(staff.read_text(encoding="utf-8").replace('"Head chef"', '"Sous-chef"'), encoding="utf-8")
        (blueprints / "hotel.svc").write_text(HOTEL.replace("shared/hotel-staff.svc", "shared/more.svc"))
        page_showing(url, lambda page: "Sous-chef" in page, "the newly included file", log)
        more.write_text(more.read_text(encoding="utf-8").replace('"Sous-chef"', '"Pastry chef"'), encoding="utf-8")
        page_showing(url, lambda page: "Pastry chef" in page, "the newly included file's change", log)
