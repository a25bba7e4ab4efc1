"""A file removed from the archive, then its month reloaded: a title loses the arXiv id that one
of its observations carried, and an older page-capture row of that title moves to another paper.
Both papers' trajectories are rewritten (numbering and deltas of the one that lost a row in the
middle, the row of the one that gained it), exactly as a full refresh would."""

from __future__ import annotations

import json
import shutil
from datetime import date

import duckdb
import pytest

from orchestration.defs.dbt.assets import upgrade_args
from tests.conftest import CAPTURE, api_item, ingest_in_process
from tests.warehouse_checks import MARTS, assert_equal_to_full_refresh, query
from transforms.snapshot_reader import read_snapshot

X, Z = "2510.00001", "2510.00002"   # X sorts first: a title both carry is keyed to X
CAPTURE_DAY = "2025-12-10"           # CAPTURE's day: its rows carry no arXiv id


def _write(folder, day: str, items: list[dict]):
    path = folder / f"{day}.json"
    path.write_text(json.dumps(items))
    return path


@pytest.fixture(scope="module")
def reloaded(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("removed")
    capture = read_snapshot(CAPTURE.read_bytes(), date.fromisoformat(CAPTURE_DAY), CAPTURE.name)
    [(title, upvotes)] = capture.observations.filter(position=1).select("title", "upvotes").rows()
    files = tmp_path_factory.mktemp("files")
    other = "An unrelated paper listed in February"
    days = [  # X: Nov (title T2), Dec (the capture's untitled-id row of T), Jan (T2), Feb (T)
        _write(files, "2025-10-06", [api_item(Z, title, "2025-10-06", 1)]),
        _write(files, "2025-11-10", [api_item(X, "Another title of X", "2025-11-10", 2)]),
        CAPTURE,
        _write(files, "2026-01-05", [api_item(X, "Another title of X", "2026-01-05", 40)]),
        _write(files, "2026-02-05", [api_item(X, title, "2026-02-05", 50)]),
    ]
    ingest_in_process(root, days)
    db = root / "warehouse.duckdb"
    before = _trajectory_rows(db)
    feb = list((root / "archive" / "2026-02").glob("2026-02-05__*"))
    assert len(feb) == 1
    feb[0].unlink()   # the user removes a wrongly ingested file, then February is reloaded
    ingest_in_process(root, [_write(files, "2026-02-06", [api_item("2602.00003", other, "2026-02-06", 3)])])
    return {"db": db, "before": before, "capture_upvotes": upvotes}


def _trajectory_rows(db) -> dict:
    rows = query(db, f"""select paper_id, snapshot_date::varchar, observation_number, upvotes,
                                upvotes_delta
                         from marts.paper_trajectories where paper_id in ('{X}', '{Z}')
                         order by paper_id, snapshot_date""")
    out: dict = {}
    for paper_id, *rest in rows:
        out.setdefault(paper_id, []).append(tuple(rest))
    return out


def _minus(a, b):
    return None if a is None or b is None else a - b


def test_before_the_removal_the_capture_row_is_x(reloaded):
    up = reloaded["capture_upvotes"]   # (None: the bundled capture shows no upvote counts)
    assert reloaded["before"] == {
        X: [("2025-11-10", 1, 2, None), (CAPTURE_DAY, 2, up, _minus(up, 2)),
            ("2026-01-05", 3, 40, _minus(40, up)), ("2026-02-05", 4, 50, 10)],
        Z: [("2025-10-06", 1, 1, None)],
    }


def test_after_the_reload_x_is_renumbered_and_z_gains_the_capture_row(reloaded):
    up = reloaded["capture_upvotes"]
    assert _trajectory_rows(reloaded["db"]) == {
        X: [("2025-11-10", 1, 2, None), ("2026-01-05", 2, 40, 38)],
        Z: [("2025-10-06", 1, 1, None), (CAPTURE_DAY, 2, up, _minus(up, 1))],
    }


def test_the_reloaded_warehouse_equals_a_full_refresh(reloaded, tmp_path):
    assert_equal_to_full_refresh(reloaded["db"], tmp_path,
                                 ["intermediate.int_paper_observations", *MARTS])


def test_a_warehouse_from_before_observation_set_hash_gets_one_full_rebuild(reloaded, tmp_path):
    """Its incremental runs could have left such stale rows: the first build rebuilds them all."""
    assert upgrade_args(reloaded["db"]) == []
    old = tmp_path / "warehouse.duckdb"
    shutil.copyfile(reloaded["db"], old)
    con = duckdb.connect(str(old))
    try:
        con.execute("alter table marts.papers drop column observation_set_hash")
    finally:
        con.close()
    assert upgrade_args(old) == ["--full-refresh"]
