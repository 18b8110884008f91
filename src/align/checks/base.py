"""The interface every check implements, and the loop that runs a list of them."""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, ClassVar

import numpy as np

from align.model import Bead, Document, Evidence, Flag, GlossaryEntry, Side
from align.text import LANGUAGE, other

if TYPE_CHECKING:
    from align.removals import Wanted

Embed = Callable[[Sequence[str]], np.ndarray]
# ``embed_removals(parts, trials)``: vectors of ``trials``, each the join of its ``parts`` (a bead side's
# segment texts) with a piece removed (align.removals: the default encoder reuses the parts' work).
EmbedRemovals = Callable[[Sequence[Sequence[str]], Sequence[str]], np.ndarray]
# ``screen_removals(parts, trials, wanted)``: ``embed_removals`` for the trials ``wanted`` picks by their
# cheap estimates, where the encoder has them; NaN rows for the others (align.removals.Wanted).
ScreenRemovals = Callable[[Sequence[Sequence[str]], Sequence[str], "Wanted"], np.ndarray]
# ``embed_joined(parts)``: the vector of each list of segment texts joined by spaces.
EmbedJoined = Callable[[Sequence[Sequence[str]]], np.ndarray]


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
    # Relative similarity under which the divergent check reports a bead (None: it does not run).
    # Other checks leave such beads to it; its owner is the configured DivergentCheck.
    divergent_below: float | None = None
    # How to embed a bead side with a piece removed, and a bead side's segments joined, faster than
    # ``embed`` (None: ``embed`` the text).
    embed_removals: EmbedRemovals | None = None
    embed_joined: EmbedJoined | None = None
    screen_removals: ScreenRemovals | None = None

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
        texts = self.texts(bead, side)
        return tuple(Evidence(side, i, 0, len(t), t) for i, t in zip(bead.ids(side), texts, strict=True))

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


class Check(ABC):
    """One family of findings. A check is a frozen dataclass: its fields are its settings.

    Subclasses set ``type`` (the flag type they produce, never empty) and implement :meth:`run`,
    or derive from :class:`BeadCheck` and implement :meth:`BeadCheck.check_bead`. The signature
    of a run is built from :meth:`settings`, so a setting the signature does not name cannot
    change a result.
    """

    type: ClassVar[str] = ""

    def __post_init__(self) -> None:
        if not self.type:
            raise TypeError(f"{type(self).__name__} must set a non-empty 'type'")

    @abstractmethod
    def run(self, context: CheckContext) -> list[list[Flag]]:
        """Flags for every bead of ``context``: one list per bead, in bead order."""

    def settings(self) -> tuple[tuple[str, str], ...]:
        """``(name, value)`` for every field of this check, as the signature prints them."""
        return tuple((f.name, _setting_text(getattr(self, f.name))) for f in fields(self))  # type: ignore[arg-type]

    def signature(self) -> str:
        """``type`` with its settings: ``partial[min_score=0.1;length_weight=0.4]``."""
        settings = ";".join(f"{name}={value}" for name, value in self.settings())
        return f"{self.type}[{settings}]" if settings else self.type


class BeadCheck(Check):
    """A check that looks at one bead at a time."""

    @abstractmethod
    def check_bead(self, bead: Bead, context: CheckContext) -> list[Flag]:
        """The flags of one bead."""

    def run(self, context: CheckContext) -> list[list[Flag]]:
        return [self.check_bead(bead, context) for bead in context.beads]


def _setting_text(value: object) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, tuple) and value and all(isinstance(v, GlossaryEntry) for v in value):
        # A glossary can be long: name its size and a digest of its entries, enough to tell two apart.
        digest = hashlib.sha1("\n".join(f"{e.english}\t{e.arabic}" for e in value).encode("utf-8")).hexdigest()
        return f"{len(value)}:{digest[:8]}"
    if isinstance(value, tuple):
        return ",".join(map(_setting_text, value))
    return str(value)


def presence_wording(side: Side, source: Side | None) -> str:
    """How to say that text exists on ``side`` only, given which side is the original."""
    if source is None:
        return f"only in {LANGUAGE[side]}"
    if side == source:
        return f"missing from the {LANGUAGE[other(side)]} translation"
    return f"added in the {LANGUAGE[side]} translation"
