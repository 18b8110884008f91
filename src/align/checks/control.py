"""``control``: characters that change what a reader sees without being seen themselves.

Bidi embeddings, overrides and isolates reorder the text after them (Trojan Source: an Arabic
``U+202E 1250 U+202C`` is shown as 0521); ESC and the other C0/C1 controls start terminal sequences
that can hide words; tag characters and interlinear annotations carry text no one sees. These are
warnings. Marks and zero-width characters are common in real text (an LRM around a number, a ZWSP
left by a web page) and are hints, except a right-to-left mark between digits, which shows the
digit groups in the other order. ZWNJ and ZWJ next to Arabic (or any non-ASCII) characters are
typography (Persian half-spaces, joined letter forms, emoji sequences) and are not reported.
"""

from __future__ import annotations

from dataclasses import dataclass

from align.checks.base import BeadCheck, CheckContext
from align.model import SIDES, Bead, Evidence, Flag, Severity, Side
from align.text import HIDDEN, LANGUAGE, control_name

# Characters that reorder or hide the text around them: always worth a reviewer's look.
_REORDERING = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u206a\u206b\u206c\u206d\u206e\u206f")
_HIDING = frozenset("\ufff9\ufffa\ufffb\U000e0001") | frozenset(map(chr, range(0xE0020, 0xE0080)))
_RIGHT_TO_LEFT_MARKS = frozenset("\u200f\u061c")
_JOINERS = frozenset("\u200c\u200d")


def _is_control(char: str) -> bool:
    """A C0 or C1 control (ESC, NUL, CSI, ...), DEL included."""
    return ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F


def _between_digits(text: str, at: int) -> bool:
    """Whether ``text[at]`` sits inside a number: a digit on each side, past any other hidden characters."""
    before = HIDDEN.sub("", text[max(at - 8, 0):at])[-1:]
    after = HIDDEN.sub("", text[at + 1:at + 9])[:1]
    return before.isdigit() and after.isdigit()


def _is_typographic_joiner(text: str, at: int) -> bool:
    """ZWNJ/ZWJ next to a non-ASCII character: Persian half-spaces, joined Arabic letter forms, emoji."""
    neighbours = text[at - 1:at] + text[at + 1:at + 2]
    return any(not c.isascii() and not c.isspace() for c in neighbours)


def severity_of(text: str, at: int) -> Severity | None:
    """How much the hidden character ``text[at]`` matters, or None when it is ordinary typography."""
    char = text[at]
    if char in _REORDERING or char in _HIDING or _is_control(char):
        return "warning"
    if char in _JOINERS and _is_typographic_joiner(text, at):
        return None
    if char in _RIGHT_TO_LEFT_MARKS and _between_digits(text, at):
        return "warning"
    return "info"


_ORDER: dict[Severity, int] = {"error": 0, "warning": 1, "info": 2}
MAX_NAMED = 12  # characters the message names one by one; the evidence holds them all


@dataclass(frozen=True)
class ControlCheck(BeadCheck):
    """One finding per segment that holds hidden characters, naming each and its offset."""

    type = "control"

    def check_bead(self, bead: Bead, context: CheckContext) -> list[Flag]:
        flags = []
        for side in SIDES:
            for segment, text in zip(bead.ids(side), context.texts(bead, side), strict=True):
                flag = self._segment_flag(side, segment, text)
                if flag is not None:
                    flags.append(flag)
        return flags

    def _segment_flag(self, side: Side, segment: int, text: str) -> Flag | None:
        found = [(m.start(), severity_of(text, m.start())) for m in HIDDEN.finditer(text)]
        reported = [(at, severity) for at, severity in found if severity is not None]
        if not reported:
            return None
        severity = min((s for _, s in reported), key=_ORDER.__getitem__)
        evidence = tuple(Evidence(side, segment, at, at + 1, text[at], control_name(text[at])) for at, _ in reported)
        return Flag(self.type, side, severity, _message(side, text, [at for at, _ in reported]), evidence)


def _message(side: Side, text: str, offsets: list[int]) -> str:
    named = ", ".join(f"{control_name(text[at])} at offset {at}" for at in offsets[:MAX_NAMED])
    more = f" and {len(offsets) - MAX_NAMED} more" if len(offsets) > MAX_NAMED else ""
    noun = "A hidden character" if len(offsets) == 1 else f"{len(offsets)} hidden characters"
    why = _why(text, offsets)
    return f"{noun} in the {LANGUAGE[side]}: {named}{more}" + (f"; {why}" if why else "")


def _why(text: str, offsets: list[int]) -> str:
    """What the worst of the characters does to the text a reader sees."""
    chars = {text[at] for at in offsets}
    if chars & _REORDERING:
        return "it reorders the text shown after it (the report shows it in logical order)"
    if any(_is_control(c) for c in chars):
        return "a terminal control can hide or rewrite the text around it"
    if chars & _HIDING:
        return "it carries text no one sees"
    if any(text[at] in _RIGHT_TO_LEFT_MARKS and _between_digits(text, at) for at in offsets):
        return "a right-to-left mark inside a number shows its digit groups in the other order"
    return ""
