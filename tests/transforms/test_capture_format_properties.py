"""Property tests of the tool-capture readers: renderings of real days (Markdown export,
text-browser dump, select-all copy, saved HTML with and without its JSON) with lines deleted,
duplicated or hard-wrapped never give more observations than the file has papers, nor one whose
title or submitter is not a real one of the day (a file read as suspect counts none: its rows
stay in raw and no mart counts them).

Lines of the rendering are deleted or duplicated first, then long lines are hard-wrapped (as an
editor would), where tools wrap (Markdown, text-browser dumps, HTML source). A select-all
copy keeps each paragraph on one line and has no markup: it gets one deletion or duplication
(two deletions, "Submitted by" and the title, leave the submitter's name where a title stands,
which no reader can tell from a short title).
"""

from __future__ import annotations

import json
import textwrap
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.capture_render import fold
from tests.capture_render_tools import render_tool_capture
from tests.shared_data import api_day_files
from transforms.snapshot_reader import read_snapshot
from transforms.validation import split_valid

pytestmark = pytest.mark.needs_shared_data

DAYS = api_day_files()
FORMATS = ("markdown", "textbrowser", "selectall", "html", "html_cards")
WRAPPED = {"markdown", "textbrowser", "html", "html_cards"}


@st.composite
def mutated(draw, fmt: str):
    path = draw(st.sampled_from(DAYS))
    day = date.fromisoformat(path.stem)
    items = json.loads(path.read_text(encoding="utf-8"))[:draw(st.integers(1, 8))]
    lines = render_tool_capture(items, day, fmt, variant=draw(st.integers(0, 5))).split("\n")
    for _ in range(draw(st.integers(1, 1 if fmt == "selectall" else 4))):
        i = draw(st.integers(0, len(lines) - 1))
        if draw(st.booleans()) and len(lines) > 1:
            del lines[i]
        else:
            lines.insert(i, lines[i])
    for _ in range(draw(st.integers(0, 4)) if fmt in WRAPPED else 0):
        i = draw(st.integers(0, len(lines) - 1))
        if len(lines[i]) > 40:
            width = draw(st.integers(30, len(lines[i]) - 1))
            lines[i:i + 1] = textwrap.wrap(lines[i], width, break_long_words=False,
                                           break_on_hyphens=False) or [""]
    return "\n".join(lines), day, items


def check(text: str, day: date, items: list[dict]) -> None:
    snap = read_snapshot(text.encode(), day, f"{day}_capture")
    if snap.status in ("failed", "suspect"):   # suspect: its rows stay in raw, no mart counts them
        assert snap.reason
        return
    valid, _ = split_valid(snap.observations)
    titles = {fold(item["paper"]["title"]) for item in items}
    assert valid.height <= len(items)
    assert set(valid["title"].to_list()) <= titles
    assert valid["title"].n_unique() == valid.height   # never the same paper twice
    # a submitter is a real one of the day, never a title, abstract or other line taken for one
    submitters = [item.get("submittedBy") or item["paper"].get("submittedOnDailyBy") or {} for item in items]
    assert set(valid["submitted_by"].drop_nulls()) <= {by.get("name") for by in submitters}
    assert set(valid["submitted_by_name"].drop_nulls()) <= {fold(by.get("fullname") or "") for by in submitters}


@pytest.mark.parametrize("fmt", FORMATS)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_renderings_give_no_extra_paper_and_no_false_title(fmt, data):
    check(*data.draw(mutated(fmt)))
