"""Build orchestration: which pairs need work, who does it (this process, a pool of worker
processes or a Dask cluster), and the parent writing each result to SQLite as it arrives.

Only the parent writes to the database, one transaction per pair, so the database is consistent
whenever the build is killed; a re-run skips every pair stored with the same content hashes and
signature and does the rest.
"""

from __future__ import annotations

import os
import threading
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
    warm_up,
)
from align.errors import CorpusError, InputError, WorkerError
from align.io import DocumentPair
from align.output import refuse_inputs

__all__ = ["BuildConfig", "BuildSummary", "PairOutcome", "build_corpus", "default_workers", "read_tasks", "run_tasks"]

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


def read_tasks(pairs: Iterable[DocumentPair]) -> Iterator[PairTask | PairOutcome]:
    """Each pair as a task, its files read when its turn comes, or as a ``failed`` outcome when one
    cannot be read."""
    for pair in pairs:
        try:
            yield read_pair_bytes(pair.name, pair.en, pair.ar)
        except InputError as exc:
            yield PairOutcome(pair.name, "failed", SourceFile(str(pair.en), ""), SourceFile(str(pair.ar), ""),
                              reason=str(exc))


def _plan(pairs: Iterable[DocumentPair], store: CorpusStore, signature: str) -> Iterator[PairTask | PairOutcome]:
    """Each pair as a task to run, or straight away as an outcome: skipped (stored and unchanged) or
    failed (a file that cannot be read). Files are read one pair at a time, when the pair's turn comes."""
    for task in read_tasks(pairs):
        if isinstance(task, PairOutcome):
            yield task
            continue
        en_hash, ar_hash = sha256(task.en_bytes), sha256(task.ar_bytes)
        if store.is_current(task.name, en_hash, ar_hash, signature):
            yield PairOutcome(task.name, "skipped", SourceFile(task.en_path, en_hash),
                              SourceFile(task.ar_path, ar_hash))
        else:
            yield task


def _run_here(plan: Iterator[PairTask | PairOutcome], config: BuildConfig) -> Iterator[PairOutcome]:
    """One worker: this process, with one native thread like every worker process."""
    encoder = make_encoder(config, WORKER_THREADS)
    with single_threaded():
        for item in plan:
            yield check_task(checker_for(encoder, config), item) if isinstance(item, PairTask) else item


def _run_alongside(plan: Iterator[PairTask | PairOutcome], config: BuildConfig,
                   workers: int) -> Iterator[PairOutcome]:
    """This process checks pairs too, beside ``workers - 1`` worker processes (spawned: no copy of the
    parent's threads or state), each loading the encoder once.

    Only this thread reads the plan (its files, the corpus database). Before each pair of its own it
    puts pairs ahead for the workers; a thread here per worker hands them over one at a time, once
    its worker has loaded the encoder. So a worker still starting (a second or so) keeps no pair
    waiting: when the plan runs out, this thread takes back the pairs no worker has started.
    """
    import multiprocessing
    import queue
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    ahead: queue.Queue[PairTask | None] = queue.Queue(maxsize=_AHEAD_PER_WORKER * (workers - 1))
    # A worker's outcome, an exception it raised, or None once its thread has stopped.
    arrived: queue.SimpleQueue[PairOutcome | BaseException | None] = queue.SimpleQueue()
    pool = ProcessPoolExecutor(max_workers=workers - 1, mp_context=multiprocessing.get_context("spawn"),
                               initializer=init_process_worker, initargs=(config,))

    def hand_over() -> None:
        try:
            pool.submit(warm_up).result()
            while (task := ahead.get()) is not None:
                arrived.put(pool.submit(run_in_process_worker, task).result())
        except BaseException as exc:  # raised again by the parent's thread
            arrived.put(exc)
        finally:
            arrived.put(None)

    threads = [threading.Thread(target=hand_over, name=f"worker-{k}", daemon=True) for k in range(workers - 1)]
    for thread in threads:
        thread.start()
    encoder = make_encoder(config, WORKER_THREADS)
    running = len(threads)

    def received(wait: bool = False) -> Iterator[PairOutcome]:
        """What the workers have sent so far (after waiting for the next, with ``wait``)."""
        nonlocal running
        while wait or not arrived.empty():
            wait = False
            got = arrived.get()
            if isinstance(got, BrokenProcessPool):
                raise WorkerError("a worker process died (out of memory, or killed)") from got
            if isinstance(got, BaseException):
                raise got
            if got is None:
                running -= 1
            else:
                yield got

    def next_task() -> Iterator[PairTask | PairOutcome]:
        """The plan's items, keeping pairs ahead for the workers; then the pairs no worker took."""
        for item in plan:
            if isinstance(item, PairOutcome) or ahead.full():
                yield item
            else:
                ahead.put(item)
        while True:
            try:
                task = ahead.get_nowait()
            except queue.Empty:
                return
            assert task is not None  # the workers' stop signals come after
            yield task

    try:
        with single_threaded():
            for item in next_task():
                yield check_task(checker_for(encoder, config), item) if isinstance(item, PairTask) else item
                yield from received()
            for _ in threads:
                ahead.put(None)
            while running:
                yield from received(wait=True)
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


def run_tasks(plan: Iterator[PairTask | PairOutcome], config: BuildConfig, workers: int,
              dask_address: str | None = None) -> Iterator[PairOutcome]:
    """The outcome of every item of ``plan`` (a task's once it is checked, in the order they finish):
    on the Dask cluster at ``dask_address``, or in this process beside ``workers - 1`` worker processes.
    Raises :class:`WorkerError` when a worker process dies."""
    if dask_address:
        return _run_on_dask(plan, config, dask_address)
    if workers > 1:
        return _run_alongside(plan, config, workers)
    return _run_here(plan, config)


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
        outcomes = run_tasks(plan, config, workers or default_workers(), dask_address)
        try:
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
        except WorkerError as exc:
            raise CorpusError(f"{exc}; the pairs stored so far are kept: run the same command again to resume") from exc
    summary.seconds = time.perf_counter() - started
    return summary
