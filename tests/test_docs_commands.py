"""The commands the README and docs/ show are the CLI's: every subcommand and option they
write exists, and every option of the CLI is documented somewhere; tests/README.md names
every test file."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from blueprint_dsl.cli import main

ROOT = Path(__file__).parents[1]
# rules.md is generated from the catalog, which names no command line.
PAGES = [ROOT / "README.md", *sorted(p for p in (ROOT / "docs").glob("*.md") if p.name != "rules.md")]
# What may stand before a command: a prompt, a workflow's `run:`, variables, a pipe, a quote.
LEAD = r"(?:^\s*(?:\$\s+|-\s+run:\s+|run:\s+|\w+=\S*\s+)*|[|!']\s*)"
# Where a command line ends: a pipe, a redirection, a comment, the next command.
END = re.compile(r"\s(?:\||>>?|<|#|&&|;)\s|\s#|`")


def code_text(page: Path) -> list[str]:
    """The lines of the page's fenced blocks and its inline code spans."""
    text = page.read_text(encoding="utf-8")
    blocks = re.findall(r"^(`{3,}|~{3,})[^\n]*\n(.*?)^\1", text, re.MULTILINE | re.DOTALL)
    lines = [line for _, block in blocks for line in block.splitlines()]
    prose = re.sub(r"^(`{3,}|~{3,})[^\n]*\n.*?^\1", "", text, flags=re.MULTILINE | re.DOTALL)
    return lines + re.findall(r"`([^`\n]+)`", prose)


def command_lines() -> list[tuple[str, str, list[str]]]:
    """(page, subcommand, words after it) for every `blueprint SUBCOMMAND ...` the docs write."""
    found = []
    for page in PAGES:
        for line in code_text(page):
            for match in re.finditer(LEAD + r"blueprint ([a-z][a-z-]*)\b(?!=)(.*)", line):
                rest = END.split(" " + match.group(2) + " ", maxsplit=1)[0]
                found.append((page.name, match.group(1), rest.split()))
    return found


def commands() -> dict[str, click.Command]:
    """Every command of `blueprint`, those of the modules it imports as they are asked for too."""
    context = click.Context(main)
    return {name: main.get_command(context, name) for name in main.list_commands(context)}


def options_of(command: click.Command) -> set[str]:
    return {opt for param in command.params for opt in (*param.opts, *param.secondary_opts)}


def test_the_docs_show_commands():
    lines = command_lines()
    commands = {"new", "check", "render", "fmt", "watch", "diff", "stats", "explain", "lsp"}
    assert {name for _, name, _ in lines} >= commands
    assert len(lines) > 60


@pytest.mark.parametrize("page, name, words", command_lines(), ids=lambda v: v if isinstance(v, str) else None)
def test_every_command_and_option_the_docs_write_exists(page: str, name: str, words: list[str]):
    command = main.get_command(click.Context(main), name)
    assert command is not None, f"{page}: `blueprint {name}` is no command"
    known = options_of(command) | {"--help", "-h"}
    for word in words:
        option = word.strip("[],").split("=", 1)[0]
        if option.startswith("-") and option != "-":
            assert option in known, f"{page}: `blueprint {name} {' '.join(words)}`: {option} is no option of {name}"


def test_every_option_of_the_cli_is_documented():
    docs = "\n".join(page.read_text(encoding="utf-8") for page in PAGES)

    def named(opt: str) -> bool:
        return re.search(rf"(?<![\w-]){re.escape(opt)}(?![\w-])", docs) is not None

    missing = [
        f"{name} {param.opts[0]}"
        for name, command in commands().items()
        if not command.hidden
        for param in command.params
        if isinstance(param, click.Option) and param.name != "help" and not any(map(named, param.opts))
    ]
    assert not missing, f"options no page of the docs names: {missing}"


def test_the_tests_readme_lists_every_test_file():
    listed = (ROOT / "tests" / "README.md").read_text(encoding="utf-8")
    missing = [path.name for path in sorted((ROOT / "tests").glob("test_*.py")) if f"`{path.name}`" not in listed]
    assert not missing, f"tests/README.md does not list {missing}"
