"""Safari's web archive (.webarchive): read as the page it holds."""

from __future__ import annotations

import plistlib
from datetime import date

import pytest

from transforms.decoding import decode_snapshot
from transforms.errors import SnapshotError
from transforms.snapshot_reader import read_snapshot

DAY = date(2025, 11, 11)


def webarchive(page: bytes, main: str = "WebMainResource") -> bytes:
    return plistlib.dumps({main: {"WebResourceData": page, "WebResourceMIMEType": "text/html",
                                  "WebResourceTextEncodingName": "UTF-8",
                                  "WebResourceURL": "https://huggingface.co/papers/date/2025-11-11"},
                           "WebSubresources": [{"WebResourceData": b"\x89PNG\r\n\x1a\n",
                                                "WebResourceMIMEType": "image/png"}]}, fmt=plistlib.FMT_BINARY)


def test_a_safari_web_archive_reads_as_the_page_it_holds():
    page = ("<!DOCTYPE html><html><head><title>Daily Papers</title></head><body><div data-target="
            "\"DailyPapers\" data-props='{\"dailyPapers\": []}'></div><p>Café · Naïve</p></body></html>")
    text, problems = decode_snapshot(webarchive(page.encode("utf-8")))
    assert text == page and problems == ["a Safari web archive: the page it holds read as saved HTML"]
    assert read_snapshot(webarchive(page.encode("utf-8")), DAY, "Daily Papers.webarchive").status == "parsed"


def test_a_property_list_that_is_no_web_archive_is_binary_content():
    with pytest.raises(SnapshotError, match="binary content"):
        decode_snapshot(webarchive(b"<html></html>", main="SomethingElse"))
