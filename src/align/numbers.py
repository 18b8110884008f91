"""Numbers in English and Arabic text, normalised to values so the two sides can be compared.

Handles Western, Arabic-Indic (٠-٩) and Persian (۰-۹) digits; the separators ``,`` ``٬`` (thousands)
and ``.`` ``٫`` (decimal); ``%``, ``٪``, "percent" and "في المئة"; scale words (thousand/ألف/آلاف/ألفاً,
million/مليون/ملايين/مليوناً, billion/مليار, trillion); "a million" = 1,000,000; spelled-out numbers
in English (simple rules) and Arabic (pyarabic); and digit ordinals (1st, 2nd).

Each mention says whether it was written with digits (``explicit``): only explicit mentions can
raise a mismatch, because a spelled-out English "two" is often rendered by an Arabic dual form
with no number word at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from align.model import Side
from align.text import DIGITS_TO_ASCII

EN_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9, "mn": 1e6}
AR_SCALES = {
    "ألف": 1e3, "الف": 1e3, "آلاف": 1e3, "الاف": 1e3, "ألفا": 1e3, "ألفاً": 1e3, "ألفًا": 1e3, "الفا": 1e3,
    "مليون": 1e6, "ملايين": 1e6, "مليونا": 1e6, "مليوناً": 1e6, "مليونًا": 1e6,
    "مليار": 1e9, "مليارات": 1e9, "مليارا": 1e9, "ملياراً": 1e9, "مليارًا": 1e9, "بليون": 1e9,
    "ترليون": 1e12, "تريليون": 1e12, "تريليونات": 1e12,
}
# Dual forms carry their own count: "مليونان" is two million.
AR_DUALS = {"ألفان": 2e3, "ألفين": 2e3, "ألفي": 2e3, "مليونان": 2e6, "مليونين": 2e6, "مليوني": 2e6,
            "ملياران": 2e9, "مليارين": 2e9, "ملياري": 2e9}

_EN_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_EN_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
            "ninety": 90}

# Not inside another number ("1,000", "2.5"); letters before are allowed and mark a glued name.
_PREFIX = r"(?<![\d.٫٬])(?<!\d,)"
# A clock time ("15:00", "15.00", FLORES Arabic "15،00") reads as one decimal-like value, so every
# spelling of it compares equal; a plain number takes , ٬ as thousands and . ٫ as decimal marks.
_NUMBER = r"\d{1,2}[:،]\d{2}(?!\d)|\d+(?:[.,٫٬]\d+)*"
_EN_NUMBER = re.compile(
    _PREFIX + r"(?P<num>" + _NUMBER + r")(?P<ord>st|nd|rd|th)?(?![.,٫٬]?\d)"
    r"(?:\s*(?P<pct>%|\s?percent\b|\s?per cent\b))?"
    r"(?:\s*(?P<scale>thousand|million|billion|trillion|bn|mn)\b)?",
    re.IGNORECASE,
)
_AR_SCALE_WORDS = "|".join(sorted(map(re.escape, AR_SCALES), key=len, reverse=True))
# Arabic glues a conjunction or preposition to the number: "و250", "ب٣٫٥٪".
_AR_PREFIX_LETTERS = "وبلفك"
_AR_NUMBER = re.compile(
    _PREFIX + r"(?P<num>" + _NUMBER + r")(?![.,٫٬]?\d)"
    r"(?:\s*(?P<pct>٪|%|\s?(?:في|ف[ي]?)\s?(?:المائة|المئة)|\s?بالمائة|\s?بالمئة))?"
    r"(?:\s*(?P<scale>" + _AR_SCALE_WORDS + r")(?!\w))?"
)
_EN_WORD_NUMBER = re.compile(
    r"\b(?:(?:a|an|one|" + "|".join(list(_EN_UNITS) + list(_EN_TENS)) + r")(?:[\s-]+(?:and\s+)?"
    r"(?:" + "|".join(list(_EN_UNITS) + list(_EN_TENS) + ["hundred", "thousand", "million", "billion", "trillion"])
    + r"))*)\b",
    re.IGNORECASE,
)
_HIJRI = re.compile(r"^\s*(?:هـ|ه\b|هجري)")
# "type I", "Phase II", "World War II": a Roman numeral the other version may write as a digit.
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10}
_EN_ROMAN = re.compile(r"\b(?:type|phase|class|stage|grade|war|chapter|part|category|level|article)\s+"
                       r"(I{1,3}|IV|VI{0,3}|IX|X)\b", re.IGNORECASE)
_MILITARY_TIME = re.compile(r"^\s*(?:GMT|UTC|hrs\b|hours\b|h\b|Z\b)")
# Ordinal words: "the fifth of August" renders "August 5", "النوع الأول" renders "Type 1".
_AR_ORDINALS = {
    "الأول": 1, "الأولى": 1, "الاول": 1, "الاولى": 1, "الثاني": 2, "الثانية": 2, "الثالث": 3, "الثالثة": 3,
    "الرابع": 4, "الرابعة": 4, "الخامس": 5, "الخامسة": 5, "السادس": 6, "السادسة": 6, "السابع": 7,
    "السابعة": 7, "الثامن": 8, "الثامنة": 8, "التاسع": 9, "التاسعة": 9, "العاشر": 10, "العاشرة": 10,
}
_AR_ORDINAL = re.compile(r"(?<!\w)[وب]?(" + "|".join(sorted(_AR_ORDINALS, key=len, reverse=True)) + r")(?!\w)")
# Only a singular scale word is a definite number ("مليون" = a million); "ملايين" means "millions".
_AR_DEFINITE_SCALES = {"مليون", "مليار", "بليون", "ترليون", "تريليون", "ألف", "الف"}


@dataclass(frozen=True)
class NumberMention:
    """A number found in a text: its value, where it is, and whether it was written with digits."""

    value: float
    start: int
    end: int
    text: str
    explicit: bool
    percent: bool = False

    def label(self) -> str:
        """The value as a reader would write it: 250,000 / 3.5 / 40%."""
        value = int(self.value) if float(self.value).is_integer() else self.value
        shown = f"{value:,}" if isinstance(value, int) and value >= 10_000 else f"{value:g}"
        return shown + ("%" if self.percent else "")


def _parse_digits(raw: str) -> float | None:
    """Value of a digit string with thousands/decimal separators; None if it is not one number."""
    text = raw.translate(DIGITS_TO_ASCII).replace("٬", ",").replace("٫", ".").replace(":", ".").replace("،", ".")
    if "," in text and "." in text:
        text = text.replace(",", "")
    elif "," in text:
        groups = text.split(",")
        if all(len(g) == 3 for g in groups[1:]) and 1 <= len(groups[0]) <= 3:
            text = text.replace(",", "")
        elif len(groups) == 2:
            text = text.replace(",", ".")  # a decimal comma ("3,5")
        else:
            return None
    elif text.count(".") > 1:
        groups = text.split(".")
        if all(len(g) == 3 for g in groups[1:]):
            text = text.replace(".", "")  # "1.000.000"
        else:
            return None  # a version or a date such as 12.03.2020
    try:
        return float(text)
    except ValueError:
        return None


def _digit_mentions(text: str, side: Side) -> list[NumberMention]:
    pattern = _EN_NUMBER if side == "en" else _AR_NUMBER
    scales = EN_SCALES if side == "en" else AR_SCALES
    out = []
    for m in pattern.finditer(text):
        before = text[m.start() - 1] if m.start() else " "
        after = text[m.end("num") + len(m.group("ord") or ""):][:1] if side == "en" else text[m.end("num"):][:1]
        # Digits glued to letters ("H1N1", "G20", "2.4GHz", "229E") belong to a name or a unit:
        # they may match the other side but never raise a mismatch.
        prefixed = side == "ar" and before in _AR_PREFIX_LETTERS and (
            m.start() < 2 or not text[m.start() - 2].isalpha())
        glued = (before.isalpha() and not prefixed) or (
            (after.isalpha() or (after != "" and after in "'’")) and not m.group("scale") and not m.group("pct"))
        value = _parse_digits(m.group("num"))
        if value is None:
            continue
        if side == "en" and len(m.group("num")) == 4 and _MILITARY_TIME.match(text[m.end():]):
            value = value / 100  # "1200 GMT" is the "12:00" of the other version
        scale = m.group("scale")
        if scale:
            value *= scales[scale.lower() if side == "en" else scale]
        # A digit ordinal ("2nd") is usually a word in Arabic ("الثانية"): it may match, never accuse.
        # A Hijri year ("1441 هـ") often has no counterpart in an English Gregorian date.
        hijri = side == "ar" and bool(_HIJRI.match(text[m.end():]))
        # English 1 and 2 are often carried by an Arabic singular or dual ("2 sixes" = "ستتين").
        small = side == "en" and value in (1.0, 2.0) and not m.group("pct")
        explicit = not glued and not hijri and not small and (side == "ar" or not m.group("ord"))
        out.append(NumberMention(value, m.start(), m.end(), m.group(0).strip(), explicit, bool(m.group("pct"))))
    return out


def _english_words_value(phrase: str) -> float | None:
    """Value of "a million", "twenty-five", "three hundred and forty thousand"; None if unparsable."""
    total, current = 0.0, 0.0
    seen = False
    for word in re.split(r"[\s-]+", phrase.lower()):
        if word == "and":
            continue
        if word in ("a", "an"):
            current = 1.0
        elif word in _EN_UNITS:
            current += _EN_UNITS[word]
        elif word in _EN_TENS:
            current += _EN_TENS[word]
        elif word == "hundred":
            current = max(current, 1.0) * 100
        elif word in EN_SCALES:
            total += max(current, 1.0) * EN_SCALES[word]
            current = 0.0
        else:
            return None
        seen = True
    return total + current if seen else None


def _english_word_mentions(text: str) -> list[NumberMention]:
    out = [NumberMention(float(_ROMAN[m.group(1).upper()]), m.start(1), m.end(1), m.group(1), False)
           for m in _EN_ROMAN.finditer(text)]
    for m in _EN_WORD_NUMBER.finditer(text):
        phrase = m.group(0)
        words = phrase.lower().split()
        if words[0] in ("a", "an") and len(words) == 1:
            continue
        has_scale = any(w in EN_SCALES or w == "hundred" for w in re.split(r"[\s-]+", phrase.lower()))
        if words[0] in ("a", "an", "one") and not has_scale:
            continue  # "a", "one of them": not quantities worth comparing
        value = _english_words_value(phrase)
        if value is not None:
            # "a million" is as definite as a digit; "two" may be an Arabic dual with no number word.
            explicit = has_scale and value >= 1e3
            out.append(NumberMention(value, m.start(), m.end(), phrase, explicit))
    return out


def _is_number_word(word: str) -> bool:
    from pyarabic import number as arnumber

    return word in AR_DUALS or word in AR_SCALES or word in _AR_ORDINALS or arnumber.text2number(word) > 0


def _without_article(text: str) -> str:
    """``text`` with the article and a glued preposition blanked (same length) on number words.

    "الأربعين" reads as "أربعين", "بثمان" as "ثمان", and "والعشرون" as "وعشرون" (the conjunction
    stays glued so that pyarabic joins "خمس وعشرون").
    """
    chars = list(text)
    for m in re.finditer(r"(?<!\w)([وبلك]?)(ال)?(\w+)", text):
        prefix, article, word = m.group(1), m.group(2) or "", m.group(3)
        if not (prefix or article) or word in _AR_ORDINALS or not _is_number_word(word):
            continue
        kept = "و" if prefix == "و" else ""
        cut = len(prefix) + len(article)
        chars[m.start():m.start() + cut] = list(" " * (cut - len(kept)) + kept)
    return "".join(chars)


def _arabic_word_mentions(text: str) -> list[NumberMention]:
    from pyarabic import number as arnumber

    # Digits are read elsewhere; masked (same length), they cannot leak into a word phrase.
    masked = _without_article(re.sub(r"[0-9٠-٩۰-۹]", " ", text))
    out = []
    for word, value in AR_DUALS.items():
        for m in re.finditer(r"(?<!\w)(?:[وب]?)" + re.escape(word) + r"(?!\w)", masked):
            out.append(NumberMention(value, m.start(), m.end(), text[m.start():m.end()], True))
    pos = 0
    for phrase in arnumber.extract_number_phrases(masked):
        # pyarabic returns the phrase with single spaces; the masked text may hold more.
        found = re.compile(r"\s+".join(map(re.escape, phrase.split()))).search(masked, pos)
        if not found:
            continue
        start, pos = found.start(), found.end()
        if phrase in AR_DUALS or not phrase:
            continue
        value = float(arnumber.text2number(phrase))
        if value <= 0:
            continue
        definite = phrase in _AR_DEFINITE_SCALES and value >= 1e6
        out.append(NumberMention(value, start, pos, text[start:pos].strip(), definite))
    for m in _AR_ORDINAL.finditer(text):
        out.append(NumberMention(float(_AR_ORDINALS[m.group(1)]), m.start(), m.end(), m.group(0), False))
    return out


def find_numbers(text: str, side: Side) -> list[NumberMention]:
    """Every number mention in ``text``, in order of position."""
    digits = _digit_mentions(text, side)
    words = _english_word_mentions(text) if side == "en" else _arabic_word_mentions(text)
    # A scale word right after digits ("12 مليون") was already read with them.
    words = [w for w in words if not any(w.start < d.end + 2 and d.start < w.end for d in digits)]
    return sorted(digits + words, key=lambda m: m.start)


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1.0)


def unmatched_numbers(mine: list[NumberMention], theirs: list[NumberMention]) -> list[NumberMention]:
    """Explicit mentions in ``mine`` whose value appears nowhere in ``theirs``.

    Values are matched as multisets, so "15 and 15" against one "15" leaves one unmatched.
    """
    pool = [t.value for t in theirs]
    missing = []
    for mention in sorted(mine, key=lambda m: not m.explicit):
        hit = next((k for k, v in enumerate(pool) if _same(v, mention.value)), None)
        if hit is not None:
            pool.pop(hit)
        elif mention.explicit:
            missing.append(mention)
    return sorted(missing, key=lambda m: m.start)
