"""Bytes of a snapshot file -> text, whatever encoding the capture arrived in."""

from __future__ import annotations

import codecs
import re

from transforms.errors import SnapshotError
from transforms.link_files import refuse_link_to, webloc_url
from transforms.office_documents import NotADocument, document_text, not_read
from transforms.webarchive import MAGIC as WEBARCHIVE
from transforms.webarchive import webarchive_html

_ARCHIVES = ((b"\x1f\x8b", "gzip-compressed"), (b"\xfd7zXZ\x00", "xz-compressed"),
             (b"\x28\xb5\x2f\xfd", "zstd-compressed"), (b"\x04\x22\x4d\x18", "lz4-compressed"),
             (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"), (b"Rar!\x1a\x07", "a RAR archive"))
_BZIP2_RE = re.compile(rb"BZh[1-9]1AY&SY")   # bzip2's stream header and first block's magic
_NOT_TEXT_HINT = ("if it is an archive or compressed, decompress it and ingest what it holds; "
                  "otherwise save the page as text, Markdown or HTML (docs/capture-formats.md)")
# Files a person may save the page as that hold no text to read, and what to save instead
_SAVE_AS_TEXT = "save the page as text, Markdown or HTML instead (docs/capture-formats.md)"
_PDF = ("a PDF (a printed page): papertrends reads text, not PDF; convert it with "
        "`pdftotext -raw FILE FILE.txt` (poppler-utils) and ingest the text, or " + _SAVE_AS_TEXT)
_IMAGES = ((b"\x89PNG\r\n\x1a\n", "a PNG image (a screenshot?)"), (b"\xff\xd8\xff", "a JPEG image (a screenshot?)"),
           (b"GIF8", "a GIF image"))
_DOCUMENTS = ((b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Word or Excel file (.doc, .xls)"),
              (b"{\\rtf", "an RTF document"))


def _not_text(data: bytes) -> str | None:
    """Why a file is a document or an image rather than text (its first bytes), else None."""
    if data.startswith(b"%PDF-"):
        return _PDF
    if (kind := next((kind for magic, kind in _DOCUMENTS if data.startswith(magic)), None)) is not None:
        return not_read(kind)
    kind = next((kind for magic, kind in _IMAGES if data.startswith(magic)),
                "a WebP image" if data[:4] == b"RIFF" and data[8:12] == b"WEBP" else None)
    return f"{kind}: papertrends reads text, not images; {_SAVE_AS_TEXT}" if kind else None


def _cp1252_bytes(error: UnicodeDecodeError) -> tuple[str, int]:
    """A decoding error handler: the bytes UTF-8 cannot read, read as Windows-1252. The rest
    of the text stays UTF-8, so a UTF-8 capture with one Latin-1 "é" or a pasted Word quote
    keeps its "·" and every other character."""
    return error.object[error.start:error.end].decode("cp1252", errors="replace"), error.end


_AS_CP1252 = "papertrends-cp1252"
codecs.register_error(_AS_CP1252, _cp1252_bytes)


def _only_marks(data: bytes) -> bool:
    """A byte-order mark and nothing else but white space (a new file some editors save)."""
    for mark in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE):
        if data.startswith(mark):
            rest = data[len(mark):]
            return not rest or rest.isspace() or (mark != codecs.BOM_UTF8 and not rest.strip(b"\x00 \t\r\n"))
    return False


def decode_snapshot(data: bytes) -> tuple[str, list[str]]:
    """Return (text, problems). UTF-8 (BOM or not), UTF-16 with BOM; bytes that are not UTF-8
    read as cp1252, flagged; the text of a Word or OpenDocument text document
    (transforms/office_documents.py); the page a Safari web archive holds (transforms/webarchive.py).

    Raises SnapshotError for content that is not text at all (empty, binary, compressed, a PDF,
    an image, another kind of document), naming what it is and what to do.
    """
    if not data or data.isspace() or _only_marks(data):  # (data.strip() would copy it all)
        raise SnapshotError("the file is empty; nothing to ingest")
    problems: list[str] = []
    if data.startswith(b"PK\x03\x04"):   # a zip file: a word processor's document, or not read
        try:
            text, kind = document_text(data)
        except NotADocument as exc:
            raise SnapshotError(str(exc)) from None
        return text, [f"{kind}: its text read paragraph by paragraph"]
    if data.startswith(WEBARCHIVE):   # a binary property list
        if (page := webarchive_html(data)) is not None:
            text, problems = decode_snapshot(page)   # Safari's web archive: the page it holds
            return text, ["a Safari web archive: the page it holds read as saved HTML", *problems]
        if (url := webloc_url(data)) is not None:
            refuse_link_to(url)   # a macOS link file (.webloc) in its binary form
    kind = next((kind for magic, kind in _ARCHIVES if data.startswith(magic)),
                "bzip2-compressed" if _BZIP2_RE.match(data) else
                "a tar archive" if data[257:263] in (b"ustar\x00", b"ustar ") else None)
    if kind is not None:
        raise SnapshotError(f"{kind}: not a text capture or JSON; decompress it and ingest what it holds")
    if (why := _not_text(data)) is not None:
        raise SnapshotError(why)
    utf32 = "utf-32" if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)) else _utf32_without_bom(data)
    if utf32 is not None:   # (before UTF-16: UTF-32-LE's mark starts with UTF-16-LE's)
        try:
            text = data.decode(utf32)
        except UnicodeDecodeError:
            raise SnapshotError("reads as UTF-32 but is not: not a text capture or JSON") from None
        if utf32 != "utf-32":
            problems.append("UTF-32 without a byte-order mark: decoded as " + utf32.upper())
        has_nul = "\x00" in text
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise SnapshotError("starts with a UTF-16 byte-order mark but is not UTF-16") from None
        has_nul = "\x00" in text
    elif (utf16 := _utf16_without_bom(data)) is not None:
        text, has_nul = data.decode(utf16, errors="replace"), False
        problems.append("UTF-16 without a byte-order mark: decoded as " + utf16.upper())
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:   # a cp1252 file, or one stray byte in a UTF-8 one
            text = data.decode("utf-8-sig", errors=_AS_CP1252)
            problems.append("not all UTF-8: the bytes that are not were read as Windows-1252 "
                            "(cp1252); check accented names")
        # in UTF-8 and cp1252 a NUL character is a NUL byte: searching the bytes is ~15x
        # cheaper than searching the text (2-4 bytes a character once one is not Latin-1)
        has_nul = b"\x00" in data
    if has_nul:
        if text.count("\x00") > len(text) // 10:
            raise SnapshotError("binary content (NUL bytes): not a text capture or JSON; " + _NOT_TEXT_HINT)
        text = text.replace("\x00", "")
        problems.append("NUL bytes removed")
    head = text[:4096]
    if not _without_line_breaks(head).isprintable():  # else every character counts: text
        # (a no-break or thin space, U+00A0, U+202F, U+2009, is no printable character to
        # Python but is text: a copy out of a rich-text editor may write every space so)
        printable = sum(ch.isprintable() or ch.isspace() for ch in head)
        if printable < 0.9 * len(head):
            raise SnapshotError("binary content: not a text capture or JSON; " + _NOT_TEXT_HINT)
    return text, problems


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' for text saved as UTF-16 without its byte-order mark: in
    the first 4 KB, the NUL byte of nearly every (Latin) character on one side of each pair."""
    head = data[:4096]
    if len(head) < 8 or b"\x00" not in head:
        return None
    half = len(head) // 2
    for codec, nuls, other in (("utf-16-le", head[1::2], head[0::2]), ("utf-16-be", head[0::2], head[1::2])):
        if nuls.count(0) > 0.9 * half and other.count(0) < 0.1 * half:
            return codec
    return None


def _utf32_without_bom(data: bytes) -> str | None:
    """'utf-32-le' or 'utf-32-be' for text saved as UTF-32 without its byte-order mark: every
    character of the first 4 KB has its two high bytes NUL (so does all text below U+10000)."""
    head = data[:4096]
    if len(data) % 4 or len(head) < 16 or b"\x00\x00\x00" not in head:
        return None
    for codec, high in (("utf-32-le", head[2::4] + head[3::4]), ("utf-32-be", head[0::4] + head[1::4])):
        if not high.strip(b"\x00"):
            return codec
    return None


def _without_line_breaks(text: str) -> str:
    """text without \\r, \\n and \\t, the three characters that are text but not printable."""
    return text.replace("\n", "").replace("\r", "").replace("\t", "")
