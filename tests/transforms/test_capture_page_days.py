"""The day a capture shows, against the day it is given: the date picker's links are no page
address, a plain capture's own address is checked, and copies of two days' pages in one file
are refused, also when each copy starts at the picker's day. The papers here are made up."""

from __future__ import annotations

from datetime import date

import pytest

from tests.made_up_cards import DAY, EXPECTED, select_all
from tests.transforms.test_capture_converter_options import firefox_text
from transforms.capture_formats import capture_day, parse_any_capture
from transforms.errors import SnapshotError


def test_the_date_pickers_links_are_not_the_pages_address():
    # "Previous <.../papers/date/2025-11-10>" is a link on the page: the day is its header's
    assert capture_day(firefox_text(), fallback=date(2025, 11, 20)) == DAY


def test_a_plain_capture_whose_own_address_names_another_day_is_refused():
    text = "https://huggingface.co/papers/date/2025-11-10\n\n" + firefox_text()
    with pytest.raises(SnapshotError, match="the page URL in the capture names 2025-11-10"):
        parse_any_capture(text, DAY)


def test_copies_that_start_at_the_pickers_day_are_pages_too():
    # a select-all from the picker's day down: no byline, the day above the page's search box
    cards = select_all(wrap=None).split("Previous Nov 11 Next\n\n", 1)[1]
    one, other_day = (f"{day}\nSearch any paper with AI\n\n{cards}" for day in ("Nov 11", "Nov 10"))
    with pytest.raises(SnapshotError, match="holds 2 pages, of Nov 11, Nov 10"):
        parse_any_capture(one + "\n" + other_day, DAY)
    entries = parse_any_capture(one + "\n" + one, DAY).entries
    assert [e["title"] for e in entries if not e["invalid"]] == [title for _, title, *_ in EXPECTED]
