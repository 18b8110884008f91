"""Writing reports without ever destroying what the user gave: atomic files, inputs never overwritten."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from align.errors import OutputError


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file (through links and relative paths too)."""
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def refuse_inputs(outputs: Iterable[Path], inputs: Iterable[Path]) -> None:
    """Raise :class:`OutputError` when an output path is one of the input files.

    Each path is resolved and looked up once (a batch has an output per pair: comparing every
    output with every input was quadratic in the number of pairs).
    """
    given = list(inputs)
    resolved = {source.resolve() for source in given}
    files = {key for key in map(_file_key, given) if key is not None}
    for out in outputs:
        key = _file_key(out)
        if (key is not None and key in files) or out.resolve() in resolved:
            raise OutputError(f"{out}: is an input file; choose another output path")


def _file_key(path: Path) -> tuple[int, int] | None:
    """What ``os.path.samefile`` compares (device and inode, through links), or None when ``path`` is no file."""
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_dev, info.st_ino


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that a reader (or a crash) sees the old file or the whole new one.

    The text goes to a temporary file in the same folder, is flushed to disk, then renamed over
    ``path``; a process killed midway leaves at most a stray ``.NAME.*.tmp``, never a truncated report.
    """
    temporary: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.",
                                         suffix=".tmp", delete=False) as handle:
            temporary = Path(handle.name)
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from exc


@contextmanager
def atomic_text_file(path: Path) -> Iterator[IO[str]]:
    """A text file to stream into that appears at ``path`` only when the ``with`` block ends without error.

    Like :func:`write_atomically` for outputs too large to hold as one string (corpus exports).
    """
    temporary: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.",
                                         suffix=".tmp", delete=False, newline="\n") as handle:
            temporary = Path(handle.name)
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
        temporary = None
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from exc
    finally:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
