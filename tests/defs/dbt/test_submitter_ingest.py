"""Who submitted a paper to Daily Papers, through the runs `papertrends ingest` makes (made
in-process: tests/conftest.ingest_in_process): raw.paper_observations keeps what each snapshot
shows (null where it shows none), marts.papers the latest shown; and a warehouse made before
the columns existed gains them, keeping every row it had.

The warehouse first holds an October API day loaded without the columns (as an earlier version
left it: the columns are dropped after the load). Then November is ingested, in two runs:

    2025-11-03  API day          A (user "first-user", "First User"), B (no submitter)
    2025-11-06  Markdown export  A, B (the layout shows no submitter)
    ---
    2025-11-10  API day          A again, its user's display name now "First User Renamed"
    2025-11-11  select-all copy  C, "Submitted by" / "Only Shown" (no user name in such a copy)

The papers' titles and the users are made up; the items are shaped like real ones
(tests/conftest.api_item).
"""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path

import duckdb
import pytest

from orchestration.defs.dbt.assets import upgrade_args
from tests.capture_render_tools import render_tool_capture
from tests.conftest import api_item, ingest_in_process
from tests.warehouse_checks import assert_equal_to_full_refresh, query

pytestmark = pytest.mark.needs_shared_data

A, B, C, OLD = "2511.90001", "2511.90002", "2511.90003", "2510.90004"
COLUMNS = ("submitted_by", "submitted_by_name")
DBT_TABLES = ("intermediate.int_paper_observations", "marts.papers")


def _submitted(item: dict, name: str | None, fullname: str | None = None) -> dict:
    """The item with this submitter (both places the API names one), or none."""
    item = copy.deepcopy(item)
    item.pop("submittedBy", None)
    item["paper"].pop("submittedOnDailyBy", None)
    if name is not None:
        user = {"_id": "0", "name": name, "fullname": fullname, "type": "user", "avatarUrl": "/a.png"}
        item["submittedBy"] = user
        item["paper"]["submittedOnDailyBy"] = {**user, "user": name}
    return item


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def ingested(tmp_path_factory) -> dict:
    root, files = tmp_path_factory.mktemp("submitter"), tmp_path_factory.mktemp("files")
    db = root / "warehouse.duckdb"
    old = _submitted(api_item(OLD, "A paper listed in October", "2025-10-06", 4), "october-user", "Oct User")
    ingest_in_process(root, [_write(files, "2025-10-06.json", json.dumps([old]))])
    con = duckdb.connect(str(db))
    try:   # the warehouse as a version without the columns left it
        for table in ("raw.paper_observations", *DBT_TABLES):
            for column in COLUMNS:
                con.execute(f"alter table {table} drop column {column}")
        october = con.execute("select * from raw.paper_observations order by snapshot_id, position").fetchall()
    finally:
        con.close()
    upgrade_before = upgrade_args(db)

    a = _submitted(api_item(A, "A paper submitted by a user", "2025-11-03", 10), "first-user", "First User")
    b = _submitted(api_item(B, "A paper without a submitter", "2025-11-03", 3), None)
    a_later = _submitted(a, "first-user", "First User Renamed")
    a_later["paper"]["upvotes"] = 30
    c = _submitted(api_item(C, "A paper seen only in a copied page", "2025-11-11", 7), "c-user", "Only Shown")
    ingest_in_process(root, [   # the first run of this version: the dbt tables are rebuilt
        _write(files, "2025-11-03.json", json.dumps([a, b])),
        _write(files, "2025-11-06_export.md", render_tool_capture([a, b], date(2025, 11, 6), "markdown")),
    ])
    upgrade_after = upgrade_args(db)
    ingest_in_process(root, [   # and the next one incremental
        _write(files, "2025-11-10.json", json.dumps([a_later])),
        _write(files, "2025-11-11_copy.txt", render_tool_capture([c], date(2025, 11, 11), "selectall", variant=1)),
    ])
    return {"db": db, "october": october, "upgrade_before": upgrade_before, "upgrade_after": upgrade_after}


def test_raw_observations_keep_the_submitter_each_snapshot_shows(ingested):
    rows = query(ingested["db"], """
        select o.snapshot_date::varchar, coalesce(o.arxiv_id, o.title), o.submitted_by, o.submitted_by_name
        from raw.paper_observations o where o.snapshot_date >= date '2025-11-01'
        order by o.snapshot_date, o.position""")
    assert rows == [
        ("2025-11-03", A, "first-user", "First User"),
        ("2025-11-03", B, None, None),
        ("2025-11-06", A, None, None),      # a Markdown export shows no submitter: nothing made up
        ("2025-11-06", B, None, None),
        ("2025-11-10", A, "first-user", "First User Renamed"),
        ("2025-11-11", "A paper seen only in a copied page", None, "Only Shown"),
    ]


def test_papers_take_the_submitter_of_the_latest_observation_showing_one(ingested):
    rows = query(ingested["db"], """select coalesce(arxiv_id, title), submitted_by, submitted_by_name
                                    from marts.papers order by 1""")
    assert rows == [
        (OLD, None, None),   # loaded before the columns existed; null until its month is reloaded
        (A, "first-user", "First User Renamed"),
        (B, None, None),
        ("A paper seen only in a copied page", None, "Only Shown"),
    ]


def test_an_old_warehouse_gains_the_columns_and_keeps_its_rows(ingested):
    """raw.paper_observations gets the columns in place (the October rows as they were, null in
    the new columns, which come last as in a new warehouse); the dbt tables that lacked them are
    rebuilt once (--full-refresh), then built incrementally again."""
    db = ingested["db"]
    assert ingested["upgrade_before"] == ["--full-refresh"]
    assert ingested["upgrade_after"] == []
    names = [name for (name,) in query(db, """select column_name from information_schema.columns
        where table_schema = 'raw' and table_name = 'paper_observations' order by ordinal_position""")]
    assert names[-2:] == list(COLUMNS)
    kept = query(db, "select * exclude (submitted_by, submitted_by_name) from raw.paper_observations"
                     " where snapshot_date < date '2025-11-01' order by snapshot_id, position")
    assert kept == ingested["october"] and len(kept) == 1
    assert query(db, "select submitted_by, submitted_by_name from raw.paper_observations"
                     " where snapshot_date < date '2025-11-01'") == [(None, None)]
    for table in DBT_TABLES:
        schema, name = table.split(".")
        found = query(db, f"""select column_name from information_schema.columns
                              where table_schema = '{schema}' and table_name = '{name}'""")
        assert {c for (c,) in found} >= set(COLUMNS), table


def test_the_incremental_run_after_the_upgrade_equals_a_full_refresh(ingested, tmp_path):
    """The second November run recomputed A (a new observation, a new display name) incrementally."""
    assert_equal_to_full_refresh(ingested["db"], tmp_path, list(DBT_TABLES))
