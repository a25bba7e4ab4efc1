"""The Dagster code servers under a process (`dagster api grpc`, which the daemon and the web
server start to load the definitions), and whether they still import them: a code server
stopped half-way through its import prints a traceback, so `make serve` lets them finish before
it stops (orchestration/runs/serve.py). Linux only (/proc); elsewhere none are found."""

from __future__ import annotations

import socket
import time
from pathlib import Path

from orchestration.storage.stale_runs import process_alive


def descendants(pid: int) -> list[int]:
    """Every process below pid (children, their children, ...)."""
    parents = {}
    for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else ():
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
    elif "--port" in args:
        try:
            family, address = socket.AF_INET, ("127.0.0.1", int(args[args.index("--port") + 1]))
        except (IndexError, ValueError):
            return True   # not a form we know: do not wait for it
    else:
        return True   # not a form we know: do not wait for it
    with socket.socket(family) as sock:
        sock.settimeout(2)
        try:
            sock.connect(address)
        except OSError:
            return False
    return True


def loading_code_servers(pid: int) -> list[int]:
    """The code servers below pid that do not serve yet."""
    loading = []
    for child in descendants(pid):
        try:
            args = Path(f"/proc/{child}/cmdline").read_bytes().decode(errors="replace").split("\0")
        except OSError:
            continue   # ended meanwhile
        if " api grpc " in " ".join(args) and process_alive(child) and not serves(args):
            loading.append(child)
    return loading


def wait_while_loading(pids: list[int], limit: float) -> list[int]:
    """Wait until no code server below these processes is importing, at most `limit` seconds;
    the ones still loading then."""
    deadline = time.monotonic() + limit
    while True:
        loading = [server for pid in pids for server in loading_code_servers(pid)]
        if not loading or time.monotonic() >= deadline:
            return loading
        time.sleep(0.5)
