"""``number``: the numeric values of the two sides of a bead disagree."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from align.checks.base import BeadCheck, CheckContext
from align.model import SIDES, Bead, Evidence, Flag, FlagSide, Side
from align.numbers import (
    DateName,
    NumberMention,
    different_dates,
    different_units,
    find_dates,
    find_numbers,
    find_scores,
    reversed_scores,
    unit_of,
    unmatched_numbers,
)
from align.text import LANGUAGE, other

T = TypeVar("T")


def bead_numbers(bead: Bead, context: CheckContext, side: Side) -> list[tuple[int, NumberMention]]:
    """``(segment id, mention)`` for every number in the bead's ``side``, each mention an object of
    its own (see :func:`_own`)."""
    texts = context.doc(side).texts_by_id  # not .texts: that copies every segment, per bead
    seen: set[int] = set()
    return [(i, _own(m, seen)) for i in bead.ids(side) for m in find_numbers(texts[i], side)]


def _own(item: T, seen: set[int]) -> T:
    """``item``, or a copy of it if it was seen already. Finds are remembered per text, so a bead that
    holds one sentence twice gets the same objects twice, and the checks tell finds apart (and find
    their segment) by identity."""
    if id(item) in seen:
        item = copy.copy(item)
    seen.add(id(item))
    return item


@dataclass(frozen=True)
class NumberCheck(BeadCheck):
    """Numbers, units, weekdays and months that the two versions of a bead give differently."""

    type = "number"

    def check_bead(self, bead: Bead, context: CheckContext) -> list[Flag]:
        if not (bead.en and bead.ar):
            return []
        found = {side: bead_numbers(bead, context, side) for side in SIDES}
        return [*self._values(found, context), *self._units(found, context), *self._dates(bead, context),
                *self._scores(bead, context)]

    def _values(self, found: dict[Side, list[tuple[int, NumberMention]]], context: CheckContext) -> list[Flag]:
        missing: dict[Side, list[tuple[int, NumberMention]]] = {}
        for side in SIDES:
            mine = [m for _, m in found[side]]
            lost = set(map(id, unmatched_numbers(mine, [m for _, m in found[other(side)]])))
            missing[side] = [(i, m) for i, m in found[side] if id(m) in lost]
        if not missing["en"] and not missing["ar"]:
            return []
        evidence = tuple(Evidence(side, i, m.start, m.end, m.text, m.label())
                         for side in SIDES for i, m in missing[side])
        return [Flag(self.type, _flag_side(missing), "error", _message(missing, context.source), evidence)]

    def _units(self, found: dict[Side, list[tuple[int, NumberMention]]], context: CheckContext) -> list[Flag]:
        texts = {side: context.doc(side).texts_by_id for side in SIDES}
        with_units = {side: [(m, unit_of(m, texts[side][i], side)) for i, m in found[side]] for side in SIDES}
        segment_of = {id(m): i for side in SIDES for i, m in found[side]}
        flags = []
        for en, ar in different_units(with_units["en"], with_units["ar"]):
            en_text = _phrase(texts["en"][segment_of[id(en)]], en.start)
            ar_text = _phrase(texts["ar"][segment_of[id(ar)]], ar.start)
            evidence = (Evidence("en", segment_of[id(en)], en.start, en.start + len(en_text), en_text),
                        Evidence("ar", segment_of[id(ar)], ar.start, ar.start + len(ar_text), ar_text))
            flags.append(Flag(self.type, "both", "error",
                              f"Same number, different unit: «{en_text}» in English, «{ar_text}» in Arabic", evidence))
        return flags

    def _scores(self, bead: Bead, context: CheckContext) -> list[Flag]:
        found, segment_of = _found_in(bead, context, find_scores)
        flags = []
        for en, ar in reversed_scores(found["en"], found["ar"]):
            evidence = (Evidence("en", segment_of[id(en)], en.start, en.end, en.text),
                        Evidence("ar", segment_of[id(ar)], ar.start, ar.end, ar.text))
            flags.append(Flag(self.type, "both", "error",
                              f"The score is the other way round: «{en.text}» in English, «{ar.text}» in Arabic",
                              evidence))
        return flags

    def _dates(self, bead: Bead, context: CheckContext) -> list[Flag]:
        found, segment_of = _found_in(bead, context, find_dates)
        flags = []
        for only_en, only_ar in different_dates(found["en"], found["ar"]):
            kind = (only_en or only_ar)[0].kind
            named: tuple[tuple[Side, list[DateName]], ...] = (("en", only_en), ("ar", only_ar))
            evidence = tuple(Evidence(side, segment_of[id(d)], d.start, d.end, d.text)
                             for side, names in named for d in names)
            en_names = ", ".join(d.text for d in only_en) or "none"
            ar_names = ", ".join(d.text for d in only_ar) or "none"
            flags.append(Flag(self.type, "both", "error",
                              f"The {kind} differs: «{en_names}» in English, «{ar_names}» in Arabic", evidence))
        return flags


def _found_in(bead: Bead, context: CheckContext,
              find: Callable[[str, Side], Sequence[T]]) -> tuple[dict[Side, list[T]], dict[int, int]]:
    """What ``find`` finds in each side of the bead, in segment order, and the segment id of each
    find (keyed by ``id()``, so that evidence can point into its segment)."""
    found: dict[Side, list[T]] = {}
    segment_of: dict[int, int] = {}
    seen: set[int] = set()
    for side in SIDES:
        found[side] = []
        for i, text in zip(bead.ids(side), context.texts(bead, side), strict=True):
            for item in find(text, side):
                item = _own(item, seen)
                found[side].append(item)
                segment_of[id(item)] = i
    return found, segment_of


_NUMBER_AND_UNIT = re.compile(r"\S+(?:[\s-]+percentage)?[\s-]+\S+")


def _phrase(text: str, start: int) -> str:
    """The number and the unit word after it, as written: "five weeks", "خمسة أيام"."""
    m = _NUMBER_AND_UNIT.match(text, start)
    return m.group(0).rstrip(".,،؛;:") if m else text[start:start + 1]


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
