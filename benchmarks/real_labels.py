"""Readers for hand-labelled real translations, in the two formats the labelled sets use.

* Line pairs (``ntrex128-labelled/labels.jsonl``, ``benchmarks/labels/{flores200-devtest,tico19}``):
  one record per line pair, ``{"doc", "line", "labels": [...], "note"}``; line i of
  ``DOC.en.txt`` is translated as line i of ``DOC.ar.txt``.
* Whole documents (``benchmarks/labels/real-documents/DOC.jsonl``): one record per difference,
  ``{"doc", "type", "severity", "en", "ar", "note"}``, where ``en``/``ar`` are exact substrings
  that occur once in their file, so each label is a character span.

Both become :class:`Problem` objects that say which lines or which character spans of each side a
real difference covers; the scorer in :mod:`benchmarks.score_real` needs nothing else.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from align.io import read_document_text
from align.model import Side

LabelType = Literal["omission", "addition", "number", "mistranslation", "misaligned"]
LABEL_TYPES: tuple[LabelType, ...] = ("omission", "addition", "number", "mistranslation", "misaligned")
# The differences a checker is asked to find (recall); any label makes a flag right (precision).
RECALLED: tuple[LabelType, ...] = ("omission", "addition", "number")
SEVERITIES = ("major", "minor")


class LabelError(ValueError):
    """A label file does not follow its format; the message names the file and line."""


@dataclass(frozen=True)
class Problem:
    """One labelled difference of one document.

    ``lines`` holds the line number of a line-pair label (both sides share it); ``spans`` holds
    ``(side, start, end)`` character spans of a document label, one per side it names.
    """

    doc: str
    type: LabelType
    severity: Literal["major", "minor"]
    en: str
    ar: str
    note: str = ""
    line: int | None = None
    spans: tuple[tuple[Side, int, int], ...] = ()

    @property
    def recalled(self) -> bool:
        """Whether the checker is asked to find this difference (an omission, addition or number)."""
        return self.type in RECALLED


@dataclass(frozen=True)
class LabelledLines:
    """A set of line-aligned documents with every line pair labelled."""

    folder: Path  # where DOC.en.txt / DOC.ar.txt live
    lines: dict[str, int]  # doc -> number of labelled line pairs
    problems: tuple[Problem, ...]

    def labelled_lines(self, doc: str) -> set[int]:
        return {p.line for p in self.problems if p.doc == doc and p.line is not None}


def _records(path: Path) -> Iterator[tuple[int, dict[str, object]]]:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as exc:
            raise LabelError(f"{path}:{number}: not JSON ({exc})") from exc
        if not isinstance(record, dict):
            raise LabelError(f"{path}:{number}: expected a JSON object")
        yield number, record


def _label(where: str, doc: str, raw: object, line: int | None = None) -> Problem:
    if not isinstance(raw, dict):
        raise LabelError(f"{where}: a label must be an object")
    kind, severity = raw.get("type"), raw.get("severity")
    en, ar, note = raw.get("en", ""), raw.get("ar", ""), raw.get("note", "")
    if kind not in LABEL_TYPES:
        raise LabelError(f"{where}: unknown label type {kind!r}")
    if severity not in SEVERITIES:
        raise LabelError(f"{where}: unknown severity {severity!r}")
    if not (isinstance(en, str) and isinstance(ar, str) and isinstance(note, str)):
        raise LabelError(f"{where}: en, ar and note must be strings")
    if (kind == "omission" and not en) or (kind == "addition" and not ar):
        raise LabelError(f"{where}: an {kind} names its text")
    return Problem(doc, kind, severity, en, ar, note, line)


def read_line_labels(labels: Path, folder: Path) -> LabelledLines:
    """Labels of line pairs (the ntrex128-labelled format); texts are read from ``folder``."""
    counts: dict[str, int] = {}
    problems: list[Problem] = []
    for number, record in _records(labels):
        where = f"{labels}:{number}"
        doc, line, found = record.get("doc"), record.get("line"), record.get("labels")
        if not isinstance(doc, str) or not isinstance(line, int) or not isinstance(found, list):
            raise LabelError(f"{where}: expected doc (string), line (int) and labels (list)")
        counts[doc] = max(counts.get(doc, 0), line + 1)
        problems += [_label(where, doc, raw, line) for raw in found]
    return LabelledLines(folder, counts, tuple(problems))


def _span(text: str, piece: str, where: str, side: Side) -> tuple[Side, int, int]:
    start = text.find(piece)
    if start < 0:
        raise LabelError(f"{where}: the {side} text {piece[:40]!r} is not in the document")
    if text.find(piece, start + 1) >= 0:
        raise LabelError(f"{where}: the {side} text {piece[:40]!r} occurs more than once; make it unique")
    return side, start, start + len(piece)


def read_document_labels(labels: Path, folder: Path) -> tuple[Problem, ...]:
    """Labels of one unsegmented document (``DOC.jsonl``), with their character spans."""
    doc = labels.stem
    texts: dict[Side, str] = {side: read_document_text(folder / f"{doc}.{side}.txt", side) for side in ("en", "ar")}
    problems = []
    for number, record in _records(labels):
        where = f"{labels}:{number}"
        if record.get("doc") != doc:
            raise LabelError(f"{where}: doc {record.get('doc')!r} does not match the file name")
        problem = _label(where, doc, record)
        pieces: list[tuple[Side, str]] = [("en", problem.en), ("ar", problem.ar)]
        spans = tuple(_span(texts[side], piece, where, side) for side, piece in pieces if piece)
        problems.append(Problem(doc, problem.type, problem.severity, problem.en, problem.ar, problem.note,
                                spans=spans))
    return tuple(problems)


def read_document_folder(labels: Path, folder: Path,
                         docs: Iterable[str] | None = None) -> dict[str, tuple[Problem, ...]]:
    """Every ``DOC.jsonl`` in ``labels`` (or only ``docs``), by document name."""
    wanted = set(docs) if docs is not None else None
    return {path.stem: read_document_labels(path, folder) for path in sorted(labels.glob("*.jsonl"))
            if wanted is None or path.stem in wanted}
