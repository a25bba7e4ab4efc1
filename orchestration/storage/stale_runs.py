"""Runs whose process died (SIGKILL, power loss) stay 'started' (or 'not started') and keep their
claim on the duckdb pool, which would make every later run wait forever. Each run records its
process id: a CLI run when it is made, a run the daemon launched when its first writing step
starts (claim_run; the job's steps run in that one process). Before a new run, and on every tick
of the schedule and the landing sensor, such orphans are marked failed and their pool slots
freed. A run that ends in an exception (its storage failing, say on a full disk) is marked failed
at once."""

from __future__ import annotations

import os
import socket

import dagster as dg

PID_TAG = "papertrends/pid"
HOST_TAG = "papertrends/host"
PARENT_TAG = "dagster/parent_run_id"   # a re-execution or retry: tags copied from its parent


def run_tags() -> dict[str, str]:
    return {PID_TAG: str(os.getpid()), HOST_TAG: socket.gethostname()}


PID_RUN_TAG = "papertrends/pid_run"   # the run the pid was recorded for (claim_run)


def claim_run(instance: dg.DagsterInstance, run: dg.DagsterRun) -> None:
    """Record this process as the run's, unless the run names it already (a CLI run does, and so
    does a run an earlier step of this process claimed). A re-executed run starts with its
    parent's tags, the parent's (dead) process among them: those are replaced, and PID_RUN_TAG
    says the pid is this run's own."""
    tags = _stored_tags(instance, run)
    own = run_tags()
    if any(tags.get(key) != value for key, value in own.items()) or \
            tags.get(PARENT_TAG) and tags.get(PID_RUN_TAG) != run.run_id:
        instance.add_run_tags(run.run_id, {**own, PID_RUN_TAG: run.run_id})


def _stored_tags(instance: dg.DagsterInstance, run: dg.DagsterRun) -> dict[str, str]:
    """The run's tags as stored now (a run's `tags` are those it started with)."""
    stored = instance.get_run_by_id(run.run_id)
    return dict((stored or run).tags)


def process_alive(pid: int) -> bool:
    """Whether the process runs: it exists (another user's counts) and, where /proc tells, is
    not a zombie (ended, not yet reaped by its parent)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(") ", 1)[1][0] != "Z"
    except (OSError, IndexError):
        return True   # no /proc: it exists


UNFINISHED = [dg.DagsterRunStatus.NOT_STARTED, dg.DagsterRunStatus.STARTING,
              dg.DagsterRunStatus.STARTED]


def fail_orphaned_runs(instance: dg.DagsterInstance) -> list[str]:
    """Mark this host's unfinished runs whose process is gone as failed; return their ids.
    (NOT_STARTED too: a run whose process died, or whose storage failed, before it started.)"""
    orphans = []
    for run in instance.get_runs(filters=dg.RunsFilter(statuses=UNFINISHED)):
        pid, host = run.tags.get(PID_TAG), run.tags.get(HOST_TAG)
        if run.tags.get(PARENT_TAG) and run.tags.get(PID_RUN_TAG) != run.run_id:
            continue   # the parent's process, copied: this run has not recorded its own yet
        if pid and host == socket.gethostname() and not process_alive(int(pid)):
            _fail(instance, run, "its process died; marked failed by the next run")
            orphans.append(run.run_id)
    return orphans


def fail_runs_of_this_process(instance: dg.DagsterInstance, reason: str) -> list[str]:
    """Mark the unfinished runs this process started as failed, with `reason`: after a run ended
    by an exception instead of a result. Where even that cannot be written (a full disk), the
    next run marks them (fail_orphaned_runs)."""
    failed = []
    try:
        for run in instance.get_runs(filters=dg.RunsFilter(statuses=UNFINISHED, tags=run_tags())):
            _fail(instance, run, reason)
            failed.append(run.run_id)
    except Exception:  # noqa: BLE001 - the storage itself failing; see the docstring
        pass
    return failed


def _fail(instance: dg.DagsterInstance, run: dg.DagsterRun, reason: str) -> None:
    instance.report_run_failed(run, reason)
    instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
