"""API JSON carries the day of its list (each paper's submittedOnDailyAt): a file saved under
another snapshot date still counts its papers on that day (transforms/snapshot_reader.py)."""

from __future__ import annotations

import json
from datetime import date

from transforms.snapshot_reader import read_snapshot

LISTED = "2025-06-04"


def _api_json(n: int = 3) -> bytes:
    stamp = f"{LISTED}T13:00:00.000Z"
    return json.dumps([{
        "paper": {"id": f"2506.0000{k}", "title": f"Made-Up Widgets, Part {k}",
                  "summary": "We study made-up widgets on made-up tasks.", "authors": [{"name": "A. Author"}],
                  "publishedAt": "2025-06-02T00:00:00.000Z", "submittedOnDailyAt": stamp, "upvotes": 5 + k},
        "publishedAt": "2025-06-02T00:00:00.000Z", "title": f"Made-Up Widgets, Part {k}", "numComments": k,
    } for k in range(n)]).encode()


def test_a_day_list_saved_months_later_counts_on_its_own_day():
    snap = read_snapshot(_api_json(), date(2025, 11, 20), "2025-11-20.json")
    assert (snap.status, snap.listing_kind, snap.listing_day) == ("parsed", "daily", date(2025, 6, 4))
    assert snap.observations["listed_on"].to_list() == [date(2025, 6, 4)] * 3
    assert ("the papers are on the list of 2025-06-04, captured on the snapshot date 2025-11-20: its papers "
            "count as listed on 2025-06-04") in snap.problems


def test_a_day_list_named_on_its_own_day_has_no_note():
    snap = read_snapshot(_api_json(), date(2025, 6, 4), "2025-06-04.json")
    assert (snap.status, snap.listing_kind, snap.listing_day) == ("parsed", "daily", date(2025, 6, 4))
    assert snap.problems == []


def test_a_day_list_named_before_its_day_fails_saying_how_to_fix_it():
    snap = read_snapshot(_api_json(), date(2025, 6, 1), "2025-06-01.json")
    assert snap.status == "failed"
    assert snap.reason == (
        "its papers are on the list of 2025-06-04 (their submittedOnDailyAt), after the snapshot date 2025-06-01: "
        "rename the file to 2025-06-04.json (or YYYY-MM-DD_<anything> with the day it was saved), or pass "
        "--snapshot-date YYYY-MM-DD")
