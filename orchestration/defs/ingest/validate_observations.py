"""Ingest step 4, validate (an op of raw_tables): the parsed observations checked by the Pandera schema
(transforms/validation.py); failing rows split off with their reasons, for raw.quarantine."""

import dagster as dg

from orchestration.defs.ingest import staging
from orchestration.defs.ingest.run_plan import planned_ranges
from orchestration.defs.partitions import partition_range
from orchestration.defs.resources import DataDirResource
from orchestration.defs.warehouse.table_metadata import frame_schema
from orchestration.storage.resource_errors import failing_in_words
from transforms.validation import split_valid


@dg.op(
    ins={"parsed": dg.In(dg.Nothing)}, out=dg.Out(dg.Nothing),
    description="Observations checked by the Pandera schema; failing rows split off with reasons.",
)
@failing_in_words("validate with Pandera")
def validate_observations(context: dg.OpExecutionContext, data_dir: DataDirResource) -> dg.Output:
    data = data_dir.for_writing(context)
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
    return dg.Output(None, metadata={
        "valid": n_valid, "quarantined": n_quarantined,
        "quarantine_share": round(n_quarantined / total, 4) if total else 0.0,
        "columns": frame_schema(valid),
    })
