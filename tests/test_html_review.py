"""The HTML page as a reviewer's tool, in a real headless Chromium: the chart's scale, review buttons."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from align.cli import main
from align.model import Report
from align.pipeline import Checker, CheckOptions
from align.report.html import report_to_html
from tests.test_html import Page


@pytest.fixture(scope="module")
def reference(use_encoder: Any, pairs_dir: Path) -> Report:
    return Checker(use_encoder).check_files(pairs_dir / "reference.en.txt", pairs_dir / "reference.ar.txt")


@pytest.fixture
def reference_page(reference: Report, tmp_path: Path) -> Path:
    path = tmp_path / "reference.html"
    path.write_text(report_to_html(reference), encoding="utf-8")
    return path


# --- the similarity chart --------------------------------------------------------------------------

def test_the_chart_has_a_scale_and_unmatched_beads_are_no_full_bars(browser: Any, reference_page: Path,
                                                                     reference: Report) -> None:
    page = Page(browser, reference_page)
    lone = next(n for n, b in enumerate(reference.beads) if not (b.en and b.ar))
    best = max((n for n, b in enumerate(reference.beads) if b.en and b.ar), key=lambda n: reference.beads[n].score)
    box = page.page.evaluate("""([lone, best]) => {
        const rect = n => document.querySelectorAll("svg.chart rect")[n];
        const area = document.querySelector("svg.chart").getBoundingClientRect();
        const geometry = r => {
            const b = r.getBoundingClientRect();
            return {top: b.top - area.top, bottom: b.bottom - area.top, height: b.height,
                    fill: getComputedStyle(r).fill};
        };
        const axis = Array.from(document.querySelectorAll(".chart-axis span")).filter(s => s.offsetParent !== null);
        return {plot: area.height, lone: geometry(rect(lone)), best: geometry(rect(best)),
                labels: axis.map(s => s.textContent),
                legend: (document.querySelector(".chart-legend") || {}).innerText};
    }""", [lone, best])
    assert box["lone"]["height"] < 0.25 * box["plot"], "an unmatched bead is not a full-height bar"
    assert box["labels"][:3] == ["1.0", "0.5", "0"], "the chart shows its similarity scale"
    assert box["lone"]["top"] >= box["best"]["bottom"] - 1, "unmatched beads sit below the axis the bars stand on"
    assert box["lone"]["fill"] != box["best"]["fill"]
    assert "no counterpart" in box["legend"] and "similarity" in box["legend"]
    assert page.errors == [] and page.requests == [page.url]


# --- review: dismiss, confirm, export for --ignore -------------------------------------------------------

def review_counts(page: Page) -> dict[str, int]:
    return {name: int(page.page.inner_text(f"#count-{name}")) for name in ("open", "dismissed", "confirmed")}


def test_a_dismissal_survives_a_reload_and_its_export_feeds_ignore(browser: Any, reference_page: Path,
                                                                    reference: Report, runner: Any,
                                                                    pairs_dir: Path, tmp_path: Path) -> None:
    total = sum(len(b.flags) for b in reference.beads)
    page = Page(browser, reference_page)
    assert review_counts(page) == {"open": total, "dismissed": 0, "confirmed": 0}
    dismissed = page.page.locator("td.flags .badge[data-flag=unmatched]").first
    fingerprint = dismissed.get_attribute("data-fingerprint")
    confirmed = page.page.locator("td.flags .badge[data-flag=partial]").first
    dismissed.locator("button[data-choice=dismissed]").click()
    confirmed.locator("button[data-choice=confirmed]").click()
    same = page.page.locator(f'td.flags .badge[data-fingerprint="{fingerprint}"]').count()
    after = {"open": total - same - 1, "dismissed": same, "confirmed": 1}
    assert review_counts(page) == after

    page.page.reload()
    assert review_counts(page) == after, "the choices are kept across a reload"
    assert "dismissed" in (dismissed.get_attribute("class") or "")
    assert dismissed.locator("button[data-choice=dismissed]").get_attribute("aria-pressed") == "true"

    with page.page.expect_download() as download:
        page.page.click("#export-dismissed")
    ignore = tmp_path / download.value.suggested_filename
    download.value.save_as(ignore)
    assert ignore.name == "reference.ignore.txt"
    assert [line.split()[0] for line in ignore.read_text(encoding="utf-8").splitlines()
            if not line.startswith("#")] == [fingerprint]

    result = runner.invoke(main, ["check", str(pairs_dir / "reference.en.txt"), str(pairs_dir / "reference.ar.txt"),
                                  "--format", "json", "--ignore", str(ignore)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    prints = [f["fingerprint"] for b in report["beads"] for f in b["flags"]]
    assert fingerprint not in prints and len(prints) == total - same
    assert report["alignment"]["ignored_flags"] == same
    assert page.errors == [] and all(url == page.url or url.startswith("blob:") for url in page.requests)


def test_choices_are_kept_per_report(browser: Any, reference_page: Path, use_encoder: Any, pairs_dir: Path,
                                     tmp_path: Path) -> None:
    """Another report (other settings, so another signature) starts with every finding open."""
    page = Page(browser, reference_page)
    page.page.locator("td.flags .badge button[data-choice=dismissed]").first.click()
    assert review_counts(page)["dismissed"] >= 1
    other = Checker(use_encoder, CheckOptions(source="en")).check_files(pairs_dir / "reference.en.txt",
                                                                        pairs_dir / "reference.ar.txt")
    path = tmp_path / "other.html"
    path.write_text(report_to_html(other), encoding="utf-8")
    page.page.goto(path.resolve().as_uri())
    assert review_counts(page)["dismissed"] == 0
