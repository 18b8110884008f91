"""Stable fingerprints of flags, so a reviewer's dismissal survives re-runs and unrelated edits."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from align.errors import InputError
from align.io import read_user_lines
from align.model import Flag
from align.text import ascii_digits

_ARABIC_MARKS = re.compile(r"[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640]")
_FINGERPRINT = re.compile(r"^[0-9a-f]{16}$")


def normalize_text(text: str) -> str:
    """Case, spacing, diacritics, tatweel and digit shapes removed: what a small edit leaves alone."""
    text = ascii_digits(unicodedata.normalize("NFKC", text))
    text = _ARABIC_MARKS.sub("", text).lower()
    text = re.sub(r"[أإآٱ]", "ا", text)
    return " ".join(re.sub(r"[^\w%]+", " ", text).split())


# Arabic letters that normalize_text keeps as Arabic letters (hamza to ghain, feh to yeh: no mark,
# no tatweel; the alef forms become a bare alef).
_KEPT_ARABIC_LETTER = re.compile("[\u0621-\u063a\u0641-\u064a]")
# Every character from which normalize_text can make an Arabic letter lies at or above U+0600 (the
# Arabic blocks, presentation forms, Arabic mathematical letters); NFKC composes an Arabic letter
# only from Arabic ones. tests/test_checks.py checks every character below.
_FROM_ARABIC_BLOCK = re.compile("[\u0600-\U0010ffff]")


def normalized_differ(latin: str, arabic: str) -> bool:
    """True only where ``normalize_text(latin) != normalize_text(arabic)``, told without
    normalising either: ``arabic`` holds an Arabic letter that normalising keeps, and ``latin``
    holds no character that normalising could turn into one. False says nothing."""
    return _KEPT_ARABIC_LETTER.search(arabic) is not None and _FROM_ARABIC_BLOCK.search(latin) is None


def fingerprint(flag: Flag) -> str:
    """16 hex digits from the flag's type, side and the normalized text of its evidence.

    Bead ids and offsets are left out on purpose: inserting a sentence elsewhere shifts them.
    """
    parts = [flag.type, flag.side] + sorted(f"{e.side}:{normalize_text(e.value or e.text)}" for e in flag.evidence)
    if not flag.evidence:
        parts.append(normalize_text(flag.message))
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def read_ignore_file(path: str | Path) -> frozenset[str]:
    """Fingerprints listed in an ignore file: one per line, ``#`` starts a comment."""
    p = Path(path)
    lines = read_user_lines(p, "ignore file")
    found = set()
    for number, line in enumerate(lines, 1):
        entry = line.split("#", 1)[0].strip()
        if not entry:
            continue
        if not _FINGERPRINT.match(entry):
            raise InputError(f"{p}:{number}: expected a 16-digit flag fingerprint, got {entry[:40]!r}")
        found.add(entry)
    return frozenset(found)


def without_ignored(flags: Iterable[Flag], ignored: frozenset[str]) -> tuple[tuple[Flag, ...], int]:
    """The flags not dismissed, and how many were."""
    flags = tuple(flags)
    kept = tuple(f for f in flags if fingerprint(f) not in ignored)
    return kept, len(flags) - len(kept)
