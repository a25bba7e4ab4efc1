"""Yearly partitions over the snapshot date.

Dagster writes event-log records for every partition of every asset a run materializes: with the
default SQLite storage about 12-16 ms per partition per asset (measured: bench/README notes and
BENCHMARKS.md). The seven partitioned ingest assets over ten years of monthly partitions cost
~12 s of bookkeeping per backfill; yearly partitions cost ~1 s. The daily run re-materializes the
current year: archive and parse that year's files, and replace that year's raw rows in one
transaction. Its cost follows one year of files at most, never the whole history.
"""

from __future__ import annotations

import warnings
from datetime import date
from typing import Mapping

import dagster as dg

warnings.filterwarnings("ignore", category=dg.BetaWarning)

FIRST_DAY = "2015-01-01"

yearly = dg.TimeWindowPartitionsDefinition(
    cron_schedule="0 0 1 1 *", start=FIRST_DAY[:4], fmt="%Y", end_offset=1,
)


def partition_key(day: date) -> str:
    """The partition (a year, "2025") a snapshot date belongs to."""
    return str(day.year)


def partition_range(context: dg.AssetExecutionContext) -> tuple[date, date]:
    """[start, end) dates of the partition (or partition range) the run materializes."""
    window = context.partition_time_window
    return window.start.date(), window.end.date()


def range_start(run_tags: Mapping[str, str]) -> date | None:
    """The first day of the partitions a run targets, from its tags (None: not partitioned)."""
    key = run_tags.get("dagster/asset_partition_range_start") or run_tags.get("dagster/partition")
    return yearly.time_window_for_partition_key(key).start.date() if key else None
