"""Completion snippets, for editors that take them: a block written whole, with places to
fill in turn (``${1:Stage}``), beside the keyword that opens it.

A snippet is indented two spaces a level, as ``blueprint fmt`` writes; the editor gives
every line after the first the indentation of the line it is written on
(``InsertTextMode.AdjustIndentation``). Each, its places taken as they stand, reads
without an error where it is offered, however often it is taken there.
"""

from __future__ import annotations

import re

from lsprotocol import types

#: A first blueprint: its title and who it follows, a customer, and a stage of one step.
BLUEPRINT = """\
blueprint "${1:Title}" {
  scenario "${2:The situation followed}"
  persona  "${3:The customer it follows}"

  actor ${4:customer} customer "${5:Customer}"

  stage "${6:Stage}" {
    step ${7:first} "${8:Step}" {
      evidence "${9:What the customer sees}"
      ${4}: "${10:What they do}"
    }
  }$0
}"""

#: A stage and a step, given the id of a step the file has not taken.
STAGE = """\
stage "${{1:Stage}}" {{
  step ${{2:{step}}} "${{3:Step}}" {{
    evidence "${{4:What the customer sees}}"
    $0
  }}
}}"""

STEP = """\
step ${{1:{step}}} "${{2:Step}}" {{
  evidence "${{3:What the customer sees}}"
  $0
}}"""

_STEP_ID = re.compile(r"\bstep\s+([A-Za-z_]\w*)")
_BLUEPRINT = re.compile(r"^\s*blueprint\s", re.MULTILINE)


def block_snippets(block: str, text: str) -> list[types.CompletionItem]:
    """The snippets of the blocks that open in ``block`` (top, blueprint, stage or step) of
    the file ``text``: a blueprint where the file has none, a step with an id it has not taken."""
    taken = set(_STEP_ID.findall(text))
    step = next(f"step_{n}" for n in range(1, len(taken) + 2) if f"step_{n}" not in taken)
    if block == "top" and not _BLUEPRINT.search(text):
        return [_item("blueprint", "a blueprint with a customer and a stage", BLUEPRINT)]
    if block == "blueprint":
        return [_item("stage", "a stage with a step", STAGE.format(step=step))]
    if block == "stage":
        return [_item("step", "a step with its evidence", STEP.format(step=step))]
    return []


def fail_point(actors: list[str]) -> types.CompletionItem:
    """A fail point written whole, as the method wants one: what fails, its fail-safe, and
    its owner, one of ``actors`` (the blueprint's) or a name to write."""
    owner = f"${{3|{','.join(actors)}|}}" if actors else "${3:owner}"
    body = f'fail "${{1:What goes wrong}}" safe "${{2:How it is caught}}" owner {owner}'
    return _item("fail", "a fail point with its fail-safe and owner", body)


def _item(keyword: str, detail: str, body: str) -> types.CompletionItem:
    return types.CompletionItem(
        label=f"{keyword} …",
        filter_text=keyword,
        kind=types.CompletionItemKind.Snippet,
        detail=detail,
        insert_text=body,
        insert_text_format=types.InsertTextFormat.Snippet,
        insert_text_mode=types.InsertTextMode.AdjustIndentation,
    )
