"""Cheaper writes to Dagster's SQLite storage in this process.

Dagster's default storage opens a SQLite connection, commits and closes it for every event a run
logs; a run of the daily job logs ~250 events (planned and done materializations, 40 dbt tests
as asset checks, step outputs), each waiting for an fsync of the write-ahead log. With
`synchronous=NORMAL` (SQLite's recommended setting in WAL mode, which Dagster uses) commits do
not wait for the disk: the database cannot be corrupted, and only a power cut could lose the
last events. Applied to connections to files under DAGSTER_HOME only.
"""

from __future__ import annotations

import os
import sqlite3

_installed = False


def _relax(dbapi_connection, _record) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    home = os.environ.get("DAGSTER_HOME")
    row = dbapi_connection.execute("PRAGMA database_list").fetchone()
    if home and row and row[2] and row[2].startswith(os.path.realpath(home)):
        dbapi_connection.execute("PRAGMA synchronous=NORMAL")


def install() -> None:
    """Register the setting for every SQLite connection SQLAlchemy opens from now on."""
    global _installed
    if _installed:
        return
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    event.listen(Engine, "connect", _relax)
    _installed = True
