"""Reading input documents: encoding detection and the sanity checks that produce clear errors."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from align.errors import InputError
from align.model import Side
from align.text import LANGUAGE, other, script_shares

# Larger inputs are refused rather than read into memory: ~100x the longest real document pair.
MAX_INPUT_BYTES = 256 * 1024 * 1024
# A file whose non-ASCII bytes are almost all valid UTF-8 is UTF-8 with a few damaged bytes, not a
# legacy code page: decoding it as cp1252 would turn every "José" into "JosÃ©".
_MOSTLY_UTF8 = 0.99


def _bad_utf8_positions(data: bytes, limit: int = 50) -> list[int]:
    """Byte offsets of the first ``limit`` sequences that are not valid UTF-8."""
    bad: list[int] = []
    pos = 0
    while len(bad) < limit:
        try:
            data[pos:].decode("utf-8")
            break
        except UnicodeDecodeError as exc:
            bad.append(pos + exc.start)
            pos += exc.end
    return bad


def _undecodable(path: str, codec: str, bad: list[int]) -> InputError:
    where = ", ".join(f"byte {b}" for b in bad[:5]) + (f" and {len(bad) - 5} more" if len(bad) > 5 else "")
    return InputError(f"{path}: not valid {codec} at {where}; repair those bytes or re-save the file as UTF-8")


def decode_bytes(data: bytes, path: str) -> str:
    """Decode a file's bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else detected.

    A file with a byte-order mark, or one that is clearly UTF-8 but has a few invalid bytes, is
    refused with the positions of those bytes (never decoded as something else).
    """
    return decode_detected(data, path)[0]


def decode_detected(data: bytes, path: str) -> tuple[str, str]:
    """Like :func:`decode_bytes`, also naming the encoding it read (``utf-8``, ``utf-16``, ``cp1256``…)."""
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{path}: not a text file (it contains binary data)")
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError as exc:
                # utf-8-sig counts from after its mark; report offsets into the file as it is.
                offset = len(bom) if codec == "utf-8-sig" else 0
                raise _undecodable(path, codec.removesuffix("-sig").upper(), [exc.start + offset]) from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    bad = _bad_utf8_positions(data)
    non_ascii = sum(1 for b in data if b >= 0x80)
    if len(bad) < 50 and 1 - len(bad) / non_ascii >= _MOSTLY_UTF8:
        raise _undecodable(path, "UTF-8", bad)
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise InputError(f"{path}: not a text file (no text encoding fits its bytes)")
    return str(best), str(best.encoding)


def _control_share(text: str) -> float:
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f\v")
    return controls / max(len(text), 1)


def check_language(text: str, side: Side, path: str) -> None:
    """Raise :class:`InputError` unless ``text`` is mostly written in ``side``'s script."""
    arabic, latin = script_shares(text)
    expected, unexpected = (latin, arabic) if side == "en" else (arabic, latin)
    if expected >= 0.5:
        return
    if unexpected >= 0.5:
        raise InputError(
            f"{path}: expected {LANGUAGE[side]} text but it looks like "
            f"{LANGUAGE[other(side)]}; are the two files swapped?"
        )
    raise InputError(f"{path}: expected {LANGUAGE[side]} text but it is in neither English nor Arabic")


def read_user_lines(path: str | Path, what: str) -> list[str]:
    """Lines of a small UTF-8 file the user gave (an ignore list, a glossary).

    Raises :class:`InputError` naming ``what`` when the file is missing or unreadable.
    """
    p = Path(path)
    try:
        # utf-8-sig: a file saved with a byte-order mark keeps its first line (a glossary's first term).
        return p.read_text(encoding="utf-8-sig").splitlines()
    except FileNotFoundError as exc:
        raise InputError(f"{p}: no such {what}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{p}: cannot read the {what} ({exc})") from exc


def read_document_text(path: str | Path, side: Side) -> str:
    """Read and validate one side's file. Raises :class:`InputError` with a one-line reason."""
    return document_text_from_bytes(read_input_bytes(path), side, str(path))[0]


def read_input_bytes(path: str | Path) -> bytes:
    """The bytes of an input file; :class:`InputError` for a missing, special or oversized file."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file")
    if p.is_dir():
        raise InputError(f"{p}: is a directory, expected a text file")
    if not p.is_file():  # a FIFO would block for ever, a device (/dev/zero) never ends
        raise InputError(f"{p}: not a regular file")
    size = p.stat().st_size
    if size > MAX_INPUT_BYTES:
        raise InputError(f"{p}: too large ({size // 2**20} MiB; at most {MAX_INPUT_BYTES // 2**20} MiB)")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"{p}: cannot be read ({exc.strerror or exc})") from exc
    return data


def document_text_from_bytes(data: bytes, side: Side, path: str) -> tuple[str, str]:
    """Decode and validate one side's bytes as :func:`read_document_text` does: ``(text, encoding)``.

    Raises :class:`InputError` with a one-line reason naming ``path``.
    """
    p = path
    text, encoding = decode_detected(data, path)
    if _control_share(text) > 0.01:
        raise InputError(f"{p}: not a text file (it contains control characters)")
    if not text:
        raise InputError(f"{p}: the file is empty")
    if not text.strip():
        raise InputError(f"{p}: the file has no text, only white space")
    check_language(text, side, str(p))
    return text.replace("\r\n", "\n").replace("\r", "\n"), encoding


PAIR_SUFFIXES: dict[str, Side] = {".en.txt": "en", ".en.md": "en", ".ar.txt": "ar", ".ar.md": "ar"}


@dataclass(frozen=True)
class DocumentPair:
    """The English and Arabic files of one document in a folder of pairs."""

    name: str
    en: Path
    ar: Path


@dataclass(frozen=True)
class PairFolder:
    """The complete pairs of a folder, and a message for every file whose partner is missing."""

    pairs: tuple[DocumentPair, ...]
    problems: tuple[str, ...]


def find_pairs(folder: str | Path) -> PairFolder:
    """Group ``NAME.en.txt``/``NAME.ar.txt`` (or ``.md``) files of ``folder`` by NAME.

    Raises :class:`InputError` when ``folder`` is not a folder or one NAME has two files of a side.
    """
    root = Path(folder)
    if not root.is_dir():
        raise InputError(f"{root}: no such folder")
    found: dict[str, dict[Side, Path]] = {}
    for path in sorted(root.iterdir()):
        for suffix, side in PAIR_SUFFIXES.items():
            if path.name.endswith(suffix) and path.is_file():
                name = path.name[: -len(suffix)]
                if side in found.setdefault(name, {}):
                    raise InputError(f"{root}: {name} has two {side} files ({found[name][side].name}, {path.name})")
                found[name][side] = path
    pairs = tuple(DocumentPair(name, sides["en"], sides["ar"]) for name, sides in found.items() if len(sides) == 2)
    problems = []
    for name, sides in found.items():
        if len(sides) == 1:
            have, path = next(iter(sides.items()))
            want = other(have)
            problems.append(f"{path.name}: no {want} partner ({name}.{want}.txt), skipped")
    return PairFolder(pairs, tuple(problems))
