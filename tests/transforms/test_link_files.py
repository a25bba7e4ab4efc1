"""A browser's link file (.url, .desktop, .webloc) holds the page's address, not the page, and an
Evernote export (.enex) the clipper's rewrite of it: each fails, saying so and how to get the page."""

from __future__ import annotations

import plistlib
from datetime import date

import pytest

from transforms.snapshot_reader import read_snapshot

URL = "https://huggingface.co/papers/date/2025-11-10"
ADVICE = (f"a link to {URL}, not a capture of the page: open it and save the page (as text, Markdown "
          "or HTML), or fetch that day's list (papertrends fetch --date 2025-11-10)")


@pytest.mark.parametrize("name, data", [
    ("Daily Papers.url", f"[InternetShortcut]\r\nURL={URL}\r\nIconIndex=0\r\n".encode()),
    ("Daily Papers.desktop", f"[Desktop Entry]\nType=Link\nName=Daily Papers\nURL={URL}\n".encode()),
    ("Daily Papers.webloc", plistlib.dumps({"URL": URL})),
    ("Daily Papers.webloc", plistlib.dumps({"URL": URL}, fmt=plistlib.FMT_BINARY)),
], ids=["url", "desktop", "webloc-xml", "webloc-binary"])
def test_a_link_file_fails_naming_the_page_and_how_to_get_it(name, data):
    snap = read_snapshot(data, date(2025, 11, 10), name)
    assert (snap.status, snap.reason) == ("failed", ADVICE)


def test_a_link_to_another_page_names_no_day():
    snap = read_snapshot(b"[InternetShortcut]\nURL=https://huggingface.co/papers\n", date(2025, 11, 10), "hf.url")
    assert snap.reason.endswith("or fetch that day's list (papertrends fetch --date YYYY-MM-DD)")


def enex(source: str) -> bytes:
    """An Evernote export of a clipped page (made up): the clipper's ENML inside the note."""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE en-export SYSTEM '
            '"http://xml.evernote.com/pub/evernote-export4.dtd">\n<en-export application="Evernote">\n<note>'
            f"<title>Daily Papers</title><note-attributes>{source}</note-attributes><content><![CDATA["
            "<en-note><div><h1>Daily Papers</h1><div>Nov 10</div><h3>A Made-Up Paper</h3>"
            "<p>We study a made-up method.</p></div></en-note>]]></content></note></en-export>\n").encode()


def test_an_evernote_export_fails_naming_the_page_it_was_clipped_from():
    snap = read_snapshot(enex(f"<source-url>{URL}</source-url>"), date(2025, 11, 10), "Daily Papers.enex")
    assert (snap.status, snap.reason) == ("failed", ADVICE.replace("a link to", "an Evernote export of"))
    unnamed = read_snapshot(enex(""), date(2025, 11, 10), "notes.enex")
    assert unnamed.reason.startswith("an Evernote export of the page, not a capture of the page")
