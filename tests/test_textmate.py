"""The TextMate grammar (editors/textmate/svc.tmLanguage.json), run by the engine VS Code uses.

tests/textmate/ holds a tiny npm project with vscode-textmate and vscode-oniguruma;
the first run installs it (``npm ci``). Each file is tokenized line by line and the
scopes are compared with what the real parser says the text is.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest

from blueprint_dsl.syntax import parse_syntax

ROOT = Path(__file__).resolve().parent.parent
GRAMMAR = ROOT / "editors" / "textmate" / "svc.tmLanguage.json"
NPM_PROJECT = ROOT / "tests" / "textmate"
FILES = sorted((ROOT / "examples").rglob("*.svc")) + sorted((ROOT / "tests" / "fmt").glob("*.in.svc"))
TOKEN_CLASSES = (
    "comment.line.number-sign",
    "punctuation.definition.comment",
    "string.quoted.double",
    "string.quoted.triple",
    "constant.character.escape",
    "keyword.control",
    "keyword.other.header",
    "keyword.other.step",
    "keyword.other.modifier",
    "keyword.other.loop",
    "storage.type.actor",
    "entity.name.type.actor",
    "support.constant.lane",
    "variable.other.actor",
    "entity.name.function.action",
    "constant.language.emotion",
    "constant.numeric.duration",
    "keyword.operator.arrow",
    "variable.other.svc",
)


@cache
def tokenized() -> dict[str, list[list[tuple[int, int, list[str]]]]]:
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.fail("node and npm are needed for the TextMate grammar test (apt-get install nodejs npm)")
    if not (NPM_PROJECT / "node_modules" / "vscode-textmate").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--silent"], cwd=NPM_PROJECT, check=True)
    output = subprocess.run(
        ["node", str(NPM_PROJECT / "tokenize.js"), str(GRAMMAR), *map(str, FILES)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output)


def scopes_by_character(path: Path) -> list[list[list[str]]]:
    """For each line, for each character, the scopes the grammar gives it."""
    lines = path.read_text(encoding="utf-8").split("\n")
    result = []
    for line, tokens in zip(lines, tokenized()[str(path)]):
        # The engine counts in UTF-16 units, as JavaScript strings do; Python in code points.
        unit_to_char = [i for i, c in enumerate(line) for _ in range(2 if ord(c) > 0xFFFF else 1)]
        per_char = [["source.svc"]] * len(line)
        for start, end, scopes in tokens:
            for unit in range(start, min(end, len(unit_to_char))):
                per_char[unit_to_char[unit]] = scopes
        result.append(per_char)
    return result


def test_every_token_class_appears() -> None:
    seen = {scope for path in FILES for line in tokenized()[str(path)] for _, _, scopes in line for scope in scopes}
    missing = [name for name in TOKEN_CLASSES if not any(scope.startswith(name) for scope in seen)]
    assert missing == []


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_strings_and_comments_are_scoped_and_nothing_is_unscoped(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    tree = parse_syntax(text)
    assert tree is not None
    chars = scopes_by_character(path)
    line_starts = [0]
    for line in text.split("\n"):
        line_starts.append(line_starts[-1] + len(line) + 1)

    def scopes_at(offset: int) -> list[str]:
        line = max(i for i, start in enumerate(line_starts) if start <= offset)
        return chars[line][offset - line_starts[line]]

    for token in tree.tokens():
        for offset in range(token.offset, token.end_offset):
            if text[offset] == "\n":
                continue
            scopes = scopes_at(offset)
            if token.type == "STRING":
                assert any(s.startswith("string.quoted") for s in scopes), (token, offset, scopes)
            assert len(scopes) > 1, f"unscoped {token.text!r} at line {token.line}"
            assert not any(s.startswith("invalid") for s in scopes), (token, scopes)
    for comment in tree.comments:
        for offset in range(comment.offset, comment.offset + len(comment.text)):
            assert any(s.startswith("comment.line") for s in scopes_at(offset)), (comment, offset)
