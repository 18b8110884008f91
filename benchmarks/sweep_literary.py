"""Score aligner settings on the natural-merge set against its hand gold, in-process (issue 11).

    python -m benchmarks.sweep_literary [--paragraphs off] [--cache DIR] [--strip-marks] -s uneven_edge=0,0.5

The same figures as ``align batch ../shared/data/literary-paragraphs -o OUT --format json --split
sentences [--paragraphs off]`` then ``python -m benchmarks.score_literary OUT`` (strict P/R/F1), for
every combination of the ``-s`` values, without the checks (they never change the beads).
``--strip-marks`` embeds the Arabic without tashkeel, Quranic marks and tatweel (the texts and
segments stay as they are): an experiment, not what ``align`` does.
"""

from __future__ import annotations

import argparse
import itertools
import re
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from align.dp import AlignConfig
from align.embed import CachedEncoder, Encoder, USEEncoder
from align.evaluate import score_alignments
from align.pipeline import Checker, CheckOptions
from benchmarks.score_literary import LABELS, read_literary_gold

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "literary-paragraphs"
_MARKS = re.compile("[\u0610-\u061a\u0640\u064b-\u065f\u0670\u06d6-\u06ed]")


class MarksStripped:
    """An encoder that sees every text without Arabic marks (tashkeel, Quranic marks, tatweel)."""

    def __init__(self, inner: Encoder) -> None:
        self.inner = inner
        self.name = f"{inner.name}+nomarks"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return self.inner.encode([_MARKS.sub("", t) for t in texts])


def strict_scores(checker: Checker, data: Path, labels: Path) -> dict[str, float | int]:
    """Strict (and lax) scores of ``checker``'s alignments of the labelled pairs of ``data``."""
    pairs = []
    for gold_path in sorted(labels.glob("*.gold")):
        gold = read_literary_gold(gold_path)
        _, _, beads = checker.align_texts((data / f"{gold.name}.en.txt").read_text(encoding="utf-8"),
                                          (data / f"{gold.name}.ar.txt").read_text(encoding="utf-8"))
        pairs.append(([(b.en, b.ar) for b in gold.beads], [(b.en, b.ar) for b in beads]))
    return score_alignments(pairs).as_dict()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-s", "--setting", action="append", default=[], help="name=v1,v2,...")
    parser.add_argument("--paragraphs", choices=["auto", "on", "off"], default="off")
    parser.add_argument("--cache", type=Path, help="folder of an on-disk embedding cache")
    parser.add_argument("--strip-marks", action="store_true", help="embed the Arabic without its marks")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--labels", type=Path, default=LABELS)
    args = parser.parse_args()
    grid = {}
    for item in args.setting:
        name, values = item.split("=")
        grid[name] = [type(getattr(AlignConfig(), name))(v) for v in values.split(",")]
    encoder: Encoder = USEEncoder()
    if args.cache:
        from align.embed_cache import DiskCachedEncoder
        encoder = DiskCachedEncoder(encoder, args.cache)
    encoder = CachedEncoder(MarksStripped(encoder) if args.strip_marks else encoder)
    for combo in itertools.product(*grid.values()) if grid else [()]:
        chosen = dict(zip(grid, combo, strict=True))
        config = replace(AlignConfig(), paragraphs=args.paragraphs, **chosen)
        started = time.perf_counter()
        s = strict_scores(Checker(encoder, CheckOptions(split="sentences", align=config)), args.data, args.labels)
        print(chosen, f"strict P {s['strict_precision']:.3f} R {s['strict_recall']:.3f} F1 {s['strict_f1']:.3f}"
              f" lax {s['lax_f1']:.3f} unmatched reported {s['unmatched_test']}"
              f" ({time.perf_counter() - started:.0f}s)", flush=True)


if __name__ == "__main__":
    main()
