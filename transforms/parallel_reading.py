"""Reading many snapshot files on every core: batches of files parsed by worker processes.

Parsing is pure Python (one core). A backfill of years of captures reads thousands of files, so
its batches are split between worker processes, one per core; a daily run's few files are read
in the calling process, where starting workers (~0.3 s each: Python and polars) would cost more
than they save. The result is the same either way: batches come back in the order they were
given (tests/test_parallel_reading.py).

A worker is `python -m transforms.parallel_reading`: it reads one message, (folder, batches),
from stdin and writes one message per batch to stdout, (snapshots, observations); a message is
a marker, its length (8 bytes) and the pickled value, and the worker's own stdout goes to its
stderr, so that nothing a library prints can fall between messages. Both ends read and write
the pipe's file descriptor in a loop until every byte has passed: `pickle.load` straight from
the pipe lost its place in the stream when a read was interrupted (seen under py-spy, which
pauses processes to sample them), and an unpickled frame then failed with a baffling
TypeError. Not
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
            try:
                write_message(worker.stdin.fileno(), (folder, part))
                worker.stdin.close()
            except BrokenPipeError:
                pass   # it died before reading its work: reported below, with its exit code
            results[n] = got = read_messages(worker.stdout.fileno(), len(part))
        if worker.returncode != 0 or len(got) != len(part):
            raise RuntimeError(f"a parsing worker exited with code {worker.returncode} after "
                               f"{len(got)} of {len(part)} batches (its error is printed above); "
                               "run again, or report it with that output")
    except BaseException as exc:   # re-raised in the caller's thread
        results[n] = exc


# A message: MAGIC, its body's length (LENGTH_BYTES, little-endian), the pickled body.
MAGIC = b"PTmsg"
LENGTH_BYTES = 8
MAX_MESSAGE_BYTES = 1 << 34   # 16 GiB: a larger length is a corrupt stream, not a message


class CorruptStream(RuntimeError):
    """Bytes on a worker's pipe that are not a message (something else wrote to it)."""


def read_messages(fd: int, expected: int) -> list:
    """Up to `expected` messages from the file descriptor; fewer when the writer stopped early
    (it died: the caller reports it). A message cut short counts as none."""
    got = []
    while len(got) < expected:
        header = _read_exactly(fd, len(MAGIC) + LENGTH_BYTES)
        if header is None:
            break
        size = int.from_bytes(header[len(MAGIC):], "little")
        if header[:len(MAGIC)] != MAGIC or size > MAX_MESSAGE_BYTES:
            raise CorruptStream(f"a parsing worker's output is not a message (it starts "
                                f"{bytes(header)!r}); report it with the output printed above")
        body = _read_exactly(fd, size)
        if body is None:
            break
        got.append(pickle.loads(body))
    return got


def _read_exactly(fd: int, size: int) -> bytearray | None:
    """`size` bytes from fd, however many reads it takes; None at end of file before that."""
    buffer = bytearray(size)
    view, done = memoryview(buffer), 0
    while done < size:
        count = os.readv(fd, [view[done:]])
        if count == 0:
            return None
        done += count
    return buffer


def write_message(fd: int, value: object) -> None:
    """One message (`value` pickled, after MAGIC and its length), written whole, however many
    writes it takes; the body is not copied."""
    body = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    parts = [memoryview(MAGIC + len(body).to_bytes(LENGTH_BYTES, "little")), memoryview(body)]
    while parts:
        written = os.writev(fd, parts)
        while parts and written >= len(parts[0]):
            written -= len(parts[0])
            parts.pop(0)
        if parts:
            parts[0] = parts[0][written:]


def _worker_main() -> None:
    # Messages go to a copy of stdout; stdout itself now points at stderr, so that anything a
    # library prints lands in the error output instead of in the middle of a message.
    out = os.dup(sys.stdout.fileno())
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    [(folder, part)] = read_messages(sys.stdin.fileno(), 1)
    for batch in part:
        write_message(out, read_batch(folder, batch))


if __name__ == "__main__":
    _worker_main()
