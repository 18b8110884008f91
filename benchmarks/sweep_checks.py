"""Score check settings on generated check cases, in-process (embeddings cached across runs).

    python -m benchmarks.sweep_checks benchmarks/work/checks-seed11 benchmarks/work/checks-seed12 \\
        -s PartialCheck.min_score=0.08,0.1 -s PartialCheck.length_weight=0.3,0.4

Each ``-s CLASS.ATTR=v1,v2`` names a class attribute of a check in ``align.checks``, or a field
of ``AlignConfig`` (``-s AlignConfig.detach_gain=0.05,0.1``). Every
combination is scored with ``benchmarks.score_checks``; each row prints partial, number and unmatched F1
and the share of clean pairs flagged, per case folder.
"""

from __future__ import annotations

import argparse
import itertools
import tempfile
from dataclasses import replace
from pathlib import Path

import align.checks as checks_module
from align.checks import DEFAULT_CHECKS
from align.dp import AlignConfig
from align.embed import CachedEncoder, USEEncoder
from align.pipeline import Checker, CheckOptions
from align.report.jsonfmt import report_to_json
from benchmarks.score_checks import load_all, score


def with_settings(settings: dict[str, float]) -> tuple[type, ...]:
    """DEFAULT_CHECKS, with each named check replaced by a subclass carrying the settings."""
    out = []
    for check in DEFAULT_CHECKS:
        mine = {attr.split(".", 1)[1]: v for attr, v in settings.items() if attr.split(".", 1)[0] == check.__name__}
        out.append(type(check.__name__, (check,), mine) if mine else check)
    return tuple(out)


def parse_grid(items: list[str]) -> dict[str, list[float]]:
    grid = {}
    for item in items:
        name, values = item.split("=")
        cls, attr = name.split(".")
        default = getattr(AlignConfig() if cls == "AlignConfig" else getattr(checks_module, cls), attr)
        grid[name] = [type(default)(v) for v in values.split(",")]
    return grid


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("cases", type=Path, nargs="+")
    parser.add_argument("-s", "--setting", action="append", default=[], help="CLASS.ATTR=v1,v2,...")
    args = parser.parse_args()
    grid = parse_grid(args.setting)
    encoder = CachedEncoder(USEEncoder())
    for combo in itertools.product(*grid.values()) if grid else [()]:
        settings = dict(zip(grid, combo, strict=True))
        aligner = {k.split(".")[1]: v for k, v in settings.items() if k.startswith("AlignConfig.")}
        config = replace(AlignConfig(), **aligner)  # type: ignore[arg-type]
        checker = Checker(encoder, CheckOptions(split="lines", align=config, checks=with_settings(settings)))
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
