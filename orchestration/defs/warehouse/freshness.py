"""Freshness judged by the data: is the newest Daily Papers listing day in the warehouse recent?

Dagster's freshness policies follow the last materialization, so a daily run that found
nothing new looked fresh. This check reads `raw.snapshots` instead and counts the listing days
(Monday to Friday: the site lists nothing on Saturdays and Sundays) after the newest day a
snapshot listed papers for, up to and including today (UTC). Up to GRACE_DAYS of them pass:
today's list may not be posted when the 06:00 UTC run fetches, and one more covers a weekday
the site lists nothing (a holiday) or a fetch that failed once and is repeated the next day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import dagster as dg
import duckdb as duckdb_module
from dagster_duckdb import DuckDBResource

GRACE_DAYS = 2
NEWEST_LISTING_DAY = """
select max(listing_day) from raw.snapshots
where listing_kind = 'daily' and status <> 'failed' and n_entries > 0
"""


def listing_days_missing(newest: date, today: date) -> int:
    """Monday-to-Friday days after `newest`, up to and including `today`."""
    if newest >= today:
        return 0
    full_weeks, rest = divmod((today - newest).days, 7)
    extra = sum((newest + timedelta(days=n)).weekday() < 5 for n in range(1, rest + 1))
    return 5 * full_weeks + extra


def judge(newest: date | None, today: date) -> dg.AssetCheckResult:
    if newest is None:
        return dg.AssetCheckResult(
            passed=False, severity=dg.AssetCheckSeverity.WARN,
            description="No daily listing with papers in the warehouse yet: ingest one "
                        "(papertrends fetch --date YYYY-MM-DD).",
            metadata={"today": str(today), "allowed_listing_days_missing": GRACE_DAYS},
        )
    missing = listing_days_missing(newest, today)
    passed = missing <= GRACE_DAYS
    verdict = ("current" if passed
               else "behind: fetch the missing days (papertrends fetch --from ... --to ...)")
    return dg.AssetCheckResult(
        passed=passed, severity=dg.AssetCheckSeverity.WARN,
        description=(f"Newest listing day {newest}; {missing} listing day(s) since, to {today} "
                     f"(Saturdays and Sundays not counted, {GRACE_DAYS} allowed): {verdict}."),
        metadata={"newest_listing_day": str(newest), "today": str(today),
                  "listing_days_missing": missing, "allowed_listing_days_missing": GRACE_DAYS},
    )


@dg.asset_check(
    asset=["raw", "snapshots"], pool="duckdb",
    description=(f"WARN when more than {GRACE_DAYS} listing days (Monday to Friday; the site lists "
                 "nothing on weekends) passed, up to today (UTC), since the newest day a snapshot "
                 "in the warehouse lists papers for. Judged by the data, whenever the check runs."),
)
def listing_is_current(duckdb: DuckDBResource) -> dg.AssetCheckResult:
    with duckdb.get_connection() as con:
        try:
            newest = con.sql(NEWEST_LISTING_DAY).fetchall()[0][0]
        except duckdb_module.CatalogException:   # a warehouse no run has loaded yet
            newest = None
    return judge(newest, datetime.now(UTC).date())
