"""The banded aligner's forward pass as it was before it was vectorised (one numpy pass per row and
bead type), kept as the reference the vectorised pass must reproduce exactly: same beads, same
tie-breaking. Only tests import it."""

from __future__ import annotations

import numpy as np

from align.dp import NEG, AlignConfig, LengthModel, _run_norms, _runs_in_paragraph, has_paragraphs


class _RowSums:
    """Cumulative sums, along each English row, of the weighted similarities inside the band.

    The cosine of two run sums is a block sum of the similarity matrix divided by the two run
    norms, so each bead score needs only a few scalar look-ups here instead of new vectors.
    """

    def __init__(self, en: np.ndarray, ar: np.ndarray, lo: np.ndarray, hi: np.ndarray,
                 longest_en: int, longest_ar: int) -> None:
        n, m = len(en), len(ar)
        self.start = np.zeros(n, int)
        self.cums: list[np.ndarray] = []
        for r in range(n):
            # Beads using English row r end on grid rows r+1 .. r+longest_en.
            c0 = max(0, int(lo[r + 1]) - longest_ar)
            c1 = max(c0, min(m, int(hi[min(n, r + longest_en)])))
            self.start[r] = c0
            self.cums.append(np.concatenate([[0.0], np.cumsum(ar[c0:c1] @ en[r], dtype=np.float64)]))

    def block(self, r: int, ends: np.ndarray, width: int) -> np.ndarray:
        """Sum of row ``r``'s similarities over columns ``end-width .. end-1`` for each end."""
        cum = self.cums[r]
        top = _clamp(ends - self.start[r], 0, len(cum) - 1)
        bottom = _clamp(top - width, 0, len(cum) - 1)
        return np.asarray(cum[top] - cum[bottom], dtype=np.float64)


def _clamp(values: np.ndarray, low: int, high: int) -> np.ndarray:
    """``np.clip`` for integer index arrays: the same values at a third of its per-call overhead (a hot loop)."""
    return np.asarray(np.minimum(np.maximum(values, low), high))


class ReferenceAligner:
    """The full n-m search inside a band. One instance aligns one document pair."""

    def __init__(self, en: np.ndarray, ar: np.ndarray, en_par: np.ndarray, ar_par: np.ndarray,
                 config: AlignConfig, theta: float, skip: float, spread: float,
                 en_weights: np.ndarray | None = None, ar_weights: np.ndarray | None = None,
                 length: tuple[LengthModel, np.ndarray, np.ndarray] | None = None,
                 keep_paragraphs: bool | None = None) -> None:
        self.n, self.m = len(en), len(ar)
        self.length = length[0] if length else None
        # Cumulative characters, so a run's length is one subtraction.
        self.en_cum = np.concatenate([[0.0], np.cumsum(length[1], dtype=np.float64)]) if length else None
        self.ar_cum = np.concatenate([[0.0], np.cumsum(length[2], dtype=np.float64)]) if length else None
        # Shapes longer than a whole side can never occur; dropping them keeps every index valid.
        self.types = [(a, b) for a, b in config.bead_types() if a <= self.n and b <= self.m]
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
        return out

    def run(self, lo: np.ndarray, hi: np.ndarray) -> list[tuple[int, int]]:
        """Fill the band and return the bead types along the best path, first to last."""
        rows = _RowSums(self.en, self.ar, lo, hi, self.longest_en, self.longest_ar)
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

    def similarity(self, i: int, a: int, j: int, b: int) -> float:
        """Cosine of the weighted run sums of English ``i..i+a-1`` and Arabic ``j..j+b-1``."""
        dot = float(np.sum(self.en[i:i + a].sum(axis=0) * self.ar[j:j + b].sum(axis=0)))
        return dot / float(self.en_norms[a][i] * self.ar_norms[b][j])


