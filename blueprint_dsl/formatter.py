"""The canonical layout of a ``.svc`` file: ``blueprint fmt`` and the language server's formatting.

Works on the concrete syntax tree (``syntax``), so every word and comment is kept and
nothing moves past anything else: the model before and after is equal. The layout:

- two spaces of indentation per block, one statement per line, at most one blank line
  between statements (blank lines are kept where the author put them);
- header facts and actor declarations aligned in columns, over a run of consecutive
  ones (a blank line starts a new run);
- in a step, the ``actor:`` of every action and the keyword of every evidence and
  annotation line padded to one width, so that the texts start in one column;
- an action's fail point (``fail``, ``safe``, ``owner`` and what follows them) on a
  continuation line under the action's text;
- a full-line comment stays on its own line before what followed it; a trailing
  comment stays at the end of the line of the word it followed, and a trailing
  ``# noqa`` is copied to each line that takes words from its line, and the words of
  its line join no line before them, so that it suppresses what it did before (one
  whose words name no rule suppresses nothing, and is a comment like any other).

Strings are copied as written, escapes and triple quotes included.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .codes import SYNTAX_ERROR
from .diagnostics import NOQA, Diagnostic, Severity
from .parser import parse_document
from .syntax import Comment, Node, SyntaxTree, Token, parse_syntax

INDENT = "  "
BLOCKS = ("blueprint", "stage", "step")
FACTS = ("header", "tolerance", "theme")
FAIL_MODIFIERS = ("fail", "safe", "fail_owner")


class FormatError(Exception):
    """The text has syntax errors: it is not formatted, and these say why."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("; ".join(d.headline() for d in diagnostics))
        self.diagnostics = diagnostics


def line_ending(sample: str) -> str:
    """The line ending of a text, as its first line has it: CRLF, or else LF. The
    formatter lays text out with LF; a file written with CRLF is written back so."""
    end = sample.find("\n")
    return "\r\n" if end > 0 and sample[end - 1] == "\r" else "\n"


def format_text(text: str, path: str = "<string>") -> str:
    """The text in canonical layout; raises FormatError when it does not parse."""
    text = text.lstrip("\ufeff")
    tree = parse_syntax(text)
    if tree is None:
        # Those the parser reports, a syntax error's (BP0..) and a value's it cannot read (BP201, 5 without a unit).
        diagnostics = [d for d in parse_document(text, path).diagnostics if d.severity is Severity.ERROR]
        raise FormatError(diagnostics)
    if _LOOP_OPENING_A_LINE.search(text):
        # The text parses, but a loop before its flow reads as the flow above's (loose_loops):
        # laid out, it would be written so.
        misread = [d for d in parse_document(text, path).diagnostics if d.code == SYNTAX_ERROR.code]
        if misread:
            raise FormatError(misread)
    return _Printer(tree).print()


#: A ``loop`` opening a line with more after it, which may be a flow's loop written before it.
_LOOP_OPENING_A_LINE = re.compile(r"^[ \t]*loop[ \t]+[^\s#]", re.MULTILINE)


@dataclass(slots=True)
class _Atom:
    token: Token
    space: str = " "
    #: Start a continuation line before this atom.
    break_before: bool = False


@dataclass(slots=True)
class _Printer:
    tree: SyntaxTree
    out: list[str] = field(default_factory=list)
    leading: dict[int, list[Comment]] = field(default_factory=dict)
    trailing: dict[int, Comment] = field(default_factory=dict)
    #: The trailing noqa comments, by line.
    suppressions: dict[int, Comment] = field(default_factory=dict)
    at_end: list[Comment] = field(default_factory=list)
    source_lines: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.source_lines = self.tree.text.split("\n")
        tokens = list(self.tree.tokens())
        starts = [t.offset for t in tokens]
        for comment in self.tree.comments:
            index = bisect.bisect_right(starts, comment.offset)
            if comment.own_line:
                if index < len(tokens):
                    self.leading.setdefault(tokens[index].offset, []).append(comment)
                else:
                    self.at_end.append(comment)
            else:
                self.trailing[tokens[index - 1].offset] = comment
                if NOQA.search(comment.text) and _suppresses(comment):
                    self.suppressions[comment.line] = comment

    def print(self) -> str:
        self.body(self.tree.items, "")
        self.comments(self.at_end, "", first=not self.out)
        return "\n".join(self.out) + "\n" if self.out else ""

    # ---- lines and comments ----

    def blank_before(self, line: int, column: int) -> bool:
        """Whether the source has an empty line before this, the first word of its line."""
        if line < 2 or self.source_lines[line - 1][: column - 1].strip():
            return False
        return not self.source_lines[line - 2].strip()

    def blank(self) -> None:
        if self.out and self.out[-1] != "":
            self.out.append("")

    def comments(self, comments: list[Comment], indent: str, first: bool) -> None:
        for index, comment in enumerate(comments):
            if self.blank_before(comment.line, comment.column) and not (first and index == 0):
                self.blank()
            self.out.append(indent + comment.text)

    def before(self, token: Token, indent: str, first: bool) -> None:
        """The comments on the lines before a statement, and the blank line before it."""
        comments = self.leading.get(token.offset, [])
        self.comments(comments, indent, first)
        if self.blank_before(token.line, token.column) and not (first and not comments):
            self.blank()

    def separated(self, node: Node) -> bool:
        """Whether a blank line stands before a statement or its comments."""
        first = node.first
        marks = [(c.line, c.column) for c in self.leading.get(first.offset, [])] + [(first.line, first.column)]
        return any(self.blank_before(line, column) for line, column in marks)

    def emit(self, atoms: list[_Atom], indent: str, continuation: str) -> None:
        lines: list[str] = []
        read_from: list[set[int]] = []  # the source lines of each line's words
        commented: set[int] = set()  # the lines that end in a comment or are one
        line, words_from = indent, set()
        after_comment = False
        for index, atom in enumerate(atoms):
            comments = self.leading.get(atom.token.offset, []) if index else []
            if index and (atom.break_before or comments or after_comment or self.joins_noqa(atoms[index - 1], atom)):
                lines.append(line)
                read_from.append(words_from)
                commented.update(range(len(lines), len(lines) + len(comments)))
                lines.extend(continuation + c.text for c in comments)
                read_from.extend(set() for _ in comments)
                # A block's '{' on a line of its own stands at the block's indentation.
                line, words_from = (indent if atom.token.text == "{" else continuation) + atom.token.text, set()
            else:
                line += (atom.space if index else "") + atom.token.text
            words_from.update(range(atom.token.line, atom.token.end_line + 1))
            trailing = self.trailing.get(atom.token.offset)
            after_comment = trailing is not None
            if trailing is not None:
                line += "  " + trailing.text
                commented.add(len(lines))
        lines.append(line)
        read_from.append(words_from)
        self.keep_suppressions(lines, read_from, commented)
        self.out.extend(lines)

    def joins_noqa(self, previous: _Atom, atom: _Atom) -> bool:
        """Whether ``atom`` starts a line that ends in a ``# noqa``, which the words before it
        on their own line would come under if it joined them: it then stays on a line of its own."""
        return atom.token.line != previous.token.end_line and atom.token.line in self.suppressions

    def keep_suppressions(self, lines: list[str], read_from: list[set[int]], commented: set[int]) -> None:
        """Copies a ``# noqa`` onto each line that holds words from the comment's line.

        A finding is suppressed when a line of its span carries the comment; when fmt
        takes the words of one line apart, onto lines of their own or continuation lines,
        each of those lines carries it, so that it suppresses what it did before. A line
        that ends in another comment already has no room for it. A copy leaves out the
        words that name no rule: they stay where they were written, reported once.
        """
        if not self.suppressions:
            return
        from .check import noqa_copy  # the rules' names, loaded only where a noqa may be copied

        for index, numbers in enumerate(read_from):
            comment = next((self.suppressions[n] for n in sorted(numbers) if n in self.suppressions), None)
            if comment is not None and index not in commented:
                lines[index] += "  " + noqa_copy(comment.text)

    # ---- statements ----

    def body(self, nodes: tuple[Node, ...], indent: str) -> None:
        widths = _column_widths(nodes, self.separated)
        step_width = _step_width(nodes)
        for index, node in enumerate(nodes):
            self.before(node.first, indent, first=index == 0)
            if node.kind in BLOCKS:
                self.block(node, indent)
            elif node.kind == "action":
                self.action(node, indent, step_width)
            else:
                atoms = _atoms(node)
                if node.kind in ("evidence", "annotation"):
                    atoms[1].space = " " * (step_width - len(atoms[0].token.text) + 1)
                _align(atoms, widths.get(id(node)))
                self.emit(atoms, indent, indent + INDENT * 2)

    def block(self, node: Node, indent: str) -> None:
        children = node.children
        brace = next(i for i, c in enumerate(children) if isinstance(c, Token) and c.type == "LBRACE")
        head = [_Atom(token) for token in children[: brace + 1] if isinstance(token, Token)]
        self.emit(head, indent, indent + INDENT * 2)
        inner = tuple(c for c in children[brace + 1 :] if isinstance(c, Node))
        self.body(inner, indent + INDENT)
        close = children[-1]
        assert isinstance(close, Token) and close.type == "RBRACE"
        self.comments(self.leading.get(close.offset, []), indent + INDENT, first=not inner)
        self.emit([_Atom(close)], indent, indent)

    def action(self, node: Node, indent: str, width: int) -> None:
        atoms = _atoms(node)
        actor_width = len(atoms[0].token.text) + 1
        atoms[2].space = " " * (width - actor_width + 1)
        continuation = indent + " " * (width + 1)
        for modifier in node.nodes():
            if modifier.kind in FAIL_MODIFIERS:
                next(a for a in atoms if a.token is modifier.first).break_before = True
                break
        self.emit(atoms, indent, continuation)


def _suppresses(comment: Comment) -> bool:
    """Whether a trailing ``# noqa`` suppresses anything: one whose words name no rule does not
    (``check`` reports it), and the words of its line are laid out as any others are."""
    from .check import noqa_copy  # the rules' names, loaded only where a noqa is written

    return noqa_copy(comment.text) is not None


def _atoms(node: Node) -> list[_Atom]:
    """The tokens of a statement with the usual spacing: none before ``,`` or an action's ``:``."""
    atoms = []
    for index, token in enumerate(node.tokens()):
        tight = token.type == "COMMA" or (node.kind == "action" and index == 1)
        atoms.append(_Atom(token, "" if tight else " "))
    return atoms


def _align(atoms: list[_Atom], widths: tuple[int, ...] | None) -> None:
    """Pads the leading words of an aligned statement to their column widths."""
    if not widths:
        return
    for index, width in enumerate(widths):
        if index + 1 < len(atoms):
            atoms[index + 1].space = " " * (width - len(atoms[index].token.text) + 1)


def _family(node: Node) -> str | None:
    return "fact" if node.kind in FACTS else "actor" if node.kind == "actor" else None


def _column_widths(nodes: tuple[Node, ...], separated) -> dict[int, tuple[int, ...]]:
    """Column widths of each aligned statement (facts, actors), per run of consecutive ones."""
    runs: list[list[Node]] = []
    for node in nodes:
        family = _family(node)
        if family is None:
            runs.append([])
            continue
        if runs and runs[-1] and _family(runs[-1][-1]) == family and not separated(node):
            runs[-1].append(node)
        else:
            runs.append([node])
    widths: dict[int, tuple[int, ...]] = {}
    for run in runs:
        if not run:
            continue
        # Facts align their key; actors their kind, id and lane.
        columns = 1 if _family(run[0]) == "fact" else 3
        texts = [[t.text for t in node.tokens()][:columns] for node in run]
        run_widths = tuple(max(len(row[i]) for row in texts if i < len(row)) for i in range(columns))
        for node in run:
            widths[id(node)] = run_widths
    return widths


def _step_width(nodes: tuple[Node, ...]) -> int:
    """The width of the lead words in a step: ``actor:`` of actions, keywords of evidence and annotations."""
    widths = [len(node.first.text) + 1 for node in nodes if node.kind == "action"]
    widths += [len(node.first.text) for node in nodes if node.kind in ("evidence", "annotation")]
    return max(widths, default=0)
