"""muqabala: align and check English/Arabic translations.

Public API::

    from align import Checker, CheckOptions, load_encoder
    report = Checker(load_encoder("use-m3")).check_files("a.en.txt", "a.ar.txt")

Importing this package loads no model and touches no file.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# The public names are imported on first use (PEP 562), not here: ``align.cli`` imports this
# package for ``__version__``, and numpy plus the checks would otherwise cost `align --help`
# most of its start-up time.
_LAZY = {
    "AlignConfig": "align.dp", "align_vectors": "align.dp",
    "Encoder": "align.embed", "load_encoder": "align.embed",
    "AlignError": "align.errors", "EncoderError": "align.errors", "GoldFormatError": "align.errors",
    "InputError": "align.errors",
    "Bead": "align.model", "Document": "align.model", "Evidence": "align.model", "Flag": "align.model",
    "Report": "align.model", "Segment": "align.model", "Signature": "align.model",
    "Checker": "align.pipeline", "CheckOptions": "align.pipeline",
}

if TYPE_CHECKING:
    from align.dp import AlignConfig, align_vectors
    from align.embed import Encoder, load_encoder
    from align.errors import AlignError, EncoderError, GoldFormatError, InputError
    from align.model import Bead, Document, Evidence, Flag, Report, Segment, Signature
    from align.pipeline import Checker, CheckOptions

__all__ = [
    "AlignConfig", "AlignError", "Bead", "CheckOptions", "Checker", "Document", "Encoder",
    "EncoderError", "Evidence", "Flag", "GoldFormatError", "InputError", "Report", "Segment",
    "Signature", "__version__", "align_vectors", "load_encoder",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'align' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
