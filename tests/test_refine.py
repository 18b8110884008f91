"""The second pass's paragraph rule: where a leftover segment may join a neighbouring bead (flat search)."""

from __future__ import annotations

import numpy as np
import pytest

from align.dp import PositionBead
from align.refine import SamePlace, paragraph_rule


def rule(en: list[int], ar: list[int]) -> SamePlace:
    return paragraph_rule(np.array(en), np.array(ar))


def bead(en: tuple[int, ...], ar: tuple[int, ...]) -> PositionBead:
    return PositionBead(en, ar, 0.5)


def test_a_segment_joins_a_bead_of_its_own_paragraph() -> None:
    assert rule([0, 0, 1], [0, 1])(bead((0,), (0,)), bead((1,), ()))


@pytest.mark.parametrize(
    ("en", "ar", "target", "single", "allowed"),
    [
        # A rule (EN 0) and its example line (EN 1, a paragraph of its own) in one Arabic paragraph
        # that goes on after A0: the English boundary has no Arabic counterpart.
        ([0, 1], [0, 0], ((0,), (0,)), ((1,), ()), True),
        # The same, the leftover before the bead: the Arabic paragraph starts before A1.
        ([0, 1], [0, 0], ((1,), (1,)), ((0,), ()), True),
        # Both sides break there (a verse per paragraph): the boundary holds.
        ([0, 1], [0, 1], ((0,), (0,)), ((1,), ()), False),
        ([0, 1], [0, 1], ((1,), (1,)), ((0,), ()), False),
        # The Arabic paragraph ends with the bead's A0 (A1 opens the padding paragraph): it holds.
        ([0, 1], [0], ((0,), (0,)), ((1,), ()), False),
        # Arabic leftovers, mirrored.
        ([0, 0], [0, 1], ((0,), (0,)), ((), (1,)), True),
        ([0, 1], [0, 1], ((0,), (0,)), ((), (1,)), False),
    ],
)
def test_a_boundary_binds_only_where_the_other_side_breaks_too(
        en: list[int], ar: list[int], target: tuple[tuple[int, ...], tuple[int, ...]],
        single: tuple[tuple[int, ...], tuple[int, ...]], allowed: bool) -> None:
    # Sides need several paragraphs for the rule to apply at all; pad both with a last paragraph.
    en_par, ar_par = en + [en[-1] + 1] * 2, ar + [ar[-1] + 1] * 2
    assert rule(en_par, ar_par)(bead(*target), bead(*single)) is allowed


def test_without_paragraphs_on_both_sides_anything_may_join() -> None:
    assert rule([0, 1, 2], [0, 0, 0])(bead((0,), (0,)), bead((1,), ()))
