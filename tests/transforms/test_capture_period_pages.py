"""The site's weekly and monthly views (huggingface.co/papers/week/..., /papers/month/...) show
the papers of many days without the day each was listed on: a capture of one is no day's list.
Its papers are kept (upvotes, comments) and count in no daily trend, with a note saying why and
what to save instead. The cards are made up (tests/made_up_cards.py)."""

from __future__ import annotations

import pytest

from tests.made_up_cards import DAY, select_all
from transforms.snapshot_reader import read_snapshot

DAILY = select_all(None)
PICKER = "Previous Nov 11 Next"


def read(text: str, name: str = "2025-11-11_page.txt"):
    return read_snapshot(text.encode(), DAY, name)


@pytest.mark.parametrize(("text", "period"), [
    (DAILY.replace(PICKER, "Previous Week 46 Next"), "week 46"),
    (DAILY.replace(PICKER, "Week 46, 2025"), "week 46"),
    (DAILY.replace(PICKER, "November 2025"), "month November 2025"),
    ("URL: https://huggingface.co/papers/week/2025-W46\n\n" + DAILY.replace(PICKER, ""), "week 2025-W46"),
    ("source: https://huggingface.co/papers/month/2025-11\n\n" + DAILY.replace(PICKER, ""), "month 2025-11"),
], ids=["week picker", "week and year", "month picker", "week address", "month address"])
def test_a_weekly_or_monthly_page_is_no_days_list(text, period):
    snap = read(text)
    assert (snap.status, snap.listing_kind, snap.listing_day) == ("parsed", "search", None)
    assert snap.observations["listed_on"].to_list() == [None] * 3
    assert snap.observations["upvotes"].to_list() == [95, 80, 53]
    assert any(p.startswith(f"a capture of the site's {period.split()[0]}ly view ({period}), not a day's list")
               for p in snap.problems), snap.problems


def saved_page(address: str, heading: str = "") -> str:
    """A saved page of three made-up cards whose canonical link is `address`."""
    cards = "".join(f'<article><h3><a href="/papers/2511.0000{n}">Made-Up Widget Paper {n}</a></h3>'
                    f"<p>{'We study made-up widgets on made-up tasks and find they help. ' * 4}</p>"
                    f'<button>{10 * n}</button><span>4 authors</span><span>· Nov {n + 4}</span></article>'
                    for n in (1, 2, 3))
    return (f'<!doctype html><html><head><link rel="canonical" href="{address}">'
            f"</head><body>{heading}{cards}</body></html>")


def test_a_saved_weekly_page_says_so_in_its_address():
    snap = read(saved_page("https://huggingface.co/papers/week/2025-W46"), "2025-11-11_page.html")
    assert (snap.status, snap.listing_kind, snap.entry_count) == ("parsed", "search", 3)
    assert any("weekly view (week 2025-W46)" in p for p in snap.problems)


def test_a_days_page_and_a_link_to_the_week_stay_a_days_list():
    """The daily page links to its week (a menu's "Weekly", in any of the forms tools write a
    link): a capture whose header shows a day is that day's list."""
    week = "https://huggingface.co/papers/week/2025-W46"
    for text in (DAILY, DAILY + f"\n[This week]({week})\n",
                 DAILY.replace("by AK and the research community", "by AK and the research community\n\nWeek"),
                 f"Weekly: {week}\n\n" + DAILY, f"Weekly\n{week}\n\n" + DAILY, f"Weekly ({week})\n\n" + DAILY):
        snap = read(text)
        assert (snap.listing_kind, snap.listing_day) == ("daily", DAY)
        assert not any("view" in p for p in snap.problems)


def test_a_saved_trending_page_says_so_in_its_address():
    # the trending view: the papers most upvoted lately, of many days, in the daily page's cards
    page = saved_page("https://huggingface.co/papers/trending", "<h1>Trending Papers</h1>")
    snap = read(page, "2025-11-11_page.html")
    assert (snap.status, snap.listing_kind, snap.listing_day, snap.entry_count) == ("parsed", "search", None, 3)
    assert any(p.startswith("a capture of the site's trending view, not a day's list") for p in snap.problems)
