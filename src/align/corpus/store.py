"""The corpus database: a versioned SQLite schema, written one pair per transaction.

The schema version is SQLite's ``PRAGMA user_version`` (:data:`SCHEMA_VERSION`); README.md
documents the tables. The database runs in WAL mode and every pair is written in one transaction,
so a process killed at any moment leaves every pair either whole or absent.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from align import __version__
from align.corpus.work import PairOutcome
from align.errors import CorpusError
from align.fingerprint import fingerprint
from align.model import Report

SCHEMA_VERSION = 1
APPLICATION = "muqabala-corpus"

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE signatures (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);
CREATE TABLE pairs (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    signature_id INTEGER NOT NULL REFERENCES signatures(id),
    likely_translation INTEGER NOT NULL,
    coverage_en REAL NOT NULL,
    coverage_ar REAL NOT NULL,
    verdict TEXT NOT NULL,
    alignment TEXT NOT NULL,
    built_at TEXT NOT NULL
);
CREATE TABLE documents (
    pair_id INTEGER NOT NULL REFERENCES pairs(id) ON DELETE CASCADE,
    side TEXT NOT NULL CHECK (side IN ('en', 'ar')),
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    encoding TEXT NOT NULL,
    characters INTEGER NOT NULL,
    PRIMARY KEY (pair_id, side)
);
CREATE TABLE segments (
    pair_id INTEGER NOT NULL REFERENCES pairs(id) ON DELETE CASCADE,
    side TEXT NOT NULL CHECK (side IN ('en', 'ar')),
    id INTEGER NOT NULL,
    text TEXT NOT NULL,
    start_offset INTEGER NOT NULL,
    end_offset INTEGER NOT NULL,
    paragraph INTEGER NOT NULL,
    PRIMARY KEY (pair_id, side, id)
);
CREATE TABLE beads (
    pair_id INTEGER NOT NULL REFERENCES pairs(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    en TEXT NOT NULL,
    ar TEXT NOT NULL,
    kind TEXT NOT NULL,
    score REAL NOT NULL,
    PRIMARY KEY (pair_id, position)
);
CREATE TABLE flags (
    pair_id INTEGER NOT NULL REFERENCES pairs(id) ON DELETE CASCADE,
    bead INTEGER NOT NULL,
    position INTEGER NOT NULL,
    type TEXT NOT NULL,
    side TEXT NOT NULL,
    severity TEXT NOT NULL,
    message TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    evidence TEXT NOT NULL,
    PRIMARY KEY (pair_id, bead, position)
);
CREATE INDEX flags_type ON flags (type);
CREATE TABLE failures (
    name TEXT PRIMARY KEY,
    en_path TEXT NOT NULL,
    ar_path TEXT NOT NULL,
    reason TEXT NOT NULL,
    signature TEXT NOT NULL,
    failed_at TEXT NOT NULL
);
"""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _connect(path: Path, read_only: bool) -> sqlite3.Connection:
    try:
        if read_only:
            connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
        else:
            connection = sqlite3.connect(path, isolation_level=None, timeout=60)
        connection.execute("PRAGMA foreign_keys=ON")
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        if "unable to open" in str(exc):
            raise CorpusError(f"{path}: cannot open the corpus database (check the folder's permissions)") from exc
        raise CorpusError(f"{path}: not a corpus database ({exc})") from exc
    return connection


class CorpusStore:
    """One corpus database. ``CorpusStore.open_for_build`` creates it when missing; ``open`` reads one."""

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self.db = connection
        self._signature_ids: dict[str, int] = {}

    @classmethod
    def open_for_build(cls, path: str | Path) -> CorpusStore:
        """Open (creating if needed) a database to build into; :class:`CorpusError` if it is not ours."""
        p = Path(path)
        if p.exists() and not p.is_file():
            raise CorpusError(f"{p}: not a file; give a path for the corpus database")
        try:
            p.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CorpusError(f"{p}: cannot create its folder ({exc.strerror or exc})") from exc
        connection = _connect(p, read_only=False)
        store = cls(p, connection)
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            # NORMAL under WAL: a killed process loses nothing committed; only a power cut may lose the last pairs.
            connection.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.DatabaseError as exc:
            raise CorpusError(f"{p}: cannot write the corpus database ({exc})") from exc
        store._create_or_check()
        return store

    @classmethod
    def open(cls, path: str | Path) -> CorpusStore:
        """Open an existing database for reading; :class:`CorpusError` when it is missing or not a corpus."""
        p = Path(path)
        if not p.is_file():
            raise CorpusError(f"{p}: no such corpus database; build one with 'align corpus build'")
        store = cls(p, _connect(p, read_only=True))
        store._check_version()
        return store

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> CorpusStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schema ---------------------------------------------------------------------------------

    def _tables(self) -> set[str]:
        return {row[0] for row in self.db.execute("SELECT name FROM sqlite_master WHERE type='table'")}

    def _create_or_check(self) -> None:
        if self._tables():
            self._check_version()
            return
        try:
            self.db.execute("BEGIN IMMEDIATE")
            if not self._tables():  # another builder may have created it meanwhile
                for statement in _SCHEMA.split(";"):  # not executescript: it would commit the open transaction
                    if statement.strip():
                        self.db.execute(statement)
                self.db.executemany("INSERT INTO meta (key, value) VALUES (?, ?)",
                                    [("application", APPLICATION), ("created_by", f"muqabala {__version__}"),
                                     ("created_at", _now())])
                self.db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            self.db.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise CorpusError(f"{self.path}: cannot create the corpus database ({exc})") from exc

    def _check_version(self) -> None:
        version = int(self.db.execute("PRAGMA user_version").fetchone()[0])
        tables = self._tables()
        if "meta" not in tables or version == 0:
            raise CorpusError(f"{self.path}: an SQLite database, but not a muqabala corpus")
        row = self.db.execute("SELECT value FROM meta WHERE key='application'").fetchone()
        if row is None or row[0] != APPLICATION:
            raise CorpusError(f"{self.path}: an SQLite database, but not a muqabala corpus")
        if version != SCHEMA_VERSION:
            raise CorpusError(f"{self.path}: corpus schema version {version}; this muqabala reads version "
                              f"{SCHEMA_VERSION} (rebuild it, or use the muqabala that made it)")

    # -- building ------------------------------------------------------------------------------

    def is_current(self, name: str, en_sha256: str, ar_sha256: str, signature: str) -> bool:
        """Whether ``name`` is stored from files with these hashes under this signature."""
        row = self.db.execute(
            "SELECT (SELECT sha256 FROM documents WHERE pair_id=p.id AND side='en'),"
            " (SELECT sha256 FROM documents WHERE pair_id=p.id AND side='ar'), s.text"
            " FROM pairs p JOIN signatures s ON s.id=p.signature_id WHERE p.name=?", (name,)).fetchone()
        return row is not None and tuple(row) == (en_sha256, ar_sha256, signature)

    def _signature_id(self, text: str) -> int:
        if text not in self._signature_ids:
            self.db.execute("INSERT OR IGNORE INTO signatures (text) VALUES (?)", (text,))
            row = self.db.execute("SELECT id FROM signatures WHERE text=?", (text,)).fetchone()
            self._signature_ids[text] = int(row[0])
        return self._signature_ids[text]

    def write_outcome(self, outcome: PairOutcome, signature: str) -> None:
        """Store a done or failed pair in one transaction (a pair stored before under its name is replaced)."""
        try:
            self.db.execute("BEGIN IMMEDIATE")
            if outcome.status == "done":
                assert outcome.report is not None
                self._insert_pair(outcome, outcome.report, signature)
            elif outcome.status == "failed":
                self.db.execute("INSERT OR REPLACE INTO failures (name, en_path, ar_path, reason, signature, failed_at)"
                                " VALUES (?, ?, ?, ?, ?, ?)",
                                (outcome.name, outcome.en.path, outcome.ar.path, outcome.reason, signature, _now()))
            self.db.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            self._signature_ids.clear()  # an id inserted by the rolled-back transaction is gone
            raise CorpusError(f"{self.path}: cannot store pair {outcome.name} ({exc})") from exc

    def _insert_pair(self, outcome: PairOutcome, report: Report, signature: str) -> None:
        # Stored under the build's signature: the report's own also names how each file was read
        # (input:en=text/utf-8,…), which the documents table keeps per file.
        db = self.db
        db.execute("DELETE FROM pairs WHERE name=?", (outcome.name,))
        db.execute("DELETE FROM failures WHERE name=?", (outcome.name,))
        verdict = report.document
        cursor = db.execute(
            "INSERT INTO pairs (name, signature_id, likely_translation, coverage_en, coverage_ar, verdict, alignment,"
            " built_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (outcome.name, self._signature_id(signature),
             int(verdict.likely_translation) if verdict else 1, verdict.coverage_en if verdict else 0.0,
             verdict.coverage_ar if verdict else 0.0, verdict.message if verdict else "",
             json.dumps(asdict(report.stats) if report.stats else {}), _now()))
        pair_id = cursor.lastrowid
        for source, doc in ((outcome.en, report.en), (outcome.ar, report.ar)):
            db.execute("INSERT INTO documents (pair_id, side, path, sha256, encoding, characters)"
                       " VALUES (?, ?, ?, ?, ?, ?)",
                       (pair_id, doc.side, source.path, source.sha256, source.encoding, len(doc.text)))
            db.executemany("INSERT INTO segments (pair_id, side, id, text, start_offset, end_offset, paragraph)"
                           " VALUES (?, ?, ?, ?, ?, ?, ?)",
                           [(pair_id, doc.side, s.index, s.text, s.start, s.end, s.paragraph) for s in doc.segments])
        db.executemany("INSERT INTO beads (pair_id, position, en, ar, kind, score) VALUES (?, ?, ?, ?, ?, ?)",
                       [(pair_id, i, json.dumps(list(b.en)), json.dumps(list(b.ar)), b.kind, b.score)
                        for i, b in enumerate(report.beads)])
        db.executemany(
            "INSERT INTO flags (pair_id, bead, position, type, side, severity, message, fingerprint, evidence)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(pair_id, i, k, f.type, f.side, f.severity, f.message, fingerprint(f),
              json.dumps([asdict(e) for e in f.evidence], ensure_ascii=False))
             for i, b in enumerate(report.beads) for k, f in enumerate(b.flags)])

    # -- reading -------------------------------------------------------------------------------

    def signatures(self) -> list[str]:
        """The signatures of the stored pairs, most used first."""
        return [row[0] for row in self.db.execute(
            "SELECT s.text FROM signatures s JOIN pairs p ON p.signature_id=s.id GROUP BY s.id"
            " ORDER BY count(*) DESC, s.text")]

    def failures(self) -> list[tuple[str, str]]:
        return [(row[0], row[1]) for row in self.db.execute("SELECT name, reason FROM failures ORDER BY name")]

    def contents(self) -> Iterator[tuple[Any, ...]]:
        """Every stored fact as plain rows, without row ids or timestamps, in a fixed order.

        Two builds of the same folder with the same settings give equal contents, whatever the
        order in which pairs finished, the workers or an interruption: tests and benchmarks compare these.
        """
        yield from self.db.execute(
            "SELECT 'pair', p.name, s.text, p.likely_translation, p.coverage_en, p.coverage_ar, p.verdict, p.alignment"
            " FROM pairs p JOIN signatures s ON s.id=p.signature_id ORDER BY p.name")
        yield from self.db.execute(
            "SELECT 'document', p.name, d.side, d.path, d.sha256, d.encoding, d.characters"
            " FROM documents d JOIN pairs p ON p.id=d.pair_id ORDER BY p.name, d.side")
        yield from self.db.execute(
            "SELECT 'segment', p.name, g.side, g.id, g.text, g.start_offset, g.end_offset, g.paragraph"
            " FROM segments g JOIN pairs p ON p.id=g.pair_id ORDER BY p.name, g.side, g.id")
        yield from self.db.execute(
            "SELECT 'bead', p.name, b.position, b.en, b.ar, b.kind, b.score"
            " FROM beads b JOIN pairs p ON p.id=b.pair_id ORDER BY p.name, b.position")
        yield from self.db.execute(
            "SELECT 'flag', p.name, f.bead, f.position, f.type, f.side, f.severity, f.message, f.fingerprint,"
            " f.evidence"
            " FROM flags f JOIN pairs p ON p.id=f.pair_id ORDER BY p.name, f.bead, f.position")
        yield from self.db.execute(
            "SELECT 'failure', name, en_path, ar_path, reason, signature FROM failures ORDER BY name")
