"""The banded aligner's forward pass as it was before it was vectorised (one numpy pass per row and
bead type), kept as the reference the vectorised pass must reproduce exactly: same beads, same
tie-breaking. Only tests import it. It follows dp.py's scoring (hub offsets, the edge term); a change
to how a bead is scored goes into both."""

from __future__ import annotations

import numpy as np

from align.dp import (
    NEG,
    EdgeVectors,
    Hubs,
    _BandedAligner,
)


class _RowSums:
    """Cumulative sums, along each English row, of the weighted similarities inside the band.

    The cosine of two run sums is a block sum of the similarity matrix divided by the two run
    norms, so each bead score needs only a few scalar look-ups here instead of new vectors. With
    ``hubs`` each similarity first loses both segments' hub offsets (weighted like it).
    """

    def __init__(self, en: np.ndarray, ar: np.ndarray, starts: np.ndarray, ends: np.ndarray,
                 hubs: Hubs | None = None, en_weights: np.ndarray | None = None,
                 ar_weights: np.ndarray | None = None) -> None:
        n, m = len(en), len(ar)
        self.start = starts
        self.cums: list[np.ndarray] = []
        ew = np.ones(n) if en_weights is None else en_weights
        aw = np.ones(m) if ar_weights is None else ar_weights
        for r in range(n):
            c0, c1 = int(starts[r]), int(ends[r])
            row = ar[c0:c1] @ en[r]
            if hubs is not None:
                row = row - ew[r] * aw[c0:c1] * (hubs.en[r] + hubs.ar[c0:c1])
            self.cums.append(np.concatenate([[0.0], np.cumsum(row, dtype=np.float64)]))

    def block(self, r: int, ends: np.ndarray, width: int) -> np.ndarray:
        """Sum of row ``r``'s similarities over columns ``end-width .. end-1`` for each end."""
        cum = self.cums[r]
        top = _clamp(ends - self.start[r], 0, len(cum) - 1)
        bottom = _clamp(top - width, 0, len(cum) - 1)
        return np.asarray(cum[top] - cum[bottom], dtype=np.float64)


class _EdgeSims:
    """For every English row, inside its band: the similarity of the pair (English row, Arabic
    column) where one of the two is taken as its opening words (``first``) or closing words (``last``),
    namely the one on ``edges.side``."""

    def __init__(self, en: np.ndarray, ar: np.ndarray, edges: EdgeVectors, starts: np.ndarray,
                 ends: np.ndarray) -> None:
        self.start = starts
        self.first: list[np.ndarray] = []
        self.last: list[np.ndarray] = []
        for r in range(len(en)):
            c0, c1 = int(starts[r]), int(ends[r])
            if edges.side == "ar":
                self.first.append(edges.heads[c0:c1] @ en[r])
                self.last.append(edges.tails[c0:c1] @ en[r])
            else:
                self.first.append(ar[c0:c1] @ edges.heads[r])
                self.last.append(ar[c0:c1] @ edges.tails[r])

    @staticmethod
    def _at(row: np.ndarray, start: int, cols: np.ndarray) -> np.ndarray:
        if not len(row):
            return np.zeros(len(cols))
        return np.asarray(row[_clamp(cols - start, 0, len(row) - 1)], dtype=np.float64)

    def pair(self, first_row: int, last_row: int, first_cols: np.ndarray, last_cols: np.ndarray) -> np.ndarray:
        """``first`` similarity of (first_row, first_cols) plus ``last`` similarity of (last_row, last_cols)."""
        first = self._at(self.first[first_row], int(self.start[first_row]), first_cols)
        return np.asarray(first + self._at(self.last[last_row], int(self.start[last_row]), last_cols))


def _clamp(values: np.ndarray, low: int, high: int) -> np.ndarray:
    """``np.clip`` for integer index arrays: the same values at a third of its per-call overhead (a hot loop)."""
    return np.asarray(np.minimum(np.maximum(values, low), high))


class ReferenceAligner(_BandedAligner):
    """The aligner with its old forward pass: the setup (``__init__``) and ``similarity`` are the
    aligner's own; only how the band is filled differs."""

    def _bead_scores(self, i: int, cols: np.ndarray, a: int, b: int, numerator: np.ndarray) -> np.ndarray:
        """Score of the bead (en ``i-a..i-1``, ar ``j-b..j-1``) for every ``j`` in ``cols``."""
        out = np.full(len(cols), NEG)
        if i - a < 0 or (self.en_ok is not None and not self.en_ok[a][i - a]):
            return out
        start = cols - b
        valid = (start >= 0) & (start <= self.m - b)
        safe = _clamp(start, 0, self.m - b)
        if self.ar_ok is not None:
            valid &= self.ar_ok[b][safe]
        sims = numerator / (self.en_norms[a][i - a] * self.ar_norms[b][safe])
        out[valid] = sims[valid] - self.cut - self.penalty[(a, b)]
        if self.length is not None and self.en_cum is not None and self.ar_cum is not None:
            en_chars = self.en_cum[i] - self.en_cum[i - a]
            ar_chars = self.ar_cum[safe + b] - self.ar_cum[safe]
            out[valid] += self.length.bonus(en_chars, ar_chars[valid])
        if self.edges is not None and self.edge_sims is not None:
            edge = self.edge_sims.pair(i - a, i - 1, safe, safe + b - 1)
            out[valid] += self.edges.weight * (edge[valid] - 2 * self.edges.random)
        return out

    def run(self, lo: np.ndarray, hi: np.ndarray) -> list[tuple[int, int]]:
        """Fill the band and return the bead types along the best path, first to last."""
        starts, ends, hubs = self._band_setup(lo, hi)  # the band and hub offsets are dp.py's
        rows = _RowSums(self.en, self.ar, starts, ends, hubs, self.en_weights, self.ar_weights)
        if self.edges is not None:
            self.edge_sims = _EdgeSims(self.unit_en, self.unit_ar, self.edges.vectors, starts, ends)
        score_rows: list[np.ndarray] = []
        move_rows: list[np.ndarray] = []
        for i in range(self.n + 1):
            cols = np.arange(lo[i], hi[i] + 1)
            best = np.full(len(cols), NEG)
            move = np.full(len(cols), -1, np.int16)
            if i == 0:
                best[cols == 0] = 0.0
            numerators: dict[tuple[int, int], np.ndarray] = {}
            for t, (a, b) in enumerate(self.types):
                if i - a < 0:
                    continue
                prev = self._previous(score_rows[i - a], lo[i - a], cols - b)
                if b == 0:
                    gain = np.full(len(cols), -self.skip)
                else:
                    gain = self._bead_scores(i, cols, a, b, self._numerator(rows, numerators, i, cols, a, b))
                cand = prev + gain
                better = cand > best
                best = np.where(better, cand, best)
                move = np.where(better, t, move)
            # Arabic-only segments (0-1) chain within a row: a running maximum handles them at once.
            lifted = best + self.skip * cols
            carried = np.maximum.accumulate(lifted)
            from_left = np.zeros(len(cols), bool)
            from_left[1:] = carried[:-1] > lifted[1:]
            score_rows.append(np.where(from_left, carried - self.skip * cols, best))
            move_rows.append(np.where(from_left, -2, move).astype(np.int16))
        return self._backtrace(move_rows, lo)

    @staticmethod
    def _numerator(rows: _RowSums, memo: dict[tuple[int, int], np.ndarray], i: int, cols: np.ndarray,
                   a: int, b: int) -> np.ndarray:
        """Block sum over English rows ``i-a..i-1`` and Arabic columns ``j-b..j-1``, memoised by row."""
        if (a, b) not in memo:
            below = ReferenceAligner._numerator(rows, memo, i, cols, a - 1, b) if a > 1 else 0.0
            memo[(a, b)] = below + rows.block(i - a, cols, b)
        return memo[(a, b)]

    @staticmethod
    def _previous(row: np.ndarray, row_lo: int, cols: np.ndarray) -> np.ndarray:
        idx = cols - row_lo
        inside = (idx >= 0) & (idx < len(row))
        return np.where(inside, row[_clamp(idx, 0, len(row) - 1)], NEG)

    def _backtrace(self, move_rows: list[np.ndarray], lo: np.ndarray) -> list[tuple[int, int]]:
        steps: list[tuple[int, int]] = []
        i, j = self.n, self.m
        while i > 0 or j > 0:
            t = int(move_rows[i][j - lo[i]])
            if t == -1:  # unreachable cell: cannot happen inside a connected band
                raise RuntimeError(f"aligner backtrace reached an empty cell at ({i}, {j})")
            step = (0, 1) if t == -2 else self.types[t]
            steps.append(step)
            i, j = i - step[0], j - step[1]
        return steps[::-1]
