"""Saved pages turned into text by the tools people use read back to the JSON: html2text (wrapped
at its 78 characters, and unwrapped), markdownify and inscriptis, run on the saved-HTML rendering
of every real November day (tests/capture_render_tools.py), with and without the page's JSON.

The readers were written from other renderings; these are the tools' own output, so a tool's
habit (html2text breaking a line after a hyphen, inscriptis writing "8 authors · Oct 30 7" on
one line) that a reader does not know shows up here as a wrong or missing paper.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import html2text
import markdownify
import pytest
from inscriptis import get_text

from tests.capture_render import fold
from tests.capture_render_tools import render_tool_capture
from tests.shared_data import api_day_files
from transforms.snapshot_reader import read_snapshot
from transforms.validation import split_valid

pytestmark = pytest.mark.needs_shared_data

DAYS = api_day_files()


def _html2text(page: str, width: int) -> str:
    converter = html2text.HTML2Text()
    converter.body_width = width
    return converter.handle(page)


CONVERTERS = {
    "html2text": lambda page: _html2text(page, 78),
    "html2text-unwrapped": lambda page: _html2text(page, 0),
    "markdownify": lambda page: markdownify.markdownify(page, heading_style="ATX"),
    "inscriptis": get_text,
}
# Abstracts are compared without backslashes: the tools copy a "\\%" of the text as it is, and
# Markdown reads "\\%" as "%". Wrapped html2text is left out of the abstract check: a line it
# broke after a hyphen cannot be told from "open- and" (read as "open-and"), and an
# organization name it wraps over two lines before "·" is read into the abstract.
EXACT_ABSTRACTS = set(CONVERTERS) - {"html2text"}
SUFFIX = {"inscriptis": "txt"}   # the others write Markdown


@pytest.mark.parametrize("saved", ["html", "html_cards"])
@pytest.mark.parametrize("tool", sorted(CONVERTERS))
@pytest.mark.parametrize("day_file", DAYS, ids=lambda p: p.stem)
def test_a_converted_page_reads_back_every_paper_exactly(day_file: Path, tool: str, saved: str):
    items = json.loads(day_file.read_text(encoding="utf-8"))
    day = date.fromisoformat(day_file.stem)
    text = CONVERTERS[tool](render_tool_capture(items, day, saved, variant=day.day))
    snap = read_snapshot(text.encode(), day, f"{day}_capture.{SUFFIX.get(tool, 'md')}")
    assert snap.status == "parsed", snap.reason
    valid, quarantined = split_valid(snap.observations)
    assert quarantined.height == 0, quarantined["reasons"].to_list()
    read = {row["title"]: row for row in valid.iter_rows(named=True)}
    assert sorted(read) == sorted(fold(item["paper"]["title"]) for item in items)
    for item in items:
        paper, row = item["paper"], read[fold(item["paper"]["title"])]
        if tool in EXACT_ABSTRACTS:
            assert row["abstract"].replace("\\", "") == fold(paper["summary"]).replace("\\", ""), paper["id"]
        assert row["published_on"] == date.fromisoformat(paper["publishedAt"][:10]), paper["id"]
        assert row["upvotes"] == paper["upvotes"], paper["id"]
        assert row["comments"] == item["numComments"], paper["id"]
