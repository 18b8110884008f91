"""Stage 1: split English and Arabic text into segments that keep their source offsets.

Four modes:

* ``sentences``: every non-empty line is a paragraph, split into sentences.
* ``paragraphs``: every block between blank lines is one segment (hard-wrapped lines are joined).
* ``lines``: every non-empty line is one segment whose id is its 0-based line number.
* ``auto`` (default): chosen per pair of files by :func:`resolve_split`: ``lines`` when the two
  files are line-parallel (:func:`parallel_lines`: the same number of non-empty lines, whose lengths
  agree line by line, a sentence or so each, as in a translation memory or news set made line by
  line), else ``sentences``.
  The translator's own line is then the unit, not sentences the splitter cut out of it. A lone
  text has no partner to compare, so ``auto`` splits it into sentences.

Whatever the mode, the segments together hold every non-whitespace character of the input.

In ``sentences`` mode (and ``auto`` resolved to it) no segment is longer than ``max_chars``
(:data:`MAX_SEGMENT_CHARS`): a longer
sentence (a 100,000-character line with no full stop, a table dumped as one line) is cut at clause
punctuation, else at white space, else anywhere, into pieces that keep their exact offsets.
"""

from __future__ import annotations

import math
import re
import statistics
import unicodedata
from collections.abc import Iterator
from dataclasses import replace

from align.model import Document, InputInfo, Segment, Side
from align.text import ARABIC_LETTER

SPLIT_MODES = ("auto", "sentences", "paragraphs", "lines")
SPLITTER_VERSION = "rules-2"
# Longer than any real sentence (the longest of ~92,000 in the real and literary sets is 1,429
# characters), short enough that one runaway line does not become one giant bead.
MAX_SEGMENT_CHARS = 2000

# Words that end with a period but rarely end a sentence. Lower-cased, without the period.
_EN_ABBREVIATIONS = frozenset(
    [
        "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "ft", "rev", "gen", "col", "lt", "capt",
        "cmdr", "sgt", "gov", "sen", "rep", "hon", "pres", "messrs", "mme", "mlle", "amb", "adm", "maj", "cpl",
        "pvt", "supt", "insp", "det", "vs", "v", "cf", "al", "approx", "dept", "est", "fig", "figs", "vol",
        "vols", "pp", "ch", "chap", "sec", "art", "para", "no", "nos", "op", "inc", "ltd", "co", "corp", "bros",
        "llc", "plc", "univ", "assn", "assoc", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
        "oct", "nov", "dec", "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "e.g",
        "i.e", "a.m", "p.m", "u.s", "u.k", "u.n", "u.s.a", "e.u", "d.c",
    ]
)
# "No. 5" is an abbreviation, "said no. The" is not: these only count before a digit.
_EN_ABBREVIATIONS_BEFORE_DIGIT = frozenset({"no", "nos", "art", "sec", "fig", "figs", "vol", "pp", "ch", "para", "op"})

_CLOSERS = "\"'”’»)]}›"
_OPENERS = "\"'“‘«([{‹"
# Sentence-final punctuation, optionally repeated ("?!", "..."), then closing quotes/brackets.
_EN_END = re.compile(r"(?:[.!?…]+)[" + re.escape(_CLOSERS) + r"]*(?=\s)")
_AR_END = re.compile(r"(?:[.!?؟؛…]+|[!?؟]+)[" + re.escape(_CLOSERS) + r"]*(?=\s)")
_WORD_BEFORE = re.compile(r"([\w.'’-]+)$")
# The Arabic word before a period, harakat and Quranic marks included: without them "جيدًا." looked
# like the lone letter "ا." (an abbreviation such as "د.") and the sentence was never ended.
_AR_WORD_BEFORE = re.compile(r"([\w\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED.'’-]+)$")
# A list or section number that opens a paragraph ("1.", "12.", "2.3.", "iv.", "b."): its period
# ends the number, not a sentence, so "1. Introduction" stays one segment.
_ENUMERATOR = re.compile(r"\s*(?:\d{1,3}(?:\.\d{1,3})*|[ivxIVX]{1,4}|[A-Za-z])")
# How far back to look for the word before a period: searching from the start of the line made
# a line of 50,000 sentences quadratic, and no abbreviation is longer.
_LONGEST_WORD = 64
# Where a sentence that is too long may be cut, best first: after clause punctuation, then at
# white space.
_CLAUSE_BREAK = re.compile(r"[,;:،؛–—)\]]+[" + re.escape(_CLOSERS) + r"]*\s")
_WHITE = re.compile(r"\s")
_SPACE = re.compile(r"\s+")


def _next_visible(text: str, pos: int) -> str:
    """The first non-space character at or after ``pos`` ("" at the end)."""
    m = re.compile(r"\S").search(text, pos)
    return m.group(0) if m else ""


def _is_english_abbreviation(word: str) -> bool:
    """Whether ``word`` (the text just before a period) is an abbreviation, initial or acronym."""
    bare = word.lower().strip("'’-").rstrip(".")
    if bare in _EN_ABBREVIATIONS:
        return True
    if len(bare) == 1 and bare.isascii() and bare.isalpha():
        return True
    # Dotted acronyms are letters ("U.S.", "e.g."); "3.1.0" is a version number that can end a sentence.
    parts = [p for p in bare.split(".") if p]
    return "." in bare and bare.isascii() and all(len(p) <= 2 and p.isalpha() for p in parts)


def _opens_with_enumerator(text: str, start: int, punct: str) -> bool:
    """Whether the period at ``start`` only closes a number that opens the paragraph ("1. Introduction")."""
    return punct == "." and _ENUMERATOR.fullmatch(text, 0, start) is not None


def _ellipsis_in_aside(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is an ellipsis closing a bracket opened in mid-sentence.

    "(e.g. beta, alpha ...) and build metadata": the ellipsis means "and so on" inside the aside,
    and the sentence goes on after the bracket.
    """
    punct = text[start:end]
    if not (punct.startswith(("...", "…")) and punct.rstrip(_CLOSERS) != punct and punct[-1] in ")]"):
        return False
    opener = max(text.rfind("(", 0, start), text.rfind("[", 0, start))
    before = text[:opener].rstrip() if opener > 0 else ""
    return bool(before) and before[-1] not in ".!?؟…؛:"


def _is_english_boundary(text: str, start: int, end: int) -> bool:
    """Whether the punctuation run ``text[start:end]`` ends an English sentence."""
    nxt = _next_visible(text, end)
    if not nxt:
        return True
    punct = text[start:end]
    if _opens_with_enumerator(text, start, punct) or _ellipsis_in_aside(text, start, end):
        return False
    # A lower-case continuation means an abbreviation or an ellipsis inside the sentence.
    if nxt.islower():
        return False
    if punct.startswith(".") and not punct.startswith(".."):
        m = _WORD_BEFORE.search(text, max(0, start - _LONGEST_WORD), start)
        word = m.group(1).lower().strip("'’-") if m else ""
        bare = word.rstrip(".")
        if bare in _EN_ABBREVIATIONS_BEFORE_DIGIT:
            return not nxt.isdigit()
        # Abbreviations, initials ("J. K. Rowling") and dotted acronyms ("U.S.", "e.g.").
        if _is_english_abbreviation(word):
            return False
    return nxt.isupper() or nxt.isdigit() or nxt in _OPENERS or not nxt.isascii() or nxt in "-–—•*#"


def _is_arabic_boundary(text: str, start: int, end: int) -> bool:
    """Whether the punctuation run ``text[start:end]`` ends an Arabic sentence."""
    nxt = _next_visible(text, end)
    if not nxt:
        return True
    if _opens_with_enumerator(text, start, text[start:end]) or _ellipsis_in_aside(text, start, end):
        return False
    if text[start] == ".":
        m = _AR_WORD_BEFORE.search(text, max(0, start - _LONGEST_WORD), start)
        word = m.group(1) if m else ""
        # A lone Arabic letter before the period is an abbreviation such as "د." (Dr.).
        if len(word) == 1 and ARABIC_LETTER.match(word):
            return False
        # An English abbreviation inside Arabic text ("U.S.", "Dr.") or a lower-case continuation.
        if _is_english_abbreviation(word) or (nxt.isascii() and nxt.islower()):
            return False
    return True


def _sentence_ends(text: str, side: Side) -> Iterator[int]:
    """Offsets just after each sentence-final punctuation run in one paragraph."""
    pattern, accept = (_EN_END, _is_english_boundary) if side == "en" else (_AR_END, _is_arabic_boundary)
    for m in pattern.finditer(text):
        if accept(text, m.start(), m.end()):
            yield m.end()


def _trimmed(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Shrink ``[start, end)`` to exclude surrounding whitespace; None if nothing is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


_BREAKS = "\r\n\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85"
_BREAK_OR_TAB = re.compile("[\t" + _BREAKS + "]")


def _segment_text(text: str, start: int, end: int) -> str:
    # Same length as the source slice, so offsets inside a segment map back by addition.
    return _BREAK_OR_TAB.sub(" ", text[start:end])


def _lines(text: str) -> Iterator[tuple[int, int, int]]:
    """``(line_number, start, end)`` for every line of ``text``, without the line break."""
    pos = 0
    for number, line in enumerate(text.splitlines(keepends=True)):
        body = line.rstrip(_BREAKS)
        yield number, pos, pos + len(body)
        pos += len(line)


def _blocks(text: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each run of non-blank lines."""
    block: tuple[int, int] | None = None
    for _, start, end in _lines(text):
        if not text[start:end].strip():
            if block:
                yield block
            block = None
        else:
            block = (block[0], end) if block else (start, end)
    if block:
        yield block


def split_sentences(text: str, side: Side, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` inside ``text[start:end]``, trimmed of whitespace."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    cut = start
    for stop in _sentence_ends(text[start:end], side):
        span = _trimmed(text, cut, start + stop)
        if span:
            spans.append(span)
        cut = start + stop
    span = _trimmed(text, cut, end)
    if span:
        spans.append(span)
    return spans


def _cut_point(text: str, start: int, end: int, max_chars: int) -> int:
    """Where to end the first piece of ``text[start:end]`` (longer than ``max_chars``).

    The last clause break, else the last white space, in the second half of the allowed window
    (so pieces are not tiny); else in the whole window; else ``max_chars`` characters in, moved
    back off combining marks so no letter loses its vowel sign.
    """
    limit = start + max_chars
    for lo in (start + max_chars // 2, start + 1):
        for pattern in (_CLAUSE_BREAK, _WHITE):
            last = None
            for m in pattern.finditer(text, lo, limit + 1):
                last = m
            if last is not None:
                return last.end() - 1 if pattern is _CLAUSE_BREAK else last.start()
    cut = limit
    while cut > start + 1 and unicodedata.combining(text[cut]):
        cut -= 1
    return cut


def bounded_spans(text: str, start: int, end: int, max_chars: int = MAX_SEGMENT_CHARS) -> list[tuple[int, int]]:
    """``text[start:end]`` (trimmed) as spans of at most ``max_chars`` characters, in order.

    A span that fits is returned whole. The gaps between pieces are white space only, so the
    pieces and the gaps between them rebuild the input exactly.
    """
    if max_chars < 1:
        raise ValueError(f"max_chars must be at least 1, not {max_chars}")
    spans: list[tuple[int, int]] = []
    span = _trimmed(text, start, end)
    while span is not None and span[1] - span[0] > max_chars:
        cut = _cut_point(text, span[0], span[1], max_chars)
        piece = _trimmed(text, span[0], cut)
        if piece:
            spans.append(piece)
        span = _trimmed(text, cut, span[1])
    if span is not None:
        spans.append(span)
    return spans


def splitter_signature(mode: str, max_chars: int = MAX_SEGMENT_CHARS, resolved: str | None = None) -> str:
    """The split mode, the rules' version and, where sentences may be cut, the longest segment allowed.

    ``auto`` also names the rule that chooses between lines and sentences and, once a pair has
    been split (``resolved``), what it chose: ``auto=lines/rules-1,max=2000,parallel-lines-1``.
    """
    name = f"{mode}={resolved}" if mode == "auto" and resolved else mode
    signature = f"{name}/{SPLITTER_VERSION}" + (f",max={max_chars}" if mode in ("auto", "sentences") else "")
    return signature + (f",{PARALLEL_LINES_RULE}" if mode == "auto" else "")


def segment_text(text: str, side: Side, mode: str = "auto",
                 max_chars: int = MAX_SEGMENT_CHARS) -> tuple[list[Segment], int]:
    """Split a whole document. Returns its segments and the number of ids they use.

    In ``lines`` mode ids are line numbers, so the id count is the line count and blank lines
    hold no segment; in the other modes ids run 0..n-1. In ``sentences`` mode a sentence longer than
    ``max_chars`` is cut into pieces (:func:`bounded_spans`); ``lines`` and ``paragraphs`` keep the
    segments the user made. One text alone cannot be compared with its partner, so ``auto`` splits
    it as ``sentences`` does (:func:`resolve_split` decides for a pair).
    """
    if mode == "lines":
        segments: list[Segment] = []
        paragraph = 0
        count = 0
        for number, start, end in _lines(text):
            count = number + 1
            span = _trimmed(text, start, end)
            if span is None:
                if segments and segments[-1].paragraph == paragraph:
                    paragraph += 1
                continue
            segments.append(Segment(number, _segment_text(text, *span), span[0], span[1], paragraph))
        return segments, count
    spans: list[tuple[int, int, int]] = []
    if mode == "paragraphs":
        for paragraph, (start, end) in enumerate(_blocks(text)):
            span = _trimmed(text, start, end)
            if span:
                spans.append((span[0], span[1], paragraph))
    elif mode in ("auto", "sentences"):
        paragraph = 0
        for _, start, end in _lines(text):
            sentences = [piece for s, e in split_sentences(text, side, start, end)
                         for piece in bounded_spans(text, s, e, max_chars)]
            spans += [(s, e, paragraph) for s, e in sentences]
            paragraph += bool(sentences)
    else:
        raise ValueError(f"unknown split mode {mode!r}; expected one of {', '.join(SPLIT_MODES)}")
    segments = [Segment(i, _segment_text(text, s, e), s, e, p) for i, (s, e, p) in enumerate(spans)]
    return segments, len(segments)


def make_document(text: str, side: Side, name: str, mode: str = "auto", max_chars: int = MAX_SEGMENT_CHARS,
                  source: InputInfo | None = None, line_ids: bool = True) -> Document:
    """Split ``text`` and wrap it as a :class:`Document`; ``source`` says how it was read.

    ``line_ids=False`` numbers ``lines`` segments 0..n-1 like the other modes: ``auto`` does so
    when it chooses lines, so its reports keep one shape (no empty text for a blank line) whatever
    it chose; only ``--split lines`` promises line numbers.
    """
    segments, size = segment_text(text, side, mode, max_chars)
    if mode == "lines" and not line_ids:
        segments, size = [replace(s, index=i) for i, s in enumerate(segments)], len(segments)
    return Document(side=side, name=name, text=text, segments=tuple(segments), size=size, source=source)


def squeeze(text: str) -> str:
    """``text`` without whitespace: what splitting must preserve."""
    return _SPACE.sub("", text)


# -- auto: lines or sentences, decided per pair -----------------------------------------------------

# Named in the signature of ``auto``: change it whenever the rule below changes what it chooses.
PARALLEL_LINES_RULE = "parallel-lines-1"
# One line a side says nothing about structure (a whole article pasted as one line).
MIN_PARALLEL_LINES = 2
# A line pair agrees when its Arabic/English length ratio is within this factor of the document's
# median ratio: translations of one line differ in length by far less, lines shifted by one by more.
LINE_RATIO_BAND = 2.0
# The share of line pairs allowed to disagree (a short title, a line translated freely).
LINE_DISAGREEMENT = 0.2
# Lines are the translator's sentences, not paragraphs: on average at most this many sentences a
# line on each side (a line of two sentences now and then). Paragraph-per-line documents (a legal
# text, verses of several sentences) keep being aligned sentence by sentence inside each paragraph.
MAX_SENTENCES_PER_LINE = 1.5


def _line_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every non-empty line of ``text``, without surrounding white space."""
    return [span for _, start, end in _lines(text) if (span := _trimmed(text, start, end))]


def _sentences_per_line(text: str, side: Side, lines: list[tuple[int, int]]) -> float:
    return sum(len(split_sentences(text, side, start, end)) for start, end in lines) / len(lines)


def parallel_lines(en_text: str, ar_text: str, max_chars: int = MAX_SEGMENT_CHARS) -> bool:
    """Whether the two files are line-parallel: each non-empty line is a sentence or two that
    translates its counterpart, as in a translation memory or a news set made line by line.

    Both have the same number (at least :data:`MIN_PARALLEL_LINES`) of non-empty lines, none longer
    than ``max_chars`` (``lines`` mode would keep it whole); the lines' lengths agree pair by pair
    (:data:`LINE_RATIO_BAND`, :data:`LINE_DISAGREEMENT`); and they are sentence-sized
    (:data:`MAX_SENTENCES_PER_LINE`). Text only, so it costs little next to embedding; the aligner
    still aligns the lines, so a wrong guess gives coarser beads, not wrong ones.
    """
    en, ar = _line_spans(en_text), _line_spans(ar_text)
    if len(en) != len(ar) or len(en) < MIN_PARALLEL_LINES:
        return False
    en_lengths, ar_lengths = [e - s for s, e in en], [e - s for s, e in ar]
    if max(en_lengths + ar_lengths) > max_chars:
        return False
    ratios = [math.log(a / e) for e, a in zip(en_lengths, ar_lengths, strict=True)]
    median = statistics.median(ratios)
    if sum(abs(r - median) > math.log(LINE_RATIO_BAND) for r in ratios) > LINE_DISAGREEMENT * len(ratios):
        return False
    return max(_sentences_per_line(en_text, "en", en), _sentences_per_line(ar_text, "ar", ar)) <= MAX_SENTENCES_PER_LINE


def resolve_split(mode: str, en_text: str, ar_text: str, max_chars: int = MAX_SEGMENT_CHARS) -> str:
    """The mode a pair is split with: ``mode`` itself, or for ``auto`` ``lines`` or ``sentences``."""
    if mode != "auto":
        return mode
    return "lines" if parallel_lines(en_text, ar_text, max_chars) else "sentences"
