"""Mistakes in an actor's declaration: its kind, its lane, its label, how it is listed."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import lark
from lark.exceptions import UnexpectedInput

from .. import codes
from ..diagnostics import Diagnostic, Span, clip
from ..grammar import keywords, lalr
from ..model import ACTOR_LANES, LANE_NAMES, ActorKind
from ..text import quote, unquote
from .flows import LABEL_AFTER
from .repairs import blank, is_name, last_statement, open_blocks, parses_past, tokens_before
from .spelling import closest_keyword

if TYPE_CHECKING:
    from .mistakes import Mistake

_KINDS = tuple(kind.value for kind in ActorKind)
_LANES = frozenset(lane.value for lane in ACTOR_LANES)


def unknown_actor_kind(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``team booking support "Booking"``: read as a flow from its first word, the parse
    fails at the id."""
    kind = _first_word(m, then="NAME")
    if kind is None:
        return None
    declaration = re.match(r"\s*(\w+)\s+(\w+)\s+(\w+)", m.lines[kind.line - 1])
    if declaration is None or declaration.start(1) != kind.column - 1 or declaration.group(3) not in LANE_NAMES:
        return None
    if closest_keyword(str(kind), frozenset(k.value for k in ActorKind)) is not None:
        return None  # a misspelt kind, reported as such
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, kind.line, kind.column, len(kind)),
        f"'{clip(kind)}' is not a kind of actor",
        "declare an actor with one of: " + ", ".join(k.value for k in ActorKind),
    )
    return diagnostic, m.text[: kind.start_pos] + "actor".ljust(len(kind)) + m.text[kind.end_pos :]


#: A declaration as PlantUML writes one: a kind, a label (quoted or a word), 'as' and the id.
_ALIASED = re.compile(r'([ \t]*)(\w+)[ \t]+("(?:[^"\\\n]|\\.)*"|[A-Za-z_]\w*)[ \t]+as[ \t]+([A-Za-z_]\w*)[ \t]*(#.*)?')


def aliased_declaration(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``person "Desk agent" as agent``, ``participant Agent as agent``: an actor declared as
    PlantUML declares one, its label first and its id after 'as', and no lane."""
    # The parse stops on its line, or, where it read the id as a flow's start, at the next statement.
    at = m.stack[-1] if m.stack and is_name(m.stack[-1]) and m.stack[-1].line < m.token.line else m.token
    line = m.lines[at.line - 1]
    found = _ALIASED.fullmatch(line)
    if found is None or found.group(2) not in (*_KINDS, "participant"):
        return None
    # Outside a blueprint no name starts a statement: the parse stops at participant itself.
    at_its_start = _outside_a_blueprint(m) and at is m.token and at.column == found.start(2) + 1
    if at.column <= found.end(2) and not at_its_start:
        return None
    kind = found.group(2) if found.group(2) in _KINDS else "person"
    label = found.group(3) if found.group(3).startswith('"') else quote(found.group(3))
    actor = found.group(4)
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, at.line, found.start(3) + 1, found.end(4) - found.start(3)),
        f"actor '{clip(actor)}' is declared as PlantUML declares one: its label first, its id after 'as'",
        f"write its id, its lane and its label: {kind} {clip(actor)} frontstage {clip(label)}; "
        "the lanes are " + ", ".join(lane.value for lane in ACTOR_LANES),
    )
    # Its lane is read as '_', which names no lane: the actor then acts without more errors.
    meant = f"{found.group(1)}{kind} {actor} _ {label}" + (f" {found.group(5)}" if found.group(5) else "")
    start = at.start_pos - (at.column - 1)
    return diagnostic, m.text[:start] + meant + m.text[start + len(line) :]


def actor_without_lane(m: Mistake) -> tuple[Diagnostic, str] | None:
    laneless = _laneless_declaration(m.stack, m.token, m.expected)
    if laneless is None:
        return None
    kind, actor, label = laneless
    at = label or actor
    column = at.column if label else at.end_column + 1
    # A label that names a lane ("Backstage") is likely the lane's too.
    lane = _lane_named(unquote(label)) if label else None
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, at.line, column),
        f"actor '{clip(actor)}' has no lane",
        f"write its lane after the name, such as {kind} {clip(actor)} {lane or 'frontstage'}"
        f"{f' {clip(label)}' if label else ''}; "
        "the lanes are " + ", ".join(lane.value for lane in ACTOR_LANES),
    )
    # The lane is read as '_', which names no lane: the actor then acts without more errors.
    if label:
        return diagnostic, m.text[: label.start_pos] + "_ " + m.text[label.start_pos :]
    return diagnostic, m.text[: actor.end_pos] + " _" + m.text[actor.end_pos :]


def _laneless_declaration(
    stack: list, token: lark.Token, expected: set[str]
) -> tuple[lark.Token, lark.Token, lark.Token | None] | None:
    """An actor declared without a lane: its kind, its name and its label, if any.

    Either the parser wants the lane now, or it took the keyword that starts the next
    line for it (``actor guest`` then ``person clerk frontstage``).
    """
    if len(stack) >= 2 and getattr(stack[-2], "type", None) == "ACTOR_KIND" and expected == {"NAME"}:
        if token.line > stack[-1].line:
            return stack[-2], stack[-1], None
        return (stack[-2], stack[-1], token) if token.type == "STRING" else None
    last = last_statement(stack)
    declared = list(last.children) if isinstance(last, lark.Tree) and last.data == "actor" else stack[-3:]
    if len(declared) != 3 or not all(isinstance(item, lark.Token) for item in declared):
        return None
    kind, actor, lane = declared
    if kind.type == "ACTOR_KIND" and lane.line > actor.line and str(lane) in keywords():
        return kind, actor, None
    return None


def _first_word(m: Mistake, then: str) -> lark.Token | None:
    """The first word of a declaration written wrongly, where the parse stopped in it: in the
    blueprint, read as a flow's start, the parse stops at the next token, of type ``then``,
    on its line; outside a blueprint, where no name starts a statement, at the word itself."""
    if _outside_a_blueprint(m):
        return m.token if is_name(m.token) else None
    first = m.stack[-1] if m.stack else None
    if m.expected != {"ARROW"} or not is_name(first) or m.token.type != then or m.token.line != first.line:
        return None
    return first


def _outside_a_blueprint(m: Mistake) -> bool:
    """Whether the parse stopped where a file's declarations stand outside its blueprint: at
    its top, before the blueprint, or anywhere in a shared file that has none."""
    return {"ACTOR_KIND", "BLUEPRINT"} <= m.expected


def quoted_lane(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``person barista "frontstage" "Barista"``: the lane written as a string.

    Only where the string can be nothing but the lane: a label follows it, or it is a
    lane as the language writes it (``"Frontstage"`` alone may be a label, and the lane
    missing)."""
    token, declared = m.token, _string_for_a_lane(m)
    if declared is None:
        return None
    kind, actor = declared
    written = unquote(token)
    lane = _lane_named(written)
    label = LABEL_AFTER.match(m.lines[token.line - 1], token.end_column - 1)
    if lane is None and label:
        return _string_for_lane(m, kind, actor, label.group(1))
    if lane is None or not (label or written == lane):
        return None
    repaired = m.text[: token.start_pos] + lane + m.text[token.end_pos :]
    if not parses_past(repaired, token.line):
        return None
    meant = " ".join(str(word) for word in (kind, actor, lane, label.group(1) if label else "") if word)
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, token.line, token.column, len(token)),
        "an actor's lane is a word, not a string",
        f"write {clip(meant)}",
    )
    return diagnostic, repaired


def _string_for_lane(
    m: Mistake, kind: lark.Token, actor: lark.Token, label: str
) -> tuple[Diagnostic, str] | None:
    """``person cook "kitchen" "Cook"``: a string that names no lane where the lane belongs,
    a label after it. The lane is read as '_', which names none: the actor then acts
    without more errors."""
    token = m.token
    repaired = m.text[: token.start_pos] + "_".ljust(len(token)) + m.text[token.end_pos :]
    if not parses_past(repaired, token.line):
        return None
    lanes = ", ".join(lane.value for lane in ACTOR_LANES)
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, token.line, token.column, len(token)),
        f"an actor's lane is one of {lanes}, written without quotes",
        f"write one of those words in its place, such as {kind} {clip(actor)} frontstage {clip(label)}",
    )
    return diagnostic, repaired


def _string_for_a_lane(m: Mistake) -> tuple[lark.Token, lark.Token] | None:
    """The kind and id of the actor declared on the line, where a string, on that line, stands
    where its lane belongs; else None."""
    token, stack = m.token, m.stack
    if token.type != "STRING" or m.expected != {"NAME"} or len(stack) < 2 or token.end_line != token.line:
        return None
    kind, actor = stack[-2], stack[-1]
    if getattr(kind, "type", None) != "ACTOR_KIND" or actor.line != token.line:
        return None
    return kind, actor


def _lane_named(text: str) -> str | None:
    """The lane ``text`` names, spelt as it may be ("Front stage", "back-stage", "frontsatge"), or None;
    misspelt, only as one word ("Support desk" is no lane)."""
    joined = re.sub(r"[\s_-]", "", text).lower()
    return joined if joined in _LANES else closest_keyword(text, _LANES) if text.isalpha() else None


def label_before_id(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``system "Order screen" screen frontstage``: the label written first."""
    token, kind = m.token, m.stack[-1] if m.stack else None
    if token.type != "STRING" or getattr(kind, "type", None) != "ACTOR_KIND" or token.end_line != token.line:
        return None
    rest = m.lines[token.line - 1][token.end_column - 1 :]
    after = re.match(r"(\s+)([A-Za-z_]\w*)\s+([A-Za-z_]\w*)(?=\s*(#|$))", rest)
    if after is None or after.group(3) not in LANE_NAMES:
        return None
    end = token.end_pos + after.end()
    meant = f"{after.group(2)} {after.group(3)} {token}"
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, token.line, token.column, len(token)),
        "an actor's label comes after its id and lane",
        f"write {kind} {clip(meant)}",
    )
    return diagnostic, m.text[: token.start_pos] + meant.ljust(end - token.start_pos) + m.text[end:]


def lane_after_label(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``role handler "Baggage handler" backstage``: the lane written after the label."""
    token, declared = m.token, _string_for_a_lane(m)
    if declared is None:
        return None
    kind, actor = declared
    after = re.match(r"[ \t]+([A-Za-z_]\w*)", m.lines[token.line - 1][token.end_column - 1 :])
    if after is None or after.group(1) not in _LANES:
        return None
    end = token.end_pos + after.end()
    meant = f"{after.group(1)} {token}"  # as wide as what was written: nothing after it moves
    repaired = m.text[: token.start_pos] + meant + m.text[end:]
    if not parses_past(repaired, token.line):
        return None
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, token.line, token.column, len(token)),
        "an actor's label comes after its lane",
        f"write {kind} {clip(actor)} {clip(meant)}",
    )
    return diagnostic, repaired


def declaration_inside_a_block(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``person agent frontstage "Agent"`` inside a stage or a step: read where it belongs,
    in the blueprint just before the stage, so that the actor acts without more errors."""
    token = m.token
    # A stage reads the kind as a kind; a step as a name, the start of an action.
    kind = token if token.type == "ACTOR_KIND" else m.stack[-1] if m.stack and token.type == "NAME" else None
    if str(kind) not in _KINDS:
        return None
    declared = _declaration_from(m.text, kind)
    blocks = open_blocks(tokens_before(m.text, kind))
    if declared is None or [str(opener) for opener in blocks] not in (["blueprint", "stage"],
                                                                        ["blueprint", "stage", "step"]):
        return None
    words, end = declared
    meant, stage = " ".join(words), blocks[1]
    repaired = (
        m.text[: stage.start_pos] + meant + " " + m.text[stage.start_pos : kind.start_pos]
        + blank(m.text[kind.start_pos : end]) + m.text[end:]
    )
    if not parses_past(repaired, kind.line):
        return None
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, kind.line, kind.column, len(kind)),
        f"actor '{clip(words[1])}' is declared inside a {blocks[-1]}: actors are declared in the blueprint, "
        "outside its stages",
        f"move the declaration above the stages: {clip(meant)}",
    )
    # The actor is declared where the repair wrote it: reported here, and nowhere it acts.
    return diagnostic, repaired


def _declaration_from(text: str, kind: lark.Token) -> tuple[list[str], int] | None:
    """The words of the declaration that ``kind`` starts on its line (its kind, id, lane and
    label, if any), and where it ends."""
    tokens: list[lark.Token] = []
    try:
        for token in lalr().lex(text[kind.start_pos :], dont_ignore=False):
            if token.end_line > 1 or len(tokens) == 4:
                break
            tokens.append(token)
    except UnexpectedInput:
        pass  # a character the lexer cannot read, after the declaration or in it
    types = [token.type for token in tokens]
    if types[:3] != ["ACTOR_KIND", "NAME", "NAME"]:
        return None
    declared = tokens if types[3:] == ["STRING"] else tokens[:3]
    return [str(token) for token in declared], kind.start_pos + declared[-1].end_pos


#: An actor declared without its kind, on its line: two words, then its label, if any.
_WITHOUT_KIND = re.compile(r'([A-Za-z_]\w*)[ \t]+([A-Za-z_]\w*)(?:[ \t]+("(?:[^"\\\n]|\\.)*"))?')


def declaration_without_kind(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``agent frontstage "Agent"``, or ``customer guest "Guest"`` with the lane where the
    kind belongs: in the blueprint, read as a flow from the first word, the parse fails at
    the second. Read as the declaration meant, with the kind that fits anyone."""
    first = _first_word(m, then="NAME")
    if first is None:
        return None
    written = _WITHOUT_KIND.match(m.lines[first.line - 1], first.column - 1)
    if written is None or (written.group(1) in _LANES) == (written.group(2) in _LANES):
        return None
    lane_first = written.group(1) in _LANES
    actor, lane = (written.group(2), written.group(1)) if lane_first else (written.group(1), written.group(2))
    meant = " ".join(word for word in ("actor", actor, lane, written.group(3)) if word)
    end = first.start_pos + written.end() - written.start()
    repaired = m.text[: first.start_pos] + meant + m.text[end:]
    if not parses_past(repaired, first.line):
        return None
    kinds = ", ".join(_KINDS)
    if lane_first:
        message = f"'{lane}' is a lane, not a kind of actor"
        hint = f"an actor's declaration starts with its kind ({kinds}), then its id and lane: write {clip(meant)}"
    else:
        message = f"the declaration of actor '{clip(actor)}' has no kind"
        hint = f"an actor's declaration starts with its kind ({kinds}): write {clip(meant)}"
    # Said at the first word, where the repair wrote the actor: reported here, and nowhere it acts.
    diagnostic = codes.SYNTAX_ERROR.at(Span.point(m.path, first.line, first.column, len(first)), message, hint)
    return diagnostic, repaired


#: An actor written as a diagram's node (D2): its id, a ':', its label, if any (quoted, or
#: one word), and its attributes in braces, on one line.
_AS_A_NODE = re.compile(
    r'([A-Za-z_]\w*)[ \t]*:[ \t]*(?:("(?:[^"\\\n]|\\.)*"|[A-Za-z_]\w*)[ \t]*)?\{([^{}\n]*)\}'
)
#: One of a node's attributes: ``lane: customer``, ``label: "Patient"``.
_ATTRIBUTE = re.compile(r'([A-Za-z_]\w*)[ \t]*:[ \t]*("(?:[^"\\\n]|\\.)*"|[\w-]+)')


def declaration_as_a_node(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``patient: {lane: customer}``: an actor written as a diagram's node, its lane among its
    attributes. In the blueprint, read as a flow from the id, the parse stops at the ':'."""
    actor = _first_word(m, then="COLON")
    if actor is None:
        return None
    written = _AS_A_NODE.match(m.text, actor.start_pos)
    if written is None:
        return None
    attributes = {key: value for key, value in _ATTRIBUTE.findall(written.group(3))}
    lane = _lane_named(attributes.get("lane", "").strip('"'))
    if lane is None:
        return None
    kind = next((value for value in attributes.values() if value in _KINDS), "actor")  # shape: person
    label = written.group(2) or (attributes.get("label") if attributes.get("label", "").startswith('"') else None)
    label = quote(label) if label and not label.startswith('"') else label  # host: Host {...}
    meant = " ".join(word for word in (kind, str(actor), lane, label) if word)
    repaired = m.text[: actor.start_pos] + meant.ljust(written.end() - written.start()) + m.text[written.end() :]
    if not parses_past(repaired, actor.line):
        return None
    diagnostic = codes.SYNTAX_ERROR.at(
        Span.point(m.path, actor.line, actor.column, written.end() - written.start()),
        f"actor '{clip(actor)}' is written as a diagram's node: an actor is declared with its kind, id and lane",
        f"write {clip(meant)}",
    )
    # The actor is declared where the repair wrote it: reported here, and nowhere it acts.
    return diagnostic, repaired
