"""Score check settings on generated check cases, in-process (embeddings cached across runs).

    python -m benchmarks.sweep_checks benchmarks/work/checks-seed11 benchmarks/work/checks-seed12 \\
        -s partial.min_score=0.08,0.1 -s partial.length_weight=0.3,0.4

Each ``-s TYPE.SETTING=v1,v2`` names a setting of the check of that type (a field of its
dataclass, e.g. ``divergent.warning_below``), or ``-s align.FIELD=v1,v2`` a field of
``AlignConfig`` (``-s align.detach_gain=0.05,0.1``). Every
combination is scored with ``benchmarks.score_checks``; each row prints partial, number and unmatched F1
and the share of clean pairs flagged, per case folder.
"""

from __future__ import annotations

import argparse
import itertools
import tempfile
from dataclasses import replace
from pathlib import Path

from align.checks import DEFAULT_CHECKS, configure
from align.dp import AlignConfig
from align.embed import CachedEncoder, USEEncoder
from align.pipeline import Checker, CheckOptions
from align.report.jsonfmt import report_to_json
from benchmarks.score_checks import load_all, score


def parse_grid(items: list[str]) -> dict[str, list[float]]:
    """``TYPE.SETTING=v1,v2`` items as {"TYPE.SETTING": [v1, v2]}, values of the default's type."""
    checks = {c.type: c for c in DEFAULT_CHECKS}
    grid = {}
    for item in items:
        name, values = item.split("=")
        owner, attr = name.split(".")
        default = getattr(AlignConfig() if owner == "align" else checks[owner], attr)
        grid[name] = [type(default)(v) for v in values.split(",")]
    return grid


def configured(settings: dict[str, float]) -> tuple[AlignConfig, CheckOptions]:
    """The aligner and check options one combination of the grid asks for."""
    by_type: dict[str, dict[str, float]] = {}
    for name, value in settings.items():
        owner, attr = name.split(".")
        by_type.setdefault(owner, {})[attr] = value
    config = replace(AlignConfig(), **by_type.pop("align", {}))  # type: ignore[arg-type]
    return config, CheckOptions(split="lines", align=config, checks=configure(DEFAULT_CHECKS, by_type))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("cases", type=Path, nargs="+")
    parser.add_argument("-s", "--setting", action="append", default=[],
                        help="TYPE.SETTING=v1,v2,... (align.FIELD for the aligner)")
    args = parser.parse_args()
    grid = parse_grid(args.setting)
    encoder = CachedEncoder(USEEncoder())
    for combo in itertools.product(*grid.values()) if grid else [()]:
        settings = dict(zip(grid, combo, strict=True))
        _, options = configured(settings)
        checker = Checker(encoder, options)
        cells = []
        for folder in args.cases:
            with tempfile.TemporaryDirectory() as tmp:
                for expect in sorted(folder.glob("*.expect.json")):
                    stem = str(expect)[: -len(".expect.json")]
                    report = checker.check_files(f"{stem}.en.txt", f"{stem}.ar.txt")
                    (Path(tmp) / f"{Path(stem).name}.json").write_text(report_to_json(report), encoding="utf-8")
                s = score(load_all(folder, Path(tmp)))
            t = s.types
            cells.append(f"{folder.name}: partial P {t['partial'].precision:.3f} R {t['partial'].recall:.3f} "
                         f"F1 {t['partial'].f1:.3f} | number F1 {t['number'].f1:.3f} | "
                         f"unmatched F1 {t['unmatched'].f1:.3f} | clean flagged {s.clean_rate:.4f}")
        print(settings, "\n  " + "\n  ".join(cells), flush=True)


if __name__ == "__main__":
    main()
