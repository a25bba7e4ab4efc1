"""The raw schema of the warehouse, loaded from the validated files of a range of months."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from orchestration import staging
from orchestration.assets.ingest import GROUP, OWNERS, POLICY, validated_observations
from orchestration.partitions import month_range, monthly
from orchestration.resources import DataDirResource
from orchestration.warehouse import replace_date_range

RAW_TABLES = {
    "snapshots": "One row per ingested file: its date, kind, hash, status and what became of its entries.",
    "paper_observations": "Every valid observation of a paper in a snapshot.",
    "quarantine": "Entries that failed validation, with their raw text and reasons.",
}

@dg.multi_asset(
    specs=[
        dg.AssetSpec(["raw", name], deps=[validated_observations], description=text,
                     group_name=GROUP, owners=OWNERS, kinds={"duckdb"},
                     partitions_def=monthly,
                     metadata={"dagster/table_name": f"warehouse.raw.{name}"})
        for name, text in RAW_TABLES.items()
    ],
    check_specs=[dg.AssetCheckSpec(
        "entries_accounted_for", asset=["raw", "snapshots"],
        description="For every snapshot: n_entries = observations loaded + entries quarantined.",
    )],
    partitions_def=monthly, backfill_policy=POLICY, pool="duckdb",
)
def raw_tables(context: dg.AssetExecutionContext, data_dir: DataDirResource, duckdb: DuckDBResource):
    data = data_dir.get()
    start, end = month_range(context)
    frames = staging.read(data, start, end, "snapshots", "observations", "quarantine")
    with duckdb.get_connection() as con:
        replace_date_range(con, start, end, frames["snapshots"], frames["observations"], frames["quarantine"])
        mismatched = con.execute(
            """
            select s.snapshot_id, s.n_entries,
                   (select count(*) from raw.paper_observations o where o.snapshot_id = s.snapshot_id),
                   (select count(*) from raw.quarantine q where q.snapshot_id = s.snapshot_id)
            from raw.snapshots s where s.snapshot_date >= ? and s.snapshot_date < ?
            """,
            [start, end],
        ).fetchall()
    lost = [row for row in mismatched if row[1] != row[2] + row[3]]
    counts = {"snapshots": len(mismatched), "paper_observations": frames["observations"].height,
              "quarantine": frames["quarantine"].height}
    for name in RAW_TABLES:
        yield dg.MaterializeResult(asset_key=["raw", name], metadata={"dagster/row_count": counts[name]})
    yield dg.AssetCheckResult(
        check_name="entries_accounted_for", asset_key=["raw", "snapshots"], passed=not lost,
        metadata={"snapshots_checked": len(mismatched), "mismatched": [r[0] for r in lost][:20]},
    )
