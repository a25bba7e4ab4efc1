"""Ingest step 3, parse (an op of raw_tables): every archived snapshot of the run's months read into observations
(transforms/snapshot_reader.py), written to the run's work folder."""

import dagster as dg
import polars as pl

from orchestration.defs.ingest import staging
from orchestration.defs.ingest.parse_ahead import ParsedAhead
from orchestration.defs.ingest.run_plan import planned_ranges
from orchestration.defs.partitions import partition_range
from orchestration.defs.resources import DataDirResource
from orchestration.defs.warehouse.table_metadata import frame_schema
from orchestration.storage.landing import archived_files
from orchestration.storage.resource_errors import failing_in_words


@dg.op(
    ins={"archived": dg.In(dg.Nothing)}, out=dg.Out(dg.Nothing),
    description="Every archived snapshot of the run's months parsed into observations (transforms/).",
)
@failing_in_words("parse snapshots")
def parse_snapshots(context: dg.OpExecutionContext, data_dir: DataDirResource,
                    parsed_ahead: dg.ResourceParam[ParsedAhead | None]) -> dg.Output:
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
    return dg.Output(None, metadata={
        "snapshots": n_snapshots, "failed_files": n_failed, "observations": n_observations,
        "columns": frame_schema(observations),
    })
