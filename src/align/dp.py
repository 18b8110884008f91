"""Stage 3: n-m alignment of two embedded segment sequences by banded dynamic programming.

The aligner never sees text or an encoder, only unit vectors (one per segment) and paragraph ids,
so it works with any encoder.

How it scores. A bead joining the English run ``a`` and the Arabic run ``b`` scores
``cos(sum(a), sum(b)) - cost``: the embedding of a run is approximated by the sum of its
sentences' embeddings, so a merge of any size costs one dot product instead of one more pass of the
encoder. Merging an unrelated sentence into a bead lowers that cosine (roughly by 1/sqrt(2)), and
merging the missing half of a translation raises it, so one rule serves both deletions and merges
of up to ``max_merge`` sentences: a merge is taken when the similarity rises, and a sentence is left
unmatched when adding it would make the similarity fall by more than the skip cost.

All costs are relative to the document's own similarity distribution (``DocStats``): the median
similarity of random pairs and the median similarity of each sentence's best partner. That makes
the thresholds portable across encoders whose cosines live on different scales.

Time and memory are linear in the document length: a cheap first pass (1-1 beads and skips, run
on block averages when the document is long) finds an anchor path, and the full search runs in a
band around it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import NamedTuple

import numpy as np

NEG = -1e18
_CHUNK_CELLS = 20_000  # bead scores (band cells x bead types) computed together (memory: ~16 bytes each); kept
# small enough that the arrays of every type at once stay in the allocator's reuse and the cache
# The forward pass goes cell by cell in Python where that is cheaper than a row at a time in numpy:
# a row costs about _ROW_CALLS cells' worth of Python work in array-call overhead, whatever its
# width; a cell costs about one unit per bead type plus _CELL_CALLS.
_ROW_CALLS = 40
_CELL_CALLS = 4
PARAGRAPH_MODES = ("auto", "on", "off")


@dataclass(frozen=True)
class AlignConfig:
    """Knobs of the aligner. Costs are fractions of the document's similarity spread."""

    max_merge: int = 10  # longest run on one side of a bead whose other side is one segment
    many_to_many: tuple[tuple[int, int], ...] = ((2, 2), (2, 3), (3, 2), (3, 3))
    pair_threshold: float = 0.30  # theta = random + pair_threshold * spread
    skip_cost: float = 0.10  # delta, paid by every unmatched segment
    merge_cost: float = 0.02  # paid for each segment beyond the first on each side of a bead
    length_power: float = 0.0  # run vectors weight each sentence by (characters ** length_power)
    detach_gain: float = 0.05  # second pass: an edge segment leaves a bead if the bead's real
    # similarity without it rises by this share of the spread; negative turns it off
    detach_length: float = 0.4  # ... counting this weight times the removal's drop in
    # |log(length ratio / usual ratio)| as a rise too
    pair_gaps: bool = True  # second pass: one lone segment on each side of a mid-document gap pair up
    attach_margin: float = 0.0  # second pass: an unmatched segment joins a neighbour bead if its
    # real similarity falls by at most this share of the spread; negative turns the pass off
    length_weight: float = 0.0  # Gale-Church-style length term: this share of the spread times
    # (z^2 - 1) / 2, z = the bead's log length ratio against the document's own, in its own spread
    length_refit: int = 0  # flat search: realign this many times with the length spread measured
    # over the previous alignment's beads (mutual best partners misjudge it in a loose translation)
    # Paragraph level. Every bead pays theta + 2 * skip, so a merge saves that much over two beads:
    # with weak similarities (a classical original) only a merge cost of the order of the spread
    # keeps paragraph pairs 1-1; a low threshold keeps weak but real pairs.
    paragraph_threshold: float = -0.5  # theta at paragraph level, like pair_threshold
    paragraph_merge_cost: float = 1.0  # cost of each paragraph beyond the first in a bead
    paragraph_skip_cost: float = 0.1  # cost of an unmatched paragraph
    paragraph_length_weight: float = 1.0  # the length term's weight
    paragraphs: str = "auto"  # align paragraphs first: on, off, or auto (when both sides' correspond)
    paragraph_ratio: float = 0.67  # auto: the smaller paragraph count is at least this share of the larger
    paragraph_trust: float = 0.8  # auto: at least this share of paragraphs sits in 1-1 paragraph beads
    paragraph_inner_threshold: float = -0.5  # pair_threshold inside an aligned paragraph bead
    paragraph_inner_skip: float = 0.3  # skip_cost inside an aligned paragraph bead
    paragraph_attach_margin: float = 0.5  # second pass, paragraphs first: added to attach_margin inside
    # an aligned paragraph bead
    paragraph_max_merge: int = 24  # merge limit inside a paragraph bead whose other side is one segment
    # Flat search with very unequal segment counts (one side sets out as several sentences what the
    # other says in one, as a loose literary translation does): merges are the rule and almost
    # nothing is left out, so pairs need less similarity, leaving a segment out costs more, and
    # lengths (measured again over a first alignment) place the merge boundaries.
    uneven_ratio: float = 1.4  # the larger count is at least this multiple of the smaller; 0: never
    uneven_threshold: float = -1.0  # pair_threshold then
    uneven_skip: float = 0.3  # skip_cost then
    uneven_length_weight: float = 0.3  # length_weight then, with length_refit 1
    uneven_length_power: float = 0.5  # length_power then
    uneven_attach_margin: float = 0.0  # attach_margin then; 0.5 gains 0.06 strict F1 on the Qur'an
    # set but absorbs untranslated English boilerplate (pairs/reference) into neighbouring beads
    uneven_hub: float = 0.75  # hub_weight then
    uneven_edge: float = 0.5  # edge_weight then
    uneven_detach: float = 0.1  # detach_gain then. The first pass places merge boundaries better than
    # the joined text's real similarity does (Qur'an set: off 0.82, 0.1 0.78, 0.05 0.76 strict F1), but the
    # reference pair in lines mode needs a detach of at most 0.1 to leave its English boilerplate out
    # Bead scoring refinements (flat search; 0 turns each off).
    hub_weight: float = 0.0  # each similarity less this share of both segments' hub levels (the mean
    # of their hub_k best similarities in the band, centred on the document's mean level): CSLS, so a
    # segment that resembles everything near it (a long verse, a stock formula) pulls less
    hub_k: int = 4
    edge_weight: float = 0.0  # this share of the spread times the similarities of a bead's first and
    # last segment on the many-sentence side with the opening and closing words of the first and last
    # segment on the other side (less the random level): where a merge boundary falls
    band: int = 8  # half-width added around the anchor path, on top of max_merge
    coarse_cells: int = 4_000_000  # above this many cells the first pass runs on block averages

    def bead_types(self) -> list[tuple[int, int]]:
        types = [(1, 0), (1, 1)]
        types += [(a, 1) for a in range(2, self.max_merge + 1)]
        types += [(1, b) for b in range(2, self.max_merge + 1)]
        types += [t for t in self.many_to_many if max(t) <= self.max_merge]
        return types

    def allows(self, en_count: int, ar_count: int) -> bool:
        """Whether a bead of this shape (both sides non-empty) is one the aligner may produce."""
        return (en_count, ar_count) in self.bead_types()

    def __post_init__(self) -> None:
        if self.paragraphs not in PARAGRAPH_MODES:
            raise ValueError(f"paragraphs must be one of {PARAGRAPH_MODES}, not {self.paragraphs!r}")

    def _paragraph_signature(self) -> str:
        if self.paragraphs == "off":
            return "off"
        auto = f"{self.paragraph_ratio:g}/{self.paragraph_trust:g}" if self.paragraphs == "auto" else ""
        costs = (f"{self.paragraph_threshold:g},{self.paragraph_merge_cost:g},{self.paragraph_skip_cost:g},"
                 f"{self.paragraph_length_weight:g}/{self.paragraph_inner_threshold:g},{self.paragraph_inner_skip:g}")
        return f"{self.paragraphs}{auto}/m{self.paragraph_max_merge}/{costs}/a{self.paragraph_attach_margin:g}"

    def signature(self) -> tuple[tuple[str, str], ...]:
        mm = ",".join(f"{a}{b}" for a, b in self.many_to_many)
        return (
            ("merge", f"1-{self.max_merge}+{mm}"),
            ("theta", f"{self.pair_threshold:g}"),
            ("skip", f"{self.skip_cost:g}"),
            ("mcost", f"{self.merge_cost:g}"),
            ("detach", f"{self.detach_gain:g}"),
            ("attach", f"{self.attach_margin:g}"),
            ("gaps", "pair" if self.pair_gaps else "keep"),
            ("paras", self._paragraph_signature()),
        ) + ((("lenpow", f"{self.length_power:g}"),) if self.length_power else ()) \
          + ((("lenw", f"{self.length_weight:g}"),) if self.length_weight else ()) \
          + ((("lenrefit", str(self.length_refit)),) if self.length_refit and self.length_weight else ()) \
          + ((("detachlen", f"{self.detach_length:g}"),) if self.detach_length else ()) \
          + ((("hub", f"{self.hub_weight:g}/{self.hub_k}"),) if self.hub_weight else ()) \
          + ((("edge", f"{self.edge_weight:g}"),) if self.edge_weight else ()) \
          + ((("uneven", f"{self.uneven_ratio:g}/{self.uneven_threshold:g},{self.uneven_skip:g},"
                          f"{self.uneven_length_weight:g},{self.uneven_length_power:g},{self.uneven_attach_margin:g},"
                          f"{self.uneven_hub:g}/{self.hub_k},{self.uneven_edge:g},{self.uneven_detach:g}"),)
             if self.uneven_ratio else ())

    def uneven(self, n: int, m: int) -> bool:
        """Whether a flat search over ``n`` and ``m`` segments takes the uneven settings."""
        return bool(self.uneven_ratio) and min(n, m) > 0 and max(n, m) >= self.uneven_ratio * min(n, m)

    def for_flat(self, n: int, m: int) -> AlignConfig:
        """The settings of a flat search over ``n`` and ``m`` segments (see ``uneven_ratio``)."""
        if not self.uneven(n, m):
            return self
        return replace(self, pair_threshold=self.uneven_threshold, skip_cost=self.uneven_skip,
                       length_weight=self.uneven_length_weight, length_refit=max(self.length_refit, 1),
                       length_power=self.uneven_length_power, attach_margin=self.uneven_attach_margin,
                       hub_weight=self.uneven_hub, edge_weight=self.uneven_edge, detach_gain=self.uneven_detach)


@dataclass(frozen=True)
class DocStats:
    """The document's own similarity scale."""

    random: float  # median cosine of unrelated pairs
    best: float  # median cosine of each segment with its best partner
    # (English position, Arabic position of its most similar segment) for a sample of English rows
    best_partners: tuple[tuple[int, int], ...] = ()

    @property
    def spread(self) -> float:
        # A floor keeps costs meaningful when a pair is degenerate (e.g. one segment a side).
        return max(self.best - self.random, 0.05)


class PositionBead(NamedTuple):
    """A bead as positions into the two aligned sequences (not segment ids), and its similarity.

    The aligner and the second pass (:mod:`align.refine`) work on positions; the pipeline turns
    them into :class:`align.model.Bead` over segment ids. ``score`` is 0.0 for a 1-0/0-1 bead and
    for a candidate not yet embedded.
    """

    en: tuple[int, ...]
    ar: tuple[int, ...]
    score: float = 0.0

    @property
    def aligned(self) -> bool:
        """Whether both sides are present."""
        return bool(self.en and self.ar)


@dataclass(frozen=True)
class Alignment:
    """Beads as positions into the two input arrays, with the approximate similarity of each."""

    beads: tuple[PositionBead, ...]
    stats: DocStats
    theta: float
    skip: float
    # With paragraphs aligned first: the paragraph bead (block) of each English and Arabic position;
    # the second pass moves a segment only within its block. Empty for the flat search.
    en_blocks: tuple[int, ...] = ()
    ar_blocks: tuple[int, ...] = ()
    uneven: bool = False  # the flat search took the uneven settings (AlignConfig.uneven_ratio)

    @property
    def paragraph_path(self) -> bool:
        """Whether paragraphs were aligned first."""
        return bool(self.en_blocks or self.ar_blocks)


@dataclass(frozen=True)
class LengthModel:
    """Gale-Church-style length evidence, with the document's own length ratio and spread.

    ``z`` is the bead's ``log((ar + k) / (en + k))`` (characters, ``k`` damps short segments) less
    ``ratio``, over ``sigma``; the score changes by ``weight * (1 - min(z^2, 4)) / 2``, so a bead of
    the usual ratio gains a little and one far from it loses up to ``1.5 * weight`` (capped: one
    odd length must not outweigh clear similarity).
    """

    ratio: float  # log(Arabic characters / English characters) of the whole document
    sigma: float  # spread of that log ratio over confident 1-1 pairs (robust), floored
    weight: float  # in similarity units (a share of the document's spread)
    damping: float = 20.0

    def bonus(self, en_chars: np.ndarray | float, ar_chars: np.ndarray | float) -> np.ndarray:
        z = (np.log((np.asarray(ar_chars, float) + self.damping) / (np.asarray(en_chars, float) + self.damping))
             - self.ratio) / self.sigma
        return np.asarray(self.weight * (1.0 - np.minimum(z * z, 4.0)) / 2.0, dtype=np.float64)


def length_model(en: np.ndarray, ar: np.ndarray, en_chars: np.ndarray, ar_chars: np.ndarray,
                 weight: float, floor: float = 0.1) -> LengthModel:
    """The document's length ratio (totals) and its spread over mutual best-partner pairs.

    Mutual best partners are mostly true 1-1 pairs in a literal translation; in a loose one they
    are fragments of merges whose ratios scatter, so the spread grows and the term weakens.
    """
    ratio = float(np.log(max(float(ar_chars.sum()), 1.0) / max(float(en_chars.sum()), 1.0)))
    rows = np.linspace(0, len(en) - 1, min(len(en), 400)).astype(int)
    best_ar = (en[rows] @ ar.T).argmax(axis=1)
    back = (ar[best_ar] @ en.T).argmax(axis=1)
    mutual = back == rows
    if mutual.sum() < 5:
        return LengthModel(ratio, 1.0, weight)
    logs = np.log((ar_chars[best_ar[mutual]] + 20.0) / (en_chars[rows[mutual]] + 20.0)) - ratio
    sigma = 1.4826 * float(np.median(np.abs(logs - np.median(logs))))
    return LengthModel(ratio, max(sigma, floor), weight)


def refit_length(model: LengthModel, beads: list[PositionBead], en_chars: np.ndarray, ar_chars: np.ndarray,
                 floor: float = 0.05) -> LengthModel:
    """``model`` with its centre and spread measured over ``beads`` that pair both sides.

    An alignment's beads are whole translation units, merges included, so their length ratios
    scatter far less than those of mutual best partners, which in a loose translation are often
    one sentence of a merge.
    """
    paired = [b for b in beads if b.aligned]
    if len(paired) < 5:
        return model
    logs = np.log(np.array([(ar_chars[list(b.ar)].sum() + model.damping) / (en_chars[list(b.en)].sum() + model.damping)
                            for b in paired]))
    centre = float(np.median(logs))
    sigma = 1.4826 * float(np.median(np.abs(logs - centre)))
    return replace(model, ratio=centre, sigma=max(sigma, floor))


def _unit_rows(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return (x / np.where(norms > 0, norms, 1.0)).astype(np.float32)


def document_stats(en: np.ndarray, ar: np.ndarray, sample: int = 400) -> DocStats:
    """Estimate the random and best-partner similarity levels in time linear in the length."""
    n, m = len(en), len(ar)
    rows = np.linspace(0, n - 1, min(n, sample)).astype(int)
    cols = np.linspace(0, m - 1, min(m, sample)).astype(int)
    row_sims = en[rows] @ ar.T
    best_en = row_sims.max(axis=1)
    best_ar = (ar[cols] @ en.T).max(axis=1)
    sims = en[rows] @ ar[cols].T
    random = float(np.median(sims)) if sims.size > 1 else 0.0
    best = float(np.median(np.concatenate([best_en, best_ar])))
    partners = tuple(zip(rows.tolist(), row_sims.argmax(axis=1).tolist(), strict=True))
    return DocStats(random=random, best=best, best_partners=partners)


def _run_norms(x: np.ndarray, longest: int, weights: np.ndarray | None) -> np.ndarray:
    """``norms[k, s]`` = norm of the weighted sum of ``x[s:s+k]`` (row 0 unused; 1.0 past a row's
    last start), one table so that many (k, s) pairs are read in one look-up."""
    if weights is not None:
        x = x * weights[:, None]
    total = x.astype(np.float64)
    norms = np.ones((longest + 1, len(x)))
    for k in range(1, longest + 1):
        if k > 1:
            total = total[:-1] + x[k - 1:]
        # np.linalg.norm(total, axis=1) spelled out (its own code for real rows), without its
        # argument handling: a block's setup calls this a few times per run length.
        norms[k, :len(total)] = np.maximum(np.sqrt(np.add.reduce(total * total, axis=1)), 1e-9)
    return norms


def _band_columns(n: int, m: int, lo: np.ndarray, hi: np.ndarray, longest_en: int,
                  longest_ar: int) -> tuple[np.ndarray, np.ndarray]:
    """First and past-last Arabic column that beads using English row ``r`` can reach, for every row."""
    rows = np.arange(n)
    # Beads using English row r end on grid rows r+1 .. r+longest_en.
    starts = np.maximum(0, lo[rows + 1] - longest_ar).astype(int)
    ends = np.maximum(starts, np.minimum(m, hi[np.minimum(n, rows + longest_en)])).astype(int)
    return starts, ends


@dataclass(frozen=True)
class Hubs:
    """CSLS offsets: each segment's hub level (mean of its ``k`` best similarities inside the band),
    times the hub weight, less that weight times the side's mean level, so the offsets average zero."""

    en: np.ndarray
    ar: np.ndarray


def hub_offsets(en: np.ndarray, ar: np.ndarray, starts: np.ndarray, ends: np.ndarray, k: int,
                weight: float) -> Hubs:
    """The :class:`Hubs` of unit vectors ``en`` and ``ar`` over the band ``starts``/``ends`` (linear
    in the length: only band cells are compared, and each column keeps its ``k`` best)."""
    n, m = len(en), len(ar)
    row_level = np.zeros(n)
    column_best = np.full((m, k), -np.inf)
    for r in range(n):
        c0, c1 = int(starts[r]), int(ends[r])
        sims = (ar[c0:c1] @ en[r]).astype(np.float64)
        if len(sims):
            row_level[r] = np.sort(sims)[-k:].mean()
            merged = np.concatenate([column_best[c0:c1], sims[:, None]], axis=1)
            column_best[c0:c1] = np.sort(merged, axis=1)[:, 1:]
    finite = np.isfinite(column_best)
    column_level = np.where(finite, column_best, 0.0).sum(axis=1) / np.maximum(finite.sum(axis=1), 1)
    return Hubs(weight * (row_level - row_level.mean()), weight * (column_level - column_level.mean()))


def _flat_rows(rows: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows of different lengths one after another in one float64 array: ``(flat, offset, length)``,
    row ``r`` being ``flat[offset[r]:offset[r] + length[r]]``, so that many rows are read in one look-up."""
    length = np.array([len(row) for row in rows], int)
    offset = np.concatenate([[0], np.cumsum(length)[:-1]]).astype(int)
    flat = np.concatenate(rows).astype(np.float64, copy=False) if rows else np.zeros(0)
    return flat, offset, length


class _RowSums:
    """Cumulative sums, along each English row, of the weighted similarities inside the band.

    The cosine of two run sums is a block sum of the similarity matrix divided by the two run
    norms, so each bead score needs only a few scalar look-ups here instead of new vectors. With
    ``hubs`` each similarity first loses both segments' hub offsets (weighted like it). The rows'
    sums lie one after another in one flat array, so many rows are read in one look-up.
    """

    def __init__(self, en: np.ndarray, ar: np.ndarray, starts: np.ndarray, ends: np.ndarray,
                 hubs: Hubs | None = None, en_weights: np.ndarray | None = None,
                 ar_weights: np.ndarray | None = None) -> None:
        n, m = len(en), len(ar)
        self.start = starts
        ew = np.ones(n) if en_weights is None else en_weights
        aw = np.ones(m) if ar_weights is None else ar_weights
        cums: list[np.ndarray] = []
        for r in range(n):
            c0, c1 = int(starts[r]), int(ends[r])
            # One product per row, as before vectorising: a batched product may round differently.
            row = ar[c0:c1] @ en[r]
            if hubs is not None:
                row = row - ew[r] * aw[c0:c1] * (hubs.en[r] + hubs.ar[c0:c1])
            cums.append(np.concatenate([[0.0], np.cumsum(row, dtype=np.float64)]))
        self.flat, self.offset, self.length = _flat_rows(cums)

    def block(self, r: np.ndarray, ends: np.ndarray, width: int | np.ndarray) -> np.ndarray:
        """Sum of row ``r[k]``'s similarities over columns ``ends[k]-width .. ends[k]-1`` for each ``k``."""
        last = self.length[r] - 1
        top = np.minimum(np.maximum(ends - self.start[r], 0), last)
        bottom = np.minimum(np.maximum(top - width, 0), last)
        base = self.offset[r]
        return np.asarray(self.flat[base + top] - self.flat[base + bottom], dtype=np.float64)


class _BandCells:
    """The band's cells row after row in flat arrays: row ``i`` holds cells ``first[i]:first[i+1]``,
    columns ``lo[i]..hi[i]``; ``row`` and ``col`` give each cell's coordinates."""

    def __init__(self, lo: np.ndarray, hi: np.ndarray) -> None:
        self.lo = np.asarray(lo, int)
        self.width = np.maximum(np.asarray(hi, int) - self.lo + 1, 0)
        self.first = np.concatenate([[0], np.cumsum(self.width)]).astype(int)
        self.total = int(self.first[-1])
        self.row = np.repeat(np.arange(len(self.lo)), self.width)
        self.col = np.arange(self.total) - self.first[self.row] + self.lo[self.row]

    def index(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Flat index of cell (``rows[k]``, ``cols[k]``), or ``total`` (a cell outside the band)."""
        safe = np.maximum(rows, 0)
        pos = cols - self.lo[safe]
        inside = (rows >= 0) & (pos >= 0) & (pos < self.width[safe])
        return np.where(inside, self.first[safe] + pos, self.total)


def _chunks(first: np.ndarray, cells: int) -> list[tuple[int, int]]:
    """Consecutive row ranges ``(r0, r1)`` of about ``cells`` band cells each (at least one row)."""
    ranges = []
    r0, rows = 0, len(first) - 1
    while r0 < rows:
        r1 = max(r0 + 1, int(np.searchsorted(first, first[r0] + cells, side="right")) - 1)
        r1 = min(r1, rows)
        ranges.append((r0, r1))
        r0 = r1
    return ranges


@dataclass(frozen=True)
class EdgeVectors:
    """Unit vectors of the opening and closing words of every segment on one side (``en`` or ``ar``)."""

    side: str
    heads: np.ndarray
    tails: np.ndarray


EdgeSource = Callable[[str], EdgeVectors]  # the EdgeVectors of side "en" or "ar", made on demand


@dataclass(frozen=True)
class EdgeTerm:
    """The edge evidence of one search: the vectors, their weight and the document's random level."""

    vectors: EdgeVectors
    weight: float  # in similarity units
    random: float


class _EdgeSims:
    """For every English row, inside its band: the similarity of the pair (English row, Arabic
    column) where one of the two is taken as its opening words (``first``) or closing words (``last``),
    namely the one on ``edges.side``. Rows lie one after another in flat arrays, as in ``_RowSums``."""

    def __init__(self, en: np.ndarray, ar: np.ndarray, edges: EdgeVectors, starts: np.ndarray,
                 ends: np.ndarray) -> None:
        self.start = starts
        first: list[np.ndarray] = []
        last: list[np.ndarray] = []
        for r in range(len(en)):
            c0, c1 = int(starts[r]), int(ends[r])
            if edges.side == "ar":
                first.append(edges.heads[c0:c1] @ en[r])
                last.append(edges.tails[c0:c1] @ en[r])
            else:
                first.append(ar[c0:c1] @ edges.heads[r])
                last.append(ar[c0:c1] @ edges.tails[r])
        self.first, self.offset, self.length = _flat_rows(first)
        self.last = _flat_rows(last)[0]  # rows as long as ``first``'s

    def _at(self, flat: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Row ``rows[k]``'s value at column ``cols[k]`` (the row's nearest end outside it; 0 in an empty row)."""
        length = self.length[rows]
        pos = np.minimum(np.maximum(cols - self.start[rows], 0), np.maximum(length - 1, 0))
        values = flat[np.minimum(self.offset[rows] + pos, max(len(flat) - 1, 0))] if len(flat) else np.zeros(len(rows))
        return np.where(length > 0, values, 0.0)

    def pair(self, first_rows: np.ndarray, last_rows: np.ndarray, first_cols: np.ndarray,
             last_cols: np.ndarray) -> np.ndarray:
        """``first`` similarity of (first_rows, first_cols) plus ``last`` similarity of (last_rows, last_cols)."""
        return np.asarray(self._at(self.first, first_rows, first_cols) + self._at(self.last, last_rows, last_cols))


def _runs_in_paragraph(paragraphs: np.ndarray, longest: int) -> np.ndarray:
    """``ok[k, s]``: the run ``s..s+k-1`` lies inside one paragraph (False past a row's last start)."""
    ok = np.zeros((longest + 1, len(paragraphs)), bool)
    for k in range(1, longest + 1):
        ok[k, :len(paragraphs) - k + 1] = paragraphs[k - 1:] == paragraphs[: len(paragraphs) - k + 1]
    return ok


def has_paragraphs(paragraphs: np.ndarray) -> bool:
    """Whether paragraphs group sentences at all (not one per segment, not one in all)."""
    count = len(np.unique(paragraphs))
    return 1 < count < len(paragraphs)


def paragraphs_to_align(en_paragraphs: np.ndarray, ar_paragraphs: np.ndarray) -> bool:
    """Whether both sides have several paragraphs and at least one side groups sentences in them
    (with one sentence per paragraph on both sides, aligning paragraphs is the flat search)."""
    en_count, ar_count = len(np.unique(en_paragraphs)), len(np.unique(ar_paragraphs))
    grouped = en_count < len(en_paragraphs) or ar_count < len(ar_paragraphs)
    return en_count > 1 and ar_count > 1 and grouped


def _skip_dp(sim: np.ndarray, theta: float, skip: float) -> list[tuple[int, int]]:
    """1-1/1-0/0-1 alignment over a full similarity matrix; returns matched (i, j) positions."""
    n, m = sim.shape
    score = np.full((n + 1, m + 1), NEG)
    move = np.zeros((n + 1, m + 1), np.int8)  # 0 from left, 1 from above, 2 diagonal
    cols = np.arange(m + 1)
    score[0] = -skip * cols
    lift = skip * cols
    diagonal = np.full(m + 1, NEG)  # column 0 has no diagonal predecessor; the rest is rewritten per row
    for i in range(1, n + 1):
        best = score[i - 1] - skip
        diagonal[1:] = score[i - 1, :-1] + sim[i - 1] - theta - 2 * skip
        take = diagonal > best
        best = np.where(take, diagonal, best)
        lifted = best + lift
        carried = np.maximum.accumulate(lifted)
        from_left = carried > lifted  # the earlier cells' maximum beats this one (see _forward_by_row)
        score[i] = np.where(from_left, carried - lift, best)
        move[i] = np.where(from_left, 0, np.where(take, 2, 1))
    pairs = []
    i, j = n, m
    while i > 0 or j > 0:
        step = move[i, j] if i > 0 else 0
        if step == 2:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif step == 1:
            i -= 1
        else:
            j -= 1
    return pairs[::-1]


def _block_means(x: np.ndarray, k: int) -> np.ndarray:
    blocks = [x[s:s + k].sum(axis=0) for s in range(0, len(x), k)]
    return _unit_rows(np.stack(blocks))


def anchor_path(en: np.ndarray, ar: np.ndarray, theta: float, skip: float, cells: int) -> list[tuple[int, int]]:
    """Matched positions of a first, 1-1-only pass; block averages keep it within ``cells``."""
    n, m = len(en), len(ar)
    if n * m <= cells:
        return _skip_dp(en @ ar.T, theta, skip)
    k = int(np.ceil(np.sqrt(n * m / cells)))
    coarse = anchor_path(_block_means(en, k), _block_means(ar, k), theta, skip, cells)
    # Each coarse match stands for its k x k block: anchor the block's diagonal.
    anchors = []
    for bi, bj in coarse:
        for t in range(k):
            i, j = bi * k + t, bj * k + t
            if i < n and j < m:
                anchors.append((i, j))
    return anchors


def search_band(anchors: list[tuple[int, int]], n: int, m: int, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Column bounds ``lo[i]..hi[i]`` (inclusive) of the band for DP rows ``i = 0..n``."""
    points = np.array([(0, 0)] + [(i + 1, j + 1) for i, j in anchors] + [(n, m)], float)
    # Anchors come in path order, so rows never decrease; a row the path crosses sideways holds
    # several columns, and the band must cover all of them.
    rows, first = np.unique(points[:, 0], return_index=True)
    lowest = np.minimum.reduceat(points[:, 1], first)
    highest = np.maximum.reduceat(points[:, 1], first)
    grid = np.arange(n + 1)
    low = np.interp(grid, rows, lowest)
    high = np.interp(grid, rows, highest)
    # Rows skipped by the path (en deletions) must still reach the columns around them.
    low = np.minimum(low, np.concatenate([[0], high[:-1]]))
    lo = np.clip(np.floor(low) - width, 0, m).astype(int)
    hi = np.clip(np.ceil(high) + width, 0, m).astype(int)
    lo = np.minimum.accumulate(lo[::-1])[::-1]  # monotone: never more left than a later row
    hi = np.maximum.accumulate(hi)
    lo[0], hi[-1] = 0, m
    return lo, hi


@dataclass(frozen=True)
class _TypePlan:
    """The bead types a block can hold, as arrays, so that every type is scored at once: the shapes
    (``a``, ``b``: columns), the types with Arabic (``with_ar``, their shapes ``with_ar_a``/``with_ar_b``),
    and how their numerators are built: one row per (English row ``a`` back, Arabic width ``b``)
    (``stack_a``, ``stack_b``), every ``b``'s depths 1..deepest in order; summed down each run of
    rows of one ``b`` (``runs``), row ``numerator_rows[k]`` is the ``k``-th type's numerator."""

    types: tuple[tuple[int, int], ...]
    a: np.ndarray
    b: np.ndarray
    with_ar: np.ndarray
    with_ar_a: np.ndarray
    with_ar_b: np.ndarray
    stack_a: np.ndarray
    stack_b: np.ndarray
    runs: list[tuple[int, int]]
    numerator_rows: np.ndarray


@functools.lru_cache(maxsize=256)
def _type_plan(max_merge: int, many_to_many: tuple[tuple[int, int], ...], n: int, m: int) -> _TypePlan:
    """The :class:`_TypePlan` of an ``n`` x ``m`` block (the same for every block of that size, so
    it is made once). Shapes longer than a whole side can never occur; dropping them keeps every
    index valid."""
    types = tuple((a, b) for a, b in AlignConfig(max_merge=max_merge, many_to_many=many_to_many).bead_types()
                  if a <= n and b <= m)
    with_ar = [t for t, (_, b) in enumerate(types) if b]
    deepest: dict[int, int] = {}  # for each Arabic width, the longest English side of a type with it
    for a, b in types:
        if b:
            deepest[b] = max(deepest.get(b, 0), a)
    stack = [(a, b) for b in sorted(deepest) for a in range(1, deepest[b] + 1)]
    start = {b: stack.index((1, b)) for b in deepest}
    shapes, stacked = np.array(types), np.array(stack, int).reshape(-1, 2)
    return _TypePlan(
        types=types, a=_frozen(shapes[:, :1]), b=_frozen(shapes[:, 1:]), with_ar=_frozen(np.array(with_ar, int)),
        with_ar_a=_frozen(shapes[with_ar, :1]), with_ar_b=_frozen(shapes[with_ar, 1:]),
        stack_a=_frozen(stacked[:, :1]), stack_b=_frozen(stacked[:, 1:]),
        runs=[(start[b], start[b] + deepest[b]) for b in sorted(deepest) if deepest[b] > 1],
        numerator_rows=_frozen(np.array([start[b] + a - 1 for a, b in types if b], int)))


def _frozen(array: np.ndarray) -> np.ndarray:
    """``array`` made read-only: a cached plan's arrays are shared by every block of its size."""
    array.flags.writeable = False
    return array


class _BandedAligner:
    """The full n-m search inside a band. One instance aligns one document pair.

    The forward pass works a row at a time (a row's beads end there and start on earlier rows),
    but everything that does not depend on earlier rows' scores, the bead scores and where each
    bead's predecessor lies, is computed ahead for many rows and every bead type at once; a row
    then costs a handful of array operations whatever the number of bead types. A band so narrow
    that those operations would cost more in per-call overhead than its cells (the small blocks
    inside paragraph beads) is filled cell by cell in plain Python instead, with the same arithmetic.
    """

    def __init__(self, en: np.ndarray, ar: np.ndarray, en_par: np.ndarray, ar_par: np.ndarray,
                 config: AlignConfig, theta: float, skip: float, spread: float,
                 en_weights: np.ndarray | None = None, ar_weights: np.ndarray | None = None,
                 length: tuple[LengthModel, np.ndarray, np.ndarray] | None = None,
                 keep_paragraphs: bool | None = None, edges: EdgeTerm | None = None) -> None:
        self.n, self.m = len(en), len(ar)
        self.unit_en, self.unit_ar = en, ar
        self.en_weights, self.ar_weights = en_weights, ar_weights
        self.hub_weight, self.hub_k = config.hub_weight, config.hub_k
        self.edges = edges
        self.edge_sims: _EdgeSims | None = None
        self.length = length[0] if length else None
        # Cumulative characters, so a run's length is one subtraction.
        self.en_cum = np.concatenate([[0.0], np.cumsum(length[1], dtype=np.float64)]) if length else None
        self.ar_cum = np.concatenate([[0.0], np.cumsum(length[2], dtype=np.float64)]) if length else None
        cap = config.max_merge  # no shape is longer: larger blocks share one plan
        plan = _type_plan(config.max_merge, config.many_to_many, min(self.n, cap), min(self.m, cap))
        self.types, self.plan = plan.types, plan
        self.longest_en = max(a for a, _ in self.types)
        self.longest_ar = max(max(b for _, b in self.types), 1)
        self.en = en if en_weights is None else en * en_weights[:, None].astype(np.float32)
        self.ar = ar if ar_weights is None else ar * ar_weights[:, None].astype(np.float32)
        self.en_norms = _run_norms(en, self.longest_en, en_weights)
        self.ar_norms = _run_norms(ar, self.longest_ar, ar_weights)
        use_paragraphs = has_paragraphs(en_par) and has_paragraphs(ar_par) if keep_paragraphs is None \
            else keep_paragraphs
        self.en_ok = _runs_in_paragraph(en_par, self.longest_en) if use_paragraphs else None
        self.ar_ok = _runs_in_paragraph(ar_par, self.longest_ar) if use_paragraphs else None
        self.skip = skip
        # A 1-1 bead beats leaving both segments unmatched exactly when its similarity exceeds theta.
        self.cut = theta + 2 * skip
        self.penalty = {t: config.merge_cost * spread * (t[0] + t[1] - 2) for t in self.types}
        self.with_ar_penalty = np.array([self.penalty[t] for t in self.types if t[1]])[:, None]

    def _bead_scores(self, i: np.ndarray, cols: np.ndarray, numerators: np.ndarray) -> np.ndarray:
        """Score of every bead type with Arabic (``with_ar``, rows) ending at each cell ``(i[k], cols[k])``
        (columns): the bead (en ``i-a..i-1``, ar ``j-b..j-1``), NEG where no such bead exists.
        ``numerators`` are the beads' block sums of similarities. Element by element the arithmetic is
        the one a type at a time would do, so the scores are the same to the last bit."""
        a, b = self.plan.with_ar_a, self.plan.with_ar_b
        first = np.maximum(i - a, 0)
        start = cols - b
        valid = (i - a >= 0) & (start >= 0) & (start <= self.m - b)
        safe = np.minimum(np.maximum(start, 0), self.m - b)
        # Positions in the flattened (run length, start) tables: one index serves two tables, and a
        # look-up by one index array is about twice as fast as by a broadcast pair.
        en_at, ar_at = a * self.n + first, b * self.m + safe
        if self.en_ok is not None:
            valid &= self.en_ok.ravel()[en_at]
        if self.ar_ok is not None:
            valid &= self.ar_ok.ravel()[ar_at]
        sims = numerators / (self.en_norms.ravel()[en_at] * self.ar_norms.ravel()[ar_at])
        score = sims - self.cut - self.with_ar_penalty
        if self.length is not None and self.en_cum is not None and self.ar_cum is not None:
            en_chars = self.en_cum[i] - self.en_cum[first]
            ar_chars = self.ar_cum[safe + b] - self.ar_cum[safe]
            score = score + self.length.bonus(en_chars, ar_chars)
        if self.edges is not None and self.edge_sims is not None:
            edge = self.edge_sims.pair(first, np.maximum(i - 1, 0), safe, safe + b - 1)
            score = score + self.edges.weight * (edge - 2 * self.edges.random)
        return np.where(valid, score, NEG)

    def _band_setup(self, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray, Hubs | None]:
        """The Arabic columns each English row of the band sees (``starts``/``ends``) and, when the
        hub correction is on, the segments' hub offsets over them."""
        starts, ends = _band_columns(self.n, self.m, lo, hi, self.longest_en, self.longest_ar)
        hubs = hub_offsets(self.unit_en, self.unit_ar, starts, ends, self.hub_k, self.hub_weight) \
            if self.hub_weight else None
        return starts, ends, hubs

    def run(self, lo: np.ndarray, hi: np.ndarray) -> list[tuple[int, int]]:
        """Fill the band and return the bead types along the best path, first to last."""
        starts, ends, hubs = self._band_setup(lo, hi)
        rows = _RowSums(self.en, self.ar, starts, ends, hubs, self.en_weights, self.ar_weights)
        if self.edges is not None:
            self.edge_sims = _EdgeSims(self.unit_en, self.unit_ar, self.edges.vectors, starts, ends)
        cells = _BandCells(lo, hi)
        skip_cols = self.skip * cells.col
        chunks = _chunks(cells.first, max(_CHUNK_CELLS // len(self.types), 1))
        if cells.total * (len(self.types) + _CELL_CALLS) <= _ROW_CALLS * (self.n + 1):
            return self._backtrace(self._forward_by_cell(rows, cells, chunks, skip_cols), cells)
        return self._backtrace(self._forward_by_row(rows, cells, chunks, skip_cols), cells)

    def _forward_by_row(self, rows: _RowSums, cells: _BandCells, chunks: list[tuple[int, int]],
                        skip_cols: np.ndarray) -> np.ndarray:
        """The forward pass a row at a time, every cell of the row and every bead type in one set of
        array operations: the bead type into each cell (-2: a 0-1 bead, -1: unreachable)."""
        scores = np.full(cells.total + 1, NEG)  # the extra last cell: every predecessor outside the band
        moves = np.full(cells.total, -1, np.int16)
        first = cells.first.tolist()
        for r0, r1 in chunks:
            c0, c1 = first[r0], first[r1]
            sources, gains = self._candidates(rows, cells, cells.row[c0:c1], cells.col[c0:c1])
            cell_start = np.arange(0, sources.size, sources.shape[1])  # each cell's first type, flat
            for i in range(r0, r1):
                s, e = first[i], first[i + 1]
                if s == e:
                    continue
                if i == 0:
                    best = np.where(cells.col[s:e] == 0, 0.0, NEG)
                    move = np.full(e - s, -1, np.int16)
                else:
                    # Every bead type at once; on equal scores the first type wins, as a sequential
                    # "strictly better" update over the types would decide.
                    # The best score is read at the best type: one look-up, cheaper than a second
                    # reduction over the types.
                    cand = scores[sources[s - c0:e - c0]] + gains[s - c0:e - c0]
                    move = cand.argmax(axis=1)
                    top = cand.ravel()[cell_start[:e - s] + move]
                    better = top > NEG
                    best = np.where(better, top, NEG)
                    move = np.where(better, move, -1)
                # Arabic-only segments (0-1) chain within a row: a running maximum handles them at once.
                # A cell is reached from the left when the maximum over the earlier cells beats its own
                # lifted score, which is exactly when the running maximum up to it does.
                lifted = best + skip_cols[s:e]
                carried = np.maximum.accumulate(lifted)
                from_left = carried > lifted
                scores[s:e] = np.where(from_left, carried - skip_cols[s:e], best)
                moves[s:e] = np.where(from_left, -2, move)
        return moves

    def _forward_by_cell(self, rows: _RowSums, cells: _BandCells, chunks: list[tuple[int, int]],
                         skip_cols: np.ndarray) -> list[int]:
        """The forward pass of ``_forward_by_row`` one cell at a time in Python floats, for a band so
        narrow that a row's array operations would cost more in per-call overhead than its cells
        cost here. The same additions, comparisons and tie-breaking (the first of equal types; a
        0-1 bead only when strictly better), so the same moves to the last bit."""
        scores = [NEG] * (cells.total + 1)  # the extra last cell: every predecessor outside the band
        moves = [-1] * cells.total
        first, col, skips = cells.first.tolist(), cells.col.tolist(), skip_cols.tolist()
        for r0, r1 in chunks:
            c0 = first[r0]
            sources, gains = self._candidates(rows, cells, cells.row[c0:first[r1]], cells.col[c0:first[r1]])
            cell_sources, cell_gains = sources.tolist(), gains.tolist()
            for i in range(r0, r1):
                carried = NEG  # the running maximum of best + skip over the row's earlier cells
                for c in range(first[i], first[i + 1]):
                    if i == 0:
                        best, move = (0.0 if col[c] == 0 else NEG), -1
                    else:
                        cand = [scores[k] + g for k, g in zip(cell_sources[c - c0], cell_gains[c - c0], strict=True)]
                        top = max(cand)
                        best, move = (top, cand.index(top)) if top > NEG else (NEG, -1)
                    lifted = best + skips[c]
                    if c > first[i] and carried > lifted:
                        scores[c], moves[c] = carried - skips[c], -2
                    else:
                        scores[c], moves[c] = best, move
                        carried = lifted
        return moves

    def _candidates(self, rows: _RowSums, cells: _BandCells, i: np.ndarray,
                    j: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For cells ``(i[k], j[k])`` and every bead type ``t``: the flat index of the cell the bead
        starts from (``sources[k, t]``) and the bead's score (``gains[k, t]``), all types at once.
        They are built type by type and handed over cell by cell: the forward pass reads a cell's
        types together."""
        sources = cells.index(i - self.plan.a, j - self.plan.b)
        gains = np.full(sources.shape, -self.skip)
        if len(self.plan.with_ar):
            gains[self.plan.with_ar] = self._bead_scores(i, j, self._numerators(rows, i, j))
        return np.ascontiguousarray(sources.T), np.ascontiguousarray(gains.T)

    def _numerators(self, rows: _RowSums, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Block sum over English rows ``i-a..i-1`` and Arabic columns ``j-b..j-1`` of each bead type
        with Arabic (rows, in ``with_ar`` order), built one English row at a time (nearest first: a
        running sum down the rows adds in that order, so the sums round as they always have)."""
        plan = self.plan
        sums = rows.block(np.maximum(i - plan.stack_a, 0), j, plan.stack_b)
        for r0, r1 in plan.runs:
            np.cumsum(sums[r0:r1], axis=0, out=sums[r0:r1])
        return np.asarray(sums[plan.numerator_rows])

    def _backtrace(self, moves: np.ndarray | list[int], cells: _BandCells) -> list[tuple[int, int]]:
        steps: list[tuple[int, int]] = []
        first, lo = cells.first.tolist(), cells.lo.tolist()
        i, j = self.n, self.m
        while i > 0 or j > 0:
            t = int(moves[first[i] + j - lo[i]])
            if t == -1:  # unreachable cell: cannot happen inside a connected band
                raise RuntimeError(f"aligner backtrace reached an empty cell at ({i}, {j})")
            step = (0, 1) if t == -2 else self.types[t]
            steps.append(step)
            i, j = i - step[0], j - step[1]
        return steps[::-1]

    def similarity(self, i: int, a: int, j: int, b: int) -> float:
        """Cosine of the weighted run sums of English ``i..i+a-1`` and Arabic ``j..j+b-1``."""
        dot = float(np.sum(self.en[i:i + a].sum(axis=0) * self.ar[j:j + b].sum(axis=0)))
        return dot / float(self.en_norms[a, i] * self.ar_norms[b, j])


def _length_weights(lengths: np.ndarray | None, power: float) -> np.ndarray | None:
    if lengths is None or power == 0:
        return None
    return np.asarray(np.maximum(np.asarray(lengths, float), 1.0) ** power, dtype=np.float64)


def _band(en: np.ndarray, ar: np.ndarray, theta: float, skip: float,
          config: AlignConfig) -> tuple[np.ndarray, np.ndarray]:
    """The search band (see :func:`search_band`) around the first pass's anchor path."""
    n, m = len(en), len(ar)
    width = config.band + config.max_merge
    if width >= m:
        # Every path point lies in columns 0..m, so a half-width of m already reaches every column
        # of every row: the band is the whole grid wherever the anchors lie, and the first pass
        # (most of a small block's setup) is not needed.
        return np.zeros(n + 1, int), np.full(n + 1, m, int)
    return search_band(anchor_path(en, ar, theta, skip, config.coarse_cells), n, m, width)


def _aligned_block(en: np.ndarray, ar: np.ndarray, en_par: np.ndarray, ar_par: np.ndarray, config: AlignConfig,
                   theta: float, skip: float, spread: float, en_weights: np.ndarray | None,
                   ar_weights: np.ndarray | None,
                   length: tuple[LengthModel, np.ndarray, np.ndarray] | None = None,
                   keep_paragraphs: bool | None = None, edges: EdgeTerm | None = None) -> list[PositionBead]:
    """The banded n-m search over one block (both sides non-empty); beads are block positions.

    ``keep_paragraphs`` keeps every run inside one paragraph of its side (None: when both sides
    have paragraphs)."""
    lo, hi = _band(en, ar, theta, skip, config)
    aligner = _BandedAligner(en, ar, en_par, ar_par, config, theta, skip, spread, en_weights, ar_weights, length,
                             keep_paragraphs, edges)
    beads: list[PositionBead] = []
    i = j = 0
    for a, b in aligner.run(lo, hi):
        sim = aligner.similarity(i, a, j, b) if a and b else 0.0
        beads.append(PositionBead(tuple(range(i, i + a)), tuple(range(j, j + b)), sim))
        i, j = i + a, j + b
    return beads


def _lone(n: int, m: int, i0: int = 0, j0: int = 0) -> list[PositionBead]:
    return [PositionBead((i0 + i,), ()) for i in range(n)] + [PositionBead((), (j0 + j,)) for j in range(m)]


def _paragraph_vectors(x: np.ndarray, paragraphs: np.ndarray, weights: np.ndarray | None) -> np.ndarray:
    """One unit vector per paragraph: the (weighted) sum of its sentences' vectors."""
    _, first = np.unique(paragraphs, return_index=True)
    w = x if weights is None else x * weights[:, None]
    return _unit_rows(np.add.reduceat(w.astype(np.float64), np.sort(first), axis=0))


def _paragraph_sums(values: np.ndarray, paragraphs: np.ndarray) -> np.ndarray:
    _, first = np.unique(paragraphs, return_index=True)
    return np.asarray(np.add.reduceat(np.asarray(values, float), np.sort(first)), dtype=np.float64)


def _paragraph_spans(paragraphs: np.ndarray) -> list[tuple[int, int]]:
    """``(start, end)`` positions of each paragraph's segments, in order."""
    cuts = np.flatnonzero(np.diff(paragraphs)) + 1
    starts = np.concatenate([[0], cuts]).astype(int)
    ends = np.concatenate([cuts, [len(paragraphs)]]).astype(int)
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


@dataclass(frozen=True)
class ParagraphPlan:
    """The paragraph-level alignment: beads over paragraph indices, and whether it is trusted."""

    beads: tuple[PositionBead, ...]
    trusted: bool
    reason: str


def plan_paragraphs(en: np.ndarray, ar: np.ndarray, en_par: np.ndarray, ar_par: np.ndarray, config: AlignConfig,
                    en_weights: np.ndarray | None = None, ar_weights: np.ndarray | None = None,
                    en_chars: np.ndarray | None = None, ar_chars: np.ndarray | None = None) -> ParagraphPlan:
    """Align the paragraphs of both sides (1-1, n-m, 1-0/0-1) and test whether they correspond.

    The structure is trusted when the paragraph counts are of the same order and nearly every
    paragraph of both sides sits in a bead with a counterpart: a side whose paragraphs were merged
    or reflowed gives many merges and unmatched paragraphs, and then the flat search is safer.
    """
    if not paragraphs_to_align(en_par, ar_par):
        return ParagraphPlan((), False, "no paragraph structure to align")
    pe, pa = _paragraph_vectors(en, en_par, en_weights), _paragraph_vectors(ar, ar_par, ar_weights)
    p, q = len(pe), len(pa)
    if min(p, q) < config.paragraph_ratio * max(p, q):
        return ParagraphPlan((), False, f"paragraph counts differ ({p} vs {q})")
    stats = document_stats(pe, pa)
    # Paragraph counts of the same order make 1-1 the rule: merges and skips cost more than between
    # sentences, and paragraph lengths (Gale and Church's original evidence) weigh in.
    level = replace(config, max_merge=min(config.max_merge, 4), merge_cost=config.paragraph_merge_cost,
                    skip_cost=config.paragraph_skip_cost, pair_threshold=config.paragraph_threshold)
    theta = stats.random + level.pair_threshold * stats.spread
    length = None
    if en_chars is not None and ar_chars is not None and config.paragraph_length_weight:
        pe_chars, pa_chars = _paragraph_sums(en_chars, en_par), _paragraph_sums(ar_chars, ar_par)
        model = length_model(pe, pa, pe_chars, pa_chars, config.paragraph_length_weight * stats.spread)
        length = (model, pe_chars, pa_chars)
    beads = _aligned_block(pe, pa, np.zeros(p, int), np.zeros(q, int), level, theta,
                           level.skip_cost * stats.spread, stats.spread, None, None, length)
    beads = _paired_gaps(beads)
    one_to_one = sum(len(b.en) + len(b.ar) for b in beads if len(b.en) == 1 and len(b.ar) == 1)
    share = one_to_one / (p + q)
    trusted = share >= config.paragraph_trust
    return ParagraphPlan(tuple(beads), trusted, f"{share:.0%} of paragraphs in 1-1 beads")


def _paired_gaps(beads: list[PositionBead]) -> list[PositionBead]:
    """Paragraph beads where the unmatched paragraphs of both sides in one gap (between aligned
    paragraphs or the document's edges) become one bead: there they are each other's counterpart,
    however weak their similarity; the sentence search inside the bead decides the details."""
    out: list[PositionBead] = []
    gap: list[PositionBead] = []
    for bead in [*beads, PositionBead((-1,), (-1,))]:  # a sentinel closes the last gap
        if not bead.aligned:
            gap.append(bead)
            continue
        en = tuple(i for b in gap for i in b.en)
        ar = tuple(j for b in gap for j in b.ar)
        out += [PositionBead(en, ar)] if en and ar else gap
        gap = []
        out.append(bead)
    return out[:-1]


def align_vectors(en: np.ndarray, ar: np.ndarray, en_paragraphs: np.ndarray | None = None,
                  ar_paragraphs: np.ndarray | None = None, config: AlignConfig | None = None,
                  en_lengths: np.ndarray | None = None, ar_lengths: np.ndarray | None = None,
                  edge_source: EdgeSource | None = None) -> Alignment:
    """Align two sequences of unit vectors ``(n, d)`` and ``(m, d)``.

    Paragraph ids (non-decreasing ints, one per vector) keep beads inside paragraphs when both
    sides have them; with ``config.paragraphs`` ``on`` (or ``auto`` when the paragraphs of the two
    sides correspond, see :func:`plan_paragraphs`) paragraphs are aligned first and sentences only
    inside each paragraph bead, so no bead crosses an aligned paragraph boundary. Segment lengths
    (characters) weight sentences inside merged runs, the way an encoder weighs a long sentence
    more than a short one in their concatenation. ``edge_source`` gives, on demand, vectors of each
    segment's opening and closing words (see ``AlignConfig.edge_weight``; asked only by a flat
    search that uses them). Returns every position of both sides exactly once, in order.
    """
    config = config or AlignConfig()
    n, m = len(en), len(ar)
    en_par = np.zeros(n, int) if en_paragraphs is None else np.asarray(en_paragraphs)
    ar_par = np.zeros(m, int) if ar_paragraphs is None else np.asarray(ar_paragraphs)
    if n == 0 or m == 0:
        return Alignment(tuple(_lone(n, m)), DocStats(0.0, 0.0), 0.0, 0.0)
    en, ar = _unit_rows(en), _unit_rows(ar)
    stats = document_stats(en, ar)
    en_w = _length_weights(en_lengths, config.length_power)
    ar_w = _length_weights(ar_lengths, config.length_power)
    en_chars = None if en_lengths is None else np.asarray(en_lengths, float)
    ar_chars = None if ar_lengths is None else np.asarray(ar_lengths, float)
    length = None
    if en_chars is not None and ar_chars is not None and config.length_weight:
        length = (length_model(en, ar, en_chars, ar_chars, config.length_weight * stats.spread), en_chars, ar_chars)
    plan = None
    if config.paragraphs != "off":
        plan = plan_paragraphs(en, ar, en_par, ar_par, config, en_w, ar_w, en_chars, ar_chars)
        if not plan.beads or (config.paragraphs == "auto" and not plan.trusted):
            plan = None
    if plan is None:
        return _flat(en, ar, en_par, ar_par, config.for_flat(n, m), stats, en_lengths, ar_lengths,
                     config.uneven(n, m), edge_source)
    flat = _flat(en, ar, en_par, ar_par, config, stats, en_lengths, ar_lengths) if config.paragraphs == "auto" \
        else None
    nested = _inside_paragraph_beads(plan, en, ar, en_par, ar_par, config, stats, en_w, ar_w, length)
    # Paragraphs that correspond can only help: where the paragraph path leaves more segments
    # unmatched than the flat search, the boundaries do not correspond after all (lines of a talk
    # transcript broken at different places), and the flat search is kept.
    if flat is not None and _unmatched(flat.beads) < _unmatched(nested.beads):
        return flat
    return nested


def _flat(en: np.ndarray, ar: np.ndarray, en_par: np.ndarray, ar_par: np.ndarray, config: AlignConfig,
          stats: DocStats, en_lengths: np.ndarray | None, ar_lengths: np.ndarray | None,
          uneven: bool = False, edge_source: EdgeSource | None = None) -> Alignment:
    """The search over the whole document (paragraphs, where both sides have them, only bound runs)."""
    theta = stats.random + config.pair_threshold * stats.spread
    skip = config.skip_cost * stats.spread
    en_w = _length_weights(en_lengths, config.length_power)
    ar_w = _length_weights(ar_lengths, config.length_power)
    length = None
    if en_lengths is not None and ar_lengths is not None and config.length_weight:
        en_chars, ar_chars = np.asarray(en_lengths, float), np.asarray(ar_lengths, float)
        length = (length_model(en, ar, en_chars, ar_chars, config.length_weight * stats.spread), en_chars, ar_chars)
    edges = None
    if config.edge_weight and edge_source is not None:
        # The side with fewer segments carries longer ones: merges of the other side meet its edges.
        edges = EdgeTerm(edge_source("ar" if len(ar) <= len(en) else "en"), config.edge_weight * stats.spread,
                         stats.random)
    beads = _aligned_block(en, ar, en_par, ar_par, config, theta, skip, stats.spread, en_w, ar_w, length,
                           edges=edges)
    for _ in range(config.length_refit if length else 0):
        assert length is not None
        length = (refit_length(length[0], beads, length[1], length[2]), length[1], length[2])
        beads = _aligned_block(en, ar, en_par, ar_par, config, theta, skip, stats.spread, en_w, ar_w, length,
                               edges=edges)
    return Alignment(tuple(beads), stats, theta, skip, uneven=uneven)


def _unmatched(beads: list[PositionBead] | tuple[PositionBead, ...]) -> int:
    return sum(len(b.en) + len(b.ar) for b in beads if not b.aligned)


def _inside_paragraph_beads(plan: ParagraphPlan, en: np.ndarray, ar: np.ndarray, en_par: np.ndarray,
                            ar_par: np.ndarray, config: AlignConfig, stats: DocStats, en_w: np.ndarray | None,
                            ar_w: np.ndarray | None,
                            length: tuple[LengthModel, np.ndarray, np.ndarray] | None) -> Alignment:
    """Sentences aligned inside each paragraph bead of ``plan``."""
    n, m = len(en), len(ar)
    theta = stats.random + config.pair_threshold * stats.spread
    skip = config.skip_cost * stats.spread
    en_spans, ar_spans = _paragraph_spans(en_par), _paragraph_spans(ar_par)
    # The paragraph level vouches that a paragraph bead's content is on both sides: inside it a pair
    # needs less similarity and leaving a sentence out costs more.
    inner_theta = stats.random + config.paragraph_inner_threshold * stats.spread
    inner_skip = config.paragraph_inner_skip * stats.spread
    beads = []
    en_blocks, ar_blocks = np.zeros(n, int), np.zeros(m, int)
    for block, pb in enumerate(plan.beads):
        i0, i1 = (en_spans[pb.en[0]][0], en_spans[pb.en[-1]][1]) if pb.en else (0, 0)
        j0, j1 = (ar_spans[pb.ar[0]][0], ar_spans[pb.ar[-1]][1]) if pb.ar else (0, 0)
        en_blocks[i0:i1] = block
        ar_blocks[j0:j1] = block
        if not (pb.en and pb.ar):
            beads += _lone(i1 - i0, j1 - j0, i0, j0)
            continue
        inner = _aligned_block(en[i0:i1], ar[j0:j1], en_par[i0:i1], ar_par[j0:j1],
                               _inner_config(config, i1 - i0, j1 - j0), inner_theta, inner_skip, stats.spread,
                               None if en_w is None else en_w[i0:i1], None if ar_w is None else ar_w[j0:j1],
                               None if length is None else (length[0], length[1][i0:i1], length[2][j0:j1]),
                               keep_paragraphs=True)
        beads += [PositionBead(tuple(i0 + i for i in b.en), tuple(j0 + j for j in b.ar), b.score) for b in inner]
    return Alignment(tuple(beads), stats, theta, skip, tuple(en_blocks.tolist()), tuple(ar_blocks.tolist()))


def _inner_config(config: AlignConfig, n: int, m: int) -> AlignConfig:
    """Inside one paragraph bead a single segment may carry the whole other side (a verse of eight
    English sentences), so the merge limit grows to the block when one side is that short."""
    if min(n, m) == 1 and max(n, m) > config.max_merge:
        return replace(config, max_merge=min(max(n, m), config.paragraph_max_merge))
    return config
