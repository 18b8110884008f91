"""The interface every check implements, and the loop that runs a list of them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from align.model import Bead, Document, Flag, Side

LANGUAGE = {"en": "English", "ar": "Arabic"}


@dataclass(frozen=True)
class CheckContext:
    """What a check may look at: both documents, the beads, and which side is the original."""

    en: Document
    ar: Document
    beads: tuple[Bead, ...]
    source: Side | None = None

    def doc(self, side: Side) -> Document:
        return self.en if side == "en" else self.ar

    def texts(self, bead: Bead, side: Side) -> list[str]:
        texts = self.doc(side).texts
        return [texts[i] for i in bead.ids(side)]


class Check:
    """A check looks at one bead at a time; override :meth:`check_bead`.

    A check that needs the whole document (a verdict on the pair) overrides :meth:`run`.
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


def presence_wording(side: Side, source: Side | None) -> str:
    """How to say that text exists on ``side`` only, given which side is the original."""
    other: Side = "ar" if side == "en" else "en"
    if source is None:
        return f"only in {LANGUAGE[side]}"
    if side == source:
        return f"missing from the {LANGUAGE[other]} translation"
    return f"added in the {LANGUAGE[side]} translation"
