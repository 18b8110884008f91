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

Usage:
  python benchmarks/make_cases.py --data /work/shared/data --out DIR [--seed N]
      [--limit-bible K]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import shutil
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

# One gold bead: the English lines and the Arabic lines it holds.
Unit = tuple[list[str], list[str]]
Pair = tuple[str, str]

EN, AR = "en", "ar"
SIDES = (EN, AR)


# --------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Doc:
    """A gold 1-1 document: ``pairs[i]`` is (English line, Arabic line)."""

    name: str
    pairs: list[Pair]


def read_lines(path: Path) -> list[str]:
    """Read a one-segment-per-line file, stripped; refuse blank lines."""
    # split("\n") rather than splitlines(): the latter also breaks on U+2028,
    # U+0085 etc., which would silently shift the 1-1 correspondence.
    lines = path.read_text(encoding="utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    stripped = [line.strip() for line in lines]
    if any(not line for line in stripped):
        raise ValueError(f"{path}: blank line in source data")
    return stripped


def load_folder(folder: Path, limit: int | None = None) -> list[Doc]:
    """Load every ``<doc>.en.txt``/``<doc>.ar.txt`` pair in a folder, sorted."""
    docs: list[Doc] = []
    # Only *.en.txt are pairs; README.md, documents.tsv etc. are skipped.
    for en_path in sorted(folder.glob("*.en.txt")):
        name = en_path.name[: -len(".en.txt")]
        ar_path = folder / f"{name}.ar.txt"
        en, ar = read_lines(en_path), read_lines(ar_path)
        if len(en) != len(ar):
            raise ValueError(f"{name}: {len(en)} en vs {len(ar)} ar lines")
        docs.append(Doc(name, list(zip(en, ar))))
        if limit is not None and len(docs) >= limit:
            break
    if not docs:
        raise FileNotFoundError(f"no *.en.txt pairs in {folder}")
    return docs


def flores_domain(doc: Doc) -> str:
    """Domain from a flores name ``NNN_<domain>_<slug>``."""
    return doc.name.split("_")[1]


def bible_book(doc: Doc) -> str:
    """Book key from a bible name ``BB_<Book>_CCC`` (book names may hold '_')."""
    return doc.name.rsplit("_", 1)[0]


# --------------------------------------------------------------------------
# Small random helpers
# --------------------------------------------------------------------------


def binomial(rng: random.Random, n: int, p: float) -> int:
    """Number of successes in ``n`` Bernoulli(p) draws."""
    return sum(rng.random() < p for _ in range(n))


def other(side: str) -> str:
    return AR if side == EN else EN


def one_sided(side: str, lines: list[str]) -> Unit:
    """A bead holding ``lines`` on ``side`` and nothing on the other."""
    return (lines, []) if side == EN else ([], lines)


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
    for side, text in zip(SIDES, pair):
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

EN_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
AR_WEEKDAYS = ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]
EN_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
AR_MONTHS = [
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
]
EN_SECTIONS = ["World", "Health", "Science", "Politics", "Travel", "Technology", "Culture"]
AR_SECTIONS = ["العالم", "الصحة", "العلوم", "السياسة", "السفر", "التكنولوجيا", "الثقافة"]
EN_BYLINES = ["Staff Reporter", "Our Correspondent", "News Desk", "Wire Services"]
EMAILS = ["press@example.org", "media@example.com", "news@example.net", "info@example.org"]

Maker = Callable[[random.Random], str]


def random_stamp(rng: random.Random) -> dt.datetime:
    """A plausible publication time between 2015 and 2023."""
    day = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(9 * 365))
    return dt.datetime(day.year, day.month, day.day, rng.randrange(24), rng.randrange(60))


def en_date(rng: random.Random) -> str:
    t = random_stamp(rng)
    return f"{EN_WEEKDAYS[t.weekday()]}, {t.day} {EN_MONTHS[t.month - 1]} {t.year} {t:%H:%M}"


def ar_date(rng: random.Random) -> str:
    t = random_stamp(rng)
    return f"{AR_WEEKDAYS[t.weekday()]}، {t.day} {AR_MONTHS[t.month - 1]} {t.year} - {t:%H:%M}"


EN_HEADERS: list[Maker] = [
    en_date,
    lambda r: "Press release",
    lambda r: "FOR IMMEDIATE RELEASE",
    lambda r: f"Home > News > {r.choice(EN_SECTIONS)}",
    lambda r: f"By {r.choice(EN_BYLINES)}",
    lambda r: f"Last updated: {r.randint(1, 28)} {r.choice(EN_MONTHS)} {r.randint(2015, 2023)}",
    lambda r: f"Reading time: {r.randint(2, 12)} min",
]
EN_FOOTERS: list[Maker] = [
    lambda r: "Share this article",
    lambda r: "Follow us on Twitter",
    lambda r: "# # #",
    lambda r: f"© {r.randint(2015, 2023)} All rights reserved.",
    lambda r: f"For media inquiries contact {r.choice(EMAILS)}",
    lambda r: f"{r.randint(2, 240)} comments",
    lambda r: f"Tags: {', '.join(r.sample([s.lower() for s in EN_SECTIONS], 2))}",
]
AR_HEADERS: list[Maker] = [
    ar_date,
    lambda r: "بيان صحفي",
    lambda r: "للنشر الفوري",
    lambda r: f"الصفحة الرئيسية › الأخبار › {r.choice(AR_SECTIONS)}",
    lambda r: f"آخر تحديث: {r.randint(1, 28)} {r.choice(AR_MONTHS)} {r.randint(2015, 2023)}",
]
AR_FOOTERS: list[Maker] = [
    lambda r: f"جميع الحقوق محفوظة © {r.randint(2015, 2023)}",
    lambda r: "شارك هذا المقال",
    lambda r: "تابعونا على تويتر",
    lambda r: f"للاستفسارات الإعلامية: {r.choice(EMAILS)}",
    lambda r: "اقرأ أيضاً",
    lambda r: "# # #",
]

BOILERPLATE_P = 0.7
BOILERPLATE_EN_P = 0.75  # news sites in English carry more page furniture


def make_lines(rng: random.Random, makers: list[Maker], count: int) -> list[str]:
    """``count`` distinct boilerplate lines (sampling avoids repeats)."""
    return [make(rng) for make in rng.sample(makers, min(count, len(makers)))]


def add_boilerplate(units: list[Unit], rng: random.Random) -> list[Unit]:
    """With prob 0.7 add a header and/or footer block to one side.

    Every boilerplate line is its own 1-0 or 0-1 bead.
    """
    if rng.random() >= BOILERPLATE_P:
        return units
    side = EN if rng.random() < BOILERPLATE_EN_P else AR
    headers, footers = (EN_HEADERS, EN_FOOTERS) if side == EN else (AR_HEADERS, AR_FOOTERS)
    where = rng.choice(["header", "footer", "both"])
    top = make_lines(rng, headers, rng.randint(1, 4)) if where != "footer" else []
    bottom = make_lines(rng, footers, rng.randint(1, 3)) if where != "header" else []
    return [one_sided(side, [line]) for line in top] + units + [one_sided(side, [line]) for line in bottom]


# --------------------------------------------------------------------------
# Building source documents
# --------------------------------------------------------------------------


def flores_articles(flores: list[Doc], rng: random.Random, count: int, lo: int = 15, hi: int = 35) -> list[Doc]:
    """Concatenate consecutive flores docs of one domain into articles.

    Domains are used in the order wikinews, wikivoyage, wikibooks so the
    news-like text comes first. Each article grows to a random target in
    [lo, hi] sentences without passing ``hi``.
    """
    articles: list[Doc] = []
    for domain in ("wikinews", "wikivoyage", "wikibooks"):
        docs = [d for d in flores if flores_domain(d) == domain]
        current: list[Pair] = []
        first = ""
        target = rng.randint(lo, hi)
        for doc in docs:
            if current and len(current) + len(doc.pairs) > hi:
                if len(current) >= lo:
                    articles.append(Doc(f"flores_{domain}_from_{first[:3]}", current))
                current, target = [], rng.randint(lo, hi)
            if not current:
                first = doc.name
            current = current + doc.pairs
            if len(current) >= target:
                articles.append(Doc(f"flores_{domain}_from_{first[:3]}", current))
                current, target = [], rng.randint(lo, hi)
        # A leftover shorter than lo is dropped: too short to be an article.
        if len(current) >= lo:
            articles.append(Doc(f"flores_{domain}_from_{first[:3]}", current))
    return articles[:count]


def tico_chunks(tico: list[Doc], rng: random.Random, lo: int = 20, hi: int = 60) -> list[Doc]:
    """Cut tico docs into contiguous slices, interleaved across documents.

    Docs shorter than ``lo`` and the CMU phrase list are skipped. A tail
    shorter than ``lo`` is absorbed into the previous slice while it stays
    under 80 lines. Round-robin interleaving (docs in a shuffled order) makes
    any prefix of the result cover many source documents.
    """
    per_doc: list[list[Doc]] = []
    for doc in tico:
        if "CMU" in doc.name or len(doc.pairs) < lo:
            continue
        slices: list[Doc] = []
        pos, n = 0, len(doc.pairs)
        while n - pos >= lo:
            k = rng.randint(lo, hi)
            if n - (pos + k) < lo and n - pos <= 80:
                k = n - pos
            k = min(k, n - pos)
            slices.append(Doc(f"tico_{doc.name}_L{pos:03d}", doc.pairs[pos : pos + k]))
            pos += k
        per_doc.append(slices)
    rng.shuffle(per_doc)
    out: list[Doc] = []
    for round_ in range(max(len(s) for s in per_doc)):
        out.extend(s[round_] for s in per_doc if round_ < len(s))
    return out


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


def truncate(doc: Doc, size: int) -> Doc:
    return Doc(doc.name, doc.pairs[:size])


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


def set_rng(seed: int, name: str) -> random.Random:
    """Independent, reproducible stream per set (str seeds hash via sha512)."""
    return random.Random(f"{seed}:{name}")


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
# Writing, validation, statistics
# --------------------------------------------------------------------------


def render(units: list[Unit]) -> tuple[list[str], list[str], list[str]]:
    """Lines of the two files and the gold lines for a list of beads."""
    en: list[str] = []
    ar: list[str] = []
    gold: list[str] = []
    for en_part, ar_part in units:
        if not en_part and not ar_part:
            raise ValueError("empty bead")
        en_ids = list(range(len(en), len(en) + len(en_part)))
        ar_ids = list(range(len(ar), len(ar) + len(ar_part)))
        en += [line.strip() for line in en_part]
        ar += [line.strip() for line in ar_part]
        gold.append(f"{en_ids}:{ar_ids}")
    if any(not line for line in en + ar):
        raise ValueError("empty line produced")
    return en, ar, gold


def write_lines(path: Path, lines: list[str]) -> None:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def write_case(folder: Path, name: str, units: list[Unit]) -> None:
    en, ar, gold = render(units)
    write_lines(folder / f"{name}.en.txt", en)
    write_lines(folder / f"{name}.ar.txt", ar)
    write_lines(folder / f"{name}.gold", gold)


GOLD_RE = re.compile(r"^\[([0-9, ]*)\]:\[([0-9, ]*)\]$")


def parse_ids(text: str) -> list[int]:
    return [int(x) for x in text.split(", ")] if text else []


def read_gold(path: Path) -> list[tuple[list[int], list[int]]]:
    """Parse a gold file, insisting on the exact ``str(list)`` spelling."""
    beads = []
    for n, line in enumerate(path.read_text(encoding="utf-8").split("\n")[:-1], 1):
        m = GOLD_RE.match(line)
        if not m:
            raise ValueError(f"{path}:{n}: bad gold line {line!r}")
        en_ids, ar_ids = parse_ids(m.group(1)), parse_ids(m.group(2))
        if f"{en_ids}:{ar_ids}" != line:
            raise ValueError(f"{path}:{n}: non-canonical gold line {line!r}")
        beads.append((en_ids, ar_ids))
    return beads


def validate_case(folder: Path, name: str) -> list[tuple[list[int], list[int]]]:
    """Re-read a written case and check files and gold agree; return the beads."""
    counts = {}
    for side in SIDES:
        path = folder / f"{name}.{side}.txt"
        text = path.read_text(encoding="utf-8")
        if not text.endswith("\n"):
            raise ValueError(f"{path}: no trailing newline")
        lines = text.split("\n")[:-1]
        if any(not line.strip() or line != line.strip() for line in lines):
            raise ValueError(f"{path}: blank or unstripped line")
        counts[side] = len(lines)
    gold_path = folder / f"{name}.gold"
    beads = read_gold(gold_path)
    en_seen = [i for e, _ in beads for i in e]
    ar_seen = [i for _, a in beads for i in a]
    if en_seen != list(range(counts[EN])) or ar_seen != list(range(counts[AR])):
        raise ValueError(f"{gold_path}: gold does not cover every line exactly once in order")
    if any(not e and not a for e, a in beads):
        raise ValueError(f"{gold_path}: empty bead")
    return beads


def bead_kind(n_en: int, n_ar: int) -> str:
    return "m-n" if n_en >= 2 and n_ar >= 2 else f"{n_en}-{n_ar}"


@dataclass
class SetStats:
    pairs: int = 0
    en_lines: int = 0
    ar_lines: int = 0
    kinds: Counter[str] = field(default_factory=Counter)

    def add(self, beads: list[tuple[list[int], list[int]]]) -> None:
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
