"""Ingest assets: landing -> archive -> parsed -> validated. Each writes files under the data dir.

They only say when and where; parsing and validation live in transforms/.
"""

import os
from datetime import UTC, date, datetime, timedelta

import dagster as dg
import polars as pl

from orchestration.defs.ingest import reconcile, staging
from orchestration.defs.ingest.parse_ahead import ParsedAhead
from orchestration.defs.partitions import monthly, partition_range
from orchestration.defs.resources import DataDirResource
from orchestration.defs.warehouse.table_metadata import for_partitions, frame_schema
from orchestration.storage.landing import archive_waiting, archived_files, links_in_landing
from orchestration.storage.resource_errors import failing_in_words
from transforms.validation import split_valid

GROUP = "ingest"
OWNERS = ["team:papertrends"]
POLICY = dg.BackfillPolicy.single_run()

class ListingFetch(dg.Config):
    """What a run asks of api_listing. The daily schedule sets both; a run launched by hand
    fetches only with fetch=true (or PAPERTRENDS_FETCH=1)."""

    fetch: bool = False   # fetch the listing days the data dir lacks (fetch-log.tsv)
    today: str = ""       # YYYY-MM-DD: the day the run is for (the schedule's tick); "" = today, UTC


@dg.asset(
    partitions_def=monthly, backfill_policy=POLICY, group_name=GROUP, owners=OWNERS,
    kinds={"python", "api"},
    description=("The listing days the data dir lacks, fetched from the Daily Papers API into "
                 "landing/ (the daily schedule asks for it; by hand: run config fetch: true). "
                 "Days of the run's months up to today that fetch-log.tsv does not hold: the last "
                 "30 days, or since the newest day fetched. An unreachable API or a failing day is "
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
    start, end = partition_range(context)
    try:
        result = fetch_for_run(data_dir.for_writing(context.log.info), today, start, end)
    except FetchStopped as stop:   # e.g. landing/ cannot be written: the next run tries again
        raise dg.Failure(f"fetch the missing listing days: {stop}") from None
    for line in result.problems():
        context.log.warning(line)
    return dg.MaterializeResult(metadata=result.metadata())


@dg.asset(
    deps=[api_listing], partitions_def=monthly, backfill_policy=POLICY, group_name=GROUP,
    owners=OWNERS, kinds={"python", "file"},
    description=("Snapshot files moved from landing/ into archive/YYYY-MM/, byte for byte. The "
                 "run also loads every other month holding a file waiting in landing/ or an "
                 "archived file that raw.snapshots lacks (an earlier run stopped before loading it)."),
)
@failing_in_words("archive landing files")
def archived_snapshots(context: dg.AssetExecutionContext, data_dir: DataDirResource) -> dg.MaterializeResult:
    data = data_dir.for_writing(context.log.info)
    start, end = partition_range(context)
    # every waiting file, whatever its month: those of other months are loaded with the
    # unloaded months below (a run that stopped while landing leaves files in landing/)
    moved = archive_waiting(data, *reconcile.tracked_window())
    for refusal in links_in_landing(data):   # left in landing/: links are not followed
        context.log.warning(f"not archived: {refusal}")
    held = archived_files(data, start, end)
    context.log.info(f"archived {len(moved)} new file(s); {len(held)} file(s) dated {start}..{end}")
    unloaded = reconcile.as_ranges(reconcile.unloaded_months(data), outside=(start, end))
    reconcile.write_plan(staging.run_folder(data, start, end), [(start, end), *unloaded])
    also = ", ".join(f"{a:%Y-%m}" if reconcile.month_after(a) == b
                     else f"{a:%Y-%m}..{b - timedelta(days=1):%Y-%m}" for a, b in unloaded)
    if unloaded:
        context.log.info(f"archived files of {also} were never loaded (an earlier run stopped): "
                         "this run loads those months too")
    return dg.MaterializeResult(metadata={"new_files": len(moved), "files_in_range": len(held),
                                          "unloaded_months_loaded_too": also or "none"})

@dg.asset(
    deps=[archived_snapshots], partitions_def=monthly, backfill_policy=POLICY, group_name=GROUP,
    owners=OWNERS, kinds={"polars", "parquet"},
    description="Every archived snapshot of the run's months parsed into observations (transforms/).",
)
@failing_in_words("parse snapshots")
def parsed_observations(context: dg.AssetExecutionContext, data_dir: DataDirResource,
                        parsed_ahead: dg.ResourceParam[ParsedAhead | None]) -> dg.MaterializeResult:
    data = data_dir.for_writing(context.log.info)
    start, end = partition_range(context)
    n_snapshots = n_failed = n_observations = 0
    for first, last in planned_ranges(data, start, end):
        snapshots, observations = staging.parse_archived(data, archived_files(data, first, last),
                                                         log=context.log.info, parsed_ahead=parsed_ahead)
        staging.write(data, first, last, parsed_snapshots=snapshots, parsed_observations=observations)
        n_snapshots += snapshots.height
        n_failed += snapshots.filter(pl.col("status") == "failed").height
        n_observations += observations.height
    return dg.MaterializeResult(metadata=for_partitions({
        "snapshots": n_snapshots, "failed_files": n_failed, "dagster/row_count": n_observations,
        "dagster/column_schema": frame_schema(observations),
    }, len(context.partition_keys)))

@dg.asset(
    deps=[parsed_observations], partitions_def=monthly, backfill_policy=POLICY, group_name=GROUP,
    owners=OWNERS, kinds={"pandera", "polars", "parquet"},
    description="Observations checked by the Pandera schema; failing rows split off with reasons.",
)
@failing_in_words("validate with Pandera")
def validated_observations(context: dg.AssetExecutionContext,
                           data_dir: DataDirResource) -> dg.MaterializeResult:
    data = data_dir.for_writing(context.log.info)
    start, end = partition_range(context)
    n_valid = n_quarantined = 0
    for first, last in planned_ranges(data, start, end):
        parsed = staging.read(data, first, last, "parsed_snapshots", "parsed_observations")
        valid, quarantined = split_valid(parsed["parsed_observations"])
        # A valid row's source text and (empty) parse errors are not loaded: without them the
        # file is half the size (ten years: ~180 -> ~90 MB written here and read by raw_tables).
        valid = valid.drop("raw_text", "invalid")
        snapshots = staging.count_outcomes(parsed["parsed_snapshots"], valid, quarantined)
        staging.write(data, first, last, snapshots=snapshots, observations=valid, quarantine=quarantined)
        n_valid, n_quarantined = n_valid + valid.height, n_quarantined + quarantined.height
    total = n_valid + n_quarantined
    return dg.MaterializeResult(metadata=for_partitions({
        "dagster/row_count": n_valid, "quarantined": n_quarantined,
        "quarantine_share": round(n_quarantined / total, 4) if total else 0.0,
        "dagster/column_schema": frame_schema(valid),
    }, len(context.partition_keys)))



def planned_ranges(data, start: date, end: date) -> list[tuple[date, date]]:
    """The run's own [start, end), then the ranges of unloaded months its archive step found."""
    return reconcile.read_plan(staging.run_folder(data, start, end), start, end)
