"""The check interface: configured instances, a signature that names every setting, a strict runner."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pytest

from align.checks import (
    DEFAULT_CHECKS,
    BeadCheck,
    Check,
    CheckContext,
    DivergentCheck,
    PartialCheck,
    UnmatchedCheck,
    configure,
    run_checks,
)
from align.embed import CachedEncoder
from align.errors import CheckError
from align.model import Bead, Flag, GlossaryEntry
from align.pipeline import Checker, CheckOptions
from align.segment import make_document, splitter_signature


def _context(lines: int = 3) -> CheckContext:
    en = make_document("\n".join(f"Sentence {i}." for i in range(lines)), "en", "en", "lines")
    ar = make_document("\n".join(f"جملة {i}." for i in range(lines)), "ar", "ar", "lines")
    beads = tuple(Bead((i,), (i,), 0.8) for i in range(lines))
    return CheckContext(en, ar, beads)


@dataclass(frozen=True)
class OneShort(Check):
    """A broken check: results for every bead but the last."""

    type = "one-short"

    def run(self, context: CheckContext) -> list[list[Flag]]:
        return [[] for _ in context.beads[:-1]]


@dataclass(frozen=True)
class EveryBead(BeadCheck):
    type = "every-bead"

    def check_bead(self, bead: Bead, context: CheckContext) -> list[Flag]:
        return [Flag(self.type, "both", "info", "seen")]


@dataclass(frozen=True)
class SeesDivergence(BeadCheck):
    """Records the divergence threshold the runner handed it, in its one flag per bead."""

    type = "sees-divergence"

    def check_bead(self, bead: Bead, context: CheckContext) -> list[Flag]:
        return [Flag(self.type, "both", "info", str(context.divergent_below))]


def test_a_check_returning_too_few_results_fails_loudly() -> None:
    context = _context()
    with pytest.raises(CheckError, match="'one-short' returned results for 2 beads, expected 3"):
        run_checks([EveryBead(), OneShort()], context)


def test_every_bead_keeps_its_flags_in_check_order() -> None:
    beads = run_checks([EveryBead(), UnmatchedCheck(), EveryBead()], _context())
    assert [[f.type for f in b.flags] for b in beads] == [["every-bead", "every-bead"]] * 3


def test_a_check_needs_a_type_and_its_hook() -> None:
    @dataclass(frozen=True)
    class Untyped(BeadCheck):
        def check_bead(self, bead: Bead, context: CheckContext) -> list[Flag]:
            return []

    with pytest.raises(TypeError, match="non-empty 'type'"):
        Untyped()

    @dataclass(frozen=True)
    class NoHook(BeadCheck):
        type = "no-hook"

    with pytest.raises(TypeError, match="abstract"):
        NoHook()  # type: ignore[abstract]


def test_checks_are_frozen_settings() -> None:
    check = PartialCheck()
    with pytest.raises(AttributeError):
        check.min_score = 0.5  # type: ignore[misc]
    assert replace(check, min_score=0.5).min_score == 0.5 and check.min_score == 0.1


def test_signature_names_every_setting_of_every_check() -> None:
    partial = PartialCheck().signature()
    assert partial.startswith("partial[min_score=0.1;warning_score=0.1;warning_below=0.9;length_weight=0.4;")
    assert "max_window_trials=600" in partial
    assert UnmatchedCheck().signature() == "unmatched"


@pytest.mark.parametrize("settings", [
    {"partial": {"min_score": 0.11}},
    {"divergent": {"warning_below": 0.31}},
    {"length": {"factor": 2.3}},
    {"name": {"glossary": (GlossaryEntry("UN", "الأمم المتحدة"),)}},
])
def test_two_runs_differing_in_one_check_setting_print_different_signatures(
        use_encoder: CachedEncoder, settings: dict[str, dict[str, object]]) -> None:
    default = Checker(use_encoder, CheckOptions())
    changed = Checker(use_encoder, CheckOptions(checks=configure(DEFAULT_CHECKS, settings)))
    assert str(default.signature()) != str(changed.signature())
    report = changed.check_texts("The UN met today.", "اجتمعت الأمم المتحدة اليوم.")
    # The report's signature is the run's, with what ``auto`` chose for this one-line pair.
    chose = splitter_signature("auto", resolved="sentences")
    assert str(report.signature) == str(replace(changed.signature(), split=chose))


NEWS_EN = "The minister arrived on Monday. He met the press.\nTalks lasted three hours.\nNo deal was reached.\n"
NEWS_AR = "وصل الوزير يوم الاثنين. والتقى بالصحافة.\nاستمرت المحادثات ثلاث ساعات.\nلم يتم التوصل إلى اتفاق.\n"


def test_auto_aligns_line_parallel_files_line_by_line_and_says_so(use_encoder: CachedEncoder) -> None:
    report = Checker(use_encoder).check_texts(NEWS_EN, NEWS_AR)
    # Line 0 holds two sentences a side: one segment each, so one 1-1 bead per line pair.
    assert [(b.en, b.ar) for b in report.beads] == [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]
    assert "|split:auto=lines/" in str(report.signature)
    sentences = Checker(use_encoder, CheckOptions(split="sentences")).check_texts(NEWS_EN, NEWS_AR)
    assert len(sentences.en.segments) == 4 and "|split:sentences/" in str(sentences.signature)


def test_auto_splits_other_pairs_into_sentences_and_says_so(use_encoder: CachedEncoder) -> None:
    report = Checker(use_encoder).check_texts(NEWS_EN + "An extra line.\n", NEWS_AR)
    assert len(report.en.segments) == 5
    assert "|split:auto=sentences/" in str(report.signature)


def test_run_settings_reach_the_signature(use_encoder: CachedEncoder) -> None:
    plain = str(Checker(use_encoder).signature())
    assert "|source:en" in str(Checker(use_encoder, CheckOptions(source="en")).signature())
    assert "|ignore:1" in str(Checker(use_encoder, CheckOptions(ignore=frozenset({"0" * 16}))).signature())
    assert "source:" not in plain and "ignore:" not in plain


def test_configure_refuses_unknown_types_and_settings() -> None:
    with pytest.raises(CheckError, match="no check of type 'partiel'"):
        configure(DEFAULT_CHECKS, {"partiel": {"min_score": 0.2}})
    with pytest.raises(CheckError, match="'partial' has no setting min_scor"):
        configure(DEFAULT_CHECKS, {"partial": {"min_scor": 0.2}})


def test_the_divergent_threshold_has_one_owner() -> None:
    """The partial check leaves divergent beads alone; the threshold it reads is the configured one."""
    context = _context(1)
    (bead,) = run_checks([DivergentCheck(warning_below=0.42), SeesDivergence()], context)
    assert [f.message for f in bead.flags if f.type == "sees-divergence"] == ["0.42"]
    (bead,) = run_checks([SeesDivergence()], context)
    assert bead.flags[0].message == "None"  # no divergent check: nobody claims those beads
