"""Stage 1: sentence splitting, the three split modes, offsets and paragraph ids."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from align.model import Document
from align.segment import (
    MAX_SEGMENT_CHARS,
    SPLIT_MODES,
    SPLITTER_VERSION,
    bounded_spans,
    make_document,
    parallel_lines,
    resolve_split,
    segment_text,
    split_sentences,
    splitter_signature,
    squeeze,
)


def sentences(text: str, side: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text, side)]  # type: ignore[arg-type]


# (text, expected sentences). Each case pins one rule of the English splitter.
ENGLISH_CASES = [
    ("Dr. Smith arrived. He sat down.", ["Dr. Smith arrived.", "He sat down."]),
    ("Mr. Jones met Mrs. Lee. They talked.", ["Mr. Jones met Mrs. Lee.", "They talked."]),
    ("Prof. Khalil spoke. Rev. Adams replied.", ["Prof. Khalil spoke.", "Rev. Adams replied."]),
    ("The U.S. Army came. It left.", ["The U.S. Army came.", "It left."]),
    ("He met the U.N. envoy. Talks ended.", ["He met the U.N. envoy.", "Talks ended."]),
    ("Use tools, e.g. hammers. Then stop.", ["Use tools, e.g. hammers.", "Then stop."]),
    ("Some birds, i.e. crows, stayed. Others left.", ["Some birds, i.e. crows, stayed.", "Others left."]),
    ("See No. 5 on the list. Done.", ["See No. 5 on the list.", "Done."]),
    # "no." is only an abbreviation before a digit.
    ("He said no. The end.", ["He said no.", "The end."]),
    ("On Jan. 5 we met. Fine.", ["On Jan. 5 we met.", "Fine."]),
    ("Sales fell in Sept. Nobody knew why.", ["Sales fell in Sept. Nobody knew why."]),
    ("It rose 2.5 percent. Prices fell.", ["It rose 2.5 percent.", "Prices fell."]),
    ("It cost $1.5 million. Good.", ["It cost $1.5 million.", "Good."]),
    ("J. K. Rowling wrote it. Yes.", ["J. K. Rowling wrote it.", "Yes."]),
    ("“Is it true?” she asked. He nodded.", ["“Is it true?” she asked.", "He nodded."]),
    ("“Is it true?” He nodded.", ["“Is it true?”", "He nodded."]),
    ('He said "Stop." Then he left.', ['He said "Stop."', "Then he left."]),
    ("(See below.) The rest follows.", ["(See below.)", "The rest follows."]),
    ("Wait... What happened? Nothing.", ["Wait...", "What happened?", "Nothing."]),
    ("Wait... what happened? Nothing.", ["Wait... what happened?", "Nothing."]),
    ("Wait… Then it came.", ["Wait…", "Then it came."]),
    ("Labels (alpha, beta ...) Build data follow.", ["Labels (alpha, beta ...) Build data follow."]),
    ("He stopped. (Then nothing...) Later it came.", ["He stopped.", "(Then nothing...)", "Later it came."]),
    ("Really?! Yes. Truly!", ["Really?!", "Yes.", "Truly!"]),
    ("It happened in 2020. 2021 was worse.", ["It happened in 2020.", "2021 was worse."]),
    ("The end. «Quote» starts here.", ["The end.", "«Quote» starts here."]),
    ("Visit example.com today. Now.", ["Visit example.com today.", "Now."]),
    ("No final stop", ["No final stop"]),
    # A version number is not a dotted acronym: its final period can end the sentence.
    ("Ladder is at 3.1.0. Since then it grew.", ["Ladder is at 3.1.0.", "Since then it grew."]),
    ("Use the U.S. It works.", ["Use the U.S. It works."]),
    # A number opening the paragraph is a list or section number, not a sentence.
    ("1. Introduction", ["1. Introduction"]),
    ("12. Miscellaneous. These Terms apply.", ["12. Miscellaneous.", "These Terms apply."]),
    ("2.3. Scope", ["2.3. Scope"]),
    ("iv. Remedies", ["iv. Remedies"]),
    ("It was 1. Then 2 came.", ["It was 1.", "Then 2 came."]),
    ("  Padded sentence.   Another one.  ", ["Padded sentence.", "Another one."]),
]

ARABIC_CASES = [
    ("ذهب الولد. جاء المعلم", ["ذهب الولد.", "جاء المعلم"]),
    ("هل جاء المعلم؟ نعم جاء", ["هل جاء المعلم؟", "نعم جاء"]),
    ("يا له من يوم! انتهى الدرس", ["يا له من يوم!", "انتهى الدرس"]),
    ("ما زالت قائمة؛ بل تفاقمت", ["ما زالت قائمة؛", "بل تفاقمت"]),
    # The Arabic comma never ends a sentence.
    ("قال، ثم ذهب، ثم عاد. انتهى", ["قال، ثم ذهب، ثم عاد.", "انتهى"]),
    ("ما هذا؟! لا شيء.", ["ما هذا؟!", "لا شيء."]),
    # "د." (Dr.) is a one-letter abbreviation.
    ("قال د. أحمد إن الوضع جيد. انتهى", ["قال د. أحمد إن الوضع جيد.", "انتهى"]),
    ("ارتفع بنسبة 2.5 بالمئة. انتهى", ["ارتفع بنسبة 2.5 بالمئة.", "انتهى"]),
    # An English abbreviation followed by lower-case English inside Arabic text.
    ("زار الوفد U.S. embassy أمس. انتهى", ["زار الوفد U.S. embassy أمس.", "انتهى"]),
    ("المجد للشهداء، والحرية للمعتقلين،", ["المجد للشهداء، والحرية للمعتقلين،"]),
    # A word ending in tanween before the period is a word, not the lone letter "ا." (Dr.).
    ("كان الأمر جيدًا. ثم انتهى", ["كان الأمر جيدًا.", "ثم انتهى"]),
    ("قالَ. ثم انتهى", ["قالَ.", "ثم انتهى"]),
    ("مثال: 1.0.0 < 2.1.1. في حال التساوي", ["مثال: 1.0.0 < 2.1.1.", "في حال التساوي"]),
    ("1. مقدمة", ["1. مقدمة"]),
    # An ellipsis ("and so on") closing an aside opened mid-sentence does not end the sentence.
    ("الأوسمة (مثل: beta ،alpha ...) والبيانات متوفرة. انتهى",
     ["الأوسمة (مثل: beta ،alpha ...) والبيانات متوفرة.", "انتهى"]),
    ("قال شيئا. (ثم سكت...) وانتهى", ["قال شيئا.", "(ثم سكت...)", "وانتهى"]),
    ("١. مقدمة", ["١. مقدمة"]),
]

# English abbreviations inside Arabic followed by an Arabic word: the module's own comment says
# "An English abbreviation inside Arabic text ("U.S.")" is not a boundary, but only a lower-case
# English continuation is recognised.
ARABIC_WITH_ENGLISH_ABBREVIATIONS = [
    ("قال إن U.S. سترسل وفدا. انتهى", ["قال إن U.S. سترسل وفدا.", "انتهى"]),
    ("وصل Dr. Smith إلى المدينة. انتهى", ["وصل Dr. Smith إلى المدينة.", "انتهى"]),
    ("قال e.g. شيء. انتهى", ["قال e.g. شيء.", "انتهى"]),
]


@pytest.mark.parametrize(("text", "expected"), ENGLISH_CASES)
def test_english_sentences(text: str, expected: list[str]) -> None:
    assert sentences(text, "en") == expected


@pytest.mark.parametrize(("text", "expected"), ARABIC_CASES)
def test_arabic_sentences(text: str, expected: list[str]) -> None:
    assert sentences(text, "ar") == expected


@pytest.mark.parametrize(("text", "expected"), ARABIC_WITH_ENGLISH_ABBREVIATIONS)
def test_english_abbreviation_before_arabic_word(text: str, expected: list[str]) -> None:
    assert sentences(text, "ar") == expected


def test_split_sentences_respects_a_window() -> None:
    text = "Skip. First one. Second one. Skip too."
    start, end = text.index("First"), text.index(" Skip too")
    assert [text[s:e] for s, e in split_sentences(text, "en", start, end)] == ["First one.", "Second one."]


# --- modes ------------------------------------------------------------------------------------

WRAPPED = "Line one.\nstill one\n\nPara two. Two b.\n\n\nThree\n"

# (mode, expected (index, text, paragraph) triples, expected size)
MODE_CASES = [
    ("auto", [(0, "Line one.", 0), (1, "still one", 1), (2, "Para two.", 2), (3, "Two b.", 2), (4, "Three", 3)], 5),
    ("sentences", [(0, "Line one.", 0), (1, "still one", 1), (2, "Para two.", 2), (3, "Two b.", 2), (4, "Three", 3)],
     5),
    ("paragraphs", [(0, "Line one. still one", 0), (1, "Para two. Two b.", 1), (2, "Three", 2)], 3),
    # ids are 0-based line numbers over all lines; the trailing newline ends line 6 and adds none.
    ("lines", [(0, "Line one.", 0), (1, "still one", 0), (3, "Para two. Two b.", 1), (6, "Three", 2)], 7),
]


@pytest.mark.parametrize(("mode", "expected", "size"), MODE_CASES)
def test_modes(mode: str, expected: list[tuple[int, str, int]], size: int) -> None:
    doc = make_document(WRAPPED, "en", "wrapped", mode)
    assert [(s.index, s.text, s.paragraph) for s in doc.segments] == expected
    assert doc.size == size


def test_lines_mode_texts_have_blank_lines_as_empty_strings() -> None:
    doc = make_document(WRAPPED, "en", "wrapped", "lines")
    assert doc.texts == ["Line one.", "still one", "", "Para two. Two b.", "", "", "Three"]


def test_lines_mode_counts_leading_blank_lines() -> None:
    doc = make_document("\n\nفقرة أولى.\n", "ar", "x", "lines")
    assert doc.texts == ["", "", "فقرة أولى."]
    assert [(s.index, s.paragraph) for s in doc.segments] == [(2, 0)]


def test_paragraphs_mode_joins_wrapped_arabic_lines() -> None:
    text = "السطر الأول\nيكمل الجملة.\n\nفقرة ثانية."
    doc = make_document(text, "ar", "x", "paragraphs")
    assert doc.texts == ["السطر الأول يكمل الجملة.", "فقرة ثانية."]


def test_unknown_mode_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown split mode"):
        segment_text("Some text.", "en", "sentence")


# CRLF input: (mode, expected texts)
CRLF_TEXT = "A one. B two.\r\nC three.\r\n\r\nD four."
CRLF_CASES = [
    ("auto", ["A one.", "B two.", "C three.", "D four."]),
    ("lines", ["A one. B two.", "C three.", "", "D four."]),
    # The two characters of "\r\n" become two spaces, keeping offsets valid.
    ("paragraphs", ["A one. B two.  C three.", "D four."]),
]


@pytest.mark.parametrize(("mode", "expected"), CRLF_CASES)
def test_crlf_input(mode: str, expected: list[str]) -> None:
    doc = make_document(CRLF_TEXT, "en", "crlf", mode)
    assert doc.texts == expected
    assert not any("\r" in s.text or "\n" in s.text for s in doc.segments)


def test_reference_pair_paragraph_ids(pairs_dir: Path) -> None:
    text = (pairs_dir / "reference.en.txt").read_text(encoding="utf-8")
    doc = make_document(text, "en", "reference", "auto")
    by_paragraph: dict[int, list[str]] = {}
    for seg in doc.segments:
        by_paragraph.setdefault(seg.paragraph, []).append(seg.text)
    # 16 non-blank lines: each is one paragraph, numbered without gaps.
    assert sorted(by_paragraph) == list(range(16))
    assert by_paragraph[0] == ["Saturday, 28 March 2020 20:40"]
    assert by_paragraph[5] == ["March 28, 2020"]
    assert len(by_paragraph[6]) == 2
    assert by_paragraph[6][0].startswith("Dealing with the head of the regime")
    assert by_paragraph[6][1].startswith("Such move will go down in history")
    assert len(by_paragraph[10]) == 5  # "The Assad regime has always been…" paragraph
    assert by_paragraph[14] == ["# # #"]


def test_reference_arabic_sentences(pairs_dir: Path) -> None:
    text = (pairs_dir / "reference.ar.txt").read_text(encoding="utf-8")
    doc = make_document(text, "ar", "reference", "auto")
    # The long paragraph splits at its two "؛" and one "."; the closing line ends with "،".
    assert len(doc.segments) == 12
    assert doc.texts[5].endswith("ما زالت قائمة؛")
    assert doc.texts[-2] == "المجد للشهداء، والشفاء للجرحى والمصابين، والحرية للمعتقلين،"
    assert [s.paragraph for s in doc.segments] == [0, 1, 2, 3, 4, 5, 5, 5, 6, 6, 7, 8]


# --- invariants ---------------------------------------------------------------------------------

def check_invariants(doc: Document) -> None:
    text = doc.text
    previous_end = 0
    previous_index = -1
    for seg in doc.segments:
        assert seg.text, "empty segment"
        assert seg.text == seg.text.strip(), f"segment has surrounding whitespace: {seg.text!r}"
        assert seg.start >= previous_end, "segments overlap or are out of order"
        assert seg.index > previous_index
        expected = re.sub(r"[\r\n\t\f\v]", " ", text[seg.start:seg.end])
        assert seg.text == expected
        assert len(seg.text) == seg.end - seg.start
        previous_end, previous_index = seg.end, seg.index
    assert squeeze("".join(s.text for s in doc.segments)) == squeeze(text), "text was dropped"
    assert len(doc.texts) == doc.size
    paragraphs = [s.paragraph for s in doc.segments]
    assert paragraphs == sorted(paragraphs)
    assert not paragraphs or paragraphs[0] == 0


OFFSET_TEXTS = [
    ("en", WRAPPED),
    ("en", CRLF_TEXT),
    ("en", "\n\n  Dr. Who?  Yes!\n\tTabbed line. “Quoted.” Next\n\n\n"),
    ("ar", "قال د. أحمد، ثم ذهب. هل عاد؟ نعم!\n\n  سطر آخر؛ وانتهى  \r\n"),
]


@pytest.mark.parametrize("mode", SPLIT_MODES)
@pytest.mark.parametrize(("side", "text"), OFFSET_TEXTS)
def test_offsets_and_invariants_on_examples(side: str, text: str, mode: str) -> None:
    check_invariants(make_document(text, side, "x", mode))  # type: ignore[arg-type]


CHARACTERS = "abcXYZ" + "سلامعليكم" + "0159" + "  \n\n\t\r" + ".?!؟؛،,\"'“”«»()"
# Whole tokens reach the abbreviation and ellipsis rules far more often than single characters do.
TOKENS = st.sampled_from(list(CHARACTERS) + ["...", "Dr.", "U.S.", "No.", "J.", "د.", "\r\n", "\n\n", ". "])
ARBITRARY_TEXT = st.one_of(st.text(alphabet=CHARACTERS, max_size=80), st.lists(TOKENS, max_size=60).map("".join))


@settings(max_examples=300, deadline=None)
@given(text=ARBITRARY_TEXT, side=st.sampled_from(["en", "ar"]), mode=st.sampled_from(SPLIT_MODES))
def test_splitting_keeps_every_character(text: str, side: str, mode: str) -> None:
    check_invariants(make_document(text, side, "x", mode))  # type: ignore[arg-type]


@settings(max_examples=200, deadline=None)
@given(text=ARBITRARY_TEXT, side=st.sampled_from(["en", "ar"]))
def test_lines_mode_ids_are_line_numbers(text: str, side: str) -> None:
    doc = make_document(text, side, "x", "lines")  # type: ignore[arg-type]
    lines = text.splitlines()
    assert doc.size == len(lines)
    assert doc.texts == [line.strip().replace("\t", " ") for line in lines]


@pytest.mark.parametrize("brk", ["\u2028", "\x85"])
def test_paragraphs_mode_turns_every_line_break_into_a_space(brk: str) -> None:
    doc = make_document(f"First line{brk}second line.", "en", "x", "paragraphs")
    assert doc.texts == ["First line second line."]


# --- the fallback for sentences that never end -------------------------------------------------------

def _rebuild(text: str, spans: list[tuple[int, int]]) -> tuple[str, list[str]]:
    """``text`` rebuilt from its pieces and the original gaps between them, and those gaps."""
    gaps = [text[a:b] for a, b in zip([0] + [e for _, e in spans], [s for s, _ in spans] + [len(text)], strict=True)]
    pieces = [text[s:e] for s, e in spans]
    rebuilt = "".join(g + p for g, p in zip(gaps, [*pieces, ""], strict=True))
    return rebuilt, gaps


LONG_LINES = [
    # 100,000 characters of words and no punctuation: cut at white space
    ("en", " ".join(f"word{n % 97}" for n in range(15_000))[:100_000]),
    # Arabic with clause commas and no full stop: cut after a comma
    ("ar", "، ".join("قال المتحدث إن الاجتماع سيعقد غدا في المقر الرئيسي" for _ in range(2_000))[:100_000]),
    # one 100,000-letter "word" with vowel marks: cut anywhere, never before a mark
    ("ar", ("بَ" * 50_000)),
]


@pytest.mark.parametrize(("side", "line"), LONG_LINES)
def test_a_100000_character_line_is_cut_into_bounded_pieces_that_rebuild_it(side: str, line: str) -> None:
    text = f"Title\n{line}\nEnd."
    doc = make_document(text, side, "x")  # type: ignore[arg-type]
    spans = [(s.start, s.end) for s in doc.segments]
    assert max(e - s for s, e in spans) <= MAX_SEGMENT_CHARS
    assert len(spans) >= 100_000 // MAX_SEGMENT_CHARS
    rebuilt, gaps = _rebuild(text, spans)
    assert rebuilt == text
    assert all(not g.strip() for g in gaps), "a gap between pieces holds text"
    pieces = [s.text for s in doc.segments]
    if "،" in line:
        assert all(p.endswith("،") for p in pieces[1:-2]), "pieces should end at a clause comma"
    if "\u064e" in line:
        assert not any(p[0] == "\u064e" for p in pieces), "a vowel mark was cut from its letter"
    assert splitter_signature("sentences") == f"sentences/{SPLITTER_VERSION},max={MAX_SEGMENT_CHARS}"


def test_fifty_thousand_sentences_on_one_line_are_all_split() -> None:
    # Looking for the word before each period from the start of the line made this quadratic.
    text = " ".join(f"Sentence number {n} is here." for n in range(50_000))
    doc = make_document(text, "en", "x")
    assert len(doc.segments) == 50_000
    assert doc.segments[-1].text == "Sentence number 49999 is here."


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="ab سل،,;.\n\u064e", max_size=300), max_chars=st.integers(1, 40))
def test_bounded_pieces_lose_no_character(text: str, max_chars: int) -> None:
    spans = bounded_spans(text, 0, len(text), max_chars)
    assert all(0 < e - s <= max_chars for s, e in spans)
    rebuilt, gaps = _rebuild(text, spans)
    assert rebuilt == text
    assert all(not g.strip() for g in gaps)
    doc = make_document(text, "ar", "x", "auto", max_chars)
    assert all(len(s.text) <= max_chars for s in doc.segments)
    assert squeeze("".join(s.text for s in doc.segments)) == squeeze(text)


# --- auto on a pair: lines when the files are line-parallel ----------------------------------------

NEWS_EN = "The minister arrived on Monday. He met the press.\nTalks lasted three hours.\n\nNo deal was reached.\n"
NEWS_AR = "وصل الوزير يوم الاثنين. والتقى بالصحافة.\nاستمرت المحادثات ثلاث ساعات.\nلم يتم التوصل إلى اتفاق.\n"


def test_line_parallel_files_are_split_by_line() -> None:
    # Three non-empty lines a side (the blank line does not count), lengths in step line by line.
    assert parallel_lines(NEWS_EN, NEWS_AR)
    assert resolve_split("auto", NEWS_EN, NEWS_AR) == "lines"


@pytest.mark.parametrize(("en", "ar", "why"), [
    (NEWS_EN + "A fourth line.\n", NEWS_AR, "line counts differ"),
    ("The minister arrived on Monday. He met the press.", "وصل الوزير يوم الاثنين. والتقى بالصحافة.", "one line"),
    # Same count, but line 1 of one side is long where the other's is short: not each other's translation.
    ("Hi.\nThe minister arrived on Monday and met the press for three hours.\nNo deal was reached at all.\n",
     "وصل الوزير يوم الاثنين والتقى بالصحافة لمدة ثلاث ساعات.\nمرحبا.\nلم يتم التوصل إلى اتفاق.\n", "lengths"),
    ("Short line.\n" + "Word " * 500 + "\n", "سطر قصير.\n" + "كلمة " * 500 + "\n", "a line over max_chars"),
])
def test_other_pairs_are_split_into_sentences(en: str, ar: str, why: str) -> None:
    assert not parallel_lines(en, ar), why
    assert resolve_split("auto", en, ar) == "sentences"


def test_paragraph_per_line_files_are_split_into_sentences() -> None:
    # Line-parallel, but a paragraph of three sentences a line: sentences inside each paragraph.
    en = "One fact. Two facts. Three facts.\nFour facts. Five facts. Six facts.\n"
    ar = "حقيقة. حقيقتان. ثلاث حقائق.\nأربع حقائق. خمس حقائق. ست حقائق.\n"
    assert not parallel_lines(en, ar)
    # One sentence and two a line on average (1.5) is still a sentence or so a line.
    assert parallel_lines("One fact.\nTwo facts. Three facts.\n", "حقيقة.\nحقيقتان. ثلاث حقائق.\n")


def test_one_line_in_five_may_disagree_in_length() -> None:
    en = "".join(f"Sentence number {k} is here.\n" for k in range(5))
    ar = "".join(f"الجملة رقم {k} هنا.\n" for k in range(5))
    odd = ar.replace("الجملة رقم 0 هنا.", "الجملة رقم 0 هنا " + "وأكثر " * 20)
    assert parallel_lines(en, odd)
    assert not parallel_lines(en, odd.replace("الجملة رقم 1 هنا.", "الجملة رقم 1 هنا " + "وأكثر " * 20))


def test_lines_chosen_by_auto_are_numbered_like_sentences() -> None:
    # ``--split lines`` promises line numbers (blank lines hold ids); ``auto`` numbers segments 0..n-1.
    assert [s.index for s in make_document(NEWS_EN, "en", "x", "lines").segments] == [0, 1, 3]
    doc = make_document(NEWS_EN, "en", "x", "lines", line_ids=False)
    assert ([s.index for s in doc.segments], doc.size, doc.texts[2]) == ([0, 1, 2], 3, "No deal was reached.")


@pytest.mark.parametrize("mode", ["sentences", "paragraphs", "lines"])
def test_a_mode_the_user_chose_is_kept(mode: str) -> None:
    assert resolve_split(mode, NEWS_EN, NEWS_AR) == mode


def test_the_signature_names_the_rule_and_what_auto_chose() -> None:
    assert splitter_signature("auto") == f"auto/{SPLITTER_VERSION},max={MAX_SEGMENT_CHARS},parallel-lines-1"
    assert splitter_signature("auto", 500, "lines") == f"auto=lines/{SPLITTER_VERSION},max=500,parallel-lines-1"
    assert splitter_signature("sentences") == f"sentences/{SPLITTER_VERSION},max={MAX_SEGMENT_CHARS}"
    assert splitter_signature("lines", 500, "lines") == f"lines/{SPLITTER_VERSION}"
