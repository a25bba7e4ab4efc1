"""A month of daily runs: the schedule's 31 ticks of November 2025 (every day, the 1st to
December 1st), each run as the daemon would run it (the tick's run requests, executed with their
tags and run config), against the local stand-in of the API
(tests/api_server.py) serving the real November days, with what a month brings: weekends and
days before the first list, a day that times out, a truncated answer, a day that answers `[]`,
an out-of-space moment (a real small tmpfs, filled), a capture dropped into landing/ by hand,
and a poisoned file.

Every tick ends in success, or in a clear failure that a later tick repairs; at the end the
warehouse equals a clean ingest of the same archived files: row counts of the raw tables and a
checksum of every mart."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.storage.settings import DataDir, export_environment
from tests.api_server import ApiServer
from tests.capture_render import render_capture
from tests.conftest import api_items
from tests.warehouse_checks import PAPERTRENDS

pytestmark = pytest.mark.needs_shared_data

FIRST_TICK = date(2025, 11, 1)
FAULTS = {  # the API's misbehaviour, by listing day: (kind, how many answers)
    "2025-11-05": ("timeout", 3),     # every attempt of the 5th's tick times out
    "2025-11-07": ("truncated", 3),   # every attempt of the 7th's tick is cut short
    "2025-11-11": ("empty", None),    # the 11th answers [] for good
}
FULL_DISK_TICK = date(2025, 11, 13)
HAND_CAPTURE_TICK = date(2025, 11, 15)
POISON_TICK = date(2025, 11, 20)
TICK_DAYS = [FIRST_TICK + timedelta(days=n) for n in range(31)]   # 2025-11-01 .. 2025-12-01


@pytest.fixture
def small_disk(tmp_path):
    """A data dir on its own 256 MB tmpfs (the tests run as root), unmounted afterwards."""
    root = tmp_path / "data"
    root.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256m", "tmpfs", str(root)], check=True)
    yield root
    subprocess.run(["umount", "-l", str(root)], check=True)


def fill(disk: Path) -> Path:
    """A ballast file that leaves the file system (almost) no free byte."""
    ballast = disk / "ballast"
    free = shutil.disk_usage(disk).free
    with open(ballast, "wb") as out:
        out.truncate(0)
        chunk = b"\0" * (1 << 20)
        try:
            while free > 0:
                out.write(chunk[:free])
                free -= len(chunk)
            out.flush()
            os.fsync(out.fileno())
        except OSError:
            pass
    return ballast


def tick(defs, instance, day: date, before_runs=None) -> list[str]:
    """The schedule's tick at 06:00 UTC on `day`, its run requests executed in order, as the
    daemon launches them; `before_runs()` is called between the two. The failures, in words."""
    schedule = defs.resolve_schedule_def("daily_schedule")
    context = dg.build_schedule_context(
        instance=instance, repository_def=defs.get_repository_def(),
        scheduled_execution_time=datetime(day.year, day.month, day.day, 6, tzinfo=UTC))
    requests = schedule.evaluate_tick(context).run_requests
    job = defs.resolve_job_def("daily_pipeline")
    failures = []
    if before_runs:
        before_runs()
    for request in requests:
        try:
            result = job.execute_in_process(
                instance=instance, run_config=request.run_config or None, tags=request.tags,
                partition_key=request.partition_key, raise_on_error=False)
        except Exception as error:  # noqa: BLE001 - the run's process died: the daemon moves on
            failures.append(f"run died: {error}")
            continue
        if not result.success:
            failures.append(failure_text(result))
    return failures


def failure_text(result: dg.ExecuteInProcessResult) -> str:
    return " | ".join(str(event.event_specific_data.error.message if event.event_specific_data.error
                          else "") for event in result.all_events if event.is_step_failure)


def hand_capture(landing: Path) -> int:
    """A page capture of the 14th, saved by a person under a name of their own early on the
    15th (its header says `Nov 14`; the file's time gives the year); its number of papers."""
    items = [item for day, item in api_items() if day == "2025-11-14"]
    path = landing / "papers-page.txt"
    path.write_text(render_capture(items, date(2025, 11, 14), "upvotes"), encoding="utf-8")
    saved = datetime(2025, 11, 15, 5, tzinfo=UTC).timestamp()
    os.utime(path, (saved, saved))
    return len(items)


def poison(landing: Path) -> None:
    """A 2 KB JSON nested 1,100 deep, dated by its name like a fetched day."""
    (landing / "2025-11-19_export.json").write_text("[" * 1100 + "]" * 1100)


def warehouse_facts(database: Path) -> dict:
    """Row counts of raw tables, and rows plus an order-free checksum of every mart."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        facts = {f"raw.{name}": con.execute(f"select count(*) from raw.{name}").fetchall()[0][0]
                 for name in ("snapshots", "paper_observations", "quarantine")}
        marts = [name for (name,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' "
            "order by table_name").fetchall()]
        for name in marts:
            facts[f"marts.{name}"] = con.execute(
                f"select count(*), coalesce(sum(hash(t)), 0) from marts.{name} as t").fetchall()[0]
        return facts
    finally:
        con.close()


def test_a_month_of_daily_runs_ends_where_a_clean_ingest_does(small_disk, tmp_path, monkeypatch):
    data = DataDir(small_disk).ensure()
    export_environment(data)
    monkeypatch.setenv("PAPERTRENDS_FETCH", "1")
    with ApiServer() as api:
        monkeypatch.setenv("PAPERTRENDS_API_URL", api.url)
        for day, (kind, times) in FAULTS.items():
            api.inject(day, kind, times=times, delay=0.5)
        from orchestration.definitions import defs

        failed_ticks = []
        with dg.DagsterInstance.get() as instance:
            for day in TICK_DAYS:
                if day == HAND_CAPTURE_TICK:
                    captured = hand_capture(data.landing)
                if day == POISON_TICK:
                    poison(data.landing)
                ballast: list[Path] = []

                def fill_disk(ballast=ballast) -> None:
                    ballast.append(fill(small_disk))
                try:
                    failures = tick(defs, instance, day,
                                    before_runs=fill_disk if day == FULL_DISK_TICK else None)
                finally:
                    for path in ballast:
                        path.unlink()
                failed_ticks += [(day, text) for text in failures]
        fetched = set(api.asked_days())

    # Only the full-disk tick may fail, and in words; the ticks after it repair it.
    assert [day for day, _ in failed_ticks] in ([], [FULL_DISK_TICK]), failed_ticks
    for _, text in failed_ticks:
        assert "space" in text or "disk" in text, text
    assert {"2025-11-05", "2025-11-07", "2025-11-11", "2025-11-28"} <= fetched

    con = duckdb.connect(str(data.warehouse), read_only=True)
    try:
        statuses = {name: (status, str(day), n) for name, status, day, n in con.execute(
            "select original_name, status, snapshot_date, n_entries from raw.snapshots").fetchall()}
        days = {str(d) for (d,) in con.execute(
            "select distinct snapshot_date from raw.snapshots where source_kind = 'api'").fetchall()}
    finally:
        con.close()
    # every day of the month is there, the failing ones fetched on a later tick
    assert {f"2025-11-{d:02d}" for d in range(1, 31)} <= days
    assert statuses["2025-11-19_export.json"][0] == "failed"
    assert statuses["papers-page.txt"] == ("ok", "2025-11-14", captured)
    assert statuses["2025-11-11.json"][0] != "failed" and statuses["2025-11-11.json"][2] == 0

    # the same archived files, ingested at once into a new data dir
    clean = tmp_path / "clean"
    done = subprocess.run([PAPERTRENDS, "ingest", str(data.archive)], capture_output=True, text=True,
                          env={**os.environ, "PAPERTRENDS_DATA_DIR": str(clean)}, timeout=900)
    assert "Traceback" not in done.stdout + done.stderr, done.stdout + done.stderr
    assert warehouse_facts(data.warehouse) == warehouse_facts(clean / "warehouse.duckdb")
