"""One snapshot file (bytes + its date) -> snapshot facts and its observations frame.

This is the single entry point the pipeline and `papertrends parse` use. It never raises for bad
input: a file that cannot be read becomes a `ParsedSnapshot` with status 'failed' and a reason,
whatever went wrong while reading it (a decoder's or parser's exception, JSON nested deeper than
Python can follow, a file too large for memory), and the other files of its batch are read as
if it were not there.
A capture whose entries are mostly not cards of a papers listing, or that shows nothing of the
site, gets status 'suspect' and a reason.
"""

from __future__ import annotations

import gc
import re
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

import polars as pl

from transforms.api_parser import parse_api_json
from transforms.capture_dates import calendar_date
from transforms.capture_formats import capture_format, parse_any_capture
from transforms.capture_period_pages import period_page
from transforms.decoding import decode_snapshot
from transforms.errors import SnapshotError
from transforms.observations import batch_frame
from transforms.snapshot_files import sha256_hex, snapshot_id_for, source_kind_of
from transforms.suspect_snapshots import foreign_reason, suspect_reason, unlike_research_reason

DAILY_WINDOW_DAYS = 21  # papers are listed within ~14 days of arXiv v1; a little slack
HEADER_AHEAD_DAYS = 7   # a page header's day this close after the snapshot date: a wrong date


@dataclass
class ParsedSnapshot:
    snapshot_id: str
    snapshot_date: date
    source_kind: str
    path: str
    sha256: str
    status: str = "parsed"                 # parsed | suspect (transforms/suspect_snapshots.py) | failed
    reason: str | None = None              # why it failed or is suspect, for people
    listing_kind: str | None = None        # daily | search (papers far older than the window)
    listing_day: date | None = None        # the Daily Papers day the listing shows
    problems: list[str] = field(default_factory=list)
    observations: pl.DataFrame | None = None  # None from read_snapshots: one frame for all
    entry_count: int = 0

    @property
    def n_entries(self) -> int:
        return self.entry_count if self.observations is None else self.observations.height


def read_snapshot(data: bytes, snapshot_date: date, path: str) -> ParsedSnapshot:
    snaps, frame = read_snapshots([(data, snapshot_date, path)])
    snap = snaps[0]
    if snap.status != "failed":
        snap.observations = frame
    return snap


def read_snapshots(files: list[tuple[bytes, date, str]]) -> tuple[list[ParsedSnapshot], pl.DataFrame]:
    """Several files (bytes, date, path) -> their snapshots and ONE frame of all their observations.

    The frame is what concatenating each `read_snapshot(...).observations` would give; the
    snapshots' `observations` stay None (their `n_entries` is set), so build one frame a batch."""
    snaps, parts = [], []
    with _collector_paused():
        for data, snapshot_date, path in files:
            snap, entries = _read_entries(data, snapshot_date, path)
            snaps.append(snap)
            if entries is not None:
                parts.append((entries, snap.snapshot_id, snapshot_date, snap.source_kind))
        try:
            return snaps, _frame(parts)
        except Exception:  # noqa: BLE001 - one file's values; found and failed below
            return snaps, _frame_file_by_file(snaps, parts)


def _frame(parts: list[tuple[list[dict], str, date, str]]) -> pl.DataFrame:
    # the capture parser writes every value with its column's type; JSON may hold anything
    typed = all(part[3] == "capture" for part in parts)
    return batch_frame(parts, typed=typed)


def _frame_file_by_file(snaps: list[ParsedSnapshot], parts: list) -> pl.DataFrame:
    """The batch's frame when building it in one go failed: each file's entries on their own;
    a file whose entries cannot become a frame is failed, with the reason."""
    by_id = {snap.snapshot_id: snap for snap in snaps if snap.status == "parsed"}
    frames = []
    for part in parts:
        try:
            frames.append(_frame([part]))
        except Exception as exc:  # noqa: BLE001 - see unreadable_reason
            snap = by_id[part[1]]
            snap.status, snap.reason, snap.entry_count = "failed", unreadable_reason(exc), 0
    return pl.concat(frames) if frames else batch_frame([])


@contextmanager
def _collector_paused():
    """Python's cyclic garbage collector off while a batch is read. The parsers make many small
    dicts and lists that live until the batch's frame is built; none is part of a reference
    cycle, so reference counting frees them all, and the collector only rescanned them (~15% of
    reading a batch of 64 captures)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _read_entries(data: bytes, snapshot_date: date, path: str) -> tuple[ParsedSnapshot, list[dict] | None]:
    sha = sha256_hex(data)
    kind = source_kind_of(data, path)
    snap = ParsedSnapshot(snapshot_id_for(snapshot_date, kind, sha), snapshot_date, kind, path, sha)
    try:
        return snap, _parse_entries(snap, data)
    except SnapshotError as exc:
        snap.status, snap.reason = "failed", str(exc)
    except Exception as exc:  # noqa: BLE001 - one file can only fail itself
        snap.status, snap.reason = "failed", unreadable_reason(exc)
    snap.problems, snap.listing_kind, snap.listing_day, snap.entry_count = [], None, None, 0
    return snap, None


def unreadable_reason(exc: Exception) -> str:
    """Why a file could not be read, for people, from an exception no parser meant to raise."""
    if isinstance(exc, RecursionError):
        return "nested deeper than Python can follow (RecursionError): not a Daily Papers listing"
    if isinstance(exc, MemoryError):
        return "too large to read in this machine's memory (MemoryError)"
    detail = " ".join(str(exc).split())
    detail = detail if len(detail) <= 200 else detail[:197] + "..."
    return (f"could not be read ({type(exc).__name__}" + (f": {detail}" if detail else "")
            + "); report it with the file")


_VIEWS = {"week": "weekly", "month": "monthly"}   # (period_page's kinds, as the note names them)
# a wrapper around a page of a listing, saved by a tool that pages through it
_MORE_PAGES_RE = re.compile(r'"(?:hasMore|has_more|hasNextPage)"\s*:\s*true')


def _parse_entries(snap: ParsedSnapshot, data: bytes) -> list[dict]:
    snapshot_date, kind = snap.snapshot_date, snap.source_kind
    text, snap.problems = decode_snapshot(data)
    shown = text_read = None   # the day whose list a capture's page header shows; the text read
    if kind == "api":
        entries = parse_api_json(text)
        shown = _api_listing_day(entries, snapshot_date)
        if text.lstrip()[:1] == "{" and _MORE_PAGES_RE.search(text):   # (the API answers an array)
            snap.problems.append(
                "the answer says more pages follow ('hasMore': true): the file may hold part of the day's "
                f"list; to fetch the day whole: papertrends fetch --date {snapshot_date} --again")
    else:
        result = parse_any_capture(text, snapshot_date)
        entries, shown, text_read = result.entries, result.header_date, result.text_read
        snap.problems += result.problems
        if shown is not None and shown != snapshot_date:
            _check_header_day(entries, shown, snapshot_date)
    snap.entry_count = len(entries)
    if kind == "capture" and (reason := suspect_reason(entries) or foreign_reason(text, entries)
                              or unlike_research_reason(entries)) is not None:
        snap.status, snap.reason = "suspect", reason
    elif kind == "api" and (reason := unlike_research_reason(entries, "items")) is not None:
        snap.status, snap.reason = "suspect", reason   # (JSON in the API's shape around other text)
    snap.listing_kind = _listing_kind(entries, shown or snapshot_date)
    # (a capture whose header shows a day is that day's list, whatever it links to; a saved page
    # whose embedded items carry their listing days is read by them)
    if (kind == "capture" and shown is None and not any(entry.get("listed_on") for entry in entries)
            and (period := period_page(text, capture_format(text))
                 or (period_page(text_read, "markdown") if text_read else None)) is not None):
        snap.listing_kind = "search"   # (its papers' listing days are not shown)
        period_kind = period.split()[0]   # (not `kind`: the snapshot's kind is read below)
        view = f"{_VIEWS[period_kind]} view ({period})" if period_kind in _VIEWS else f"{period} view"
        snap.problems.append(
            f"a capture of the site's {view}, not a day's list: its cards do not "
            "show the day each paper was listed on, so they count in no daily trend (their upvotes and "
            "comments are kept); to count them, save each day's page (huggingface.co/papers/date/"
            "YYYY-MM-DD) or fetch the days: papertrends fetch --from YYYY-MM-DD --to YYYY-MM-DD")
    snap.listing_day = _listing_day(entries, shown or snapshot_date, kind, snap.listing_kind)
    if shown is not None and shown != snapshot_date:
        snap.problems.append(
            f"{'the page header shows' if kind == 'capture' else 'the papers are on'} the list of "
            f"{shown.isoformat()}, captured on the snapshot date "
            f"{snapshot_date.isoformat()}" + (f": its papers count as listed on {shown.isoformat()}"
                                              if snap.listing_day == shown else ""))
    if kind == "capture" and snap.listing_kind == "daily":
        for entry in entries:
            if entry.get("listed_on") is None:
                entry["listed_on"] = snap.listing_day
    return entries


def _check_header_day(entries: list[dict], shown: date, snapshot_date: date) -> None:
    """A header naming an earlier day is the day whose list the page shows, captured later. It
    cannot be when it names a day just after the snapshot date ("Dec 10" on a file named
    2025-12-09, which reads as 2024-12-10), or when most of the page's papers were published
    after the day it names: then the snapshot date given is wrong, and the file fails."""
    ahead = min((day for year in (snapshot_date.year, snapshot_date.year + 1)
                 if (day := calendar_date(year, shown.month, shown.day)) and day > snapshot_date),
                default=None)   # the first such day after the snapshot date ("Jan 2" after Dec 30)
    if ahead is not None and (ahead - snapshot_date).days <= HEADER_AHEAD_DAYS:
        why = f"{(ahead - snapshot_date).days} day(s) after the snapshot date {snapshot_date.isoformat()}"
    else:
        dated = [day for entry in entries if (day := entry.get("published_on")) is not None]
        if not dated or sum(day > shown for day in dated) * 2 <= len(dated):
            return
        why = (f"{shown.isoformat()} on or before the snapshot date {snapshot_date.isoformat()}, "
               "but most of its papers were published after that day")
    raise SnapshotError(
        f"the page header says '{shown:%b} {shown.day}', {why}: rename the file to "
        "YYYY-MM-DD_<anything> with the day the page was captured, or pass --snapshot-date YYYY-MM-DD")


def _api_listing_day(entries: list[dict], snapshot_date: date) -> date | None:
    """The day whose list API JSON holds: the day most of its papers were listed on (their
    submittedOnDailyAt), None when they carry none (a search result). A list of a day after the
    snapshot date cannot have been saved on it: the snapshot date is wrong, and the file fails."""
    days = Counter(d for e in entries if (d := e.get("listed_on")) is not None)
    if not days:
        return None
    day = days.most_common(1)[0][0]
    if (day - snapshot_date).days > 1:   # (a day's slack: the listing's time zone)
        raise SnapshotError(
            f"its papers are on the list of {day.isoformat()} (their submittedOnDailyAt), after the snapshot "
            f"date {snapshot_date.isoformat()}: rename the file to {day.isoformat()}.json (or YYYY-MM-DD_"
            "<anything> with the day it was saved), or pass --snapshot-date YYYY-MM-DD")
    return day


def _listing_kind(entries: list[dict], snapshot_date: date) -> str:
    """'daily' when most papers are recent enough to be on a daily list, else 'search'."""
    ages = [(snapshot_date - d).days for e in entries if (d := e.get("published_on")) is not None]
    if not ages:
        return "daily"
    recent = sum(0 <= age <= DAILY_WINDOW_DAYS for age in ages)
    return "daily" if recent * 2 >= len(ages) else "search"


def _listing_day(entries: list[dict], snapshot_date: date, kind: str, listing: str) -> date | None:
    if listing != "daily":
        return None
    days = Counter(d for e in entries if (d := e.get("listed_on")) is not None)
    if kind == "api" and days:
        return days.most_common(1)[0][0]
    return snapshot_date
