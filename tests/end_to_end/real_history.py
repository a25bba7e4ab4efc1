"""The real history of May 2023 to April 2025 (../shared/data/hf_api_history, read in place) for
the end-to-end tests of new directions: its files, one term injected into them, ingest and query."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb

from orchestration.storage.settings import DBT_PROJECT_DIR
from tests.shared_data import SHARED_DATA

HISTORY = SHARED_DATA / "hf_api_history"
INJECTED_WEEK = date(2025, 4, 7)
INJECTED = "quantum origami"


def history_files() -> list[Path]:
    return sorted(HISTORY.glob("*/*.json"))


def with_injected_term(files: list[Path], out: Path) -> tuple[list[Path], set[str]]:
    """The files, those of the injected week rewritten into `out` with the new keyword on their
    first three papers; and the arXiv ids of those papers."""
    out.mkdir(parents=True, exist_ok=True)
    chosen, ids = [], set()
    for path in files:
        day = date.fromisoformat(path.stem[:10])
        if 0 <= (day - INJECTED_WEEK).days < 5:
            items = json.loads(path.read_text(encoding="utf-8"))
            for item in items[:3]:
                item["paper"]["ai_keywords"] = [*(item["paper"].get("ai_keywords") or []), "Quantum Origami"]
                ids.add(item["paper"]["id"])
            path = out / path.name
            path.write_text(json.dumps(items), encoding="utf-8")
        chosen.append(path)
    return chosen, ids


def ingest(data, files: list[Path], first: date, last: date) -> None:
    from orchestration.runs.runner import run_pipeline
    from orchestration.storage.landing import land_files

    land_files(files, data)
    result = run_pipeline(data, first, last)
    failures = [event.event_specific_data.error.message for event in result.all_events
                if event.is_step_failure]
    assert result.success, failures


def sql(data, query: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(data.warehouse), read_only=True)
    try:
        return con.execute(query, params or []).fetchall()
    finally:
        con.close()


def dbt_build_on(warehouse: Path, target: Path, *args: str) -> None:
    """`dbt build ARGS` on another warehouse file, as a person runs it from the command line."""
    dbt = Path(sys.executable).with_name("dbt")
    subprocess.run([str(dbt), "build", *args, "--project-dir", str(DBT_PROJECT_DIR),
                    "--profiles-dir", str(DBT_PROJECT_DIR), "--target-path", str(target)],
                   env={**os.environ, "PAPERTRENDS_WAREHOUSE": str(warehouse)}, check=True,
                   capture_output=True)
