"""``partial``: inside an aligned bead, one side carries a clause the other lacks.

Each side of a bead is cut into clauses. For every clause, the side is embedded again without
it: when the bead's similarity rises by a clear share of the document's similarity spread, the
clause is content the other version does not have (a dropped or added clause, a lead-in). The
clause that raises it most is reported, one per side of a bead.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from align.checks.base import LANGUAGE, Check, CheckContext, other, presence_wording
from align.clauses import clause_spans
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


def _trials(k: int, bead: Bead, side: Side, context: CheckContext) -> list[_Trial]:
    texts = context.texts(bead, side)
    spans = [(i, s, e) for i, t in zip(bead.ids(side), texts) for s, e in clause_spans(t, side)]
    if len(spans) < 2:
        return []
    rest = " ".join(context.texts(bead, other(side)))
    out = []
    for i, s, e in spans:
        without = " ".join(t[:s] + t[e:] if j == i else t for j, t in zip(bead.ids(side), texts))
        out.append(_Trial(k, side, i, s, e, " ".join(without.split()), rest))
    return out


def _clip(text: str, width: int = 90) -> str:
    text = " ".join(text.split()).strip(" ،,؛;:")
    return text if len(text) <= width else text[: width - 1] + "…"


class PartialCheck(Check):
    type = "partial"
    min_gain = 0.08  # rise in similarity, as a share of the document's spread, that marks extra content

    def run(self, context: CheckContext) -> list[list[Flag]]:
        found: list[list[Flag]] = [[] for _ in context.beads]
        if context.embed is None:
            return found
        trials = [t for k, b in enumerate(context.beads) if b.en and b.ar
                  for side in ("en", "ar") for t in _trials(k, b, side, context)]
        if not trials:
            return found
        vectors = context.embed([t.without for t in trials] + [t.rest for t in trials])
        sims = np.sum(vectors[: len(trials)] * vectors[len(trials):], axis=1)
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
