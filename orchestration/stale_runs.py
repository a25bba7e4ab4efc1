"""Runs whose process died (SIGKILL, power loss) stay 'started' and keep their claim on the
duckdb pool, which would make every later run wait forever. Each CLI run records its process
id; before a new run, such orphans are marked failed and their pool slots freed."""

from __future__ import annotations

import os
import socket

import dagster as dg

PID_TAG = "papertrends/pid"
HOST_TAG = "papertrends/host"


def run_tags() -> dict[str, str]:
    return {PID_TAG: str(os.getpid()), HOST_TAG: socket.gethostname()}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def fail_orphaned_runs(instance: dg.DagsterInstance) -> list[str]:
    """Mark this host's in-progress CLI runs whose process is gone as failed; return their ids."""
    running = instance.get_runs(filters=dg.RunsFilter(
        statuses=[dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.STARTING]))
    orphans = []
    for run in running:
        pid, host = run.tags.get(PID_TAG), run.tags.get(HOST_TAG)
        if pid and host == socket.gethostname() and not _alive(int(pid)):
            instance.report_run_failed(run, "its process died; marked failed by the next run")
            instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
            orphans.append(run.run_id)
    return orphans
