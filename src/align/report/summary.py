"""Figures shared by every output format."""

from __future__ import annotations

from collections import Counter

from align.checks.document import coverage
from align.model import Report, Side


def flag_counts(report: Report) -> dict[str, int]:
    """Number of flags by type, in first-seen order."""
    return dict(Counter(flag.type for bead in report.beads for flag in bead.flags))


def aligned_share(report: Report, side: Side) -> float:
    """Share of ``side``'s characters that sit in beads with both sides present."""
    return coverage(report.beads, report.doc(side))


def summary(report: Report) -> dict[str, object]:
    kinds = Counter(bead.kind for bead in report.beads)
    return {
        "segments": {"en": len(report.en.segments), "ar": len(report.ar.segments)},
        "beads": len(report.beads),
        "bead_kinds": dict(sorted(kinds.items())),
        "aligned_share": {"en": round(aligned_share(report, "en"), 4), "ar": round(aligned_share(report, "ar"), 4)},
        "flags": flag_counts(report),
    }
