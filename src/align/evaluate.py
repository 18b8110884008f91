"""Scoring alignments against gold files, in Vecalign's convention.

Precision looks at every test bead; recall is precision with the roles swapped and with 1-0/0-1
beads dropped from both. A bead is a strict hit when it equals a gold bead, a lax hit when it
shares a source id with a gold bead that also covers one of its target ids. Counts are summed over
all files before dividing (micro-average).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from align.errors import GoldFormatError

BeadIds = tuple[tuple[int, ...], tuple[int, ...]]
_GOLD_LINE = re.compile(r"^\s*\[([\d,\s]*)\]\s*:\s*\[([\d,\s]*)\]\s*$")


def _ids(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in text.replace(",", " ").split())


def parse_gold(text: str, name: str = "gold") -> list[BeadIds]:
    """Parse ``[en ids]:[ar ids]`` lines; blank lines and ``#`` comments are skipped."""
    beads = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = _GOLD_LINE.match(line)
        if not m:
            raise GoldFormatError(f"{name}:{number}: expected '[en ids]:[ar ids]', got {line.strip()[:60]!r}")
        beads.append((_ids(m.group(1)), _ids(m.group(2))))
    return beads


def read_report_beads(path: Path) -> list[BeadIds]:
    """The beads of a JSON report written by ``align check --format json``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [(tuple(b["en"]), tuple(b["ar"])) for b in data["beads"]]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise GoldFormatError(f"{path}: not a muqabala JSON report ({type(exc).__name__})") from exc


@dataclass
class Counts:
    strict_tp: int = 0
    strict_fp: int = 0
    lax_tp: int = 0
    lax_fp: int = 0

    def add(self, other: Counts) -> None:
        self.strict_tp += other.strict_tp
        self.strict_fp += other.strict_fp
        self.lax_tp += other.lax_tp
        self.lax_fp += other.lax_fp


def _precision_counts(gold: Iterable[BeadIds], test: Iterable[BeadIds]) -> Counts:
    gold_set = {b for b in gold if b[0] or b[1]}
    targets_of: dict[int, set[int]] = defaultdict(set)
    for src, tgt in gold_set:
        for s in src:
            targets_of[s].update(tgt)
    counts = Counts()
    for bead in {b for b in test if b[0] or b[1]}:
        if bead in gold_set:
            counts.strict_tp += 1
            counts.lax_tp += 1
            continue
        counts.strict_fp += 1
        reachable = set().union(*(targets_of[s] for s in bead[0])) if bead[0] else set()
        if reachable & set(bead[1]):
            counts.lax_tp += 1
        else:
            counts.lax_fp += 1
    return counts


def _unmatched(beads: Iterable[BeadIds]) -> set[tuple[str, int]]:
    out: set[tuple[str, int]] = set()
    for en, ar in beads:
        if not ar:
            out.update(("en", i) for i in en)
        if not en:
            out.update(("ar", j) for j in ar)
    return out


def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Score:
    """Micro-averaged scores over a set of files."""

    files: int
    precision: Counts
    recall: Counts
    unmatched_tp: int
    unmatched_test: int
    unmatched_gold: int

    def as_dict(self) -> dict[str, float | int]:
        p, r = self.precision, self.recall
        sp, sr = _ratio(p.strict_tp, p.strict_tp + p.strict_fp), _ratio(r.strict_tp, r.strict_tp + r.strict_fp)
        lp, lr = _ratio(p.lax_tp, p.lax_tp + p.lax_fp), _ratio(r.lax_tp, r.lax_tp + r.lax_fp)
        up = _ratio(self.unmatched_tp, self.unmatched_test) if self.unmatched_test else float(not self.unmatched_gold)
        ur = _ratio(self.unmatched_tp, self.unmatched_gold) if self.unmatched_gold else float(not self.unmatched_test)
        return {
            "files": self.files,
            "strict_precision": round(sp, 4), "strict_recall": round(sr, 4), "strict_f1": round(_f1(sp, sr), 4),
            "lax_precision": round(lp, 4), "lax_recall": round(lr, 4), "lax_f1": round(_f1(lp, lr), 4),
            "unmatched_precision": round(up, 4), "unmatched_recall": round(ur, 4),
            "unmatched_f1": round(_f1(up, ur), 4),
            "unmatched_gold": self.unmatched_gold, "unmatched_test": self.unmatched_test,
        }


def score_alignments(pairs: Sequence[tuple[Sequence[BeadIds], Sequence[BeadIds]]]) -> Score:
    """Score ``(gold, test)`` bead lists, one pair of lists per file."""
    precision, recall = Counts(), Counts()
    u_tp = u_test = u_gold = 0
    for gold, test in pairs:
        precision.add(_precision_counts(gold, test))
        gold_pairs = [b for b in gold if b[0] and b[1]]
        test_pairs = [b for b in test if b[0] and b[1]]
        recall.add(_precision_counts(test_pairs, gold_pairs))
        ug, ut = _unmatched(gold), _unmatched(test)
        u_tp += len(ug & ut)
        u_gold += len(ug)
        u_test += len(ut)
    return Score(len(pairs), precision, recall, u_tp, u_test, u_gold)


def evaluate_dirs(gold_dir: Path, reports_dir: Path) -> tuple[Score, list[str]]:
    """Score every ``NAME.gold`` in ``gold_dir`` against ``reports_dir/NAME.json``.

    A missing report counts as an empty alignment (every gold bead missed); its name is returned
    so the caller can warn about it.
    """
    gold_files = sorted(gold_dir.glob("*.gold"))
    if not gold_files:
        raise GoldFormatError(f"{gold_dir}: no *.gold files")
    pairs = []
    missing = []
    for gold_path in gold_files:
        gold = parse_gold(gold_path.read_text(encoding="utf-8"), str(gold_path))
        report = reports_dir / f"{gold_path.stem}.json"
        if report.exists():
            test = read_report_beads(report)
        else:
            missing.append(gold_path.stem)
            test = []
        pairs.append((gold, test))
    return score_alignments(pairs), missing
