"""Batches read by worker processes (what a backfill of many files does) give what reading them
in the calling process gives: the same snapshots and observations, batch by batch, in order; and
the messages between them arrive whole however the pipe splits them."""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
from dataclasses import asdict
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import API_DAYS, CAPTURE
from transforms.parallel_reading import (
    CorruptStream,
    Reading,
    read_batch,
    read_batches,
    read_messages,
    write_message,
)
from transforms.snapshot_files import date_from_name


def _batches(folder: Path, damaged_dir: Path) -> list[list[tuple[str, date]]]:
    """The damaged files, the real November days and the sample capture, copied into `folder`."""
    for sub, paths in (("damaged", sorted(damaged_dir.iterdir())), ("seeds", [*API_DAYS, CAPTURE])):
        (folder / sub).mkdir()
        for path in paths:
            shutil.copyfile(path, folder / sub / path.name)
    files = [(str(p.relative_to(folder)), date_from_name(p.name) or date(2025, 11, 4))
             for p in sorted(folder.rglob("*")) if p.is_file()]
    return [files[i:i + 3] for i in range(0, len(files), 3)]


def test_workers_give_what_the_calling_process_gives_in_order(damaged_dir, tmp_path):
    batches = _batches(tmp_path, damaged_dir)
    assert len(batches) >= 8
    here = list(read_batches(tmp_path, batches, workers=1))
    in_workers = list(read_batches(tmp_path, batches, workers=3, min_batches=2))
    assert len(in_workers) == len(here) == len(batches)
    for (snaps, frame), (worker_snaps, worker_frame) in zip(here, in_workers):
        assert [asdict(s) for s in worker_snaps] == [asdict(s) for s in snaps]
        assert worker_frame.equals(frame)
    statuses = {s.status for snaps, _ in in_workers for s in snaps}
    assert statuses == {"parsed", "failed"}   # damaged fixtures included
    assert sum(frame.height for _, frame in in_workers) > 300


def test_a_worker_that_fails_stops_the_reading_with_a_message(tmp_path, capfd):
    batches = [[("missing.txt", date(2025, 11, 3))]] * 4
    with pytest.raises(RuntimeError, match="parsing worker exited"):
        list(read_batches(tmp_path, batches, workers=2, min_batches=2))
    assert "missing.txt" in capfd.readouterr().err


def _pipe_fed_in_pieces(data: bytes, piece: int) -> tuple[int, threading.Thread]:
    """The read end of a pipe whose writer sends `data` a few bytes at a time, pausing now and
    then: the reader's calls return short reads, as when a process is paused mid-read."""
    read_end, write_end = os.pipe()

    def feed() -> None:
        for n, start in enumerate(range(0, len(data), piece)):
            os.write(write_end, data[start:start + piece])
            if n % 200 == 0:
                time.sleep(0.001)
        os.close(write_end)

    writer = threading.Thread(target=feed)
    writer.start()
    return read_end, writer


def _messages(*values: object) -> bytes:
    """What write_message writes for each value (into a file: a pipe would fill up)."""
    with tempfile.TemporaryFile() as file:
        for value in values:
            write_message(file.fileno(), value)
        file.seek(0)
        return file.read()


def test_messages_survive_short_reads(damaged_dir, tmp_path):
    batches = _batches(tmp_path, damaged_dir)[:3]
    values = [read_batch(tmp_path, batch) for batch in batches]
    read_end, writer = _pipe_fed_in_pieces(_messages(*values), piece=7)
    got = read_messages(read_end, len(values))
    writer.join()
    os.close(read_end)
    assert len(got) == 3
    for (snaps, frame), (sent_snaps, sent_frame) in zip(got, values):
        assert [asdict(s) for s in snaps] == [asdict(s) for s in sent_snaps]
        assert frame.equals(sent_frame)


def test_a_message_cut_short_is_not_returned():
    data = _messages({"a": 1}, list(range(1000)))
    read_end, writer = _pipe_fed_in_pieces(data[:-5], piece=64)   # the writer died mid-message
    got = read_messages(read_end, 2)
    writer.join()
    os.close(read_end)
    assert got == [{"a": 1}]


def test_bytes_that_are_not_a_message_are_refused_with_a_message():
    stray = b"hello world, printed by a library\n" + _messages({"a": 1})
    read_end, writer = _pipe_fed_in_pieces(stray, piece=64)
    with pytest.raises(CorruptStream, match="not a message"):
        read_messages(read_end, 1)
    writer.join()
    os.close(read_end)


def test_a_reader_that_fails_stops_its_worker_instead_of_waiting_for_it(monkeypatch, damaged_dir,
                                                                        tmp_path):
    """When the thread collecting a worker's results fails, nothing drains the worker's pipe:
    the worker is stopped and the error raised, instead of waiting forever for a worker that
    waits for its pipe to empty. Here a `sitecustomize` module the workers' Python imports at
    start prints to stdout before the worker can point it elsewhere: the bytes are no message."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text('print("hello from a site customization")\n')
    monkeypatch.setenv("PYTHONPATH", str(site))   # (the workers this test starts)
    archive = tmp_path / "archive"
    archive.mkdir()
    reading = Reading("archive", archive, workers=2)
    for batch in _batches(archive, damaged_dir):
        reading.add(batch)
    outcome: list = []

    def collect() -> None:
        try:
            list(reading.results())
        except CorruptStream as exc:
            outcome.append(exc)

    collector = threading.Thread(target=collect, daemon=True)
    collector.start()
    collector.join(timeout=120)
    assert not collector.is_alive(), "the reading waited for a worker that could not finish"
    assert len(outcome) == 1 and "not a message" in str(outcome[0]) and "hello from a " in str(outcome[0])
