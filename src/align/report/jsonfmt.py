"""The JSON contract: ``signature``, ``en``, ``ar`` and ``beads`` are fixed; the rest is extra."""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from typing import Any

from align.fingerprint import fingerprint
from align.model import Flag, Report
from align.report.summary import summary
from align.text import HIDDEN


def flag_to_dict(flag: Flag) -> dict[str, Any]:
    return {
        "type": flag.type,
        "side": flag.side,
        "severity": flag.severity,
        "message": flag.message,
        "evidence": [asdict(e) for e in flag.evidence],
        "fingerprint": fingerprint(flag),
    }


def report_to_dict(report: Report) -> dict[str, Any]:
    return {
        "signature": str(report.signature),
        "files": {"en": report.en.name, "ar": report.ar.name},
        # how each file was read: {"format": "docx", "encoding": null}; null for texts given as strings
        "inputs": {side: asdict(doc.source) if doc.source else None
                   for side, doc in (("en", report.en), ("ar", report.ar))},
        "sha256": {"en": report.en.sha256, "ar": report.ar.sha256},  # of each input's text, as read
        "source": report.source,  # the original named by --source, or null
        "en": report.en.texts,
        "ar": report.ar.texts,
        "beads": [
            {"en": list(b.en), "ar": list(b.ar), "score": b.score, "kind": b.kind,
             "flags": [flag_to_dict(f) for f in b.flags]}
            for b in report.beads
        ],
        "segments": {
            side: [{"id": s.index, "start": s.start, "end": s.end, "paragraph": s.paragraph}
                   for s in report.doc(side).segments]
            for side in ("en", "ar")
        },
        "document": asdict(report.document) if report.document else None,
        "summary": summary(report).as_dict(),
        "alignment": asdict(report.stats) if report.stats else {},
    }


def report_to_json(report: Report) -> str:
    """The report as JSON text. Hidden characters (bidi controls, zero-width and C1 controls) are
    written as ``\\uXXXX`` escapes: a parser reads back the exact text, and a terminal or an editor
    showing the file shows the escape instead of obeying the control."""
    return HIDDEN.sub(_escape, json.dumps(report_to_dict(report), ensure_ascii=False, indent=1)) + "\n"


def _escape(match: re.Match[str]) -> str:
    # JSON escapes are UTF-16 code units: a tag character (U+E0041) is a surrogate pair.
    units = match.group().encode("utf-16-be")
    return "".join(f"\\u{int.from_bytes(units[k:k + 2], 'big'):04x}" for k in range(0, len(units), 2))
