"""The published read-only copy of the warehouse, for people and their SQL clients.

DuckDB lets a reader block the writer (a read-only session holds a lock too), so ad-hoc SQL
never opens `warehouse.duckdb`: after each successful run the pipeline writes a copy beside it,
built aside and then renamed into place atomically. The copy is in DuckDB's v1.4.0 storage
format, which DuckDB 1.4 and later (including the 1.5 CLI on PyPI) can open.

papertrends creates the warehouse itself in that format (orchestration/storage/warehouse.py), so
publishing is a CHECKPOINT and a file copy (~0.1 s per 100 MB). A warehouse made by an older
papertrends is in DuckDB 2.0's format, which the 1.x clients refuse: it is published the slow
way, table by table into a v1.4.0 file (seconds per 100 MB).
"""

from __future__ import annotations

import os
import shlex
import shutil
from pathlib import Path

import duckdb

from orchestration.storage.settings import is_service
from orchestration.storage.warehouse import attach_new, sql_literal

PUBLISHED_NAME = "warehouse-readonly.duckdb"
PUBLISHED_SCHEMAS = ("raw", "staging", "intermediate", "reference", "marts", "reporting")


def published_path(warehouse: Path) -> Path:
    """The copy people query; a service warehouse (MotherDuck) takes concurrent readers itself,
    so for it this is the warehouse."""
    return warehouse if is_service(warehouse) else warehouse.with_name(PUBLISHED_NAME)


def missing_words(database: Path) -> str:
    """What to say when the published copy `database` is not there, and what to do."""
    folder = database.parent
    if folder.exists() and not folder.is_dir():
        return (f"the data dir {folder} is a file, not a folder: point PAPERTRENDS_DATA_DIR at a "
                "folder (it is made when missing)")
    if (warehouse := database.with_name("warehouse.duckdb")).exists():
        return (f"the published copy {database} is missing (the warehouse beside it is there; a first run "
                "that stopped before the marts writes none): the next run that completes writes it; to "
                f"look at the warehouse itself now: uv run duckdb -readonly {shlex.quote(str(warehouse))}")
    return f"no warehouse at {database}; run `make run` or `papertrends ingest` first"


def connect_published(database: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published copy (`database`) with external access disabled
    and configuration locked: it can read tables and views but cannot write, ATTACH, or read
    files."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        con.execute("set enable_external_access = false")
        con.execute("set lock_configuration = true")
    except BaseException:
        con.close()
        raise
    return con


def publish(con: duckdb.DuckDBPyConnection, warehouse: Path) -> Path:
    """Write a fresh copy aside, then rename it over the published one.

    `con` is a connection to the warehouse (the writer's, holding the pipeline lock: nothing
    else writes meanwhile). Returns the published path.
    """
    target = published_path(warehouse)
    temporary = target.with_name(f".{target.name}.part")
    for leftover in (temporary, temporary.with_name(temporary.name + ".wal")):
        leftover.unlink(missing_ok=True)
    try:
        if readable_by_old_clients(con):
            con.execute("checkpoint")  # everything in the file, nothing left in the .wal
            shutil.copyfile(warehouse, temporary)
        else:
            _copy_tables(con, temporary)
    except BaseException:   # (a full disk): no half-written copy left behind
        for leftover in (temporary, temporary.with_name(temporary.name + ".wal")):
            leftover.unlink(missing_ok=True)
        raise
    os.replace(temporary, target)
    return target


def readable_by_old_clients(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the connection's database file is in a storage format DuckDB 1.4+ reads."""
    tags = con.execute("select tags from duckdb_databases() where database_name = current_database()"
                       ).fetchall()[0][0] or {}
    return str(tags.get("storage_version", "")).startswith("v1.")


def _copy_tables(con: duckdb.DuckDBPyConnection, temporary: Path) -> None:
    """Every schema, table by table, into a new v1.4.0 file (for a warehouse in 2.0's format)."""
    source = con.execute("select current_database()").fetchall()[0][0]
    attach_new(con, temporary, "published_copy")
    try:
        for schema in PUBLISHED_SCHEMAS:
            con.execute(f"create schema if not exists published_copy.{schema}")
        tables = con.execute(
            """select schema_name, table_name, comment from duckdb_tables()
               where database_name = ? and schema_name in ? order by all""",
            [source, list(PUBLISHED_SCHEMAS)],
        ).fetchall()
        for schema, table, _ in tables:
            con.execute(f'create table published_copy.{schema}."{table}" as '
                        f'select * from {source}.{schema}."{table}"')
        views = con.execute(
            """select schema_name, view_name, sql from duckdb_views()
               where database_name = ? and schema_name in ? and not internal order by all""",
            [source, list(PUBLISHED_SCHEMAS)],
        ).fetchall()
        _copy_views(con, source, views)
        _copy_comments(con, source)
    finally:
        con.execute("detach published_copy")


def _copy_views(con: duckdb.DuckDBPyConnection, source: str, views: list[tuple]) -> None:
    """Recreate views inside the copy: their SQL, with references to the source database
    pointed at the copy, run with the copy as the default database. A view is created after
    the views it reads (a failed one is retried once others exist)."""
    pending = [sql.replace(f'"{source}".', "").replace(f"{source}.", "") for _, _, sql in views]
    con.execute("use published_copy")
    try:
        while pending:
            failed = []
            for sql in pending:
                try:
                    con.execute(sql)
                except duckdb.CatalogException:
                    failed.append(sql)
            if len(failed) == len(pending):
                con.execute(failed[0])  # no progress: raise the real error
            pending = failed
    finally:
        con.execute(f"use {source}")


def _copy_comments(con: duckdb.DuckDBPyConnection, source: str) -> None:
    comments = con.execute(
        """select schema_name, table_name, 'table' as kind, comment from duckdb_tables()
               where database_name = ? and comment is not null
           union all
           select schema_name, view_name, 'view', comment from duckdb_views()
               where database_name = ? and comment is not null and not internal""",
        [source, source],
    ).fetchall()
    for schema, name, kind, comment in comments:
        if schema in PUBLISHED_SCHEMAS:
            con.execute(f'comment on {kind} published_copy.{schema}."{name}" is ' + sql_literal(comment))
    columns = con.execute(
        """select schema_name, table_name, column_name, comment from duckdb_columns()
           where database_name = ? and comment is not null""", [source]).fetchall()
    for schema, table, column, comment in columns:
        if schema in PUBLISHED_SCHEMAS:
            con.execute(f'comment on column published_copy.{schema}."{table}"."{column}" is '
                        + sql_literal(comment))
