"""Text to syntax: with ``syntax`` (the concrete tree), the only modules that know about Lark.

``parse_document`` turns the text of one ``.svc`` file into a ``Document`` of model
nodes plus diagnostics. Lark's trees and tokens are converted to model nodes
and ``Span``s here and nowhere else. Names are not resolved yet: an action's lane is
its override when it has one and is filled in from its actor by ``resolve``.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import lark
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from . import codes
from .diagnostics import Diagnostic, Span, did_you_mean
from .model import (
    ACTOR_LANES,
    Action,
    Actor,
    ActorKind,
    Annotation,
    Blueprint,
    Duration,
    Emotion,
    Evidence,
    FailPoint,
    Flow,
    Include,
    Lane,
    Stage,
    Step,
)
from .text import parse_duration, quote, slug, unquote

# Beyond this many syntax errors a file is too broken for more to help.
MAX_SYNTAX_ERRORS = 20
# Re-parsing to recover costs a parse per error; past this size, report the first only.
RECOVERY_SIZE_LIMIT = 1_000_000


@dataclass(frozen=True, slots=True, kw_only=True)
class Document:
    """What one file says, before names are resolved."""

    path: str
    includes: tuple[Include, ...] = ()
    actors: tuple[Actor, ...] = ()
    blueprints: tuple[Blueprint, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = field(default=(), compare=False)
    #: Actors declared with a lane that is not one: reported once, at the declaration,
    #: and not again as unknown wherever they act.
    broken_actors: frozenset[str] = field(default=frozenset(), compare=False)


def grammar_text() -> str:
    """The grammar, from the installed package or from a source checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "grammar" / "blueprint.lark"
    source = packaged if packaged.is_file() else here.parent / "grammar" / "blueprint.lark"
    return source.read_text(encoding="utf-8")


@functools.cache
def _lark() -> lark.Lark:
    return lark.Lark(
        grammar_text(),
        parser="lalr",
        strict=True,
        # Spans are taken from the first and last token of a subtree instead: the
        # same positions at half the parse time on large files.
        propagate_positions=False,
        maybe_placeholders=False,
        cache=True,
    )


@functools.cache
def keywords() -> frozenset[str]:
    """Every keyword of the language, read off the grammar's terminals."""
    words = set()
    for terminal in _lark().terminals:
        pattern = terminal.pattern
        if pattern.type == "str" and pattern.value.isalpha():
            words.add(pattern.value)
        elif pattern.type == "re" and re.fullmatch(r"\(\?:[a-z|]+\)", pattern.value):
            words.update(pattern.value[3:-1].split("|"))
    return frozenset(words)


def parse_document(text: str, path: str) -> Document:
    tree, diagnostics = _parse_recovering(text, path)
    if tree is None:
        return Document(path=path, diagnostics=tuple(diagnostics))
    builder = _Builder(path)
    document = builder.document(tree)
    return Document(
        path=path,
        includes=document.includes,
        actors=document.actors,
        blueprints=document.blueprints,
        diagnostics=tuple(diagnostics) + tuple(builder.diagnostics),
        broken_actors=frozenset(builder.broken_actors),
    )


# ---- syntax errors ---------------------------------------------------------------


def _parse_recovering(text: str, path: str) -> tuple[lark.Tree | None, list[Diagnostic]]:
    """Parse, and on an error patch the offending line and parse again.

    Patches keep every other line where it was, so later errors keep their positions:
    a misspelt keyword is replaced by its nearest keyword, an unterminated string is
    closed, a bad character becomes a space, any other broken statement is blanked,
    and missing closing braces are added at the end.
    """
    diagnostics: list[Diagnostic] = []
    blanked: set[int] = set()
    while True:
        try:
            return _lark().parse(text), diagnostics
        except UnexpectedInput as error:
            diagnostic, patched = _explain(error, text, path, blanked)
            if not diagnostics or diagnostic != diagnostics[-1]:
                diagnostics.append(diagnostic)
            if patched is None or len(diagnostics) >= MAX_SYNTAX_ERRORS or len(text) > RECOVERY_SIZE_LIMIT:
                return None, diagnostics
            text = patched


def _explain(error: UnexpectedInput, text: str, path: str, blanked: set[int]) -> tuple[Diagnostic, str | None]:
    lines = text.split("\n")
    if isinstance(error, UnexpectedCharacters):
        return _explain_character(error, lines, path)
    assert isinstance(error, (UnexpectedToken, UnexpectedEOF))
    token = getattr(error, "token", None)
    if token is None or token.type == "$END":
        return _explain_end(text, path)
    return _explain_token(error, token, lines, path, blanked)


def _explain_character(error: UnexpectedCharacters, lines: list[str], path: str) -> tuple[Diagnostic, str | None]:
    line, column = error.line, error.column
    source_line = lines[line - 1]
    char = source_line[column - 1] if column - 1 < len(source_line) else "\n"
    if char == '"' and source_line[max(0, column - 3) : column] == '"""':
        # The two quotes before were read as an empty string: the text from here on is
        # one unclosed multi-line string, so nothing after it can be read.
        return codes.UNTERMINATED_STRING.at(
            Span.point(path, line, column - 2, 3),
            'this multi-line string has no closing """',
            'end it with """ after its last line',
        ), None
    if char == '"':
        diagnostic = codes.UNTERMINATED_STRING.at(
            Span(path=path, line=line, column=column, end_line=line, end_column=len(source_line) + 1),
            "this string has no closing quote",
            'end it with " on the same line, or use """ for text over several lines',
        )
        lines[line - 1] = source_line + '"'
        return diagnostic, "\n".join(lines)
    if char.isdigit():
        number = re.match(r"[0-9]+(?:\.[0-9]+)?", source_line[column - 1 :]).group(0)
        before = re.search(r"(\w+)\s*$", source_line[: column - 1])
        if before and before.group(1) in ("takes", "wait", "tolerance"):
            diagnostic = codes.INVALID_DURATION.at(
                Span.point(path, line, column, len(number)),
                f"'{number}' has no unit",
                f"write the unit after the number, such as {number}min or {number}s",
            )
            end = column - 1 + len(number)
            lines[line - 1] = source_line[:end] + "s" + source_line[end:]
            return diagnostic, "\n".join(lines)
        if not (before and before.end(1) == column - 1):
            # A bare number such as a version: read it as the text it probably is.
            diagnostic = codes.UNEXPECTED_CHARACTER.at(
                Span.point(path, line, column, len(number)),
                f"unexpected number {number}",
                f'text is written in double quotes: "{number}"',
            )
            end = column - 1 + len(number)
            lines[line - 1] = source_line[: column - 1] + f'"{number}"' + source_line[end:]
            return diagnostic, "\n".join(lines)
    pair = source_line[column - 1 : column + 1]
    hint = _character_hint(char, pair)
    shown = repr(char)[1:-1] if not char.isprintable() else char
    diagnostic = codes.UNEXPECTED_CHARACTER.at(Span.point(path, line, column), f"unexpected character '{shown}'", hint)
    rest = source_line[column:]
    closing = _CLOSING_QUOTES.get(char)
    if closing is not None and closing in rest:
        # 'text' or “text”: read it as the string it was meant to be.
        end = column + rest.index(closing)
        lines[line - 1] = source_line[: column - 1] + '"' + source_line[column:end] + '"' + source_line[end + 1 :]
    elif pair == "=>":
        lines[line - 1] = source_line[: column - 1] + "->" + rest[1:]
    elif pair == "//":
        lines[line - 1] = source_line[: column - 1] + "#" + rest
    elif column > 1 and (source_line[column - 2].isalnum() or source_line[column - 2] == "_") and rest[:1].isalnum():
        # Inside a word (ticket$1): read it as one identifier.
        lines[line - 1] = source_line[: column - 1] + "_" + rest
    else:
        lines[line - 1] = source_line[: column - 1] + " " + rest
    return diagnostic, "\n".join(lines)


_CLOSING_QUOTES = {"'": "'", "\u2018": "\u2019", "\u201c": "\u201d", "\u2019": "\u2019", "\u201d": "\u201d"}


def _character_hint(char: str, pair: str) -> str | None:
    if pair in ("=>", "-"):
        return "flows are written a -> b (one-way) or a <-> b (two-way)"
    if char in "'\u2018\u2019\u201c\u201d":
        return 'strings are written in straight double quotes: "like this"'
    if char == "/":
        return "comments start with #"
    return None


def _explain_end(text: str, path: str) -> tuple[Diagnostic, str | None]:
    unclosed = _unclosed_braces(text)
    if unclosed:
        line, column = unclosed[-1]
        diagnostic = codes.UNCLOSED_BLOCK.at(
            Span.point(path, line, column),
            "this block is never closed",
            "add the missing '}'" if len(unclosed) == 1 else f"add the {len(unclosed)} missing '}}'",
        )
        return diagnostic, text + "\n" + "}" * len(unclosed)
    line = text.count("\n") + 1
    column = len(text) - (text.rfind("\n") + 1) + 1
    diagnostic = codes.SYNTAX_ERROR.at(Span.point(path, line, column), "the file ends in the middle of a statement")
    return diagnostic, None


def _unclosed_braces(text: str) -> list[tuple[int, int]]:
    """Positions of the `{` left open at the end of the text, outermost first."""
    stack: list[tuple[int, int]] = []
    for token in _lark().lex(text, dont_ignore=False):
        if token.type == "LBRACE":
            stack.append((token.line, token.column))
        elif token.type == "RBRACE" and stack:
            stack.pop()
    return stack


def _explain_token(
    error: UnexpectedInput, token: lark.Token, lines: list[str], path: str, blanked: set[int]
) -> tuple[Diagnostic, str | None]:
    line = token.line
    source_line = lines[line - 1]
    expected = set(getattr(error, "expected", ()) or ())
    span = Span(
        path=path,
        line=line,
        column=token.column,
        end_line=token.end_line,
        end_column=token.end_column if token.end_line == line else len(source_line) + 1,
    )

    misspelt = _misspelt_keyword(token, source_line)
    if misspelt is not None:
        word, column, keyword = misspelt
        diagnostic = codes.UNKNOWN_KEYWORD.at(
            Span.point(path, line, column, len(word)), f"'{word}' is not a keyword", f"did you mean '{keyword}'?"
        )
        lines[line - 1] = source_line[: column - 1] + keyword + source_line[column - 1 + len(word) :]
        return diagnostic, "\n".join(lines)

    text = "\n".join(lines)
    if token.type == "RBRACE" and not _unclosed_braces(text[: token.start_pos]):
        diagnostic = codes.SYNTAX_ERROR.at(span, "this '}' closes no block", "remove it, or open the block it closes")
        return diagnostic, text[: token.start_pos] + " " + text[token.end_pos :]
    found = _describe_token(token)
    wanted = _describe_expected(expected)
    diagnostic = codes.SYNTAX_ERROR.at(span, f"unexpected {found}" + (f", expected {wanted}" if wanted else ""),
                                       _token_hint(token, expected, source_line))

    words = _unquoted_words(token, expected, source_line)
    if words is not None:
        # Text written without quotes: read the rest of the line as the string it was meant to be.
        end = token.column - 1 + len(words)
        lines[line - 1] = source_line[: token.column - 1] + quote(words) + source_line[end:]
        return diagnostic, "\n".join(lines)
    repaired = _insert_missing(text, token, expected)
    if repaired is not None:
        return diagnostic, repaired
    if line in blanked:
        return diagnostic, None
    blanked.add(line)
    # Keep the braces so that the blocks around the broken statement stay whole.
    lines[line - 1] = re.sub(r"[^{}]", " ", source_line)
    return diagnostic, "\n".join(lines)


# What to insert when one token is missing, in the order worth trying.
_PLACEHOLDERS = (("COLON", ":"), ("NAME", "_"), ("STRING", '""'), ("DURATION", "0s"), ("RBRACE", "}"))


def _insert_missing(text: str, token: lark.Token, expected: set[str]) -> str | None:
    """The text with a missing token inserted before ``token``, if that gets the parse past it."""
    for terminal, placeholder in _PLACEHOLDERS:
        if terminal not in expected:
            continue
        candidate = text[: token.start_pos] + placeholder + " " + text[token.start_pos :]
        try:
            _lark().parse(candidate)
            return candidate
        except UnexpectedInput as error:
            position = getattr(error, "pos_in_stream", None)
            if position is not None and position > token.start_pos + len(placeholder) + 1:
                return candidate
    return None


def _misspelt_keyword(token: lark.Token, source_line: str) -> tuple[str, int, str] | None:
    """A misspelt keyword at or just before the unexpected token."""
    candidates = [(str(token), token.column)] if token.type == "NAME" else []
    before = re.search(r"([A-Za-z_]\w*)\s*$", source_line[: token.column - 1])
    if before:
        candidates.append((before.group(1), before.start(1) + 1))
    for word, column in candidates:
        if len(word) < 3 or word in keywords():
            continue
        close = difflib.get_close_matches(word, sorted(keywords()), n=1, cutoff=0.75)
        if close:
            return word, column, close[0]
    return None


_TERMINAL_WORDS = {
    "NAME": "a name",
    "STRING": "a string",
    "DURATION": "a duration such as 5min",
    "ARROW": "'->' or '<->'",
    "HEADER_KEY": "a header fact",
    "ACTOR_KIND": "an actor declaration",
    "ANNOTATION_KEY": "an annotation",
    "LOOP": "'loop'",
    "$END": "the end of the file",
}


def _describe_token(token: lark.Token) -> str:
    if token.type == "$END":
        return "end of file"
    words = {"NAME": "name", "STRING": "string", "DURATION": "duration"}
    if token.type in words:
        return f"{words[token.type]} '{_short(str(token))}'"
    return f"'{_short(str(token))}'"


def _short(text: str) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= 30 else text[:27] + "..."


def _describe_expected(expected: set[str]) -> str:
    names = []
    for terminal in sorted(expected):
        if terminal in _TERMINAL_WORDS:
            names.append(_TERMINAL_WORDS[terminal])
            continue
        try:
            pattern = _lark().get_terminal(terminal).pattern
        except KeyError:
            continue
        names.append(f"'{pattern.value}'" if pattern.type == "str" else terminal.lower())
    if not names:
        return ""
    if len(names) > 6:
        return "one of " + ", ".join(names[:6]) + ", ..."
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _token_hint(token: lark.Token, expected: set[str], source_line: str) -> str | None:
    if token.type == "STRING" and "COLON" in expected:
        return 'an action is written actor: "what they do"'
    words = _unquoted_words(token, expected, source_line)
    if words is not None:
        return f"put the text in double quotes: {quote(words)}"
    starts_line = not source_line[: token.column - 1].strip()
    if "BLUEPRINT" in expected and token.type == "NAME":
        return "this stands outside the blueprint: is there a '}' too many above it?"
    if "RBRACE" in expected and starts_line and token.type == "NAME":
        return "is a '}' missing before this line?"
    return None


def _unquoted_words(token: lark.Token, expected: set[str], source_line: str) -> str | None:
    """The text from a name where a string belongs to the end of the line (or a brace or comment)."""
    if token.type != "NAME" or "STRING" not in expected or "NAME" in expected:
        return None
    rest = source_line[token.column - 1 :]
    return re.match(r"[^{}#]*", rest).group(0).rstrip()


# ---- tree to model ---------------------------------------------------------------


def _edge_token(item: lark.Tree | lark.Token, end: int) -> lark.Token | None:
    """The first (``end=0``) or last (``end=-1``) token of a subtree."""
    while isinstance(item, lark.Tree):
        if not item.children:
            return None
        item = item.children[end]
    return item


# The keyword that gives each detail of an action, for messages.
_KEYWORD_OF_DETAIL = {"id": "as", "lane": "in", "duration": "takes", "description": "fail"}


class _Builder:
    """Converts a Lark tree into model nodes, collecting value errors on the way."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.diagnostics: list[Diagnostic] = []
        self.broken_actors: set[str] = set()

    def span(self, item: lark.Tree | lark.Token) -> Span:
        first, last = _edge_token(item, 0), _edge_token(item, -1)
        if first is None or last is None:
            return Span(path=self.path, line=1, column=1, end_line=1, end_column=1)
        return Span(
            path=self.path, line=first.line, column=first.column, end_line=last.end_line, end_column=last.end_column
        )

    def document(self, tree: lark.Tree) -> Document:
        includes, actors, blueprints = [], [], []
        for item in tree.children:
            if item.data == "include":
                includes.append(self.include(item))
            elif item.data == "actor":
                actors.extend(self.actor(item))
            else:
                blueprints.append(self.blueprint(item))
        return Document(path=self.path, includes=tuple(includes), actors=tuple(actors), blueprints=tuple(blueprints))

    def include(self, tree: lark.Tree) -> Include:
        return Include(path=unquote(tree.children[1]), span=self.span(tree))

    def actor(self, tree: lark.Tree) -> list[Actor]:
        kind, name, lane_token, *label = tree.children
        lane = self.lane(lane_token)
        if lane is None:
            self.broken_actors.add(str(name))
            return []
        if lane is Lane.EVIDENCE:
            self.diagnostics.append(
                codes.INVALID_LANE_FOR_ACTOR.at(
                    self.span(lane_token),
                    "evidence is what the customer sees, not a lane anyone acts in",
                    "give the actor one of: " + ", ".join(lane.value for lane in ACTOR_LANES),
                )
            )
            self.broken_actors.add(str(name))
            return []
        return [
            Actor(
                id=str(name),
                name=unquote(label[0]) if label else str(name),
                lane=lane,
                kind=ActorKind(str(kind)),
                span=self.span(tree),
            )
        ]

    def lane(self, token: lark.Token) -> Lane | None:
        try:
            return Lane(str(token))
        except ValueError:
            self.diagnostics.append(
                codes.UNKNOWN_LANE.at(
                    self.span(token),
                    f"'{token}' is not a lane",
                    did_you_mean(str(token), (lane.value for lane in Lane)) or "the lanes are " + ", ".join(lane.value for lane in Lane),
                )
            )
            return None

    def duration(self, token: lark.Token) -> Duration | None:
        seconds, problem = parse_duration(str(token))
        if problem == "negative":
            self.diagnostics.append(
                codes.NEGATIVE_DURATION.at(self.span(token), f"'{token}' is below zero", "a duration is 0 or more")
            )
            return None
        if seconds is None:
            self.diagnostics.append(
                codes.INVALID_DURATION.at(
                    self.span(token), f"'{token}' is not a duration", problem
                )
            )
            return None
        return Duration(seconds=seconds, text=str(token))

    def blueprint(self, tree: lark.Tree) -> Blueprint:
        _, title, *items = tree.children
        facts: dict[str, object] = {}
        includes, actors, stages = [], [], []
        self.flows: list[Flow] = []
        for item in items:
            kind = item.data
            if kind == "header":
                key, value = item.children
                self.fact(facts, str(key), unquote(value), item)
            elif kind == "tolerance":
                self.fact(facts, "tolerance", self.duration(item.children[0]), item)
            elif kind == "theme":
                self.fact(facts, "theme", str(item.children[0]), item)
            elif kind == "include":
                includes.append(self.include(item))
            elif kind == "actor":
                actors.extend(self.actor(item))
            elif kind == "stage":
                stages.append(self.stage(item))
            else:
                self.flows.extend(self.flow(item))
        return Blueprint(
            title=unquote(title),
            includes=tuple(includes),
            actors=tuple(actors),
            stages=tuple(stages),
            flows=tuple(self.flows),
            path=self.path,
            span=self.span(tree),
            **facts,
        )

    def fact(self, facts: dict[str, object], key: str, value: object, tree: lark.Tree) -> None:
        if key in facts:
            word = _KEYWORD_OF_DETAIL.get(key, key)
            self.diagnostics.append(
                codes.REPEATED_FACT.at(self.span(tree), f"'{word}' is given more than once", "keep one of them")
            )
            return
        facts[key] = value

    def stage(self, tree: lark.Tree) -> Stage:
        children = list(tree.children[1:])
        explicit_id = children.pop(0) if isinstance(children[0], lark.Token) and children[0].type == "NAME" else None
        name = unquote(children.pop(0))
        stage_id = str(explicit_id) if explicit_id is not None else slug(name)
        steps = tuple(self.step(step, stage_id) for step in children)
        return Stage(id=stage_id, name=name, steps=steps, span=self.span(tree))

    def step(self, tree: lark.Tree, stage_id: str) -> Step:
        children = list(tree.children[1:])
        step_id = str(children.pop(0))
        has_label = children and isinstance(children[0], lark.Token)
        label = unquote(children.pop(0)) if has_label else step_id.replace("_", " ").capitalize()
        evidence, actions, annotations = [], [], []
        for item in children:
            if item.data == "evidence":
                evidence.extend(self.evidence(item))
            elif item.data == "annotation":
                row, text = item.children
                annotations.append(Annotation(row=str(row), text=unquote(text), span=self.span(item)))
            elif item.data == "action":
                action = self.action(item, stage_id, step_id)
                if action is not None:
                    actions.append(action)
            else:
                self.flows.extend(self.flow(item))
        return Step(
            id=step_id,
            label=label,
            stage=stage_id,
            evidence=tuple(evidence),
            actions=tuple(actions),
            annotations=tuple(annotations),
            span=self.span(tree),
        )

    def evidence(self, tree: lark.Tree) -> list[Evidence]:
        return [Evidence(text=unquote(token), span=self.span(token)) for token in tree.children]

    def action(self, tree: lark.Tree, stage_id: str, step_id: str) -> Action | None:
        actor, text, *modifiers = tree.children
        details: dict[str, object] = {}
        fail: dict[str, object] = {}
        notes, tags, evidence = [], [], []
        fail_details: list[Span] = []
        for modifier in modifiers:
            kind = modifier.data
            value = modifier.children[0] if modifier.children else None
            if kind == "action_id":
                self.fact(details, "id", str(value), modifier)
            elif kind == "lane_override":
                self.fact(details, "lane", self.lane(value), modifier)
            elif kind == "takes":
                self.fact(details, "duration", self.duration(value), modifier)
            elif kind == "wait":
                self.fact(details, "wait", self.duration(value), modifier)
            elif kind == "fail":
                self.fact(fail, "description", unquote(value), modifier)
                fail.setdefault("span", self.span(modifier))
            elif kind == "safe":
                self.fact(fail, "safe", unquote(value), modifier)
                fail_details.append(self.span(modifier))
            elif kind == "fail_owner":
                self.fact(fail, "owner", str(value), modifier)
                fail.setdefault("owner_span", self.span(value))
                fail_details.append(self.span(value))
            elif kind == "emotion":
                self.fact(details, "emotion", self.emotion(value), modifier)
            elif kind == "note":
                notes.append(unquote(value))
            elif kind == "tags":
                tags.extend(str(tag) for tag in modifier.children)
            else:
                evidence.extend(self.evidence(modifier))
        if fail and "description" not in fail:
            self.diagnostics.append(
                codes.ORPHAN_FAIL_DETAIL.at(
                    fail_details[0] if fail_details else self.span(tree),
                    "a fail-safe or owner is given but no fail point",
                    'add fail "what can go wrong" before it',
                )
            )
            fail = {}
        lane = details.pop("lane", None)
        action_id = details.pop("id", None)
        return Action(
            id=action_id or "",
            explicit_id=action_id is not None,
            actor=str(actor),
            text=unquote(text),
            # Without an override the lane is the actor's home lane, set by resolve.
            lane=lane or Lane.CUSTOMER,
            lane_overridden=lane is not None,
            stage=stage_id,
            step=step_id,
            fail=FailPoint(**fail) if fail else None,
            notes=tuple(notes),
            tags=tuple(tags),
            evidence=tuple(evidence),
            span=self.span(tree),
            **details,
        )

    def emotion(self, token: lark.Token) -> Emotion | None:
        try:
            return Emotion(str(token))
        except ValueError:
            scale = [e.value for e in Emotion]
            self.diagnostics.append(
                codes.UNKNOWN_EMOTION.at(
                    self.span(token),
                    f"'{token}' is not on the emotion scale",
                    did_you_mean(str(token), scale) or "the scale is " + ", ".join(scale),
                )
            )
            return None

    def flow(self, tree: lark.Tree) -> list[Flow]:
        children = list(tree.children)
        loop = bool(children) and isinstance(children[-1], lark.Token) and children[-1].type == "LOOP"
        if loop:
            children.pop()
        label = None
        if children and isinstance(children[-1], lark.Tree):
            label = unquote(children.pop().children[0])
        ends = children[0::2]
        arrows = children[1::2]
        return [
            Flow(
                source=str(source),
                target=str(target),
                two_way=str(arrow) == "<->",
                label=label,
                loop=loop,
                span=Span(
                    path=self.path,
                    line=source.line,
                    column=source.column,
                    end_line=target.end_line,
                    end_column=target.end_column,
                ),
            )
            for source, arrow, target in zip(ends, arrows, ends[1:])
        ]
