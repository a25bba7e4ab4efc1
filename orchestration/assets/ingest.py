"""Ingest assets: landing -> archive -> parsed -> validated. Each writes files under the data dir.

They only say when and where; parsing and validation live in transforms/.
"""

import os
from datetime import UTC, datetime

import dagster as dg
import polars as pl

from orchestration import staging
from orchestration.landing import archive_waiting, archived_files, links_in_landing
from orchestration.parse_ahead import ParsedAhead
from orchestration.partitions import monthly, partition_range
from orchestration.resources import DataDirResource
from orchestration.table_metadata import for_partitions, frame_schema
from transforms.validation import split_valid

GROUP = "ingest"
OWNERS = ["team:papertrends"]
POLICY = dg.BackfillPolicy.single_run()

@dg.asset(
    partitions_def=monthly, backfill_policy=POLICY, group_name=GROUP, owners=OWNERS,
    kinds={"python", "api"},
    description=("With PAPERTRENDS_FETCH=1: the latest Daily Papers listing day, fetched from the "
                 "API into landing/ when the run's months include today. Otherwise nothing: the "
                 "run ingests what is in landing/."),
)
def api_listing(context: dg.AssetExecutionContext, data_dir: DataDirResource) -> dg.MaterializeResult:
    start, end = partition_range(context)
    today = datetime.now(UTC).date()
    if os.environ.get("PAPERTRENDS_FETCH") != "1" or not start <= today < end:
        return dg.MaterializeResult(metadata={"fetched": "no (PAPERTRENDS_FETCH is not 1, or "
                                                         "the run is not for the current month)"})
    from orchestration.api_client import FetchError, fetch_day, latest_listing_day

    try:
        path = fetch_day(latest_listing_day(today), data_dir.for_writing(context.log.info).landing)
    except FetchError as exc:
        raise dg.Failure(str(exc)) from None
    return dg.MaterializeResult(metadata={"fetched": str(path)})


@dg.asset(
    deps=[api_listing], partitions_def=monthly, backfill_policy=POLICY, group_name=GROUP,
    owners=OWNERS, kinds={"python", "file"},
    description="Snapshot files moved from landing/ into archive/YYYY-MM/, byte for byte.",
)
def archived_snapshots(context: dg.AssetExecutionContext, data_dir: DataDirResource) -> dg.MaterializeResult:
    data = data_dir.for_writing(context.log.info)
    start, end = partition_range(context)
    moved = archive_waiting(data, start, end)
    for refusal in links_in_landing(data):   # left in landing/: links are not followed
        context.log.warning(f"not archived: {refusal}")
    held = archived_files(data, start, end)
    context.log.info(f"archived {len(moved)} new file(s); {len(held)} file(s) dated {start}..{end}")
    return dg.MaterializeResult(metadata={"new_files": len(moved), "files_in_range": len(held)})

@dg.asset(
    deps=[archived_snapshots], partitions_def=monthly, backfill_policy=POLICY, group_name=GROUP,
    owners=OWNERS, kinds={"polars", "parquet"},
    description="Every archived snapshot of the run's months parsed into observations (transforms/).",
)
def parsed_observations(context: dg.AssetExecutionContext, data_dir: DataDirResource,
                        parsed_ahead: dg.ResourceParam[ParsedAhead | None]) -> dg.MaterializeResult:
    data = data_dir.for_writing(context.log.info)
    start, end = partition_range(context)
    snapshots, observations = staging.parse_archived(data, archived_files(data, start, end),
                                                     log=context.log.info, parsed_ahead=parsed_ahead)
    staging.write(data, start, end, parsed_snapshots=snapshots, parsed_observations=observations)
    failed = snapshots.filter(pl.col("status") == "failed").height
    return dg.MaterializeResult(metadata=for_partitions({
        "snapshots": snapshots.height, "failed_files": failed, "dagster/row_count": observations.height,
        "dagster/column_schema": frame_schema(observations),
    }, len(context.partition_keys)))

@dg.asset(
    deps=[parsed_observations], partitions_def=monthly, backfill_policy=POLICY, group_name=GROUP,
    owners=OWNERS, kinds={"pandera", "polars", "parquet"},
    description="Observations checked by the Pandera schema; failing rows split off with reasons.",
)
def validated_observations(context: dg.AssetExecutionContext,
                           data_dir: DataDirResource) -> dg.MaterializeResult:
    data = data_dir.for_writing(context.log.info)
    start, end = partition_range(context)
    parsed = staging.read(data, start, end, "parsed_snapshots", "parsed_observations")
    valid, quarantined = split_valid(parsed["parsed_observations"])
    # A valid row's source text and (empty) parse errors are not loaded: without them the file
    # is half the size (ten years: ~180 -> ~90 MB written here and read by raw_tables).
    valid = valid.drop("raw_text", "invalid")
    snapshots = staging.count_outcomes(parsed["parsed_snapshots"], valid, quarantined)
    staging.write(data, start, end, snapshots=snapshots, observations=valid, quarantine=quarantined)
    total = valid.height + quarantined.height
    return dg.MaterializeResult(metadata=for_partitions({
        "dagster/row_count": valid.height, "quarantined": quarantined.height,
        "quarantine_share": round(quarantined.height / total, 4) if total else 0.0,
        "dagster/column_schema": frame_schema(valid),
    }, len(context.partition_keys)))

