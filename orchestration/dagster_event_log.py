"""Dagster's SQLite event log, with one database engine per file instead of one per event.

Dagster's `SqliteEventLogStorage._connect` creates a SQLAlchemy engine, connects, and disposes of
the engine for every event it stores (twice for an asset event: the run's file and the index).
A ten-year backfill stores ~1,100 events and the daily run ~250; building and tearing down the
engines was ~40% of storing them. This subclass keeps one engine per file (SQLAlchemy's default
pool for SQLite files) for the life of the process, and remembers that a table or column it
found exists (Dagster looks again, with a new engine, for every asset event). It also
serializes a planned asset check once, not once per partition (a ten-year run plans each check
of the raw tables for 120 months: ~2 s), and stores a batch of asset events (a step's
materializations of its 120 months, which Dagster hands over as one batch when
DAGSTER_EVENT_BATCH_SIZE is set, as orchestration/settings.py does) in one transaction per file
instead of two per event, each asset's summary row written once per batch, not once per event.
The rows, the files, their schema and everything that reads them (the UI, `dagster` commands)
are Dagster's own.

dagster.yaml names it (see orchestration/settings.py); `base_dir` defaults to where Dagster keeps
its event log under DAGSTER_HOME, so a data dir can be moved or copied.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Iterator

from dagster import Field, StringSource
from dagster._core.events import ASSET_CHECK_EVENTS, ASSET_EVENTS, EVENT_TYPE_TO_PIPELINE_RUN_STATUS
from dagster._core.events.log import EventLogEntry
from dagster._core.storage.asset_check_execution_record import AssetCheckExecutionRecordStatus
from dagster._core.storage.event_log.schema import AssetCheckExecutionsTable
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from dagster._serdes import serialize_value
from sqlalchemy import create_engine
from sqlalchemy.engine import Connection, Engine

MAX_OPEN_FILES = 8   # engines kept: the index and the last runs' files


class PooledSqliteEventLogStorage(SqliteEventLogStorage):
    def __init__(self, base_dir: str | None = None, inst_data=None):
        self._engines: dict[str, Engine] = {}
        self._tables_seen: set[str] = set()
        self._asset_key_index_cols_seen = False
        home = os.environ["DAGSTER_HOME"]
        super().__init__(base_dir or os.path.join(home, "history", "runs"), inst_data=inst_data)

    @classmethod
    def config_type(cls):
        return {"base_dir": Field(StringSource, is_required=False)}

    @classmethod
    def from_config_value(cls, inst_data, config_value) -> "PooledSqliteEventLogStorage":
        return cls(inst_data=inst_data, **config_value)

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        with self._db_lock:
            engine = self._engines.pop(shard, None)
            if engine is None:
                engine = create_engine(self.conn_string_for_shard(shard),
                                       connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS})
                if shard not in self._initialized_dbs:
                    self._initdb(engine)
                    self._initialized_dbs.add(shard)
            self._engines[shard] = engine   # the most recently used last
            # A long-lived process (the UI) reads many runs' files: keep the few last used.
            while len(self._engines) > MAX_OPEN_FILES:
                oldest = next(iter(self._engines))
                self._engines.pop(oldest).dispose()
            with engine.connect() as conn:
                with conn.begin():
                    yield conn

    def wipe(self) -> None:
        self._dispose_engines()
        super().wipe()

    def has_table(self, table_name: str) -> bool:
        if table_name not in self._tables_seen:
            if not super().has_table(table_name):
                return False
            self._tables_seen.add(table_name)
        return True

    def _has_asset_key_index_cols_on_connection(self, conn: Connection) -> bool:
        if not self._asset_key_index_cols_seen:
            self._asset_key_index_cols_seen = super()._has_asset_key_index_cols_on_connection(conn)
        return self._asset_key_index_cols_seen

    def store_event_batch(self, events: list[EventLogEntry]) -> None:
        """Dagster's SqliteEventLogStorage.store_event (dagster 1.13) for asset events, each
        event's rows written as there, but the batch's in one transaction per file. Any other
        batch is stored event by event, as Dagster does."""
        if not events or not all(_plain_asset_event(event) for event in events) \
                or len({event.run_id for event in events}) > 1:
            super().store_event_batch(events)
            return
        statements = [self.prepare_insert_event(event) for event in events]
        with self.run_connection(events[0].run_id) as conn:
            for statement in statements:
                conn.execute(statement)
        with self.index_transaction() as conn:
            ids = [conn.execute(statement).inserted_primary_key[0] for statement in statements]
            self._store_asset_event_tags(conn, events, ids)   # one executemany for the batch
            for event, event_id in _latest_per_asset(list(zip(events, ids))):
                self._store_asset_event(conn, event, event_id)

    def _store_asset_check_evaluation_planned(self, event, event_id) -> None:
        """Dagster's method (dagster 1.13, SqlEventLogStorage), with serialize_value(event) hoisted
        out of the row per partition, and the rows inserted by executemany (SQLAlchemy compiled
        Dagster's one multi-row VALUES statement for ~0.3 s per check of a ten-year run)."""
        planned = event.dagster_event.event_specific_data
        partition_keys = (planned.partitions_subset.get_partition_keys()
                          if planned.partitions_subset else [None])
        shared = dict(
            asset_key=planned.asset_key.to_string(), check_name=planned.check_name,
            run_id=event.run_id, execution_status=AssetCheckExecutionRecordStatus.PLANNED.value,
            evaluation_event=serialize_value(event),
            evaluation_event_timestamp=self._event_insert_timestamp(event),
            evaluation_event_storage_id=event_id,
        )
        with self.index_connection() as conn:   # executemany: one compiled statement, not a
            conn.execute(AssetCheckExecutionsTable.insert(),   # VALUES list of 1,080 parameters
                         [dict(shared, partition=partition_key) for partition_key in partition_keys])

    def _dispose_engines(self) -> None:
        with self._db_lock:
            for engine in self._engines.values():
                engine.dispose()
            self._engines.clear()

    def dispose(self) -> None:
        self._dispose_engines()
        super().dispose()


def _plain_asset_event(event: EventLogEntry) -> bool:
    """An event that store_event mirrors into the index as an asset event, and nothing else."""
    kind = event.dagster_event_type if event.is_dagster_event else None
    return (kind in ASSET_EVENTS and kind not in ASSET_CHECK_EVENTS
            and kind not in EVENT_TYPE_TO_PIPELINE_RUN_STATUS)


def _latest_per_asset(stored: list[tuple[EventLogEntry, int]]) -> list[tuple[EventLogEntry, int]]:
    """The stored (event, id) pairs whose row in the asset-key table must be written, in order.

    That row holds what the asset's latest event wrote, and every value one kind of event writes
    there is a "last" one (its record, its run, its time), each overwriting the one before. So
    in a batch of one kind, only each asset's last event counts: a ten-year step's 120 months of
    an asset take 1 write instead of 120 (each an insert refused, then an update, with the
    event serialized once more). A batch of several kinds writes every event's, as Dagster does
    (a planned event writes fewer columns than a materialization)."""
    if len({event.dagster_event_type for event, _ in stored}) > 1:
        return stored
    return list({event.dagster_event.asset_key: (event, event_id) for event, event_id in stored}.values())
