"""bench/floor.py: the bare parse-and-insert the backfill is measured against writes the raw
tables the pipeline writes, so the floor keeps up when a raw table gains a column."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime

import duckdb
import pytest

from bench.generate import generate

MARKER = "FLOOR "   # bench/floor.py's line of facts (run as the benchmark runs it: a process of its own,
                    # whose bench settings, such as PAPERTRENDS_FIRST_DAY, stay in it)


@pytest.mark.needs_shared_data
def test_the_floor_fills_every_raw_table_with_the_files_it_parsed(tmp_path):
    files = generate(tmp_path / "captures", 3)
    os.utime(files[0], (1_700_000_000, 1_700_000_000))
    run = subprocess.run([sys.executable, "-m", "bench.floor", "--child", str(tmp_path / "captures"),
                          str(tmp_path / "floor.duckdb")], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    facts = json.loads(next(line for line in run.stdout.splitlines() if line.startswith(MARKER))[len(MARKER):])
    assert facts["files"] == 3 and facts["rows"]["snapshots"] == 3
    assert facts["rows"]["paper_observations"] >= 3 * 20   # 20-40 papers a generated day
    with duckdb.connect(str(tmp_path / "floor.duckdb"), read_only=True) as con:
        [(modified,)] = con.execute("select file_modified_at from raw.snapshots "
                                    "where original_name = ?", [files[0].name]).fetchall()
    assert modified == datetime.fromtimestamp(1_700_000_000, UTC).replace(tzinfo=None)
