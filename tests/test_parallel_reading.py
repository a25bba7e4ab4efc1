"""Batches read by worker processes (what a backfill of many files does) give what reading them
in the calling process gives: the same snapshots and observations, batch by batch, in order."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

import pytest

from tests.conftest import ROOT
from tests.damaged_batch import FIXTURES
from transforms.parallel_reading import read_batches
from transforms.snapshot_files import date_from_name


def _batches() -> list[list[tuple[str, date]]]:
    paths = sorted(FIXTURES.iterdir()) + sorted((ROOT / "seeds").rglob("*.*"))
    files = [(str(p.relative_to(ROOT)), date_from_name(p.name) or date(2025, 11, 4))
             for p in paths if p.is_file()]
    return [files[i:i + 3] for i in range(0, len(files), 3)]


def test_workers_give_what_the_calling_process_gives_in_order():
    batches = _batches()
    assert len(batches) >= 8
    here = list(read_batches(ROOT, batches, workers=1))
    in_workers = list(read_batches(ROOT, batches, workers=3, min_batches=2))
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
