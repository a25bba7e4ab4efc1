"""Run the pipeline in-process on a range of months (partitions), recorded in the data dir's Dagster instance."""

from __future__ import annotations

import contextlib
import shlex
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import dagster as dg

from orchestration.defs.partitions import partition_key
from orchestration.defs.progress import STEP_LABELS
from orchestration.storage.resource_errors import explain, resource_step
from orchestration.storage.run_lock import hold_pipeline_lock, release_pipeline_lock
from orchestration.storage.settings import DataDir, export_environment, is_service
from orchestration.storage.stale_runs import fail_orphaned_runs, fail_runs_of_this_process, run_tags


def run_pipeline(data: DataDir, first_day: date, last_day: date,
                 loaded: Callable[[], None] | None = None, parsed_ahead=None) -> dg.ExecuteInProcessResult:
    """Materialize every asset for the months spanning [first_day, last_day] in one run.
    `loaded` is called once the definitions are imported, before the run starts; `parsed_ahead`
    (orchestration/defs/ingest/parse_ahead.py) is the parse step's `parsed_ahead` resource."""
    export_environment(data)
    from orchestration.defs.dbt.manifest import ensure_manifest

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
        check_warehouse_free(data.warehouse)
        with resource_step("record the run in Dagster's storage", data.dagster_home), \
                dg.DagsterInstance.get() as instance, open(log_file, "w") as dbt_output:
            for run_id in fail_orphaned_runs(instance):
                print(f"  (an earlier run, {run_id}, had died; marked failed)", file=sys.stderr)
            try:
                with contextlib.redirect_stdout(dbt_output):  # dbt's own lines go to the log file
                    return job.execute_in_process(
                        instance=instance, tags=tags, run_config=run_config, raise_on_error=False,
                        resources={"parsed_ahead": dg.ResourceDefinition.hardcoded_resource(parsed_ahead)},
                    )
            except BaseException as exc:
                fail_runs_of_this_process(instance, f"the run stopped: {type(exc).__name__}: {exc}")
                raise
    finally:
        release_pipeline_lock(data.dagster_home)


def check_warehouse_free(warehouse: Path) -> None:
    """Raise ResourceError at once when another program holds the warehouse file (the run's own
    steps would wait for it, minutes, in case it is a reader about to finish)."""
    if is_service(warehouse) or not warehouse.exists():
        return
    from orchestration.storage.warehouse import connect_for_writing

    with resource_step("open the warehouse", warehouse), connect_for_writing(warehouse):
        pass


_INTERRUPTS = ("KeyboardInterrupt", "DagsterExecutionInterruptedError")


def failure_words(result: dg.ExecuteInProcessResult, data: DataDir) -> str | None:
    """One sentence for a failed run: the failing step's own words (a dg.Failure's description,
    such as a resource error's) or a resource error found in its error; None otherwise."""
    interrupted = next((event for event in result.all_events if _interrupt_in(event)), None)
    if interrupted is not None:   # (a step retried after it may then have failed otherwise)
        label = STEP_LABELS.get(interrupted.step_key, interrupted.step_key)
        return (f"{label}: interrupted (Ctrl-C or SIGTERM); the run stopped there and the files it "
                "had taken are kept: run the same command again to finish")
    for event in result.get_step_failure_events():
        failure = event.step_failure_data
        label = STEP_LABELS.get(event.step_key, event.step_key)
        user = failure.user_failure_data
        if user is not None and user.description:
            return user.description if user.description.startswith(label) else f"{label}: {user.description}"
        text, error = [], failure.error
        while error is not None and len(text) < 20:
            text.append(error.message)
            error = error.cause or error.context
        words = explain("\n".join(text), label, data.root) or blocking_check_words(result, label, data)
        if words:
            return words
    return None


def _interrupt_in(event: dg.DagsterEvent) -> bool:
    """Whether a step's failure or retry came from Ctrl-C or SIGTERM: an interrupt in its
    error's chain, or the dbt step's own words for one (orchestration/defs/dbt/build.py)."""
    if not (event.is_step_failure or event.is_step_up_for_retry):
        return False
    data = event.event_specific_data
    user = getattr(data, "user_failure_data", None)
    if user is not None and (user.description or "").startswith("interrupted"):
        return True
    error = getattr(data, "error", None)
    while error is not None:
        if error.cls_name in _INTERRUPTS:
            return True
        error = error.cause or error.context
    return False


def blocking_check_words(result: dg.ExecuteInProcessResult, label: str, data: DataDir) -> str | None:
    """The sentence for a step stopped by a failed blocking check: what the check found."""
    for evaluation in result.get_asset_check_evaluations():
        if evaluation.passed or evaluation.severity != dg.AssetCheckSeverity.ERROR:
            continue
        found = evaluation.description or f"the check {evaluation.check_name} failed"
        if evaluation.check_name == "quarantine_share":
            return (f"{label}: {found}, more than half, so the marts were not rebuilt. The entries "
                    f"are kept in raw.quarantine with their reasons: uv run duckdb -readonly "
                    f"{shlex.quote(str(data.warehouse))} \"select reasons, raw_text from raw.quarantine\". "
                    "The next run with good files rebuilds the marts.")
        return f"{label}: {found} (the blocking check {evaluation.check_name})"
    return None
