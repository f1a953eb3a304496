"""Completion snippets, for editors that take them: a block written whole, with places to
fill in turn (``${1:Stage}``), beside the keyword that opens it.

A snippet is indented two spaces a level, as ``blueprint fmt`` writes; the editor gives
every line after the first the indentation of the line it is written on
(``InsertTextMode.AdjustIndentation``). Each, its places taken as they stand, reads
without an error where it is offered.
"""

from __future__ import annotations

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

STAGE = """\
stage "${1:Stage}" {
  step ${2:first} "${3:Step}" {
    evidence "${4:What the customer sees}"
    $0
  }
}"""

STEP = """\
step ${1:next} "${2:Step}" {
  evidence "${3:What the customer sees}"
  $0
}"""

#: Keyword, what the editor shows beside it, and the snippet, for each block a snippet opens in.
_BY_BLOCK = {
    "top": (("blueprint", "a blueprint with a customer and a stage", BLUEPRINT),),
    "blueprint": (("stage", "a stage with a step", STAGE),),
    "stage": (("step", "a step with its evidence", STEP),),
}


def block_snippets(block: str) -> list[types.CompletionItem]:
    """The snippets of the blocks that open in ``block`` (top, blueprint, stage or step)."""
    return [_item(keyword, detail, body) for keyword, detail, body in _BY_BLOCK.get(block, ())]


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
