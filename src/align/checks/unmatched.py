"""``unmatched``: segments present in one version only (1-0 and 0-1 beads)."""

from __future__ import annotations

from dataclasses import dataclass

from align.checks.base import BeadCheck, CheckContext, presence_wording
from align.model import Bead, Flag, Side


@dataclass(frozen=True)
class UnmatchedCheck(BeadCheck):
    type = "unmatched"

    def check_bead(self, bead: Bead, context: CheckContext) -> list[Flag]:
        if bead.en and bead.ar:
            return []
        side: Side = "en" if bead.en else "ar"
        evidence = context.whole(bead, side)
        count = len(evidence)
        noun = "sentence" if count == 1 else f"{count} sentences"
        message = f"{noun[0].upper()}{noun[1:]} {presence_wording(side, context.source)}"
        return [Flag(self.type, side, "warning", message, evidence)]
