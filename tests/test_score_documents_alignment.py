"""The legal-document alignment scorer (benchmarks/score_documents_alignment.py) and the hand gold it reads.

Figures are worked out by hand in the comments next to each case.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from align.errors import GoldFormatError
from align.evaluate import GoldBead
from align.segment import SPLITTER_VERSION, make_document
from benchmarks import score_documents_alignment as sda
from benchmarks.score_literary import LiteraryGold, segment_digest

DATA = sda.DEFAULT_DATA
needs_data = pytest.mark.skipif(not DATA.is_dir(), reason=f"no {DATA}")

EN = ("One.", "Two.", "Three.", "Four.")
AR = ("واحد.", "اثنان وثلاثة.", "زيادة.")


def gold(beads: list[GoldBead], en: tuple[str, ...] = EN, ar: tuple[str, ...] = AR) -> LiteraryGold:
    return LiteraryGold("doc", tuple(beads), len(en), len(ar), f"auto/{SPLITTER_VERSION}",
                        segment_digest(en), segment_digest(ar))


GOLD = gold([GoldBead((0,), (0,)), GoldBead((1, 2), (1,)), GoldBead((3,), ()), GoldBead((), (2,))])


def test_scores_on_a_hand_case() -> None:
    test = sda.Aligned("doc", (((0,), (0,)), ((1,), (1,)), ((2,), ()), ((3,), (2,))), EN, AR)
    doc, overall = sda.score_documents({"doc": GOLD}, [test])
    d = doc.as_dict()
    # Precision: of 4 test beads only [0]:[0] is a gold bead -> 1/4. Recall: of the 2 gold beads that
    # pair both sides, [0]:[0] is found and [1, 2]:[1] is not -> 1/2. F1 = 2 * 1/4 * 1/2 / (3/4) = 1/3.
    assert (d["strict_precision"], d["strict_recall"], d["strict_f1"]) == (0.25, 0.5, 0.3333)
    # Unmatched: the test leaves en 2 out, the gold en 3 and ar 2: none in common.
    assert (d["unmatched_segments"], d["gold_unmatched_segments"], d["unmatched_f1"]) == (1, 2, 0.0)
    # 7 segments in all: 1/7 and 2/7 of them unmatched.
    assert (d["segments"], d["unmatched_rate"], d["gold_unmatched_rate"]) == (7, 0.1429, 0.2857)
    assert overall.name == "all" and overall.as_dict() | {"name": "doc"} == d


def test_a_perfect_alignment_scores_one_and_reports_the_gold_unmatched_rate() -> None:
    test = sda.Aligned("doc", tuple((b.en, b.ar) for b in GOLD.beads), EN, AR)
    d = sda.score_documents({"doc": GOLD}, [test])[-1].as_dict()
    assert (d["strict_f1"], d["unmatched_f1"], d["unmatched_rate"]) == (1.0, 1.0, 0.2857)


def test_a_labelled_document_without_an_alignment_counts_as_empty() -> None:
    d = sda.score_documents({"doc": GOLD}, [])[-1].as_dict()
    assert (d["strict_recall"], d["unmatched_segments"]) == (0.0, 0)


def test_overall_figures_are_micro_averaged() -> None:
    other = LiteraryGold("other", (GoldBead((0,), (0,)),), 1, 1, "x", segment_digest(["A."]), segment_digest(["أ."]))
    tests = [sda.Aligned("doc", (((0,), (0,)), ((1,), (1,)), ((2,), ()), ((3,), (2,))), EN, AR),
             sda.Aligned("other", (((0,), (0,)),), ("A.",), ("أ.",))]
    rows = sda.score_documents({"doc": GOLD, "other": other}, tests)
    # Precision 2 hits of 5 test beads, recall 2 of 3 gold pairs (not the mean of 0.25 and 1.0).
    assert [r.name for r in rows] == ["doc", "other", "all"]
    assert (rows[-1].scores["strict_precision"], rows[-1].scores["strict_recall"]) == (0.4, 0.6667)


def test_an_alignment_of_other_segments_is_refused() -> None:
    test = sda.Aligned("doc", (((0,), (0,)),), ("One. Two.", "Three.", "Four."), AR)
    with pytest.raises(GoldFormatError, match="differ from those of doc.gold"):
        sda.score_documents({"doc": GOLD}, [test])


@pytest.mark.parametrize(
    ("beads", "problem"),
    [
        ([GoldBead((0,), (0,)), GoldBead((1, 2), (1,)), GoldBead((), (2,))], "en ids missing [3]"),
        ([GoldBead((0, 1), (0,)), GoldBead((1, 2, 3), (1, 2))], "en ids missing [], repeated [1]"),
        ([GoldBead((0, 1, 2, 3), (0, 1, 2)), GoldBead((), ())], "an empty bead"),
    ],
)
def test_coverage_problems(beads: list[GoldBead], problem: str) -> None:
    assert problem in " ".join(sda.coverage_problems(gold(beads)))


def test_reports_are_read_with_their_segment_texts(tmp_path: Path) -> None:
    beads = [{"en": [0], "ar": [0]}, {"en": [1, 2], "ar": [1]}, {"en": [3], "ar": []}, {"en": [], "ar": [2]}]
    (tmp_path / "doc.json").write_text(json.dumps({"beads": beads, "en": list(EN), "ar": list(AR)}), encoding="utf-8")
    (aligned,) = sda.from_reports(tmp_path, ["doc", "not-there"])
    assert sda.score_documents({"doc": GOLD}, [aligned])[-1].scores["strict_f1"] == 1.0


# --- the committed gold -----------------------------------------------------------------------------


def test_the_committed_gold_is_legal_genre_and_large_enough() -> None:
    golds = sda.read_golds(sda.LABELS)
    assert len(golds) >= 3
    assert sum(g.en_segments for g in golds.values()) >= 300


@needs_data
def test_the_committed_gold_parses_and_covers_every_segment_of_its_documents() -> None:
    for name, g in sda.read_golds(sda.LABELS).items():
        assert g.split == f"auto/{SPLITTER_VERSION}"
        en = make_document((DATA / f"{name}.en.txt").read_text(encoding="utf-8"), "en", name)
        ar = make_document((DATA / f"{name}.ar.txt").read_text(encoding="utf-8"), "ar", name)
        # The default split still gives the segments the gold was made for ...
        assert (len(en.segments), len(ar.segments)) == (g.en_segments, g.ar_segments), name
        assert segment_digest(s.text for s in en.segments) == g.en_digest, name
        assert segment_digest(s.text for s in ar.segments) == g.ar_digest, name
        # ... and every one of them sits in exactly one bead.
        assert sda.coverage_problems(g) == []
        # Beads go forward through both documents (no crossing pairs).
        firsts = [(min(b.en) if b.en else None, min(b.ar) if b.ar else None) for b in g.beads]
        for side in (0, 1):
            ids = [f[side] for f in firsts if f[side] is not None]
            assert ids == sorted(ids), (name, side)
