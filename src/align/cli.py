"""The ``align`` command line. Parses options, calls the library, turns errors into exit codes.

Exit codes: 0 success, 1 findings that ``--fail-on`` asked to fail on, 2 usage or input error.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from align import __version__
from align.errors import AlignError, EncoderError
from align.segment import SPLIT_MODES

if TYPE_CHECKING:  # imported lazily at run time, so that `align --help` stays fast
    from align.model import Report
    from align.pipeline import Checker
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
        except AlignError as exc:
            raise InputProblem(str(exc)) from exc
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            raise click.exceptions.Exit(130) from None  # the shell's code for Ctrl-C, not a finding (1)


def check_options(func: F) -> F:
    """Options shared by ``check`` and ``batch``."""
    options = [
        click.option("--encoder", default="use-m3", show_default=True,
                     help="Sentence encoder: 'use-m3' (built in, offline) or 'st:NAME_OR_PATH' "
                          "(sentence-transformers model directory, e.g. st:models/labse)."),
        click.option("--split", "split", type=click.Choice(SPLIT_MODES), default="auto", show_default=True,
                     help="auto: sentences inside lines; paragraphs: blocks between blank lines; "
                          "lines: one segment per line, ids are line numbers."),
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
        click.option("--ignore", "ignore_file", type=click.Path(dir_okay=False), default=None,
                     help="File of flag fingerprints (one per line, '#' comments) to leave out: "
                          "dismissed false positives stay dismissed on re-runs."),
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


def _checker(encoder: str, split: str, source: str | None, max_merge: int, ignore_file: str | None,
             glossary_file: str | None, paragraphs: str = "auto") -> Checker:
    """A checker configured from the shared options; loads the encoder."""
    from align.checks import DEFAULT_CHECKS, configure
    from align.checks.names import read_glossary
    from align.dp import AlignConfig
    from align.embed import load_encoder
    from align.fingerprint import read_ignore_file
    from align.pipeline import Checker, CheckOptions

    ignore = read_ignore_file(ignore_file) if ignore_file else frozenset()
    checks = DEFAULT_CHECKS
    if glossary_file:
        checks = configure(checks, {"name": {"glossary": read_glossary(glossary_file)}})
    options = CheckOptions(split=split, source=source,  # type: ignore[arg-type]
                           align=AlignConfig(max_merge=max_merge, paragraphs=paragraphs), checks=checks, ignore=ignore)
    return Checker(load_encoder(encoder), options)


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
def check(english: str, arabic: str, encoder: str, split: str, source: str | None, max_merge: int,
          paragraphs: str, fail_on: str, glossary_file: str | None, ignore_file: str | None, fmt: str,
          output: str | None, html_path: str | None) -> None:
    """Align ENGLISH with ARABIC and report where the two versions differ.

    Exit status: 0 done, 1 findings of a --fail-on type, 2 usage or input error.
    """
    from align.output import refuse_inputs

    failing = _fail_types(fail_on)
    refuse_inputs([Path(p) for p in (output, html_path) if p and p != "-"], [Path(english), Path(arabic)])
    report = _checker(encoder, split, source, max_merge, ignore_file, glossary_file,
                      paragraphs).check_files(english, arabic)
    _write(_render(report, fmt), output)
    if html_path:
        from align.report.html import report_to_html

        _write(report_to_html(report), html_path)
    if report.has_findings(failing):
        sys.exit(1)


@main.command()
@click.argument("folder", type=click.Path(file_okay=False))
@check_options
@click.option("--format", "fmt", type=click.Choice(["table", "json", "tsv"]), default="json", show_default=True,
              help="Report format, one file per pair: NAME.json, NAME.tsv or NAME.txt.")
@click.option("-o", "--output", "outdir", type=click.Path(file_okay=False), required=True,
              help="Folder for the reports, one NAME.json (or .tsv/.txt) per pair.")
@click.option("--html", "html_dir", type=click.Path(file_okay=False), default=None,
              help="Also write NAME.html for every pair and an index.html linking them, into this folder.")
def batch(folder: str, encoder: str, split: str, source: str | None, max_merge: int, paragraphs: str, fail_on: str,
          glossary_file: str | None, ignore_file: str | None, fmt: str, outdir: str, html_dir: str | None) -> None:
    """Check every NAME.en.txt + NAME.ar.txt pair in FOLDER, loading the encoder once.

    Exit status: 0 done, 1 findings of a --fail-on type, 2 a pair could not be checked.
    """
    from align.io import find_pairs
    from align.output import refuse_inputs
    from align.report import EXTENSIONS

    failing = _fail_types(fail_on)
    found = find_pairs(folder)
    for problem in found.problems:
        click.echo(f"warning: {problem}", err=True)
    if not found.pairs:
        raise InputProblem(f"{folder}: no NAME.en.txt + NAME.ar.txt pairs found")
    planned = [Path(outdir) / f"{p.name}.{EXTENSIONS[fmt]}" for p in found.pairs]
    if html_dir:
        planned += [Path(html_dir) / f"{p.name}.html" for p in found.pairs] + [Path(html_dir) / "index.html"]
    refuse_inputs(planned, [path for p in found.pairs for path in (p.en, p.ar)])
    checker = _checker(encoder, split, source, max_merge, ignore_file, glossary_file, paragraphs)
    out = Path(outdir)
    started = time.perf_counter()
    failed = 0
    flagged: list[str] = []
    index: list[IndexEntry] = []
    for pair in found.pairs:
        try:
            report = checker.check_files(pair.en, pair.ar)
        except AlignError as exc:
            if isinstance(exc, EncoderError):
                raise
            click.echo(f"error: {exc}", err=True)  # one bad pair does not stop the others
            failed += 1
            continue
        _write(_render(report, fmt), str(out / f"{pair.name}.{EXTENSIONS[fmt]}"))
        if html_dir:
            index.append(_write_html_page(report, pair.name, Path(html_dir)))
        if report.has_findings(failing):
            flagged.append(pair.name)
    if html_dir and index:
        from align.report.html import index_to_html

        _write(index_to_html(index, str(checker.signature())), str(Path(html_dir) / "index.html"))
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
    from align.evaluate import evaluate_dirs

    for path in (gold_dir, reports_dir):
        if not Path(path).is_dir():
            raise InputProblem(f"{path}: no such folder")
    score, missing = evaluate_dirs(Path(gold_dir), Path(reports_dir))
    for name in missing:
        click.echo(f"warning: no report {name}.json; counted as an empty alignment", err=True)
    figures = score.as_dict()
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


if __name__ == "__main__":  # pragma: no cover
    main()
