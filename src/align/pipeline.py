"""Composes the stages: read, split, embed, align, refine, check."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from align import __version__
from align.checks import DEFAULT_CHECKS, Check, CheckContext, run_checks
from align.checks.document import agreement, quiet_unrelated, verdict
from align.clauses import edge_fragments
from align.dp import AlignConfig, Alignment, EdgeVectors, PositionBead, align_vectors
from align.embed import CachedEncoder, Encoder
from align.errors import InputError
from align.fingerprint import without_ignored
from align.io import check_languages, read_document
from align.model import AlignmentStats, Bead, Document, InputInfo, Report, Side, Signature
from align.output import same_file
from align.progress import Progress, Silent
from align.refine import refine
from align.removals import Wanted, composer_for
from align.segment import MAX_SEGMENT_CHARS, SPLIT_MODES, make_document, resolve_split, splitter_signature
from align.text import EMBEDDING_FORM, embedding_text, embedding_texts, is_vocalised, trial_embedding_texts


@dataclass(frozen=True)
class CheckOptions:
    """Everything about a run that is not the input: how to split, align and check.

    ``checks`` are configured check instances (``PartialCheck(min_score=0.2)``); each holds its
    own settings, and the signature names them all.
    """

    split: str = "auto"
    max_segment_chars: int = MAX_SEGMENT_CHARS  # a longer sentence is cut at clauses, then spaces
    input_format: str = "auto"  # how files are read: by extension and content, or text/docx/html/markdown
    encoding: str | None = None  # the text files' encoding; None: detected
    align: AlignConfig = field(default_factory=AlignConfig)
    source: Side | None = None
    checks: tuple[Check, ...] = DEFAULT_CHECKS
    ignore: frozenset[str] = frozenset()  # fingerprints of flags a reviewer dismissed

    def __post_init__(self) -> None:
        if self.split not in SPLIT_MODES:
            raise ValueError(f"split must be one of {SPLIT_MODES}, not {self.split!r}")

    def signature_params(self) -> tuple[tuple[str, str], ...]:
        """The aligner's settings, then the run's own settings that change a report."""
        params = self.align.signature()
        if self.source:
            params += (("source", self.source),)
        if self.ignore:
            params += (("ignore", str(len(self.ignore))),)
        # Forced reading settings, so that a corpus built with them is not taken for one built without.
        if self.input_format != "auto":
            params += (("input_format", self.input_format),)
        if self.encoding:
            params += (("encoding", self.encoding),)
        return params


EMBED_CHUNK = 128  # segments embedded per call: the unit of progress, the same whether or not anyone listens


def _embed_chunk(encoder: object) -> int:
    """Segments per encoder call: EMBED_CHUNK, or the encoder's own batch size if larger (a GPU's), so
    that chunking for progress never splits the batches the encoder was set up for. Asks only for a
    batch size known without loading anything (``batch_hint``): a run answered by the disk cache
    must not import torch."""
    while encoder is not None:
        hint = getattr(encoder, "batch_hint", None)
        batch = hint() if callable(hint) else None
        if isinstance(batch, int):
            return max(EMBED_CHUNK, batch)
        encoder = getattr(encoder, "inner", None)
    return EMBED_CHUNK


class Checker:
    """Checks English/Arabic pairs with one encoder, loaded once and reused across pairs.

    ``progress`` hears of each stage of a check (sentences embedded, aligning, checks run); the
    library itself never prints.
    """

    def __init__(self, encoder: Encoder, options: CheckOptions | None = None,
                 progress: Progress | None = None) -> None:
        self.encoder = encoder if isinstance(encoder, CachedEncoder) else CachedEncoder(encoder)
        self._composer = composer_for(self.encoder)
        self._joined: dict[str, np.ndarray] = {}  # the document's composed joins, by their encoder form
        self.options = options or CheckOptions()
        self.progress: Progress = progress or Silent()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors of ``texts``, each embedded in its encoder form (:func:`align.text.embedding_text`)."""
        return self.encoder.encode(embedding_texts(texts))

    def embed_joined(self, parts: Sequence[Sequence[str]]) -> np.ndarray:
        """Unit vectors of each ``" ".join(parts[k])`` in its encoder form; of one part, that part's own.

        A join of several is composed from its parts' work (align.removals), and remembered until
        the document is done: the second pass and the checks ask for the same joins again.
        """
        if not parts:
            return self.embed([])
        singles = [p[0] for p in parts if len(p) == 1]
        single_vectors = iter(self.embed(singles)) if singles else iter(())
        joins = [" ".join(p) for p in parts]
        forms = [embedding_text(join) if len(p) != 1 else "" for join, p in zip(joins, parts, strict=True)]
        todo: dict[str, list[str]] = {}
        for join, form, p in zip(joins, forms, parts, strict=True):
            if len(p) != 1 and form not in self._joined and form not in todo:
                vocalised = is_vocalised(join)  # the parts take the join's form
                todo[form] = [embedding_text(t, vocalised) for t in p]
        if todo:
            self._joined.update(zip(todo, self._composer.compose(list(todo), list(todo.values())), strict=True))
        return np.stack([next(single_vectors) if len(p) == 1 else self._joined[form]
                         for form, p in zip(forms, parts, strict=True)])

    def embed_removals(self, parts: Sequence[Sequence[str]], trials: Sequence[str]) -> np.ndarray:
        """Unit vectors of ``trials``, each the join of ``parts[k]`` with a piece removed, in their encoder form."""
        return self._composer.compose(*_removal_forms(parts, trials))

    def screen_removals(self, parts: Sequence[Sequence[str]], trials: Sequence[str], wanted: Wanted) -> np.ndarray:
        """:meth:`embed_removals` for the trials ``wanted`` picks by their cheap estimates, where the
        encoder has them (align.removals.RemovalEstimates); the others' rows are NaN."""
        return self._composer.compose_screened(*_removal_forms(parts, trials), wanted)

    def signature(self) -> Signature:
        return Signature(
            version=__version__,
            encoder=f"{self.encoder.name}+{EMBEDDING_FORM}",
            split=splitter_signature(self.options.split, self.options.max_segment_chars),
            params=self.options.signature_params(),
            checks=tuple(check.signature() for check in self.options.checks),
        )

    def check_files(self, en_path: str | Path, ar_path: str | Path) -> Report:
        """Read, validate and check a pair of files. Raises ``InputError`` on bad input."""
        if same_file(Path(en_path), Path(ar_path)):
            raise InputError(f"{en_path} and {ar_path} are the same file; give the English and the Arabic version")
        read = [read_document(path, self.options.input_format, self.options.encoding) for path in (en_path, ar_path)]
        check_languages(read[0].text, read[1].text, str(en_path), str(ar_path))
        return self.check_texts(read[0].text, read[1].text, str(en_path), str(ar_path), (read[0].info, read[1].info))

    def check_texts(self, en_text: str, ar_text: str, en_name: str = "en", ar_name: str = "ar",
                    sources: tuple[InputInfo, InputInfo] | None = None) -> Report:
        """Check a pair given as strings; ``sources`` says how they were read from files, if they were."""
        try:
            return self._check_texts(en_text, ar_text, en_name, ar_name, sources)
        finally:
            self._forget_document()
            self.progress.done()

    def _forget_document(self) -> None:
        """Drops what was kept for reuse within one document (activations, composed joins)."""
        self._composer.forget()
        self._joined.clear()

    def _check_texts(self, en_text: str, ar_text: str, en_name: str, ar_name: str,
                     sources: tuple[InputInfo, InputInfo] | None) -> Report:
        limit = self.options.max_segment_chars
        split = resolve_split(self.options.split, en_text, ar_text, limit)
        line_ids = self.options.split == "lines"
        en = make_document(en_text, "en", en_name, split, limit, sources[0] if sources else None, line_ids)
        ar = make_document(ar_text, "ar", ar_name, split, limit, sources[1] if sources else None, line_ids)
        self.progress.stage("aligning", 1, "passes")
        alignment, positions = self.align_documents(en, ar)
        self.progress.advance()
        doc_stats = alignment.stats
        context = CheckContext(en, ar, _to_ids(positions, en, ar), self.options.source, doc_stats.random,
                               doc_stats.best, self.embed, embed_removals=self.embed_removals,
                               screen_removals=self.screen_removals,
                               embed_joined=self.embed_joined)
        self.progress.stage("checking", len(self.options.checks), "checks")
        beads = run_checks(self.options.checks, context, lambda _: self.progress.advance())
        result = verdict(beads, en, ar, agreement(positions, doc_stats.best_partners), doc_stats.random,
                         doc_stats.best)
        if not result.likely_translation:
            beads = quiet_unrelated(beads)
        beads, ignored = self._drop_ignored(beads)
        stats = AlignmentStats(
            ignored_flags=ignored,
            random_similarity=round(doc_stats.random, 4),
            best_similarity=round(doc_stats.best, 4),
            pair_threshold=round(alignment.theta, 4),
            skip_cost=round(alignment.skip, 4),
        )
        # The run's signature says ``auto``; the report's says what ``auto`` chose for this pair.
        signature = replace(self.signature(), split=splitter_signature(self.options.split, limit, split))
        if sources:
            signature = replace(signature, inputs=f"en={sources[0]},ar={sources[1]}")
        return Report(signature, en, ar, beads, stats, result)

    def align_documents(self, en: Document, ar: Document) -> tuple[Alignment, list[PositionBead]]:
        """The first pass's alignment and the refined beads (positions into the segment lists)."""
        alignment = self._align(en, ar)
        positions = refine(alignment, [s.text for s in en.segments], [s.text for s in ar.segments],
                           _paragraphs(en), _paragraphs(ar), self.options.align, self.embed_joined)
        return alignment, positions

    def align_texts(self, en_text: str, ar_text: str) -> tuple[Document, Document, tuple[Bead, ...]]:
        """Split and align a pair without running the checks: the two documents and beads over ids."""
        limit = self.options.max_segment_chars
        split = resolve_split(self.options.split, en_text, ar_text, limit)
        line_ids = self.options.split == "lines"
        en = make_document(en_text, "en", "en", split, limit, line_ids=line_ids)
        ar = make_document(ar_text, "ar", "ar", split, limit, line_ids=line_ids)
        try:
            return en, ar, _to_ids(self.align_documents(en, ar)[1], en, ar)
        finally:
            self._forget_document()

    def _drop_ignored(self, beads: tuple[Bead, ...]) -> tuple[tuple[Bead, ...], int]:
        if not self.options.ignore:
            return beads, 0
        out, total = [], 0
        for bead in beads:
            kept, dropped = without_ignored(bead.flags, self.options.ignore)
            out.append(replace(bead, flags=kept))
            total += dropped
        return tuple(out), total

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of ``texts``, embedded a chunk at a time so that progress can be told."""
        parts: list[np.ndarray] = []
        start = 0
        while start < len(texts) or not parts:
            # Asked again after each call: the encoder's batch size may be known only once it has loaded.
            chunk = _embed_chunk(self.encoder)
            parts.append(self.embed(texts[start:start + chunk]))
            self.progress.advance(len(parts[-1]))
            start += chunk
        return parts[0] if len(parts) == 1 else np.concatenate(parts)

    def _align(self, en: Document, ar: Document) -> Alignment:
        self.progress.stage("embedding", len(en.segments) + len(ar.segments), "sentences")
        en_texts, ar_texts = [s.text for s in en.segments], [s.text for s in ar.segments]
        # The segments' activations are kept while the document is checked: the second pass's joins
        # and the partial check's removals are composed from them.
        with self._composer.recording(en_texts + ar_texts):
            en_vectors = self._embed(en_texts)
            ar_vectors = self._embed(ar_texts)
        return align_vectors(
            en_vectors, ar_vectors, _paragraphs(en), _paragraphs(ar), self.options.align,
            np.array([len(s.text) for s in en.segments]),
            np.array([len(s.text) for s in ar.segments]),
            lambda side: self._edge_vectors(en if side == "en" else ar),
        )

    def _edge_vectors(self, doc: Document) -> EdgeVectors:
        """Vectors of every segment's opening and closing words (asked for by the flat search only)."""
        heads, tails = zip(*(edge_fragments(s.text) for s in doc.segments), strict=True)
        return EdgeVectors(doc.side, self.embed(list(heads)), self.embed(list(tails)))


def _removal_forms(parts: Sequence[Sequence[str]], trials: Sequence[str]) -> tuple[list[str], list[list[str]]]:
    """The encoder forms of ``trials`` (each the join of ``parts[k]`` with a piece removed) and of their
    parts, all in the form of the full join (a vocalised join's parts lose their marks too)."""
    fulls = [" ".join(p) for p in parts]
    sources = [[embedding_text(t, is_vocalised(full)) for t in p] for full, p in zip(fulls, parts, strict=True)]
    return trial_embedding_texts(fulls, trials), sources


def _paragraphs(doc: Document) -> np.ndarray:
    """The paragraph id of each segment, by position."""
    return np.array([s.paragraph for s in doc.segments], int)


def _to_ids(positions: Sequence[PositionBead], en: Document, ar: Document) -> tuple[Bead, ...]:
    """Beads over segment ids (line numbers in ``lines`` mode) instead of list positions."""
    en_ids = [s.index for s in en.segments]
    ar_ids = [s.index for s in ar.segments]
    return tuple(Bead(tuple(en_ids[i] for i in b.en), tuple(ar_ids[j] for j in b.ar), round(b.score, 4))
                 for b in positions)
