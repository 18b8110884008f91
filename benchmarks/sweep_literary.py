"""Score aligner settings on the natural-merge set against its hand gold, in-process (issue 11).

    python -m benchmarks.sweep_literary [--paragraphs off] [--cache DIR] -s uneven_edge=0,0.5

The same figures as ``align batch ../shared/data/literary-paragraphs -o OUT --format json --split
sentences [--paragraphs off]`` then ``python -m benchmarks.score_literary OUT`` (strict P/R/F1), for
every combination of the ``-s`` values, without the checks (they never change the beads).
"""

from __future__ import annotations

import argparse
import itertools
import time
from dataclasses import replace
from pathlib import Path

from align.dp import AlignConfig
from align.embed import CachedEncoder, Encoder, USEEncoder
from align.evaluate import score_alignments
from align.pipeline import Checker, CheckOptions
from benchmarks.score_literary import LABELS, read_literary_gold

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "literary-paragraphs"
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
    encoder = CachedEncoder(encoder)
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
