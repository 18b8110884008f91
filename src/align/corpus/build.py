"""Build orchestration: which pairs need work, who does it (this process, a pool of worker
processes or a Dask cluster), and the parent writing each result to SQLite as it arrives.

Only the parent writes to the database, one transaction per pair, so the database is consistent
whenever the build is killed; a re-run skips every pair stored with the same content hashes and
signature and does the rest.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from align.corpus.store import CorpusStore
from align.corpus.work import (
    WORKER_THREADS,
    BuildConfig,
    PairOutcome,
    PairTask,
    SourceFile,
    check_task,
    checker_for,
    init_process_worker,
    make_encoder,
    read_pair_bytes,
    run_in_process_worker,
    run_on_dask_worker,
    sha256,
    single_threaded,
)
from align.errors import CorpusError, InputError
from align.io import DocumentPair
from align.output import refuse_inputs

__all__ = ["BuildConfig", "BuildSummary", "PairOutcome", "build_corpus", "default_workers"]

# Pairs handed out ahead of the results per worker: enough to keep every worker busy, few enough
# that the parent never holds more than a handful of documents in memory.
_AHEAD_PER_WORKER = 2
# Seconds to wait for a Dask scheduler to answer before saying it cannot be reached.
DASK_CONNECT_TIMEOUT = 20


@dataclass
class BuildSummary:
    """Counts of a build, and the reason for every pair that failed."""

    done: int = 0
    skipped: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    signature: str = ""

    @property
    def total(self) -> int:
        return self.done + self.skipped + len(self.failed)


def default_workers() -> int:
    return os.cpu_count() or 1


def signature_of(config: BuildConfig) -> str:
    """The signature every pair of this build is stored under (loads no model)."""
    from align.embed import load_encoder
    from align.pipeline import Checker

    return str(Checker(load_encoder(config.encoder, config.device), config.options).signature())


def _plan(pairs: Iterable[DocumentPair], store: CorpusStore, signature: str) -> Iterator[PairTask | PairOutcome]:
    """Each pair as a task to run, or straight away as an outcome: skipped (stored and unchanged) or
    failed (a file that cannot be read). Files are read one pair at a time, when the pair's turn comes."""
    for pair in pairs:
        try:
            task = read_pair_bytes(pair.name, pair.en, pair.ar)
        except InputError as exc:
            yield PairOutcome(pair.name, "failed", SourceFile(str(pair.en), ""), SourceFile(str(pair.ar), ""),
                              reason=str(exc))
            continue
        en_hash, ar_hash = sha256(task.en_bytes), sha256(task.ar_bytes)
        if store.is_current(pair.name, en_hash, ar_hash, signature):
            yield PairOutcome(pair.name, "skipped", SourceFile(task.en_path, en_hash),
                              SourceFile(task.ar_path, ar_hash))
        else:
            yield task


def _run_here(plan: Iterator[PairTask | PairOutcome], config: BuildConfig) -> Iterator[PairOutcome]:
    """One worker: this process, with one native thread like every worker process."""
    encoder = make_encoder(config, WORKER_THREADS)
    with single_threaded():
        for item in plan:
            yield check_task(checker_for(encoder, config), item) if isinstance(item, PairTask) else item


def _run_in_processes(plan: Iterator[PairTask | PairOutcome], config: BuildConfig,
                      workers: int) -> Iterator[PairOutcome]:
    """Worker processes (spawned: no copy of the parent's threads or state), each loading the encoder once."""
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=init_process_worker, initargs=(config,))
    pending: set[Future[PairOutcome]] = set()
    try:
        exhausted = False
        while True:
            while not exhausted and len(pending) < workers * _AHEAD_PER_WORKER:
                item = next(plan, None)
                if item is None:
                    exhausted = True
                elif isinstance(item, PairTask):
                    pending.add(pool.submit(run_in_process_worker, item))
                else:
                    yield item
            if not pending:
                break
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                yield future.result()
    except BrokenProcessPool as exc:
        raise CorpusError("a worker process died (out of memory, or killed); the pairs stored so far are "
                          "kept: run the same command again to resume") from exc
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _run_on_dask(plan: Iterator[PairTask | PairOutcome], config: BuildConfig, address: str) -> Iterator[PairOutcome]:
    """Tasks on an existing Dask cluster; results come back to this process as they finish."""
    import importlib

    try:
        distributed: Any = importlib.import_module("distributed")  # partly typed; used through Any
    except ImportError as exc:
        raise CorpusError("--dask needs dask.distributed: pip install 'muqabala[dask]'") from exc
    try:
        client = distributed.Client(address, timeout=DASK_CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as exc:
        raise CorpusError(f"cannot reach the Dask scheduler at {address} ({exc})") from exc
    try:
        window = max(2, _AHEAD_PER_WORKER * sum(client.nthreads().values()))
        running = distributed.as_completed()
        in_flight = 0
        exhausted = False
        while True:
            while not exhausted and in_flight < window:
                item = next(plan, None)
                if item is None:
                    exhausted = True
                elif isinstance(item, PairTask):
                    running.add(client.submit(run_on_dask_worker, config, item, pure=False))
                    in_flight += 1
                else:
                    yield item
            if not in_flight:
                break
            future = next(running)
            in_flight -= 1
            yield future.result()
            future.release()
    finally:
        client.close()


def build_corpus(pairs: Iterable[DocumentPair], db_path: str | Path, config: BuildConfig, *,
                 workers: int | None = None, dask_address: str | None = None,
                 on_outcome: Callable[[PairOutcome], None] | None = None) -> BuildSummary:
    """Check every pair and store it in the corpus database at ``db_path``; return the counts.

    ``workers`` processes on this machine (default: all cores; 1 runs in this process), or the Dask
    scheduler at ``dask_address``. ``on_outcome`` is called with each pair's outcome as it is stored
    (for a progress bar). Raises :class:`CorpusError` when the database cannot be used,
    :class:`EncoderError` when the encoder cannot be loaded.
    """
    pairs = list(pairs)
    refuse_inputs([Path(db_path)], [path for p in pairs for path in (p.en, p.ar)])
    started = time.perf_counter()
    signature = signature_of(config)
    summary = BuildSummary(signature=signature)
    with CorpusStore.open_for_build(db_path) as store:
        plan = _plan(pairs, store, signature)
        workers = workers or default_workers()
        if dask_address:
            outcomes = _run_on_dask(plan, config, dask_address)
        elif workers > 1:
            outcomes = _run_in_processes(plan, config, workers)
        else:
            outcomes = _run_here(plan, config)
        for outcome in outcomes:
            store.write_outcome(outcome, signature)
            if outcome.status == "done":
                summary.done += 1
            elif outcome.status == "skipped":
                summary.skipped += 1
            else:
                summary.failed.append((outcome.name, outcome.reason))
            if on_outcome is not None:
                on_outcome(outcome)
    summary.seconds = time.perf_counter() - started
    return summary
