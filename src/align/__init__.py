"""muqabala: align and check English/Arabic translations.

Public API::

    from align import Checker, CheckOptions, load_encoder
    report = Checker(load_encoder("use-m3")).check_files("a.en.txt", "a.ar.txt")

Importing this package loads no model and touches no file.
"""

from __future__ import annotations

__version__ = "0.1.0"

from align.dp import AlignConfig, align_vectors  # noqa: E402
from align.embed import Encoder, load_encoder  # noqa: E402
from align.errors import AlignError, EncoderError, GoldFormatError, InputError  # noqa: E402
from align.model import Bead, Document, Evidence, Flag, Report, Segment, Signature  # noqa: E402
from align.pipeline import Checker, CheckOptions  # noqa: E402

__all__ = [
    "AlignConfig", "AlignError", "Bead", "CheckOptions", "Checker", "Document", "Encoder",
    "EncoderError", "Evidence", "Flag", "GoldFormatError", "InputError", "Report", "Segment",
    "Signature", "__version__", "align_vectors", "load_encoder",
]
