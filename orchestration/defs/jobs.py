"""The daily job, its schedule, and the sensor on landing/."""

import datetime as dt
import hashlib
import json
import os
from collections import defaultdict

import dagster as dg
import duckdb

from orchestration.defs.partitions import partition_key
from orchestration.storage.landing import waiting_files
from orchestration.storage.settings import FIRST_DAY, data_dir
from orchestration.storage.stale_runs import fail_orphaned_runs

# In-process: each step of the default multiprocess executor re-imports the code (seconds per
# step, field-notes); the daily work is small, so one process runs every step.
daily_pipeline = dg.define_asset_job(
    "daily_pipeline",
    selection=dg.AssetSelection.all(),
    executor_def=dg.in_process_executor,
    description="Archive landing files, parse, validate, load raw tables, dbt build, publish, report.",
)

SCHEDULE_CRON = os.environ.get("PAPERTRENDS_SCHEDULE_CRON", "0 6 * * *")
SCHEDULE_TIMEZONE = os.environ.get("PAPERTRENDS_SCHEDULE_TIMEZONE", "UTC")


@dg.schedule(job=daily_pipeline, cron_schedule=SCHEDULE_CRON, execution_timezone=SCHEDULE_TIMEZONE,
             default_status=dg.DefaultScheduleStatus.RUNNING,
             description=f"Runs daily_pipeline every day ({SCHEDULE_CRON}, {SCHEDULE_TIMEZONE}; "
             "PAPERTRENDS_SCHEDULE_CRON / _TIMEZONE change it): fetches the listing days the data "
             "dir lacks from the Daily Papers API (PAPERTRENDS_FETCH=0 turns that off), ingests "
             "landing/, and rebuilds the marts, the read-only copy and the report; first, a run "
             "for each other month holding archived files never loaded.")
def daily_schedule(context: dg.ScheduleEvaluationContext) -> list[dg.RunRequest]:
    """The tick's run covers the months from the first listing day to fetch up to the tick's
    day, and tells api_listing that day through its run config."""
    moment = context.scheduled_execution_time or dt.datetime.now(dt.UTC)
    today = moment.date()
    fetch = os.environ.get("PAPERTRENDS_FETCH", "1") != "0"
    first = first_day_to_fetch(today) if fetch else today
    months = [partition_key(first), partition_key(today)]
    tick = f"{moment:%Y-%m-%dT%H:%M}"   # (run keys: one run per request of this tick)
    run = dg.RunRequest(
        run_key=f"{tick}:{months[0]}..{months[1]}",
        run_config={"ops": {"api_listing": {"config": {"fetch": fetch, "today": today.isoformat()}}}},
        tags={"dagster/asset_partition_range_start": months[0],
              "dagster/asset_partition_range_end": months[1],
              "papertrends/trigger": "daily_schedule"},
    )
    return [*unloaded_month_requests(context.instance, skip=set(months_between(*months)), tick=tick),
            run]


def first_day_to_fetch(today: dt.date) -> dt.date:
    """The first day of the catch-up range that fetch-log.tsv does not hold as done (today when
    none), not before the first partition."""
    from orchestration.fetch.days import catch_up_range, days_between
    from orchestration.storage.fetch_log import FetchLog

    done = FetchLog(data_dir()).done_days()
    missing = [day for day in days_between(*catch_up_range(today, done)) if day not in done]
    return max(min(missing, default=today), dt.date.fromisoformat(FIRST_DAY))


def months_between(first: str, last: str) -> list[str]:
    """Partition keys from month `first` to month `last`, both included."""
    keys, day = [], dt.date.fromisoformat(first)
    while day.isoformat() <= last:
        keys.append(day.isoformat())
        day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return keys


def landing_run_requests(files: list[tuple[str, dt.date, str]]) -> list[dg.RunRequest]:
    """(name, snapshot date, sha256) of waiting files -> one run request per month, keyed by
    the month and the hash of its files' names and contents: the same files ask once."""
    by_month: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for name, day, sha in files:
        by_month[partition_key(day)].append((name, sha))
    requests = []
    for month, entries in sorted(by_month.items()):
        digest = hashlib.sha256(json.dumps(sorted(entries)).encode()).hexdigest()[:16]
        requests.append(dg.RunRequest(run_key=f"{month}:{digest}", partition_key=month,
                                      tags={"papertrends/trigger": "landing_sensor"}))
    return requests


@dg.sensor(job=daily_pipeline, minimum_interval_seconds=60,
           default_status=dg.DefaultSensorStatus.RUNNING,
           description="Every minute: one run per month of new or changed files in the data "
           "dir's landing/ (the same files ask once; an empty landing/ asks nothing).")
def landing_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult:
    """A run per month of new or changed files in <data dir>/landing/, and per month of archived
    files never loaded; none when nothing changed."""
    data = data_dir().ensure()
    files = [(path.name, day, hashlib.sha256(path.read_bytes()).hexdigest())
             for path, day in waiting_files(data)]
    requests = landing_run_requests(files)
    asked = {r.partition_key for r in requests}
    requests += [r for r in unloaded_month_requests(context.instance) if r.partition_key not in asked]
    seen = set(json.loads(context.cursor)) if context.cursor else set()
    fresh = [r for r in requests if r.run_key not in seen]
    cursor = json.dumps(sorted(seen | {r.run_key for r in fresh})[-500:])
    return dg.SensorResult(run_requests=fresh, cursor=cursor)


def unloaded_month_requests(instance: dg.DagsterInstance, skip: set[str] = frozenset(),
                            tick: str = "") -> list[dg.RunRequest]:
    """A run request for each month (but those in `skip`) holding archived files that the published copy's
    raw.snapshots lacks (orchestration/defs/ingest/reconcile.py), keyed by the month and those files. None
    while a run is queued or in progress: its own archive step finds and loads them, and the
    files it archives are unloaded until its load."""
    fail_orphaned_runs(instance)   # a run whose process died would look busy for ever
    busy = instance.get_runs(filters=dg.RunsFilter(statuses=[
        dg.DagsterRunStatus.QUEUED, dg.DagsterRunStatus.NOT_STARTED, dg.DagsterRunStatus.STARTING,
        dg.DagsterRunStatus.STARTED]), limit=1)
    if busy:
        return []
    from orchestration.defs.ingest.reconcile import unloaded_keys
    from orchestration.storage.publish import published_path

    data = data_dir().ensure()
    try:
        missing = unloaded_keys(data, published_path(data.warehouse))
    except (OSError, duckdb.Error):   # an unreadable copy: the next run's archive step still checks
        return []
    by_month: dict[str, list[str]] = defaultdict(list)
    for day, sha in sorted(missing):
        by_month[partition_key(day)].append(f"{day}:{sha}")
    return [dg.RunRequest(run_key=f"{tick}unloaded:{month}:" + hashlib.sha256(
                json.dumps(keys).encode()).hexdigest()[:16],
                partition_key=month, tags={"papertrends/trigger": "unloaded_archive"})
            for month, keys in sorted(by_month.items()) if month not in skip]
