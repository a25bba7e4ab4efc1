"""`make serve`'s command: dagster-daemon and dagster-webserver on the data dir's instance. In a
data dir holding the bundled capture, with a schedule of every minute, the daemon ticks it and
the tick's run succeeds; SIGTERM then stops both processes without a traceback, even while the
daemon's code server reloads the definitions, and the command exits 0."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time

from orchestration.runs.code_servers import loading_code_servers
from orchestration.storage.settings import PROJECT_ROOT
from orchestration.storage.stale_runs import process_alive as alive
from tests.conftest import copy_data_dir
from tests.end_to_end.test_dagster_postgres import graphql, wait_for_webserver
from tests.postgres_server import free_port

TICKS_QUERY = """{ scheduleOrError(scheduleSelector: {repositoryLocationName: "papertrends",
  repositoryName: "__repository__", scheduleName: "daily_schedule"}) {
  ... on Schedule { scheduleState { ticks(limit: 5) { status runIds } } } } }"""
RUNS_QUERY = "{ runsOrError { ... on Runs { results { runId status } } } }"
DONE = {"SUCCESS", "FAILURE", "CANCELED"}
FAILURES_QUERY = """{ runOrError(runId: "%s") { ... on Run { eventConnection { events {
  ... on ExecutionStepFailureEvent { stepKey error { message } } } } } } }"""


def until(limit: float, what, pause: float = 2.0):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        found = what()
        if found:
            return found
        time.sleep(pause)
    return None


def test_serve_ticks_the_schedule_and_stops_both_processes_on_sigterm(tmp_path, capture_ingested):
    port = free_port()
    env = {k: v for k, v in os.environ.items()
           if k not in ("DAGSTER_HOME", "PAPERTRENDS_WAREHOUSE", "PAPERTRENDS_DAGSTER_PG_URL")}
    env.update(PAPERTRENDS_DATA_DIR=str(tmp_path / "data"), PAPERTRENDS_SCHEDULE_CRON="* * * * *",
               PAPERTRENDS_FETCH="0", PAPERTRENDS_UI_PORT=str(port))
    copy_data_dir(capture_ingested.root, tmp_path / "data")   # a data dir with data, as after `make run`
    log = open(tmp_path / "serve.log", "w+")
    serve = subprocess.Popen([sys.executable, "-m", "orchestration.runs.serve"], cwd=PROJECT_ROOT, env=env,
                             stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for_webserver(serve, port)
        ticks = until(100, lambda: [t for t in graphql(port, TICKS_QUERY)["scheduleOrError"]
                                    ["scheduleState"]["ticks"] if t["status"] == "SUCCESS"])
        assert ticks, "no successful tick of the every-minute schedule within 100 s"
        runs = until(120, lambda: [r for r in graphql(port, RUNS_QUERY)["runsOrError"]["results"]
                                   if r["runId"] in ticks[0]["runIds"] and r["status"] in DONE])
        assert runs, "the tick's run did not end within 120 s"
        failures = [e for e in graphql(port, FAILURES_QUERY % runs[0]["runId"])["runOrError"]
                    ["eventConnection"]["events"] if e]
        assert runs[0]["status"] == "SUCCESS", failures
    finally:
        serve.send_signal(signal.SIGTERM)   # whatever its code servers are doing
        code = serve.wait(timeout=60)
        log.seek(0)
        output = log.read()
        log.close()
    assert code == 0, output
    pids = [int(p) for p in re.findall(r"\(pid (\d+)\)", output)]
    assert len(pids) == 2, output
    assert not [pid for pid in pids if alive(pid)]
    assert "stopped dagster-daemon and dagster-webserver" in output
    assert "Traceback" not in output


def test_sigterm_while_the_definitions_load_stops_cleanly(tmp_path):
    """SIGTERM at the worst moment: while the code servers import the definitions."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("DAGSTER_HOME", "PAPERTRENDS_WAREHOUSE", "PAPERTRENDS_DAGSTER_PG_URL")}
    env.update(PAPERTRENDS_DATA_DIR=str(tmp_path / "data"), PAPERTRENDS_FETCH="0",
               PAPERTRENDS_UI_PORT=str(free_port()))
    log = open(tmp_path / "serve.log", "w+")
    serve = subprocess.Popen([sys.executable, "-m", "orchestration.runs.serve"], cwd=PROJECT_ROOT, env=env,
                             stdout=log, stderr=subprocess.STDOUT)
    try:
        loading = until(120, lambda: loading_code_servers(serve.pid), pause=0.2)
        assert loading, "no code server started loading within 120 s"
        serve.send_signal(signal.SIGTERM)
        code = serve.wait(timeout=120)
    finally:
        if serve.poll() is None:
            serve.kill()
        log.seek(0)
        output = log.read()
        log.close()
    assert code == 0, output
    assert "stopped dagster-daemon and dagster-webserver" in output
    assert "Traceback" not in output, output
    # the code servers end too: at once, or when their heartbeat (45 s) stops
    assert until(90, lambda: not [pid for pid in loading if alive(pid)], pause=1), loading
