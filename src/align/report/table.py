"""A terminal table: one row per bead, Arabic kept in logical order for the terminal to shape."""

from __future__ import annotations

import shutil
import textwrap

from tabulate import tabulate

from align.model import Report
from align.report.summary import source_note, summary
from align.text import visible

HEADERS = ["#", "en", "ar", "sim", "English", "Arabic", "flags"]
GAP = 2  # tabulate's "simple" format puts two spaces between columns
HEADER_PADDING = 2  # and makes a column at least two wider than its header
MIN_TEXT, MIN_FLAGS = 12, 20


def _ids(ids: tuple[int, ...]) -> str:
    if not ids:
        return "-"
    return f"{ids[0]}-{ids[-1]}" if len(ids) > 2 else ",".join(map(str, ids))


def _clip(text: str, width: int) -> str:
    text = " ".join(visible(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _wrap(text: str, width: int) -> str:
    """``text`` as lines of at most ``width`` characters, broken between words (a longer word is cut)."""
    return "\n".join(textwrap.wrap(text, width, break_on_hyphens=False)) if text else ""


def column_widths(fixed: list[list[str]], width: int) -> tuple[int, int]:
    """Widths of each text column and of the flags column, so a row fits in ``width`` columns.

    ``fixed`` are the rows' first four cells (bead, ids, similarity). The flags get two fifths of
    what is left and the texts the rest, so a flagged row wraps in its own column at word
    boundaries instead of running past the edge of the terminal, where the terminal cuts words.
    """
    used = sum(max([len(HEADERS[c]) + HEADER_PADDING] + [len(row[c]) for row in fixed]) for c in range(4))
    left = width - used - GAP * (len(HEADERS) - 1)
    flags = max(MIN_FLAGS, left * 2 // 5)
    text = max(MIN_TEXT, (left - flags) // 2)
    return text, flags


def report_to_table(report: Report, width: int | None = None) -> str:
    width = width or shutil.get_terminal_size((160, 24)).columns
    en_texts, ar_texts = report.en.texts, report.ar.texts
    fixed = [[str(n), _ids(bead.en), _ids(bead.ar), f"{bead.score:.2f}" if bead.en and bead.ar else ""]
             for n, bead in enumerate(report.beads)]
    text_width, flags_width = column_widths(fixed, width)
    rows = []
    for cells, bead in zip(fixed, report.beads, strict=True):
        flags = visible("; ".join(f"{f.severity}: {f.message}" for f in bead.flags))
        rows.append([
            *cells,
            _clip(" ".join(en_texts[i] for i in bead.en), text_width),
            _clip(" ".join(ar_texts[i] for i in bead.ar), text_width),
            _wrap(flags, flags_width),
        ])
    table = tabulate(rows, headers=HEADERS, tablefmt="simple", disable_numparse=True)
    info = summary(report)
    flag_text = ", ".join(f"{k} {v}" for k, v in info.findings.items()) or "none"
    if info.info:
        flag_text += " (info: " + ", ".join(f"{k} {v}" for k, v in info.info.items()) + ")"
    head = [
        visible(f"{report.en.name}  <->  {report.ar.name}"),
        *([report.document.message] if report.document else []),
        source_note(report),
        (f"{len(report.en.segments)} English and {len(report.ar.segments)} Arabic segments in "
         f"{len(report.beads)} beads; aligned text: English {info.aligned_en:.0%}, Arabic {info.aligned_ar:.0%}"),
        f"findings: {flag_text}",
        f"signature: {report.signature}",
        "",
    ]
    return "\n".join(head) + str(table) + "\n"
