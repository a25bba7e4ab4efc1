"""Parsing a backfill's files while they are landed and its run starts (`papertrends ingest`).

Until the parse step, the ingest process works on one core for seconds (landing the files,
imports, Dagster's instance and run, the archive step) while the other core idles: ~6 s of a
ten-year backfill on 2 cores. So the CLI hands each batch of files, as soon as it is landed, to
worker processes at low priority (nice 10: they take only the CPU time the run leaves), which
parse them from where they were landed from. `landed_all()` gives back a `ParsedAhead`, which
the CLI hands to its run as the `parsed_ahead` resource (orchestration/runs/runner.py); the parse
step (staging.parse_archived) takes the results for the files it was going to parse from it and
parses the rest itself.

The step's output is the same with or without this: a result is used only for the archive path
its bytes give (archive names carry the bytes' hash, so a source changed after landing gives
another path and its file is parsed from the archive), and the step puts results in its own file
order (tests/defs/ingest/test_parse_ahead.py). Only the CLI's ingest parses ahead: runs started from the
Dagster UI or the schedule get no `ParsedAhead` (the resource is None) and parse in their step.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from orchestration.storage.landing import LandedFile
from orchestration.storage.settings import DataDir
from transforms.parallel_reading import BATCH_FILES, Reading, Result

NICE = 10
MIN_FILES = 128   # fewer are parsed in the step in well under a second


class ParsedAhead:
    """The reading of the files landed for one archive folder, for the parse step to take."""

    def __init__(self, archive: Path, reading: Reading):
        self.archive, self.reading = archive, reading

    def cancel(self) -> None:
        """Stop the workers (the ingest ends, or its run failed before the parse step)."""
        if self.reading is not None:
            self.reading.cancel()
            self.reading = None

    def take(self, archive: Path, files: list[tuple[str, date]]
             ) -> tuple[list[Result], list[tuple[str, date]], str | None]:
        """(results for some of `files`, the files still to parse, a note for the log) from the
        files parsed ahead for this archive, waiting for their reading to finish; ([], files,
        None) when there are none, and everything still to parse when their reading failed. The
        results hold only snapshots of `files`, each once, with their observations."""
        reading = self.reading if archive == self.archive else None
        self.reading = None
        if reading is None:
            return [], files, None
        import polars as pl

        wanted = {relative for relative, _ in files}
        taken: list[Result] = []
        try:
            for snaps, frame in reading.results():
                keep = [s for s in snaps if s.path in wanted]
                wanted.difference_update(s.path for s in keep)
                if len(keep) < len(snaps):
                    frame = frame.filter(pl.col("snapshot_id").is_in([s.snapshot_id for s in keep]))
                taken.append((keep, frame))
        except Exception as exc:  # noqa: BLE001 - the step parses everything itself instead
            reading.cancel()
            return [], files, f"parsing ahead failed ({exc}); parsing every file now"
        left = [(relative, day) for relative, day in files if relative in wanted]
        return taken, left, f"{len(files) - len(left)} of {len(files)} files were parsed ahead"


class ParseAhead:
    """`on_landed` for land_files: batches of landed files, given to the workers as they fill
    (the workers start with the first full batch); `landed_all()` after the last file."""

    def __init__(self, data: DataDir, batch_files: int = BATCH_FILES, min_files: int = MIN_FILES,
                 workers: int | None = None):
        self.archive, self.batch_files, self.min_files = data.archive, batch_files, min_files
        self.workers = workers or os.cpu_count() or 1
        self.batch: list[tuple[str, str, date]] = []
        self.count, self.reading, self.failed = 0, None, False

    def on_landed(self, landed: LandedFile) -> None:
        # absolute (the workers may not share our working directory); os.path.abspath, not
        # Path.resolve: no lstat of every part of the path (~0.1 s for 3,650 files)
        self.batch.append((os.path.abspath(landed.source), landed.path.name, landed.day))
        self.count += 1
        if len(self.batch) == self.batch_files:
            self._hand_over()

    def cancel(self) -> None:
        if self.reading is not None:
            self.reading.cancel()
        self.reading, self.failed = None, True

    def landed_all(self) -> ParsedAhead | None:
        """Hand over the last batch, or stop the workers when there were too few files for
        them to pay; the files being parsed ahead, or None."""
        if self.failed or not self.count or self.count < self.min_files:
            self.cancel()
            return None
        if self.batch:
            self._hand_over()
        if self.reading is None:
            return None
        ahead, self.reading = ParsedAhead(self.archive, self.reading), None
        return ahead

    def _hand_over(self) -> None:
        if not self.failed:
            try:   # (only a speed-up: when workers cannot start, the parse step does it all)
                if self.reading is None:
                    self.reading = Reading("sources", None, self.workers, nice=NICE)
                self.reading.add(self.batch)
            except OSError:
                self.cancel()
        self.batch = []
