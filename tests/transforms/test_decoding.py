"""decode_snapshot finds NUL characters whatever the encoding: a few are removed (and noted), a
file of mostly NULs is refused as binary, and a file without any is not flagged (UTF-16 text has
NUL bytes in every ASCII character, which are no NUL characters)."""

from __future__ import annotations

import bz2
import codecs
import gzip
import io
import tarfile
import zipfile

import pytest

from transforms.decoding import decode_snapshot
from transforms.errors import SnapshotError

TEXT = "Dec 10\n\nCafé: a benchmark for naïve agents\n\n  • 3 authors\n·\nNov 2, 2023\n"
ENCODINGS = {
    "utf-8": lambda text: text.encode("utf-8"),
    "utf-8 with BOM": lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
    "utf-16-le with BOM": lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
    "utf-16-be with BOM": lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
    "utf-32-le with BOM": lambda text: codecs.BOM_UTF32_LE + text.encode("utf-32-le"),
    "utf-32-be with BOM": lambda text: codecs.BOM_UTF32_BE + text.encode("utf-32-be"),
    "cp1252": lambda text: text.encode("cp1252"),
}


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_text_without_nul_is_not_flagged(encoding):
    text, problems = decode_snapshot(ENCODINGS[encoding](TEXT))
    assert text == TEXT
    assert not any("NUL" in problem for problem in problems)


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_a_few_nul_characters_are_removed_and_noted(encoding):
    text, problems = decode_snapshot(ENCODINGS[encoding](TEXT.replace("Café", "Ca\x00fé\x00")))
    assert text == TEXT
    assert "NUL bytes removed" in problems


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_mostly_nul_is_refused_as_binary(encoding):
    with pytest.raises(SnapshotError, match="NUL"):
        decode_snapshot(ENCODINGS[encoding](TEXT[:20] + "\x00" * 200))


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_read_and_noted(codec):
    text, problems = decode_snapshot(TEXT.encode(codec))
    assert text == TEXT
    assert problems == [f"UTF-16 without a byte-order mark: decoded as {codec.upper()}"]


@pytest.mark.parametrize("codec", ["utf-32-le", "utf-32-be"])
def test_utf32_without_a_byte_order_mark_is_read_and_noted(codec):
    text, problems = decode_snapshot(TEXT.encode(codec))
    assert text == TEXT
    assert problems == [f"UTF-32 without a byte-order mark: decoded as {codec.upper()}"]


def _tar_of(files: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as archive:
        for name, text in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(text.encode())
            archive.addfile(info, io.BytesIO(text.encode()))
    return out.getvalue()


def _zip_of(files: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return out.getvalue()


@pytest.mark.parametrize("data, kind", [
    (gzip.compress(b'[{"paper": {}}]', mtime=0), "gzip-compressed"),
    (_zip_of({"2025-11-10.json": '[{"paper": {}}]'}), "a zip archive"),
    (bz2.compress(b'[{"paper": {}}]'), "bzip2-compressed"),
    (_tar_of({"2025-11-10.json": '[{"paper": {}}]'}), "a tar archive"),
    (b"7z\xbc\xaf\x27\x1c\x00\x04" + bytes(30), "a 7-Zip archive"),
], ids=["gzip", "zip", "bzip2", "tar", "7z"])
def test_a_compressed_file_is_named_and_asked_to_be_decompressed(data, kind):
    with pytest.raises(SnapshotError, match=f"^{kind}: not a text capture or JSON; decompress it"):
        decode_snapshot(data)


@pytest.mark.parametrize("data, start, advice", [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "a PDF", "pdftotext -raw"),
    (b"\x89PNG\r\n\x1a\n" + bytes(30), "a PNG image", "save the page as text, Markdown or HTML"),
    (b"\xff\xd8\xff\xe0" + bytes(30), "a JPEG image", "save the page as text, Markdown or HTML"),
    (b"GIF89a" + bytes(30), "a GIF image", "save the page as text, Markdown or HTML"),
    (b"RIFF\x24\x00\x00\x00WEBPVP8 " + bytes(30), "a WebP image", "save the page as text, Markdown or HTML"),
], ids=["pdf", "png", "jpeg", "gif", "webp"])
def test_a_printed_page_or_a_screenshot_is_named_with_what_to_save_instead(data, start, advice):
    # (a PDF's header is text: it was read as a capture without a listing, with no word of PDF)
    with pytest.raises(SnapshotError, match=f"^{start}") as refused:
        decode_snapshot(data)
    assert advice in str(refused.value)


@pytest.mark.parametrize(
    "data", [b"", b" \n\t", b"\xef\xbb\xbf", b"\xef\xbb\xbf \r\n", b"\xff\xfe", b"\xff\xfe \x00\n\x00",
             codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF32_BE + "\n".encode("utf-32-be")],
    ids=["nothing", "white space", "utf-8 mark", "utf-8 mark and a line", "utf-16 mark", "utf-16 mark and a line",
         "utf-32-le mark", "utf-32-be mark", "utf-32-be mark and a line"])
def test_a_file_of_only_a_byte_order_mark_and_white_space_is_empty(data):
    with pytest.raises(SnapshotError, match="^the file is empty; nothing to ingest$"):
        decode_snapshot(data)


@pytest.mark.parametrize("stray", [b"\xe9", b"\x93"], ids=["latin-1-e-acute", "word-quote"])
def test_one_stray_byte_in_utf8_text_keeps_every_other_character(stray):
    """A UTF-8 capture with one byte from another encoding pasted in: that byte reads as
    Windows-1252 and the rest stays UTF-8, so the cards' "·" survive (decoding the whole file
    as cp1252 turned each into "Â·" and lost the listing)."""
    data = "3 authors·Nov 5 2\nÜber Widgets — a café ".encode() + stray + b"\n"
    text, problems = decode_snapshot(data)
    assert text == "3 authors·Nov 5 2\nÜber Widgets — a café " + stray.decode("cp1252") + "\n"
    assert problems == ["not all UTF-8: the bytes that are not were read as Windows-1252 (cp1252); "
                        "check accented names"]


def test_a_whole_windows_1252_file_reads_as_before():
    text = "Café “quotes” · Nov 5 — 3 authors\n"
    assert decode_snapshot(text.encode("cp1252"))[0] == text


@pytest.mark.parametrize("space", ["\u00a0", "\u202f", "\u2009"])
def test_text_whose_spaces_are_no_break_or_thin_spaces_is_text(space):
    """Python does not call these spaces printable; a copy out of a rich-text editor may write
    every space so, and it is text all the same."""
    spaced = TEXT.replace(" ", space)
    assert decode_snapshot(spaced.encode("utf-8")) == (spaced, [])


def test_control_characters_are_still_binary():
    with pytest.raises(SnapshotError, match="binary content"):
        decode_snapshot(("\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0e" * 40 + TEXT).encode("utf-8"))
