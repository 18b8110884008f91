"""Composes the stages: read, split, embed, align, score, check."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from align import __version__
from align.checks import DEFAULT_CHECKS, Check, CheckContext, run_checks
from align.checks.document import agreement, quiet_unrelated, verdict
from align.dp import AlignConfig, Alignment, align_vectors, has_paragraphs
from align.embed import CachedEncoder, Encoder, paired_similarities
from align.fingerprint import without_ignored
from align.io import read_document_text
from align.model import Bead, Document, GlossaryEntry, Report, Side, Signature
from align.refine import BeadPos, attach_unmatched, detach_edges, pair_lone_gaps
from align.segment import SPLIT_MODES, SPLITTER_VERSION, make_document


@dataclass(frozen=True)
class CheckOptions:
    """Everything about a run that is not the input: how to split, align and check."""

    split: str = "auto"
    align: AlignConfig = field(default_factory=AlignConfig)
    source: Side | None = None
    checks: tuple[type[Check], ...] = DEFAULT_CHECKS
    ignore: frozenset[str] = frozenset()  # fingerprints of flags a reviewer dismissed
    glossary: tuple[GlossaryEntry, ...] = ()  # terminology the name check enforces

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
        positions = self._refine(alignment, en, ar)
        beads = _to_ids(positions, en, ar)
        doc_stats = alignment.stats
        context = CheckContext(en, ar, beads, self.options.source, doc_stats.random, doc_stats.best,
                               self.encoder.encode, self.options.glossary)
        beads = run_checks([check() for check in self.options.checks], context)
        agree = agreement([(e, a) for e, a, _ in positions], doc_stats.best_partners)
        result = verdict(beads, en, ar, agree, doc_stats.random, doc_stats.best)
        if not result.likely_translation:
            beads = quiet_unrelated(beads)
        beads, ignored = self._drop_ignored(beads)
        stats = {
            "ignored_flags": ignored,
            "random_similarity": round(doc_stats.random, 4),
            "best_similarity": round(doc_stats.best, 4),
            "pair_threshold": round(alignment.theta, 4),
            "skip_cost": round(alignment.skip, 4),
        }
        return Report(self.signature(), en, ar, beads, stats, result)

    def _drop_ignored(self, beads: tuple[Bead, ...]) -> tuple[tuple[Bead, ...], int]:
        if not self.options.ignore:
            return beads, 0
        out, total = [], 0
        for bead in beads:
            kept, dropped = without_ignored(bead.flags, self.options.ignore)
            out.append(replace(bead, flags=kept))
            total += dropped
        return tuple(out), total

    def _align(self, en: Document, ar: Document) -> Alignment:
        en_vectors = self.encoder.encode([s.text for s in en.segments])
        ar_vectors = self.encoder.encode([s.text for s in ar.segments])
        return align_vectors(
            en_vectors, ar_vectors,
            np.array([s.paragraph for s in en.segments], int),
            np.array([s.paragraph for s in ar.segments], int),
            self.options.align,
            np.array([len(s.text) for s in en.segments]),
            np.array([len(s.text) for s in ar.segments]),
        )

    def _refine(self, alignment: Alignment, en: Document, ar: Document) -> list[BeadPos]:
        """Rescore merged beads with the real encoder, then detach and attach edge segments."""
        en_texts = [s.text for s in en.segments]
        ar_texts = [s.text for s in ar.segments]
        positions = self._true_scores(alignment.beads, en_texts, ar_texts)
        config = self.options.align
        if config.detach_gain >= 0:
            positions = detach_edges(positions, en_texts, ar_texts, self.encoder.encode,
                                     gain=config.detach_gain * alignment.stats.spread,
                                     length_weight=config.detach_length * alignment.stats.spread)
        if config.attach_margin >= 0:
            positions = attach_unmatched(
                positions, en_texts, ar_texts, self.encoder.encode,
                margin=config.attach_margin * alignment.stats.spread, allowed=config.allows,
                same_paragraph=_paragraph_rule(en, ar),
            )
        if config.pair_gaps:
            positions = pair_lone_gaps(positions, en_texts, ar_texts, self.encoder.encode)
        return positions

    def _true_scores(self, beads: Sequence[BeadPos], en_texts: list[str], ar_texts: list[str]) -> list[BeadPos]:
        # The aligner scored merges with summed sentence vectors; a reported score embeds the
        # joined text itself, so it means the same thing for every bead size.
        merged = [k for k, (e, a, _) in enumerate(beads) if e and a and len(e) + len(a) > 2]
        sims = paired_similarities(self.encoder.encode,
                                   [" ".join(en_texts[i] for i in beads[k][0]) for k in merged],
                                   [" ".join(ar_texts[j] for j in beads[k][1]) for k in merged])
        out = list(beads)
        for k, sim in zip(merged, sims):
            out[k] = (beads[k][0], beads[k][1], float(sim))
        return out


def _to_ids(positions: Sequence[BeadPos], en: Document, ar: Document) -> tuple[Bead, ...]:
    """Beads over segment ids (line numbers in ``lines`` mode) instead of list positions."""
    en_ids = [s.index for s in en.segments]
    ar_ids = [s.index for s in ar.segments]
    return tuple(Bead(tuple(en_ids[i] for i in e), tuple(ar_ids[j] for j in a), round(score, 4))
                 for e, a, score in positions)


def _paragraph_rule(en: Document, ar: Document) -> Callable[[BeadPos, BeadPos], bool]:
    """Whether a leftover segment may join a bead: same paragraph, when both sides have them."""
    en_par = np.array([s.paragraph for s in en.segments])
    ar_par = np.array([s.paragraph for s in ar.segments])
    if not (has_paragraphs(en_par) and has_paragraphs(ar_par)):
        return lambda bead, single: True

    def same(bead: BeadPos, single: BeadPos) -> bool:
        if single[0]:
            return bool(en_par[single[0][0]] == en_par[bead[0][0]])
        return bool(ar_par[single[1][0]] == ar_par[bead[1][0]])

    return same
