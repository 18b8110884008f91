"""Second alignment pass: the first pass's beads, checked again with real embeddings of joined text.

The first pass scores merges with summed sentence vectors, which misjudges a short sentence next
to a long one. Three small passes correct it, each comparing the real similarity of a bead with
and without one segment (thresholds are fractions of the document's similarity spread):

* :func:`detach_edges`: an edge segment whose removal raises the bead's similarity was absorbed
  by mistake (typically a deleted sentence's neighbour) and becomes unmatched;
* :func:`attach_unmatched`: an unmatched segment joins the bead before or after it when the
  bead's similarity does not fall (the missing piece of a merge keeps it level or raises it);
* :func:`pair_lone_gaps`: one English-only and one Arabic-only segment in the same gap pair up.

:func:`refine` runs them in that order, as the configuration asks, after rescoring merged beads
with the real encoder.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from align.dp import AlignConfig, Alignment, PositionBead, has_paragraphs
from align.embed import paired_similarities

# ``embed(parts)``: the unit vector of each list of segment texts joined by spaces (Checker.embed_joined).
Embed = Callable[[Sequence[Sequence[str]]], np.ndarray]
SamePlace = Callable[[PositionBead, PositionBead], bool]  # may this leftover join that bead?


@dataclass(frozen=True)
class Attachment:
    single: int  # index of the unmatched bead
    target: int  # index of the bead it joins
    score: float  # similarity of the joined bead


def refine(alignment: Alignment, en_texts: Sequence[str], ar_texts: Sequence[str], en_paragraphs: np.ndarray,
           ar_paragraphs: np.ndarray, config: AlignConfig, embed: Embed) -> list[PositionBead]:
    """The first pass's beads rescored with real embeddings, then detached, attached and paired.

    ``en_texts``/``ar_texts`` and the paragraph ids are indexed by position, like the beads.
    """
    spread = alignment.stats.spread
    if alignment.uneven:
        config = config.for_flat(len(en_texts), len(ar_texts))
    same_place = block_rule(alignment) if alignment.paragraph_path else paragraph_rule(en_paragraphs, ar_paragraphs)
    beads = true_scores(alignment.beads, en_texts, ar_texts, embed)
    if config.detach_gain >= 0:
        beads = detach_edges(beads, en_texts, ar_texts, embed, gain=config.detach_gain * spread,
                             length_weight=config.detach_length * spread)
    if config.attach_margin >= 0:
        # Inside an aligned paragraph bead the paragraph level already says the content is there, so
        # a leftover sentence needs clearer evidence of absence to stay unmatched.
        margin = (config.attach_margin + config.paragraph_attach_margin if alignment.paragraph_path
                  else config.attach_margin) * spread
        beads = attach_unmatched(beads, en_texts, ar_texts, embed, margin=margin,
                                 allowed=_allowed(config, alignment), same_paragraph=same_place,
                                 length_weight=config.detach_length * spread)
    if config.pair_gaps:
        # Paragraphs first: a gap pair must lie in one paragraph bead; the flat search pairs any gap.
        gap_place = block_rule(alignment) if alignment.paragraph_path else (lambda a, b: True)
        beads = pair_lone_gaps(beads, en_texts, ar_texts, embed, gap_place)
    return beads


def _allowed(config: AlignConfig, alignment: Alignment) -> Callable[[int, int], bool]:
    """Bead shapes the second pass may build: the config's, and inside paragraph beads one segment
    against up to ``paragraph_max_merge`` (as the first pass allows there)."""
    if not alignment.paragraph_path:
        return config.allows
    return lambda a, b: config.allows(a, b) or (min(a, b) == 1 and max(a, b) <= config.paragraph_max_merge)


def true_scores(beads: Sequence[PositionBead], en_texts: Sequence[str], ar_texts: Sequence[str],
                embed: Embed) -> list[PositionBead]:
    """Beads whose merges are scored by embedding their joined text.

    The aligner scored merges with summed sentence vectors; a reported score embeds the joined
    text itself, so it means the same thing for every bead size.
    """
    merged = [k for k, b in enumerate(beads) if b.aligned and len(b.en) + len(b.ar) > 2]
    sims = _similarities([beads[k] for k in merged], en_texts, ar_texts, embed)
    out = list(beads)
    for k, sim in zip(merged, sims, strict=True):
        out[k] = beads[k]._replace(score=float(sim))
    return out


def paragraph_rule(en_paragraphs: np.ndarray, ar_paragraphs: np.ndarray) -> SamePlace:
    """Whether a leftover segment may join a bead: same paragraph, when both sides have them."""
    if not (has_paragraphs(en_paragraphs) and has_paragraphs(ar_paragraphs)):
        return lambda bead, single: True

    def same(bead: PositionBead, single: PositionBead) -> bool:
        own, other = (en_paragraphs, ar_paragraphs) if single.en else (ar_paragraphs, en_paragraphs)
        ids, other_ids = (bead.en, bead.ar) if single.en else (bead.ar, bead.en)
        position = (single.en or single.ar)[0]
        if own[position] == own[ids[0]]:
            return True
        return _runs_on(other, other_ids, after=position > ids[-1])

    return same


def _runs_on(paragraphs: np.ndarray, ids: Sequence[int], after: bool) -> bool:
    """Whether the paragraph of a bead's edge segment goes on past that edge (``after``: past its last).

    A paragraph boundary on one side only does not separate content: the other side kept in one
    paragraph (often one sentence) what this side set out as several, such as a rule and its
    example lines or list items. A leftover segment may then join the bead across its own boundary.
    """
    edge = ids[-1] if after else ids[0]
    beyond = edge + 1 if after else edge - 1
    return 0 <= beyond < len(paragraphs) and bool(paragraphs[beyond] == paragraphs[edge])


def block_rule(alignment: Alignment) -> SamePlace:
    """Whether a leftover segment may join a bead: same aligned paragraph bead (paragraphs first)."""
    def block(bead: PositionBead) -> int:
        return alignment.en_blocks[bead.en[0]] if bead.en else alignment.ar_blocks[bead.ar[0]]

    return lambda bead, single: block(bead) == block(single)


def _similarities(beads: Sequence[PositionBead], en_texts: Sequence[str], ar_texts: Sequence[str],
                  embed: Embed) -> np.ndarray:
    """Real similarity of each bead's joined English and joined Arabic text."""
    return paired_similarities(embed, [[en_texts[i] for i in b.en] for b in beads],
                               [[ar_texts[j] for j in b.ar] for b in beads])


def _joined(bead: PositionBead, single: PositionBead) -> PositionBead:
    """The candidate bead ``bead`` + ``single`` (not yet scored)."""
    return PositionBead(tuple(sorted(bead.en + single.en)), tuple(sorted(bead.ar + single.ar)))


def _candidates(beads: list[PositionBead], allowed: Callable[[int, int], bool],
                same_paragraph: SamePlace) -> list[tuple[int, int]]:
    pairs = []
    for k, single in enumerate(beads):
        if single.aligned:
            continue
        for t in (k - 1, k + 1):
            if 0 <= t < len(beads) and beads[t].aligned and same_paragraph(beads[t], single):
                joined = _joined(beads[t], single)
                if allowed(len(joined.en), len(joined.ar)):
                    pairs.append((k, t))
    return pairs


def attach_unmatched(beads: Sequence[PositionBead], en_texts: Sequence[str], ar_texts: Sequence[str],
                     embed: Embed, margin: float, allowed: Callable[[int, int], bool],
                     same_paragraph: SamePlace = lambda a, b: True, rounds: int = 8,
                     length_weight: float = 0.0) -> list[PositionBead]:
    """Beads (positions into the text lists) after attaching unmatched segments where they fit.

    A segment joins a neighbour bead when the joined bead's similarity falls by at most ``margin``;
    with ``length_weight``, bringing the bead's length ratio closer to the document's usual one
    (in log terms, times that weight) counts as a rise, the mirror of :func:`detach_edges`.
    """
    current = list(beads)
    for _ in range(rounds):
        pairs = _candidates(current, allowed, same_paragraph)
        if not pairs:
            break
        joined = [_joined(current[t], current[k]) for k, t in pairs]
        sims = _similarities(joined, en_texts, ar_texts, embed)
        skew = _length_skew(current, en_texts, ar_texts) if length_weight else None
        gains = {}
        for (k, t), bead, sim in zip(pairs, joined, sims, strict=True):
            gain = float(sim) - current[t].score
            if skew is not None:
                gain += length_weight * (abs(skew(current[t])) - abs(skew(bead)))
            gains[(k, t)] = gain
        options = [Attachment(k, t, float(s)) for (k, t), s in zip(pairs, sims, strict=True)
                   if gains[(k, t)] >= -margin]
        if not options:
            break
        # Best gain first; a bead changes at most once a round, so every gain was measured on
        # the bead as it stands.
        options.sort(key=lambda o: (gains[(o.single, o.target)], -o.single), reverse=True)
        touched: set[int] = set()
        removed: set[int] = set()
        for o in options:
            if o.single in touched or o.target in touched:
                continue
            current[o.target] = _joined(current[o.target], current[o.single])._replace(score=o.score)
            touched.update((o.single, o.target))
            removed.add(o.single)
        current = [b for k, b in enumerate(current) if k not in removed]
    return current


def _side(bead: PositionBead, side: int) -> tuple[int, ...]:
    return bead.en if side == 0 else bead.ar


def _without(bead: PositionBead, side: int, segment: int) -> PositionBead:
    """``bead`` less one segment of ``side`` (0 English, 1 Arabic), not yet scored."""
    kept = tuple(x for x in _side(bead, side) if x != segment)
    return PositionBead(kept, bead.ar) if side == 0 else PositionBead(bead.en, kept)


def detach_edges(beads: Sequence[PositionBead], en_texts: Sequence[str], ar_texts: Sequence[str], embed: Embed,
                 gain: float, length_weight: float = 0.0) -> list[PositionBead]:
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
        if bead.aligned:
            for side in (0, 1):
                ids = _side(bead, side)
                if len(ids) > 1:
                    trials += [(k, side, ids[0]), (k, side, ids[-1])]
    if not trials:
        return list(beads)
    sims = _similarities([_without(beads[k], side, seg) for k, side, seg in trials], en_texts, ar_texts, embed)
    skew = _length_skew(beads, en_texts, ar_texts)
    best: dict[int, tuple[float, int, int, float]] = {}
    for (k, side, seg), sim in zip(trials, sims, strict=True):
        rise = float(sim) - beads[k].score
        if length_weight:
            rise += length_weight * (abs(skew(beads[k])) - abs(skew(_without(beads[k], side, seg))))
        if rise >= gain and (k not in best or rise > best[k][0]):
            best[k] = (rise, side, seg, float(sim))
    out: list[PositionBead] = []
    for k, bead in enumerate(beads):
        if k not in best:
            out.append(bead)
            continue
        _, side, seg, sim = best[k]
        kept = _without(bead, side, seg)._replace(score=sim)
        single = PositionBead((seg,), ()) if side == 0 else PositionBead((), (seg,))
        first = seg == _side(bead, side)[0]
        out += [single, kept] if first else [kept, single]
    return out


def _length_skew(beads: Sequence[PositionBead], en_texts: Sequence[str],
                 ar_texts: Sequence[str]) -> Callable[[PositionBead], float]:
    """log(Arabic/English characters of a bead / the document's median over aligned beads)."""
    en_len = np.array([len(t) for t in en_texts] + [0])
    ar_len = np.array([len(t) for t in ar_texts] + [0])

    def ratio(bead: PositionBead) -> float:
        return max(float(ar_len[list(bead.ar)].sum()), 1.0) / max(float(en_len[list(bead.en)].sum()), 1.0)

    aligned = [ratio(b) for b in beads if b.aligned]
    usual = float(np.median(aligned)) if aligned else 1.0
    return lambda bead: math.log(ratio(bead) / usual)


def pair_lone_gaps(beads: Sequence[PositionBead], en_texts: Sequence[str], ar_texts: Sequence[str],
                   embed: Embed, same_place: SamePlace = lambda a, b: True) -> list[PositionBead]:
    """Pair one English-only and one Arabic-only segment that fill the same gap alone.

    Between two aligned beads (or an aligned bead and the document's edge), a single sentence
    on each side is one translation slot: a reviewer wants the two side by side, with a meaning
    check on them, rather than two separate "missing" findings.
    """
    starts: list[int] = []  # index of the first bead of each gap to pair
    k = 0
    while k + 1 < len(beads):
        first, second = beads[k], beads[k + 1]
        bounded = (k == 0 or beads[k - 1].aligned) and (k + 2 >= len(beads) or beads[k + 2].aligned)
        if (bounded and _lone(first) and _lone(second) and bool(first.en) != bool(second.en)
                and same_place(first, second)):
            starts.append(k)
            k += 2
        else:
            k += 1
    merged = [PositionBead(beads[k].en or beads[k + 1].en, beads[k].ar or beads[k + 1].ar) for k in starts]
    sims = _similarities(merged, en_texts, ar_texts, embed)
    replaced = {k: bead._replace(score=float(sim)) for k, bead, sim in zip(starts, merged, sims, strict=True)}
    out: list[PositionBead] = []
    k = 0
    while k < len(beads):
        if k in replaced:
            out.append(replaced[k])
            k += 2
        else:
            out.append(beads[k])
            k += 1
    return out


def _lone(bead: PositionBead) -> bool:
    return len(bead.en) + len(bead.ar) == 1
