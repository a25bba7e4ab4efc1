"""The damaged-input batch: its files, the outcomes worked out by hand for each, and helpers
to ingest it and read back what the warehouse holds (used by tests/defs/ingest/test_ingest_damaged.py).

The files are written at test time by tests/fixtures/make_damaged.py into a temporary folder
(the session fixture `damaged_dir`), from the real days in ../shared/data/hf_api_daily."""

from __future__ import annotations

import hashlib
import json
import os
from datetime import date, datetime
from pathlib import Path

import duckdb

from tests.capture_render import render_capture
from tests.shared_data import API_DAY_DIR

NOV3 = date(2025, 11, 3)

# file name -> (status, n_entries, n_quarantined, snapshot date).
# A None date: the file has no date in its name and is not readable JSON, so its date is its
# modification time (checked separately). A None status / quarantined count: not pinned.
EXPECTED: dict[str, tuple[str | None, int, int | None, date | None]] = {
    # Captures: four papers of 2025-11-03 (rendered from hf_api_daily/2025-11-03.json items 0,
    # 1, 9, 12), valid in every encoding and line ending they arrive in.
    "2025-11-03_utf16le-bom-capture.txt": ("ok", 4, 0, NOV3),
    "2025-11-03_utf8-bom-upvotes-capture.txt": ("ok", 4, 0, NOV3),
    "2025-11-03_crlf-line-endings.txt": ("ok", 4, 0, NOV3),
    "2025-11-03_cp1252-accented-names.txt": ("ok", 4, 0, NOV3),
    "2025-11-03_nul-bytes-sprinkled.txt": ("ok", 4, 0, NOV3),
    # ... and with one damaged entry, quarantined, the other three loaded.
    "2025-11-03_negative-author-count.txt": ("partial", 4, 1, NOV3),
    "2025-11-03_impossible-date-feb30.txt": ("partial", 4, 1, NOV3),
    "2025-11-03_far-future-date-2091.txt": ("partial", 4, 1, NOV3),
    # Four papers whose upvote lines read "1.2k", "lots", "n/a", "twelve": still four entries.
    "2025-11-03_upvotes-not-numbers.txt": (None, 4, None, NOV3),
    "2025-11-03_html-shell-no-listing.txt": ("failed", 0, 0, NOV3),
    # The real capture (a search view): its first six entries; the same bytes named a day
    # early (header "Dec 10" disagrees); its first four entries cut 300 characters into the
    # fourth abstract (the fourth is kept, without its who/date block).
    "2025-12-10_control-seed-capture-six-entries.txt": ("ok", 6, 0, date(2025, 12, 10)),
    "2025-12-09_header-date-disagrees-with-name.txt": ("failed", 0, 0, date(2025, 12, 9)),
    "2025-12-10_truncated-mid-entry.txt": ("ok", 4, 0, date(2025, 12, 10)),
    # Not text at all.
    "2025-11-10_empty.txt": ("failed", 0, 0, date(2025, 11, 10)),
    "2025-11-10_whitespace-only.txt": ("failed", 0, 0, date(2025, 11, 10)),
    "2025-11-10_binary-garbage.txt": ("failed", 0, 0, date(2025, 11, 10)),
    "2025-11-10_png-header.txt": ("failed", 0, 0, date(2025, 11, 10)),
    "2025-11-10_gzip-bytes.json": ("failed", 0, 0, date(2025, 11, 10)),
    # API JSON: three real items of 2025-11-04 (1, 3, 5), the middle one damaged.
    "2025-11-04_invalid-json.json": ("failed", 0, 0, date(2025, 11, 4)),
    "2025-11-04_truncated-json.json": ("failed", 0, 0, date(2025, 11, 4)),
    "2025-11-04_error-object.json": ("failed", 0, 0, date(2025, 11, 4)),
    "2025-11-04_array-of-non-objects.json": ("partial", 5, 5, date(2025, 11, 4)),
    "2025-11-04_upvotes-abc.json": ("partial", 3, 1, date(2025, 11, 4)),
    "2025-11-04_negative-num-comments.json": ("partial", 3, 1, date(2025, 11, 4)),
    # (a publishedAt after the item's own listing day: loaded, the date left empty with a note)
    "2025-11-04_published-2099.json": ("ok", 3, 0, date(2025, 11, 4)),
    "2025-11-04_id-path-traversal.json": ("partial", 3, 1, date(2025, 11, 4)),
    "2025-11-04_title-null-and-missing.json": ("partial", 3, 2, date(2025, 11, 4)),
    "2025-11-04_authors-not-a-list.json": ("partial", 3, 1, date(2025, 11, 4)),
    "2025-11-04_upvotes-10e30.json": ("partial", 3, 1, date(2025, 11, 4)),
    "2025-11-04_nested-unknown-fields.json": ("ok", 3, 0, date(2025, 11, 4)),
    "2025-11-04_huge-title-5000-chars.json": ("partial", 3, 1, date(2025, 11, 4)),
    # The real 2025-11-05 day (25 papers); a day listing two of its papers twice (5 entries):
    # the second copies are repeats, quarantined as a capture's repeated cards are.
    "2025-11-05_control-fine-day.json": ("ok", 25, 0, date(2025, 11, 5)),
    "2025-11-05_duplicate-entries.json": ("partial", 5, 2, date(2025, 11, 5)),
    # No (valid) date in the name: JSON takes its papers' listing day.
    "api-day-without-date-prefix.json": ("ok", 3, 0, date(2025, 11, 6)),
    "2025-13-45_impossible-date-in-name.json": ("ok", 3, 0, date(2025, 11, 7)),
    "error-object-without-date.json": ("failed", 0, 0, None),
    "notes-not-a-capture.txt": ("failed", 0, 0, None),
}
# Byte-identical to 2025-11-05_control-fine-day.json, same day: the same snapshot, no row of its own.
SAME_AS_CONTROL = "2025-11-05_same-bytes-as-control.json"
N_FIXTURE_FILES = 38
N_FIXTURE_SNAPSHOTS = 37  # 38 files, two of them the same bytes for the same day

# Reasons a failed file must give (substrings of raw.snapshots.reason).
FAILED_REASONS = {
    "2025-11-03_html-shell-no-listing.txt": ["no paper listing found"],
    "2025-12-09_header-date-disagrees-with-name.txt": ["'Dec 10'", "2025-12-09"],
    "2025-11-10_empty.txt": ["empty"],
    "2025-11-10_whitespace-only.txt": ["empty"],
    "2025-11-10_binary-garbage.txt": ["binary content"],
    "2025-11-10_png-header.txt": ["a PNG image", "save the page as text, Markdown or HTML"],
    "2025-11-10_gzip-bytes.json": ["gzip-compressed", "decompress it"],
    "2025-11-04_invalid-json.json": ["not valid JSON"],
    "2025-11-04_truncated-json.json": ["not valid JSON"],
    "2025-11-04_error-object.json": ["the API's error answer, not a listing"],
    "error-object-without-date.json": ["the API's error answer, not a listing"],
    "notes-not-a-capture.txt": ["no paper listing found"],
}

# Reasons each quarantined entry must give (substrings of one of raw.quarantine.reasons).
QUARANTINE_REASONS = {
    "2025-11-03_negative-author-count.txt": "n_authors",
    "2025-11-03_impossible-date-feb30.txt": "not a calendar day",
    "2025-11-03_far-future-date-2091.txt": "published after",
    "2025-11-04_array-of-non-objects.json": "not an object",
    "2025-11-04_upvotes-abc.json": "upvotes is not a whole number",
    "2025-11-04_negative-num-comments.json": "comments must be >= 0",
    "2025-11-04_id-path-traversal.json": "not an arXiv id",
    "2025-11-04_title-null-and-missing.json": "title is missing",
    "2025-11-04_authors-not-a-list.json": "authors is not a list",
    "2025-11-04_upvotes-10e30.json": "upvotes is out of range",
    "2025-11-04_huge-title-5000-chars.json": "too long",
}

# Files the test lands from a temporary folder next to the fixtures (see extra_files).
UNSAFE_NAME = "2025-11-03_café; rm -rf 'x' ünïcode.txt"
COLLIDING_NAME = "2025-11-03_café' rm -rf ;x; ünïcode.txt"  # cleans to the same safe name
SAFE_NAME = "2025-11-03_caf_rm_-rf_x_n_code.txt"
UNDATED_NAME = "capture-saved-without-date.txt"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fixture_files(folder: Path) -> dict[str, bytes]:
    """The batch as written into `folder` (the `damaged_dir` fixture)."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def extra_files(folder: Path) -> dict[str, bytes]:
    """Three captures of 2025-11-03 papers, each rendered differently so the bytes differ."""
    items = json.loads((API_DAY_DIR / "2025-11-03.json").read_bytes())
    files = {
        UNSAFE_NAME: render_capture([items[0], items[9]], NOV3, "links").encode("utf-8"),
        COLLIDING_NAME: render_capture([items[12]], NOV3, "links").encode("utf-8"),
        UNDATED_NAME: render_capture([items[1], items[12]], NOV3, "plain").encode("utf-8"),
    }
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    # Captured (saved) on 2025-11-03 at noon: with no date in the name, that is its date.
    captured = datetime(2025, 11, 3, 12, 0).timestamp()
    os.utime(folder / UNDATED_NAME, (captured, captured))
    return files


def rows(con, sql: str, params=None) -> list[dict]:
    cursor = con.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def read_state(data_root: Path) -> dict:
    """Everything the tests look at, read once (the connection is closed before any next run)."""
    con = duckdb.connect(str(data_root / "warehouse.duckdb"), read_only=True)
    try:
        state = {
            "snapshots": rows(con, """
                select snapshot_id, snapshot_date, source_kind, path, original_name, sha256,
                       n_entries, n_loaded, n_quarantined, status, reason, listing_kind, problems
                from raw.snapshots order by snapshot_id"""),
            "observations": rows(con, """
                select snapshot_id, position, arxiv_id, title, n_authors, organization,
                       organization_name, published_on, upvotes, comments, complete, problems
                from raw.paper_observations order by snapshot_id, position"""),
            "quarantine": rows(con, """
                select snapshot_id, position, raw_text, reasons, title, arxiv_id
                from raw.quarantine order by snapshot_id, position"""),
            "accounted": rows(con, """
                select s.snapshot_id, s.n_entries, s.n_loaded, s.n_quarantined,
                       (select count(*) from raw.paper_observations o where o.snapshot_id = s.snapshot_id) as observed,
                       (select count(*) from raw.quarantine q where q.snapshot_id = s.snapshot_id) as held
                from raw.snapshots s order by s.snapshot_id"""),
        }
    finally:
        con.close()
    archive = data_root / "archive"
    state["archive"] = {str(p.relative_to(archive)): sha256(p.read_bytes())
                        for p in sorted(archive.rglob("*")) if p.is_file()}
    state["landing"] = sorted(p.name for p in (data_root / "landing").iterdir())
    return state
