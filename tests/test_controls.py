"""Hidden characters: the ``control`` check, numbers read as a reader sees them, and every report
showing the controls instead of obeying them (the Trojan-Source page is tested in Chromium in
test_html.py)."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from align.checks import DEFAULT_CHECKS
from align.checks.base import CheckContext
from align.checks.control import ControlCheck
from align.checks.numbers import NumberCheck
from align.model import Bead, Flag
from align.numbers import find_numbers
from align.pipeline import Checker, CheckOptions
from align.report.html import report_to_html, shown
from align.report.jsonfmt import report_to_json
from align.report.tsv import report_to_tsv
from align.segment import make_document
from align.text import (
    _CHANGED_RUN,
    HIDDEN,
    _reading_in_order,
    _reading_piece,
    _reading_with_bidi,
    reading_form,
    visible,
)

RLO, PDF, LRM, RLM, ZWSP, ZWNJ, ZWJ = "\u202e", "\u202c", "\u200e", "\u200f", "\u200b", "\u200c", "\u200d"


def _context(en: str, ar: str) -> tuple[Bead, CheckContext]:
    en_doc, ar_doc = make_document(en, "en", "en", "lines"), make_document(ar, "ar", "ar", "lines")
    bead = Bead((0,), (0,), 0.8)
    return bead, CheckContext(en_doc, ar_doc, (bead,))


def _control_flags(en: str, ar: str) -> list[Flag]:
    bead, context = _context(en, ar)
    return ControlCheck().check_bead(bead, context)


# --- the control check ---------------------------------------------------------------------------

CONTROL_CASES = [  # (English, Arabic, [(side, severity, [(offset, code point)])])
    ("The toll is 1,250.", f"الحصيلة {RLO}1250{PDF}.", [("ar", "warning", [(8, 0x202E), (13, 0x202C)])]),
    ("It is \x1b[8mnot\x1b[0m safe.", "إنه غير آمن.", [("en", "warning", [(6, 0x1B), (13, 0x1B)])]),
    ("Call 911\x07 now", "اتصل", [("en", "warning", [(8, 0x07)])]),
    ("Hidden \U000e0041\U000e0042 text", "نص", [("en", "warning", [(7, 0xE0041), (8, 0xE0042)])]),
    ("Isolated \u2067word\u2069.", "كلمة", [("en", "warning", [(9, 0x2067), (14, 0x2069)])]),
    # Marks around numbers and URLs are common in real Arabic: a hint.
    ("See https://mozilla.org", f"انظر {LRM}https://mozilla.org", [("ar", "info", [(5, 0x200E)])]),
    ("1,250 people", f"1{LRM}250 شخص", [("ar", "info", [(1, 0x200E)])]),
    # A right-to-left mark between digits shows "1250" as "2501": a warning.
    ("1,250 people", f"1{RLM}250 شخص", [("ar", "warning", [(1, 0x200F)])]),
    ("1,250 people", "1\u061c250 شخص", [("ar", "warning", [(1, 0x061C)])]),
    # Zero-width spaces left by web pages: a hint; two in a row are two characters.
    (f"The AI {ZWSP}{ZWSP}system", "نظام الذكاء", [("en", "info", [(7, 0x200B), (8, 0x200B)])]),
    # ZWNJ/ZWJ as typography (a Persian half-space, a joined letter form, an emoji sequence): nothing.
    ("I want", f"می{ZWNJ}خواهم", []),
    ("for Emdebian", f"أدوات البناء ل{ZWJ} Emdebian", []),
    (f"A family \U0001f468{ZWJ}\U0001f469{ZWJ}\U0001f467", "عائلة", []),
    # ... but inside a Latin word they hide a difference: a hint.
    (f"pass{ZWJ}word", "كلمة", [("en", "info", [(4, 0x200D)])]),
    # Text copied from a PDF: presentation forms and tatweel are visible letters, not controls.
    ("12 million", "12 ﻣﻠﻴــﻮﻥ", []),
]


@pytest.mark.parametrize(("en", "ar", "expected"), CONTROL_CASES)
def test_control_check_names_each_hidden_character(en: str, ar: str,
                                                   expected: list[tuple[str, str, list[tuple[int, int]]]]) -> None:
    flags = _control_flags(en, ar)
    got = [(f.side, f.severity, [(e.start, ord(e.text)) for e in f.evidence]) for f in flags]
    assert got == expected
    for flag in flags:
        text = en if flag.side == "en" else ar
        for ev in flag.evidence:
            assert text[ev.start:ev.end] == ev.text
            assert ev.value and f"U+{ord(ev.text):04X}" in ev.value and ev.value in flag.message
            assert f"at offset {ev.start}" in flag.message


def test_control_check_is_a_default_check_and_survives_an_unrelated_verdict() -> None:
    from align.checks.document import quiet_unrelated

    assert any(isinstance(c, ControlCheck) for c in DEFAULT_CHECKS)
    flag = Flag("control", "ar", "warning", "A hidden character")
    other = Flag("number", "both", "error", "Numbers disagree")
    (bead,) = quiet_unrelated([Bead((0,), (0,), 0.1, (other, flag))])
    assert bead.flags == (flag,)


def test_the_hidden_set_is_every_control_and_format_character_that_is_not_drawn() -> None:
    # Prepended number signs (U+0600-0605, U+06DD, ...) are format characters that are drawn.
    drawn = {0x0600, 0x0601, 0x0602, 0x0603, 0x0604, 0x0605, 0x06DD, 0x070F, 0x0890, 0x0891, 0x08E2, 0x110BD,
             0x110CD}
    expected = {c for c in range(0x110000) if unicodedata.category(chr(c)) in ("Cc", "Cf")} - drawn - {9, 10, 13}
    found = {c for c in range(0x110000) if HIDDEN.match(chr(c))}
    # Code points this Python's Unicode tables leave unassigned may be format characters in a newer one.
    assert {c for c in found - expected if unicodedata.category(chr(c)) != "Cn"} == set()
    assert expected - found == set()


def test_visible_names_every_hidden_character() -> None:
    assert visible(f"a{RLO}b\x1b[8mc\U000e0041") == "a⟨U+202E⟩b⟨U+001B⟩[8mc⟨U+E0041⟩"


# --- numbers as a reader sees them ---------------------------------------------------------------

NUMBER_CASES = [  # (English, Arabic, whether the number check reports the bead)
    # Tatweel, tashkeel, presentation forms (PDF copies), Persian letters, zero-width characters in a
    # scale word: the scale is read, so "12 people" against "12 million people" is a finding ...
    ("12 people", "12 مليــون شخص", True),
    ("12 people", "12 ﻣﻠﻴﻮﻥ ﺷﺨﺺ", True),
    ("12 people", "١٢ ﻣﻠﻴــﻮﻥ ﺷﺨﺺ", True),
    ("12 people", "12 مِلْيُون شخص", True),
    ("12 people", "12 ملیون شخص", True),
    ("12 people", f"12 ملي{ZWSP}ون شخص", True),
    ("12 people", f"12 ملي{ZWNJ}ون شخص", True),
    # ... and "12 million" against the same text is not.
    ("12 million people", "12 مليــون شخص", False),
    ("12 million people", "12 ﻣﻠﻴﻮﻥ ﺷﺨﺺ", False),
    ("12 million people", "12 مِلْيُون شخص", False),
    ("12 million people", "12 ملیون شخص", False),
    ("12 million people", f"12 ملي{ZWSP}ون شخص", False),
    # Marks and zero-width characters inside a number are not read as a break.
    ("1,250 people", f"1{LRM}250 شخص", False),
    ("1,250 people", f"1{RLM}250 شخص", False),
    ("1,250 people", f"{LRM}1250{LRM} شخص", False),
    ("1,250 people", f"1{ZWSP}250 شخص", False),
    # An override shows "1250" as "0521": that is what the Arabic reader sees, and it disagrees.
    ("1,250 people", f"{RLO}1250{PDF} شخص", True),
    ("1,250 people", f"{RLO}1250 شخص", True),  # unclosed: it runs to the end of the line
    ("1,250 people", f"\u202d1250{PDF} شخص", False),  # a left-to-right override leaves digits in order
    # Units and dates are read the same way.
    ("Five weeks after", "بعد خمسة أيــام", True),
    ("5 days later", "بعد 5 أيــام", False),
    ("On Thursday", "يوم الخمـيس", False),
    ("On Thursday", "يوم الثلاثــاء", True),
]


@pytest.mark.parametrize(("en", "ar", "reported"), NUMBER_CASES)
def test_numbers_are_compared_as_a_reader_sees_them(en: str, ar: str, reported: bool) -> None:
    bead, context = _context(en, ar)
    flags = NumberCheck().check_bead(bead, context)
    assert bool(flags) == reported, [f.message for f in flags]
    for flag in flags:  # the evidence still points at the original text
        for ev in flag.evidence:
            assert context.doc(ev.side).texts_by_id[ev.segment][ev.start:ev.end] == ev.text


def test_a_number_keeps_its_original_offsets_and_text() -> None:
    (mention,) = find_numbers(f"قتل {RLO}1250{PDF} شخصا", "ar")
    assert (mention.value, mention.start, mention.end, mention.text) == (521.0, 5, 9, "1250")
    (mention,) = find_numbers("نحو 12 ﻣﻠﻴــﻮﻥ", "ar")
    assert (mention.value, mention.text) == (12e6, "12 ﻣﻠﻴــﻮﻥ")
    (mention,) = find_numbers("عدد 5 \ufbb2", "ar")  # once a RecursionError
    assert mention.value == 5.0


@pytest.mark.parametrize(("text", "reading"), [
    ("12 مليــون", "12 مليون"),
    ("ﺍﺛﻨﺎ ﻋﺸﺮ", "اثنا عشر"),
    ("ﻻ ﷲ", "لا الله"),
    ("ﹰ", ""),  # an isolated haraka form is a mark, read as nothing
    ("عدد 5 \ufbb2", "عدد 5 \ufbb2"),  # a presentation-block symbol without a decomposition is itself
    ("ملیون کتاب", "مليون كتاب"),
    (f"a{RLO}bc{PDF}d", "acbd"),
    (f"{RLO}1 \u2066xy\u2069 2{PDF}", "2 xy 1"),  # an isolate inside an override moves as one piece
    (f"{RLO}12\u202d34{PDF}56", "653421"),  # a PDF closes the innermost override only
    (f"{RLO}12\u2067\u202d34\u2069 56", "65 3421"),  # a PDI closes its isolate and what opened inside it
])
def test_reading_form(text: str, reading: str) -> None:
    form = reading_form(text)
    assert form.text == reading
    assert form.origin is not None and len(form.origin) == len(form.text)


# Letters, digits, marks (tashkeel, Quranic, U+08CA), tatweel, hidden characters, presentation forms
# (one that reads as two letters), Persian letters: everything the reading form reads without bidi.
_READING_ALPHABET = "ab 1٢بلا\u064e\u0651\u06d6\u08ca\u0640\u200b\x1b\xad\ufeff\ufefb\ufe8e\ufc5e\u06cc\u06a9"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_READING_ALPHABET, max_size=40))
def test_the_in_order_reading_is_the_general_one_without_bidi_controls(text: str) -> None:
    assert _reading_in_order(text) == _reading_with_bidi(text)


def test_the_in_order_reading_looks_at_every_character_the_reading_form_changes() -> None:
    changed = []
    for char in map(chr, range(0x30000)):
        piece = _reading_piece(char)  # every code point, unassigned presentation forms included
        if piece != char and not _CHANGED_RUN.match(char):
            changed.append(f"U+{ord(char):04X}")
    assert changed == []


# --- reports show the controls -------------------------------------------------------------------

TROJAN_EN = "The toll rose to 1,250 people.\nThe talks will resume next week.\n"
TROJAN_AR = f"ارتفعت الحصيلة إلى {RLO}1250 شخصا.\nوستستأنف المحادثات الأسبوع المقبل \x1b[8mلا\x1b[0m.\n"


@pytest.fixture(scope="module")
def trojan(use_encoder: object) -> Checker:
    return Checker(use_encoder, CheckOptions(split="lines"))  # type: ignore[arg-type]


def test_json_keeps_the_exact_text_and_escapes_the_controls(trojan: Checker) -> None:
    report = trojan.check_texts(TROJAN_EN, TROJAN_AR, "en.txt", f"x{RLO}txt.ar")
    text = report_to_json(report)
    assert not HIDDEN.search(text)
    assert "\\u202e" in text and "\\u001b" in text
    data = json.loads(text)
    assert data["ar"] == report.ar.texts and data["files"]["ar"] == f"x{RLO}txt.ar"
    types = {(f["type"], f["severity"]) for b in data["beads"] for f in b["flags"]}
    assert ("control", "warning") in types and ("number", "error") in types


def test_tsv_shows_the_controls(trojan: Checker) -> None:
    text = report_to_tsv(trojan.check_texts(TROJAN_EN, TROJAN_AR))
    assert not HIDDEN.search(text)
    assert "⟨U+202E⟩1250" in text and "⟨U+001B⟩[8mلا" in text


def test_html_shows_a_badge_for_each_control_and_never_the_control(trojan: Checker) -> None:
    page = report_to_html(trojan.check_texts(TROJAN_EN, TROJAN_AR, f"a{RLO}b.en", "c.ar"))
    assert not HIDDEN.search(page)
    assert page.count('<bdi class="ctl" dir="ltr" title="U+202E RIGHT-TO-LEFT OVERRIDE (RLO)">RLO</bdi>') == 2
    assert "<title>muqabala: a⟨U+202E⟩b.en ↔ c.ar</title>" in page


def test_typographic_joiners_stay_in_the_page() -> None:
    assert str(shown(f"می{ZWNJ}خواهم <b>")) == f"می{ZWNJ}خواهم &lt;b&gt;"
    assert "ZWJ" in str(shown(f"pass{ZWJ}word"))


# --- the Trojan-Source page in a real browser ----------------------------------------------------

# Every character of each segment (its id badge left out), with its box: left-to-right text has each
# character right of the one before it on the same line.
_CHARACTER_BOXES = """sel => Array.from(document.querySelectorAll(sel)).map(seg => {
    const out = [], walker = document.createTreeWalker(seg, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (node.parentElement.closest('.id')) continue;
        const inControl = !!node.parentElement.closest('.ctl');
        for (let i = 0; i < node.length; i++) {
            if (/\\s/.test(node.data[i])) continue;
            const range = document.createRange(); range.setStart(node, i); range.setEnd(node, i + 1);
            const box = range.getBoundingClientRect();
            out.push({ch: node.data[i], left: box.left, top: Math.round(box.top), control: inControl});
        }
    }
    return out;
})"""



def _reads_left_to_right(chars: list[dict[str, Any]]) -> bool:
    lines: dict[int, list[float]] = {}
    for c in chars:
        lines.setdefault(c["top"], []).append(c["left"])
    return all(lefts == sorted(lefts) for lefts in lines.values())


def test_a_trojan_source_file_renders_in_logical_order_with_its_controls_marked(
        browser: Any, use_encoder: Any, tmp_path: Path) -> None:
    # Real bytes on disk: an unclosed override in the first English sentence, and one in the file name.
    en = tmp_path / f"statement{RLO}txt.en.txt"
    ar = tmp_path / "statement.ar.txt"
    en.write_bytes(f"The toll rose to {RLO}1,250 people. Officials confirmed the figure on Monday.\n"
                   "The talks will resume next week.\n".encode())
    ar.write_bytes("ارتفعت الحصيلة إلى 1250 شخصا، وأكد المسؤولون الرقم يوم الاثنين.\n"
                   "وستستأنف المحادثات الأسبوع المقبل.\n".encode())
    assert "\u202e".encode() in en.read_bytes()
    # Sentences: the override must stay inside the first sentence's segment (``auto`` would take
    # these two line-parallel lines whole).
    report = Checker(use_encoder, CheckOptions(split="sentences")).check_files(en, ar)
    page_path = tmp_path / "trojan.html"
    page_path.write_text(report_to_html(report), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    page.goto(page_path.resolve().as_uri())
    segments = page.evaluate(_CHARACTER_BOXES, "td.en .seg")
    assert len(segments) == 3
    for chars in segments:
        assert _reads_left_to_right([c for c in chars if not c["control"]])
    # The second sentence reads as written, wherever the aligner put it.
    assert "".join(c["ch"] for c in segments[1]).startswith("Officialsconfirmed")
    badges = page.evaluate("""() => Array.from(document.querySelectorAll('.ctl')).map(b => {
        const box = b.getBoundingClientRect();
        return {text: b.textContent, title: b.title, width: box.width, height: box.height,
                bidi: getComputedStyle(b).unicodeBidi, header: !!b.closest('header')};
    })""")
    assert [(b["text"], b["header"]) for b in badges] == [("RLO", True), ("RLO", False)]
    assert all(b["width"] > 0 and b["height"] > 0 and b["bidi"] == "isolate" for b in badges)
    assert "RIGHT-TO-LEFT OVERRIDE" in badges[1]["title"]
    # The file name in the header reads left to right too, and the page title names the control.
    (header,) = page.evaluate(_CHARACTER_BOXES, "header .files bdi[lang=en]")
    assert _reads_left_to_right([c for c in header if not c["control"]])
    assert "⟨U+202E⟩" in page.title()
    page.close()


def test_cli_errors_never_print_a_raw_control(runner: Any, tmp_path: Path) -> None:
    from align.cli import main

    ar = tmp_path / "x.ar.txt"
    ar.write_text("نص عربي.", encoding="utf-8")
    missing = tmp_path / "x\x1b[8mhidden\x1b[0m.en.txt"
    result = runner.invoke(main, ["check", str(missing), str(ar)])
    assert result.exit_code == 2
    assert "\x1b" not in result.output and "x⟨U+001B⟩[8mhidden" in result.output
