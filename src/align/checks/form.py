"""Surface checks: length-ratio outliers, punctuation mismatches and untranslated text.

These are cheap hints for a reviewer, so most are ``info``; text left untranslated is a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from align.checks.base import BeadCheck, Check, CheckContext
from align.fingerprint import normalize_text, normalized_differ
from align.model import SIDES, Bead, Flag, Side
from align.text import ARABIC_SCRIPT, LANGUAGE, LATIN_LETTER, script_shares

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


# English function words: prose has them, code, identifiers, URLs and lists of names do not.
_EN_FUNCTION_WORDS = frozenset([
    "the", "a", "an", "of", "to", "in", "on", "at", "for", "by", "with", "from", "and", "or", "but", "is",
    "are", "was", "were", "be", "been", "it", "this", "that", "these", "those", "as", "if", "not", "no", "can",
    "will", "would", "should", "must", "may", "you", "we", "they", "he", "she", "your", "our", "their", "its",
    "which", "who", "what", "when", "how", "there", "here", "has", "have", "had", "do", "does",
])
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")


def reads_as_english_prose(text: str, min_words: int = 5, min_share: float = 0.15) -> bool:
    """Whether ``text`` is an English sentence rather than code, a URL, an identifier or a name list."""
    words = _WORD.findall(text)
    if len(words) < min_words:
        return False
    function = sum(w.lower() in _EN_FUNCTION_WORDS for w in words)
    return function >= 2 and function / len(words) >= min_share


@dataclass(frozen=True)
class UntranslatedCheck(Check):
    """English prose left in the Arabic (or Arabic in the English): not translated.

    Technical documents legitimately keep code, identifiers, URLs, names and English terms the
    same in both versions; such segments are not findings one by one. The document gets one
    ``info`` that says how many there are, on the first of them.
    """

    type = "untranslated"
    min_chars: int = 20  # shorter sides are a word or two: a term, not an untranslated sentence

    def run(self, context: CheckContext) -> list[list[Flag]]:
        found: list[list[Flag]] = [[] for _ in context.beads]
        kept: list[int] = []
        for k, bead in enumerate(context.beads):
            if not (bead.en and bead.ar):
                continue
            en, ar = context.joined(bead, "en"), context.joined(bead, "ar")
            # Both sides the same text, or the Arabic side in Latin script: kept as written, or not translated.
            # Each test is cut short where a cheap search decides it: the same answer, not reading
            # whole texts (most beads are an English and an Arabic text).
            same = (not normalized_differ(en, ar) and normalize_text(en) == normalize_text(ar)
                    and any(ch.isalpha() for ch in en))
            latin_arabic = LATIN_LETTER.search(ar) is not None and script_shares(ar)[1] > 0.5
            flag = self._untranslated(bead, context, en, ar, same, latin_arabic)
            if flag is not None:
                found[k].append(flag)
            elif same or latin_arabic:
                kept.append(k)
        if kept:
            first = context.beads[kept[0]]
            noun = "segment is" if len(kept) == 1 else f"{len(kept)} segments are"
            found[kept[0]].append(Flag(self.type, "both", "info",
                                       f"{noun[0].upper()}{noun[1:]} kept as written in both versions (code, "
                                       "identifiers, addresses, names or terms): not counted as untranslated",
                                       context.whole(first, "ar")))
        return found

    def _untranslated(self, bead: Bead, context: CheckContext, en: str, ar: str, same: bool,
                      latin_arabic: bool) -> Flag | None:
        if (same or latin_arabic) and len(ar) >= self.min_chars and reads_as_english_prose(ar):
            message = ("Both versions are the same English text: not translated" if same
                       else "The Arabic side is English prose: not translated?")
            return Flag(self.type, "ar", "warning", message, context.whole(bead, "ar"))
        arabic_in_en = script_shares(en)[0] if ARABIC_SCRIPT.search(en) else 0.0
        if arabic_in_en > 0.5 and len(en) >= self.min_chars:
            return Flag(self.type, "en", "warning", "The English side is mostly in Arabic script: not translated?",
                        context.whole(bead, "en"))
        return None
