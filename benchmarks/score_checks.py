"""Score muqabala JSON reports against the planted differences of benchmarks.make_check_cases.

    python -m benchmarks.score_checks CASES_DIR REPORTS_DIR [--format table|json]
    python -m benchmarks.score_checks --self-test

For every ``NAME.expect.json`` in CASES_DIR, reads ``REPORTS_DIR/NAME.json`` (as written by
``align batch ... --format json``, read by ``align.evaluate.read_report``; a missing report
counts as an empty one). Only flags of
severity ``error`` or ``warning`` count; ``info`` flags are ignored everywhere.

- ``unmatched``, ``partial``, ``number`` (per flagged bead): a report bead *carries* T when it
  has a counted flag of type T. A gold perturbation of type T is *hit* when a bead carrying T
  holds one of its ids (unmatched: the id on its side; partial/number: its en or ar id).
  Precision = beads carrying T that hold an id of some gold T perturbation / beads carrying T;
  recall = hit perturbations / gold perturbations; F1. The flag's ``side`` is not scored, but
  the share of hits whose flag is on the expected side is shown (``side ok``).
- ``substituted``: share of substituted pairs with an id in a bead carrying any counted flag,
  or with an id left in a 1-0/0-1 bead.
- clean pairs: share of the untouched 1-1 pairs that the report aligns exactly 1-1 AND
  flags (false alarms), out of all clean pairs; pairs not aligned 1-1 are counted apart.

Counts are summed over all files (micro-average). Up to 5 example misses and false alarms
per type go to stderr. Targets (shown, never tuned against): unmatched F1 >= 0.95, number
precision and recall >= 0.95, partial F1 >= 0.75, substituted caught >= 90%, clean pairs
flagged <= 3%. Exit status is 0 whether or not the targets are met, 1 on a report that is not
a muqabala JSON report or a CASES_DIR without ``*.expect.json``, 2 when REPORTS_DIR is not a folder.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from align.errors import GoldFormatError
from align.evaluate import PRF, GoldBead, ReportBead, ReportFlag, read_report
from benchmarks.cases import read_lines

TYPES = ("unmatched", "partial", "number")
COUNTED = {"error", "warning"}
N_EXAMPLES = 5
TRUNC = 80

Ids = frozenset[tuple[str, int]]  # {("en", 3), ("ar", 2)}


def ids_of(en: Sequence[int], ar: Sequence[int]) -> Ids:
    return frozenset([("en", i) for i in en] + [("ar", j) for j in ar])


def where(en: Sequence[int], ar: Sequence[int]) -> str:
    """``en=[1, 2] ar=[3]``, as the examples name a bead."""
    return f"en={list(en)} ar={list(ar)}"


def short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= TRUNC else text[: TRUNC - 1] + "…"


# --------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Perturbation:
    """One planted difference of ``NAME.expect.json``, as far as scoring needs it."""

    type: str
    side: str  # the side the flag is expected on
    en: tuple[int, ...]
    ar: tuple[int, ...]
    detail: str = ""
    origin: str = "deletion"  # unmatched only: "deletion" or "boilerplate"

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Perturbation:
        return cls(
            str(raw["type"]),
            str(raw["side"]),
            tuple(int(i) for i in raw["en"]),
            tuple(int(i) for i in raw["ar"]),
            str(raw.get("detail", "")),
            str(raw.get("origin", "deletion")),
        )

    @property
    def ids(self) -> Ids:
        return ids_of(self.en, self.ar)


def bead_ids(bead: ReportBead) -> Ids:
    return ids_of(bead.ids.en, bead.ids.ar)


def counted(bead: ReportBead) -> list[ReportFlag]:
    """The bead's flags of a counted severity (error, warning)."""
    return [f for f in bead.flags if f.severity in COUNTED]


def carries(bead: ReportBead, kind: str) -> bool:
    return any(f.type == kind for f in counted(bead))


def one_sided(bead: ReportBead) -> bool:
    return not bead.ids.en or not bead.ids.ar


@dataclass
class Case:
    name: str
    perturbations: list[Perturbation]
    clean_pairs: list[tuple[int, int]]
    beads: list[ReportBead]
    texts: dict[str, list[str]]
    has_report: bool = True

    def text(self, ids: Ids) -> str:
        parts = []
        for side in ("en", "ar"):
            lines = [self.texts[side][i] for s, i in sorted(ids) if s == side and i < len(self.texts[side])]
            if lines:
                parts.append(f"{side}: {short(' '.join(lines))}")
        return " | ".join(parts)


def load_case(cases: Path, reports: Path, name: str) -> Case:
    """The expectations and texts of case ``name`` and its report (``GoldFormatError`` on a bad one)."""
    exp = json.loads((cases / f"{name}.expect.json").read_text(encoding="utf-8"))
    texts = {}
    for side in ("en", "ar"):
        path = cases / f"{name}.{side}.txt"
        texts[side] = read_lines(path) if path.exists() else []
    report_path = reports / f"{name}.json"
    beads: list[ReportBead] = []
    has_report = report_path.exists()
    if has_report:
        report = read_report(report_path)
        beads = list(report.beads)
        # The report's own texts win (they are what the checker saw).
        if report.en is not None:
            texts["en"] = list(report.en)
        if report.ar is not None:
            texts["ar"] = list(report.ar)
    perturbations = [Perturbation.from_json(p) for p in exp["perturbations"]]
    clean = [(int(e), int(a)) for e, a in exp["clean_pairs"]]
    return Case(name, perturbations, clean, beads, texts, has_report)


def load_all(cases: Path, reports: Path) -> list[Case]:
    """Every case of ``cases`` with its report in ``reports``; ``GoldFormatError`` when there is none."""
    names = sorted(p.name[: -len(".expect.json")] for p in cases.glob("*.expect.json"))
    if not names:
        raise GoldFormatError(f"no *.expect.json in {cases}")
    return [load_case(cases, reports, n) for n in names]


# --------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------


@dataclass
class TypeScore:
    gold: int = 0
    predicted: int = 0
    tp: int = 0  # predicted beads that overlap a gold perturbation of the type
    hits: int = 0  # gold perturbations overlapped by a predicted bead
    side_ok: int = 0  # hits where a flag of the type is on the expected side
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)
    fa_overlaps: Counter[str] = field(default_factory=Counter)  # FP beads by what they touch
    on_substituted: int = 0  # FP beads lying wholly on substituted pairs (see precision_excl)

    @property
    def prf(self) -> PRF:
        return PRF.from_counts(self.tp, self.predicted, self.hits, self.gold)

    @property
    def precision(self) -> float:
        return self.prf.precision

    @property
    def precision_excl(self) -> float:
        """Precision leaving out beads that lie wholly on substituted pairs.

        A substituted pair aligned as 1-0 + 0-1 and flagged ``unmatched`` on both is arguably
        right (neither sentence has a counterpart); the headline precision counts it as two
        false alarms, this one as neither right nor wrong.
        """
        n = self.predicted - self.on_substituted
        return self.tp / n if n else 0.0

    @property
    def recall(self) -> float:
        return self.prf.recall

    @property
    def f1(self) -> float:
        return self.prf.f1

    def as_dict(self) -> dict[str, Any]:
        return {
            "gold": self.gold,
            "predicted": self.predicted,
            "tp": self.tp,
            "hits": self.hits,
            "precision": round(self.precision, 4),
            "precision_excl_substituted": round(self.precision_excl, 4),
            "false_alarms_on_substituted": self.on_substituted,
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "side_ok": self.side_ok,
            "false_alarms_touching": dict(sorted(self.fa_overlaps.items())),
        }


@dataclass
class Scores:
    files: int = 0
    missing_reports: list[str] = field(default_factory=list)
    types: dict[str, TypeScore] = field(default_factory=lambda: {t: TypeScore() for t in TYPES})
    unmatched_by_origin: dict[str, list[int]] = field(default_factory=dict)  # origin -> [gold, hits]
    sub_gold: int = 0
    sub_by_flag: int = 0
    sub_by_unmatched_only: int = 0
    sub_misses: list[str] = field(default_factory=list)
    clean_pairs: int = 0
    clean_aligned: int = 0
    clean_flagged: int = 0
    clean_flag_types: Counter[str] = field(default_factory=Counter)
    clean_false_alarms: list[str] = field(default_factory=list)

    @property
    def sub_caught(self) -> int:
        return self.sub_by_flag + self.sub_by_unmatched_only

    @property
    def sub_share(self) -> float:
        return self.sub_caught / self.sub_gold if self.sub_gold else 0.0

    @property
    def clean_rate(self) -> float:
        return self.clean_flagged / self.clean_pairs if self.clean_pairs else 0.0

    def targets(self) -> dict[str, dict[str, Any]]:
        t = self.types
        rows = {
            "unmatched F1 >= 0.95": (t["unmatched"].f1, t["unmatched"].f1 >= 0.95),
            "number precision >= 0.95": (t["number"].precision, t["number"].precision >= 0.95),
            "number recall >= 0.95": (t["number"].recall, t["number"].recall >= 0.95),
            "partial F1 >= 0.75": (t["partial"].f1, t["partial"].f1 >= 0.75),
            "substituted caught >= 0.90": (self.sub_share, self.sub_share >= 0.90),
            "clean pairs flagged <= 0.03": (self.clean_rate, self.clean_rate <= 0.03),
        }
        return {k: {"value": round(v, 4), "met": ok} for k, (v, ok) in rows.items()}

    def as_dict(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "missing_reports": self.missing_reports,
            "types": {k: v.as_dict() for k, v in self.types.items()},
            "unmatched_by_origin": {
                k: {"gold": g, "hits": h, "recall": round(h / g, 4) if g else 0.0}
                for k, (g, h) in sorted(self.unmatched_by_origin.items())
            },
            "substituted": {
                "gold": self.sub_gold,
                "caught": self.sub_caught,
                "caught_by_flag": self.sub_by_flag,
                "caught_by_unmatched_bead_only": self.sub_by_unmatched_only,
                "share": round(self.sub_share, 4),
            },
            "clean": {
                "pairs": self.clean_pairs,
                "aligned_1_1": self.clean_aligned,
                "not_aligned_1_1": self.clean_pairs - self.clean_aligned,
                "flagged": self.clean_flagged,
                "flagged_rate": round(self.clean_rate, 4),
                "flag_types": dict(sorted(self.clean_flag_types.items())),
            },
            "targets": self.targets(),
        }


def keep(examples: list[str], line: str) -> None:
    if len(examples) < N_EXAMPLES:
        examples.append(line)


def flag_desc(bead: ReportBead, kind: str | None = None) -> str:
    flags = [f for f in counted(bead) if kind is None or f.type == kind]
    return "; ".join(f"{f.type}/{f.side}/{f.severity}: {short(f.message)}" for f in flags)


def near_beads(case: Case, ids: Ids) -> str:
    """The report's beads that hold one of ``ids``, with their counted flags."""
    near = [b for b in case.beads if bead_ids(b) & ids]
    return "; ".join(f"{where(*b.ids)} [{flag_desc(b) or 'no flags'}]" for b in near) or "not in report"


def score_case(case: Case, s: Scores) -> None:
    s.files += 1
    if not case.has_report:
        s.missing_reports.append(case.name)
    by_type: dict[str, list[Perturbation]] = {}
    for p in case.perturbations:
        by_type.setdefault(p.type, []).append(p)
    # Every gold id of a perturbation, by type, to say what a false alarm touches.
    touched: dict[tuple[str, int], str] = {}
    for p in case.perturbations:
        for key in p.ids:
            touched[key] = p.type
    substituted_ids = frozenset(k for k, v in touched.items() if v == "substituted")

    for kind in TYPES:
        ts = s.types[kind]
        gold = by_type.get(kind, [])
        carrying = [b for b in case.beads if carries(b, kind)]
        gold_ids: Ids = frozenset().union(*(p.ids for p in gold)) if gold else frozenset()
        ts.gold += len(gold)
        ts.predicted += len(carrying)
        for b in carrying:
            ids = bead_ids(b)
            if ids & gold_ids:
                ts.tp += 1
            else:
                what = sorted({touched[k] for k in ids if k in touched}) or ["clean"]
                ts.fa_overlaps["+".join(what)] += 1
                ts.on_substituted += ids <= substituted_ids
                keep(ts.false_alarms, f"{case.name} {where(*b.ids)} [{flag_desc(b, kind)}] {case.text(ids)}")
        for p in gold:
            hit_beads = [b for b in carrying if bead_ids(b) & p.ids]
            if kind == "unmatched":
                counts = s.unmatched_by_origin.setdefault(p.origin, [0, 0])
                counts[0] += 1
                counts[1] += bool(hit_beads)
            if hit_beads:
                ts.hits += 1
                sides = {f.side for b in hit_beads for f in counted(b) if f.type == kind}
                ts.side_ok += p.side in sides
            else:
                keep(
                    ts.misses,
                    f"{case.name} {where(p.en, p.ar)} ({p.detail[:60]}) "
                    f"report: {near_beads(case, p.ids)} :: {case.text(p.ids)}",
                )

    for p in by_type.get("substituted", []):
        s.sub_gold += 1
        near = [b for b in case.beads if bead_ids(b) & p.ids]
        if any(counted(b) for b in near):
            s.sub_by_flag += 1
        elif any(one_sided(b) for b in near):
            s.sub_by_unmatched_only += 1
        else:
            got = near_beads(case, p.ids)
            keep(s.sub_misses, f"{case.name} {where(p.en, p.ar)} report: {got} :: {case.text(p.ids)}")

    exact = {b.ids: b for b in case.beads}
    for e, a in case.clean_pairs:
        s.clean_pairs += 1
        bead = exact.get(GoldBead((e,), (a,)))
        if bead is None:
            continue
        s.clean_aligned += 1
        if counted(bead):
            s.clean_flagged += 1
            s.clean_flag_types.update({f.type for f in counted(bead)})
            text = case.text(bead_ids(bead))
            keep(s.clean_false_alarms, f"{case.name} {where((e,), (a,))} [{flag_desc(bead)}] {text}")


def score(cases: list[Case]) -> Scores:
    s = Scores()
    for case in cases:
        score_case(case, s)
    return s


# --------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------


def table(s: Scores) -> str:
    lines = [
        f"files: {s.files}" + (f" ({len(s.missing_reports)} without a report)" if s.missing_reports else ""),
        "",
        "| type | gold | predicted | tp | hits | precision | recall | F1 | side ok | FP on subst. | P excl. subst. |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for kind, t in s.types.items():
        side_ok = "n/a" if kind == "number" else f"{t.side_ok}/{t.hits}"  # side is not meaningful for number
        lines.append(
            f"| {kind} | {t.gold} | {t.predicted} | {t.tp} | {t.hits} | {t.precision:.4f} | "
            f"{t.recall:.4f} | {t.f1:.4f} | {side_ok} | {t.on_substituted} | {t.precision_excl:.4f} |"
        )
    by_origin = ", ".join(f"{k} {h}/{g}" for k, (g, h) in sorted(s.unmatched_by_origin.items()))
    lines += [
        "",
        f"unmatched recall by origin: {by_origin or '-'}",
        (
            f"substituted caught: {s.sub_caught}/{s.sub_gold} = {s.sub_share:.4f} "
            f"(by a flag {s.sub_by_flag}, only by a 1-0/0-1 bead {s.sub_by_unmatched_only})"
        ),
        f"clean pairs: {s.clean_pairs}; aligned 1-1: {s.clean_aligned}; not aligned 1-1: "
        f"{s.clean_pairs - s.clean_aligned}; flagged (error/warning): {s.clean_flagged} = {s.clean_rate:.4f}"
        + (f" by type {dict(sorted(s.clean_flag_types.items()))}" if s.clean_flag_types else ""),
        "",
        "| target | value | met |",
        "|---|---|---|",
    ]
    for name, row in s.targets().items():
        lines.append(f"| {name} | {row['value']:.4f} | {'yes' if row['met'] else 'NO'} |")
    return "\n".join(lines)


def print_examples(s: Scores) -> None:
    out = sys.stderr
    for kind, t in s.types.items():
        if t.misses:
            print(f"\n# {kind}: missed (up to {N_EXAMPLES})", file=out)
            print("\n".join(f"  {m}" for m in t.misses), file=out)
        if t.false_alarms:
            touching = ", ".join(f"{k} {v}" for k, v in sorted(t.fa_overlaps.items()))
            print(f"\n# {kind}: false alarms (up to {N_EXAMPLES}; all of them touch: {touching})", file=out)
            print("\n".join(f"  {m}" for m in t.false_alarms), file=out)
    if s.sub_misses:
        print(f"\n# substituted: missed (up to {N_EXAMPLES})", file=out)
        print("\n".join(f"  {m}" for m in s.sub_misses), file=out)
    if s.clean_false_alarms:
        print(f"\n# clean 1-1 pairs flagged (up to {N_EXAMPLES})", file=out)
        print("\n".join(f"  {m}" for m in s.clean_false_alarms), file=out)
    if s.missing_reports:
        print(f"\n# no report for: {', '.join(s.missing_reports[:10])}", file=out)


# --------------------------------------------------------------------------
# Self-test
# --------------------------------------------------------------------------


def flag(kind: str, side: str = "en", severity: str = "warning") -> dict[str, Any]:
    return {"type": kind, "side": side, "severity": severity, "message": f"{kind} test", "evidence": []}


def self_test() -> int:
    """Hand-made expectations and report with known figures; raises AssertionError on a mismatch."""
    expect = {
        "perturbations": [
            {"type": "unmatched", "side": "en", "en": [0], "ar": [], "detail": "boilerplate", "origin": "boilerplate"},
            {"type": "unmatched", "side": "en", "en": [1], "ar": [], "detail": "boilerplate", "origin": "boilerplate"},
            {"type": "unmatched", "side": "ar", "en": [], "ar": [3], "detail": "en deleted", "origin": "deletion"},
            {"type": "partial", "side": "en", "en": [4], "ar": [4], "detail": "clause dropped from ar"},
            {"type": "partial", "side": "ar", "en": [6], "ar": [6], "detail": "clause dropped from en"},
            {"type": "number", "side": "ar", "en": [8], "ar": [8], "detail": "ar number 15 -> 18"},
            {"type": "substituted", "side": "ar", "en": [10], "ar": [10], "detail": "x"},
            {"type": "substituted", "side": "ar", "en": [12], "ar": [12], "detail": "y"},
            {"type": "substituted", "side": "ar", "en": [14], "ar": [14], "detail": "z"},
            {"type": "substituted", "side": "ar", "en": [16], "ar": [16], "detail": "w"},
        ],
        "clean_pairs": [[2, 0], [2, 1], [2, 2], [5, 5], [7, 7], [9, 9], [11, 11], [13, 13], [15, 15], [17, 17]],
    }
    # (clean pair [2, 0]/[2, 1]/[2, 2] are nonsense on purpose: they exercise "not aligned 1-1".)
    beads = [
        {"en": [0, 1], "ar": [], "flags": [flag("unmatched")]},  # TP bead, 2 hits
        {"en": [2], "ar": [0, 1, 2], "flags": []},
        {"en": [], "ar": [3], "flags": [flag("unmatched", "ar", "info")]},  # info is not counted: a miss
        {"en": [4], "ar": [4], "flags": [flag("partial", "both")]},  # partial hit, side "both" != "en"
        {"en": [5], "ar": [5], "flags": [flag("partial", "ar")]},  # partial FP on a clean pair
        {"en": [6], "ar": [6], "flags": []},  # partial miss
        {"en": [7], "ar": [7], "flags": []},  # clean, quiet
        {"en": [8], "ar": [8], "flags": [flag("number", "en", "error")]},  # number hit (side ignored)
        {"en": [9], "ar": [9], "flags": [flag("number", "en", "error"), flag("partial", "en", "info")]},  # number FP
        {"en": [10], "ar": [10], "flags": [flag("divergent", "both")]},  # substituted caught by flag
        {"en": [11], "ar": [11], "flags": [flag("divergent", "both", "info")]},  # clean, info only: not flagged
        {"en": [12], "ar": [], "flags": [flag("unmatched", "en", "info")]},  # substituted caught by a 1-0 bead
        {"en": [], "ar": [12], "flags": []},
        {"en": [13], "ar": [13], "flags": []},
        {"en": [14], "ar": [14], "flags": []},  # substituted missed
        {"en": [15], "ar": [15], "flags": []},
        {"en": [16], "ar": [], "flags": [flag("unmatched", "en")]},  # unmatched FP on substituted en 16
        {"en": [], "ar": [16], "flags": [flag("unmatched", "ar")]},  # ... and on its ar 16
        {"en": [17], "ar": [17], "flags": []},
    ]
    with tempfile.TemporaryDirectory() as tmp:
        cases, reports = Path(tmp, "cases"), Path(tmp, "reports")
        cases.mkdir()
        reports.mkdir()
        (cases / "t.expect.json").write_text(json.dumps(expect), encoding="utf-8")
        (cases / "u.expect.json").write_text(
            json.dumps(
                {"perturbations": [{"type": "number", "side": "en", "en": [0], "ar": [0]}], "clean_pairs": [[1, 1]]}
            ),
            encoding="utf-8",
        )  # no report for u: its number perturbation is a miss, its clean pair is not aligned 1-1
        en = [f"en line {i}" for i in range(18)]
        ar = [f"ar line {i}" for i in range(18)]
        (reports / "t.json").write_text(
            json.dumps({"en": en, "ar": ar, "beads": beads, "document": {"flags": []}}), encoding="utf-8"
        )
        s = score(load_all(cases, reports))

    u, p, n = s.types["unmatched"], s.types["partial"], s.types["number"]
    checks = {
        "files": (s.files, 2),
        "missing": (s.missing_reports, ["u"]),
        "unmatched gold/pred/tp/hits": ((u.gold, u.predicted, u.tp, u.hits), (3, 3, 1, 2)),
        "unmatched P/R": ((round(u.precision, 4), round(u.recall, 4)), (0.3333, 0.6667)),
        "unmatched F1": (round(u.f1, 4), 0.4444),
        "unmatched FP on substituted, P excl.": ((u.on_substituted, u.precision_excl), (2, 1.0)),
        "partial FP on substituted": (p.on_substituted, 0),
        "unmatched by origin": (s.unmatched_by_origin, {"boilerplate": [2, 2], "deletion": [1, 0]}),
        "partial gold/pred/tp/hits/side_ok": ((p.gold, p.predicted, p.tp, p.hits, p.side_ok), (2, 2, 1, 1, 0)),
        "partial P/R/F1": ((p.precision, p.recall, p.f1), (0.5, 0.5, 0.5)),
        "partial FP touches": (dict(p.fa_overlaps), {"clean": 1}),
        "number gold/pred/tp/hits": ((n.gold, n.predicted, n.tp, n.hits), (2, 2, 1, 1)),
        "number P/R/F1": ((n.precision, n.recall, n.f1), (0.5, 0.5, 0.5)),
        "substituted": ((s.sub_gold, s.sub_by_flag, s.sub_by_unmatched_only), (4, 2, 1)),
        "substituted share": (s.sub_share, 0.75),
        "clean pairs/aligned/flagged": ((s.clean_pairs, s.clean_aligned, s.clean_flagged), (11, 7, 2)),
        "clean rate": (round(s.clean_rate, 4), 0.1818),
        "clean flag types": (dict(s.clean_flag_types), {"partial": 1, "number": 1}),
    }
    failed = [f"{k}: got {got!r}, want {want!r}" for k, (got, want) in checks.items() if got != want]
    if failed:
        print("self-test FAILED:\n  " + "\n  ".join(failed), file=sys.stderr)
        return 1
    print(f"self-test passed ({len(checks)} checks)")
    return 0


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("cases", type=Path, nargs="?", help="folder with NAME.expect.json (make_check_cases output)")
    p.add_argument("reports", type=Path, nargs="?", help="folder with NAME.json muqabala reports")
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.add_argument("--self-test", action="store_true", help="check the scoring arithmetic on a hand-made case")
    args = p.parse_args(argv)
    if not args.self_test and (args.cases is None or args.reports is None):
        p.error("CASES_DIR and REPORTS_DIR are required (or --self-test)")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.self_test:
        return self_test()
    if not args.reports.is_dir():
        print(f"error: {args.reports} is not a folder", file=sys.stderr)
        return 2
    try:
        s = score(load_all(args.cases, args.reports))
    except GoldFormatError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print_examples(s)
    if args.format == "json":
        print(json.dumps(s.as_dict(), ensure_ascii=False, indent=1))
    else:
        print(table(s))
    return 0


if __name__ == "__main__":
    sys.exit(main())
