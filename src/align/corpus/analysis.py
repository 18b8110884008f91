"""What a corpus holds (``stats``) and where it translates one sentence in several ways (``consistency``)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from align.corpus.normalize import normalize_sentence
from align.corpus.store import CorpusStore
from align.model import Side

# Score histogram bins: [0.0, 0.1), [0.1, 0.2), … [0.9, 1.0].
HISTOGRAM_BINS = 10


@dataclass(frozen=True)
class CorpusStats:
    """Counts over a whole corpus. ``score_histogram[k]`` counts beads with both sides whose score
    lies in ``[k/10, (k+1)/10)`` (the last bin includes 1.0)."""

    pairs: int
    not_translations: int
    failed: int
    segments: dict[str, int]
    beads: int
    sentence_pairs: int
    bead_kinds: dict[str, int]
    flags: dict[str, dict[str, int]]
    score_histogram: list[int]
    signatures: list[str]

    def as_dict(self) -> dict[str, Any]:
        from dataclasses import asdict

        return asdict(self)


def corpus_stats(db_path: str | Path) -> CorpusStats:
    with CorpusStore.open(db_path) as store:
        db = store.db
        pairs, not_translations = db.execute(
            "SELECT count(*), coalesce(sum(1 - likely_translation), 0) FROM pairs").fetchone()
        segments = {side: count for side, count in db.execute("SELECT side, count(*) FROM segments GROUP BY side")}
        kinds = {kind: count for kind, count in
                 db.execute("SELECT kind, count(*) FROM beads GROUP BY kind ORDER BY 2 DESC")}
        flags: dict[str, dict[str, int]] = {}
        for ftype, severity, count in db.execute(
                "SELECT type, severity, count(*) FROM flags GROUP BY type, severity ORDER BY type, severity"):
            flags.setdefault(ftype, {})[severity] = count
        histogram = [0] * HISTOGRAM_BINS
        for bin_index, count in db.execute(
                f"SELECT min(CAST(score * {HISTOGRAM_BINS} AS INTEGER), {HISTOGRAM_BINS - 1}), count(*) FROM beads"
                " WHERE en != '[]' AND ar != '[]' GROUP BY 1"):
            histogram[max(0, int(bin_index))] += count
        return CorpusStats(
            pairs=pairs, not_translations=not_translations, failed=len(store.failures()),
            segments={"en": segments.get("en", 0), "ar": segments.get("ar", 0)},
            beads=sum(kinds.values()), sentence_pairs=sum(histogram), bead_kinds=kinds, flags=flags,
            score_histogram=histogram, signatures=store.signatures())


@dataclass
class Rendering:
    """One way a sentence was translated: the text as first seen, how often, and in which documents."""

    text: str
    count: int = 0
    documents: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Inconsistency:
    """A sentence of ``side`` (normalized) that the corpus pairs with more than one distinct translation."""

    side: Side
    text: str
    renderings: tuple[Rendering, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"side": self.side, "text": self.text,
                "translations": [{"text": r.text, "count": r.count, "documents": r.documents} for r in self.renderings]}


# Where a sentence occurs in more documents than this, only the first are named.
_DOCUMENTS_NAMED = 20


def find_inconsistencies(db_path: str | Path, only_1to1: bool = True) -> list[Inconsistency]:
    """Sentences translated in more than one way, both directions, most frequent sentences first.

    Sentences and translations are compared in :func:`normalize_sentence` form, so case, white
    space, Arabic diacritics and digit shapes do not count as differences. Only 1-1 beads unless
    ``only_1to1`` is false (merged beads rarely repeat word for word).
    """
    by_side: dict[Side, dict[str, dict[str, Rendering]]] = {"en": {}, "ar": {}}
    firsts: dict[Side, dict[str, str]] = {"en": {}, "ar": {}}
    with CorpusStore.open(db_path) as store:
        for name, en, ar in _bead_texts(store, only_1to1):
            views: tuple[tuple[Side, str, str], ...] = (("en", en, ar), ("ar", ar, en))
            for side, text, translation in views:
                key, rendering_key = normalize_sentence(text), normalize_sentence(translation)
                if not key or not rendering_key:
                    continue
                firsts[side].setdefault(key, text)
                rendering = by_side[side].setdefault(key, {}).setdefault(rendering_key, Rendering(translation))
                rendering.count += 1
                if name not in rendering.documents and len(rendering.documents) < _DOCUMENTS_NAMED:
                    rendering.documents.append(name)
    sides: tuple[Side, Side] = ("en", "ar")
    found = [Inconsistency(side, firsts[side][key], tuple(sorted(renderings.values(), key=lambda r: -r.count)))
             for side in sides for key, renderings in by_side[side].items() if len(renderings) > 1]
    return sorted(found, key=lambda i: (-sum(r.count for r in i.renderings), i.side, i.text))


def _bead_texts(store: CorpusStore, only_1to1: bool) -> Iterator[tuple[str, str, str]]:
    """(document, English, Arabic) of every bead with text on both sides."""
    query = ("SELECT p.name, b.en, b.ar FROM beads b JOIN pairs p ON p.id=b.pair_id"
             " WHERE p.likely_translation=1 AND b.en != '[]' AND b.ar != '[]'")
    if only_1to1:
        query += " AND b.kind='1-1'"
    for pair_id, name in store.db.execute("SELECT id, name FROM pairs ORDER BY name").fetchall():
        texts = {(side, seg): text for side, seg, text in
                 store.db.execute("SELECT side, id, text FROM segments WHERE pair_id=?", (pair_id,))}
        for _, en, ar in store.db.execute(query + " AND b.pair_id=? ORDER BY b.position", (pair_id,)):
            yield (name, " ".join(texts[("en", i)] for i in json.loads(en)),
                   " ".join(texts[("ar", i)] for i in json.loads(ar)))


def histogram_rows(counts: list[int]) -> list[tuple[str, int, str]]:
    """(bin label, count, bar) for a terminal histogram."""
    top = max(counts, default=0) or 1
    return [(f"{k / HISTOGRAM_BINS:.1f}-{(k + 1) / HISTOGRAM_BINS:.1f}", c, "#" * round(40 * c / top))
            for k, c in enumerate(counts)]
