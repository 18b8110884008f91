"""The export-precision benchmark's scorer (benchmarks/corpus_precision.py): gold lines, classes, figures."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.corpus_precision import (
    INSIDE,
    STRICT,
    WRONG,
    ExportedPair,
    classify,
    gold_lines,
    markdown,
    read_jsonl,
    score_pairs,
)

LINES = [("Talks began. They ended late.", "بدأت المحادثات. وانتهت متأخرة."), ("No deal.", "لا اتفاق.")]


def test_gold_lines_pair_the_non_empty_lines_of_line_aligned_documents(tmp_path: Path) -> None:
    (tmp_path / "a.en.txt").write_text("Talks  began.\n\nNo deal.\n", encoding="utf-8")
    (tmp_path / "a.ar.txt").write_text("بدأت المحادثات.\n\nلا اتفاق.\n", encoding="utf-8")
    (tmp_path / "b.en.txt").write_text("One.\nTwo.\n", encoding="utf-8")
    (tmp_path / "b.ar.txt").write_text("واحد.\n", encoding="utf-8")  # not line-aligned: no gold
    assert gold_lines([tmp_path]) == {"a": [("Talks began.", "بدأت المحادثات."), ("No deal.", "لا اتفاق.")]}


def test_a_pair_is_strict_inside_a_line_or_wrong() -> None:
    assert classify(ExportedPair("d", " No  deal. ", "لا اتفاق."), LINES) == (STRICT, 1)
    assert classify(ExportedPair("d", "Talks began.", "بدأت المحادثات."), LINES) == (INSIDE, 0)
    # Sides from different lines, or a side across two lines.
    assert classify(ExportedPair("d", "No deal.", "بدأت المحادثات."), LINES) == (WRONG, None)
    assert classify(ExportedPair("d", "They ended late. No deal.", "لا اتفاق."), LINES) == (WRONG, None)


def test_precision_counts_every_exported_pair_and_recall_each_gold_line_once() -> None:
    pairs = [
        ExportedPair("d", *LINES[1]),
        ExportedPair("d", *LINES[1]),  # the same line exported twice: one line found
        ExportedPair("d", "Talks began.", "بدأت المحادثات."),
        ExportedPair("d", "They ended late.", "وانتهت متأخرة."),
        ExportedPair("other", "Not scored.", "لا يحسب."),  # no gold for this document
    ]
    score = score_pairs(pairs, {"d": LINES})
    # 2 strict of 4 scored pairs; 1 of 2 gold lines exported exactly.
    assert score.as_dict() == {"exported": 4, "strict": 2, "inside_a_line": 2, "wrong": 0, "strict_precision": 0.5,
                               "gold_line_pairs": 2, "gold_exported": 1, "recall": 0.5}
    assert [(kind, pair.en, line) for kind, pair, line in score.misses] == [
        (INSIDE, "Talks began.", LINES[0]), (INSIDE, "They ended late.", LINES[0])]
    assert "| 4 | 2 | 2 | 0 | 0.5000 | 2 | 1 | 0.5000 |" in markdown(score, "auto")


def test_read_jsonl_takes_the_document_and_both_texts_of_each_exported_pair(tmp_path: Path) -> None:
    row = {"id": 0, "translation": {"en": "No deal.", "ar": "لا اتفاق."}, "document": "d", "bead": 3}
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    assert read_jsonl(path) == [ExportedPair("d", "No deal.", "لا اتفاق.")]
