"""Loading over time: a load killed with SIGKILL leaves the warehouse as it was and the next run
completes the work; the same bytes again change nothing; a later re-capture with moved upvotes
shows in paper_trajectories and adds no papers; and the incremental marts this history built
equal a full refresh of the same data."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import time
from pathlib import Path

import pytest

from tests.conftest import API_DAYS, ingest_in_process
from tests.warehouse_checks import MARTS, assert_equal_to_full_refresh, ingest, ingest_ok, query

pytestmark = pytest.mark.needs_shared_data

def raw_state(data_root: Path) -> tuple:
    db = data_root / "warehouse.duckdb"
    counts = tuple(query(db, f"select count(*) from raw.{t}")[0][0]
                   for t in ("snapshots", "paper_observations", "quarantine"))
    return counts + (sorted(r[0] for r in query(db, "select snapshot_id from raw.snapshots")),)


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> dict:
    """Five days; then the rest, killed mid-load; a rerun; then everything again, in the same
    run as a re-capture of the last listing day (the same bytes and a new file, one run). The
    killed load and the rerun are `papertrends ingest` processes, as a user runs them; the runs
    before and after, whose output no test reads, are made in this process."""
    root = tmp_path_factory.mktemp("history")
    seen: dict = {}
    ingest_in_process(root, API_DAYS[:5])
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
    seen["papers_after_rerun"] = query(root / "warehouse.duckdb", "select count(*) from marts.papers")[0][0]

    # A re-capture of the last listing day two days later: every paper 10 upvotes and 1 comment up.
    items = json.loads(API_DAYS[-1].read_bytes())
    for item in items:
        item["paper"]["upvotes"] += 10
        item["numComments"] += 1
    recapture = tmp_path_factory.mktemp("recapture") / "2025-11-30_recapture.json"
    recapture.write_text(json.dumps(items))
    ingest_in_process(root, [*API_DAYS, recapture])
    seen["after_again"] = raw_state(root)
    seen["archived_after_again"] = len(list((root / "archive").rglob("*.json")))
    seen["recapture_id"] = f"2025-11-30-api-{hashlib.sha256(recapture.read_bytes()).hexdigest()[:12]}"
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
    """The run that took every file again added the re-capture's snapshot and rows, nothing else."""
    snapshots, observations, quarantine, ids = history["after_rerun"]
    assert history["after_again"] == (snapshots + 1, observations + len(history["recaptured_ids"]),
                                      quarantine, sorted([*ids, history["recapture_id"]]))
    assert history["archived_after_again"] == 20 + 1


def test_a_recapture_with_moved_upvotes_shows_in_trajectories_and_adds_no_papers(history):
    db = history["root"] / "warehouse.duckdb"
    assert query(db, "select count(*) from marts.papers")[0][0] == history["papers_after_rerun"]
    moved = query(db, """select paper_id, upvotes_delta, comments_delta, days_since_listed
                         from marts.paper_trajectories where snapshot_date = '2025-11-30'""")
    assert sorted(r[0] for r in moved) == sorted(history["recaptured_ids"])
    assert {(r[1], r[2], r[3]) for r in moved} == {(10, 1, 2)}


def test_incremental_marts_equal_a_full_refresh(history, tmp_path):
    assert_equal_to_full_refresh(history["root"] / "warehouse.duckdb", tmp_path,
                                 ["intermediate.int_paper_observations", *MARTS])
    trajectories = query(history["root"] / "warehouse.duckdb", "select count(*) from marts.paper_trajectories")
    assert trajectories[0][0] == 412 + len(history["recaptured_ids"])
