"""An emotion written as other tools write one: a face (``emotion 😠``), or a score of 1 to 5 as
Mermaid's journey diagrams and spreadsheet templates give it (``emotion 3``), bare or in quotes.
An emotion is a word of the scale: the face or the score is read as the word it stands for, where
one does, and the scale is said."""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from .. import codes
from ..diagnostics import Diagnostic, Span, clip
from ..model import Emotion
from ..text import unquote
from .repairs import blank

if TYPE_CHECKING:
    from .mistakes import Mistake

#: The scale, from best to worst.
_SCALE = tuple(emotion.value for emotion in Emotion)
#: A score as Mermaid's journey diagrams give it: 1 the worst, 5 the best.
_SCORES = {"1": "frustrated", "2": "annoyed", "3": "neutral", "4": "pleased", "5": "delighted"}
#: The common faces, by the emotion each shows.
_FACES = {
    "delighted": "\U0001f60d\U0001f929\U0001f970\U0001f601\U0001f604\U0001f603\U0001f606\U0001f973\U0001f600\U0001f602",
    "pleased": "\U0001f642\U0001f60a\u263a\U0001f44d\U0001f60c\U0001f60e",
    "neutral": "\U0001f610\U0001f611\U0001f636\U0001f644",
    "annoyed": "\U0001f615\U0001f641\u2639\U0001f612\U0001f61f\U0001f614\U0001f61e",
    "frustrated": "\U0001f620\U0001f621\U0001f92c\U0001f624\U0001f62b\U0001f629\U0001f616\U0001f623\U0001f62d\U0001f622"
                  "\U0001f44e",
}
_FACE_EMOTIONS = {face: emotion for emotion, faces in _FACES.items() for face in faces}
#: A score after ``emotion`` (3, or 3/5), or a run of symbols (a face, with its variation selector
#: or skin tone, or several), up to the next space.
_WRITTEN = re.compile(r"(?P<score>[0-9]+)(?:/5)?(?![\w.])|(?P<symbols>[^\x00-\x7f\s]+)")
_AFTER_EMOTION = re.compile(r"(?<!\w)emotion[ \t]+$")


def explain_emotion(lines: list[str], path: str, line: int, column: int) -> tuple[Diagnostic, str] | None:
    """The error at ``column`` of ``line`` if it is in an emotion written as a face or a score."""
    source_line = lines[line - 1]
    written = _WRITTEN.match(source_line, column - 1) if _AFTER_EMOTION.search(source_line, 0, column - 1) else None
    if written is None or written.group("symbols") and not _symbols(written.group("symbols")):
        return None
    meant = _meant(written.group(0))
    diagnostic = _diagnostic(path, line, column, written.group(0), meant)
    keyword = _AFTER_EMOTION.search(source_line, 0, column - 1)
    # Read as the emotion meant; where none is known, the emotion left out.
    start, end = (written.start(), written.end()) if meant else (keyword.start(), written.end())
    lines[line - 1] = source_line[:start] + (meant or blank(source_line[start:end])) + source_line[end:]
    return diagnostic, "\n".join(lines)


def emotion_in_quotes(m: Mistake) -> tuple[Diagnostic, str] | None:
    """``emotion "3"``, ``emotion "😠"``: a score or a face in quotes."""
    token, keyword = m.token, m.stack[-1] if m.stack else None
    if token.type != "STRING" or str(keyword) != "emotion" or token.end_line != token.line:
        return None
    text = unquote(token).strip()
    if not (_WRITTEN.fullmatch(text) and (text[0].isdigit() or _symbols(text))):
        return None  # other text: a name, not a string, as for any keyword that takes one
    meant = _meant(text)
    diagnostic = _diagnostic(m.path, token.line, token.column, str(token), meant)
    start, end = (token.start_pos, token.end_pos) if meant else (keyword.start_pos, token.end_pos)
    return diagnostic, m.text[:start] + (meant or blank(m.text[start:end])) + m.text[end:]


def _diagnostic(path: str, line: int, column: int, written: str, meant: str | None) -> Diagnostic:
    if re.match(r'"?[0-9]', written):
        what = "a score" if meant else "a number"
        scale = ", ".join(f"{emotion} ({number})" for number, emotion in sorted(_SCORES.items()))
    else:
        what, scale = "a face" if meant else "a symbol", ", ".join(_SCALE)
    message = f"'{clip(written)}' is {what}, and an emotion is a word of the scale: {scale}"
    hint = f"write emotion {meant}" if meant else "write the word of the scale it stands for, or remove it"
    return codes.SYNTAX_ERROR.at(Span.point(path, line, column, len(written)), message, hint)


def _meant(written: str) -> str | None:
    """The emotion a score of 1 to 5 or a face stands for, or None."""
    score = re.fullmatch(r"([0-9]+)(?:/5)?", written)
    if score:
        return _SCORES.get(score.group(1))
    faces = {_FACE_EMOTIONS.get(char) for char in written if not _modifier(char)}
    return faces.pop() if len(faces) == 1 else None


def _symbols(written: str) -> bool:
    """Whether ``written`` is symbols alone, as faces are (with their modifiers)."""
    return all(unicodedata.category(char) == "So" or _modifier(char) for char in written)


def _modifier(char: str) -> bool:
    """A variation selector, a joiner or a skin tone, which change the face before them."""
    return char in "\ufe0f\ufe0e\u200d" or "\U0001f3fb" <= char <= "\U0001f3ff"
