"""``partial``: inside an aligned bead, one side carries a clause the other lacks.

Each side of a bead is cut into clauses. For every clause, the side is embedded again without
it: when the bead's similarity rises by a clear share of the document's similarity spread, the
clause is content the other version does not have (a dropped or added clause, a lead-in). The
clause that raises it most is reported, one per side of a bead.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from align.checks.base import LANGUAGE, Check, CheckContext, other, presence_wording
from align.checks.divergent import DivergentCheck
from align.clauses import clause_spans
from align.embed import paired_similarities
from align.model import Bead, Evidence, Flag, Side


@dataclass(frozen=True)
class _Trial:
    bead: int
    side: Side
    segment: int
    start: int
    end: int
    without: str  # the side's text with the clause removed
    rest: str  # the other side's text


def _trials(k: int, bead: Bead, side: Side, context: CheckContext, max_chars: int) -> list[_Trial]:
    texts = context.texts(bead, side)
    # Every trial re-embeds the whole side, so a long side costs quadratically, and one clause
    # barely moves the embedding of a long text anyway.
    if sum(map(len, texts)) > max_chars:
        return []
    spans = [(i, s, e) for i, t in zip(bead.ids(side), texts) for s, e in clause_spans(t, side)]
    if len(spans) < 2:
        return []
    rest = context.joined(bead, other(side))
    # Single clauses, and two neighbouring clauses of one segment: a dropped piece rarely falls
    # exactly on one cut.
    pieces = spans + [(i, s, e2) for (i, s, _), (i2, _, e2) in pairwise(spans) if i == i2]
    pieces = pieces[:MAX_TRIALS]  # single clauses first; a long side does not get every pair
    out = []
    for i, s, e in pieces:
        if s == 0 and e == len(texts[bead.ids(side).index(i)]) and len(bead.ids(side)) == 1:
            continue  # the whole side: that is an unmatched sentence, not a partial
        without = " ".join(t[:s] + t[e:] if j == i else t for j, t in zip(bead.ids(side), texts))
        out.append(_Trial(k, side, i, s, e, " ".join(without.split()), rest))
    return out


MAX_TRIALS = 10


def _clip(text: str, width: int = 90) -> str:
    text = " ".join(text.split()).strip(" ،,؛;:")
    return text if len(text) <= width else text[: width - 1] + "…"


class PartialCheck(Check):
    type = "partial"
    min_gain = 0.056  # rise in similarity, as a share of the document's spread, that marks extra content
    max_chars = 700  # longer bead sides (long merges) are not searched for clauses
    # A bead that lost or gained a clause scores below a typical translation pair of its document,
    # or its length ratio is off the document's usual one; only such beads are searched, which
    # keeps most findings for a fraction of the work.
    max_relative = 0.9
    length_skew = 1.25

    def run(self, context: CheckContext) -> list[list[Flag]]:
        found: list[list[Flag]] = [[] for _ in context.beads]
        if context.embed is None:
            return found
        usual = context.usual_length_ratio()
        trials = [t for k, b in enumerate(context.beads) if self._suspect(b, context, usual)
                  for side in ("en", "ar") for t in _trials(k, b, side, context, self.max_chars)]
        if not trials:
            return found
        sims = paired_similarities(context.embed, [t.without for t in trials], [t.rest for t in trials])
        best: dict[tuple[int, Side], tuple[float, _Trial]] = {}
        for trial, sim in zip(trials, sims):
            gain = (float(sim) - context.beads[trial.bead].score) / context.spread
            key = (trial.bead, trial.side)
            if gain >= self.min_gain and (key not in best or gain > best[key][0]):
                best[key] = (gain, trial)
        for (k, side), (gain, trial) in sorted(best.items()):
            text = context.doc(side).texts[trial.segment][trial.start:trial.end]
            stripped = text.strip(" ،,؛;:")
            offset = trial.start + text.find(stripped)
            evidence = (Evidence(side, trial.segment, offset, offset + len(stripped), stripped),)
            wording = presence_wording(side, context.source)
            message = f"Clause {wording}: «{_clip(stripped)}»"
            if context.source is None:
                message = f"Clause only in {LANGUAGE[side]}: «{_clip(stripped)}»"
            found[k].append(Flag(self.type, side, "warning", message, evidence))
        return found

    def _suspect(self, bead: Bead, context: CheckContext, usual: float) -> bool:
        if not (bead.en and bead.ar):
            return False
        relative = context.relative(bead.score)
        # Two sides that differ as a whole are the divergent check's finding, not a clause's.
        if relative < DivergentCheck.warning_below:
            return False
        if relative < self.max_relative:
            return True
        skew = context.length_ratio(bead) / usual
        return skew > self.length_skew or skew < 1 / self.length_skew
