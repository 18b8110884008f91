"""The real-translation benchmark's label readers and scorer, on small hand-made cases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.real_labels import LabelError, Problem, read_document_labels, read_line_labels
from benchmarks.score_real import Tally, Unit, score_units

LABELS = Path(__file__).resolve().parents[1] / "benchmarks" / "labels"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


def _write_jsonl(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def _document(tmp_path: Path) -> Path:
    (tmp_path / "doc.en.txt").write_text("We met on Monday.\n\nWe left in 2020 and came back.\n", encoding="utf-8")
    (tmp_path / "doc.ar.txt").write_text("التقينا يوم الاثنين.\n\nغادرنا في 2021.\n", encoding="utf-8")
    return tmp_path


def test_document_labels_become_character_spans(tmp_path: Path) -> None:
    folder = _document(tmp_path)
    labels = _write_jsonl(tmp_path / "doc.jsonl", [
        {"doc": "doc", "type": "number", "severity": "major", "en": "2020", "ar": "2021", "note": ""},
        {"doc": "doc", "type": "omission", "severity": "minor", "en": "and came back", "ar": "", "note": ""},
    ])
    number, omission = read_document_labels(labels, folder)
    assert number.spans == (("en", 30, 34), ("ar", 32, 36))
    assert omission.spans == (("en", 35, 48),) and omission.recalled


@pytest.mark.parametrize(("record", "message"), [
    ({"type": "omission", "severity": "major", "en": "We", "ar": ""}, "occurs more than once"),
    ({"type": "omission", "severity": "major", "en": "Tuesday", "ar": ""}, "is not in the document"),
    ({"type": "omission", "severity": "major", "en": "", "ar": ""}, "names its text"),
    ({"type": "typo", "severity": "major", "en": "Monday", "ar": ""}, "unknown label type"),
    ({"type": "omission", "severity": "huge", "en": "Monday", "ar": ""}, "unknown severity"),
])
def test_bad_document_labels_are_refused_with_their_line(tmp_path: Path, record: dict[str, object],
                                                         message: str) -> None:
    labels = _write_jsonl(tmp_path / "doc.jsonl", [{"doc": "doc", "note": "", **record}])
    with pytest.raises(LabelError, match=message) as error:
        read_document_labels(labels, _document(tmp_path))
    assert "doc.jsonl:1" in str(error.value)


def test_line_labels_keep_every_line_and_their_problems(tmp_path: Path) -> None:
    labels = _write_jsonl(tmp_path / "labels.jsonl", [
        {"doc": "a", "line": 0, "labels": [], "note": ""},
        {"doc": "a", "line": 1, "labels": [{"type": "number", "severity": "major", "en": "5", "ar": "6"}], "note": ""},
    ])
    data = read_line_labels(labels, tmp_path)
    assert data.lines == {"a": 2}
    assert [(p.line, p.type) for p in data.problems] == [(1, "number")]


def _line(i: int, *flags: str) -> Unit:
    return Unit(str(i), frozenset({("en", i), ("ar", i)}), (), flags, (), "")


def test_scoring_lines_by_hand() -> None:
    problems = [
        Problem("d", "omission", "major", "x", "", line=1),  # flagged: found
        Problem("d", "number", "major", "5", "6", line=2),  # not flagged: missed
        Problem("d", "mistranslation", "minor", "y", "z", line=3),  # makes a flag right, not recalled
        Problem("d", "addition", "minor", "", "w", line=1),  # same line as the first: found too
    ]
    units = [_line(0, "partial"), _line(1, "partial"), _line(2), _line(3, "number"), _line(4)]
    tally = score_units(units, problems, "d")
    assert (tally.flagged, tally.flagged_real, tally.flagged_faithful, tally.faithful) == (3, 2, 1, 2)
    assert (tally.major, tally.major_found, tally.recalled, tally.recalled_found) == (2, 1, 3, 2)
    numbers = (tally.number_flagged, tally.number_flagged_real, tally.number_major, tally.number_major_found)
    assert numbers == (1, 0, 1, 0)
    figures = tally.figures()
    assert figures["precision"] == 0.6667 and figures["false_alarms_per_100"] == 50.0
    assert figures["by_type"] == {"number": "1/1", "partial": "1/2"}


def test_scoring_beads_by_overlapping_spans() -> None:
    problems = [Problem("d", "omission", "major", "x", "", spans=(("en", 10, 20),))]
    touching = Unit("bead 0", None, (("en", 0, 10), ("ar", 0, 30)), ("unmatched",), (), "")
    overlapping = Unit("bead 1", None, (("en", 19, 40),), ("partial",), (), "")
    tally = score_units([touching, overlapping], problems, "d")
    assert (tally.flagged, tally.flagged_real, tally.major_found) == (2, 1, 1)  # [0, 10) ends where it starts


def test_tallies_add_up() -> None:
    a, b = Tally(units=2, flagged=1), Tally(units=3, flagged=2)
    a.by_type.update({"partial": 1})
    b.by_type.update({"partial": 2, "number": 1})
    a.add(b)
    assert (a.units, a.flagged, dict(a.by_type)) == (5, 3, {"partial": 3, "number": 1})


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data is not beside the checkout")
def test_the_committed_labels_all_read() -> None:
    from benchmarks.real_labels import read_document_folder

    documents = read_document_folder(LABELS / "real-documents", SHARED / "real-documents")
    assert len(documents) == 12 and sum(map(len, documents.values())) >= 150
    for folder in ("flores200-devtest", "tico19"):
        data = read_line_labels(LABELS / folder / "labels.jsonl", SHARED / folder)
        assert sum(data.lines.values()) > 200
