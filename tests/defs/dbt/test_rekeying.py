"""A paper first seen in a page capture (no arXiv id: keyed by its folded title) and a month
later in the API (with its arXiv id) is one paper: the later run re-keys the capture's older rows
to the arXiv id in int_paper_observations and every mart, exactly as a full refresh would."""

from __future__ import annotations

import json
import shutil

import duckdb
import pytest

from orchestration.defs.dbt.assets import upgrade_args
from tests.conftest import api_item, copy_data_dir
from tests.warehouse_checks import MARTS, assert_equal_to_full_refresh, ingest_ok, query

LATER_DAY = "2026-01-05"   # a month after the capture (2025-12-10): not reloaded by the later run
RELATIONS = ["intermediate.int_paper_observations", *MARTS]


@pytest.fixture(scope="module")
def rekeyed(tmp_path_factory, capture_ingested) -> dict:
    root = tmp_path_factory.mktemp("rekeyed") / "data"
    copy_data_dir(capture_ingested.root, root)   # the capture, ingested alone
    db = root / "warehouse.duckdb"
    captured = query(db, "select title from raw.paper_observations order by position limit 3")
    assert len(captured) == 3
    items, ids = [], {}
    for number, (title,) in enumerate(captured, start=1):
        arxiv_id = f"2601.{number:05d}"
        items.append(api_item(arxiv_id, title))
        ids[title] = arxiv_id
    later = tmp_path_factory.mktemp("later") / f"{LATER_DAY}.json"
    later.write_text(json.dumps(items))
    ingest_ok(root, [later])
    return {"db": db, "ids": ids, "root": root}


def test_the_capture_rows_take_the_arxiv_id(rekeyed):
    rows = query(rekeyed["db"], """select title, paper_id, snapshot_date, observation_number
                                   from intermediate.int_paper_observations
                                   join marts.paper_trajectories using (paper_id, snapshot_id, position, snapshot_date)
                                   order by title, snapshot_date""")
    seen = {}
    for title, paper_id, day, number in rows:
        if title in rekeyed["ids"]:
            seen.setdefault(title, []).append((paper_id, str(day), number))
    assert seen == {title: [(arxiv_id, "2025-12-10", 1), (arxiv_id, LATER_DAY, 2)]
                    for title, arxiv_id in rekeyed["ids"].items()}


def test_no_title_keyed_paper_is_left_for_them(rekeyed):
    titles = "[" + ", ".join("'" + t.replace("'", "''") + "'" for t in sorted(rekeyed["ids"])) + "]"
    keys = query(rekeyed["db"], f"""select distinct title_key from intermediate.int_paper_observations
                                    where list_contains({titles}, title)""")
    assert len(keys) == 3 and all(key.startswith("title:") for (key,) in keys)
    for relation in ("marts.papers", "marts.paper_trajectories", "marts.paper_topics"):
        left = query(rekeyed["db"], f"""select count(*) from {relation} where paper_id in
                                        (select title_key from intermediate.int_paper_observations
                                         where list_contains({titles}, title))""")
        assert left == [(0,)], relation
    papers = query(rekeyed["db"], "select paper_id, n_observations, first_seen from marts.papers "
                                  "where paper_id like '2601.%' order by paper_id")
    assert [(p, n, str(d)) for p, n, d in papers] == [(i, 2, "2025-12-10") for i in sorted(rekeyed["ids"].values())]


def test_the_rekeyed_warehouse_equals_a_full_refresh(rekeyed, tmp_path):
    assert_equal_to_full_refresh(rekeyed["db"], tmp_path, RELATIONS)


def test_a_warehouse_whose_observations_were_a_view_gets_one_full_rebuild(rekeyed, tmp_path):
    """Versions before the incremental table kept int_paper_observations as a view, and their
    incremental marts never re-keyed older rows: the first dbt build on such a warehouse is a
    full refresh, later ones are incremental."""
    old = tmp_path / "warehouse.duckdb"
    shutil.copyfile(rekeyed["db"], old)
    assert upgrade_args(old) == []
    con = duckdb.connect(str(old))
    try:
        con.execute("drop table intermediate.int_paper_observations")
        con.execute("create view intermediate.int_paper_observations as "
                    "select * from staging.stg_raw__paper_observations")
    finally:
        con.close()
    assert upgrade_args(old) == ["--full-refresh"]
    assert upgrade_args(tmp_path / "missing.duckdb") == []


def test_a_warehouse_whose_observations_table_copies_abstracts_gets_one_full_rebuild(rekeyed, tmp_path):
    """The version before this one copied every observation's abstract into
    int_paper_observations; its table has another schema, so the first build rebuilds it."""
    old = tmp_path / "warehouse.duckdb"
    shutil.copyfile(rekeyed["db"], old)
    con = duckdb.connect(str(old))
    try:
        assert "abstract" not in [r[0] for r in con.execute(
            "select column_name from information_schema.columns where table_name = 'int_paper_observations'"
        ).fetchall()]
        con.execute("alter table intermediate.int_paper_observations add column abstract varchar")
    finally:
        con.close()
    assert upgrade_args(old) == ["--full-refresh"]
