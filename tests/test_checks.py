"""The translation checks, on real English and Arabic sentences with the real encoder."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from align.checks.base import CheckContext
from align.checks.numbers import NumberCheck
from align.checks.partial import _spelled_out_acronym
from align.clauses import clause_spans
from align.cli import main
from align.fingerprint import (
    _FROM_ARABIC_BLOCK,
    _KEPT_ARABIC_LETTER,
    fingerprint,
    normalize_text,
    normalized_differ,
    read_ignore_file,
)
from align.model import Bead, Document, Side
from align.numbers import any_weekday_written, find_numbers, unmatched_numbers, weekday_written
from align.pipeline import Checker
from align.segment import make_document

DATA = Path(__file__).parent / "data"

# (English, Arabic, values only in English, values only in Arabic)
NUMBER_CASES = [
    ("nearly a million Syrians", "قرابة مليون مواطن سوري", [], []),
    ("more than 12 million from their homes", "أكثر من 12 مليوناً منهم", [], []),
    ("It still detains more than 250,000", "ولا يزال يعتقل أكثر من 250 ألفاً", [], []),
    ("The toll rose to 1,250 on 3 March 2020, up 4.5%.", "ارتفع العدد إلى ١٬٢٥٠ في 3 آذار 2020، بزيادة ٤٫٥٪.", [], []),
    ("Persian digits: 1,250", "الأرقام الفارسية: ۱۲۵۰", [], []),
    ("He paid $2.5 billion.", "دفع 2.5 مليار دولار.", [], []),
    ("About 40 percent of 12 million people.", "نحو 40 في المائة من 12 مليون شخص.", [], []),
    ("Twenty-five people died.", "توفي خمسة وعشرون شخصا.", [], []),
    ("for the next 40 years", "طيلة الأربعين عاماً القادمة", [], []),
    ("over the past two million years", "على مدى المليوني سنةٍ الماضية", [], []),
    ("in the Land of a thousand lakes", "في أرض الألف بحيرة", [], []),
    ("on August 5, for Type 1 diabetes", "في الخامس من أغسطس، لمرضى السكري من النوع الأول", [], []),
    ("at approximately 1200 GMT", "في الساعة 12:00 بتوقيت جرينتش", [], []),
    ("at 15.00 local time", "في الساعة 15،00 بالتوقيت المحلي", [], []),
    ("strain 229E and the 2.4Ghz band", "السلالة 229 إي ونطاق 2.4 جيجاهرتز", [], []),
    ("two countries signed", "وقع البلدان", [], []),
    ("The 25 Dunlap broadsides", "مطويات دنلاب الخمس والعشرون", [], []),
    ("It carries 8 times more water", "يحمل مياه أكثر بثمان مرات", [], []),
    ("a type I membrane protein", "بروتين غشائي من النوع 1", [], []),
    ("in the 2nd wave", "في الموجة الثانية", [], []),
    ("He won 15 medals in 2019.", "فاز بـ 18 ميدالية في عام 2019.", ["15"], ["18"]),
    ("The budget is 3.5 billion.", "الميزانية 4.5 مليار.", ["3,500,000,000"], ["4,500,000,000"]),
    ("Prices rose 40% last year.", "ارتفعت الأسعار بنسبة 45٪ العام الماضي.", ["40%"], ["45%"]),
    ("The meeting is on Monday.", "الاجتماع يوم الاثنين في تمام 10:30.", [], ["10.3"]),
    ("Killed 300 people in 2011.", "قتل 300 شخص.", ["2011"], []),
    ("In 1441 AH", "في عام 1441 هـ والعام 2020", [], ["2020"]),
    # Arabic thousands separators "." and "،" (three digits follow), and the decimal reading kept too.
    ("150,000 people and 20,000 cars", "150.000 شخص و20.000 سيارة", [], []),
    ("30,000 and 83,000 refugees", "30،000 و83،000 لاجئ", [], []),
    ("It grew 2.5 times to 3.500 tonnes", "نما 2.5 مرة إلى 3,5 طن", [], []),
    ("150,000 people", "150.001 شخص", ["150,000"], ["150.001"]),
    # Spelled ordinals in every form, ages.
    ("a 13-year-old girl", "فتاة في سن الثالثة عشر", [], []),
    ("children under 5", "الأطفال دون سن الخامسة", [], []),
    ("the 21st century", "القرن الحادي والعشرين", [], []),
    ("his 40th birthday", "عيد ميلاده الأربعين", [], []),
    # Phone numbers and codes compare as digit strings; currency scales; year ranges; fractions.
    ("call 116 123 now", "اتصل على 116123 الآن", [], []),
    ("sold for £125m", "بيعت مقابل 125 مليون جنيه إسترليني", [], []),
    ("the 1950-53 Korean War", "الحرب الكورية من 1950 وحتى 1953", [], []),
    ("as shown in Fig.1,1 and (Fig.2).2)", "كما في الشكل 1,1 و(الشكل 2)2)", [], []),
    ("300 strikeouts in 220 2/3 innings", "300 رمية في 220 شوطًا", ["2/3"], []),  # a lost fraction
    ("3/4 of them", "3/4 منهم", [], []),
    ("on 12/03/2020 at 10", "في 12/03/2020 عند 11", ["10"], ["11"]),
    ("if (i) you agree or (ii) type-II cells", "إذا (1) وافقت أو (2) خلايا النوع 2", [], []),
    ("turnout needs to be 50 percent", "يجب أن تكون نسبة المشاركة أكثر من النصف", [], []),
    # A height in feet and inches is one value (ntrex: "6-foot-6" rendered as shirt number 6 and 6 feet).
    ("The 6-foot-6 forward", "المهاجم رقم 6 ويبلغ طوله 6 أقدام", ["6-foot-6"], ["6", "6"]),
    ("He is 6 feet 2 inches tall", "يبلغ طوله 6 أقدام و2 بوصات", [], []),
]


@pytest.mark.parametrize(("en", "ar", "only_en", "only_ar"), NUMBER_CASES)
def test_numbers_are_normalised_before_comparing(en: str, ar: str, only_en: list[str], only_ar: list[str]) -> None:
    e, a = find_numbers(en, "en"), find_numbers(ar, "ar")
    assert [m.label() for m in unmatched_numbers(e, a)] == only_en
    assert [m.label() for m in unmatched_numbers(a, e)] == only_ar


def test_number_offsets_point_at_the_number() -> None:
    text = "الميزانية ٤٫٥ مليار دولار"
    (mention,) = find_numbers(text, "ar")
    assert text[mention.start:mention.end] == mention.text == "٤٫٥ مليار"
    assert mention.value == 4.5e9


def _bead_context(en: str, ar: str, **kwargs: object) -> tuple[Bead, CheckContext]:
    en_doc, ar_doc = make_document(en, "en", "en", "lines"), make_document(ar, "ar", "ar", "lines")
    bead = Bead((0,), (0,), 0.8)
    return bead, CheckContext(en_doc, ar_doc, (bead,), **kwargs)  # type: ignore[arg-type]


def test_the_number_check_reads_a_bead_without_copying_the_document(monkeypatch: pytest.MonkeyPatch) -> None:
    # Document.texts copies every segment: called per bead, a 20,000-line pair took quadratic time.
    bead, context = _bead_context("He won 15 medals.\nOther.", "فاز بـ 18 ميدالية.\nأخرى.")

    def copied(doc: Document) -> list[str]:
        raise AssertionError("Document.texts called while checking one bead")

    monkeypatch.setattr(Document, "texts", property(copied))
    (flag,) = NumberCheck().check_bead(bead, context)
    assert flag.type == "number"


def test_number_evidence_points_into_each_of_two_identical_segments() -> None:
    """A bead that holds the same sentence twice: numbers are read once per text, and each
    segment's evidence must still point into that segment."""
    en_doc = make_document("It took 5 days, then 6 days.\nIt took 5 days, then 6 days.", "en", "en", "lines")
    ar_doc = make_document("استغرق الأمر 5 أسابيع.", "ar", "ar", "lines")
    bead = Bead((0, 1), (0,), 0.8)
    values, *units = NumberCheck().check_bead(bead, CheckContext(en_doc, ar_doc, (bead,)))
    # One 5 matches the Arabic 5: the other 5 and both 6s are English only, each where it is.
    assert values.message == "Numbers 6, 5, 6 in English only"
    assert [(e.segment, e.text) for e in values.evidence] == [(0, "6"), (1, "5"), (1, "6")]
    assert sorted(e.segment for f in units for e in f.evidence if e.side == "en") == [0, 1]


def test_date_evidence_points_into_each_of_two_identical_segments() -> None:
    en_doc = make_document("It was Monday.\nIt was Monday.", "en", "en", "lines")
    ar_doc = make_document("كان يوم الثلاثاء.", "ar", "ar", "lines")
    bead = Bead((0, 1), (0,), 0.8)
    (flag,) = NumberCheck().check_bead(bead, CheckContext(en_doc, ar_doc, (bead,)))
    assert [(e.segment, e.text) for e in flag.evidence if e.side == "en"] == [(0, "Monday"), (1, "Monday")]


def test_number_flag_carries_both_values_as_evidence() -> None:
    bead, context = _bead_context("He won 15 medals.", "فاز بـ 18 ميدالية.")
    (flag,) = NumberCheck().check_bead(bead, context)
    assert (flag.type, flag.side, flag.severity) == ("number", "both", "error")
    assert {(e.side, e.value, e.text) for e in flag.evidence} == {("en", "15", "15"), ("ar", "18", "18")}
    assert "15" in flag.message and "18" in flag.message


@pytest.mark.parametrize(("source", "wording"), [
    (None, "in English only"),
    ("en", "missing from the Arabic translation"),
    ("ar", "added in the English translation"),
])
def test_number_wording_follows_the_source(source: str | None, wording: str) -> None:
    bead, context = _bead_context("Killed 300 people in 2011.", "قتل 300 شخص.", source=source)
    (flag,) = NumberCheck().check_bead(bead, context)
    assert wording in flag.message


CLAUSE_CASES = [
    ("أكد الائتلاف الوطني خلال بيان صحفي ان التعامل مع نظام الأسد هو وقوف مع المجرم", "ar",
     ["أكد الائتلاف الوطني خلال بيان صحفي ان", "التعامل مع نظام الأسد هو وقوف مع المجرم"]),
    ("The minister said in a statement on Monday that the talks had failed.", "en",
     ["The minister said in a statement on Monday that", "the talks had failed."]),
    ("يقف النظام وراء مقتل قرابة مليون سوري، وهو المسؤول عن تهجير الملايين؛ ولا يزال يعتقل الآلاف", "ar",
     ["يقف النظام وراء مقتل قرابة مليون سوري،", "وهو المسؤول عن تهجير الملايين؛", "ولا يزال يعتقل الآلاف"]),
    ("Yes, he said.", "en", ["Yes, he said."]),
]


@pytest.mark.parametrize(("text", "side", "clauses"), CLAUSE_CASES)
def test_clauses(text: str, side: str, clauses: list[str]) -> None:
    spans = clause_spans(text, side)  # type: ignore[arg-type]
    assert [text[s:e].strip() for s, e in spans] == clauses
    assert "".join(text[s:e] for s, e in spans) == text


TICO = DATA / "tico19_06_PubMed_10"


def tico(count: int = 12) -> tuple[list[str], list[str]]:
    return (TICO.with_suffix(".en.txt").read_text(encoding="utf-8").splitlines()[:count],
            TICO.with_suffix(".ar.txt").read_text(encoding="utf-8").splitlines()[:count])


def flags_of(report: object, kind: str) -> list[tuple[tuple[int, ...], tuple[int, ...], str, str]]:
    return [(b.en, b.ar, f.side, f.severity) for b in report.beads for f in b.flags  # type: ignore[attr-defined]
            if f.type == kind and f.severity != "info"]


def test_a_clean_translation_has_no_findings(checker_lines: Checker) -> None:
    en, ar = tico()
    report = checker_lines.check_texts("\n".join(en), "\n".join(ar))
    assert [f for b in report.beads for f in b.flags if f.severity != "info"] == []
    assert report.document is not None and report.document.likely_translation


def test_a_substituted_sentence_is_paired_and_flagged_divergent(checker_lines: Checker) -> None:
    en, ar = tico(20)
    ar[7] = ar[15]  # a sentence from elsewhere replaces the translation of English line 7
    report = checker_lines.check_texts("\n".join(en[:12]), "\n".join(ar[:12]))
    assert ((7,), (7,), "both", "error") in flags_of(report, "divergent")
    assert flags_of(report, "unmatched") == []


def test_an_added_lead_in_is_a_partial_on_the_side_that_has_it(checker_lines: Checker) -> None:
    en, ar = tico()
    ar[4] = "وأكدت الهيئة الصحية في بيان صحفي صدر مساء أمس أن " + ar[4]
    report = checker_lines.check_texts("\n".join(en), "\n".join(ar))
    partials = [f for b in report.beads for f in b.flags if f.type == "partial"]
    assert [(f.side, f.evidence[0].segment) for f in partials] == [("ar", 4)]
    evidence = partials[0].evidence[0]
    assert ar[4][evidence.start:evidence.end].startswith("وأكدت الهيئة الصحية")


def test_a_dropped_phrase_with_no_clause_cut_is_found_as_a_passage(checker_lines: Checker) -> None:
    en, ar = tico()
    # English line 11 loses "currently undertaking annual influenza virology surveillance" and
    # "virological and serological": the Arabic has no comma or connective around either.
    en[11] = "The 100 general practices will be involved in the extended surveillance."
    report = checker_lines.check_texts("\n".join(en), "\n".join(ar))
    partials = [f for b in report.beads for f in b.flags if f.type == "partial"]
    assert [(f.side, f.evidence[0].segment) for f in partials] == [("ar", 11)]
    assert partials[0].message.startswith("Passage only in Arabic")
    # Word windows fire on idioms and paraphrase in real translations: a hint, never a warning.
    assert partials[0].severity == "info"
    evidence = partials[0].evidence[0]
    dropped = [(ar[11].index(a), ar[11].index(b) + len(b)) for a, b in (("الأمراض", "والأمصال"), ("تجري", "السنوي"))]
    assert any(start <= evidence.start and evidence.end <= end for start, end in dropped)


def test_a_bracketed_gloss_for_a_bracketed_acronym_is_not_a_partial(checker_lines: Checker) -> None:
    en = ["Before 2003, two human CoVs (HCoVs) were known to cause mild illness, such as common cold."]
    ar = ["قبل 2003، كان معروفًا أن نوعين من فيروسات كورونا البشرية (فيروسات كورونا البشرية) يسببان مرضًا خفيفًا، "
          "مثل الزكام."]
    tail_en, tail_ar = tico(8)
    report = checker_lines.check_texts("\n".join(en + tail_en), "\n".join(ar + tail_ar))
    assert [f for b in report.beads for f in b.flags if f.type == "partial" and b.en == (0,)] == []


def test_a_spelled_out_acronym_explains_extra_length() -> None:
    assert _spelled_out_acronym("يستخلص مركز البحوث والرصد التابع للكلية الملكية", "The RCGP RSC extracts data.")
    assert not _spelled_out_acronym("أعلنت منظمة الصحة العالمية WHO", "The WHO announced it.")
    assert not _spelled_out_acronym("قالت الوزارة", "The Ministry said.")
    # Mixed-case acronyms of science count; a name with two capitals does not.
    assert _spelled_out_acronym("فيروس كورونا البشري-229E", "HCoV-229E causes mild symptoms.")
    assert _spelled_out_acronym("سارس-كوف", "SARS-CoV spread.")
    assert not _spelled_out_acronym("تغلب على ماكلروي", "beat McIlroy")
    assert not _spelled_out_acronym("قال ديلاي", "DeLay said")


def test_unrelated_statements_get_one_document_verdict(checker: Checker, pairs_dir: Path) -> None:
    report = checker.check_files(DATA / "unrelated_statement.en.txt", pairs_dir / "reference.ar.txt")
    assert report.document is not None and not report.document.likely_translation
    assert "do not look like translations" in report.document.message
    assert [f for b in report.beads for f in b.flags if f.severity != "info"] == []


def test_reference_pair_findings(checker: Checker, pairs_dir: Path) -> None:
    report = checker.check_files(pairs_dir / "reference.en.txt", pairs_dir / "reference.ar.txt")
    assert flags_of(report, "number") == []
    lead_in = next(b for b in report.beads if b.ar == (0,))
    partial = [f for f in lead_in.flags if f.type == "partial"]
    assert len(partial) == 1 and partial[0].side == "ar"
    assert partial[0].evidence[0].text.startswith("أكد الائتلاف الوطني لقوى الثورة والمعارضة السورية خلال بيان صحفي")
    body = [b for b in report.beads if b.ar and min(b.ar) >= 1]
    assert sum(1 for b in body for f in b.flags if f.type in ("partial", "divergent")) <= 1


def test_fingerprint_ignores_spacing_case_and_digit_shapes() -> None:
    assert normalize_text("Total:  ١٢ MILLION") == normalize_text("total: 12 million")
    bead, context = _bead_context("He won 15 medals.", "فاز بـ 18 ميدالية.")
    (flag,) = NumberCheck().check_bead(bead, context)
    bead2, context2 = _bead_context("He   won 15 medals in all.", "فاز بـ ١٨ ميدالية.")
    (flag2,) = NumberCheck().check_bead(bead2, context2)
    assert fingerprint(flag) == fingerprint(flag2)


def test_normalized_differ_rests_on_what_normalising_keeps_and_makes() -> None:
    # Every letter it counts on stays an Arabic letter, alone or after a mark or another character ...
    kept = [chr(c) for c in range(0x600, 0x700) if _KEPT_ARABIC_LETTER.match(chr(c))]
    for letter in kept:
        for text in (letter, "x" + letter, letter + "\u0654", "\u0640" + letter + "\u064b"):
            assert _KEPT_ARABIC_LETTER.search(normalize_text(text)), (hex(ord(letter)), text)
    # ... and no character it lets pass can become one.
    for code in range(0x110000):
        char = chr(code)
        if not _FROM_ARABIC_BLOCK.match(char) and not 0xD800 <= code <= 0xDFFF:
            assert not _KEPT_ARABIC_LETTER.search(normalize_text(char)), hex(code)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Ali", "علي", "ﻋﻠﻲ", "𞸀", "آ", "ا", "\u0654", "\u064b", "ـ", "١", "1", " ", "Ⅻ", "ﬀ",
                                  "İ", "é"]), max_size=6).map("".join),
       st.lists(st.sampled_from(["Ali", "علي", "ﻋﻠﻲ", "آ", "ا", "\u0654", "ـ", "١", " ", "x"]),
                max_size=6).map("".join))
def test_normalized_differ_only_where_normalized_texts_differ(latin: str, arabic: str) -> None:
    if normalized_differ(latin, arabic):
        assert normalize_text(latin) != normalize_text(arabic)


def test_ignore_file_rejects_junk(tmp_path: Path) -> None:
    good = tmp_path / "ok.txt"
    good.write_text("# dismissed\n0123456789abcdef  # lead-in is fine\n\n", encoding="utf-8")
    assert read_ignore_file(good) == {"0123456789abcdef"}
    bad = tmp_path / "bad.txt"
    bad.write_text("not-a-fingerprint\n", encoding="utf-8")
    with pytest.raises(Exception, match="bad.txt:1"):
        read_ignore_file(bad)


def test_fail_on_and_ignore_round_trip(runner: CliRunner, pairs_dir: Path, tmp_path: Path) -> None:
    en, ar = str(pairs_dir / "reference.en.txt"), str(pairs_dir / "reference.ar.txt")
    first = runner.invoke(main, ["check", en, ar, "--fail-on", "partial", "--format", "json"])
    assert first.exit_code == 1
    import json

    data = json.loads(first.stdout)
    prints = [f["fingerprint"] for b in data["beads"] for f in b["flags"] if f["type"] == "partial"]
    ignore = tmp_path / "ignore.txt"
    ignore.write_text("\n".join(prints) + "\n", encoding="utf-8")
    second = runner.invoke(main, ["check", en, ar, "--fail-on", "partial", "--ignore", str(ignore), "--format", "json"])
    assert second.exit_code == 0, second.output
    assert json.loads(second.stdout)["alignment"]["ignored_flags"] == len(prints)
    assert runner.invoke(main, ["check", en, ar, "--fail-on", "number"]).exit_code == 0
    bad = runner.invoke(main, ["check", en, ar, "--fail-on", "typo"])
    assert bad.exit_code == 2 and "unknown flag type typo" in bad.output


@pytest.fixture(scope="module")
def checker_lines(use_encoder: object) -> Checker:
    from align.pipeline import CheckOptions

    return Checker(use_encoder, CheckOptions(split="lines"))  # type: ignore[arg-type]


SKELETON_CASES = [  # (English name, Arabic text, found)
    ("Meslet", "قال المسلط إن", True),
    ("Harper", "وافق رئيس الوزراء ستيفن هاربر", True),
    ("Kirchner", "كريستينا فرنانديز دي كيرشنر", True),
    ("Gaziantep", "في غازي عنتاب في تركيا", True),
    ("Danius", "أعلنت سارة دانيوس", True),
    ("Danius", "أعلنت اللجنة", False),
    ("Siminoff", "قال الرئيس التنفيذي", False),
]


@pytest.mark.parametrize(("name", "arabic", "found"), SKELETON_CASES)
def test_transliterated_names_match_by_consonant_skeleton(name: str, arabic: str, found: bool) -> None:
    from align.checks.names import transliterated

    assert transliterated(name, arabic) is found


NAME_CASES = [  # (English, Arabic, expected (severity, message fragment) list)
    ("See https://example.org/report for details.", "انظر التقرير للتفاصيل.",
     [("warning", "Address https://example.org/report only in English")]),
    ("Write to press@example.org today.", "اكتبوا إلى press@example.org اليوم.", []),
    ("The test uses a swab.", "يستخدم اختبار PCR مسحة.", [("warning", "«PCR» in the Arabic is not in the English")]),
    ("The PCR test uses a swab.", "يستخدم اختبار PCR مسحة.", []),
    ("Lead singer Steven Tyler was injured.", "أصيب المطرب الرئيسي ستيفن تايلر.", []),
    ("Lead singer Steven Tyler was injured.", "أصيب المطرب الرئيسي.", [("info", "Name «Steven Tyler» not found")]),
]


@pytest.mark.parametrize(("en", "ar", "expected"), NAME_CASES)
def test_name_check(en: str, ar: str, expected: list[tuple[str, str]]) -> None:
    from align.checks.names import NameCheck

    bead, context = _bead_context(en, ar)
    flags = NameCheck().check_bead(bead, context)
    assert len(flags) == len(expected)
    for flag, (severity, fragment) in zip(flags, expected, strict=True):
        assert flag.severity == severity and fragment in flag.message


def test_glossary_terms(tmp_path: Path) -> None:
    from align.checks.names import NameCheck, read_glossary

    path = tmp_path / "glossary.tsv"
    path.write_text("# term\tArabic\nSyrian Opposition Coalition\tالائتلاف الوطني السوري\n", encoding="utf-8")
    glossary = read_glossary(path)
    bead, context = _bead_context("The Syrian Opposition Coalition said.", "قال الائتلاف السوري.")
    (flag,) = NameCheck(glossary=glossary).check_bead(bead, context)
    assert flag.severity == "warning" and "الائتلاف الوطني السوري" in flag.message
    assert NameCheck().check_bead(bead, context) == []  # without the glossary, nothing to enforce
    bead, context = _bead_context("The Syrian Opposition Coalition said.", "قال الائتلاف الوطني السوري.")
    assert NameCheck(glossary=glossary).check_bead(bead, context) == []
    (tmp_path / "bad.tsv").write_text("no tab here\n", encoding="utf-8")
    with pytest.raises(Exception, match="bad.tsv:1"):
        read_glossary(tmp_path / "bad.tsv")


FORM_CASES = [  # (English, Arabic, expected (type, severity) list)
    ("Is it safe?", "هل هو آمن؟", []),
    ("Is it safe?", "إنه آمن.", [("punctuation", "info")]),
    ("He said (quietly) no.", "قال (بهدوء لا.", [("punctuation", "info")]),
    ("The vaccine is safe and effective.", "The vaccine is safe and effective.", [("untranslated", "warning")]),
    ("The vaccine is safe and effective.", "The vaccine is safe, according to the study.",
     [("untranslated", "warning")]),
    # Code, identifiers, addresses and names kept as written: one info for the document, no warning.
    ("Run npm install --save-dev eslint", "npm install --save-dev eslint", [("untranslated", "info")]),
    ("See https://semver.org/spec/v2.0.0.html", "https://semver.org/spec/v2.0.0.html", [("untranslated", "info")]),
    ("CWE-79: Cross-site Scripting", "CWE-79: Cross-site Scripting", [("untranslated", "info")]),
]


@pytest.mark.parametrize(("en", "ar", "expected"), FORM_CASES)
def test_surface_checks(en: str, ar: str, expected: list[tuple[str, str]]) -> None:
    from align.checks.form import PunctuationCheck, UntranslatedCheck

    bead, context = _bead_context(en, ar)
    flags = PunctuationCheck().check_bead(bead, context) + UntranslatedCheck().run(context)[0]
    assert [(f.type, f.severity) for f in flags] == expected


UNIT_AND_DATE_CASES = [  # (English, Arabic, the message fragment of the one number flag, or None)
    ("Five weeks after the vote", "بعد خمسة أيام من التصويت", "different unit: «Five weeks» in English, «خمسة أيام»"),
    ("by more than 40 percentage points", "بأكثر من 40 في المائة", "different unit"),
    ("He was 13 years old", "كان عمره 13 عامًا", None),
    ("5 days later", "بعد 5 أيام", None),
    ("in the 89th minute on Saturday", "في الدقيقة 89 يوم السبت", None),
    ("Thursday's hearing", "جلسة الاستماع يوم الثلاثاء", "weekday differs: «Thursday» in English, «الثلاثاء»"),
    ("On Thursday", "يوم الخميس", None),
    ("in October", "في تشرين الأول", None),
    ("on 5 July 1997", "في 5 يوليوز 1997", None),
    ("in October", "في نوفمبر", "month differs"),
    ("You may go.", "يمكنك الذهاب في مايو.", None),  # "may" is not a month here; one side has none
    ("The two of them met", "التقى الاثنين", None),  # "الاثنين" = "the two", not Monday
    ("Theresa May arrives on September 29", "تصل تيريزا ماي في 29 سبتمبر", None),  # a name, not Maghrebi May
    ("on 5 May", "في 5 ماي", None),
    ("flood watches for Monday and Tuesday", "تحذيرات يومي الاثنين والثلاثاء", None),  # dual «يومي»
    ("told The Sunday Times on Monday", "قال لصنداي تايمز يوم الاثنين", None),  # a newspaper, not a day
    # A worded Arabic score fixes its order; a hyphenated one is laid out right to left and does not.
    ("a gritty 2&1 win and a 4&3 win", "فوزًا ساحقًا 1 مقابل 2 وفوزًا 4 مقابل 3",
     "other way round: «2&1» in English, «1 مقابل 2»"),
    ("They won 4&3.", "فازا 4 مقابل 3.", None),
    ("They won 31-27.", "فازوا 27-31.", None),
    ("It ended 2-1 after a 1-2 start.", "انتهت 2 مقابل 1 بعد بداية 1 مقابل 2.", None),
]


@pytest.mark.parametrize(("en", "ar", "fragment"), UNIT_AND_DATE_CASES)
def test_units_weekdays_and_months(en: str, ar: str, fragment: str | None) -> None:
    from align.checks.numbers import NumberCheck

    bead, context = _bead_context(en, ar)
    flags = NumberCheck().check_bead(bead, context)
    if fragment is None:
        assert flags == []
    else:
        (flag,) = flags
        assert fragment in flag.message and flag.severity == "error"
        for ev in flag.evidence:
            assert context.doc(ev.side).texts_by_id[ev.segment][ev.start:ev.end] == ev.text


def test_kept_segments_give_one_info_per_document() -> None:
    from align.checks.form import UntranslatedCheck

    en = make_document("Install it.\nnpm install muqabala\npip install muqabala\nThe end.", "en", "en", "lines")
    ar = make_document("ثبته.\nnpm install muqabala\npip install muqabala\nالنهاية.", "ar", "ar", "lines")
    beads = tuple(Bead((i,), (i,), 0.8) for i in range(4))
    flags = UntranslatedCheck().run(CheckContext(en, ar, beads))
    assert [[(f.severity, f.message[:19]) for f in bead] for bead in flags] == [
        [], [("info", "2 segments are kept")], [], []]


@pytest.mark.parametrize(("text", "side", "expected"), [
    ("The Coalition stressed in a press statement that", "en", True),
    ("Trump said that", "en", True),
    ("أكد الائتلاف الوطني لقوى الثورة والمعارضة السورية خلال بيان صحفي ان", "ar", True),
    ("وقالت الوزارة في بيان إن", "ar", True),
    ("the vaccine is safe and effective", "en", False),
    ("that he said", "en", False),
    ("في بيان صحفي", "ar", False),
])
def test_reporting_lead_ins(text: str, side: Side, expected: bool) -> None:
    from align.clauses import is_lead_in

    assert is_lead_in(text, side) is expected


def test_a_lead_in_both_versions_carry_is_never_tried_as_extra() -> None:
    from align.checks.partial import _clause_pieces, _trials

    def removed(en: str, ar: str) -> list[str]:
        bead, context = _bead_context(en, ar)
        pieces = _clause_pieces(bead.en, context.texts(bead, "en"), "en", 10)
        return [en[t.start:t.end].strip() for t in _trials(0, bead, "en", context, pieces)]

    en = "Trump said that Kavanaugh has suffered the anger of the Democratic Party."
    assert "Trump said that" in removed(en, "كافانو عانى من غضب الحزب الديمقراطي.")
    assert "Trump said that" not in removed(en, "قال ترامب أن كافانو عانى من غضب الحزب الديمقراطي.")


QUALIFIER_CASES = [  # (English, Arabic, the (side, text) of each qualifier finding) — ntrex lines, shortened
    ("while about 30 yards out from the goal", "من على بُعد 30 ياردة من المرمى", [("en", "about")]),
    ("Rosa will bring up to 10 inches of rain", "سيتسبب الإعصار في أمطار بارتفاع 10 بوصات", [("en", "up to")]),
    ("His body was found about an hour later.", "وتم العثور على جثمانه بعد ساعة.", [("en", "about")]),
    ("waves as high as six meters", "أمواج بارتفاع ستة أمتار", [("en", "as high as")]),
    ("The attack occurred just before 7 a.m.", "ووقع الهجوم قبل الساعة 7 صباحًا", [("en", "just before")]),
    ("He travelled Wednesday to sell 15 pigs.", "سافر لبيع 15 خنزيرًا.", [("en", "Wednesday")]),
    ("a 1-0 defeat at Livingston.", "خارج أرضه يوم السبت بالهزيمة 1-0.", [("ar", "السبت")]),
    # Answered by a word of the same kind, even a free rendering or one run into the number.
    ("about 200 times the power", "حوالي200 مرة ضعف قوة", []),
    ("for more than three months", "لأكثر من ثلاثة أشهر", []),
    ("up to 4 inches possible", "مع احتمالية بلوغ الارتفاع إلى 4 بوصات", []),
    ("at least 832 people", "ما لا يقل عن 832 شخصًا", []),
    ("30 yards away", "على بعد حوالي 30 ياردة", [("ar", "حوالي")]),
    # Not qualifiers: a preposition of place, a span, "only", a verb; a newspaper named for a day.
    ("He pushed around one defender", "راوغ مدافعًا واحدًا", []),
    ("183 emissions over 24 hours", "183 انبعاثًا على مدار 24 ساعة", []),
    ("scored just two minutes in", "سجل بعد دقيقتين فقط", []),
    ("sprinting towards midfield", "والجري نحو منتصف الملعب", []),
    ("the toll has climbed to 832", "ارتفع العدد ليصل إلى 832", []),
    ("Mr Goldsmith told The Sunday Telegraph", "وأخبر السيد جولدسميث صنداي تلغراف", []),
    ("Thursday's hearing", "جلسة الاستماع يوم الثلاثاء", []),  # a different weekday is a number finding
]


def test_an_acronym_dropped_from_a_list_is_found() -> None:
    from align.checks.names import NameCheck

    en = "The company was counting average viewership on CBS, ABC, NBC, CNN, Fox News Channel and MSNBC."
    ar = "وكانت الشركة تحسب متوسط جمهور المشاهدين على قنوات سي بي أس وإيه بي سي وسي إن إن وفوكس نيوز وإم إس إن بي سي."
    bead, context = _bead_context(en, ar)
    flags = [f for f in NameCheck().check_bead(bead, context) if f.severity == "warning"]
    assert [(f.side, f.evidence[0].text) for f in flags] == [("en", "NBC")]
    # Kept: the same list with NBC spelled; a lone acronym the translator expands.
    bead, context = _bead_context(en, ar.replace("وسي إن إن", "وإن بي سي وسي إن إن"))
    assert not [f for f in NameCheck().check_bead(bead, context) if f.severity == "warning"]
    bead, context = _bead_context("the FDA approved PCR tests", "وافقت إدارة الغذاء والدواء على اختبارات بي سي آر")
    assert not [f for f in NameCheck().check_bead(bead, context) if f.severity == "warning"]


@pytest.mark.parametrize(("en", "ar", "expected"), QUALIFIER_CASES)
def test_qualifiers_of_numbers_and_weekdays(en: str, ar: str, expected: list[tuple[str, str]]) -> None:
    from align.checks.qualifiers import QualifierCheck

    bead, context = _bead_context(en, ar)
    flags = QualifierCheck().check_bead(bead, context)
    assert [(f.side, f.evidence[0].text) for f in flags] == expected
    for flag in flags:
        assert flag.type == "qualifier" and flag.severity == "warning"
        (ev,) = flag.evidence
        assert context.doc(ev.side).texts_by_id[ev.segment][ev.start:ev.end] == ev.text


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["Monday", "sunday", "FRIDAY", "الخميس", "الاثنين", "الأحد", " ", "x", "Sun",
                                  "يوم", "ﬀ", "İ"]), max_size=12).map("".join),
       st.sampled_from(["en", "ar"]))
def test_any_weekday_written_is_weekday_written_for_some_day(text: str, side: Side) -> None:
    assert any_weekday_written(text, side) == any(weekday_written(text, side, day) for day in range(1, 8))
