"""Score aligner settings on the generated case sets, in-process (embeddings cached across runs).

    python -m benchmarks.sweep benchmarks/work/cases news merges clean -s skip_cost=0.1,0.2 -s pair_threshold=0.3

Every combination of the ``-s`` values is scored; each row prints strict F1 and unmatched F1 per set.
Only the aligner runs (no checks: they never change the beads).
"""

from __future__ import annotations

import argparse
import itertools
import time
from dataclasses import replace
from pathlib import Path

from align.dp import AlignConfig
from align.embed import CachedEncoder, USEEncoder
from align.evaluate import parse_gold, score_alignments
from align.pipeline import Checker, CheckOptions


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("cases", type=Path)
    parser.add_argument("sets", nargs="+")
    parser.add_argument("-s", "--setting", action="append", default=[], help="name=v1,v2,...")
    parser.add_argument("--split", default="lines")
    args = parser.parse_args()
    grid = {}
    for item in args.setting:
        name, values = item.split("=")
        grid[name] = [type(getattr(AlignConfig(), name))(v) for v in values.split(",")]
    encoder = CachedEncoder(USEEncoder())
    for combo in itertools.product(*grid.values()) if grid else [()]:
        config = replace(AlignConfig(), **dict(zip(grid, combo, strict=True)))
        checker = Checker(encoder, CheckOptions(split=args.split, align=config))
        cells = []
        for name in args.sets:
            pairs = []
            started = time.perf_counter()
            for gold_path in sorted((args.cases / name).glob("*.gold")):
                stem = gold_path.with_suffix("")
                _, _, beads = checker.align_texts(Path(f"{stem}.en.txt").read_text(encoding="utf-8"),
                                                  Path(f"{stem}.ar.txt").read_text(encoding="utf-8"))
                test = [(b.en, b.ar) for b in beads]
                pairs.append((parse_gold(gold_path.read_text()), test))
            s = score_alignments(pairs).as_dict()
            cells.append(f"{name}: F1 {s['strict_f1']:.3f} lax {s['lax_f1']:.3f} unm {s['unmatched_f1']:.3f}"
                         f" ({time.perf_counter() - started:.0f}s)")
        print(dict(zip(grid, combo, strict=True)), " | ".join(cells), flush=True)


if __name__ == "__main__":
    main()
