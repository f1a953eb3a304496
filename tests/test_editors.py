"""The editor files under editors/ and the instructions for them in docs/editors.md."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VSCODE = ROOT / "editors" / "vscode"
EDITORS_DOC = (ROOT / "docs" / "editors.md").read_text(encoding="utf-8")


def test_the_vscode_extension_carries_the_textmate_grammar_unchanged() -> None:
    # tests/test_textmate.py tests editors/textmate's; the extension's must be the same.
    grammar = (ROOT / "editors" / "textmate" / "svc.tmLanguage.json").read_bytes()
    assert (VSCODE / "syntaxes" / "svc.tmLanguage.json").read_bytes() == grammar


def test_every_file_the_vscode_extension_names_is_inside_it() -> None:
    """VS Code reads the files a manifest names from inside the extension's folder, and a
    packaged extension holds nothing else: a path out of it names nothing once installed."""
    manifest = json.loads((VSCODE / "package.json").read_text(encoding="utf-8"))
    contributes = manifest["contributes"]
    named = [manifest["main"], *(language["configuration"] for language in contributes["languages"]),
             *(grammar["path"] for grammar in contributes["grammars"])]
    assert len(named) == 3
    for path in named:
        resolved = (VSCODE / path).resolve()
        assert resolved.is_relative_to(VSCODE.resolve()), f"{path} is outside editors/vscode"
        assert resolved.is_file(), f"{path} does not exist"


def test_each_neovim_snippet_is_whole_on_its_own() -> None:
    """Each snippet starts the server for the filetype svc; Neovim knows no such filetype
    until a snippet declares it, so each must, for whoever copies that one alone."""
    neovim = EDITORS_DOC[EDITORS_DOC.index("## Neovim"):EDITORS_DOC.index("## Helix")]
    snippets = re.findall(r"```lua\n(.*?)```", neovim, flags=re.DOTALL)
    assert len(snippets) == 2
    for snippet in snippets:
        assert 'filetypes = { "svc" }' in snippet
        assert 'vim.filetype.add({ extension = { svc = "svc" } })' in snippet, snippet
