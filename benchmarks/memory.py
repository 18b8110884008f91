"""Memory benchmark: peak resident memory of checking a bible pair of N lines per side (issue 13).

    python -m benchmarks.memory [--lines 5000,20000,50000] [--encoder use-m3|stand-in]
                                [--without partial] [--cache DIR] [--data ../shared/data]
                                [--format table|json]

Each size runs in a fresh Python process, so that peak figures do not mix. In it the encoder is
loaded first (its ``base`` memory: interpreter, numpy, model), then ``align check --split lines``
runs through the library on the pair built as in ``benchmarks.speed`` and its JSON report is
rendered. A sampler thread reads the resident set every 20 ms and keeps the peak of each stage
(embedding, aligning, each check, the report), so that memory growing with length can be traced
to a stage. ``per sentence`` is (peak - base) / N: flat from 5,000 to 50,000 lines means linear
memory.

``--encoder stand-in`` replaces the model by :class:`StandIn`, which gives line k of both sides
nearby vectors and any other text (a merged bead, a trial removal) a random one: the alignment is
then the verse-aligned 1-1 one the real encoder finds, while embedding costs nothing, so that
50,000 lines per side can be traced in minutes on a busy machine. Vectors are the same size as the
model's (512 float32); the model's own memory is then left out of ``base``.

``--without partial`` leaves checks out (by type), for sizes at which a check is too slow to wait
for; ``--cache DIR`` embeds through the on-disk cache, so that the sizes share the embedding work
(the bible's first N lines are the same at every size). Neither changes what is kept in memory
beyond a few MiB: the cache reads one call's vectors at a time.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from benchmarks.speed import DEFAULT_DATA, HERE, bible_texts

SIZES = (5_000, 20_000, 50_000)


class StandIn:
    """A free encoder for memory runs on a line-aligned pair: line k of either side gets line k's
    random direction plus a side's own noise (cosine about 0.8); any other text a random direction
    of its own (cosine about 0 with everything)."""

    name = "stand-in"
    dim = 512

    def __init__(self, en_text: str, ar_text: str) -> None:
        self._line: dict[str, int] = {}
        for text in (en_text, ar_text):
            for k, line in enumerate(text.splitlines()):
                self._line.setdefault(line.strip(), k)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.empty((len(texts), self.dim), np.float32)
        for i, text in enumerate(texts):
            k = self._line.get(text.strip())
            own = np.random.default_rng(list(hashlib.sha256(text.encode()).digest()[:8])).standard_normal(self.dim)
            if k is not None:
                own = np.random.default_rng(k).standard_normal(self.dim) + 0.5 * own
            out[i] = own / np.linalg.norm(own)
        return out


@dataclass
class MemoryResult:
    lines: int
    encoder: str
    without: str
    base_mib: float  # after loading the encoder, before the pair
    peak_mib: float
    seconds: float
    stages: dict[str, float] = field(default_factory=dict)  # stage -> its peak RSS, MiB

    @property
    def per_sentence_kib(self) -> float:
        return (self.peak_mib - self.base_mib) * 1024 / self.lines


def rss_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class StagePeaks:
    """A progress listener that samples RSS in a thread and keeps each stage's peak."""

    def __init__(self, check_names: Sequence[str]) -> None:
        self.check_names = list(check_names)
        self.stage_name = "reading"
        self.peaks: dict[str, float] = {}
        self._checks_done = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            self.note()

    def note(self) -> None:
        self.peaks[self.stage_name] = max(self.peaks.get(self.stage_name, 0.0), rss_mib())

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self.note()

    def enter(self, name: str) -> None:
        self.note()
        self.stage_name = name

    # --- align.progress.Progress ---
    def stage(self, name: str, total: int | None, unit: str) -> None:
        if name == "checking":
            self._checks_done = 0
            name = f"check {self.check_names[0]}" if self.check_names else name
        self.enter(name)

    def advance(self, items: int = 1) -> None:
        if self.stage_name.startswith("check "):
            self._checks_done += items
            if self._checks_done < len(self.check_names):
                self.enter(f"check {self.check_names[self._checks_done]}")

    def done(self) -> None:
        self.note()


def run_size(data: Path, lines: int, encoder_name: str, without: Sequence[str], cache: str | None) -> MemoryResult:
    """Check the bible pair of ``lines`` lines per side in this process and trace its memory."""
    from align.checks import DEFAULT_CHECKS
    from align.embed import Encoder, USEEncoder
    from align.embed_cache import DiskCachedEncoder
    from align.pipeline import Checker, CheckOptions
    from align.report import FORMATS

    en, ar = bible_texts(data / "bible-vandyck-kjv", lines)
    inner: Encoder = StandIn(en, ar) if encoder_name == "stand-in" else USEEncoder()
    inner.encode(["load"])  # the model is part of the base, whether or not the cache answers every text
    encoder = DiskCachedEncoder(inner, cache) if cache else inner
    checks = tuple(c for c in DEFAULT_CHECKS if c.type not in without)
    base = rss_mib()
    listener = StagePeaks([c.type for c in checks])
    listener.start()
    started = time.perf_counter()
    report = Checker(encoder, CheckOptions(split="lines", checks=checks), listener).check_texts(
        en, ar, "bible.en.txt", "bible.ar.txt")
    listener.enter("report")
    FORMATS["json"](report)
    seconds = time.perf_counter() - started
    listener.stop()
    return MemoryResult(lines, encoder_name, ",".join(without), round(base, 1), round(max(listener.peaks.values()), 1),
                        round(seconds, 1), {k: round(v, 1) for k, v in listener.peaks.items()})


def run_in_fresh_process(data: Path, lines: int, encoder: str, without: Sequence[str],
                         cache: str | None) -> MemoryResult:
    import align

    path = os.pathsep.join([str(Path(align.__file__).resolve().parents[1]), str(HERE.parent),
                            os.environ.get("PYTHONPATH", "")])
    command = [sys.executable, "-m", "benchmarks.memory", "--one", str(lines), "--data", str(data),
               "--encoder", encoder, "--without", ",".join(without)] + (["--cache", cache] if cache else [])
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=HERE.parent,
                          env={**os.environ, "PYTHONPATH": path})
    if done.returncode != 0:
        raise RuntimeError(f"{lines} lines failed:\n{done.stderr[-2000:]}")
    return MemoryResult(**json.loads(done.stdout.strip().splitlines()[-1]))


def markdown_table(results: Sequence[MemoryResult]) -> str:
    rows = ["| lines per side | encoder | checks left out | base | peak | peak - base | per sentence | time |",
            "|---:|---|---|---:|---:|---:|---:|---:|"]
    rows += [f"| {r.lines:,} | {r.encoder} | {r.without or 'none'} | {r.base_mib:.0f} MiB | {r.peak_mib:.0f} MiB | "
             f"{r.peak_mib - r.base_mib:.0f} MiB | {r.per_sentence_kib:.1f} KiB | {r.seconds:.0f} s |" for r in results]
    return "\n".join(rows) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--lines", default=",".join(map(str, SIZES)), help="comma-separated sizes")
    parser.add_argument("--encoder", choices=("use-m3", "stand-in"), default="use-m3")
    parser.add_argument("--without", default="", help="comma-separated check types to leave out")
    parser.add_argument("--cache", help="embed through an on-disk cache in this folder")
    parser.add_argument("--format", choices=("table", "json"), default="table")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    without = [w for w in args.without.split(",") if w]
    if args.one:
        print(json.dumps(asdict(run_size(args.data, args.one, args.encoder, without, args.cache))))
        return 0
    results = []
    for lines in map(int, args.lines.split(",")):
        results.append(run_in_fresh_process(args.data, lines, args.encoder, without, args.cache))
        print(json.dumps(asdict(results[-1])), file=sys.stderr, flush=True)
    if args.format == "json":
        print(json.dumps([asdict(r) | {"per_sentence_kib": round(r.per_sentence_kib, 2)} for r in results], indent=2))
    else:
        print(markdown_table(results), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
