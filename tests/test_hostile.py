"""Hostile files: each ends in a clear diagnostic or a correct result, in bounded time
and memory, and never in a traceback. The CLI runs in a subprocess under a time limit
and an address-space limit."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from blueprint_dsl.loader import MAX_INCLUDE_DEPTH, load

EXAMPLE = (Path(__file__).parents[1] / "examples" / "coffee.svc").read_text(encoding="utf-8")
MEMORY_LIMIT = 2 * 1024**3
TIME_LIMIT = 120


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def check(folder: Path, name: str, *options: str) -> subprocess.CompletedProcess:
    run = subprocess.run(
        [sys.executable, "-m", "blueprint_dsl", "check", name, *options],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=TIME_LIMIT,
        preexec_fn=_limit_memory,
    )
    assert "Traceback" not in run.stderr + run.stdout, run.stderr
    return run


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / ".blueprint-root").write_text("")
    return tmp_path


def test_ten_megabytes_of_blueprint(project: Path):
    lines = ['blueprint "Big" {', '  scenario "s"', '  persona "p"', '  actor c customer "C"']
    size, i = 0, 0
    while size < 10_000_000:
        line = f'  stage s{i} "S" {{ step st{i} {{ evidence "E" c: "Customer step number {i} of many" as a{i} }} }}'
        lines.append(line)
        size += len(line) + 1
        i += 1
    (project / "big.svc").write_text("\n".join(lines) + "\n}\n")
    run = check(project, "big.svc", "--ignore", "too-many-customer-actions")
    assert run.returncode == 0
    assert run.stdout.endswith("0 errors, 0 warnings in 1 file\n")


def test_one_megabyte_line(project: Path):
    (project / "line.svc").write_text('blueprint "x" { scenario "' + "a" * 1_000_000 + '" persona "p" }\n')
    run = check(project, "line.svc")
    assert "BP303 no-customer-action" in run.stdout
    assert max(len(line) for line in run.stdout.splitlines()) < 400  # the excerpt is cut around the span


def test_deep_nesting(project: Path):
    (project / "deep.svc").write_text('blueprint "x" {' + "{" * 100_000 + "}" * 100_000 + "}")
    run = check(project, "deep.svc")
    assert run.returncode == 1
    # At the second '{', where a block cannot open; the blueprint's own stays whole.
    assert "deep.svc:1:16: error BP001 syntax-error" in run.stdout
    assert run.stdout.endswith("1 error, 0 warnings in 1 file\n")


def test_nul_byte(project: Path):
    (project / "nul.svc").write_bytes(EXAMPLE.replace("stage arrive", "stage\0arrive").encode())
    run = check(project, "nul.svc")
    assert "BP005 unexpected-character: unexpected character '\\x00'" in run.stdout


def test_a_path_with_a_nul_names_no_file():
    """No command line can pass one, but a link in a page (MkDocs' %00) or an editor's URI can."""
    [problem] = load("blue\0print.svc").diagnostics
    assert (problem.code, problem.message) == ("BP009", "'blue\0print.svc' holds a NUL character")


def test_invalid_utf8_names_the_byte_offset(project: Path):
    data = EXAMPLE.encode().replace(b"Coffee to go", b"Co\xff\xfeffee to go")
    (project / "bad.svc").write_bytes(data)
    offset = data.index(b"\xff")
    run = check(project, "bad.svc")
    assert f"BP006 invalid-encoding: byte 0xff at offset {offset} is not valid UTF-8" in run.stdout
    assert run.returncode == 1


@pytest.mark.parametrize(
    "first_lines, where, offset",
    [
        (b"# ab \xff\n", "1:6", 8),  # the mark takes no column
        ("# café\n# ".encode() + b"\xff\n", "2:3", 13),
    ],
)
def test_invalid_utf8_after_a_byte_order_mark_counts_the_mark_in_the_offset(
    project: Path, first_lines: bytes, where: str, offset: int
):
    data = b"\xef\xbb\xbf" + first_lines + EXAMPLE.encode()
    assert data[offset] == 0xFF
    (project / "bad.svc").write_bytes(data)
    run = check(project, "bad.svc")
    assert f"bad.svc:{where}: error BP006 invalid-encoding: byte 0xff at offset {offset} is not" in run.stdout


@pytest.mark.parametrize(
    "name, encode",
    [
        ("bom", lambda text: b"\xef\xbb\xbf" + text.encode()),
        ("crlf", lambda text: text.replace("\n", "\r\n").encode()),
        ("cr", lambda text: text.replace("\n", "\r").encode()),
    ],
)
def test_byte_order_mark_and_line_endings_read_as_the_plain_file(project: Path, name: str, encode):
    (project / "plain.svc").write_text(EXAMPLE)
    (project / f"{name}.svc").write_bytes(encode(EXAMPLE))
    assert check(project, f"{name}.svc").stdout == check(project, "plain.svc").stdout
    broken = EXAMPLE.replace('as take_order', 'as take_order takes 5mn')
    (project / f"{name}-broken.svc").write_bytes(encode(broken))
    (project / "plain-broken.svc").write_text(broken)
    # Same line and column, whatever the line endings.
    assert check(project, f"{name}-broken.svc").stdout.split(": ", 1)[0].split(":", 1)[1] == \
        check(project, "plain-broken.svc").stdout.split(": ", 1)[0].split(":", 1)[1]


def test_include_of_itself(project: Path):
    (project / "self.svc").write_text('include "self.svc"\n' + EXAMPLE)
    assert "BP105 include-cycle" in check(project, "self.svc").stdout


def test_include_cycle_of_long_file_names_quotes_them_cut(project: Path):
    first, second = "a" * 200 + ".svc", "b" * 200 + ".svc"
    (project / first).write_text(f'include "{second}"\n' + EXAMPLE)
    (project / second).write_text(f'include "{first}"\n')
    run = check(project, first)
    assert f"BP105 include-cycle: files include each other in a cycle: {'a' * 39}…" in run.stdout
    chain = next(line for line in run.stdout.splitlines() if "BP105" in line).split("in a cycle: ")[1]
    assert len(chain) == 3 * 60 + 2 * len(" -> ")


GUEST = '  actor   guest   customer   "Guest"\n'


@pytest.mark.parametrize(
    "includes",
    [
        ['include "b.svc"', 'include "c.svc"'],  # b.svc and c.svc both include shared/guest.svc
        ['include "shared/guest.svc"', 'include "shared/guest.svc"'],
        ['include "shared/guest.svc"', 'include "./shared/guest.svc"'],
        ['include "shared/guest.svc"', 'include "shared//guest.svc"'],
        ['include "shared/guest.svc"', 'include "shared/../shared/guest.svc"'],
        ['include "shared/guest.svc"', 'include "link.svc"'],
    ],
    ids=["diamond", "twice", "dot-slash", "double-slash", "dot-dot", "symlink"],
)
def test_a_file_included_twice_declares_its_actors_once(project: Path, includes: list[str]):
    (project / "shared").mkdir()
    (project / "shared" / "guest.svc").write_text(GUEST)
    (project / "b.svc").write_text('include "shared/guest.svc"\n')
    (project / "c.svc").write_text('include "shared/guest.svc"\n')
    (project / "link.svc").symlink_to("shared/guest.svc")
    assert GUEST in EXAMPLE
    (project / "main.svc").write_text("\n".join(includes) + "\n" + EXAMPLE.replace(GUEST, ""))
    run = check(project, "main.svc")
    assert run.stdout.endswith("0 errors, 0 warnings in 1 file\n"), run.stdout
    assert run.returncode == 0


def include_chain(project: Path, levels: int) -> None:
    """main.svc includes c1.svc, which includes c2.svc, ... down to the one declaring the guest."""
    for level in range(1, levels):
        (project / f"c{level}.svc").write_text(f'include "c{level + 1}.svc"\n')
    (project / f"c{levels}.svc").write_text(GUEST)
    (project / "main.svc").write_text('include "c1.svc"\n' + EXAMPLE.replace(GUEST, ""))


def test_an_include_chain_as_deep_as_the_limit(project: Path):
    include_chain(project, MAX_INCLUDE_DEPTH)
    run = check(project, "main.svc")
    assert run.stdout.endswith("0 errors, 0 warnings in 1 file\n"), run.stdout
    assert run.returncode == 0


@pytest.mark.parametrize("levels", [MAX_INCLUDE_DEPTH + 1, 400, 500])
def test_an_include_chain_deeper_than_the_limit(project: Path, levels: int):
    include_chain(project, levels)
    run = check(project, "main.svc")
    assert run.returncode == 1
    last = MAX_INCLUDE_DEPTH
    assert run.stdout.startswith(
        f"c{last}.svc:1:1: error BP110 include-too-deep: includes nest too deep: 'c{last + 1}.svc' would be"
        f" {last + 1} levels down, and at most {last} levels of includes are followed\n"
    ), run.stdout
    assert "= hint: include shared files side by side" in run.stdout
    assert run.stdout.endswith("1 error, 0 warnings in 1 file\n")  # the guest may be declared below: not unknown


def test_include_of_a_fifo(project: Path):
    os.mkfifo(project / "pipe.svc")
    (project / "main.svc").write_text('include "pipe.svc"\n' + EXAMPLE)
    assert "BP009 unreadable-file: 'pipe.svc' is not a regular file" in check(project, "main.svc").stdout


def test_include_of_an_empty_path(project: Path):
    (project / "main.svc").write_text('include ""\n' + EXAMPLE)
    run = check(project, "main.svc")
    assert "main.svc:1:1: error BP104 include-not-found: the include's path is empty\n" in run.stdout
    assert "= hint: name the .svc file to include, relative to this one" in run.stdout


def test_include_of_dev_zero(project: Path):
    (project / "main.svc").write_text('include "/dev/zero"\n' + EXAMPLE)
    assert "BP106 include-outside-root" in check(project, "main.svc").stdout


def test_include_of_dev_zero_inside_the_root(project: Path):
    (project / "zero.svc").symlink_to("/dev/zero")
    (project / "main.svc").write_text('include "zero.svc"\n' + EXAMPLE)
    run = check(project, "main.svc")
    assert "BP106 include-outside-root" in run.stdout  # the link resolves to /dev/zero, outside


def test_include_outside_the_root(project: Path):
    inner = project / "inner"
    inner.mkdir()
    (inner / ".blueprint-root").write_text("")
    (project / "actors.svc").write_text('actor c customer "C"\n')
    (inner / "main.svc").write_text('include "../actors.svc"\n' + EXAMPLE)
    assert "BP106 include-outside-root" in check(inner, "main.svc").stdout


def test_include_through_a_symlink_loop(project: Path):
    (project / "loop1.svc").symlink_to("loop2.svc")
    (project / "loop2.svc").symlink_to("loop1.svc")
    (project / "main.svc").write_text('include "loop1.svc"\n' + EXAMPLE)
    run = check(project, "main.svc")
    assert "BP104 include-not-found: 'loop1.svc' cannot be read" in run.stdout
    # It is there, in a loop: no other name is offered as the one meant (it offered loop1.svc itself).
    assert "did you mean" not in run.stdout and "hint: check the path" in run.stdout


def test_a_json_style_key_before_a_long_line_is_read_once(project: Path):
    # A quoted key is recognised by reading the rest of its line; the spaces before its
    # value used to be read again for each of them (20,000 took seconds).
    key = '  "scenario":' + " " * 1_000_000 + '"x",\n'
    (project / "key.svc").write_text(EXAMPLE.replace("  scenario ", key + "  scenario ", 1))
    run = check(project, "key.svc")
    assert "key.svc:5:3: error BP001 syntax-error: 'scenario' is written without quotes and without ':'" in run.stdout


def test_a_line_of_escaped_quotes_in_a_file_with_a_noqa_is_read_once(project: Path):
    # The noqa comments are found past the strings; a string never closed was read again
    # from each of its quotes (4,000 of them took 0.4 s, this many would take hours).
    (project / "quotes.svc").write_text(EXAMPLE + "# noqa\n" + '"\\' * 500_000 + "\n")
    run = check(project, "quotes.svc")
    assert "quotes.svc:" in run.stdout and "error BP00" in run.stdout, run.stdout[-500:]


STEP = 'blueprint "x" {\n  actor g customer "G"\n  stage s "S" {\n    step a "A" {\n      %s\n    }\n  }\n}\n'
LONG = 1_000_000


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        pytest.param('g: "x" as ' + "a" * LONG + "$", "unexpected character '$'", id="a word, then a bad character"),
        pytest.param("é" * LONG, "holds 'é', which names cannot", id="a word of characters names cannot hold"),
        pytest.param('g: "x" ' + "a" * LONG + " x 1", "syntax-error", id="a word, another, then a number"),
        pytest.param('g: "x" takes ' + "1" * LONG + ".5.5min", "longer than 100 years", id="a long number"),
        pytest.param('g: "x" as Walk-' + "a" * LONG, "holds a '-'", id="a word with a hyphen"),
        pytest.param('g: "abc' + " " * LONG + "x", "this string has no closing quote", id="spaces in an open string"),
    ],
)
def test_a_long_word_or_run_of_spaces_at_a_syntax_error_is_read_once(project: Path, line: str, expected: str):
    # The explanations of an unexpected character looked for a name before it, or a flow
    # written backwards, from every character of its line (10,000 'é' took 26 s).
    (project / "long.svc").write_text(STEP % line, encoding="utf-8")
    run = check(project, "long.svc")
    assert run.returncode == 1 and expected in run.stdout, run.stdout[-500:]


def test_a_line_of_junk_just_under_a_megabyte_is_recovered_from_in_bounded_time(project: Path):
    # Each error re-reads the whole text, several times: twenty of them in a line of 900,000
    # characters took minutes. The characters read again are bounded instead; so is the time.
    (project / "junk.svc").write_text(STEP % ("} " * 450_000), encoding="utf-8")
    run = check(project, "junk.svc")
    assert run.returncode == 1 and "450000 '}' too many" in run.stdout, run.stdout[-500:]


def through_stdin(folder: Path, stdin, *args: str, **environment: str) -> subprocess.CompletedProcess:
    """``blueprint ARGS`` with ``stdin`` (a file, or bytes) on its standard input, as bytes out."""
    run = subprocess.run(
        [sys.executable, "-m", "blueprint_dsl", *args],
        cwd=folder,
        capture_output=True,
        timeout=TIME_LIMIT,
        preexec_fn=_limit_memory,
        env={**os.environ, **environment},
        **({"input": stdin} if isinstance(stdin, bytes) else {"stdin": stdin}),
    )
    assert b"Traceback" not in run.stderr + run.stdout, run.stderr
    return run


@pytest.mark.parametrize("command", [["check", "-"], ["render", "-", "-f", "json", "-o", "-"], ["fmt", "-"]])
def test_endless_standard_input_is_refused_past_the_size_a_file_may_be(project: Path, command: list[str]):
    # A file over 32 MiB is refused unread; the same bytes on standard input are read no further.
    with open("/dev/zero", "rb") as endless:
        run = through_stdin(project, endless, *command)
    assert run.returncode == 1
    assert b"<stdin>:1:1: error BP009 unreadable-file: <stdin> holds over the 32 MiB a blueprint may be" in (
        run.stderr + run.stdout)  # each command names standard input alike


def test_standard_input_is_read_as_utf8_whatever_the_locale(project: Path):
    text = EXAMPLE.replace('"Coffee to go"', '"Café crème – 🚲"')
    for environment in ({"PYTHONIOENCODING": "cp1252"}, {"PYTHONUTF8": "0", "LC_ALL": "C"}):
        rendered = through_stdin(project, text.encode(), "render", "-", "-f", "json", "-o", "-", **environment)
        assert rendered.returncode == 0 and '"title": "Café crème – 🚲"'.encode() in rendered.stdout
        formatted = through_stdin(project, text.encode(), "fmt", "-", **environment)
        assert formatted.returncode == 0 and formatted.stdout == text.encode()
    invalid = through_stdin(project, b'blueprint "x" {\xff}', "check", "-")
    assert invalid.returncode == 1
    assert b"<stdin>:1:16: error BP006 invalid-encoding: byte 0xff at offset 15 is not valid UTF-8" in invalid.stdout


def test_standard_input_named_twice_is_a_usage_error(project: Path):
    for command in (["check", "-", "-"], ["render", "-", "-", "-o", "out"], ["fmt", "-", "-"]):
        run = through_stdin(project, EXAMPLE.encode(), *command)
        assert run.returncode == 2 and b"'-' names standard input, which can be read once" in run.stderr


def test_a_file_name_that_is_not_utf8_is_written_back_as_it_was_given(project: Path):
    """A name in bytes the file system holds but UTF-8 cannot read: Python's surrogate escapes."""
    name, good = os.fsdecode(b"caf\xe9 \xff.svc"), os.fsdecode(b"good \xff.svc")
    unformatted = EXAMPLE.replace("charge -> record_sale", "charge  ->  no_such_action")
    (project / name).write_text(unformatted, encoding="utf-8")
    (project / good).write_text(EXAMPLE, encoding="utf-8")

    def run(*args: str) -> subprocess.CompletedProcess:
        return through_stdin(project, b"", *args)

    sarif = run("check", name, "--format", "sarif")
    assert sarif.returncode == 1
    [result] = json.loads(sarif.stdout)["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "caf%E9%20%FF.svc"
    listed = run("check", name, "--format", "json")
    assert json.loads(listed.stdout.decode("utf-8"))["diagnostics"][0]["path"] == name  # as UTF-8, whatever the name
    for fmt in ("json", "svg", "html"):
        for cache in ([], ["--no-cache"]):
            rendered = run("render", good, "-f", fmt, "-o", "out", *cache)
            assert rendered.returncode == 0, rendered.stderr
    model = json.loads((project / "out" / os.fsdecode(b"good \xff.json")).read_bytes().decode("utf-8"))
    assert model["actors"][0]["position"]["path"] == good
    diff = run("fmt", "--diff", name)
    assert diff.returncode == 0
    assert diff.stdout.decode("utf-8").startswith(
        "--- caf\\udce9 \\udcff.svc\n+++ caf\\udce9 \\udcff.svc (formatted)\n")


def test_a_file_name_with_controls_is_named_as_escapes_in_every_message(project: Path):
    """A line break in a name could forge a line of the log, a C1 CSI (\\x9b) drive the terminal,
    a bidi override reorder what is read."""
    name = "new\nline \x9b[31m \u202e.svc"
    shown = "new\\nline \\x9b[31m \\u202e"
    (project / name).write_text(EXAMPLE.replace("charge -> record_sale", "charge  ->  record_sale"), encoding="utf-8")
    (project / f"{name}.svg").write_text(EXAMPLE, encoding="utf-8")
    runs = {
        "would replace it": through_stdin(project, b"", "render", f"{name}.svg"),
        "would reformat": through_stdin(project, b"", "fmt", "--check", name),
        "reformatted": through_stdin(project, b"", "fmt", name),
        "missing:": through_stdin(project, b"", "render", "--check", name, "-o", "out"),
        "cannot write": through_stdin(project, b"", "diff", name, name, "-o", f"{name}/out.txt"),
        "no such file or folder": through_stdin(project, b"", "check", f"gone {name}"),
        "is not a theme": through_stdin(project, b"", "render", name, "--theme", name),
        "cannot write into -o": through_stdin(project, b"", "render", name, "-o", name),
        "is not a format": through_stdin(project, b"", "render", name, "-o", f"{name}.jpg"),
        "is a file the blueprints compared": through_stdin(project, b"", "diff", name, name, "-o", name),
    }
    for says, run in runs.items():
        output = (run.stdout + run.stderr).decode("utf-8")
        assert says in output and shown in output, output
        assert all(line.isprintable() for line in output.splitlines()), output
