"""Reading many snapshot files on every core: batches of files parsed by worker processes.

Parsing is pure Python (one core). A backfill of years of captures reads thousands of files, so
its batches are split between worker processes, one per core; a daily run's few files are read
in the calling process, where starting workers (~0.3 s each: Python and polars) would cost more
than they save. The result is the same either way: batches come back in the order they were
given (tests/transforms/test_parallel_reading.py).

A worker is `python -m transforms.parallel_reading [nice]`: it reads messages from stdin, first
(kind, folder), then one batch at a time until None, and writes one message per batch to
stdout, (snapshots, observations). Batches can be given while the first ones are being read
(`Reading.add`): the CLI hands over a backfill's files as it lands them (orchestration/
defs/ingest/parse_ahead.py). A message is a marker, its length (8 bytes) and the pickled value, and the
worker's own stdout goes to its stderr, so that nothing a library prints can fall between
messages. Both ends read and write the pipe's file descriptor in a loop until every byte has
passed: `pickle.load` straight from the pipe lost its place in the stream when a read was
interrupted (seen under py-spy, which pauses processes to sample them), and an unpickled frame
then failed with a baffling TypeError. Not multiprocessing: its "spawn" workers re-import the
caller's main module (Dagster's CLI, pytest, a user's script), and "fork" is unsafe in a
process with threads (a Dagster run, polars' pool).
"""

from __future__ import annotations

import os
import pickle
import queue
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from transforms.snapshot_files import archive_name, sha256_hex

if TYPE_CHECKING:   # (polars is imported where frames are made: the workers, and unpickling)
    import polars as pl

    from transforms.snapshot_reader import ParsedSnapshot

Batch = list[tuple[str, date]]          # (path relative to the folder, snapshot date)
SourceBatch = list[tuple[str, str, date]]   # (file to read, name it was landed under, date)
Result = tuple["list[ParsedSnapshot]", "pl.DataFrame"]

# Files parsed into one observations frame: large enough to spread a frame's fixed cost, small
# enough that the entry dicts of a batch (API JSON keeps each entry's source text) stay small.
BATCH_FILES = 64
# Below this many batches the files are read in the calling process.
MIN_BATCHES_FOR_WORKERS = 8
PROJECT_ROOT = Path(__file__).resolve().parents[1]


def read_batch(folder: Path, batch: Batch) -> Result:
    """The files of one batch -> their snapshots and ONE frame of their observations."""
    from transforms.snapshot_reader import read_snapshots

    return read_snapshots([((folder / relative).read_bytes(), day, relative) for relative, day in batch])


def read_sources(batch: SourceBatch) -> Result:
    """Landed files read where they were landed from, before they are archived: each snapshot's
    path is the archive path its bytes will have (archive names carry the bytes' hash,
    orchestration/storage/landing.py). A source that cannot be read any more is left out."""
    from transforms.snapshot_reader import read_snapshots

    files = []
    for source, name, day in batch:
        try:
            data = Path(source).read_bytes()
        except OSError:
            continue
        files.append((data, day, archive_name(day, sha256_hex(data), name)))
    return read_snapshots(files)


READERS = {"archive": read_batch, "sources": lambda _folder, batch: read_sources(batch)}


def read_batches(folder: Path, batches: list[Batch], workers: int | None = None,
                 min_batches: int = MIN_BATCHES_FOR_WORKERS) -> Iterator[Result]:
    """read_batch of each batch, in order; on `workers` processes (default: one per core) when
    there are min_batches batches or more and more than one worker."""
    workers = min(workers or os.cpu_count() or 1, len(batches))
    if workers < 2 or len(batches) < min_batches:
        for batch in batches:
            yield read_batch(folder, batch)
        return
    reading = Reading("archive", folder, workers)
    for batch in batches:
        reading.add(batch)
    yield from reading.results()


class Reading:
    """Batches read by `workers` worker processes (`kind`: a key of READERS), each from the moment
    it is added; `results()` gives every batch's result in the order they were added, once all
    are read. `nice` lowers the workers' priority, so that they use only what the machine
    leaves idle."""

    def __init__(self, kind: str, folder: Path | None, workers: int, nice: int = 0):
        self._workers = [_Worker(kind, folder, nice) for _ in range(max(1, workers))]
        self._added = 0

    def add(self, batch: list) -> None:
        self._workers[self._added % len(self._workers)].send(batch)   # round robin
        self._added += 1

    def results(self) -> Iterator[Result]:
        try:
            for worker in self._workers:
                worker.finish()
            for n in range(self._added):
                yield self._workers[n % len(self._workers)].results[n // len(self._workers)]
        finally:   # on a failure (or a caller that stops early), the other workers stop too
            self.cancel()

    def cancel(self) -> None:
        """Stop every worker; the reading keeps no frames after this (nor after results())."""
        for worker in self._workers:
            worker.kill()


class _Worker:
    """One worker process, with a thread that writes it batches as they are sent and one that
    collects its results as it writes them (a full pipe would stall it)."""

    def __init__(self, kind: str, folder: Path | None, nice: int):
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")]))}
        self.process = subprocess.Popen([sys.executable, "-m", "transforms.parallel_reading", str(nice)],
                                        env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.results: list[Result] = []
        self._error: BaseException | None = None
        self._cancelled, self._lock = False, threading.Lock()
        self._sent, self._queue = 0, queue.SimpleQueue()
        self._queue.put((kind, folder))
        self._threads = [threading.Thread(target=self._write, daemon=True),
                         threading.Thread(target=self._read, daemon=True)]
        for thread in self._threads:
            thread.start()

    def send(self, batch: list | None) -> None:
        self._sent += batch is not None
        self._queue.put(batch)

    def _write(self) -> None:
        try:
            while (message := self._queue.get()) is not None:
                write_message(self.process.stdin.fileno(), message)
            write_message(self.process.stdin.fileno(), None)
            self.process.stdin.close()
        except (BrokenPipeError, ValueError):
            pass   # it died (or was killed): reported by finish(), with its exit code

    def _read(self) -> None:
        try:
            got = read_messages(self.process.stdout.fileno())
        except BaseException as exc:   # nothing drains the pipe any more: stop the worker
            self._error = exc
            self.process.kill()
            return
        with self._lock:
            if not self._cancelled:
                self.results = got

    def finish(self) -> None:
        """Wait until every batch sent is read; raise when the worker failed."""
        self.send(None)
        for thread in self._threads:
            thread.join()
        code = self.process.wait()
        self.process.stdout.close()
        if self._error is not None:
            raise self._error
        if code != 0 or len(self.results) != self._sent:
            raise RuntimeError(f"a parsing worker exited with code {code} after "
                               f"{len(self.results)} of {self._sent} batches (its error is printed "
                               "above); run again, or report it with that output")

    def kill(self) -> None:
        """Stop the worker and its threads; its results, if any, are dropped."""
        with self._lock:
            self._cancelled, self.results = True, []
        self._queue.put(None)   # (the writer thread waits for one)
        if self.process.poll() is None:
            self.process.kill()


# A message: MAGIC, its body's length (LENGTH_BYTES, little-endian), the pickled body.
MAGIC = b"PTmsg"
LENGTH_BYTES = 8
MAX_MESSAGE_BYTES = 1 << 34   # 16 GiB: a larger length is a corrupt stream, not a message


class CorruptStream(RuntimeError):
    """Bytes on a worker's pipe that are not a message (something else wrote to it)."""


def read_messages(fd: int, expected: int | None = None) -> list:
    """Up to `expected` messages (default: all, until the end of the stream) from the file
    descriptor; fewer when the writer stopped early (it died: the caller reports it). A
    message cut short counts as none."""
    got = []
    while expected is None or len(got) < expected:
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


def _worker_main(nice: int) -> None:
    # Messages go to a copy of stdout; stdout itself now points at stderr, so that anything a
    # library prints lands in the error output instead of in the middle of a message.
    out = os.dup(sys.stdout.fileno())
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    if nice:
        os.nice(nice)
    [(kind, folder)] = read_messages(sys.stdin.fileno(), 1)
    try:
        while (batch := read_messages(sys.stdin.fileno(), 1)) and batch[0] is not None:
            write_message(out, READERS[kind](folder, batch[0]))
    except BrokenPipeError:   # the reading was cancelled, or its process ended: nobody to tell
        os._exit(0)


if __name__ == "__main__":
    _worker_main(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
