"""What the reviewer sees: table layout, progress, the source in every format, eval's split warning."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from align.cli import main
from align.evaluate import parse_gold
from align.model import Bead, Evidence, Flag, Report, Signature
from align.report.html import report_to_html
from align.segment import make_document


def invoke(runner: CliRunner, *args: str | Path, env: dict[str, str] | None = None) -> Result:
    return runner.invoke(main, [str(a) for a in args], catch_exceptions=False, env=env)


@pytest.fixture
def ref(pairs_dir: Path) -> tuple[Path, Path]:
    return pairs_dir / "reference.en.txt", pairs_dir / "reference.ar.txt"


# --- the terminal table ------------------------------------------------------------------------------

def test_flagged_rows_fit_a_100_column_terminal_and_wrap_between_words(runner: CliRunner,
                                                                        ref: tuple[Path, Path]) -> None:
    report = json.loads(invoke(runner, "check", *ref, "--format", "json").stdout)
    table = invoke(runner, "check", *ref, env={"COLUMNS": "100"}).stdout
    body = table.split("\n---", 1)[1].splitlines()[1:]
    assert body and max(len(line) for line in body) <= 100, "the terminal would cut words at column 100"
    words = {w for b in report["beads"] for f in b["flags"] for w in f["message"].split()}
    cells = re.findall(r"\S+", table)
    # Every word of every message is whole somewhere in the table: lines broke between words.
    assert words and {w for w in words if len(w) < 20} <= set(cells)


# --- the source in every format ----------------------------------------------------------------------

@pytest.mark.parametrize("source", ["en", "ar", None])
def test_every_format_names_the_source(runner: CliRunner, ref: tuple[Path, Path], tmp_path: Path,
                                       source: str | None) -> None:
    args = ["--source", source] if source else []
    words = {"en": "source: en (the English is the original", "ar": "source: ar (the Arabic is the original",
             None: "source: not given"}[source]
    html = tmp_path / "r.html"
    table = invoke(runner, "check", *ref, *args, "--html", html).stdout
    assert words in table.splitlines()[2]
    tsv = invoke(runner, "check", *ref, *args, "--format", "tsv").stdout.splitlines()
    assert tsv[1].startswith("# " + words)
    report = json.loads(invoke(runner, "check", *ref, *args, "--format", "json").stdout)
    assert report["source"] == source
    assert all(re.fullmatch(r"[0-9a-f]{64}", report["sha256"][side]) for side in ("en", "ar"))
    header = html.read_text(encoding="utf-8").split("</header>")[0]
    assert re.search(r'<div class="source" id="source">' + re.escape(words), header)


# --- the HTML page's size ------------------------------------------------------------------------------

def test_a_long_line_with_many_highlights_makes_a_small_page() -> None:
    """One 100,000-character line, one flag with 734 highlighted numbers and an 8 KB message."""
    en_text = " ".join(f"Room {n} seats {n + 7}." for n in range(1, 8000))[:100_000]
    ar_text = " ".join(f"الغرفة {n} فيها مقاعد." for n in range(1, 8000))[:100_000]
    en, ar = make_document(en_text, "en", "long.en.txt", "lines"), make_document(ar_text, "ar", "long.ar.txt", "lines")
    spans = [m.span() for m in re.finditer(r"\d+", en_text)][:734]
    evidence = tuple(Evidence("en", 0, a, b, en_text[a:b], en_text[a:b]) for a, b in spans)
    message = "English numbers missing from the Arabic: " + ", ".join(e.text for e in evidence) * 3
    assert len(message) > 8000 and len(spans) == 734
    bead = Bead((0,), (0,), 0.5, (Flag("number", "en", "error", message, evidence),))
    report = Report(Signature("0", "use-m3", "lines/x"), en, ar, (bead,))
    page = report_to_html(report).encode("utf-8")
    size = len(en_text.encode("utf-8")) + len(ar_text.encode("utf-8"))
    assert len(page) < 3 * size + 100_000, f"{len(page):,} bytes for {size:,} bytes of input"
    assert page.count(message.encode("utf-8")) <= 1


# --- align eval ----------------------------------------------------------------------------------------

def test_the_example_gold_scores_a_lines_report_silently(runner: CliRunner, pairs_dir: Path, tmp_path: Path) -> None:
    assert invoke(runner, "batch", pairs_dir, "-o", tmp_path, "--split", "lines").exit_code == 0
    result = invoke(runner, "eval", pairs_dir, tmp_path, "--format", "json")
    assert result.exit_code == 0 and result.stderr == ""
    figures = json.loads(result.stdout)
    assert figures["files"] == 1 and figures["lax_f1"] == 1.0 and figures["strict_f1"] > 0.85


def test_eval_warns_about_a_report_made_with_another_split(runner: CliRunner, pairs_dir: Path,
                                                           tmp_path: Path) -> None:
    assert invoke(runner, "batch", pairs_dir, "-o", tmp_path).exit_code == 0  # --split auto
    result = invoke(runner, "eval", pairs_dir, tmp_path)
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        "warning: reference.json was made with --split auto; gold ids are 0-based line numbers, "
        "so make reports with --split lines"]


def test_readme_shows_the_example_gold(pairs_dir: Path) -> None:
    readme = (pairs_dir.parent / "README.md").read_text(encoding="utf-8").split("align eval`", 1)[1]
    assert "0-based line numbers" in readme and "--split lines" in readme and "pairs/reference.gold" in readme
    assert parse_gold((pairs_dir / "reference.gold").read_text(encoding="utf-8"))


# --- progress ------------------------------------------------------------------------------------------

def run_on_a_terminal(*args: str | Path) -> tuple[int, str]:
    """Run ``align ARGS`` with stderr on a pseudo-terminal; return the exit code and what stderr showed."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a 100x24 terminal, not 0x0
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), "COLUMNS": "100"}
    process = subprocess.Popen([sys.executable, "-m", "align", *map(str, args)], stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=follower, env=env)
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    return process.wait(timeout=300), shown.decode("utf-8", "replace")


BAR = re.compile(r"embedding: +\d+%\|.*\| *\d+/\d+ \[[\d:]+<[\d:?]+, +[\d.?]+ sentences/s\]")


def test_check_shows_a_progress_bar_on_a_terminal(ref: tuple[Path, Path]) -> None:
    code, shown = run_on_a_terminal("check", *ref)
    assert code == 0
    assert BAR.search(shown), shown[-2000:]  # items/s and an ETA
    assert re.search(r"checking: .*\d+/\d+ .* checks/s\]", shown)


def test_quiet_hides_the_progress_bar(ref: tuple[Path, Path]) -> None:
    code, shown = run_on_a_terminal("check", *ref, "--quiet")
    assert code == 0 and "embedding" not in shown and "%|" not in shown


def test_no_progress_bar_when_stderr_is_not_a_terminal(runner: CliRunner, ref: tuple[Path, Path],
                                                       tmp_path: Path) -> None:
    result = invoke(runner, "check", *ref, "-o", tmp_path / "r.txt")
    assert result.exit_code == 0 and result.stderr == ""
    result = invoke(runner, "batch", ref[0].parent, "-o", tmp_path)
    assert result.exit_code == 0 and "%|" not in result.stderr and "pairs:" not in result.stderr


def test_batch_shows_pairs_progress_unless_quiet(ref: tuple[Path, Path], tmp_path: Path) -> None:
    code, shown = run_on_a_terminal("batch", ref[0].parent, "-o", tmp_path / "a")
    assert code == 0 and re.search(r"pairs: +\d+%\|.*\| *\d+/1 \[.*pairs/s", shown), shown[-2000:]
    code, shown = run_on_a_terminal("batch", ref[0].parent, "-o", tmp_path / "b", "--quiet")
    assert code == 0 and "pairs:" not in shown and "1 of 1 pairs checked" in shown
