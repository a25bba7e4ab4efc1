"""Loading over time: a load killed with SIGKILL leaves the warehouse as it was and the next run
completes the work; the same bytes again change nothing; a later re-capture with moved upvotes
shows in paper_trajectories and adds no papers; and the incremental marts this history built
equal a full refresh of the same data."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from orchestration.dbt_manifest import dbt_executable
from orchestration.settings import DBT_PROJECT_DIR
from tests.conftest import API_DAYS

PAPERTRENDS = str(Path(sys.executable).parent / "papertrends")
MARTS = ["papers", "paper_topics", "topic_counts", "author_counts", "org_counts", "team_sizes",
         "rising_topics", "paper_trajectories", "author_monthly_counts", "org_monthly_counts"]


def ingest(data_root: Path, files: list[Path], **extra_env: str) -> subprocess.Popen:
    env = {**os.environ, "PAPERTRENDS_DATA_DIR": str(data_root), **extra_env}
    return subprocess.Popen([PAPERTRENDS, "ingest", *map(str, files)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)


def ingest_ok(data_root: Path, files: list[Path]) -> None:
    process = ingest(data_root, files)
    output = process.communicate(timeout=600)[0]
    assert process.returncode == 0, output


def query(database: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(database), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def raw_state(data_root: Path) -> tuple:
    db = data_root / "warehouse.duckdb"
    counts = tuple(query(db, f"select count(*) from raw.{t}")[0][0]
                   for t in ("snapshots", "paper_observations", "quarantine"))
    return counts + (sorted(r[0] for r in query(db, "select snapshot_id from raw.snapshots")),)


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> dict:
    """Five days; then the rest, killed mid-load; a rerun; everything again; a re-capture."""
    root = tmp_path_factory.mktemp("history")
    seen: dict = {}
    ingest_ok(root, API_DAYS[:5])
    seen["before"] = raw_state(root)

    marker = root / "load-in-progress"
    killed = ingest(root, API_DAYS[5:], PAPERTRENDS_CRASH_TEST_PAUSE="120")
    deadline = time.monotonic() + 300
    while not marker.exists():
        assert killed.poll() is None, killed.communicate()[0]
        assert time.monotonic() < deadline, "the load never started"
        time.sleep(0.2)
    os.killpg(killed.pid, signal.SIGKILL)
    killed.wait(timeout=30)
    marker.unlink()
    seen["after_kill"] = raw_state(root)
    seen["archived_after_kill"] = len(list((root / "archive").rglob("*.json")))

    ingest_ok(root, API_DAYS[5:])
    seen["after_rerun"] = raw_state(root)
    ingest_ok(root, API_DAYS)
    seen["after_again"] = raw_state(root)
    seen["archived_after_again"] = len(list((root / "archive").rglob("*.json")))

    # A re-capture of the last listing day two days later: every paper 10 upvotes and 1 comment up.
    items = json.loads(API_DAYS[-1].read_bytes())
    for item in items:
        item["paper"]["upvotes"] += 10
        item["numComments"] += 1
    recapture = tmp_path_factory.mktemp("recapture") / "2025-11-30_recapture.json"
    recapture.write_text(json.dumps(items))
    seen["papers_before_recapture"] = query(root / "warehouse.duckdb", "select count(*) from marts.papers")[0][0]
    ingest_ok(root, [recapture])
    seen["recaptured_ids"] = [item["paper"]["id"] for item in items]
    seen["root"] = root
    return seen


def test_a_killed_load_leaves_the_warehouse_as_it_was(history):
    assert history["before"][:3] == (5, 23 + 30 + 25 + 13 + 15, 0)  # entries counted in the files
    assert history["after_kill"] == history["before"]
    assert history["archived_after_kill"] == 20  # its files were archived before it died


def test_the_next_run_completes_the_work(history):
    assert history["after_rerun"][:3] == (20, 412, 0)


def test_the_same_bytes_again_change_nothing(history):
    assert history["after_again"] == history["after_rerun"]
    assert history["archived_after_again"] == 20


def test_a_recapture_with_moved_upvotes_shows_in_trajectories_and_adds_no_papers(history):
    db = history["root"] / "warehouse.duckdb"
    assert query(db, "select count(*) from marts.papers")[0][0] == history["papers_before_recapture"]
    moved = query(db, """select paper_id, upvotes_delta, comments_delta, days_since_listed
                         from marts.paper_trajectories where snapshot_date = '2025-11-30'""")
    assert sorted(r[0] for r in moved) == sorted(history["recaptured_ids"])
    assert {(r[1], r[2], r[3]) for r in moved} == {(10, 1, 2)}


def test_incremental_marts_equal_a_full_refresh(history, tmp_path):
    copy = tmp_path / "full-refresh.duckdb"
    shutil.copyfile(history["root"] / "warehouse.duckdb", copy)
    env = {**os.environ, "PAPERTRENDS_WAREHOUSE": str(copy)}
    build = subprocess.run(
        [dbt_executable(), "build", "--full-refresh", "--quiet", "--project-dir", str(DBT_PROJECT_DIR),
         "--profiles-dir", str(DBT_PROJECT_DIR), "--target-path", str(tmp_path / "target")],
        env=env, capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, build.stdout + build.stderr
    con = duckdb.connect(str(copy))
    try:
        con.execute(f"attach '{history['root'] / 'warehouse.duckdb'}' as incremental (read_only)")
        for mart in MARTS:
            for left, right in (("marts", "incremental.marts"), ("incremental.marts", "marts")):
                extra = con.execute(
                    f"select count(*) from (select * from {left}.{mart} except all select * from {right}.{mart})"
                ).fetchall()[0][0]
                assert extra == 0, (mart, left)
        assert con.execute("select count(*) from marts.paper_trajectories").fetchall()[0][0] == 412 + len(history["recaptured_ids"])
    finally:
        con.close()
