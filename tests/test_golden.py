"""The reference pair (pairs/reference.*), checked against what ../shared/seeds/README.md says.

Two layers: the README's statements as explicit assertions (by source line number, so they read
like the README), and an exact golden file of the beads to catch any other drift. Regenerate the
golden file after an intended change with ``UPDATE_GOLDEN=1 pytest tests/test_golden.py``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from align.embed import CachedEncoder
from align.model import Report, Side
from align.pipeline import Checker
from align.report import report_to_dict

GOLDEN = Path(__file__).parent / "golden" / "reference.beads.json"

# English line (1-based, as in the seeds README) -> Arabic line it must align with.
BODY = {10: 2, 12: 3, 14: 4, 16: 5, 18: 6, 20: 7, 22: 8, 24: 9}
ENGLISH_ONLY = [1, 7, 8, 26, 28]
ENGLISH_ONLY_OR_WITH_TITLE = [5, 6]


def line_of(report: Report, side: Side, segment: int) -> int:
    doc = report.doc(side)
    seg = next(s for s in doc.segments if s.index == segment)
    return doc.text.count("\n", 0, seg.start) + 1


@pytest.fixture(scope="module")
def report(use_encoder: CachedEncoder, pairs_dir: Path) -> Report:
    return Checker(use_encoder).check_files(pairs_dir / "reference.en.txt", pairs_dir / "reference.ar.txt")


def beads_by_english_line(report: Report) -> dict[int, list[tuple[set[int], bool]]]:
    """English line -> for each of its segments: the Arabic lines of its bead, and whether unmatched."""
    out: dict[int, list[tuple[set[int], bool]]] = {}
    for bead in report.beads:
        ar_lines = {line_of(report, "ar", j) for j in bead.ar}
        for i in bead.en:
            out.setdefault(line_of(report, "en", i), []).append((ar_lines, not bead.ar))
    return out


@pytest.mark.parametrize("line", ENGLISH_ONLY)
def test_boilerplate_is_english_only(report: Report, line: int) -> None:
    assert all(unmatched for _, unmatched in beads_by_english_line(report)[line])


@pytest.mark.parametrize("line", ENGLISH_ONLY_OR_WITH_TITLE)
def test_header_lines_are_english_only_or_with_the_title(report: Report, line: int) -> None:
    for ar_lines, unmatched in beads_by_english_line(report)[line]:
        assert unmatched or ar_lines == {1}


def test_title_aligns_with_arabic_line_1(report: Report) -> None:
    assert beads_by_english_line(report)[3] == [({1}, False)]


@pytest.mark.parametrize(("en_line", "ar_line"), sorted(BODY.items()))
def test_every_body_sentence_lands_with_its_arabic_line(report: Report, en_line: int, ar_line: int) -> None:
    sentences = beads_by_english_line(report)[en_line]
    assert sentences, f"English line {en_line} has no segments"
    for ar_lines, unmatched in sentences:
        assert not unmatched, f"a sentence of English line {en_line} is reported missing"
        assert ar_lines == {ar_line}


def test_every_arabic_line_is_aligned(report: Report) -> None:
    unmatched_arabic = [line_of(report, "ar", j) for b in report.beads if not b.en for j in b.ar]
    assert unmatched_arabic == []


def test_unmatched_flags_name_the_side_with_text(report: Report) -> None:
    for bead in report.beads:
        flags = [f for f in bead.flags if f.type == "unmatched"]
        if bead.en and bead.ar:
            assert flags == []
        else:
            assert [f.side for f in flags] == ["en" if bead.en else "ar"]


def test_beads_match_the_golden_file(report: Report) -> None:
    data = report_to_dict(report)
    current = {"en": data["en"], "ar": data["ar"], "beads": [[b["en"], b["ar"]] for b in data["beads"]]}
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(json.dumps(current, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert current["en"] == expected["en"], "English segmentation changed"
    assert current["ar"] == expected["ar"], "Arabic segmentation changed"
    assert current["beads"] == expected["beads"]
