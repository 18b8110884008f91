"""Second alignment pass: attach leftover unmatched segments to a neighbouring bead.

The first pass scores merges with summed sentence vectors, which under-rates a short sentence that
really belongs to a long merged one. Here each unmatched segment is tried in the bead before and
after it, both sides embedded as joined text by the real encoder, and it joins the bead whose
similarity does not fall by more than ``margin`` (a fraction of the document's similarity spread).
A deleted sentence lowers the similarity of the bead it is pushed into; the missing piece of a
merge keeps it level or raises it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

BeadPos = tuple[tuple[int, ...], tuple[int, ...], float]
Embed = Callable[[Sequence[str]], np.ndarray]


@dataclass(frozen=True)
class Attachment:
    single: int  # index of the unmatched bead
    target: int  # index of the bead it joins
    score: float  # similarity of the joined bead


def _joined(bead: BeadPos, single: BeadPos) -> tuple[tuple[int, ...], tuple[int, ...]]:
    return tuple(sorted(bead[0] + single[0])), tuple(sorted(bead[1] + single[1]))


def _candidates(beads: list[BeadPos], allowed: Callable[[int, int], bool],
                same_paragraph: Callable[[BeadPos, BeadPos], bool]) -> list[tuple[int, int]]:
    pairs = []
    for k, single in enumerate(beads):
        if single[0] and single[1]:
            continue
        for t in (k - 1, k + 1):
            if 0 <= t < len(beads) and beads[t][0] and beads[t][1] and same_paragraph(beads[t], single):
                en, ar = _joined(beads[t], single)
                if allowed(len(en), len(ar)):
                    pairs.append((k, t))
    return pairs


def attach_unmatched(beads: Sequence[BeadPos], en_texts: Sequence[str], ar_texts: Sequence[str], embed: Embed,
                     margin: float, allowed: Callable[[int, int], bool],
                     same_paragraph: Callable[[BeadPos, BeadPos], bool] = lambda a, b: True,
                     rounds: int = 8) -> list[BeadPos]:
    """Beads (positions into the text lists) after attaching unmatched segments where they fit."""
    current = list(beads)
    for _ in range(rounds):
        pairs = _candidates(current, allowed, same_paragraph)
        if not pairs:
            break
        joined = [_joined(current[t], current[k]) for k, t in pairs]
        vectors = embed([" ".join(en_texts[i] for i in e) for e, _ in joined]
                        + [" ".join(ar_texts[j] for j in a) for _, a in joined])
        sims = np.sum(vectors[: len(pairs)] * vectors[len(pairs):], axis=1)
        options = [Attachment(k, t, float(s)) for (k, t), s in zip(pairs, sims)
                   if s >= current[t][2] - margin]
        if not options:
            break
        # Best gain first; a bead changes at most once a round, so every gain was measured on
        # the bead as it stands.
        options.sort(key=lambda o: (o.score - current[o.target][2], -o.single), reverse=True)
        touched: set[int] = set()
        removed: set[int] = set()
        for o in options:
            if o.single in touched or o.target in touched:
                continue
            en, ar = _joined(current[o.target], current[o.single])
            current[o.target] = (en, ar, o.score)
            touched.update((o.single, o.target))
            removed.add(o.single)
        current = [b for k, b in enumerate(current) if k not in removed]
    return current


def _side(bead: BeadPos, side: int) -> tuple[int, ...]:
    return bead[0] if side == 0 else bead[1]


def _without(bead: BeadPos, side: int, segment: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    kept = tuple(x for x in _side(bead, side) if x != segment)
    return (kept, bead[1]) if side == 0 else (bead[0], kept)


def detach_edges(beads: Sequence[BeadPos], en_texts: Sequence[str], ar_texts: Sequence[str], embed: Embed,
                 gain: float) -> list[BeadPos]:
    """Beads after splitting off an edge segment whose removal raises similarity by ``gain``.

    The first pass can absorb a deleted sentence into a neighbouring bead whose own similarity is
    low; embedding the bead without it shows the mismatch. The segment becomes unmatched and may
    still join the bead on its other side in :func:`attach_unmatched`.
    """
    trials: list[tuple[int, int, int]] = []  # (bead, side, segment)
    for k, bead in enumerate(beads):
        if bead[0] and bead[1]:
            for side in (0, 1):
                ids = _side(bead, side)
                if len(ids) > 1:
                    trials += [(k, side, ids[0]), (k, side, ids[-1])]
    if not trials:
        return list(beads)
    shrunk = [_without(beads[k], side, seg) for k, side, seg in trials]
    vectors = embed([" ".join(en_texts[i] for i in e) for e, _ in shrunk]
                    + [" ".join(ar_texts[j] for j in a) for _, a in shrunk])
    sims = np.sum(vectors[: len(trials)] * vectors[len(trials):], axis=1)
    best: dict[int, tuple[float, int, int, float]] = {}
    for (k, side, seg), sim in zip(trials, sims):
        rise = float(sim) - beads[k][2]
        if rise >= gain and (k not in best or rise > best[k][0]):
            best[k] = (rise, side, seg, float(sim))
    out: list[BeadPos] = []
    for k, bead in enumerate(beads):
        if k not in best:
            out.append(bead)
            continue
        _, side, seg, sim = best[k]
        en, ar = _without(bead, side, seg)
        single: BeadPos = ((seg,), (), 0.0) if side == 0 else ((), (seg,), 0.0)
        first = seg == _side(bead, side)[0]
        out += [single, (en, ar, sim)] if first else [(en, ar, sim), single]
    return out


def pair_lone_gaps(beads: Sequence[BeadPos], en_texts: Sequence[str], ar_texts: Sequence[str],
                   embed: Embed) -> list[BeadPos]:
    """Pair one English-only and one Arabic-only segment that fill the same gap alone.

    Between two aligned beads (or an aligned bead and the document's edge), a single sentence
    on each side is one translation slot: a reviewer wants the two side by side, with a meaning
    check on them, rather than two separate "missing" findings.
    """
    out: list[BeadPos] = []
    k = 0
    while k < len(beads):
        pair = beads[k:k + 2]
        bounded = (k == 0 or _aligned(beads[k - 1])) and (k + 2 >= len(beads) or _aligned(beads[k + 2]))
        if (bounded and len(pair) == 2
                and _lone(pair[0]) and _lone(pair[1]) and bool(pair[0][0]) != bool(pair[1][0])):
            en = pair[0][0] or pair[1][0]
            ar = pair[0][1] or pair[1][1]
            vectors = embed([en_texts[en[0]], ar_texts[ar[0]]])
            out.append((en, ar, float(vectors[0] @ vectors[1])))
            k += 2
            continue
        out.append(beads[k])
        k += 1
    return out


def _aligned(bead: BeadPos) -> bool:
    return bool(bead[0] and bead[1])


def _lone(bead: BeadPos) -> bool:
    return len(bead[0]) + len(bead[1]) == 1
