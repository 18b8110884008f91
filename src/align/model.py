"""Frozen value types shared by every stage: segments, beads, flags and the report."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

Side = Literal["en", "ar"]
FlagSide = Literal["en", "ar", "both"]
Severity = Literal["error", "warning", "info"]

SIDES: tuple[Side, Side] = ("en", "ar")


@dataclass(frozen=True)
class Segment:
    """One sentence (or line, or paragraph) of a document.

    ``index`` is the segment's id in its document: its position in ``Document.texts``.
    ``start``/``end`` are character offsets into the original document text; ``text`` is that
    slice with line breaks turned into spaces (same length, so offsets inside it still hold).
    Segments in the same ``paragraph`` may be merged into one bead; across paragraphs they may not
    (when both sides have paragraphs).
    """

    index: int
    text: str
    start: int
    end: int
    paragraph: int


@dataclass(frozen=True)
class InputInfo:
    """How one side's file was read: its format (text, docx, html, markdown) and, for formats
    decoded from bytes as text, the character encoding used (detected or given)."""

    format: str
    encoding: str | None = None

    def __str__(self) -> str:
        return f"{self.format}/{self.encoding}" if self.encoding else self.format


@dataclass(frozen=True)
class Document:
    """One side of a pair: where it came from, its full text and its segments in order.

    ``text`` is the text that was aligned: the file's own text, or the text extracted from a
    .docx, HTML or Markdown file (``source`` says which); segment offsets point into it.
    """

    side: Side
    name: str
    text: str
    segments: tuple[Segment, ...]
    size: int  # number of ids: len(segments), or the line count in ``--split lines`` mode
    source: InputInfo | None = None  # None when the text was given as a string, not read from a file

    @property
    def texts(self) -> list[str]:
        """Segment texts by id; ids that hold no segment (blank lines) map to ``""``."""
        return list(self.texts_by_id)

    @cached_property
    def texts_by_id(self) -> tuple[str, ...]:
        # Checks look texts up per bead; rebuilding the list each time made a 2,000-line pair quadratic.
        out = [""] * self.size
        for seg in self.segments:
            out[seg.index] = seg.text
        return tuple(out)

    @cached_property
    def sha256(self) -> str:
        """Hash of the document's text (UTF-8): which input a report, or a reviewer's choices, belong to."""
        return hashlib.sha256(self.text.encode("utf-8", "surrogatepass")).hexdigest()

    def aligned_share(self, beads: Sequence[Bead]) -> float:
        """Share of this document's characters that sit in beads with both sides present."""
        lengths = {s.index: len(s.text) for s in self.segments}
        total = sum(lengths.values())
        aligned = sum(lengths[i] for b in beads if b.en and b.ar for i in b.ids(self.side))
        return aligned / total if total else 0.0


@dataclass(frozen=True)
class Evidence:
    """A span or value that supports a flag: ``side`` and segment id, offsets into its text."""

    side: Side
    segment: int
    start: int
    end: int
    text: str
    value: str | None = None


@dataclass(frozen=True)
class Flag:
    """One finding on a bead."""

    type: str
    side: FlagSide
    severity: Severity
    message: str
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Bead:
    """A group of consecutive English and Arabic segment ids that translate each other.

    Either side may be empty (a 1-0 or 0-1 bead). ``score`` is the cosine similarity of the
    two sides' embeddings (0.0 when a side is empty).
    """

    en: tuple[int, ...]
    ar: tuple[int, ...]
    score: float
    flags: tuple[Flag, ...] = ()

    @property
    def kind(self) -> str:
        return f"{len(self.en)}-{len(self.ar)}"

    def ids(self, side: Side) -> tuple[int, ...]:
        return self.en if side == "en" else self.ar


@dataclass(frozen=True)
class Signature:
    """Everything needed to reproduce a result, printed like sacrebleu's signatures.

    ``inputs`` says how each file was read (format and encoding), since another reading gives
    another text. ``params`` are the aligner's settings and the run's own (``source``, ``ignore``); ``checks``
    names every check that ran with all its settings, so two configurations that can give
    different results never print the same signature.
    """

    version: str
    encoder: str
    split: str
    params: tuple[tuple[str, str], ...] = ()
    checks: tuple[str, ...] = ()
    inputs: str = ""  # how each file was read: "en=docx,ar=text/cp1256"; empty for texts given as strings

    def param(self, key: str) -> str | None:
        """The value of the setting ``key`` in ``params``, or ``None`` when the run did not set it."""
        return dict(self.params).get(key)

    def __str__(self) -> str:
        parts = [f"muqabala:{self.version}", f"encoder:{self.encoder}", f"split:{self.split}"]
        if self.inputs:
            parts.append(f"input:{self.inputs}")
        parts += [f"{k}:{v}" for k, v in self.params]
        if self.checks:
            parts.append("checks:" + ",".join(self.checks))
        return "|".join(parts)


@dataclass(frozen=True)
class GlossaryEntry:
    """A terminology rule: where ``english`` occurs, the Arabic should say ``arabic``."""

    english: str
    arabic: str


@dataclass(frozen=True)
class DocumentVerdict:
    """Whether the two files look like translations of each other, and how much of each is aligned.

    ``coverage_*`` is the share of a side's characters that sit in beads with both sides;
    ``agreement`` the share of sampled English segments whose most similar Arabic segment is in
    their own bead; ``separation`` how far typical best partners stand above unrelated pairs
    (``(best - random) / (1 - random)``).
    """

    likely_translation: bool
    coverage_en: float
    coverage_ar: float
    agreement: float
    separation: float
    message: str


@dataclass(frozen=True)
class AlignmentStats:
    """How the aligner saw the pair: the document's similarity scale and the costs derived from it."""

    ignored_flags: int  # flags left out because the reviewer's ignore file lists them
    random_similarity: float  # median cosine of unrelated segment pairs
    best_similarity: float  # median cosine of each segment with its best partner
    pair_threshold: float  # the similarity above which a 1-1 bead beats two unmatched segments
    skip_cost: float  # what leaving one segment unmatched costs


@dataclass(frozen=True)
class Report:
    """The result of checking one pair."""

    signature: Signature
    en: Document
    ar: Document
    beads: tuple[Bead, ...]
    stats: AlignmentStats | None = None
    document: DocumentVerdict | None = None

    def doc(self, side: Side) -> Document:
        return self.en if side == "en" else self.ar

    @property
    def source(self) -> Side | None:
        """The side ``--source`` named as the original, as the signature records it."""
        value = self.signature.param("source")
        return value if value in SIDES else None

    def has_findings(self, types: frozenset[str]) -> bool:
        """Whether a finding of one of ``types`` (error or warning; ``document``: the verdict that
        the files are not translations) is reported: the rule behind ``--fail-on``."""
        if "document" in types and self.document and not self.document.likely_translation:
            return True
        return any(f.type in types and f.severity in ("error", "warning") for bead in self.beads for f in bead.flags)
