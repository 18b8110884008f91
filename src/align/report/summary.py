"""Figures shared by every output format."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from align.model import Report


@dataclass(frozen=True)
class Summary:
    """What a report adds up to: segment and bead counts, aligned text, flags by type."""

    segments_en: int
    segments_ar: int
    beads: int
    bead_kinds: dict[str, int]  # "1-1", "2-1", "1-0", ... in sorted order
    aligned_en: float  # share of the English characters in beads with both sides
    aligned_ar: float
    flags: dict[str, int]  # number of flags by type, in first-seen order
    findings: dict[str, int]  # errors and warnings by type: what a reviewer must look at
    info: dict[str, int]  # info flags by type: weaker evidence, hidden by default in the HTML

    @property
    def hints(self) -> int:
        return sum(self.info.values())

    def as_dict(self) -> dict[str, object]:
        """The JSON shape of the summary."""
        return {
            "segments": {"en": self.segments_en, "ar": self.segments_ar},
            "beads": self.beads,
            "bead_kinds": self.bead_kinds,
            "aligned_share": {"en": self.aligned_en, "ar": self.aligned_ar},
            "flags": self.flags,
            "findings": self.findings,
            "info": self.info,
        }


def summary(report: Report) -> Summary:
    kinds = Counter(bead.kind for bead in report.beads)
    return Summary(
        segments_en=len(report.en.segments),
        segments_ar=len(report.ar.segments),
        beads=len(report.beads),
        bead_kinds=dict(sorted(kinds.items())),
        aligned_en=round(report.en.aligned_share(report.beads), 4),
        aligned_ar=round(report.ar.aligned_share(report.beads), 4),
        flags=dict(Counter(flag.type for bead in report.beads for flag in bead.flags)),
        findings=dict(Counter(f.type for bead in report.beads for f in bead.flags if f.severity != "info")),
        info=dict(Counter(f.type for bead in report.beads for f in bead.flags if f.severity == "info")),
    )


LANGUAGES = {"en": "English", "ar": "Arabic"}


def source_note(report: Report) -> str:
    """One line naming the original (``--source``), shown at the top of every format."""
    source = report.source
    if source is None:
        return "source: not given (--source en|ar words findings as missing or added in the translation)"
    other = "ar" if source == "en" else "en"
    return f"source: {source} (the {LANGUAGES[source]} is the original, the {LANGUAGES[other]} the translation)"
