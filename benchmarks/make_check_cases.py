"""Build English/Arabic cases for the content checks (unmatched, partial, number, substituted).

Reads flores200-devtest and tico19 under ``--data``, turns them into ~50 news-like
articles (consecutive same-domain flores docs of 15-35 sentences, plus tico slices of
20-60 lines) and plants known differences in them:

  unmatched    1-2 sentences deleted on one (random) side: gold ``[i]:[]`` / ``[]:[j]``
  partial      2-3 pairs lose one comma/semicolon clause on ONE side (70% Arabic); the
               expected flag is on the other side, which still holds the clause
  number       ~2 pairs whose two sides show the same number get that number changed on
               one side (15 -> 18, 2019 -> 2017, 3.5 -> 4.5), keeping its format
  substituted  1-2 pairs get their Arabic sentence replaced by one of similar length from
               a different document; gold stays 1-1
  boilerplate  header/footer lines on one side in ~60% of articles (as make_cases);
               recorded as ``unmatched`` perturbations

Each perturbation sits on its own source pair, and no two perturbed pairs are adjacent.
Numbers are only changed by the ``number`` perturbation: dropped clauses hold no digits and
substituted pairs (both the original and the replacement) hold no digits, so a number flag
anywhere else is a false alarm.

Per case ``NAME`` the output folder gets ``NAME.en.txt``, ``NAME.ar.txt`` (one segment per
line), ``NAME.gold`` (``[en ids]:[ar ids]`` per bead, as make_cases) and
``NAME.expect.json``::

  {"perturbations": [{"type": ..., "side": "en"|"ar", "en": [ids], "ar": [ids],
                      "detail": "...", ...}],
   "clean_pairs": [[en_id, ar_id], ...]}

``side`` is the side the flag is expected on (the side holding the text for unmatched, the
side that still has the clause for partial, the edited side for number and ``ar`` for
substituted). Extra keys (``edited``, ``removed``, ``original``, ``new``, ``origin``) are for
people; ``benchmarks.score_checks`` ignores them.

Only the standard library is used; every random choice comes from ``random.Random`` seeded
from ``--seed``, so output is reproducible.

Usage (from the repository root):
  python -m benchmarks.make_check_cases --data /work/shared/data --out DIR [--seed N]
      [--limit K]
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
    other,
    read_lines,
    set_rng,
    tico_chunks,
    truncate,
    validate_case,
    write_case,
)

Note = dict[str, Any]  # one planted perturbation, as written to NAME.expect.json

N_FLORES = 40
N_TICO = 10
TICO_MAX = 60

BOILERPLATE = BoilerplateRates(share=0.6, english=0.75)
PARTIAL_AR_P = 0.7  # share of clause drops made on the Arabic side

MIN_DROP_WORDS = 4
MIN_KEEP_WORDS = 5
SUB_LEN_RATIO = (0.8, 1.25)  # replacement Arabic length / original Arabic length


# --------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------

AR_INDIC = "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669"
FA_INDIC = "\u06f0\u06f1\u06f2\u06f3\u06f4\u06f5\u06f6\u06f7\u06f8\u06f9"
TO_WESTERN = str.maketrans(AR_INDIC + FA_INDIC + "\u066b\u066c", "0123456789" * 2 + ".,")
ANY_DIGIT = re.compile(f"[0-9{AR_INDIC}{FA_INDIC}]")

_D = f"0-9{AR_INDIC}{FA_INDIC}"
# A number token: digits with optional thousands groups and decimal part. Not glued to Latin
# letters or digits, "-", "/", ":" (COVID-19, 3/4, 10:08, H1N1); on the Arabic side a
# preceding Arabic letter is allowed (prefixes such as و / ب / ل attach to numbers).
# An Arabic comma between digits ("15،00" for 15.00) is a separator too, so such numbers are
# skipped rather than read as two.
NUMBER_RE = re.compile(
    rf"(?<![{_D}A-Za-z\-/:.,\u066b\u066c])(?<![{_D}]\u060c)"
    rf"([{_D}]+(?:[,\u066c][{_D}]{{3}})*(?:[.\u066b][{_D}]+)?)"
    rf"(?![{_D}A-Za-z\-/:\u066b\u066c]|[.,\u060c][{_D}])"
)


@dataclass(frozen=True)
class Num:
    start: int
    end: int
    raw: str

    @property
    def value(self) -> str:
        """Canonical value: Western digits, no thousands separators, ``.`` decimal point."""
        int_part, _, frac = self.raw.translate(TO_WESTERN).replace(",", "").partition(".")
        int_part, frac = int_part.lstrip("0") or "0", frac.rstrip("0")
        return f"{int_part}.{frac}" if frac else int_part

    @property
    def grouped(self) -> bool:
        return "," in self.raw.translate(TO_WESTERN)


def numbers(text: str) -> list[Num]:
    return [Num(m.start(1), m.end(1), m.group(1)) for m in NUMBER_RE.finditer(text)]


def changed_value(value: str, rng: random.Random, grouped: bool = False) -> str | None:
    """A different, plausible value with the same number of integer digits.

    Decimals move their integer part by 1-2 (3.5 -> 4.5), years by 1-3 (2019 -> 2017), single
    digits become another digit 2-9, other integers move by 10-35% in steps that keep their
    roundness (40 -> 50, 15 -> 20, 12 -> 14, 1,000 -> 2,000).
    """
    int_part, _, frac = value.partition(".")
    n = int(int_part)
    width = len(int_part)
    if frac:
        deltas = [d for d in (-2, -1, 1, 2) if n + d >= 0 and len(str(n + d)) == width]
        return f"{n + rng.choice(deltas)}.{frac}" if deltas else None
    if width == 4 and 1000 <= n <= 2100 and not grouped:
        return str(n + rng.choice([-3, -2, -1, 1, 2, 3]))
    if width == 1:
        return str(rng.choice([d for d in range(2, 10) if d != n]))
    zeros = len(int_part) - len(int_part.rstrip("0"))
    step = 10 ** max(zeros, 0)
    if zeros == 0 and width >= 2 and n % 5 == 0:
        step = 5
    for _ in range(20):
        delta = max(step, round(n * rng.uniform(0.1, 0.35) / step) * step)
        cand = n + delta if rng.random() < 0.5 else n - delta
        if cand != n and cand > 0 and len(str(cand)) == width:
            return str(cand)
    return None


def format_like(raw: str, value: str) -> str:
    """Write ``value`` with the digits and separators ``raw`` uses."""
    int_part, _, frac = value.partition(".")
    thousands = "\u066c" if "\u066c" in raw else ","
    decimal = "\u066b" if "\u066b" in raw else "."
    if Num(0, 0, raw).grouped:
        int_part = f"{int(int_part):,}".replace(",", thousands)
    places = len(raw.translate(TO_WESTERN).partition(".")[2])
    frac = frac.ljust(places, "0") if places else frac  # 15.00 stays two-place: 17.00
    out = int_part + (decimal + frac if frac else "")
    for digits in (AR_INDIC, FA_INDIC):
        if any(c in digits for c in raw):
            out = out.translate(str.maketrans("0123456789", digits))
    return out


def number_options(pair: Pair) -> list[str]:
    """Canonical values that appear exactly once on each side of ``pair``."""
    en_vals = Counter(n.value for n in numbers(pair[0]))
    ar_vals = Counter(n.value for n in numbers(pair[1]))
    return sorted(v for v in en_vals if en_vals[v] == 1 and ar_vals.get(v) == 1)


@dataclass(frozen=True)
class NumberEdit:
    side: str
    old: str  # raw token as written
    new: str
    text: str  # the edited sentence


def plan_number_edit(pair: Pair, rng: random.Random) -> NumberEdit | None:
    options = number_options(pair)
    if not options:
        return None
    value = rng.choice(options)
    side = rng.choice(SIDES)
    text = pair[0] if side == EN else pair[1]
    target = next(n for n in numbers(text) if n.value == value)
    all_values = {n.value for t in pair for n in numbers(t)}
    for _ in range(10):
        new_value = changed_value(value, rng, target.grouped)
        if new_value is not None and new_value not in all_values:
            break
    else:
        return None
    new_raw = format_like(target.raw, new_value)
    edited = text[: target.start] + new_raw + text[target.end :]
    return NumberEdit(side, target.raw, new_raw, edited)


# --------------------------------------------------------------------------
# Clause drops
# --------------------------------------------------------------------------

CLAUSE_SEP = {EN: re.compile(r"[,;](?=\s)"), AR: re.compile(r"[\u060c\u061b](?=\s)")}
QUOTES = set('"“”«»()[]{}')
FINAL_PUNCT = re.compile(r"[.!?\u061f\u2026]+$")
INNER_STOP = re.compile(r"[.!?\u061f]\s")  # a sentence end inside a piece


@dataclass(frozen=True)
class ClauseDrop:
    side: str
    removed: str
    text: str  # the sentence without the clause
    first: bool  # the dropped piece opened the sentence


# English pieces that read as an aside ("Cooper, a mathematician at X, has found"): dropping one
# from the middle also drops its opening comma ("Cooper has found").
ASIDE_START = re.compile(
    r"^(a|an|the|who|whom|whose|which|where|when|while|usually|often|especially|including|"
    r"although|though|according|as|like|for example|for instance|in turn)\b",
    re.IGNORECASE,
)
MIN_NEIGHBOUR_WORDS = 3  # a piece left next to the gap must not be a dangling "in particular"


def clause_drops(text: str, side: str) -> list[ClauseDrop]:
    """Every valid way to delete one comma/semicolon piece from ``text``.

    The separator after the dropped piece goes with it; a dropped last piece leaves the
    sentence's final punctuation in place; a dropped first piece capitalises the new start.
    """
    pieces, seps, pos = [], [], 0
    for m in CLAUSE_SEP[side].finditer(text):
        pieces.append(text[pos : m.start()].strip())
        seps.append(m.group())
        pos = m.end()
    pieces.append(text[pos:].strip())
    if len(pieces) < 2 or any(not p for p in pieces):
        return []
    final = FINAL_PUNCT.search(pieces[-1])
    last = len(pieces) - 1
    out: list[ClauseDrop] = []
    for k, piece in enumerate(pieces):
        body = FINAL_PUNCT.sub("", piece).strip() if k == last else piece
        if len(body.split()) < MIN_DROP_WORDS or ANY_DIGIT.search(piece) or QUOTES & set(piece):
            continue
        if INNER_STOP.search(body):  # would drop a whole sentence, not a clause
            continue
        if k == last and final is None:  # unpunctuated or ends in a quote: no ending to restore
            continue
        # Words left next to the gap, within the same sentence ("... iron wheels. In 1767" has 2).
        neighbours = []
        if k > 0:
            neighbours.append(INNER_STOP.split(pieces[k - 1])[-1])
        if k < last:
            neighbours.append(INNER_STOP.split(pieces[k + 1])[0])
        if any(len(FINAL_PUNCT.sub("", n).split()) < MIN_NEIGHBOUR_WORDS for n in neighbours):
            continue
        # Rebuild: keep[i] follows joiner[i - 1].
        keep = pieces[:k] + pieces[k + 1 :]
        if k == 0:
            joiners = seps[1:]
        elif k == last:
            joiners = seps[: k - 1]
        else:
            aside = side == EN and seps[k - 1] == seps[k] == "," and ASIDE_START.match(piece)
            joiners = seps[: k - 1] + ["" if aside else seps[k - 1]] + seps[k + 1 :]
        result = keep[0]
        for joiner, nxt in zip(joiners, keep[1:], strict=True):
            result += joiner + " " + nxt
        if final is not None and k == last:
            result = result.rstrip() + final.group()
        if k == 0 and side == EN and result[:1].islower():
            result = result[0].upper() + result[1:]
        if len(result.split()) < MIN_KEEP_WORDS:
            continue
        out.append(ClauseDrop(side, body, result, k == 0))
    return out


def plan_clause_drop(pair: Pair, rng: random.Random) -> ClauseDrop | None:
    options = {side: clause_drops(text, side) for side, text in zip(SIDES, pair, strict=True)}
    sides = [s for s in SIDES if options[s]]
    if not sides:
        return None
    side = (AR if rng.random() < PARTIAL_AR_P else EN) if len(sides) == 2 else sides[0]
    # Dropping the first piece tends to leave a fragment ("Never having to ..."): only do it
    # when no later piece qualifies.
    later = [d for d in options[side] if not d.first]
    return rng.choice(later or options[side])


# --------------------------------------------------------------------------
# Substitutions
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class ArLine:
    doc: str
    text: str


def substitute_pool(flores: list[Doc], tico: list[Doc]) -> tuple[list[ArLine], dict[str, str]]:
    """Digit-free Arabic sentences of every source doc, and Arabic text -> its source doc."""
    pool: list[ArLine] = []
    doc_of: dict[str, str] = {}
    for doc in flores + tico:
        for _, ar in doc.pairs:
            doc_of.setdefault(ar, doc.name)
            if not ANY_DIGIT.search(ar):
                pool.append(ArLine(doc.name, ar))
    return pool, doc_of


# --------------------------------------------------------------------------
# Planning one article
# --------------------------------------------------------------------------


@dataclass
class Planned:
    kind: str  # "unmatched" | "partial" | "number" | "substituted"
    side: str = ""  # deleted side (unmatched)
    drop: ClauseDrop | None = None
    edit: NumberEdit | None = None
    new_ar: ArLine | None = None


@dataclass
class Article:
    name: str
    units: list[Unit] = field(default_factory=list)
    notes: list[Note | None] = field(default_factory=list)  # one per unit; None = clean 1-1


def free_positions(n: int, taken: list[bool]) -> list[int]:
    """Positions that are neither taken nor next to a taken one."""
    return [i for i in range(n) if not any(taken[max(0, i - 1) : i + 2])]


def plan_article(
    pairs: list[Pair],
    rng: random.Random,
    pool: list[ArLine],
    doc_of: dict[str, str],
    source: dict[str, set[str]],
    blocked: set[int],
) -> dict[int, Planned]:
    """Place the perturbations: number, partial, substituted, unmatched (most constrained first)."""
    n = len(pairs)
    taken = [False] * n
    plans: dict[int, Planned] = {}

    def place(cands: Iterable[int], count: int, make: Callable[[int], Planned | None]) -> None:
        cands = list(cands)
        rng.shuffle(cands)
        placed = 0
        for i in cands:
            if placed >= count:
                break
            if i in blocked or i not in free_positions(n, taken):
                continue
            plan = make(i)
            if plan is None:
                continue
            plans[i] = plan
            taken[i] = True
            placed += 1

    def make_number(i: int) -> Planned | None:
        edit = plan_number_edit(pairs[i], rng)
        return None if edit is None else Planned("number", edit=edit)

    def make_partial(i: int) -> Planned | None:
        drop = plan_clause_drop(pairs[i], rng)
        return None if drop is None else Planned("partial", drop=drop)

    own_docs = {doc_of.get(ar) for _, ar in pairs}

    def make_substituted(i: int) -> Planned | None:
        en, ar = pairs[i]
        if ANY_DIGIT.search(en) or ANY_DIGIT.search(ar):
            return None
        lo, hi = SUB_LEN_RATIO
        cands = [
            c
            for c in pool
            if c.doc not in own_docs and lo <= len(c.text) / len(ar) <= hi and en not in source.get(c.text, ())
        ]
        return Planned("substituted", new_ar=rng.choice(cands)) if cands else None

    place(
        [i for i, p in enumerate(pairs) if number_options(p)],
        2,
        make_number,
    )
    place(range(n), rng.randint(2, 3), make_partial)
    place(range(n), rng.randint(1, 2), make_substituted)
    place(range(n), rng.randint(1, 2), lambda i: Planned("unmatched", side=rng.choice(SIDES)))
    return plans


def ids_note(kind: str, side: str, detail: str, **extra: str) -> Note:
    return {"type": kind, "side": side, "detail": detail, **extra}


def build_article(
    name: str,
    pairs: list[Pair],
    rng: random.Random,
    pool: list[ArLine],
    doc_of: dict[str, str],
    source: dict[str, set[str]],
) -> Article:
    # Boilerplate first: it decides which end pairs must stay clean (no perturbation next to it).
    block = draw_boilerplate(rng, BOILERPLATE)
    top = block.header if block else []
    bottom = block.footer if block else []
    bp_side = block.side if block else ""
    blocked = ({0} if top else set()) | ({len(pairs) - 1} if bottom else set())
    plans = plan_article(pairs, rng, pool, doc_of, source, blocked)

    art = Article(name)

    def add(unit: Unit, note: Note | None) -> None:
        art.units.append(unit)
        art.notes.append(note)

    def add_boilerplate(lines: list[str], where: str) -> None:
        for line in lines:
            unit: Unit = ([line], []) if bp_side == EN else ([], [line])
            add(unit, ids_note("unmatched", bp_side, f"boilerplate {where}", origin="boilerplate"))

    add_boilerplate(top, "header")
    for i, (en, ar) in enumerate(pairs):
        plan = plans.get(i)
        if plan is None:
            add(([en], [ar]), None)
        elif plan.kind == "unmatched":
            kept = other(plan.side)
            unit = ([en], []) if kept == EN else ([], [ar])
            add(unit, ids_note("unmatched", kept, f"{plan.side} sentence deleted", origin="deletion"))
        elif plan.kind == "partial":
            d = plan.drop
            assert d is not None
            unit = ([d.text], [ar]) if d.side == EN else ([en], [d.text])
            add(
                unit,
                ids_note(
                    "partial",
                    other(d.side),
                    f"clause dropped from {d.side}: {d.removed}",
                    edited=d.side,
                    removed=d.removed,
                ),
            )
        elif plan.kind == "number":
            e = plan.edit
            assert e is not None
            unit = ([e.text], [ar]) if e.side == EN else ([en], [e.text])
            add(
                unit,
                ids_note("number", e.side, f"{e.side} number {e.old} -> {e.new}", edited=e.side, old=e.old, new=e.new),
            )
        elif plan.kind == "substituted":
            s = plan.new_ar
            assert s is not None
            add(
                ([en], [s.text]),
                ids_note("substituted", AR, f"ar replaced by a sentence of {s.doc}", edited=AR, original=ar),
            )
        else:  # pragma: no cover
            raise ValueError(plan.kind)
    add_boilerplate(bottom, "footer")
    return art


# --------------------------------------------------------------------------
# Writing and validation
# --------------------------------------------------------------------------


def expectations(art: Article) -> dict[str, Any]:
    perts: list[Note] = []
    clean: list[list[int]] = []
    n_en = n_ar = 0
    for (en, ar), note in zip(art.units, art.notes, strict=True):
        en_ids = list(range(n_en, n_en + len(en)))
        ar_ids = list(range(n_ar, n_ar + len(ar)))
        n_en += len(en)
        n_ar += len(ar)
        if note is None:
            clean.append([en_ids[0], ar_ids[0]])
        else:
            perts.append(
                {
                    "type": note["type"],
                    "side": note["side"],
                    "en": en_ids,
                    "ar": ar_ids,
                    **{k: v for k, v in note.items() if k not in ("type", "side")},
                }
            )
    return {"perturbations": perts, "clean_pairs": clean}


def write_article(folder: Path, art: Article) -> dict[str, Any]:
    write_case(folder, art.name, art.units)
    exp = expectations(art)
    (folder / f"{art.name}.expect.json").write_text(
        json.dumps(exp, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return exp


def read_case_lines(folder: Path, name: str, side: str) -> list[str]:
    return read_lines(folder / f"{name}.{side}.txt")


def validate_expect(folder: Path, name: str, source: dict[str, set[str]]) -> dict[str, Any]:
    """Re-read a case; check gold, expectations and the edits agree. ``source``: ar -> en."""
    beads = validate_case(folder, name)
    exp = json.loads((folder / f"{name}.expect.json").read_text(encoding="utf-8"))
    en_lines = read_case_lines(folder, name, EN)
    ar_lines = read_case_lines(folder, name, AR)
    where = f"{folder / name}.expect.json"

    kinds: dict[tuple[tuple[int, ...], tuple[int, ...]], str] = {}
    for p in exp["perturbations"]:
        key = (tuple(p["en"]), tuple(p["ar"]))
        if key in kinds:
            raise ValueError(f"{where}: two perturbations on bead {key}")
        kinds[key] = "boilerplate" if p.get("origin") == "boilerplate" else p["type"]
        if p["type"] == "unmatched":
            if not (bool(p["en"]) ^ bool(p["ar"])) or (p["side"] == EN) != bool(p["en"]):
                raise ValueError(f"{where}: bad unmatched entry {p}")
        elif len(p["en"]) != 1 or len(p["ar"]) != 1:
            raise ValueError(f"{where}: {p['type']} entry is not 1-1: {p}")
        if p["type"] == "partial":
            edited = ar_lines[p["ar"][0]] if p["edited"] == AR else en_lines[p["en"][0]]
            if p["side"] == p["edited"] or len(edited.split()) < MIN_KEEP_WORDS:
                raise ValueError(f"{where}: bad partial entry {p}")
            if len(p["removed"].split()) < MIN_DROP_WORDS:
                raise ValueError(f"{where}: removed clause too short {p}")
        if p["type"] == "number":
            en_vals = {n.value for n in numbers(en_lines[p["en"][0]])}
            ar_vals = {n.value for n in numbers(ar_lines[p["ar"][0]])}
            if en_vals == ar_vals:
                raise ValueError(f"{where}: number edit left the values equal {p}")
        if p["type"] == "substituted" and en_lines[p["en"][0]] in source.get(ar_lines[p["ar"][0]], ()):
            raise ValueError(f"{where}: substituted pair is still a translation {p}")
    for e, a in exp["clean_pairs"]:
        kinds[((e,), (a,))] = "clean"
        if en_lines[e] not in source.get(ar_lines[a], ()):
            raise ValueError(f"{where}: clean pair [{e}]:[{a}] is not an original pair")
    gold_keys = [(tuple(e), tuple(a)) for e, a in beads]
    if sorted(gold_keys) != sorted(kinds):
        raise ValueError(f"{where}: perturbations + clean pairs do not partition the gold beads")
    order = [kinds[k] for k in gold_keys]
    for a, b in itertools.pairwise(order):
        if a != "clean" and b != "clean" and not (a == b == "boilerplate"):
            raise ValueError(f"{where}: adjacent perturbations ({a}, {b})")
    return exp  # type: ignore[no-any-return]


# --------------------------------------------------------------------------
# Statistics and README
# --------------------------------------------------------------------------


@dataclass
class Stats:
    articles: int = 0
    en_lines: int = 0
    ar_lines: int = 0
    clean: int = 0
    counts: Counter[str] = field(default_factory=Counter)

    def add(self, folder: Path, name: str, exp: dict[str, Any]) -> None:
        self.articles += 1
        self.en_lines += len(read_case_lines(folder, name, EN))
        self.ar_lines += len(read_case_lines(folder, name, AR))
        self.clean += len(exp["clean_pairs"])
        for p in exp["perturbations"]:
            if p["type"] == "unmatched":
                key = "boilerplate" if p.get("origin") == "boilerplate" else f"deleted {other(p['side'])}"
            elif p["type"] in ("partial", "number"):
                key = f"{p['type']} {p['edited']}"
            else:
                key = p["type"]
            self.counts[key] += 1


COLUMNS = [
    ("unmatched: deleted en", "deleted en"),
    ("deleted ar", "deleted ar"),
    ("boilerplate", "boilerplate"),
    ("partial: edited en", "partial en"),
    ("edited ar", "partial ar"),
    ("number: edited en", "number en"),
    ("edited ar", "number ar"),
    ("substituted", "substituted"),
]


def summary_table(stats: dict[str, Stats]) -> str:
    head = ["subset", "articles", "en lines", "ar lines", "clean 1-1"] + [c for c, _ in COLUMNS]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name, s in stats.items():
        cells = [name, s.articles, s.en_lines, s.ar_lines, s.clean] + [s.counts[k] for _, k in COLUMNS]
        rows.append("| " + " | ".join(str(c) for c in cells) + " |")
    return "\n".join(rows)


def readme_text(seed: int, table: str) -> str:
    return f"""# Check benchmark cases

Generated by `benchmarks/make_check_cases.py` (seed {seed}); score a folder of muqabala JSON
reports with `benchmarks/score_checks.py`.

Each case `NAME` has `NAME.en.txt`, `NAME.ar.txt` (one segment per line), `NAME.gold` (one bead
per line, `[en ids]:[ar ids]`, 0-based line numbers) and `NAME.expect.json`: the planted
`perturbations` (type, expected flag `side`, the bead's `en`/`ar` line ids, a `detail`) and
`clean_pairs`, every untouched 1-1 pair as `[en_id, ar_id]`.

Articles are consecutive same-domain FLORES-200 devtest docs (15-35 sentences) and TICO-19
slices (20-60 lines). Per article, on distinct and non-adjacent source pairs:

- `unmatched`: 1-2 sentences deleted on one (random) side; gold `[i]:[]` / `[]:[j]`. Header and
  footer boilerplate on one side (~60% of articles) is also listed as `unmatched`
  (`"origin": "boilerplate"`), one entry per line.
- `partial`: 2-3 pairs lose one comma/semicolon clause (>= {MIN_DROP_WORDS} words, no digits) on one
  side, 70% Arabic; at least {MIN_KEEP_WORDS} words remain. The expected `side` is the OTHER side
  (it still has the clause); `edited` and `removed` say what was done.
- `number`: up to 2 pairs where the same value appears exactly once on each side (Western or
  Arabic-Indic digits) get it changed on one side, format kept (15 -> 18, 2019 -> 2017,
  3.5 -> 4.5). No other pair has its numbers changed.
- `substituted`: 1-2 digit-free pairs get their Arabic replaced by a digit-free Arabic sentence
  of similar length (0.8-1.25x) from a different source document; gold stays 1-1.

Counts (the `partial`/`number` columns split by the side that was edited):

{table}

Sources: FLORES-200 devtest (CC BY-SA 4.0), TICO-19 (CC0); see the README of each folder
under the data dir.
"""


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------

OUR_FILES = ("*.en.txt", "*.ar.txt", "*.gold", "*.expect.json", "README.md")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data", type=Path, required=True, help="folder with flores200-devtest and tico19")
    p.add_argument("--out", type=Path, required=True, help="output folder (its old case files are replaced)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument(
        "--limit", type=int, default=None, metavar="K", help="write only the first K cases, as a full run writes them"
    )
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    t0 = time.perf_counter()
    flores = load_folder(args.data / "flores200-devtest")
    tico = [d for d in load_folder(args.data / "tico19") if "CMU" not in d.name]
    pool, doc_of = substitute_pool(flores, tico)
    source: dict[str, set[str]] = {}  # Arabic sentence -> its English sentence(s) in the data
    for doc in flores + tico:
        for en, ar in doc.pairs:
            source.setdefault(ar, set()).add(en)

    rng = set_rng(args.seed, "checks")
    docs = flores_articles(flores, rng, N_FLORES)
    slices = tico_chunks(tico, set_rng(args.seed, "checks-tico"))[:N_TICO]
    docs += [truncate(d, min(len(d.pairs), TICO_MAX)) for d in slices]
    # Articles draw from one stream in order, so the first K come out as in a full run.
    docs = docs[: args.limit]

    args.out.mkdir(parents=True, exist_ok=True)
    # Remove only our own kinds of files, so a rerun cannot leave stale cases behind.
    for pattern in OUR_FILES:
        for path in args.out.glob(pattern):
            path.unlink()

    stats = {"flores": Stats(), "tico": Stats(), "all": Stats()}
    for i, doc in enumerate(docs):
        art = build_article(f"{i:02d}_{doc.name}", doc.pairs, rng, pool, doc_of, source)
        write_article(args.out, art)
        exp = validate_expect(args.out, art.name, source)
        stats["tico" if doc.name.startswith("tico_") else "flores"].add(args.out, art.name, exp)
        stats["all"].add(args.out, art.name, exp)
    table = summary_table(stats)
    (args.out / "README.md").write_text(readme_text(args.seed, table), encoding="utf-8")
    print(table)
    print(f"\nwrote {stats['all'].articles} cases to {args.out} in {time.perf_counter() - t0:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
