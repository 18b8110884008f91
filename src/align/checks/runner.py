"""Runs a list of configured checks over one alignment."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import fields, replace
from typing import Any

from align.checks.base import Check, CheckContext
from align.checks.divergent import DivergentCheck
from align.errors import CheckError
from align.model import Bead, Flag


def configure(checks: Sequence[Check], settings: Mapping[str, Mapping[str, Any]]) -> tuple[Check, ...]:
    """``checks`` with new settings for the checks of the types named in ``settings``.

    ``configure(DEFAULT_CHECKS, {"partial": {"min_score": 0.2}})``. Raises :class:`CheckError`
    for a type no check has or a setting that check does not have.
    """
    by_type = {c.type: c for c in checks}
    for kind, values in settings.items():
        if kind not in by_type:
            raise CheckError(f"no check of type {kind!r}; choose from {', '.join(by_type)}")
        names = {f.name for f in fields(by_type[kind])}  # type: ignore[arg-type]
        unknown = sorted(set(values) - names)
        if unknown:
            raise CheckError(f"check {kind!r} has no setting {', '.join(unknown)}; it has {', '.join(sorted(names))}")
    return tuple(replace(c, **settings[c.type]) if c.type in settings else c for c in checks)  # type: ignore[type-var]


def divergent_threshold(checks: Sequence[Check]) -> float | None:
    """The relative similarity under which the configured divergent check reports a bead."""
    return next((c.warning_below for c in checks if isinstance(c, DivergentCheck)), None)


def run_checks(checks: Sequence[Check], context: CheckContext,
               finished: Callable[[Check], None] | None = None) -> tuple[Bead, ...]:
    """The beads of ``context`` with the flags of every check attached, in check order.

    ``finished`` is called after each check has run (for a progress display).

    Raises :class:`CheckError` when a check returns results for another number of beads than
    the context holds: a silent ``zip`` would drop the last beads' flags.
    """
    context = replace(context, divergent_below=divergent_threshold(checks))
    found: list[list[Flag]] = [list(bead.flags) for bead in context.beads]
    for check in checks:
        results = check.run(context)
        if len(results) != len(found):
            raise CheckError(f"check {check.type!r} returned results for {len(results)} beads, "
                             f"expected {len(found)}")
        for flags, new in zip(found, results, strict=True):
            flags.extend(new)
        if finished is not None:
            finished(check)
    return tuple(replace(bead, flags=tuple(flags)) for bead, flags in zip(context.beads, found, strict=True))


