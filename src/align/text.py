"""Facts about the two scripts that every stage shares: letters, digits and language names.

One owner for each table, so the splitter, the checks, the input reader and the reports can never
disagree on what counts as an Arabic letter or how an Arabic-Indic digit reads.
"""

from __future__ import annotations

import re

from align.model import Side

LANGUAGE: dict[Side, str] = {"en": "English", "ar": "Arabic"}

# Every code point of the Arabic script blocks (letters, marks, digits, punctuation, presentation
# forms): what decides which script a text is written in.
ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
# Arabic letters proper (hamza to yeh, and the extended letters of Persian and Urdu): what makes a
# word Arabic, without digits, marks or punctuation.
ARABIC_LETTERS = "\u0621-\u064A\u0671-\u06D3\u06FA-\u06FF"
ARABIC_LETTER = re.compile(f"[{ARABIC_LETTERS}]")
ARABIC_WORD = re.compile(f"[{ARABIC_LETTERS}]+")
LATIN_LETTER = re.compile(r"[A-Za-z\u00C0-\u024F]")
_ANY_LETTER = re.compile(r"[^\W\d_]")

# Arabic-Indic (٠-٩) and Persian (۰-۹) digits read as ASCII digits.
DIGITS_TO_ASCII = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def other(side: Side) -> Side:
    """The other language of a pair."""
    return "ar" if side == "en" else "en"


def script_shares(text: str) -> tuple[float, float]:
    """Shares of Arabic-script and Latin-script letters among all letters of ``text``."""
    letters = len(_ANY_LETTER.findall(text))
    if not letters:
        return 0.0, 0.0
    return len(ARABIC_SCRIPT.findall(text)) / letters, len(LATIN_LETTER.findall(text)) / letters


def script_counts(text: str) -> tuple[int, int, int]:
    """Numbers of Arabic-script letters (presentation forms included), Latin letters and all letters."""
    letters = "".join(_ANY_LETTER.findall(text))
    return len(ARABIC_SCRIPT.findall(letters)), len(LATIN_LETTER.findall(letters)), len(letters)


def mostly_arabic(text: str) -> bool:
    """Whether ``text`` has more Arabic-script than Latin-script characters."""
    return len(ARABIC_SCRIPT.findall(text)) > len(LATIN_LETTER.findall(text))


# Characters that change how a terminal or a bidi renderer shows text without being seen
# themselves: C0/C1 controls (ESC starts ANSI and OSC sequences), bidi embeddings, overrides,
# isolates and marks, and zero-width characters.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e"
                        "\u2060-\u2069\ufeff]")


def visible(text: str) -> str:
    """``text`` with every invisible control shown as ⟨U+XXXX⟩, safe to print to a terminal."""
    return _INVISIBLE.sub(lambda m: f"⟨U+{ord(m.group()):04X}⟩", text)
