"""A capture pasted into a word processor and saved (.docx, .odt): read as the text it holds.
Other documents are named, with what to do."""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape, quoteattr

import pytest

from tests.transforms.test_capture_tool_renderings import DAY, EXPECTED, PAPERS, plain, read
from transforms.decoding import decode_snapshot
from transforms.errors import SnapshotError
from transforms.snapshot_reader import read_snapshot

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PAPER_URL = "https://huggingface.co/papers/2511.0{:04d}"


def zipped(files: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return out.getvalue()


def docx(paragraphs: list[str], links: dict[str, str] | None = None) -> bytes:
    """A .docx of one paragraph each; a paragraph that is a key of `links` is a link to its value."""
    links = links or {}
    ids = {text: f"rId{n}" for n, text in enumerate(links, 10)}

    def paragraph(text: str) -> str:
        if not text:
            return "<w:p/>"
        run = f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'
        if text in links:
            run = f'<w:hyperlink r:id="{ids[text]}">{run}</w:hyperlink>'
        return f"<w:p><w:pPr><w:pStyle w:val=\"BodyText\"/></w:pPr>{run}</w:p>"
    document = (f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>'
                + "".join(map(paragraph, paragraphs)) + "</w:body></w:document>")
    rels = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(f'<Relationship Id="{ids[text]}" Type="{R}/hyperlink" Target={quoteattr(url)}'
                      ' TargetMode="External"/>' for text, url in links.items()) + "</Relationships>")
    return zipped({"[Content_Types].xml": "<Types/>", "word/document.xml": document,
                   "word/_rels/document.xml.rels": rels})


def odt(paragraphs: list[str], links: dict[str, str] | None = None) -> bytes:
    links = links or {}

    def paragraph(text: str) -> str:
        # spaces as LibreOffice writes a run of them: one, then <text:s text:c="N"/>
        body = escape(text).replace("   ", ' <text:s text:c="2"/>')
        if text in links:
            body = f'<text:a xlink:type="simple" xlink:href={quoteattr(links[text])}>{body}</text:a>'
        return f'<text:p text:style-name="Standard">{body}</text:p>'
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
               'xmlns:xlink="http://www.w3.org/1999/xlink"><office:body><office:text>'
               + "".join(map(paragraph, paragraphs)) + "</office:text></office:body></office:document-content>")
    return zipped({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": content})


def text_of(data: bytes) -> str:
    text, problems = decode_snapshot(data)
    assert problems and "read paragraph by paragraph" in problems[0]
    return text


@pytest.mark.parametrize("make", [docx, odt])
def test_a_capture_pasted_line_by_line_into_a_document_reads_as_the_capture(make):
    capture = plain()
    assert read(text_of(make(capture.split("\n")))) == read(capture) == EXPECTED


@pytest.mark.parametrize("make", [docx, odt])
def test_a_page_converted_to_a_document_keeps_its_paper_links(make):
    """A page made into a document by a converter: a paragraph a block, no empty ones, the titles
    links to their papers (relative to the site, as a converter of the saved page keeps them)."""
    blocks = [line for line in plain().split("\n") if line.strip()]
    titles = [title for _, title, _, _ in PAPERS]
    links = {title: ("/papers/2511.0{:04d}" if make is docx else "..//papers/2511.0{:04d}").format(n)
             for n, title in enumerate(titles)}
    text = text_of(make(blocks, links))
    assert f"{titles[0]} <{PAPER_URL.format(0)}>" in text
    snap = read_snapshot(make(blocks, links), DAY, "pasted")
    assert snap.observations.select("title", "arxiv_id").rows() == [
        (title, f"2511.0{n:04d}") for n, title in enumerate(titles)]


@pytest.mark.parametrize("files, named", [
    ({"xl/workbook.xml": "<workbook/>"}, "an Excel workbook"),
    ({"ppt/presentation.xml": "<presentation/>"}, "a PowerPoint presentation"),
    ({"mimetype": "application/epub+zip", "OEBPS/a.xhtml": "<html/>"}, "an EPUB e-book"),
    ({"2025-11-10.txt": "a capture"}, "a zip archive: not a text capture or JSON; decompress it"),
    ({"word/document.xml": "<w:document"}, "a document whose word/document.xml is not well-formed XML"),
])
def test_other_zip_files_are_named_with_what_to_do(files, named):
    with pytest.raises(SnapshotError, match=named):
        decode_snapshot(zipped(files))


def test_a_damaged_zip_file_is_named():
    with pytest.raises(SnapshotError, match="a damaged zip file"):
        decode_snapshot(b"PK\x03\x04" + bytes(64))


@pytest.mark.parametrize("data, named", [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), r"an old Word or Excel file \(\.doc, \.xls\)"),
    (rb"{\rtf1\ansi\pard Daily Papers\par}", "an RTF document"),
])
def test_documents_that_are_not_read_are_named_with_what_to_do(data, named):
    with pytest.raises(SnapshotError, match=f"{named}: papertrends reads text, .docx and .odt documents; save it"):
        decode_snapshot(data)
