"""Files in landing/ that may still be being written: left there for a later run.

A run archives every file waiting in landing/ (orchestration/storage/landing.py). A file that
another program is still writing would be archived half-written: a capture cut short loses its
last papers, API JSON cut short fails. papertrends' own writers (`papertrends ingest`, `fetch`)
write aside and rename, so landing/ never holds half of their files; other writers are told
apart in two ways:

- **By name.** A download in progress carries a temporary name (`.part`, `.crdownload`,
  `.download`, `.partial`, `.tmp`, `.temp`, or a trailing `~`), and Firefox puts an empty
  placeholder under the final name beside its `NAME.part`. Both are left until the download
  is done and renamed.
- **By change.** A file modified less than SETTLE_SECONDS ago, which papertrends did not land
  itself, is looked at again once it is that old: if its size or modification time moved, a
  program is still writing it (`cp`, `scp`, `curl -o` write under the final name).

A file left in landing/ is named in the run's log and taken by the next run, or by the landing
sensor a minute later. A writer that pauses longer than SETTLE_SECONDS in the middle of a file
cannot be told from one that is done: copy into landing/ by writing aside and renaming (as
rsync does), or give the folder to `papertrends ingest`.

`papertrends ingest FOLDER` watches the folder's files the same way before it copies them: one
still being written is refused with a message and stays where it is, to be ingested again once
it is complete.
"""

from __future__ import annotations

import time
from pathlib import Path

DOWNLOAD_SUFFIXES = (".part", ".partial", ".crdownload", ".download", ".tmp", ".temp", "~")
PLACEHOLDER_OF = (".part", ".crdownload", ".download")   # a browser's temporary file beside the final name
SETTLE_SECONDS = 2.0


def download_in_progress(path: Path, names: set[str]) -> str | None:
    """Why `path` (in a folder holding `names`) is a download not finished yet, or None."""
    lower = path.name.lower()
    for suffix in DOWNLOAD_SUFFIXES:
        if lower.endswith(suffix):
            return f"a download in progress (its name ends in {suffix!r})"
    for suffix in PLACEHOLDER_OF:
        if path.name + suffix in names:
            return f"the placeholder of a download in progress ({path.name}{suffix} beside it)"
    return None


def still_written(path: Path) -> str | None:
    """Why `path` is still being written (its size or modification time moved while it was
    watched), or None. Watches only a file modified less than SETTLE_SECONDS ago, until it is
    that old."""
    growth = growing([path]).get(path)
    return growth and f"{path.name}: still being written ({growth}); left in landing/ for the next run"


def growing(paths: list[Path]) -> dict[Path, str]:
    """The files of `paths` still being written, each with how it changed. Those modified less
    than SETTLE_SECONDS ago are watched together, until the newest of them is that old (one
    wait for a whole folder, at most SETTLE_SECONDS); a file that cannot be looked at is left
    to its reader."""
    now, before = time.time(), {}
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            continue
        if 0 <= now - stat.st_mtime < SETTLE_SECONDS:
            before[path] = stat
    if not before:
        return {}
    waited = SETTLE_SECONDS - (now - max(stat.st_mtime for stat in before.values()))
    time.sleep(waited)
    changed = {}
    for path, stat in before.items():
        try:
            after = path.stat()
        except OSError:
            continue
        if (after.st_size, after.st_mtime_ns) != (stat.st_size, stat.st_mtime_ns):
            changed[path] = f"it grew from {stat.st_size:,} to {after.st_size:,} bytes in {waited:.1f} s"
    return changed
