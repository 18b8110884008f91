"""The interface every check implements, and the loop that runs a list of them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from align.model import Bead, Document, Evidence, Flag, GlossaryEntry, Side

LANGUAGE = {"en": "English", "ar": "Arabic"}
Embed = Callable[[Sequence[str]], np.ndarray]


@dataclass(frozen=True)
class CheckContext:
    """What a check may look at: both documents, the beads, which side is the original, the
    document's own similarity scale (``random``: unrelated pairs; ``best``: typical translations)
    and the encoder, for checks that embed pieces of text."""

    en: Document
    ar: Document
    beads: tuple[Bead, ...]
    source: Side | None = None
    random: float = 0.0
    best: float = 1.0
    embed: Embed | None = None
    glossary: tuple[GlossaryEntry, ...] = ()

    @property
    def spread(self) -> float:
        return max(self.best - self.random, 0.05)

    def relative(self, similarity: float) -> float:
        """Similarity on the document's scale: 0 = unrelated pairs, 1 = a typical translation."""
        return (similarity - self.random) / self.spread

    def doc(self, side: Side) -> Document:
        return self.en if side == "en" else self.ar

    def texts(self, bead: Bead, side: Side) -> list[str]:
        texts = self.doc(side).texts_by_id
        return [texts[i] for i in bead.ids(side)]

    def whole(self, bead: Bead, side: Side) -> tuple[Evidence, ...]:
        """Evidence spanning every segment of the bead's ``side``."""
        return tuple(Evidence(side, i, 0, len(t), t) for i, t in zip(bead.ids(side), self.texts(bead, side)))

    def length_ratio(self, bead: Bead) -> float:
        """Arabic characters per English character in ``bead``."""
        return sum(map(len, self.texts(bead, "ar"))) / max(sum(map(len, self.texts(bead, "en"))), 1)

    def usual_length_ratio(self) -> float:
        """The median length ratio of this document's aligned beads."""
        ratios = [self.length_ratio(b) for b in self.beads if b.en and b.ar]
        return float(np.median(ratios)) if ratios else 1.0

    def joined(self, bead: Bead, side: Side) -> str:
        """The bead's ``side`` as one text, segments joined by a space (as they were embedded)."""
        return " ".join(self.texts(bead, side))


class Check:
    """A check looks at one bead at a time; override :meth:`check_bead`.

    A check that needs the whole document at once overrides :meth:`run`.
    """

    type: str = ""

    def check_bead(self, bead: Bead, context: CheckContext) -> list[Flag]:
        raise NotImplementedError

    def run(self, context: CheckContext) -> list[list[Flag]]:
        """Flags for every bead of ``context``, in bead order."""
        return [self.check_bead(bead, context) for bead in context.beads]


def run_checks(checks: Sequence[Check], context: CheckContext) -> tuple[Bead, ...]:
    """The beads of ``context`` with the flags of every check attached, in check order."""
    found: list[list[Flag]] = [list(bead.flags) for bead in context.beads]
    for check in checks:
        for flags, new in zip(found, check.run(context)):
            flags.extend(new)
    return tuple(replace(bead, flags=tuple(flags)) for bead, flags in zip(context.beads, found))


def other(side: Side) -> Side:
    return "ar" if side == "en" else "en"


def presence_wording(side: Side, source: Side | None) -> str:
    """How to say that text exists on ``side`` only, given which side is the original."""
    if source is None:
        return f"only in {LANGUAGE[side]}"
    if side == source:
        return f"missing from the {LANGUAGE[other(side)]} translation"
    return f"added in the {LANGUAGE[side]} translation"
