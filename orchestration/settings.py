"""Where papertrends keeps its state: everything lives under PAPERTRENDS_DATA_DIR (default data/)."""

from __future__ import annotations

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
"""

# What earlier versions added to dagster.yaml to name their own event log class, which
# papertrends no longer has: ensure() takes these lines out of a data dir's file and leaves the
# rest of it (a person's settings) as it is.
OLD_EVENT_LOG_LINES = (
    "# Dagster's SQLite event log, keeping its database connections open "
    "(orchestration/dagster_event_log.py):\n"
    "# remove these four lines to go back to Dagster's own class; the files are the same.\n"
)
OLD_EVENT_LOG_MODULE = "orchestration.dagster_event_log"


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

    def ensure(self) -> DataDir:
        for folder in (self.landing, self.archive, self.work, self.reports, self.dagster_home):
            folder.mkdir(parents=True, exist_ok=True)
        config = self.dagster_home / "dagster.yaml"
        if not config.exists():
            config.write_text(DAGSTER_YAML)
        else:
            text = config.read_text()
            if OLD_EVENT_LOG_MODULE in text:
                config.write_text(without_old_event_log(text))
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


def without_old_event_log(text: str) -> str:
    """dagster.yaml without the `event_log_storage:` block that names the event log class of
    earlier versions (and the comment they wrote above it); every other line as it was."""
    lines = text.replace(OLD_EVENT_LOG_LINES, "").splitlines(keepends=True)
    kept, skipping = [], False
    for line in lines:
        if line.startswith("event_log_storage:"):
            skipping = True
        elif skipping and line.strip() and not line[0].isspace():
            skipping = False
        if not skipping:
            kept.append(line)
    return "".join(kept)
