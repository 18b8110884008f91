"""Where a check's time goes, phase by phase, for the inputs of the speed benchmark (issue 13).

    python -m benchmarks.phases [--data ../shared/data] [--cases bible-1000,news] [--format table|json]
    python -m benchmarks.phases --folder PAIRS [--split lines]

For each case, in this process: the encoder is loaded and the floor is timed as ``benchmarks.speed``
times it; then a fresh encoder (as a command line run starts, without the floor's first layers) is
loaded and warmed on a one-line pair, and the checks run once with each top-level phase timed:
embedding the segments (with the first pass's recording), the first alignment, the second pass
(``refine``), every check and the JSON report. ``rest`` is what no phase covers (splitting, the
verdict, Python between them).

The last columns answer the question a ratio target asks: ``ratio`` is the whole check over the floor,
``ratio without partial`` the same with the partial check's time taken out, the most any speed-up of
that check alone can give. Phases time the main thread's calls, so work the encoder's threads do for a
phase counts in that phase.
"""

from __future__ import annotations

import argparse
import gc
import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from benchmarks.speed import DEFAULT_DATA, Case, case_inputs, standard_cases, timed_floor

Timer = Callable[[str, Callable[[], Any]], Any]  # times a call under a label of its own


@contextmanager
def _timing(times: defaultdict[str, float], checks: Sequence[Any]) -> Iterator[Timer]:
    """Patches the pipeline's top-level steps to add their wall time to ``times``; undone on exit."""
    import align.pipeline as pipeline

    patched: list[tuple[Any, str, Any]] = []

    def wrap(owner: Any, attribute: str, label: str) -> None:
        original = getattr(owner, attribute)

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                times[label] += time.perf_counter() - started

        patched.append((owner, attribute, original))
        setattr(owner, attribute, timed)

    wrap(pipeline.Checker, "_embed", "embed")
    wrap(pipeline, "align_vectors", "align")
    wrap(pipeline, "refine", "refine")
    for check in {type(check): check for check in checks}.values():
        wrap(type(check), "run", f"check {check.type}")

    def timed_call(label: str, job: Callable[[], Any]) -> Any:
        started = time.perf_counter()
        try:
            return job()
        finally:
            times[label] += time.perf_counter() - started

    try:
        yield timed_call
    finally:
        for owner, attribute, original in reversed(patched):
            setattr(owner, attribute, original)


def phases_of(case: Case) -> dict[str, Any]:
    """The floor, the whole check and each phase's seconds for ``case``."""
    from align.embed import USEEncoder
    from align.pipeline import Checker, CheckOptions
    from align.report import FORMATS

    inputs = case_inputs(case)
    options = CheckOptions(split=case.split)
    encoder = USEEncoder(threads=case.threads or None)
    encoder.encode(["load"])
    floor, _ = timed_floor(encoder, inputs, options)
    # The checks get an encoder of their own, without the floor's first layers, as in benchmarks.speed.
    del encoder
    gc.collect()
    encoder = USEEncoder(threads=case.threads or None)
    checker = Checker(encoder, options)
    en, ar = inputs[0][0].split("\n")[0], inputs[0][1].split("\n")[0]
    checker.check_texts(en, ar)  # model load and first-call setup, out of the times as in benchmarks.speed
    times: defaultdict[str, float] = defaultdict(float)
    started = time.perf_counter()
    with _timing(times, options.checks) as timed:
        for en, ar, en_name, ar_name in inputs:
            # A folder's pairs are read from disk, as `align batch` does (and benchmarks.speed).
            if case.lines:
                report = checker.check_texts(en, ar, en_name, ar_name)
            else:
                report = checker.check_files(en_name, ar_name)
            timed("report", partial(FORMATS["json"], report))
    total = time.perf_counter() - started
    partial_check = times.get("check partial", 0.0)
    return {
        "case": case.name, "floor_s": round(floor, 3), "total_s": round(total, 3),
        "phases_s": {label: round(seconds, 3) for label, seconds in sorted(times.items(), key=lambda item: -item[1])},
        "rest_s": round(total - sum(times.values()), 3),
        "ratio": round(total / floor, 3),
        "ratio_without_partial": round((total - partial_check) / floor, 3),
    }


def _table(rows: list[dict[str, Any]]) -> str:
    lines = []
    for row in rows:
        phases = ", ".join(f"{label} {seconds:.2f}" for label, seconds in row["phases_s"].items())
        lines.append(f"{row['case']}: floor {row['floor_s']:.2f} s, check {row['total_s']:.2f} s "
                     f"(ratio {row['ratio']:.2f}; without the partial check {row['ratio_without_partial']:.2f})\n"
                     f"  {phases}, rest {row['rest_s']:.2f}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.phases", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--cases", default="bible-1000,news")
    parser.add_argument("--folder", type=Path, help="a folder of pairs of your own instead of the cases")
    parser.add_argument("--split", default="auto", help="with --folder: how to split it (as `align batch --split`)")
    parser.add_argument("--format", choices=("table", "json"), default="table")
    args = parser.parse_args(argv)
    if args.folder is not None:
        cases = {"folder": Case(args.folder.name, f"`{args.folder.name}`", args.split, str(args.folder))}
        wanted = list(cases)
    else:
        wanted = args.cases.split(",")
        cases = {case.name: case for case in standard_cases(args.data)}
    unknown = [name for name in wanted if name not in cases]
    if unknown:
        raise SystemExit(f"unknown case {unknown[0]!r}: one of {', '.join(cases)}")
    rows = [phases_of(cases[name]) for name in wanted]
    print(json.dumps(rows, indent=1) if args.format == "json" else _table(rows))


if __name__ == "__main__":
    main()
