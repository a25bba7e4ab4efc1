"""Fetching listing days from the Daily Papers API into landing/, resumably: for `papertrends
fetch` (orchestration/cli/fetch.py) and for the daily run (orchestration/fetch/scheduled.py).

- Which days: `--date D`, `--from A [--to B]` (B defaults to today), or no date at all: catch
  up, i.e. the last 30 days on a first run, and from then on the days since the newest one
  fetched (and any of the last 30 still missing). Days already fetched (`fetch-log.tsv`, see
  orchestration/storage/fetch_log.py) are skipped, so a rerun fetches only what is missing.
- Offline first: a short probe (5 s to connect) decides whether the API can be used at all;
  if not, one line says so and how to load data otherwise, before any day is tried.
- Politely: requests start at least `interval` seconds apart; the client honours `Retry-After`
  on 429/503 and backs off on other transient failures (orchestration/fetch/api_client.py).
- A day that fails (timeout, truncated answer, server error) is logged and the range goes on;
  the failed days are listed with their reasons at the end and the command exits 1. After
  LOST_AFTER failed days in a row the API is probed again, and the range stops if it is gone.
- Every `batch_days` days the command ingests the fetched ones (one pipeline run), so a long
  backfill's first months are in the warehouse long before its end.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx

from orchestration.fetch.api_client import ENDPOINT, USER_AGENT, FetchError, fetch_day
from orchestration.fetch.progress import FetchProgress
from orchestration.storage.fetch_log import FetchLog, settled
from orchestration.storage.landing import date_outside_window, waiting_files
from orchestration.storage.settings import DataDir

CATCH_UP_DAYS = 30
CONNECT_TIMEOUT = 5.0              # seconds: longer than this to connect counts as offline
PROBE_WAIT = 8.0                   # seconds: the whole probe, name lookup included
LOST_AFTER = 5                     # failed days in a row after which the API is probed again


@dataclass(frozen=True)
class FetchOptions:
    first: date | None = None       # None: catch up
    last: date | None = None        # None: the same day as `first`
    timeout: float = 30.0           # seconds per request
    retries: int = 5                # attempts per request
    interval: float = 0.5           # seconds between the starts of two requests
    batch_days: int = 31            # ingest after this many days
    offline_ok: bool = False        # unreachable API: exit 0 (make run) instead of 1
    again: bool = False             # fetch days fetched (or archived as YYYY-MM-DD.json) before too
    rerun_hint: str = "papertrends fetch"


@dataclass
class FetchOutcome:
    fetched: int = 0                 # days fetched
    ingested: int = 0                # of those, days ingested
    failures: dict[date, str] = field(default_factory=dict)   # day -> why it failed
    lost: str | None = None          # why the range stopped early (the API went away)
    untried: int = 0                 # days not tried because of that


class FetchStopped(Exception):
    """Something that no later day can get past (a failed pipeline run, a full disk)."""


def utc_today() -> date:
    return datetime.now(UTC).date()


def catch_up_range(today: date, done: set[date]) -> tuple[date, date]:
    """The last 30 days, or from the day after the newest one fetched when that is older."""
    first = today - timedelta(days=CATCH_UP_DAYS - 1)
    if done:
        first = min(first, max(done) + timedelta(days=1))
    return first, today


def days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def unreachable(base_url: str, wait: float = PROBE_WAIT) -> str | None:
    """Why the API cannot be used, or None when it answers a JSON list (or asks us to slow down).

    One request for the latest list (`limit=1`): a network that is down, a name that does not
    resolve, or something else answering at the address (a captive portal, a server that
    intercepts every address, an API that is down) all count as offline. The probe runs on a
    daemon thread so that a name lookup that hangs costs `wait` seconds at most."""
    outcome: dict[str, str | None] = {}

    def probe() -> None:
        try:
            with httpx.Client(timeout=httpx.Timeout(10.0, connect=CONNECT_TIMEOUT)) as client:
                response = client.get(base_url + ENDPOINT, params={"limit": 1},
                                      headers={"User-Agent": USER_AGENT})
        except Exception as error:  # noqa: BLE001 - any failure to connect means offline here
            outcome["problem"] = f"cannot be reached ({type(error).__name__}: {error})"
            return
        if response.status_code == 429:   # there, but busy: the fetch honours Retry-After
            outcome["problem"] = None
            return
        try:
            is_list = response.is_success and isinstance(response.json(), list)
        except ValueError:
            is_list = False
        outcome["problem"] = None if is_list else (
            "does not answer as the Daily Papers API "
            f"({response.status_code} {response.reason_phrase}; check PAPERTRENDS_API_URL)")

    thread = threading.Thread(target=probe, name="api-probe", daemon=True)
    thread.start()
    thread.join(wait)
    if "problem" not in outcome:
        return f"cannot be reached (no answer within {wait:g} s)"
    return outcome["problem"]


class Throttle:
    """An httpx request hook: each request starts at least `interval` s after the previous one."""

    def __init__(self, interval: float):
        self.interval = interval
        self.next_start = 0.0

    def __call__(self, request: httpx.Request) -> None:
        wait = self.next_start - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self.next_start = time.monotonic() + self.interval


def fetch_days(data: DataDir, log: FetchLog, todo: list[date], options: FetchOptions,
               base_url: str, outcome: FetchOutcome, err,
               ingest: Callable[[list[date], FetchProgress], None] | None = None) -> None:
    """Fetch `todo` in order into landing/, calling `ingest` with every `batch_days` days (with
    None, leave them there: the caller is a pipeline run); `outcome` says how it went."""
    progress = FetchProgress(len(todo), err)
    batch: list[date] = []
    failed_in_a_row = 0
    leftovers = _waiting_days(data)   # files landed earlier and never ingested: in the first run
    client = httpx.Client(event_hooks={"request": [Throttle(options.interval)]})
    try:
        for i, day in enumerate(todo):
            try:
                path = fetch_day(day, data.landing, base_url=base_url, timeout=options.timeout,
                                 retries=options.retries, client=client,
                                 on_retry=progress.retry)
            except FetchError as error:
                reason = str(error).removeprefix(f"{day}: ")
                outcome.failures[day] = reason
                log.record(day, "failed", detail=reason)
                progress.day_done(day, "FAILED", ok=False)
                failed_in_a_row += 1
                if failed_in_a_row >= LOST_AFTER and (problem := unreachable(base_url)):
                    outcome.lost = f"{base_url} {problem}"
                    outcome.untried = len(todo) - i - 1
                    break
                continue
            except OSError as error:
                raise FetchStopped(f"{day}: could not write into {data.landing} "
                                   f"({error.strerror or error})") from error
            items = _count_items(path)
            log.record(day, "ok", items)
            batch.append(day)
            outcome.fetched += 1
            failed_in_a_row = 0
            again = "" if settled(day, utc_today(), items) else " (not final yet: asked for again by the next fetch)"
            progress.day_done(day, f"{items} papers{again}", ok=True)
            if ingest and len(batch) >= options.batch_days:
                ingest(batch + leftovers, progress)
                outcome.ingested += len(batch)
                batch, leftovers = [], []
    finally:
        client.close()
    if ingest and batch:
        ingest(batch + leftovers, progress)
        outcome.ingested += len(batch)


def _waiting_days(data: DataDir) -> list[date]:
    """Snapshot dates of files waiting in landing/ that can be ingested."""
    return [day for _, day in waiting_files(data) if date_outside_window(day) is None]


def _count_items(path: Path) -> int:
    try:
        return len(json.loads(path.read_bytes()))
    except (OSError, ValueError, TypeError):
        return 0
