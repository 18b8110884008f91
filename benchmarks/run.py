"""Generate the perturbed case sets, run the real CLI on them, and write BENCHMARKS.md.

    python -m benchmarks.run [--data ../shared/data] [--work benchmarks/work] [--output BENCHMARKS.md]

Run it from the repository root: it starts the case generators and scorers as
``python -m benchmarks.…`` child processes.

Each set is run exactly as the maintainers run hidden data:
``align batch DIR -o OUT --split lines --format json`` then ``align eval DIR OUT --format json``.
Wall time and peak memory come from the child process (model load included).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SETS = {
    "news": "news articles (FLORES/TICO) with deletions, merges, splits, boilerplate",
    "merges": "Arabic merges of 2-9 sentences (bible chapters and TICO slices), few deletions",
    "clean": "unperturbed TICO slices, exact 1-1",
    "flores-docs": "all 281 FLORES-200 devtest documents, unchanged (speed target: < 60 s)",
    "scale": "three ~2,000-sentence pairs with news perturbations (speed target: < 30 s each)",
}


def align_command() -> list[str]:
    return [sys.executable, "-m", "align"]


def module_command(name: str) -> list[str]:
    """The command that runs ``benchmarks.NAME`` in a child process."""
    return [sys.executable, "-m", f"benchmarks.{name}"]


def timed(command: list[str]) -> tuple[float, float, str]:
    """Run ``command``; return its wall seconds, its own peak RSS (MiB) and its stdout."""
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        child = subprocess.Popen(command, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if child.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({child.returncode}): {stderr.strip()[-500:]}")
    return elapsed, usage.ru_maxrss / 1024, stdout


def run_set(cases: Path, name: str, out: Path) -> dict[str, object]:
    src = cases / name
    dest = out / name
    row: dict[str, object] = {"set": name}
    if name == "scale":
        times, peaks = [], []
        for en in sorted(src.glob("*.en.txt")):
            stem = en.name[: -len(".en.txt")]
            seconds, peak, _ = timed(align_command() + ["check", str(en), str(src / f"{stem}.ar.txt"),
                                                         "--split", "lines", "--format", "json",
                                                         "-o", str(dest / f"{stem}.json")])
            times.append(seconds)
            peaks.append(peak)
        row["seconds"] = f"{max(times):.1f} (max of {len(times)})"
        peak = max(peaks)
    else:
        seconds, peak, _ = timed(align_command() + ["batch", str(src), "-o", str(dest), "--split", "lines",
                                                    "--format", "json"])
        row["seconds"] = f"{seconds:.1f}"
    row["peak_mib"] = f"{peak:.0f}"
    _, _, text = timed(align_command() + ["eval", str(src), str(dest), "--format", "json"])
    row.update(json.loads(text))
    return row


def markdown(rows: list[dict[str, object]], cases_readme: str) -> str:
    head = ["set", "pairs", "strict P", "strict R", "strict F1", "lax F1", "unmatched P", "unmatched R",
            "unmatched F1", "wall s", "peak MiB"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        lines.append("| " + " | ".join(str(x) for x in [
            r["set"], r["files"], r["strict_precision"], r["strict_recall"], r["strict_f1"], r["lax_f1"],
            r["unmatched_precision"], r["unmatched_recall"], r["unmatched_f1"], r["seconds"], r["peak_mib"],
        ]) + " |")
    version = subprocess.run(align_command() + ["--version"], capture_output=True, text=True,
                             check=True).stdout.strip()
    return "\n".join([
        "# Benchmarks",
        "",
        (f"Produced by `python -m benchmarks.run` on {time.strftime('%Y-%m-%d')}, {version}, "
         f"Python {platform.python_version()}, {platform.machine()}, 2 cores, default encoder use-m3."),
        "Each set runs `align batch DIR -o OUT --split lines --format json` (model load included in the",
        "wall time) and is scored with `align eval DIR OUT` (Vecalign's convention: strict and lax",
        "precision/recall/F1, recall ignores 1-0/0-1 beads, micro-averaged). 'Unmatched' scores the set of",
        "segments left in 1-0/0-1 beads against the gold's (it is 0 by definition on sets with none).",
        "",
        *lines,
        "",
        "What each set is:",
        "",
        *[f"- `{k}`: {v}" for k, v in SETS.items()],
        "",
        "## The generated cases",
        "",
        cases_readme.split("\n", 1)[1].strip(),
        "",
    ])


CHECK_SEEDS = {1: "seed 1: the set the check thresholds were tuned on", 2: "seed 2: held out", 3: "seed 3: held out"}


def run_checks(data: Path, work: Path) -> str:
    """The translation-check benchmark: perturbed news, scored per flagged bead, on three seeds."""
    parts = [
        "",
        "## Translation checks",
        "",
        "`python -m benchmarks.make_check_cases` perturbs news articles (FLORES/TICO) with sentence deletions,",
        "clause drops, changed numbers, substituted sentences and boilerplate;",
        "`python -m benchmarks.score_checks` scores the flags per flagged bead (error or warning severity).",
        "Thresholds were tuned on seed 1 only; seeds 2 and 3 draw other articles and perturbations and show",
        "what to expect on new data.",
    ]
    for seed, title in CHECK_SEEDS.items():
        cases, out = work / f"checks-seed{seed}", work / "out" / f"checks-seed{seed}"
        generate = module_command("make_check_cases") + ["--data", str(data), "--out", str(cases), "--seed", str(seed)]
        subprocess.run(generate, check=True, stdout=subprocess.DEVNULL)
        seconds, peak, _ = timed(align_command() + ["batch", str(cases), "-o", str(out), "--split", "lines",
                                                    "--format", "json"])
        _, _, table = timed(module_command("score_checks") + [str(cases), str(out)])
        print(table, flush=True)
        parts += ["", f"### {title}", "",
                  f"`align batch … --split lines --format json`: {seconds:.1f} s wall, {peak:.0f} MiB peak.", "",
                  table.strip()]
    return "\n".join(parts + [""])


def run_real(data: Path) -> str:
    """The real-translation benchmark (hand-labelled real translations), the primary measure of the checks."""
    seconds, peak, table = timed(module_command("score_real") + ["--data", str(data)])
    print(table, flush=True)
    return "\n".join([
        "",
        "## Real translations: the primary measure of the checks",
        "",
        "`python -m benchmarks.score_real` runs the checks on real translations labelled by hand (see",
        "`benchmarks/labels/README.md`): `news` is ntrex128-labelled (62 professional news articles,",
        "`--split lines`), `flores`/`tico` the labelled FLORES-200 and TICO-19 slices (literal translations,",
        "`--split lines`), `documents/*` the twelve labelled real documents by genre (default split). A unit",
        "is a line (line sets) or a bead (documents); it is flagged by an error or a warning (info never",
        "counts) and real when a label covers it. Precision = real flagged / flagged; recall = labelled",
        "omissions, additions and number errors covered by a flagged unit (major, and all); number P =",
        "units flagged by `number` that carry a `number` label.",
        f"{seconds:.0f} s wall, {peak:.0f} MiB peak (in one process, encoder loaded once).",
        "",
        table.strip(),
        "",
    ])


def history() -> str:
    """Hand-written before/after figures of past changes (benchmarks/HISTORY.md), kept across runs."""
    path = HERE / "HISTORY.md"
    return "\n" + path.read_text(encoding="utf-8") if path.exists() else ""


def run_html(cases: Path, work: Path) -> str:
    """Open a large HTML report (two scale pairs joined, over 2,000 beads) in headless Chromium."""
    big = work / "html"
    big.mkdir(parents=True, exist_ok=True)
    pairs = sorted((cases / "scale").glob("*.en.txt"))[::2]
    for side in ("en", "ar"):
        text = "".join(Path(str(p).replace(".en.txt", f".{side}.txt")).read_text(encoding="utf-8") for p in pairs)
        (big / f"big.{side}.txt").write_text(text, encoding="utf-8")
    _, _, out = timed(module_command("html_render") + [str(big / "big.en.txt"), str(big / "big.ar.txt")])
    print(out, flush=True)
    figures = json.loads(out)
    return "\n".join([
        "",
        "## HTML report",
        "",
        (f"`python -m benchmarks.html_render` on {figures['beads']} beads ({figures['html_mib']} MiB of HTML), "
         "headless Debian Chromium on this machine, median of 3 loads:"),
        "",
        "| render HTML (Python) | first contentful paint | load event | 'only flagged' toggle |",
        "|---|---|---|---|",
        (f"| {figures['render_html_s']} s | {figures['first_paint_s']} s | {figures['load_s']} s "
         f"| {figures['only_flagged_toggle_s']} s |"),
        "",
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=HERE.parent.parent / "shared" / "data")
    parser.add_argument("--work", type=Path, default=HERE / "work")
    parser.add_argument("--output", type=Path, default=HERE.parent / "BENCHMARKS.md")
    parser.add_argument("--sets", nargs="*", default=list(SETS))
    args = parser.parse_args()
    cases = args.work / "cases"
    subprocess.run(module_command("make_cases") + ["--data", str(args.data), "--out", str(cases)],
                   check=True, stdout=subprocess.DEVNULL)
    rows = []
    for name in args.sets:
        row = run_set(cases, name, args.work / "out")
        print(json.dumps(row), flush=True)
        rows.append(row)
    real = run_real(args.data)
    checks = run_checks(args.data, args.work)
    html = run_html(cases, args.work)
    text = markdown(rows, (cases / "README.md").read_text(encoding="utf-8"))
    args.output.write_text(text + real + checks + html + history(), encoding="utf-8")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
