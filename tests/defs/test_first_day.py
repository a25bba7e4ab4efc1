"""The monthly partitions start at PAPERTRENDS_FIRST_DAY (default: May 2023, when Daily Papers
began), and snapshots dated before it are refused with a reason naming the setting."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import CAPTURE

PAPERTRENDS = str(Path(sys.executable).parent / "papertrends")


def _python(code: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "PAPERTRENDS_FIRST_DAY"}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**environment, **env}, timeout=120)


FIRST_KEY = "from orchestration.defs.partitions import monthly; print(monthly.get_first_partition_key())"


def test_partitions_start_in_may_2023_by_default_and_follow_the_setting():
    assert _python(FIRST_KEY).stdout.strip() == "2023-05-01"
    assert _python(FIRST_KEY, PAPERTRENDS_FIRST_DAY="2015-01-01").stdout.strip() == "2015-01-01"
    assert _python(FIRST_KEY, PAPERTRENDS_FIRST_DAY="2019-03-17").stdout.strip() == "2019-03-01"
    bad = _python(FIRST_KEY, PAPERTRENDS_FIRST_DAY="May 2023")
    assert bad.returncode == 1
    assert bad.stderr.strip() == ("papertrends: PAPERTRENDS_FIRST_DAY must be a date (YYYY-MM-DD), "
                                  "got 'May 2023'")


def test_an_earlier_snapshot_is_refused_naming_the_setting_as_a_future_one_is(tmp_path):
    old = tmp_path / "2022-11-03_capture.txt"
    future = tmp_path / "2999-01-01_capture.txt"
    for path in (old, future):
        path.write_bytes(CAPTURE.read_bytes())
    env = {**os.environ, "PAPERTRENDS_DATA_DIR": str(tmp_path / "data")}
    env.pop("PAPERTRENDS_FIRST_DAY", None)
    result = subprocess.run([PAPERTRENDS, "ingest", str(old), str(future)], capture_output=True,
                            text=True, env=env, timeout=300)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert ("snapshot date 2022-11-03 is before 2023-05-01, the first day papertrends tracks "
            "(PAPERTRENDS_FIRST_DAY") in result.stderr, result.stderr
    assert "snapshot date 2999-01-01 is in the future" in result.stderr
    # what to do: both dates are wrong (Daily Papers began in May 2023): the name
    assert "(PAPERTRENDS_FIRST_DAY; default: 2023-05-01, the month Daily Papers began); rename it" in result.stderr
    assert "(after today, " in result.stderr and "rename it YYYY-MM-DD_... or pass --snapshot-date" in result.stderr


def test_a_page_older_than_a_later_first_day_is_pointed_at_the_setting(tmp_path):
    page = tmp_path / "2024-02-05_capture.txt"
    page.write_bytes(CAPTURE.read_bytes())
    env = {**os.environ, "PAPERTRENDS_DATA_DIR": str(tmp_path / "data"), "PAPERTRENDS_FIRST_DAY": "2025-01-01"}
    result = subprocess.run([PAPERTRENDS, "ingest", str(page)], capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 1
    assert ("if the page is that old, set PAPERTRENDS_FIRST_DAY to 2024-02-05 or earlier; if the date is "
            "wrong, rename it YYYY-MM-DD_... or pass --snapshot-date") in result.stderr


def test_a_snapshot_date_given_in_the_future_is_not_told_to_pass_the_option_it_passed(tmp_path):
    capture = tmp_path / "capture.txt"
    capture.write_bytes(CAPTURE.read_bytes())
    env = {**os.environ, "PAPERTRENDS_DATA_DIR": str(tmp_path / "data")}
    result = subprocess.run([PAPERTRENDS, "ingest", str(capture), "--snapshot-date", "2999-01-01"],
                            capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 1
    assert "snapshot date 2999-01-01 is in the future" in result.stderr
    assert "pass the day it was captured to --snapshot-date" in result.stderr and "rename it" not in result.stderr


def test_the_benchmarks_track_their_ten_year_corpus():
    """(In a child process: bench.common sets the variable for the process that imports it.)"""
    check = _python("from datetime import timedelta\n"
                    "from bench.common import FIRST_DAY, child_env\n"
                    "from bench.generate import END\n"
                    "start = (END - timedelta(days=365 * 10)).replace(day=1).isoformat()\n"
                    "assert FIRST_DAY <= start, (FIRST_DAY, start)\n"
                    "assert child_env()['PAPERTRENDS_FIRST_DAY'] == FIRST_DAY\n"
                    "from orchestration.defs.partitions import monthly\n"
                    "print(monthly.get_first_partition_key())")
    assert check.returncode == 0, check.stderr
    assert check.stdout.strip() <= "2015-12-01"
