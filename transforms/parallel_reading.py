"""Reading many snapshot files on every core: batches of files parsed by worker processes.

Parsing is pure Python (one core). A backfill of years of captures reads thousands of files, so
its batches are split between worker processes, one per core; a daily run's few files are read
in the calling process, where starting workers (~0.3 s each: Python and polars) would cost more
than they save. The result is the same either way: batches come back in the order they were
given (tests/test_parallel_reading.py).

A worker is `python -m transforms.parallel_reading`: it reads (folder, batches) pickled from
stdin and writes one pickled (snapshots, observations) per batch to stdout. Not
multiprocessing: its "spawn" workers re-import the caller's main module (Dagster's CLI, pytest,
a user's script), and "fork" is unsafe in a process with threads (a Dagster run, polars' pool).
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path
from typing import Iterator

import polars as pl

from transforms.snapshot_reader import ParsedSnapshot, read_snapshots

Batch = list[tuple[str, date]]          # (path relative to the folder, snapshot date)
Result = tuple[list[ParsedSnapshot], pl.DataFrame]

# Below this many batches the files are read in the calling process.
MIN_BATCHES_FOR_WORKERS = 8
PROJECT_ROOT = Path(__file__).resolve().parents[1]


def read_batch(folder: Path, batch: Batch) -> Result:
    """The files of one batch -> their snapshots and ONE frame of their observations."""
    return read_snapshots([((folder / relative).read_bytes(), day, relative) for relative, day in batch])


def read_batches(folder: Path, batches: list[Batch], workers: int | None = None,
                 min_batches: int = MIN_BATCHES_FOR_WORKERS) -> Iterator[Result]:
    """read_batch of each batch, in order; on `workers` processes (default: one per core) when
    there are min_batches batches or more and more than one worker."""
    workers = min(workers or os.cpu_count() or 1, len(batches))
    if workers < 2 or len(batches) < min_batches:
        for batch in batches:
            yield read_batch(folder, batch)
        return
    share = -(-len(batches) // workers)   # contiguous shares keep the order
    shares = [batches[i:i + share] for i in range(0, len(batches), share)]
    results: list[list[Result] | BaseException] = [[] for _ in shares]
    started: list[subprocess.Popen] = []
    readers = [threading.Thread(target=_run_worker, args=(folder, part, results, n, started),
                                daemon=True)
               for n, part in enumerate(shares)]
    for reader in readers:
        reader.start()
    try:
        for n, reader in enumerate(readers):
            reader.join()
            if isinstance(results[n], BaseException):
                raise results[n]
            yield from results[n]
    finally:   # on a failure (or a caller that stops early), the other workers stop too
        for worker in started:
            if worker.poll() is None:
                worker.kill()


def _run_worker(folder: Path, part: list[Batch], results: list, n: int,
                started: list[subprocess.Popen]) -> None:
    """Start a worker on `part`, and collect its results as it writes them (a full pipe would
    stall it)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")]))}
    try:
        with subprocess.Popen([sys.executable, "-m", "transforms.parallel_reading"], env=env,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE) as worker:
            started.append(worker)
            pickle.dump((folder, part), worker.stdin)
            worker.stdin.close()
            got = []
            try:
                while len(got) < len(part) and worker.stdout.peek(1):
                    got.append(pickle.load(worker.stdout))
            except (EOFError, pickle.UnpicklingError):
                pass   # a worker that died mid-result: reported below
            results[n] = got
        if worker.returncode != 0 or len(got) != len(part):
            raise RuntimeError(f"a parsing worker exited with code {worker.returncode} after "
                               f"{len(got)} of {len(part)} batches (its error is printed above); "
                               "run again, or report it with that output")
    except BaseException as exc:   # re-raised in the caller's thread
        results[n] = exc


def _worker_main() -> None:
    folder, part = pickle.load(sys.stdin.buffer)
    for batch in part:
        pickle.dump(read_batch(folder, batch), sys.stdout.buffer)
        sys.stdout.buffer.flush()


if __name__ == "__main__":
    _worker_main()
