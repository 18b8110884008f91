"""A self-contained side-by-side HTML report, rendered from Jinja2 templates shipped with the package.

Every piece of input text reaches the page through Jinja2's autoescaping; the page loads nothing
(its Content-Security-Policy forbids any request), so it opens from an e-mail attachment as well.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from align.checks.control import severity_of
from align.fingerprint import fingerprint
from align.model import Bead, Flag, Report, Side
from align.report.summary import source_note, summary
from align.text import HIDDEN, control_abbreviation, control_name, mostly_arabic, visible

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
# Flags whose evidence is a span worth highlighting inside the text.
HIGHLIGHTED = ("partial", "number", "qualifier", "name")
# Flag messages are English and quote input text between guillemets: «…».
_QUOTE = re.compile(r"«([^«»]+)»")
TITLE_CHARS = 80  # of a flag message in a highlight's tooltip


@dataclass(frozen=True)
class Chunk:
    text: str
    mark: str | None = None  # flag type of the highlight
    title: str = ""
    severity: str = ""  # of the flag behind the highlight: info highlights hide with info badges


@dataclass(frozen=True)
class MessagePart:
    """A piece of a flag message: English wording, or a quote (``dir`` set) to isolate on the page."""

    text: str
    lang: str = ""
    dir: str = ""


@dataclass
class BadgeView:
    flag: Flag
    parts: list[MessagePart]
    id: str = ""  # "f3-0": the first finding of bead 3, for links and the review buttons
    fingerprint: str = ""  # what ``--ignore`` reads: a dismissal exported from the page


@dataclass
class SegmentView:
    id: int
    chunks: list[Chunk]


@dataclass
class RowView:
    n: int
    bead: Bead
    en: list[SegmentView]
    ar: list[SegmentView]
    badges: list[BadgeView]
    types: list[str] = field(default_factory=list)
    severity: str = ""


@cache
def _environment() -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(loader=PackageLoader("align.report", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["shown"] = shown
    env.filters["visible"] = visible
    return env


def shown(text: str) -> Any:
    """``text`` escaped for the page, every hidden character replaced by a visible badge.

    Bidi controls, zero-width characters and C0/C1 controls never reach the page as themselves: each
    becomes ``<bdi class="ctl">RLO</bdi>`` (an isolate, so it cannot reorder its neighbours either),
    and the text reads in logical order, as the checks compared it. ZWNJ and ZWJ that are ordinary
    typography (next to Arabic letters or emoji) stay, so the letters keep their shapes.
    """
    from markupsafe import Markup, escape

    out: list[str] = []
    pos = 0
    for m in HIDDEN.finditer(text):
        out.append(str(escape(text[pos:m.start()])))
        char = m.group()
        if severity_of(text, m.start()) is None:
            out.append(char)
        else:
            out.append(f'<bdi class="ctl" dir="ltr" title="{escape(control_name(char))}">'
                       f"{escape(control_abbreviation(char))}</bdi>")
        pos = m.end()
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))


def _spans(bead: Bead, side: Side, segment: int, length: int) -> list[tuple[int, int, Flag]]:
    spans = []
    for flag in bead.flags:
        if flag.type not in HIGHLIGHTED:
            continue
        for ev in flag.evidence:
            if ev.side == side and ev.segment == segment and 0 <= ev.start < ev.end <= length:
                spans.append((ev.start, ev.end, flag))
    return sorted(spans, key=lambda s: (s[0], -s[1]))


def highlight_title(flag: Flag, finding: str = "") -> str:
    """A highlight's tooltip: the flag's type, the id of its finding and the start of its message.

    The whole message is in the finding's badge once; repeating it on each of a flag's highlights
    made a 100 KB line with 734 highlights of one 8 KB message into a 6 MB page.
    """
    message = " ".join(flag.message.split())
    if len(message) > TITLE_CHARS:
        message = message[:TITLE_CHARS - 1] + "…"
    return f"{flag.type} (finding {finding}): {message}" if finding else f"{flag.type}: {message}"


def chunks(text: str, spans: Sequence[tuple[int, int, Flag]],
           findings: Mapping[Flag, str] | None = None) -> list[Chunk]:
    """Cut ``text`` into plain and highlighted pieces; overlapping spans keep the first.

    ``findings`` gives each flag's finding id, named in its highlights' tooltips.
    """
    out: list[Chunk] = []
    pos = 0
    for start, end, flag in spans:
        if start < pos:
            continue
        if start > pos:
            out.append(Chunk(text[pos:start]))
        out.append(Chunk(text[start:end], flag.type, visible(highlight_title(flag, (findings or {}).get(flag, ""))),
                         flag.severity))
        pos = end
    if pos < len(text):
        out.append(Chunk(text[pos:]))
    return out


def message_parts(message: str) -> list[MessagePart]:
    """Cut a flag message into its English wording and the «quotes» it carries, guillemets dropped.

    A quote written mostly in Arabic script gets ``lang="ar" dir="rtl"``, any other ``dir="auto"``.
    The page isolates each quote and puts the guillemets inside it, so Arabic in the English sentence
    neither reorders the words around it nor leaves a guillemet at the wrong end of a wrapped line.
    """
    parts: list[MessagePart] = []
    pos = 0
    for match in _QUOTE.finditer(message):
        parts.append(MessagePart(message[pos:match.start()]))
        quote = match.group(1)
        parts.append(MessagePart(quote, "ar", "rtl") if mostly_arabic(quote) else MessagePart(quote, dir="auto"))
        pos = match.end()
    parts.append(MessagePart(message[pos:]))
    return [p for p in parts if p.text]


def _segments(report: Report, bead: Bead, side: Side, findings: Mapping[Flag, str]) -> list[SegmentView]:
    texts = report.doc(side).texts_by_id  # not .texts: that copies every segment, per bead
    return [SegmentView(i, chunks(texts[i], _spans(bead, side, i, len(texts[i])), findings)) for i in bead.ids(side)]


def rows(report: Report) -> list[RowView]:
    out = []
    for n, bead in enumerate(report.beads):
        flags = sorted(bead.flags, key=lambda f: SEVERITY_ORDER[f.severity])
        badges = [BadgeView(f, message_parts(visible(f.message)), f"f{n}-{k}", fingerprint(f))
                  for k, f in enumerate(flags)]
        findings = {b.flag: b.id for b in badges}
        row = RowView(n, bead, _segments(report, bead, "en", findings), _segments(report, bead, "ar", findings), badges)
        row.types = sorted({f.type for f in flags if f.severity != "info"})
        row.severity = flags[0].severity if flags else ""
        out.append(row)
    return out


# The chart's coordinates: similarity 1.0 at y=0 down to 0.0 at the axis, unmatched beads below it.
CHART_AXIS = 40
CHART_HEIGHT = 50
CHART_TICKS = (1.0, 0.5, 0.0)


def chart_bars(report: Report) -> list[dict[str, Any]]:
    """One bar per bead for the similarity chart: height from the score, colour from the flags.

    A bead with one side empty has no similarity: it gets a marker below the axis instead of a bar,
    so it can never pass for a well-aligned bead.
    """
    bars = []
    for n, bead in enumerate(report.beads):
        worst = min((SEVERITY_ORDER[f.severity] for f in bead.flags), default=3)
        cls = ["error", "warning", "info", "ok"][worst]
        if bead.en and bead.ar:
            height = round(min(max(bead.score, 0.02), 1.0) * CHART_AXIS, 2)
            bars.append({"n": n, "y": round(CHART_AXIS - height, 2), "height": height, "cls": cls,
                         "title": f"bead {n}: similarity {bead.score:.2f}"})
        else:
            side = "English" if bead.en else "Arabic"
            bars.append({"n": n, "y": CHART_AXIS + 2, "height": CHART_HEIGHT - CHART_AXIS - 2, "cls": "lone",
                         "title": f"bead {n}: only in the {side}, no similarity"})
    return bars


def chart_ticks() -> list[dict[str, Any]]:
    """The similarity scale: a label and a grid line per tick, placed in the chart's coordinates."""
    return [{"label": f"{t:.1f}" if t else "0", "y": round(CHART_AXIS * (1 - t), 2),
             "top": round(100 * CHART_AXIS * (1 - t) / CHART_HEIGHT, 2)} for t in CHART_TICKS]


def flag_table(report: Report) -> list[tuple[str, int, int, int]]:
    counts = Counter((f.type, f.severity) for b in report.beads for f in b.flags)
    types = sorted({t for t, _ in counts})
    return [(t, counts[(t, "error")], counts[(t, "warning")], counts[(t, "info")]) for t in types]


def review_key(report: Report) -> str:
    """The page's key for the reviewer's choices in the browser's localStorage.

    Made from the signature and the hashes of both inputs, so choices made on one report never
    show up on the report of other texts or other settings.
    """
    parts = (str(report.signature), report.en.sha256, report.ar.sha256)
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:32]


def ignore_file_name(report: Report) -> str:
    """The name offered for the exported ignore file: the English file's stem + ``.ignore.txt``."""
    stem = PurePath(report.en.name).name.split(".", 1)[0] or "report"
    return f"{stem}.ignore.txt"


def report_to_html(report: Report) -> str:
    """The report as one HTML page."""
    from align import __version__

    view = rows(report)
    types = sorted({t for r in view for t in r.types})
    return str(_environment().get_template("report.html.j2").render(
        report=report, rows=view, types=types, bars=chart_bars(report), ticks=chart_ticks(), chart_axis=CHART_AXIS,
        chart_height=CHART_HEIGHT, flag_table=flag_table(report),
        info=summary(report), version=__version__, source_note=source_note(report),
        review_key=review_key(report), ignore_name=ignore_file_name(report),
    ))


@dataclass(frozen=True)
class IndexEntry:
    """One pair's row in the batch index."""

    name: str
    href: str
    likely: bool  # the document verdict: the files look like translations of each other
    beads: int
    counts: dict[str, int]  # warning and error flags by type


def index_entry(report: Report, name: str, href: str) -> IndexEntry:
    """The index row of ``report``, whose page is at the relative path ``href``.

    The path is percent-encoded and made explicitly relative, so a pair named "javascript:…" or
    "a#b" still links to its own page and never to a scheme or a fragment.
    """
    href = "./" + quote(href)
    counts = Counter(f.type for b in report.beads for f in b.flags if f.severity != "info")
    likely = report.document.likely_translation if report.document else True
    return IndexEntry(name, href, likely, len(report.beads), dict(counts))


def index_to_html(entries: Sequence[IndexEntry], signature: str) -> str:
    """The batch index: one row per pair with its flag counts and a link to its report."""
    types = sorted({t for e in entries for t in e.counts})
    return str(_environment().get_template("index.html.j2").render(entries=entries, types=types,
                                                                    signature=signature))
