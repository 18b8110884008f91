"""The encoder sees vocalised Arabic without its marks: a vocalised verse and its plain spelling are one
sentence; everyday text, with a mark here and there, is embedded as it is."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from align.embed import CachedEncoder, Encoder
from align.pipeline import Checker
from align.text import embedding_text, is_vocalised, trial_embedding_texts

VOCALISED = "بِسْمِ ٱللَّهِ ٱلرَّحْمَٰنِ ٱلرَّحِيمِ"
PLAIN = "بسم ٱلله ٱلرحمن ٱلرحيم"
EN = "In the name of Allah, the Beneficent, the Merciful."


class _Recording:
    """Passes texts to a real encoder and remembers them."""

    def __init__(self, inner: Encoder) -> None:
        self.inner, self.name, self.texts = inner, inner.name, list[str]()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.texts += texts
        return self.inner.encode(texts)


def test_a_vocalised_text_loses_its_marks_and_tatweel_and_nothing_else() -> None:
    assert is_vocalised(VOCALISED) and embedding_text(VOCALISED) == PLAIN
    assert embedding_text("كَتَبَ الكِتـــابَ") == "كتب الكتاب"
    assert embedding_text(EN) == EN


def test_everyday_text_with_a_few_marks_is_embedded_as_it_is() -> None:
    for text in ("قرأ ٢٠ كتابًا، ثم نام.", "كتـــاب", "وقال أيضًا إن الحكومة ستردّ على التقرير."):
        assert not is_vocalised(text)
        assert embedding_text(text) == text


def test_a_trial_takes_the_form_of_its_full_text() -> None:
    full = "بِسْمِ ٱللَّهِ ٱلرَّحْمَٰنِ ٱلرَّحِيمِ الحمد لله رب العالمين والصلاة على النبي"
    trial = "الحمد لله رب العالمين والصلاة على النبي"  # no marks left: not vocalised on its own
    assert trial_embedding_texts([full, "كتاب"], [trial + "ً", "كتـاب"]) == [trial, "كتـاب"]


def test_the_encoder_never_sees_a_mark(use_encoder: CachedEncoder) -> None:
    recording = _Recording(use_encoder)
    report = Checker(recording).check_texts(EN + "\n" + EN, VOCALISED + "\n" + VOCALISED)
    assert report.beads
    assert recording.texts and all(embedding_text(t) == t for t in recording.texts)
    assert PLAIN in recording.texts


def test_a_vocalised_verse_is_as_close_to_its_translation_as_its_plain_spelling(use_encoder: CachedEncoder) -> None:
    checker = Checker(use_encoder)
    en, vocalised, plain = checker.embed([EN, VOCALISED, PLAIN])
    np.testing.assert_allclose(en @ vocalised, en @ plain, atol=1e-6)
    assert "+unvocalised-0.25" in str(checker.signature())
