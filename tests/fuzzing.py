"""Hypothesis strategies for fuzzing: valid blueprints, and mutations of the examples.

Used by tests/test_fuzz.py (a short run in the suite) and `make fuzz` (a long one).
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import strategies as st

from blueprint_dsl.check import check
from blueprint_dsl.grammar import keywords
from blueprint_dsl.loader import LoadResult, loads
from blueprint_dsl.reading import decode

EXAMPLES = sorted((Path(__file__).parents[1] / "examples").glob("*.svc"))
EXAMPLE_TEXTS = [p.read_text(encoding="utf-8") for p in EXAMPLES]
TOKEN = re.compile(r'"""[\s\S]*?"""|"(?:[^"\\\n]|\\.)*"|<->|->|[A-Za-z_]\w*|-?\d+(?:\.\d+)?[A-Za-z]*|#[^\n]*|\S')

LANES = ["customer", "frontstage", "backstage", "support"]
KINDS = ["actor", "person", "role", "system", "partner"]
WORDS = ["stage", "step", "evidence", "as", "in", "takes", "wait", "fail", "safe", "owner", "{", "}", ":",
         "->", "<->", '"', '"""', "#", ",", "loop", "include", "blueprint", "\x00", "\u202e", "é", "\r", "\n"]

idents = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True).filter(lambda s: s not in keywords())
texts = st.text(st.characters(blacklist_categories=["Cs"]), max_size=20)
durations = st.builds(lambda n, u: f"{n}{u}", st.integers(0, 500), st.sampled_from(["s", "min", "h", "d"]))


def quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\u{d}") + '"'


@st.composite
def blueprints(draw) -> str:
    """The text of a valid (though not necessarily lane-clean) blueprint."""
    actors = draw(st.lists(st.tuples(idents, st.sampled_from(KINDS), st.sampled_from(LANES), texts),
                           min_size=1, max_size=6, unique_by=lambda a: a[0]))
    lines = [f"blueprint {quoted(draw(texts))} {{"]
    if draw(st.booleans()):
        lines.append(f"  scenario {quoted(draw(texts))}")
    if draw(st.booleans()):
        lines.append(f"  tolerance {draw(durations)}")
    lines += [f"  {kind} {ident} {lane} {quoted(name)}" for ident, kind, lane, name in actors]
    action_ids: list[str] = []
    used_steps: set[str] = set()
    for stage_index in range(draw(st.integers(0, 3))):
        lines.append(f"  stage s{stage_index} {quoted(draw(texts))} {{")
        for _ in range(draw(st.integers(0, 3))):
            step = draw(idents.filter(lambda s: s not in used_steps))
            used_steps.add(step)
            lines.append(f"    step {step} {{")
            if draw(st.booleans()):
                lines.append(f"      evidence {quoted(draw(texts))}")
            for _ in range(draw(st.integers(0, 4))):
                actor = draw(st.sampled_from(actors))[0]
                action = f"      {actor}: {quoted(draw(texts))}"
                if draw(st.booleans()):
                    action_id = f"a{len(action_ids)}"
                    action_ids.append(action_id)
                    action += f" as {action_id}"
                if draw(st.booleans()):
                    action += f" takes {draw(durations)}"
                if draw(st.booleans()):
                    action += f" wait {draw(durations)}"
                if draw(st.booleans()):
                    action += f" in {draw(st.sampled_from(LANES))}"
                if draw(st.booleans()):
                    action += f" fail {quoted(draw(texts))} safe {quoted(draw(texts))} owner {actor}"
                lines.append(action)
            lines.append("    }")
        lines.append("  }")
    if len(action_ids) >= 2:
        for _ in range(draw(st.integers(0, 4))):
            a, b = draw(st.sampled_from(action_ids)), draw(st.sampled_from(action_ids))
            arrow = draw(st.sampled_from(["->", "<->"]))
            lines.append(f"  {a} {arrow} {b}" + (" loop" if draw(st.booleans()) else ""))
    lines.append("}")
    return "\n".join(lines) + "\n"


@st.composite
def mutated_examples(draw) -> bytes:
    """An example with a few tokens or bytes inserted, deleted or swapped."""
    text = draw(st.sampled_from(EXAMPLE_TEXTS))
    tokens = [m.group(0) for m in TOKEN.finditer(text)]
    for _ in range(draw(st.integers(1, 4))):
        operation = draw(st.sampled_from(["insert", "delete", "swap", "duplicate"]))
        at = draw(st.integers(0, max(0, len(tokens) - 1)))
        if operation == "insert":
            tokens.insert(at, draw(st.sampled_from(WORDS) | texts))
        elif operation == "delete" and tokens:
            del tokens[at]
        elif operation == "swap" and tokens:
            other = draw(st.integers(0, len(tokens) - 1))
            tokens[at], tokens[other] = tokens[other], tokens[at]
        elif tokens:
            tokens.insert(at, tokens[at])
    data = bytearray(" ".join(tokens).encode("utf-8"))
    for _ in range(draw(st.integers(0, 2))):
        if data:
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return bytes(data)


def run_pipeline(data: bytes | str) -> LoadResult | None:
    """Decode, parse, resolve and check: must end in a model or in diagnostics."""
    if isinstance(data, bytes):
        text, problem = decode(data, "fuzz.svc")
        if text is None:
            assert problem is not None and problem.code == "BP006"
            return None
    else:
        text = data
    result = loads(text, "fuzz.svc")
    diagnostics = check(result)
    assert result.blueprint is not None or diagnostics, "neither a model nor a diagnostic"
    for d in diagnostics:
        assert d.span.line >= 1 and d.span.column >= 1, d
    return result


# ---- crowded drawings -----------------------------------------------------------------

CROWD_ACTORS = (("c", "customer"), ("f", "frontstage"), ("b", "backstage"), ("s", "support"))
CROWD_WORDS = ("asks", "the", "order", "sends", "a", "reminder", "to", "customer", "and", "checks",
               "record", "payment", "courier", "with", "signature", "answer", "stock")
#: Where a flow's target stands from its source: the kinds of route the router draws.
CROWD_REACH = ("stack", "stack", "column", "next", "next", "far", "self", "any")

crowd_phrases = st.lists(st.sampled_from(CROWD_WORDS), min_size=1, max_size=12).map(" ".join)


@st.composite
def crowded_blueprints(draw) -> str:
    """A valid blueprint of a few steps, crowded: stacked actions in one lane, and many flows
    (labelled, two-way, loops) between stacked cards, within a column, to the next column,
    further, and back to the same card."""
    lines = ['blueprint "Crowded" {', '  scenario "Crowded"', '  persona "Anyone"']
    lines += [f'  actor {actor} {lane} "{lane.capitalize()}"' for actor, lane in CROWD_ACTORS]
    cells: dict[tuple[int, str], list[str]] = {}
    steps = draw(st.integers(2, 5))
    lines.append('  stage one "One" {')
    for step in range(steps):
        if step and draw(st.integers(0, 3)) == 0:
            lines += ["  }", f'  stage s{step} "Stage {step}" {{']
        lines.append(f'    step t{step} "Step {step}" {{')
        for number in range(draw(st.integers(0, 2))):
            lines.append(f'      evidence "{draw(crowd_phrases)}"')
        for actor, _ in CROWD_ACTORS:
            for number in range(draw(st.sampled_from((0, 1, 1, 2, 3)))):
                name = f"a{step}{actor}{number}"
                extra = " wait 2min" if actor == "c" and draw(st.integers(0, 4)) == 0 else ""
                lines.append(f'      {actor}: "{draw(crowd_phrases)}" as {name}{extra}')
                cells.setdefault((step, actor), []).append(name)
        lines.append("    }")
    lines.append("  }")
    actions = [(step, actor, name) for (step, actor), names in sorted(cells.items()) for name in names]
    if actions:
        for _ in range(draw(st.integers(3, 16))):
            step, actor, source = draw(st.sampled_from(actions))
            reach = draw(st.sampled_from(CROWD_REACH))
            targets = {
                "stack": [a for a in actions if a[:2] == (step, actor) and a[2] != source],
                "column": [a for a in actions if a[0] == step and a[2] != source],
                "next": [a for a in actions if abs(a[0] - step) == 1],
                "far": [a for a in actions if abs(a[0] - step) > 1],
                "self": [(step, actor, source)],
            }.get(reach) or actions
            target_step, _, target = draw(st.sampled_from(targets))
            arrow = draw(st.sampled_from(("->", "->", "<->")))
            label = f' : "{draw(crowd_phrases)}"' if draw(st.booleans()) else ""
            loop = " loop" if target_step < step or target == source else ""
            lines.append(f"  {source} {arrow} {target}{label}{loop}")
    lines.append("}")
    return "\n".join(lines) + "\n"
