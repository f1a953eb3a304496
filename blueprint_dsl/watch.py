"""``blueprint watch``: the HTML page of one blueprint, served on localhost, redrawn on save.

A thread polls the modification times of the blueprint, of every file it includes, of the
included files it looked for in vain, and of the pyproject.toml that configures it (or
where one would); on a change, once the files have stopped changing for a moment (an
editor may empty a file before it writes it), it reads the configuration and loads the
blueprint again, and renders it. When the blueprint no longer loads (a syntax error, a
missing include) or the configuration cannot be used, the page keeps its last good
render and an overlay lists the problems. The browser polls a version number and reloads
when it changes, scrolled back to where the page and its grid were. The served page
differs from ``render -f html`` only by a small script, style and overlay added here,
with their hashes added to the page's Content-Security-Policy (and ``connect-src 'self'``
for the polling).
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable

from .check import check
from .config import ConfigError, load_config, pyproject_places
from .diagnostics import Diagnostic, Severity, Span, render_text
from .loader import IncludedFiles, load
from .model import Blueprint
from .render import FORMATS, RenderError, RenderOptions

#: Renders a blueprint to a page: ``FORMATS["html"].render``, or a stand-in in tests.
Renderer = Callable[[Blueprint, RenderOptions], bytes]
VERSION_PATH = "/__blueprint/version"
#: How long the files must stay as they are before a change is read: an editor may save
#: by emptying a file, then writing it, and the empty file is no error to show.
SETTLE = 0.05
#: The longest a change waits to settle, for a file written without pause.
MAX_SETTLE = 1.0

_SCRIPT = """(function () {
  var shown = document.documentElement.getAttribute("data-watch-version");
  var wrap = document.getElementById("grid-wrap"), key = "blueprint-watch-scroll", kept = null;
  try { kept = sessionStorage.getItem(key); sessionStorage.removeItem(key); } catch (e) {}
  if (kept) {
    window.addEventListener("load", function () {
      var at = JSON.parse(kept);
      if (wrap) { wrap.scrollLeft = at[2]; wrap.scrollTop = at[3]; }
      window.scrollTo(at[0], at[1]);
    });
  }
  function reload() {
    var at = [window.scrollX, window.scrollY, wrap ? wrap.scrollLeft : 0, wrap ? wrap.scrollTop : 0];
    try { sessionStorage.setItem(key, JSON.stringify(at)); } catch (e) {}
    location.reload();
  }
  function poll() {
    fetch("%s", {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (v) {
      if (String(v.version) !== shown) { reload(); } else { setTimeout(poll, %d); }
    }).catch(function () { setTimeout(poll, 1000); });
  }
  setTimeout(poll, %d);
})();"""
_STYLE = """#blueprint-watch-overlay{position:fixed;inset:0 0 auto 0;max-height:70vh;overflow:auto;z-index:2147483647;
margin:0;padding:1rem 1.5rem;background:rgba(40,0,0,.94);color:#fff;font:14px/1.45 ui-monospace,monospace;
box-shadow:0 4px 24px rgba(0,0,0,.5)}#blueprint-watch-overlay h2{margin:0 0 .5rem;font:600 16px system-ui,sans-serif}
#blueprint-watch-overlay pre{white-space:pre-wrap;margin:0 0 .75rem}"""
_EMPTY_PAGE = (
    '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\">"
    "<title>blueprint watch</title></head><body></body></html>"
)


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


@dataclass
class Preview:
    """The state of one watched blueprint: the last good page and what is wrong now."""

    path: Path
    renderer: Renderer
    #: Counts the renders, from the time the preview began (in milliseconds): a page left
    #: open while ``watch`` is stopped and started again never takes the new server's
    #: version for its own, and reloads.
    version: int = field(default_factory=lambda: time.time_ns() // 1_000_000)
    page: str | None = None
    problems: list[str] = field(default_factory=list)
    #: The paths polled for changes: the files read, those looked for in vain (a missing
    #: include that may come to be), and where a pyproject.toml would configure the blueprint.
    files: tuple[str, ...] = ()
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reload(self) -> dict[str, tuple[int, int] | None]:
        """Read the blueprint anew, as `check` would read it now; the stamps of the files it
        was read from, each taken before it was read, so that a save during the reload is
        seen at the next poll: for the files read last time, before the reload; for an
        include read for the first time, as it is read."""
        before = self.stamps()
        included = _StampedIncludes()
        settings = tuple(map(str, pyproject_places(self.path.parent.resolve())))
        try:
            config, config_problems = load_config(self.path.parent), []
        except ConfigError as error:
            config, config_problems = None, [str(error)]
        result = load(self.path, included=included)
        errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
        page, problems = None, [render_text(d, result.sources) for d in errors]
        if not errors and result.blueprint is None:
            problems = [f"{self.path}: holds no blueprint to show"]
        elif not errors and config is not None:
            findings = tuple(check(result, config))
            try:
                options = RenderOptions(diagnostics=findings, default_tolerance=config.settings.default_tolerance)
                page = self.renderer(result.blueprint, options).decode("utf-8")
            except RenderError as error:
                problems = [f"the page could not be rendered: {error}"]
        problems = config_problems + problems
        with self.lock:
            self.files = (*(result.files or (str(self.path),)), *result.unread, *settings)
            self.version += 1
            self.problems = problems
            if page is not None:
                self.page = page
        first_read = included.stamps
        return {name: before.get(name, first_read.get(name, stamp)) for name, stamp in self.stamps().items()}

    def stamps(self) -> dict[str, tuple[int, int] | None]:
        return {name: _stamp(name) for name in (str(self.path), *self.files)}

    def served_page(self, poll_ms: int) -> bytes:
        with self.lock:
            page, problems, version = self.page or _EMPTY_PAGE, list(self.problems), self.version
        return inject(page, version, problems, poll_ms).encode("utf-8")


class _StampedIncludes(IncludedFiles):
    """The included files, read from the disk, each stamped just before it is read."""

    def __init__(self) -> None:
        super().__init__({})
        self.stamps: dict[str, tuple[int, int] | None] = {}

    def read(self, target: Path, display: str, span: Span) -> tuple[str | None, Diagnostic | None]:
        self.stamps.setdefault(str(target), _stamp(str(target)))
        return super().read(target, display, span)


def _stamp(name: str) -> tuple[int, int] | None:
    """A file's modification time and size, which a save changes; None if it is not there."""
    try:
        info = os.stat(name)
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size


def settled(stamps_now: Callable[[], dict], stamps: dict, stop: threading.Event) -> dict:
    """The files' stamps once they have stayed the same for SETTLE seconds, or after MAX_SETTLE."""
    for _ in range(int(MAX_SETTLE / SETTLE)):
        if stop.wait(SETTLE):
            break
        now = stamps_now()
        if now == stamps:
            break
        stamps = now
    return stamps


def inject(page: str, version: int, problems: list[str], poll_ms: int) -> str:
    """The page with the reload script, and the overlay when there are problems."""
    script = _SCRIPT % (VERSION_PATH, poll_ms, poll_ms)
    added = f"<style>{_STYLE}</style><script>{script}</script>"
    if problems:
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        items = "".join(f"<pre>{html.escape(p)}</pre>" for p in problems)
        added += (
            f'<div id="blueprint-watch-overlay" role="alert"><h2>The blueprint does not load ({count}); '
            f"showing the last good render</h2>{items}</div>"
        )

    def widen(match: re.Match[str]) -> str:
        policy = match.group(2)
        for directive, source in (("script-src", _sha256(script)), ("style-src", _sha256(_STYLE))):
            if re.search(rf"(^|;)\s*{directive}\b", policy):
                policy = re.sub(rf"((?:^|;)\s*{directive})", rf"\1 {source}", policy, count=1)
            else:
                policy += f"; {directive} {source}"
        policy += "; connect-src 'self'"
        return match.group(1) + policy + match.group(3)

    page = re.sub(r'(<meta http-equiv="Content-Security-Policy" content=")([^"]*)(")', widen, page, count=1)
    page = page.replace("<html", f'<html data-watch-version="{version}"', 1)
    at = page.rfind("</body>")
    return page[:at] + added + page[at:] if at >= 0 else page + added


def serve(
    path: Path,
    port: int,
    *,
    renderer: Renderer | None = None,
    interval: float = 0.25,
    ready: Callable[[str], None] = print,
    stop: threading.Event | None = None,
) -> None:
    """Serve the page on 127.0.0.1:port until ``stop`` is set (or forever).

    A ``[tool.blueprint]`` that cannot be used raises ``ConfigError`` before anything is
    served, as ``check`` and ``render`` stop at it; once served, the overlay shows it.
    """
    load_config(path.parent)
    preview = Preview(path=path, renderer=renderer or FORMATS["html"].render)
    stamps = preview.reload()
    poll_ms = max(int(interval * 1000), 100)
    httpd = ThreadingHTTPServer(("127.0.0.1", port), _handler(preview, poll_ms))
    httpd.daemon_threads = True
    stop = stop or threading.Event()
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    ready(f"http://127.0.0.1:{httpd.server_address[1]}/")
    try:
        while not stop.wait(interval):
            now = preview.stamps()
            if now != stamps:
                settled(preview.stamps, now, stop)
                stamps = preview.reload()
    finally:
        httpd.shutdown()
        httpd.server_close()


def _handler(preview: Preview, poll_ms: int) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
            route = self.path.split("?")[0]
            if route == VERSION_PATH:
                with preview.lock:
                    body = json.dumps({"version": preview.version}).encode("utf-8")
                self.send(200, body, "application/json")
            elif route in ("/", "/index.html"):
                self.send(200, preview.served_page(poll_ms), "text/html; charset=utf-8")
            else:
                self.send(404, b"not found\n", "text/plain; charset=utf-8")

        def send(self, status: int, body: bytes, content_type: str) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)
            except ConnectionError:
                pass  # the browser went away mid-answer (a reload, a closed tab): nothing to tell

        def log_message(self, format: str, *args: object) -> None:
            pass  # a request log would drown the one line that matters

    return Handler
