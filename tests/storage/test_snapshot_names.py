"""raw.snapshots keeps a file's name as given beside its stored safe name, and
raw.snapshot_sources every name and place the same bytes arrived under: `papertrends ingest`
run as a user runs it, on real API days (../shared/data) and the bundled capture, copied at
test time under names in several scripts."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from tests.shared_data import API_DAY_DIR, ROOT
from tests.warehouse_checks import run_ingest

pytestmark = pytest.mark.needs_shared_data

CAPTURE = ROOT / "seeds" / "captures" / "2025-12-10_75ea5f93878b491f.txt"
CAFE = "café capture.txt"
JAPANESE = "論文 一覧.json"        # Nov 3
RUSSIAN = "статьи за день.json"   # Nov 4
SAME_BYTES = ["2025-11-05.json", "copy (1).json", "Копия.json", "ノート.json", "nov 5 ✓.json"]


def _rows(data_root: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(data_root / "warehouse.duckdb"), read_only=True)
    try:
        return con.sql(sql).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    folder, other = tmp_path_factory.mktemp("names"), tmp_path_factory.mktemp("elsewhere")
    (folder / CAFE).write_bytes(CAPTURE.read_bytes())
    captured = datetime(2025, 12, 10, 12, 0).timestamp()   # no date in the name: its capture day
    os.utime(folder / CAFE, (captured, captured))
    (folder / JAPANESE).write_bytes((API_DAY_DIR / "2025-11-03.json").read_bytes())
    (folder / RUSSIAN).write_bytes((API_DAY_DIR / "2025-11-04.json").read_bytes())
    nov5 = (API_DAY_DIR / "2025-11-05.json").read_bytes()
    for name in SAME_BYTES[:4]:
        (folder / name).write_bytes(nov5)
    (other / SAME_BYTES[4]).write_bytes(nov5)
    root = tmp_path_factory.mktemp("data")
    first = run_ingest(root, folder, other / SAME_BYTES[4])
    assert first.returncode == 0, first.stderr[-3000:]
    state = {"snapshots": _rows(root, "select snapshot_date, original_name, stored_name "
                                      "from raw.snapshots order by snapshot_date"),
             "sources": _rows(root, "select s.snapshot_date, s.original_name, s.source_path, "
                                    "s.landed_at, s.archive_path, s.snapshot_id in "
                                    "(select snapshot_id from raw.snapshots) "
                                    "from raw.snapshot_sources s order by 1, 2"),
             "stdout": first.stdout}
    return root, folder, other, state


def test_names_in_any_script_are_kept_verbatim_beside_the_stored_name(ingested):
    _, _, _, state = ingested
    by_name = {original: stored for _, original, stored in state["snapshots"]}
    assert by_name[CAFE] == "caf_capture.txt"
    assert by_name[JAPANESE] == by_name[RUSSIAN] == "_.json"   # distinct originals, one safe name
    assert len(state["snapshots"]) == 4   # Nov 3, Nov 4, Nov 5 (five names), Dec 10


def test_every_name_the_same_bytes_arrived_under_is_recorded(ingested):
    _, folder, other, state = ingested
    nov5 = [row for row in state["sources"] if str(row[0]) == "2025-11-05"]
    assert sorted(row[1] for row in nov5) == sorted(SAME_BYTES)
    paths = {row[1]: row[2] for row in nov5}
    assert paths[SAME_BYTES[4]] == str(other / SAME_BYTES[4])
    assert all(paths[name] == str(folder / name) for name in SAME_BYTES[:4])
    assert all(row[3] is not None and row[5] for row in state["sources"])   # landed, and its snapshot
    for row in nov5:   # each name points at an archived file holding those bytes
        assert (ingested[0] / row[4]).read_bytes() == (API_DAY_DIR / "2025-11-05.json").read_bytes()
    assert {row[1] for row in state["sources"]} >= {CAFE, JAPANESE, RUSSIAN}


def test_ingesting_the_same_files_again_records_nothing_new(ingested):
    root, folder, other, state = ingested
    again = run_ingest(root, folder, other / SAME_BYTES[4])
    assert again.returncode == 0, again.stderr[-3000:]
    assert _rows(root, "select snapshot_date, original_name, stored_name from raw.snapshots "
                       "order by snapshot_date") == state["snapshots"]
    assert len(_rows(root, "select * from raw.snapshot_sources")) == len(state["sources"])
    # and it says so, naming every file given, which the first ingest did not
    assert "Loaded before" not in state["stdout"]
    notes = again.stdout.split("\nLoaded before (", 1)[1].splitlines()
    assert notes[0].startswith("8: the same bytes were in the warehouse")
    assert sorted(Path(line.strip()).name for line in notes[1:9]) == sorted([CAFE, JAPANESE, RUSSIAN, *SAME_BYTES])


def test_a_file_put_into_landing_by_hand_keeps_its_name_verbatim(ingested):
    """Not landed by `papertrends ingest`: dropped into landing/ (by hand, a sync tool), it is
    recorded when the next run archives it, under its name there."""
    root, folder, other, _ = ingested
    dropped = root / "landing" / "2025-11-06 論文 café.json"
    dropped.write_bytes((API_DAY_DIR / "2025-11-06.json").read_bytes())
    again = run_ingest(root, folder, other / SAME_BYTES[4])   # a run over November
    assert again.returncode == 0, again.stderr[-3000:]
    assert _rows(root, "select original_name, stored_name from raw.snapshots "
                       "where snapshot_date = '2025-11-06'") == [(dropped.name, "2025-11-06_caf_.json")]
    assert _rows(root, "select original_name, source_path from raw.snapshot_sources "
                       "where snapshot_date = '2025-11-06'") == [(dropped.name, str(dropped))]
