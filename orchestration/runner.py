"""Run the pipeline in-process on a range of months (partitions), recorded in the data dir's Dagster instance."""

from __future__ import annotations

import contextlib
import sys
from datetime import date
from typing import Callable

import dagster as dg

from orchestration.partitions import partition_key
from orchestration.run_lock import hold_pipeline_lock, release_pipeline_lock
from orchestration.stale_runs import fail_orphaned_runs, run_tags
from orchestration.settings import DataDir, export_environment


def run_pipeline(data: DataDir, first_day: date, last_day: date,
                 loaded: Callable[[], None] | None = None, parsed_ahead=None) -> dg.ExecuteInProcessResult:
    """Materialize every asset for the months spanning [first_day, last_day] in one run.
    `loaded` is called once the definitions are imported, before the run starts; `parsed_ahead`
    (orchestration/parse_ahead.py) is the parse step's `parsed_ahead` resource."""
    export_environment(data)
    from orchestration.dbt_manifest import ensure_manifest

    ensure_manifest()
    from orchestration.definitions import defs  # imported after the manifest exists

    job = defs.resolve_job_def("daily_pipeline")
    if loaded is not None:
        loaded()
    tags = {
        "dagster/asset_partition_range_start": partition_key(first_day),
        "dagster/asset_partition_range_end": partition_key(last_day),
    }
    run_config = {"loggers": {"step_progress": {}}}
    log_file = data.dagster_home / "last_run_dbt.log"
    tags.update(run_tags())
    hold_pipeline_lock(data.dagster_home, lambda text: print(f"  {text}", file=sys.stderr))
    try:
        with dg.DagsterInstance.get() as instance, open(log_file, "w") as dbt_output:
            for run_id in fail_orphaned_runs(instance):
                print(f"  (an earlier run, {run_id}, had died; marked failed)", file=sys.stderr)
            with contextlib.redirect_stdout(dbt_output):  # dbt's own lines go to the log file
                return job.execute_in_process(
                    instance=instance, tags=tags, run_config=run_config, raise_on_error=False,
                    resources={"parsed_ahead": dg.ResourceDefinition.hardcoded_resource(parsed_ahead)},
                )
    finally:
        release_pipeline_lock(data.dagster_home)
