"""Export a corpus database as sentence pairs: TMX 1.4b, TSV, JSONL or Moses line-aligned files.

Only beads with text on both sides are sentence pairs. Filters leave pairs out by score, bead
kind, flag type and duplication; the summary counts what each filter left out, so nothing is
dropped without saying so.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from align import __version__
from align.corpus.normalize import normalize_sentence
from align.corpus.store import CorpusStore
from align.errors import CorpusError
from align.output import atomic_text_file, refuse_inputs

EXPORT_FORMATS = ("tmx", "tsv", "jsonl", "moses")
# The severities that count as findings, as for --fail-on: info flags are hints, not reasons to drop a pair.
FINDING_SEVERITIES = ("error", "warning")


@dataclass(frozen=True)
class ExportFilter:
    """Which sentence pairs to keep. ``exclude_flags`` names flag types whose findings (error or
    warning) leave a pair out. Pairs of a document pair that does not look like a translation (its
    beads carry no findings: one verdict speaks for them) are left out unless ``include_unrelated``."""

    min_score: float | None = None
    only_1to1: bool = False
    exclude_flags: frozenset[str] = frozenset()
    dedup: bool = False
    include_unrelated: bool = False


@dataclass(frozen=True)
class SentencePair:
    """One exported unit: a bead with text on both sides, and where it came from."""

    document: str
    bead: int
    en: str
    ar: str
    score: float
    kind: str
    flags: tuple[tuple[str, str], ...]  # (type, severity) of every flag on the bead
    signature: str

    def flag_labels(self) -> str:
        """``partial:warning,name:info``: the flags as one field."""
        return ",".join(f"{t}:{s}" for t, s in self.flags)


@dataclass
class ExportSummary:
    written: int = 0
    left_out: dict[str, int] = field(default_factory=dict)
    paths: tuple[Path, ...] = ()

    def leave_out(self, reason: str) -> None:
        self.left_out[reason] = self.left_out.get(reason, 0) + 1


def _join(ids: list[int], texts: dict[int, str]) -> str:
    return " ".join(texts[i] for i in ids if texts.get(i))


def sentence_pairs(store: CorpusStore, keep: ExportFilter, summary: ExportSummary) -> Iterator[SentencePair]:
    """The pairs ``keep`` lets through, document by document in name order (one document in memory)."""
    seen: set[bytes] = set()
    documents = store.db.execute(
        "SELECT p.id, p.name, p.likely_translation, s.text FROM pairs p JOIN signatures s ON s.id=p.signature_id"
        " ORDER BY p.name").fetchall()
    for pair_id, name, likely, signature in documents:
        texts: dict[str, dict[int, str]] = {"en": {}, "ar": {}}
        for side, seg_id, text in store.db.execute("SELECT side, id, text FROM segments WHERE pair_id=?", (pair_id,)):
            texts[side][seg_id] = text
        flags: dict[int, list[tuple[str, str]]] = {}
        for bead, ftype, severity in store.db.execute(
                "SELECT bead, type, severity FROM flags WHERE pair_id=? ORDER BY bead, position", (pair_id,)):
            flags.setdefault(bead, []).append((ftype, severity))
        for position, en_ids, ar_ids, kind, score in store.db.execute(
                "SELECT position, en, ar, kind, score FROM beads WHERE pair_id=? ORDER BY position", (pair_id,)):
            en_list, ar_list = json.loads(en_ids), json.loads(ar_ids)
            if not en_list or not ar_list:
                continue  # a sentence with no counterpart is not a sentence pair
            bead_flags = flags.get(position, [])
            reason = _left_out_by(keep, likely, kind, score, bead_flags)
            if reason:
                summary.leave_out(reason)
                continue
            pair = SentencePair(name, position, _join(en_list, texts["en"]), _join(ar_list, texts["ar"]),
                                score, kind, tuple(bead_flags), signature)
            if keep.dedup:
                key = hashlib.blake2b(f"{normalize_sentence(pair.en)}\x00{normalize_sentence(pair.ar)}".encode(),
                                      digest_size=16).digest()
                if key in seen:
                    summary.leave_out("duplicate")
                    continue
                seen.add(key)
            yield pair


def _left_out_by(keep: ExportFilter, likely: int, kind: str, score: float, flags: list[tuple[str, str]]) -> str:
    """The first filter that leaves this bead out, or ``""``."""
    if not likely and (not keep.include_unrelated or "document" in keep.exclude_flags):
        return "document not a translation"
    if keep.only_1to1 and kind != "1-1":
        return "not 1-1"
    if keep.min_score is not None and score < keep.min_score:
        return "below min score"
    for ftype, severity in flags:
        if ftype in keep.exclude_flags and severity in FINDING_SEVERITIES:
            return f"flag {ftype}"
    return ""


# XML 1.0 cannot hold these characters at all, escaped or not.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    from xml.sax.saxutils import escape

    return escape(_NOT_XML.sub("\ufffd", text))


def _xml_attr(text: str) -> str:
    from xml.sax.saxutils import quoteattr

    return quoteattr(_NOT_XML.sub("\ufffd", text))


def _one_line(text: str) -> str:
    """Text for a line-based format: tabs and line breaks become spaces."""
    return re.sub(r"[\t\n\r\v\f\u2028\u2029\x85]", " ", text)


def _write_tmx(out: IO[str], pairs: Iterator[SentencePair], signatures: list[str], summary: ExportSummary) -> None:
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n<tmx version="1.4">\n')
    out.write(f'<header creationtool="muqabala" creationtoolversion={_xml_attr(__version__)} datatype="plaintext"'
              ' segtype="sentence" adminlang="en" srclang="en" o-tmf="muqabala-corpus">\n')
    for signature in signatures:
        out.write(f'  <prop type="x-signature">{_xml_text(signature)}</prop>\n')
    out.write("</header>\n<body>\n")
    for pair in pairs:
        out.write(f'<tu tuid="{summary.written + 1}">'
                  f'<prop type="x-document">{_xml_text(pair.document)}</prop>'
                  f'<prop type="x-bead">{pair.bead}</prop>'
                  f'<prop type="x-score">{pair.score:.4f}</prop>'
                  f'<prop type="x-kind">{pair.kind}</prop>')
        if pair.flags:
            out.write(f'<prop type="x-flags">{_xml_text(pair.flag_labels())}</prop>')
        out.write(f'\n  <tuv xml:lang="en"><seg>{_xml_text(pair.en)}</seg></tuv>'
                  f'\n  <tuv xml:lang="ar"><seg>{_xml_text(pair.ar)}</seg></tuv>\n</tu>\n')
        summary.written += 1
    out.write("</body>\n</tmx>\n")


def _write_tsv(out: IO[str], pairs: Iterator[SentencePair], summary: ExportSummary) -> None:
    out.write("document\tbead\tkind\tscore\tflags\ten\tar\n")
    for p in pairs:
        out.write(f"{_one_line(p.document)}\t{p.bead}\t{p.kind}\t{p.score:.4f}\t{p.flag_labels()}\t"
                  f"{_one_line(p.en)}\t{_one_line(p.ar)}\n")
        summary.written += 1


def _write_jsonl(out: IO[str], pairs: Iterator[SentencePair], summary: ExportSummary) -> None:
    for p in pairs:
        out.write(json.dumps({"id": summary.written, "translation": {"en": p.en, "ar": p.ar}, "document": p.document,
                              "bead": p.bead, "kind": p.kind, "score": p.score,
                              "flags": [{"type": t, "severity": s} for t, s in p.flags],
                              "signature": p.signature}, ensure_ascii=False) + "\n")
        summary.written += 1


def moses_paths(path: Path) -> tuple[Path, Path]:
    """``PATH.en`` and ``PATH.ar``: Moses' convention of one file per language, line k translating line k."""
    return path.with_name(path.name + ".en"), path.with_name(path.name + ".ar")


def export_corpus(db_path: str | Path, fmt: str, output: str | Path, keep: ExportFilter) -> ExportSummary:
    """Write the corpus at ``db_path`` to ``output`` in ``fmt``; each file is written atomically.

    Raises :class:`CorpusError` for an unknown format or a database that is not a corpus, and
    :class:`OutputError` when an output path is the database or one of the corpus's input files.
    """
    if fmt not in EXPORT_FORMATS:
        raise CorpusError(f"unknown export format {fmt!r}; choose from {', '.join(EXPORT_FORMATS)}")
    out = Path(output)
    en_path, ar_path = moses_paths(out)
    targets = (en_path, ar_path) if fmt == "moses" else (out,)
    summary = ExportSummary(paths=targets)
    with CorpusStore.open(db_path) as store:
        inputs = [Path(row[0]) for row in store.db.execute("SELECT path FROM documents")]
        refuse_inputs(targets, [Path(db_path), *inputs])
        pairs = sentence_pairs(store, keep, summary)
        if fmt == "moses":
            with atomic_text_file(en_path) as en_file, atomic_text_file(ar_path) as ar_file:
                for pair in pairs:
                    en_file.write(_one_line(pair.en) + "\n")
                    ar_file.write(_one_line(pair.ar) + "\n")
                    summary.written += 1
            return summary
        with atomic_text_file(out) as handle:
            if fmt == "tmx":
                _write_tmx(handle, pairs, store.signatures(), summary)
            elif fmt == "tsv":
                _write_tsv(handle, pairs, summary)
            else:
                _write_jsonl(handle, pairs, summary)
    return summary
