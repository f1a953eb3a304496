"""The formatter: golden cases in tests/fmt/, stability, and meaning kept.

A case is a pair ``NAME.in.svc`` / ``NAME.out.svc``; adding a test means adding a
pair. ``BLUEPRINT_REGEN=1`` rewrites the ``.out.svc`` files (review the diff).
"""

from __future__ import annotations

import codecs
import os
import re
import resource
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blueprint_dsl.check import check
from blueprint_dsl.codes import INVALID_NOQA
from blueprint_dsl.diagnostics import NOQA
from blueprint_dsl.formatter import FormatError, format_text
from blueprint_dsl.loader import loads
from blueprint_dsl.parser import parse_document
from blueprint_dsl.rules import RULES_BY_CODE

ROOT = Path(__file__).resolve().parent.parent
CASES = sorted((ROOT / "tests" / "fmt").glob("*.in.svc"))
EXAMPLES = sorted((ROOT / "examples").rglob("*.svc"))
COMMENT = re.compile(r"#[^\n]*")


def comments_of(text: str) -> list[str]:
    """The comments of a text in order (strings are blanked first so a # in them is not one)."""
    blanked = re.sub(r'"""[\s\S]*?"""|"(?:[^"\\\n]|\\.)*"', '""', text)
    return [c.rstrip() for c in COMMENT.findall(blanked)]


def assert_comments_kept(before: list[str], after: list[str]) -> None:
    """Every comment is kept, in order; the only ones added are copies of a ``# noqa``."""
    kept, added = 0, []
    for comment in after:
        if kept < len(before) and comment == before[kept]:
            kept += 1
        else:
            added.append(comment)
    assert kept == len(before), f"lost {before[kept:]}"
    assert all(any(_copied(c, b) for b in before) for c in added), f"added {added}"


def _copied(copy: str, comment: str) -> bool:
    """Whether ``copy`` is ``comment``, a ``# noqa``, with none or some of its codes left out."""
    copy_match, match = NOQA.search(copy), NOQA.search(comment)
    if copy_match is None or match is None:
        return False
    if copy == comment:
        return True
    if not (copy_match.group("codes") and match.group("codes")):
        return False
    words = re.compile(r"[\w\-]+")
    return (copy[copy_match.end("codes"):] == comment[match.end("codes"):]
            and set(words.findall(copy_match.group("codes"))) <= set(words.findall(match.group("codes"))))


def findings_of(text: str) -> Counter[str]:
    """The codes of the lane rules' findings, which a ``# noqa`` can suppress, and of the
    words of a ``# noqa`` that name no rule."""
    return Counter(d.code for d in check(loads(text, "case.svc"))
                   if d.code in RULES_BY_CODE or d.code == INVALID_NOQA.code)


def assert_same_meaning(before: str, after: str) -> None:
    assert parse_document(before, "case.svc") == parse_document(after, "case.svc")
    assert_comments_kept(comments_of(before), comments_of(after))
    # A # noqa covers what it did: a line that joins another is not brought under it, a line
    # taken apart keeps it on each part, and a word that names no rule is reported once.
    assert findings_of(after) == findings_of(before), "check reports otherwise after formatting"
    assert format_text(after) == after, "a second pass changed the output"


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name.removesuffix(".in.svc"))
def test_golden(case: Path) -> None:
    source = case.read_text(encoding="utf-8")
    expected_path = case.with_name(case.name.replace(".in.svc", ".out.svc"))
    formatted = format_text(source)
    if os.environ.get("BLUEPRINT_REGEN"):
        expected_path.write_text(formatted, encoding="utf-8")
    assert formatted == expected_path.read_text(encoding="utf-8")
    assert_same_meaning(source, formatted)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_examples_are_formatted(example: Path) -> None:
    text = example.read_text(encoding="utf-8")
    assert format_text(text) == text


def test_refuses_syntax_errors() -> None:
    with pytest.raises(FormatError) as raised:
        format_text('blueprint "x" {\n  stage "s" { step a { guest "no colon" } }\n}\n', "bad.svc")
    assert [d.code for d in raised.value.diagnostics] == ["BP001"]
    assert raised.value.diagnostics[0].span.line == 2


def test_refuses_a_loop_written_before_its_flow_that_would_be_laid_out_as_the_flow_above_s() -> None:
    text = 'blueprint "x" {\n  a -> b\n  loop b -> a\n}\n'
    with pytest.raises(FormatError) as raised:
        format_text(text, "bad.svc")
    assert [(d.code, d.span.line, d.span.column) for d in raised.value.diagnostics] == [("BP001", 3, 3)]
    # A loop alone on the line after its flow is the flow's, and laid out so.
    assert format_text('blueprint "x" {\n  a -> b\n  loop\n}\n') == 'blueprint "x" {\n  a -> b loop\n}\n'


@pytest.mark.parametrize("duration", ["5", "five minutes", "1,5min", "1h30min"])
def test_a_value_the_parser_cannot_read_is_reported_where_it_is(duration: str) -> None:
    """A duration the parser cannot read stops the formatting as a syntax error does, and
    is reported as `check` reports it (BP201), at its place."""
    text = f'blueprint "x" {{\n  actor g customer "G"\n  stage "A" {{ step s {{ g: "x" takes {duration} }} }}\n}}\n'
    with pytest.raises(FormatError) as raised:
        format_text(text, "bad.svc")
    assert [(d.code, d.span.line, d.span.column) for d in raised.value.diagnostics] == [("BP201", 3, 37)]


# ---- generated blueprints --------------------------------------------------------

ids = st.sampled_from(["guest", "staff", "pos", "a1", "b_2", "x"])
texts = st.sampled_from(['"Does it"', '"with \\"quotes\\""', '""', '"""two\n  lines"""', '"# not a comment"'])
durations = st.sampled_from(["5min", "30s", "1.5h"])
modifier = st.one_of(
    st.tuples(st.just("as"), ids),
    st.tuples(st.just("in"), st.sampled_from(["backstage", "support"])),
    st.tuples(st.sampled_from(["takes", "wait"]), durations),
    st.tuples(st.sampled_from(["fail", "safe", "note"]), texts),
    st.tuples(st.just("owner"), ids),
    st.tuples(st.just("emotion"), st.sampled_from(["pleased", "annoyed"])),
    st.tuples(st.just("tag"), ids, st.just(","), ids),
    st.tuples(st.just("with"), texts),
)
action = st.builds(lambda a, t, mods: [a, ":", t, *[w for m in mods for w in m]],
                   ids, texts, st.lists(modifier, max_size=4))
flow = st.builds(
    lambda a, arrow, b, label, loop: [a, arrow, b, *label, *loop],
    ids,
    st.sampled_from(["->", "<->"]),
    ids,
    st.sampled_from([[], [":", '"label"']]),
    st.sampled_from([[], ["loop"]]),
)
step_item = st.one_of(
    action, flow, st.builds(lambda t: ["evidence", t, ",", '"Sign"'], texts), st.builds(lambda t: ["metric", t], texts)
)
step = st.builds(lambda i, items: ["step", i, "{", *[w for it in items for w in it], "}"],
                 ids, st.lists(step_item, max_size=4))
stage = st.builds(lambda t, steps: ["stage", t, "{", *[w for s in steps for w in s], "}"],
                  texts, st.lists(step, max_size=3))
fact = st.one_of(
    st.builds(lambda k, t: [k, t], st.sampled_from(["scenario", "persona", "owner", "description"]), texts),
    st.builds(lambda d: ["tolerance", d], durations),
)
actor = st.builds(
    lambda k, i, lane, label: [k, i, lane, *label],
    st.sampled_from(["actor", "role", "system"]),
    ids,
    st.sampled_from(["customer", "frontstage", "support"]),
    st.sampled_from([[], ['"Label"']]),
)
blueprint_item = st.one_of(fact, actor, stage, flow)
blueprint = st.builds(
    lambda title, items: ["blueprint", title, "{", *[w for it in items for w in it], "}"],
    texts,
    st.lists(blueprint_item, max_size=6),
)
separators = st.sampled_from(
    [" ", " ", "\n", "\n  ", "\n\n", "  # note\n", "\n# own line\n", "\t", "  # noqa\n", "  # noqa: BP401\n",
     "  # noqa: BP401, BP999\n", "  # noqa: nothing\n", "  # noqa BP408\n"]
)


@st.composite
def svc_files(draw) -> str:
    words = draw(blueprint)
    out = []
    for word in words:
        if word == "loop":
            # On the line of its flow: first on a line, before another flow, it is a syntax error.
            out[-1] = draw(st.sampled_from([" ", "\t"]))
        out.append(word)
        out.append(draw(separators))
    return "".join(out) + draw(st.sampled_from(["", "\n", "# end"]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(svc_files())
def test_generated_files_keep_meaning_and_are_stable(source: str) -> None:
    assert_same_meaning(source, format_text(source))


def test_cli_check_diff_and_write(tmp_path: Path) -> None:
    messy = tmp_path / "messy.svc"
    messy.write_text((ROOT / "tests" / "fmt" / "actions.in.svc").read_text(encoding="utf-8"), encoding="utf-8")
    clean = tmp_path / "clean.svc"
    clean.write_text((ROOT / "tests" / "fmt" / "actions.out.svc").read_text(encoding="utf-8"), encoding="utf-8")
    broken = tmp_path / "broken" / "broken.svc"
    broken.parent.mkdir()
    broken.write_text('blueprint "x" {\n', encoding="utf-8")

    def blueprint(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "blueprint_dsl", "fmt", *args], capture_output=True, text=True)

    checked = blueprint("--check", str(messy), str(clean))
    assert checked.returncode == 1
    assert checked.stdout.splitlines() == [f"would reformat {messy}"]
    diffed = blueprint("--diff", str(messy))
    assert diffed.returncode == 0
    assert "-        as take_order   in backstage" in diffed.stdout
    assert messy.read_text(encoding="utf-8") != clean.read_text(encoding="utf-8"), "--diff wrote the file"
    assert blueprint(str(messy)).returncode == 0
    assert messy.read_text(encoding="utf-8") == clean.read_text(encoding="utf-8")
    assert blueprint("--check", str(tmp_path / "messy.svc")).returncode == 0
    failed = blueprint(str(tmp_path / "broken"))
    assert failed.returncode == 1
    assert "BP003" in failed.stderr and broken.read_text(encoding="utf-8") == 'blueprint "x" {\n'


def test_a_file_with_crlf_line_endings_is_written_back_with_them(tmp_path: Path) -> None:
    messy = (ROOT / "tests" / "fmt" / "actions.in.svc").read_text(encoding="utf-8")
    formatted = (ROOT / "tests" / "fmt" / "actions.out.svc").read_text(encoding="utf-8")
    path = tmp_path / "messy.svc"
    path.write_bytes(messy.replace("\n", "\r\n").encode("utf-8"))
    run = subprocess.run([sys.executable, "-m", "blueprint_dsl", "fmt", str(path)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert path.read_bytes() == formatted.replace("\n", "\r\n").encode("utf-8")


def test_diff_of_a_file_without_a_last_newline_applies_as_a_patch(tmp_path: Path) -> None:
    # The marker after the last line, which diff and git write: without it, git apply and
    # patch call the diff corrupt.
    source = (ROOT / "tests" / "fmt" / "actions.in.svc").read_text(encoding="utf-8").rstrip("\n")
    (tmp_path / "messy.svc").write_text(source, encoding="utf-8")
    diffed = subprocess.run([sys.executable, "-m", "blueprint_dsl", "fmt", "--diff", "messy.svc"], cwd=tmp_path,
                            capture_output=True, text=True)
    assert "\\ No newline at end of file\n" in diffed.stdout
    (tmp_path / "fix.diff").write_text(diffed.stdout, encoding="utf-8")
    applied = subprocess.run(["git", "apply", "-p0", "fix.diff"], cwd=tmp_path, capture_output=True, text=True)
    assert applied.returncode == 0, applied.stderr
    formatted = (ROOT / "tests" / "fmt" / "actions.out.svc").read_text(encoding="utf-8")
    assert (tmp_path / "messy.svc").read_text(encoding="utf-8") == formatted


def test_diff_of_a_file_with_unicode_line_separators_in_strings_applies_as_a_patch(tmp_path: Path) -> None:
    # A string may hold U+2028, U+0085 or a form feed, which Python's splitlines takes for line breaks and git does not.
    source = 'blueprint "x" {\n  actor g customer\n  stage "S" { step a { g: "y\u2028z\x85w\x0cv" } }\n}\n'
    (tmp_path / "messy.svc").write_text(source, encoding="utf-8")
    diffed = run_blueprint(tmp_path, "fmt", "--diff", "messy.svc")
    (tmp_path / "fix.diff").write_text(diffed.stdout, encoding="utf-8")
    applied = subprocess.run(["git", "apply", "-p0", "fix.diff"], cwd=tmp_path, capture_output=True, text=True)
    assert applied.returncode == 0, applied.stderr
    assert (tmp_path / "messy.svc").read_text(encoding="utf-8") == format_text(source)


def test_diff_of_a_file_with_crlf_line_endings_applies_as_a_patch(tmp_path: Path) -> None:
    # The lines of the diff end as the file's do: with LF lines, git apply and patch find no line to change.
    source = (ROOT / "tests" / "fmt" / "actions.in.svc").read_text(encoding="utf-8")
    (tmp_path / "messy.svc").write_bytes(source.replace("\n", "\r\n").encode("utf-8"))
    diffed = subprocess.run([sys.executable, "-m", "blueprint_dsl", "fmt", "--diff", "messy.svc"], cwd=tmp_path,
                            capture_output=True)
    (tmp_path / "fix.diff").write_bytes(diffed.stdout)
    applied = subprocess.run(["git", "apply", "-p0", "fix.diff"], cwd=tmp_path, capture_output=True, text=True)
    assert applied.returncode == 0, applied.stderr
    formatted = (ROOT / "tests" / "fmt" / "actions.out.svc").read_text(encoding="utf-8")
    assert (tmp_path / "messy.svc").read_bytes() == formatted.replace("\n", "\r\n").encode("utf-8")


def test_a_file_with_a_byte_order_mark_keeps_it_in_the_diff_and_the_file(tmp_path: Path) -> None:
    source = (ROOT / "tests" / "fmt" / "actions.in.svc").read_text(encoding="utf-8")
    formatted = (ROOT / "tests" / "fmt" / "actions.out.svc").read_text(encoding="utf-8")
    for name in ("patched.svc", "formatted.svc"):
        (tmp_path / name).write_bytes(codecs.BOM_UTF8 + source.encode("utf-8"))
    diffed = run_blueprint(tmp_path, "fmt", "--diff", "patched.svc")
    (tmp_path / "fix.diff").write_text(diffed.stdout, encoding="utf-8")
    applied = subprocess.run(["git", "apply", "-p0", "fix.diff"], cwd=tmp_path, capture_output=True, text=True)
    assert applied.returncode == 0, applied.stderr
    assert run_blueprint(tmp_path, "fmt", "formatted.svc").returncode == 0
    for name in ("patched.svc", "formatted.svc"):
        assert (tmp_path / name).read_bytes() == codecs.BOM_UTF8 + formatted.encode("utf-8"), name


def test_standard_input_comes_back_with_its_line_endings_and_byte_order_mark() -> None:
    """An editor formatting its buffer through ``fmt -`` puts back what it gets: CRLF lines
    read as LF, or a mark dropped, would change every line of a Windows file."""
    source = (ROOT / "tests" / "fmt" / "actions.in.svc").read_text(encoding="utf-8")
    formatted = (ROOT / "tests" / "fmt" / "actions.out.svc").read_text(encoding="utf-8")
    for mark, ending in ((b"", "\r\n"), (codecs.BOM_UTF8, "\n"), (codecs.BOM_UTF8, "\r\n")):
        run = subprocess.run([sys.executable, "-m", "blueprint_dsl", "fmt", "-"], cwd=ROOT, capture_output=True,
                             input=mark + source.replace("\n", ending).encode("utf-8"), timeout=30)
        assert run.returncode == 0, run.stderr
        assert run.stdout == mark + formatted.replace("\n", ending).encode("utf-8"), (mark, ending)


def run_blueprint(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The CLI in a real process, under a time limit and a 2 GiB address-space limit."""

    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))

    run = subprocess.run([sys.executable, "-m", "blueprint_dsl", *args], cwd=folder, capture_output=True, text=True,
                         timeout=30, preexec_fn=limit_memory)
    assert "Traceback" not in run.stdout + run.stderr, run.stderr
    return run


@pytest.mark.parametrize("name", ["pipe.svc", "/dev/zero"])
@pytest.mark.parametrize("options", [(), ("--check",), ("--diff",)], ids=["write", "check", "diff"])
def test_cli_refuses_what_check_refuses(tmp_path: Path, name: str, options: tuple[str, ...]) -> None:
    os.mkfifo(tmp_path / "pipe.svc")
    formatted = run_blueprint(tmp_path, "fmt", *options, name)
    checked = run_blueprint(tmp_path, "check", name)
    assert formatted.stderr == f"{name}:1:1: error BP009 unreadable-file: '{name}' is not a regular file\n" \
        "   = hint: name a .svc file\n"
    assert checked.stdout.startswith(formatted.stderr)
    assert formatted.returncode == checked.returncode == 1


def test_cli_formats_the_file_a_symlink_names_and_keeps_the_link(tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir()
    target = tmp_path / "shared" / "messy.svc"
    target.write_text((ROOT / "tests" / "fmt" / "actions.in.svc").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "links").mkdir()
    link = tmp_path / "links" / "messy.svc"
    link.symlink_to(Path("..") / "shared" / "messy.svc")
    formatted = run_blueprint(tmp_path, "fmt", "links/messy.svc")
    assert formatted.returncode == 0, formatted.stderr
    assert link.is_symlink() and os.readlink(link) == os.path.join("..", "shared", "messy.svc")
    expected = (ROOT / "tests" / "fmt" / "actions.out.svc").read_text(encoding="utf-8")
    assert target.read_text(encoding="utf-8") == expected
    assert not list(tmp_path.rglob(".*.tmp"))


def test_a_file_that_cannot_be_written_is_named_and_the_others_are_formatted(tmp_path: Path) -> None:
    messy = (ROOT / "tests" / "fmt" / "actions.in.svc").read_text(encoding="utf-8")
    (tmp_path / "folder").mkdir()
    for name in ("folder/a.svc", "b.svc"):
        (tmp_path / name).write_text(messy, encoding="utf-8")
    locked = tmp_path / "folder" / "a.svc"
    # An immutable folder: not even root may replace a file in it, though the file's own mode allows writing.
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(locked.parent)],
                                                        capture_output=True).returncode:
        pytest.skip("chattr +i is not permitted here (it needs root on a file system that has the flag)")
    try:
        run = run_blueprint(tmp_path, "fmt", ".")
    finally:
        subprocess.run(["chattr", "-i", str(locked.parent)], check=True)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "blueprint: cannot write folder/a.svc: Operation not permitted" in run.stderr
    assert "reformatted b.svc" in run.stderr
    assert locked.read_text(encoding="utf-8") == messy
    assert (tmp_path / "b.svc").read_text(encoding="utf-8") == (ROOT / "tests" / "fmt" / "actions.out.svc").read_text()
    assert not list(tmp_path.rglob(".*.tmp"))


def test_a_read_only_file_is_left_alone_and_named(tmp_path: Path) -> None:
    # Replacing a file needs leave to write in its folder only: fmt must look at the file's own mode.
    messy = (ROOT / "tests" / "fmt" / "actions.in.svc").read_text(encoding="utf-8")
    for name in ("a.svc", "b.svc"):
        (tmp_path / name).write_text(messy, encoding="utf-8")
    locked = tmp_path / "a.svc"
    locked.chmod(0o444)
    run = run_blueprint(tmp_path, "fmt", ".")
    assert run.returncode == 2
    assert "a.svc: not formatted: the file is read-only; make it writable (chmod u+w) to format it" in run.stderr
    assert "reformatted b.svc" in run.stderr
    assert locked.read_text(encoding="utf-8") == messy and locked.stat().st_mode & 0o777 == 0o444
    assert (tmp_path / "b.svc").read_text(encoding="utf-8") == (ROOT / "tests" / "fmt" / "actions.out.svc").read_text()
    checked = run_blueprint(tmp_path, "fmt", "--check", "a.svc")  # reading it is still allowed
    assert checked.returncode == 1 and "would reformat a.svc" in checked.stdout
