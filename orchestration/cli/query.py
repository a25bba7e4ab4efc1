"""`papertrends sql`: ad-hoc, read-only SQL against the published copy of the warehouse
(orchestration/storage/publish.py), so a query never holds the lock the pipeline needs.

The connection is opened read-only with external access disabled and configuration locked, so
a query can read tables and views but cannot write, ATTACH, or read files
(orchestration/storage/publish.py: connect_published).

A script is split into statements by DuckDB's own parser (so a `;` inside a string or a
comment is no separator, and empty or comment-only text holds no statement). Each statement
runs on a worker thread while the calling (main) thread waits: Ctrl-C or the end of the time
allowed interrupts the connection (`DuckDBPyConnection.interrupt`), which stops the statement.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import polars as pl

from orchestration.cli.sql_shell import explain_error, rewrite
from orchestration.storage.publish import connect_published, missing_words
from orchestration.storage.settings import is_service, signed_out

POLL_SECONDS = 0.1   # how often the waiting thread returns to Python, where Ctrl-C is raised
STREAM_ROWS = 65_536   # rows read at a time from a result shown cut (--max-rows)


class QueryError(Exception):
    """The query could not run; the message is DuckDB's, for people."""


class QueryTimeout(QueryError):
    """The statement ran longer than the time allowed and was stopped."""


def run_script(database: Path, sql: str, show: Callable[[pl.DataFrame, int], None],
               timeout: float | None = None, keep: int | None = None) -> int:
    """Run every statement of `sql` in order, passing each result and its number of rows to
    `show`; the number of statements run (0 for empty or comment-only text). With `keep`, a
    result is read a batch at a time and only its first `keep` rows are held (the rest are
    counted), so a huge result shown cut costs no more memory than the rows shown. Raises
    QueryError (QueryTimeout when `timeout` seconds passed) on the first statement that fails,
    and KeyboardInterrupt after stopping the running statement on Ctrl-C."""
    con = connect_read_only(database)
    try:
        try:
            statements = con.extract_statements(sql)
        except duckdb.Error as exc:
            raise QueryError(explain_error(con, str(exc).strip())) from None
        for statement in statements:
            found = _run_statement(con, rewrite(statement.query) or statement, timeout, keep)
            if found is not None:
                show(*found)
        return len(statements)
    finally:
        con.close()


def connect_read_only(database: Path) -> duckdb.DuckDBPyConnection:
    if not is_service(database) and not database.exists():
        raise QueryError(missing_words(database))
    if (why := signed_out(database)) is not None:
        raise QueryError(why)
    try:
        return connect_published(database)
    except duckdb.Error as exc:
        raise QueryError(f"cannot open {database}: {exc}") from None
    except RuntimeError as exc:
        # Ctrl-C while DuckDB runs the connection's set-up statements reaches Python as DuckDB's
        # RuntimeError "Query interrupted": the same Ctrl-C as during a query (run_script's
        # callers handle KeyboardInterrupt)
        if "interrupted" in str(exc).lower():
            raise KeyboardInterrupt from None
        raise


def _run_statement(con: duckdb.DuckDBPyConnection, statement, timeout: float | None,
                   keep: int | None = None) -> tuple[pl.DataFrame, int] | None:
    """(the result, its number of rows: more than the frame's when `keep` cut it), or None for a
    statement without a result."""
    outcome: dict = {}
    done = threading.Event()

    def work() -> None:
        try:
            relation = (con.sql(statement[0], params=statement[1]) if isinstance(statement, tuple)
                        else con.sql(statement))
            outcome["frame"] = None if relation is None else _rows(relation, keep)
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
            outcome["error"] = exc
        finally:
            done.set()

    thread = threading.Thread(target=work, name="papertrends-sql", daemon=True)
    deadline = None if timeout is None else time.monotonic() + timeout
    try:
        thread.start()   # (inside the try: a Ctrl-C may land while the thread is starting)
        # Short waits, not one long one: a signal may reach any thread of the process, and the
        # main thread runs Python's handler (raising KeyboardInterrupt) only when it wakes up.
        while not done.wait(POLL_SECONDS):
            if deadline is not None and time.monotonic() >= deadline:
                _stop(con, done)
                raise QueryTimeout(f"the statement ran longer than {timeout:g} s (--timeout) and "
                                   "was stopped; allow more time or narrow the query")
    except KeyboardInterrupt:
        if thread.ident is not None:   # it started: stop its statement
            _stop(con, done)
        raise
    if "error" in outcome:
        error = outcome["error"]
        if isinstance(error, duckdb.Error):
            raise QueryError(explain_error(con, str(error).strip())) from None
        raise error
    return outcome["frame"]


# DuckDB types polars cannot hold (an interval, a union, also inside a list or a struct) or
# shows wrongly (a uhugeint above 2**127 as negative): shown as DuckDB writes them as text
_AS_TEXT_RE = re.compile(r"\b(?:INTERVAL|UNION|UHUGEINT|BIT|VARINT|BIGNUM|BLOB|TIME WITH TIME ZONE)\b")


def _rows(relation: duckdb.DuckDBPyRelation, keep: int | None) -> tuple[pl.DataFrame, int]:
    """The result as a frame; a column polars cannot hold (a nested interval) makes every
    column text, as DuckDB writes it."""
    try:
        return _showable(relation, keep)
    except (pl.exceptions.PolarsError, pl.exceptions.PanicException, ValueError, TypeError):
        table, total = _fetch(_as_text(relation, lambda i, kind: True), keep)
        return pl.from_arrow(table), total


# dates and times Python cannot hold (infinity, a year past 9999; polars would panic showing
# them): the columns holding one are shown as DuckDB writes them
_TEMPORAL_RE = re.compile(r"\b(?:DATE|TIMESTAMP)")


def _showable(relation: duckdb.DuckDBPyRelation, keep: int | None) -> tuple[pl.DataFrame, int]:
    table, total = _fetch(_as_text(relation, lambda i, kind: _AS_TEXT_RE.search(str(kind)) is not None), keep)
    far = {i for i, kind in enumerate(relation.types)
           if _TEMPORAL_RE.search(str(kind)) and not _AS_TEXT_RE.search(str(kind))
           and not _in_python_range(table.column(i))}
    if far:
        table, total = _fetch(_as_text(relation, lambda i, kind: i in far or _AS_TEXT_RE.search(str(kind)) is not None),
                              keep)
    return pl.from_arrow(table), total


def _in_python_range(column) -> bool:
    """Whether every value of the Arrow column converts to Python (flat: its least and
    greatest; nested: each value)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        if pa.types.is_nested(column.type):
            column.to_pylist()
        else:
            extremes = pc.min_max(column)
            extremes["min"].as_py(), extremes["max"].as_py()
    except (OverflowError, ValueError):
        return False
    return True


def _as_text(relation: duckdb.DuckDBPyRelation, cast) -> duckdb.DuckDBPyRelation:
    """`cast(i, kind)`: whether the i-th column, of DuckDB type `kind`, is cast to text."""
    columns = [f'"{name.replace(chr(34), chr(34) * 2)}"' for name in relation.columns]
    chosen = [cast(i, kind) for i, kind in enumerate(relation.types)]
    if not any(chosen):
        return relation
    return relation.project(", ".join(f"cast({c} as varchar) as {c}" if text else c
                                      for c, text in zip(columns, chosen)))


def _fetch(relation: duckdb.DuckDBPyRelation, keep: int | None):
    """(an Arrow table of the result, or of its first `keep` rows; the result's row count)."""
    import pyarrow as pa

    reader = relation.to_arrow_reader(STREAM_ROWS)
    kept, held, total = [], 0, 0
    for batch in reader:
        total += batch.num_rows
        if keep is None or held < keep:
            kept.append(batch if keep is None else batch.slice(0, keep - held))
            held += kept[-1].num_rows
    return pa.Table.from_batches(kept, schema=reader.schema), total


def _stop(con: duckdb.DuckDBPyConnection, done: threading.Event) -> None:
    """Interrupt the running statement and wait until it has stopped (a second Ctrl-C stops
    the waiting; the statement's thread ends with the process)."""
    con.interrupt()
    try:
        while not done.wait(POLL_SECONDS):
            con.interrupt()
    except KeyboardInterrupt:
        pass


def run_sql(database: Path, statement: tuple[str, list], timeout: float | None = None) -> pl.DataFrame:
    """One (SQL, parameters) statement of papertrends' own (a dot command's query)."""
    con = connect_read_only(database)
    try:
        return _run_statement(con, statement, timeout)[0]
    finally:
        con.close()
