"""The HTML report: escaping and structure without a browser, behaviour in a real headless Chromium.

Browser tests need Debian's ``chromium`` (``apt-get install chromium``) and the ``playwright``
package; without them they are skipped, except under CI (``CI=true``), where they must run.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from align.model import Report
from align.pipeline import Checker, CheckOptions
from align.report.html import MessagePart, message_parts, report_to_html

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
# The text width of an A4 page in CSS pixels: 210 mm less the two 12 mm side margins of the report's @page.
A4_TEXT_WIDTH = round((210 - 2 * 12) / 25.4 * 96)
A4_POINTS = (595.28, 841.89)

HOSTILE_EN = "\n".join([  # noqa: FLY002 - one line per segment reads better
    "The minister spoke at length about the budget on Monday.",
    "<script>window.__pwned = 1</script> Officials confirmed the plan.",
    '<img src=x onerror="window.__pwned = 2"> The talks will resume next week.',
    '<a href="javascript:window.__pwned=3">click here</a> for the full statement.',
])
HOSTILE_AR = "\n".join([  # noqa: FLY002
    "تحدث الوزير مطولاً عن الميزانية يوم الاثنين.",
    "<script>window.__pwned = 1</script> وأكد المسؤولون الخطة.",
    '<img src=x onerror="window.__pwned = 2"> وستستأنف المحادثات الأسبوع المقبل.',
    '<a href="javascript:window.__pwned=3">انقر هنا</a> للاطلاع على البيان الكامل.',
])


@pytest.fixture(scope="module")
def reference(use_encoder: Any, pairs_dir: Path) -> Report:
    return Checker(use_encoder).check_files(pairs_dir / "reference.en.txt", pairs_dir / "reference.ar.txt")


@pytest.fixture(scope="module")
def reference_page(reference: Report, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("html") / "reference.html"
    path.write_text(report_to_html(reference), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def hostile_page(use_encoder: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    report = Checker(use_encoder, CheckOptions(split="lines")).check_texts(HOSTILE_EN, HOSTILE_AR, "<b>en</b>", "ar")
    path = tmp_path_factory.mktemp("html") / "hostile.html"
    path.write_text(report_to_html(report), encoding="utf-8")
    return path


# --- without a browser ---------------------------------------------------------------------------

def test_every_bead_has_a_row_and_every_flag_a_badge(reference: Report) -> None:
    page = report_to_html(reference)
    assert re.findall(r'data-bead="(\d+)"', page) == [str(n) for n in range(len(reference.beads))]
    assert len(re.findall(r'data-flag="', page)) == sum(len(b.flags) for b in reference.beads)


def test_columns_carry_language_and_direction(reference: Report) -> None:
    page = report_to_html(reference)
    assert page.count('class="ar" lang="ar" dir="rtl"') == sum(1 for b in reference.beads if b.ar)
    assert page.count('class="en" lang="en" dir="ltr"') == sum(1 for b in reference.beads if b.en)


def test_the_page_is_self_contained(reference: Report) -> None:
    page = report_to_html(reference)
    assert not re.search(r'(?:src|href)="(?:https?:)?//', page)
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert str(reference.signature) in page


def test_input_text_is_escaped(hostile_page: Path) -> None:
    page = hostile_page.read_text(encoding="utf-8")
    assert "<script>window.__pwned" not in page and "&lt;script&gt;window.__pwned" in page
    assert "<img src=x" not in page and '<a href="javascript:' not in page
    assert "<b>en</b>" not in page


def test_the_lead_in_is_highlighted(reference: Report) -> None:
    page = report_to_html(reference)
    marks = re.findall(r'<mark class="ev ev-partial[^"]*"[^>]*>([^<]*)</mark>', page)
    assert any(m.startswith("أكد الائتلاف الوطني") for m in marks)


def test_a_dropped_qualifier_is_highlighted(use_encoder: Any) -> None:
    report = Checker(use_encoder, CheckOptions(split="lines")).check_texts(
        "Sturridge received a pass while about 30 yards out from the Chelsea goal.",
        "تلقى ستوريدج تمريرة من على بُعد 30 ياردة من مرمى تشيلسي.")
    marks = re.findall(r'<mark class="ev ev-qualifier[^"]*"[^>]*>([^<]*)</mark>', report_to_html(report))
    assert "about" in marks  # the legend shows one too


MESSAGES = [
    ("Sentence only in English", [MessagePart("Sentence only in English")]),
    ("Clause only in Arabic: «أكد الائتلاف الوطني»",
     [MessagePart("Clause only in Arabic: "), MessagePart("أكد الائتلاف الوطني", "ar", "rtl")]),
    ("«Microsoft» in the Arabic is not in the English",
     [MessagePart("Microsoft", dir="auto"), MessagePart(" in the Arabic is not in the English")]),
    ("Glossary: «Foreign Ministry» should be rendered «وزارة الخارجية»",
     [MessagePart("Glossary: "), MessagePart("Foreign Ministry", dir="auto"), MessagePart(" should be rendered "),
      MessagePart("وزارة الخارجية", "ar", "rtl")]),
    ("Clause only in English: «held in Geneva (جنيف) on Tuesday»",
     [MessagePart("Clause only in English: "), MessagePart("held in Geneva (جنيف) on Tuesday", dir="auto")]),
]


@pytest.mark.parametrize(("message", "parts"), MESSAGES)
def test_quotes_are_cut_out_of_flag_messages(message: str, parts: list[MessagePart]) -> None:
    assert message_parts(message) == parts


def test_quoted_arabic_is_marked_right_to_left(reference: Report) -> None:
    page = report_to_html(reference)
    assert '<bdi class="quote" lang="ar" dir="rtl">«أكد الائتلاف الوطني' in page


# --- in a real browser ---------------------------------------------------------------------------


class Page:
    """A page opened from a file, recording console errors and every request it makes."""

    def __init__(self, browser: Any, path: Path, width: int = 1400, height: int = 1000) -> None:
        self.page = browser.new_page(viewport={"width": width, "height": height})
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.url = path.resolve().as_uri()
        self.page.goto(self.url)

    def visible_rows(self) -> int:
        return int(self.page.evaluate(
            "Array.from(document.querySelectorAll('tr[data-bead]')).filter(r => r.offsetParent !== null).length"))


def test_arabic_column_is_right_to_left(browser: Any, reference_page: Path) -> None:
    page = Page(browser, reference_page)
    directions = "sel => Array.from(document.querySelectorAll(sel)).map(c => getComputedStyle(c).direction)"
    arabic = page.page.evaluate(directions, "td.ar:not(.missing)")
    english = page.page.evaluate(directions, "td.en:not(.missing)")
    assert arabic and set(arabic) == {"rtl"}
    assert english and set(english) == {"ltr"}


def test_one_row_per_bead(browser: Any, reference_page: Path, reference: Report) -> None:
    page = Page(browser, reference_page)
    assert page.page.locator("tr[data-bead]").count() == len(reference.beads)
    assert page.visible_rows() == len(reference.beads)


def test_only_flagged_hides_clean_rows(browser: Any, reference_page: Path, reference: Report) -> None:
    page = Page(browser, reference_page)
    page.page.check("#only-flagged")
    flagged = sum(1 for b in reference.beads if any(f.severity != "info" for f in b.flags))
    assert 0 < flagged < len(reference.beads)
    assert page.visible_rows() == flagged
    page.page.uncheck("#only-flagged")
    assert page.visible_rows() == len(reference.beads)


def test_info_hints_are_hidden_until_asked_for(browser: Any, use_encoder: Any, tmp_path: Path) -> None:
    data = Path(__file__).parent / "data"
    en = (data / "tico19_06_PubMed_10.en.txt").read_text(encoding="utf-8").splitlines()[:12]
    ar = (data / "tico19_06_PubMed_10.ar.txt").read_text(encoding="utf-8").splitlines()[:12]
    en[5] = ar[5] = "pip install muqabala==0.1.0"  # kept as written in both: a hint, not a finding
    report = Checker(use_encoder, CheckOptions(split="lines")).check_texts("\n".join(en), "\n".join(ar))
    hints = sum(f.severity == "info" for b in report.beads for f in b.flags)
    assert any(f.type == "untranslated" and f.severity == "info" for b in report.beads for f in b.flags)
    path = tmp_path / "hints.html"
    path.write_text(report_to_html(report), encoding="utf-8")
    page = Page(browser, path)
    shown = "Array.from(document.querySelectorAll('td.flags .badge.info')).filter(b => b.offsetParent !== null).length"
    assert page.page.evaluate(shown) == 0
    assert f"show {hints} hints (info)" in page.page.inner_text(".controls")
    page.page.check("#show-info")
    assert page.page.evaluate(shown) == hints


def test_type_filter_hides_rows_of_that_type_only(browser: Any, reference_page: Path) -> None:
    page = Page(browser, reference_page)
    before = page.visible_rows()
    page.page.uncheck("input.type-filter[data-type='unmatched']")
    hidden = before - page.visible_rows()
    assert hidden == page.page.locator("tr[data-types='unmatched']").count() > 0


def test_j_and_k_move_between_findings(browser: Any, reference_page: Path, reference: Report) -> None:
    page = Page(browser, reference_page)
    flagged = [n for n, b in enumerate(reference.beads) if any(f.severity != "info" for f in b.flags)]
    focused = "document.activeElement.dataset.bead"
    page.page.keyboard.press("j")
    assert page.page.evaluate(focused) == str(flagged[0])
    page.page.keyboard.press("j")
    assert page.page.evaluate(focused) == str(flagged[1])
    page.page.keyboard.press("k")
    assert page.page.evaluate(focused) == str(flagged[0])


def test_no_requests_and_no_console_errors(browser: Any, reference_page: Path) -> None:
    page = Page(browser, reference_page)
    page.page.keyboard.press("j")
    page.page.check("#only-flagged")
    assert page.requests == [page.url]
    assert page.errors == []


def test_hostile_text_renders_as_text_and_runs_nothing(browser: Any, hostile_page: Path) -> None:
    page = Page(browser, hostile_page)
    for link in page.page.locator("td a").all():
        link.click()
    assert page.page.evaluate("window.__pwned === undefined")
    assert page.dialogs == [] and page.errors == []
    assert "<script>window.__pwned = 1</script>" in page.page.inner_text("table.beads")
    assert page.requests == [page.url]


def test_screenshot_artifact(browser: Any, reference_page: Path) -> None:
    page = Page(browser, reference_page, height=1400)
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / "reference-report.png"
    page.page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 20_000


def print_page(browser: Any, path: Path) -> Page:
    """The page laid out as for print, at the text width of an A4 page."""
    page = Page(browser, path, width=A4_TEXT_WIDTH, height=1123)
    page.page.emulate_media(media="print")
    return page


def test_print_keeps_english_and_arabic_side_by_side(browser: Any, reference_page: Path,
                                                      reference: Report) -> None:
    page = print_page(browser, reference_page)
    cells = page.page.evaluate("""() => Array.from(document.querySelectorAll('tr[data-bead]')).map(row => {
        const en = row.querySelector('td.en').getBoundingClientRect();
        const ar = row.querySelector('td.ar').getBoundingClientRect();
        return {en: [en.left, en.right, en.top], ar: [ar.left, ar.right, ar.top], width: ar.width,
                breakInside: getComputedStyle(row).breakInside};
    })""")
    assert len(cells) == len(reference.beads)
    for cell in cells:
        assert cell["en"][2] == pytest.approx(cell["ar"][2], abs=1)
        assert cell["en"][1] <= cell["ar"][0] + 1
        assert cell["width"] > A4_TEXT_WIDTH / 4
        assert cell["breakInside"] == "avoid"


def test_print_hides_the_controls_and_nothing_overflows(browser: Any, reference_page: Path) -> None:
    page = print_page(browser, reference_page)
    shown = "sel => Array.from(document.querySelectorAll(sel)).filter(e => e.getClientRects().length > 0).length"
    assert page.page.locator(".controls input").count() > 0
    assert page.page.evaluate(shown, ".controls input, .controls .hint, svg.chart") == 0
    overflowing = page.page.evaluate("""() => Array.from(document.querySelectorAll('table.beads td, td.flags .badge'))
        .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.outerHTML.slice(0, 80))""")
    assert overflowing == []
    assert page.page.evaluate("document.documentElement.scrollWidth") <= A4_TEXT_WIDTH


def test_print_spells_out_each_severity(browser: Any, reference_page: Path, reference: Report) -> None:
    page = print_page(browser, reference_page)
    labels = page.page.evaluate("""() => Array.from(document.querySelectorAll('td.flags .badge .sev'))
        .map(e => [e.textContent, e.getBoundingClientRect().width])""")
    assert sorted(text for text, _ in labels) == sorted(f.severity for b in reference.beads for f in b.flags)
    assert all(width > 20 for _, width in labels)


def test_pdf_artifact_is_a4(browser: Any, reference_page: Path) -> None:
    page = Page(browser, reference_page)
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / "reference-report.pdf"
    page.page.pdf(path=str(target), prefer_css_page_size=True, print_background=True)  # the page size is the report's
    pdf = target.read_bytes()
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert pdf.startswith(b"%PDF-") and len(boxes) >= 2
    for width, height in boxes:
        assert (float(width), float(height)) == pytest.approx(A4_POINTS, abs=2)


def test_quoted_arabic_is_isolated_in_badges(browser: Any, reference_page: Path) -> None:
    page = Page(browser, reference_page)
    quotes = page.page.evaluate("""() => Array.from(document.querySelectorAll('td.flags .quote[lang=ar]')).map(q => {
        const style = getComputedStyle(q), text = q.firstChild, range = document.createRange();
        range.setStart(text, 0); range.setEnd(text, 1);
        const mark = range.getBoundingClientRect();
        range.setStart(text, 1); range.setEnd(text, 2);
        const letter = range.getBoundingClientRect();
        const box = q.getBoundingClientRect(), badge = q.closest('.badge').getBoundingClientRect();
        return {bidi: style.unicodeBidi, direction: style.direction, markLeft: mark.left, letterRight: letter.right,
                inside: box.left >= badge.left && box.right <= badge.right};
    })""")
    assert quotes
    for quote in quotes:
        assert quote["bidi"] == "isolate" and quote["direction"] == "rtl"
        assert quote["markLeft"] >= quote["letterRight"] - 1  # the opening « stands right of the first letter
        assert quote["inside"]


def test_batch_writes_an_index_linking_every_report(runner: Any, pairs_dir: Path, tmp_path: Path) -> None:
    from align.cli import main

    src = tmp_path / "in"
    src.mkdir()
    for name in ("alpha", "beta"):
        for side in ("en", "ar"):
            shutil.copy(pairs_dir / f"reference.{side}.txt", src / f"{name}.{side}.txt")
    result = runner.invoke(main, ["batch", str(src), "-o", str(tmp_path / "json"), "--html", str(tmp_path / "html")])
    assert result.exit_code == 0, result.output
    index = (tmp_path / "html" / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'data-pair="([^"]+)"', index) == ["alpha", "beta"]
    assert 'href="./alpha.html"' in index and (tmp_path / "html" / "beta.html").exists()
