"""Ingest step 3, parse: every archived snapshot of the run's months read into observations
(transforms/snapshot_reader.py), written to the run's work folder."""

import dagster as dg
import polars as pl

from orchestration.defs.ingest import staging
from orchestration.defs.ingest.archived_snapshots import archived_snapshots
from orchestration.defs.ingest.parse_ahead import ParsedAhead
from orchestration.defs.ingest.run_plan import GROUP, OWNERS, POLICY, planned_ranges
from orchestration.defs.partitions import monthly, partition_range
from orchestration.defs.resources import DataDirResource
from orchestration.defs.warehouse.table_metadata import for_partitions, frame_schema
from orchestration.storage.landing import archived_files
from orchestration.storage.resource_errors import failing_in_words


@dg.asset(
    deps=[archived_snapshots], partitions_def=monthly, backfill_policy=POLICY, group_name=GROUP,
    owners=OWNERS, kinds={"polars", "parquet"},
    description="Every archived snapshot of the run's months parsed into observations (transforms/).",
)
@failing_in_words("parse snapshots")
def parsed_observations(context: dg.AssetExecutionContext, data_dir: DataDirResource,
                        parsed_ahead: dg.ResourceParam[ParsedAhead | None]) -> dg.MaterializeResult:
    data = data_dir.for_writing(context)
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
