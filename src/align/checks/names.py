"""``name``: names, acronyms, URLs and e-mail addresses present on one side only; glossary terms.

* A URL or e-mail address must appear on both sides (warning).
* A Latin-script token kept in the Arabic ("PCR", "ZMapp") must appear in the English (warning).
* An English name (a capitalised word inside a sentence) should appear in the Arabic either in
  Latin script or transliterated. Transliterations are matched by consonant skeleton
  ("Meslet" M-S-L-T = "المسلط" م-س-ل-ط). A miss is only ``info``: many names are translated
  ("United Nations" = "الأمم المتحدة"), not transliterated.
* An acronym dropped from a list of acronyms whose other items the Arabic spells or keeps
  ("CBS, ABC, NBC, CNN" against «سي بي أس وإيه بي سي وسي إن إن») is a warning.
* A glossary (``english<TAB>arabic`` lines) checks terminology: when the English term occurs, the
  Arabic term should too (warning).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

from align.acronyms import dropped as dropped_acronyms
from align.checks.base import BeadCheck, CheckContext
from align.errors import InputError
from align.fingerprint import normalize_text
from align.io import read_user_lines
from align.model import SIDES, Bead, Evidence, Flag, GlossaryEntry, Side
from align.text import ARABIC_WORD, LANGUAGE
from align.text import other as other_side

_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'،]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
# What every match of _URL holds: its first alternative's opening, or the "@" of its second.
_URL_OPENING = re.compile(r"https?://|www\.", re.IGNORECASE)
# _LATIN_TOKEN and _NAME open with a lookahead for the letters a match starts with: a position that
# cannot start one is passed over at once instead of trying the lookbehind there (same matches).
_LATIN_TOKEN = re.compile(r"(?=[A-Za-z])(?:(?<![\w-])[A-Za-z][A-Za-z0-9.+-]*[A-Za-z0-9]|(?<![\w-])[A-Z](?![\w-]))")
# A full name: two or more capitalised words ("Steven Tyler", "Cristina Fernandez de Kirchner"),
# or one with an Arabic article ("Al-Meslet"). Single capitalised words are too often ordinary
# words that Arabic translates ("Hurricane", "Ocean") to be worth a finding.
_CAP = r"[A-Z][a-z]+(?:-[A-Z][a-z]+)*"
_NAME = re.compile(r"(?=[A-Za])(?<![\w'-])(?:" + _CAP + r"(?:\s+(?:de|al|bin|ibn|van|von|da|del)?\s*" + _CAP + r")+"
                   r"|[Aa][ls]-[A-Z][a-z]+)(?![\w-])")
_POSSESSIVE = re.compile(r"['’]s$")
_SPACES = re.compile(r"[\s]+")

# Capitalised words that are not names, or not worth a finding.
_NOT_NAMES = frozenset([
    "I", "A", "An", "The", "This", "That", "These", "Those", "It", "Its", "He", "She", "They", "We", "You", "Our",
    "Their", "His",
    "Her", "My", "Mr", "Mrs", "Ms", "Dr", "Prof", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
    "Saturday", "Sunday", "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December", "President", "Minister", "Prime", "King", "Queen", "Prince",
    "Government", "State", "States", "Council", "Ministry", "Department", "Committee", "Party", "Army",
    "Republic", "Kingdom", "Union", "Nations", "United", "National", "International", "Federal", "Royal",
    "Supreme", "General", "Secretary", "Chairman", "Director", "Press", "Release", "Home", "News", "Read",
    "More", "Share", "Follow", "Also", "However", "But", "And", "Or", "If", "When", "While", "After", "Before",
    "During", "Since", "Although", "God", "Lord", "Islam", "Islamic", "Arab", "Arabs", "Arabic", "English",
    "Western", "Eastern", "North", "South", "East", "West", "Northern", "Southern", "Day", "Week", "Year",
    "Month", "Act", "Law", "Court", "Street", "Road", "Avenue", "University", "Hospital", "Center", "Centre",
])

# Consonant classes shared by both scripts; vowels and ambiguous glides drop out.
_LATIN_DIGRAPHS = [("sh", "S"), ("ch", "S"), ("th", "T"), ("kh", "K"), ("gh", "K"), ("ph", "F"), ("ck", "K")]
_LATIN_CLASS = {"b": "B", "p": "B", "t": "T", "d": "D", "k": "K", "c": "K", "q": "K", "g": "K", "j": "K",
                "x": "KS", "s": "S", "z": "S", "h": "H", "f": "F", "v": "F", "l": "L", "m": "M", "n": "N",
                "r": "R"}
_ARABIC_CLASS = {"ب": "B", "پ": "B", "ت": "T", "ط": "T", "ة": "", "ث": "T", "د": "D", "ض": "D", "ذ": "D",
                 "ظ": "D", "ك": "K", "ق": "K", "ج": "K", "غ": "K", "خ": "K", "گ": "K", "س": "S", "ص": "S",
                 "ز": "S", "ش": "S", "ح": "H", "ه": "H", "ف": "F", "ڤ": "F", "ل": "L", "م": "M", "ن": "N",
                 "ر": "R"}


_REPEATED = re.compile(r"(.)\1+")
_ARTICLE = re.compile(r"^[وبفلك]?ال")


# Skeletons are remembered: the same words recur from bead to bead.
@lru_cache(maxsize=1 << 14)
def latin_skeleton(word: str) -> str:
    """Consonant classes of a Latin-script name: "Meslet" -> "MSLT"."""
    word = word.lower()
    for digraph, cls in _LATIN_DIGRAPHS:
        word = word.replace(digraph, cls)
    out = "".join(ch if ch.isupper() else _LATIN_CLASS.get(ch, "") for ch in word)
    return _REPEATED.sub(r"\1", out)


@lru_cache(maxsize=1 << 16)
def arabic_skeleton(word: str) -> str:
    """Consonant classes of an Arabic word, without the article: "المسلط" -> "MSLT"."""
    word = _ARTICLE.sub("", word)
    out = "".join(_ARABIC_CLASS.get(ch, "") for ch in word)
    return _REPEATED.sub(r"\1", out)


def _close(a: str, b: str) -> bool:
    """Equal skeletons, or one class apart when both are long enough for that to be telling."""
    if a == b:
        return True
    if min(len(a), len(b)) < 4 or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) <= 1
    short, long = sorted((a, b), key=len)
    return any(long[:k] + long[k + 1:] == short for k in range(len(long)))


def transliterated(name: str, arabic: str) -> bool:
    """Whether ``name`` seems to appear in ``arabic`` as a transliteration (one or two words)."""
    target = latin_skeleton(name)
    if len(target) < 2:
        return True  # too short to tell; say nothing
    # Only skeletons at most one class longer or shorter can be close (see _close).
    by_length = _skeletons_by_length(arabic)
    return any(_close(target, c) for n in range(len(target) - 1, len(target) + 2) for c in by_length.get(n, ()))


@lru_cache(maxsize=64)
def _skeletons_by_length(arabic: str) -> dict[int, tuple[str, ...]]:
    """The non-empty skeletons of every word and every two adjacent words of ``arabic``, by length.

    Read once per bead rather than once per English name word in it (the check tries every word of
    every name against the same Arabic)."""
    words = [arabic_skeleton(w) for w in ARABIC_WORD.findall(arabic)]
    by_length: dict[int, list[str]] = {}
    for candidate in dict.fromkeys(words + [a + b for a, b in pairwise(words)]):
        if candidate:
            by_length.setdefault(len(candidate), []).append(candidate)
    return {n: tuple(c) for n, c in by_length.items()}


def read_glossary(path: str | Path) -> tuple[GlossaryEntry, ...]:
    """Read ``english<TAB>arabic`` lines; blank lines and ``#`` comments are skipped."""
    p = Path(path)
    lines = read_user_lines(p, "glossary file")
    entries = []
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
            raise InputError(f"{p}:{number}: expected 'english<TAB>arabic'")
        entries.append(GlossaryEntry(parts[0].strip(), parts[1].strip()))
    return tuple(entries)


def _may_hold_address(text: str) -> bool:
    """False only where ``_URL`` finds nothing: far cheaper than its e-mail branch, which tries
    every run of word characters for an "@"."""
    return "@" in text or _URL_OPENING.search(text) is not None


def _addresses_in(text: str) -> list[str]:
    return _URL.findall(text) if _may_hold_address(text) else []


def _bare_address(url: str) -> str:
    return url.lower().rstrip(".,;:)/").removeprefix("http://").removeprefix("https://")


@lru_cache(maxsize=4096)
def _term_pattern(english: str) -> re.Pattern[str]:
    # Compiled once per term, not once per bead (re's own cache holds 512 patterns: a long glossary
    # would be compiled again for every bead).
    return re.compile(r"\b" + re.escape(english) + r"\b", re.IGNORECASE)


def _evidence(side: Side, bead: Bead, context: CheckContext, pattern: re.Pattern[str], wanted: str) -> Evidence:
    for i, text in zip(bead.ids(side), context.texts(bead, side), strict=True):
        m = pattern.search(text)
        if m:
            return Evidence(side, i, m.start(), m.end(), m.group(0), wanted)
    return Evidence(side, bead.ids(side)[0], 0, 0, wanted, wanted)


@dataclass(frozen=True)
class NameCheck(BeadCheck):
    type = "name"
    glossary: tuple[GlossaryEntry, ...] = ()  # terminology to enforce: English term -> Arabic rendering

    def check_bead(self, bead: Bead, context: CheckContext) -> list[Flag]:
        if not (bead.en and bead.ar):
            return []
        en, ar = context.joined(bead, "en"), context.joined(bead, "ar")
        return [*self._addresses(bead, context, en, ar), *self._latin_in_arabic(bead, context, en, ar),
                *self._names(bead, context, en, ar), *self._listed_acronyms(bead, context, ar),
                *self._terms(bead, context, en, ar)]

    def _addresses(self, bead: Bead, context: CheckContext, en: str, ar: str) -> list[Flag]:
        flags = []
        found: dict[Side, list[str]] = {"en": _addresses_in(en), "ar": _addresses_in(ar)}
        for side in SIDES:
            other = {_bare_address(u) for u in found[other_side(side)]}
            for url in found[side]:
                if _bare_address(url) not in other:
                    ev = _evidence(side, bead, context, re.compile(re.escape(url)), url)
                    flags.append(Flag(self.type, side, "warning", f"Address {url} only in {LANGUAGE[side]}", (ev,)))
        return flags

    def _latin_in_arabic(self, bead: Bead, context: CheckContext, en: str, ar: str) -> list[Flag]:
        english = en.lower()
        flags = []
        for token in dict.fromkeys(_LATIN_TOKEN.findall(_URL.sub(" ", ar) if _may_hold_address(ar) else ar)):
            if len(token) >= 2 and token.lower() not in english:
                ev = _evidence("ar", bead, context, re.compile(r"(?<![\w-])" + re.escape(token)), token)
                flags.append(Flag(self.type, "ar", "warning", f"«{token}» in the Arabic is not in the English", (ev,)))
        return flags

    def _names(self, bead: Bead, context: CheckContext, en: str, ar: str) -> list[Flag]:
        arabic_latin = ar.lower()
        flags = []
        for i, text in zip(bead.en, context.texts(bead, "en"), strict=True):
            for m in _NAME.finditer(text):
                name = m.group(0)
                words = [_POSSESSIVE.sub("", w) for w in _SPACES.split(name) if w[:1].isupper()]
                if any(w in _NOT_NAMES or w.lower() in arabic_latin for w in words):
                    continue
                if not any(transliterated(w, ar) for w in words):
                    flags.append(Flag(self.type, "en", "info", f"Name «{name}» not found in the Arabic",
                                      (Evidence("en", i, m.start(), m.end(), name),)))
        return flags

    def _listed_acronyms(self, bead: Bead, context: CheckContext, ar: str) -> list[Flag]:
        return [Flag(self.type, "en", "warning",
                     f"«{m.group(0)}» is not in the Arabic, though the other items of its list are",
                     (Evidence("en", i, m.start(), m.end(), m.group(0)),))
                for i, text in zip(bead.en, context.texts(bead, "en"), strict=True)
                for m in dropped_acronyms(text, ar)]

    def _terms(self, bead: Bead, context: CheckContext, en: str, ar: str) -> list[Flag]:
        flags = []
        arabic: str | None = None  # read only when a term occurs (most beads hold none)
        for entry in self.glossary:
            pattern = _term_pattern(entry.english)
            if not pattern.search(en):
                continue
            arabic = normalize_text(ar) if arabic is None else arabic
            if normalize_text(entry.arabic) not in arabic:
                ev = _evidence("en", bead, context, pattern, entry.english)
                flags.append(Flag(self.type, "en", "warning",
                                  f"Glossary: «{entry.english}» should be rendered «{entry.arabic}»", (ev,)))
        return flags
