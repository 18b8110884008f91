"""The vectorised forward pass of the banded aligner against the per-row, per-type pass it replaced
(tests/dp_reference.py): the same alignments, scores and tie-breaking, bit for bit."""

from __future__ import annotations

from unittest import mock

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from align import dp
from align.dp import AlignConfig, EdgeVectors, align_vectors
from tests.dp_reference import ReferenceAligner


def unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


@st.composite
def aligner_inputs(draw: st.DrawFn) -> dict:
    n, m = draw(st.integers(1, 40)), draw(st.integers(1, 40))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    dim = 8
    if draw(st.booleans()):
        # Few distinct vectors: many beads score exactly alike, so tie-breaking decides.
        basis = unit(rng.normal(size=(3, dim)))
        en, ar = basis[rng.integers(0, 3, n)], basis[rng.integers(0, 3, m)]
    else:
        en = unit(rng.normal(size=(n, dim)))
        src = np.sort(rng.integers(0, n, size=m))
        ar = unit(en[src] + draw(st.sampled_from([0.1, 0.5, 3.0])) * rng.normal(size=(m, dim)))
    lengths = draw(st.booleans())
    # Vectors of each segment's opening and closing words, for the edge term of an uneven search.
    heads = {"en": unit(rng.normal(size=(n, dim))), "ar": unit(rng.normal(size=(m, dim)))}
    tails = {"en": unit(rng.normal(size=(n, dim))), "ar": unit(rng.normal(size=(m, dim)))}
    edges = draw(st.booleans())
    return {
        "en": en, "ar": ar,
        "en_paragraphs": np.sort(rng.integers(0, draw(st.integers(1, 6)), size=n)),
        "ar_paragraphs": np.sort(rng.integers(0, draw(st.integers(1, 6)), size=m)),
        "en_lengths": rng.integers(1, 200, size=n) if lengths else None,
        "ar_lengths": rng.integers(1, 200, size=m) if lengths else None,
        "config": AlignConfig(max_merge=draw(st.integers(1, 10)), band=draw(st.integers(0, 6)),
                              coarse_cells=draw(st.sampled_from([4_000_000, 50])),
                              paragraphs=draw(st.sampled_from(["auto", "on", "off"])),
                              length_weight=draw(st.sampled_from([0.0, 0.3])),
                              length_power=draw(st.sampled_from([0.0, 0.5])),
                              uneven_ratio=draw(st.sampled_from([0.0, 1.4]))),
        "edge_source": (lambda side: EdgeVectors(side, heads[side], tails[side])) if edges else None,
    }


@settings(max_examples=300, deadline=None)
@given(aligner_inputs(), st.sampled_from([20_000, 40, 1]), st.sampled_from([0, dp._ROW_CALLS, 10**9]))
def test_vectorised_pass_matches_the_per_row_reference(inputs: dict, chunk: int, row_calls: int) -> None:
    # row_calls 0: every band a row at a time; 10**9: every band cell by cell; else as in use.
    with mock.patch.object(dp, "_CHUNK_CELLS", chunk), mock.patch.object(dp, "_ROW_CALLS", row_calls):
        vectorised = align_vectors(**inputs)
    with mock.patch.object(dp, "_BandedAligner", ReferenceAligner):
        reference = align_vectors(**inputs)
    assert vectorised == reference


def test_a_long_document_matches_the_reference() -> None:
    rng = np.random.default_rng(3)
    en = unit(rng.normal(size=(700, 16)))
    keep = np.sort(rng.choice(700, 640, replace=False))  # deletions and merges make a winding path
    starts = np.sort(rng.choice(640, 560, replace=False))
    ar = unit(np.add.reduceat(en[keep], starts) + 0.4 * rng.normal(size=(560, 16)))
    vectorised = align_vectors(en, ar)
    with mock.patch.object(dp, "_BandedAligner", ReferenceAligner):
        assert vectorised == align_vectors(en, ar)
