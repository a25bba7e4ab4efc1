"""`make serve`: papertrends as a service, the way Dagster deploys: `dagster-daemon run` (the
schedule, the landing sensor, the run queue) and `dagster-webserver` (the UI) as two processes
on the data dir's instance (its dagster.yaml: SQLite, or Postgres with PAPERTRENDS_DAGSTER_PG_URL).

SIGTERM or SIGINT (Ctrl-C) stops both and exits 0: first it lets a code server that is still
importing the definitions finish, and a webserver that is still starting up open its port (at
most LOADING_WAIT_SECONDS, 20 s, each; the daemon starts a code server each minute), since one
stopped half-way prints a traceback. When one of them ends by itself, the other is
stopped too and the exit status is non-zero, so a supervisor (systemd, a container runtime)
restarts the pair. docs/deployment.md has systemd units that run each process on its own.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

from orchestration.defs.dbt.manifest import ensure_manifest
from orchestration.runs.code_servers import wait_while_loading
from orchestration.storage.settings import PROJECT_ROOT, data_dir, export_environment

STOP_WAIT_SECONDS = 30   # then a process that ignores SIGTERM is killed
LOADING_WAIT_SECONDS = 20   # for code servers importing the definitions (~5-10 s), before SIGTERM


def commands(host: str, port: str) -> dict[str, list[str]]:
    """The two processes; both find the code location in pyproject.toml's [tool.dagster]."""
    bin_dir = os.path.dirname(sys.executable)
    return {
        "dagster-daemon": [os.path.join(bin_dir, "dagster-daemon"), "run"],
        "dagster-webserver": [os.path.join(bin_dir, "dagster-webserver"), "-h", host, "-p", port],
    }


def create_storage() -> None:
    """Make the instance's storage (its SQLite files, or its Postgres tables) here, once: the two
    processes started together on a new data dir would both create it, and one fails with a
    traceback ("table alembic_version already exists")."""
    import dagster as dg

    with dg.DagsterInstance.get() as instance:
        instance.get_runs(limit=1)
        instance.all_instigator_state()
        instance.get_latest_materialization_event(dg.AssetKey("papertrends_storage_check"))


def main() -> int:
    data = data_dir().ensure()
    export_environment(data)
    ensure_manifest()
    create_storage()
    host = os.environ.get("PAPERTRENDS_UI_HOST", "127.0.0.1")
    port = os.environ.get("PAPERTRENDS_UI_PORT", "3000")
    stopping = False

    def stop(signum, _frame) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    children: dict[str, subprocess.Popen] = {}
    for name, command in commands(host, port).items():
        children[name] = subprocess.Popen(command, cwd=PROJECT_ROOT, start_new_session=True)
    print(f"papertrends: serving data dir {data.root}: dagster-daemon (pid {children['dagster-daemon'].pid}) "
          f"and the UI on http://{host}:{port} (pid {children['dagster-webserver'].pid}); "
          "SIGTERM or Ctrl-C stops both.", flush=True)
    ended = None
    while not stopping and ended is None:
        ended = next((name for name, child in children.items() if child.poll() is not None), None)
        time.sleep(0.5)
    try:   # (whatever happens while looking, the children are stopped below)
        wait_while_loading([child.pid for child in children.values() if child.poll() is None],
                           LOADING_WAIT_SECONDS)
        _wait_until_listening(children["dagster-webserver"], host, int(port), LOADING_WAIT_SECONDS)
    except Exception:  # noqa: BLE001
        pass
    for child in children.values():
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_WAIT_SECONDS
    for child in children.values():
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
    if ended is not None:
        print(f"papertrends: {ended} stopped by itself (exit {children[ended].returncode}); "
              "stopped the other one too. Its log is above.", file=sys.stderr, flush=True)
        return 1
    print("papertrends: stopped dagster-daemon and dagster-webserver.", flush=True)
    return 0


def _wait_until_listening(child: subprocess.Popen, host: str, port: int, seconds: float) -> None:
    """Wait (at most `seconds`) until the UI accepts connections: a webserver stopped while it
    starts up (its telemetry thread not yet started) prints a traceback as it goes."""
    deadline = time.monotonic() + seconds
    while child.poll() is None and time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)


if __name__ == "__main__":
    sys.exit(main())
