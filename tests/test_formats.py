"""Input formats people actually have: Word, HTML, Markdown, legacy encodings; PDFs and images refused."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner, Result
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml

from align.cli import main
from align.errors import InputError
from align.formats import html_to_text, markdown_to_text
from align.io import find_pairs, read_document

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

EN_PARAGRAPHS = ["The council met on Monday.", "It approved the budget of 12 million dollars."]
AR_PARAGRAPHS = ["اجتمع المجلس يوم الاثنين.", "ووافق على ميزانية قدرها 12 مليون دولار."]
EN_TABLE = [["Item", "Cost"], ["Schools", "5 million"]]
AR_TABLE = [["البند", "التكلفة"], ["المدارس", "5 ملايين"]]
EN_FOOTNOTE = "Figures are provisional."
AR_FOOTNOTE = "الأرقام أولية."
EN_CLOSING = "The session ended at noon."
AR_CLOSING = "وانتهت الجلسة عند الظهر."


def _add_footnote(document: docx.document.Document, paragraph: docx.text.paragraph.Paragraph, text: str) -> None:
    """Give ``paragraph`` a footnote reference and the document a footnotes part holding ``text``.

    python-docx writes no footnotes, so the part is added the way Word stores it.
    """
    xml = (f'<w:footnotes xmlns:w="{W_NS}">'
           '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
           '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r>'
           '</w:p></w:footnote>'
           f'<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {text}</w:t>'
           '</w:r></w:p></w:footnote></w:footnotes>').encode()
    content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
    part = Part(PackURI("/word/footnotes.xml"), content_type, xml, document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)
    paragraph._p.append(parse_xml(f'<w:r xmlns:w="{W_NS}"><w:footnoteReference w:id="1"/></w:r>'))


def make_docx(path: Path, paragraphs: list[str], table: list[list[str]], footnote: str, closing: str,
              rtl: bool = False) -> Path:
    """A real Word document: two paragraphs (the second with a footnote), a table, a closing line."""
    document = docx.Document()
    first = document.add_paragraph(paragraphs[0])
    second = document.add_paragraph(paragraphs[1])
    if rtl:
        for p in (first, second):
            p._p.get_or_add_pPr().append(parse_xml(f'<w:bidi xmlns:w="{W_NS}"/>'))
    _add_footnote(document, second, footnote)
    grid = document.add_table(rows=len(table), cols=len(table[0]))
    for r, row in enumerate(table):
        for c, value in enumerate(row):
            grid.cell(r, c).text = value
    document.add_paragraph(closing)
    document.save(str(path))
    return path


@pytest.fixture
def docx_pair(tmp_path: Path) -> tuple[Path, Path]:
    return (make_docx(tmp_path / "x.en.docx", EN_PARAGRAPHS, EN_TABLE, EN_FOOTNOTE, EN_CLOSING),
            make_docx(tmp_path / "x.ar.docx", AR_PARAGRAPHS, AR_TABLE, AR_FOOTNOTE, AR_CLOSING, rtl=True))


def invoke(runner: CliRunner, *args: str | Path) -> Result:
    return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)


# --- Word -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("index", "paragraphs", "table", "footnote", "closing"), [
    (0, EN_PARAGRAPHS, EN_TABLE, EN_FOOTNOTE, EN_CLOSING),
    (1, AR_PARAGRAPHS, AR_TABLE, AR_FOOTNOTE, AR_CLOSING),
])
def test_docx_paragraphs_footnotes_and_tables_in_document_order(
        docx_pair: tuple[Path, Path], index: int, paragraphs: list[str], table: list[list[str]], footnote: str,
        closing: str) -> None:
    read = read_document(docx_pair[index])
    expected = [*paragraphs, f"[1] {footnote}", *(cell for row in table for cell in row), closing]
    assert read.text == "\n\n".join(expected) + "\n"
    assert (read.info.format, read.info.encoding) == ("docx", None)


def test_docx_pair_is_checked_and_its_reading_reported(runner: CliRunner, docx_pair: tuple[Path, Path]) -> None:
    result = invoke(runner, "check", *docx_pair, "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["inputs"] == {"en": {"format": "docx", "encoding": None}, "ar": {"format": "docx", "encoding": None}}
    assert "|input:en=docx,ar=docx|" in report["signature"]
    assert report["en"][:3] == [*EN_PARAGRAPHS, f"[1] {EN_FOOTNOTE}"]
    assert AR_FOOTNOTE in " ".join(report["ar"])
    one_to_one = [b for b in report["beads"] if b["en"] == [0] and b["ar"] == [0]]
    assert one_to_one, "the first paragraphs should align"


def test_docx_named_txt_is_read_as_word_and_forced_text_is_refused(docx_pair: tuple[Path, Path],
                                                                   tmp_path: Path) -> None:
    renamed = tmp_path / "renamed.en.txt"
    renamed.write_bytes(docx_pair[0].read_bytes())
    assert read_document(renamed).info.format == "docx"
    with pytest.raises(InputError, match="not a text file"):
        read_document(renamed, "text")


# --- HTML -----------------------------------------------------------------------------------------

HTML_PAGE = """<!DOCTYPE html>
<html><head><title>Page title</title><style>p { color: red }</style>
<script>var hidden = "script text";</script></head>
<body>
<header>Site header</header><nav><a href="/">Home</a> | <a href="/about">About</a></nav>
<main>
<h1>Annual&nbsp;report</h1>
<p>The  council
   met &amp; agreed.<br>A second line.</p>
<div>First block</div><div>Second block</div>
<ul><li>one</li><li>two</li></ul>
<table><tr><td>cell A</td><td>cell B</td></tr></table>
<pre><code>if x &lt; 3:
    print(x)</code></pre>
<template><p>template text</p></template><noscript>Enable JavaScript</noscript>
<p hidden>hidden paragraph</p><span style="display: none">invisible</span>
<!-- a comment -->
</main>
<aside>Related links</aside><footer>Copyright</footer>
</body></html>
"""
HTML_TEXT = ("Annual\xa0report\n\nThe council met & agreed.\nA second line.\n\nFirst block\n\nSecond block\n\n"
             "one\n\ntwo\n\ncell A\n\ncell B\n\nif x < 3:\n    print(x)\n")


def test_html_keeps_visible_text_and_paragraphs() -> None:
    assert html_to_text(HTML_PAGE) == HTML_TEXT


def test_hostile_html_pair_is_checked_as_text_and_as_html(runner: CliRunner, tmp_path: Path) -> None:
    """The maintainers' pair: an Arabic sentence around an <img onerror> tag, as text and as HTML."""
    en = "Hello <img src=x onerror=alert(document.cookie)> world.\n"
    ar = "مرحبا <img src=x onerror=alert(document.cookie)> بالعالم.\n"
    for ext, en_text, ar_text in (("txt", en, ar), ("html", "Hello world.\n", "مرحبا بالعالم.\n")):
        (tmp_path / f"h.en.{ext}").write_text(en, encoding="utf-8")
        (tmp_path / f"h.ar.{ext}").write_text(ar, encoding="utf-8")
        result = invoke(runner, "check", tmp_path / f"h.en.{ext}", tmp_path / f"h.ar.{ext}", "--format", "json")
        assert result.exit_code == 0, result.output
        report = json.loads(result.stdout)
        assert (report["en"], report["ar"]) == ([en_text.strip()], [ar_text.strip()])
        assert report["inputs"]["ar"]["format"] == ("text" if ext == "txt" else "html")


def test_input_format_overrides_the_extension(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "p.en.txt").write_text("<p>The <b>council</b> met.</p><p>It agreed.</p>", encoding="utf-8")
    (tmp_path / "p.ar.txt").write_text("<p>اجتمع <b>المجلس</b>.</p><p>ووافق.</p>", encoding="utf-8")
    args = ["check", tmp_path / "p.en.txt", tmp_path / "p.ar.txt", "--format", "json"]
    as_text = json.loads(invoke(runner, *args).stdout)
    as_html = json.loads(invoke(runner, *args, "--input-format", "html").stdout)
    assert "<b>" in as_text["en"][0]
    assert as_html["en"] == ["The council met.", "It agreed."]
    assert as_html["inputs"]["en"] == {"format": "html", "encoding": "utf-8"}


# --- Markdown -------------------------------------------------------------------------------------

MARKDOWN = """# Install **muqabala**

Run the [installer](https://example.org) and
*wait* for it.

```sh
pip install muqabala
align check a.en.txt a.ar.txt
```

- first item
- second `item`
"""


def test_markdown_markup_is_stripped_and_code_kept() -> None:
    # A hard-wrapped line is one paragraph, as a browser shows it, so no sentence is cut at the wrap.
    assert markdown_to_text(MARKDOWN) == ("Install muqabala\n\nRun the installer and wait for it.\n\n"
                                          "pip install muqabala\nalign check a.en.txt a.ar.txt\n\n"
                                          "first item\n\nsecond item\n")


# --- pairs in a folder ----------------------------------------------------------------------------

def test_find_pairs_pairs_any_supported_formats(tmp_path: Path) -> None:
    for name in ("a.en.docx", "a.ar.docx", "b.en.html", "b.ar.txt", "c.en.md", "c.ar.markdown", "d.en.htm",
                 "notes.txt", "e.ar.pdf"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    found = find_pairs(tmp_path)
    assert [(p.name, p.en.name, p.ar.name) for p in found.pairs] == [
        ("a", "a.en.docx", "a.ar.docx"), ("b", "b.en.html", "b.ar.txt"), ("c", "c.en.md", "c.ar.markdown")]
    assert found.problems == ("d.en.htm: no ar partner (d.ar.htm), skipped",
                              "e.ar.pdf: no en partner (e.en.pdf), skipped")


def test_batch_checks_a_docx_pair(runner: CliRunner, docx_pair: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke(runner, "batch", docx_pair[0].parent, "-o", out)
    assert result.exit_code == 0, result.output
    assert json.loads((out / "x.json").read_text(encoding="utf-8"))["inputs"]["ar"]["format"] == "docx"


def test_batch_takes_input_format_and_encoding(runner: CliRunner, tmp_path: Path) -> None:
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    (folder / "p.en.txt").write_text("<p>The <b>council</b> met.</p><p>It agreed.</p>", encoding="utf-8")
    (folder / "p.ar.txt").write_bytes("<p>اجتمع <b>المجلس</b>.</p><p>ووافق.</p>".encode("cp1256"))
    result = invoke(runner, "batch", folder, "-o", out, "--input-format", "html", "--encoding", "cp1256")
    assert result.exit_code == 0, result.output
    report = json.loads((out / "p.json").read_text(encoding="utf-8"))
    assert (report["en"], report["ar"]) == (["The council met.", "It agreed."], ["اجتمع المجلس.", "ووافق."])
    assert report["inputs"]["ar"] == {"format": "html", "encoding": "cp1256"}


# --- refused formats ------------------------------------------------------------------------------

def _zip(names: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in names.items():
            archive.writestr(name, data)
    return buffer.getvalue()


REFUSED = [
    ("report.en.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF", "export"),
    ("report.en.txt", b"%PDF-1.4\n1 0 obj << >>\n", "PDF", ".docx"),  # by its bytes, whatever its name
    ("report.en.pdf", b"The council met.\n", "PDF", ".docx"),  # by its name, whatever its bytes
    ("archive.en.docx", _zip({"data.csv": b"a,b"}), "ZIP archive", ".docx"),
    ("sheet.en.txt", _zip({"xl/workbook.xml": b"<x/>"}), "ZIP archive", ".docx"),
    ("scan.en.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "image", "text"),
    ("scan.en.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "image", "text"),
    ("old.en.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, ".doc", "save it as .docx"),
    ("plain.en.docx", b"The council met.\n", "not a Word .docx", "--input-format text"),
    ("broken.en.docx", _zip({"word/document.xml": b"<w:document><unclosed"}), "not a readable Word", "save it"),
]


def test_a_text_file_named_pdf_is_read_when_its_format_is_forced(tmp_path: Path) -> None:
    (tmp_path / "x.en.pdf").write_text("The council met.\n", encoding="utf-8")
    assert read_document(tmp_path / "x.en.pdf", "text").text == "The council met.\n"
    (tmp_path / "y.en.txt").write_bytes(b"%PDF-1.4\n")
    with pytest.raises(InputError, match="PDF"):
        read_document(tmp_path / "y.en.txt", "text")  # the bytes still decide


@pytest.mark.parametrize(("name", "data", "what", "instead"), REFUSED)
def test_unreadable_formats_are_refused_in_one_line(runner: CliRunner, tmp_path: Path, name: str, data: bytes,
                                                    what: str, instead: str) -> None:
    (tmp_path / name).write_bytes(data)
    (tmp_path / "ok.ar.txt").write_text("اجتمع المجلس.\n", encoding="utf-8")
    result = invoke(runner, "check", tmp_path / name, tmp_path / "ok.ar.txt")
    assert result.exit_code == 2
    message = result.stderr.strip()
    assert "\n" not in message and message.startswith(f"Error: {tmp_path / name}: ")
    assert what in message and instead in message


# --- encodings ------------------------------------------------------------------------------------

ARABIC_CP1256 = "قال الرئيس إن الاقتصاد ينمو بسرعة كبيرة هذا العام.\nوأضاف أن البطالة انخفضت إلى أدنى مستوى.\n"
ENGLISH_PLAIN = "The president said the economy is growing very fast this year.\nHe added that unemployment fell.\n"


@pytest.fixture
def cp1256_pair(tmp_path: Path) -> tuple[Path, Path]:
    en, ar = tmp_path / "c.en.txt", tmp_path / "c.ar.txt"
    en.write_text(ENGLISH_PLAIN, encoding="ascii")
    ar.write_bytes(ARABIC_CP1256.encode("cp1256"))
    return en, ar


def test_cp1256_is_detected_and_reported(runner: CliRunner, cp1256_pair: tuple[Path, Path]) -> None:
    result = invoke(runner, "check", *cp1256_pair, "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["inputs"]["en"] == {"format": "text", "encoding": "utf-8"}
    assert report["inputs"]["ar"] == {"format": "text", "encoding": "cp1256"}
    assert "|input:en=text/utf-8,ar=text/cp1256|" in report["signature"]
    assert report["ar"][0] == ARABIC_CP1256.splitlines()[0]


def test_encoding_option_overrides_detection(runner: CliRunner, cp1256_pair: tuple[Path, Path]) -> None:
    result = invoke(runner, "check", *cp1256_pair, "--encoding", "cp1256")
    assert result.exit_code == 0, result.output
    assert "|input:en=text/cp1256,ar=text/cp1256|" in result.stdout  # the table's signature line
    assert "قال الرئيس إن الاقتصاد" in result.stdout


@pytest.mark.parametrize(("encoding", "words"), [
    ("no-such-codec", "unknown encoding 'no-such-codec'"),
    ("rot13", "unknown encoding 'rot13'"),  # a codec, but not a text encoding
    ("utf-8", "c.ar.txt: not valid utf-8 at byte 0"),  # cp1256 bytes do not decode as UTF-8
    ("ascii", "c.ar.txt: not valid ascii at byte 0"),
])
def test_encoding_that_does_not_fit_is_one_line_exit_2(runner: CliRunner, cp1256_pair: tuple[Path, Path],
                                                       encoding: str, words: str) -> None:
    result = invoke(runner, "check", *cp1256_pair, "--encoding", encoding)
    assert result.exit_code == 2
    assert words in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


# --- which file is which language -----------------------------------------------------------------

def test_arabic_document_full_of_latin_script_is_accepted(runner: CliRunner, tmp_path: Path) -> None:
    """An Arabic article about HTML: most letters are Latin (tags, URLs), its sentences are Arabic."""
    ar = ("استخدم الوسم <img src=\"https://example.org/images/logo.png\" onerror=\"handleError(event)\"> "
          "لعرض الصورة.\nراجع https://developer.mozilla.org/en-US/docs/Web/HTML/Element/img للتفاصيل.\n")
    en = ("Use the tag <img src=\"https://example.org/images/logo.png\" onerror=\"handleError(event)\"> "
          "to show the image.\nSee https://developer.mozilla.org/en-US/docs/Web/HTML/Element/img for details.\n")
    (tmp_path / "t.en.txt").write_text(en, encoding="utf-8")
    (tmp_path / "t.ar.txt").write_text(ar, encoding="utf-8")
    result = invoke(runner, "check", tmp_path / "t.en.txt", tmp_path / "t.ar.txt")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(("en_text", "ar_text", "words"), [
    (ARABIC_CP1256, ENGLISH_PLAIN, "are the two files swapped?"),
    (ARABIC_CP1256, ARABIC_CP1256.replace("قال", "ذكر"), "expected English text but it is in Arabic, and so is"),
    (ENGLISH_PLAIN, ENGLISH_PLAIN.upper(), "expected Arabic text but it is in English, and so is"),
])
def test_wrong_languages_are_refused_from_both_files(runner: CliRunner, tmp_path: Path, en_text: str,
                                                     ar_text: str, words: str) -> None:
    (tmp_path / "s.en.txt").write_text(en_text, encoding="utf-8")
    (tmp_path / "s.ar.txt").write_text(ar_text, encoding="utf-8")
    result = invoke(runner, "check", tmp_path / "s.en.txt", tmp_path / "s.ar.txt")
    assert result.exit_code == 2
    assert words in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


# --- hostile structure ----------------------------------------------------------------------------

def test_html_nested_fifty_thousand_deep_is_read() -> None:
    assert html_to_text("<div>" * 50_000 + "deep <b>text</b>" + "</div>" * 50_000) == "deep text\n"


def test_markdown_nested_deeper_than_the_parser_reads_is_refused_not_dropped(runner: CliRunner,
                                                                              tmp_path: Path) -> None:
    assert markdown_to_text("one\n\n" + ">" * 30 + " quoted\n\ntwo") == "one\n\nquoted\n\ntwo\n"
    (tmp_path / "q.en.md").write_text("one\n\n" + ">" * 500 + " quoted\n", encoding="utf-8")
    (tmp_path / "q.ar.txt").write_text("واحد.\n", encoding="utf-8")
    result = invoke(runner, "check", tmp_path / "q.en.md", tmp_path / "q.ar.txt")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {tmp_path / 'q.en.md'}: Markdown quotes or lists nested 500 deep")


def test_docx_that_unpacks_too_large_is_refused(docx_pair: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    import align.formats

    monkeypatch.setattr(align.formats, "MAX_UNPACKED_BYTES", 1000)
    with pytest.raises(InputError, match="unpacks to"):
        read_document(docx_pair[0])
