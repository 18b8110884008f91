"""Composes the stages: read, split, embed, align, score, check."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from align import __version__
from align.checks import DEFAULT_CHECKS, Check, CheckContext, run_checks
from align.dp import AlignConfig, Alignment, align_vectors
from align.embed import CachedEncoder, Encoder
from align.io import read_document_text
from align.model import Bead, Document, Report, Side, Signature
from align.segment import SPLIT_MODES, SPLITTER_VERSION, make_document


@dataclass(frozen=True)
class CheckOptions:
    """Everything about a run that is not the input: how to split, align and check."""

    split: str = "auto"
    align: AlignConfig = field(default_factory=AlignConfig)
    source: Side | None = None
    checks: tuple[type[Check], ...] = DEFAULT_CHECKS

    def __post_init__(self) -> None:
        if self.split not in SPLIT_MODES:
            raise ValueError(f"split must be one of {SPLIT_MODES}, not {self.split!r}")


class Checker:
    """Checks English/Arabic pairs with one encoder, loaded once and reused across pairs."""

    def __init__(self, encoder: Encoder, options: CheckOptions | None = None) -> None:
        self.encoder = encoder if isinstance(encoder, CachedEncoder) else CachedEncoder(encoder)
        self.options = options or CheckOptions()

    def signature(self) -> Signature:
        return Signature(
            version=__version__,
            encoder=self.encoder.name,
            split=f"{self.options.split}/{SPLITTER_VERSION}",
            params=self.options.align.signature(),
        )

    def check_files(self, en_path: str | Path, ar_path: str | Path) -> Report:
        """Read, validate and check a pair of files. Raises ``InputError`` on bad input."""
        en_text = read_document_text(en_path, "en")
        ar_text = read_document_text(ar_path, "ar")
        return self.check_texts(en_text, ar_text, str(en_path), str(ar_path))

    def check_texts(self, en_text: str, ar_text: str, en_name: str = "en", ar_name: str = "ar") -> Report:
        """Check a pair given as strings."""
        en = make_document(en_text, "en", en_name, self.options.split)
        ar = make_document(ar_text, "ar", ar_name, self.options.split)
        alignment = self._align(en, ar)
        beads = self._beads(alignment, en, ar)
        context = CheckContext(en, ar, beads, self.options.source)
        beads = run_checks([check() for check in self.options.checks], context)
        stats = {
            "random_similarity": round(alignment.stats.random, 4),
            "best_similarity": round(alignment.stats.best, 4),
            "pair_threshold": round(alignment.theta, 4),
            "skip_cost": round(alignment.skip, 4),
        }
        return Report(self.signature(), en, ar, beads, stats)

    def _align(self, en: Document, ar: Document) -> Alignment:
        en_vectors = self.encoder.encode([s.text for s in en.segments])
        ar_vectors = self.encoder.encode([s.text for s in ar.segments])
        return align_vectors(
            en_vectors, ar_vectors,
            np.array([s.paragraph for s in en.segments], int),
            np.array([s.paragraph for s in ar.segments], int),
            self.options.align,
        )

    def _beads(self, alignment: Alignment, en: Document, ar: Document) -> tuple[Bead, ...]:
        """Turn positions into segment ids and give merged beads their true similarity."""
        en_ids = [s.index for s in en.segments]
        ar_ids = [s.index for s in ar.segments]
        merged = [(e, a) for e, a, _ in alignment.beads if e and a and len(e) + len(a) > 2]
        true_scores = self._merged_similarities(merged, en, ar)
        beads = []
        for e, a, approx in alignment.beads:
            score = true_scores.get((e, a), approx)
            beads.append(Bead(tuple(en_ids[i] for i in e), tuple(ar_ids[j] for j in a), round(score, 4)))
        return tuple(beads)

    def _merged_similarities(self, merged: Sequence[tuple[tuple[int, ...], tuple[int, ...]]],
                             en: Document, ar: Document) -> dict[tuple[tuple[int, ...], tuple[int, ...]], float]:
        # The aligner scored merges with summed sentence vectors; the reported score embeds the
        # joined text itself, so it means the same thing for every bead size.
        if not merged:
            return {}
        en_texts = [" ".join(en.segments[i].text for i in e) for e, _ in merged]
        ar_texts = [" ".join(ar.segments[j].text for j in a) for _, a in merged]
        vectors = self.encoder.encode(en_texts + ar_texts)
        sims = np.sum(vectors[: len(merged)] * vectors[len(merged):], axis=1)
        return {key: float(s) for key, s in zip(merged, sims)}
