"""Ingest step 1, fetch: the listing days the data dir lacks, from the Daily Papers API into
landing/ (the daily schedule asks for it).

Not partitioned: what it fetches is the catch-up range (the last 30 days, or since the newest
day fetched), whatever months the run covers, and a run records one materialization of it.
Partitioned by month, a ten-year backfill recorded 120, each saying that nothing was fetched
(BENCHMARKS.md: 0.9 s more before its first step; ~3 s more in runs of old and new code in turn)."""

import os
from datetime import UTC, date, datetime

import dagster as dg

from orchestration.defs.ingest.run_plan import GROUP, OWNERS
from orchestration.defs.resources import DataDirResource
from orchestration.storage.resource_errors import failing_in_words


class ListingFetch(dg.Config):
    """What a run asks of api_listing. The daily schedule sets both; a run launched by hand
    fetches only with fetch=true (or PAPERTRENDS_FETCH=1)."""

    fetch: bool = False   # fetch the listing days the data dir lacks (fetch-log.tsv)
    today: str = ""       # YYYY-MM-DD: the day the run is for (the schedule's tick); "" = today, UTC


@dg.asset(
    group_name=GROUP, owners=OWNERS,
    kinds={"python", "api"},
    description=("The listing days the data dir lacks, fetched from the Daily Papers API into "
                 "landing/ (the daily schedule asks for it; by hand: run config fetch: true): "
                 "the days up to today that fetch-log.tsv does not hold, of the last 30 days or "
                 "since the newest day fetched. An unreachable API or a failing day is "
                 "a warning, not a failure: the run ingests what is there and the next run asks "
                 "again."),
)
@failing_in_words("fetch the missing listing days")
def api_listing(context: dg.AssetExecutionContext, data_dir: DataDirResource,
                config: ListingFetch) -> dg.MaterializeResult:
    if not (config.fetch or os.environ.get("PAPERTRENDS_FETCH") == "1"):
        return dg.MaterializeResult(metadata={"fetched": "no (not asked: run config fetch is false)"})
    from orchestration.fetch.days import FetchStopped
    from orchestration.fetch.scheduled import fetch_for_run

    today = date.fromisoformat(config.today) if config.today else datetime.now(UTC).date()
    try:
        result = fetch_for_run(data_dir.for_writing(context), today)
    except FetchStopped as stop:   # e.g. landing/ cannot be written: the next run tries again
        raise dg.Failure(f"fetch the missing listing days: {stop}") from None
    for line in result.problems():
        context.log.warning(line)
    return dg.MaterializeResult(metadata=result.metadata())
