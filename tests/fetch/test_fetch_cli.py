"""`papertrends fetch` end to end against a local copy of the API (tests/api_server.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.api_server import ApiServer
from tests.conftest import API_DAY_DIR, utc_today_for

pytestmark = pytest.mark.needs_shared_data  # the local API serves the real November days

PAPERTRENDS = str(Path(sys.executable).parent / "papertrends")


def fetch(data_root: Path, api: ApiServer, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PAPERTRENDS_DATA_DIR": str(data_root), "PAPERTRENDS_API_URL": api.url}
    return subprocess.run([PAPERTRENDS, "fetch", *args], capture_output=True, text=True, env=env,
                          timeout=600)


def n_items(day: str) -> int:
    return len(json.loads((API_DAY_DIR / f"{day}.json").read_bytes()))


def test_backfill_over_a_weekend_lands_ingests_and_counts_no_paper_twice(tmp_path):
    with ApiServer() as api:
        api.inject("2025-11-11", "404", times=None)   # Tuesday fails: Thu..Mon landed first
        result = fetch(tmp_path, api, "--from", "2025-11-06", "--to", "2025-11-11")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "2025-11-11" in result.stderr and "404" in result.stderr
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True)
    try:
        rows = con.execute("""select snapshot_date::varchar, listing_day::varchar, n_entries
                              from raw.snapshots order by snapshot_date""").fetchall()
        # Saturday and Sunday answer with Friday's list: observations, not new listings.
        assert rows == [
            ("2025-11-06", "2025-11-06", n_items("2025-11-06")),
            ("2025-11-07", "2025-11-07", n_items("2025-11-07")),
            ("2025-11-08", "2025-11-07", n_items("2025-11-07")),
            ("2025-11-09", "2025-11-07", n_items("2025-11-07")),
            ("2025-11-10", "2025-11-10", n_items("2025-11-10")),
        ]
        listed = con.execute("select count(*) from marts.papers where is_listed").fetchall()[0][0]
        assert listed == n_items("2025-11-06") + n_items("2025-11-07") + n_items("2025-11-10")
        per_day = dict(con.execute("""select period_start::varchar, max(period_papers)
            from marts.topic_counts where grain = 'day' and basis = 'listed' group by 1""").fetchall())
        assert per_day == {"2025-11-06": n_items("2025-11-06"), "2025-11-07": n_items("2025-11-07"),
                           "2025-11-10": n_items("2025-11-10")}
        failed_day = con.execute(
            "select count(*) from raw.snapshots where snapshot_date = '2025-11-11'").fetchall()[0][0]
        assert failed_day == 0
    finally:
        con.close()
    assert not list((tmp_path / "landing").glob("*2025-11-11*"))


def test_a_truncated_answer_ends_with_a_message_and_nothing_written(tmp_path):
    with ApiServer() as api:
        api.inject("2025-11-05", "truncated", times=None)
        result = fetch(tmp_path, api, "--date", "2025-11-05")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "JSON" in result.stderr
    assert not (tmp_path / "warehouse.duckdb").exists()
    assert not any((tmp_path / "landing").iterdir())


def test_the_daily_run_fetches_the_missing_days_of_the_last_30_when_asked(tmp_path, monkeypatch):
    from datetime import timedelta

    import dagster as dg

    from orchestration.defs.ingest.api_listing import api_listing
    from orchestration.defs.resources import DataDirResource
    from orchestration.storage.settings import DataDir

    today = utc_today_for(120)
    monkeypatch.setenv("PAPERTRENDS_DATA_DIR", str(tmp_path))
    DataDir(tmp_path).ensure()
    with ApiServer() as api, dg.instance_for_test() as instance:
        monkeypatch.setenv("PAPERTRENDS_API_URL", api.url)
        monkeypatch.setenv("PAPERTRENDS_FETCH", "0")
        quiet = dg.materialize([api_listing], instance=instance, resources={"data_dir": DataDirResource()})
        assert quiet.success and not any((tmp_path / "landing").iterdir())
        fetched = dg.materialize(
            [api_listing], instance=instance, resources={"data_dir": DataDirResource()},
            run_config={"ops": {"api_listing": {"config": {"fetch": True, "today": today.isoformat()}}}})
    assert fetched.success
    # The last 30 days up to today, whatever their months, after one probe without a date.
    wanted = [today - timedelta(days=n) for n in range(29, -1, -1)]
    assert [r.query.get("date") for r in api.requests] == [None, *(d.isoformat() for d in wanted)]
    landed = tmp_path / "landing" / f"{today.isoformat()}.json"
    # The local API answers a day it has no list for with the latest earlier one, like the site.
    assert landed.read_bytes() == (API_DAY_DIR / "2025-11-28.json").read_bytes()


