"""The benchmark's own code: gold format, report reader, scorers and case generators.

Scorer figures are worked out by hand in the comments next to each case. ``benchmarks`` is
imported from the repository root, which ``python -m pytest`` puts on the path.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from align.cli import main as align_main
from align.errors import GoldFormatError
from align.evaluate import PRF, GoldBead, ReportFlag, evaluate_dirs, format_gold, parse_gold, read_report
from benchmarks import make_cases, make_check_cases, score_checks
from benchmarks.boilerplate import BoilerplateRates, draw_boilerplate
from benchmarks.cases import read_gold, split_lines

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
CORPORA = ("flores200-devtest", "tico19", "bible-vandyck-kjv")
needs_data = pytest.mark.skipif(
    not all((DATA / c).is_dir() for c in CORPORA), reason=f"no parallel corpora under {DATA}"
)

# --- gold format ----------------------------------------------------------------------------------

ids = st.lists(st.integers(min_value=0, max_value=10**6), max_size=6).map(tuple)


@given(st.lists(st.builds(GoldBead, ids, ids), max_size=30))
def test_format_gold_then_parse_gold_gives_the_same_beads(beads: list[GoldBead]) -> None:
    assert parse_gold(format_gold(beads)) == beads


def test_format_gold_writes_what_make_cases_always_wrote() -> None:
    beads = [GoldBead((0, 1), (0,)), GoldBead((2,), ()), GoldBead((), (1, 2, 3))]
    assert format_gold(beads) == "[0, 1]:[0]\n[2]:[]\n[]:[1, 2, 3]\n"
    assert format_gold([]) == ""


@pytest.mark.parametrize("text", ["[0,1]:[0]\n", "[0]:[0]", "# note\n[0]:[0]\n", "[0]:[0]\n\n"])
def test_case_gold_files_must_be_spelled_as_format_gold_writes_them(tmp_path: Path, text: str) -> None:
    path = tmp_path / "a.gold"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="not written as format_gold writes it"):
        read_gold(path)


@pytest.mark.parametrize(
    ("text", "lines"),
    [("a\nb\n", ["a", "b"]), ("a\nb", ["a", "b"]), ("a\u2028b\n", ["a\u2028b"]), ("a\n\n", ["a", ""]), ("", [])],
)
def test_split_lines_breaks_at_newlines_only(text: str, lines: list[str]) -> None:
    assert split_lines(text) == lines


# --- report reader --------------------------------------------------------------------------------


def flag(kind: str, side: str = "en", severity: str = "warning") -> dict[str, Any]:
    return {"type": kind, "side": side, "severity": severity, "message": f"{kind} here", "evidence": []}


def write_report(path: Path, beads: list[tuple[list[int], list[int], list[dict[str, Any]]]], **extra: Any) -> None:
    data = {"beads": [{"en": e, "ar": a, "score": 0.5, "flags": f} for e, a, f in beads], **extra}
    path.write_text(json.dumps(data), encoding="utf-8")


def test_read_report_reads_ids_flags_texts_and_signature(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    write_report(path, [([0], [0], [flag("number", "ar", "error")]), ([1, 2], [], [])],
                 signature="muqabala:0.1.0|encoder:x", en=["a", "b", "c"], ar=["d"])
    report = read_report(path)
    assert report.alignment == [((0,), (0,)), ((1, 2), ())]
    assert report.beads[0].flags == (ReportFlag("number", "ar", "error", "number here"),)
    assert report.beads[1].flags == ()
    assert (report.signature, report.en, report.ar) == ("muqabala:0.1.0|encoder:x", ("a", "b", "c"), ("d",))


def test_read_report_without_flags_texts_or_signature(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text('{"beads": [{"en": [0], "ar": [1]}]}', encoding="utf-8")
    report = read_report(path)
    assert report.alignment == [GoldBead((0,), (1,))]
    assert (report.beads[0].flags, report.signature, report.en, report.ar) == ((), None, None, None)


@pytest.mark.parametrize(
    ("content", "error"),
    [
        ("{bad", "JSONDecodeError"),
        ('{"beads": [{"en": ["0"], "ar": []}]}', "TypeError"),
        ('{"beads": [{"en": [0], "ar": [0], "flags": [{"type": "number"}]}]}', "KeyError"),
        ('{"beads": [{"en": [0], "ar": [0], "flags": [3]}]}', "TypeError"),
        ("[]", "TypeError"),
    ],
)
def test_read_report_rejects_other_files(tmp_path: Path, content: str, error: str) -> None:
    path = tmp_path / "a.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(GoldFormatError) as info:
        read_report(path)
    assert str(info.value) == f"{path}: not a muqabala JSON report ({error})"


# --- precision, recall, F1 ------------------------------------------------------------------------

# (tp_pred, predicted, tp_gold, gold) -> (precision, recall, f1)
PRF_CASES = [
    ((3, 4, 2, 4), (0.75, 0.5, 0.6)),  # F1 = 2 * 0.75 * 0.5 / 1.25
    ((1, 1, 1, 2), (1.0, 0.5, 2 / 3)),
    ((0, 0, 0, 5), (0.0, 0.0, 0.0)),  # nothing predicted: precision 0, not a division by zero
    ((0, 0, 0, 0), (0.0, 0.0, 0.0)),
]


@pytest.mark.parametrize(("counts", "expected"), PRF_CASES)
def test_prf_from_counts(counts: tuple[int, int, int, int], expected: tuple[float, float, float]) -> None:
    prf = PRF.from_counts(*counts)
    assert (prf.precision, prf.recall, prf.f1) == pytest.approx(expected)


# --- alignment scorer (align eval) ----------------------------------------------------------------


def test_alignment_scorer_on_a_hand_case(tmp_path: Path) -> None:
    gold_dir, reports = tmp_path / "gold", tmp_path / "reports"
    gold_dir.mkdir()
    reports.mkdir()
    (gold_dir / "a.gold").write_text("[0]:[0]\n[1, 2]:[1]\n[3]:[]\n", encoding="utf-8")
    write_report(reports / "a.json", [([0], [0], []), ([1], [1], []), ([2], [], [flag("unmatched")]),
                                      ([3], [], [flag("unmatched")])])
    # Precision over the 4 test beads: [0]:[0] and [3]:[] are gold beads; [1]:[1] is a lax hit (en 1 is
    #   in gold [1, 2]:[1], whose targets {1} meet {1}); [2]:[] has no target -> strict 2/4, lax 3/4.
    # Recall over the gold pairs [0]:[0] and [1, 2]:[1] against the test pairs [0]:[0], [1]:[1]:
    #   strict 1/2; [1, 2]:[1] is a lax hit (en 1 -> ar 1) -> lax 2/2.
    # F1: strict 2 * 0.5 * 0.5 / 1 = 0.5; lax 2 * 0.75 * 1 / 1.75 = 0.8571.
    # Unmatched: gold {en 3}, test {en 2, en 3} -> P 1/2, R 1/1, F1 2 * 0.5 / 1.5 = 0.6667.
    expected = {
        "files": 1, "strict_precision": 0.5, "strict_recall": 0.5, "strict_f1": 0.5,
        "lax_precision": 0.75, "lax_recall": 1.0, "lax_f1": 0.8571,
        "unmatched_precision": 0.5, "unmatched_recall": 1.0, "unmatched_f1": 0.6667,
        "unmatched_gold": 1, "unmatched_test": 2,
    }
    score, missing = evaluate_dirs(gold_dir, reports)
    assert (score.as_dict(), missing) == (expected, [])
    result = CliRunner().invoke(align_main, ["eval", str(gold_dir), str(reports), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {**expected, "missing_reports": []}


# --- check scorer (benchmarks.score_checks) -------------------------------------------------------


def pert(kind: str, side: str, en: list[int], ar: list[int], **extra: str) -> dict[str, Any]:
    return {"type": kind, "side": side, "en": en, "ar": ar, "detail": f"{kind} planted", **extra}


Beads = list[tuple[list[int], list[int], list[dict[str, Any]]]]

# (id, perturbations, clean pairs, report beads or None for no report, expected figures). Figures
# are keys of Scores.as_dict(), dotted: "types.partial.f1".
CHECK_CASES: list[tuple[str, list[dict[str, Any]], list[list[int]], Beads | None, dict[str, Any]]] = [
    (
        "hit",
        [pert("unmatched", "en", [0], [], origin="boilerplate")],
        [[1, 0]],
        [([0], [], [flag("unmatched", "en")]), ([1], [0], [])],
        # The one unmatched bead holds the planted id, on the expected side: P 1/1, R 1/1.
        {"types.unmatched.gold": 1, "types.unmatched.predicted": 1, "types.unmatched.tp": 1,
         "types.unmatched.precision": 1.0, "types.unmatched.recall": 1.0, "types.unmatched.f1": 1.0,
         "types.unmatched.side_ok": 1, "unmatched_by_origin": {"boilerplate": {"gold": 1, "hits": 1, "recall": 1.0}},
         "clean.pairs": 1, "clean.aligned_1_1": 1, "clean.flagged": 0},
    ),
    (
        "false alarm",
        [pert("number", "ar", [0], [0])],
        [[1, 1]],
        [([0], [0], [flag("number", "ar", "error"), flag("partial", "en")]), ([1], [1], [])],
        # The number is found (P 1/1, R 1/1); the partial flag on the same bead has no partial to find:
        # partial P 0/1, and R 0/0 counts as 0. The false alarm touches the number pair.
        {"types.number.precision": 1.0, "types.number.recall": 1.0, "types.number.f1": 1.0,
         "types.partial.gold": 0, "types.partial.predicted": 1, "types.partial.tp": 0,
         "types.partial.precision": 0.0, "types.partial.recall": 0.0, "types.partial.f1": 0.0,
         "types.partial.false_alarms_touching": {"number": 1}, "clean.flagged": 0},
    ),
    (
        "miss",
        [pert("partial", "en", [0], [0], edited="ar"), pert("partial", "ar", [2], [2], edited="en")],
        [[1, 1]],
        [([0], [0], [flag("partial", "en", "info")]), ([1], [1], []), ([2], [2], [flag("partial", "ar")])],
        # The info flag does not count, so the first partial is missed: P 1/1, R 1/2, F1 2 * 0.5 / 1.5.
        {"types.partial.gold": 2, "types.partial.predicted": 1, "types.partial.hits": 1,
         "types.partial.precision": 1.0, "types.partial.recall": 0.5, "types.partial.f1": 0.6667,
         "types.partial.side_ok": 1, "clean.flagged": 0},
    ),
    (
        "clean-pair false alarm",
        [],
        [[0, 0], [1, 1], [2, 2], [3, 3]],
        [([0], [0], [flag("divergent", "both")]), ([1], [1], []), ([2], [2], [flag("divergent", "both", "info")]),
         ([3], [3, 4], [])],
        # 4 clean pairs, 3 aligned 1-1 ([3]:[3, 4] is not), 1 of them flagged at warning: 1/4.
        {"clean.pairs": 4, "clean.aligned_1_1": 3, "clean.not_aligned_1_1": 1, "clean.flagged": 1,
         "clean.flagged_rate": 0.25, "clean.flag_types": {"divergent": 1}},
    ),
    (
        "missing report",
        [pert("unmatched", "ar", [], [0], origin="deletion")],
        [[0, 1]],
        None,
        # No report is an empty one: the deletion is missed (P 0/0 -> 0, R 0/1) and no pair is aligned.
        {"missing_reports": ["t"], "types.unmatched.gold": 1, "types.unmatched.predicted": 0,
         "types.unmatched.precision": 0.0, "types.unmatched.recall": 0.0, "types.unmatched.f1": 0.0,
         "unmatched_by_origin": {"deletion": {"gold": 1, "hits": 0, "recall": 0.0}},
         "clean.pairs": 1, "clean.aligned_1_1": 0, "clean.flagged": 0},
    ),
]


def write_check_case(cases: Path, reports: Path, name: str, perts: list[dict[str, Any]], clean: list[list[int]],
                     beads: Beads | None) -> None:
    expect = {"perturbations": perts, "clean_pairs": clean}
    (cases / f"{name}.expect.json").write_text(json.dumps(expect), encoding="utf-8")
    if beads is not None:
        texts = {side: [f"{side} line {i}" for i in range(6)] for side in ("en", "ar")}
        write_report(reports / f"{name}.json", beads, **texts)


def figure(scores: dict[str, Any], key: str) -> Any:
    for part in key.split("."):
        scores = scores[part]
    return scores


def check_scores(tmp_path: Path, cases: list[tuple[str, list[dict[str, Any]], list[list[int]], Beads | None]]
                 ) -> dict[str, Any]:
    case_dir, reports = tmp_path / "cases", tmp_path / "reports"
    case_dir.mkdir()
    reports.mkdir()
    for name, perts, clean, beads in cases:
        write_check_case(case_dir, reports, name, perts, clean, beads)
    return score_checks.score(score_checks.load_all(case_dir, reports)).as_dict()


@pytest.mark.parametrize(("perts", "clean", "beads", "expected"), [c[1:] for c in CHECK_CASES],
                         ids=[c[0] for c in CHECK_CASES])
def test_check_scorer_on_a_hand_case(tmp_path: Path, perts: list[dict[str, Any]], clean: list[list[int]],
                                     beads: Beads | None, expected: dict[str, Any]) -> None:
    scores = check_scores(tmp_path, [("t", perts, clean, beads)])
    assert {key: figure(scores, key) for key in expected} == expected


def test_check_scorer_sums_counts_over_files(tmp_path: Path) -> None:
    scores = check_scores(tmp_path, [(f"{i}", *c[1:4]) for i, c in enumerate(CHECK_CASES)])
    # unmatched: gold 1 (hit) + 1 (missing report), found 1 of 1 predicted: P 1, R 1/2, F1 0.6667.
    # partial: gold 2 (miss), predicted 1 (false alarm) + 1 (miss), 1 right: P 1/2, R 1/2, F1 0.5.
    # clean: 1 + 1 + 1 + 4 + 1 = 8 pairs, 1 + 1 + 1 + 3 + 0 = 6 aligned 1-1, 1 flagged -> 1/8.
    expected = {
        "files": 5, "missing_reports": ["4"],
        "types.unmatched.precision": 1.0, "types.unmatched.recall": 0.5, "types.unmatched.f1": 0.6667,
        "types.partial.precision": 0.5, "types.partial.recall": 0.5, "types.partial.f1": 0.5,
        "types.number.f1": 1.0,
        "clean.pairs": 8, "clean.aligned_1_1": 6, "clean.flagged": 1, "clean.flagged_rate": 0.125,
    }
    assert {key: figure(scores, key) for key in expected} == expected


def test_check_scorer_self_test_passes(capsys: pytest.CaptureFixture[str]) -> None:
    assert score_checks.main(["--self-test"]) == 0
    assert "self-test passed" in capsys.readouterr().out


def test_check_scorer_reports_a_bad_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "t.expect.json").write_text('{"perturbations": [], "clean_pairs": []}', encoding="utf-8")
    (tmp_path / "t.json").write_text("{bad", encoding="utf-8")
    assert score_checks.main([str(tmp_path), str(tmp_path)]) == 1
    assert capsys.readouterr().err == f"error: {tmp_path / 't.json'}: not a muqabala JSON report (JSONDecodeError)\n"


# --- boilerplate ----------------------------------------------------------------------------------


def test_boilerplate_follows_its_rates() -> None:
    rng = random.Random(0)
    assert all(draw_boilerplate(rng, BoilerplateRates(share=0.0, english=1.0)) is None for _ in range(20))
    blocks = [draw_boilerplate(rng, BoilerplateRates(share=1.0, english=1.0)) for _ in range(20)]
    assert all(b is not None and b.side == "en" and (b.header or b.footer) for b in blocks)
    blocks = [draw_boilerplate(rng, BoilerplateRates(share=1.0, english=0.0)) for _ in range(20)]
    assert all(b is not None and b.side == "ar" for b in blocks)


# --- case generators ------------------------------------------------------------------------------


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def cases_only(files: dict[str, bytes]) -> dict[str, bytes]:
    """The case files, without the README (which names the seed and counts the cases)."""
    return {name: data for name, data in files.items() if not name.endswith("README.md")}


@needs_data
def test_make_cases_is_deterministic(tmp_path: Path) -> None:
    def run(out: str, seed: int) -> dict[str, bytes]:
        args = ["--data", str(DATA), "--out", str(tmp_path / out), "--seed", str(seed), "--limit-bible", "40"]
        assert make_cases.main(args) == 0
        return tree(tmp_path / out)

    first = run("a", 1)
    assert {name.split("/")[0] for name in first} == {"README.md", *make_cases.SETS}
    assert first == run("b", 1)
    assert cases_only(first) != cases_only(run("c", 2))


@needs_data
def test_make_check_cases_is_deterministic(tmp_path: Path) -> None:
    def run(out: str, seed: int, limit: int) -> dict[str, bytes]:
        args = ["--data", str(DATA), "--out", str(tmp_path / out), "--seed", str(seed), "--limit", str(limit)]
        assert make_check_cases.main(args) == 0
        return tree(tmp_path / out)

    first = run("a", 1, 4)
    assert len([name for name in first if name.endswith(".expect.json")]) == 4
    assert first == run("b", 1, 4)
    assert cases_only(first) != cases_only(run("c", 2, 4))
    # A limited run writes the first cases of a longer run.
    assert cases_only(first).items() <= cases_only(run("d", 1, 6)).items()


def test_a_sweep_setting_reaches_its_check_and_the_aligner() -> None:
    """A swept threshold changes the configured check (and so the signature), never a copy of it."""
    from align.checks import DivergentCheck, PartialCheck
    from benchmarks.sweep_checks import configured, parse_grid

    grid = parse_grid(["partial.min_score=0.2", "divergent.warning_below=0.25", "align.detach_gain=0.1"])
    config, options = configured({name: values[0] for name, values in grid.items()})
    partial = next(c for c in options.checks if isinstance(c, PartialCheck))
    divergent = next(c for c in options.checks if isinstance(c, DivergentCheck))
    assert (partial.min_score, divergent.warning_below, config.detach_gain) == (0.2, 0.25, 0.1)
    assert options.align is config


# --- speed benchmark ------------------------------------------------------------------------------

def _write_meeting_pair(folder: Path, name: str) -> None:
    """A two-line pair ``NAME.en.txt`` / ``NAME.ar.txt``: the smallest input the timing benchmarks run."""
    (folder / f"{name}.en.txt").write_text("The meeting starts at 9.\nIt ends at noon.\n", encoding="utf-8")
    (folder / f"{name}.ar.txt").write_text("يبدأ الاجتماع في الساعة 9.\nوينتهي عند الظهر.\n", encoding="utf-8")



def test_speed_benchmark_times_a_tiny_folder_in_a_fresh_process(tmp_path: Path) -> None:
    from benchmarks import speed

    pairs = tmp_path / "pairs"
    pairs.mkdir()
    _write_meeting_pair(pairs, "a")
    doc = tmp_path / "BENCHMARKS.md"
    doc.write_text("# Benchmarks\n\nkept\n", encoding="utf-8")
    assert speed.main(["--folder", str(pairs), "--split", "lines", "--write-section", str(doc)]) == 0
    text = doc.read_text(encoding="utf-8")
    assert text.startswith("# Benchmarks\n\nkept\n") and text.count(speed.SECTION_START) == 1
    row = next(line for line in text.splitlines() if line.startswith("| `pairs`"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[1:3] == ["1", "4"]  # one pair, two lines a side
    assert float(cells[6]) > 0 and cells[7].endswith("MiB")
    # The command line as a user runs it, and the same command on a one-line pair, both timed.
    assert float(cells[8].removesuffix(" s")) > 0 and float(cells[9].removesuffix(" s")) > 0
    float(cells[10])


def test_phases_split_a_check_into_timed_steps_and_restore_the_pipeline(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from align import pipeline
    from benchmarks import phases

    pairs = tmp_path / "pairs"
    pairs.mkdir()
    _write_meeting_pair(pairs, "a")
    originals = (pipeline.Checker._embed, pipeline.align_vectors, pipeline.refine)
    phases.main(["--folder", str(pairs), "--split", "lines", "--format", "json"])
    (row,) = json.loads(capsys.readouterr().out)
    assert {"embed", "align", "refine", "check partial", "check number", "report"} <= set(row["phases_s"])
    assert row["total_s"] == pytest.approx(sum(row["phases_s"].values()) + row["rest_s"], abs=0.002)
    assert row["floor_s"] > 0 and 0 < row["ratio_without_partial"] <= row["ratio"]
    # The timers are taken off again: nothing else in this process is timed.
    assert (pipeline.Checker._embed, pipeline.align_vectors, pipeline.refine) == originals


def test_check_speed_times_every_check_that_embeds_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from benchmarks import check_speed

    pairs = tmp_path / "pairs"
    pairs.mkdir()
    _write_meeting_pair(pairs, "a")
    assert check_speed.main(["--folder", str(pairs), "--split", "lines", "--repeats", "1", "--format", "json"]) == 0
    (timings,) = json.loads(capsys.readouterr().out).values()
    assert "partial" not in timings and {"number", "name", "qualifier", "untranslated"} <= set(timings)
    assert all(seconds >= 0 for seconds in timings.values())


def test_check_speed_clears_the_caches_of_align_modules() -> None:
    from align.numbers import _numbers_in, find_numbers
    from benchmarks import check_speed

    find_numbers("12 apples", "en")
    assert _numbers_in.cache_info().currsize > 0
    check_speed.clear_caches()
    assert _numbers_in.cache_info().currsize == 0


def test_speed_rerun_times_cold_and_warm_runs_of_the_command_line(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from benchmarks import speed

    pairs = tmp_path / "pairs"
    pairs.mkdir()
    _write_meeting_pair(pairs, "a")
    assert speed.main(["--rerun", "--folder", str(pairs), "--split", "lines", "--format", "json"]) == 0
    [result] = json.loads(capsys.readouterr().out)
    assert result["name"] == "pairs" and result["hits"] >= 4  # at least the four lines, stored by the cold run
    assert result["cold_s"] > 0 and result["warm_s"] > 0
    assert result["speedup"] == pytest.approx(result["cold_s"] / result["warm_s"], rel=0.01)


def test_speed_rerun_of_a_bible_case_checks_one_pair_twice(tmp_path: Path) -> None:
    from benchmarks.speed import Case, run_rerun

    _write_meeting_pair(tmp_path, "c1")
    result = run_rerun(Case("bible-3", "bible, 3 lines", "lines", str(tmp_path), 3))  # raises if the reports differ
    assert result.hits >= 6 and result.cold_s > 0 and result.warm_s > 0


def test_memory_benchmark_traces_each_stage_in_a_fresh_process(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    from benchmarks import memory

    bible = tmp_path / "bible-vandyck-kjv"
    bible.mkdir()
    _write_meeting_pair(bible, "c1")
    assert memory.main(["--lines", "3", "--encoder", "stand-in", "--data", str(tmp_path), "--format", "json"]) == 0
    [result] = json.loads(capsys.readouterr().out)
    assert (result["lines"], result["encoder"]) == (3, "stand-in")
    assert result["peak_mib"] >= result["base_mib"] > 0
    assert {"embedding", "check unmatched", "check control", "report"} <= set(result["stages"])
    assert result["peak_mib"] == max(result["stages"].values())


def test_memory_stand_in_pairs_line_k_of_both_sides_only() -> None:
    from benchmarks.memory import StandIn

    encoder = StandIn("One.\nTwo.\n", "واحد.\nاثنان.\n")
    one, two, wahid, ithnan, merged = encoder.encode(["One.", "Two.", "واحد.", "اثنان.", "One. Two."])
    assert one @ wahid > 0.7 and two @ ithnan > 0.7
    assert max(abs(one @ ithnan), abs(two @ wahid), abs(merged @ one), abs(merged @ wahid)) < 0.3
    assert np.array_equal(encoder.encode(["One."])[0], one)  # the same text, the same vector


def test_speed_section_replaces_only_its_own_section(tmp_path: Path) -> None:
    from benchmarks.speed import SECTION_END, SECTION_START, write_section

    doc = tmp_path / "B.md"
    doc.write_text(f"top\n{SECTION_START}\nold\n{SECTION_END}\nbottom\n", encoding="utf-8")
    write_section(doc, f"{SECTION_START}\nnew\n{SECTION_END}\n")
    assert doc.read_text(encoding="utf-8") == f"top\n{SECTION_START}\nnew\n{SECTION_END}\nbottom\n"


def test_bible_input_repeats_the_chapters_numbered_past_their_end(tmp_path: Path) -> None:
    from benchmarks.speed import bible_texts

    (tmp_path / "c1.en.txt").write_text("In the beginning.\nAnd light.\n", encoding="utf-8")
    (tmp_path / "c1.ar.txt").write_text("في البدء.\nوكان نور.\n", encoding="utf-8")
    (tmp_path / "c2.en.txt").write_text("A chapter numbered apart.\n", encoding="utf-8")
    (tmp_path / "c2.ar.txt").write_text("أ.\nب.\n", encoding="utf-8")
    en, ar = bible_texts(tmp_path, 5)
    assert en.splitlines() == ["In the beginning.", "And light.", "2. In the beginning.", "2. And light.",
                               "3. In the beginning."]
    assert ar.splitlines()[2] == "2. في البدء."


# --- word-coverage probe ---------------------------------------------------------------------------

def test_word_coverage_probe_parts() -> None:
    from benchmarks.word_coverage import _arabic_stem, _in_dictionary, auc

    assert auc([0.9, 0.8], [0.1, 0.2]) == 1.0 and auc([0.1], [0.9]) == 0.0 and auc([0.5], [0.5]) == 0.5
    assert _arabic_stem("والمستشفيات").startswith(_arabic_stem("المستشفى"))  # article, conjunction, plural go
    dictionary = {"hospital": {_arabic_stem("مستشفى")}, "quickly": {_arabic_stem("بسرعة")}}
    line = {_arabic_stem(w) for w in ["نقل", "إلى", "المستشفى"]}
    assert _in_dictionary("hospitals", line, dictionary) == 0.0  # a translation is in the line
    assert _in_dictionary("quickly", line, dictionary) == 1.0  # known, and none of its translations
    assert _in_dictionary("cowpoke", line, dictionary) == 0.5  # not in the dictionary
