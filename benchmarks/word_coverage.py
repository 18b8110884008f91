"""Does word-level coverage find the omissions the checks miss? A probe on the labelled news.

    python -m benchmarks.word_coverage [--data ../shared/data] [--dictionary PATH]

Issue 9 suggests judging omissions inside a sentence from word-level evidence: for each English
content word of a line pair, the best cosine (default encoder) between it and the Arabic words and
word pairs of the line, optionally with a bilingual dictionary. This probe scores that signal on
``ntrex128-labelled`` (every line pair labelled by careful reading):

* word level: ROC AUC of "the word lies inside a labelled omission" against the words of lines
  labelled faithful;
* line level: of the lines ranked highest by their worst-covered word (or their worst-covered pair
  of neighbouring words), how many carry any label, and how many an omission, addition or number
  label (what the benchmark's recall counts).

``--dictionary`` takes the FreeDict English-Arabic index (Debian ``dict-freedict-eng-ara``:
``/usr/share/dictd/freedict-eng-ara.index`` with its ``.dict.dz`` beside it); without it only the
encoder is scored. The probe is a measurement, not a check: nothing in ``align`` uses it.
"""

from __future__ import annotations

import argparse
import gzip
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from align.embed import USEEncoder
from benchmarks.real_labels import read_line_labels
from benchmarks.score_real import DEFAULT_DATA

_STOP_WORDS = """a an the and or but if then of to in on at by for with from as is are was were be been being has
have had do does did not no this that these those it its they them their he she his her him we our you your i me
my who whom whose which what when where why how all any some such than too very can could will would shall should
may might must also just only into over under about after before while during there here so out up down off more
most less other another each both own same said says say"""
_STOP = set(_STOP_WORDS.split())
_EN_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*")
_AR_WORD = re.compile(r"[\u0621-\u064A\u064B-\u0652\u0640]+|[A-Za-z0-9]+")
_AR_MARKS = re.compile("[\u064B-\u0652\u0670\u0640]")
_AR_PREFIXES = ("وبال", "وال", "بال", "كال", "فال", "لل", "ال", "و", "ف", "ب", "ل", "ك", "س")
_AR_SUFFIXES = ("هما", "كما", "تان", "تين", "ات", "ون", "ين", "ان", "ها", "هم", "هن", "كم", "نا", "ية", "يه",
                "ه", "ي", "ا", "ت")
_EN_ENDINGS = (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"),
               ("ly", ""), ("ily", "y"), ("er", ""), ("est", ""), ("ied", "y"))
_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def _arabic_stem(word: str) -> str:
    word = _AR_MARKS.sub("", word)
    word = re.sub("[إأآٱ]", "ا", word).replace("ى", "ي").replace("ة", "ه")
    for prefix in _AR_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            word = word[len(prefix):]
            break
    for suffix in _AR_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[:-len(suffix)]
    return word


def _english_forms(word: str) -> set[str]:
    word = word.lower().removesuffix("'s").strip("'")
    forms = {word}
    for ending, replacement in _EN_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            forms.add(word[:-len(ending)] + replacement)
    return forms


def _b64(text: str) -> int:
    value = 0
    for char in text:
        value = value * 64 + _B64.index(char)
    return value


def read_dictionary(index: Path) -> dict[str, set[str]]:
    """Headword -> stems of the Arabic words of its entry, from a dictd index and its .dict.dz."""
    with gzip.open(index.with_suffix(".dict.dz")) as compressed:
        data = compressed.read()
    entries: dict[str, set[str]] = {}
    for line in index.read_text(encoding="utf-8").splitlines():
        headword, offset, length = line.split("\t")
        if headword.startswith("00-"):
            continue
        body = data[_b64(offset):_b64(offset) + _b64(length)].decode("utf-8")
        entries.setdefault(headword.lower(), set()).update(_arabic_stem(w) for w in _AR_WORD.findall(body))
    return entries


def _in_dictionary(word: str, arabic_stems: set[str], dictionary: dict[str, set[str]]) -> float:
    """0 when a dictionary translation of the word is in the line, 1 when none is, 0.5 when unknown."""
    known = False
    for form in _english_forms(word):
        for stem in dictionary.get(form, ()):
            known = True
            if len(stem) >= 2 and any(a == stem or (min(len(a), len(stem)) >= 3 and (a.startswith(stem) or
                                      stem.startswith(a))) for a in arabic_stems):
                return 0.0
    return 1.0 if known else 0.5


@dataclass(frozen=True)
class Word:
    text: str
    uncovered: float  # higher: less of the Arabic line answers it
    omitted: bool  # inside a labelled omission


@dataclass(frozen=True)
class Line:
    words: tuple[Word, ...]
    labelled: bool
    recalled: bool  # an omission, addition or number label


def auc(positive: Sequence[float], negative: Sequence[float]) -> float:
    pos, neg = np.asarray(positive)[:, None], np.asarray(negative)[None, :]
    return float((pos > neg).mean() + 0.5 * (pos == neg).mean())


def measure(data: Path, dictionary: dict[str, set[str]] | None, weight: float = 0.1) -> list[Line]:
    labels = read_line_labels(data / "ntrex128-labelled" / "labels.jsonl", data / "ntrex128-labelled")
    pairs: list[tuple[str, str, int, str]] = []
    for doc, count in labels.lines.items():
        en_lines = (labels.folder / f"{doc}.en.txt").read_text(encoding="utf-8").split("\n")
        ar_lines = (labels.folder / f"{doc}.ar.txt").read_text(encoding="utf-8").split("\n")
        pairs += [(en_lines[k], ar_lines[k], k, doc) for k in range(count)]
    units: set[str] = set()
    parsed = []
    for en, ar, _, _ in pairs:
        words = [m for m in _EN_WORD.finditer(en) if m.group().lower() not in _STOP and len(m.group()) >= 3]
        arabic = _AR_WORD.findall(ar)
        spans = arabic + [f"{a} {b}" for a, b in zip(arabic, arabic[1:], strict=False)]
        units.update(m.group() for m in words)
        units.update(spans)
        parsed.append((words, arabic, spans))
    ordered = sorted(units)
    row = {u: k for k, u in enumerate(ordered)}
    vectors = USEEncoder().encode(ordered)
    lines = []
    for (en, ar, k, doc), (words, arabic, spans) in zip(pairs, parsed, strict=True):
        problems = [p for p in labels.problems if p.doc == doc and p.line == k]
        stems = {_arabic_stem(a) for a in arabic}
        against = vectors[[row[s] for s in spans]] if spans else np.zeros((1, vectors.shape[1]), np.float32)
        found = []
        for m in words:
            if m.group() in ar:
                continue  # a Latin token kept as is
            uncovered = -float((vectors[row[m.group()]] @ against.T).max())
            if dictionary is not None:
                uncovered += weight * _in_dictionary(m.group(), stems, dictionary)
            omitted = any(p.type == "omission" and p.en and 0 <= en.find(p.en) <= m.start()
                          and m.end() <= en.find(p.en) + len(p.en) for p in problems)
            found.append(Word(m.group(), uncovered, omitted))
        lines.append(Line(tuple(found), bool(problems), any(p.recalled for p in problems)))
    return lines


def _worst_word(line: Line) -> float:
    return max((w.uncovered for w in line.words), default=-9.0)


def _worst_pair(line: Line) -> float:
    return max((min(a.uncovered, b.uncovered) for a, b in zip(line.words, line.words[1:], strict=False)),
               default=-9.0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--dictionary", type=Path, help="a dictd index, e.g. freedict-eng-ara.index")
    args = parser.parse_args(argv)
    dictionary = read_dictionary(args.dictionary) if args.dictionary else None
    lines = measure(args.data, dictionary)
    omitted = [w.uncovered for line in lines for w in line.words if w.omitted]
    faithful = [w.uncovered for line in lines if not line.labelled for w in line.words]
    print(f"words: {len(omitted)} inside omissions, {len(faithful)} in faithful lines; "
          f"ROC AUC {auc(omitted, faithful):.3f}")
    for name, rank in (("worst word", _worst_word), ("worst pair of neighbours", _worst_pair)):
        ranked = sorted(lines, key=rank, reverse=True)
        recalled = [rank(line) for line in lines if line.recalled]
        clean = [rank(line) for line in lines if not line.labelled]
        print(f"lines ranked by {name}: ROC AUC {auc(recalled, clean):.3f} (omission/addition/number vs faithful)")
        for top in (10, 20, 50):
            head = ranked[:top]
            print(f"  top {top}: {sum(line.labelled for line in head)} carry a label, "
                  f"{sum(line.recalled for line in head)} an omission, addition or number")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
