"""`papertrends fetch`: listing days from the Daily Papers API into the warehouse, resumably.

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
- Every `batch_days` days the fetched ones are ingested (one pipeline run), so a long backfill's
  first months are in the warehouse long before its end.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx

from orchestration.fetch.api_client import ENDPOINT, USER_AGENT, FetchError, base_url_from_env, fetch_day
from orchestration.fetch.progress import FetchProgress, duration
from orchestration.storage.fetch_log import FetchLog
from orchestration.storage.landing import date_outside_window, waiting_files
from orchestration.storage.settings import DataDir

CATCH_UP_DAYS = 30
FIRST_LISTING_DAY = "2023-05-01"   # the first month of Daily Papers
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


def fetch_command(data: DataDir, options: FetchOptions, out=sys.stdout, err=sys.stderr) -> int:
    """The whole command; returns its exit status."""
    log = FetchLog(data)
    today = utc_today()
    done = log.done_days()
    if options.first is None:
        first, last = catch_up_range(today, done)
    else:
        first, last = options.first, options.last or options.first
    if max(first, last) > today:
        return _fail(err, f"{max(first, last)} is after today ({today}, UTC): the API has no "
                          "list for it yet")
    if last < first:
        return _fail(err, f"--to {last} is before --from {first}")
    wanted = days_between(first, last)
    todo = [day for day in wanted if day not in done]
    span = f"{first} .. {last}" if first != last else str(first)
    if not todo:
        print(f"All {len(wanted)} listing day(s) {span} were fetched before ({log.path.name}); "
              "nothing to fetch", file=err)
        return 0
    base_url = base_url_from_env()
    problem = unreachable(base_url)
    if problem:
        print(f"papertrends: offline: {base_url} {problem}; nothing fetched. "
              f"Once online: papertrends fetch --from {FIRST_LISTING_DAY} (the whole history) or "
              "papertrends fetch (the last 30 days); or load saved API JSON or page captures: "
              "papertrends ingest FOLDER", file=err)
        return 0 if options.offline_ok else 1
    skipped = len(wanted) - len(todo)
    print(f"Fetching {len(todo)} listing day(s) {span} from {base_url}"
          + (f" ({skipped} fetched before, skipped)" if skipped else ""), file=err)
    outcome = FetchOutcome()
    try:
        fetch_days(data, log, todo, options, base_url, outcome, err)
    except FetchStopped as stop:
        return _fail(err, f"{stop}; the days fetched so far are kept (fetch-log.tsv): fix the "
                          f"cause, then rerun {options.rerun_hint} to continue")
    except KeyboardInterrupt:
        print(file=err)
        return _fail(err, f"stopped; the days fetched so far are kept: rerun {options.rerun_hint} "
                          "to fetch the rest (it also ingests what was fetched but not yet "
                          "ingested)", status=130)
    if outcome.ingested:
        from orchestration.cli.summary import summary_text

        print(summary_text(data), file=out)
    print(f"Fetched {outcome.fetched} of {len(todo)} listing day(s) {span}", file=err)
    if outcome.lost:
        print(f"papertrends: stopped early: {outcome.lost}; {outcome.untried} day(s) not tried; "
              f"rerun {options.rerun_hint} once it answers again", file=err)
    if outcome.failures:
        print(f"papertrends: {len(outcome.failures)} day(s) could not be fetched; rerun "
              f"{options.rerun_hint} to fetch only the days still missing:", file=err)
        for day, reason in sorted(outcome.failures.items()):
            print(f"  {day}: {reason}", file=err)
    return 1 if outcome.failures or outcome.lost else 0


def fetch_days(data: DataDir, log: FetchLog, todo: list[date], options: FetchOptions,
               base_url: str, outcome: FetchOutcome, err, ingest: bool = True) -> None:
    """Fetch `todo` in order into landing/, ingesting every `batch_days` days (with
    ingest=False, leave them there: the caller is a pipeline run); `outcome` says how it went."""
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
            progress.day_done(day, f"{items} papers", ok=True)
            if ingest and len(batch) >= options.batch_days:
                _ingest(data, batch + leftovers, progress)
                outcome.ingested += len(batch)
                batch, leftovers = [], []
    finally:
        client.close()
    if ingest and batch:
        _ingest(data, batch + leftovers, progress)
        outcome.ingested += len(batch)


def _ingest(data: DataDir, days: list[date], progress: FetchProgress) -> None:
    """One pipeline run over the months of `days`."""
    from orchestration.dbt_build import DbtProjectError
    from orchestration.runner import run_pipeline

    first, last = min(days), max(days)
    progress.note(f"ingesting {len(days)} day(s) {first} .. {last}")
    started = time.monotonic()
    try:
        result = run_pipeline(data, first, last)
    except DbtProjectError as error:
        raise FetchStopped(str(error)) from error
    if not result.success:
        raise FetchStopped(f"the pipeline run for {first} .. {last} failed; see run "
                           f"{result.run_id} in the UI (make ui)")
    progress.note(f"ingested {first} .. {last} ({duration(time.monotonic() - started)})")


def _waiting_days(data: DataDir) -> list[date]:
    """Snapshot dates of files waiting in landing/ that can be ingested."""
    return [day for _, day in waiting_files(data) if date_outside_window(day) is None]


def _count_items(path: Path) -> int:
    try:
        return len(json.loads(path.read_bytes()))
    except (OSError, ValueError, TypeError):
        return 0


def _fail(err, message: str, status: int = 1) -> int:
    print(f"papertrends: {message}", file=err)
    return status
