"""Schedule, sensor, one-run backfills and concurrent runs, as Dagster and users drive them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl
import pytest

from bench.generate import generate
from orchestration.defs.dbt.manifest import ensure_manifest
from orchestration.defs.jobs import landing_sensor
from orchestration.runs.runner import run_pipeline
from orchestration.storage.settings import DataDir
from orchestration.storage.warehouse import replace_date_range
from tests.conftest import API_DAYS, CAPTURE, exported_environment

ensure_manifest()
from orchestration.definitions import defs  # noqa: E402
from orchestration.defs.dbt.assets import reload_from  # noqa: E402

PAPERTRENDS = str(Path(sys.executable).parent / "papertrends")


def tick(cursor: str | None) -> dg.SensorResult:
    with dg.DagsterInstance.ephemeral() as instance:
        context = dg.build_sensor_context(instance=instance, cursor=cursor,
                                          repository_def=defs.get_repository_def())
        return landing_sensor(context)


@pytest.mark.needs_shared_data
def test_sensor_asks_once_per_month_of_new_files_and_again_when_one_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("PAPERTRENDS_DATA_DIR", str(tmp_path))
    data = DataDir(tmp_path).ensure()
    for path in API_DAYS[:3]:
        (data.landing / path.name).write_bytes(path.read_bytes())
    (data.landing / CAPTURE.name).write_bytes(CAPTURE.read_bytes())

    first = tick(None)
    assert sorted(r.partition_key for r in first.run_requests) == ["2025-11-01", "2025-12-01"]
    assert all(r.job_name in (None, "daily_pipeline") for r in first.run_requests)

    again = tick(first.cursor)
    assert again.run_requests == []  # nothing changed: no run

    changed = json.loads(API_DAYS[1].read_bytes())
    changed[0]["paper"]["upvotes"] += 1
    (data.landing / API_DAYS[1].name).write_text(json.dumps(changed))
    third = tick(again.cursor)
    assert [r.partition_key for r in third.run_requests] == ["2025-11-01"]
    assert third.run_requests[0].run_key not in {r.run_key for r in first.run_requests}


def test_sensor_is_quiet_on_an_empty_landing_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("PAPERTRENDS_DATA_DIR", str(tmp_path))
    DataDir(tmp_path).ensure()
    assert tick(None).run_requests == []


@pytest.mark.needs_shared_data
def test_a_backfill_over_several_months_is_one_run_with_one_planned_event_per_asset(seeded_copy):
    """The session's `seeded` data dir is such a backfill: one run over 2025-11-03 .. 2025-12-10
    (the November API days and the December capture), two monthly partitions. (Read in a copy:
    opening a Dagster instance writes to its storage, which other workers copy.)"""
    data = seeded_copy
    months = ["2025-11-01", "2025-12-01"]
    with exported_environment(data), dg.DagsterInstance.get() as instance:
        runs = instance.get_runs()
        assert len(runs) == 1
        run_id = runs[0].run_id
        partitions = instance.get_materialized_partitions(dg.AssetKey(["raw", "snapshots"]))
        materialized = Counter(
            (record.event_log_entry.dagster_event.asset_key.to_user_string(),
             record.event_log_entry.dagster_event.partition)
            for record in instance.get_records_for_run(
                run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION, limit=5000).records)
        latest = instance.get_latest_materialization_event(dg.AssetKey(["raw", "quarantine"]))
        by_month = instance.get_materialized_partitions(dg.AssetKey(["raw", "paper_observations"]))
        steps = {record.event_log_entry.step_key for record in instance.get_records_for_run(
            run_id, of_type=dg.DagsterEventType.STEP_SUCCESS).records}
        planned = instance.get_records_for_run(
            run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION_PLANNED).records
        check = dg.AssetCheckKey(dg.AssetKey(["raw", "snapshots"]), "entries_accounted_for")
        executions = instance.event_log_storage.get_asset_check_execution_history(check, limit=10)
    assert partitions == by_month == set(months)
    for asset in ("raw/snapshots", "raw/paper_observations", "raw/quarantine"):
        assert [materialized[asset, month] for month in months] == [1, 1], asset
    # the fetch step is not partitioned: one materialization for the run, whatever its months
    assert [n for (asset, _), n in materialized.items() if asset == "api_listing"] == [1]
    assert materialized["api_listing", None] == 1
    # the steps before the load are ops of raw_tables: each ran, and none is an asset of its own
    assert {"raw_tables.archive_snapshots", "raw_tables.parse_snapshots", "raw_tables.validate_observations",
            "raw_tables.load_raw_tables"} <= steps
    assert latest.dagster_event.partition == months[-1]   # the asset's index row: the batch's last
    # The check's one result for the run, which names no partition (Dagster stores no planned
    # evaluation per month for the checks of a graph-backed asset).
    assert sorted((str(e.partition), e.status.value) for e in executions) == [("None", "SUCCEEDED")]
    # One planned event per asset key for the whole range, not one per partition per asset.
    keys = [record.event_log_entry.dagster_event.asset_key for record in planned]
    assert len(keys) == len(set(keys)) == len(defs.resolve_asset_graph().get_all_asset_keys())
    con = duckdb.connect(str(data.warehouse), read_only=True)
    try:   # 20 API days and the capture's day
        assert con.execute("select count(distinct snapshot_date) from raw.snapshots").fetchall() == [(21,)]
    finally:
        con.close()


def test_the_job_runs_in_process_and_writers_share_one_pool():
    job = defs.resolve_job_def("daily_pipeline")
    assert job.executor_def.name == "in_process"
    graph = defs.resolve_asset_graph()
    pooled = {key.to_user_string() for key in graph.get_all_asset_keys()
              if graph.get(key).pools == {"duckdb"}}
    assert {"raw/paper_observations", "marts/papers", "published_warehouse"} <= pooled


@pytest.mark.needs_shared_data
def test_two_ingests_started_at_once_both_succeed_one_after_the_other(tmp_path):
    env = {**os.environ, "PAPERTRENDS_DATA_DIR": str(tmp_path)}
    halves = [API_DAYS[:10], API_DAYS[10:]]
    processes = [subprocess.Popen([PAPERTRENDS, "ingest", *map(str, half)], env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                 for half in halves]
    outputs = [p.communicate(timeout=900)[0] for p in processes]
    assert [p.returncode for p in processes] == [0, 0], outputs
    assert any("waiting for it to finish" in out for out in outputs), outputs
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True)
    try:
        assert con.execute("select count(*), sum(n_entries) from raw.snapshots").fetchall() == [(20, 412)]
        assert con.execute("select count(*) from marts.papers").fetchall() == [(412,)]
    finally:
        con.close()


@pytest.mark.needs_shared_data
def test_files_dropped_one_by_one_through_the_sensor_are_each_ingested_once(tmp_path, monkeypatch):
    data = DataDir(tmp_path).ensure()
    for name, value in (("PAPERTRENDS_DATA_DIR", tmp_path), ("PAPERTRENDS_WAREHOUSE", data.warehouse),
                        ("DAGSTER_HOME", data.dagster_home)):
        monkeypatch.setenv(name, str(value))
    days = API_DAYS[4:6]  # Friday, then Monday
    cursor = None
    for path in days:
        (data.landing / path.name).write_bytes(path.read_bytes())
        asked = tick(cursor)
        assert [r.partition_key for r in asked.run_requests] == ["2025-11-01"]
        day = date.fromisoformat(path.stem)
        assert run_pipeline(data, day, day).success  # the run the request asks for
        cursor = asked.cursor
        assert tick(cursor).run_requests == []  # landing is empty again: nothing more to do
    expected = sum(len(json.loads(p.read_bytes())) for p in days)
    con = duckdb.connect(str(data.warehouse), read_only=True)
    try:
        assert con.execute("select count(*), sum(n_entries) from raw.snapshots").fetchall() == [(2, expected)]
        assert con.execute("select count(*) from marts.papers where is_listed").fetchall() == [(expected,)]
        per_day = con.execute("""select period_start::varchar, max(period_papers) from marts.topic_counts
            where grain = 'day' and basis = 'listed' group by 1 order by 1""").fetchall()
    finally:
        con.close()
    assert per_day == [(p.stem, len(json.loads(p.read_bytes()))) for p in days]
    assert len(list(data.archive.rglob("*.json"))) == 2


@pytest.mark.needs_shared_data
def test_runs_log_their_events_in_their_own_data_dir(seeded, seeded_copy):
    """The event log is Dagster's own SQLite storage, rooted in DAGSTER_HOME: a copy of a data
    dir (here of `seeded`, which one run made) logs its runs in the copy."""
    copy = seeded_copy
    generate(copy.landing, 1, kind="json", end=date(2026, 1, 2))
    with exported_environment(copy):
        result = run_pipeline(copy, date(2026, 1, 2), date(2026, 1, 2))
        assert result.success
        with dg.DagsterInstance.get() as instance:
            assert type(instance.event_log_storage).__module__.startswith("dagster.")
            assert len(instance.get_runs()) == 2
            materialized = instance.get_materialized_partitions(dg.AssetKey(["raw", "snapshots"]))
    # the months the original's run materialized, and the copy's run's month
    assert materialized == {"2025-11-01", "2025-12-01", "2026-01-01"}
    shard = Path("history", "runs", f"{result.run_id}.db")
    assert (copy.dagster_home / shard).exists()
    assert not (seeded.dagster_home / shard).exists()


@pytest.mark.needs_shared_data
def test_raw_rows_a_failed_dbt_step_left_are_rebuilt_by_the_next_run(seeded_copy):
    """When a run's dbt step fails, its raw rows are loaded but no incremental model saw them;
    the next run, even for a later month, rebuilds from the earliest of them. (A copy of
    `seeded`, whose one run built every model.)"""
    data = seeded_copy
    february = {"dagster/partition": "2026-02-01"}
    with exported_environment(data), dg.DagsterInstance.get() as instance:
        assert reload_from(instance, february, data.warehouse) == date(2026, 2, 1)
        # what a run whose dbt step failed leaves: January's raw rows, and no dbt materialization
        con = duckdb.connect(str(data.warehouse))
        try:
            day = con.sql("select * from raw.snapshots where snapshot_date = '2025-11-28'").pl()
            later = day.with_columns(pl.lit(date(2026, 1, 15)).alias("snapshot_date"),
                                     (pl.col("snapshot_id") + "-late").alias("snapshot_id"),
                                     pl.lit(datetime.now(UTC).replace(tzinfo=None)).alias("ingested_at"))
            def empty(table: str) -> pl.DataFrame:
                return pl.DataFrame(schema=con.sql(f"select * from raw.{table} limit 0").pl().schema)

            replace_date_range(con, date(2026, 1, 1), date(2026, 2, 1), later,
                               empty("paper_observations"), empty("quarantine"))
        finally:
            con.close()
        assert reload_from(instance, february, data.warehouse) == date(2026, 1, 15)
        assert reload_from(instance, {}, data.warehouse) is None   # not a partitioned run
