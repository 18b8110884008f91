"""muqabala: align and check English/Arabic translations.

Public API::

    from align import Checker, CheckOptions, load_encoder
    report = Checker(load_encoder("use-m3")).check_files("a.en.txt", "a.ar.txt")

Importing this package loads no model and touches no file.
"""

from __future__ import annotations

__version__ = "0.1.0"

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
