"""A corpus of hostile strings and a blueprint that puts one into every text field.

Shared by the escaping tests of every output format (tests/test_escaping.py) and the
browser test of the HTML page (tests/test_html_xss.py).
"""

from __future__ import annotations

#: Text that breaks an output when it is not escaped where it lands, by name.
HOSTILE = {
    "script": "<script>alert(1)</script>",
    "end-svg": "</svg><svg onload=alert(1)>",
    "cdata-end": "]]><![CDATA[x",
    "double-quote": 'say "hi" "',
    "single-quote": "it's ' \"'",
    "backslashes": "C:\\path\\to\\ \\\\ \\",
    "escape-lookalikes": "\\n \\t \\u{41} \\\" ",
    "dot-edge": '"; a -> b [label="x"]; "',
    "dot-attribute": '", style=invis, label="gone',
    "dot-record": "{a|<p> b}|c",
    "html-label": "<B>bold</B><BR/><TABLE><TR><TD>x</TD></TR></TABLE>",
    "greater-than": "> >> a > b",
    "entities": "&amp; &lt; &#45; &nbsp; &",
    "controls": "".join(chr(code) for code in range(0x20)),
    "c0-in-words": "a\x00b\x07c\x1bd\x7fe",
    "c1-in-words": "a\x80b\x85c\x9bd\x9fe",
    "line-breaks": "one\ntwo\r\nthree\rfour\tfive",
    "bidi": "\u202eevil\u202c and \u2066isolated\u2069 \u200f",
    "zero-width": "a\u200db\u200bc\ufeffd\u2060e",
    "long-word": "W" * 5000,
    "emoji": "\U0001f600 \U0001f469\u200d\U0001f4bb \U0001d538 \u4e2d\u6587 \u0928\u092e\u0938\u094d\u0924\u0947",
    "non-characters": "x\ufffey\uffffz\ufffd \ufdd0\ufdef \U0001fffe \U0010ffff w",
    "template": "{{ 7*7 }} {% raw %} ${x} `y`",
    "percent-and-braces": "%s %d {} {0} \\N",
    "empty": "",
    "spaces": "   ",
}


def quote(text: str) -> str:
    """A string literal for any text: every control character as a ``\\u{..}`` escape."""
    out = []
    for char in text:
        if char in '"\\' or ord(char) < 0x20 or ord(char) == 0x7F:
            out.append("\\u{%x}" % ord(char))
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def blueprint_text(text: str, quote=quote) -> str:
    """A valid blueprint with ``text`` in every text field the language has.

    Actions a1 (customer), a2 (frontstage, with a fail point) and a3 (support); two
    flows between them; stages s1 and s2, steps one and two.
    """
    q = quote(text)
    return f"""
blueprint {q} {{
  scenario {q}
  persona {q}
  segment {q}
  owner {q}
  version {q}
  description {q}
  tolerance 10min
  actor  guest customer   {q}
  role   clerk frontstage {q}
  system db    support    {q}
  stage s1 {q} {{
    step one {q} {{
      evidence {quote("step " + text)}, {quote("more " + text)}
      guest: {q} takes 1min wait 2min as a1 note {q} tag x_tag with {quote("with " + text)} emotion annoyed
      clerk: {q} takes 1min as a2 fail {q} safe {q} owner clerk
      metric {q}
      policy {q}
      time {q}
    }}
  }}
  stage s2 {quote("second " + text)} {{
    step two {q} {{
      db: {q} as a3
    }}
  }}
  a1 <-> a2 : {q}
  a2 -> a3 : {q}
}}
"""
