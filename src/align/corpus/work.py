"""The per-pair work of a corpus build, the same wherever it runs: in the parent, a worker process
or a Dask worker. Tasks carry the files' bytes, so a remote worker needs no shared file system."""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from align.errors import AlignError, EncoderError
from align.model import Report
from align.pipeline import Checker, CheckOptions


@dataclass(frozen=True)
class BuildConfig:
    """How every pair is checked: the encoder spec (``use-m3``, ``st:PATH``), the check options, an
    optional embedding cache folder and the encoder's device. Picklable, so each worker builds its own
    checker from it."""

    encoder: str = "use-m3"
    options: CheckOptions = CheckOptions()
    cache_dir: str | None = None
    device: str = "auto"


@dataclass(frozen=True)
class SourceFile:
    """One side's input file as the build saw it."""

    path: str
    sha256: str
    encoding: str = ""


@dataclass(frozen=True)
class PairTask:
    """One pair to check: its name and both files' bytes."""

    name: str
    en_path: str
    ar_path: str
    en_bytes: bytes
    ar_bytes: bytes


@dataclass(frozen=True)
class PairOutcome:
    """What happened to one pair: ``status`` is ``done`` (with a report), ``skipped`` (already stored
    with this content and signature) or ``failed`` (with the reason)."""

    name: str
    status: str
    en: SourceFile
    ar: SourceFile
    report: Report | None = None
    reason: str = ""
    seconds: float = 0.0


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_task(checker: Checker, task: PairTask) -> PairOutcome:
    """Decode, validate and check one pair. A bad input becomes a ``failed`` outcome; an encoder that
    cannot be loaded raises :class:`EncoderError`, since every other pair would fail the same way."""
    from align.io import check_languages, document_from_bytes

    started = time.perf_counter()
    en = SourceFile(task.en_path, sha256(task.en_bytes))
    ar = SourceFile(task.ar_path, sha256(task.ar_bytes))
    try:
        options = checker.options
        en_doc = document_from_bytes(task.en_bytes, task.en_path, options.input_format, options.encoding)
        ar_doc = document_from_bytes(task.ar_bytes, task.ar_path, options.input_format, options.encoding)
        check_languages(en_doc.text, ar_doc.text, task.en_path, task.ar_path)
        report = checker.check_texts(en_doc.text, ar_doc.text, task.en_path, task.ar_path, (en_doc.info, ar_doc.info))
        # the format and the codec, as the signature names them: "text/cp1256", "docx"
        en_encoding, ar_encoding = str(en_doc.info), str(ar_doc.info)
    except EncoderError:
        raise
    except AlignError as exc:
        return PairOutcome(task.name, "failed", en, ar, reason=str(exc), seconds=time.perf_counter() - started)
    except Exception as exc:  # a bug on one pair must not end a build of thousands; it is reported
        return PairOutcome(task.name, "failed", en, ar, reason=f"internal error: {type(exc).__name__}: {exc}",
                           seconds=time.perf_counter() - started)
    return PairOutcome(task.name, "done", SourceFile(en.path, en.sha256, en_encoding),
                       SourceFile(ar.path, ar.sha256, ar_encoding), report, seconds=time.perf_counter() - started)


def make_encoder(config: BuildConfig, threads: int | None = None) -> object:
    """The encoder a worker uses for every pair (loaded on first use), behind the disk cache if any."""
    from align import embed

    encoder = embed.load_encoder(config.encoder, config.device)
    if threads and isinstance(encoder, embed.USEEncoder):  # nothing is loaded yet: swapping it costs nothing
        encoder = embed.USEEncoder(threads=threads)
    if config.cache_dir:
        from align.embed_cache import DiskCachedEncoder

        encoder = DiskCachedEncoder(encoder, config.cache_dir)
    return encoder


def checker_for(encoder: object, config: BuildConfig) -> Checker:
    """A fresh checker per pair over a long-lived encoder: its in-memory cache lives for one pair only,
    so a worker's memory does not grow with the number of pairs."""
    from align.embed import Encoder

    assert isinstance(encoder, Encoder)
    return Checker(encoder, config.options)


# One encoder per worker process, loaded once (process pools set it in their initializer).
_WORKER: dict[str, object] = {}
_WORKER_LOCK = threading.Lock()


# Every worker computes with one thread: parallelism comes from worker processes. Measured on 12
# FLORES/TICO pairs, one process with two encoder and BLAS threads spent 24.7 CPU seconds where two
# single-threaded workers spent 8.5 (threads spinning on small matrices), and a thread count changes
# float sums in the last bits, which could round a stored score differently: with one thread each,
# every way of building (1 or N workers, Dask) stores the same numbers.
WORKER_THREADS = 1


def single_threaded() -> Any:
    """A context limiting BLAS/OpenMP pools to :data:`WORKER_THREADS` (``threadpoolctl``)."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(WORKER_THREADS)


def init_process_worker(config: BuildConfig) -> None:
    """Process-pool initializer: one native thread, the encoder made once for every task."""
    _WORKER["limits"] = single_threaded()
    _WORKER["config"] = config
    _WORKER["encoder"] = make_encoder(config, WORKER_THREADS)


def warm_up() -> None:
    """A task that returns once this worker process has loaded its model (the initializer only makes
    the encoder, which loads on first use): until then, the worker is handed no pair."""
    encoder = _WORKER["encoder"]
    while hasattr(encoder, "inner"):  # under the caches, whose stores a warm-up must not touch
        encoder = encoder.inner
    from align.embed import Encoder

    assert isinstance(encoder, Encoder)
    encoder.encode(["."])


def run_in_process_worker(task: PairTask) -> PairOutcome:
    config = _WORKER["config"]
    assert isinstance(config, BuildConfig)
    return check_task(checker_for(_WORKER["encoder"], config), task)


def run_on_dask_worker(config: BuildConfig, task: PairTask) -> PairOutcome:
    """The Dask task: the worker process keeps one encoder per configuration across tasks."""
    key = f"dask:{hash(config)}"
    with _WORKER_LOCK:
        encoder = _WORKER.get(key)
        if encoder is None:
            _WORKER.setdefault("limits", single_threaded())
            encoder = _WORKER[key] = make_encoder(config, WORKER_THREADS)
    return check_task(checker_for(encoder, config), task)


def read_pair_bytes(name: str, en_path: Path, ar_path: Path) -> PairTask:
    """Read both files of a pair (:class:`InputError` when one is missing, special or too large)."""
    from align.io import read_input_bytes

    return PairTask(name, str(en_path), str(ar_path), read_input_bytes(en_path), read_input_bytes(ar_path))
