"""One bead a row, tab-separated, every field on the row (for spreadsheets and scripts)."""

from __future__ import annotations

import csv
import io

from align.fingerprint import fingerprint
from align.model import Report
from align.report.summary import source_note
from align.text import visible

COLUMNS = ["bead", "en_ids", "ar_ids", "kind", "score", "en_text", "ar_text", "flags", "messages", "fingerprints"]


def _cell(text: str) -> str:
    """One line of text for a cell; hidden characters shown as ⟨U+XXXX⟩ (the JSON keeps them exact),
    so a spreadsheet, ``less`` or ``cat`` shows them instead of obeying them."""
    return " ".join(visible(text).split())


def report_to_tsv(report: Report) -> str:
    out = io.StringIO()
    out.write(f"# {report.signature}\n")
    out.write(f"# {source_note(report)}\n")
    writer = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS)
    en_texts, ar_texts = report.en.texts, report.ar.texts
    for n, bead in enumerate(report.beads):
        writer.writerow([
            n,
            ",".join(map(str, bead.en)),
            ",".join(map(str, bead.ar)),
            bead.kind,
            f"{bead.score:.4f}",
            _cell(" ".join(en_texts[i] for i in bead.en)),
            _cell(" ".join(ar_texts[i] for i in bead.ar)),
            ";".join(f"{f.type}:{f.side}:{f.severity}" for f in bead.flags),
            _cell(" | ".join(f.message for f in bead.flags)),
            ",".join(fingerprint(f) for f in bead.flags),
        ])
    return out.getvalue()
