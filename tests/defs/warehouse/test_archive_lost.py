"""An archive that has lost a month's files (a disk that did not mount, a deleted folder) does
not empty that month in the warehouse: the run refuses in words and keeps the rows. A file taken
out of the archive on purpose is the other case (tests/defs/dbt/test_removed_file_reload.py)."""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.conftest import api_item
from tests.shared_data import ROOT
from tests.warehouse_checks import PAPERTRENDS, command_env, query, run_ingest

pytestmark = pytest.mark.needs_shared_data


def _day(folder, day: str, n: int, first: int):
    path = folder / f"{day}.json"
    path.write_text(json.dumps([api_item(f"2511.{first + i:05d}", f"Made-Up Widgets, Part {first + i}", day)
                                for i in range(n)]))
    return path


def test_an_archive_without_a_months_files_does_not_empty_the_month(tmp_path):
    root, files, elsewhere = tmp_path / "data", tmp_path / "files", tmp_path / "not-mounted"
    files.mkdir()
    elsewhere.mkdir()
    first = run_ingest(root, _day(files, "2025-11-03", 3, 1), _day(files, "2025-11-04", 2, 10))
    assert first.returncode == 0, first.stderr[-2000:]
    before = query(root / "warehouse.duckdb", "select snapshot_id, n_entries from raw.snapshots order by 1")
    assert len(before) == 2
    env = command_env(root, PAPERTRENDS_ARCHIVE_DIR=str(elsewhere))   # (a disk that did not mount)
    later = subprocess.run([PAPERTRENDS, "ingest", str(_day(files, "2025-11-06", 1, 20))], capture_output=True,
                           text=True, cwd=ROOT, env=env, timeout=900)
    assert later.returncode == 1
    assert f"the archive ({elsewhere}) holds none of the 2 file(s) the warehouse has for 2025-11" in later.stderr
    assert "Traceback" not in later.stderr + later.stdout
    assert query(root / "warehouse.duckdb", "select snapshot_id, n_entries from raw.snapshots order by 1") == before
