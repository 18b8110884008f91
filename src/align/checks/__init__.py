"""Stage 4: checks that turn an alignment into findings. Each check is one small object."""

from align.checks.base import Check, CheckContext, run_checks
from align.checks.unmatched import UnmatchedCheck

DEFAULT_CHECKS: tuple[type[Check], ...] = (UnmatchedCheck,)

__all__ = ["DEFAULT_CHECKS", "Check", "CheckContext", "UnmatchedCheck", "run_checks"]
