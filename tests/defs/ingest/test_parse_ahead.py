"""Files parsed while they are landed (orchestration/defs/ingest/parse_ahead.py) give the parse step exactly
what parsing them in the step gives: the same snapshot rows and observations, in the same
order, whatever order they were landed in, and whatever happened to a source after landing."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.defs.ingest import parse_ahead
from orchestration.defs.ingest.staging import parse_archived
from orchestration.storage.landing import archive_waiting, archived_files, land_files
from orchestration.storage.settings import DataDir
from tests.capture_render import render_capture
from tests.conftest import API_DAYS, CAPTURE, ROOT, fresh_data_dir

START, END = date(2015, 1, 1), date(2030, 1, 1)

pytestmark = pytest.mark.needs_shared_data


def _sources(folder: Path, damaged_dir: Path) -> Path:
    """Real files to land: the November days, the sample capture, damaged files, and the same
    capture bytes under a second name (one snapshot, two files)."""
    folder.mkdir()
    for path in [*API_DAYS, CAPTURE, *sorted(damaged_dir.iterdir())]:
        shutil.copyfile(path, folder / path.name)
    shutil.copyfile(CAPTURE, folder / f"{CAPTURE.name[:10]}_again.txt")
    return folder


def _parse(root: Path, sources: list[Path], ahead: bool, change=None) -> tuple:
    """Land `sources` (in that order) into a new data dir, parsing them ahead or not; `change`
    runs after landing (given what is parsed ahead), before the files are archived and parsed;
    then the parse step's output."""
    data = DataDir(root).ensure()
    planned = parse_ahead.ParseAhead(data, batch_files=3, min_files=0, workers=2)
    land_files(sources, data, on_landed=planned.on_landed if ahead else None)
    parsed_ahead = planned.landed_all()
    assert (parsed_ahead is not None) == ahead
    if change:
        change(parsed_ahead)
    archive_waiting(data, START, END)
    notes = []
    snapshots, observations = parse_archived(data, archived_files(data, START, END), log=notes.append,
                                             parsed_ahead=parsed_ahead)
    return snapshots, observations, notes


def _same(got: tuple, expected: tuple) -> None:
    """The same snapshot rows (but for when each data dir landed its files) and observations."""
    def sources(frame):
        return [[{k: v for k, v in s.items() if k != "landed_at"} for s in row] for row in frame["sources"]]
    assert got[0].drop("sources").equals(expected[0].drop("sources"))
    assert sources(got[0]) == sources(expected[0])
    assert got[1].equals(expected[1])


def test_files_parsed_ahead_give_what_the_step_gives(tmp_path, damaged_dir):
    sources = sorted(_sources(tmp_path / "in", damaged_dir).iterdir())
    expected = _parse(tmp_path / "plain", sources, ahead=False)
    got = _parse(tmp_path / "ahead", sources, ahead=True)
    _same(got, expected)
    assert got[2] == [f"{len(sources)} of {len(sources)} files were parsed ahead"]
    assert expected[2] == []
    assert expected[1].height > 300 and set(expected[0]["status"]) == {"parsed", "failed"}


def test_landing_order_does_not_change_the_order_of_the_output(tmp_path, damaged_dir):
    sources = sorted(_sources(tmp_path / "in", damaged_dir).iterdir())
    expected = _parse(tmp_path / "plain", sources, ahead=False)
    _same(_parse(tmp_path / "ahead", sources[::-1], ahead=True), expected)


def test_a_source_changed_or_removed_after_landing_is_parsed_from_the_archive(tmp_path, damaged_dir):
    sources = sorted(_sources(tmp_path / "in", damaged_dir).iterdir())
    expected = _parse(tmp_path / "plain", sources, ahead=False)
    changed, removed = sources[0], sources[1]

    def change(_ahead) -> None:   # (the workers may or may not have read them yet: both are fine)
        changed.write_bytes(b"[]")
        removed.unlink()

    got = _parse(tmp_path / "ahead", sources, ahead=True, change=change)
    _same(got, expected)


def test_a_failed_reading_leaves_every_file_to_the_step(tmp_path, damaged_dir):
    sources = sorted(_sources(tmp_path / "in", damaged_dir).iterdir())
    expected = _parse(tmp_path / "plain", sources, ahead=False)

    def kill_the_workers(ahead) -> None:
        for worker in ahead.reading._workers:
            worker.process.kill()

    got = _parse(tmp_path / "ahead", sources, ahead=True, change=kill_the_workers)
    _same(got, expected)
    assert got[2][0].startswith("parsing ahead failed (a parsing worker exited")


def test_too_few_files_are_not_parsed_ahead(tmp_path, damaged_dir):
    data = DataDir(tmp_path / "data").ensure()
    planned = parse_ahead.ParseAhead(data, batch_files=2, min_files=10, workers=2)
    sources = sorted(_sources(tmp_path / "in", damaged_dir).iterdir())[:5]
    land_files(sources, data, on_landed=planned.on_landed)
    assert planned.reading is not None   # two full batches were handed over ...
    assert planned.landed_all() is None   # ... and stopped: too few files
    assert planned.reading is None


def test_papertrends_ingest_parses_a_backfill_ahead(tmp_path):
    """The CLI parses many files ahead: 20 API days, each also rendered as captures in 5 styles,
    and the sample capture under 10 names (130 files); the run says so in its log, and every
    snapshot is in the warehouse."""
    folder = tmp_path / "in"
    folder.mkdir()
    for path in API_DAYS:
        items, day = json.loads(path.read_bytes()), date.fromisoformat(path.stem)
        shutil.copyfile(path, folder / path.name)
        for style in ("plain", "upvotes", "links", "links_upvotes", "crlf_bom"):
            text = render_capture(items, day, style)
            encoding = "utf-8-sig" if style == "crlf_bom" else "utf-8"
            (folder / f"{day}_{style}.txt").write_bytes(text.encode(encoding))
    for n in range(10):
        shutil.copyfile(CAPTURE, folder / f"{CAPTURE.name[:10]}_copy{n}.txt")
    assert len(list(folder.iterdir())) >= parse_ahead.MIN_FILES
    data = fresh_data_dir(tmp_path / "data")
    done = subprocess.run([sys.executable, "-m", "orchestration.cli.main", "ingest", str(folder)],
                          capture_output=True, text=True, cwd=ROOT, timeout=600,
                          env={**os.environ, "PAPERTRENDS_DATA_DIR": str(data.root)})
    assert done.returncode == 0, done.stderr[-3000:]
    with dg.DagsterInstance.from_config(str(data.dagster_home)) as instance:
        [run] = instance.get_run_records()
        messages = [e.message for e in instance.all_logs(run.dagster_run.run_id)]
    assert "130 of 130 files were parsed ahead" in messages
    with duckdb.connect(str(data.warehouse), read_only=True) as con:
        # 20 API days + 100 rendered captures + the sample's bytes once (its 10 copies are one)
        assert con.execute("select count(*) from raw.snapshots").fetchall() == [(121,)]
