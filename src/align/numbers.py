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

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from align.model import Side
from align.text import DIGITS_TO_ASCII, Reading, ascii_digits, reading_form

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
# A period may stand before a number glued to an abbreviation ("Fig.2"), not inside one ("2.5").
# It opens with a lookahead for the digit every number starts with: a position without one is passed
# over at once instead of trying the lookbehinds there (same matches).
_PREFIX = r"(?=\d)(?<![\d٫٬])(?<!\d[.,])"
# A clock time ("15:00", "15.00", FLORES Arabic "15،00") reads as one decimal-like value, so every
# spelling of it compares equal; a plain number takes , ٬ as thousands and . ٫ as decimal marks.
_NUMBER = r"\d{1,2}[:،]\d{2}(?!\d)|\d+(?:[.,٫٬]\d+|،\d{3}(?!\d))*"
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
_EN_FIRST_WORDS = ["a", "an", "one", *_EN_UNITS, *_EN_TENS]
# Each pattern below opens with a lookahead for the first letters it can start with: a position
# that cannot start a match is passed over at once instead of trying every alternative (same matches).
_EN_WORD_NUMBER = re.compile(
    r"\b(?=[" + "".join(sorted({w[0] for w in _EN_FIRST_WORDS})) + r"])"
    r"(?:(?:" + "|".join(_EN_FIRST_WORDS) + r")(?:[\s-]+(?:and\s+)?"
    r"(?:" + "|".join(list(_EN_UNITS) + list(_EN_TENS) + ["hundred", "thousand", "million", "billion", "trillion"])
    + r"))*)\b",
    re.IGNORECASE,
)
_ANY_DIGIT = re.compile(r"\d")  # what every digit pattern here needs (DIGITS_TO_ASCII maps digits to digits)
_HIJRI = re.compile(r"^\s*(?:هـ|ه\b|هجري)")
# "type I", "Phase II", "World War II": a Roman numeral the other version may write as a digit.
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10}
_ROMAN_AFTER = ("type", "phase", "class", "stage", "grade", "war", "chapter", "part", "category", "level", "article")
_EN_ROMAN = re.compile(r"(?=[(" + "".join(sorted({w[0] for w in _ROMAN_AFTER})) + r"])"
                       r"(?:\b(?:" + "|".join(_ROMAN_AFTER) + r")[\s-]+"
                       r"(I{1,3}|IV|VI{0,3}|IX|X)\b|\((i{1,3}|iv|vi{0,3}|ix|x)\))", re.IGNORECASE)
_MILITARY_TIME = re.compile(r"^\s*(?:GMT|UTC|hrs\b|hours\b|h\b|Z\b)")
# Ordinal words: "the fifth of August" renders "August 5", "النوع الأول" renders "Type 1".
_AR_ORDINALS = {
    "الأول": 1, "الأولى": 1, "الاول": 1, "الاولى": 1, "الثاني": 2, "الثانية": 2, "الثالث": 3, "الثالثة": 3,
    "الرابع": 4, "الرابعة": 4, "الخامس": 5, "الخامسة": 5, "السادس": 6, "السادسة": 6, "السابع": 7,
    "السابعة": 7, "الثامن": 8, "الثامنة": 8, "التاسع": 9, "التاسعة": 9, "العاشر": 10, "العاشرة": 10,
}
_AR_ORDINAL_UNITS = {**_AR_ORDINALS, "الحادي": 1, "الحادية": 1}
_AR_ORDINAL_TENS = {"العشرون": 20, "العشرين": 20, "الثلاثون": 30, "الثلاثين": 30, "الأربعون": 40, "الأربعين": 40,
                    "الاربعون": 40, "الاربعين": 40, "الخمسون": 50, "الخمسين": 50, "الستون": 60, "الستين": 60,
                    "السبعون": 70, "السبعين": 70, "الثمانون": 80, "الثمانين": 80, "التسعون": 90, "التسعين": 90}


def _alternation(words: Iterable[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


def _opening(words: Iterable[str], glued: str = "وب") -> str:
    """A lookahead for the letters a word of ``words``, or a glued ``glued`` letter, starts with: a
    position that cannot start a match is passed over at once (the same matches, several times
    faster than trying the lookbehind and every alternative there)."""
    return "(?=[" + "".join(sorted(set(glued) | {w[0] for w in words})) + "])"


# "الثالثة عشر" (13th), "الحادي والعشرين" (21st), "الخامسة" (5th), "الأربعين" (40th): an ordinal in
# every gender and case, units first as Arabic writes them.
_AR_ORDINAL = re.compile(
    _opening([*_AR_ORDINAL_UNITS, *_AR_ORDINAL_TENS]) +
    r"(?:(?<!\w)[وب]?(?P<unit>" + _alternation(_AR_ORDINAL_UNITS) + r")"
    r"(?:\s+(?P<teen>عشرة?)|\s+و(?P<tens>" + _alternation(_AR_ORDINAL_TENS) + r"))?(?!\w)"
    r"|(?<!\w)[وب]?(?P<alone>" + _alternation(_AR_ORDINAL_TENS) + r")(?!\w))"
)
# Fractions a translator may write for a percentage: "half" = "النصف" = 50%.
_FRACTIONS = {"half": 0.5, "quarter": 0.25, "نصف": 0.5, "النصف": 0.5, "ربع": 0.25, "الربع": 0.25}
_FRACTION = re.compile(_opening(_FRACTIONS) + r"(?<!\w)[وب]?(" + _alternation(_FRACTIONS) + r")(?!\w)",
                       re.IGNORECASE)
# A currency amount with a glued scale: "£125m", "$5bn", "€300k".
_CURRENCY_SCALE = re.compile(r"(m|mn|bn|b|k)(?![A-Za-z])")
_CURRENCY_SCALES = {"m": 1e6, "mn": 1e6, "bn": 1e9, "b": 1e9, "k": 1e3}
# "1950-53", "2018/19": the second year of a range, written with two digits.
_YEAR_RANGE = re.compile(r"\s*[-–—/]\s*$")
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
    # Other readings of the same writing: "150.000" is 150 or 150,000; "-53" after 1950 is 1953.
    alternatives: tuple[float, ...] = ()
    digits: str = ""  # the digits as written, for integers written without separators: "116123"
    as_written: bool = False  # labelled as written: a height "6-foot-6" rather than 6.5

    @property
    def values(self) -> tuple[float, ...]:
        return (self.value, *self.alternatives)

    def label(self) -> str:
        """The value as a reader would write it: 250,000 / 3.5 / 40% / 2/3."""
        if "/" in self.text or self.as_written:
            return self.text
        value = int(self.value) if float(self.value).is_integer() else self.value
        shown = f"{value:,}" if isinstance(value, int) and value >= 10_000 else f"{value:g}"
        return shown + ("%" if self.percent else "")


def _parse_digits(raw: str) -> tuple[float, tuple[float, ...]] | None:
    """Value of a digit string with thousands/decimal separators, and its other reading if the
    writing is ambiguous; None if it is not one number.

    Arabic writers use "." and "،" as thousands separators as often as decimal marks: a single
    separator followed by exactly three digits ("150.000", "30،000", "3,500") reads both ways, and
    the other version's value decides (see :func:`unmatched_numbers`).
    """
    text = raw.translate(DIGITS_TO_ASCII).replace("٬", ",").replace("٫", ".").replace(":", ".")
    if re.fullmatch(r"\d{1,3}[.,،]\d{3}", text):
        head, tail = text[:-4], text[-3:]
        thousands, decimal = float(head + tail), float(f"{head}.{tail}")
        # The primary reading keeps the separator's usual meaning: "," thousands, "." decimal.
        return (decimal, (thousands,)) if text[-4] == "." else (thousands, (decimal,))
    text = text.replace("،", ".")
    value = _parse_plain(text)
    return None if value is None else (value, ())


def _parse_plain(text: str) -> float | None:
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
        parsed = _parse_digits(m.group("num"))
        if parsed is None:
            continue
        value, alternatives = parsed
        end = m.end()
        if side == "en" and len(m.group("num")) == 4 and _MILITARY_TIME.match(text[m.end():]):
            value = value / 100  # "1200 GMT" is the "12:00" of the other version
        scale = m.group("scale")
        factor = scales[scale.lower() if side == "en" else scale] if scale else 1.0
        currency = _CURRENCY_SCALE.match(text, m.end("num")) if before in "£$€" and not scale else None
        if currency:  # "£125m": the glued letter is a scale, not a unit or a name
            factor, end, glued = _CURRENCY_SCALES[currency.group(1).lower()], currency.end(), False
        value *= factor
        alternatives = tuple(a * factor for a in alternatives)
        # A digit ordinal ("2nd") is usually a word in Arabic ("الثانية"): it may match, never accuse.
        # A Hijri year ("1441 هـ") often has no counterpart in an English Gregorian date.
        hijri = side == "ar" and bool(_HIJRI.match(text[m.end():]))
        # English 1 and 2 are often carried by an Arabic singular or dual ("2 sixes" = "ستتين").
        small = side == "en" and value in (1.0, 2.0) and not m.group("pct")
        explicit = not glued and not hijri and not small and (side == "ar" or not m.group("ord"))
        raw = m.group("num").translate(DIGITS_TO_ASCII)
        out.append(NumberMention(value, m.start(), end, text[m.start():end].strip(), explicit, bool(m.group("pct")),
                                 alternatives, raw if raw.isdigit() else ""))
    return _with_year_ranges(text, out)


def _with_year_ranges(text: str, mentions: list[NumberMention]) -> list[NumberMention]:
    """Give the two-digit end of a year range ("1950-53") its full year as another reading."""
    out = list(mentions)
    for k in range(1, len(out)):
        first, second = out[k - 1], out[k]
        if (len(first.digits) == 4 and 1000 <= first.value < 2200 and len(second.digits) == 2
                and _YEAR_RANGE.match(text[first.end:second.start])):
            year = first.value // 100 * 100 + second.value
            out[k] = replace(second, alternatives=(*second.alternatives, year))
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
    # "type II", and list markers "(i)", "(ii)" that the other version numbers "(1)", "(2)".
    out = [NumberMention(float(_ROMAN[(m.group(1) or m.group(2)).upper()]), m.start(m.lastindex or 0),
                         m.end(m.lastindex or 0), m.group(m.lastindex or 0), False)
           for m in _EN_ROMAN.finditer(text)]
    for m in _EN_WORD_NUMBER.finditer(text):
        phrase = m.group(0)
        if phrase.lower() in ("a", "an"):
            continue  # the article, by far the most frequent find (a find has no space at its ends)
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


@functools.lru_cache(maxsize=16384)
def _is_number_word(word: str) -> bool:
    # Remembered: the same words recur from segment to segment, and pyarabic's reading is slow.
    from pyarabic import number as arnumber

    return word in AR_DUALS or word in AR_SCALES or word in _AR_ORDINALS or arnumber.text2number(word) > 0


def _without_article(text: str) -> str:
    """``text`` with the article and a glued preposition blanked (same length) on number words.

    "الأربعين" reads as "أربعين", "بثمان" as "ثمان", and "والعشرون" as "وعشرون" (the conjunction
    stays glued so that pyarabic joins "خمس وعشرون").
    """
    chars: list[str] | None = None  # made only when a word changes (most texts keep every word)
    for m in _PREFIXED_WORD.finditer(text):
        prefix, article, word = m.groups("")
        if not (prefix or article) or word in _AR_ORDINALS or not _is_number_word(word):
            continue
        kept = "و" if prefix == "و" else ""
        cut = len(prefix) + len(article)
        chars = list(text) if chars is None else chars
        chars[m.start():m.start() + cut] = list(" " * (cut - len(kept)) + kept)
    return text if chars is None else "".join(chars)


# A word with a glued preposition or the article. The lookahead only skips, at no cost, the words
# that start with neither (they match with both groups empty, and are left as they are).
_PREFIXED_WORD = re.compile(r"(?<!\w)(?=[وبلك]|ال)([وبلك]?)(ال)?(\w+)")
# Dual forms, each found on its own (a phrase may hold two: "ألفين ومليوني").
_AR_DUAL_PATTERNS = [(word, value, re.compile(r"(?<!\w)(?:[وب]?)" + re.escape(word) + r"(?!\w)"))
                     for word, value in AR_DUALS.items()]
_TASHKEEL = re.compile("[\u064b-\u0652]")  # what pyarabic's strip_tashkeel removes


@functools.cache
def _pyarabic_tokens() -> tuple[re.Pattern[str], frozenset[str]]:
    from pyarabic import araby, number_const

    return araby.TOKEN_PATTERN, frozenset(number_const.NUMBER_WORDS)


def _may_hold_number_phrase(text: str) -> bool:
    """False only where pyarabic's ``extract_number_phrases`` finds nothing in ``text``.

    pyarabic starts a phrase only at a token that is, as it is or without its first letter (a
    glued conjunction or preposition), one of its number words or numeric; without tashkeel (which
    it strips from tokens) a token is a piece between its separators. Most segments hold no such
    token, and the test is far cheaper than pyarabic's own reading.
    """
    if _TASHKEEL.search(text):
        return True  # pyarabic strips tashkeel from its tokens: leave such a text to it
    separators, words = _pyarabic_tokens()
    # split() with a group returns token, separator, token, ...: the tokens are every other piece.
    tokens = separators.split(text)[::2]
    return (not words.isdisjoint(tokens) or not words.isdisjoint([t[1:] for t in tokens])
            or any(map(str.isnumeric, text)))  # a numeric token holds a numeric character


def _arabic_word_mentions(text: str) -> list[NumberMention]:
    from pyarabic import number as arnumber

    # Digits are read elsewhere; masked (same length), they cannot leak into a word phrase.
    masked = _without_article(re.sub(r"[0-9٠-٩۰-۹]", " ", text))
    out = []
    for word, value, pattern in _AR_DUAL_PATTERNS:
        if word not in masked:
            continue
        for m in pattern.finditer(masked):
            out.append(NumberMention(value, m.start(), m.end(), text[m.start():m.end()], True))
    pos = 0
    phrases = arnumber.extract_number_phrases(masked) if _may_hold_number_phrase(masked) else []
    for phrase in phrases:
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
    ordinals = [_ordinal_mention(m) for m in _AR_ORDINAL.finditer(text)]
    # "الثالثة عشر" is one ordinal (13); pyarabic reads its "عشر" as a cardinal 10 of its own.
    out = [w for w in out if not any(o.start <= w.start and w.end <= o.end for o in ordinals)]
    return out + ordinals


def _ordinal_mention(m: re.Match[str]) -> NumberMention:
    if m.group("alone"):
        value = _AR_ORDINAL_TENS[m.group("alone")]
    else:
        value = _AR_ORDINAL_UNITS[m.group("unit")]
        if m.group("teen"):
            value += 10
        elif m.group("tens"):
            value += _AR_ORDINAL_TENS[m.group("tens")]
    return NumberMention(float(value), m.start(), m.end(), m.group(0), False)


def _fraction_mentions(text: str) -> list[NumberMention]:
    """"half", "النصف": they may stand for a percentage ("50 percent" = "النصف"); they never accuse."""
    out = []
    for m in _FRACTION.finditer(text):
        share = _FRACTIONS[m.group(1).lower()]
        out.append(NumberMention(share, m.start(), m.end(), m.group(0), False, alternatives=(share * 100,)))
    return out


# "220 2/3 innings", "3/4 of them": a simple fraction is one value (not a 2 and a 3). Dates
# (12/03/2020) are not fractions.
_SIMPLE_FRACTION = re.compile(r"(?=[1-9])(?<![\d/.,])([1-9])/([1-9]|1[0-2])(?![\d/])")


def _simple_fractions(text: str, digits: list[NumberMention]) -> list[NumberMention]:
    out = list(digits)
    for m in _SIMPLE_FRACTION.finditer(ascii_digits(text)):
        out = [d for d in out if not (m.start() <= d.start and d.end <= m.end())]
        value = int(m.group(1)) / int(m.group(2))
        out.append(NumberMention(value, m.start(), m.end(), m.group(0), True))
    return sorted(out, key=lambda d: d.start)


# A height in feet and inches is one value: "6-foot-6" is 6.5 feet, not two sixes, so that
# «6 أقدام» (6 feet) for it is found. The same for «6 أقدام و6 بوصات».
_HEIGHT = {
    "en": re.compile(r"\b(\d{1,2})[-\s]?(?:foot|feet|ft\.?|['’′])[-\s]?(\d{1,2})"
                     r"(?:[-\s]?(?:inches|inch|in\b\.?|[\"”″]))?"),
    "ar": re.compile(r"(\d{1,2})\s*(?:أقدام|قدمًا|قدماً|قدما|قدم)\s+و\s*(\d{1,2})\s*(?:بوصات|بوصة|إنشات|إنش|انشات|انش)"),
}


def _heights(text: str, side: Side, digits: list[NumberMention]) -> list[NumberMention]:
    out = list(digits)
    for m in _HEIGHT[side].finditer(ascii_digits(text)):
        inches = int(m.group(2))
        if inches >= 12:
            continue
        out = [d for d in out if not (m.start() <= d.start and d.end <= m.end())]
        out.append(NumberMention(int(m.group(1)) + inches / 12, m.start(), m.end(), m.group(0), True,
                                 as_written=True))
    return sorted(out, key=lambda d: d.start)


def find_numbers(text: str, side: Side) -> list[NumberMention]:
    """Every number mention in ``text``, in order of position, read as a reader sees the text.

    Values come from the reading form (:func:`align.text.reading_form`: no bidi or zero-width
    characters, tatweel, tashkeel or presentation forms); offsets and ``text`` are the original's.
    """
    return list(_numbers_in(text, side))


@functools.lru_cache(maxsize=1 << 16)
def _numbers_in(text: str, side: Side) -> tuple[NumberMention, ...]:
    # Cached: the number and qualifier checks both read the same segments (a 1-1 bead's text is
    # also its joined text), and the mentions are frozen. The checks run one after the other over
    # the whole document, so the cache holds a long document's segments (a 5,000-line pair's 10,000
    # missed a 4,096-entry cache: the qualifier check read every segment again).
    reading = reading_form(text)
    mentions = _numbers_as_read(reading.text, side)
    if reading.text == text:
        return tuple(mentions)
    return tuple(_in_original(m, reading, text) for m in mentions)


def _in_original(mention: NumberMention, reading: Reading, text: str) -> NumberMention:
    start, end = reading.original_span(mention.start, mention.end)
    return replace(mention, start=start, end=end, text=text[start:end].strip())


def _numbers_as_read(text: str, side: Side) -> list[NumberMention]:
    # Every digit reading (numbers, fractions, heights) starts at a digit: most segments have none.
    digits = _heights(text, side, _simple_fractions(text, _digit_mentions(text, side))) \
        if _ANY_DIGIT.search(text) else []
    words = _english_word_mentions(text) if side == "en" else _arabic_word_mentions(text)
    words += _fraction_mentions(text)
    # A scale word right after digits ("12 مليون") was already read with them.
    words = [w for w in words if not any(w.start < d.end + 2 and d.start < w.end for d in digits)]
    return sorted(digits + words, key=lambda m: m.start)


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1.0)


def _agree(a: NumberMention, b: NumberMention) -> bool:
    """Whether some reading of ``a`` equals some reading of ``b``."""
    return any(_same(x, y) for x in a.values for y in b.values)


MIN_CODE_DIGITS = 3


def _in_digit_run(mention: NumberMention, run: str) -> bool:
    """A phone number, code or ID written in groups on one side and in one piece on the other
    ("116 123" / "116123") compares as the string of its digits."""
    return len(mention.digits) >= MIN_CODE_DIGITS and mention.digits in run


def unmatched_numbers(mine: list[NumberMention], theirs: list[NumberMention]) -> list[NumberMention]:
    """Explicit mentions in ``mine`` that no reading of a mention in ``theirs`` matches.

    Values are matched as multisets, so "15 and 15" against one "15" leaves one unmatched.
    Unambiguous mentions pick their partners first, so "3.500" cannot take the 3.5 that another
    mention needs.
    """
    pool = list(theirs)
    run = "".join(t.digits for t in theirs)
    missing = []
    for mention in sorted(mine, key=lambda m: (not m.explicit, bool(m.alternatives))):
        hit = next((k for k, t in enumerate(pool) if _agree(mention, t)), None)
        if hit is not None:
            pool.pop(hit)
        elif mention.explicit and not _in_digit_run(mention, run):
            missing.append(mention)
    return sorted(missing, key=lambda m: m.start)


# What a number counts, read from the word after it. Two versions that give the same number with
# different units disagree ("five weeks" / "خمسة أيام", "40 percentage points" / "40 في المائة").
_EN_UNIT_WORDS = {
    "day": "day", "days": "day", "week": "week", "weeks": "week", "month": "month", "months": "month",
    "year": "year", "years": "year", "hour": "hour", "hours": "hour", "minute": "minute", "minutes": "minute",
    "percentage point": "point", "percentage points": "point",
}
_AR_UNIT_WORDS = {
    **dict.fromkeys(["يوم", "أيام", "ايام", "يوما", "يومًا", "يوماً", "يومين", "يومان"], "day"),
    **dict.fromkeys(["أسبوع", "اسبوع", "أسابيع", "اسابيع", "أسبوعا", "أسبوعًا", "أسبوعين", "أسبوعان"], "week"),
    **dict.fromkeys(["شهر", "أشهر", "اشهر", "شهور", "شهرا", "شهرًا", "شهراً", "شهرين", "شهران"], "month"),
    **dict.fromkeys(["سنة", "سنوات", "سنه", "عام", "أعوام", "اعوام", "عاما", "عامًا", "عاماً", "سنين", "عامين",
                     "سنتين", "عامان", "سنتان"], "year"),
    **dict.fromkeys(["ساعة", "ساعات", "ساعتين", "ساعتان"], "hour"),
    **dict.fromkeys(["دقيقة", "دقائق", "دقيقتين", "دقيقتان"], "minute"),
    **dict.fromkeys(["نقطة مئوية", "نقاط مئوية", "نقطتين مئويتين"], "point"),
}
_EN_UNIT = re.compile(r"[\s-]*(percentage points?|[A-Za-z]+)", re.IGNORECASE)
_AR_UNIT = re.compile(r"\s*((?:نقطة|نقاط|نقطتين) مئوي\w*|[\u0621-\u064A\u064B-\u0652]+)")


def unit_of(mention: NumberMention, text: str, side: Side) -> str | None:
    """The unit the number in ``text`` counts ("day", "year", "percent", "point"), or None.

    ``mention`` is one :func:`find_numbers` found in ``text``; the unit word is read in the reading
    form, so "أيــام" is "أيام".
    """
    if mention.percent:
        return "percent"
    reading = reading_form(text)
    text = reading.text
    m = (_EN_UNIT if side == "en" else _AR_UNIT).match(text, reading.position(mention.end))
    if not m:
        return None
    word = m.group(1).lower() if side == "en" else re.sub(r"مئوي\w*", "مئوية", m.group(1))
    if side == "ar" and word == "يوم" and _AR_WEEKDAY.match(text, m.end()):
        return None  # "الدقيقة 89 يوم السبت": "on Saturday", not a count of days
    return (_EN_UNIT_WORDS if side == "en" else _AR_UNIT_WORDS).get(word)


def different_units(en: list[tuple[NumberMention, str | None]],
                    ar: list[tuple[NumberMention, str | None]]) -> list[tuple[NumberMention, NumberMention]]:
    """Pairs (English, Arabic) with the same number but a different unit, where no mention of that
    number on the other side has the same unit."""
    out = []
    for e, unit in en:
        if unit is None:
            continue
        same_number = [(a, u) for a, u in ar if _agree(e, a)]
        if any(u == unit for _, u in same_number):
            continue
        other = next((a for a, u in same_number if u is not None), None)
        if other is not None:
            out.append((e, other))
    return out


# A score or result written as two numbers: "2&1", "31-27", "3 to 1" in English; in Arabic only the
# worded "1 مقابل 2" ("1 against 2") fixes an order. Digits joined by a hyphen or slash in Arabic
# are shown reordered by the right-to-left layout, so translators write "27-31" for "31-27" and
# that order means nothing.
_EN_SCORE = re.compile(r"(?<![\d.,])(\d{1,3})\s*(?:&|[-–—]|\bto\b)\s*(\d{1,3})(?![\d.,%]|\s*(?:%|percent))")
_AR_SCORE = re.compile(r"(?<![\d.,٫٬])(\d{1,3})\s+(?:مقابل|مقابلَ)\s+(\d{1,3})(?![\d.,٫٬%٪])")


@dataclass(frozen=True)
class Score:
    """Two numbers written as a score or result, in their written order."""

    first: int
    second: int
    start: int
    end: int
    text: str


def find_scores(text: str, side: Side) -> list[Score]:
    """Scores whose written order means something: any "a&b", "a-b", "a to b" in English; only
    "a مقابل b" in Arabic. Offsets are in ``text``."""
    if not _ANY_DIGIT.search(text):
        return []  # both score patterns start with a digit (the reading form adds none)
    reading = reading_form(text)
    plain = ascii_digits(reading.text)
    out = []
    for m in (_EN_SCORE if side == "en" else _AR_SCORE).finditer(plain):
        start, end = reading.original_span(m.start(), m.end())
        out.append(Score(int(m.group(1)), int(m.group(2)), start, end, text[start:end]))
    return out


def reversed_scores(en: list[Score], ar: list[Score]) -> list[tuple[Score, Score]]:
    """Pairs (English, Arabic) where the Arabic gives the English score's two numbers the other way
    round ("2&1" / "1 مقابل 2") and gives them nowhere in the English order."""
    out = []
    for a in ar:
        if a.first == a.second or any((e.first, e.second) == (a.first, a.second) for e in en):
            continue
        flipped = next((e for e in en if (e.first, e.second) == (a.second, a.first)), None)
        if flipped is not None:
            out.append((flipped, a))
    return out


@dataclass(frozen=True)
class DateName:
    """A weekday or month named in a text: ``kind`` is "weekday" or "month", ``value`` 1-7 or 1-12."""

    kind: str
    value: int
    start: int
    end: int
    text: str


_EN_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_EN_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
              "november", "december"]
_AR_WEEKDAYS = {"الاثنين": 1, "الإثنين": 1, "الثلاثاء": 2, "الأربعاء": 3, "الاربعاء": 3, "الخميس": 4, "الجمعة": 5,
                "السبت": 6, "الأحد": 7, "الاحد": 7}
_AR_WEEKDAY = re.compile(r"\s*(?:" + _alternation(_AR_WEEKDAYS) + r")")
# Egyptian/Gulf, Levantine and Maghrebi month names.
_AR_MONTHS = {
    "يناير": 1, "فبراير": 2, "مارس": 3, "أبريل": 4, "ابريل": 4, "إبريل": 4, "مايو": 5, "يونيو": 6, "يونيه": 6,
    "يوليو": 7, "يوليه": 7, "أغسطس": 8, "اغسطس": 8, "سبتمبر": 9, "أكتوبر": 10, "اكتوبر": 10, "نوفمبر": 11,
    "ديسمبر": 12, "كانون الثاني": 1, "شباط": 2, "آذار": 3, "اذار": 3, "نيسان": 4, "أيار": 5, "ايار": 5,
    "حزيران": 6, "تموز": 7, "آب": 8, "أيلول": 9, "ايلول": 9, "تشرين الأول": 10, "تشرين الاول": 10,
    "تشرين الثاني": 11, "كانون الأول": 12, "كانون الاول": 12, "جانفي": 1, "فيفري": 2, "أفريل": 4, "افريل": 4,
    "ماي": 5, "جوان": 6, "جويلية": 7, "يوليوز": 7, "أوت": 8, "اوت": 8, "غشت": 8, "شتنبر": 9, "نونبر": 11,
    "دجنبر": 12,
}
# A weekday followed by a capitalised word is a name: "The Sunday Times", "Saturday Night Live".
_EN_DATE = re.compile(r"\b(?=[" + "".join(sorted({w[0].upper() for w in _EN_WEEKDAYS + _EN_MONTHS})) + r"])"
                      r"(" + "|".join(w.capitalize() for w in _EN_WEEKDAYS + _EN_MONTHS)
                      + r")(?:['’]s)?\b(?!\s+(?!May\b|On\b|In\b|At\b)[A-Z])")
# "يوم" is sometimes typed against the name («يومالخميس»).
_AR_DATE = re.compile(r"(?<!\w)(?:[وبل]|[وبل]?يوم)?(" + "|".join(sorted(list(_AR_WEEKDAYS) + list(_AR_MONTHS), key=len,
                                                                  reverse=True)) + r")(?!\w)")
# "May" is a month only next to a number ("May 5", "5 May"); "الاثنين" is Monday only after "يوم"
# or before "الماضي/المقبل" (it is also "the two").
_EN_MAY = re.compile(r"\d\s*May\b|\bMay\s*\d")
# Maghrebi "ماي" (May) is also a name (Theresa May), "آب" (August) a word: months only by a number.
_AR_NEAR_NUMBER = {"ماي", "آب"}
_AR_NUMBER_NEAR = re.compile(r"[0-9٠-٩]\s*$")
_AR_NUMBER_AFTER = re.compile(r"\s*[0-9٠-٩]")
_AR_MONDAY = re.compile(r"(?:يوم|يومي|يومَي|أيام)\s*$")
_AR_MONDAY_AFTER = re.compile(r"\s*(?:الماضي|المقبل|القادم)")


def find_dates(text: str, side: Side) -> list[DateName]:
    """Weekdays and months named in ``text``, read in its reading form; offsets and text are the original's."""
    return list(_dates_in(text, side))


@functools.lru_cache(maxsize=1 << 16)
def _dates_in(text: str, side: Side) -> tuple[DateName, ...]:
    # Cached, as _numbers_in: the number and qualifier checks both read every segment's dates.
    reading = reading_form(text)
    names = _dates_as_read(reading.text, side)
    if reading.text == text:
        return tuple(names)
    out = []
    for name in names:
        start, end = reading.original_span(name.start, name.end)
        out.append(replace(name, start=start, end=end, text=text[start:end]))
    return tuple(out)


def _dates_as_read(text: str, side: Side) -> list[DateName]:
    out = []
    if side == "en":
        for m in _EN_DATE.finditer(text):
            word = m.group(1).lower()
            if word == "may" and not _EN_MAY.search(text, max(0, m.start() - 3), m.end() + 3):
                continue
            kind, value = ("weekday", _EN_WEEKDAYS.index(word) + 1) if word in _EN_WEEKDAYS else (
                "month", _EN_MONTHS.index(word) + 1)
            out.append(DateName(kind, value, m.start(1), m.end(1), m.group(1)))
        return out
    for m in _AR_DATE.finditer(text):
        word = m.group(1)
        if word in ("الاثنين", "الإثنين") and not (_AR_MONDAY.search(text, 0, m.start())
                                                  or _AR_MONDAY_AFTER.match(text, m.end())):
            continue
        if word in _AR_NEAR_NUMBER and not (_AR_NUMBER_NEAR.search(text, 0, m.start())
                                            or _AR_NUMBER_AFTER.match(text, m.end())):
            continue
        if word in _AR_WEEKDAYS:
            out.append(DateName("weekday", _AR_WEEKDAYS[word], m.start(1), m.end(1), word))
        else:
            out.append(DateName("month", _AR_MONTHS[word], m.start(1), m.end(1), word))
    return out


def weekday_written(text: str, side: Side, value: int) -> bool:
    """Whether ``text`` names weekday ``value`` (1 = Monday) anywhere, even run into other words."""
    names = _EN_WEEKDAYS if side == "en" else [w for w, v in _AR_WEEKDAYS.items() if v == value]
    if side == "en":
        return names[value - 1] in text.lower()
    return any(name in text for name in names)


def any_weekday_written(text: str, side: Side) -> bool:
    """Whether ``text`` names any weekday anywhere: :func:`weekday_written` for some day, in one pass."""
    if side == "en":
        lowered = text.lower()
        return any(name in lowered for name in _EN_WEEKDAYS)
    return any(name in text for name in _AR_WEEKDAYS)


def different_dates(en: list[DateName], ar: list[DateName]) -> list[tuple[list[DateName], list[DateName]]]:
    """For each kind both versions name, the names of each that the other lacks (when any differ)."""
    out = []
    for kind in ("weekday", "month"):
        mine = [d for d in en if d.kind == kind]
        theirs = [d for d in ar if d.kind == kind]
        if not mine or not theirs:
            continue  # one version says "this month" or leaves the day out: not a contradiction
        only_en = [d for d in mine if d.value not in {t.value for t in theirs}]
        only_ar = [d for d in theirs if d.value not in {t.value for t in mine}]
        if only_en or only_ar:
            out.append((only_en, only_ar))
    return out
