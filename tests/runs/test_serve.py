"""`make serve`'s command: dagster-daemon and dagster-webserver on the data dir's instance. In a
data dir holding the bundled capture, with a schedule of every minute, the daemon ticks it and
the tick's run succeeds; SIGTERM then stops both processes and the command exits 0."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from orchestration.storage.settings import PROJECT_ROOT
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


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:   # a zombie (not yet reaped) has ended too
        return stat.read().split(") ")[1][0] != "Z"


def until(limit: float, what, pause: float = 2.0):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        found = what()
        if found:
            return found
        time.sleep(pause)
    return None


def descendants(pid: int) -> list[int]:
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(") ", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                pass   # ended meanwhile
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        children = [child for child, its_parent in parents.items() if its_parent == parent]
        found += children
        todo += children
    return found


def serves(args: list[str]) -> bool:
    """Whether a code server (`dagster api grpc --socket PATH` or `--port N`) accepts connections:
    it opens its socket once it has imported the definitions."""
    if "--socket" in args:
        family, address = socket.AF_UNIX, args[args.index("--socket") + 1]
    else:
        family, address = socket.AF_INET, ("127.0.0.1", int(args[args.index("--port") + 1]))
    with socket.socket(family) as sock:
        sock.settimeout(2)
        try:
            sock.connect(address)
        except OSError:
            return False
    return True


def loading_code_servers(pid: int) -> list[int]:
    """The code servers under `make serve` (the web server's, the daemon's) that do not serve yet."""
    loading = []
    for child in descendants(pid):
        try:
            args = Path(f"/proc/{child}/cmdline").read_bytes().decode().split("\0")
        except OSError:
            continue   # ended meanwhile
        if " api grpc " in " ".join(args) and alive(child) and not serves(args):
            loading.append(child)
    return loading


def wait_for_code_servers(pid: int, limit: float = 600) -> None:
    """Until no code server under `make serve` is still importing the definitions. The daemon
    starts a new code server every minute (it reloads the code location), and a code server
    stopped half-way through its import prints a traceback. `limit` only keeps a hung code
    server from hanging the suite."""
    deadline = time.monotonic() + limit
    while loading := loading_code_servers(pid):
        assert time.monotonic() < deadline, f"code servers {loading} still loading after {limit} s"
        time.sleep(0.5)


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
        wait_for_code_servers(serve.pid)   # SIGTERM when no code server is loading
        serve.send_signal(signal.SIGTERM)
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
