"""The days a fetch asks for when no range is given (orchestration/fetch/days.py)."""

from __future__ import annotations

from datetime import timedelta

from orchestration.fetch.days import catch_up_range
from tests.conftest import utc_today_for


def test_catch_up_is_the_last_30_days_or_back_to_the_newest_day_fetched():
    today = utc_today_for(5)
    assert catch_up_range(today, set()) == (today - timedelta(days=29), today)
    recent = {today - timedelta(days=3)}
    assert catch_up_range(today, recent) == (today - timedelta(days=29), today)
    old = {today - timedelta(days=100)}
    assert catch_up_range(today, old) == (today - timedelta(days=99), today)
