"""Monthly partitions over the snapshot date.

Dagster writes event-log records for every partition of every asset a run materializes: 7-14 ms
each with its default SQLite storage (bench: a ten-year run over 120 months of the three raw
tables logs 360 materializations, ~3.2 s; daily partitions would cost minutes). The fetch step,
api_listing, is not partitioned (orchestration/defs/ingest/api_listing.py). The daily run re-materializes the
current month: it re-parses that month's files and replaces that month's raw rows, so its cost
follows one month of files, never the whole history; with yearly partitions it re-did up to a
year (~4 s more on ten years of history, BENCHMARKS.md), which is why the month won.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from datetime import date

import dagster as dg

from orchestration.storage.settings import FIRST_DAY

warnings.filterwarnings("ignore", category=dg.BetaWarning)

monthly = dg.MonthlyPartitionsDefinition(start_date=FIRST_DAY, end_offset=1)


def partition_key(day: date) -> str:
    """The partition (a month, "2025-11-01") a snapshot date belongs to."""
    return day.replace(day=1).isoformat()


def partition_range(context: dg.AssetExecutionContext | dg.OpExecutionContext) -> tuple[date, date]:
    """[start, end) dates of the partition (or partition range) the run materializes (an asset's
    step, or an op of a graph-backed asset)."""
    window = context.partition_time_window
    return window.start.date(), window.end.date()


def range_start(run_tags: Mapping[str, str]) -> date | None:
    """The first day of the partitions a run targets, from its tags (None: not partitioned)."""
    key = run_tags.get("dagster/asset_partition_range_start") or run_tags.get("dagster/partition")
    return monthly.time_window_for_partition_key(key).start.date() if key else None
