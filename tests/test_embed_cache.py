"""The on-disk embedding cache: same vectors as the encoder, each text embedded once across runs."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from click.testing import CliRunner

from align.cli import main
from align.embed import CachedEncoder
from align.embed_cache import DiskCachedEncoder


class CountingEncoder:
    """The real encoder, counting the texts it is asked to embed."""

    def __init__(self, inner: CachedEncoder, name: str = "use-m3") -> None:
        self.inner = inner
        self.name = name
        self.embedded: list[str] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.embedded += list(texts)
        return self.inner.encode(texts)


def test_a_second_encoder_on_the_same_folder_embeds_only_new_texts(use_encoder: CachedEncoder, tmp_path: Path) -> None:
    texts = ["The ministry published its report.", "نشرت الوزارة تقريرها.", "The ministry published its report."]
    first = CountingEncoder(use_encoder)
    vectors = DiskCachedEncoder(first, tmp_path).encode(texts)
    assert first.embedded == texts[:2]  # the repeated text once
    np.testing.assert_array_equal(vectors, use_encoder.encode(texts))
    second = CountingEncoder(use_encoder)
    again = DiskCachedEncoder(second, tmp_path).encode([*texts, "A new sentence."])
    assert second.embedded == ["A new sentence."]
    np.testing.assert_array_equal(again[:3], vectors)
    assert again.dtype == np.float32 and again.shape == (4, 512)


def test_another_encoder_name_never_reads_these_vectors(use_encoder: CachedEncoder, tmp_path: Path) -> None:
    DiskCachedEncoder(CountingEncoder(use_encoder), tmp_path).encode(["Same text."])
    other = CountingEncoder(use_encoder, name="st:models/other")
    DiskCachedEncoder(other, tmp_path).encode(["Same text."])
    assert other.embedded == ["Same text."]


def test_check_with_cache_gives_the_same_report(runner: CliRunner, pairs_dir: Path, tmp_path: Path) -> None:
    args = ["check", str(pairs_dir / "reference.en.txt"), str(pairs_dir / "reference.ar.txt"), "--format", "json"]
    plain = runner.invoke(main, args)
    cold = runner.invoke(main, [*args, "--cache", str(tmp_path / "cache")])
    warm = runner.invoke(main, [*args, "--cache", str(tmp_path / "cache")])
    assert plain.exit_code == cold.exit_code == warm.exit_code == 0
    assert json.loads(plain.output) == json.loads(cold.output) == json.loads(warm.output)
    assert (tmp_path / "cache" / "embeddings.sqlite").is_file()
