"""The HTML page as a reviewer's tool, in a real headless Chromium: the chart's scale, review buttons."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from align.model import Report
from align.pipeline import Checker
from align.report.html import report_to_html
from tests.test_html import CHROMIUM, CHROMIUM_ARGS, Page


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    if sync_playwright is None or CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("browser tests must run in CI: install Debian's chromium and the playwright package")
        pytest.skip("needs Debian's chromium (apt-get install chromium) and playwright")
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def reference(use_encoder: Any, pairs_dir: Path) -> Report:
    return Checker(use_encoder).check_files(pairs_dir / "reference.en.txt", pairs_dir / "reference.ar.txt")


@pytest.fixture
def reference_page(reference: Report, tmp_path: Path) -> Path:
    path = tmp_path / "reference.html"
    path.write_text(report_to_html(reference), encoding="utf-8")
    return path


# --- the similarity chart --------------------------------------------------------------------------

def test_the_chart_has_a_scale_and_unmatched_beads_are_no_full_bars(chromium: Any, reference_page: Path,
                                                                     reference: Report) -> None:
    page = Page(chromium, reference_page)
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
