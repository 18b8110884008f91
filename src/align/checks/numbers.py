"""``number``: the numeric values of the two sides of a bead disagree."""

from __future__ import annotations

from dataclasses import dataclass

from align.checks.base import BeadCheck, CheckContext
from align.model import Bead, Evidence, Flag, FlagSide, Side
from align.numbers import NumberMention, find_numbers, unmatched_numbers
from align.text import LANGUAGE, other


def bead_numbers(bead: Bead, context: CheckContext, side: Side) -> list[tuple[int, NumberMention]]:
    """``(segment id, mention)`` for every number in the bead's ``side``."""
    texts = context.doc(side).texts
    return [(i, m) for i in bead.ids(side) for m in find_numbers(texts[i], side)]


@dataclass(frozen=True)
class NumberCheck(BeadCheck):
    type = "number"

    def check_bead(self, bead: Bead, context: CheckContext) -> list[Flag]:
        if not (bead.en and bead.ar):
            return []
        found = {side: bead_numbers(bead, context, side) for side in ("en", "ar")}
        missing: dict[Side, list[tuple[int, NumberMention]]] = {}
        for side in ("en", "ar"):
            mine = [m for _, m in found[side]]
            lost = set(map(id, unmatched_numbers(mine, [m for _, m in found[other(side)]])))
            missing[side] = [(i, m) for i, m in found[side] if id(m) in lost]
        if not missing["en"] and not missing["ar"]:
            return []
        evidence = tuple(Evidence(side, i, m.start, m.end, m.text, m.label())
                         for side in ("en", "ar") for i, m in missing[side])
        return [Flag(self.type, _flag_side(missing), "error", _message(missing, context.source), evidence)]


def _flag_side(missing: dict[Side, list[tuple[int, NumberMention]]]) -> FlagSide:
    if missing["en"] and missing["ar"]:
        return "both"
    return "en" if missing["en"] else "ar"


def _values(mentions: list[tuple[int, NumberMention]]) -> str:
    return ", ".join(m.label() for _, m in mentions)


def _message(missing: dict[Side, list[tuple[int, NumberMention]]], source: Side | None) -> str:
    if missing["en"] and missing["ar"]:
        return f"Numbers disagree: {_values(missing['en'])} in English, {_values(missing['ar'])} in Arabic"
    side: Side = "en" if missing["en"] else "ar"
    values = _values(missing[side])
    noun = "Number" if len(missing[side]) == 1 else "Numbers"
    if source == side:
        return f"{noun} {values} missing from the {LANGUAGE[other(side)]} translation"
    if source is not None:
        return f"{noun} {values} added in the {LANGUAGE[side]} translation"
    return f"{noun} {values} in {LANGUAGE[side]} only"
