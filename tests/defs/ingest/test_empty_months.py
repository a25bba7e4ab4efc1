"""Runs whose months hold no readable entry succeed and record what they saw: an API day that
answers `[]`, the current month before its first file lands (the daily schedule's first run of
a month), a batch of only unreadable files."""

from __future__ import annotations

import os
import subprocess
from datetime import date

import duckdb

from orchestration.runs.runner import run_pipeline
from orchestration.storage.landing import land_files
from tests.conftest import fresh_data_dir
from tests.warehouse_checks import PAPERTRENDS


def _rows(warehouse, sql: str) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_ingest_of_an_api_day_answering_an_empty_list_records_it(tmp_path):
    day = tmp_path / "2025-10-15.json"
    day.write_text("[]\n")
    root = tmp_path / "data"
    result = subprocess.run([PAPERTRENDS, "ingest", str(day)], capture_output=True, text=True,
                            env={**os.environ, "PAPERTRENDS_DATA_DIR": str(root)}, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert _rows(root / "warehouse.duckdb", "select snapshot_date, source_kind, n_entries, status "
                                            "from raw.snapshots") == [(date(2025, 10, 15), "api", 0, "ok")]
    assert (root / "archive" / "2025-10").is_dir()


def test_the_current_month_runs_before_its_first_file_lands(tmp_path):
    data = fresh_data_dir(tmp_path / "data")
    today = date.today()
    result = run_pipeline(data, today, today)
    assert result.success
    assert _rows(data.warehouse, "select count(*) from raw.snapshots") == [(0,)]
    assert _rows(data.warehouse, "select count(*) from marts.papers") == [(0,)]


def test_a_batch_of_only_unreadable_files_loads_their_failed_rows(tmp_path):
    data = fresh_data_dir(tmp_path / "data")
    files = tmp_path / "files"
    files.mkdir()
    (files / "2025-09-01_empty.txt").write_bytes(b"")
    (files / "2025-09-02_binary.bin").write_bytes(bytes(range(256)) * 8)
    (files / "2025-09-03_object.json").write_text('{"error": "rate limited"}')
    land_files([files], data)
    assert run_pipeline(data, date(2025, 9, 1), date(2025, 9, 3)).success
    rows = _rows(data.warehouse, "select original_name, status, n_entries, reason is not null "
                                 "from raw.snapshots order by 1")
    assert rows == [("2025-09-01_empty.txt", "failed", 0, True),
                    ("2025-09-02_binary.bin", "failed", 0, True),
                    ("2025-09-03_object.json", "failed", 0, True)]
