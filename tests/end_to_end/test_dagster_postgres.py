"""Dagster on Postgres, for real: a local PostgreSQL (tests/postgres_server.py) named by
PAPERTRENDS_DAGSTER_PG_URL holds the instance's runs, events and schedules while the pipeline
runs end to end: `make run` (the sample capture, then a backfill: `papertrends fetch` of
eighteen days from the local API stand-in, through make's FETCH_ARGS), the daily schedule's
tick, the landing sensor's run, the asset checks; then dagster-webserver, started on that
instance, lists those runs through its GraphQL API."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from datetime import date

import dagster as dg
import pytest
from dagster_postgres import PostgresEventLogStorage, PostgresRunStorage, PostgresScheduleStorage

from orchestration.storage.dagster_storage import PG_URL_ENV
from orchestration.storage.settings import PROJECT_ROOT, DataDir, export_environment
from tests.api_server import ApiServer
from tests.capture_render import render_capture
from tests.conftest import api_items
from tests.end_to_end.test_month_of_daily_runs import tick
from tests.postgres_server import PostgresServer, free_port

pytestmark = pytest.mark.needs_shared_data

RUNS_QUERY = """{ runsOrError { ... on Runs { results { runId status tags { key value } } } } }"""


def graphql(port: int, query: str) -> dict:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/graphql",
                                     data=json.dumps({"query": query}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())["data"]


def wait_for_webserver(process: subprocess.Popen, port: int, limit: float = 90) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        assert process.poll() is None, "dagster-webserver ended before answering"
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"dagster-webserver did not answer within {limit} s")


def test_the_pipeline_runs_on_postgres_and_the_ui_lists_its_runs(tmp_path, monkeypatch):
    with PostgresServer() as pg, ApiServer() as api:
        monkeypatch.setenv(PG_URL_ENV, pg.url)
        monkeypatch.setenv("PAPERTRENDS_API_URL", api.url)
        monkeypatch.setenv("PAPERTRENDS_FETCH", "1")
        data = DataDir(tmp_path / "data").ensure()
        export_environment(data)

        # make run, as a person runs it with the URL set: the sample, then the backfill
        done = subprocess.run(["make", "--no-print-directory", "run",
                               "FETCH_ARGS=--from 2025-11-03 --to 2025-11-20 --interval 0"],
                              cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "Fetching 18 listing day(s) 2025-11-03 .. 2025-11-20" in done.stderr
        assert not list(data.dagster_home.rglob("*.db"))   # no SQLite storage (only compute logs)

        from orchestration.definitions import defs

        with dg.DagsterInstance.get() as instance:
            assert isinstance(instance.run_storage, PostgresRunStorage)
            assert isinstance(instance.event_log_storage, PostgresEventLogStorage)
            assert isinstance(instance.schedule_storage, PostgresScheduleStorage)
            made = instance.get_runs()   # the sample's ingest and the backfill
            assert [run.status for run in made] == [dg.DagsterRunStatus.SUCCESS] * 2

            # the daily run: the schedule's tick on December 2nd fetches the missing days
            api.reset()
            assert tick(defs, instance, date(2025, 12, 2)) == []
            assert "2025-12-02" in api.asked_days()
            assert min(api.asked_days()) > "2025-11-20"   # not the days the backfill fetched

            # the sensor: a capture dropped into landing/ asks for one run of its month
            items = [item for day, item in api_items() if day == "2025-11-14"]
            (data.landing / "2025-11-14_page.txt").write_text(
                render_capture(items, date(2025, 11, 14)), encoding="utf-8")
            sensor = defs.resolve_sensor_def("landing_sensor")
            context = dg.build_sensor_context(instance=instance, repository_def=defs.get_repository_def())
            requests = sensor(context).run_requests
            assert [r.partition_key for r in requests] == ["2025-11-01"]
            job = defs.resolve_job_def("daily_pipeline")
            result = job.execute_in_process(instance=instance, partition_key=requests[0].partition_key,
                                            tags=requests[0].tags, raise_on_error=False)
            assert result.success

            # the checks ran in that run and passed, but freshness: the stand-in's days are of
            # 2025, so listing_is_current says the data is behind today
            checks = result.get_asset_check_evaluations()
            failing = [c.check_name for c in checks if not c.passed]
            assert len(checks) > 10 and failing == ["listing_is_current"], failing
            key = checks[0].asset_check_key
            recorded = instance.get_latest_materialization_event(key.asset_key)
            assert recorded is not None and recorded.run_id == result.run_id
            run_ids = {run.run_id for run in instance.get_runs()}
        assert len(run_ids) == 4

        # the UI, started on the same instance, lists the same runs
        port = free_port()
        log = open(tmp_path / "webserver.log", "w")
        webserver = subprocess.Popen(
            [os.path.join(os.path.dirname(sys.executable), "dagster-webserver"), "-h", "127.0.0.1",
             "-p", str(port)], cwd=PROJECT_ROOT, stdout=log, stderr=log)
        try:
            wait_for_webserver(webserver, port)
            runs = graphql(port, RUNS_QUERY)["runsOrError"]["results"]
        finally:
            webserver.terminate()
            webserver.wait(timeout=30)
            log.close()
        assert {run["runId"] for run in runs} == run_ids
        assert {run["status"] for run in runs} == {"SUCCESS"}
        triggers = {tag["value"] for run in runs for tag in run["tags"] if tag["key"] == "papertrends/trigger"}
        assert {"daily_schedule", "landing_sensor"} <= triggers
