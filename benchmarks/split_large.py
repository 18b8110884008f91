"""Time the splitter and the input readers on inputs far larger than real documents.

    python -m benchmarks.split_large [--sentences 50000] [--line-chars 100000]

Cases: one line of N characters with no sentence punctuation (cut into bounded pieces), N
sentences per side on separate lines and on one line, and the same English text as HTML and as
Markdown. Prints one JSON line per case: segments, longest segment and seconds.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable

from align.formats import html_to_text, markdown_to_text
from align.model import Side
from align.segment import make_document


def _timed(name: str, side: Side, make_text: Callable[[], str], read: Callable[[str], str] = str) -> None:
    """Time ``read`` (a format's reader) and the splitter on the text ``make_text`` builds."""
    source = make_text()
    started = time.perf_counter()
    text = read(source)
    read_seconds = time.perf_counter() - started
    doc = make_document(text, side, name)
    split_seconds = time.perf_counter() - started - read_seconds
    longest = max((len(s.text) for s in doc.segments), default=0)
    print(json.dumps({"case": name, "chars": len(source), "segments": len(doc.segments), "longest": longest,
                      "read_seconds": round(read_seconds, 3), "split_seconds": round(split_seconds, 3)},
                     ensure_ascii=False))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sentences", type=int, default=50_000)
    parser.add_argument("--line-chars", type=int, default=100_000)
    args = parser.parse_args()
    n, chars = args.sentences, args.line_chars
    english = [f"Sentence number {i} reports that the council met on Monday." for i in range(n)]
    arabic = [f"الجملة رقم {i} تقول إن المجلس اجتمع يوم الاثنين." for i in range(n)]
    _timed("en line without punctuation", "en", lambda: " ".join(f"word{i % 97}" for i in range(chars // 5))[:chars])
    _timed("ar line with commas only", "ar", lambda: "، ".join(["قال المتحدث إن الاجتماع سيعقد غدا"] * chars)[:chars])
    _timed("en sentences, one a line", "en", lambda: "\n".join(english))
    _timed("ar sentences, one a line", "ar", lambda: "\n".join(arabic))
    _timed("en sentences, one line", "en", lambda: " ".join(english))
    _timed("ar sentences, one line", "ar", lambda: " ".join(arabic))
    _timed("en sentences as HTML", "en", lambda: "".join(f"<p>{s}</p>" for s in english), html_to_text)
    _timed("en sentences as Markdown", "en", lambda: "\n\n".join(english), markdown_to_text)


if __name__ == "__main__":
    main()
