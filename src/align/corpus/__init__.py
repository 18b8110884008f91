"""Parallel corpora from folders of document pairs: build into SQLite, export, count, compare.

``build_corpus`` aligns and checks every pair with the same :class:`align.pipeline.Checker` as
``align check`` and stores the result in a versioned SQLite database (:mod:`align.corpus.store`);
:mod:`align.corpus.export` writes TMX, TSV, JSONL or Moses files from it, and
:mod:`align.corpus.analysis` computes statistics and translation inconsistencies. Importing this
package opens no file and loads no model.
"""

from __future__ import annotations

from align.corpus.build import BuildConfig, BuildSummary, PairOutcome, build_corpus
from align.corpus.export import EXPORT_FORMATS, ExportFilter, ExportSummary, export_corpus
from align.corpus.store import SCHEMA_VERSION, CorpusStore

__all__ = [
    "EXPORT_FORMATS", "SCHEMA_VERSION", "BuildConfig", "BuildSummary", "CorpusStore", "ExportFilter",
    "ExportSummary", "PairOutcome", "build_corpus", "export_corpus",
]
