"""The normal form under which two sentences count as the same (``--dedup``, ``consistency``)."""

from __future__ import annotations

import re
import unicodedata

from align.text import DIGITS_TO_ASCII

# Arabic short vowels, shadda, sukun, dagger alef and tatweel: spelling variants of one sentence.
_ARABIC_MARKS = re.compile("[\u064b-\u0652\u0670\u0640]")
_SPACE = re.compile(r"\s+")


def normalize_sentence(text: str) -> str:
    """Compatibility-normalized (NFKC), case-folded, without Arabic diacritics or tatweel, with
    Arabic-Indic digits as ASCII and runs of white space as one space."""
    text = unicodedata.normalize("NFKC", text)
    text = _ARABIC_MARKS.sub("", text).translate(DIGITS_TO_ASCII).casefold()
    return _SPACE.sub(" ", text).strip()
