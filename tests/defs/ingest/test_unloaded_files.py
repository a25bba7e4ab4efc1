"""Nothing archived stays unloaded: a run that stopped after archiving (or landing) files of a
month is completed by the next run, whatever month that one is for, and the schedule and the
sensor ask for such months too."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import dagster as dg
import duckdb
import pytest

from orchestration.runs.runner import run_pipeline
from orchestration.storage.landing import archive_waiting, land_files
from tests.conftest import api_item, fresh_data_dir

pytestmark = pytest.mark.needs_shared_data

ARCHIVED_ID, LANDED_ID = "2511.00101", "2509.00102"


def _stopped_half_way(tmp_path):
    """A data dir as runs that stopped left it: a November day archived but never loaded, a
    September day landed but never archived."""
    data = fresh_data_dir(tmp_path / "data")
    files = tmp_path / "files"
    files.mkdir()
    nov = files / "2025-11-12.json"
    nov.write_text(json.dumps([api_item(ARCHIVED_ID, "Archived but never loaded", "2025-11-12")]))
    sep = files / "2025-09-22.json"
    sep.write_text(json.dumps([api_item(LANDED_ID, "Landed but never archived", "2025-09-22")]))
    land_files([nov, sep], data)
    assert archive_waiting(data, date(2025, 11, 1), date(2025, 12, 1))
    return data


def asked_months(request: dg.RunRequest) -> str:
    if request.partition_key:
        return request.partition_key
    return (f"{request.tags['dagster/asset_partition_range_start']}.."
            f"{request.tags['dagster/asset_partition_range_end']}")


def test_the_schedule_and_the_sensor_ask_for_unloaded_months_and_the_daily_run_loads_them(
        tmp_path, monkeypatch):
    data = _stopped_half_way(tmp_path)
    monkeypatch.setenv("PAPERTRENDS_DATA_DIR", str(data.root))
    monkeypatch.setenv("PAPERTRENDS_FETCH", "0")   # the tick's run is then for its month only
    from orchestration.definitions import defs

    with dg.instance_for_test() as instance:
        schedule = defs.resolve_schedule_def("daily_schedule")
        context = dg.build_schedule_context(
            instance=instance, scheduled_execution_time=datetime(2026, 1, 5, 6, tzinfo=UTC),
            repository_def=defs.get_repository_def())
        asked = [asked_months(r) for r in schedule.evaluate_tick(context).run_requests]
        assert asked == ["2025-11-01", "2026-01-01..2026-01-01"]   # the unloaded month, the tick's

        sensor = defs.resolve_sensor_def("landing_sensor")
        tick = sensor(dg.build_sensor_context(instance=instance, repository_def=defs.get_repository_def()))
        assert sorted(r.partition_key for r in tick.run_requests) == ["2025-09-01", "2025-11-01"]
        again = sensor(dg.build_sensor_context(instance=instance, cursor=tick.cursor,
                                               repository_def=defs.get_repository_def()))
        assert again.run_requests == []   # the same unloaded files ask once

    today = date.today()
    assert run_pipeline(data, today, today).success   # the current month's run, nothing else
    con = duckdb.connect(str(data.warehouse), read_only=True)
    try:
        loaded = con.execute("select snapshot_date, status from raw.snapshots order by 1").fetchall()
        papers = con.execute("select arxiv_id from marts.papers order by 1").fetchall()
    finally:
        con.close()
    assert loaded == [(date(2025, 9, 22), "ok"), (date(2025, 11, 12), "ok")]
    assert papers == [(LANDED_ID,), (ARCHIVED_ID,)]
    assert not list(data.landing.iterdir())
    # the schedule asks for no loaded month again
    with dg.instance_for_test() as instance:
        context = dg.build_schedule_context(
            instance=instance, scheduled_execution_time=datetime(2026, 1, 5, 6, tzinfo=UTC),
            repository_def=defs.get_repository_def())
        assert [asked_months(r) for r in schedule.evaluate_tick(context).run_requests] == [
            "2026-01-01..2026-01-01"]
