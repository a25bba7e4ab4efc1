"""The pooled event log (orchestration/dagster_event_log.py) stores a batch of asset events with
the rows Dagster's own SqliteEventLogStorage writes for the same events stored one by one: the
events, their tags and each asset's summary row (its last materialization, run and time), though
it writes that summary row once per asset and batch."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import dagster as dg
import pytest
from dagster._core.events import (
    AssetMaterializationPlannedData, DagsterEvent, DagsterEventType, StepMaterializationData,
)
from dagster._core.events.log import EventLogEntry
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage

from orchestration.dagster_event_log import PooledSqliteEventLogStorage

RUN = "0f0f0f0f-1111-2222-3333-444455556666"
ASSETS = [dg.AssetKey(["raw", "snapshots"]), dg.AssetKey("validated_observations")]
MONTHS = ["2025-09-01", "2025-10-01", "2025-11-01"]


def _entry(kind: DagsterEventType, data, timestamp: float) -> EventLogEntry:
    return EventLogEntry(
        error_info=None, level=logging.DEBUG, user_message="", run_id=RUN, timestamp=timestamp,
        step_key="load", job_name="ingest",
        dagster_event=DagsterEvent(kind.value, "ingest", event_specific_data=data, step_key="load"))


def materializations() -> list[EventLogEntry]:
    return [_entry(DagsterEventType.ASSET_MATERIALIZATION,
                   StepMaterializationData(dg.AssetMaterialization(
                       asset_key=key, partition=month, metadata={"rows": n},
                       tags={"dagster/data_version": f"v{n}", "dagster/code_version": "1"})),
                   1_700_000_000.0 + n)
            for n, (month, key) in enumerate((m, k) for m in MONTHS for k in ASSETS)]


def mixed() -> list[EventLogEntry]:
    events = materializations()
    planned = _entry(DagsterEventType.ASSET_MATERIALIZATION_PLANNED,
                     AssetMaterializationPlannedData(ASSETS[0], partition=MONTHS[0]), 1_700_000_100.0)
    return events + [planned]   # the asset's last event: it writes its time, not its record


def _rows(base: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(base / "index.db") as con:
        return {
            "asset_keys": con.execute(
                "select asset_key, last_materialization, last_run_id, last_materialization_timestamp,"
                " asset_details, wipe_timestamp, tags, cached_status_data from asset_keys"
                " order by asset_key").fetchall(),
            "event_logs": con.execute(
                "select id, run_id, event, dagster_event_type, asset_key, partition from event_logs"
                " order by id").fetchall(),
            "tags": con.execute("select event_id, asset_key, key, value from asset_event_tags"
                                " order by event_id, key").fetchall(),
        }


@pytest.mark.parametrize("batch", [materializations, mixed])
def test_a_batch_stores_what_dagster_stores_event_by_event(batch, tmp_path, monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    pooled = PooledSqliteEventLogStorage(str(tmp_path / "pooled"))
    own = SqliteEventLogStorage(str(tmp_path / "own"))
    events = batch()
    try:
        pooled.store_event_batch(events)
        for event in events:
            own.store_event(event)
    finally:
        pooled.dispose()
        own.dispose()
    ours, theirs = _rows(tmp_path / "pooled"), _rows(tmp_path / "own")
    assert ours == theirs
    assert len(ours["asset_keys"]) == len(ASSETS) and len(ours["event_logs"]) == len(events)
    assert len(ours["tags"]) >= len(materializations())   # the data versions are indexed
    last = [row for row in ours["event_logs"] if row[3] == "ASSET_MATERIALIZATION"][-1]
    assert last[5] == MONTHS[-1] and all(row[2] == RUN for row in ours["asset_keys"])
