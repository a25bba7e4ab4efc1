"""The daily job and its schedule."""


import datetime as dt

import dagster as dg

from orchestration.partitions import month_key

# In-process: each step of the default multiprocess executor re-imports the code (seconds per
# step, field-notes); the daily work is small, so one process runs every step.
daily_pipeline = dg.define_asset_job(
    "daily_pipeline",
    selection=dg.AssetSelection.all(),
    executor_def=dg.in_process_executor,
    description="Archive landing files, parse, validate, load raw tables, then dbt build.",
)


@dg.schedule(job=daily_pipeline, cron_schedule="0 6 * * *", execution_timezone="UTC")
def daily_schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    """Every day at 06:00 UTC: re-materialize the month of the scheduled day."""
    day = context.scheduled_execution_time or dt.datetime.now(dt.timezone.utc)
    return dg.RunRequest(partition_key=month_key(day.date()))
