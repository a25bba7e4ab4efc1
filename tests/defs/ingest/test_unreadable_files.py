"""One file can only fail itself: whatever happens while one file is read (JSON nested deeper
than Python follows), it becomes that file's failed row in raw.snapshots with a readable
reason, its bytes stay archived, and the good files of its month load, on this run and on every
later run of that month. A lone UTF-16 surrogate, which no UTF-8 string can hold, no longer
fails its file: it is read as "?"."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import date

import duckdb
import pytest

from orchestration.runs.runner import run_pipeline
from orchestration.storage.landing import land_files
from tests.conftest import api_item, fresh_data_dir
from tests.warehouse_checks import PAPERTRENDS

NESTED = ("[" * 1100 + "]" * 1100).encode()   # 2 KB; json.loads raises RecursionError
GOOD_ID = "2511.00042"


def _lone_surrogate_day() -> bytes:
    """Valid JSON whose title holds an unpaired UTF-16 surrogate (\\ud800): Python reads it, but
    no UTF-8 string (polars, DuckDB) can hold it; the parser writes "?" for it."""
    item = api_item("2511.00043", "A title", "2025-11-05")
    return json.dumps([item]).replace('"A title"', '"A \\ud800 title"').encode()


def test_parse_of_a_file_nested_too_deep_says_so_in_one_line(tmp_path):
    path = tmp_path / "listing.json"   # no date in the name: landing reads the JSON for one
    path.write_bytes(NESTED)
    result = subprocess.run([PAPERTRENDS, "parse", str(path)], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr, result.stderr
    assert result.stderr.strip().splitlines() == [
        f"papertrends: {path}: nested deeper than Python can follow (RecursionError): "
        "not a Daily Papers listing"]


@pytest.mark.needs_shared_data
def test_poisoned_files_fail_alone_and_the_good_files_of_their_month_load(tmp_path):
    data = fresh_data_dir(tmp_path / "data")
    files = tmp_path / "files"
    files.mkdir()
    (files / "2025-11-05.json").write_text(json.dumps([api_item(GOOD_ID, "A good paper", "2025-11-05")]))
    (files / "2025-11-06_nested.json").write_bytes(NESTED)
    (files / "2025-11-07_surrogate.json").write_bytes(_lone_surrogate_day())
    undated = files / "nested.json"   # dated by its modification time, in the same month
    undated.write_bytes(NESTED + b" ")
    os.utime(undated, (1762560000, 1762560000))   # 2025-11-08
    landed, refused = land_files([files], data)
    assert len(landed) == 4 and not refused

    for attempt in ("first run", "the month's next run"):
        assert run_pipeline(data, date(2025, 11, 1), date(2025, 11, 30)).success, attempt
        con = duckdb.connect(str(data.warehouse), read_only=True)
        try:
            rows = {name: (status, reason) for name, status, reason in con.execute(
                "select original_name, status, reason from raw.snapshots").fetchall()}
            titles = dict(con.execute("select arxiv_id, title from marts.papers").fetchall())
            papers = list(titles)
        finally:
            con.close()
        assert rows["2025-11-05.json"] == ("ok", None), attempt
        for name in ("2025-11-06_nested.json", "nested.json"):
            assert rows[name][0] == "failed" and "nested deeper than Python can follow" in rows[name][1]
        assert rows["2025-11-07_surrogate.json"] == ("ok", None), attempt
        assert sorted(papers) == [GOOD_ID, "2511.00043"], attempt
        assert titles == {GOOD_ID: "A good paper", "2511.00043": "A ? title"}
    archived = sorted(p.read_bytes() for p in (data.archive / "2025-11").iterdir())
    assert NESTED in archived and NESTED + b" " in archived
