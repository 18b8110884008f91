"""Paragraph-level alignment measures on publisher paragraph-aligned text (no sentence gold needed).

    python -m benchmarks.score_paragraphs [--data DIR] [-s NAME=V1,V2 ...] [--split sentences] [--format table|json]

``DIR`` (default ``../shared/data/literary-paragraphs``) holds ``NAME.en.txt``/``NAME.ar.txt`` pairs
whose paragraph k on one side translates paragraph k on the other (``NAME.units.json`` lists them).
Every sentence of English paragraph k belongs with Arabic paragraph k, so, with ``--split
sentences`` (one paragraph per line; ``auto`` would take these line-parallel files line by line),
two errors can be counted without a sentence-level gold:

* *unmatched*: segments (both sides) left in 1-0/0-1 beads, over all segments; every paragraph
  has its counterpart, so each one is wrong;
* *crossing*: aligned beads holding segments of more than one paragraph pair (English paragraph
  p and Arabic paragraph q with p != q, or several paragraphs on a side), over all aligned beads.

With ``--gold DIR``, the pairs that have ``DIR/NAME.gold`` are also scored strictly (Vecalign's
convention, :func:`align.evaluate.score_alignments`). Only the aligner runs (no checks). Each ``-s``
names an :class:`align.dp.AlignConfig` field; every combination of values is scored.
"""

from __future__ import annotations

import argparse
import itertools
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from align.dp import AlignConfig
from align.embed import CachedEncoder, USEEncoder
from align.evaluate import GoldBead, IdPair, Score, parse_gold, score_alignments
from align.model import Bead, Document
from align.pipeline import Checker, CheckOptions

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE.parent.parent / "shared" / "data" / "literary-paragraphs"


@dataclass
class ParagraphTally:
    """Counts over documents; add them up, then read the shares."""

    documents: int = 0
    segments: int = 0
    unmatched: int = 0
    aligned_beads: int = 0
    crossing: int = 0

    def add(self, other: ParagraphTally) -> None:
        self.documents += other.documents
        self.segments += other.segments
        self.unmatched += other.unmatched
        self.aligned_beads += other.aligned_beads
        self.crossing += other.crossing

    @property
    def unmatched_share(self) -> float:
        return self.unmatched / self.segments if self.segments else 0.0

    @property
    def crossing_share(self) -> float:
        return self.crossing / self.aligned_beads if self.aligned_beads else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {"documents": self.documents, "segments": self.segments, "unmatched": self.unmatched,
                "unmatched_share": round(self.unmatched_share, 4), "aligned_beads": self.aligned_beads,
                "crossing": self.crossing, "crossing_share": round(self.crossing_share, 4)}


def crosses(bead: Bead, en_paragraph: Sequence[int], ar_paragraph: Sequence[int]) -> bool:
    """Whether an aligned bead joins segments of more than one paragraph pair (k on both sides)."""
    return len({en_paragraph[i] for i in bead.en} | {ar_paragraph[j] for j in bead.ar}) > 1


def tally_beads(en: Document, ar: Document, beads: Sequence[Bead]) -> ParagraphTally:
    """The paragraph measures of one aligned pair (bead ids index each document's segments)."""
    en_paragraph = {s.index: s.paragraph for s in en.segments}
    ar_paragraph = {s.index: s.paragraph for s in ar.segments}
    en_list = [en_paragraph.get(i, -1) for i in range(en.size)]
    ar_list = [ar_paragraph.get(j, -1) for j in range(ar.size)]
    tally = ParagraphTally(documents=1, segments=len(en.segments) + len(ar.segments))
    for bead in beads:
        if bead.en and bead.ar:
            tally.aligned_beads += 1
            tally.crossing += crosses(bead, en_list, ar_list)
        else:
            tally.unmatched += len(bead.en) + len(bead.ar)
    return tally


def pairs_in(data: Path) -> list[tuple[Path, Path]]:
    """``(en, ar)`` paths of every document of the set, by name."""
    names = sorted(p.name[: -len(".units.json")] for p in data.glob("*.units.json"))
    return [(data / f"{name}.en.txt", data / f"{name}.ar.txt") for name in names]


def score_folder(checker: Checker, data: Path, gold: Path | None = None) -> tuple[ParagraphTally, Score | None]:
    """The paragraph measures over every pair of ``data``, and strict scores against ``gold/NAME.gold``
    (sentence-level hand gold for the same split) for the pairs that have one."""
    total = ParagraphTally()
    scored: list[tuple[list[GoldBead], list[IdPair]]] = []
    for en_path, ar_path in pairs_in(data):
        en, ar, beads = checker.align_texts(en_path.read_text(encoding="utf-8"), ar_path.read_text(encoding="utf-8"))
        total.add(tally_beads(en, ar, beads))
        gold_path = gold / f"{en_path.name[: -len('.en.txt')]}.gold" if gold else None
        if gold_path and gold_path.exists():
            scored.append((parse_gold(gold_path.read_text(encoding="utf-8"), str(gold_path)),
                           [(b.en, b.ar) for b in beads]))
    return total, score_alignments(scored) if scored else None


def settings_grid(items: Sequence[str]) -> list[dict[str, object]]:
    """Every combination of ``NAME=V1,V2`` values, typed like the AlignConfig field."""
    grid: dict[str, list[object]] = {}
    default = AlignConfig()
    for item in items:
        name, values = item.split("=", 1)
        kind = type(getattr(default, name))
        grid[name] = [(v.lower() in ("1", "true", "yes")) if kind is bool else kind(v) for v in values.split(",")]
    return [dict(zip(grid, combo, strict=True)) for combo in itertools.product(*grid.values())]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("-s", "--setting", action="append", default=[], help="AlignConfig field: name=v1,v2,...")
    parser.add_argument("--gold", type=Path, default=None,
                        help="folder of NAME.gold sentence-level hand gold, e.g. benchmarks/labels/literary-paragraphs")
    parser.add_argument("--split", default="sentences")
    parser.add_argument("--format", choices=("table", "json"), default="table")
    args = parser.parse_args()
    encoder = CachedEncoder(USEEncoder())
    rows = []
    for settings in settings_grid(args.setting):
        config = replace(AlignConfig(), **settings)  # type: ignore[arg-type]
        started = time.perf_counter()
        tally, score = score_folder(Checker(encoder, CheckOptions(split=args.split, align=config)), args.data,
                                    args.gold)
        strict = score.as_dict() if score else {}
        row = {"settings": settings, **tally.as_dict(), **strict, "seconds": round(time.perf_counter() - started, 1)}
        rows.append(row)
        if args.format == "table":
            gold = f"strict F1 {strict['strict_f1']:.4f} " if strict else ""
            print(f"{settings} unmatched {tally.unmatched_share:.2%} ({tally.unmatched}/{tally.segments}) "
                  f"crossing {tally.crossing_share:.2%} ({tally.crossing}/{tally.aligned_beads}) {gold}"
                  f"({row['seconds']}s)", flush=True)
    if args.format == "json":
        print(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
