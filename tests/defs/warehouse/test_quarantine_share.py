"""The blocking quarantine_share check judges the files a run adds: a file whose entries are
mostly quarantined fails the run that brings it, in words, and no later run of its month.
The papers are made up."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import duckdb

from tests.warehouse_checks import PAPERTRENDS


def listing(path: Path, ids: list[str]) -> Path:
    day = path.name[:10]
    stamp = f"{day}T00:00:00.000Z"
    path.write_text(json.dumps([{"paper": {
        "id": arxiv_id, "title": f"A Made-Up Study Number {n}", "summary": "We study it.",
        "authors": [{"name": "A B"}], "publishedAt": stamp, "submittedOnDailyAt": stamp, "upvotes": n},
        "numComments": 0} for n, arxiv_id in enumerate(ids, start=1)]))
    return path


def ingest(root: Path, path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([PAPERTRENDS, "ingest", str(path)], capture_output=True, text=True,
                          env={**os.environ, "PAPERTRENDS_DATA_DIR": str(root)}, timeout=600)


def test_a_mostly_bad_file_fails_its_own_run_and_not_the_next_run_of_its_month(tmp_path):
    root = tmp_path / "data"
    first = ingest(root, listing(tmp_path / "2025-11-03.json", ["2511.00001", "2511.00002"]))
    assert first.returncode == 0, first.stderr

    bad = tmp_path / "2025-11-04_ids.json"
    bad.write_text(json.dumps([f"2511.{n:05d}" for n in range(10, 30)]))   # ids, not items
    refused = ingest(root, bad)
    assert refused.returncode != 0
    assert "20 of the 20 entries of the files this run added were quarantined, more than half, so " \
           "the marts were not rebuilt" in refused.stderr, refused.stderr
    assert "select reasons, raw_text from raw.quarantine" in refused.stderr
    assert "Traceback" not in refused.stdout + refused.stderr

    # the next file of the same month: its run reads the bad file again, and goes on
    good = ingest(root, listing(tmp_path / "2025-11-05.json", ["2511.00003"]))
    assert good.returncode == 0, good.stderr
    with duckdb.connect(str(root / "warehouse-readonly.duckdb"), read_only=True) as con:
        papers = sorted(row[0] for row in con.execute("select paper_id from marts.papers").fetchall())
        quarantined = con.execute("select count(*) from raw.quarantine").fetchone()[0]
    assert papers == ["2511.00001", "2511.00002", "2511.00003"]
    assert quarantined == 20
