"""Readers for the document formats people have: plain text, Word (.docx), HTML and Markdown.

Each reader turns a file's content into the plain text that is aligned: one paragraph a line,
paragraphs separated by a blank line, so every split mode sees the document's paragraphs. What a
reader of the document does not see (scripts, styles, navigation, markup) is left out; what they
do see is kept in document order. Formats that cannot be read reliably (PDF, images, other
archives) are refused with a one-line :class:`InputError` that says what to do instead.

The heavy parsers (python-docx, BeautifulSoup, markdown-it) are imported only when a file of
their format is read.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from align.errors import InputError

if TYPE_CHECKING:
    from bs4 import Tag

INPUT_FORMATS = ("text", "docx", "html", "markdown")
# Formats that are decoded from bytes as text first (so ``--encoding`` applies to them).
TEXT_FORMATS = frozenset({"text", "html", "markdown"})
FORMAT_BY_EXTENSION = {
    ".txt": "text", ".text": "text",
    ".docx": "docx",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".md": "markdown", ".markdown": "markdown",
}
# Extensions that are refused with a pointer to a format that works (checked before the bytes).
_REFUSED_EXTENSIONS = {".pdf": "pdf", ".doc": "doc", ".odt": "odt", ".rtf": "rtf"}

_WHAT_INSTEAD = {
    "pdf": "a PDF, which cannot be read reliably (Arabic in PDFs is stored in visual order and "
           "presentation forms); export the document from the application that made it as .docx, "
           "HTML or plain text",
    "doc": "a Word 97-2003 .doc file; open it in Word or LibreOffice and save it as .docx",
    "odt": "an OpenDocument file; save it as .docx or plain text",
    "rtf": "an RTF file; save it as .docx or plain text",
    "zip": "a ZIP archive, not a .docx document; give the .docx, HTML or text file itself",
    "image": "an image; muqabala reads text, not scans: give the text as .docx, HTML or plain text",
}
# Leading bytes of binary formats that must not be decoded as text.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "pdf"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "doc"),  # OLE2 compound file: .doc, .xls, .ppt
    (b"{\\rtf", "rtf"),
    (b"\x89PNG\r\n\x1a\n", "image"),
    (b"\xff\xd8\xff", "image"),  # JPEG
    (b"GIF87a", "image"),
    (b"GIF89a", "image"),
    (b"II*\x00", "image"),  # TIFF, little-endian
    (b"MM\x00*", "image"),  # TIFF, big-endian
    (b"BM", "image"),
)
_ZIP_MAGIC = b"PK\x03\x04"
# A Word package that unpacks to more than this is refused before python-docx inflates it (a zip bomb).
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024


def format_for_path(path: Path) -> str:
    """The input format that ``path``'s extension names; anything unknown is read as text."""
    return FORMAT_BY_EXTENSION.get(path.suffix.lower(), "text")


def _sniff(data: bytes) -> str | None:
    """The kind of binary file ``data`` is (``docx``, ``pdf``, ``image``, …), or None for text."""
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")  # a PDF header may follow white space
    if head.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(_ZIP_MAGIC):
        return _zip_kind(data)
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            # "BM" also starts plain text ("BMW …"): a bitmap has a binary header after it.
            if magic == b"BM" and (len(data) < 14 or data[6:10] != b"\x00\x00\x00\x00"):
                continue
            return kind
    if data[:12].startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "image"
    return None


def _zip_kind(data: bytes) -> str:
    """``docx`` for a Word package, ``odt`` for an OpenDocument text, else ``zip``."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                return "docx"
            if "mimetype" in names:
                with archive.open("mimetype") as handle:  # read a few bytes: the entry may be a bomb
                    if handle.read(64).startswith(b"application/vnd.oasis.opendocument"):
                        return "odt"
    except (zipfile.BadZipFile, OSError, KeyError):
        pass
    return "zip"


def resolve_format(path: Path, data: bytes, requested: str = "auto") -> str:
    """The format to read ``data`` as: ``requested``, or by extension and content when ``auto``.

    Raises :class:`InputError` for formats muqabala refuses (PDF, images, .doc, other archives),
    whatever was requested, and for a ``.docx`` that is not a Word package.
    """
    if requested not in ("auto", *INPUT_FORMATS):
        raise InputError(f"unknown input format {requested!r}; choose from auto, {', '.join(INPUT_FORMATS)}")
    # The bytes always decide; the extension only when the format is not forced.
    kind = _sniff(data) or (_REFUSED_EXTENSIONS.get(path.suffix.lower()) if requested == "auto" else None)
    if kind in _WHAT_INSTEAD:
        raise InputError(f"{path}: {_WHAT_INSTEAD[kind]}")
    # Content wins over a wrong extension: a Word package named .txt is still read as Word.
    by_content = "docx" if kind == "docx" else format_for_path(path)
    fmt = by_content if requested == "auto" else requested
    if fmt == "docx" and kind != "docx":
        raise InputError(f"{path}: not a Word .docx document (it is not a Word package); "
                         "save it from Word as .docx, or give --input-format text")
    return fmt


# --- Word ---------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_RT_FOOTNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
_RT_ENDNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes"
# Run content that a reader sees as a character; w:delText (deleted by tracked changes) and
# w:instrText (field codes) are not seen and are not listed.
_RUN_TEXT = {f"{_W}tab": "\t", f"{_W}br": "\n", f"{_W}cr": "\n", f"{_W}noBreakHyphen": "-"}


class _Notes:
    """Footnote or endnote texts by id, numbered in the order the document first refers to them."""

    def __init__(self, texts: dict[str, list[str]]) -> None:
        self.texts = texts
        self.numbers: dict[str, int] = {}
        self.placed: set[str] = set()  # notes already in the text: a note referred to twice appears once

    def number(self, note_id: str) -> int | None:
        if note_id not in self.texts:
            return None
        return self.numbers.setdefault(note_id, len(self.numbers) + 1)

    def paragraphs(self, note_id: str) -> list[str]:
        """The note as paragraphs, the first starting with its number ("[1] …")."""
        number = self.numbers[note_id]
        paragraphs = self.texts[note_id] or [""]
        return [f"[{number}] {paragraphs[0].strip()}", *paragraphs[1:]]


def _paragraph_text(p: Any, footnotes: _Notes, endnotes: _Notes, refs: list[tuple[_Notes, str]]) -> str:
    """The visible text of one ``w:p``; note references it holds are appended to ``refs``."""
    out: list[str] = []
    stack = [iter(p)]
    while stack:
        node = next(stack[-1], None)
        if node is None:
            stack.pop()
            continue
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag == _MC_FALLBACK or tag == f"{_W}txbxContent":
            continue  # the fallback repeats the preferred content; text boxes are their own paragraphs
        if tag == f"{_W}t":
            out.append(node.text or "")
        elif tag in _RUN_TEXT:
            out.append(_RUN_TEXT[tag])
        elif tag in (f"{_W}footnoteReference", f"{_W}endnoteReference"):
            notes = footnotes if tag == f"{_W}footnoteReference" else endnotes
            note_id = node.get(f"{_W}id")
            if note_id is not None and notes.number(note_id) is not None:
                refs.append((notes, note_id))
        elif tag not in (f"{_W}delText", f"{_W}instrText", f"{_W}del"):
            stack.append(iter(node))
    return "".join(out)


def _blocks(container: Any, footnotes: _Notes, endnotes: _Notes) -> Iterator[str]:
    """Paragraph texts of a body, cell or note in document order (tables cell by cell, row by row).

    A paragraph's footnotes follow it as paragraphs of their own, so a translated footnote sits
    next to the sentence it annotates on both sides.
    """
    for child in container:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == f"{_W}p":
            refs: list[tuple[_Notes, str]] = []
            yield _paragraph_text(child, footnotes, endnotes, refs)
            for box in child.iter(f"{_W}txbxContent"):
                if not any(a.tag == _MC_FALLBACK for a in box.iterancestors()):
                    yield from _blocks(box, footnotes, endnotes)
            for notes, note_id in refs:
                if notes is footnotes and note_id not in notes.placed:
                    notes.placed.add(note_id)
                    yield from notes.paragraphs(note_id)
        elif tag == f"{_W}tbl":
            for row in child.iter(f"{_W}tr"):
                if next(row.iterancestors(f"{_W}tbl")) is not child:
                    continue  # rows of a nested table are read inside their cell
                for cell in row.iterchildren(f"{_W}tc"):
                    yield from _blocks(cell, footnotes, endnotes)
        elif tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}ins", f"{_W}smartTag"):
            yield from _blocks(child, footnotes, endnotes)


def _read_notes(document_part: Any, reltype: str) -> dict[str, list[str]]:
    """Note id → its paragraphs, from the footnotes or endnotes part (python-docx has no API)."""
    from docx.oxml import parse_xml  # python-docx's parser: no entity expansion, no network

    for rel in document_part.rels.values():
        if rel.reltype == reltype and not rel.is_external:
            root = parse_xml(rel.target_part.blob)
            empty = _Notes({})
            return {
                note.get(f"{_W}id"): [t for t in _blocks(note, empty, empty) if t.strip()]
                for note in root.iterchildren()
                # separators and continuation notices are layout, not content
                if note.get(f"{_W}type") in (None, "normal")
            }
    return {}


def _unreadable_docx(path: Path, exc: Exception) -> InputError:
    reason = " ".join(str(exc).split())[:200] or type(exc).__name__  # one line, whatever the parser said
    return InputError(f"{path}: not a readable Word .docx document ({reason}); open it in Word and save it again")


def docx_to_text(data: bytes, path: Path) -> str:
    """The text of a Word document: paragraphs and table cells in document order, each footnote
    after the paragraph that refers to it, endnotes at the end; one blank line between paragraphs.

    Headers, footers and comments are left out (they repeat on every page or are not the text).
    """
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > MAX_UNPACKED_BYTES:
        raise InputError(f"{path}: the Word package unpacks to {unpacked // 2**20} MiB "
                         f"(at most {MAX_UNPACKED_BYTES // 2**20} MiB)")
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise _unreadable_docx(path, exc) from exc
    except Exception as exc:  # lxml's XMLSyntaxError and kin: python-docx parsing a damaged package
        raise _unreadable_docx(path, exc) from exc
    part = document.part
    try:
        footnotes = _Notes(_read_notes(part, _RT_FOOTNOTES))
        endnotes = _Notes(_read_notes(part, _RT_ENDNOTES))
        paragraphs = list(_blocks(document.element.body, footnotes, endnotes))
    except RecursionError:
        raise InputError(f"{path}: tables nested too deeply to read") from None
    except Exception as exc:  # a damaged notes part: lxml's XMLSyntaxError
        raise _unreadable_docx(path, exc) from exc
    for note_id in list(endnotes.numbers):
        paragraphs += endnotes.paragraphs(note_id)
    return _join_paragraphs(paragraphs)


def _join_paragraphs(paragraphs: list[str]) -> str:
    """Non-blank paragraphs, each stripped, separated by one blank line."""
    return "\n\n".join(p.strip() for p in paragraphs if p.strip()) + "\n"


# --- HTML and Markdown ---------------------------------------------------------------------------

# Elements whose content a reader does not see as the document's text.
_DROPPED = frozenset({
    "head", "script", "style", "template", "noscript", "nav", "header", "footer", "aside",
    "svg", "math", "iframe", "object", "embed", "canvas", "audio", "video", "map", "select", "datalist",
})
# Elements that start and end a paragraph.
_BLOCKS = frozenset({
    "address", "article", "blockquote", "body", "caption", "center", "dd", "details", "dialog", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "form", "h1", "h2", "h3", "h4", "h5", "h6", "hgroup",
    "hr", "html", "legend", "li", "main", "ol", "p", "pre", "section", "summary", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "ul", "option", "textarea", "output",
})
_PRESERVING = frozenset({"pre", "textarea", "listing", "plaintext", "xmp"})
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
# A token is (kind, text): "text" collapses white space like a browser, "pre" keeps it, and "line"
# and "paragraph" are breaks.
_Token = tuple[str, str]
_LINE: _Token = ("line", "")
_PARAGRAPH: _Token = ("paragraph", "")


def _hidden(tag: Tag) -> bool:
    """Whether an element is hidden from readers by its attributes."""
    if tag.has_attr("hidden"):
        return True
    style = str(tag.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or "visibility:hidden" in style


def _html_tokens(root: Tag, preserve: bool) -> Iterator[_Token]:
    """Text pieces and paragraph/line breaks of ``root``'s visible content, in order.

    Walks the tree with an explicit stack: hostile pages nest elements thousands deep.
    """
    from bs4.element import Comment, Declaration, Doctype, NavigableString, ProcessingInstruction
    from bs4.element import Tag as BsTag

    # each entry: the children still to visit, whether white space is kept, what to emit after them
    stack: list[tuple[Iterator[Any], bool, tuple[_Token, ...]]] = [(iter(root.children), preserve, ())]
    while stack:
        children, keep, after = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            yield from after
            continue
        if isinstance(child, (Comment, Declaration, Doctype, ProcessingInstruction)):
            continue
        if isinstance(child, NavigableString):
            yield from _text_tokens(str(child), keep)
            continue
        if not isinstance(child, BsTag):
            continue
        name = child.name.lower()
        if name in _DROPPED or _hidden(child):
            continue
        if name == "br":
            yield _LINE
            continue
        block = name in _BLOCKS
        if block:
            yield _PARAGRAPH
        if name in _PRESERVING and not keep:
            yield from _preformatted(child)
            if block:
                yield _PARAGRAPH
            continue
        stack.append((iter(child.children), keep, (_PARAGRAPH,) if block else ()))


def _text_tokens(text: str, preserve: bool) -> Iterator[_Token]:
    if not preserve:
        yield ("text", _HTML_SPACE.sub(" ", text))
        return
    for n, line in enumerate(text.split("\n")):
        if n:
            yield _LINE
        yield ("pre", line)


def _preformatted(tag: Tag) -> Iterator[_Token]:
    """A ``pre`` element's lines as they are (code is content); its first newline is markup."""
    tokens = list(_html_tokens(tag, True))
    if len(tokens) > 1 and tokens[0] == ("pre", "") and tokens[1] == _LINE:
        tokens = tokens[2:]
    yield _PARAGRAPH
    yield from tokens
    yield _PARAGRAPH


def _join_tokens(tokens: Iterator[_Token]) -> str:
    """Paragraphs separated by a blank line, line breaks kept, collapsed spaces trimmed at both ends."""
    paragraphs: list[str] = []
    lines: list[str] = []
    current: list[str] = []

    def end_line() -> None:
        line = "".join(current).rstrip()
        lines.append(line.lstrip(" ") if current_collapsed[0] else line)
        current.clear()
        current_collapsed[0] = True

    def end_paragraph() -> None:
        end_line()
        while lines and not lines[-1].strip():
            lines.pop()
        while lines and not lines[0].strip():
            lines.pop(0)
        if lines:
            paragraphs.append("\n".join(lines))
        lines.clear()

    current_collapsed = [True]  # whether the current line starts with browser-collapsed text
    for kind, text in tokens:
        if kind == "paragraph":
            end_paragraph()
        elif kind == "line":
            end_line()
        elif kind == "pre":
            if not current:
                current_collapsed[0] = False
            current.append(text)
        else:
            if current and current[-1].endswith(" ") and text.startswith(" "):
                text = text[1:]  # one space between inline pieces, as a browser shows it
            current.append(text)
    end_paragraph()
    return "\n\n".join(paragraphs) + "\n" if paragraphs else ""


def html_to_text(html: str) -> str:
    """The text a browser shows for ``html``: scripts, styles, navigation, headers, footers,
    asides, templates and hidden elements left out; entities decoded; each block element
    (paragraph, heading, list item, table cell, …) its own paragraph; ``<br>`` a line break;
    ``<pre>`` kept line by line.
    """
    from bs4 import BeautifulSoup
    from bs4.builder import ParserRejectedMarkup

    try:
        soup = BeautifulSoup(html, "html.parser")
    except (ParserRejectedMarkup, RecursionError) as exc:
        raise InputError(f"the HTML cannot be parsed ({type(exc).__name__})") from exc
    return _join_tokens(_html_tokens(soup, False))


def markdown_to_text(markdown: str) -> str:
    """The text of a Markdown document: rendered (CommonMark and tables) and read as HTML, so
    markup is left out, paragraphs are kept and code blocks stay as text."""
    from markdown_it import MarkdownIt

    deepest = max((_container_depth(line) for line in markdown.splitlines()), default=0)
    if deepest > MAX_MARKDOWN_DEPTH:
        raise InputError(f"Markdown quotes or lists nested {deepest} deep (at most {MAX_MARKDOWN_DEPTH}); "
                         "give --input-format text to read it as it is")
    parser = MarkdownIt("commonmark", {"maxNesting": 2 * MAX_MARKDOWN_DEPTH + 10}).enable("table")
    return html_to_text(parser.render(markdown))


# markdown-it drops, without a word, every block nested deeper than its maxNesting; deeper
# documents are refused instead, and the parser's limit is set well above this.
MAX_MARKDOWN_DEPTH = 40
_CONTAINERS = re.compile(r"[ \t]*(?:>|[-+*](?=[ \t])|\d{1,9}[.)](?=[ \t]))")


def _container_depth(line: str) -> int:
    """An upper bound on how many quotes and lists a Markdown line opens: its markers plus its indent."""
    markers = 0
    pos = 0
    while m := _CONTAINERS.match(line, pos):
        markers += 1
        pos = m.end()
    indent = len(line) - len(line.lstrip(" \t"))
    return markers + indent // 2
