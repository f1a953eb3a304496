"""Completion offers what the grammar takes at the cursor, and only that: a space triggers it,
and the editor writes the item it highlights on Enter, so an item that does not fit gets written.

Each case is a line written at the cursor (``|``) in ``CAFE``: first in a step, last in a step
(after an action) or in the blueprint; and the labels offered there, in order, to a client
that takes no snippets.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

from tests.lsp_session import Client, doc, open_document

pytestmark = pytest.mark.asyncio(loop_scope="module")

CAFE = """\
blueprint "Cafe" {
  actor guest customer "Guest"
  role  host  frontstage "Host"
  stage s "Sit" {
    step a "Arrive" {
      {first}
      evidence "Door"
      guest: "Walks in" as walk
      host:  "Greets" as greet
      {step}
    }
  }
  {blueprint}
}
"""

MODIFIERS = ["as", "in", "takes", "wait", "fail", "safe", "owner", "emotion", "note", "tag", "with"]
LANES = ["customer", "frontstage", "backstage", "support"]

CASES = [
    # The values a keyword takes: those the language knows, the blueprint's ids, or none to offer.
    ("blueprint", "actor guest |", LANES),
    ("blueprint", "actor guest customer |", []),
    ("blueprint", "theme |", ["default", "light", "dark", "print"]),
    ("blueprint", "owner |", []),
    ("step", 'guest: "Sits" in |', LANES),
    ("step", 'guest: "Sits" emotion |', ["delighted", "pleased", "neutral", "annoyed", "frustrated"]),
    ("step", 'guest: "Sits" fail "Full" owner |', ["guest", "host"]),
    ("step", 'guest: "Sits" takes |', []),
    ("step", 'guest: "Sits" tag |', []),
    ("step", 'guest: "Sits" with |', []),
    ("step", 'guest: "Sits" as |', []),
    ("blueprint", "walk -> |", ["greet", "walk"]),
    ("blueprint", "walk ->\n    |", ["greet", "walk"]),
    # What may follow an action: each modifier once, but a note, a tag and evidence as often as wanted.
    ("step", 'guest: "Sits" |', MODIFIERS),
    ("step", 'guest: "Sits" as sit |', [m for m in MODIFIERS if m != "as"]),
    ("step", 'guest: "Sits" note "Tired" tag slow |', MODIFIERS),
    ("step", 'guest:\n        "Sits" fail "Full" |', [m for m in MODIFIERS if m != "fail"]),
    # After a step's evidence, or a flow's label, no action's modifier fits; after a flow, `loop` does.
    ("step", 'evidence "Menu" |', []),
    ("first", 'note "Tired" |', []),
    # A line that goes on with the action above (the host's, with its id): a note, then what else fits.
    ("step", 'note "Tired" |', [m for m in MODIFIERS if m != "as"]),
    ("blueprint", "walk -> greet |", ["loop"]),
    ("blueprint", 'walk -> greet : "Hello" |', ["loop"]),
    # A statement starts on a line of its own.
    ("step", "|", ["guest", "host", "evidence", "metric", "policy", "time", "greet", "walk"]),
    ("step", "gu|", ["guest", "host", "evidence", "metric", "policy", "time", "greet", "walk"]),
    (
        "blueprint",
        "|",
        ["scenario", "persona", "segment", "owner", "version", "description", "tolerance", "theme",
         "actor", "person", "role", "system", "partner", "include", "stage", "greet", "walk"],
    ),
]


@pytest.mark.parametrize(("block", "written", "expected"), CASES, ids=[f"{b}: {w}" for b, w, _ in CASES])
async def test_completion_offers_what_fits_at_the_cursor(
    client: Client, tmp_path: Path, block: str, written: str, expected: list[str]
) -> None:
    (tmp_path / ".blueprint-root").write_text("", encoding="utf-8")
    text = CAFE
    for slot in ("first", "step", "blueprint"):
        text = text.replace("{" + slot + "}", written if block == slot else "")
    cursor = text.index("|")
    text = text.replace("|", "")
    before = text[:cursor].split("\n")
    uri = (tmp_path / "cafe.svc").as_uri()
    await open_document(client, uri, text)
    result = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=doc(uri), position=types.Position(line=len(before) - 1, character=len(before[-1]))
        )
    )
    assert [item.label for item in result.items] == expected
