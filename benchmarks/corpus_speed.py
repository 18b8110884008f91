"""Corpus build benchmark (issue 12): worker speed-up, memory over many pairs, kill and resume.

    python -m benchmarks.corpus_speed [--data ../shared/data] [--parts speed,memory,resume]
                                      [--memory-pairs 1000] [--resume-pairs 200] [--markdown FILE]

Run from the repository root; every build is the real CLI in a child process
(``python -m align corpus build``), model load included.

- **speed**: FLORES-200 devtest + TICO-19 (all documents), built with ``--workers 1`` and
  ``--workers 2`` into fresh databases; pairs/s, the ratio (target ≥ 1.7 on 2 cores) and whether
  both databases hold the same contents; then the filtered export of the 2-worker database scored
  by ``benchmarks.corpus_precision`` (strict precision and recall against the line alignment).
- **memory**: N pairs of five consecutive lines cut from FLORES and TICO (made up to N by taking
  chunks at shifted offsets) built with 2 workers; the resident memory (RSS) of the parent and of
  the largest worker is sampled while it runs and reported at each quarter of the build: flat
  means the last quarter is no higher than the first.
- **resume**: the same kind of pairs (200 by default); the build is SIGKILLed once about half are
  stored, run again, and its database compared with a clean one-shot build.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data"
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def build_command(folder: Path, db: Path, workers: int) -> list[str]:
    return [sys.executable, "-m", "align", "corpus", "build", str(folder), "--db", str(db), "--quiet",
            "--workers", str(workers)]


def child_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}


def link_pairs(sources: list[Path], folder: Path, limit: int | None = None) -> int:
    """Symlink the ``NAME.en.txt``/``NAME.ar.txt`` pairs of ``sources`` into ``folder`` (every
    ``len(all) / limit``-th pair when ``limit`` is given); the number of pairs linked."""
    folder.mkdir(parents=True, exist_ok=True)
    found = [en for source in sources for en in sorted(source.glob("*.en.txt"))]
    if limit:
        found = found[:: max(1, len(found) // limit)][:limit]
    count = 0
    for en in found:
        ar = en.with_name(en.name[: -len(".en.txt")] + ".ar.txt")
        if ar.is_file():
            # Absolute targets: a link to a relative path would be read relative to ``folder``.
            (folder / en.name).symlink_to(en.resolve())
            (folder / ar.name).symlink_to(ar.resolve())
            count += 1
    return count


def line_pairs_by_document(sources: Iterable[Path]) -> dict[str, list[tuple[str, str]]]:
    """Document name -> its non-empty (English, Arabic) line pairs, for line-aligned corpora (FLORES
    and TICO are 1-1 by construction). A document whose sides have different line counts is not
    line-aligned and is left out."""
    out: dict[str, list[tuple[str, str]]] = {}
    for source in sources:
        for en in sorted(source.glob("*.en.txt")):
            name = en.name[: -len(".en.txt")]
            en_lines = en.read_text(encoding="utf-8").splitlines()
            ar_lines = en.with_name(name + ".ar.txt").read_text(encoding="utf-8").splitlines()
            if len(en_lines) == len(ar_lines):
                out[name] = [(e, a) for e, a in zip(en_lines, ar_lines, strict=True) if e.strip() and a.strip()]
    return out


def line_pairs(sources: list[Path]) -> list[tuple[str, str]]:
    """Every (English, Arabic) line pair of line-aligned corpora, documents in name order."""
    return [pair for pairs in line_pairs_by_document(sources).values() for pair in pairs]


def make_small_pairs(lines: list[tuple[str, str]], count: int, folder: Path, size: int = 5) -> None:
    """``count`` pairs of ``size`` consecutive line pairs; past the end, chunks start at shifted offsets."""
    folder.mkdir(parents=True, exist_ok=True)
    chunks_per_pass = len(lines) // size
    for k in range(count):
        shift = (k // chunks_per_pass) % size
        start = (k % chunks_per_pass) * size + shift
        chunk = lines[start:start + size]
        (folder / f"pair{k:05d}.en.txt").write_text("\n".join(e for e, _ in chunk) + "\n", encoding="utf-8")
        (folder / f"pair{k:05d}.ar.txt").write_text("\n".join(a for _, a in chunk) + "\n", encoding="utf-8")


def stored_pairs(db: Path) -> int:
    try:
        connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return int(connection.execute("SELECT count(*) FROM pairs").fetchone()[0])
        finally:
            connection.close()
    except sqlite3.Error:
        return 0


def contents(db: Path) -> list[tuple[object, ...]]:
    from align.corpus import CorpusStore

    with CorpusStore.open(db) as store:
        return list(store.contents())


# -- speed ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SpeedResult:
    pairs: int
    seconds: dict[int, float]
    cpu_seconds: dict[int, float]  # user + system time of the build and its workers
    same_contents: bool

    def markdown(self) -> str:
        one, two = self.seconds[1], self.seconds[2]
        return "\n".join([
            f"Corpus build over FLORES-200 devtest + TICO-19 ({self.pairs} pairs), model load included:",
            "",
            "| workers | seconds | pairs/s | CPU seconds |",
            "|---|---|---|---|",
            f"| 1 | {one:.1f} | {self.pairs / one:.2f} | {self.cpu_seconds[1]:.1f} |",
            f"| 2 | {two:.1f} | {self.pairs / two:.2f} | {self.cpu_seconds[2]:.1f} |",
            "",
            f"Speed-up with 2 workers: **{one / two:.2f}×** (target ≥ 1.7); same database contents: "
            f"{'yes' if self.same_contents else 'NO'}. On a busy machine the wall-clock ratio means little "
            "(more processes get more of the CPU); the CPU seconds show the work the second worker adds.",
        ])


def run_speed(data: Path, work: Path, limit: int | None = None) -> SpeedResult:
    folder = work / "speed-pairs"
    pairs = link_pairs([data / "flores200-devtest", data / "tico19"], folder, limit)
    import resource

    seconds: dict[int, float] = {}
    cpu: dict[int, float] = {}
    for workers in (1, 2):
        db = work / f"speed-{workers}.sqlite"
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(build_command(folder, db, workers), env=child_env(), check=True)
        seconds[workers] = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the workers are waited for by the build
        cpu[workers] = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
        print(f"speed: {workers} worker(s): {seconds[workers]:.1f}s, {cpu[workers]:.1f} CPU s", file=sys.stderr)
    return SpeedResult(pairs, seconds, cpu, contents(work / "speed-1.sqlite") == contents(work / "speed-2.sqlite"))


# -- memory ---------------------------------------------------------------------------------------


def rss_mib(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/statm").read_text().split()
    except OSError:
        return 0.0
    return int(fields[1]) * PAGE / 2**20


def children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (the spawned workers and multiprocessing's helpers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


@dataclass
class MemoryResult:
    pairs: int
    workers: int
    seconds: float = 0.0
    # (pairs stored, parent MiB, largest worker MiB) when each quarter of the build was reached
    quarters: list[tuple[int, float, float]] = field(default_factory=list)
    peak_parent: float = 0.0
    peak_worker: float = 0.0

    def flat(self) -> bool:
        """The last quarter's memory within 10% (or 20 MiB) of the first quarter's, for parent and workers."""
        if len(self.quarters) < 2:
            return False
        (_, p1, w1), (_, p4, w4) = self.quarters[0], self.quarters[-1]
        return p4 <= max(p1 * 1.1, p1 + 20) and w4 <= max(w1 * 1.1, w1 + 20)

    def markdown(self) -> str:
        rows = [f"| {n} | {p:.0f} | {w:.0f} |" for n, p, w in self.quarters]
        return "\n".join([
            f"Memory over {self.pairs} pairs (5 lines each, from FLORES and TICO), {self.workers} workers, "
            f"{self.seconds:.0f} s: resident memory when each quarter of the pairs was stored.",
            "",
            "| pairs stored | parent MiB | largest worker MiB |",
            "|---|---|---|",
            *rows,
            "",
            f"Peak: parent {self.peak_parent:.0f} MiB, worker {self.peak_worker:.0f} MiB; "
            f"flat: {'yes' if self.flat() else 'NO'}.",
        ])


def run_memory(data: Path, work: Path, count: int, workers: int = 2) -> MemoryResult:
    folder = work / f"memory-{count}"
    make_small_pairs(line_pairs([data / "flores200-devtest", data / "tico19"]), count, folder)
    db = work / f"memory-{count}.sqlite"
    result = MemoryResult(count, workers)
    marks = [round(count * q / 4) for q in (1, 2, 3, 4)]
    window: list[tuple[float, float]] = []  # samples since the last quarter mark
    started = time.perf_counter()
    process = subprocess.Popen(build_command(folder, db, workers), env=child_env())
    while process.poll() is None:
        parent = rss_mib(process.pid)
        worker = max((rss_mib(c) for c in children(process.pid)), default=0.0)
        window.append((parent, worker))
        result.peak_parent, result.peak_worker = max(result.peak_parent, parent), max(result.peak_worker, worker)
        done = stored_pairs(db)
        while marks and done >= marks[0]:
            result.quarters.append((marks.pop(0), max(p for p, _ in window), max(w for _, w in window)))
            window = []
        time.sleep(0.5)
    if process.returncode:
        raise SystemExit(f"memory build failed with exit status {process.returncode}")
    if marks and window:  # the last samples before the process ended
        result.quarters.append((count, max(p for p, _ in window), max(w for _, w in window)))
    result.seconds = time.perf_counter() - started
    return result


# -- kill and resume ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResumeResult:
    pairs: int
    killed_at: int
    equal: bool
    integrity: str

    def markdown(self) -> str:
        return (f"Kill and resume over {self.pairs} pairs: SIGKILL with {self.killed_at} pairs stored, then the same "
                f"command again; database equal to a clean one-shot build: {'yes' if self.equal else 'NO'} "
                f"(integrity check: {self.integrity}).")


def run_resume(data: Path, work: Path, count: int) -> ResumeResult:
    folder = work / f"resume-{count}"
    make_small_pairs(line_pairs([data / "flores200-devtest", data / "tico19"]), count, folder)
    killed = work / "resume-killed.sqlite"
    process = subprocess.Popen(build_command(folder, killed, 2), env=child_env())
    while stored_pairs(killed) < count // 2 and process.poll() is None:
        time.sleep(0.2)
    workers = children(process.pid)  # before the kill: orphans get a new parent
    process.kill()  # SIGKILL: no clean-up runs in the parent
    process.wait()
    killed_at = stored_pairs(killed)
    for pid in workers:  # as a machine that loses power would: the workers die too
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    subprocess.run(build_command(folder, killed, 2), env=child_env(), check=True)
    clean = work / "resume-clean.sqlite"
    subprocess.run(build_command(folder, clean, 2), env=child_env(), check=True)
    connection = sqlite3.connect(killed)
    integrity = str(connection.execute("PRAGMA integrity_check").fetchone()[0])
    connection.close()
    return ResumeResult(count, killed_at, contents(killed) == contents(clean), integrity)


def export_precision(db: Path, data: Path, work: Path) -> str:
    """The filtered export's precision and recall (``benchmarks.corpus_precision``) as markdown."""
    from benchmarks.corpus_precision import CORPORA, export, gold_lines, markdown, score_pairs

    return markdown(score_pairs(export(db, work / "export.jsonl"), gold_lines(data / c for c in CORPORA)), "auto")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--parts", default="speed,memory,resume")
    parser.add_argument("--speed-pairs", type=int, default=None,
                        help="A spread sample of this many FLORES+TICO pairs (default: all) for a quick run.")
    parser.add_argument("--memory-pairs", type=int, default=1000)
    parser.add_argument("--resume-pairs", type=int, default=200)
    parser.add_argument("--markdown", type=Path, default=None, help="Write the section here (else stdout).")
    args = parser.parse_args(argv)
    parts = set(args.parts.split(","))
    sections = ["## Corpus build (issue 12)", ""]
    with tempfile.TemporaryDirectory(prefix="corpus-bench-") as tmp:
        work = Path(tmp)
        if "speed" in parts:
            sections += [run_speed(args.data, work, args.speed_pairs).markdown(), ""]
            sections += [export_precision(work / "speed-2.sqlite", args.data, work), ""]
        if "memory" in parts:
            sections += [run_memory(args.data, work, args.memory_pairs).markdown(), ""]
        if "resume" in parts:
            sections += [run_resume(args.data, work, args.resume_pairs).markdown(), ""]
    text = "\n".join(sections)
    if args.markdown:
        args.markdown.write_text(text, encoding="utf-8")
    else:
        print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
