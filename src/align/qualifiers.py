"""Qualifiers of numbers: "about 30 yards", "up to 10 inches", «أكثر من 40». A translation that keeps
the number but drops its qualifier states an estimate as a fact ("up to £1.5 million" → «1.5»).

Qualifiers come in kinds that a translator renders by kind: an estimate (about, nearly), an upper
bound (up to, as high as), a lower bound (more than, at least), a bound from below (less than) and
a moment next to a time (just before). A qualifier is *found* only next to a number, so that "talk
about" or «نحو المدينة» (towards the city) never count; a qualifier is *answered* by any word of
its kind anywhere in the other version, so that a free rendering («ليصل إلى», «بلوغ») is not a
finding. Strict evidence on the side that is flagged, lenient evidence on the side that answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from align.model import Side
from align.numbers import find_numbers

KINDS = ("estimate", "upper", "lower", "below", "moment")


@dataclass(frozen=True)
class Qualifier:
    """A qualifier found next to a number: its kind and where it is."""

    kind: str
    start: int
    end: int
    text: str


def _words(*phrases: str) -> str:
    return "|".join(sorted((p.replace(" ", r"\s+") for p in phrases), key=len, reverse=True))


# English: the qualifier must be followed by a number (or "a/an" for the kinds that quantify a
# single unit: "about an hour", "nearly a 20-degree"). "over" and a bare "just" are left out:
# "over 24 hours" is a span and "just two minutes in" means only.
_EN_STRICT = {
    "estimate": _words("about", "around", "approximately", "roughly", "nearly", "almost", "some", "close to",
                       "an estimated", "some estimated"),
    "upper": _words("up to", "as high as", "as many as", "as much as", "as long as", "as far as", "at most",
                    "no more than", "a maximum of"),
    "lower": _words("more than", "at least", "upwards of", "in excess of", "well over", "just over", "no fewer than",
                    "no less than"),
    "below": _words("less than", "fewer than", "just under", "just shy of", "not quite"),
    "moment": _words("just before", "just after", "shortly before", "shortly after", "right before", "right after"),
}
_EN_AN = {"estimate", "upper", "moment"}
_EN_NUMBER_WORD = re.compile(r"\s+(?:a|an)\b", re.I)
# "around one defender" is a place, not an estimate.
_EN_AROUND_ONE = re.compile(r"around\s+(?:a|an|one)\b", re.I)
# "~" is an estimate too ("10~20%", "~50").
_EN_TILDE = re.compile(r"~")
_EN_LENIENT = {
    "estimate": _EN_STRICT["estimate"] + "|" + _words("estimated", "roughly", "or so", "approximate", "circa", "ca",
                                                     "c", "approx", "near", "in the region of", "odd"),
    "upper": _EN_STRICT["upper"] + "|" + _words("reach", "reaches", "reached", "reaching", "maximum", "until",
                                               "till", "through"),
    "lower": _EN_STRICT["lower"] + "|" + _words("over", "above", "exceed", "exceeds", "exceeded", "exceeding",
                                               "plus", "greater than", "more"),
    "below": _EN_STRICT["below"] + "|" + _words("under", "below", "fewer", "less"),
    "moment": _EN_STRICT["moment"] + "|" + _words("just", "shortly", "immediately", "soon after", "right"),
}

# Arabic, with the clitics that attach to the first word (و، ف، ب، ل، لـ).
_AR_CLITIC = r"(?:[وف]?[بل]?)"
_AR_STRICT = {
    "estimate": _words("حوالي", "حوالى", "نحو", "قرابة", "زهاء", "تقريبا", "تقريبًا", "تقريباً", "ما يقرب من",
                       "ما يقارب", "يقارب", "ما يناهز", "يناهز", "ناهز", "قرابة"),
    # Bare «يصل إلى» is "reaches" («ارتفع ليصل إلى 832», climbed to 832), not "up to".
    "upper": _words("ما يصل إلى", "ما يصل الى", "ما قد يصل إلى", "ما لا يزيد عن", "ما لا يزيد على", "بحد أقصى",
                    "كحد أقصى"),
    "lower": _words("أكثر من", "ما يزيد عن", "ما يزيد على", "يزيد عن", "يزيد على", "أزيد من",
                    "ما يربو على", "ما لا يقل عن", "لا يقل عن", "على الأقل", "ما يفوق", "يفوق", "ما يتجاوز",
                    "يتجاوز"),
    "below": _words("أقل من", "ما يقل عن", "ما دون", "أدنى من"),
    "moment": _words("قبيل", "قبل ذلك بقليل", "بقليل", "مباشرة", "مباشرةً"),
}
_AR_LENIENT = {
    "estimate": _AR_STRICT["estimate"] + "|" + _words("يقرب", "يقارب", "تقريبي", "تقريبية", "تقدير", "يقدر",
                                                     "تقدر", "المقدر",
                                                     "المقدرة", "بضع", "بضعة", "نحوا", "نحوًا"),
    "upper": _AR_STRICT["upper"] + "|" + _words("يصل", "تصل", "وصل", "وصلت", "بلوغ", "يبلغ", "تبلغ", "بلغ",
                                               "بلغت", "أقصى", "الأقصى", "قد يصل", "حتى", "إلى حد"),
    "lower": _AR_STRICT["lower"] + "|" + _words("أكثر", "يزيد", "تزيد", "زاد", "يفوق", "تفوق", "فاق", "تجاوز",
                                               "يتجاوز", "تتجاوز", "فوق", "الأقل", "يقل", "تقل", "أزيد", "يربو"),
    "below": _AR_STRICT["below"] + "|" + _words("أقل", "دون", "يقل", "تقل", "أدنى"),
    "moment": _AR_STRICT["moment"] + "|" + _words("قبيل", "بعيد", "بقليل", "مباشرة", "فور", "للتو", "لتوه"),
}
# An Arabic qualifier is next to a number when one starts within a few words after it, or, for
# «تقريبًا» which follows the number, ends just before it.
_AR_REACH = 12
# «من قبيل المصادفة» (by chance) is not «قبيل» (just before).
_AR_IDIOM = re.compile(r"من\s+$")


def _compile_en(table: dict[str, str], strict: bool) -> dict[str, re.Pattern[str]]:
    # The lookahead for the phrases' first letters passes over a position that cannot start one at
    # once, instead of trying every phrase there (the same matches, several times faster).
    return {kind: re.compile(r"\b(?=[" + _first_letters(words) + r"])(?:" + words + r")"
                             + (r"(?=\s)" if strict else r"\b"), re.I)
            for kind, words in table.items()}


def _first_letters(alternation: str) -> str:
    letters = sorted({phrase[0] for phrase in alternation.split("|")})
    assert all(c.isalpha() and c.isascii() for c in letters), letters  # safe inside a character class
    return "".join(letters)


def _compile_ar(table: dict[str, str]) -> dict[str, re.Pattern[str]]:
    # Digits may be written against the word («حوالي200»), so only a letter ends a word here.
    return {kind: re.compile(r"(?<![^\W\d_])" + _AR_CLITIC + r"(?:" + words + r")(?![^\W\d_])")
            for kind, words in table.items()}


_STRICT = {"en": _compile_en(_EN_STRICT, strict=True), "ar": _compile_ar(_AR_STRICT)}
# Every English phrase of every kind, without what must follow it: where this finds nothing, no
# kind's pattern can (the text is then read once instead of once per kind).
_EN_ANY_STRICT = _compile_en({"any": "|".join(_EN_STRICT.values())}, strict=False)["any"]
_LENIENT = {"en": _compile_en(_EN_LENIENT, strict=False), "ar": _compile_ar(_AR_LENIENT)}


def find_qualifiers(text: str, side: Side) -> list[Qualifier]:
    """Qualifiers in ``text`` that stand next to a number, in order of position."""
    # «منتصف» is read as a half, but after «نحو» it is a place: «نحو منتصف الملعب», towards midfield.
    numbers = [(m.start, m.end) for m in find_numbers(text, side) if "منتصف" not in m.text]
    if not numbers and side == "ar":
        return []  # an Arabic qualifier is found only near a number
    if side == "en" and not _EN_ANY_STRICT.search(text):
        return []
    found = []
    for kind, pattern in _STRICT[side].items():
        for m in pattern.finditer(text):
            if _next_to_number(text, m, kind, side, numbers):
                found.append(Qualifier(kind, m.start(), m.end(), m.group(0)))
    return _without_overlaps(sorted(found, key=lambda q: (q.start, -(q.end - q.start))))


def answers(text: str, side: Side, kind: str) -> int:
    """How many words of ``kind`` ``text`` has anywhere, number or not: what may answer a qualifier."""
    tilde = len(_EN_TILDE.findall(text)) if side == "en" and kind == "estimate" else 0
    return len(_LENIENT[side][kind].findall(text)) + tilde


def _next_to_number(text: str, m: re.Match[str], kind: str, side: Side, numbers: list[tuple[int, int]]) -> bool:
    if side == "en":
        if _EN_AROUND_ONE.match(text, m.start()):
            return False
        gap = re.compile(r"\s*(?:[$£€]\s*)?")
        after = gap.match(text, m.end())
        position = after.end() if after else m.end()
        if any(start == position for start, _ in numbers):
            return True
        return kind in _EN_AN and bool(_EN_NUMBER_WORD.match(text, m.end()))
    if _AR_IDIOM.search(text, max(0, m.start() - 4), m.start()):
        return False
    return any(0 <= start - m.end() <= _AR_REACH or 0 <= m.start() - end <= 3 for start, end in numbers)


def _without_overlaps(found: list[Qualifier]) -> list[Qualifier]:
    """The longest qualifier where two overlap ("just before" over a moment's "before")."""
    out: list[Qualifier] = []
    for q in found:
        if out and q.start < out[-1].end:
            continue
        out.append(q)
    return out


def unanswered(mine: list[Qualifier], other_text: str, other_side: Side) -> list[Qualifier]:
    """The qualifiers of ``mine`` that the other version has fewer words of their kind for."""
    out = []
    for kind in KINDS:
        of_kind = [q for q in mine if q.kind == kind]
        if not of_kind:
            continue  # nothing to answer: the other text need not be read
        spare = len(of_kind) - answers(other_text, other_side, kind)
        if spare > 0:
            out.extend(of_kind[-spare:] if spare < len(of_kind) else of_kind)
    return sorted(out, key=lambda q: q.start)
