"""``divergent``: the two sides of a bead do not mean the same thing.

Judged on the document's own similarity scale (0 = unrelated pairs, 1 = a typical translation),
so the same settings hold for any encoder and any register.
"""

from __future__ import annotations

from dataclasses import dataclass

from align.checks.base import BeadCheck, CheckContext
from align.model import Bead, Flag, Severity


@dataclass(frozen=True)
class DivergentCheck(BeadCheck):
    type = "divergent"
    warning_below: float = 0.30  # relative similarity under which a bead is worth a look
    error_below: float = 0.12  # close to what unrelated sentences score

    def check_bead(self, bead: Bead, context: CheckContext) -> list[Flag]:
        if not (bead.en and bead.ar):
            return []
        relative = context.relative(bead.score)
        if relative >= self.warning_below:
            return []
        severity: Severity = "error" if relative < self.error_below else "warning"
        strength = "do not appear to say the same thing" if severity == "error" else "may differ in meaning"
        evidence = context.whole(bead, "en") + context.whole(bead, "ar")
        message = (f"The two versions {strength} (similarity {bead.score:.2f}; "
                   f"{relative:.0%} of this document's typical translation pair)")
        return [Flag(self.type, "both", severity, message, evidence)]
