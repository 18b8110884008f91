"""Stage 4: checks that turn an alignment into findings. Each check is one small configured object."""

from align.checks.base import BeadCheck, Check, CheckContext
from align.checks.control import ControlCheck
from align.checks.divergent import DivergentCheck
from align.checks.form import LengthCheck, PunctuationCheck, UntranslatedCheck
from align.checks.names import NameCheck
from align.checks.numbers import NumberCheck
from align.checks.partial import PartialCheck
from align.checks.qualifiers import QualifierCheck
from align.checks.runner import configure, run_checks
from align.checks.unmatched import UnmatchedCheck

# Checks are frozen, so one default instance of each is safely shared by every run.
DEFAULT_CHECKS: tuple[Check, ...] = (
    UnmatchedCheck(), PartialCheck(), NumberCheck(), QualifierCheck(), DivergentCheck(), NameCheck(), LengthCheck(),
    PunctuationCheck(), UntranslatedCheck(), ControlCheck(),
)
# Flag types a run can report: one per check, and the document verdict.
FLAG_TYPES: tuple[str, ...] = tuple(c.type for c in DEFAULT_CHECKS) + ("document",)

__all__ = [
    "DEFAULT_CHECKS", "FLAG_TYPES", "BeadCheck", "Check", "CheckContext", "ControlCheck", "DivergentCheck",
    "LengthCheck", "NameCheck", "NumberCheck", "PartialCheck", "PunctuationCheck", "QualifierCheck", "UnmatchedCheck",
    "UntranslatedCheck",
    "configure", "run_checks",
]
