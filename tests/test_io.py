"""Reading input files: encodings, and a clear one-line InputError for every bad file."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from align.errors import InputError
from align.io import read_document_text
from align.text import script_shares

ARABIC = (
    "أكد الائتلاف الوطني لقوى الثورة والمعارضة السورية خلال بيان صحفي أن التعاون مع نظام الأسد "
    "هو وقوف مع المجرم ضد الضحايا.\nالمجد للشهداء، والحرية للمعتقلين.\n"
)
ENGLISH = "The coalition said that cooperating with the regime is siding with the criminal.\nLong live Syria.\n"
CHINESE = "这是一个中文句子，用来测试语言检测。我们不支持这种语言。\n"
PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00"

# (file name, bytes written, side, expected text)
GOOD_FILES = [
    ("plain.en.txt", ENGLISH.encode("utf-8"), "en", ENGLISH),
    ("plain.ar.txt", ARABIC.encode("utf-8"), "ar", ARABIC),
    ("bom.ar.txt", b"\xef\xbb\xbf" + ARABIC.encode("utf-8"), "ar", ARABIC),
    ("bom.en.txt", b"\xef\xbb\xbf" + ENGLISH.encode("utf-8"), "en", ENGLISH),
    ("utf16.ar.txt", ARABIC.encode("utf-16"), "ar", ARABIC),  # Python writes a BOM
    ("utf16le.ar.txt", b"\xff\xfe" + ARABIC.encode("utf-16-le"), "ar", ARABIC),
    ("utf16be.ar.txt", b"\xfe\xff" + ARABIC.encode("utf-16-be"), "ar", ARABIC),
    ("utf16.en.txt", ENGLISH.encode("utf-16"), "en", ENGLISH),
    ("windows.ar.txt", ARABIC.encode("cp1256"), "ar", ARABIC),
    ("crlf.ar.txt", ARABIC.replace("\n", "\r\n").encode("utf-8"), "ar", ARABIC),
    ("cr.en.txt", ENGLISH.replace("\n", "\r").encode("utf-8"), "en", ENGLISH),
    # A little English inside an Arabic text is fine.
    ("mixed.ar.txt", ("قال مسؤول في U.N. إن الوضع خطير جدا في المنطقة.\n").encode(), "ar",
     "قال مسؤول في U.N. إن الوضع خطير جدا في المنطقة.\n"),
]


@pytest.mark.parametrize(("name", "data", "side", "expected"), GOOD_FILES)
def test_reads_and_decodes(tmp_path: Path, name: str, data: bytes, side: str, expected: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    assert read_document_text(path, side) == expected  # type: ignore[arg-type]


# (file name, bytes written or None for no file, side, words the message must contain)
BAD_FILES = [
    ("missing.en.txt", None, "en", "no such file"),
    ("empty.en.txt", b"", "en", "empty"),
    ("blank.ar.txt", b"  \n\t\n \r\n ", "ar", "only white space"),
    ("image.en.txt", PNG_HEADER, "en", "an image"),
    ("nuls.ar.txt", b"abc\x00\x00\x00def\x00", "ar", "not a text file"),
    ("controls.en.txt", b"hello \x01\x02\x03\x04\x05 world", "en", "not a text file"),
    # one file alone cannot say "swapped" (see test_formats.py for pairs); it names its language
    ("swapped.ar.txt", ENGLISH.encode("utf-8"), "ar", "expected Arabic text but it is in English"),
    ("swapped.en.txt", ARABIC.encode("utf-8"), "en", "expected English text but it is in Arabic"),
    ("chinese.en.txt", CHINESE.encode("utf-8"), "en", "neither English nor Arabic"),
    ("chinese.ar.txt", CHINESE.encode("utf-8"), "ar", "neither English nor Arabic"),
    ("digits.en.txt", b"12 34 56\n", "en", "neither English nor Arabic"),
]


@pytest.mark.parametrize(("name", "data", "side", "words"), BAD_FILES)
def test_bad_input_raises_input_error_naming_the_path(tmp_path: Path, name: str, data: bytes | None,
                                                      side: str, words: str) -> None:
    path = tmp_path / name
    if data is not None:
        path.write_bytes(data)
    with pytest.raises(InputError) as info:
        read_document_text(path, side)  # type: ignore[arg-type]
    message = str(info.value)
    assert message.startswith(str(path))
    assert words in message
    assert "\n" not in message


def test_directory_is_rejected(tmp_path: Path) -> None:
    folder = tmp_path / "folder.en.txt"
    folder.mkdir()
    with pytest.raises(InputError, match="is a directory") as info:
        read_document_text(folder, "en")
    assert str(folder) in str(info.value)


@pytest.mark.parametrize(("side", "language"), [("en", "Arabic"), ("ar", "English")])
def test_wrong_language_message_names_both_languages(tmp_path: Path, side: str, language: str) -> None:
    path = tmp_path / "x.txt"
    path.write_text(ARABIC if side == "en" else ENGLISH, encoding="utf-8")
    expected = "English" if side == "en" else "Arabic"
    with pytest.raises(InputError, match=f"expected {expected} text but it is in {language}"):
        read_document_text(path, side)  # type: ignore[arg-type]


def test_reference_pair_reads(pairs_dir: Path) -> None:
    en = read_document_text(pairs_dir / "reference.en.txt", "en")
    ar = read_document_text(pairs_dir / "reference.ar.txt", "ar")
    assert en.startswith("Saturday, 28 March 2020")
    assert ar.endswith("عاشت سورية وعاش شعبها حراً عزيزاً.")


# (text, expected Arabic share, expected Latin share)
SHARES = [
    ("abc", 0.0, 1.0),
    ("سلام", 1.0, 0.0),
    ("ab سل", 0.5, 0.5),
    ("123 !?", 0.0, 0.0),
    ("中文 ab", 0.0, 0.5),
]


@pytest.mark.parametrize(("text", "arabic", "latin"), SHARES)
def test_script_shares(text: str, arabic: float, latin: float) -> None:
    assert script_shares(text) == pytest.approx((arabic, latin))


def test_the_control_share_counts_exactly_the_control_characters_but_breaks_and_tabs() -> None:
    from align.io import _CONTROL_CHARS

    counted = {chr(c) for c in range(0x110000) if _CONTROL_CHARS.match(chr(c))}
    assert counted == {chr(c) for c in range(0x110000)
                       if unicodedata.category(chr(c)) == "Cc" and chr(c) not in "\n\r\t\f\v"}
