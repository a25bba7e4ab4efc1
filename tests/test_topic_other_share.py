"""Almost every paper of a real daily list gets a topic: at most 5% are tagged only `other`.

The November 2025 listing days of ../shared/data (tests/shared_data.py) are copied into a
temporary folder, landed and run through the real pipeline; marts.paper_topics then holds the
tags of every listed paper.
"""

from __future__ import annotations

import shutil
from datetime import date

import duckdb

from orchestration.runs.runner import run_pipeline
from orchestration.storage.landing import land_files
from orchestration.storage.settings import DataDir, export_environment
from tests.shared_data import api_day_files, require_shared_data


def test_at_most_five_percent_of_daily_list_papers_are_only_other(tmp_path):
    require_shared_data()
    days = tmp_path / "days"
    days.mkdir()
    for path in api_day_files():
        shutil.copy(path, days / path.name)
    data = DataDir(tmp_path / "data").ensure()
    export_environment(data)
    land_files([days], data)
    stems = sorted(p.stem for p in days.iterdir())
    assert run_pipeline(data, date.fromisoformat(stems[0]), date.fromisoformat(stems[-1])).success
    with duckdb.connect(str(data.warehouse), read_only=True) as con:
        papers, only_other = con.execute("""
            select count(*), count(*) filter (where topics = ['other'])
            from (select paper_id, list(distinct topic) as topics
                  from marts.paper_topics group by paper_id)
        """).fetchone()
        listed = con.execute("select count(*) from marts.papers").fetchone()[0]
    assert papers == listed > 300
    assert only_other / papers <= 0.05, f"{only_other} of {papers} papers are only 'other'"
