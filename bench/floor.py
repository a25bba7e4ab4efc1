"""The bare parse-and-insert floor of a backfill: the same folder of snapshot files read by the
pipeline's parser and inserted into the raw tables of a fresh DuckDB file, nothing else.

The backfill target is stated against it ("<= 1.5x the floor measured in the same run"):
bench/backfill.py runs it right before each backfill of the same folder and reports
backfill wall / floor wall. Alone:

    python -m bench.floor --years 10        # the ten-year captures of bench/backfill.py
    python -m bench.floor --folder DIR      # any folder of snapshot files named YYYY-MM-DD...

It runs as a child process timed by bench.common.run_measured, like the ingest (wall, CPU
user+sys of the process and the workers it reaps, peak RSS of the largest process and of the
process tree). The child, `python -m bench.floor --child FOLDER DB`:

Includes
- the interpreter's start and the imports it needs (polars, duckdb, the parsers);
- reading every file of the folder and parsing it with transforms.parallel_reading.read_batches,
  the function the pipeline's parse step uses (orchestration/defs/ingest/staging.parse_archived):
  the same batches of BATCH_FILES files, one observations frame per batch (read_snapshots:
  hashing, decoding, the capture or API JSON parser, the frame), on one worker process per core
  as the pipeline (2 on the 2-core machine), results sent back pickled and concatenated;
- one row per snapshot (its parse status, counts, the parser's problems), entries the parser
  itself marked invalid split off as quarantine rows (a polars filter on the `invalid` column);
- a new warehouse file made as the pipeline makes it (create_if_missing, connect_for_writing:
  the same storage version and row group size) and one
  orchestration.storage.warehouse.replace_date_range over the whole date range: RAW_DDL, the
  entry-key check, the rows re-chunked to the row group size, the four inserts in one
  transaction, commit, and the checkpoint when the connection closes.

Excludes
- landing (copying into archive/, the landing log) and the CLI's parsing ahead while it lands;
- Dagster (definitions, instance, run, event log, asset checks) and the intermediate parquet
  files between its steps;
- validation with Pandera (the quarantine here is only what the parser flagged);
- dbt (every model and test), the report, publishing the read-only copy.

The child prints one line `FLOOR {json}`: files, rows inserted, and its own split of the time
(parse, frames, insert).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bench.common import BENCH_WORK, mb, run_measured, wait_for_low_load, write_result

PATTERNS = ("*_bench.txt", "*.json")   # the generated captures, API JSON (bench/generate.py)
MARKER = "FLOOR "


def snapshot_files(folder: Path) -> list[tuple[str, date]]:
    """The folder's snapshot files (names relative to it) with the date each name starts with,
    in date order, as the pipeline lists an archive month."""
    from transforms.snapshot_files import date_from_name

    found = []
    for pattern in PATTERNS:
        for path in folder.glob(pattern):
            day = date_from_name(path.name)
            if day is not None:
                found.append((path.name, day))
    return sorted(found, key=lambda item: (item[1], item[0]))


def parse_and_insert(folder: Path, database: Path, workers: int | None = None) -> dict:
    """Parse every snapshot file of folder and insert the rows into a new warehouse file."""
    started = time.perf_counter()
    import polars as pl

    from orchestration.storage.warehouse import connect_for_writing, create_if_missing, replace_date_range
    from transforms.parallel_reading import BATCH_FILES, MIN_BATCHES_FOR_WORKERS, read_batches

    schema = {   # the columns of raw.snapshots (orchestration/storage/warehouse.py), typed
        "snapshot_id": pl.String, "snapshot_date": pl.Date, "source_kind": pl.String,
        "path": pl.String, "original_name": pl.String, "sha256": pl.String,
        "n_entries": pl.Int32, "n_loaded": pl.Int32, "n_quarantined": pl.Int32,
        "status": pl.String, "reason": pl.String, "listing_kind": pl.String,
        "listing_day": pl.Date, "problems": pl.List(pl.String), "ingested_at": pl.Datetime("us"),
        "file_modified_at": pl.Datetime("us"),
    }

    imported = time.perf_counter()
    files = snapshot_files(folder)
    if not files:
        raise SystemExit(f"no snapshot files in {folder}")
    batches = [files[first:first + BATCH_FILES] for first in range(0, len(files), BATCH_FILES)]
    # read_batches' own rule: one process per core, in this process below MIN_BATCHES_FOR_WORKERS
    processes = min(workers or os.cpu_count() or 1, len(batches))
    processes = processes if processes >= 2 and len(batches) >= MIN_BATCHES_FOR_WORKERS else 0
    snaps, frames = [], []
    for batch_snaps, frame in read_batches(folder, batches, workers):
        snaps.extend(batch_snaps)
        frames.append(frame)
    parsed = time.perf_counter()

    entries = pl.concat(frames)
    flagged = pl.col("invalid").list.len().fill_null(0) > 0
    observations = entries.filter(~flagged)
    quarantine = entries.filter(flagged).select(
        "snapshot_id", "snapshot_date", "position", "raw_text", "title", "arxiv_id",
        reasons=pl.col("invalid"))
    loaded = dict(observations.group_by("snapshot_id").len().iter_rows())
    held = dict(quarantine.group_by("snapshot_id").len().iter_rows())
    ingested_at = datetime.now(UTC).replace(tzinfo=None)
    snapshots = pl.DataFrame([{
        "snapshot_id": s.snapshot_id, "snapshot_date": s.snapshot_date, "source_kind": s.source_kind,
        "path": s.path, "original_name": s.path, "sha256": s.sha256, "n_entries": s.n_entries,
        "n_loaded": loaded.get(s.snapshot_id, 0), "n_quarantined": held.get(s.snapshot_id, 0),
        "status": s.status if s.status in ("failed", "suspect")
        else "partial" if held.get(s.snapshot_id) else "ok",
        "reason": s.reason, "listing_kind": s.listing_kind, "listing_day": s.listing_day,
        "problems": s.problems, "ingested_at": ingested_at,
        # the pipeline keeps each file's modification time too (one stat a file)
        "file_modified_at": datetime.fromtimestamp((folder / s.path).stat().st_mtime, UTC).replace(tzinfo=None),
    } for s in snaps], schema=schema)
    snapshots = snapshots.unique("snapshot_id", keep="first", maintain_order=True)
    framed = time.perf_counter()

    create_if_missing(database)
    with connect_for_writing(database) as con:
        replace_date_range(con, files[0][1], files[-1][1] + timedelta(days=1),
                           snapshots, observations, quarantine)
        counts = {table: con.execute(f"select count(*) from raw.{table}").fetchone()[0]
                  for table in ("snapshots", "snapshot_sources", "paper_observations", "quarantine")}
    inserted = time.perf_counter()
    return {
        "files": len(files), "batches": len(batches), "worker_processes": processes,
        "input_mb": round(mb([folder / name for name, _ in files]), 1),
        "failed_files": sum(s.status == "failed" for s in snaps),
        "rows": counts, "warehouse_mb": round(mb(database), 1),
        "split_s": {"imports": round(imported - started, 2), "parse": round(parsed - imported, 2),
                    "frames": round(framed - parsed, 2), "insert": round(inserted - framed, 2)},
    }


def floor_cmd(folder: Path, database: Path) -> list[str]:
    return [sys.executable, "-m", "bench.floor", "--child", str(folder), str(database)]


def measure_floor(folder: Path, root: Path, label: str, log_dir: Path) -> dict:
    """One timed floor of folder into a new <root>/warehouse.duckdb (root is emptied first and
    removed after)."""
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    result = run_measured(floor_cmd(folder, root / "warehouse.duckdb"), log=log_dir / f"{label}.log")
    shutil.rmtree(root, ignore_errors=True)
    facts = next((json.loads(line[len(MARKER):]) for line in reversed(result["output_tail"])
                  if line.startswith(MARKER)), {})
    result.update(facts)
    return result


def warm_up(work: Path, log_dir: Path) -> None:
    """An unmeasured floor of three days: the child's modules compiled into the bytecode cache
    (bench.common.child_env) before the measured run, as bench/backfill.py's warm-up ingest does."""
    from bench.generate import generate

    source = work / "captures-warmup-floor"
    shutil.rmtree(source, ignore_errors=True)
    generate(source, 3, "capture")
    result = measure_floor(source, work / "floor-warmup", "floor-warm-up", log_dir)
    shutil.rmtree(source, ignore_errors=True)
    print(f"floor warm-up (not measured): {result['wall_s']:.1f} s, exit {result['exit_code']}",
          file=sys.stderr)


def describe(result: dict) -> str:
    rows = result.get("rows") or {}
    return (f"floor: {result.get('files')} files ({result.get('input_mb')} MB) parsed and inserted in "
            f"{result['wall_s']:.1f} s wall, CPU user+sys {result['user_s'] + result['sys_s']:.1f} s, "
            f"peak RSS {result['max_rss_mb']:.0f} MB (largest process), "
            f"{result['tree_peak_rss_mb']:.0f} MB (process tree), exit {result['exit_code']}, "
            f"{rows.get('paper_observations')} observations, {rows.get('quarantine')} quarantined; "
            f"split (s) {result.get('split_s')}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.floor", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--years", type=int, default=10,
                        help="the N-year captures of bench/backfill.py (made if missing)")
    parser.add_argument("--folder", type=Path, help="a folder of snapshot files instead")
    parser.add_argument("--work", type=Path, default=BENCH_WORK)
    parser.add_argument("--child", nargs=2, type=Path, metavar=("FOLDER", "DB"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        facts = parse_and_insert(*args.child)
        print(MARKER + json.dumps(facts, default=str), flush=True)
        return 0
    if args.folder:
        folder = args.folder
    else:
        from bench.backfill import captures_dir
        folder = captures_dir(args.work, args.years)
    log_dir = Path(__file__).resolve().parent / "results" / "logs"
    warm_up(args.work, log_dir)
    load = wait_for_low_load()
    result = measure_floor(folder, args.work / "floor", "floor", log_dir)
    result.update(load, folder=str(folder))
    print(describe(result) + f", load {result['load_at_start'][0]:.2f}, "
          f"reference loop {result['reference_loop_s']} s")
    path = write_result("floor", result)
    print(f"  -> {path}", file=sys.stderr)
    return 0 if result["exit_code"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
