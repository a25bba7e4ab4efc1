"""The daily run's fetch: the listing days it is missing, into landing/, for the run to ingest.

The schedule passes the tick's day (`today`); this fetches every day that `fetch-log.tsv` does
not hold as done, from the catch-up range (orchestration/fetch/days.py: the last 30 days, or from
the day after the newest one fetched) up to `today`. The schedule's run covers the months of
those days (orchestration/defs/jobs.py, first_day_to_fetch), so its archive step takes what
this lands. It never stops the run: an unreachable API or a day that keeps failing is reported (the
asset's metadata and a warning in the run's log), the run ingests what is there, and the next
tick asks for the missing days again.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date

from orchestration.fetch.api_client import BASE_URL_ENV, base_url_from_env, url_problem
from orchestration.fetch.days import (
    FetchOptions,
    FetchOutcome,
    catch_up_range,
    days_between,
    fetch_days,
    unreachable,
)
from orchestration.storage.fetch_log import FetchLog
from orchestration.storage.settings import FIRST_DAY, DataDir

# A run waits for the API less than the command does: the next tick tries again.
RUN_OPTIONS = FetchOptions(timeout=20.0, retries=3, interval=0.5)


@dataclass
class RunFetch:
    asked: list[date] = field(default_factory=list)     # days the run tried to fetch
    fetched: list[date] = field(default_factory=list)
    failed: dict[date, str] = field(default_factory=dict)
    offline: str | None = None                          # why the API could not be used

    def metadata(self) -> dict[str, str]:
        if not self.asked:
            return {"fetched": "no (every listing day up to today was fetched before)"}
        out = {"fetched": f"{len(self.fetched)} of {len(self.asked)} listing day(s)"
                          + (f": {self.fetched[0]} .. {self.fetched[-1]}" if self.fetched else "")}
        if self.offline:
            out["fetched"] = f"no (offline: {self.offline})"
        if self.failed:
            out["failed days"] = "; ".join(f"{day}: {why}" for day, why in sorted(self.failed.items()))
        return out

    def problems(self) -> list[str]:
        """Lines for the run's log: what the next tick will try again."""
        lines = [f"the API could not be used ({self.offline}); the next run asks for "
                 f"{len(self.asked)} missing day(s) again"] if self.offline else []
        lines += [f"{day} could not be fetched ({why}); the next run asks for it again"
                  for day, why in sorted(self.failed.items())]
        return lines


def fetch_for_run(data: DataDir, today: date, options: FetchOptions = RUN_OPTIONS) -> RunFetch:
    """Fetch the missing listing days of the catch-up range up to `today` into landing/ (none
    before the first day papertrends tracks)."""
    log = FetchLog(data)
    done = log.done_days()
    first, last = catch_up_range(today, done)
    first = max(first, date.fromisoformat(FIRST_DAY))
    result = RunFetch(asked=[day for day in days_between(first, last)
                             if day not in done] if first <= last else [])
    if not result.asked:
        return result
    base_url = base_url_from_env()
    problem = url_problem(base_url) or unreachable(base_url)
    if problem:
        result.offline = problem if problem.startswith(BASE_URL_ENV) else f"{base_url} {problem}"
        return result
    outcome = FetchOutcome()
    fetch_days(data, log, result.asked, options, base_url, outcome, io.StringIO())
    result.failed = dict(outcome.failures)
    tried = result.asked[:outcome.fetched + len(outcome.failures)]
    result.fetched = [day for day in tried if day not in outcome.failures]
    if outcome.lost:
        result.offline = outcome.lost
    return result
