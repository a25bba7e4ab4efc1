"""Which days `papertrends fetch` counts as done: fetch-log.tsv and what fetch saved before."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta

from orchestration.storage.fetch_log import FetchLog
from orchestration.storage.settings import DataDir
from tests.conftest import utc_today_for


def test_a_day_fetched_after_it_ended_is_done_and_a_failed_or_current_day_is_not(tmp_path):
    today = utc_today_for(5)
    log = FetchLog(DataDir(tmp_path).ensure())
    yesterday, before = today - timedelta(days=1), today - timedelta(days=2)
    log.record(before, "ok", 12)
    log.record(yesterday, "ok", 10)
    log.record(yesterday, "failed", detail="timed out\tafter 30 s\n")  # the last line wins
    log.record(today, "ok", 3)   # today's list may still grow
    assert log.done_days() == {before}
    assert log.lines()[2].detail == "timed out after 30 s"


def test_a_cut_last_line_is_ignored(tmp_path):
    log = FetchLog(DataDir(tmp_path).ensure())
    log.record(date(2025, 11, 3), "ok", 12)
    with open(log.path, "a") as handle:
        handle.write("2025-11-04\t2026-")
    assert log.done_days() == {date(2025, 11, 3)}


def test_days_fetch_saved_before_the_log_existed_count_as_done(tmp_path):
    today = utc_today_for(5)
    data = DataDir(tmp_path).ensure()
    (data.archive / "2025-11").mkdir()
    archived = data.archive / "2025-11" / "2025-11-03__0123456789ab__2025-11-03.json"
    archived.write_text("[]")
    (data.landing / "2025-11-04.json").write_text("[]")
    (data.landing / "2025-11-05_capture.txt").write_text("not an API day")
    written_today = data.landing / f"{today}.json"
    written_today.write_text("[]")
    stamp = datetime(2025, 11, 20, tzinfo=UTC).timestamp()
    os.utime(archived, (stamp, stamp))
    assert FetchLog(data).done_days() == {date(2025, 11, 3), date(2025, 11, 4)}


def test_an_empty_weekday_is_asked_for_again_until_it_settles(tmp_path):
    # an API that had not caught up answers [] for a weekday whose papers arrive later
    log = FetchLog(DataDir(tmp_path).ensure())
    log.record(date(2025, 11, 3), "ok", 0)   # (the header line)
    lines = [("2025-11-05", "2025-11-06T09:00:00+00:00", 0),    # Wednesday, empty the next day
             ("2025-11-08", "2025-11-09T09:00:00+00:00", 0),    # Saturday: no list on weekends
             ("2025-11-11", "2025-11-14T09:00:00+00:00", 0),    # Tuesday, still empty 3 days on
             ("2025-11-12", "2025-11-13T09:00:00+00:00", 14)]   # a list
    with open(log.path, "a") as handle:
        handle.writelines(f"{day}\t{at}\tok\t{items}\t\n" for day, at, items in lines)
    assert log.done_days() == {date(2025, 11, 3), date(2025, 11, 8), date(2025, 11, 11), date(2025, 11, 12)}


def test_an_empty_answer_saved_the_next_day_is_not_done(tmp_path):
    data = DataDir(tmp_path).ensure()
    for name, text in (("2025-11-05.json", "[]"), ("2025-11-06.json", '[{"paper": {}}]')):
        (data.landing / name).write_text(text)
        stamp = datetime(2025, 11, 7, 8, tzinfo=UTC).timestamp()
        os.utime(data.landing / name, (stamp, stamp))
    assert FetchLog(data).done_days() == {date(2025, 11, 6)}
