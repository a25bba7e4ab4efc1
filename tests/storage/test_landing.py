"""The archive names every file by the hash of the bytes it holds when it is archived, also when
landing already hashed it (the archive step hashes what it moves, orchestration/storage/landing.py)."""

from __future__ import annotations

import os
from datetime import date, datetime

import pytest

from orchestration.storage.landing import archive_waiting, land_files
from orchestration.storage.settings import DataDir
from transforms.snapshot_files import archive_name, sha256_hex

MONTH = (date(2025, 11, 1), date(2025, 12, 1))


def _land(tmp_path, name: str, content: bytes):
    data = DataDir(tmp_path / "data").ensure()
    source = tmp_path / name
    source.write_bytes(content)
    [landed], refused = land_files([source], data)
    assert refused == []
    return data, landed


def test_a_landed_file_is_archived_under_its_hash(tmp_path):
    data, landed = _land(tmp_path, "2025-11-03_a.txt", b"first version")
    [relative] = archive_waiting(data, *MONTH)
    assert relative == archive_name(date(2025, 11, 3), sha256_hex(b"first version"), landed.path.name)
    assert (data.archive / relative).read_bytes() == b"first version"


def test_a_file_changed_in_landing_is_archived_under_its_new_hash(tmp_path):
    data, landed = _land(tmp_path, "2025-11-03_a.txt", b"first version")
    landed.path.write_bytes(b"other version")   # the same size
    os.utime(landed.path, ns=(10**9, 10**9))     # another time, however coarse the clock
    [relative] = archive_waiting(data, *MONTH)
    assert relative == archive_name(date(2025, 11, 3), sha256_hex(b"other version"), landed.path.name)
    assert (data.archive / relative).read_bytes() == b"other version"


def test_landing_keeps_the_source_files_modification_time(tmp_path):
    data = DataDir(tmp_path / "data").ensure()
    source = tmp_path / "2025-11-03_a.txt"
    source.write_bytes(b"a page")
    os.utime(source, ns=(1_762_150_000_123_456_789, 1_762_150_000_123_456_789))   # 2025-11-03, 06:06 UTC
    [landed], _ = land_files([source], data)
    assert landed.path.stat().st_mtime_ns == 1_762_150_000_123_456_789
    [relative] = archive_waiting(data, *MONTH)   # and the archive keeps it (a rename)
    assert (data.archive / relative).stat().st_mtime_ns == 1_762_150_000_123_456_789


def test_raw_snapshots_keep_the_time_the_ingested_file_was_written(capture_ingested):
    from datetime import UTC, datetime

    from tests.conftest import CAPTURE
    from tests.warehouse_checks import query

    [(kept,)] = query(capture_ingested.warehouse, "select file_modified_at from raw.snapshots")
    assert kept == datetime.fromtimestamp(CAPTURE.stat().st_mtime, UTC).replace(tzinfo=None)


def test_a_file_dated_by_its_modification_time_is_named_with_that_day(tmp_path):
    """Neither the name nor the text states a day: the file lands under its modification day,
    and the landing says so; a dated name, or --snapshot-date, is no note."""
    from orchestration.storage.landing import land

    data = DataDir(tmp_path / "data").ensure()
    folder = tmp_path / "captures"
    folder.mkdir()
    for name in ("page.txt", "2025-11-04_page.txt", "empty.txt"):
        (folder / name).write_text("" if name == "empty.txt" else "a page without a date anywhere in it\n")
        moment = datetime(2025, 11, 5, 12).timestamp()
        os.utime(folder / name, (moment, moment))
    landing = land([folder], data)
    assert sorted(f.path.name for f in landing.landed) == [
        "2025-11-04_page.txt", "2025-11-05~empty.txt", "2025-11-05~page.txt"]
    [note] = landing.undated   # (not the empty file: unreadable whatever its day, it is named as that)
    assert note.startswith(f"{folder / 'page.txt'}: dated 2025-11-05, the day it was last modified")
    assert "--snapshot-date" in note
    assert land([folder / "page.txt"], data, snapshot_date=date(2025, 11, 3)).undated == []


def test_a_file_put_into_landing_without_a_day_is_archived_with_a_note(tmp_path):
    """A file put into landing/ by hand (no `papertrends ingest`) is dated when it is archived;
    one whose name and text state no day is named with its modification day and how to fix it,
    one with a dated name is not."""
    data = DataDir(tmp_path / "data").ensure()
    for name in ("page.txt", "2025-11-04_page.txt", "empty.txt"):
        (data.landing / name).write_text("" if name == "empty.txt" else "a page without a date anywhere in it\n")
        moment = datetime(2025, 11, 5, 12).timestamp()
        os.utime(data.landing / name, (moment, moment))
    undated: list[str] = []
    moved = archive_waiting(data, *MONTH, undated=undated)
    assert sorted(moved) == sorted(["2025-11/2025-11-04__" + sha256_hex(b"a page without a date anywhere in it\n")[:12]
                                    + "__2025-11-04_page.txt",
                                    "2025-11/2025-11-05__" + sha256_hex(b"")[:12] + "__empty.txt",
                                    "2025-11/2025-11-05__" + sha256_hex(b"a page without a date anywhere in it\n")[:12]
                                    + "__page.txt"])
    [note] = undated   # (not the empty file's)
    assert note.startswith("page.txt: dated 2025-11-05, the day it was last modified")
    assert f"move archive/{[m for m in moved if m.endswith('__page.txt')][0]} to landing/" in note


@pytest.mark.needs_shared_data
def test_api_json_wrapped_in_an_object_is_dated_by_its_papers_listing_day(tmp_path):
    """A file named without a day holding the listing page's embedded JSON ({"date": ...,
    "dailyPapers": [...]}) is dated by its papers' submittedOnDailyAt, as a bare answer is."""
    import json

    from orchestration.storage.landing import snapshot_date_of
    from tests.conftest import api_item

    path = tmp_path / "daily-papers.json"
    items = [api_item(f"2511.0000{n}", f"Made-Up Widget Paper {n}", "2025-11-05") for n in range(1, 3)]
    for value in ({"date": "2025-11-05", "dailyPapers": items}, [item["paper"] for item in items]):
        path.write_text(json.dumps(value))   # (the second: the paper objects alone, as the parser reads too)
        os.utime(path, (datetime(2026, 1, 2).timestamp(),) * 2)
        assert snapshot_date_of(path) == date(2025, 11, 5)
