"""The DuckDB warehouse: raw tables, and loading a range of snapshot dates in one transaction.

Input text never enters SQL: rows arrive as polars DataFrames (DuckDB reads them by name) and
dates as bound parameters.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from orchestration.storage.settings import data_dir, is_service

RAW_DDL = """
create schema if not exists raw;
create table if not exists raw.snapshots (
    snapshot_id varchar primary key,
    snapshot_date date not null,
    source_kind varchar not null,        -- capture | api
    path varchar not null,               -- archive path, relative to the data dir
    original_name varchar,
    sha256 varchar not null,
    n_entries integer not null,
    n_loaded integer not null,
    n_quarantined integer not null,
    status varchar not null,             -- ok | partial | suspect | failed
    reason varchar,                      -- why a file failed or is suspect, for people
    listing_kind varchar,                -- daily | search
    listing_day date,                    -- the Daily Papers day the listing shows
    problems varchar[],
    ingested_at timestamp not null,
    stored_name varchar,                 -- the safe name the archive keeps it under
    file_modified_at timestamp           -- the archived file's modification time (UTC)
);
-- (raw.snapshots made before stored_name or file_modified_at existed get them here)
alter table raw.snapshots add column if not exists stored_name varchar;
alter table raw.snapshots add column if not exists file_modified_at timestamp;
create table if not exists raw.snapshot_sources (
    snapshot_id varchar not null,
    snapshot_date date not null,
    original_name varchar not null,      -- the file's name as given, verbatim
    source_path varchar,                 -- where it was copied from (null: put into landing/ directly)
    landed_at timestamp,                 -- when it was landed from there (UTC)
    archive_path varchar not null        -- the archived file, relative to the data dir
);
create table if not exists raw.paper_observations (
    snapshot_id varchar not null,
    snapshot_date date not null,
    source_kind varchar not null,
    position integer not null,
    arxiv_id varchar,
    title varchar not null,
    abstract varchar,
    authors varchar[],
    author_handles varchar[],
    n_authors integer,
    organization varchar,
    organization_name varchar,
    published_on date,
    listed_on date,
    upvotes bigint,
    comments bigint,
    ai_keywords varchar[],
    complete boolean not null,
    problems varchar[],
    submitted_by varchar,                -- who submitted the paper to Daily Papers (user name)
    submitted_by_name varchar            -- that user's display name
);
-- (raw.paper_observations made before the submitter was kept get its columns here, null)
alter table raw.paper_observations add column if not exists submitted_by varchar;
alter table raw.paper_observations add column if not exists submitted_by_name varchar;
create table if not exists raw.quarantine (
    snapshot_id varchar not null,
    snapshot_date date not null,
    position integer not null,
    raw_text varchar,
    reasons varchar[] not null,
    title varchar,
    arxiv_id varchar
);
"""
# (snapshot_id, position) is unique in paper_observations and quarantine, but not as a primary
# key: DuckDB rewrites a table's whole key index at the first checkpoint after any change, which
# made every daily run pay for the whole history (1.1 s at ten years). replace_date_range checks
# the key of the rows it loads instead (a snapshot's rows all carry its date, so rows of other
# dates cannot collide), and dbt tests it again on int_paper_observations.
ENTRY_KEY = ["snapshot_id", "position"]
UNKEYED_TABLES = ("paper_observations", "quarantine")

OBSERVATION_COLUMNS = [
    "snapshot_id", "snapshot_date", "source_kind", "position", "arxiv_id", "title", "abstract",
    "authors", "author_handles", "n_authors", "organization", "organization_name",
    "published_on", "listed_on", "upvotes", "comments", "ai_keywords", "complete", "problems",
    "submitted_by", "submitted_by_name",
]
QUARANTINE_COLUMNS = ["snapshot_id", "snapshot_date", "position", "raw_text", "reasons", "title", "arxiv_id"]
SNAPSHOT_COLUMNS = [
    "snapshot_id", "snapshot_date", "source_kind", "path", "original_name", "sha256", "n_entries",
    "n_loaded", "n_quarantined", "status", "reason", "listing_kind", "listing_day", "problems",
    "ingested_at", "stored_name", "file_modified_at",
]
SOURCE_COLUMNS = ["snapshot_id", "snapshot_date", "original_name", "source_path", "landed_at",
                  "archive_path"]


@contextmanager
def connect(path: Path, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to the warehouse file; one that writes goes through connect_for_writing."""
    if not read_only:
        with connect_for_writing(path) as con:
            yield con
        return
    con = duckdb.connect(str(path), read_only=True)
    try:
        yield con
    finally:
        con.close()


# Rows per row group of every table written to the warehouse (DuckDB's default: 122,880). DuckDB
# scans a table with one thread per row group, and ten years of observations (109k rows) or
# papers (76k) were one group, read on one core. Every writer must use the same size: a
# checkpoint by a connection with another size rewrote the tables written with this one (~2 s
# at the close of a daily run's load on ten years). Writers: connect_for_writing (the loader,
# the publisher) and dbt (dbt_project/profiles.yml, checked equal by tests/storage/test_row_groups.py).
ROW_GROUP_SIZE = 16_384


@contextmanager
def connect_for_writing(path: Path | str, config: dict | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """open_for_writing, closed at the end of the block."""
    con = open_for_writing(path, config)
    try:
        yield con
    finally:
        con.close()


def spill_directory(path: Path | str) -> str:
    """Where DuckDB spills for the warehouse at `path`: `<path>.tmp` beside a file; for a service
    (MotherDuck), `warehouse.tmp` in the data dir, not a folder named after the service in
    whatever the working directory is (dbt_project/profiles.yml does the same)."""
    if is_service(path):
        return str(data_dir().root / "warehouse.tmp")
    return f"{path}.tmp"


def open_for_writing(path: Path | str, config: dict | None = None) -> duckdb.DuckDBPyConnection:
    """A read-write connection whose current database is the warehouse file at `path`, attached
    (as `warehouse`) with ROW_GROUP_SIZE. DuckDB spills to `<path>.tmp`, as when it opened the
    file itself (the in-memory main database would spill to the working directory). Only this
    connection's own current database is the warehouse: a `.cursor()` of it starts in `memory`."""
    con = duckdb.connect(config={"temp_directory": spill_directory(path), **(config or {})})
    try:
        con.execute(f"attach {sql_literal(str(path))} as warehouse (row_group_size {ROW_GROUP_SIZE})")
        con.execute("use warehouse")
    except BaseException:
        con.close()
        raise
    return con


# DuckDB 2.0 reads and writes this format and keeps it; DuckDB 1.4+ clients (the 1.5 CLI on
# PyPI) open it, unlike 2.0's own. See orchestration/storage/publish.py.
STORAGE_VERSION = "v1.4.0"


def sql_literal(text: str) -> str:
    """A SQL string literal (for statements that take no parameters: ATTACH, COMMENT ON)."""
    return "'" + text.replace("'", "''") + "'"


def attach_new(con: duckdb.DuckDBPyConnection, path: Path, alias: str) -> None:
    """Attach a new database file at `path` (any characters) in STORAGE_VERSION's format."""
    con.execute(f"attach {sql_literal(str(path))} as {alias} (storage_version '{STORAGE_VERSION}')")


def create_if_missing(path: Path) -> None:
    """Create an empty warehouse file in STORAGE_VERSION's format, which old clients can open."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(":memory:")
    try:
        attach_new(con, path, "new_warehouse")
        con.execute("detach new_warehouse")
    finally:
        con.close()


def ensure_raw_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(RAW_DDL)
    _drop_entry_primary_keys(con)


def _drop_entry_primary_keys(con: duckdb.DuckDBPyConnection) -> None:
    """Warehouses made before the key moved to the loader have a primary key on the entry tables.
    DuckDB cannot drop a constraint, so such a table is copied once into one without it."""
    keyed = con.execute(
        """select table_name from duckdb_constraints()
           where schema_name = 'raw' and constraint_type = 'PRIMARY KEY' and table_name in ?""",
        [list(UNKEYED_TABLES)],
    ).fetchall()
    for (table,) in keyed:
        con.execute("begin transaction")
        try:
            con.execute(f"alter table raw.{table} rename to {table}__keyed")
            con.execute(RAW_DDL)
            con.execute(f"insert into raw.{table} by name select * from raw.{table}__keyed")
            con.execute(f"drop table raw.{table}__keyed")
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise


def _check_entry_keys(name: str, rows: pl.DataFrame) -> None:
    duplicated = rows.filter(pl.struct(ENTRY_KEY).is_duplicated())
    if duplicated.height:
        first = duplicated.row(0, named=True)
        raise ValueError(f"{duplicated.height} {name} rows share a (snapshot_id, position) key, e.g. "
                         f"{first['snapshot_id']} position {first['position']}: nothing was loaded")


def replace_date_range(
    con: duckdb.DuckDBPyConnection,
    start: date,
    end: date,
    snapshots: pl.DataFrame,
    observations: pl.DataFrame,
    quarantine: pl.DataFrame,
) -> None:
    """Replace every raw row with snapshot_date in [start, end) by the given frames, atomically."""
    ensure_raw_tables(con)
    source_rows = snapshot_sources(snapshots)  # noqa: F841 - read by name in the SQL below
    if "stored_name" not in snapshots.columns:
        snapshots = snapshots.with_columns(stored_name=pl.lit(None, pl.String))
    snapshot_rows = in_row_groups(snapshots.select(SNAPSHOT_COLUMNS))  # noqa: F841 - as above
    # (observations parsed by a version before the submitter was kept: null)
    observations = observations.with_columns(pl.lit(None, pl.String).alias(name) for name in
                                             ("submitted_by", "submitted_by_name")
                                             if name not in observations.columns)
    observation_rows = in_row_groups(observations.select(OBSERVATION_COLUMNS))
    quarantine_rows = in_row_groups(quarantine.select(QUARANTINE_COLUMNS))
    _check_entry_keys("observation", observation_rows)
    _check_entry_keys("quarantine", quarantine_rows)
    con.execute("begin transaction")
    try:
        for table in ("raw.paper_observations", "raw.quarantine", "raw.snapshots", "raw.snapshot_sources"):
            con.execute(f"delete from {table} where snapshot_date >= ? and snapshot_date < ?", [start, end])
        con.execute("insert into raw.snapshots by name select * from snapshot_rows")
        con.execute("insert into raw.snapshot_sources by name select * from source_rows")
        con.execute("insert into raw.paper_observations by name select * from observation_rows")
        con.execute("insert into raw.quarantine by name select * from quarantine_rows")
        _pause_for_crash_test()
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


def snapshot_sources(snapshots: pl.DataFrame) -> pl.DataFrame:
    """The rows of raw.snapshot_sources: the `sources` list of each snapshot row, one row each
    (a frame without that column: each snapshot's own name and path)."""
    if "sources" not in snapshots.columns:
        return snapshots.select(
            "snapshot_id", "snapshot_date", "original_name", source_path=pl.lit(None, pl.String),
            landed_at=pl.lit(None, pl.Datetime("us")), archive_path=pl.col("path"))
    rows = snapshots.select("snapshot_id", "snapshot_date", "sources").explode("sources")
    rows = rows.filter(pl.col("sources").is_not_null()).unnest("sources")
    return rows.with_columns(archive_path="archive/" + pl.col("archive_path")).select(SOURCE_COLUMNS)


def in_row_groups(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame in chunks of ROW_GROUP_SIZE rows (the last one shorter), as an insert should get it.

    DuckDB inserts a frame's chunks on several threads, and each thread's rows end in a
    part-filled row group. Ten years of observations read back from parquet came in 20,000-row
    chunks and were stored in 11 row groups where 7 hold them; the load's closing checkpoint
    merged them to 8 and the next one, at the close of the dbt step, to 7, compressing their
    abstracts again each time (~0.5 s each). (Re-chunking copies only polars' string views, not
    the strings: ~10 ms for ten years.)"""
    return in_chunks_of(frame, ROW_GROUP_SIZE)


def in_chunks_of(frame: pl.DataFrame, rows: int) -> pl.DataFrame:
    """The same frame, its chunks `rows` rows long (the last one shorter)."""
    if frame.height <= rows:
        return frame.rechunk()
    return pl.concat([frame.slice(start, rows).rechunk() for start in range(0, frame.height, rows)],
                     rechunk=False)


def _pause_for_crash_test() -> None:
    """Test hook: with PAPERTRENDS_CRASH_TEST_PAUSE=<seconds>, announce and wait before commit.

    The kill-in-the-middle test SIGKILLs the process during this wait, with every row of the
    load written but not committed. Unset (always, outside that test) it does nothing.
    """
    pause = os.environ.get("PAPERTRENDS_CRASH_TEST_PAUSE")
    if pause:
        marker = os.environ["PAPERTRENDS_DATA_DIR"] + "/load-in-progress"
        with open(marker, "w") as announce:
            announce.write(str(os.getpid()))
        time.sleep(float(pause))
