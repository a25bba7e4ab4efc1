"""One pipeline run at a time per data dir, whoever starts it (CLI, schedule, sensor, UI).

Dagster's `duckdb` pool keeps two steps from writing DuckDB at once, but a run is several steps
that share files (landing/, work/): two runs interleaving their steps could load a stale view
of the archive. So every writing step first takes an exclusive lock on
<data dir>/dagster/pipeline.lock and keeps it for the rest of its process: the daily job runs
in-process, so that is the whole run, and the CLI holds it around its run. The kernel drops the
lock when the process ends, even on SIGKILL, so a crashed run never leaves it behind. A second
run waits (saying so) instead of failing.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable
from pathlib import Path

_held: dict[Path, int] = {}


def hold_pipeline_lock(dagster_home: Path, say: Callable[[str], None] = print) -> None:
    """Take the lock for this process (a no-op when it already holds it); wait while busy."""
    path = (dagster_home / "pipeline.lock").resolve()
    if path in _held:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    waited = 0.0
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if waited == 0 or waited % 30 < 0.5:
                say(f"another papertrends run holds {path}; waiting for it to finish")
            time.sleep(0.5)
            waited += 0.5
    _held[path] = fd


def release_pipeline_lock(dagster_home: Path) -> None:
    fd = _held.pop((dagster_home / "pipeline.lock").resolve(), None)
    if fd is not None:
        os.close(fd)  # closing drops the flock
