"""``document``: a verdict on the pair as a whole, so unrelated files give one clear finding."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from align.dp import PositionBead
from align.model import Bead, Document, DocumentVerdict, Flag

MIN_AGREEMENT = 0.7  # translations measured 0.89-1.0, unrelated statements 0.13-0.67
MIN_SEPARATION = 0.4  # translations measured 0.52-0.80, unrelated statements 0.15-0.33


def agreement(position_beads: Sequence[PositionBead], best_partners: Sequence[tuple[int, int]]) -> float:
    """Share of sampled English positions whose best Arabic partner lies in their own bead."""
    bead_of = {i: set(b.ar) for b in position_beads if b.aligned for i in b.en}
    sampled = [(i, j) for i, j in best_partners if i in bead_of]
    if not sampled:
        return 0.0
    return sum(j in bead_of[i] for i, j in sampled) / len(sampled)


def verdict(beads: Sequence[Bead], en: Document, ar: Document, agree: float, random: float,
            best: float) -> DocumentVerdict:
    cov_en, cov_ar = en.aligned_share(beads), ar.aligned_share(beads)
    separation = (best - random) / max(1.0 - random, 1e-6)
    aligned = sum(1 for b in beads if b.en and b.ar)
    # With a handful of beads agreement is mostly chance; separation alone decides.
    likely = separation >= MIN_SEPARATION and (aligned < 4 or agree >= MIN_AGREEMENT)
    if not likely:
        message = ("The two files do not look like translations of each other: their sentences do not "
                   f"pair up (agreement {agree:.0%}, separation {separation:.2f}). Check that the right "
                   "files were given; sentence-level findings are not reported.")
    elif min(cov_en, cov_ar) < 0.8:
        message = (f"Likely translations, but only {cov_en:.0%} of the English and {cov_ar:.0%} of the "
                   "Arabic text is aligned.")
    else:
        message = f"Likely translations: {cov_en:.0%} of the English and {cov_ar:.0%} of the Arabic text is aligned."
    return DocumentVerdict(likely, round(cov_en, 4), round(cov_ar, 4), round(agree, 4), round(separation, 4),
                           message)


def quiet_unrelated(beads: Sequence[Bead]) -> tuple[Bead, ...]:
    """For unrelated files: keep only the ``unmatched`` flags, as info, so one verdict speaks.

    ``control`` findings stay as they are: hidden characters are in the file whatever it is paired with.
    """
    out = []
    for bead in beads:
        kept = tuple(f if f.type == "control" else replace(f, severity="info") for f in bead.flags
                     if f.type in ("unmatched", "control"))
        out.append(replace(bead, flags=kept))
    return tuple(out)


def document_flag(result: DocumentVerdict) -> Flag:
    return Flag("document", "both", "error" if not result.likely_translation else "info", result.message)
