"""The whole graph materialized in-process on the real November 2025 days (../shared/data) and the
bundled capture, checked with SQL."""

from __future__ import annotations

import json
import math
import unicodedata
from collections import Counter

import duckdb
import pytest

from tests.conftest import api_items


@pytest.fixture(scope="module")
def con(seeded):
    connection = duckdb.connect(str(seeded.warehouse), read_only=True)
    yield connection
    connection.close()


def one(con, sql, params=None):
    return con.execute(sql, params or []).fetchall()[0]


def test_every_bundled_file_is_a_snapshot_and_every_entry_is_accounted_for(con):
    snapshots, entries, loaded, held = one(
        con, "select count(*), sum(n_entries), sum(n_loaded), sum(n_quarantined) from raw.snapshots")
    assert snapshots == 21
    assert entries == 455  # 43 in the capture + 412 in the 20 API days
    observations = one(con, "select count(*) from raw.paper_observations")[0]
    quarantined = one(con, "select count(*) from raw.quarantine")[0]
    assert (loaded, held) == (observations, quarantined)
    assert observations + quarantined == 455
    lost = con.execute("""
        select s.snapshot_id from raw.snapshots s
        where s.n_entries <> (select count(*) from raw.paper_observations o
                              where o.snapshot_id = s.snapshot_id)
                           + (select count(*) from raw.quarantine q where q.snapshot_id = s.snapshot_id)
    """).fetchall()
    assert lost == []


def test_the_capture_is_recorded_as_a_search_view_and_api_days_as_daily_lists(con):
    kinds = dict(con.execute(
        "select source_kind || ':' || listing_kind, count(*) from raw.snapshots group by 1").fetchall())
    assert kinds == {"capture:search": 1, "api:daily": 20}


def test_incomplete_capture_entry_is_kept_and_flagged(con):
    rows = con.execute(
        "select complete from raw.paper_observations where title like 'Think Right:%'").fetchall()
    assert rows == [(False,)]


def _name_key(name: str) -> str:
    decomposed = unicodedata.normalize("NFD", name)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())


def author_counts_from_json() -> Counter:
    """Papers per author identity, from the JSON alone: the handle when the paper shows one,
    else the one handle the same normalized name carries elsewhere, else 'name:' + the name."""
    papers = {item["paper"]["id"]: item["paper"] for _, item in api_items()}
    rows = [(pid, a["name"], (a.get("user") or {}).get("user"))
            for pid, paper in papers.items() for a in paper["authors"] if a["name"].strip()]
    handles: dict[str, set] = {}
    for _, name, handle in rows:
        if handle:
            handles.setdefault(_name_key(name), set()).add(handle)
    keyed = set()
    for pid, name, handle in rows:
        borrowed = handles.get(_name_key(name), set())
        key = handle or (next(iter(borrowed)) if len(borrowed) == 1 else "name:" + _name_key(name))
        keyed.add((pid, key))
    return Counter(key for _, key in keyed)


def test_author_counts_equal_counts_taken_straight_from_the_json(con):
    expected = author_counts_from_json()
    warehouse = dict(con.execute("select author_key, n_papers from marts.author_counts").fetchall())
    assert warehouse == dict(expected)
    top = con.execute(
        "select author_key, n_papers from marts.author_counts order by n_papers desc, author_key limit 10"
    ).fetchall()
    assert [n for _, n in top] == sorted(expected.values(), reverse=True)[:10]


def test_org_counts_equal_counts_taken_straight_from_the_json(con):
    papers = {item["paper"]["id"]: item for _, item in api_items()}
    expected = Counter(
        (item["paper"].get("organization") or item.get("organization"))["name"]
        for item in papers.values()
        if item["paper"].get("organization") or item.get("organization")
    )
    expected["spiralworks"] += 1  # the capture's one organization line (seeds/captures, line 153)
    warehouse = dict(con.execute("select organization, n_papers from marts.org_counts").fetchall())
    assert warehouse == dict(expected)


def test_papers_are_one_row_per_arxiv_id_and_all_api_papers_are_listed(con):
    ids = {item["paper"]["id"] for _, item in api_items()}
    listed = {r[0] for r in con.execute("select arxiv_id from marts.papers where is_listed").fetchall()}
    assert listed == ids
    total = one(con, "select count(*), count(distinct paper_id) from marts.papers")
    assert total[0] == total[1]


def test_every_paper_has_a_topic_and_other_only_alone(con):
    untagged = one(con, """
        select count(*) from marts.papers p
        where not exists (select 1 from marts.paper_topics t where t.paper_id = p.paper_id)""")[0]
    assert untagged == 0
    mixed = one(con, """
        select count(*) from (
            select paper_id from marts.paper_topics group by paper_id
            having bool_or(topic = 'other') and count(*) > 1)""")[0]
    assert mixed == 0


def test_topic_counts_per_month_match_paper_topics(con):
    # Independent path: count tagged listed papers per month straight from papers x paper_topics.
    direct = dict(con.execute("""
        select topic, count(distinct paper_id) from marts.paper_topics join marts.papers using (paper_id)
        where is_listed and date_trunc('month', listed_on) = date '2025-11-01' group by topic""").fetchall())
    mart = dict(con.execute("""
        select topic, n_papers from marts.topic_counts
        where grain = 'month' and basis = 'listed' and period_start = date '2025-11-01'""").fetchall())
    assert mart == direct
    assert sum(mart.values()) >= 412  # every listed paper has at least one topic


def test_listed_day_counts_match_the_json_files(con):
    per_day = Counter(item["paper"]["submittedOnDailyAt"][:10] for _, item in api_items())
    mart = {str(d): n for d, n in con.execute("""
        select period_start, max(period_papers) from marts.topic_counts
        where grain = 'day' and basis = 'listed' group by 1""").fetchall()}
    assert mart == dict(per_day)


def test_topic_totals_per_month_recomputed_from_the_json_listing_days(con):
    tags = {}
    for paper_id, topic in con.execute("select paper_id, topic from marts.paper_topics").fetchall():
        tags.setdefault(paper_id, set()).add(topic)
    first_listed = {}
    for _, item in api_items():
        day = item["paper"]["submittedOnDailyAt"][:10]
        first_listed[item["paper"]["id"]] = min(day, first_listed.get(item["paper"]["id"], day))
    expected = Counter(topic for pid, day in first_listed.items() if day.startswith("2025-11")
                       for topic in tags[pid])
    mart = dict(con.execute("""select topic, n_papers from marts.topic_counts
        where grain = 'month' and basis = 'listed' and period_start = '2025-11-01'""").fetchall())
    assert mart == dict(expected)


def test_rising_topic_rows_recomputed_by_hand(con):
    # Weekly counts per topic from the JSON listing days (ISO weeks of Nov 2025: 3, 10, 17, 24).
    tags = {}
    for paper_id, topic in con.execute("select paper_id, topic from marts.paper_topics").fetchall():
        tags.setdefault(paper_id, set()).add(topic)
    week_of = {}
    for _, item in api_items():
        day = int(item["paper"]["submittedOnDailyAt"][8:10])
        week_of[item["paper"]["id"]] = min((day - 3) // 7, week_of.get(item["paper"]["id"], 9))
    counts = Counter((topic, week) for pid, week in week_of.items() for topic in tags[pid])
    listed = Counter(week_of.values())
    rows = con.execute("""select topic, n_last_7d, n_listed, share, trailing_share, z_score, is_rising
        from marts.rising_topics where week_start = '2025-11-24'""").fetchall()
    assert len(rows) >= 10
    for topic, n, n_listed, share, trailing_share, z, rising in rows:
        k, total = counts[(topic, 3)], listed[3]
        k0, total0 = sum(counts[(topic, w)] for w in range(3)), sum(listed[w] for w in range(3))
        pooled = (k + k0) / (total + total0)
        by_hand_z = (k / total - k0 / total0) / math.sqrt(pooled * (1 - pooled) * (1 / total + 1 / total0))
        assert (n, n_listed) == (k, total)
        assert share == pytest.approx(k / total, abs=1e-4)
        assert trailing_share == pytest.approx(k0 / total0, abs=1e-4)
        assert z == pytest.approx(by_hand_z, abs=1e-3)
        assert rising == (by_hand_z >= 2.33 and k >= 5 and k / total >= 1.5 * k0 / total0)


def test_reporting_views_and_every_column_carry_comments(con):
    views = con.execute("""select view_name, comment from duckdb_views()
        where schema_name = 'reporting'""").fetchall()
    assert {v for v, _ in views} >= {"topic_trends", "rising_topics_now", "top_authors_by_month",
                                     "top_organizations_by_month", "paper_history"}
    assert all(comment for _, comment in views), views
    bare = con.execute("""select table_name, column_name from duckdb_columns()
        where schema_name = 'reporting' and (comment is null or comment = '')""").fetchall()
    assert bare == []


def test_dbt_docs_generate_works(seeded, tmp_path):
    import os
    import shutil
    import subprocess

    from orchestration.defs.dbt.manifest import dbt_executable
    from orchestration.storage.settings import DBT_PROJECT_DIR

    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(seeded.warehouse, copy)
    result = subprocess.run(
        [dbt_executable(), "docs", "generate", "--project-dir", str(DBT_PROJECT_DIR),
         "--profiles-dir", str(DBT_PROJECT_DIR), "--target-path", str(tmp_path / "target")],
        env={**os.environ, "PAPERTRENDS_WAREHOUSE": str(copy)}, capture_output=True, text=True,
        timeout=300)
    assert result.returncode == 0, result.stdout[-2000:]
    catalog = (tmp_path / "target" / "catalog.json").read_text()
    assert "model.papertrends.topic_counts" in catalog and "share" in catalog


def test_dbt_unit_tests_pass_outside_the_daily_build(seeded, tmp_path, monkeypatch):
    # The daily build leaves the SQL's unit tests (dbt `unit_tests:`) out; they run here.
    import shutil

    from orchestration.defs.dbt.build import run_dbt

    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(seeded.warehouse, copy)
    monkeypatch.setenv("PAPERTRENDS_WAREHOUSE", str(copy))
    outcome = run_dbt(["test", "--select", "test_type:unit"], tmp_path / "target")
    assert outcome.success, outcome.problems
    statuses = {node.unique_id: node.status for node in outcome.results}
    assert len(statuses) == 14 and all(uid.startswith("unit_test.") for uid in statuses)
    assert set(statuses.values()) == {"pass"}


def test_the_primary_key_tests_fail_on_a_repeated_or_a_null_key(seeded, tmp_path, monkeypatch):
    """`primary_key` (dbt_project/tests/generic) on a column and on several columns: a copy of the
    warehouse with one paper repeated and one topic tag without a paper fails both, counting
    the bad keys."""
    import shutil

    from orchestration.defs.dbt.build import run_dbt

    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(seeded.warehouse, copy)
    with duckdb.connect(str(copy)) as con:
        con.execute("insert into marts.papers select * from marts.papers limit 1")
        con.execute("insert into marts.paper_topics by name select null as paper_id, 'llm' as topic")
    monkeypatch.setenv("PAPERTRENDS_WAREHOUSE", str(copy))
    tests = ["primary_key_papers_paper_id", "primary_key_paper_topics_paper_id__topic"]
    outcome = run_dbt(["test", "--select", *tests], tmp_path / "target")
    assert not outcome.success
    assert {(node.name, node.status, node.failures) for node in outcome.results} == {
        (tests[0], "fail", 1), (tests[1], "fail", 1)}
    shutil.copyfile(seeded.warehouse, copy)
    assert run_dbt(["test", "--select", *tests], tmp_path / "target").success


def test_a_new_data_dirs_first_run_reuses_the_projects_partial_parse(seeded):
    """The first dbt build in a new data dir starts from the partial parse that `make setup`
    (and the test session) leaves in dbt_project/target: dbt parses no file again."""
    perf = json.loads((seeded.work / "dbt-target" / "perf_info.json").read_text())
    assert perf["is_partial_parse_enabled"] and perf["path_count"] > 100
    assert perf["parsed_path_count"] == 0, perf
