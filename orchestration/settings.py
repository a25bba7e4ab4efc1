"""Where papertrends keeps its state: everything lives under PAPERTRENDS_DATA_DIR (default data/)."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
SEEDS_DIR = PROJECT_ROOT / "seeds"
# The first snapshot date papertrends tracks: the start of the monthly partitions, so the UI
# shows no months before the data can begin. Daily Papers began in May 2023; PAPERTRENDS_FIRST_DAY
# (YYYY-MM-DD, read when the code loads) moves it, say for older captures or the benchmarks'
# ten-year generated corpus. Snapshots dated earlier are refused with a message naming it.
DEFAULT_FIRST_DAY = "2023-05-01"


def _first_day() -> str:
    text = (os.environ.get("PAPERTRENDS_FIRST_DAY") or DEFAULT_FIRST_DAY).strip()
    try:
        return date.fromisoformat(text).replace(day=1).isoformat()
    except ValueError:
        raise SystemExit(f"papertrends: PAPERTRENDS_FIRST_DAY must be a date (YYYY-MM-DD), "
                         f"got {text!r}") from None


FIRST_DAY = _first_day()   # the first day of that month (the first partition's key)

DAGSTER_YAML = """\
# Written by papertrends; edit freely, it is not overwritten once it exists.
telemetry:
  enabled: false
nux:
  enabled: false
concurrency:
  runs:
    max_concurrent_runs: 1
  pools:
    default_limit: 1
# Dagster's SQLite event log, keeping its database connections open (orchestration/dagster_event_log.py):
# remove these four lines to go back to Dagster's own class; the files are the same.
event_log_storage:
  module: orchestration.dagster_event_log
  class: PooledSqliteEventLogStorage
  config: {}
"""
# sha256 of the dagster.yaml earlier versions wrote. A file still equal to one of them was never
# edited, so ensure() replaces it with DAGSTER_YAML: the first two lacked the event log class
# above (Dagster's own took ~12 ms an event, ~2.7 ms with it); the last two turned on Dagster's
# freshness policies, which papertrends no longer uses (orchestration/assets/freshness.py judges
# freshness by the data). An edited file keeps that setting, where it does nothing.
EARLIER_DAGSTER_YAML = {
    "72f78b9e84ac49a6f5063b04e0db9dfb5dec978fb76a3177955058c04cd3e308",
    "69907d68a2633a40abd7ca29330ed7eb1c6680cfe233b5343fffefbf0d65ff80",
    "409aae82c3899353a6547dbc7b3058a48a352ceca103dc5a4cf45b6b232bb54e",
}


@dataclass(frozen=True)
class DataDir:
    root: Path

    @property
    def landing(self) -> Path:
        return self.root / "landing"

    @property
    def archive(self) -> Path:
        return self.root / "archive"

    @property
    def work(self) -> Path:
        """Intermediate parquet files of the parsed and validated assets."""
        return self.root / "work"

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse.duckdb"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def dagster_home(self) -> Path:
        return self.root / "dagster"

    def ensure(self) -> "DataDir":
        for folder in (self.landing, self.archive, self.work, self.reports, self.dagster_home):
            folder.mkdir(parents=True, exist_ok=True)
        config = self.dagster_home / "dagster.yaml"
        if not config.exists() or hashlib.sha256(config.read_bytes()).hexdigest() in EARLIER_DAGSTER_YAML:
            config.write_text(DAGSTER_YAML)
        return self


def data_dir() -> DataDir:
    """The data dir named by PAPERTRENDS_DATA_DIR (absolute), created on first use."""
    root = Path(os.environ.get("PAPERTRENDS_DATA_DIR") or PROJECT_ROOT / "data")
    return DataDir(root.expanduser().resolve())


def export_environment(data: DataDir) -> None:
    """Point Dagster and dbt at this data dir (both read these variables)."""
    os.environ["PAPERTRENDS_DATA_DIR"] = str(data.root)
    os.environ["PAPERTRENDS_WAREHOUSE"] = str(data.warehouse)
    os.environ["DAGSTER_HOME"] = str(data.dagster_home)
    # One "materialization planned" event per asset for a run over many partitions, instead of
    # one per partition per asset (33 assets x 120 months = 3,960 events, ~40 s with SQLite). The
    # price, in Dagster's words: partitions of a run that fails are not marked failed.
    os.environ.setdefault("DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS", "1")
    # A step's materializations of many partitions reach the event log as one batch, which
    # orchestration/dagster_event_log.py stores in one transaction per file, not two per event.
    os.environ.setdefault("DAGSTER_EVENT_BATCH_SIZE", "1000")
