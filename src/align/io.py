"""Reading input documents: encoding detection and the sanity checks that produce clear errors."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from align.errors import InputError
from align.model import Side
from align.text import LANGUAGE, other, script_shares


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
