"""``blueprint watch`` in a real browser: the page follows the file, errors show as an overlay."""

from __future__ import annotations

import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from blueprint_dsl.watch import MAX_SETTLE, SETTLE, Preview, inject, serve, settled

from .browser_support import start_browser

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def watching(blueprint: Path, port: int = 0) -> Iterator[str]:
    """A real `blueprint watch` of the file, from this checkout; its address."""
    process = subprocess.Popen(
        [sys.executable, "-m", "blueprint_dsl", "watch", str(blueprint), "--port", str(port), "--interval", "0.1"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert match, f"no address in {line!r}: {process.stderr.read() if process.poll() is not None else ''}"
        yield match.group(0)
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def watched(tmp_path: Path):
    (tmp_path / ".blueprint-root").write_text("", encoding="utf-8")
    shutil.copytree(ROOT / "examples" / "shared", tmp_path / "shared")
    blueprint = tmp_path / "hotel.svc"
    shutil.copy(ROOT / "examples" / "hotel.svc", blueprint)
    with watching(blueprint) as url:
        yield blueprint, url


def save(path: Path, text: str) -> None:
    # Editors often save within the same second: make sure the change is seen.
    path.write_text(text, encoding="utf-8")


def test_page_follows_the_file_and_shows_errors_over_the_last_render(watched) -> None:
    blueprint, url = watched
    playwright, browser = start_browser()
    try:
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.goto(url)
        assert page.locator("h1#title").inner_text() == "Hotel stay with room service"
        assert page.locator("#blueprint-watch-overlay").count() == 0

        text = blueprint.read_text(encoding="utf-8")
        save(blueprint, text.replace('"Arrives by taxi"', '"Arrives on foot in the rain"'))
        page.get_by_text("Arrives on foot in the rain").first.wait_for(state="attached", timeout=15_000)

        # An included file is watched too.
        staff = blueprint.parent / "shared" / "hotel-staff.svc"
        save(staff, staff.read_text(encoding="utf-8").replace('"Chef"', '"Head chef"'))
        page.get_by_text("Head chef").first.wait_for(state="attached", timeout=15_000)

        broken = text.replace('"Arrives by taxi"', '"Arrives on foot in the rain"').replace("  scenario", "  scenaro")
        save(blueprint, broken)
        overlay = page.locator("#blueprint-watch-overlay")
        overlay.wait_for(timeout=15_000)
        assert "BP004" in overlay.inner_text() and "did you mean 'scenario'?" in overlay.inner_text()
        # The last good render stays underneath.
        assert page.locator("h1#title").inner_text() == "Hotel stay with room service"
        assert page.get_by_text("Arrives on foot in the rain").count() >= 1

        save(blueprint, text)
        page.wait_for_selector("#blueprint-watch-overlay", state="detached", timeout=15_000)
        page.get_by_text("Arrives by taxi").first.wait_for(state="attached", timeout=15_000)
        assert errors == [], f"console or script errors: {errors}"
    finally:
        browser.close()
        playwright.stop()


def test_the_injected_script_is_allowed_by_the_page_policy() -> None:
    page = (
        '<!doctype html><html><head><meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; script-src 'sha256-abc'\"></head><body>x</body></html>"
    )
    served = inject(page, 7, ["boom"], 250)
    policy = re.search(r'content="([^"]*)"', served).group(1)
    assert re.search(r"script-src 'sha256-[^']+' 'sha256-abc'", policy)
    assert "style-src 'sha256-" in policy and "connect-src 'self'" in policy
    assert 'data-watch-version="7"' in served
    assert served.index('id="blueprint-watch-overlay"') < served.index("</body>")
    assert inject(page, 1, [], 250).count("blueprint-watch-overlay\"") == 0


@pytest.mark.parametrize(("option", "value"), [("--port", "70000"), ("--port", "-1"), ("--interval", "0"),
                                               ("--interval", "nan"), ("--interval", "inf")])
def test_an_option_out_of_range_is_a_usage_error(option: str, value: str) -> None:
    """Never a traceback from bind(), and never a loop that checks the file without pause."""
    run = subprocess.run([sys.executable, "-m", "blueprint_dsl", "watch", str(ROOT / "examples" / "hotel.svc"),
                          option, value], capture_output=True, text=True, timeout=30)
    assert run.returncode == 2
    assert f"Invalid value for '{option}'" in run.stderr and "Traceback" not in run.stderr


def test_a_configuration_that_cannot_be_used_stops_it_as_it_stops_check(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.blueprint]\nignore = ["BP999"]\n', encoding="utf-8")
    (tmp_path / "hotel.svc").write_text((ROOT / "examples" / "hotel.svc").read_text(encoding="utf-8"), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "blueprint_dsl", "watch", str(tmp_path / "hotel.svc"), "--port", "0"],
                         capture_output=True, text=True, timeout=30)
    assert run.returncode == 2 and run.stdout == ""
    assert f"Error: {tmp_path / 'pyproject.toml'}: [tool.blueprint]: ignore: 'BP999' is not a rule" in run.stderr


def test_a_change_is_read_once_the_files_stop_changing():
    """An editor may save by emptying a file and then writing it: the change is read once
    the stamps stay the same for a moment, not at the empty file."""
    seen = iter([{"a.svc": (2, 0)}, {"a.svc": (3, 812)}, {"a.svc": (3, 812)}])
    assert settled(lambda: next(seen), {"a.svc": (1, 0)}, threading.Event()) == {"a.svc": (3, 812)}
    # A file written without pause is read after MAX_SETTLE all the same.
    ticks = iter(range(1000))
    last = int(MAX_SETTLE / SETTLE) - 1
    assert settled(lambda: {"a.svc": (next(ticks), 1)}, {}, threading.Event()) == {"a.svc": (last, 1)}


def served(url: str, shows: Callable[[str], bool], what: str) -> str:
    """The page the server serves once ``shows`` holds of it (within 15 seconds), as a browser would load it."""
    deadline = time.monotonic() + 15
    while True:
        with urllib.request.urlopen(url, timeout=5) as response:
            page = response.read().decode("utf-8")
        if shows(page):
            return page
        assert time.monotonic() < deadline, f"the page never showed {what}:\n{page[-3000:]}"
        time.sleep(0.05)


def overlay(page: str) -> str:
    """The text of the page's overlay of problems, or "" when it has none."""
    found = re.search(r'<div id="blueprint-watch-overlay".*?</div>', page, flags=re.DOTALL)
    return found.group(0) if found else ""


def test_a_save_during_a_reload_is_seen_and_a_file_first_read_then_is_not(tmp_path: Path) -> None:
    """The stamps a reload gives are taken before the files it knew are read: a save while
    it renders (a large page takes seconds) is seen at the next poll. An include read for the
    first time is not taken for a change at the next poll, which would reload the page twice."""
    (tmp_path / ".blueprint-root").write_text("", encoding="utf-8")
    blueprint = tmp_path / "coffee.svc"
    shutil.copy(ROOT / "examples" / "coffee.svc", blueprint)
    saves = iter([lambda: None, lambda: blueprint.write_text(blueprint.read_text() + "\n# saved meanwhile\n")])

    def render(model, options) -> bytes:
        next(saves)()  # the first load renders untouched; during the second, the editor saves
        return b"<html><body>page</body></html>"

    preview = Preview(path=blueprint, renderer=render)
    stamps = preview.reload()
    assert preview.stamps() == stamps
    (tmp_path / "staff.svc").write_text('role extra frontstage "Extra"\n', encoding="utf-8")
    blueprint.write_text('include "staff.svc"\n' + blueprint.read_text(), encoding="utf-8")
    stamps = preview.reload()
    assert str(tmp_path / "staff.svc") in stamps
    changed = [name for name, stamp in preview.stamps().items() if stamps.get(name) != stamp]
    assert changed == [str(blueprint)]


def test_an_include_saved_after_it_is_first_read_is_seen(tmp_path: Path) -> None:
    """An include read for the first time is stamped as it is read: a save while the page
    renders (the first load too) is seen at the next poll."""
    (tmp_path / ".blueprint-root").write_text("", encoding="utf-8")
    staff = tmp_path / "staff.svc"
    staff.write_text('role extra frontstage "Extra"\n', encoding="utf-8")
    blueprint = tmp_path / "coffee.svc"
    blueprint.write_text('include "staff.svc"\n' + (ROOT / "examples" / "coffee.svc").read_text(), encoding="utf-8")

    def render(model, options) -> bytes:
        staff.write_text('role extra frontstage "Extra staff"\n', encoding="utf-8")
        return b"<html><body>page</body></html>"

    preview = Preview(path=blueprint, renderer=render)
    stamps = preview.reload()
    changed = [name for name, stamp in preview.stamps().items() if stamps.get(name) != stamp]
    assert str(staff) in stamps and changed == [str(staff)]


def test_an_include_that_comes_to_be_is_read_and_the_overlay_goes(tmp_path: Path) -> None:
    """As an editor, or `git checkout`, makes the file: at first, and after it was deleted."""
    (tmp_path / ".blueprint-root").write_text("", encoding="utf-8")
    (tmp_path / "shared").mkdir()
    staff = tmp_path / "shared" / "hotel-staff.svc"
    blueprint = tmp_path / "hotel.svc"
    shutil.copy(ROOT / "examples" / "hotel.svc", blueprint)
    with watching(blueprint) as url:
        served(url, lambda page: "BP104" in overlay(page), "the missing include")
        shutil.copy(ROOT / "examples" / "shared" / "hotel-staff.svc", staff)
        page = served(url, lambda page: not overlay(page), "the page without its overlay")
        assert "Room-service order-taker" in page

        staff.unlink()
        served(url, lambda page: "BP104" in overlay(page), "the deleted include")
        time.sleep(1)  # long after the reloads that found it gone
        staff.write_text((ROOT / "examples" / "shared" / "hotel-staff.svc").read_text(encoding="utf-8")
                         .replace('"Chef"', '"Head chef"'), encoding="utf-8")
        page = served(url, lambda page: not overlay(page) and "Head chef" in page, "the include made again")


def test_the_page_follows_the_pyproject_toml_that_configures_it(tmp_path: Path) -> None:
    (tmp_path / ".blueprint-root").write_text("", encoding="utf-8")
    blueprint = tmp_path / "team" / "coffee.svc"
    blueprint.parent.mkdir()
    # Without evidence on its steps, the page lists BP401 among its findings.
    blueprint.write_text(re.sub(r"\n *evidence [^\n]*", "", (ROOT / "examples" / "coffee.svc").read_text("utf-8")),
                         encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text("[tool.blueprint]\n", encoding="utf-8")
    with watching(blueprint) as url:
        assert "BP401" in served(url, lambda page: "BP401" in page, "the finding")
        (tmp_path / "pyproject.toml").write_text('[tool.blueprint]\nignore = ["BP401"]\n', encoding="utf-8")
        served(url, lambda page: "BP401" not in page, "the finding ignored")

        # One made nearer the blueprint takes over; a mistake in it shows over the last good page.
        nearer = blueprint.parent / "pyproject.toml"
        nearer.write_text('[tool.blueprint]\nignore = ["BP999"]\n', encoding="utf-8")
        page = served(url, lambda page: "is not a rule" in overlay(page), "the mistake")
        assert f"{nearer}: [tool.blueprint]: ignore: &#x27;BP999&#x27; is not a rule" in overlay(page)
        assert "BP401" not in page
        nearer.write_text("[tool.blueprint]\n", encoding="utf-8")
        served(url, lambda page: not overlay(page) and "BP401" in page, "the finding again")


def test_a_reload_keeps_the_page_and_the_grid_where_they_were_scrolled(watched) -> None:
    blueprint, url = watched
    playwright, browser = start_browser()
    try:
        page = browser.new_page(viewport={"width": 900, "height": 600})
        page.goto(url)
        page.wait_for_selector("html[data-ready=true]", state="attached")
        page.evaluate("document.getElementById('grid-wrap').scrollLeft = 400; window.scrollTo(0, 300)")
        before = page.evaluate("[window.scrollY, document.getElementById('grid-wrap').scrollLeft]")
        assert before == [300, 400]  # both can scroll that far, or the test shows nothing

        save(blueprint, blueprint.read_text(encoding="utf-8").replace('"Arrives by taxi"', '"Arrives on foot"'))
        page.get_by_text("Arrives on foot").first.wait_for(state="attached", timeout=15_000)
        page.wait_for_selector("html[data-ready=true]", state="attached")
        deadline, after = time.monotonic() + 5, None
        while after != before and time.monotonic() < deadline:  # restored once the page has loaded
            time.sleep(0.05)
            after = page.evaluate("[window.scrollY, document.getElementById('grid-wrap').scrollLeft]")
        assert after == before
    finally:
        browser.close()
        playwright.stop()


def test_a_browser_that_goes_away_during_a_load_is_no_error(tmp_path: Path, capsys) -> None:
    """A reload or a closed tab cuts a large page short: nothing to tell on the terminal."""
    blueprint = tmp_path / "coffee.svc"
    shutil.copy(ROOT / "examples" / "coffee.svc", blueprint)
    addresses: list[str] = []
    stop = threading.Event()
    large = b"<!doctype html><html><body>" + b"x" * 32_000_000 + b"</body></html>"
    server = threading.Thread(target=serve, args=(blueprint, 0), daemon=True,
                              kwargs={"renderer": lambda blueprint, options: large, "ready": addresses.append,
                                      "stop": stop})
    server.start()
    try:
        while not addresses:
            time.sleep(0.01)
        port = int(addresses[0].rsplit(":", 1)[1].strip("/"))
        for _ in range(3):
            with socket.create_connection(("127.0.0.1", port)) as client:
                client.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                client.recv(1024)
                client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close with a reset
        time.sleep(0.5)
        with urllib.request.urlopen(addresses[0], timeout=10) as response:
            assert len(response.read()) > len(large)  # and it serves on
    finally:
        stop.set()
        server.join(timeout=10)
    assert capsys.readouterr().err == ""



def test_a_page_left_open_while_watch_restarts_shows_what_changed_meanwhile(tmp_path: Path) -> None:
    """Stopped, the file changed (a branch switched, say), started again on the same port:
    the open page redraws, though the new server has read the file as often as the old one."""
    blueprint = tmp_path / "coffee.svc"
    shutil.copy(ROOT / "examples" / "coffee.svc", blueprint)
    playwright, browser = start_browser()
    try:
        page = browser.new_page()
        with watching(blueprint) as url:
            page.goto(url)
            page.wait_for_selector("html[data-ready=true]", state="attached")
        save(blueprint, blueprint.read_text(encoding="utf-8").replace('"Coffee to go"', '"Tea to go"'))
        with watching(blueprint, int(url.rsplit(":", 1)[1].strip("/"))):
            page.get_by_text("Tea to go").first.wait_for(state="attached", timeout=15_000)
    finally:
        browser.close()
        playwright.stop()


def test_the_address_line_names_a_file_with_a_line_break_on_one_line(tmp_path: Path):
    """Tools read the address from the first line: a line break in the name would split it,
    an escape sequence drive the terminal."""
    (tmp_path / ".blueprint-root").write_text("", encoding="utf-8")
    blueprint = tmp_path / "new\nline \x9b[2J.svc"
    shutil.copy(ROOT / "examples" / "coffee.svc", blueprint)
    process = subprocess.Popen([sys.executable, "-m", "blueprint_dsl", "watch", str(blueprint), "--port", "0"],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = process.stdout.readline()
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert "new\\nline \\x9b[2J.svc: http://127.0.0.1:" in line and line.rstrip("\n").isprintable(), line


def test_open_hands_the_address_to_the_browser_while_the_page_is_served(tmp_path: Path) -> None:
    """--open starts $BROWSER on the address, as Python's webbrowser starts the user's
    browser; the page is served while the browser runs (one of the terminal holds its caller)."""
    opened = tmp_path / "opened"
    browser = tmp_path / "browser"
    browser.write_text(f"#!{sys.executable}\nimport sys, urllib.request\n"
                       "page = urllib.request.urlopen(sys.argv[1], timeout=20).read()\n"
                       f"open({str(opened)!r}, 'w').write(sys.argv[1] + ' ' + str(b'Coffee to go' in page))\n")
    browser.chmod(0o755)
    process = subprocess.Popen([sys.executable, "-m", "blueprint_dsl", "watch", str(ROOT / "examples" / "coffee.svc"),
                                "--port", "0", "--open"], cwd=ROOT, env={**os.environ, "BROWSER": str(browser)},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = re.search(r"http://127\.0\.0\.1:\d+/", process.stdout.readline()).group(0)
        deadline = time.monotonic() + 30
        while not opened.exists() and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.05)
    finally:
        process.terminate()
        _, errors = process.communicate(timeout=10)
    assert opened.read_text() == f"{url} True", errors
