"""A capture whose cards are mostly not papers is suspect (its entries are kept, none is
counted); no real rendering of a listing day is. Read by the parser alone (the pipeline's view
of suspect files: tests/defs/warehouse/test_suspect_captures.py)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.capture_render_tools import render_tool_capture
from tests.shared_data import api_day_files
from transforms.snapshot_reader import read_snapshot
from transforms.suspect_snapshots import SUSPECT_MIN_ENTRIES
from transforms.validation import split_valid

pytestmark = pytest.mark.needs_shared_data

DAYS = api_day_files()
FORMATS = ("markdown", "textbrowser", "selectall", "html", "html_cards")


def _items(k: int) -> list[dict]:
    return json.loads(DAYS[k].read_text(encoding="utf-8"))


def _day(k: int) -> date:
    return date.fromisoformat(DAYS[k].stem)


def _markdown_with_headings(n_real: int, n_other: int) -> bytes:
    items, day = _items(7)[:n_real], _day(7)
    text = render_tool_capture(items, day, "markdown")
    other = "".join(f"### Trending topic {n}\n\nSome words about it.\n\n" for n in range(n_other))
    return text.replace("\n*   [System theme]", f"\n{other}*   [System theme]").encode()


def test_a_capture_is_suspect_when_most_of_its_cards_are_not_papers():
    day = _day(7)
    mostly_papers = read_snapshot(_markdown_with_headings(4, 3), day, "x.md")
    assert mostly_papers.status == "parsed"
    assert split_valid(mostly_papers.observations)[0].height == 4
    mostly_not = read_snapshot(_markdown_with_headings(2, 3), day, "x.md")
    assert mostly_not.status == "suspect"
    assert mostly_not.reason.startswith("3 of 5 entries are not cards of a papers listing")
    few = read_snapshot(_markdown_with_headings(1, SUSPECT_MIN_ENTRIES - 1), day, "x.md")
    assert few.status == "parsed"   # too few cards to judge; each is quarantined anyway


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_real_rendering_is_suspect(fmt):
    for k, path in enumerate(DAYS):
        snap = read_snapshot(render_tool_capture(_items(k), _day(k), fmt, variant=k).encode(),
                             _day(k), f"{_day(k)}_x")
        assert snap.status == "parsed", (path.stem, snap.reason)
