"""`papertrends sql`: ad-hoc, read-only SQL against the published copy of the warehouse
(orchestration/publish.py), so a query never holds the lock the pipeline needs.

The connection is opened read-only with external access disabled and configuration locked, so
a query can read tables and views but cannot write, ATTACH, or read files.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl


class QueryError(Exception):
    """The query could not run; the message is DuckDB's, for people."""


def run_query(database: Path, sql: str) -> pl.DataFrame:
    if not database.exists():
        raise QueryError(f"no warehouse at {database}; run `make run` or `papertrends ingest` first")
    try:
        con = duckdb.connect(str(database), read_only=True)
    except duckdb.Error as exc:
        raise QueryError(f"cannot open {database}: {exc}") from None
    try:
        con.execute("set enable_external_access = false")
        con.execute("set lock_configuration = true")
        return con.sql(sql).pl()
    except duckdb.Error as exc:
        raise QueryError(str(exc).strip()) from None
    finally:
        con.close()


def render(frame: pl.DataFrame, fmt: str) -> str:
    if fmt == "csv":
        return frame.write_csv()
    if fmt == "json":
        return frame.write_json()
    with pl.Config(tbl_rows=200, tbl_cols=40, fmt_str_lengths=60, tbl_hide_dataframe_shape=True,
                   tbl_formatting="ASCII_MARKDOWN", tbl_hide_column_data_types=True):
        return f"{frame}\n({frame.height} rows)"
