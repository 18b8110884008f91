"""An on-disk embedding cache around any encoder, so unchanged text is never embedded twice.

Vectors live in one SQLite file, ``DIR/embeddings.sqlite``, keyed by the SHA-256 of the encoder's
name and the text. Several processes (the workers of ``align corpus build``) may share one folder:
SQLite's WAL mode and a busy timeout serialise their writes. Nothing is opened until the first
``encode``.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from align.embed import Encoder
from align.errors import EncoderError

CACHE_FILE = "embeddings.sqlite"
# SQLite's default limit on host parameters in one statement is 999 on older builds.
_LOOKUP_CHUNK = 500


def text_key(encoder_name: str, text: str) -> str:
    """The cache key of ``text`` embedded by the encoder named ``encoder_name``."""
    return hashlib.sha256(f"{encoder_name}\x00{text}".encode()).hexdigest()


class DiskCachedEncoder:
    """Wraps an encoder: a text already embedded by an encoder of the same name is read from disk.

    Same contract as the encoder it wraps: float32 ``(len(texts), dim)``, rows L2-normalized.
    """

    def __init__(self, inner: Encoder, directory: str | Path) -> None:
        self.inner = inner
        self.name = inner.name
        self.directory = Path(directory)
        self._connection: sqlite3.Connection | None = None
        self.hits = 0
        self.misses = 0

    def _db(self) -> sqlite3.Connection:
        if self._connection is None:
            try:
                self.directory.mkdir(parents=True, exist_ok=True)
                connection = sqlite3.connect(self.directory / CACHE_FILE, timeout=60)
                connection.execute("PRAGMA journal_mode=WAL")
                connection.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, dim INTEGER NOT NULL, "
                                   "vector BLOB NOT NULL) WITHOUT ROWID")
                connection.commit()
            except (OSError, sqlite3.Error) as exc:
                raise EncoderError(f"{self.directory}: cannot open the embedding cache ({exc})") from exc
            self._connection = connection
        return self._connection

    def _lookup(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        db = self._db()
        for start in range(0, len(keys), _LOOKUP_CHUNK):
            chunk = keys[start:start + _LOOKUP_CHUNK]
            marks = ",".join("?" * len(chunk))
            for key, dim, blob in db.execute(f"SELECT key, dim, vector FROM vectors WHERE key IN ({marks})", chunk):
                found[key] = np.frombuffer(blob, dtype=np.float32, count=dim)
        return found

    def _store(self, rows: list[tuple[str, np.ndarray]]) -> None:
        db = self._db()
        try:
            with db:
                db.executemany("INSERT OR REPLACE INTO vectors (key, dim, vector) VALUES (?, ?, ?)",
                               [(key, int(v.shape[0]), np.ascontiguousarray(v, np.float32).tobytes())
                                for key, v in rows])
        except sqlite3.Error as exc:
            raise EncoderError(f"{self.directory}: cannot write the embedding cache ({exc})") from exc

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return self.inner.encode([])
        unique = list(dict.fromkeys(texts))
        keys = {text: text_key(self.name, text) for text in unique}
        vectors = self._lookup(list(keys.values()))
        missing = [text for text in unique if keys[text] not in vectors]
        self.hits += len(unique) - len(missing)
        self.misses += len(missing)
        if missing:
            fresh = self.inner.encode(missing)
            rows = [(keys[text], vector) for text, vector in zip(missing, fresh, strict=True)]
            self._store(rows)
            vectors.update(rows)
        return np.stack([vectors[keys[text]] for text in texts]).astype(np.float32, copy=False)

    def lookup(self, kind: str, texts: Sequence[str]) -> dict[int, np.ndarray]:
        """The rows stored for ``texts`` under ``kind`` (see :meth:`memoized`), by their index in ``texts``."""
        keys = [text_key(f"{self.name}/{kind}", text) for text in texts]
        found = self._lookup(list(dict.fromkeys(keys)))
        out = {k: found[key] for k, key in enumerate(keys) if key in found}
        self.hits += len(out)
        self.misses += len(texts) - len(out)
        return out

    def store(self, kind: str, texts: Sequence[str], rows: np.ndarray) -> None:
        """Stores ``rows[k]`` for ``texts[k]`` under ``kind``."""
        if len(texts):
            self._store([(text_key(f"{self.name}/{kind}", text), row) for text, row in zip(texts, rows, strict=True)])

    def memoized(self, kind: str, texts: Sequence[str], compute: Callable[[list[int]], np.ndarray]) -> np.ndarray:
        """Vectors of ``texts`` that another computation than the encoder's own makes (``kind`` names it,
        and keeps its vectors apart from the encoder's): those on disk are read, ``compute(indices)``
        gives the others, which are stored. A re-run then reads exactly what the first run computed."""
        if not texts:
            return compute([])
        vectors = self.lookup(kind, texts)
        missing = [k for k in range(len(texts)) if k not in vectors]
        if missing:
            computed = compute(missing)
            self.store(kind, [texts[k] for k in missing], computed)
            vectors.update(zip(missing, computed, strict=True))
        return np.stack([vectors[k] for k in range(len(texts))]).astype(np.float32, copy=False)

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
