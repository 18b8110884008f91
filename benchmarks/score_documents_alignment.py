"""Sentence alignment of whole real documents (the legal genre) against hand gold, per document and overall.

    python -m benchmarks.score_documents_alignment                      # default, then --paragraphs off
    python -m benchmarks.score_documents_alignment --paragraphs auto off on --format json
    python -m benchmarks.score_documents_alignment --reports OUT        # score existing JSON reports

The gold (``benchmarks/labels/real-documents-alignment/NAME.gold``, its README says how it was
made) covers whole documents of ``../shared/data/real-documents/`` with the default split. Without
``--reports`` each labelled pair is aligned in-process, once per ``--paragraphs`` setting, with
every other setting at its default (what ``align check EN AR --format json [--paragraphs off]``
gives); with ``--reports`` the folder's ``NAME.json`` reports are scored as they are.

Per document and over all documents (micro-averaged):

* strict P/R/F1 in Vecalign's convention (``align.evaluate``), and unmatched F1 (segments the
  alignment leaves in 1-0/0-1 beads against the gold's);
* **unmatched rate**: the share of all segments (both sides) that the alignment leaves unmatched,
  next to the gold's own share (what a perfect aligner would report).

The gold was made for one segmentation (its header names the splitter and a digest of the segment
texts); an alignment of other segments is refused with ``GoldFormatError``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from align.errors import GoldFormatError
from align.evaluate import IdPair, read_report, score_alignments
from benchmarks.score_literary import LiteraryGold, read_literary_gold, segment_digest

HERE = Path(__file__).resolve().parent
LABELS = HERE / "labels" / "real-documents-alignment"
DEFAULT_DATA = HERE.parent.parent / "shared" / "data" / "real-documents"
PARAGRAPH_SETTINGS = ("auto", "off")  # the default first, then the flat search


@dataclass(frozen=True)
class Aligned:
    """One document's alignment: its beads as ids and the segment texts they refer to."""

    name: str
    beads: tuple[IdPair, ...]
    en: tuple[str, ...]
    ar: tuple[str, ...]


def read_golds(labels: Path) -> dict[str, LiteraryGold]:
    golds = {g.name: g for g in map(read_literary_gold, sorted(labels.glob("*.gold")))}
    if not golds:
        raise GoldFormatError(f"{labels}: no *.gold files")
    return golds


def coverage_problems(gold: LiteraryGold) -> list[str]:
    """What is wrong with a gold's ids: every English and Arabic segment must sit in exactly one bead."""
    problems = []
    for side, size, ids in (("en", gold.en_segments, [i for b in gold.beads for i in b.en]),
                            ("ar", gold.ar_segments, [j for b in gold.beads for j in b.ar])):
        if sorted(ids) != list(range(size)):
            twice = sorted({i for i in ids if ids.count(i) > 1})
            problems.append(f"{gold.name}: {side} ids missing {sorted(set(range(size)) - set(ids))[:10]}, "
                            f"repeated {twice[:10]}, out of range {sorted(i for i in set(ids) if i >= size)[:10]}")
    if any(not b.en and not b.ar for b in gold.beads):
        problems.append(f"{gold.name}: an empty bead []:[]")
    return problems


def check_same_segments(gold: LiteraryGold, aligned: Aligned) -> None:
    """Refuse an alignment whose segments are not the ones the gold was made for."""
    if (segment_digest(aligned.en), segment_digest(aligned.ar)) != (gold.en_digest, gold.ar_digest):
        raise GoldFormatError(
            f"{aligned.name}: its segments ({len(aligned.en)} en, {len(aligned.ar)} ar) differ from those of "
            f"{gold.name}.gold ({gold.en_segments} en, {gold.ar_segments} ar, split {gold.split}); "
            "align with the default split of that splitter"
        )


def unmatched_segments(beads: Sequence[IdPair]) -> int:
    """How many segments sit in 1-0 or 0-1 beads."""
    return sum(len(en) + len(ar) for en, ar in beads if not (en and ar))


@dataclass(frozen=True)
class DocumentScore:
    """Strict and unmatched figures of one document (or of all, ``name`` "all")."""

    name: str
    segments: int
    gold_beads: int
    unmatched: int
    gold_unmatched: int
    scores: dict[str, float | int]

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name, "segments": self.segments, "gold_beads": self.gold_beads,
            "unmatched_segments": self.unmatched, "unmatched_rate": _share(self.unmatched, self.segments),
            "gold_unmatched_segments": self.gold_unmatched,
            "gold_unmatched_rate": _share(self.gold_unmatched, self.segments),
            **{k: self.scores[k] for k in ("strict_precision", "strict_recall", "strict_f1", "lax_f1",
                                           "unmatched_precision", "unmatched_recall", "unmatched_f1")},
        }


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def score_documents(golds: dict[str, LiteraryGold], alignments: Sequence[Aligned]) -> list[DocumentScore]:
    """One row per labelled document, then the row ``all``; a labelled document without an alignment
    counts as an empty one (every gold bead missed). Alignments of unlabelled documents are ignored."""
    by_name = {a.name: a for a in alignments}
    rows = []
    pairs: list[tuple[Sequence[IdPair], Sequence[IdPair]]] = []
    for name, gold in golds.items():
        aligned = by_name.get(name)
        if aligned is not None:
            check_same_segments(gold, aligned)
        test = aligned.beads if aligned else ()
        pairs.append((gold.beads, test))
        rows.append(DocumentScore(name, gold.en_segments + gold.ar_segments, len(gold.beads),
                                  unmatched_segments(test), unmatched_segments(gold.beads),
                                  score_alignments([(gold.beads, test)]).as_dict()))
    rows.append(DocumentScore("all", sum(r.segments for r in rows), sum(r.gold_beads for r in rows),
                              sum(r.unmatched for r in rows), sum(r.gold_unmatched for r in rows),
                              score_alignments(pairs).as_dict()))
    return rows


# --- where the alignments come from ---------------------------------------------------------------


def from_reports(folder: Path, names: Sequence[str]) -> list[Aligned]:
    """The alignments of ``folder/NAME.json`` for the labelled names that have a report."""
    out = []
    for name in names:
        path = folder / f"{name}.json"
        if not path.exists():
            continue
        report = read_report(path)
        if report.en is None or report.ar is None:
            raise GoldFormatError(f"{path}: the report leaves out its segment texts")
        out.append(Aligned(name, tuple((b.en, b.ar) for b in report.alignment), report.en, report.ar))
    return out


def run_aligner(data: Path, names: Sequence[str], paragraphs: Sequence[str]) -> dict[str, list[Aligned]]:
    """Align every labelled pair in-process, once per ``--paragraphs`` setting (default split, default rest)."""
    # Imported here: loading the encoder is for this path only, never at import time.
    from align.dp import AlignConfig
    from align.embed import CachedEncoder, USEEncoder
    from align.pipeline import Checker, CheckOptions

    encoder = CachedEncoder(USEEncoder())
    runs: dict[str, list[Aligned]] = {}
    for setting in paragraphs:
        checker = Checker(encoder, CheckOptions(align=AlignConfig(paragraphs=setting)))
        aligned = []
        for name in names:
            en_doc, ar_doc, beads = checker.align_texts((data / f"{name}.en.txt").read_text(encoding="utf-8"),
                                                        (data / f"{name}.ar.txt").read_text(encoding="utf-8"))
            aligned.append(Aligned(name, tuple((b.en, b.ar) for b in beads),
                                   tuple(s.text for s in en_doc.segments), tuple(s.text for s in ar_doc.segments)))
        runs[setting] = aligned
    return runs


def table(runs: dict[str, list[DocumentScore]]) -> str:
    lines = ["| paragraphs | document | segments | gold beads | strict P | strict R | strict F1 | lax F1 "
             "| unmatched (gold) | unmatched F1 |", "|---|---|---|---|---|---|---|---|---|---|"]
    for setting, rows in runs.items():
        for r in rows:
            d = r.as_dict()
            name = f"**{r.name}**" if r.name == "all" else r.name
            lines.append(f"| {setting} | {name} | {r.segments} | {r.gold_beads} | {d['strict_precision']:.3f} "
                         f"| {d['strict_recall']:.3f} | {d['strict_f1']:.3f} | {d['lax_f1']:.3f} "
                         f"| {d['unmatched_rate']:.1%} ({r.unmatched}; gold {d['gold_unmatched_rate']:.1%}, "
                         f"{r.gold_unmatched}) | {d['unmatched_f1']:.3f} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--labels", type=Path, default=LABELS, help="folder of NAME.gold files")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of NAME.en.txt / NAME.ar.txt")
    parser.add_argument("--paragraphs", nargs="+", choices=["auto", "on", "off"], default=list(PARAGRAPH_SETTINGS),
                        help="the --paragraphs settings to align with (in-process)")
    parser.add_argument("--reports", type=Path, help="score the NAME.json reports of this folder instead")
    parser.add_argument("--format", choices=["table", "json"], default="table")
    args = parser.parse_args(argv)
    try:
        golds = read_golds(args.labels)
        problems = [p for g in golds.values() for p in coverage_problems(g)]
        if problems:
            raise GoldFormatError("; ".join(problems))
        if args.reports:
            alignments = {f"reports:{args.reports}": from_reports(args.reports, list(golds))}
        else:
            alignments = run_aligner(args.data, list(golds), args.paragraphs)
        runs = {setting: score_documents(golds, aligned) for setting, aligned in alignments.items()}
    except GoldFormatError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps({s: [r.as_dict() for r in rows] for s, rows in runs.items()}, indent=1))
    else:
        sys.stdout.write(table(runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
