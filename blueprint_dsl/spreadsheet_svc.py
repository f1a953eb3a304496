"""A blueprint from the rows of a spreadsheet (``spreadsheet``), written as ``.svc`` text.

The rules, as docs/import.md gives them:

- each column with text in any row read is a step; columns with none (a sheet exports
  empty ones at its right), or with an emotion alone (left out, as it has no customer
  action to feel it), are left out;
- a stage cell starts a stage that runs on over the empty cells after it (a merged
  cell exports so); columns before the first, or all without a stage row, make a stage
  named ``Stage N`` by its place;
- a step cell is the step's label; a step without one is ``step_N`` by its column's place;
- a cell holds one item a line (a list's mark before it left out, a line of dashes
  none): one evidence, one action, one metric; ``Barista: takes the order`` is an
  action of the actor Barista, made for each name the first time it is read (lane by
  lane, row by row) with that row's lane as its home lane, and of a kind by it
  (``actor`` for the customer, ``role`` frontstage and backstage, ``system`` for
  support); an action without a name is the lane's own actor's (``Customer``,
  ``Frontstage staff``, ``Backstage staff``, ``Support``); a name read in a customer row
  and in one of the organisation's is two actors, the second's id ending in its lane
  (``host_frontstage``), with a warning: neither acts in the other's lanes;
- a scenario, persona, segment or owner row gives that header fact, its first cell's
  text (line breaks made spaces);
- an emotion cell of the scale (``Annoyed``) is the emotion of the customer's actions
  in its column; anything else there is a warning, and left out;
- ids are made from the text (its first four words, in lower case, joined by ``_``),
  unique, and never a keyword (``wait`` is ``wait_action``).

The text is laid out by ``format_text``; flows, which a spreadsheet does not hold, are
left to write where a comment at the end says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from .diagnostics import Severity, clip
from .formatter import format_text
from .grammar import keywords
from .model import Emotion, Lane
from .reading import normalise_newlines
from .spreadsheet import (
    HEADERS,
    Cell,
    Problem,
    Row,
    RowKind,
    SpreadsheetError,
    items,
    read_records,
    read_rows,
    row_named,
)
from .text import MadeIds, quote, slug

#: The lane of each row of actions.
LANES = {RowKind.CUSTOMER: Lane.CUSTOMER, RowKind.FRONTSTAGE: Lane.FRONTSTAGE, RowKind.BACKSTAGE: Lane.BACKSTAGE,
         RowKind.SUPPORT: Lane.SUPPORT}
#: The actor of a lane's actions written without a name.
LANE_ACTORS = {Lane.CUSTOMER: "Customer", Lane.FRONTSTAGE: "Frontstage staff", Lane.BACKSTAGE: "Backstage staff",
               Lane.SUPPORT: "Support"}
#: The kind of an actor by its home lane.
KINDS = {Lane.CUSTOMER: "actor", Lane.FRONTSTAGE: "role", Lane.BACKSTAGE: "role", Lane.SUPPORT: "system"}
_ANNOTATIONS = {RowKind.TIME: "time", RowKind.METRIC: "metric", RowKind.POLICY: "policy"}
#: An action of a named actor: a name of up to four words and 40 characters, then ': ' and what they do.
_NAMED = re.compile(r"(?P<name>[^:]{1,40}?)\s*:\s+(?P<text>\S.*)", re.DOTALL)
_NAME_WORDS = 4
#: How much of a text a made id takes: its first words, and at most so many characters.
ID_WORDS, ID_LENGTH = 4, 32
_FLOWS_COMMENT = (
    "# A spreadsheet holds no flows: join the actions here by their ids (after `as`),",
    "# `a -> b` for a hand-off or trigger, `a <-> b` for an exchange; then `blueprint check`.",
)


@dataclass(frozen=True, slots=True)
class Imported:
    """A blueprint read from a spreadsheet: its ``.svc`` text, what was left out of it and why,
    and for a workbook of several sheets, which was read and what the others are called."""

    text: str
    warnings: tuple[Problem, ...]
    note: str | None = None


def import_spreadsheet(text: str, path: str, *, title: str, separator: str | None = None) -> Imported:
    """The blueprint titled ``title`` that the spreadsheet ``text``, read from ``path``, lays
    out; ``separator`` (a value of ``SEPARATORS``) is found when None. Raises SpreadsheetError
    when the spreadsheet cannot be read as one."""
    text = normalise_newlines(text.removeprefix("\ufeff"))  # as the loader reads a file: lines as editors count them
    return _Builder(read_rows(text, path, separator)).build(title, path)


def import_workbook(data: bytes, path: str, *, title: str, sheet: str | None = None) -> Imported:
    """The blueprint titled ``title`` that a sheet of the workbook ``data`` (an .xlsx file's
    bytes), read from ``path``, lays out: the one named ``sheet``, else the active one.
    Raises SpreadsheetError when it cannot be read as one, SheetNotFound when ``sheet`` is
    none of the workbook's."""
    from .workbook import read_sheet  # and openpyxl with it: only a workbook's import needs them

    read = read_sheet(data, path, sheet)
    try:
        built = _Builder(read_records(read.records, path, read.name), read.name).build(title, path)
    except SpreadsheetError as error:
        # What the sheet's cells said first, a formula never calculated, may be why a row is empty.
        raise SpreadsheetError([*read.warnings, *error.problems]) from None
    return replace(built, warnings=read.warnings + built.warnings, note=read.note())


@dataclass(slots=True)
class _Actor:
    id: str
    name: str
    lane: Lane
    cell: Cell  # where it is first read
    #: Whether another actor of the same name is on the other side of the line of interaction.
    split: bool = False


@dataclass(slots=True)
class _Action:
    actor: _Actor
    text: str
    lane: Lane
    id: str = ""
    emotion: Emotion | None = None


@dataclass(slots=True)
class _Step:
    id: str
    label: str | None
    evidence: list[str] = field(default_factory=list)
    actions: list[_Action] = field(default_factory=list)
    annotations: list[tuple[str, str]] = field(default_factory=list)


@dataclass(slots=True)
class _Stage:
    id: str
    name: str
    steps: list[_Step] = field(default_factory=list)


class _Builder:
    """The blueprint of the rows of a grid, made in the order it is written: deterministic ids."""

    def __init__(self, rows: list[Row], sheet: str | None = None) -> None:
        self.sheet = sheet  # the workbook's sheet the rows are of; None for a CSV or TSV text
        self.rows = [row for row in rows if row.kind not in HEADERS]
        self.headers = [row for row in rows if row.kind in HEADERS]
        # An emotion is of the customer's actions in its column: one alone there is left out, and makes no step.
        self.columns = sorted({column for row in self.rows if row.kind is not RowKind.EMOTION
                               for column, cell in enumerate(row.cells) if cell.text})
        self.actors: dict[tuple[str, bool], _Actor] = {}  # by name, as ``_name_key`` writes it, and side
        self.splits: list[tuple[_Actor, _Actor]] = []  # the actors of a name read on both sides, the first first
        self.warnings: list[Problem] = []

    def build(self, title: str, path: str) -> Imported:
        actions = self._actions()
        stages = self._stages()
        for step, column in zip((step for stage in stages for step in stage.steps), self.columns):
            for row in self.rows:
                if row.kind is RowKind.EVIDENCE:
                    step.evidence.extend(items(row.cell(column)))
                elif row.kind in _ANNOTATIONS:
                    step.annotations.extend((_ANNOTATIONS[row.kind], item) for item in items(row.cell(column)))
            step.actions = actions[column]
        self._emotions(actions)
        actors = self._declared()
        self._warn_of_splits()
        made = MadeIds(())
        for stage in stages:
            for step in stage.steps:
                for action in step.actions:
                    action.id = made.make(_made_id(action.text, "action", f"{step.id}_{action.actor.id}"))
        facts = self._facts()
        return Imported(text=format_text(_svc(title, facts, actors, stages), path), warnings=tuple(self.warnings))

    def _facts(self) -> list[tuple[str, str]]:
        """The header facts of the header rows, each its first cell's text; more cells are warned of."""
        facts = []
        for row in self.headers:
            filled = [cell for cell in row.cells if cell.text]
            facts.append((row.kind.value, " ".join(filled[0].text.split())))
            if len(filled) > 1:
                self._warn(filled[1], f"a {row.kind.value} is one text, in the first cell after the title: "
                                      "the other cells are left out", "write it in one cell")
        return facts

    def _actions(self) -> dict[int, list[_Action]]:
        """The actions of each column, lane by lane; their actors made the first time each is
        read, row by row in the method's order of the lanes (a sheet's order among rows of one lane)."""
        actions: dict[int, list[_Action]] = {column: [] for column in self.columns}
        for row in sorted((row for row in self.rows if row.kind in LANES), key=lambda row: LANES[row.kind].rank):
            lane = LANES[row.kind]
            for column in self.columns:
                for item in items(row.cell(column)):
                    named = _NAMED.fullmatch(item)
                    if named and len(named["name"].split()) <= _NAME_WORDS and _has_letter(named["name"]):
                        name, text = named["name"], named["text"]
                    else:
                        name, text = LANE_ACTORS[lane], item
                    actions[column].append(_Action(actor=self._actor(name, lane, row.cells[column]), text=text,
                                                   lane=lane))
        return actions

    def _actor(self, name: str, lane: Lane, cell: Cell) -> _Actor:
        """The actor named ``name`` acting in ``lane``, made the first time it is read. The customer
        and the organisation never act in each other's lanes: a name read on both sides is two
        actors, said at the cell that makes the second."""
        key = (_name_key(name), lane is Lane.CUSTOMER)
        actor = self.actors.get(key)
        if actor is None:
            actor = self.actors[key] = _Actor(id="", name=name, lane=lane, cell=cell)
            other = self.actors.get((key[0], not key[1]))
            if other is not None:
                actor.split = other.split = True
                self.splits.append((other, actor))
        return actor

    def _declared(self) -> list[_Actor]:
        """The actors in the order they are declared: by home lane, then as first read; their ids made so."""
        declared = sorted(self.actors.values(), key=lambda actor: actor.lane.rank)
        made = MadeIds(())
        for actor in declared:
            ident = _made_id(actor.name, "actor", actor.lane.value)
            if actor.split and actor.lane is not Lane.CUSTOMER and ident != actor.lane.value:
                # The organisation's side of a name the customer has too: its lane says which it is.
                ident = f"{ident[:ID_LENGTH - len(actor.lane.value) - 1].rstrip('_')}_{actor.lane.value}"
            actor.id = made.make(ident)
        return declared

    def _warn_of_splits(self) -> None:
        for first, second in self.splits:
            customer, staff = (first, second) if first.lane is Lane.CUSTOMER else (second, first)
            place = row_named(first.cell.span, self.sheet)
            self._warn(second.cell, f"'{clip(second.name)}' acts in the {first.lane.value} lane {place}, and here in "
                             f"{second.lane.value}: two actors, '{customer.id}' and '{staff.id}', since the customer "
                             "and the organisation never act in each other's lanes",
                       "if they are one, write each action in the row of its lane; else name them apart")

    def _stages(self) -> list[_Stage]:
        stage_row = next((row for row in self.rows if row.kind is RowKind.STAGE), None)
        step_row = next((row for row in self.rows if row.kind is RowKind.STEP), None)
        stages: list[_Stage] = []
        stage_ids, step_ids = MadeIds(()), MadeIds(())
        for place, column in enumerate(self.columns, start=1):
            name = stage_row.cell(column) if stage_row else ""
            if name or not stages:
                name = name or f"Stage {len(stages) + 1}"
                stages.append(_Stage(id=stage_ids.make(_made_id(name, "stage", "phase")), name=name))
            label = (step_row.cell(column) if step_row else "") or None
            step_id = _made_id(label, "step", f"step_{place}") if label else f"step_{place}"
            stages[-1].steps.append(_Step(id=step_ids.make(step_id), label=label))
        return stages

    def _emotions(self, actions: dict[int, list[_Action]]) -> None:
        """The emotion rows' cells, as the emotion of the customer's actions in their column."""
        felt: dict[int, Cell] = {}
        for row in self.rows:
            if row.kind is not RowKind.EMOTION:
                continue
            for column, cell in enumerate(row.cells):
                if not cell.text:
                    continue
                emotion = next((e for e in Emotion if e.value == cell.text.casefold()), None)
                customer = [action for action in actions.get(column, ()) if action.lane is Lane.CUSTOMER]
                if emotion is None:
                    self._warn(cell, f"'{clip(cell.text)}' is no emotion of the scale: left out",
                               "write one of " + ", ".join(e.value for e in Emotion))
                elif not customer:
                    self._warn(cell, "no customer action in this column to feel it: left out",
                               "write what the customer does in this column's customer row")
                elif column in felt:
                    self._warn(cell, f"this column has an emotion already, {row_named(felt[column].span, self.sheet)}"
                                     ": left out", "keep one emotion a column")
                else:
                    felt[column] = cell
                    for action in customer:
                        action.emotion = emotion

    def _warn(self, cell: Cell, message: str, hint: str) -> None:
        self.warnings.append(Problem(severity=Severity.WARNING, message=message, span=cell.span, hint=hint,
                                     sheet=self.sheet))


def _has_letter(text: str) -> bool:
    return any(char.isalpha() for char in text)


def _name_key(name: str) -> str:
    """An actor's name as it is matched: ``barista`` and ``Barista`` are one actor."""
    return " ".join(name.split()).casefold()


def _made_id(text: str, kind: str, default: str) -> str:
    """An id made from ``text``: its first words, in lower case, joined by ``_``, or ``default`` when
    it has no Latin letter or digit; a keyword is followed by ``kind`` (``wait_action``)."""
    made = slug(text, default="_")
    if made == "_":
        made = default
    else:
        lead = "_" if made.startswith("_") else ""  # a digit first: ids start with a letter or '_'
        made = (lead + "_".join(made.lstrip("_").split("_")[:ID_WORDS]))[:ID_LENGTH].rstrip("_")
    return made if made not in keywords() else f"{made}_{kind}"


def _svc(title: str, facts: list[tuple[str, str]], actors: list[_Actor], stages: list[_Stage]) -> str:
    """The blueprint's text, to be laid out by ``format_text``."""
    lines = [f"blueprint {quote(title)} {{"]
    lines.extend(f"  {key} {quote(value)}" for key, value in facts)
    lines.extend([""] if facts else [])
    lines.extend(f"  {KINDS[actor.lane]} {actor.id} {actor.lane.value} {quote(actor.name)}" for actor in actors)
    for stage in stages:
        lines.extend(("", f"  stage {stage.id} {quote(stage.name)} {{"))
        for step in stage.steps:
            lines.append(f"    step {step.id}" + (f" {quote(step.label)}" if step.label else "") + " {")
            if step.evidence:
                lines.append("      evidence " + ", ".join(map(quote, step.evidence)))
            for action in step.actions:
                details = [f"in {action.lane.value}"] if action.lane is not action.actor.lane else []
                details.append(f"as {action.id}")
                if action.emotion is not None:
                    details.append(f"emotion {action.emotion.value}")
                lines.append(f"      {action.actor.id}: {quote(action.text)} " + " ".join(details))
            lines.extend(f"      {key} {quote(text)}" for key, text in step.annotations)
            lines.append("    }")
        lines.append("  }")
    lines.extend(("", *(f"  {comment}" for comment in _FLOWS_COMMENT), "}"))
    return "\n".join(lines) + "\n"
