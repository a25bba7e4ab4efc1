"""The text of a word processor's document: a page pasted into Word, LibreOffice or Google Docs
and saved as `.docx` (Office Open XML) or `.odt` (OpenDocument). Both are zip files of XML.

Each paragraph becomes a line and a blank line follows it, as pandoc's plain text writes a
document, unless the paragraphs are the lines of a pasted text (_paragraphs); a line break inside
a paragraph stays a line break, a tab a tab. A link to a web
address keeps its address after its text, `Title <https://huggingface.co/papers/ID>`, as a
browser's "Save as Text" writes links (transforms/capture_formats.py reads them so). Other zip
files (a workbook, a presentation, an e-book, an archive of files) are named, not read.
"""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_MAX_XML = 256 * 1024 * 1024   # a document's XML larger than this (unpacked) is not read

_SAVE_AS_TEXT = ("save it as plain text or .docx, or save the page as text, Markdown or HTML "
                 "instead (docs/capture-formats.md)")


class NotADocument(Exception):
    """A zip file that is no word processor's document: what it is, for people."""


def document_text(data: bytes) -> tuple[str, str]:
    """(the document's text, what it was: 'a Word document (.docx)' or 'an OpenDocument text
    (.odt)'). Raises NotADocument, naming the file, for any other zip file."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise NotADocument("a damaged zip file: not a text capture or JSON") from None
    if "word/document.xml" in names:
        return _docx_text(archive), "a Word document (.docx)"
    if "content.xml" in names and _mimetype(archive, names) == "application/vnd.oasis.opendocument.text":
        return _odt_text(archive), "an OpenDocument text (.odt)"
    raise NotADocument(_what_zip(archive, names))


def _what_zip(archive: zipfile.ZipFile, names: set[str]) -> str:
    kind = ("an Excel workbook" if "xl/workbook.xml" in names else
            "a PowerPoint presentation" if "ppt/presentation.xml" in names else
            "an EPUB e-book" if _mimetype(archive, names) == "application/epub+zip" else
            "an OpenDocument file" if "content.xml" in names else None)
    if kind is None:
        return "a zip archive: not a text capture or JSON; decompress it and ingest what it holds"
    return not_read(kind)


def not_read(kind: str) -> str:
    """Why a document of another kind (a workbook, an RTF document, ...) is not read, and what to do."""
    return f"{kind}: papertrends reads text, .docx and .odt documents; {_SAVE_AS_TEXT}"


def _mimetype(archive: zipfile.ZipFile, names: set[str]) -> str | None:
    return _read(archive, "mimetype").decode("ascii", "replace").strip() if "mimetype" in names else None


def _read(archive: zipfile.ZipFile, name: str) -> bytes:
    if archive.getinfo(name).file_size > _MAX_XML:
        raise NotADocument(f"a document whose {name} unpacks to over {_MAX_XML >> 20} MB: not read")
    try:
        return archive.read(name)
    except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError) as exc:   # damaged, or encrypted
        raise NotADocument(f"a document whose {name} cannot be unpacked ({exc}); {_SAVE_AS_TEXT}") from None


def _xml(archive: zipfile.ZipFile, name: str) -> ElementTree.Element:
    try:
        return ElementTree.fromstring(_read(archive, name))
    except ElementTree.ParseError as exc:
        raise NotADocument(f"a document whose {name} is not well-formed XML ({exc}); {_SAVE_AS_TEXT}") from None


def _paragraphs(lines: list[str]) -> str:
    """The paragraphs as text. A document whose paragraphs are lines of a text pasted into it
    has empty paragraphs where the text had blank lines (a tenth of them or more): its lines
    are joined as they were; otherwise a blank line follows each paragraph."""
    empty = sum(not line.strip() for line in lines)
    return "".join(line + ("\n" if empty * 10 >= len(lines) else "\n\n") for line in lines)


def _docx_text(archive: zipfile.ZipFile) -> str:
    links = {}
    if "word/_rels/document.xml.rels" in archive.namelist():
        relationships = _xml(archive, "word/_rels/document.xml.rels").iter(_RELATIONSHIPS)
        links = {rel.get("Id"): _absolute(rel.get("Target", "")) for rel in relationships
                 if rel.get("TargetMode") == "External"}
    lines = []
    for paragraph in _xml(archive, "word/document.xml").iter(_W + "p"):
        parts: list[str] = []
        _docx_runs(paragraph, links, parts)
        lines.append("".join(parts))
    return _paragraphs(lines)


def _docx_runs(element: ElementTree.Element, links: dict[str, str], parts: list[str]) -> None:
    for child in element:
        tag = child.tag
        if tag == _W + "t":
            parts.append(child.text or "")
        elif tag == _W + "tab":
            parts.append("\t")
        elif tag in (_W + "br", _W + "cr"):
            parts.append("\n")
        elif tag == _W + "p":   # (a paragraph inside this one, as in a text box: its own line)
            continue
        else:
            _docx_runs(child, links, parts)
            if tag == _W + "hyperlink" and (url := links.get(child.get(_R + "id"), "")).startswith(("http://", "https://")):
                parts.append(f" <{url}>")


def _absolute(url: str) -> str:
    """A link's address; one relative to the site's root (`/papers/ID`, as a converter of the
    saved page keeps it; `..//papers/ID` in an .odt, which writes links relative to the
    document's folder) on huggingface.co, the site the page is from."""
    while url.startswith("../"):
        url = url[3:]
    return "https://huggingface.co" + url if url.startswith("/") and not url.startswith("//") else url


def _odt_text(archive: zipfile.ZipFile) -> str:
    lines = []
    for element in _xml(archive, "content.xml").iter():
        if element.tag in (_TEXT + "p", _TEXT + "h"):
            parts: list[str] = []
            _odt_spans(element, parts)
            lines.append("".join(parts))
    return _paragraphs(lines)


def _odt_spans(element: ElementTree.Element, parts: list[str]) -> None:
    parts.append(element.text or "")
    for child in element:
        tag = child.tag
        if tag == _TEXT + "s":   # c spaces
            count = child.get(_TEXT + "c", "1")
            parts.append(" " * (min(int(count), 1000) if count.isdigit() else 1))
        elif tag == _TEXT + "tab":
            parts.append("\t")
        elif tag == _TEXT + "line-break":
            parts.append("\n")
        elif tag not in (_TEXT + "p", _TEXT + "h", _OFFICE + "annotation"):   # (nested: their own lines)
            _odt_spans(child, parts)
            if tag == _TEXT + "a" and (url := _absolute(child.get(_XLINK_HREF, ""))).startswith(("http://", "https://")):
                parts.append(f" <{url}>")
        parts.append(child.tail or "")
