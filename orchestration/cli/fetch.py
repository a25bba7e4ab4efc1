"""`papertrends fetch`: listing days from the Daily Papers API into the warehouse, resumably.

Which days, the offline probe, the pace and the failed days: orchestration/fetch/days.py. Every
`batch_days` days the fetched ones are ingested (one pipeline run), so a long backfill's first
months are in the warehouse long before its end.
"""

from __future__ import annotations

import sys
import time
from datetime import date

from orchestration.cli.help import USAGE_ERROR
from orchestration.fetch.api_client import base_url_from_env, url_problem
from orchestration.fetch.days import (
    FetchOptions,
    FetchOutcome,
    FetchStopped,
    catch_up_range,
    days_between,
    fetch_days,
    unreachable,
    utc_today,
)
from orchestration.fetch.progress import FetchProgress, duration
from orchestration.storage.fetch_log import FetchLog
from orchestration.storage.landing import date_outside_window
from orchestration.storage.settings import DEFAULT_FIRST_DAY, FIRST_DAY, DataDir


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
                          "list for it yet", USAGE_ERROR)
    if last < first:
        return _fail(err, f"--to {last} is before --from {first}", USAGE_ERROR)
    if first < date.fromisoformat(FIRST_DAY):
        if options.first is None:   # the catch-up range: from the first day tracked
            first = max(first, date.fromisoformat(FIRST_DAY))
        else:
            return _fail(err, f"{date_outside_window(first)}: ask for days from {FIRST_DAY} on, "
                              "or set it earlier", USAGE_ERROR)
    wanted = days_between(first, last)
    todo = wanted if options.again else [day for day in wanted if day not in done]
    span = f"{first} .. {last}" if first != last else str(first)
    if not todo:
        print(f"All {len(wanted)} listing day(s) {span} were fetched before, or their API answers are in "
              f"the archive as YYYY-MM-DD.json ({log.path.name}, archive/); nothing to fetch. To fetch "
              "them again (a partial answer saved by hand): add --again", file=err)
        return 0
    base_url = base_url_from_env()
    if wrong := url_problem(base_url):
        print(f"papertrends: {wrong}; nothing fetched", file=err)
        return 1
    problem = unreachable(base_url)
    if problem:
        print(f"papertrends: offline: {base_url} {problem}; nothing fetched. "
              f"Once online: papertrends fetch --from {DEFAULT_FIRST_DAY} (the whole history) or "
              "papertrends fetch (the last 30 days); or load saved API JSON or page captures: "
              "papertrends ingest FOLDER", file=err)
        return 0 if options.offline_ok else 1
    skipped = len(wanted) - len(todo)
    print(f"Fetching {len(todo)} listing day(s) {span} from {base_url}"
          + (f" ({skipped} fetched before, skipped)" if skipped else ""), file=err)
    outcome = FetchOutcome()
    data.ensure()   # (only now: a command refused above makes no folders)
    try:
        fetch_days(data, log, todo, options, base_url, outcome, err,
                   ingest=lambda days, progress: _ingest(data, days, progress))
    except FetchStopped as stop:
        kept = "the days fetched so far are kept (fetch-log.tsv)" if outcome.fetched else "nothing was fetched"
        return _fail(err, f"{stop}; {kept}: fix the "
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


def _ingest(data: DataDir, days: list[date], progress: FetchProgress) -> None:
    """One pipeline run over the months of `days`."""
    from orchestration.defs.dbt.build import DbtProjectError
    from orchestration.runs.runner import run_pipeline

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


def _fail(err, message: str, status: int = 1) -> int:
    print(f"papertrends: {message}", file=err)
    return status
