"""What `papertrends fetch` shows while it works: a progress line with an estimate, retry waits.

On a terminal the progress line is rewritten in place; elsewhere (a log file, a pipe) each day
gets a line of its own, so the record of a long backfill says what happened when.
"""

from __future__ import annotations

import sys
import time
from datetime import date
from typing import TextIO


def duration(seconds: float) -> str:
    """`45 s`, `12 min`, `2 h 05 min`."""
    seconds = max(0, round(seconds))
    if seconds < 90:
        return f"{seconds} s"
    minutes = round(seconds / 60)
    if minutes < 90:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


class FetchProgress:
    def __init__(self, total: int, stream: TextIO = sys.stderr):
        self.total = total
        self.done = 0
        self.failed = 0
        self.stream = stream
        self.tty = stream.isatty()
        self.started = time.monotonic()
        self._open_line = False

    def day_done(self, day: date, outcome: str, ok: bool) -> None:
        """One more day finished (`outcome`: `42 papers`, or why it failed)."""
        self.done += 1
        self.failed += not ok
        bar = "#" * (20 * self.done // self.total)
        failed = f", {self.failed} failed" if self.failed else ""
        text = (f"  fetch [{bar:<20}] {self.done}/{self.total} {day} {outcome}{failed}"
                f"{self._estimate()}")
        if self.tty:
            self.stream.write("\r\033[K" + text[:200])
            self._open_line = self.done < self.total
            if not self._open_line:
                self.stream.write("\n")
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    def note(self, text: str) -> None:
        """A line of its own (a retry wait, a batch being ingested), under the progress line."""
        if self._open_line:
            self.stream.write("\n")
            self._open_line = False
        self.stream.write(f"  {text}\n")
        self.stream.flush()

    def retry(self, day: date, attempt: int, wait: float, problem: str) -> None:
        """Called by the API client before it waits to try a request again."""
        self.note(f"{day}: {problem}; attempt {attempt} in {wait:.0f} s")

    def _estimate(self) -> str:
        left = self.total - self.done
        if not left:
            return f" (took {duration(time.monotonic() - self.started)})"
        per_day = (time.monotonic() - self.started) / self.done
        return f" (~{duration(per_day * left)} left)"
