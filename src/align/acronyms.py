"""Acronyms spelled with Arabic letter names: "NBC" = «إن بي سي», "CNN" = «سي إن إن».

Arabic news writes a broadcaster's or agency's acronym letter by letter. In a list of acronyms
whose other items the translator spells (or keeps in Latin script), one that is neither was
dropped: "CBS, ABC, NBC, CNN" against «سي بي أس وإيه بي سي وسي إن إن» leaves NBC out.
"""

from __future__ import annotations

import re

# The usual Arabic names of the Latin letters, with their common spellings.
_LETTER_NAMES = {
    "A": "إيه|ايه|أيه|اي|إي|أي|ايّ", "B": "بي|بى", "C": "سي|سى", "D": "دي|دى", "E": "إي|اي|إيه|ايه|أي",
    "F": "إف|اف|أف", "G": "جي|جى", "H": "إتش|اتش|إيتش|ايتش|أتش", "I": "آي|اي|إي|أي", "J": "جيه|جاي|جي",
    "K": "كيه|كي|كاي", "L": "إل|ال|أل", "M": "إم|ام|أم", "N": "إن|ان|أن", "O": "أو|او|اُو", "P": "بي|بى",
    "Q": "كيو|كيوو", "R": "آر|ار|أر", "S": "إس|اس|أس", "T": "تي|تى", "U": "يو", "V": "في|فى|ڤي",
    "W": "دبليو|دبل يو|دابليو", "X": "إكس|اكس|أكس", "Y": "واي|وای", "Z": "زد|زي|زِد",
}
ACRONYM = re.compile(r"(?<![\w-])[A-Z]{2,6}(?![\w-])")


def _spelling(acronym: str) -> re.Pattern[str]:
    letters = r"\s*".join(f"(?:{_LETTER_NAMES[ch]})" for ch in acronym)
    # «وسي إن إن»: the conjunction or a preposition may be joined to the first letter's name.
    return re.compile(r"(?<![^\W\d_])(?:[وفبل]|لل)?" + letters + r"(?![^\W\d_])")


def spelled(acronyms: list[str], arabic: str) -> dict[str, bool]:
    """Which of ``acronyms`` the Arabic spells with letter names. Longer acronyms are read first
    and their spelling used up, so that «إم إس إن بي سي» (MSNBC) does not also count as NBC."""
    text = arabic
    found = {}
    for acronym in sorted(set(acronyms), key=len, reverse=True):
        m = _spelling(acronym).search(text)
        found[acronym] = m is not None
        if m:
            text = text[:m.start()] + " " * (m.end() - m.start()) + text[m.end():]
    return found


# A list of acronyms: "CBS, ABC, NBC, CNN".
# The lookahead passes over a position that cannot start a list at once (same matches, faster).
_ACRONYM_LIST = re.compile(r"(?=[A-Z])(?<![\w-])[A-Z]{2,6}(?:,\s+(?:and\s+|or\s+)?[A-Z]{2,6}){2,}(?![\w-])")


def dropped(english: str, arabic: str) -> list[re.Match[str]]:
    """Items of an English list of acronyms that the Arabic neither keeps in Latin script nor
    spells, where it renders at least two other items of the same list one of those ways. Outside
    such lists the evidence is too weak: the same translator spells "PCR" and translates "FDA"."""
    lists = list(_ACRONYM_LIST.finditer(english))
    if not lists:
        return []
    found = spelled(ACRONYM.findall(english), arabic)
    out = []
    for listed in lists:
        items = list(ACRONYM.finditer(english, listed.start(), listed.end()))
        missing = [m for m in items if m.group(0).lower() not in arabic.lower() and not found[m.group(0)]]
        if missing and len(items) - len(missing) >= 2:
            out += missing
    return out
