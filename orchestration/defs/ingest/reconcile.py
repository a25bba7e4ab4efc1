"""The archive against raw.snapshots: which archived files were never loaded, and their months.

Every archived file is named `YYYY-MM/YYYY-MM-DD__<sha256[:12]>__<name>`, and every file a run
reads gets a raw.snapshots row (failed files too) with its snapshot date and sha256. A file
whose (date, hash) has no row was archived by a run that stopped before its load (out of disk,
a killed process, a failed step): each run loads the months of such files besides its own
(orchestration/defs/ingest/archive_snapshots.py), and the schedule and the sensor ask for those months.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import duckdb

from orchestration.storage.settings import FIRST_DAY, DataDir
from transforms.snapshot_files import date_from_name

Range = tuple[date, date]   # [start, end): first days of months


def tracked_window() -> Range:
    """[first tracked day, the day after tomorrow): the snapshot dates a run archives."""
    return date.fromisoformat(FIRST_DAY), date.today() + timedelta(days=2)


def archived_keys(data: DataDir) -> set[tuple[date, str]]:
    """(snapshot date, first 12 hex digits of sha256) of every archived file."""
    keys = set()
    if not data.archive.is_dir():
        return keys
    for month_dir in data.archive.iterdir():
        if not month_dir.is_dir():
            continue
        for path in month_dir.iterdir():
            parts = path.name.split("__", 2)
            day = date_from_name(path.name)
            if day and len(parts) == 3 and len(parts[1]) == 12 and path.is_file():
                keys.add((day, parts[1]))
    return keys


def loaded_keys(con: duckdb.DuckDBPyConnection) -> set[tuple[date, str]]:
    """(snapshot date, sha256[:12]) of every row of raw.snapshots (none before the first load)."""
    [(exists,)] = con.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = 'raw' and table_name = 'snapshots'").fetchall()
    if not exists:
        return set()
    return set(con.execute("select distinct snapshot_date, left(sha256, 12) from raw.snapshots").fetchall())


def unloaded_keys(data: DataDir, database: Path | None = None) -> set[tuple[date, str]]:
    """(date, sha256[:12]) of the archived files without a raw.snapshots row. `database`: the
    warehouse (default) or its published copy, opened read-only."""
    archived = archived_keys(data)
    if not archived:
        return set()
    database = database or data.warehouse
    loaded: set[tuple[date, str]] = set()
    if database.exists():
        con = duckdb.connect(str(database), read_only=True)
        try:
            loaded = loaded_keys(con)
        finally:
            con.close()
    return archived - loaded


def unloaded_months(data: DataDir, database: Path | None = None) -> list[date]:
    """First days of the months holding an archived file without a raw.snapshots row, in order."""
    return sorted({day.replace(day=1) for day, _ in unloaded_keys(data, database)})


def month_after(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def as_ranges(months: list[date], outside: Range | None = None) -> list[Range]:
    """Months (first days) -> [start, end) ranges of consecutive months, leaving out those in
    `outside`."""
    ranges: list[Range] = []
    for month in sorted(set(months)):
        if outside and outside[0] <= month < outside[1]:
            continue
        if ranges and ranges[-1][1] == month:
            ranges[-1] = (ranges[-1][0], month_after(month))
        else:
            ranges.append((month, month_after(month)))
    return ranges


# The months a run works on, written by its archive step for the steps after it: the run's own
# range first, then the ranges of unloaded months outside it.
PLAN_FILE = "months.json"


def write_plan(folder: Path, ranges: list[Range]) -> None:
    temporary = folder / f".{PLAN_FILE}.part"
    temporary.write_text(json.dumps([[start.isoformat(), end.isoformat()] for start, end in ranges]))
    temporary.replace(folder / PLAN_FILE)


def read_plan(folder: Path, start: date, end: date) -> list[Range]:
    """The ranges the archive step planned for the run over [start, end); just that range when
    it planned nothing (a step re-executed from an older run's files)."""
    path = folder / PLAN_FILE
    if not path.exists():
        return [(start, end)]
    ranges = [(date.fromisoformat(a), date.fromisoformat(b)) for a, b in json.loads(path.read_text())]
    return ranges if ranges and ranges[0] == (start, end) else [(start, end)]
