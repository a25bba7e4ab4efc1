"""Freshness is judged by the data: the newest listing day in the warehouse against today, with
Saturdays and Sundays (the site lists nothing) not counted."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import dagster as dg
import pytest

from bench.generate import generate
from orchestration.defs.warehouse.freshness import GRACE_DAYS, judge, listing_days_missing
from orchestration.runs.runner import run_pipeline
from orchestration.storage.settings import DataDir

FRIDAY = date(2025, 11, 28)


def test_weekends_do_not_count_as_missing_listing_days():
    days = {FRIDAY + timedelta(days=n): n for n in range(12)}
    missing = [listing_days_missing(FRIDAY, day) for day in days]
    #          Fri Sat Sun Mon Tue Wed Thu Fri Sat Sun Mon Tue
    assert missing == [0, 0, 0, 1, 2, 3, 4, 5, 5, 5, 6, 7]
    assert listing_days_missing(FRIDAY, FRIDAY - timedelta(days=1)) == 0   # a clock behind


def test_a_friday_listing_is_current_until_tuesday_and_warns_from_wednesday():
    assert GRACE_DAYS == 2
    verdicts = {day: judge(FRIDAY, day) for day in (date(2025, 12, 1), date(2025, 12, 2), date(2025, 12, 3))}
    assert [v.passed for v in verdicts.values()] == [True, True, False]
    assert all(v.severity == dg.AssetCheckSeverity.WARN for v in verdicts.values())
    assert "3 listing day(s) since" in verdicts[date(2025, 12, 3)].description


def test_no_listing_at_all_warns():
    verdict = judge(None, FRIDAY)
    assert not verdict.passed and verdict.severity == dg.AssetCheckSeverity.WARN


@pytest.mark.needs_shared_data
def test_a_run_that_loads_only_old_listings_is_not_fresh_and_a_current_listing_is(tmp_path):
    """A run that succeeds now but brings nothing newer than two weeks ago warns; a listing of
    the last weekday before today (UTC) passes."""
    today = datetime.now(UTC).date()
    data = DataDir(tmp_path / "data").ensure()
    old = today - timedelta(days=14)
    generate(data.landing, 1, kind="json", end=old)
    stale = _freshness(run_pipeline(data, old, old))
    assert not stale.passed and stale.severity == dg.AssetCheckSeverity.WARN
    assert stale.metadata["newest_listing_day"].value == str(old)
    assert stale.metadata["today"].value == str(today)
    assert stale.metadata["listing_days_missing"].value >= 9

    recent = today - timedelta(days=1)
    while recent.weekday() >= 5:
        recent -= timedelta(days=1)
    generate(data.landing, 1, kind="json", end=recent)
    current = _freshness(run_pipeline(data, recent, recent))
    assert current.passed, current.description
    assert current.metadata["newest_listing_day"].value == str(recent)
    # today itself, on a weekday (none on a weekend: the site lists nothing then)
    assert current.metadata["listing_days_missing"].value == (1 if today.weekday() < 5 else 0)


def _freshness(result: dg.ExecuteInProcessResult):
    assert result.success
    [evaluation] = [e for e in result.get_asset_check_evaluations()
                    if e.check_name == "listing_is_current"]
    assert evaluation.asset_key == dg.AssetKey(["raw", "snapshots"])
    return evaluation
