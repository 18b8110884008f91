"""The real-translation benchmark: muqabala's findings scored against hand labels, per genre.

    python -m benchmarks.score_real [--data ../shared/data] [--examples FILE] [--format table|json]

Sets (each folder's README says where its labels come from and how they were made):

* ``news``: ``ntrex128-labelled`` (professional news, every line pair labelled), ``--split lines``;
* ``flores``, ``tico``: the labelled slices of FLORES-200 and TICO-19 (literal translations),
  ``--split lines``;
* ``documents/GENRE``: the labelled ``real-documents`` (whole documents), default split.

What is scored. A *unit* is a line (line sets) or a bead (documents). A unit is *flagged* when a
flag of severity error or warning covers it (info never counts); it is *real* when a label
covers it (any type). Then:

* precision = real flagged units / flagged units;
* recall = labelled omissions, additions and number errors (``major``, and all) that a flagged
  unit covers, over all of them;
* false alarms per 100 faithful units = flagged units with no label / units with no label x 100;
* number precision = units flagged by ``number`` that carry a ``number`` label / units flagged by it.

A line is covered by a bead that holds it on either side; a document label by a bead whose segment
spans overlap the label's span on its side.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from align.embed import CachedEncoder, USEEncoder
from align.model import SIDES, Bead, Report, Side
from align.pipeline import Checker, CheckOptions
from benchmarks.real_labels import Problem, read_document_folder, read_line_labels

COUNTED = ("error", "warning")
HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE.parent.parent / "shared" / "data"
LABELS = HERE / "labels"
GENRES = {
    "mozilla-websites-terms-of-use": "legal", "debian-social-contract": "legal",
    "debian-press-lenny-2009": "press", "mozilla-history": "press",
    "oss-guide-security": "software", "oss-guide-metrics": "software", "semver-2.0.0": "software",
    "react-render-and-commit": "software", "twelve-factor-config": "software", "seal-readme": "software",
    "nodejs-about": "software", "ted-2449-betts-refugees": "talk",
}


@dataclass
class Tally:
    """Counts for one set; add them up across documents, then read the ratios."""

    units: int = 0
    flagged: int = 0
    flagged_real: int = 0
    faithful: int = 0
    flagged_faithful: int = 0
    major: int = 0
    major_found: int = 0
    recalled: int = 0
    recalled_found: int = 0
    number_flagged: int = 0
    number_flagged_real: int = 0
    number_major: int = 0
    number_major_found: int = 0
    by_type: Counter[str] = field(default_factory=Counter)  # units flagged by each flag type
    by_type_real: Counter[str] = field(default_factory=Counter)

    def add(self, other: Tally) -> None:
        for name, value in vars(other).items():
            if isinstance(value, Counter):
                getattr(self, name).update(value)
            else:
                setattr(self, name, getattr(self, name) + value)

    def figures(self) -> dict[str, float | int | dict[str, str]]:
        def ratio(a: int, b: int) -> float:
            return round(a / b, 4) if b else 0.0

        return {
            "units": self.units, "flagged": self.flagged,
            "precision": ratio(self.flagged_real, self.flagged),
            "major_recall": ratio(self.major_found, self.major), "major": self.major,
            "all_recall": ratio(self.recalled_found, self.recalled), "all": self.recalled,
            "false_alarms_per_100": round(100 * self.flagged_faithful / self.faithful, 2) if self.faithful else 0.0,
            "number_precision": ratio(self.number_flagged_real, self.number_flagged),
            "number_flagged": self.number_flagged,
            "number_major_recall": ratio(self.number_major_found, self.number_major),
            "number_major": self.number_major,
            "by_type": {t: f"{self.by_type_real[t]}/{n}" for t, n in sorted(self.by_type.items())},
        }


@dataclass(frozen=True)
class Unit:
    """A line or a bead: what it covers, and the flag types of its counted flags."""

    name: str
    covers: frozenset[tuple[Side, int]] | None  # lines, by side (line sets)
    spans: tuple[tuple[Side, int, int], ...]  # character spans (documents)
    flags: tuple[str, ...]
    messages: tuple[str, ...]
    text: str


def _counted(bead: Bead) -> tuple[str, ...]:
    return tuple(sorted({f.type for f in bead.flags if f.severity in COUNTED}))


def _messages(bead: Bead) -> tuple[str, ...]:
    return tuple(f"{f.severity}:{f.type}: {f.message}" for f in bead.flags if f.severity in COUNTED)


def _bead_text(report: Report, bead: Bead) -> str:
    en = " ".join(report.en.texts_by_id[i] for i in bead.en)
    ar = " ".join(report.ar.texts_by_id[i] for i in bead.ar)
    return f"EN: {en}\n  AR: {ar}"


def line_units(report: Report) -> list[Unit]:
    """One unit per line number: flagged when a bead holding it on either side is."""
    size = max(report.en.size, report.ar.size)
    flags: dict[int, set[str]] = {i: set() for i in range(size)}
    messages: dict[int, list[str]] = {i: [] for i in range(size)}
    texts: dict[int, str] = {}
    for bead in report.beads:
        for i in set(bead.en) | set(bead.ar):
            flags[i].update(_counted(bead))
            messages[i] += _messages(bead)
            texts.setdefault(i, _bead_text(report, bead))
    return [Unit(str(i), frozenset({("en", i), ("ar", i)}), (), tuple(sorted(flags[i])), tuple(messages[i]),
                 texts.get(i, "")) for i in range(size)]


def bead_units(report: Report) -> list[Unit]:
    """One unit per bead, covering the character spans of its segments."""
    starts = {side: {s.index: (s.start, s.end) for s in report.doc(side).segments} for side in SIDES}
    units = []
    for n, bead in enumerate(report.beads):
        spans = tuple((side, *starts[side][i]) for side in SIDES for i in bead.ids(side))
        units.append(Unit(f"bead {n}", None, spans, _counted(bead), _messages(bead), _bead_text(report, bead)))
    return units


def _covers(unit: Unit, problem: Problem) -> bool:
    if problem.line is not None:
        return unit.covers is not None and ("en", problem.line) in unit.covers
    return any(side == p_side and start < p_end and p_start < end
               for side, start, end in unit.spans for p_side, p_start, p_end in problem.spans)


def score_units(units: Sequence[Unit], problems: Sequence[Problem], doc: str,
                examples: list[str] | None = None) -> Tally:
    """Tally one document's units against its labelled problems."""
    tally = Tally(units=len(units))
    covered = {id(p): False for p in problems}
    for unit in units:
        mine = [p for p in problems if _covers(unit, p)]
        real = bool(mine)
        tally.faithful += not real
        if not unit.flags:
            continue
        for p in mine:
            covered[id(p)] = True
        tally.flagged += 1
        tally.flagged_real += real
        tally.flagged_faithful += not real
        tally.by_type.update(unit.flags)
        if real:
            tally.by_type_real.update(unit.flags)
        if "number" in unit.flags:
            tally.number_flagged += 1
            tally.number_flagged_real += any(p.type == "number" for p in mine)
        if examples is not None:
            what = "TRUE FLAG" if real else "FALSE ALARM"
            examples.append(f"{what} {doc} {unit.name}: {' | '.join(unit.messages)}\n  {unit.text}")
    for p in problems:
        if not p.recalled:
            continue
        found = covered[id(p)]
        tally.recalled += 1
        tally.recalled_found += found
        if p.severity == "major":
            tally.major += 1
            tally.major_found += found
        if p.type == "number" and p.severity == "major":
            tally.number_major += 1
            tally.number_major_found += found
        if examples is not None and not found:
            examples.append(f"MISSED {p.severity} {p.type} {doc} line {p.line}: en={p.en!r} ar={p.ar!r} ({p.note})")
    return tally


@dataclass
class SetResult:
    name: str
    tally: Tally
    docs: int


def score_line_set(checker: Checker, name: str, labels: Path, folder: Path, examples: list[str] | None) -> SetResult:
    data = read_line_labels(labels, folder)
    tally = Tally()
    for doc in data.lines:
        report = checker.check_files(folder / f"{doc}.en.txt", folder / f"{doc}.ar.txt")
        problems = [p for p in data.problems if p.doc == doc]
        tally.add(score_units(line_units(report)[: data.lines[doc]], problems, doc, examples))
    return SetResult(name, tally, len(data.lines))


def score_documents(checker: Checker, labels: Path, folder: Path,
                    examples: list[str] | None) -> list[SetResult]:
    by_genre: dict[str, SetResult] = {}
    for doc, problems in read_document_folder(labels, folder).items():
        report = checker.check_files(folder / f"{doc}.en.txt", folder / f"{doc}.ar.txt")
        genre = f"documents/{GENRES.get(doc, 'other')}"
        result = by_genre.setdefault(genre, SetResult(genre, Tally(), 0))
        result.tally.add(score_units(bead_units(report), problems, doc, examples))
        result.docs += 1
    return [by_genre[g] for g in sorted(by_genre)]


def combined(name: str, results: Iterable[SetResult]) -> SetResult:
    total = SetResult(name, Tally(), 0)
    for r in results:
        total.tally.add(r.tally)
        total.docs += r.docs
    return total


def run(data: Path, encoder: CachedEncoder, examples: list[str] | None = None) -> list[SetResult]:
    """Score every labelled set; documents by genre and all together."""
    lines = CheckOptions(split="lines")
    results = [score_line_set(Checker(encoder, lines), "news", data / "ntrex128-labelled" / "labels.jsonl",
                              data / "ntrex128-labelled", examples)]
    for name, folder in (("flores", "flores200-devtest"), ("tico", "tico19")):
        labels = LABELS / folder / "labels.jsonl"
        if labels.exists():
            results.append(score_line_set(Checker(encoder, lines), name, labels, data / folder, examples))
    documents = score_documents(Checker(encoder), LABELS / "real-documents", data / "real-documents", examples)
    return results + documents + [combined("documents/all", documents)]


HEADERS = ["set", "docs", "units", "flagged", "precision", "major recall", "all recall", "false alarms /100 faithful",
           "number P", "major number errors found"]


def table(results: Sequence[SetResult]) -> str:
    lines = ["| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
    for r in results:
        f = r.tally.figures()
        lines.append("| " + " | ".join(str(x) for x in [
            r.name, r.docs, f["units"], f["flagged"], f["precision"],
            f"{f['major_recall']} ({r.tally.major_found}/{r.tally.major})",
            f"{f['all_recall']} ({r.tally.recalled_found}/{r.tally.recalled})", f["false_alarms_per_100"],
            f"{f['number_precision']} ({r.tally.number_flagged_real}/{r.tally.number_flagged})",
            f"{r.tally.number_major_found}/{r.tally.number_major}",
        ]) + " |")
    lines += ["", "Precision by flag type (flagged units that carry a label / flagged units):", ""]
    lines += [f"- {r.name}: " + (", ".join(f"{t} {v}" for t, v in r.tally.figures()["by_type"].items()) or "none")  # type: ignore[union-attr]
              for r in results]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--examples", type=Path, help="write every flagged unit (true or false) and every miss here")
    parser.add_argument("--format", choices=["table", "json"], default="table")
    args = parser.parse_args(argv)
    examples: list[str] | None = [] if args.examples else None
    results = run(args.data, CachedEncoder(USEEncoder()), examples)
    if args.examples and examples is not None:
        args.examples.write_text("\n".join(examples) + "\n", encoding="utf-8")
    if args.format == "json":
        print(json.dumps({r.name: {"docs": r.docs, **r.tally.figures()} for r in results}, indent=1))
    else:
        sys.stdout.write(table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

