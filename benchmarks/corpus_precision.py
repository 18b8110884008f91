"""Precision and recall of the filtered corpus export against line-aligned news (issue 12).

    python -m benchmarks.corpus_precision [--data ../shared/data] [--db corpus.sqlite] [--workers 2]
                                          [--split auto] [--misses 30] [--markdown FILE]

The issue's acceptance: exported pairs reach 0.97 *strict* precision on line-aligned news when the
export is filtered with ``--only-1to1 --exclude-flags unmatched,partial,number,divergent``. Our
stand-in for the maintainers' hidden data is FLORES-200 devtest plus TICO-19, whose documents are
line-aligned by construction (line k of NAME.en.txt translates line k of NAME.ar.txt), so every
non-empty line pair is a gold pair.

The corpus is built with the real CLI (``align corpus build``, model load included; ``--db`` scores
an existing database instead) and exported as JSONL with the filter. Each exported pair is scored
against the gold line pairs of its own document (whitespace normalized):

* *strict*: the pair is exactly one gold line pair;
* *inside a line*: not strict, but each side lies inside the same gold line pair (the splitter cut
  the line into sentences, or a clause was split off): a right sub-alignment, wrong for the metric;
* *wrong*: anything else (a side spans lines, or the sides come from different line pairs).

Strict precision = strict / exported; recall = gold line pairs exported exactly / all gold line
pairs. ``--misses N`` prints the first N pairs that are not strict, with the line they came from.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.corpus_speed import DEFAULT_DATA, child_env, line_pairs_by_document, link_pairs

EXPORT_FILTER = ("--only-1to1", "--exclude-flags", "unmatched,partial,number,divergent")
CORPORA = ("flores200-devtest", "tico19")
STRICT, INSIDE, WRONG = "strict", "inside a line", "wrong"


def squeeze(text: str) -> str:
    """``text`` with runs of white space as one space and no space at the ends."""
    return " ".join(text.split())


def gold_lines(sources: Iterable[Path]) -> dict[str, list[tuple[str, str]]]:
    """Document name -> its non-empty (English, Arabic) line pairs, whitespace normalized.

    A document whose sides have different line counts is not line-aligned and is left out.
    """
    return {name: [(squeeze(e), squeeze(a)) for e, a in pairs]
            for name, pairs in line_pairs_by_document(sources).items()}


@dataclass(frozen=True)
class ExportedPair:
    document: str
    en: str
    ar: str


def classify(pair: ExportedPair, lines: Sequence[tuple[str, str]]) -> tuple[str, int | None]:
    """How ``pair`` relates to its document's gold ``lines``, and the index of the line it lies in."""
    en, ar = squeeze(pair.en), squeeze(pair.ar)
    inside = None
    for k, (line_en, line_ar) in enumerate(lines):
        if (en, ar) == (line_en, line_ar):
            return STRICT, k
        if inside is None and en in line_en and ar in line_ar:
            inside = k
    return (INSIDE, inside) if inside is not None else (WRONG, None)


@dataclass
class PrecisionScore:
    exported: int = 0
    counts: dict[str, int] = field(default_factory=lambda: {STRICT: 0, INSIDE: 0, WRONG: 0})
    gold: int = 0  # gold line pairs in the documents scored
    found: int = 0  # gold line pairs exported exactly (each counted once)
    misses: list[tuple[str, ExportedPair, tuple[str, str] | None]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.counts[STRICT] / self.exported if self.exported else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {"exported": self.exported, "strict": self.counts[STRICT], "inside_a_line": self.counts[INSIDE],
                "wrong": self.counts[WRONG], "strict_precision": round(self.precision, 4),
                "gold_line_pairs": self.gold, "gold_exported": self.found, "recall": round(self.recall, 4)}


def score_pairs(pairs: Iterable[ExportedPair], gold: dict[str, list[tuple[str, str]]]) -> PrecisionScore:
    """Score exported pairs against the gold line pairs of their documents (see the module doc).

    Pairs of documents with no gold (not line-aligned) are not scored.
    """
    score = PrecisionScore(gold=sum(len(lines) for lines in gold.values()))
    found: set[tuple[str, int]] = set()
    for pair in pairs:
        lines = gold.get(pair.document)
        if lines is None:
            continue
        score.exported += 1
        kind, line = classify(pair, lines)
        score.counts[kind] += 1
        if kind == STRICT and line is not None:
            found.add((pair.document, line))
        else:
            score.misses.append((kind, pair, lines[line] if line is not None else None))
    score.found = len(found)
    return score


def read_jsonl(path: Path) -> list[ExportedPair]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [ExportedPair(row["document"], row["translation"]["en"], row["translation"]["ar"]) for row in rows]


def align_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "align", *args]


def build(data: Path, work: Path, workers: int, split: str) -> Path:
    folder = work / "pairs"
    link_pairs([data / corpus for corpus in CORPORA], folder)
    db = work / "corpus.sqlite"
    subprocess.run(align_command("corpus", "build", str(folder), "--db", str(db), "--quiet", "--workers", str(workers),
                                 "--split", split), env=child_env(), check=True)
    return db


def export(db: Path, out: Path) -> list[ExportedPair]:
    subprocess.run(align_command("corpus", "export", "--db", str(db), "--format", "jsonl", "-o", str(out),
                                 *EXPORT_FILTER), env=child_env(), check=True)
    return read_jsonl(out)


def markdown(score: PrecisionScore, split: str) -> str:
    figures = score.as_dict()
    return "\n".join([
        f"Filtered export (`{' '.join(EXPORT_FILTER)}`) of FLORES-200 devtest + TICO-19 built with "
        f"`--split {split}`, scored against their line alignment:",
        "",
        "| exported | strict | inside a line | wrong | strict precision | gold line pairs | exported exactly "
        "| recall |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {figures['exported']} | {figures['strict']} | {figures['inside_a_line']} | {figures['wrong']} "
        f"| {figures['strict_precision']:.4f} | {figures['gold_line_pairs']} | {figures['gold_exported']} "
        f"| {figures['recall']:.4f} |",
    ])


def show_misses(score: PrecisionScore, count: int) -> str:
    out = []
    for kind, pair, line in score.misses[:count]:
        out += [f"[{kind}] {pair.document}", f"  EN: {pair.en}", f"  AR: {pair.ar}"]
        if line is not None:
            out += [f"  line EN: {line[0]}", f"  line AR: {line[1]}"]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--db", type=Path, default=None, help="Score this database instead of building one.")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--split", default="auto", help="The build's --split (default: auto, the default).")
    parser.add_argument("--misses", type=int, default=0, help="Print this many pairs that are not strict.")
    parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")
    parser.add_argument("--markdown", type=Path, default=None, help="Also write the table here.")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="corpus-precision-") as tmp:
        work = Path(tmp)
        db = args.db or build(args.data, work, args.workers, args.split)
        score = score_pairs(export(db, work / "export.jsonl"), gold_lines(args.data / c for c in CORPORA))
    text = markdown(score, args.split)
    print(json.dumps(score.as_dict(), indent=1) if args.json else text)
    if args.misses:
        print(show_misses(score, args.misses))
    if args.markdown:
        args.markdown.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
