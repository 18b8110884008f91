"""Scoring against gold alignments, checked against figures worked out by hand (Vecalign's rules)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from align.errors import GoldFormatError
from align.evaluate import evaluate_dirs, parse_gold, read_report, score_alignments, split_mode

# --- parse_gold ---------------------------------------------------------------------------------

# (gold text, expected beads)
GOLD_TEXTS = [
    ("[0]:[0]\n[1,2]:[1]\n", [((0,), (0,)), ((1, 2), (1,))]),
    ("[0]:[0,1,2]", [((0,), (0, 1, 2))]),
    ("[]:[3]\n[4]:[]\n", [((), (3,)), ((4,), ())]),
    (" [ 6 , 7 ] : [ 8 ] \n", [((6, 7), (8,))]),
    ("[0 1]:[2]", [((0, 1), (2,))]),
    ("[10,11]:[12]\r\n[13]:[14]\r\n", [((10, 11), (12,)), ((13,), (14,))]),
    ("\n\n[0]:[0]\n\n   \n[1]:[1]\n\n", [((0,), (0,)), ((1,), (1,))]),
    ("# a comment\n[0]:[0]\n   # indented comment [1]:[1]\n", [((0,), (0,))]),
    ("", []),
    ("# only comments\n\n", []),
]


@pytest.mark.parametrize(("text", "expected"), GOLD_TEXTS)
def test_parse_gold(text: str, expected: list[tuple[tuple[int, ...], tuple[int, ...]]]) -> None:
    assert parse_gold(text) == expected


# (gold text, line number the error must name)
MALFORMED_GOLD = [
    ("0:0", 1),
    ("[0]:[a]", 1),
    ("[0]-[1]", 1),
    ("[0]:[1] extra", 1),
    ("[-1]:[0]", 1),
    ("[0]:", 1),
    ("[0],[1]", 1),
    ("[0]:[0]\n\n# comment\n[1]:[1]\n[2] [2]\n", 5),
]


@pytest.mark.parametrize(("text", "line"), MALFORMED_GOLD)
def test_parse_gold_rejects_malformed_lines(text: str, line: int) -> None:
    with pytest.raises(GoldFormatError) as info:
        parse_gold(text, name="doc.gold")
    assert str(info.value).startswith(f"doc.gold:{line}: expected '[en ids]:[ar ids]'")


# --- score_alignments ------------------------------------------------------------------------------

def beads(*pairs: tuple[list[int], list[int]]) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(tuple(e), tuple(a)) for e, a in pairs]


# (id, files as [(gold, test)], expected figures). Every figure is worked out by hand in the comment.
SCORE_CASES = [
    (
        "identical",
        [(beads(([0], [0]), ([1], [1, 2]), ([2], [])),
          beads(([0], [0]), ([1], [1, 2]), ([2], [])))],
        # Precision: 3 test beads, all in gold -> strict 3/3, lax 3/3.
        # Recall: without 1-0 beads, 2 gold beads both in test -> 2/2.
        # Unmatched: gold {en 2}, test {en 2} -> P 1/1, R 1/1.
        {"strict_precision": 1.0, "strict_recall": 1.0, "strict_f1": 1.0,
         "lax_precision": 1.0, "lax_recall": 1.0, "lax_f1": 1.0,
         "unmatched_precision": 1.0, "unmatched_recall": 1.0, "unmatched_f1": 1.0,
         "unmatched_gold": 1, "unmatched_test": 1},
    ),
    (
        "split-merge",
        [(beads(([0], [0]), ([1, 2], [1]), ([3], [2])),
          beads(([0], [0]), ([1], [1]), ([2], []), ([3], [2])))],
        # Precision over 4 test beads: [0]:[0] and [3]:[2] strict hits. [1]:[1] is no strict hit, but
        # en 1 is in gold [1,2]:[1] whose targets {1} meet {1} -> lax hit. [2]:[] has no target -> miss.
        #   strict 2/4 = 0.5, lax 3/4 = 0.75.
        # Recall: test pairs without [2]:[] are [0]:[0], [1]:[1], [3]:[2]; gold beads scored against them:
        #   [0]:[0] hit, [1,2]:[1] lax hit (en 1 -> ar 1), [3]:[2] hit -> strict 2/3, lax 3/3.
        # F1 strict = 2 * 0.5 * 2/3 / (0.5 + 2/3) = 4/7 = 0.5714; lax = 2 * 0.75 / 1.75 = 6/7 = 0.8571.
        # Unmatched: gold {}, test {en 2} -> P 0/1 = 0; R has no gold but one test item -> 0.
        {"strict_precision": 0.5, "strict_recall": 0.6667, "strict_f1": 0.5714,
         "lax_precision": 0.75, "lax_recall": 1.0, "lax_f1": 0.8571,
         "unmatched_precision": 0.0, "unmatched_recall": 0.0, "unmatched_f1": 0.0,
         "unmatched_gold": 0, "unmatched_test": 1},
    ),
    (
        "crossed",
        [(beads(([0], [0]), ([1], [1])),
          beads(([0], [1]), ([1], [0])))],
        # [0]:[1] shares en 0 with gold [0]:[0], but that bead's targets {0} miss {1}; ar 1 belongs to a
        # gold bead with another source, which does not count. Same for [1]:[0]. Everything is 0/2.
        # Unmatched: none on either side -> P and R are 1 (nothing to find, nothing wrongly found).
        {"strict_precision": 0.0, "strict_recall": 0.0, "strict_f1": 0.0,
         "lax_precision": 0.0, "lax_recall": 0.0, "lax_f1": 0.0,
         "unmatched_precision": 1.0, "unmatched_recall": 1.0, "unmatched_f1": 1.0,
         "unmatched_gold": 0, "unmatched_test": 0},
    ),
    (
        "micro-average",
        [
            # File 1: gold has a 0-1 bead that the test merged into [0]:[0,1].
            (beads(([0], [0]), ([], [1]), ([1], [2])),
             beads(([0], [0, 1]), ([1], [2]))),
            # File 2: perfect, with a 1-0 bead.
            (beads(([0], [0]), ([1], [1]), ([2], [2]), ([3], [])),
             beads(([0], [0]), ([1], [1]), ([2], [2]), ([3], []))),
        ],
        # File 1 precision: [0]:[0,1] lax hit only (en 0 -> ar {0} meets {0,1}), [1]:[2] strict hit
        #   -> strict 1/2, lax 2/2. Recall: gold pairs [0]:[0] (lax: en 0 -> ar {0,1} meets {0}) and
        #   [1]:[2] (strict) -> strict 1/2, lax 2/2.
        # File 2: precision 4/4, recall 3/3 (the 1-0 bead is dropped).
        # Micro: strict P = (1+4)/(2+4) = 5/6 = 0.8333 (the macro mean would be 0.75),
        #   strict R = (1+3)/(2+3) = 0.8, F1 = 2 * 5/6 * 4/5 / (5/6 + 4/5) = 40/49 = 0.8163. Lax all 1.
        # Unmatched: gold {ar 1 in file 1, en 3 in file 2}, test {en 3 in file 2}
        #   -> P 1/1, R 1/2, F1 = 2 * 0.5 / 1.5 = 0.6667.
        {"strict_precision": 0.8333, "strict_recall": 0.8, "strict_f1": 0.8163,
         "lax_precision": 1.0, "lax_recall": 1.0, "lax_f1": 1.0,
         "unmatched_precision": 1.0, "unmatched_recall": 0.5, "unmatched_f1": 0.6667,
         "unmatched_gold": 2, "unmatched_test": 1},
    ),
    (
        "empty-test",
        [(beads(([0], [0]), ([1], [])), [])],
        # No test beads: precision 0/0 -> 0; recall 0/1 -> 0.
        # Unmatched: gold {en 1}, test {} -> P has no test items but gold has one -> 0; R 0/1.
        {"strict_precision": 0.0, "strict_recall": 0.0, "strict_f1": 0.0,
         "lax_precision": 0.0, "lax_recall": 0.0, "lax_f1": 0.0,
         "unmatched_precision": 0.0, "unmatched_recall": 0.0, "unmatched_f1": 0.0,
         "unmatched_gold": 1, "unmatched_test": 0},
    ),
    (
        "many-to-many",
        [(beads(([0, 1], [0, 1]), ([2], [2])),
          beads(([0], [0]), ([1], [1]), ([2], [2])))],
        # Precision: [0]:[0] and [1]:[1] are lax hits of gold [0,1]:[0,1]; [2]:[2] strict
        #   -> strict 1/3, lax 3/3. Recall: gold [0,1]:[0,1] is a lax hit (en 0 -> ar {0} meets {0,1}),
        #   [2]:[2] strict -> strict 1/2, lax 2/2.
        # F1 strict = 2 * 1/3 * 1/2 / (1/3 + 1/2) = (1/3) / (5/6) = 0.4.
        {"strict_precision": 0.3333, "strict_recall": 0.5, "strict_f1": 0.4,
         "lax_precision": 1.0, "lax_recall": 1.0, "lax_f1": 1.0,
         "unmatched_precision": 1.0, "unmatched_recall": 1.0, "unmatched_f1": 1.0,
         "unmatched_gold": 0, "unmatched_test": 0},
    ),
]


@pytest.mark.parametrize(("files", "expected"), [c[1:] for c in SCORE_CASES], ids=[c[0] for c in SCORE_CASES])
def test_score_alignments(files, expected) -> None:  # type: ignore[no-untyped-def]
    figures = score_alignments(files).as_dict()
    assert figures["files"] == len(files)
    assert {k: figures[k] for k in expected} == expected


def test_score_ignores_empty_beads_and_bead_order() -> None:
    gold = beads(([0], [0]), ([1], [1]))
    test = beads(([1], [1]), ([], []), ([0], [0]))
    figures = score_alignments([(gold, test)]).as_dict()
    assert (figures["strict_precision"], figures["strict_recall"]) == (1.0, 1.0)


# --- files ------------------------------------------------------------------------------------------

def write_report(path: Path, pairs: list[tuple[list[int], list[int]]]) -> None:
    path.write_text(json.dumps({"beads": [{"en": e, "ar": a, "score": 0.5, "flags": []} for e, a in pairs]}),
                    encoding="utf-8")


def test_read_report_beads(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    write_report(path, [([0], [0]), ([1, 2], []), ([], [1])])
    assert read_report(path).alignment == [((0,), (0,)), ((1, 2), ()), ((), (1,))]


@pytest.mark.parametrize("content", ["not json", "{}", '{"beads": [{"en": [0]}]}', '{"beads": 3}'])
def test_read_report_beads_rejects_other_files(tmp_path: Path, content: str) -> None:
    path = tmp_path / "a.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(GoldFormatError, match="not a muqabala JSON report"):
        read_report(path)


def test_evaluate_dirs_counts_a_missing_report_as_empty(tmp_path: Path) -> None:
    gold_dir, reports = tmp_path / "gold", tmp_path / "reports"
    gold_dir.mkdir()
    reports.mkdir()
    (gold_dir / "a.gold").write_text("[0]:[0]\n[1]:[1]\n", encoding="utf-8")
    (gold_dir / "b.gold").write_text("[0]:[0]\n[1]:[1]\n", encoding="utf-8")
    write_report(reports / "a.json", [([0], [0]), ([1], [1])])
    score, missing = evaluate_dirs(gold_dir, reports)
    figures = score.as_dict()
    assert missing == ["b"]
    # 2 of 2 test beads right; 2 of 4 gold beads found.
    assert (figures["files"], figures["strict_precision"], figures["strict_recall"]) == (2, 1.0, 0.5)


def test_evaluate_dirs_without_gold_files(tmp_path: Path) -> None:
    with pytest.raises(GoldFormatError, match="no \\*.gold files"):
        evaluate_dirs(tmp_path, tmp_path)


@pytest.mark.parametrize(("signature", "mode"), [
    ("muqabala:0.1.0|encoder:use-m3|split:lines/rules-1|theta:0.3", "lines"),
    ("muqabala:0.1.0|split:sentences/rules-1,max=2000", "sentences"),
    # ``auto`` with what it chose for the pair.
    ("muqabala:0.1.0|split:auto=lines/rules-1,max=2000,parallel-lines-1|theta:0.3", "auto=lines"),
    ("muqabala:0.1.0|encoder:use-m3", None),
])
def test_split_mode_is_the_split_a_report_names(signature: str, mode: str | None) -> None:
    assert split_mode(signature) == mode
