"""Surface checks: length-ratio outliers, punctuation mismatches and untranslated text.

These are cheap hints for a reviewer, so most are ``info``; text left untranslated is a warning.
"""

from __future__ import annotations

from dataclasses import dataclass

from align.checks.base import BeadCheck, Check, CheckContext
from align.fingerprint import normalize_text
from align.model import SIDES, Bead, Flag, Side
from align.text import LANGUAGE, script_shares

_PAIRS = (("(", ")"), ("[", "]"), ("«", "»"), ("“", "”"))


@dataclass(frozen=True)
class LengthCheck(Check):
    """A bead whose Arabic/English length ratio is far from this document's usual one."""

    type = "length"
    factor: float = 2.2  # times the document's usual length ratio, either way

    def run(self, context: CheckContext) -> list[list[Flag]]:
        usual = context.usual_length_ratio()
        ratios = {k: context.length_ratio(b) for k, b in enumerate(context.beads) if b.en and b.ar}
        found: list[list[Flag]] = [[] for _ in context.beads]
        for k, ratio in ratios.items():
            skew = ratio / usual
            if skew > self.factor or skew < 1 / self.factor:
                longer: Side = "ar" if skew > 1 else "en"
                times = skew if skew > 1 else 1 / skew
                message = f"The {LANGUAGE[longer]} is {times:.1f}× as long as usual for this document"
                found[k].append(Flag(self.type, longer, "info", message, context.whole(context.beads[k], longer)))
        return found


@dataclass(frozen=True)
class PunctuationCheck(BeadCheck):
    """A question on one side only, or brackets and quotes left unbalanced."""

    type = "punctuation"

    def check_bead(self, bead: Bead, context: CheckContext) -> list[Flag]:
        if not (bead.en and bead.ar):
            return []
        en, ar = context.joined(bead, "en"), context.joined(bead, "ar")
        flags = []
        asks_en, asks_ar = "?" in en, "؟" in ar or "?" in ar
        if asks_en != asks_ar:
            side: Side = "en" if asks_en else "ar"
            flags.append(Flag(self.type, side, "info", f"A question mark in the {LANGUAGE[side]} only",
                              context.whole(bead, side)))
        texts: dict[Side, str] = {"en": en, "ar": ar}
        for side in SIDES:
            for left, right in _PAIRS:
                if texts[side].count(left) != texts[side].count(right):
                    flags.append(Flag(self.type, side, "info", f"Unbalanced {left}{right} in the {LANGUAGE[side]}",
                                      context.whole(bead, side)))
        return flags


@dataclass(frozen=True)
class UntranslatedCheck(BeadCheck):
    """A side in the wrong script, or both sides the same text: left untranslated."""

    type = "untranslated"

    def check_bead(self, bead: Bead, context: CheckContext) -> list[Flag]:
        if not (bead.en and bead.ar):
            return []
        en, ar = context.joined(bead, "en"), context.joined(bead, "ar")
        if normalize_text(en) == normalize_text(ar) and any(ch.isalpha() for ch in en):
            return [Flag(self.type, "both", "warning", "Both versions are the same text: not translated",
                         context.whole(bead, "ar"))]
        _, latin_in_ar = script_shares(ar)
        if latin_in_ar > 0.5 and len(ar) >= 20:
            return [Flag(self.type, "ar", "warning", "The Arabic side is mostly in Latin script: not translated?",
                         context.whole(bead, "ar"))]
        arabic_in_en, _ = script_shares(en)
        if arabic_in_en > 0.5 and len(en) >= 20:
            return [Flag(self.type, "en", "warning", "The English side is mostly in Arabic script: not translated?",
                         context.whole(bead, "en"))]
        return []
