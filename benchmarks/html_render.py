"""Time a large HTML report in headless Chromium: first paint, load, and the "only flagged" filter.

    python -m benchmarks.html_render EN AR [--split lines] [--runs 3]

Needs Debian's chromium and the playwright package. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from align.embed import load_encoder
from align.pipeline import Checker, CheckOptions
from align.report.html import report_to_html

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("en")
    parser.add_argument("ar")
    parser.add_argument("--split", default="lines")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    report = Checker(load_encoder(), CheckOptions(split=args.split)).check_files(args.en, args.ar)
    started = time.perf_counter()
    page_html = report_to_html(report)
    render_s = time.perf_counter() - started
    from playwright.sync_api import sync_playwright

    paint, load, toggle = [], [], []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        path = Path(tmp) / "big.html"
        path.write_text(page_html, encoding="utf-8")
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for _ in range(args.runs):
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(path.as_uri(), wait_until="load")
            timing = page.evaluate("""() => {
                const nav = performance.getEntriesByType('navigation')[0];
                const fcp = performance.getEntriesByName('first-contentful-paint')[0];
                return {load: nav.loadEventEnd, paint: fcp ? fcp.startTime : null};
            }""")
            load.append(timing["load"] / 1000)
            paint.append((timing["paint"] or timing["load"]) / 1000)
            toggle.append(page.evaluate("""() => {
                const t0 = performance.now();
                document.getElementById('only-flagged').click();
                document.body.offsetHeight;  // force the layout the filter causes
                return (performance.now() - t0) / 1000;
            }"""))
            page.close()
        browser.close()
    print(json.dumps({
        "beads": len(report.beads), "html_mib": round(len(page_html.encode()) / 2**20, 2),
        "render_html_s": round(render_s, 2), "first_paint_s": round(statistics.median(paint), 3),
        "load_s": round(statistics.median(load), 3), "only_flagged_toggle_s": round(statistics.median(toggle), 3),
    }))


if __name__ == "__main__":
    main()
