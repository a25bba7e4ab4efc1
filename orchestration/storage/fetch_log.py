"""What `papertrends fetch` has fetched: `fetch-log.tsv` in the data dir, one line per attempt.

Columns: `day`, `fetched_at` (UTC, ISO), `status` (`ok` or `failed`), `items` (papers in the
answer), `detail` (the reason a day failed). The file is only appended to, a line at a time, so
a fetch that is stopped mid-way keeps the record of every day it finished; the last line of a
day is its state.

A day is *done*, and not asked for again, when it was fetched after it had ended (UTC): the
list of a day that was still today may still grow. An empty answer for a weekday is done only
when it came three or more days after the day: an API that had not caught up yet answers `[]`
for a day whose papers arrive later, and the day must not be skipped for good. Days fetched
before this log existed count too when their answer is in landing/ or the archive under the
name fetch gives it (`YYYY-MM-DD.json`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from orchestration.storage.settings import DataDir

LOG_NAME = "fetch-log.tsv"
EMPTY_SETTLES_AFTER = 3   # days after which an empty answer for a weekday is taken as final
HEADER = "day\tfetched_at\tstatus\titems\tdetail\n"


@dataclass(frozen=True)
class LogLine:
    day: date
    fetched_at: datetime
    status: str
    items: int
    detail: str


class FetchLog:
    def __init__(self, data: DataDir):
        self.data = data
        self.path = data.root / LOG_NAME

    def record(self, day: date, status: str, items: int = 0, detail: str = "") -> None:
        """Append one line (tabs and newlines in `detail` become spaces)."""
        now = datetime.now(UTC).replace(microsecond=0).isoformat()
        detail = " ".join(detail.split())
        new = not self.path.exists() or self.path.stat().st_size == 0
        with open(self.path, "a", encoding="utf-8") as handle:
            if new:
                handle.write(HEADER)
            handle.write(f"{day.isoformat()}\t{now}\t{status}\t{items}\t{detail}\n")
            handle.flush()

    def lines(self) -> list[LogLine]:
        """Every readable line, oldest first (a line cut short by a crash is ignored)."""
        if not self.path.exists():
            return []
        found = []
        for text in self.path.read_text(encoding="utf-8", errors="replace").splitlines()[1:]:
            fields = text.split("\t")
            if len(fields) != 5:
                continue
            try:
                found.append(LogLine(date.fromisoformat(fields[0]),
                                     datetime.fromisoformat(fields[1]), fields[2],
                                     int(fields[3]), fields[4]))
            except ValueError:
                continue
        return found

    def done_days(self) -> set[date]:
        """Days that need no fetching again (see the module docstring)."""
        latest: dict[date, LogLine] = {}
        for line in self.lines():
            latest[line.day] = line
        done = {day for day, line in latest.items()
                if line.status == "ok" and settled(day, line.fetched_at.date(), line.items)}
        return done | _fetched_files(self.data)


def settled(day: date, fetched_on: date, items: int) -> bool:
    """Whether an answer for `day` fetched on `fetched_on` is the day's whole list: fetched after
    the day ended, and not empty, unless the day is a Saturday or Sunday (the site lists no
    papers then) or the answer came EMPTY_SETTLES_AFTER days or more after the day. An empty
    weekday fetched sooner (the API not caught up yet) is asked for again."""
    if fetched_on <= day:
        return False
    return items > 0 or day.weekday() >= 5 or (fetched_on - day).days >= EMPTY_SETTLES_AFTER


def _fetched_files(data: DataDir) -> set[date]:
    """Days whose answer fetch saved under `YYYY-MM-DD.json`, in landing/ or the archive, that
    ended before the file was written (its modification time)."""
    found = set()
    candidates = list(data.landing.glob("*.json")) if data.landing.is_dir() else []
    if data.archive.is_dir():
        candidates += data.archive.glob("*/*.json")
    for path in candidates:
        name = path.name.split("__")[-1]   # archive names end in `__<the landed name>`
        try:
            day = date.fromisoformat(Path(name).stem)
        except ValueError:
            continue
        stat = path.stat()
        written = datetime.fromtimestamp(stat.st_mtime, UTC).date()
        empty = stat.st_size < 16 and path.read_bytes().strip() == b"[]"
        if settled(day, written, 0 if empty else 1):
            found.add(day)
    return found
