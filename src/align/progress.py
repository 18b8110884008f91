"""How the library reports a long job's progress without printing: the caller passes a listener.

``cli.py`` passes one that draws a progress bar on stderr; the library only calls its methods, so
used as a library muqabala stays silent.
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """Listens to a job made of stages, each counting items (sentences embedded, checks run)."""

    def stage(self, name: str, total: int | None, unit: str) -> None:
        """A new stage begins: ``total`` items of ``unit`` (None when not known in advance)."""

    def advance(self, items: int = 1) -> None:
        """``items`` more items of the current stage are done."""

    def done(self) -> None:
        """The job is finished (or failed): the listener can clean up."""


class Silent:
    """A listener that ignores everything: the default."""

    def stage(self, name: str, total: int | None, unit: str) -> None:
        pass

    def advance(self, items: int = 1) -> None:
        pass

    def done(self) -> None:
        pass
