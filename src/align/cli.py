"""The ``align`` command line. Parses options, calls the library, turns errors into exit codes.

Exit codes: 0 success, 1 findings that ``--fail-on`` asked to fail on, 2 usage or input error.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from align import __version__
from align.errors import AlignError, DeviceError, EncoderError
from align.formats import INPUT_FORMATS
from align.segment import SPLIT_MODES
from align.text import visible

if TYPE_CHECKING:  # imported lazily at run time, so that `align --help` stays fast
    from align.corpus.work import PairOutcome
    from align.io import PairFolder
    from align.model import Report
    from align.pipeline import Checker, CheckOptions
    from align.report.html import IndexEntry

F = TypeVar("F", bound=Callable[..., Any])


class InputProblem(click.ClickException):
    """A library error shown as ``Error: …`` with exit code 2."""

    exit_code = 2


class AlignGroup(click.Group):
    """The one place where a library error raised by any command becomes ``Error: …``, exit 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DeviceError as exc:  # before AlignError: a DeviceError is one
            raise InputProblem(visible(f"{exc}; run with --device cpu, or --device auto to use a GPU "
                                       "only where there is one")) from exc
        except AlignError as exc:
            raise InputProblem(visible(str(exc))) from exc  # a file name may hold ESC or a bidi override
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            raise click.exceptions.Exit(130) from None  # the shell's code for Ctrl-C, not a finding (1)


def check_options(func: F) -> F:
    """Options shared by ``check`` and ``batch``."""
    options = [
        click.option("--encoder", default="use-m3", show_default=True,
                     help="Sentence encoder: 'use-m3' (built in, offline) or 'st:NAME_OR_PATH' "
                          "(sentence-transformers model directory, e.g. st:models/labse)."),
        click.option("--device", default="auto", show_default=True, metavar="auto|cpu|cuda|cuda:N|mps",
                     help="Where an st: encoder runs: auto is the first CUDA GPU if torch sees one, else the "
                          "CPU. Not in the signature: vectors differ only by float rounding. use-m3 runs on the CPU."),
        click.option("--split", "split", type=click.Choice(SPLIT_MODES), default="auto", show_default=True,
                     help="auto: lines when both files have the same number of lines that match in "
                          "length line by line, else sentences; sentences: sentences inside lines; "
                          "paragraphs: blocks between blank lines; lines: one segment per line, ids are "
                          "line numbers."),
        click.option("--input-format", "input_format", type=click.Choice(("auto", *INPUT_FORMATS)), default="auto",
                     show_default=True,
                     help="How to read the files: auto (by extension: .docx, .html/.htm, .md/.markdown, "
                          "else text), or force one format for both."),
        click.option("--encoding", default=None, metavar="NAME",
                     help="Character encoding of text, HTML and Markdown files (e.g. cp1256, utf-16); "
                          "default: detected."),
        click.option("--source", type=click.Choice(["en", "ar"]), default=None,
                     help="Which version is the original; findings are worded as missing/added "
                          "in the translation."),
        click.option("--max-merge", type=click.IntRange(1, 30), default=10, show_default=True,
                     help="Most segments on one side of a bead whose other side has one."),
        click.option("--paragraphs", type=click.Choice(["auto", "on", "off"]), default="auto", show_default=True,
                     help="Align paragraphs first, then sentences inside each paragraph pair: 'auto' when "
                          "both sides' paragraphs correspond, 'on' always, 'off' never (flat search)."),
        click.option("--fail-on", "fail_on", default="", metavar="TYPES",
                     help="Comma-separated flag types (e.g. unmatched,partial,number,document); exit 1 "
                          "when a finding of one of them (error or warning) is reported."),
        click.option("--glossary", "glossary_file", type=click.Path(dir_okay=False), default=None,
                     help="Terminology file, 'english<TAB>arabic' a line: an English term whose Arabic "
                          "rendering is missing from the bead is flagged."),
        click.option("--quiet", "-q", is_flag=True, default=False,
                     help="No progress bar on stderr (it is shown only when stderr is a terminal)."),
        click.option("--ignore", "ignore_file", type=click.Path(dir_okay=False), default=None,
                     help="File of flag fingerprints (one per line, '#' comments) to leave out: "
                          "dismissed false positives stay dismissed on re-runs."),
        click.option("--cache", "cache_dir", type=click.Path(file_okay=False), default=None,
                     help="Folder of an on-disk embedding cache (keyed by encoder and text): text embedded "
                          "once is never embedded again. Results are the same with or without it."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _fail_types(value: str) -> frozenset[str]:
    from align.checks import FLAG_TYPES

    types = frozenset(t.strip() for t in value.split(",") if t.strip())
    unknown = sorted(types - set(FLAG_TYPES))
    if unknown:
        raise click.UsageError(f"--fail-on: unknown flag type {', '.join(unknown)}; "
                               f"choose from {', '.join(FLAG_TYPES)}")
    return types


class ProgressBar:
    """The library's progress listener (``align.progress.Progress``) drawn with tqdm on stderr.

    One bar per stage (sentences embedded, aligning, checks run), with items/s and an ETA.
    """

    def __init__(self) -> None:
        self._bar: Any = None

    def stage(self, name: str, total: int | None, unit: str) -> None:
        from tqdm import tqdm

        self.done()
        self._bar = tqdm(total=total, desc=name, unit=f" {unit}", file=sys.stderr, leave=False, dynamic_ncols=True)

    def advance(self, items: int = 1) -> None:
        if self._bar is not None:
            self._bar.update(items)

    def done(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def _show_progress(quiet: bool) -> bool:
    """A bar only for a person watching: not under --quiet, not when stderr is a file or a pipe."""
    return not quiet and sys.stderr.isatty()


def _check_options(split: str, source: str | None, max_merge: int, ignore_file: str | None,
                   glossary_file: str | None, input_format: str = "auto", encoding: str | None = None,
                   paragraphs: str = "auto") -> CheckOptions:
    """The check options the shared command-line options describe (reads the glossary and ignore files)."""
    from align.checks import DEFAULT_CHECKS, configure
    from align.checks.names import read_glossary
    from align.dp import AlignConfig
    from align.fingerprint import read_ignore_file
    from align.pipeline import CheckOptions

    ignore = read_ignore_file(ignore_file) if ignore_file else frozenset()
    checks = DEFAULT_CHECKS
    if glossary_file:
        checks = configure(checks, {"name": {"glossary": read_glossary(glossary_file)}})
    return CheckOptions(split=split, source=source,  # type: ignore[arg-type]
                        align=AlignConfig(max_merge=max_merge, paragraphs=paragraphs),
                        checks=checks, ignore=ignore,
                        input_format=input_format, encoding=encoding)


def _checker(encoder: str, split: str, source: str | None, max_merge: int, ignore_file: str | None,
             glossary_file: str | None, input_format: str, encoding: str | None, paragraphs: str = "auto",
             cache_dir: str | None = None, progress: ProgressBar | None = None, device: str = "auto") -> Checker:
    """A checker configured from the shared options; loads the encoder."""
    options = _check_options(split, source, max_merge, ignore_file, glossary_file, input_format, encoding,
                             paragraphs)
    return _checker_for(encoder, options, cache_dir, progress, device)


def _checker_for(encoder: str, options: CheckOptions, cache_dir: str | None, progress: ProgressBar | None,
                 device: str) -> Checker:
    from align.embed import load_encoder
    from align.pipeline import Checker

    model = load_encoder(encoder, device)
    if cache_dir:
        from align.embed_cache import DiskCachedEncoder

        model = DiskCachedEncoder(model, cache_dir)
    return Checker(model, options, progress)


def _render(report: Report, fmt: str) -> str:
    from align.report import FORMATS

    return str(FORMATS[fmt](report))


def _write(text: str, output: str | None) -> None:
    if output is None or output == "-":
        click.echo(text, nl=False)
        return
    from align.output import write_atomically

    write_atomically(Path(output), text)


@click.group(cls=AlignGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="align (muqabala)")
def main() -> None:
    """muqabala: align an English and an Arabic version of a text and show where they differ."""


@main.command()
@click.argument("english", type=click.Path())
@click.argument("arabic", type=click.Path())
@check_options
@click.option("--format", "fmt", type=click.Choice(["table", "json", "tsv"]), default="table", show_default=True,
              help="table: for the terminal; json: every field, the stable contract; tsv: one bead a row.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write here instead of stdout.")
@click.option("--html", "html_path", type=click.Path(dir_okay=False), default=None,
              help="Also write a self-contained side-by-side HTML report to this file.")
def check(english: str, arabic: str, encoder: str, device: str, split: str, input_format: str, encoding: str | None,
          source: str | None, max_merge: int, paragraphs: str, fail_on: str, glossary_file: str | None, quiet: bool,
          ignore_file: str | None, cache_dir: str | None, fmt: str, output: str | None, html_path: str | None) -> None:
    """Align ENGLISH with ARABIC and report where the two versions differ.

    Exit status: 0 done, 1 findings of a --fail-on type, 2 usage or input error.
    """
    from align.output import refuse_inputs

    failing = _fail_types(fail_on)
    refuse_inputs([Path(p) for p in (output, html_path) if p and p != "-"], [Path(english), Path(arabic)])
    progress = ProgressBar() if _show_progress(quiet) else None
    checker = _checker(encoder, split, source, max_merge, ignore_file, glossary_file, input_format, encoding,
                       paragraphs, cache_dir, progress, device)
    report = checker.check_files(english, arabic)
    _write(_render(report, fmt), output)
    if html_path:
        from align.report.html import report_to_html

        _write(report_to_html(report), html_path)
    if report.has_findings(failing):
        sys.exit(1)


# From this much input (both files of every pair, in bytes), `batch` uses more than one core by default:
# about two seconds of checking on one core, against the second or so a worker process takes to start
# (and the 140 MiB or so it takes with its model). Then a process for every half of that, up to every core.
PARALLEL_FROM_BYTES = 128 * 1024


def _default_workers(found: PairFolder, encoder: str) -> int:
    """Processes for a folder big enough to repay starting them, with the default encoder (an st: model
    may sit on a GPU that one process already keeps busy); else this process alone."""
    import os

    if encoder != "use-m3":
        return 1
    size = sum(path.stat().st_size for pair in found.pairs for path in (pair.en, pair.ar) if path.is_file())
    if size < PARALLEL_FROM_BYTES:
        return 1
    return min(os.cpu_count() or 1, size // (PARALLEL_FROM_BYTES // 2))


def _check_pairs(found: PairFolder, encoder: str, options: CheckOptions, cache_dir: str | None, device: str,
                 workers: int) -> tuple[Iterator[PairOutcome], Callable[[], str]]:
    """Each pair's outcome as it is checked, and the checks' signature: by one checker in this process,
    or by the corpus engine here and in ``workers - 1`` worker processes."""
    if workers > 1:
        from align.corpus.build import BuildConfig, read_tasks, run_tasks, signature_of

        config = BuildConfig(encoder, options, cache_dir, device)
        return run_tasks(read_tasks(found.pairs), config, workers), lambda: signature_of(config)
    checker = _checker_for(encoder, options, cache_dir, None, device)
    return _check_here(checker, found), lambda: str(checker.signature())


def _check_here(checker: Checker, found: PairFolder) -> Iterator[PairOutcome]:
    from align.corpus.work import PairOutcome, SourceFile

    for pair in found.pairs:
        en, ar = SourceFile(str(pair.en), ""), SourceFile(str(pair.ar), "")
        try:
            yield PairOutcome(pair.name, "done", en, ar, checker.check_files(pair.en, pair.ar))
        except AlignError as exc:
            if isinstance(exc, EncoderError):
                raise
            yield PairOutcome(pair.name, "failed", en, ar, reason=str(exc))


@main.command()
@click.argument("folder", type=click.Path(file_okay=False))
@check_options
@click.option("--format", "fmt", type=click.Choice(["table", "json", "tsv"]), default="json", show_default=True,
              help="Report format, one file per pair: NAME.json, NAME.tsv or NAME.txt.")
@click.option("-o", "--output", "outdir", type=click.Path(file_okay=False), required=True,
              help="Folder for the reports, one NAME.json (or .tsv/.txt) per pair.")
@click.option("--html", "html_dir", type=click.Path(file_okay=False), default=None,
              help="Also write NAME.html for every pair and an index.html linking them, into this folder.")
@click.option("--workers", type=click.IntRange(1, 256), default=None,
              help="Processes checking pairs: this one and WORKERS - 1 more, each loading the encoder once "
                   f"(default with use-m3: one for every {PARALLEL_FROM_BYTES // 2048} KiB of pairs from "
                   f"{PARALLEL_FROM_BYTES // 1024} KiB, up to every core; else 1).")
def batch(folder: str, encoder: str, device: str, split: str, input_format: str, encoding: str | None,
          source: str | None, max_merge: int, paragraphs: str, fail_on: str, glossary_file: str | None, quiet: bool,
          ignore_file: str | None, cache_dir: str | None, fmt: str, outdir: str, html_dir: str | None,
          workers: int | None) -> None:
    """Check every NAME.en.EXT + NAME.ar.EXT pair in FOLDER (EXT: txt, docx, html, htm, md), loading the encoder once.

    Exit status: 0 done, 1 findings of a --fail-on type, 2 a pair could not be checked.
    """
    from align.output import refuse_inputs
    from align.report import EXTENSIONS

    failing = _fail_types(fail_on)
    found = _pairs_in(folder)
    planned = [Path(outdir) / f"{p.name}.{EXTENSIONS[fmt]}" for p in found.pairs]
    if html_dir:
        planned += [Path(html_dir) / f"{p.name}.html" for p in found.pairs] + [Path(html_dir) / "index.html"]
    refuse_inputs(planned, [path for p in found.pairs for path in (p.en, p.ar)])
    options = _check_options(split, source, max_merge, ignore_file, glossary_file, input_format, encoding, paragraphs)
    count = min(workers or _default_workers(found, encoder), len(found.pairs))
    outcomes, signature = _check_pairs(found, encoder, options, cache_dir, device, count)
    out = Path(outdir)
    started = time.perf_counter()
    failed = 0
    flagged: list[str] = []
    pages: dict[str, IndexEntry] = {}
    from tqdm import tqdm

    # The bar is closed on Ctrl-C too, before "Interrupted.".
    with tqdm(total=len(found.pairs), desc="pairs", unit=" pairs", file=sys.stderr, leave=False,
              dynamic_ncols=True, disable=not _show_progress(quiet)) as bar:
        for outcome in outcomes:
            bar.update(1)
            bar.set_postfix_str(outcome.name, refresh=False)
            if outcome.report is None:
                bar.write(visible(f"error: {outcome.reason}"), file=sys.stderr)  # one bad pair does not stop the others
                failed += 1
                continue
            _write(_render(outcome.report, fmt), str(out / f"{outcome.name}.{EXTENSIONS[fmt]}"))
            if html_dir:
                pages[outcome.name] = _write_html_page(outcome.report, outcome.name, Path(html_dir))
            if outcome.report.has_findings(failing):
                flagged.append(outcome.name)
    if html_dir and pages:
        from align.report.html import index_to_html

        index = [pages[p.name] for p in found.pairs if p.name in pages]  # the folder's order, not the finishing one
        _write(index_to_html(index, signature()), str(Path(html_dir) / "index.html"))
    elapsed = time.perf_counter() - started
    total = len(found.pairs)
    click.echo(f"{total - failed} of {total} pairs checked in {elapsed:.1f}s; reports in {out}", err=True)
    if flagged:
        click.echo(f"{len(flagged)} pairs with findings of type {', '.join(sorted(failing))}: "
                   f"{', '.join(flagged[:10])}{' …' if len(flagged) > 10 else ''}", err=True)
    if failed:  # a file without its partner is a warning above; the pairs that exist were all checked
        sys.exit(2)
    if flagged:
        sys.exit(1)


def _pairs_in(folder: str) -> PairFolder:
    """The pairs of ``folder`` for ``batch`` and ``corpus build``: a file without its partner is a
    warning; a folder with no pair at all is an error."""
    from align.io import find_pairs

    found = find_pairs(folder)
    for problem in found.problems:
        click.echo(visible(f"warning: {problem}"), err=True)
    if not found.pairs:
        raise InputProblem(f"{folder}: no NAME.en.EXT + NAME.ar.EXT pairs found (EXT: txt, docx, html, htm, md)")
    return found


def _write_html_page(report: Report, name: str, folder: Path) -> IndexEntry:
    """Write NAME.html into ``folder``; return its row for the index page."""
    from align.report.html import index_entry, report_to_html

    _write(report_to_html(report), str(folder / f"{name}.html"))
    return index_entry(report, name, f"{name}.html")


@main.command(name="eval")
@click.argument("gold_dir", type=click.Path(file_okay=False))
@click.argument("reports_dir", type=click.Path(file_okay=False))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="table for reading, json for scripts.")
def evaluate(gold_dir: str, reports_dir: str, fmt: str) -> None:
    """Score REPORTS_DIR/NAME.json against every GOLD_DIR/NAME.gold (strict and lax P/R/F1)."""
    from align.evaluate import evaluate

    for path in (gold_dir, reports_dir):
        if not Path(path).is_dir():
            raise InputProblem(f"{path}: no such folder")
    result = evaluate(Path(gold_dir), Path(reports_dir))
    missing = result.missing
    for name in missing:
        click.echo(f"warning: no report {name}.json; counted as an empty alignment", err=True)
    for name, mode in result.other_splits.items():
        click.echo(f"warning: {name}.json was made with --split {mode}; gold ids are 0-based line numbers, "
                   f"so make reports with --split lines", err=True)
    figures = result.score.as_dict()
    if fmt == "json":
        click.echo(json.dumps({**figures, "missing_reports": missing}, indent=1))
        return
    from tabulate import tabulate

    rows = [
        ["strict", figures["strict_precision"], figures["strict_recall"], figures["strict_f1"]],
        ["lax", figures["lax_precision"], figures["lax_recall"], figures["lax_f1"]],
        ["unmatched segments", figures["unmatched_precision"], figures["unmatched_recall"], figures["unmatched_f1"]],
    ]
    click.echo(f"{figures['files']} files")
    click.echo(tabulate(rows, headers=["", "precision", "recall", "F1"], floatfmt=".4f"))

@main.group()
def corpus() -> None:
    """Build a parallel corpus from a folder of pairs into SQLite; export, count and compare it."""


def _flag_types(value: str, option: str) -> frozenset[str]:
    from align.checks import FLAG_TYPES

    types = frozenset(t.strip() for t in value.split(",") if t.strip())
    unknown = sorted(types - set(FLAG_TYPES))
    if unknown:
        raise click.UsageError(f"{option}: unknown flag type {', '.join(unknown)}; choose from {', '.join(FLAG_TYPES)}")
    return types


@corpus.command(name="build")
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--db", "db_path", type=click.Path(dir_okay=False), required=True,
              help="The corpus database (SQLite), created if missing; a re-run resumes it.")
@check_options
@click.option("--workers", type=click.IntRange(1, 256), default=None,
              help="Processes building: this one and WORKERS - 1 more, each loading the encoder once "
                   "(default: all cores).")
@click.option("--dask", "dask_address", default=None, metavar="ADDRESS",
              help="Run the per-pair work on the Dask cluster whose scheduler is at ADDRESS (tcp://host:8786).")
def corpus_build(folder: str, db_path: str, encoder: str, device: str, split: str, input_format: str,
                 encoding: str | None, source: str | None, max_merge: int, paragraphs: str, fail_on: str,
                 glossary_file: str | None, quiet: bool, ignore_file: str | None, cache_dir: str | None,
                 workers: int | None, dask_address: str | None) -> None:
    """Align and check every NAME.en.EXT + NAME.ar.EXT pair in FOLDER into the corpus database.

    A pair already stored with the same file contents and signature is skipped, so an interrupted
    build resumes where it stopped. Exit status: 0 done, 1 findings of a --fail-on type, 2 a pair failed.
    """
    from align.corpus.build import BuildConfig, build_corpus

    failing = _fail_types(fail_on)
    found = _pairs_in(folder)
    options = _check_options(split, source, max_merge, ignore_file, glossary_file, input_format, encoding,
                             paragraphs)
    config = BuildConfig(encoder, options, cache_dir, device)
    flagged: list[str] = []
    from tqdm import tqdm

    bar = tqdm(total=len(found.pairs), unit="pairs", file=sys.stderr, dynamic_ncols=True,
               disable=quiet or not sys.stderr.isatty())

    def progress(outcome: PairOutcome) -> None:
        bar.update(1)
        if outcome.status == "failed":
            bar.write(visible(f"error: {outcome.name}: {outcome.reason}"), file=sys.stderr)
        if outcome.report is not None and outcome.report.has_findings(failing):
            flagged.append(outcome.name)

    try:
        summary = build_corpus(found.pairs, db_path, config, workers=workers, dask_address=dask_address,
                               on_outcome=progress)
    finally:
        bar.close()
    click.echo(f"{summary.done} pairs built, {summary.skipped} already stored (skipped), {len(summary.failed)} "
               f"failed, in {summary.seconds:.1f}s; corpus in {db_path}", err=True)
    for name, reason in summary.failed:
        click.echo(visible(f"failed: {name}: {reason}"), err=True)
    if flagged:
        click.echo(f"{len(flagged)} pairs with findings of type {', '.join(sorted(failing))}", err=True)
    if summary.failed:
        sys.exit(2)
    if flagged:
        sys.exit(1)


@corpus.command(name="export")
@click.option("--db", "db_path", type=click.Path(dir_okay=False), required=True, help="The corpus database.")
@click.option("--format", "fmt", type=click.Choice(["tmx", "tsv", "jsonl", "moses"]), required=True,
              help="tmx: TMX 1.4b; tsv: with a header row; jsonl: one object a line; moses: PATH.en + PATH.ar.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True,
              help="Output file (for moses, the stem: PATH.en and PATH.ar are written).")
@click.option("--min-score", type=click.FloatRange(-1.0, 1.0), default=None, help="Leave out pairs scoring below this.")
@click.option("--only-1to1", "only_1to1", is_flag=True, help="Only 1-1 beads (no merged sentences).")
@click.option("--exclude-flags", default="", metavar="TYPES",
              help="Leave out pairs with a finding (error or warning) of these comma-separated types, "
                   "e.g. unmatched,partial,number,divergent.")
@click.option("--dedup", is_flag=True, help="Keep identical pairs (after normalization) once.")
@click.option("--include-unrelated", is_flag=True,
              help="Also export the pairs of document pairs that do not look like translations (left out by default).")
def corpus_export(db_path: str, fmt: str, output: str, min_score: float | None, only_1to1: bool,
                  exclude_flags: str, dedup: bool, include_unrelated: bool) -> None:
    """Write the sentence pairs of a corpus database as TMX, TSV, JSONL or Moses files."""
    from align.corpus.export import ExportFilter, export_corpus

    keep = ExportFilter(min_score, only_1to1, _flag_types(exclude_flags, "--exclude-flags"), dedup, include_unrelated)
    summary = export_corpus(db_path, fmt, output, keep)
    left_out = ", ".join(f"{count} {reason}" for reason, count in sorted(summary.left_out.items()))
    click.echo(f"{summary.written} sentence pairs written to {', '.join(str(p) for p in summary.paths)}"
               f"{f'; left out: {left_out}' if left_out else ''}", err=True)


@corpus.command(name="stats")
@click.option("--db", "db_path", type=click.Path(dir_okay=False), required=True, help="The corpus database.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="table for reading, json for scripts.")
def corpus_stats_command(db_path: str, fmt: str) -> None:
    """Pairs, sentences, bead kinds, flag types and a score histogram of a corpus database."""
    from align.corpus.analysis import corpus_stats, histogram_rows

    stats = corpus_stats(db_path)
    if fmt == "json":
        click.echo(json.dumps(stats.as_dict(), ensure_ascii=False, indent=1))
        return
    from tabulate import tabulate

    click.echo(f"{stats.pairs} document pairs ({stats.not_translations} not translations), {stats.failed} failed")
    click.echo(f"segments: English {stats.segments['en']}, Arabic {stats.segments['ar']}; "
               f"{stats.beads} beads, {stats.sentence_pairs} with both sides")
    click.echo("\n" + tabulate(sorted(stats.bead_kinds.items(), key=lambda kv: -kv[1]), headers=["bead kind", "beads"]))
    flag_rows = [[t, by.get("error", 0), by.get("warning", 0), by.get("info", 0)] for t, by in stats.flags.items()]
    click.echo("\n" + tabulate(flag_rows, headers=["flag", "error", "warning", "info"]))
    click.echo("\n" + tabulate(histogram_rows(stats.score_histogram), headers=["score", "beads", ""]))
    for signature in stats.signatures:
        click.echo(f"\nsignature: {signature}")


@corpus.command(name="consistency")
@click.option("--db", "db_path", type=click.Path(dir_okay=False), required=True, help="The corpus database.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="table for reading, json (every sentence, every translation) for scripts.")
@click.option("--all-beads", is_flag=True, help="Compare merged beads too, not only 1-1 beads.")
@click.option("--limit", type=click.IntRange(0), default=50, show_default=True,
              help="Most sentences listed in the table (0: all); JSON lists all.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write here instead of stdout.")
def corpus_consistency(db_path: str, fmt: str, all_beads: bool, limit: int, output: str | None) -> None:
    """Sentences translated in more than one way across the corpus (English and Arabic sides)."""
    from align.corpus.analysis import find_inconsistencies
    from align.output import refuse_inputs

    if output and output != "-":
        refuse_inputs([Path(output)], [Path(db_path)])
    found = find_inconsistencies(db_path, only_1to1=not all_beads)
    if fmt == "json":
        _write(json.dumps([i.as_dict() for i in found], ensure_ascii=False, indent=1) + "\n", output)
        return
    from tabulate import tabulate

    from align.text import visible

    rows = []
    for item in found[: limit or None]:
        for k, rendering in enumerate(item.renderings):
            rows.append([item.side if k == 0 else "", visible(item.text) if k == 0 else "", rendering.count,
                         visible(rendering.text), ", ".join(rendering.documents[:3])])
    text = f"{len(found)} sentences translated in more than one way\n"
    if rows:
        text += tabulate(rows, headers=["side", "sentence", "n", "translation", "documents"],
                         maxcolwidths=[None, 50, None, 50, 40]) + "\n"
    _write(text, output)


if __name__ == "__main__":  # pragma: no cover
    main()
