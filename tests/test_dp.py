"""The aligner: structural properties on arbitrary vectors, and recovery of real merges/deletions."""

from __future__ import annotations

import tracemalloc
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from align.clauses import edge_fragments
from align.dp import (
    AlignConfig,
    EdgeVectors,
    LengthModel,
    PositionBead,
    _band,
    align_vectors,
    anchor_path,
    hub_offsets,
    refit_length,
    search_band,
)
from align.embed import CachedEncoder
from align.model import Bead, Document
from align.pipeline import Checker, CheckOptions
from align.segment import make_document

TICO = Path(__file__).parent / "data" / "tico19_06_PubMed_10"


def unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


@st.composite
def vector_pairs(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, AlignConfig]:
    n = draw(st.integers(0, 30))
    m = draw(st.integers(0, 30))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    dim = 8
    en = unit(rng.normal(size=(n, dim)) + 1e-3) if n else np.zeros((0, dim), np.float32)
    # Half the time the Arabic side is a noisy, partly merged copy, so real beads occur.
    if m and n and draw(st.booleans()):
        src = np.sort(rng.integers(0, n, size=m))
        ar = unit(en[src] + 0.3 * rng.normal(size=(m, dim)))
    else:
        ar = unit(rng.normal(size=(m, dim)) + 1e-3) if m else np.zeros((0, dim), np.float32)
    en_par = np.sort(rng.integers(0, 4, size=n))
    ar_par = np.sort(rng.integers(0, 4, size=m))
    config = AlignConfig(max_merge=draw(st.integers(1, 10)), band=draw(st.integers(0, 6)),
                         coarse_cells=draw(st.sampled_from([4_000_000, 50])))
    return en, ar, en_par, ar_par, config


@settings(max_examples=150, deadline=None)
@given(vector_pairs())
def test_every_segment_appears_exactly_once_in_order(case: tuple) -> None:
    en, ar, en_par, ar_par, config = case
    alignment = align_vectors(en, ar, en_par, ar_par, config)
    beads = alignment.beads
    assert [i for e, _, _ in beads for i in e] == list(range(len(en)))
    assert [j for _, a, _ in beads for j in a] == list(range(len(ar)))
    for e, a, score in beads:
        assert e or a, "a bead must hold at least one segment"
        if e and a:
            # Inside a paragraph bead one segment may carry up to paragraph_max_merge on the other side.
            inner = alignment.paragraph_path and min(len(e), len(a)) == 1 \
                and max(len(e), len(a)) <= config.paragraph_max_merge
            assert config.allows(len(e), len(a)) or inner, f"shape {len(e)}-{len(a)} is not one the config allows"
            assert -1.0001 <= score <= 1.0001
        else:
            assert len(e) + len(a) == 1, "unmatched segments come one bead each"


@settings(max_examples=40, deadline=None)
@given(vector_pairs())
def test_alignment_is_deterministic(case: tuple) -> None:
    en, ar, en_par, ar_par, config = case
    assert align_vectors(en, ar, en_par, ar_par, config) == align_vectors(en, ar, en_par, ar_par, config)


@settings(max_examples=60, deadline=None)
@given(vector_pairs())
def test_beads_stay_inside_paragraphs_when_both_sides_have_them(case: tuple) -> None:
    en, ar, en_par, ar_par, config = case
    beads = align_vectors(en, ar, en_par, ar_par, config).beads
    grouped = 1 < len(set(en_par)) < len(en) and 1 < len(set(ar_par)) < len(ar)
    for e, a, _ in beads:
        if grouped and e and a:
            assert len({en_par[i] for i in e}) == 1
            assert len({ar_par[j] for j in a}) == 1


def test_identical_sequences_align_one_to_one() -> None:
    rng = np.random.default_rng(7)
    en = unit(rng.normal(size=(50, 32)))
    beads = align_vectors(en, en.copy()).beads
    assert [(e, a) for e, a, _ in beads] == [((i,), (i,)) for i in range(50)]


def test_band_width_does_not_grow_with_length() -> None:
    n = 50_000
    anchors = [(i, i) for i in range(n)]
    lo, hi = search_band(anchors, n, n, width=18)
    assert (hi - lo).max() <= 2 * 18 + 2
    assert lo[0] == 0 and hi[-1] == n
    assert np.all(np.diff(lo) >= 0) and np.all(np.diff(hi) >= 0)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 25), st.integers(1, 25), st.integers(0, 2**32 - 1), st.integers(0, 8), st.integers(1, 10))
def test_a_band_at_least_as_wide_as_a_side_is_the_whole_grid(n: int, m: int, seed: int, band: int,
                                                              max_merge: int) -> None:
    # _band leaves out the first pass when the band's half-width reaches every column: the band
    # must be the one the anchor path would have given, whatever the vectors.
    rng = np.random.default_rng(seed)
    en, ar = unit(rng.normal(size=(n, 8))), unit(rng.normal(size=(m, 8)))
    config = AlignConfig(band=band, max_merge=max_merge)
    width = band + max_merge
    expected = search_band(anchor_path(en, ar, 0.1, 0.05, config.coarse_cells), n, m, width)
    lo, hi = _band(en, ar, 0.1, 0.05, config)
    assert lo.tolist() == expected[0].tolist() and hi.tolist() == expected[1].tolist()
    if width >= m:
        assert lo.tolist() == [0] * (n + 1) and hi.tolist() == [m] * (n + 1)


def _peak_bytes(n: int) -> int:
    rng = np.random.default_rng(3)
    en = unit(rng.normal(size=(n, 16)))
    ar = unit(en + 0.2 * rng.normal(size=(n, 16)))
    tracemalloc.start()
    align_vectors(en, ar, config=AlignConfig(coarse_cells=200_000))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def test_memory_grows_linearly_not_quadratically() -> None:
    small, large = _peak_bytes(1500), _peak_bytes(3000)
    # Doubling the length doubles linear memory and quadruples quadratic memory.
    assert large / small < 3.0, (small, large)


# --- real sentences, real encoder -------------------------------------------------------------

def tico_lines(count: int) -> tuple[list[str], list[str]]:
    en = TICO.with_suffix(".en.txt").read_text(encoding="utf-8").splitlines()[:count]
    ar = TICO.with_suffix(".ar.txt").read_text(encoding="utf-8").splitlines()[:count]
    return en, ar


def merged(lines: list[str], start: int, size: int) -> list[str]:
    return lines[:start] + [" ".join(lines[start:start + size])] + lines[start + size:]


MERGE_CASES = [  # (first line, how many consecutive lines the Arabic merges into one)
    (3, 2),
    (5, 4),
    (10, 6),
    (12, 9),
]


@pytest.mark.parametrize(("start", "size"), MERGE_CASES)
def test_a_long_arabic_merge_becomes_one_bead(checker_lines: Checker, start: int, size: int) -> None:
    en, ar = tico_lines(30)
    report = checker_lines.check_texts("\n".join(en), "\n".join(merged(ar, start, size)))
    beads = {(b.en, b.ar) for b in report.beads}
    assert (tuple(range(start, start + size)), (start,)) in beads
    assert all(b.en and b.ar for b in report.beads), "nothing is unmatched in a pure merge"


@pytest.mark.parametrize("deleted", [0, 7, 15, 29])
def test_a_deleted_arabic_sentence_leaves_its_english_unmatched(checker_lines: Checker, deleted: int) -> None:
    en, ar = tico_lines(30)
    report = checker_lines.check_texts("\n".join(en), "\n".join(ar[:deleted] + ar[deleted + 1:]))
    unmatched = [b for b in report.beads if not (b.en and b.ar)]
    assert [(b.en, b.ar) for b in unmatched] == [((deleted,), ())]
    assert unmatched[0].flags[0].type == "unmatched" and unmatched[0].flags[0].side == "en"


def test_english_merge_and_arabic_deletion_together(checker_lines: Checker) -> None:
    en, ar = tico_lines(30)
    en2 = merged(en, 4, 3)  # English lines 4-6 become line 4; later ids shift down by 2
    ar2 = ar[:20] + ar[21:]  # Arabic line 20 (English 18 after the merge) is gone
    report = checker_lines.check_texts("\n".join(en2), "\n".join(ar2))
    beads = {(b.en, b.ar) for b in report.beads}
    assert ((4,), (4, 5, 6)) in beads
    assert ((18,), ()) in beads


@pytest.fixture(scope="module")
def checker_lines(use_encoder: object) -> Checker:
    return Checker(use_encoder, CheckOptions(split="lines"))  # type: ignore[arg-type]


# --- paragraphs first ---------------------------------------------------------------------------

GROUPS = [3, 2, 4, 1, 3, 2, 5, 3, 2, 5]  # sentences per paragraph of the 30 TICO lines
_AR_STOPS = str.maketrans("", "", ".؟!؛")


def paragraphs_of(lines: list[str], sizes: list[int]) -> list[str]:
    out, start = [], 0
    for size in sizes:
        out.append(" ".join(lines[start:start + size]))
        start += size
    return out


def unpunctuated_verses(ar: list[str], sizes: list[int]) -> str:
    """Arabic paragraphs with no sentence punctuation: one segment each, like Qur'anic verses."""
    return "\n\n".join(p.translate(_AR_STOPS) for p in paragraphs_of(ar, sizes))


def crossing(en: Document, ar: Document, beads: tuple[Bead, ...]) -> list[Bead]:
    en_par = {s.index: s.paragraph for s in en.segments}
    ar_par = {s.index: s.paragraph for s in ar.segments}
    return [b for b in beads if b.en and b.ar
            and len({en_par[i] for i in b.en} | {ar_par[j] for j in b.ar}) > 1]


@pytest.mark.parametrize("mode", ["auto", "on"])
def test_corresponding_paragraphs_are_aligned_first_and_no_bead_crosses_them(use_encoder: CachedEncoder,
                                                                              mode: str) -> None:
    en_lines, ar_lines = tico_lines(30)
    checker = Checker(use_encoder, CheckOptions(align=AlignConfig(paragraphs=mode)))
    en_doc = make_document("\n\n".join(paragraphs_of(en_lines, GROUPS)), "en", "en")
    ar_doc = make_document(unpunctuated_verses(ar_lines, GROUPS), "ar", "ar")
    alignment, _ = checker.align_documents(en_doc, ar_doc)
    assert alignment.paragraph_path
    en, ar, beads = checker.align_texts(en_doc.text, ar_doc.text)
    assert len(ar.segments) == len(GROUPS) < len(en.segments)
    assert crossing(en, ar, beads) == []
    assert all(b.en and b.ar for b in beads), "every paragraph has its counterpart"


def test_merged_paragraphs_on_one_side_fall_back_to_the_flat_search(use_encoder: CachedEncoder) -> None:
    en_lines, ar_lines = tico_lines(30)
    merged_pairs = [sum(GROUPS[k:k + 2]) for k in range(0, len(GROUPS), 2)]  # Arabic joins paragraphs pairwise
    checker = Checker(use_encoder, CheckOptions(align=AlignConfig(paragraphs="auto")))
    en_doc = make_document("\n\n".join(paragraphs_of(en_lines, GROUPS)), "en", "en")
    ar_doc = make_document("\n\n".join(paragraphs_of(ar_lines, merged_pairs)), "ar", "ar")
    alignment, _ = checker.align_documents(en_doc, ar_doc)
    assert not alignment.paragraph_path


def test_paragraphs_broken_at_other_places_keep_the_flat_search(use_encoder: CachedEncoder) -> None:
    # The same number of paragraphs, but the Arabic breaks each one a sentence later (a transcript
    # whose lines were broken differently): the paragraph path would strand the moved sentences.
    en_lines, ar_lines = tico_lines(30)
    shifted = [GROUPS[0] + 1, *GROUPS[1:-1], GROUPS[-1] - 1]
    checker = Checker(use_encoder, CheckOptions(align=AlignConfig(paragraphs="auto")))
    en_doc = make_document("\n\n".join(paragraphs_of(en_lines, GROUPS)), "en", "en")
    ar_doc = make_document("\n\n".join(paragraphs_of(ar_lines, shifted)), "ar", "ar")
    alignment, positions = checker.align_documents(en_doc, ar_doc)
    assert not alignment.paragraph_path
    assert all(b.en and b.ar for b in positions), "every sentence has its counterpart"


def test_paragraphs_off_is_the_flat_search_and_the_mode_is_in_the_signature(use_encoder: CachedEncoder) -> None:
    en_lines, ar_lines = tico_lines(30)
    off = Checker(use_encoder, CheckOptions(align=AlignConfig(paragraphs="off")))
    en_doc = make_document("\n\n".join(paragraphs_of(en_lines, GROUPS)), "en", "en")
    ar_doc = make_document(unpunctuated_verses(ar_lines, GROUPS), "ar", "ar")
    assert not off.align_documents(en_doc, ar_doc)[0].paragraph_path
    assert "paras:off" in str(off.signature())
    assert "paras:auto" in str(Checker(use_encoder).signature())
    with pytest.raises(ValueError, match="paragraphs must be one of"):
        AlignConfig(paragraphs="sometimes")


@settings(max_examples=80, deadline=None)
@given(vector_pairs())
def test_with_paragraphs_first_no_bead_leaves_its_paragraph_bead(case: tuple) -> None:
    en, ar, en_par, ar_par, config = case
    alignment = align_vectors(en, ar, en_par, ar_par, replace(config, paragraphs="on"))
    assert [i for b in alignment.beads for i in b.en] == list(range(len(en)))
    assert [j for b in alignment.beads for j in b.ar] == list(range(len(ar)))
    if alignment.paragraph_path:
        for bead in alignment.beads:
            blocks = {alignment.en_blocks[i] for i in bead.en} | {alignment.ar_blocks[j] for j in bead.ar}
            assert len(blocks) == 1


# --- uneven segment counts (loose literary translation, no paragraphs) ----------------------------

def test_uneven_counts_without_paragraphs_merge_every_verse_whole(checker_lines: Checker) -> None:
    """Thirty English lines against ten unpunctuated Arabic verses, one a line: every verse is one
    bead with all its English sentences and no English sentence is left over (issue 11)."""
    en, ar = tico_lines(30)
    verses = unpunctuated_verses(ar, GROUPS).split("\n\n")
    report = checker_lines.check_texts("\n".join(en), "\n".join(verses))
    starts = np.cumsum([0, *GROUPS[:-1]])
    expected = {(tuple(range(s, s + g)), (k,)) for k, (s, g) in enumerate(zip(starts, GROUPS, strict=True))}
    assert {(b.en, b.ar) for b in report.beads} == expected


def test_uneven_settings_apply_by_count_ratio_and_are_in_the_signature() -> None:
    config = AlignConfig()
    assert config.for_flat(30, 10).pair_threshold == config.uneven_threshold
    assert config.for_flat(30, 10).length_weight == config.uneven_length_weight
    assert config.for_flat(11, 10) == config
    assert AlignConfig(uneven_ratio=0).for_flat(30, 10) == AlignConfig(uneven_ratio=0)
    assert dict(config.signature())["uneven"] != dict(replace(config, uneven_threshold=0).signature())["uneven"]
    assert "uneven" not in dict(AlignConfig(uneven_ratio=0).signature())
    uneven = config.for_flat(30, 10)
    assert (uneven.hub_weight, uneven.edge_weight, uneven.detach_gain) == \
        (config.uneven_hub, config.uneven_edge, config.uneven_detach)
    for name in ("uneven_hub", "uneven_edge", "uneven_detach"):
        assert dict(replace(config, **{name: 0.25}).signature())["uneven"] != dict(config.signature())["uneven"]
    assert "hub" not in dict(config.signature()) and "edge" not in dict(config.signature())
    assert dict(replace(config, hub_weight=0.5, edge_weight=0.5).signature())["edge"] == "0.5"


def test_hub_offsets_pull_down_a_segment_that_resembles_everything() -> None:
    """CSLS: the Arabic segment close to every English one (a long verse, a stock formula) gets the
    largest offset, a segment like no other the smallest; the offsets of a side average zero."""
    basis = np.eye(8)
    en = unit(basis[:5] + 0.01)
    ar = unit(np.stack([basis[0], basis[:5].sum(axis=0), basis[6] + 0.01 * basis[1]]))
    starts, ends = np.zeros(5, int), np.full(5, 3)
    hubs = hub_offsets(en, ar, starts, ends, k=4, weight=0.5)
    assert int(np.argmax(hubs.ar)) == 1 and int(np.argmin(hubs.ar)) == 2
    assert abs(hubs.ar.mean()) < 1e-9 and abs(hubs.en.mean()) < 1e-9
    assert np.allclose(hub_offsets(en, ar, starts, ends, k=4, weight=0.0).ar, 0.0)


def edge_case() -> tuple[np.ndarray, np.ndarray, EdgeVectors]:
    """Seven English sentences for three Arabic verses. English 2 resembles neither verse as a whole
    (a short formula): the second verse's vector leans slightly its way, but the first verse's
    closing words are its translation."""
    u = np.eye(16)
    en = unit(np.stack([u[0], u[1], u[5], u[2], u[3], u[6], u[7]]))
    ar = unit(np.stack([u[0] + u[1], u[2] + u[3] + 0.4 * u[5], u[6] + u[7]]))
    edges = EdgeVectors("ar", unit(np.stack([u[0], u[2], u[6]])), unit(np.stack([u[5], u[3], u[7]])))
    return en, ar, edges


def test_edge_term_ends_a_merge_with_the_sentence_that_translates_the_verse_end() -> None:
    en, ar, edges = edge_case()
    asked: list[str] = []

    def source(side: str) -> EdgeVectors:
        asked.append(side)
        return edges

    lengths = (np.full(7, 40), np.array([120, 80, 80]))
    beads = align_vectors(en, ar, config=AlignConfig(), en_lengths=lengths[0], ar_lengths=lengths[1],
                          edge_source=source).beads
    assert [(b.en, b.ar) for b in beads] == [((0, 1, 2), (0,)), ((3, 4), (1,)), ((5, 6), (2,))]
    assert asked == ["ar"]  # the side with fewer, longer segments, asked once for all passes
    without = align_vectors(en, ar, config=replace(AlignConfig(), uneven_edge=0), en_lengths=lengths[0],
                            ar_lengths=lengths[1], edge_source=source).beads
    assert [(b.en, b.ar) for b in without][:2] == [((0, 1), (0,)), ((2, 3, 4), (1,))]


def test_edge_vectors_are_asked_for_only_by_an_uneven_flat_search() -> None:
    en, ar, _ = edge_case()

    def refuse(side: str) -> EdgeVectors:
        raise AssertionError(f"edge vectors of {side} asked for")

    align_vectors(en[:3], ar, config=AlignConfig(), edge_source=refuse)  # 3 vs 3: not uneven
    align_vectors(en, ar, config=AlignConfig(uneven_edge=0), edge_source=refuse)


def test_edge_fragments_take_a_third_of_the_words_within_bounds() -> None:
    assert edge_fragments("a b c d e f g h i") == ("a b c", "g h i")
    assert edge_fragments("Lo!") == ("Lo!", "Lo!")
    assert edge_fragments(" ".join(map(str, range(60)))) == (" ".join(map(str, range(12))),
                                                            " ".join(map(str, range(48, 60))))


def test_length_refit_measures_the_ratio_over_the_beads() -> None:
    en_chars = np.array([50.0, 60, 40, 80, 30, 70])
    ar_chars = np.array([110.0, 190, 370])  # about twice each bead's English run, whatever the merge
    beads = [PositionBead((0,), (0,)), PositionBead((1, 2), (1,)), PositionBead((3, 4, 5), (2,))] * 2
    model = refit_length(LengthModel(0.0, 1.0, 1.0), beads, en_chars, ar_chars)
    assert model.sigma < 0.1 and abs(model.ratio - np.log(2.0)) < 0.1
    assert refit_length(LengthModel(0.0, 1.0, 1.0), beads[:3], en_chars, ar_chars).sigma == 1.0  # too few
