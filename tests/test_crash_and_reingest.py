"""A load killed with SIGKILL leaves the warehouse as it was; the next run completes the work;
ingesting the same bytes again changes nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from tests.conftest import API_DAYS

PAPERTRENDS = str(Path(sys.executable).parent / "papertrends")


def ingest(data_root: Path, files: list[Path], **extra_env: str) -> subprocess.Popen:
    env = {**os.environ, "PAPERTRENDS_DATA_DIR": str(data_root), **extra_env}
    return subprocess.Popen([PAPERTRENDS, "ingest", *map(str, files)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)


def raw_state(data_root: Path) -> tuple:
    con = duckdb.connect(str(data_root / "warehouse.duckdb"), read_only=True)
    try:
        return tuple(con.execute(f"select count(*) from raw.{t}").fetchall()[0][0]
                     for t in ("snapshots", "paper_observations", "quarantine")) + (
            sorted(r[0] for r in con.execute("select snapshot_id from raw.snapshots").fetchall()),)
    finally:
        con.close()


def test_kill_in_the_middle_of_a_load_then_rerun_then_reingest(tmp_path):
    first_week, rest = API_DAYS[:5], API_DAYS[5:]
    done = ingest(tmp_path, first_week)
    output = done.communicate(timeout=600)[0]
    assert done.returncode == 0, output
    before = raw_state(tmp_path)
    assert before[:3] == (5, 23 + 30 + 25 + 13 + 15, 0)  # entries per day, counted in the files

    # Same month, more files; killed while its load transaction is open.
    marker = tmp_path / "load-in-progress"
    killed = ingest(tmp_path, rest, PAPERTRENDS_CRASH_TEST_PAUSE="120")
    deadline = time.monotonic() + 300
    while not marker.exists():
        assert killed.poll() is None, killed.communicate()[0]
        assert time.monotonic() < deadline, "the load never started"
        time.sleep(0.2)
    os.killpg(killed.pid, signal.SIGKILL)
    killed.wait(timeout=30)
    assert raw_state(tmp_path) == before  # nothing of the killed load is visible
    assert len(list((tmp_path / "archive").rglob("*.json"))) == 20  # its files were archived

    # The next run completes the work: the month is reloaded from the archive.
    marker.unlink()
    rerun = ingest(tmp_path, rest)
    output = rerun.communicate(timeout=600)[0]
    assert rerun.returncode == 0, output
    after = raw_state(tmp_path)
    assert after[:3] == (20, 412, 0)

    # The same bytes again: nothing changes.
    again = ingest(tmp_path, API_DAYS)
    output = again.communicate(timeout=600)[0]
    assert again.returncode == 0, output
    assert raw_state(tmp_path) == after
    assert len(list((tmp_path / "archive").rglob("*.json"))) == 20
