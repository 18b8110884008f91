"""Reading input documents: encoding detection and the sanity checks that produce clear errors."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from align.errors import InputError
from align.model import Side

_ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]")
_LETTER = re.compile(r"[^\W\d_]")
LANGUAGE_NAMES = {"en": "English", "ar": "Arabic"}


def decode_bytes(data: bytes, path: str) -> str:
    """Decode a file's bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else detected."""
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{path}: not a text file (it contains binary data)")
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(codec)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise InputError(f"{path}: not a text file (no text encoding fits its bytes)")
    return str(best)


def _control_share(text: str) -> float:
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f\v")
    return controls / max(len(text), 1)


def script_shares(text: str) -> tuple[float, float]:
    """Shares of Arabic-script and Latin-script letters among all letters of ``text``."""
    letters = len(_LETTER.findall(text))
    if not letters:
        return 0.0, 0.0
    return len(_ARABIC.findall(text)) / letters, len(_LATIN.findall(text)) / letters


def check_language(text: str, side: Side, path: str) -> None:
    """Raise :class:`InputError` unless ``text`` is mostly written in ``side``'s script."""
    arabic, latin = script_shares(text)
    expected, other = (latin, arabic) if side == "en" else (arabic, latin)
    if expected >= 0.5:
        return
    if other >= 0.5:
        raise InputError(
            f"{path}: expected {LANGUAGE_NAMES[side]} text but it looks like "
            f"{LANGUAGE_NAMES['ar' if side == 'en' else 'en']}; are the two files swapped?"
        )
    raise InputError(f"{path}: expected {LANGUAGE_NAMES[side]} text but it is in neither English nor Arabic")


def read_user_lines(path: str | Path, what: str) -> list[str]:
    """Lines of a small UTF-8 file the user gave (an ignore list, a glossary).

    Raises :class:`InputError` naming ``what`` when the file is missing or unreadable.
    """
    p = Path(path)
    try:
        return p.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as exc:
        raise InputError(f"{p}: no such {what}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{p}: cannot read the {what} ({exc})") from exc


def read_document_text(path: str | Path, side: Side) -> str:
    """Read and validate one side's file. Raises :class:`InputError` with a one-line reason."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file")
    if p.is_dir():
        raise InputError(f"{p}: is a directory, expected a text file")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"{p}: cannot be read ({exc.strerror or exc})") from exc
    text = decode_bytes(data, str(p))
    if _control_share(text) > 0.01:
        raise InputError(f"{p}: not a text file (it contains control characters)")
    if not text.strip():
        raise InputError(f"{p}: the file is empty")
    check_language(text, side, str(p))
    return text.replace("\r\n", "\n").replace("\r", "\n")
