"""Where each archived file came from: every name and place its bytes arrived under.

Landing appends one JSON line per landed file to `<data dir>/arrivals/YYYY-MM.jsonl` (the month
of its snapshot date): the archive path the file gets, its name as given (verbatim, any
Unicode), the path it was copied from, and when. A name and place already recorded for that
archive path is not recorded again, so ingesting the same files twice changes nothing. The
parse step reads the lines of its files: they become raw.snapshots.original_name and the rows
of raw.snapshot_sources. A file put into landing/ by hand (or by `fetch`) is recorded when it
is archived: its name in landing/ as it was, verbatim, that place as its source, and the time
it was archived (UTC). One archived by an older papertrends has no line: its stored name stands for
its original name, with no source path or landing time.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

from orchestration.storage.input_paths import readable
from orchestration.storage.settings import DataDir

SOURCE_FIELDS = ("original_name", "source_path", "landed_at", "archive_path")


def folder(data: DataDir) -> Path:
    return data.root / "arrivals"


class ArrivalLog:
    """Appends the arrivals of one landing (one process) to the month files."""

    def __init__(self, data: DataDir):
        self.folder = folder(data)
        self._known: dict[str, set[tuple]] = {}   # month -> (archive path, name, source) recorded

    def _month(self, archive_path: str) -> set[tuple]:
        month = archive_path[:7]
        known = self._known.get(month)
        if known is None:
            known = self._known[month] = {_key(line) for line in _read_month(self.folder, month)}
        return known

    def has(self, archive_path: str) -> bool:
        """Whether any arrival of this archive path is recorded."""
        return any(key[0] == archive_path for key in self._month(archive_path))

    def record(self, archive_path: str, original_name: str, source: Path, landed_at: datetime) -> None:
        month = archive_path[:7]
        known = self._month(archive_path)
        line = {"archive_path": archive_path, "original_name": readable(original_name),
                "source_path": readable(os.path.abspath(source)),
                "landed_at": landed_at.isoformat(timespec="seconds")}
        if _key(line) in known:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.folder / f"{month}.jsonl", "a", encoding="utf-8") as log:
            log.write(json.dumps(line, ensure_ascii=False) + "\n")   # one write: appends do not interleave
        known.add(_key(line))


def _key(line: dict) -> tuple:
    return line.get("archive_path"), line.get("original_name"), line.get("source_path")


def _read_month(where: Path, month: str) -> list[dict]:
    """The lines of one month file; a line cut short by a crash (or edited into nonsense) is
    left out."""
    try:
        text = (where / f"{month}.jsonl").read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return []
    lines = []
    for raw in text.splitlines():
        try:
            line = json.loads(raw)
        except ValueError:
            continue
        if isinstance(line, dict) and isinstance(line.get("archive_path"), str) \
                and isinstance(line.get("original_name"), str):
            lines.append(line)
    return lines


def sources_of(data: DataDir, archive_paths: list[str],
               stored_names: dict[str, str]) -> dict[str, list[dict]]:
    """For each archive path (relative to archive/): its arrivals, first landed first, each a dict
    of SOURCE_FIELDS; a file without any gets one with its stored name and nothing else."""
    wanted = set(archive_paths)
    found: dict[str, list[dict]] = {path: [] for path in archive_paths}
    for month in sorted({path[:7] for path in archive_paths}):
        for line in _read_month(folder(data), month):
            path = line["archive_path"]
            if path in wanted and _key(line) not in {_key(seen) for seen in found[path]}:
                found[path].append(line)
    return {path: sorted((_source(line) for line in lines), key=_landing_order)
            or [{"original_name": stored_names[path], "source_path": None, "landed_at": None,
                 "archive_path": path}]
            for path, lines in found.items()}


def _source(line: dict) -> dict:
    try:
        landed_at = datetime.fromisoformat(line.get("landed_at"))
    except (TypeError, ValueError):
        landed_at = None
    source = line.get("source_path")
    return {"original_name": line["original_name"], "landed_at": landed_at,
            "source_path": source if isinstance(source, str) else None,
            "archive_path": line["archive_path"]}


def _landing_order(source: dict) -> tuple:
    return source["landed_at"] is None, source["landed_at"] or datetime.min
