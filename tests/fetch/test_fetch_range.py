"""`papertrends fetch` over a range against the local API stand-in (tests/api_server.py): failing
days do not stop it, a rerun fetches only what is missing, batches are ingested as it goes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.api_server import ApiServer
from tests.warehouse_checks import snapshot_dates

PAPERTRENDS = str(Path(sys.executable).parent / "papertrends")


def fetch(data_root: Path, api_url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PAPERTRENDS_DATA_DIR": str(data_root), "PAPERTRENDS_API_URL": api_url}
    return subprocess.run([PAPERTRENDS, "fetch", *args], capture_output=True, text=True, env=env,
                          timeout=600)


def closed_port_url() -> str:
    """An address where nothing listens: connecting is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.mark.needs_shared_data
def test_failing_days_do_not_stop_a_range_and_a_rerun_fetches_only_those(tmp_path):
    with ApiServer() as api:
        api.inject("2025-11-03", "empty", times=None)
        api.inject("2025-11-04", "timeout", times=None, delay=2)
        api.inject("2025-11-05", "503", times=1, retry_after=1)   # passes on the second attempt
        api.inject("2025-11-06", "truncated", times=None)
        first = fetch(tmp_path, api.url, "--from", "2025-11-03", "--to", "2025-11-06",
                      "--timeout", "0.5", "--retries", "2", "--interval", "0", "--batch-days", "2")
        assert first.returncode == 1, first.stderr
        assert "Traceback" not in first.stderr
        err = first.stderr
        # The wait for the 503's Retry-After shows, then the day is fetched.
        assert "2025-11-05: answered 503 Service Unavailable; attempt 2 in 1 s" in err
        # Every failed day is listed at the end with its reason, and the advice names real options.
        tail = err[err.index("day(s) could not be fetched"):]
        assert "2025-11-04: gave up" in tail and "timed out after 0.5 s" in tail
        assert "--timeout SECONDS" in tail
        assert "2025-11-06:" in tail and "truncated JSON" in tail
        listed = [line.split(":")[0].strip() for line in tail.splitlines()[1:]]
        assert listed == ["2025-11-04", "2025-11-06"]
        # Ingested in batches of two fetched days (the empty day's answer is one), the first
        # before the range went on.
        assert err.index("ingested 2025-11-03 .. 2025-11-05") < err.index("2025-11-06 FAILED")
        assert snapshot_dates(tmp_path) == ["2025-11-03", "2025-11-05"]

        api.reset()
        rerun = fetch(tmp_path, api.url, "--from", "2025-11-03", "--to", "2025-11-06",
                      "--interval", "0")
    assert rerun.returncode == 0, rerun.stderr
    assert sorted(set(api.asked_days())) == ["2025-11-04", "2025-11-06"]
    assert "(2 fetched before, skipped)" in rerun.stderr
    assert snapshot_dates(tmp_path) == [f"2025-11-0{d}" for d in range(3, 7)]
    log = (tmp_path / "fetch-log.tsv").read_text().splitlines()
    assert log[0].split("\t") == ["day", "fetched_at", "status", "items", "detail"]
    assert [line.split("\t")[:3:2] for line in log[1:]][-2:] == [
        ["2025-11-04", "ok"], ["2025-11-06", "ok"]]


def test_a_range_stops_when_the_api_goes_away_and_says_what_was_not_tried(tmp_path):
    with ApiServer() as api:
        api.inject("2025-11-03", "gone")
        result = fetch(tmp_path, api.url, "--from", "2025-11-03", "--to", "2025-11-12",
                       "--retries", "1", "--interval", "0")   # (no back-off between attempts)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "stopped early: " in result.stderr and "cannot be reached (ConnectError" in result.stderr
    assert "5 day(s) not tried" in result.stderr   # five failed in a row, then the probe
    assert "papertrends: 5 day(s) could not be fetched" in result.stderr
    assert not (tmp_path / "warehouse.duckdb").exists()


@pytest.mark.needs_shared_data
def test_a_day_fetched_before_is_fetched_again_only_when_asked(tmp_path):
    with ApiServer() as api:
        first = fetch(tmp_path, api.url, "--date", "2025-11-05", "--interval", "0")
        assert first.returncode == 0, first.stderr
        api.reset()
        same = fetch(tmp_path, api.url, "--date", "2025-11-05", "--interval", "0")
        assert same.returncode == 0 and api.asked_days() == []
        assert "nothing to fetch. To fetch them again (a partial answer saved by hand): add --again" in same.stderr
        again = fetch(tmp_path, api.url, "--date", "2025-11-05", "--interval", "0", "--again")
    assert again.returncode == 0, again.stderr
    assert set(api.asked_days()) == {"2025-11-05"}
    assert "Fetching 1 listing day(s) 2025-11-05" in again.stderr
    assert snapshot_dates(tmp_path) == ["2025-11-05"]   # the same answer: the same snapshot


def test_an_unreachable_api_is_one_line_and_no_run(tmp_path):
    url = closed_port_url()
    result = fetch(tmp_path, url, "--date", "2025-11-03")
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert line.startswith(f"papertrends: offline: {url} cannot be reached")
    assert "papertrends fetch --from 2023-05-01" in line and "papertrends ingest FOLDER" in line
    assert not (tmp_path / "warehouse.duckdb").exists()
    tolerated = fetch(tmp_path, url, "--offline-ok")
    assert tolerated.returncode == 0
    assert len(tolerated.stderr.splitlines()) == 1 and "offline" in tolerated.stderr


def test_something_else_answering_at_the_address_counts_as_offline(tmp_path):
    """A captive portal, or a network that answers every address, is not the API."""
    with ApiServer() as api:
        result = fetch(tmp_path, api.url + "/not-the-api", "--offline-ok")
    assert result.returncode == 0
    [line] = result.stderr.splitlines()
    assert "does not answer as the Daily Papers API (404 Not Found" in line
    assert api.asked_days() == []


def test_fetch_help_names_the_date_format_and_the_request_options():
    result = subprocess.run([PAPERTRENDS, "fetch", "--help"], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0
    for option in ("--from YYYY-MM-DD", "--to YYYY-MM-DD", "--date YYYY-MM-DD",
                   "--timeout SECONDS", "--retries N", "--interval SECONDS", "--batch-days N"):
        assert option in result.stdout, option


@pytest.mark.parametrize("args, message", [
    (["--date", "2025-11-03", "--from", "2025-11-01"], "either --date"),
    (["--to", "2025-11-03"], "--to needs --from"),
    (["--from", "2099-01-01"], "after today"),
    (["--date", "2025-11-03", "--retries", "0"], "--retries must be at least 1"),
    (["--date", "2025-11-03", "--timeout", "nan"], "--timeout must be at least 0.1 seconds and under a day"),
    (["--date", "2025-11-03", "--interval", "inf"], "--interval must be at least 0 seconds and under a day"),
])
def test_impossible_requests_are_one_line_without_asking_the_api(tmp_path, args, message):
    result = fetch(tmp_path, closed_port_url(), *args)
    assert result.returncode == 2   # a usage error, as argparse's own
    [line] = result.stderr.splitlines()
    assert line.startswith("papertrends: ") and message in line
