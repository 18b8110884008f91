"""Nothing the user gave is lost or overwritten, and bad input gets one clear line and exit 2."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from align.cli import main

PAIRS = Path(__file__).resolve().parents[1] / "pairs"


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    en, ar = tmp_path / "x.en.txt", tmp_path / "x.ar.txt"
    shutil.copy(PAIRS / "reference.en.txt", en)
    shutil.copy(PAIRS / "reference.ar.txt", ar)
    return en, ar


def _one_line_error(result: object, fragment: str) -> None:
    output = result.output  # type: ignore[attr-defined]
    assert result.exit_code == 2, output  # type: ignore[attr-defined]
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: ") and fragment in lines[0], output


@pytest.mark.parametrize("option", ["-o", "--html"])
@pytest.mark.parametrize("side", [0, 1])
def test_an_output_path_that_is_an_input_is_refused(runner: CliRunner, pair: tuple[Path, Path], option: str,
                                                    side: int) -> None:
    before = [p.read_bytes() for p in pair]
    result = runner.invoke(main, ["check", str(pair[0]), str(pair[1]), option, str(pair[side])])
    _one_line_error(result, "is an input file")
    assert [p.read_bytes() for p in pair] == before


def test_an_input_reached_another_way_is_refused(tmp_path: Path) -> None:
    """Through a symbolic link, a hard link or a relative path, an input is still an input."""
    from align.errors import OutputError
    from align.output import refuse_inputs

    source = tmp_path / "x.en.txt"
    source.write_text("text", encoding="utf-8")
    (tmp_path / "soft.txt").symlink_to(source)
    os.link(source, tmp_path / "hard.txt")
    inputs = [tmp_path / "y.ar.txt", source]  # the first does not exist
    for out in (tmp_path / "soft.txt", tmp_path / "hard.txt", tmp_path / "sub" / ".." / "x.en.txt",
                tmp_path / "y.ar.txt"):
        with pytest.raises(OutputError, match="is an input file"):
            refuse_inputs([tmp_path / "fine.json", out], inputs)
    refuse_inputs([tmp_path / "fine.json", tmp_path / "x.ar.txt"], inputs)


def test_batch_never_writes_over_the_input_of_another_pair(runner: CliRunner, tmp_path: Path) -> None:
    # Pair "x.en" writes its table to x.en.txt: the English input of pair "x".
    for name in ("x", "x.en"):
        shutil.copy(PAIRS / "reference.en.txt", tmp_path / f"{name}.en.txt")
        shutil.copy(PAIRS / "reference.ar.txt", tmp_path / f"{name}.ar.txt")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    result = runner.invoke(main, ["batch", str(tmp_path), "-o", str(tmp_path), "--format", "table"])
    _one_line_error(result, "x.en.txt: is an input file")
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_the_same_file_twice_is_named_as_such(runner: CliRunner, pair: tuple[Path, Path]) -> None:
    _one_line_error(runner.invoke(main, ["check", str(pair[0]), str(pair[0])]), "are the same file")


def test_a_folder_as_input_is_one_line(runner: CliRunner, pair: tuple[Path, Path]) -> None:
    _one_line_error(runner.invoke(main, ["check", str(pair[0].parent), str(pair[1])]), "is a directory")


def test_a_fifo_is_refused_without_waiting_for_a_writer(runner: CliRunner, pair: tuple[Path, Path],
                                                        tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.ar.txt"
    os.mkfifo(fifo)
    started = time.monotonic()
    _one_line_error(runner.invoke(main, ["check", str(pair[0]), str(fifo)]), "not a regular file")
    assert time.monotonic() - started < 30


def test_a_device_is_refused(runner: CliRunner, pair: tuple[Path, Path]) -> None:
    _one_line_error(runner.invoke(main, ["check", str(pair[0]), "/dev/zero"]), "not a regular file")


@pytest.mark.parametrize(("prefix", "codec"), [(b"\xef\xbb\xbf", "UTF-8"), (b"", "UTF-8")])
def test_damaged_utf8_names_the_bad_bytes(runner: CliRunner, pair: tuple[Path, Path], prefix: bytes,
                                          codec: str) -> None:
    data = pair[1].read_bytes()
    cut = data.index("الائتلاف".encode()) + 4  # inside an Arabic letter's two bytes
    pair[1].write_bytes(prefix + data[:cut] + b"\xff" + data[cut:])
    result = runner.invoke(main, ["check", str(pair[0]), str(pair[1])])
    _one_line_error(result, f"not valid {codec} at byte {cut + len(prefix)}")


def test_utf16_with_a_bad_byte_is_one_line(runner: CliRunner, pair: tuple[Path, Path]) -> None:
    data = pair[1].read_text(encoding="utf-8").encode("utf-16")
    pair[1].write_bytes(data[:40] + b"\x00\xd8" + data[40:])  # a lone surrogate half
    _one_line_error(runner.invoke(main, ["check", str(pair[0]), str(pair[1])]), "not valid UTF-16")


def test_a_legacy_arabic_code_page_still_reads(runner: CliRunner, pair: tuple[Path, Path]) -> None:
    pair[1].write_bytes(pair[1].read_text(encoding="utf-8").encode("cp1256"))
    result = runner.invoke(main, ["check", str(pair[0]), str(pair[1]), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "الائتلاف الوطني" in json.loads(result.stdout)["ar"][0]


def test_a_glossary_saved_with_a_bom_keeps_its_first_entry(tmp_path: Path) -> None:
    from align.checks.names import read_glossary

    path = tmp_path / "glossary.tsv"
    path.write_bytes(b"\xef\xbb\xbf" + "United Nations\tالأمم المتحدة\nWHO\tمنظمة الصحة العالمية\n".encode())
    assert [e.english for e in read_glossary(path)] == ["United Nations", "WHO"]


def test_a_failed_write_leaves_the_old_report_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from align.errors import OutputError
    from align.output import write_atomically

    report = tmp_path / "r.json"
    report.write_text('{"old": true}', encoding="utf-8")

    def broken_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_disk)
    with pytest.raises(OutputError, match="No space left"):
        write_atomically(report, '{"new": true}' * 1000)
    assert report.read_text(encoding="utf-8") == '{"old": true}'
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]  # no temporary file left behind


@pytest.mark.slow
def test_sigkill_during_batch_leaves_only_whole_reports(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    for k in range(40):
        shutil.copy(PAIRS / "reference.en.txt", src / f"p{k:02d}.en.txt")
        shutil.copy(PAIRS / "reference.ar.txt", src / f"p{k:02d}.ar.txt")
    child = subprocess.Popen([sys.executable, "-m", "align", "batch", str(src), "-o", str(out), "--html",
                              str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and len(list(out.glob("*.json"))) < 3:
        time.sleep(0.05)
    child.send_signal(signal.SIGKILL)
    child.wait()
    reports = sorted(out.glob("*.json"))
    assert reports, "the batch wrote nothing before it was killed"
    for path in reports:
        json.loads(path.read_text(encoding="utf-8"))  # whole, never truncated
    for page in out.glob("*.html"):
        assert page.read_text(encoding="utf-8").rstrip().endswith("</html>")


def test_a_pair_named_like_a_url_scheme_links_to_its_own_page(runner: CliRunner, tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(PAIRS / "reference.en.txt", src / "javascript:alert(1).en.txt")
    shutil.copy(PAIRS / "reference.ar.txt", src / "javascript:alert(1).ar.txt")
    result = runner.invoke(main, ["batch", str(src), "-o", str(tmp_path / "out"), "--html", str(tmp_path / "html")])
    assert result.exit_code == 0, result.output
    index = (tmp_path / "html" / "index.html").read_text(encoding="utf-8")
    assert 'href="./javascript%3Aalert%281%29.html"' in index and 'href="javascript:' not in index


def test_ctrl_c_exits_130(runner: CliRunner, pair: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    from align.pipeline import Checker

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(Checker, "check_files", interrupted)
    result = runner.invoke(main, ["check", str(pair[0]), str(pair[1])])
    assert result.exit_code == 130 and "Interrupted." in result.output


def test_a_whitespace_only_file_says_so(runner: CliRunner, pair: tuple[Path, Path]) -> None:
    pair[1].write_text(" \n\t\n", encoding="utf-8")
    _one_line_error(runner.invoke(main, ["check", str(pair[0]), str(pair[1])]), "no text, only white space")


def test_the_table_shows_the_document_verdict_first(runner: CliRunner, tmp_path: Path) -> None:
    unrelated = Path(__file__).parent / "data" / "unrelated_statement.en.txt"
    result = runner.invoke(main, ["check", str(unrelated), str(PAIRS / "reference.ar.txt")])
    assert result.exit_code == 0
    assert "do not look like translations" in result.output.splitlines()[1]


def test_the_table_never_prints_raw_controls(runner: CliRunner, tmp_path: Path) -> None:
    en, ar = tmp_path / "x.en.txt", tmp_path / "x.ar.txt"
    english = (PAIRS / "reference.en.txt").read_text(encoding="utf-8")
    english = english.replace("Press release", "Press \x1b[8mnot\x1b[0m")
    en.write_text(english, encoding="utf-8")
    ar.write_text((PAIRS / "reference.ar.txt").read_text(encoding="utf-8").replace("قرابة", "\u202eقرابة\u202c"),
                  encoding="utf-8")
    result = runner.invoke(main, ["check", str(en), str(ar), "--format", "table"])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\u202e" not in result.output
    assert "⟨U+001B⟩[8mnot" in result.output
