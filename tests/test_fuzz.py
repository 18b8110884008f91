"""Fuzz: mixed-script text with digits, punctuation and controls, through every stage and report.

Split -> embed -> align -> checks -> JSON, TSV, table and HTML, with the real encoder. Nothing may
crash, and no character may be lost: every non-whitespace character of the input is in the report's
segments, in order, and in the HTML page (a hidden character as its badge).

The normal run tries ``QUICK_EXAMPLES`` inputs; the benchmark profile many more:

    python -m pytest tests/test_fuzz.py --hypothesis-profile=benchmark --hypothesis-show-statistics
"""

from __future__ import annotations

import json
import re
from typing import Any

from bs4 import BeautifulSoup
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from align.checks.control import severity_of
from align.model import Report
from align.pipeline import Checker, CheckOptions
from align.report.html import report_to_html
from align.report.jsonfmt import report_to_json
from align.report.table import report_to_table
from align.report.tsv import report_to_tsv
from align.segment import SPLIT_MODES, squeeze
from align.text import HIDDEN

QUICK_EXAMPLES = 30
# The loaded profile's count when a profile asks for more than Hypothesis's default (the benchmark
# profile in conftest.py); the quick count otherwise.
EXAMPLES = settings.default.max_examples if settings.default.max_examples > 100 else QUICK_EXAMPLES

ARABIC_WORDS = ["الحكومة", "مليون", "مليــون", "ﻣﻠﻴﻮﻥ", "شخصا", "يوم", "الخميس", "ألف", "خمسة", "أيام",
                "مِلْيُون", "ملیون", "می\u200cخواهم", "ﻻ", "و", "في", "المائة", "٪", "الثالثة", "عشر"]
LATIN_WORDS = ["The", "toll", "rose", "to", "million", "people", "on", "Thursday", "five", "days", "Dr.", "U.S.",
               "percent", "https://example.org/a?b=1", "<script>", "&amp;", "e.g.", "No.", "AI"]
NUMBERS = ["1,250", "1250", "١٢٥٠", "۱۲۵۰", "3.5", "٣٫٥", "40%", "150.000", "30،000", "12:00", "2/3", "1950-53",
           "2nd", "0", "007", "1\u200e250", "1\u200f250"]
PUNCTUATION = list(".,;:!?؟،؛«»()[]\"'“”-–—…/\\*#@")
SPACES = [" ", " ", " ", "\n", "\n\n", "\t", "\r\n", "\u00a0", "\u2028", "\x0b", "\x0c", "\x85"]
CONTROLS = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e",
            "\u200f", "\u061c", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\xad", "\x1b[8m", "\x1b]0;x\x07",
            "\x00", "\x01", "\x1f", "\x7f", "\x9b", "\U000e0041", "\u0640", "\u064b", "\ufe70"]

_piece = st.one_of(
    st.sampled_from(ARABIC_WORDS), st.sampled_from(LATIN_WORDS), st.sampled_from(NUMBERS),
    st.sampled_from(PUNCTUATION), st.sampled_from(SPACES), st.sampled_from(CONTROLS),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=3),
)
_text = st.lists(_piece, min_size=1, max_size=60).map("".join).filter(lambda t: bool(squeeze(t)))


def _ids_in_order(report: Report, side: str) -> list[int]:
    return [s.index for s in report.doc(side).segments]  # type: ignore[arg-type]


def _page_segments(page: str) -> dict[str, list[str]]:
    """The text of each segment on the page, each hidden-character badge read back as its character."""
    # BeautifulSoup shortens a whitespace-only string between two tags ("LRE  LRE" badges) to one space
    # outside <pre>; a segment's text holds every space as written.
    soup = BeautifulSoup(page, "html.parser", preserve_whitespace_tags={"td", "bdi", "span", "mark", "pre"})
    out: dict[str, list[str]] = {"en": [], "ar": []}
    for side in out:
        for seg in soup.select(f"td.{side} .seg"):
            for badge in seg.select(".ctl"):
                badge.replace_with(chr(int(re.match(r"U\+([0-9A-F]+)", badge["title"]).group(1), 16)))  # type: ignore
            for ident in seg.select(".id"):
                ident.decompose()
            out[side].append(seg.get_text())
    return out


def _check_report(report: Report, en: str, ar: str) -> None:
    texts = {"en": en, "ar": ar}
    data: dict[str, Any] = json.loads(report_to_json(report))
    page_segments = _page_segments(report_to_html(report))
    report_to_tsv(report)
    report_to_table(report, width=120)
    for side in ("en", "ar"):
        # No character lost: the segments hold every non-whitespace character, in order.
        segments = [data[side][i] for i in _ids_in_order(report, side)]
        assert squeeze("".join(segments)) == squeeze(texts[side])
        # Every segment is in exactly one bead, and the page shows each as it is, bead by bead.
        in_beads = [i for b in report.beads for i in b.ids(side)]  # type: ignore[arg-type]
        assert sorted(in_beads) == _ids_in_order(report, side)
        assert page_segments[side] == [data[side][i] for i in in_beads]
    flags = [f for b in report.beads for f in b.flags]
    for flag in flags:  # evidence points at the text it quotes
        for ev in flag.evidence:
            assert report.doc(ev.side).texts_by_id[ev.segment][ev.start:ev.end] == ev.text
    # Every hidden character that matters is named by a control finding.
    named = {(ev.side, ev.segment, ev.start) for f in flags if f.type == "control" for ev in f.evidence}
    for side in ("en", "ar"):
        for seg in report.doc(side).segments:  # type: ignore[arg-type]
            for m in HIDDEN.finditer(seg.text):
                if severity_of(seg.text, m.start()) is not None:
                    assert (side, seg.index, m.start()) in named


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(en=_text, ar=_text, split=st.sampled_from(SPLIT_MODES))
@example(en="الحكومة", ar="\u202a  \u202a", split="auto")  # two spaces between two badges, found in CI
def test_fuzz_mixed_script_text_never_crashes_and_loses_nothing(use_encoder: Any, en: str, ar: str, split: str) -> None:
    report = Checker(use_encoder, CheckOptions(split=split)).check_texts(en, ar)
    _check_report(report, en, ar)
