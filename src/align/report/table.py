"""A terminal table: one row per bead, Arabic kept in logical order for the terminal to shape."""

from __future__ import annotations

import shutil

from tabulate import tabulate

from align.model import Report
from align.report.summary import summary
from align.text import visible


def _ids(ids: tuple[int, ...]) -> str:
    if not ids:
        return "-"
    return f"{ids[0]}-{ids[-1]}" if len(ids) > 2 else ",".join(map(str, ids))


def _clip(text: str, width: int) -> str:
    text = " ".join(visible(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def report_to_table(report: Report, width: int | None = None) -> str:
    width = width or shutil.get_terminal_size((160, 24)).columns
    text_width = max(24, (width - 40) // 2)
    en_texts, ar_texts = report.en.texts, report.ar.texts
    rows = []
    for n, bead in enumerate(report.beads):
        flags = visible("; ".join(f"{f.severity}: {f.message}" for f in bead.flags))
        rows.append([
            n, _ids(bead.en), _ids(bead.ar),
            f"{bead.score:.2f}" if bead.en and bead.ar else "",
            _clip(" ".join(en_texts[i] for i in bead.en), text_width),
            _clip(" ".join(ar_texts[i] for i in bead.ar), text_width),
            flags,
        ])
    table = tabulate(rows, headers=["#", "en", "ar", "sim", "English", "Arabic", "flags"],
                     tablefmt="simple", disable_numparse=True)
    info = summary(report)
    flag_text = ", ".join(f"{k} {v}" for k, v in info.findings.items()) or "none"
    if info.info:
        flag_text += " (info: " + ", ".join(f"{k} {v}" for k, v in info.info.items()) + ")"
    head = [
        visible(f"{report.en.name}  <->  {report.ar.name}"),
        *([report.document.message] if report.document else []),
        (f"{len(report.en.segments)} English and {len(report.ar.segments)} Arabic segments in "
         f"{len(report.beads)} beads; aligned text: English {info.aligned_en:.0%}, Arabic {info.aligned_ar:.0%}"),
        f"findings: {flag_text}",
        f"signature: {report.signature}",
        "",
    ]
    return "\n".join(head) + str(table) + "\n"
