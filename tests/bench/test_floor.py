"""bench/floor.py: the bare parse-and-insert the backfill is measured against writes the raw
tables the pipeline writes, so the floor keeps up when a raw table gains a column."""

from __future__ import annotations

import os
from datetime import UTC, datetime

import duckdb
import pytest

from bench.floor import parse_and_insert
from bench.generate import generate


@pytest.mark.needs_shared_data
def test_the_floor_fills_every_raw_table_with_the_files_it_parsed(tmp_path):
    files = generate(tmp_path / "captures", 3)
    os.utime(files[0], (1_700_000_000, 1_700_000_000))
    facts = parse_and_insert(tmp_path / "captures", tmp_path / "floor.duckdb")
    assert facts["files"] == 3 and facts["rows"]["snapshots"] == 3
    assert facts["rows"]["paper_observations"] >= 3 * 20   # 20-40 papers a generated day
    with duckdb.connect(str(tmp_path / "floor.duckdb"), read_only=True) as con:
        [(modified,)] = con.execute("select file_modified_at from raw.snapshots "
                                    "where original_name = ?", [files[0].name]).fetchall()
    assert modified == datetime.fromtimestamp(1_700_000_000, UTC).replace(tzinfo=None)
