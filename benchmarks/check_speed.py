"""Where the checks that embed nothing spend their time (issue 13): CPU seconds per check and case.

    python -m benchmarks.check_speed [--data ../shared/data] [--cases news,bible-1000,literary]
                                     [--repeats 5] [--format table|json]
    python -m benchmarks.check_speed --folder DIR [--split lines]

The inputs are those of :mod:`benchmarks.speed`. Each pair is split and aligned once, untimed
(``Checker.align_texts``: the default encoder is loaded and used). Then every default check that
embeds nothing (all but ``partial``) runs over all the case's pairs, one check after the other in
their pipeline order, ``--repeats`` times. Each repeat starts from empty caches (the ``functools``
caches of align's modules are cleared), as a fresh process reads each text for the first time; a
check that reuses what an earlier check read (``qualifier`` the numbers that ``number`` found) is
timed with that reuse, as in a run. A cell is the least CPU time (``time.process_time``, steadier
than wall time on a busy machine) of the repeats. ``divergent`` sees the default similarity scale
(the aligner's is not kept): its findings may differ from a run's, its time hardly.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks.speed import DEFAULT_DATA, Case, case_inputs, standard_cases

if TYPE_CHECKING:
    from align.checks import Check, CheckContext
    from align.embed import Encoder

DEFAULT_CASES = "news,bible-1000,literary"


def text_checks() -> list[Check]:
    """The default checks that embed nothing, in pipeline order."""
    from align.checks import DEFAULT_CHECKS, PartialCheck

    return [c for c in DEFAULT_CHECKS if not isinstance(c, PartialCheck)]


def contexts(case: Case, encoder: Encoder) -> list[CheckContext]:
    """A check context (documents and beads) for every pair of ``case``, aligned with ``encoder``."""
    from align.checks import CheckContext
    from align.pipeline import Checker, CheckOptions

    checker = Checker(encoder, CheckOptions(split=case.split))
    out: list[CheckContext] = []
    for en_text, ar_text, _, _ in case_inputs(case):
        en, ar, beads = checker.align_texts(en_text, ar_text)
        out.append(CheckContext(en, ar, beads))
    return out


def clear_caches() -> None:
    """Empty every ``functools`` cache of align's modules: each text is read as for the first time."""
    for name, module in list(sys.modules.items()):
        if name != "align" and not name.startswith("align."):
            continue
        for value in list(vars(module).values()):
            clear = getattr(value, "cache_clear", None)
            if callable(clear):
                clear()


def time_checks(case_contexts: Sequence[CheckContext], repeats: int) -> dict[str, float]:
    """The least CPU seconds of each text check over ``case_contexts``, over ``repeats`` cold repeats."""
    checks = text_checks()
    best = {c.type: float("inf") for c in checks}
    for _ in range(repeats):
        clear_caches()
        for check in checks:
            started = time.process_time()
            for context in case_contexts:
                check.run(context)
            best[check.type] = min(best[check.type], time.process_time() - started)
    return {kind: round(seconds, 4) for kind, seconds in best.items()}


def markdown_table(results: dict[str, dict[str, float]]) -> str:
    cases = list(results)
    kinds = list(next(iter(results.values()))) if results else []
    lines = ["| check | " + " | ".join(f"`{c}` (s)" for c in cases) + " |",
             "|---|" + "---:|" * len(cases)]
    lines += [f"| {kind} | " + " | ".join(f"{results[c][kind]:.3f}" for c in cases) + " |" for kind in kinds]
    lines.append("| **all** | " + " | ".join(f"{sum(results[c].values()):.3f}" for c in cases) + " |")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--cases", default=DEFAULT_CASES, help=f"comma-separated case names (default: {DEFAULT_CASES})")
    parser.add_argument("--folder", type=Path, help="time this folder of pairs instead of the standard inputs")
    parser.add_argument("--split", default="auto", help="split mode for --folder")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--format", choices=("table", "json"), default="table")
    args = parser.parse_args(argv)
    if args.folder:
        cases = [Case(args.folder.name, args.folder.name, args.split, str(args.folder))]
    else:
        wanted = args.cases.split(",")
        cases = [c for c in standard_cases(args.data) if c.name in wanted]
    from align.embed import USEEncoder

    encoder = USEEncoder()
    results = {case.name: time_checks(contexts(case, encoder), max(args.repeats, 1)) for case in cases}
    print(json.dumps(results, indent=2) if args.format == "json" else markdown_table(results), end="")
    if args.format == "json":
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
