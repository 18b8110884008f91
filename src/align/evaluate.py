"""Scoring alignments against gold files, in Vecalign's convention.

Precision looks at every test bead; recall is precision with the roles swapped and with 1-0/0-1
beads dropped from both. A bead is a strict hit when it equals a gold bead, a lax hit when it
shares a source id with a gold bead that also covers one of its target ids. Counts are summed over
all files before dividing (micro-average).

This module owns the benchmark's file formats: the gold format (``parse_gold`` / ``format_gold``),
the reading of JSON reports (``read_report``) and precision/recall/F1 (``PRF``). ``align eval`` and
the scripts in ``benchmarks/`` both use them.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from align.errors import GoldFormatError


class GoldBead(NamedTuple):
    """One bead of an alignment as segment ids: 0-based English and Arabic line numbers.

    Either side may be empty (a 1-0 or 0-1 bead). Being a tuple, it compares equal to
    ``((0, 1), (0,))``.
    """

    en: tuple[int, ...]
    ar: tuple[int, ...]


BeadIds = GoldBead  # the name this type had before it was a NamedTuple
# What scoring accepts as a bead: a GoldBead or any plain ``(en ids, ar ids)`` tuple.
IdPair = tuple[tuple[int, ...], tuple[int, ...]]
_GOLD_LINE = re.compile(r"^\s*\[([\d,\s]*)\]\s*:\s*\[([\d,\s]*)\]\s*$")


def _ids(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in text.replace(",", " ").split())


def parse_gold(text: str, name: str = "gold") -> list[GoldBead]:
    """Parse ``[en ids]:[ar ids]`` lines; blank lines and ``#`` comments are skipped.

    Raises ``GoldFormatError`` naming ``name`` and the line number on any other line.
    """
    beads = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = _GOLD_LINE.match(line)
        if not m:
            raise GoldFormatError(f"{name}:{number}: expected '[en ids]:[ar ids]', got {line.strip()[:60]!r}")
        beads.append(GoldBead(_ids(m.group(1)), _ids(m.group(2))))
    return beads


def format_gold(beads: Iterable[tuple[Sequence[int], Sequence[int]]]) -> str:
    """The text of a gold file: one ``[en ids]:[ar ids]`` line per bead, e.g. ``[0, 1]:[0]`` or ``[2]:[]``.

    Ids are written as Python writes a list, every line ends in a newline, and ``parse_gold`` reads
    the text back to the same beads.
    """
    return "".join(f"{list(en)}:{list(ar)}\n" for en, ar in beads)


# --- reports ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportFlag:
    """One flag of a JSON report, as far as scoring needs it."""

    type: str
    side: str
    severity: str
    message: str


@dataclass(frozen=True)
class ReportBead:
    """One bead of a JSON report: its segment ids and its flags."""

    ids: GoldBead
    flags: tuple[ReportFlag, ...] = ()


@dataclass(frozen=True)
class ReportData:
    """What scoring reads from a JSON report written by ``align check --format json``.

    ``en``/``ar`` are the segment texts the checker saw and ``signature`` its settings, or None
    where the report leaves them out.
    """

    beads: tuple[ReportBead, ...]
    signature: str | None = None
    en: tuple[str, ...] | None = None
    ar: tuple[str, ...] | None = None

    @property
    def alignment(self) -> list[GoldBead]:
        """The beads' ids, in report order."""
        return [b.ids for b in self.beads]

    @property
    def split_mode(self) -> str | None:
        """The ``--split`` mode the signature names (``lines`` for ``split:lines/rules-1``), or None."""
        return split_mode(self.signature) if self.signature else None


def split_mode(signature: str) -> str | None:
    """The split mode in a signature such as ``muqabala:0.1.0|encoder:use-m3|split:lines/rules-1|…``.

    ``auto`` also says what it chose for the pair (``auto=lines``); its ids run 0..n-1 either way.
    """
    for part in signature.split("|"):
        key, _, value = part.partition(":")
        if key == "split":
            return value.split("/", 1)[0]
    return None


def _id_list(value: object) -> tuple[int, ...]:
    if not isinstance(value, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in value):
        raise TypeError("bead ids are not a list of integers")
    return tuple(value)


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("flag field is not a string")
    return value


def _report_flag(raw: dict[str, object]) -> ReportFlag:
    return ReportFlag(_text(raw["type"]), _text(raw["side"]), _text(raw["severity"]), _text(raw["message"]))


def _report_bead(raw: dict[str, object]) -> ReportBead:
    flags = raw.get("flags") or []
    if not isinstance(flags, list):
        raise TypeError("flags is not a list")
    return ReportBead(GoldBead(_id_list(raw["en"]), _id_list(raw["ar"])), tuple(_report_flag(f) for f in flags))


def _texts(value: object) -> tuple[str, ...] | None:
    return tuple(str(t) for t in value) if isinstance(value, list) else None


def read_report(path: Path) -> ReportData:
    """Read a JSON report written by ``align check --format json``.

    Each bead needs ``en`` and ``ar`` id lists; its ``flags`` (each with a string ``type``,
    ``side``, ``severity`` and ``message``) may be left out. Raises ``GoldFormatError`` on a file
    that cannot be read or is not such a report.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        beads = tuple(_report_bead(b) for b in data["beads"])
        signature = data.get("signature")
        return ReportData(
            beads,
            signature=signature if isinstance(signature, str) else None,
            en=_texts(data.get("en")),
            ar=_texts(data.get("ar")),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise GoldFormatError(f"{path}: not a muqabala JSON report ({type(exc).__name__})") from exc


# --- scoring ------------------------------------------------------------------------------------


def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


@dataclass(frozen=True)
class PRF:
    """Precision, recall and F1, unrounded; a ratio with nothing to divide by is 0.0."""

    precision: float
    recall: float

    @classmethod
    def from_counts(cls, tp_pred: int, predicted: int, tp_gold: int, gold: int) -> PRF:
        """``tp_pred`` of the ``predicted`` items are right; ``tp_gold`` of the ``gold`` items are found."""
        return cls(_ratio(tp_pred, predicted), _ratio(tp_gold, gold))

    @property
    def f1(self) -> float:
        """The harmonic mean of precision and recall (0.0 when both are 0)."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


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


def _precision_counts(gold: Iterable[IdPair], test: Iterable[IdPair]) -> Counts:
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


def _unmatched(beads: Iterable[IdPair]) -> set[tuple[str, int]]:
    out: set[tuple[str, int]] = set()
    for en, ar in beads:
        if not ar:
            out.update(("en", i) for i in en)
        if not en:
            out.update(("ar", j) for j in ar)
    return out


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
        strict = PRF.from_counts(p.strict_tp, p.strict_tp + p.strict_fp, r.strict_tp, r.strict_tp + r.strict_fp)
        lax = PRF.from_counts(p.lax_tp, p.lax_tp + p.lax_fp, r.lax_tp, r.lax_tp + r.lax_fp)
        # With nothing unmatched on one side, that side's ratio is 1 if the other side has none either.
        up = _ratio(self.unmatched_tp, self.unmatched_test) if self.unmatched_test else float(not self.unmatched_gold)
        ur = _ratio(self.unmatched_tp, self.unmatched_gold) if self.unmatched_gold else float(not self.unmatched_test)
        unmatched = PRF(up, ur)
        return {
            "files": self.files,
            "strict_precision": round(strict.precision, 4), "strict_recall": round(strict.recall, 4),
            "strict_f1": round(strict.f1, 4),
            "lax_precision": round(lax.precision, 4), "lax_recall": round(lax.recall, 4), "lax_f1": round(lax.f1, 4),
            "unmatched_precision": round(unmatched.precision, 4), "unmatched_recall": round(unmatched.recall, 4),
            "unmatched_f1": round(unmatched.f1, 4),
            "unmatched_gold": self.unmatched_gold, "unmatched_test": self.unmatched_test,
        }


def score_alignments(pairs: Sequence[tuple[Sequence[IdPair], Sequence[IdPair]]]) -> Score:
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


@dataclass(frozen=True)
class Evaluation:
    """Scores over a gold folder, with what the caller should warn about.

    ``missing``: gold names without a report (scored as empty alignments). ``other_splits``: report
    name to split mode, for reports not made with ``--split lines``: their ids are not line numbers,
    so they cannot match a gold file's.
    """

    score: Score
    missing: list[str]
    other_splits: dict[str, str]


GOLD_SPLIT = "lines"  # gold ids are 0-based line numbers: the segment ids of ``--split lines``


def evaluate_dirs(gold_dir: Path, reports_dir: Path) -> tuple[Score, list[str]]:
    """Score every ``NAME.gold`` in ``gold_dir`` against ``reports_dir/NAME.json``; see :func:`evaluate`."""
    result = evaluate(gold_dir, reports_dir)
    return result.score, result.missing


def evaluate(gold_dir: Path, reports_dir: Path) -> Evaluation:
    """Score every ``NAME.gold`` in ``gold_dir`` against ``reports_dir/NAME.json``.

    A missing report counts as an empty alignment (every gold bead missed); its name is returned
    so the caller can warn about it, as are reports whose signature names a split mode other than
    ``lines``.
    """
    gold_files = sorted(gold_dir.glob("*.gold"))
    if not gold_files:
        raise GoldFormatError(f"{gold_dir}: no *.gold files")
    pairs: list[tuple[list[GoldBead], list[GoldBead]]] = []
    missing = []
    other_splits: dict[str, str] = {}
    for gold_path in gold_files:
        gold = parse_gold(gold_path.read_text(encoding="utf-8"), str(gold_path))
        report_path = reports_dir / f"{gold_path.stem}.json"
        if report_path.exists():
            report = read_report(report_path)
            test = report.alignment
            mode = report.split_mode
            if mode is not None and mode.partition("=")[0] != GOLD_SPLIT:
                other_splits[gold_path.stem] = mode.partition("=")[0]  # the --split the user gave
        else:
            missing.append(gold_path.stem)
            test = []
        pairs.append((gold, test))
    return Evaluation(score_alignments(pairs), missing, other_splits)
