"""The raw schema of the warehouse: `raw_tables`, one graph-backed asset per range of months
(partitions) whose ops archive, parse, validate and load a snapshot (orchestration/defs/ingest/
holds the first three, this file the load). The steps before the load are ops, not assets:
a run records a materialization for every partition of every asset it writes, and a ten-year
backfill over 120 months would record 360 more for three intermediate files that no one reads
(BENCHMARKS.md). Their counts are in each step's output in the run's log."""

import dagster as dg
import polars as pl
from dagster_duckdb import DuckDBResource

from orchestration.defs.ingest import staging
from orchestration.defs.ingest.api_listing import api_listing
from orchestration.defs.ingest.archive_snapshots import archive_snapshots
from orchestration.defs.ingest.parse_snapshots import parse_snapshots
from orchestration.defs.ingest.run_plan import GROUP, OWNERS, POLICY, planned_ranges
from orchestration.defs.ingest.validate_observations import validate_observations
from orchestration.defs.partitions import monthly, partition_range
from orchestration.defs.resources import DataDirResource
from orchestration.defs.warehouse import suspect_files
from orchestration.defs.warehouse.table_metadata import for_partitions, table_metadata
from orchestration.storage.resource_errors import failing_in_words
from orchestration.storage.warehouse import ensure_raw_tables, replace_date_range, snapshot_sources

WARN_SHARE = 0.05   # quarantine share of a run's entries that warns
ERROR_SHARE = 0.5   # ... and that stops downstream assets (blocking check)

# The raw tables that are assets. raw.snapshot_sources (every name and place each snapshot's
# bytes arrived under) is loaded with raw.snapshots, in the same transaction, and belongs to its
# asset: an asset of its own would add a materialization for every month a run loads (120 in a
# ten-year backfill, ~1 s with Dagster's SQLite storage) for rows that only detail raw.snapshots.
RAW_TABLES = {
    "snapshots": ("One row per ingested file: its date, kind, hash, status and what became of its "
                  "entries; with raw.snapshot_sources, every name and place its bytes arrived under "
                  "(the name as given, the source path, when it was landed)."),
    "paper_observations": "Every valid observation of a paper in a snapshot.",
    "quarantine": "Entries that failed validation, with their raw text and reasons.",
}

CHECKS = [
    dg.AssetCheckSpec(
        "entries_accounted_for", asset=["raw", "snapshots"], blocking=True,
        description="For every snapshot: n_entries = observations loaded + entries quarantined.",
    ),
    dg.AssetCheckSpec(
        "quarantine_share", asset=["raw", "paper_observations"], blocking=True,
        description=(f"Pandera validation: share of the entries quarantined, in the files the run "
                     f"added (suspect files aside: see suspect_files). WARN above "
                     f"{WARN_SHARE:.0%}; ERROR above {ERROR_SHARE:.0%}, which stops the marts "
                     "from being rebuilt on a batch that is mostly bad (raw keeps every entry)."),
    ),
    suspect_files.SPEC,
]
# the load's outputs: one per table, one per check (named as Dagster names a check's output)
OUTPUTS = [*RAW_TABLES, *(spec.get_python_identifier() for spec in CHECKS)]


@dg.op(
    ins={"validated": dg.In(dg.Nothing)},
    out={output: dg.Out(dg.Nothing) for output in OUTPUTS},
    description="The run's validated files loaded into the raw tables, month by month, and the checks on them.",
    pool="duckdb", retry_policy=dg.RetryPolicy(max_retries=3, delay=5),  # a reader holding the file lock
)
@failing_in_words("load raw tables into DuckDB")
def load_raw_tables(context: dg.OpExecutionContext, data_dir: DataDirResource, duckdb: DuckDBResource):
    data = data_dir.for_writing(context)
    start, end = partition_range(context)
    mismatched, n_observations, n_quarantined, n_sources = [], 0, 0, 0
    seen, added = [], []   # the run's snapshot rows (one frame a range); those no earlier run stored
    with duckdb.get_connection() as con:
        ensure_raw_tables(con)   # (on a new warehouse: raw.snapshots is read before the first load)
        # the run's months, and months whose archived files an earlier run never loaded
        for first, last in planned_ranges(data, start, end):
            frames = staging.read(data, first, last, "snapshots", "observations", "quarantine")
            stored_rows = con.execute(
                "select snapshot_id, snapshot_date from raw.snapshots where snapshot_date >= ? and snapshot_date < ?",
                [first, last]).fetchall()
            refuse_months_the_archive_lost(data, stored_rows, frames["snapshots"])
            stored = {sid for sid, _ in stored_rows}
            seen.append(frames["snapshots"])
            added.append(frames["snapshots"].filter(~pl.col("snapshot_id").is_in(list(stored))))
            replace_date_range(con, first, last, frames["snapshots"], frames["observations"],
                               frames["quarantine"])
            n_observations += frames["observations"].height
            n_quarantined += frames["quarantine"].height
            n_sources += snapshot_sources(frames["snapshots"]).height
            mismatched += con.execute(
                """
                select s.snapshot_id, s.n_entries,
                       (select count(*) from raw.paper_observations o where o.snapshot_id = s.snapshot_id),
                       (select count(*) from raw.quarantine q where q.snapshot_id = s.snapshot_id)
                from raw.snapshots s where s.snapshot_date >= ? and s.snapshot_date < ?
                """,
                [first, last],
            ).fetchall()
        metadata = {name: table_metadata(con, "raw", name) for name in RAW_TABLES}
        [(n_source_rows,)] = con.execute("select count(*) from raw.snapshot_sources").fetchall()
    lost = [row for row in mismatched if row[1] != row[2] + row[3]]
    loaded = {"snapshots": len(mismatched), "paper_observations": n_observations, "quarantine": n_quarantined}
    metadata["snapshots"].update({"snapshot_sources_rows": n_source_rows,
                                  "snapshot_sources_loaded_this_run": n_sources})
    for name in RAW_TABLES:
        detail = for_partitions(metadata[name], len(context.partition_keys))
        yield dg.Output(None, name, metadata={**detail, "rows_loaded_this_run": loaded[name]})
    # judged on the files this run added: a bad file fails the run that brings it, not every
    # later run of its month (each run reads all of its months' files again)
    entries, quarantined = suspect_files.counted_entries(pl.concat(added, how="diagonal_relaxed"))
    share = quarantined / entries if entries else 0.0
    yield dg.AssetCheckResult(
        check_name="quarantine_share", asset_key=["raw", "paper_observations"],
        passed=share <= WARN_SHARE,
        severity=dg.AssetCheckSeverity.ERROR if share > ERROR_SHARE else dg.AssetCheckSeverity.WARN,
        description=(f"{quarantined} of the {entries} entries of the files this run added were "
                     "quarantined") if quarantined else None,
        metadata={"entries": entries, "quarantined": quarantined, "share": round(share, 4)},
    )
    yield suspect_files.check_result(pl.concat(seen, how="diagonal_relaxed"))
    yield dg.AssetCheckResult(
        check_name="entries_accounted_for", asset_key=["raw", "snapshots"], passed=not lost,
        metadata={"snapshots_checked": len(mismatched), "mismatched": [r[0] for r in lost][:20]},
    )


@dg.graph_multi_asset(
    outs={name: dg.AssetOut(key=["raw", name], description=text, group_name=GROUP, owners=OWNERS,
                            kinds={"duckdb"}, metadata={"dagster/table_name": f"warehouse.raw.{name}"})
          for name, text in RAW_TABLES.items()},
    ins={"listing": dg.AssetIn(key=api_listing.key, dagster_type=dg.Nothing)},
    check_specs=CHECKS, partitions_def=monthly, backfill_policy=POLICY,
)
def raw_tables(listing):
    """Archive, parse, validate, load: one step each, over the run's months."""
    loaded = load_raw_tables(validate_observations(parse_snapshots(archive_snapshots(listing))))
    return {output: getattr(loaded, output) for output in OUTPUTS}


def refuse_months_the_archive_lost(data, stored_rows: list[tuple], staged: pl.DataFrame) -> None:
    """A month whose files the warehouse holds are all gone from the archive (two or more; files
    that arrived since may be there) is not reloaded: its rows would be replaced by none of them.
    An archive folder on a disk that is not mounted, moved or deleted looks so; a file taken out
    of the archive on purpose leaves the rest of its month (or is its only file), and the month
    is reloaded without it."""
    kept = set() if staged.is_empty() else set(staged.get_column("snapshot_id").to_list())
    months: dict[tuple[int, int], list[bool]] = {}
    for snapshot_id, day in stored_rows:
        months.setdefault((day.year, day.month), []).append(snapshot_id in kept)
    lost = {month: len(found) for month, found in months.items() if len(found) >= 2 and not any(found)}
    if lost:
        names = ", ".join(f"{y}-{m:02d}" for y, m in sorted(lost))
        raise dg.Failure(
            description=(f"the archive ({data.archive}) holds none of the {sum(lost.values())} file(s) the "
                         f"warehouse has for {names}: is the archive folder on a disk that is not mounted, "
                         "moved or deleted? The warehouse was not changed. Put the files back (or set "
                         "PAPERTRENDS_ARCHIVE_DIR to where they are) and run again; to drop those months on "
                         "purpose, move warehouse.duckdb aside and ingest again: it is rebuilt from the "
                         "archive as it is"),
            allow_retries=False)
