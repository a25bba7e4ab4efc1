"""A paper first seen in a page capture (no arXiv id: keyed by its folded title) and a month
later in the API (with its arXiv id) is one paper: the later run re-keys the capture's older rows
to the arXiv id in int_paper_observations and every mart, exactly as a full refresh would."""

from __future__ import annotations

import copy
import json

import pytest

from tests.conftest import API_DAYS, CAPTURE
from tests.warehouse_checks import MARTS, assert_equal_to_full_refresh, ingest_ok, query

LATER_DAY = "2026-01-05"   # a month after the capture (2025-12-10): not reloaded by the later run
RELATIONS = ["intermediate.int_paper_observations", *MARTS]


@pytest.fixture(scope="module")
def rekeyed(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("rekeyed")
    ingest_ok(root, [CAPTURE])
    db = root / "warehouse.duckdb"
    captured = query(db, "select title from raw.paper_observations order by position limit 3")
    assert len(captured) == 3
    template = json.loads(API_DAYS[0].read_bytes())[0]
    items, ids = [], {}
    for number, (title,) in enumerate(captured, start=1):
        item = copy.deepcopy(template)
        arxiv_id = f"2601.{number:05d}"
        item["paper"].update(id=arxiv_id, title=title)
        item["title"] = title
        items.append(item)
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
    titles = sorted(rekeyed["ids"])
    for relation in ("marts.papers", "marts.paper_trajectories", "marts.paper_topics"):
        left = query(rekeyed["db"], f"""select count(*) from {relation}
                                        where paper_id in (select 'title:' || lower(trim(t))
                                                           from unnest(?::varchar[]) as u(t))""".replace(
            "?::varchar[]", "[" + ", ".join("'" + t.replace("'", "''") + "'" for t in titles) + "]"))
        assert left == [(0,)], relation
    papers = query(rekeyed["db"], "select paper_id, n_observations, first_seen from marts.papers "
                                  "where paper_id like '2601.%' order by paper_id")
    assert [(p, n, str(d)) for p, n, d in papers] == [(i, 2, "2025-12-10") for i in sorted(rekeyed["ids"].values())]


def test_the_rekeyed_warehouse_equals_a_full_refresh(rekeyed, tmp_path):
    assert_equal_to_full_refresh(rekeyed["db"], tmp_path, RELATIONS)
