"""What both case generators share: reading the corpora, building articles, writing case files.

A case ``NAME`` is ``NAME.en.txt`` and ``NAME.ar.txt`` (one segment per line, each line ending in
a newline) and ``NAME.gold`` (``align.evaluate.format_gold``). The generators describe a case as a
list of units, the gold beads with their lines, and ``write_case`` turns it into the three files.

Only the standard library and ``align.evaluate`` are used; every random choice comes from the
``random.Random`` passed in, so output depends on the seed alone.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from align.evaluate import GoldBead, format_gold, parse_gold

# One gold bead: the English lines and the Arabic lines it holds.
Unit = tuple[list[str], list[str]]
Pair = tuple[str, str]

EN, AR = "en", "ar"
SIDES = (EN, AR)


def other(side: str) -> str:
    return AR if side == EN else EN


def one_sided(side: str, lines: list[str]) -> Unit:
    """A bead holding ``lines`` on ``side`` and nothing on the other."""
    return (lines, []) if side == EN else ([], lines)


def set_rng(seed: int, name: str) -> random.Random:
    """Independent, reproducible stream per set (str seeds hash via sha512)."""
    return random.Random(f"{seed}:{name}")


# --------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------


def split_lines(text: str) -> list[str]:
    """The lines of ``text``, split at ``\\n`` only, without the empty string after a final newline.

    ``str.splitlines`` would also break at U+2028, U+0085 etc., which would silently shift the
    1-1 correspondence of two files.
    """
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def read_lines(path: Path) -> list[str]:
    """The lines of a one-segment-per-line UTF-8 file, as ``split_lines`` gives them."""
    return split_lines(path.read_text(encoding="utf-8"))


def read_segments(path: Path) -> list[str]:
    """The stripped lines of a source corpus file; a blank line raises ``ValueError``."""
    stripped = [line.strip() for line in read_lines(path)]
    if any(not line for line in stripped):
        raise ValueError(f"{path}: blank line in source data")
    return stripped


@dataclass(frozen=True)
class Doc:
    """A gold 1-1 document: ``pairs[i]`` is (English line, Arabic line)."""

    name: str
    pairs: list[Pair]


def load_folder(folder: Path, limit: int | None = None) -> list[Doc]:
    """Load every ``<doc>.en.txt``/``<doc>.ar.txt`` pair in a folder, sorted; at most ``limit``."""
    docs: list[Doc] = []
    # Only *.en.txt are pairs; README.md, documents.tsv etc. are skipped.
    for en_path in sorted(folder.glob("*.en.txt")):
        name = en_path.name[: -len(".en.txt")]
        ar_path = folder / f"{name}.ar.txt"
        en, ar = read_segments(en_path), read_segments(ar_path)
        if len(en) != len(ar):
            raise ValueError(f"{name}: {len(en)} en vs {len(ar)} ar lines")
        docs.append(Doc(name, list(zip(en, ar, strict=True))))
        if limit is not None and len(docs) >= limit:
            break
    if not docs:
        raise FileNotFoundError(f"no *.en.txt pairs in {folder}")
    return docs


# --------------------------------------------------------------------------
# Articles from the corpora
# --------------------------------------------------------------------------


def flores_domain(doc: Doc) -> str:
    """Domain from a flores name ``NNN_<domain>_<slug>``."""
    return doc.name.split("_")[1]


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


def truncate(doc: Doc, size: int) -> Doc:
    return Doc(doc.name, doc.pairs[:size])


# --------------------------------------------------------------------------
# Writing and validating case files
# --------------------------------------------------------------------------


def render(units: list[Unit]) -> tuple[list[str], list[str], list[GoldBead]]:
    """Lines of the two files and the gold beads for a list of units."""
    en: list[str] = []
    ar: list[str] = []
    gold: list[GoldBead] = []
    for en_part, ar_part in units:
        if not en_part and not ar_part:
            raise ValueError("empty bead")
        en_ids = tuple(range(len(en), len(en) + len(en_part)))
        ar_ids = tuple(range(len(ar), len(ar) + len(ar_part)))
        en += [line.strip() for line in en_part]
        ar += [line.strip() for line in ar_part]
        gold.append(GoldBead(en_ids, ar_ids))
    if any(not line for line in en + ar):
        raise ValueError("empty line produced")
    return en, ar, gold


def write_lines(path: Path, lines: list[str]) -> None:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def write_case(folder: Path, name: str, units: list[Unit]) -> None:
    """Write ``NAME.en.txt``, ``NAME.ar.txt`` and ``NAME.gold`` for ``units`` into ``folder``."""
    en, ar, gold = render(units)
    write_lines(folder / f"{name}.en.txt", en)
    write_lines(folder / f"{name}.ar.txt", ar)
    (folder / f"{name}.gold").write_text(format_gold(gold), encoding="utf-8")


def read_gold(path: Path) -> list[GoldBead]:
    """Parse a gold file, insisting on the exact spelling ``format_gold`` writes."""
    text = path.read_text(encoding="utf-8")
    beads = parse_gold(text, str(path))
    if format_gold(beads) != text:
        raise ValueError(f"{path}: not written as format_gold writes it")
    return beads


def validate_case(folder: Path, name: str) -> list[GoldBead]:
    """Re-read a written case and check files and gold agree; return the beads."""
    counts = {}
    for side in SIDES:
        path = folder / f"{name}.{side}.txt"
        text = path.read_text(encoding="utf-8")
        if not text.endswith("\n"):
            raise ValueError(f"{path}: no trailing newline")
        lines = split_lines(text)
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
