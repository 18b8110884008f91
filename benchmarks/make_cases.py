"""Build English/Arabic alignment benchmark cases from gold 1-1 parallel data.

Reads the three corpora under ``--data`` (flores200-devtest, tico19,
bible-vandyck-kjv), turns their 1-1 sentence/verse pairs into documents,
perturbs them in controlled ways (deletions, merges, splits, boilerplate) and
writes, per case set, ``NAME.en.txt``, ``NAME.ar.txt`` and ``NAME.gold``.

Gold format: one bead per line, in document order, ``[en ids]:[ar ids]`` with
0-based line numbers of the generated files, e.g. ``[0, 1]:[0]`` or ``[2]:[]``.

Sets:
  news         flores/tico articles with deletions, merges, splits, boilerplate
  merges       bible chapters and tico slices with heavy Arabic-side merges
  clean        unperturbed tico slices (exact 1-1), for false-unmatched rates
  scale        3 long (~2,000 English lines) perturbed pairs, for timing
  flores-docs  all flores docs copied unchanged (1-1), for batch speed

Only the standard library is used, and every random choice comes from a
``random.Random`` seeded from ``--seed`` and the set name, so output is
reproducible and one set can change without reshuffling the others.

Usage (from the repository root):
  python -m benchmarks.make_cases --data /work/shared/data --out DIR [--seed N]
      [--limit-bible K]
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from align.evaluate import GoldBead
from benchmarks.boilerplate import BoilerplateRates, draw_boilerplate
from benchmarks.cases import (
    AR,
    EN,
    SIDES,
    Doc,
    Pair,
    Unit,
    flores_articles,
    load_folder,
    one_sided,
    other,
    set_rng,
    tico_chunks,
    truncate,
    validate_case,
    write_case,
)


def bible_book(doc: Doc) -> str:
    """Book key from a bible name ``BB_<Book>_CCC`` (book names may hold '_')."""
    return doc.name.rsplit("_", 1)[0]


# --------------------------------------------------------------------------
# Small random helpers
# --------------------------------------------------------------------------


def binomial(rng: random.Random, n: int, p: float) -> int:
    """Number of successes in ``n`` Bernoulli(p) draws."""
    return sum(rng.random() < p for _ in range(n))


def join(lines: Iterable[str]) -> str:
    """Join segments into one line with single spaces (both languages)."""
    return " ".join(line.strip() for line in lines)


# --------------------------------------------------------------------------
# Splitting a sentence at a comma
# --------------------------------------------------------------------------

COMMA = {EN: ",", AR: "\u060c"}  # Arabic comma "،"
MIN_SPLIT_WORDS = 4


def split_at_comma(text: str, side: str) -> tuple[str, str] | None:
    """Split ``text`` at the comma nearest its middle, comma kept on the left.

    Only commas between 30% and 70% of the length count ("around the middle")
    and both halves need ``MIN_SPLIT_WORDS`` words, so the halves look like
    real clauses rather than fragments.
    """
    best: tuple[float, str, str] | None = None
    for m in re.finditer(re.escape(COMMA[side]), text):
        end = m.end()
        # An English comma not followed by a space is a digit group ("1,000").
        if side == EN and text[end : end + 1] != " ":
            continue
        rel = end / len(text)
        left, right = text[:end].strip(), text[end:].strip()
        if not 0.3 <= rel <= 0.7:
            continue
        if len(left.split()) < MIN_SPLIT_WORDS or len(right.split()) < MIN_SPLIT_WORDS:
            continue
        cand = (abs(rel - 0.5), left, right)
        if best is None or cand[0] < best[0]:
            best = cand
    return None if best is None else (best[1], best[2])


def split_options(pair: Pair) -> dict[str, tuple[str, str]]:
    """Sides of a pair that can be split, with their two halves."""
    options: dict[str, tuple[str, str]] = {}
    for side, text in zip(SIDES, pair, strict=True):
        halves = split_at_comma(text, side)
        if halves:
            options[side] = halves
    return options


# --------------------------------------------------------------------------
# Perturbations
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class NewsRates:
    """Event rates per source sentence for the news-style perturbations."""

    delete: float = 0.08
    merge: float = 0.08
    split: float = 0.04
    merge3_share: float = 0.2  # share of merges that join three, not two


@dataclass(frozen=True)
class Op:
    """A planned perturbation starting at one source position."""

    kind: str  # "delete" | "merge" | "split"
    side: str
    k: int = 1  # source sentences covered (merges only)
    halves: tuple[str, str] = ("", "")  # split only


def plan_news_ops(pairs: list[Pair], rng: random.Random, rates: NewsRates) -> dict[int, Op]:
    """Choose non-overlapping deletions, merges and splits for a document.

    Splits are placed first because only some sentences have a usable comma;
    merges next because they need runs of free positions; deletions last.
    """
    n = len(pairs)
    taken = [False] * n
    ops: dict[int, Op] = {}

    splittable = {i: opts for i, p in enumerate(pairs) if (opts := split_options(p))}
    n_split = min(binomial(rng, n, rates.split), len(splittable))
    for i in rng.sample(sorted(splittable), n_split):
        side = rng.choice(sorted(splittable[i]))
        ops[i] = Op("split", side, halves=splittable[i][side])
        taken[i] = True

    for _ in range(binomial(rng, n, rates.merge)):
        k = 3 if rng.random() < rates.merge3_share else 2
        starts = [s for s in range(n - k + 1) if not any(taken[s : s + k])]
        if not starts:
            continue
        s = rng.choice(starts)
        ops[s] = Op("merge", rng.choice(SIDES), k=k)
        taken[s : s + k] = [True] * k

    free = [i for i in range(n) if not taken[i]]
    # Keep at least one intact pair so no document degenerates to noise.
    n_del = min(binomial(rng, n, rates.delete), max(0, len(free) - 1))
    for i in rng.sample(free, n_del):
        ops[i] = Op("delete", rng.choice(SIDES))
    return ops


def merged_unit(pairs: list[Pair], side: str) -> Unit:
    """Join ``pairs`` into one line on ``side``; keep separate lines on the other."""
    en = [p[0] for p in pairs]
    ar = [p[1] for p in pairs]
    return ([join(en)], ar) if side == EN else (en, [join(ar)])


def apply_ops(pairs: list[Pair], ops: dict[int, Op]) -> list[Unit]:
    """Turn planned ops into gold beads, in document order."""
    units: list[Unit] = []
    i = 0
    while i < len(pairs):
        op = ops.get(i)
        en, ar = pairs[i]
        if op is None:
            units.append(([en], [ar]))
        elif op.kind == "delete":
            # The deleted side is op.side; its partner survives unmatched.
            units.append(one_sided(other(op.side), [en if op.side == AR else ar]))
        elif op.kind == "split":
            halves = list(op.halves)
            units.append((halves, [ar]) if op.side == EN else ([en], halves))
        elif op.kind == "merge":
            units.append(merged_unit(pairs[i : i + op.k], op.side))
            i += op.k
            continue
        else:  # pragma: no cover - plan_news_ops only makes the kinds above
            raise ValueError(op.kind)
        i += 1
    return units


def perturb_news(pairs: list[Pair], rng: random.Random, rates: NewsRates) -> list[Unit]:
    """News-style perturbation: sparse deletions, 2-3 merges and comma splits."""
    return apply_ops(pairs, plan_news_ops(pairs, rng, rates))


# Merge lengths for the "merges" set: mostly 2-4, a tail up to 9.
MERGE_K_WEIGHTS = {2: 50, 3: 25, 4: 13, 5: 4, 6: 3, 7: 2, 8: 1.5, 9: 1.5}
MERGE_START_P = 0.45
MERGE_ENGLISH_SIDE_P = 0.1
# Per non-merge step; with ~1.9 source lines per step and 55% non-merge steps
# this deletes about 3% of the source sentences.
MERGE_SET_DELETE_P = 0.10


def draw_merge_k(rng: random.Random) -> int:
    ks = list(MERGE_K_WEIGHTS)
    return rng.choices(ks, weights=[MERGE_K_WEIGHTS[k] for k in ks])[0]


def perturb_merges(pairs: list[Pair], rng: random.Random) -> list[Unit]:
    """Heavy merging, mostly on the Arabic side, plus a few deletions."""
    units: list[Unit] = []
    i, n = 0, len(pairs)
    while i < n:
        if n - i >= 2 and rng.random() < MERGE_START_P:
            k = min(draw_merge_k(rng), n - i)
            side = EN if rng.random() < MERGE_ENGLISH_SIDE_P else AR
            units.append(merged_unit(pairs[i : i + k], side))
            i += k
            continue
        en, ar = pairs[i]
        if rng.random() < MERGE_SET_DELETE_P:
            deleted = rng.choice(SIDES)
            units.append(one_sided(other(deleted), [en if deleted == AR else ar]))
        else:
            units.append(([en], [ar]))
        i += 1
    return units


def unperturbed(pairs: list[Pair]) -> list[Unit]:
    return [([en], [ar]) for en, ar in pairs]


# --------------------------------------------------------------------------
# Boilerplate
# --------------------------------------------------------------------------

# 70% of documents; 75% of those on the English side: news sites in English carry more page furniture.
BOILERPLATE = BoilerplateRates(share=0.7, english=0.75)


def add_boilerplate(units: list[Unit], rng: random.Random) -> list[Unit]:
    """With prob 0.7 add a header and/or footer block to one side.

    Every boilerplate line is its own 1-0 or 0-1 bead.
    """
    block = draw_boilerplate(rng, BOILERPLATE)
    if block is None:
        return units
    top = [one_sided(block.side, [line]) for line in block.header]
    bottom = [one_sided(block.side, [line]) for line in block.footer]
    return top + units + bottom


# --------------------------------------------------------------------------
# Building source documents
# --------------------------------------------------------------------------


def pick_bible_chapters(bible: list[Doc], rng: random.Random, count: int, lo: int = 15, hi: int = 80) -> list[Doc]:
    """One chapter of ``lo``-``hi`` verses from each of ``count`` random books.

    Spreading over books mixes law, poetry, prophecy, gospel and epistle
    styles; if there are fewer books than ``count`` the rest is filled from
    any remaining eligible chapters.
    """
    eligible = [d for d in bible if lo <= len(d.pairs) <= hi]
    by_book: dict[str, list[Doc]] = {}
    for doc in eligible:
        by_book.setdefault(bible_book(doc), []).append(doc)
    books = rng.sample(sorted(by_book), min(count, len(by_book)))
    chosen = [rng.choice(by_book[b]) for b in books]
    rest = [d for d in eligible if d not in chosen]
    chosen += rng.sample(rest, min(count - len(chosen), len(rest)))
    return sorted(chosen, key=lambda d: d.name)


def concat_docs(docs: list[Doc], start: int, size: int) -> tuple[str, list[Pair]]:
    """Pairs of consecutive docs from ``docs[start]`` until ``size`` lines."""
    pairs: list[Pair] = []
    i = start
    while len(pairs) < size and i < len(docs):
        pairs += docs[i].pairs
        i += 1
    return docs[start].name, pairs[:size]


# --------------------------------------------------------------------------
# Case sets
# --------------------------------------------------------------------------

N_NEWS_FLORES = 40
N_NEWS_TICO = 10
N_MERGE_CHAPTERS = 60
N_MERGE_TICO = 6
N_CLEAN = 40
SCALE_LINES = 2000


@dataclass
class Sources:
    flores: list[Doc]
    tico: list[Doc]
    bible: list[Doc]
    tico_pool: list[Doc]  # disjoint slices handed out to news, merges, clean


def build_news(src: Sources, seed: int) -> dict[str, list[Unit]]:
    rng = set_rng(seed, "news")
    rates = NewsRates()
    docs = flores_articles(src.flores, rng, N_NEWS_FLORES)
    docs += src.tico_pool[:N_NEWS_TICO]
    cases: dict[str, list[Unit]] = {}
    for i, doc in enumerate(docs):
        units = add_boilerplate(perturb_news(doc.pairs, rng, rates), rng)
        cases[f"{i:02d}_{doc.name}"] = units
    return cases


def build_merges(src: Sources, seed: int) -> dict[str, list[Unit]]:
    rng = set_rng(seed, "merges")
    docs = pick_bible_chapters(src.bible, rng, N_MERGE_CHAPTERS)
    docs += src.tico_pool[N_NEWS_TICO : N_NEWS_TICO + N_MERGE_TICO]
    return {f"{i:02d}_{d.name}": perturb_merges(d.pairs, rng) for i, d in enumerate(docs)}


def build_clean(src: Sources, seed: int) -> dict[str, list[Unit]]:
    rng = set_rng(seed, "clean")
    start = N_NEWS_TICO + N_MERGE_TICO
    docs = src.tico_pool[start : start + N_CLEAN]
    # Shorter than news/merges slices to keep the whole benchmark modest.
    docs = [truncate(d, rng.randint(15, 40)) for d in docs]
    return {f"{i:02d}_{d.name}": unperturbed(d.pairs) for i, d in enumerate(docs)}


def build_scale(src: Sources, seed: int) -> dict[str, list[Unit]]:
    """Two long bible runs (first and second half of the canon) and one tico run."""
    rng = set_rng(seed, "scale")
    rates = NewsRates()
    half = len(src.bible) // 2
    starts = [rng.randrange(0, max(1, half // 2)), half + rng.randrange(0, max(1, half // 2))]
    # Dedupe: with a tiny --limit-bible both starts can land on chapter 0.
    runs = [concat_docs(src.bible, s, SCALE_LINES) for s in sorted(set(starts))]
    tico_docs = [d for d in src.tico if "CMU" not in d.name]
    runs.append(concat_docs(tico_docs, 0, SCALE_LINES))
    cases: dict[str, list[Unit]] = {}
    for i, (first, pairs) in enumerate(runs):
        kind = "tico" if first in {d.name for d in tico_docs} else "bible"
        cases[f"{i:02d}_{kind}_from_{first}_{len(pairs)}"] = perturb_news(pairs, rng, rates)
    return cases


def build_flores_docs(src: Sources, seed: int) -> dict[str, list[Unit]]:
    return {d.name: unperturbed(d.pairs) for d in src.flores}


SETS: dict[str, tuple[Callable[[Sources, int], dict[str, list[Unit]]], str]] = {
    "news": (
        build_news,
        (
            "flores articles (consecutive same-domain docs, 15-35 sentences) and tico slices, "
            "with ~8% deletions, ~8% 2-3 merges, ~4% comma splits, and header/footer "
            "boilerplate on one side in 70% of pairs"
        ),
    ),
    "merges": (
        build_merges,
        (
            "bible chapters (one per book) and tico slices; runs of 2-9 lines merged into one "
            "line, 90% on the Arabic side, plus ~3% deletions"
        ),
    ),
    "clean": (
        build_clean,
        "unperturbed tico slices (15-40 lines), exact 1-1 gold; disjoint from the tico slices in news/merges",
    ),
    "scale": (
        build_scale,
        (
            "3 long pairs (~2,000 source lines: two bible runs, one tico run) with the news "
            "deletions/merges/splits, no boilerplate; for timing"
        ),
    ),
    "flores-docs": (build_flores_docs, "all 281 flores devtest docs copied unchanged, 1-1 gold"),
}


# --------------------------------------------------------------------------
# Statistics
# --------------------------------------------------------------------------


def bead_kind(n_en: int, n_ar: int) -> str:
    return "m-n" if n_en >= 2 and n_ar >= 2 else f"{n_en}-{n_ar}"


@dataclass
class SetStats:
    pairs: int = 0
    en_lines: int = 0
    ar_lines: int = 0
    kinds: Counter[str] = field(default_factory=Counter)

    def add(self, beads: list[GoldBead]) -> None:
        self.pairs += 1
        self.en_lines += sum(len(e) for e, _ in beads)
        self.ar_lines += sum(len(a) for _, a in beads)
        self.kinds.update(bead_kind(len(e), len(a)) for e, a in beads)


def by_n(kinds: Counter[str], suffix: bool) -> str:
    """``n-1`` (suffix=True) or ``1-n`` counts as ``2:x 3:y``, or ``-``."""
    items = []
    for kind, c in kinds.items():
        if kind == "m-n":
            continue
        a, b = (int(x) for x in kind.split("-"))
        n, one = (a, b) if suffix else (b, a)
        if one == 1 and n >= 2:
            items.append((n, c))
    return " ".join(f"{n}:{c}" for n, c in sorted(items)) or "-"


def summary_table(stats: dict[str, SetStats]) -> str:
    header = "| set | pairs | en lines | ar lines | 1-1 | 1-0 | 0-1 | n-1 (n:count) | 1-n (n:count) | m-n |"
    rule = "|" + "---|" * 10
    rows = [header, rule]
    for name, s in stats.items():
        k = s.kinds
        rows.append(
            f"| {name} | {s.pairs} | {s.en_lines} | {s.ar_lines} | {k['1-1']} | {k['1-0']} "
            f"| {k['0-1']} | {by_n(k, True)} | {by_n(k, False)} | {k['m-n']} |"
        )
    return "\n".join(rows)


def readme_text(stats: dict[str, SetStats], seed: int, table: str) -> str:
    total_en = sum(s.en_lines for n, s in stats.items() if n != "scale")
    described = "\n".join(f"- `{name}`: {SETS[name][1]}." for name in stats)
    return f"""# Alignment benchmark cases

Generated by `benchmarks/make_cases.py` (seed {seed}). Each set folder holds
`NAME.en.txt`, `NAME.ar.txt` (one segment per line) and `NAME.gold`: one bead per
line in document order, `[en ids]:[ar ids]` with 0-based line numbers, e.g.
`[0, 1]:[0]` (two English lines to one Arabic line), `[2]:[]` (English only).

Bead kinds: `n-1` = n English lines to one Arabic line (an Arabic-side merge or
an English-side split); `1-n` the reverse; `1-0`/`0-1` = a line with no
counterpart (deletion on the other side, or boilerplate).

{described}

{table}

English lines in all sets except `scale`: {total_en}.

Sources: FLORES-200 devtest (CC BY-SA 4.0), TICO-19 (CC0), Smith-Van Dyck /
KJV bible (public domain); see the README of each folder under the data dir.
"""


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------


def load_sources(data: Path, seed: int, limit_bible: int | None) -> Sources:
    flores = load_folder(data / "flores200-devtest")
    tico = load_folder(data / "tico19")
    bible = load_folder(data / "bible-vandyck-kjv", limit_bible)
    pool = tico_chunks(tico, set_rng(seed, "tico-pool"))
    return Sources(flores, tico, bible, pool)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data", type=Path, required=True, help="folder with the three corpora")
    p.add_argument("--out", type=Path, required=True, help="output folder for the case sets")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument(
        "--limit-bible", type=int, default=None, metavar="K", help="read only the first K bible chapters (quick runs)"
    )
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    t0 = time.perf_counter()
    src = load_sources(args.data, args.seed, args.limit_bible)
    args.out.mkdir(parents=True, exist_ok=True)
    stats: dict[str, SetStats] = {}
    for set_name, (build, _) in SETS.items():
        folder = args.out / set_name
        # Start each set afresh so files from an earlier run cannot linger.
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir()
        stats[set_name] = SetStats()
        for name, units in build(src, args.seed).items():
            write_case(folder, name, units)
            stats[set_name].add(validate_case(folder, name))
    table = summary_table(stats)
    (args.out / "README.md").write_text(readme_text(stats, args.seed, table), encoding="utf-8")
    print(table)
    total_en = sum(s.en_lines for n, s in stats.items() if n != "scale")
    print(f"\nEnglish lines except scale: {total_en}; wrote {args.out} in {time.perf_counter() - t0:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
