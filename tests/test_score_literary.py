"""The natural-merge scorer (benchmarks/score_literary.py) and the hand gold it reads.

Figures are worked out by hand in the comments next to each case.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from align.cli import main as align_main
from align.errors import GoldFormatError
from align.evaluate import GoldBead, format_gold
from align.segment import SPLITTER_VERSION, make_document
from benchmarks import score_literary
from benchmarks.score_literary import (
    LABELS,
    LiteraryGold,
    crosses,
    gold_problems,
    paragraph_tally,
    read_literary_gold,
    score_folder,
    segment_digest,
)

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "literary-paragraphs"
needs_data = pytest.mark.skipif(not DATA.is_dir(), reason=f"no {DATA}")

# --- paragraph figures ----------------------------------------------------------------------------

EN_PAR = (0, 0, 1, 1, 2)  # five English segments in three paragraphs
AR_PAR = (0, 1, 2)


def test_a_bead_crosses_when_its_segments_come_from_two_paragraph_numbers() -> None:
    assert not crosses(((0, 1), (0,)), EN_PAR, AR_PAR)
    assert crosses(((1, 2), (1,)), EN_PAR, AR_PAR)  # en 1 is paragraph 0, en 2 paragraph 1
    assert crosses(((2,), (0,)), EN_PAR, AR_PAR)  # English paragraph 1 with Arabic paragraph 0
    assert crosses(((1, 2), ()), EN_PAR, AR_PAR)  # a 2-0 bead over two paragraphs
    assert not crosses(((), (2,)), EN_PAR, AR_PAR)


def test_paragraph_tally_on_a_hand_case() -> None:
    beads = [((0, 1, 2), (0,)), ((3,), ()), ((), (1,)), ((4,), (2,))]
    tally = paragraph_tally(beads, EN_PAR, AR_PAR)
    # 8 segments; en 3 (paragraph 1) and ar 1 (paragraph 1) are unmatched though paragraph 1 exists
    # on the other side; two beads pair both sides, and of those the first joins paragraphs 0 and 1.
    assert tally.figures() == {
        "documents": 1, "segments": 8, "beads": 4, "pair_beads": 2, "unmatched_in_paragraph": 2,
        "crossing_beads": 1, "unmatched_in_paragraph_share": 0.25, "crossing_share": 0.5,
        "crossing_share_of_all_beads": 0.25,
    }


def test_an_unmatched_segment_whose_paragraph_has_no_counterpart_is_not_counted() -> None:
    tally = paragraph_tally([((0,), (0,)), ((1,), ())], (0, 1), (0,))
    assert (tally.unmatched, tally.crossing) == (0, 0)


# --- gold files -----------------------------------------------------------------------------------


def gold(beads: list[GoldBead], en: int = 5, ar: int = 3) -> LiteraryGold:
    return LiteraryGold("doc", tuple(beads), en, ar, "auto/rules-1", "0" * 16, "0" * 16)


def test_gold_problems_accepts_paragraph_beads() -> None:
    good = gold([GoldBead((0, 1), (0,)), GoldBead((2, 3), (1,)), GoldBead((4,), (2,))])
    assert gold_problems(good, EN_PAR, AR_PAR) == []


@pytest.mark.parametrize(
    ("beads", "problem"),
    [
        ([GoldBead((0, 1), (0,)), GoldBead((2, 3), (1,))], "en ids missing [4]"),  # en 4, ar 2 left out
        ([GoldBead((0, 1), (0,)), GoldBead((1, 2, 3), (1,)), GoldBead((4,), (2,))], "repeated [1]"),
        ([GoldBead((0, 1, 2), (0,)), GoldBead((3,), (1,)), GoldBead((4,), (2,))], "joins paragraphs"),
    ],
)
def test_gold_problems_finds_missing_repeated_and_crossing(beads: list[GoldBead], problem: str) -> None:
    assert any(problem in p for p in gold_problems(gold(beads), EN_PAR, AR_PAR))


def test_read_literary_gold_needs_its_header(tmp_path: Path) -> None:
    path = tmp_path / "doc.gold"
    path.write_text("[0]:[0]\n", encoding="utf-8")
    with pytest.raises(GoldFormatError, match="header"):
        read_literary_gold(path)


@needs_data
def test_the_committed_gold_covers_every_segment_once_within_its_paragraph() -> None:
    """Each gold file matches today's default split of its document, and is complete and paragraph-bound."""
    golds = [read_literary_gold(p) for p in sorted(LABELS.glob("*.gold"))]
    assert sum(g.en_segments for g in golds) >= 300
    for g in golds:
        en = make_document((DATA / f"{g.name}.en.txt").read_text(encoding="utf-8"), "en", g.name)
        ar = make_document((DATA / f"{g.name}.ar.txt").read_text(encoding="utf-8"), "ar", g.name)
        assert g.split == f"auto/{SPLITTER_VERSION}"
        assert (g.en_digest, g.ar_digest) == (segment_digest(en.texts), segment_digest(ar.texts)), g.name
        assert (g.en_segments, g.ar_segments) == (len(en.segments), len(ar.segments))
        paragraphs = (tuple(s.paragraph for s in en.segments), tuple(s.paragraph for s in ar.segments))
        assert gold_problems(g, *paragraphs) == []


# --- the whole folder -----------------------------------------------------------------------------

EN_TEXTS = ["One.", "Two.", "Three.", "Four.", "Five."]
AR_TEXTS = ["واحد", "اثنان", "ثلاثة"]


def write_gold(folder: Path, name: str, beads: list[GoldBead]) -> None:
    header = (f"# split: auto/rules-1\n# segments: en={len(EN_TEXTS)} ar={len(AR_TEXTS)}\n"
              f"# sha256-16 of the segment texts joined by newlines: "
              f"en={segment_digest(EN_TEXTS)} ar={segment_digest(AR_TEXTS)}\n")
    (folder / f"{name}.gold").write_text(header + format_gold(beads), encoding="utf-8")


def write_report(folder: Path, name: str, beads: list[tuple[list[int], list[int]]], **extra: Any) -> None:
    segments = {side: [{"id": i, "start": 0, "end": 1, "paragraph": p} for i, p in enumerate(pars)]
                for side, pars in (("en", EN_PAR), ("ar", AR_PAR))}
    data = {"en": EN_TEXTS, "ar": AR_TEXTS, "segments": segments,
            "beads": [{"en": e, "ar": a, "flags": []} for e, a in beads], **extra}
    (folder / f"{name}.json").write_text(json.dumps(data), encoding="utf-8")


GOLD = [GoldBead((0, 1), (0,)), GoldBead((2, 3), (1,)), GoldBead((4,), (2,))]


def test_score_folder_on_a_hand_case(tmp_path: Path) -> None:
    labels, reports = tmp_path / "labels", tmp_path / "reports"
    labels.mkdir()
    reports.mkdir()
    write_gold(labels, "a", GOLD)
    write_gold(labels, "b", GOLD)
    write_report(reports, "a", [([0, 1], [0]), ([2, 3], [1]), ([4], [2])])  # the gold itself
    write_report(reports, "b", [([0, 1, 2], [0]), ([3], []), ([4], [2])])  # one crossing, one unmatched
    write_report(reports, "c", [([0, 1], [0]), ([2, 3], [1]), ([4], [2])])  # not labelled
    score = score_folder(reports, labels)
    # Precision: 6 test beads, 4 right (a's three, b's [4]:[2]); recall: 6 gold beads, 4 found.
    assert (score.alignment["strict_precision"], score.alignment["strict_recall"]) == (0.6667, 0.6667)
    assert score.alignment["unmatched_test"] == 1 and score.alignment["unmatched_gold"] == 0
    assert score.everything.figures()["documents"] == 3
    assert (score.everything.segments, score.everything.unmatched, score.everything.crossing) == (24, 1, 1)
    assert (score.labelled.documents, score.labelled.beads) == (2, 6)
    assert score.missing == [] and score.gold_en_segments == 10


def test_a_gold_document_without_a_report_counts_as_all_missed(tmp_path: Path) -> None:
    write_gold(tmp_path, "a", GOLD)
    score = score_folder(tmp_path, tmp_path)  # no NAME.json at all
    assert score.missing == ["a"]
    assert score.alignment["strict_recall"] == 0.0


def test_a_report_with_other_segments_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_gold(tmp_path, "a", GOLD)
    write_report(tmp_path, "a", [([0, 1], [0]), ([2, 3], [1]), ([4], [2])], ar=["واحد", "اثنان", "ثلاث"])
    with pytest.raises(GoldFormatError, match="differ from those of a.gold"):
        score_folder(tmp_path, tmp_path)
    assert score_literary.main([str(tmp_path), "--labels", str(tmp_path)]) == 2
    assert "error:" in capsys.readouterr().err


@needs_data
def test_score_literary_reads_what_align_batch_writes(tmp_path: Path, runner: CliRunner,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """A real default-split run over four verses of 49:1-18, scored against a gold for those verses."""
    name = "quran_049_001-004"
    pairs, labels, out = tmp_path / "pairs", tmp_path / "labels", tmp_path / "out"
    pairs.mkdir()
    labels.mkdir()
    texts = {}
    for side in ("en", "ar"):
        text = (DATA / f"quran_049_001-018.{side}.txt").read_text(encoding="utf-8")
        texts[side] = "\n\n".join(text.rstrip("\n").split("\n\n")[:4]) + "\n"
        (pairs / f"{name}.{side}.txt").write_text(texts[side], encoding="utf-8")
    en, ar = make_document(texts["en"], "en", name), make_document(texts["ar"], "ar", name)
    assert (len(en.segments), len(ar.segments)) == (9, 4)
    # Read by hand: every English sentence of verse k renders part of Arabic verse k.
    beads = [GoldBead((0, 1, 2, 3), (0,)), GoldBead((4, 5), (1,)), GoldBead((6, 7), (2,)), GoldBead((8,), (3,))]
    (labels / f"{name}.gold").write_text(
        f"# split: auto/{SPLITTER_VERSION}\n# segments: en=9 ar=4 paragraphs=4\n"
        f"# sha256-16 of the segment texts joined by newlines: en={segment_digest(en.texts)} "
        f"ar={segment_digest(ar.texts)}\n" + format_gold(beads), encoding="utf-8")
    result = runner.invoke(align_main, ["batch", str(pairs), "-o", str(out), "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    assert score_literary.main([str(out), "--labels", str(labels), "--format", "json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["all_reports"]["segments"] == 13
    assert figures["gold"] == {"documents": 1, "en_segments": 9, "beads": 4, "missing_reports": []}
    assert 0.0 <= figures["alignment"]["strict_f1"] <= 1.0
