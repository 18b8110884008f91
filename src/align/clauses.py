"""Clause boundaries inside a sentence, for finding content that only one version carries."""

from __future__ import annotations

import re

from align.model import Side

_EN_REPORTING = r"(?:said|says|stressed|added|noted|stated|announced|confirmed|reported|explained|warned|affirmed|" \
    r"emphasi[sz]ed|indicated|argued|insisted|declared|revealed)"
_AR_REPORTING = "أكد|أكدت|قال|قالت|أضاف|أضافت|أوضح|أوضحت|أشار|أشارت|ذكر|ذكرت|أعلن|أعلنت|شدد|شددت|لفت|لفتت|" \
    "بين|بينت|صرح|صرحت|اعتبر|اعتبرت|رأى|رأت|نوه|نوهت"
_EN_CUT = re.compile(
    r"[,;:]\s+|\s+[—–-]\s+|\s+(?=\()|(?<=\))\s+|\s+(?=(?:and|but|while|whereas|which|who|whom|whose|because|although|though|after|"
    r"before|when|where|as well as|including|so that|since|unless|if|until|despite|according to|as)\s)"
    r"|\b" + _EN_REPORTING + r"\b[^,;.]{0,80}?\bthat\s+"
)
_AR_CUT = re.compile(
    r"[،,؛;:]\s*|\s+[—–-]\s+|\s+(?=\()|(?<=\))\s+"
    r"|\s+(?=(?:و(?:قد|لكن|كان|كانت|هو|هي|هم|لا|لم|لن|أن|إن|ذلك|التي|الذي|كما|بعد|قبل|عند|فقا|إذا)|لكن|بينما|حيث|التي|الذي|"
    r"الذين|بعد|قبل|عندما|بما في ذلك|إلا أن|غير أن|لأن|مما|حتى|إذا|كي|لكي|بسبب|رغم|على الرغم|وفقا|وفقًا|حسب|ثم)\s)"
    r"|(?:^|(?<=\s))[وف]?(?:" + _AR_REPORTING + r")\s[^،؛.]{0,120}?\s(?:أن|ان|إن|بأن)\s"
)
MIN_WORDS = 3


def clause_spans(text: str, side: Side) -> list[tuple[int, int]]:
    """``(start, end)`` of each clause of ``text``; the spans cover all of it, in order.

    Cuts at commas, semicolons, colons, dashes and brackets, and after a reporting lead-in
    ("X said in a statement that", "أكد ... أن"). Pieces shorter than ``MIN_WORDS`` words are
    joined to their neighbour, so a clause is always something a reader could miss.
    """
    pattern = _EN_CUT if side == "en" else _AR_CUT
    cuts = sorted({m.end() for m in pattern.finditer(text) if 0 < m.end() < len(text)})
    spans = []
    start = 0
    for cut in cuts + [len(text)]:
        spans.append((start, cut))
        start = cut
    merged: list[tuple[int, int]] = []
    for span in spans:
        if merged and len(text[merged[-1][0]:merged[-1][1]].split()) < MIN_WORDS:
            merged[-1] = (merged[-1][0], span[1])
        else:
            merged.append(span)
    if len(merged) > 1 and len(text[merged[-1][0]:merged[-1][1]].split()) < MIN_WORDS:
        last = merged.pop()
        merged[-1] = (merged[-1][0], last[1])
    return merged


_EN_LEAD_IN = re.compile(r"^[^,;.]{0,60}?\b" + _EN_REPORTING + r"\b[^,;.]{0,80}?\bthat\s*$", re.IGNORECASE)
_AR_LEAD_IN = re.compile(r"^[وف]?(?:" + _AR_REPORTING + r")\s[^،؛.]{0,120}?\s(?:أن|ان|إن|بأن)\s*$")


def is_lead_in(text: str, side: Side) -> bool:
    """Whether ``text`` is a whole reporting lead-in: "The Coalition stressed in a statement that",
    "أكد الائتلاف خلال بيان صحفي أن". Translators add and drop these, and the rest of the sentence
    stays a faithful translation, so one is strong evidence of a partial difference."""
    return bool((_EN_LEAD_IN if side == "en" else _AR_LEAD_IN).match(text.strip()))


_EN_REPORTING_WORD = re.compile(r"\b" + _EN_REPORTING + r"\b", re.IGNORECASE)
_AR_REPORTING_WORD = re.compile(r"(?<!\w)[وف]?(?:" + _AR_REPORTING + r")(?!\w)")


def reports_speech(text: str, side: Side) -> bool:
    """Whether ``text`` has a reporting verb ("said", "أكد"): it carries a lead-in of its own."""
    return bool((_EN_REPORTING_WORD if side == "en" else _AR_REPORTING_WORD).search(text))


EDGE_SHARE, EDGE_LEAST, EDGE_MOST = 1 / 3, 3, 12


def edge_fragments(text: str) -> tuple[str, str]:
    """The opening and the closing words of a segment: a third of its words, 3 to 12 of them.

    A long sentence that carries what the other version sets out as several sentences starts with
    the first of them and ends with the last, so these ends tell where a run of short sentences
    should begin and stop (a verse-final formula, a vocative that opens the next verse).
    """
    words = text.split()
    k = min(max(round(len(words) * EDGE_SHARE), EDGE_LEAST), EDGE_MOST)
    return " ".join(words[:k]), " ".join(words[-k:])
