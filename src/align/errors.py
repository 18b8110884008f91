"""Typed errors raised by the library. Only ``cli.py`` turns them into messages and exit codes."""

from __future__ import annotations


class AlignError(Exception):
    """Base class for every error muqabala raises on purpose."""


class InputError(AlignError):
    """An input file is missing, empty, not text, or not in the expected language."""


class EncoderError(AlignError):
    """An encoder could not be created or loaded (unknown name, missing weights or package)."""


class DeviceError(EncoderError):
    """The compute device asked for (``cuda``, ``cuda:1``, ``mps``) is unknown or not available here."""


class GoldFormatError(AlignError):
    """A gold alignment file (``NAME.gold``) or a report given to ``eval`` is malformed."""


class CheckError(AlignError):
    """A check broke its contract (for example, returned flags for the wrong number of beads)."""


class OutputError(AlignError):
    """A report cannot be written where asked (an input file, a read-only place)."""


class CorpusError(AlignError):
    """A corpus database cannot be opened, built or exported (wrong schema, not a corpus, a worker lost)."""


class WorkerError(AlignError):
    """A worker process checking pairs died (out of memory, or killed)."""
