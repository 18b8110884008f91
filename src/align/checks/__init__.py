"""Stage 4: checks that turn an alignment into findings. Each check is one small object."""

from align.checks.base import Check, CheckContext, run_checks
from align.checks.divergent import DivergentCheck
from align.checks.form import LengthCheck, PunctuationCheck, UntranslatedCheck
from align.checks.names import NameCheck
from align.checks.numbers import NumberCheck
from align.checks.partial import PartialCheck
from align.checks.unmatched import UnmatchedCheck

DEFAULT_CHECKS: tuple[type[Check], ...] = (
    UnmatchedCheck, PartialCheck, NumberCheck, DivergentCheck, NameCheck, LengthCheck, PunctuationCheck,
    UntranslatedCheck,
)
CHECKS_BY_TYPE: dict[str, type[Check]] = {c.type: c for c in DEFAULT_CHECKS}

__all__ = [
    "CHECKS_BY_TYPE", "DEFAULT_CHECKS", "Check", "CheckContext", "DivergentCheck", "LengthCheck", "NameCheck",
    "NumberCheck", "PartialCheck", "PunctuationCheck", "UnmatchedCheck", "UntranslatedCheck", "run_checks",
]
