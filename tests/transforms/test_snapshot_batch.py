"""`read_snapshots` (one frame for a batch of files, what the pipeline runs) gives what
`read_snapshot` gives file by file: the same snapshots and the same observations, in order."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from pathlib import Path

import polars as pl

from tests.capture_render import STYLES, render_capture
from tests.conftest import API_DAYS, CAPTURE
from transforms.observations import (
    OBSERVATION_SCHEMA,
    _plain,
    _transpose,
    batch_frame,
    empty_entry,
    observations_frame,
)
from transforms.snapshot_files import date_from_name
from transforms.snapshot_reader import _read_entries, read_snapshot, read_snapshots


def _files(damaged_dir: Path) -> list[tuple[bytes, date, str]]:
    """The damaged files, the real November days and the sample capture."""
    paths = sorted(damaged_dir.iterdir()) + [*API_DAYS, CAPTURE]
    return [(p.read_bytes(), date_from_name(p.name) or date(2025, 11, 4), p.name)
            for p in paths if p.is_file()]


def test_batch_gives_the_same_snapshots_and_observations_as_file_by_file(damaged_dir):
    files = _files(damaged_dir)
    one_by_one = [read_snapshot(*file) for file in files]
    snaps, frame = read_snapshots(files)
    assert {s.status for s in snaps} == {"parsed", "failed"}
    for single, batched in zip(one_by_one, snaps, strict=True):
        assert batched.observations is None
        assert batched.n_entries == single.n_entries
        assert {**asdict(batched), "observations": None} == {**asdict(single), "observations": None}
    expected = pl.concat([s.observations for s in one_by_one if s.observations is not None])
    assert frame.schema == OBSERVATION_SCHEMA
    assert frame.equals(expected)


def test_batch_of_nothing_and_of_failed_files_is_an_empty_frame():
    assert read_snapshots([])[1].equals(pl.DataFrame(schema=OBSERVATION_SCHEMA))
    snaps, frame = read_snapshots([(b"", date(2025, 11, 3), "empty.txt")])
    assert snaps[0].status == "failed" and snaps[0].n_entries == 0
    assert frame.equals(pl.DataFrame(schema=OBSERVATION_SCHEMA))


def test_list_items_that_are_not_text_become_text_as_before():
    """Items that are not text (an int, a tuple for a list) take the polars path, as before."""
    entry = empty_entry(1, "raw")
    entry.update(problems=["note", 7], authors=("A", "B"), n_authors=2**40)
    frame = observations_frame([entry], "s1", date(2025, 11, 3), "api")
    assert frame["problems"].to_list() == [["note", "7"]]
    assert frame["authors"].to_list() == [["A", "B"]]
    assert frame["n_authors"].to_list() == [None]
    assert frame["invalid"].to_list() == [[f"n_authors is out of range: {2**40}"]]
    assert batch_frame([([entry], "s1", date(2025, 11, 3), "api")]).schema == OBSERVATION_SCHEMA


def test_string_list_columns_keep_nulls_empty_lists_and_null_items():
    entries = [empty_entry(n, "raw") for n in range(1, 6)]
    for entry, handles in zip(entries, [None, [], ["a"], [None, "b"], [""]]):
        entry["author_handles"] = handles
    frame = observations_frame(entries, "s1", date(2025, 11, 3), "api")
    assert frame["author_handles"].to_list() == [None, [], ["a"], [None, "b"], [""]]
    assert frame["problems"].to_list() == [[]] * 5


def test_out_of_range_numbers_are_found_in_any_entry_of_a_batch():
    entries = [empty_entry(n, "raw") for n in range(1, 4)]
    entries[1].update(upvotes=-(2**63), comments=2**63 - 1)
    entries[2].update(upvotes=True, n_authors=2**31)
    frame = batch_frame([(entries[:1], "s1", date(2025, 11, 3), "api"),
                         (entries[1:], "s2", date(2025, 11, 4), "api")])
    assert frame["upvotes"].to_list() == [None, None, 1]
    assert frame["comments"].to_list() == [None, 2**63 - 1, None]
    assert frame["invalid"].to_list() == [
        [], [f"upvotes is out of range: {-(2**63)}"], [f"n_authors is out of range: {2**31}"]]


def test_entries_missing_fields_give_nulls():
    entry = empty_entry(1, "raw")
    del entry["abstract"], entry["upvotes"]
    frame = batch_frame([([entry, empty_entry(2, "raw")], "s1", date(2025, 11, 3), "capture")])
    assert frame["abstract"].to_list() == [None, None] and frame["upvotes"].to_list() == [None, None]
    assert frame["position"].to_list() == [1, 2]


def test_capture_frames_skip_the_type_checks_and_give_the_same_frame(damaged_dir):
    """read_snapshots vouches for the capture parser's types (batch_frame typed=True): on the
    parser's own entries (the sample, damaged captures, real API days rendered in every capture
    style), every value has its column's type, and the frame equals the fully checked one."""
    captures = [f for f in _files(damaged_dir) if f[2].endswith(".txt")]
    for path in API_DAYS[:3]:
        day = date.fromisoformat(path.stem)
        captures += [(render_capture(json.loads(path.read_bytes()), day, style).encode(), day, f"{day}_{style}.txt")
                     for style in STYLES]
    parts = []
    for data, day, name in captures:
        snap, entries = _read_entries(data, day, name)
        if entries:
            parts.append((entries, snap.snapshot_id, day, snap.source_kind))
    assert len(parts) >= 16
    for part in parts:
        assert _plain(_transpose(part[0])), part[1]
        assert batch_frame([part], typed=True).equals(batch_frame([part]))


def test_out_of_range_numbers_in_a_capture_are_reasons_not_nulls():
    text = CAPTURE.read_text(encoding="utf-8")
    text = text.replace("  • 5 authors", f"  • {2**31} authors", 1)
    text = text.replace("Dec 10\n", "Dec 10\n\n-9223372036854775808\n", 1)  # the first upvote line
    snap = read_snapshot(text.encode(), date(2025, 12, 10), CAPTURE.name)
    first = snap.observations.row(0, named=True)
    assert first["n_authors"] is None and first["upvotes"] is None
    assert first["invalid"] == [f"n_authors is out of range: {2**31}",
                                f"upvotes is out of range: {-(2**63)}"]


def test_control_characters_leave_the_text_and_stay_in_the_raw_entry():
    """A NUL or a terminal escape in a title would make the Atom feed invalid XML and could drive
    the terminal of whoever prints it: removed from every text column, kept in raw_text."""
    entry = empty_entry(1, "raw \x1b[2J")
    entry.update(title="A\x00B\x01C \x1b]0;T\x07 x", abstract="tab\tand\nline kept\x7f",
                 authors=["N\x00a", "Ok"], ai_keywords=["k\x07w"], organization_name="Org\x1b")
    [row] = observations_frame([entry], "s1", date(2025, 11, 3), "api").iter_rows(named=True)
    assert (row["title"], row["abstract"], row["authors"], row["ai_keywords"], row["organization_name"]) == (
        "ABC ]0;T x", "tab\tand\nline kept", ["Na", "Ok"], ["kw"], "Org")
    assert row["raw_text"] == "raw \x1b[2J"
