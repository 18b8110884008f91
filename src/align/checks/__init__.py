"""Stage 4: checks that turn an alignment into findings. Each check is one small object."""

from align.checks.base import Check, CheckContext, run_checks
from align.checks.unmatched import UnmatchedCheck

DEFAULT_CHECKS: tuple[type[Check], ...] = (UnmatchedCheck,)

__all__ = ["Check", "CheckContext", "DEFAULT_CHECKS", "UnmatchedCheck", "run_checks"]
