"""Hostile text in every text field of a blueprint runs nothing and shows as written.

Each payload of the corpus goes into the title, header facts, actor names, stage names,
step labels, evidence, action texts, notes, fail and fail-safe texts, annotations, flow
labels and a finding's message. The page must run no script (``alert`` and friends are
hooked), hold exactly the elements a harmless text gives, ask no other host for
anything, and show the payload literally where it belongs.
"""

from __future__ import annotations

import re

import pytest

from blueprint_dsl import loads
from blueprint_dsl.diagnostics import Diagnostic, Severity, Span
from blueprint_dsl.render import FORMATS, RenderOptions
from tests.browser_support import new_tab, start_browser
from tests.hostile_strings import blueprint_text

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><script>alert(1)</script>',
    "'><script>alert(1)</script>",
    "</script><script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<a href="javascript:alert(1)">click me</a>',
    '" onmouseover="alert(1)',
    "' onfocus='alert(1)' autofocus '",
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<!--<img src=x onerror=alert(1)>-->",
    "]]><script>alert(1)</script>",
    "{{ 7*7 }} {% raw %} {# c #}",
    "${alert(1)}",
    "`;alert(1);`",
    "\u2028\u2029</script><script>alert(1)</script>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "<style>*{display:none}</style>",
    "<link rel=stylesheet href=http://evil.test/x.css>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="http://evil.test/">',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    "<input autofocus onfocus=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "<template><script>alert(1)</script></template>",
    '<img src="http://evil.test/pixel.png">',
    "javascript:alert(1)",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "<<script>script>alert(1)<</script>/script>",
    '"};alert(1);//',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<x onclick=alert(1)>click",
    "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e",
    "data:text/html,<script>alert(1)</script>",
    "line one\nline two <b>bold</b>\ttab",
]
HARMLESS = "Plain words"


def page_for(text: str) -> bytes:
    result = loads(blueprint_text(text), "xss.svc")
    assert result.ok, result.diagnostics
    blueprint = result.blueprint
    a2 = blueprint.action_index()["a2"]
    findings = (
        Diagnostic(code="BP900", name="example-finding", severity=Severity.WARNING, message=text, span=a2.span),
        Diagnostic(
            code="BP901", name="general-finding", severity=Severity.INFO, message=text, span=Span.point("xss.svc", 2, 1)
        ),
    )
    return FORMATS["html"].render(blueprint, RenderOptions(diagnostics=findings))


HOOK = """
window.__xss = 0;
for (const name of ['alert', 'confirm', 'prompt', 'print', 'open']) window[name] = () => { window.__xss += 1; };
"""

# The lines of a flow's label (tspans, as many as a label's length makes) are counted apart:
# each must be a line of a label and hold nothing but text. So are the leaders, drawn for a
# label long enough to be set off its flow: each must hold nothing at all.
STRUCTURE = """() => {
  const all = [...document.querySelectorAll('*')];
  const lines = [...document.querySelectorAll('#flow-labels text.flow-label > tspan')];
  const leaders = [...document.querySelectorAll('#flow-paths > .flow-leader')];
  const counts = {};
  for (const e of all) if (!lines.includes(e) && !leaders.includes(e)) counts[e.tagName] = (counts[e.tagName] || 0) + 1;
  counts.labelLinesHoldingMore = lines.filter(e => e.children.length > 0).length;
  counts.leadersHoldingAnything = leaders.filter(e => e.childNodes.length > 0).length;
  const handlers = all.flatMap(e => [...e.attributes].map(a => a.name).filter(n => n.startsWith('on')));
  const hrefs = [...document.querySelectorAll('[href], [src], [action], [data]')]
      .map(e => e.getAttribute('href') || e.getAttribute('src') || '')
      .filter(h => !h.startsWith('#') && h !== 'data:,');
  return {counts, handlers, hrefs};
}"""


@pytest.fixture(scope="module")
def tab():
    playwright, browser = start_browser()
    tab = new_tab(browser)
    tab.page.add_init_script(HOOK)
    yield tab
    browser.close()
    playwright.stop()


@pytest.fixture(scope="module")
def harmless_structure(tab):
    tab.open("harmless.html", page_for(HARMLESS))
    exercise(tab.page)
    return tab.page.evaluate(STRUCTURE)


def exercise(page) -> None:
    """Hovers and clicks what a reader would, so handlers waiting on events get their chance."""
    for card in ("a1", "a2", "a3"):
        page.hover(f"#action-{card}")
    page.click("#action-a2 .card-text")
    assert page.is_visible("#details")


def test_the_corpus_is_large_enough():
    assert len(PAYLOADS) >= 30
    assert len(set(PAYLOADS)) == len(PAYLOADS)


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_payload_runs_nothing_and_shows_literally(tab, harmless_structure, payload):
    tab.requests.clear()
    tab.errors.clear()
    url = tab.open("xss.html", page_for(payload))
    page = tab.page
    exercise(page)
    assert page.eval_on_selector("#details-title", "e => e.textContent") == payload

    assert page.evaluate("window.__xss") == 0
    structure = page.evaluate(STRUCTURE)
    assert structure["handlers"] == []
    assert structure["hrefs"] == []
    assert structure["counts"] == harmless_structure["counts"]

    def text(selector: str) -> str:
        return page.eval_on_selector(selector, "e => e.textContent")

    # document.title collapses ASCII whitespace, as browsers do for <title>.
    assert page.title() == re.sub(r"[ \t\n\f\r]+", " ", f"{payload} · service blueprint").strip(" \t\n\f\r")
    assert text("h1") == payload
    for fact in ("scenario", "persona", "segment", "owner", "version"):
        assert text(f".fact-{fact} dd") == payload, fact
    assert text(".description") == payload
    assert text("th.stage-header[data-stage=s1]") == payload
    assert text("th.stage-header[data-stage=s2]") == "second " + payload
    assert text("#step-0") == payload
    for action in ("a1", "a2", "a3"):
        assert text(f"#action-label-{action}") == payload
        assert text(f"#action-{action} .card-actor").startswith(payload)
    evidence = page.eval_on_selector_all("#row-evidence .evidence", "es => es.map(e => e.textContent)")
    assert evidence == ["step " + payload, "more " + payload, "with " + payload]
    annotations = page.eval_on_selector_all(".annotation-row .annotation", "es => es.map(e => e.textContent)")
    assert annotations == ["annoyed (-1)", payload, payload, payload]
    assert page.eval_on_selector_all("#flow-labels text", "ts => ts.map(t => t.textContent)") == [payload, payload]
    facts = page.eval_on_selector_all("#action-facts-a2 .action-facts dd", "ds => ds.map(d => d.textContent)")
    assert facts.count(payload) >= 4  # actor, fail point, fail-safe, owner
    assert text("#action-facts-a1 .note") == payload
    assert payload in text("#action-a2 .card-findings")
    assert sum(payload in t for t in page.eval_on_selector_all(".findings li", "ls => ls.map(l => l.textContent)")) == 2
    options = page.eval_on_selector_all("#filter-actor option", "os => os.map(o => o.textContent)")
    assert options == ["All actors", payload, payload, payload]
    assert page.get_attribute("#action-a2 .marker-fail", "title") == f"Fail point: {payload}"
    tab.assert_clean(url)
