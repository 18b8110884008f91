"""Second alignment pass: the first pass's beads, checked again with real embeddings of joined text.

The first pass scores merges with summed sentence vectors, which misjudges a short sentence next
to a long one. Three small passes correct it, each comparing the real similarity of a bead with
and without one segment (thresholds are fractions of the document's similarity spread):

* :func:`detach_edges`: an edge segment whose removal raises the bead's similarity was absorbed
  by mistake (typically a deleted sentence's neighbour) and becomes unmatched;
* :func:`attach_unmatched`: an unmatched segment joins the bead before or after it when the
  bead's similarity does not fall (the missing piece of a merge keeps it level or raises it);
* :func:`pair_lone_gaps`: one English-only and one Arabic-only segment in the same gap pair up.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from align.embed import paired_similarities

BeadPos = tuple[tuple[int, ...], tuple[int, ...], float]
Embed = Callable[[Sequence[str]], np.ndarray]


@dataclass(frozen=True)
class Attachment:
    single: int  # index of the unmatched bead
    target: int  # index of the bead it joins
    score: float  # similarity of the joined bead


def _similarities(beads: Sequence[tuple[tuple[int, ...], tuple[int, ...]]], en_texts: Sequence[str],
                  ar_texts: Sequence[str], embed: Embed) -> np.ndarray:
    """Real similarity of each bead's joined English and joined Arabic text."""
    return paired_similarities(embed, [" ".join(en_texts[i] for i in e) for e, _ in beads],
                               [" ".join(ar_texts[j] for j in a) for _, a in beads])


def _joined(bead: BeadPos, single: BeadPos) -> tuple[tuple[int, ...], tuple[int, ...]]:
    return tuple(sorted(bead[0] + single[0])), tuple(sorted(bead[1] + single[1]))


def _candidates(beads: list[BeadPos], allowed: Callable[[int, int], bool],
                same_paragraph: Callable[[BeadPos, BeadPos], bool]) -> list[tuple[int, int]]:
    pairs = []
    for k, single in enumerate(beads):
        if _aligned(single):
            continue
        for t in (k - 1, k + 1):
            if 0 <= t < len(beads) and _aligned(beads[t]) and same_paragraph(beads[t], single):
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
        sims = _similarities([_joined(current[t], current[k]) for k, t in pairs], en_texts, ar_texts, embed)
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
                 gain: float, length_weight: float = 0.0) -> list[BeadPos]:
    """Beads after splitting off an edge segment whose removal raises similarity by ``gain``.

    The first pass can absorb a deleted sentence into a neighbouring bead whose own similarity is
    low; embedding the bead without it shows the mismatch. The segment becomes unmatched and may
    still join the bead on its other side in :func:`attach_unmatched`. With ``length_weight``, a
    removal also earns that weight times how much closer it brings the bead's length ratio to
    the document's usual one (in log terms): an absorbed sentence leaves one side too long, and
    a short sentence barely moves the similarity of a long bead.
    """
    trials: list[tuple[int, int, int]] = []  # (bead, side, segment)
    for k, bead in enumerate(beads):
        if _aligned(bead):
            for side in (0, 1):
                ids = _side(bead, side)
                if len(ids) > 1:
                    trials += [(k, side, ids[0]), (k, side, ids[-1])]
    if not trials:
        return list(beads)
    sims = _similarities([_without(beads[k], side, seg) for k, side, seg in trials], en_texts, ar_texts, embed)
    skew = _length_skew(beads, en_texts, ar_texts)
    best: dict[int, tuple[float, int, int, float]] = {}
    for (k, side, seg), sim in zip(trials, sims):
        rise = float(sim) - beads[k][2]
        if length_weight:
            rise += length_weight * (abs(skew(beads[k][:2])) - abs(skew(_without(beads[k], side, seg))))
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


def _length_skew(beads: Sequence[BeadPos], en_texts: Sequence[str],
                 ar_texts: Sequence[str]) -> Callable[[tuple[tuple[int, ...], tuple[int, ...]]], float]:
    """log(Arabic/English characters of a bead / the document's median over aligned beads)."""
    en_len = np.array([len(t) for t in en_texts] + [0])
    ar_len = np.array([len(t) for t in ar_texts] + [0])

    def ratio(bead: tuple[tuple[int, ...], tuple[int, ...]]) -> float:
        return max(float(ar_len[list(bead[1])].sum()), 1.0) / max(float(en_len[list(bead[0])].sum()), 1.0)

    aligned = [ratio(b[:2]) for b in beads if _aligned(b)]
    usual = float(np.median(aligned)) if aligned else 1.0
    return lambda bead: math.log(ratio(bead) / usual)


def pair_lone_gaps(beads: Sequence[BeadPos], en_texts: Sequence[str], ar_texts: Sequence[str],
                   embed: Embed) -> list[BeadPos]:
    """Pair one English-only and one Arabic-only segment that fill the same gap alone.

    Between two aligned beads (or an aligned bead and the document's edge), a single sentence
    on each side is one translation slot: a reviewer wants the two side by side, with a meaning
    check on them, rather than two separate "missing" findings.
    """
    starts: list[int] = []  # index of the first bead of each gap to pair
    k = 0
    while k + 1 < len(beads):
        first, second = beads[k], beads[k + 1]
        bounded = (k == 0 or _aligned(beads[k - 1])) and (k + 2 >= len(beads) or _aligned(beads[k + 2]))
        if bounded and _lone(first) and _lone(second) and bool(first[0]) != bool(second[0]):
            starts.append(k)
            k += 2
        else:
            k += 1
    merged = [(beads[k][0] or beads[k + 1][0], beads[k][1] or beads[k + 1][1]) for k in starts]
    sims = _similarities(merged, en_texts, ar_texts, embed)
    replaced = {k: (en, ar, float(sim)) for k, (en, ar), sim in zip(starts, merged, sims)}
    out: list[BeadPos] = []
    k = 0
    while k < len(beads):
        if k in replaced:
            out.append(replaced[k])
            k += 2
        else:
            out.append(beads[k])
            k += 1
    return out


def _aligned(bead: BeadPos) -> bool:
    return bool(bead[0] and bead[1])


def _lone(bead: BeadPos) -> bool:
    return len(bead[0]) + len(bead[1]) == 1
