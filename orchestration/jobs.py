"""The daily job, its schedule, and the sensor on landing/."""

import datetime as dt
import hashlib
import json
import os
from collections import defaultdict

import dagster as dg
import duckdb

from orchestration.landing import waiting_files
from orchestration.partitions import partition_key
from orchestration.settings import data_dir

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
             description=f"Runs daily_pipeline on the current month ({SCHEDULE_CRON}, "
             f"{SCHEDULE_TIMEZONE}; PAPERTRENDS_SCHEDULE_CRON / _TIMEZONE change it): with "
             "PAPERTRENDS_FETCH=1 it fetches the latest listing day from the API first, then "
             "ingests landing/ and rebuilds the marts, the read-only copy and the report.")
def daily_schedule(context: dg.ScheduleEvaluationContext) -> list[dg.RunRequest]:
    """Every day (06:00 UTC unless PAPERTRENDS_SCHEDULE_CRON / _TIMEZONE say otherwise):
    fetch the latest listing when PAPERTRENDS_FETCH=1, then re-materialize its month (the
    partition); first, a run for each month holding archived files never loaded."""
    day = context.scheduled_execution_time or dt.datetime.now(dt.timezone.utc)
    current = partition_key(day.date())
    tick = f"{day:%Y-%m-%dT%H:%M}"   # (run keys: one run per request of this tick)
    return [*unloaded_month_requests(context.instance, skip=current, tick=tick),
            dg.RunRequest(run_key=f"{tick}:{current}", partition_key=current)]


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


def unloaded_month_requests(instance: dg.DagsterInstance, skip: str | None = None,
                            tick: str = "") -> list[dg.RunRequest]:
    """A run request for each month (but `skip`) holding archived files that the published copy's
    raw.snapshots lacks (orchestration/reconcile.py), keyed by the month and those files. None
    while a run is queued or in progress: its own archive step finds and loads them, and the
    files it archives are unloaded until its load."""
    busy = instance.get_runs(filters=dg.RunsFilter(statuses=[
        dg.DagsterRunStatus.QUEUED, dg.DagsterRunStatus.NOT_STARTED, dg.DagsterRunStatus.STARTING,
        dg.DagsterRunStatus.STARTED]), limit=1)
    if busy:
        return []
    from orchestration.publish import published_path
    from orchestration.reconcile import unloaded_keys

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
            for month, keys in sorted(by_month.items()) if month != skip]
