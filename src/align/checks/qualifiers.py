"""``qualifier``: one version qualifies a number or dates an event, the other does not.

"about 30 yards" → «30 ياردة», "up to £1.5 million" → «1.5 مليون», "more than three months" →
«ثلاثة أشهر»; "travelled Wednesday" → «سافر». The numbers agree, so ``number`` is silent, but the
translation states an estimate as a fact or loses when something happened. Evidence is strict on
the side that is flagged (the qualifier stands next to a number, the weekday is read as a date)
and lenient on the side that answers it (any word of the same kind, anywhere in the bead).
"""

from __future__ import annotations

from dataclasses import dataclass

from align.checks.base import BeadCheck, CheckContext
from align.model import SIDES, Bead, Evidence, Flag, Severity, Side
from align.numbers import any_weekday_written, find_dates
from align.qualifiers import Qualifier, find_qualifiers, unanswered
from align.text import LANGUAGE, other

_KIND_WORDS = {
    "estimate": "an estimate",
    "upper": "an upper bound",
    "lower": "a lower bound",
    "below": "a bound",
    "moment": "a qualifier of time",
}


@dataclass(frozen=True)
class QualifierCheck(BeadCheck):
    """Qualifiers of numbers (about, up to, more than) and weekdays that only one version gives."""

    type = "qualifier"
    severity: Severity = "warning"

    def check_bead(self, bead: Bead, context: CheckContext) -> list[Flag]:
        if not (bead.en and bead.ar):
            return []
        joined = {side: " ".join(context.texts(bead, side)) for side in SIDES}
        # A weekday the other version gives differently is a ``number`` finding; here only a weekday
        # the other version does not date at all, read leniently (even run into other words).
        named_any = {side: any_weekday_written(joined[side], side) for side in SIDES}
        flags = []
        for side in SIDES:
            for i, text in zip(bead.ids(side), context.texts(bead, side), strict=True):
                flags += [self._qualifier_flag(side, i, q) for q in
                          unanswered(find_qualifiers(text, side), joined[other(side)], other(side))]
                flags += [self._weekday_flag(side, i, d.start, d.end, d.text) for d in find_dates(text, side)
                          if d.kind == "weekday" and not named_any[other(side)]]
        return flags

    def _qualifier_flag(self, side: Side, segment: int, q: Qualifier) -> Flag:
        message = (f"«{q.text}» ({_KIND_WORDS[q.kind]}) has no counterpart in the {LANGUAGE[other(side)]}: "
                   f"the number reads as exact there")
        return Flag(self.type, side, self.severity, message,
                    (Evidence(side, segment, q.start, q.end, q.text),))

    def _weekday_flag(self, side: Side, segment: int, start: int, end: int, text: str) -> Flag:
        message = f"The weekday «{text}» is not in the {LANGUAGE[other(side)]}"
        return Flag(self.type, side, self.severity, message,
                    (Evidence(side, segment, start, end, text),))
