"""Files on disk: putting snapshots into landing/, and moving them from landing/ to archive/.

A file's snapshot date comes from its name (`YYYY-MM-DD...`), else, for API JSON, the listing
day its papers carry, else, for a page capture, the date it states for itself
(transforms/capture_formats.capture_day: its page URL's day, its header "Mon D" read against
the capture time it states or the file's modification time), else the modification time. The archive keeps
every file byte for byte under `archive/YYYY-MM/YYYY-MM-DD__<sha12>__<name>`.
"""

from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import NamedTuple

from orchestration.storage.arrivals import ArrivalLog
from orchestration.storage.input_paths import InputError, collect, link_refusal, readable
from orchestration.storage.settings import DEFAULT_FIRST_DAY, FIRST_DAY, DataDir
from orchestration.storage.unfinished import download_in_progress, growing, still_written
from transforms.api_parser import listing_items, paper_of
from transforms.capture_formats import stated_capture_day
from transforms.decoding import decode_snapshot
from transforms.errors import SnapshotError
from transforms.snapshot_files import (
    NoCalendarDay,
    archive_name,
    date_from_name,
    date_in_given_name,
    safe_name,
    sha256_hex,
)


class LandingError(ValueError):
    """A path the user gave cannot be landed; the message says why."""


class LandedFile(NamedTuple):
    path: Path      # in landing/
    source: Path    # where it was copied from
    day: date       # its snapshot date (the date its landed name starts with)
    sha256: str = ""   # of its bytes (hex): its raw.snapshots row has it


class Landing(NamedTuple):
    landed: list[LandedFile]
    refused: list[str]   # "<path>: <why>", not ingested: links, unreadable, dated out of range
    skipped: list[str]   # "<path>: <why>", left alone: hidden entries, pipes, sockets, devices
    undated: list[str]   # "<path>: dated ...": landed, dated by their modification time


def land_files(
    paths: list[Path], data: DataDir, snapshot_date: date | None = None,
    on_landed: Callable[[LandedFile], None] | None = None,
) -> tuple[list[LandedFile], list[str]]:
    """land(), without the skipped entries: (landed files, refusals)."""
    landing = land(paths, data, snapshot_date, on_landed)
    return landing.landed, landing.refused


def own_state(path: Path, data: DataDir) -> None:
    """Refuse the data dir, or a path in it other than landing/, and the archive wherever it
    is (PAPERTRENDS_ARCHIVE_DIR): the archive, warehouse, reports and Dagster files are
    papertrends' own state, not snapshots (ingesting them would archive them for good)."""
    try:
        where = path.resolve()
        inside = (where.is_relative_to(data.root.resolve()) or where.is_relative_to(data.archive.resolve()))
        in_landing = where.is_relative_to(data.landing.resolve())
    except OSError:
        return
    if inside and not in_landing:
        raise LandingError(f"{readable(str(path))} is in the data dir ({data.root}), whose files are "
                           "papertrends' own state, not snapshots; ingest captures from another "
                           f"folder, or put them into {data.landing}")


def land(
    paths: list[Path], data: DataDir, snapshot_date: date | None = None,
    on_landed: Callable[[LandedFile], None] | None = None,
) -> Landing:
    """Copy files (or every file of a folder) into landing/, keeping their bytes and their
    modification times.

    Each landed name starts with the snapshot date (`snapshot_date` when given, else the date
    worked out from the source file, its modification time included), so the date survives the
    copy: `YYYY-MM-DD~<name>` when the name did not start with it. Links are not followed and
    hidden entries are skipped (orchestration/storage/input_paths.py); a file dated outside the tracked
    window, or still being written (orchestration/storage/unfinished.py), is refused with a
    message and not landed; two sources with one name are both kept.
    Each landed file's name as given and its source path are recorded (orchestration/storage/arrivals.py).
    `on_landed` is called with each file as soon as it is landed.
    """
    for path in paths:
        own_state(Path(path), data)
    try:
        inputs = collect(paths, own=(data.root, data.archive))
    except InputError as exc:
        raise LandingError(str(exc)) from None
    landed, refused, undated, arrivals = [], list(inputs.refused), [], ArrivalLog(data)
    unfinished = growing(inputs.files)   # (a copy into the folder still running)
    for source in inputs.files:
        if source in unfinished:
            refused.append(f"{readable(str(source))}: still being written ({unfinished[source]}); "
                           "ingest it again once it is complete")
            continue
        try:
            day, by_modification = (snapshot_date, False) if snapshot_date else dated(source)
            content, times = source.read_bytes(), source.stat()
        except OSError as exc:
            refused.append(f"{readable(str(source))}: cannot be read ({exc.strerror})")
            continue
        except NoCalendarDay as exc:
            refused.append(f"{readable(str(source))}: {exc}; rename it YYYY-MM-DD_... or pass --snapshot-date")
            continue
        problem = date_outside_window(day)
        if problem:
            refused.append(f"{readable(str(source))}: {problem}; {outside_window_fix(day, bool(snapshot_date))}")
            continue
        name = safe_name(source.name)
        if date_from_name(name) != day:
            name = f"{day.isoformat()}~{name}"
        target, digest = data.landing / name, sha256_hex(content)
        if target.exists() and target.read_bytes() != content:
            target = data.landing / f"{day.isoformat()}~{digest[:8]}~{safe_name(source.name)}"
        temporary = target.with_name(f".{target.name}.part")
        try:
            data.made(data.landing)   # (a first file: made on first use)
            temporary.write_bytes(content)
            # its modification time too: the time of the capture as far as the file shows (it
            # orders two snapshots of one day, raw.snapshots.file_modified_at)
            os.utime(temporary, ns=(times.st_atime_ns, times.st_mtime_ns))
        except BaseException:   # (a full disk): no half-written file left behind
            temporary.unlink(missing_ok=True)
            raise
        os.replace(temporary, target)
        arrivals.record(archive_name(day, digest, target.name), source.name, source,
                        datetime.now(UTC).replace(tzinfo=None))
        landed.append(LandedFile(target, source, day, digest))
        if by_modification and content.strip():   # (an empty file is unreadable whatever its day)
            undated.append(modification_day_note(source, day))
        if on_landed is not None:
            on_landed(landed[-1])
    return Landing(landed, refused, inputs.skipped, undated)


def date_outside_window(day: date) -> str | None:
    """Why a snapshot date cannot be ingested, or None: partitions run from FIRST_DAY to today."""
    if day < date.fromisoformat(FIRST_DAY):
        if date.fromisoformat(FIRST_DAY) > date.today():
            return (f"PAPERTRENDS_FIRST_DAY is {FIRST_DAY}, a day in the future, so no snapshot "
                    "can be ingested (default: 2023-05-01, the month Daily Papers began)")
        return (f"snapshot date {day} is before {FIRST_DAY}, the first day papertrends tracks "
                "(PAPERTRENDS_FIRST_DAY; default: 2023-05-01, the month Daily Papers began)")
    if day > date.today() + timedelta(days=1):
        return f"snapshot date {day} is in the future (after today, {date.today()})"
    return None


def outside_window_fix(day: date, given: bool) -> str:
    """What to do about a snapshot date date_outside_window refuses (`given`: by --snapshot-date):
    a date in the future or before Daily Papers began (2023-05) is wrong; one before a later
    PAPERTRENDS_FIRST_DAY may be right, and the setting is the fix."""
    wrong = "pass the day it was captured to --snapshot-date" if given else \
        "rename it YYYY-MM-DD_... or pass --snapshot-date"
    first = date.fromisoformat(FIRST_DAY)
    if day > date.today() or day < date.fromisoformat(DEFAULT_FIRST_DAY):   # (Daily Papers began)
        return wrong
    if first > date.today():
        return "set PAPERTRENDS_FIRST_DAY to a past day"
    return f"if the page is that old, set PAPERTRENDS_FIRST_DAY to {day} or earlier; if the date is wrong, {wrong}"


def waiting_files(data: DataDir) -> list[tuple[Path, date]]:
    """Files in landing/ with the snapshot date each one will be archived under (not links:
    links_in_landing)."""
    return [(path, day) for path, day, _ in waiting_files_dated(data)]


def waiting_files_dated(data: DataDir) -> list[tuple[Path, date, bool]]:
    """waiting_files, each with whether its date is its modification day (`dated`)."""
    return [(path, *dated(path, strict=False)) for path, why in _landing_files(data) if why is None]


def _landing_files(data: DataDir) -> list[tuple[Path, str | None]]:
    """Each file in landing/ (not hidden, not a link), with why it is a download in progress
    (None when it is not: orchestration/storage/unfinished.py)."""
    files = sorted(p for p in data.landing.iterdir()
                   if p.is_file() and not p.is_symlink() and not p.name.startswith("."))
    names = {p.name for p in files}
    return [(p, download_in_progress(p, names)) for p in files]


def downloads_in_landing(data: DataDir) -> list[str]:
    """Why each download in progress in landing/ stays there."""
    return [f"{p.name}: {why}; left in landing/ until the download is done and renamed"
            for p, why in _landing_files(data) if why is not None]


def links_in_landing(data: DataDir) -> list[str]:
    """Why each symbolic link in landing/ stays there: links are not followed."""
    return [link_refusal(p) for p in sorted(data.landing.iterdir()) if p.is_symlink()]


def snapshot_date_of(path: Path, strict: bool = True) -> date:
    """The day a source file is a snapshot of: the date its name starts with (year first:
    2025-12-10, 20251210, 2025_12_10), else the listing day of API JSON, else the day a capture
    states (transforms/capture_formats.py, `capture_day`), else its modification day. Raises
    NoCalendarDay for a name that starts with a date that is no day, unless not `strict` (a
    file already in landing/: then the name's date is passed over)."""
    return dated(path, strict)[0]


def dated(path: Path, strict: bool = True) -> tuple[date, bool]:
    """(snapshot_date_of(path, strict), whether that is its modification day because neither
    its name nor its content states a day)."""
    try:
        named = date_in_given_name(path.name)
    except NoCalendarDay:
        if strict:
            raise
        named = None
    if named:
        return named, False
    listed = _listing_day_of_json(path)
    if listed:
        return listed, False
    modified = datetime.fromtimestamp(path.stat().st_mtime).date()
    if path.name.lower().endswith(".json"):
        return modified, True
    try:
        text, _ = decode_snapshot(path.read_bytes())
    except SnapshotError:
        return modified, True
    stated = stated_capture_day(text, modified)
    return stated or modified, stated is None


def modification_day_note(path: Path, day: date,
                          fix: str = "rename it YYYY-MM-DD_... or pass --snapshot-date") -> str:
    """What a user is told about a file dated by its modification time."""
    return (f"{readable(str(path))}: dated {day.isoformat()}, the day it was last modified: neither its "
            f"name nor its content states the day; if that is not the listing's day, {fix}")


def _listing_day_of_json(path: Path) -> date | None:
    if not path.name.lower().endswith(".json"):
        return None
    try:
        items = listing_items(json.loads(path.read_bytes()))
        # (an item is {"paper": {...}, ...}, or the paper object itself, as the parser reads it)
        days = Counter(str(paper_of(item)["submittedOnDailyAt"])[:10] for item in items)
        return date.fromisoformat(days.most_common(1)[0][0])
    except (ValueError, TypeError, KeyError, IndexError, UnicodeDecodeError,
            RecursionError, MemoryError):   # (JSON nested too deep, or too large)
        return None


def archive_waiting(data: DataDir, start: date, end: date, left: list[str] | None = None,
                    undated: list[str] | None = None) -> list[str]:
    """Move landing files dated in [start, end) into the archive; return their archive paths.
    A file another program is still writing stays, with the reason added to `left`
    (orchestration/storage/unfinished.py); a file archived under its modification day, because
    neither its name nor its content states one, is named in `undated` (modification_day_note)."""
    moved, arrivals = [], ArrivalLog(data)
    for path, day, by_modification in waiting_files_dated(data):
        if not start <= day < end:
            continue
        content = path.read_bytes()
        relative = archive_name(day, sha256_hex(content), path.name)
        landed_by_us = arrivals.has(relative)   # written aside and renamed: whole
        growing = None if landed_by_us else still_written(path)
        if growing:
            if left is not None:
                left.append(growing)
            continue
        if not landed_by_us:   # put into landing/ by hand: its name as it was there
            arrivals.record(relative, path.name, path, datetime.now(UTC).replace(tzinfo=None))
        target = data.archive / relative
        if target.exists():  # the same bytes for the same day are already archived
            path.unlink()
        else:  # a rename within the data dir: atomic, no copy, keeps the bytes and the mtime
            target.parent.mkdir(parents=True, exist_ok=True)
            _move(path, target)
        moved.append(relative)
        if by_modification and undated is not None and content.strip():   # (not an empty file: unreadable)
            undated.append(modification_day_note(
                Path(path.name), day, f"move archive/{relative} to landing/ renamed with the day in front "
                "(YYYY-MM-DD_...); name files put into landing/ that way"))
    return moved


def _move(source: Path, target: Path) -> None:
    try:
        os.replace(source, target)
    except OSError:  # landing/ on another file system than archive/: copy aside, then rename
        temporary = target.with_name(f".{target.name}.part")
        try:
            shutil.copy2(source, temporary)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        os.replace(temporary, target)
        source.unlink()


def archived_files(data: DataDir, start: date, end: date) -> list[tuple[str, date]]:
    """Archive paths (relative to archive/) of every file dated in [start, end), with the date."""
    found = []
    for month_dir in sorted(p for p in data.archive.iterdir() if p.is_dir()):
        for path in sorted(month_dir.iterdir()):
            day = date_from_name(path.name)
            if path.is_file() and day and start <= day < end:
                found.append((f"{month_dir.name}/{path.name}", day))
    return found


def stored_name(archive_path: str) -> str:
    """The file's name as stored (made safe; the original is in orchestration/storage/arrivals.py):
    what follows the date and hash parts.

    Landing adds `YYYY-MM-DD~` (a date the name lacked) and `<sha8>~` (a name clash); `~`
    never occurs in a safe name, so everything up to the last `~` is ours."""
    return archive_path.split("__", 2)[-1].rsplit("~", 1)[-1]
