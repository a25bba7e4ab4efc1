"""Real API days (../shared/data/hf_api_daily) rendered as page captures (tests/capture_render.py)
parse back to the JSON.

Expected values come straight from the JSON (item["paper"][...] and item["numComments"]), so
a disagreement is a parser or renderer bug, not a stale golden file.
"""

import json
from datetime import date
from pathlib import Path

import pytest

try:
    from capture_render import STYLES, fold, render_capture
    from shared_data import api_day_files, history_day_files
except ImportError:  # tests/ imported as a package
    from tests.capture_render import STYLES, fold, render_capture
    from tests.shared_data import api_day_files, history_day_files

from transforms.capture_parser import parse_capture

DAYS = api_day_files()

pytestmark = pytest.mark.needs_shared_data


def expected(item: dict, style: str) -> dict:
    paper, org = item["paper"], item["paper"].get("organization")
    return {
        "title": fold(paper["title"]),
        "abstract": fold(paper["summary"]),
        "arxiv_id": paper["id"] if style.startswith("links") else None,
        "n_authors": None if org else len(paper["authors"]),
        "organization": org["name"] if org else None,
        "organization_name": org["fullname"].strip() if org else None,
        "published_on": date.fromisoformat(paper["publishedAt"][:10]),
        "upvotes": paper["upvotes"] if "upvotes" in style else None,
        "comments": item["numComments"],
        "complete": True,
        "problems": [],
    }


def test_the_api_days_are_there():
    assert len(DAYS) >= 5


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("day_file", DAYS, ids=lambda p: p.stem)
def test_round_trip(day_file: Path, style: str):
    items = json.loads(day_file.read_text(encoding="utf-8"))
    day = date.fromisoformat(day_file.stem)
    result = parse_capture(render_capture(items, day, style), day)
    assert result.header_date == day
    assert len(result.entries) == len(items)
    for position, (entry, item) in enumerate(zip(result.entries, items), 1):
        want = expected(item, style)
        assert entry["position"] == position
        assert {k: entry[k] for k in want} == want, item["paper"]["id"]


def test_all_days_in_one_capture():
    """Papers of many days on one page (like a search view): dates with and without years."""
    items = [item for day_file in DAYS for item in json.loads(day_file.read_text(encoding="utf-8"))]
    snapshot = date(2026, 1, 15)  # a later year: the November dates now show their year
    text = render_capture(items, snapshot, "links_upvotes")
    assert ", 2025" in text
    result = parse_capture(text, snapshot)
    assert [e["arxiv_id"] for e in result.entries] == [i["paper"]["id"] for i in items]
    assert [e["published_on"] for e in result.entries] == [
        date.fromisoformat(i["paper"]["publishedAt"][:10]) for i in items]


def test_zero_upvotes_render_as_dash():
    items = json.loads(DAYS[0].read_text(encoding="utf-8"))[:2]
    items[0] = {**items[0], "paper": {**items[0]["paper"], "upvotes": 0}}
    text = render_capture(items, date.fromisoformat(DAYS[0].stem), "upvotes")
    assert text.split("\n").count("-") == 1
    result = parse_capture(text, date.fromisoformat(DAYS[0].stem))
    assert result.entries[0]["upvotes"] == 0


@pytest.mark.parametrize("style", ["plain", "upvotes", "links_upvotes"])
@pytest.mark.parametrize("day_file", DAYS[:4], ids=lambda p: p.stem)
def test_who_and_date_on_one_line_read_as_their_three_lines(day_file: Path, style: str):
    """Text extractors (inscriptis) write a card's who, "·" and date on one line:
    "8 authors · Oct 30 7". Such a capture reads back to the JSON like the three-line layout."""
    import re

    items = json.loads(day_file.read_text(encoding="utf-8"))
    day = date.fromisoformat(day_file.stem)
    text = render_capture(items, day, style)
    one_line = re.sub(r"\n[ \t]*·[ \t]*\n[ \t]*", " · ", text)
    assert one_line.count("\n·\n") == 0 and one_line.count(" · ") >= len(items)
    result = parse_capture(one_line, day)
    assert len(result.entries) == len(items)
    for entry, item in zip(result.entries, items):
        want = expected(item, style)
        assert {k: entry[k] for k in want} == want, item["paper"]["id"]


@pytest.mark.parametrize("style", STYLES)
def test_history_days_round_trip(style: str):
    """Every listing day of hf_api_history/ (490 days of 2023-2025, which the capture reader was
    not written against): each paper read back exactly, none added, none lost. Among them the
    longest title of the history (206 characters, past the 200 that make a line an abstract)."""
    wrong, n_items = [], 0
    for day_file in history_day_files():
        items = json.loads(day_file.read_text(encoding="utf-8"))
        day = date.fromisoformat(day_file.stem)
        entries = parse_capture(render_capture(items, day, style), day).entries
        n_items += len(items)
        if len(entries) != len(items):
            wrong.append((day_file.stem, f"{len(entries)} entries for {len(items)} papers"))
            continue
        for entry, item in zip(entries, items):
            want = expected(item, style)
            got = {k: entry[k] for k in want}
            if got != want:
                wrong.append((day_file.stem, item["paper"]["id"],
                              sorted(k for k in want if got[k] != want[k])))
    assert n_items > 6_000
    assert wrong == []
