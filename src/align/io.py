"""Reading input documents: encoding detection and the sanity checks that produce clear errors."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from align.errors import InputError
from align.model import InputInfo, Side
from align.text import LANGUAGE, other, script_counts

# Larger inputs are refused rather than read into memory: ~100x the longest real document pair.
MAX_INPUT_BYTES = 256 * 1024 * 1024
# A file whose non-ASCII bytes are almost all valid UTF-8 is UTF-8 with a few damaged bytes, not a
# legacy code page: decoding it as cp1252 would turn every "José" into "JosÃ©".
_MOSTLY_UTF8 = 0.99


_BAD_LIMIT = 50  # undecodable sequences counted before giving up


def _bad_positions(data: bytes, codec: str, limit: int = _BAD_LIMIT) -> list[int]:
    """Byte offsets of the first ``limit`` sequences that do not decode under ``codec``."""
    bad: list[int] = []
    pos = 0
    while len(bad) < limit:
        try:
            data[pos:].decode(codec)
            break
        except UnicodeDecodeError as exc:
            bad.append(pos + exc.start)
            pos += max(exc.end, exc.start + 1)
    return bad


def _undecodable(path: str, codec: str, bad: list[int]) -> InputError:
    more = "" if len(bad) <= 5 else " and more" if len(bad) >= _BAD_LIMIT else f" and {len(bad) - 5} more"
    where = ", ".join(f"byte {b}" for b in bad[:5]) + more
    return InputError(f"{path}: not valid {codec} at {where}; repair those bytes or re-save the file as UTF-8")


def _codec(name: str) -> str:
    """Python's name for the text encoding ``name``; :class:`InputError` if there is none."""
    try:
        info = codecs.lookup(name)
    except LookupError:
        info = None
    if info is None or not getattr(info, "_is_text_encoding", True):
        raise InputError(f"unknown encoding {name!r}; give a text encoding such as utf-8, cp1256 or utf-16")
    return info.name


def decode_as(data: bytes, path: str, encoding: str) -> tuple[str, str]:
    """Decode ``data`` with the encoding the user named; returns the text and Python's name for
    the encoding. Raises :class:`InputError` naming the bytes that do not decode."""
    codec = _codec(encoding)
    strip_mark = codec == "utf-8" and data.startswith(b"\xef\xbb\xbf")  # the mark is not text
    try:
        return data.decode("utf-8-sig" if strip_mark else codec), codec
    except UnicodeDecodeError:
        raise _undecodable(path, encoding, _bad_positions(data, codec)) from None


def decode_bytes(data: bytes, path: str) -> tuple[str, str]:
    """Decode a file's bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else detected.

    Returns the text and the encoding used. A file with a byte-order mark, or one that is clearly
    UTF-8 but has a few invalid bytes, is refused with the positions of those bytes (never decoded
    as something else).
    """
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
    bad = _bad_positions(data, "utf-8")
    non_ascii = sum(1 for b in data if b >= 0x80)
    if len(bad) < 50 and 1 - len(bad) / non_ascii >= _MOSTLY_UTF8:
        raise _undecodable(path, "UTF-8", bad)
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise InputError(f"{path}: not a text file (no text encoding fits its bytes)")
    return str(best), str(best.encoding)


# Unicode's control characters (category Cc: U+0000-U+001F and U+007F-U+009F) but the line and
# page breaks and tabs; one pattern counts them without a Python call per character of the file.
_CONTROL_CHARS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def _control_share(text: str) -> float:
    return len(_CONTROL_CHARS.findall(text)) / max(len(text), 1)


# A file whose letters are at least this share in its side's script is in that language, whatever
# else it holds: an Arabic article about HTML is mostly Latin letters (tags, code, URLs), yet it is
# Arabic. Below it, the file carries no more than a stray word of the expected language.
MIN_SCRIPT_SHARE = 0.1
# Arabic and Latin letters together must be this share of all letters, or the file is in neither.
_KNOWN_SCRIPTS = 0.5


@dataclass(frozen=True)
class ScriptCounts:
    """The letters of a text by script: what decides which language a file is in."""

    arabic: int
    latin: int
    letters: int

    @classmethod
    def of(cls, text: str) -> ScriptCounts:
        return cls(*script_counts(text))

    def share(self, side: Side) -> float:
        """The share of ``side``'s script among the Arabic and Latin letters (0 when there are none)."""
        known = self.arabic + self.latin
        return (self.latin if side == "en" else self.arabic) / known if known else 0.0

    @property
    def in_known_scripts(self) -> bool:
        return self.letters > 0 and (self.arabic + self.latin) / self.letters >= _KNOWN_SCRIPTS


def check_language(text: str, side: Side, path: str) -> None:
    """Raise :class:`InputError` unless ``text`` can be ``side``'s version (see :func:`check_languages`)."""
    _check_one(ScriptCounts.of(text), side, path, None)


def _check_one(counts: ScriptCounts, side: Side, path: str, partner: ScriptCounts | None) -> None:
    if not counts.in_known_scripts:
        raise InputError(f"{path}: expected {LANGUAGE[side]} text but it is in neither English nor Arabic")
    if counts.share(side) >= MIN_SCRIPT_SHARE:
        return
    also = ""
    if partner is not None and partner.share(side) < 0.5:
        also = f", and so is the {LANGUAGE[other(side)]} file"
    raise InputError(f"{path}: expected {LANGUAGE[side]} text but it is in {LANGUAGE[other(side)]}{also}")


def check_languages(en_text: str, ar_text: str, en_path: str = "en", ar_path: str = "ar") -> None:
    """Raise :class:`InputError` unless the files can be the English and the Arabic version.

    Decided from the letters of both files together. The files are swapped only when the evidence
    is clear: the English file is mostly Arabic letters and the Arabic file mostly Latin ones. Any
    other file is accepted when at least :data:`MIN_SCRIPT_SHARE` of its letters are in its own
    script, so an Arabic document full of code, URLs or English terms is still Arabic.
    """
    en, ar = ScriptCounts.of(en_text), ScriptCounts.of(ar_text)
    if en.in_known_scripts and ar.in_known_scripts and en.share("ar") > 0.5 and ar.share("en") > 0.5:
        raise InputError(f"{en_path} looks Arabic and {ar_path} looks English: are the two files swapped? "
                         "Give the English file first")
    _check_one(en, "en", en_path, ar)
    _check_one(ar, "ar", ar_path, en)


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


@dataclass(frozen=True)
class InputText:
    """The text read from one file and how it was read."""

    text: str
    info: InputInfo


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
        return p.read_bytes()
    except OSError as exc:
        raise InputError(f"{p}: cannot be read ({exc.strerror or exc})") from exc


def read_document(path: str | Path, input_format: str = "auto", encoding: str | None = None) -> InputText:
    """Read one file as text: the format by extension and content (``input_format`` overrides),
    text formats decoded with the detected encoding (``encoding`` overrides), .docx, HTML and
    Markdown reduced to the text a reader sees. Line breaks become ``\\n``.

    Raises :class:`InputError` with a one-line reason (missing, empty, binary, PDF, undecodable).
    The language is not checked here: see :func:`check_languages`.
    """
    if encoding is not None:
        _codec(encoding)  # an unknown name is an error before anything is read
    return document_from_bytes(read_input_bytes(path), Path(path), input_format, encoding)


def document_from_bytes(data: bytes, path: str | Path, input_format: str = "auto",
                        encoding: str | None = None) -> InputText:
    """:func:`read_document` for bytes already read (a corpus worker gets them, not the file)."""
    from align import formats

    p = Path(path)
    if not data:
        raise InputError(f"{p}: the file is empty")
    fmt = formats.resolve_format(p, data, input_format)
    used: str | None = None
    if fmt == "docx":
        text = formats.docx_to_text(data, p)
    else:
        text, used = decode_as(data, str(p), encoding) if encoding else decode_bytes(data, str(p))
        if fmt == "html":
            try:
                text = formats.html_to_text(text)
            except InputError as exc:
                raise InputError(f"{p}: {exc}") from exc
        elif fmt == "markdown":
            try:
                text = formats.markdown_to_text(text)
            except InputError as exc:
                raise InputError(f"{p}: {exc}") from exc
    if _control_share(text) > 0.01:
        raise InputError(f"{p}: not a text file (it contains control characters)")
    if not text.strip():
        what = "white space" if fmt == "text" else "markup"
        raise InputError(f"{p}: the file has no text, only {what}")
    return InputText(text.replace("\r\n", "\n").replace("\r", "\n"), InputInfo(fmt, used))


def read_document_text(path: str | Path, side: Side, input_format: str = "auto", encoding: str | None = None) -> str:
    """Read one side's file (see :func:`read_document`) and check that it can be ``side``'s version."""
    document = read_document(path, input_format, encoding)
    check_language(document.text, side, str(path))
    return document.text


# File extensions a pair's files may have (either side may use any of them). PDFs are paired too,
# so that they are refused with advice instead of being skipped without a word.
PAIR_EXTENSIONS = ("txt", "docx", "html", "htm", "md", "markdown", "pdf")
_PAIR_NAME = re.compile(r"^(?P<name>.+)\.(?P<side>en|ar)\.(?P<ext>[A-Za-z]+)$")


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


def pair_key(path: Path) -> tuple[str, Side] | None:
    """``(NAME, side)`` for a file named ``NAME.en.EXT`` or ``NAME.ar.EXT`` with a known EXT."""
    m = _PAIR_NAME.match(path.name)
    if not m or m["ext"].lower() not in PAIR_EXTENSIONS:
        return None
    side: Side = "en" if m["side"] == "en" else "ar"
    return m["name"], side


def find_pairs(folder: str | Path) -> PairFolder:
    """Group the ``NAME.en.EXT``/``NAME.ar.EXT`` files of ``folder`` by NAME (EXT: :data:`PAIR_EXTENSIONS`;
    the two files of a pair may differ in format, ``x.en.docx`` with ``x.ar.txt``).

    Raises :class:`InputError` when ``folder`` is not a folder or one NAME has two files of a side.
    """
    root = Path(folder)
    if not root.is_dir():
        raise InputError(f"{root}: no such folder")
    found: dict[str, dict[Side, Path]] = {}
    for path in sorted(root.iterdir()):
        key = pair_key(path)
        if key is None or not path.is_file():
            continue
        name, side = key
        if side in found.setdefault(name, {}):
            raise InputError(f"{root}: {name} has two {side} files ({found[name][side].name}, {path.name})")
        found[name][side] = path
    pairs = tuple(DocumentPair(name, sides["en"], sides["ar"]) for name, sides in found.items() if len(sides) == 2)
    problems = []
    for name, sides in found.items():
        if len(sides) == 1:
            have, path = next(iter(sides.items()))
            want = other(have)
            problems.append(f"{path.name}: no {want} partner ({name}.{want}{path.suffix}), skipped")
    return PairFolder(pairs, tuple(problems))
