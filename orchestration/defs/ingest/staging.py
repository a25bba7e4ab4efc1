"""Intermediate files between the ingest assets: `work/<start>_<end>/<name>.parquet`.

Parsing a range of archived files, and counting what became of each snapshot's entries.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import polars as pl

from orchestration.storage.arrivals import sources_of
from orchestration.storage.landing import stored_name
from orchestration.storage.settings import DataDir
from transforms.observations import OBSERVATION_SCHEMA
from transforms.parallel_reading import BATCH_FILES, read_batches
from transforms.snapshot_reader import ParsedSnapshot

SNAPSHOT_SCHEMA = {
    "snapshot_id": pl.String, "snapshot_date": pl.Date, "source_kind": pl.String,
    "path": pl.String, "original_name": pl.String, "sha256": pl.String, "n_entries": pl.Int32,
    "status": pl.String, "reason": pl.String, "listing_kind": pl.String, "listing_day": pl.Date,
    "problems": pl.List(pl.String), "stored_name": pl.String, "file_modified_at": pl.Datetime("us"),
    # every name and place the snapshot's bytes arrived under (raw.snapshot_sources)
    "sources": pl.List(pl.Struct({"original_name": pl.String, "source_path": pl.String,
                                  "landed_at": pl.Datetime("us"), "archive_path": pl.String})),
}


def parse_archived(data: DataDir, files: list[tuple[str, date]], workers: int | None = None,
                   log=None, parsed_ahead=None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Archived files -> (one row per snapshot, all observations), in the order of `files`.
    Many files are parsed on every core (`workers` processes, default one per core:
    transforms/parallel_reading.py); files the CLI parsed while the run started
    (`parsed_ahead`, orchestration/defs/ingest/parse_ahead.py) are taken from there."""
    ahead, left, note = (parsed_ahead.take(data.archive, files) if parsed_ahead is not None
                         else ([], files, None))
    if note and log:
        log(note)
    batches = [left[first:first + BATCH_FILES] for first in range(0, len(left), BATCH_FILES)]
    read_order, snaps_at, frames = [], {}, []
    for snaps, frame in [*ahead, *read_batches(data.archive, batches, workers)]:
        for snap in snaps:
            read_order.append(snap.path)
            snaps_at.setdefault(snap.path, snap)
        frames.append(frame)
    in_order = [snaps_at[relative] for relative, _ in files]
    sources = sources_of(data, [relative for relative, _ in files],
                         {relative: stored_name(relative) for relative, _ in files})
    all_sources: dict[str, list[dict]] = {}   # the same bytes under several names: all of them
    for snap in in_order:
        all_sources.setdefault(snap.snapshot_id, []).extend(sources[snap.path])
    snapshots = pl.DataFrame([_snapshot_row(snap, sources[snap.path][0]["original_name"],
                                            all_sources[snap.snapshot_id], _modified_at(data, snap.path))
                              for snap in in_order],
                             schema=SNAPSHOT_SCHEMA)
    # The same bytes landed twice for one day are one snapshot.
    snapshots = snapshots.unique("snapshot_id", keep="first", maintain_order=True)
    observations = pl.concat(frames) if frames else pl.DataFrame(schema=OBSERVATION_SCHEMA)
    if read_order != [relative for relative, _ in files]:   # (some were parsed ahead)
        observations = _in_file_order(observations, [snap.snapshot_id for snap in in_order])
    # (only when there are duplicates: unique() copies the whole frame, raw_text and all)
    if observations.select("snapshot_id", "position").is_duplicated().any():
        observations = observations.unique(["snapshot_id", "position"], keep="first", maintain_order=True)
    return snapshots, observations


def _in_file_order(observations: pl.DataFrame, snapshot_ids: list[str]) -> pl.DataFrame:
    """Observations (each snapshot's rows in page order) sorted into the order of their files
    (stable: page order is kept), as parsing the files in that order gives them."""
    rank = pl.DataFrame({"snapshot_id": snapshot_ids, "_rank": range(len(snapshot_ids))},
                        schema={"snapshot_id": pl.String, "_rank": pl.Int64})
    rank = rank.unique("snapshot_id", keep="first", maintain_order=True)
    return (observations.join(rank, on="snapshot_id", how="left", maintain_order="left")
            .sort("_rank", maintain_order=True).drop("_rank"))


def _modified_at(data: DataDir, relative: str) -> datetime | None:
    """When the archived file was last modified (UTC): for a fetched answer, when it was
    fetched; for a file landed by `papertrends ingest`, its source's time (landing keeps it).
    It orders the snapshots of one day (dbt: paper_trajectories)."""
    try:
        return datetime.fromtimestamp((data.archive / relative).stat().st_mtime, UTC).replace(tzinfo=None)
    except OSError:
        return None


def _snapshot_row(snap: ParsedSnapshot, original: str, sources: list[dict], modified: datetime | None) -> dict:
    return {
        "snapshot_id": snap.snapshot_id, "snapshot_date": snap.snapshot_date,
        "source_kind": snap.source_kind, "path": f"archive/{snap.path}",
        "original_name": original, "sha256": snap.sha256,
        "n_entries": snap.n_entries, "status": snap.status, "reason": snap.reason,
        "listing_kind": snap.listing_kind, "listing_day": snap.listing_day,
        "problems": snap.problems, "stored_name": stored_name(snap.path), "sources": sources,
        "file_modified_at": modified,
    }


def count_outcomes(snapshots: pl.DataFrame, valid: pl.DataFrame, quarantined: pl.DataFrame) -> pl.DataFrame:
    """Add n_loaded, n_quarantined, a final status (failed, suspect, partial, ok) and
    ingested_at to each snapshot row."""
    loaded = valid.group_by("snapshot_id").len("n_loaded")
    held = quarantined.group_by("snapshot_id").len("n_quarantined")
    counted = (
        snapshots.join(loaded, on="snapshot_id", how="left")
        .join(held, on="snapshot_id", how="left")
        .with_columns(pl.col("n_loaded", "n_quarantined").fill_null(0).cast(pl.Int32))
    )
    return counted.with_columns(
        status=pl.when(pl.col("status").is_in(["failed", "suspect"])).then(pl.col("status"))
        .when(pl.col("n_quarantined") > 0).then(pl.lit("partial"))
        .otherwise(pl.lit("ok")),
        ingested_at=pl.lit(datetime.now(UTC).replace(tzinfo=None)),
    )


def run_folder(data: DataDir, start: date, end: date):
    """The folder of the intermediate files of a run over [start, end)."""
    folder = data.work / f"{start.isoformat()}_{end.isoformat()}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


ROW_GROUP_ROWS = 20_000


def write(data: DataDir, start: date, end: date, **frames: pl.DataFrame) -> None:
    """Uncompressed: these files live from one step to the next, and zstd cost a ten-year
    backfill ~0.6 s per observations file (write 0.35 s instead of 0.95 s for 365 MB in memory;
    on disk 180 MB instead of 27 MB). In row groups of ROW_GROUP_ROWS: polars holds a row
    group's pages until it is written, and its default (262,144 rows: all of a ten-year
    backfill) took 2x the frame's memory for an uncompressed file (ten years of API JSON:
    +820 MB, against +310 MB in groups of 20,000 rows)."""
    folder = run_folder(data, start, end)
    for name, frame in frames.items():
        temporary = folder / f".{name}.parquet.part"
        try:
            frame.write_parquet(temporary, compression="uncompressed", row_group_size=ROW_GROUP_ROWS)
        except BaseException:   # (a full disk): no half-written file left behind
            temporary.unlink(missing_ok=True)
            raise
        temporary.replace(folder / f"{name}.parquet")


def read(data: DataDir, start: date, end: date, *names: str) -> dict[str, pl.DataFrame]:
    folder = run_folder(data, start, end)
    return {name: pl.read_parquet(folder / f"{name}.parquet") for name in names}
