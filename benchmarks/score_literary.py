"""The natural-merge set: JSON reports over ``literary-paragraphs`` scored by paragraph and against hand gold.

    align batch ../shared/data/literary-paragraphs -o OUT --format json --split sentences
    python -m benchmarks.score_literary OUT [--labels DIR] [--format table|json]

``literary-paragraphs`` pairs English and Arabic paragraph by paragraph: every sentence of English
paragraph k belongs with Arabic paragraph k. Three figures (issue 11):

* **unmatched in paragraph**: segments a report leaves unmatched (in a 1-0 or 0-1 bead) although
  the other side has a paragraph with the same number, over all segments of both sides;
* **crossing beads**: beads whose segments come from more than one paragraph number (English
  paragraph k and Arabic paragraph k count as one), over the beads that pair both sides (as issue 11
  counts them; the share over all beads, 1-0 and 0-1 included, is reported too);
* **strict P/R/F1** (Vecalign's convention, ``align.evaluate``) against the hand gold in
  ``benchmarks/labels/literary-paragraphs/NAME.gold``, on the labelled documents only.

A segment's paragraph is the splitter's, as the report's ``segments`` give it. The gold was made
for one segmentation (its header names the splitter and a digest of the segment texts); a report
whose segments differ cannot be scored against it and raises ``GoldFormatError``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from align.errors import GoldFormatError
from align.evaluate import GoldBead, IdPair, ReportData, parse_gold, read_report, score_alignments

HERE = Path(__file__).resolve().parent
LABELS = HERE / "labels" / "literary-paragraphs"
_COUNTS = re.compile(r"^#\s*segments:\s*en=(\d+)\s+ar=(\d+)", re.MULTILINE)
_DIGESTS = re.compile(r"^#\s*sha256-16 of the segment texts[^:]*:\s*en=([0-9a-f]+)\s+ar=([0-9a-f]+)", re.MULTILINE)
_SPLIT = re.compile(r"^#\s*split:\s*(\S+)", re.MULTILINE)


def segment_digest(texts: Iterable[str]) -> str:
    """The first 16 hex digits of SHA-256 over the segment texts joined by newlines (as in gold headers)."""
    return hashlib.sha256("\n".join(texts).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class LiteraryGold:
    """One document's hand gold and the segmentation it was made for."""

    name: str
    beads: tuple[GoldBead, ...]
    en_segments: int
    ar_segments: int
    split: str
    en_digest: str
    ar_digest: str


def read_literary_gold(path: Path) -> LiteraryGold:
    """Read ``NAME.gold``: ``[en ids]:[ar ids]`` lines under a header naming split, counts and digests."""
    text = path.read_text(encoding="utf-8")
    counts, digests, split = _COUNTS.search(text), _DIGESTS.search(text), _SPLIT.search(text)
    if not (counts and digests and split):
        raise GoldFormatError(f"{path}: header lacks '# split:', '# segments:' or the segment digests")
    return LiteraryGold(
        path.stem, tuple(parse_gold(text, str(path))), int(counts.group(1)), int(counts.group(2)),
        split.group(1), digests.group(1), digests.group(2),
    )


def gold_problems(gold: LiteraryGold, en_paragraph: Sequence[int], ar_paragraph: Sequence[int]) -> list[str]:
    """What is wrong with a gold file for a segmentation whose paragraph numbers are given per segment id.

    Every English and Arabic id must appear exactly once, and no bead may join paragraphs.
    """
    problems = []
    for side, size, ids in (("en", len(en_paragraph), [i for b in gold.beads for i in b.en]),
                            ("ar", len(ar_paragraph), [j for b in gold.beads for j in b.ar])):
        if sorted(ids) != list(range(size)):
            seen = set(ids)
            twice = sorted({i for i in ids if ids.count(i) > 1})
            problems.append(f"{gold.name}: {side} ids missing {sorted(set(range(size)) - seen)[:10]}, "
                            f"repeated {twice[:10]}, out of range {sorted(i for i in seen if i >= size)[:10]}")
    if problems:
        return problems
    for bead in gold.beads:
        if crosses(bead, en_paragraph, ar_paragraph):
            problems.append(f"{gold.name}: bead {list(bead.en)}:{list(bead.ar)} joins paragraphs")
    return problems


# --- paragraph figures ----------------------------------------------------------------------------


def report_paragraphs(path: Path) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The paragraph number of every English and Arabic segment id of a JSON report, from its ``segments``."""
    try:
        segments = json.loads(path.read_text(encoding="utf-8"))["segments"]
        sides = []
        for side in ("en", "ar"):
            rows = sorted((int(s["id"]), int(s["paragraph"])) for s in segments[side])
            if [i for i, _ in rows] != list(range(len(rows))):
                raise ValueError("segment ids are not 0..n-1")
            sides.append(tuple(p for _, p in rows))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise GoldFormatError(f"{path}: no per-segment paragraphs in this report ({type(exc).__name__})") from exc
    return sides[0], sides[1]


def crosses(bead: IdPair, en_paragraph: Sequence[int], ar_paragraph: Sequence[int]) -> bool:
    """Whether a bead's segments come from more than one paragraph number."""
    return len({en_paragraph[i] for i in bead[0]} | {ar_paragraph[j] for j in bead[1]}) > 1


@dataclass
class ParagraphTally:
    """Counts behind the two paragraph figures; add them up over documents, then read the ratios."""

    documents: int = 0
    segments: int = 0
    unmatched: int = 0  # unmatched segments whose paragraph number exists on the other side
    beads: int = 0
    pair_beads: int = 0  # beads with segments on both sides
    crossing: int = 0

    def add(self, other: ParagraphTally) -> None:
        self.documents += other.documents
        self.segments += other.segments
        self.unmatched += other.unmatched
        self.beads += other.beads
        self.pair_beads += other.pair_beads
        self.crossing += other.crossing

    def figures(self) -> dict[str, float | int]:
        return {
            "documents": self.documents, "segments": self.segments, "beads": self.beads,
            "pair_beads": self.pair_beads, "unmatched_in_paragraph": self.unmatched, "crossing_beads": self.crossing,
            "unmatched_in_paragraph_share": _share(self.unmatched, self.segments),
            "crossing_share": _share(self.crossing, self.pair_beads),
            "crossing_share_of_all_beads": _share(self.crossing, self.beads),
        }


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def paragraph_tally(
    beads: Sequence[IdPair], en_paragraph: Sequence[int], ar_paragraph: Sequence[int]
) -> ParagraphTally:
    """One report's unmatched-in-paragraph and crossing counts."""
    tally = ParagraphTally(documents=1, segments=len(en_paragraph) + len(ar_paragraph), beads=len(beads))
    has = {"en": set(en_paragraph), "ar": set(ar_paragraph)}
    for bead in beads:
        en, ar = bead
        if not ar:
            tally.unmatched += sum(en_paragraph[i] in has["ar"] for i in en)
        if not en:
            tally.unmatched += sum(ar_paragraph[j] in has["en"] for j in ar)
        tally.pair_beads += bool(en and ar)
        tally.crossing += crosses(bead, en_paragraph, ar_paragraph)
    return tally


# --- the whole folder -----------------------------------------------------------------------------


def check_segmentation(gold: LiteraryGold, report: ReportData, path: Path) -> None:
    """Refuse a report whose segments are not the ones the gold was made for."""
    if report.en is None or report.ar is None:
        raise GoldFormatError(f"{path}: the report leaves out its segment texts; cannot match them to {gold.name}.gold")
    if (segment_digest(report.en), segment_digest(report.ar)) != (gold.en_digest, gold.ar_digest):
        raise GoldFormatError(
            f"{path}: its segments ({len(report.en)} en, {len(report.ar)} ar) differ from those of "
            f"{gold.name}.gold ({gold.en_segments} en, {gold.ar_segments} ar, split {gold.split}); "
            "score reports made with --split sentences (the default split when the gold was made)"
        )


@dataclass
class LiteraryScore:
    """Paragraph figures for all reports and for the labelled ones, and strict scores on the labelled ones."""

    everything: ParagraphTally = field(default_factory=ParagraphTally)
    labelled: ParagraphTally = field(default_factory=ParagraphTally)
    alignment: dict[str, float | int] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    gold_beads: int = 0
    gold_en_segments: int = 0

    def as_dict(self) -> dict[str, object]:
        return {
            "all_reports": self.everything.figures(), "labelled_reports": self.labelled.figures(),
            "gold": {"documents": self.alignment.get("files", 0), "en_segments": self.gold_en_segments,
                     "beads": self.gold_beads, "missing_reports": self.missing},
            "alignment": self.alignment,
        }


def score_folder(reports_dir: Path, labels_dir: Path = LABELS) -> LiteraryScore:
    """Score every ``NAME.json`` in ``reports_dir``; the strict scores use every ``NAME.gold`` in ``labels_dir``.

    A gold document without a report counts as an empty alignment (every gold bead missed) and is
    listed in ``missing``.
    """
    golds = {g.name: g for g in map(read_literary_gold, sorted(labels_dir.glob("*.gold")))}
    if not golds:
        raise GoldFormatError(f"{labels_dir}: no *.gold files")
    score = LiteraryScore()
    pairs: list[tuple[Sequence[IdPair], Sequence[IdPair]]] = []
    for path in sorted(reports_dir.glob("*.json")):
        report = read_report(path)
        en_paragraph, ar_paragraph = report_paragraphs(path)
        tally = paragraph_tally(report.alignment, en_paragraph, ar_paragraph)
        score.everything.add(tally)
        gold = golds.get(path.stem)
        if gold is not None:
            check_segmentation(gold, report, path)
            score.labelled.add(tally)
            pairs.append((gold.beads, report.alignment))
    for name, gold in golds.items():
        if not (reports_dir / f"{name}.json").exists():
            score.missing.append(name)
            pairs.append((gold.beads, []))
    score.alignment = score_alignments(pairs).as_dict()
    score.gold_beads = sum(len(g.beads) for g in golds.values())
    score.gold_en_segments = sum(g.en_segments for g in golds.values())
    return score


def table(score: LiteraryScore) -> str:
    a = score.alignment
    lines = [
        "| reports | documents | segments | unmatched in paragraph | beads (pairing both sides) "
        "| crossing beads, of those pairing | of all beads |",
        "|---|---|---|---|---|---|---|",
    ]
    for label, tally in (("all", score.everything), ("labelled", score.labelled)):
        f = tally.figures()
        lines.append(f"| {label} | {f['documents']} | {f['segments']} | {f['unmatched_in_paragraph_share']:.1%} "
                     f"({f['unmatched_in_paragraph']}) | {f['beads']} ({f['pair_beads']}) | "
                     f"{f['crossing_share']:.1%} ({f['crossing_beads']}) | {f['crossing_share_of_all_beads']:.1%} |")
    lines += [
        "",
        f"hand gold: {a['files']} documents, {score.gold_en_segments} English segments, {score.gold_beads} beads"
        + (f"; no report for {', '.join(score.missing)}" if score.missing else ""),
        f"strict P {a['strict_precision']:.3f}  R {a['strict_recall']:.3f}  F1 {a['strict_f1']:.3f}   "
        f"lax F1 {a['lax_f1']:.3f}   unmatched F1 {a['unmatched_f1']:.3f} "
        f"(gold {a['unmatched_gold']}, reported {a['unmatched_test']})",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("reports", type=Path, help="folder of NAME.json reports (align batch --format json)")
    parser.add_argument("--labels", type=Path, default=LABELS, help="folder of NAME.gold files")
    parser.add_argument("--format", choices=["table", "json"], default="table")
    args = parser.parse_args(argv)
    try:
        score = score_folder(args.reports, args.labels)
    except GoldFormatError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps(score.as_dict(), indent=1))
    else:
        sys.stdout.write(table(score))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
