"""How far the partial check can trust its estimates (PartialCheck.screen_tokens).

    python -m benchmarks.screen [--data ../shared/data] [--cases news,documents,literary,bible-1000,flores,tico]
                                [--format table|json]

The partial check tries removing each clause (and, on skewed beads, runs of words) from a bead
side. With the default encoder it first estimates each trial's similarity cheaply
(align.removals.RemovalEstimates) and composes exactly only the trials whose estimated score comes
within ``screen_tokens * sqrt(parts) / tokens`` of similarity of the bar (``parts``: the segments of
the side). That is safe as long as no trial that reaches the bar is estimated lower than that. Here
every trial is composed, whatever its estimate, and for each input this reports:

* ``trials``: clause and word-window trials tried;
* ``reach the bar``: trials whose exact score reaches it (clauses 0.1, windows 0.2);
* ``worst error x tokens / sqrt(parts)``: among those, the largest (exact - estimated similarity)
  times the trial's tokens over the square root of its side's segments: the screen drops none of
  them while this stays under ``screen_tokens`` (3);
* ``dropped that reach it``: those the default screen would have dropped (must be 0);
* ``composed``: the share of trials the default screen composes (the rest is saved work).

The inputs are the speed benchmark's real ones (benchmarks/speed.py): the labelled NTREX news
(``--split lines``), the whole real documents, the literary paragraphs, and 1,000 bible verses; and
the FLORES-200 devtest and TICO-19 documents (literal translations, ``--split lines``).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.speed import DEFAULT_DATA, Case, case_inputs, standard_cases

DEFAULT_CASES = "news,documents,literary,bible-1000,flores,tico"


@dataclass(frozen=True)
class Row:
    name: str
    trials: int
    reach: int
    worst: float  # max (exact - estimated similarity) x tokens / sqrt(parts) over the trials that reach the bar
    dropped: int
    composed: float


def measure(name: str, data: Path) -> Row:
    """Every trial of the case composed, beside its estimate and its exact score."""
    from align.checks import DEFAULT_CHECKS, PartialCheck
    from align.embed import USEEncoder
    from align.pipeline import Checker, CheckOptions

    cases = {case.name: case for case in standard_cases(data)} | {
        name: Case(name, f"{folder}, `batch --split lines`", "lines", str(data / folder))
        for name, folder in (("flores", "flores200-devtest"), ("tico", "tico19"))}
    if name not in cases:
        raise SystemExit(f"no case {name!r}; known: {', '.join(cases)}")
    case = cases[name]
    found: list[tuple[float, float, float, float]] = []  # exact and estimated score, margin, bar
    noted: dict[int, tuple[float, float]] = {}  # by trial: estimated score and margin

    class Measured(PartialCheck):
        """Composes every trial, noting what the screen would have decided."""

        def _worth_composing(self, trials: list[Any], estimated: np.ndarray, margins: np.ndarray,
                             threshold: float) -> np.ndarray:
            noted.update((id(t), (float(e), float(m))) for t, e, m in zip(trials, estimated, margins, strict=True))
            return np.ones(len(trials), dtype=bool)

        def _similarities(self, trials: list[Any], threshold: float, sides: dict[Any, Any],
                          context: Any) -> list[tuple[Any, float]]:
            out = super()._similarities(trials, threshold, sides, context)
            for trial, sim in out:
                estimated, margin = noted.pop(id(trial))
                exact = self._score(trial, sim, sides[trial.bead, trial.side], context)
                found.append((exact, estimated, margin, threshold))
            return out

    checks = tuple(Measured() if isinstance(c, PartialCheck) else c for c in DEFAULT_CHECKS)
    checker = Checker(USEEncoder(), CheckOptions(split=case.split, checks=checks))
    for en, ar, en_name, ar_name in case_inputs(case):
        if case.lines:
            checker.check_texts(en, ar, en_name, ar_name)
        else:
            checker.check_files(en_name, ar_name)
    exact, estimated, margins, thresholds = (np.array(column) for column in zip(*found, strict=True))
    reach = exact >= thresholds
    kept = estimated + margins >= thresholds
    # A margin is screen_tokens * sqrt(parts) / tokens / spread, a score's error a similarity's over the spread.
    screen_tokens = PartialCheck().screen_tokens
    assert screen_tokens is not None
    per_token = (exact - estimated)[reach] * screen_tokens / margins[reach]
    worst = float(per_token.max()) if per_token.size else 0.0
    return Row(name, len(found), int(reach.sum()), round(worst, 2), int((reach & ~kept).sum()),
               round(float(kept.mean()), 3))


def table(rows: Sequence[Row]) -> str:
    lines = ["| input | trials | reach the bar | worst error x tokens / sqrt(parts) | dropped that reach it "
             "| composed |", "|---|---:|---:|---:|---:|---:|"]
    lines += [f"| {r.name} | {r.trials:,} | {r.reach} | {r.worst:.2f} | {r.dropped} | {r.composed:.0%} |" for r in rows]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--cases", default=DEFAULT_CASES)
    parser.add_argument("--format", choices=("table", "json"), default="table")
    args = parser.parse_args(argv)
    rows = [measure(name, args.data) for name in args.cases.split(",")]
    print(json.dumps([row.__dict__ for row in rows], indent=1) if args.format == "json" else table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
