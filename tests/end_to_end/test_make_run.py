"""`make run` as a new user runs it: the sample capture, then the recent days from the API, or
one line saying the API cannot be reached. A temporary data dir; the API is the local stand-in
(tests/api_server.py) serving the recorded weeks as the weeks up to today, or a closed port."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from tests.api_server import ApiServer
from tests.conftest import ROOT, utc_today_for
from tests.fetch.test_fetch_range import closed_port_url
from tests.warehouse_checks import snapshot_dates

PAPERTRENDS = str(Path(sys.executable).parent / "papertrends")
SAMPLE_DAY = "2025-12-10"   # seeds/captures


def make_run(data_root: Path, api_url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PAPERTRENDS_DATA_DIR": str(data_root), "PAPERTRENDS_API_URL": api_url}
    return subprocess.run(["make", "--no-print-directory", "run", "FETCH_ARGS=--interval 0"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


def test_make_run_offline_ingests_the_sample_and_says_so_in_one_line(tmp_path):
    result = make_run(tmp_path, closed_port_url())
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert "snapshots" in result.stdout   # the summary of the sample's ingest
    offline = [line for line in result.stderr.splitlines() if "cannot be reached" in line]
    assert len(offline) == 1
    assert "papertrends fetch --from 2023-05-01" in offline[0]
    assert "papertrends ingest FOLDER" in offline[0]
    assert snapshot_dates(tmp_path) == [SAMPLE_DAY]
    # A step line only for work that happened: nothing was fetched by the pipeline's run.
    assert "... parse snapshots" in result.stderr
    assert "fetch the latest listing" not in result.stderr


@pytest.mark.needs_shared_data
def test_make_run_online_fetches_the_last_30_days_and_then_only_what_is_new(tmp_path):
    today = utc_today_for(600)   # two commands and a pipeline run, all on one day
    last_30 = [(today - timedelta(days=n)).isoformat() for n in range(29, -1, -1)]
    with ApiServer(today=today) as api:
        result = make_run(tmp_path, api.url)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr + result.stdout
        assert api.asked_days() == last_30
        assert f"Fetched 30 of 30 listing day(s) {last_30[0]} .. {last_30[-1]}" in result.stderr
        assert snapshot_dates(tmp_path) == sorted([SAMPLE_DAY, *last_30])

        api.reset()
        env = {**os.environ, "PAPERTRENDS_DATA_DIR": str(tmp_path), "PAPERTRENDS_API_URL": api.url}
        again = subprocess.run([PAPERTRENDS, "fetch", "--interval", "0"], env=env,
                               capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    # Only today is asked again: its list may have grown since.
    assert api.asked_days() == [today.isoformat()]
    assert "(29 fetched before, skipped)" in again.stderr
