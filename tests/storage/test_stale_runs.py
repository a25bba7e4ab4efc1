"""A run the daemon launched records its process like a CLI run, so a run whose process died
is marked failed by the next tick of the schedule or the landing sensor, instead of staying
unfinished and holding up the queue and the unloaded-month runs. A real instance in a data dir."""

from __future__ import annotations

import os
import socket
import subprocess

import dagster as dg

from orchestration.storage.settings import DataDir
from orchestration.storage.stale_runs import HOST_TAG, PID_TAG
from tests.conftest import exported_environment


def test_a_runs_process_is_recorded_and_a_dead_ones_run_is_failed_by_the_sensor(tmp_path):
    with exported_environment(DataDir(tmp_path / "data").ensure()):
        from orchestration.definitions import defs

        job = defs.resolve_job_def("daily_pipeline")
        with dg.DagsterInstance.get() as instance:
            # a run started without papertrends' tags (as the daemon starts them) records its process
            result = job.execute_in_process(instance=instance, partition_key="2025-11-01",
                                            raise_on_error=False)
            assert result.success
            tags = instance.get_run_by_id(result.run_id).tags
            assert (tags[PID_TAG], tags[HOST_TAG]) == (str(os.getpid()), socket.gethostname())

            # a run whose recorded process is gone: the sensor's tick marks it failed
            gone = subprocess.Popen(["true"])
            gone.wait()
            orphan = instance.create_run_for_job(job_def=job, tags={
                PID_TAG: str(gone.pid), HOST_TAG: socket.gethostname()})
            assert orphan.status == dg.DagsterRunStatus.NOT_STARTED
            # a re-execution starts with its parent's tags, the dead pid among them: not an orphan
            again = instance.create_run_for_job(job_def=job, tags={
                PID_TAG: str(gone.pid), HOST_TAG: socket.gethostname(),
                "dagster/parent_run_id": orphan.run_id})
            sensor = defs.resolve_sensor_def("landing_sensor")
            sensor(dg.build_sensor_context(instance=instance, repository_def=defs.get_repository_def()))
            assert instance.get_run_by_id(orphan.run_id).status == dg.DagsterRunStatus.FAILURE
            assert instance.get_run_by_id(again.run_id).status == dg.DagsterRunStatus.NOT_STARTED
            assert instance.get_run_by_id(result.run_id).status == dg.DagsterRunStatus.SUCCESS
