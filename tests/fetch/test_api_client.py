"""The Daily Papers HTTP client against a local fake of the API (tests/api_server.py), offline.

Sleeps are injected (a recorder), so retry tests check the back-off without waiting for it.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from orchestration.fetch.api_client import (
    BASE_URL_ENV,
    FetchError,
    _wait_seconds,
    fetch_day,
    fetch_range,
    latest_listing_day,
)
from tests.api_server import SEED_DIR, ApiServer
from tests.shared_data import require_shared_data

MONDAY = date(2025, 11, 3)
THURSDAY = date(2025, 11, 6)
FRIDAY = date(2025, 11, 7)
SATURDAY = date(2025, 11, 8)


@pytest.fixture(scope="module")
def server():
    require_shared_data()  # the server answers with the real November days
    with ApiServer() as api:
        yield api


@pytest.fixture
def api(server):
    """The shared server, with a clean request log and no faults left over from other tests."""
    server.reset()
    return server


@pytest.fixture
def sleeps() -> list[float]:
    """Records the waits instead of waiting: pass `sleep=sleeps.append`."""
    return []


def seed(day: date) -> bytes:
    return (SEED_DIR / f"{day.isoformat()}.json").read_bytes()


def landed(directory) -> list[str]:
    """Every name in the landing dir, dot-files (left-over temp files) included."""
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


def test_a_normal_day_lands_byte_identical_to_the_seed(api, tmp_path, sleeps):
    path = fetch_day(MONDAY, tmp_path, base_url=api.url, sleep=sleeps.append)
    assert path == tmp_path / "2025-11-03.json"
    assert path.read_bytes() == seed(MONDAY)
    assert landed(tmp_path) == ["2025-11-03.json"]
    [request] = api.requests
    assert request.path == "/api/daily_papers"
    assert request.query == {"date": "2025-11-03", "limit": "100", "p": "0"}
    assert sleeps == []


def test_user_agent_names_papertrends(api, tmp_path):
    fetch_day(MONDAY, tmp_path, base_url=api.url)
    agent = api.requests[0].headers["User-Agent"]
    assert agent.startswith("papertrends/") and "+https://github.com/papertrends" in agent


def test_base_url_comes_from_the_environment(api, tmp_path, monkeypatch):
    monkeypatch.setenv(BASE_URL_ENV, api.url)
    fetch_day(MONDAY, tmp_path)
    assert len(api.requests) == 1


def test_paging_concatenates_pages_into_the_seed_items(api, tmp_path):
    # 23 papers on 2025-11-03 at 10 a page: pages of 10, 10, 3; the short page ends it.
    path = fetch_day(MONDAY, tmp_path, base_url=api.url, page_size=10)
    assert json.loads(path.read_bytes()) == json.loads(seed(MONDAY))
    assert [(r.query["limit"], r.query["p"]) for r in api.requests] == [("10", "0"), ("10", "1"), ("10", "2")]


def test_paging_stops_on_an_empty_page_when_the_count_divides_evenly(api, tmp_path):
    # 15 papers on 2025-11-07 at 5 a page: 5, 5, 5, then an empty page.
    path = fetch_day(FRIDAY, tmp_path, base_url=api.url, page_size=5)
    assert json.loads(path.read_bytes()) == json.loads(seed(FRIDAY))
    assert len(api.requests) == 4


def test_429_with_retry_after_is_retried_after_waiting(api, tmp_path, sleeps):
    api.inject("2025-11-03", "429", times=2)
    path = fetch_day(MONDAY, tmp_path, base_url=api.url, sleep=sleeps.append)
    assert path.read_bytes() == seed(MONDAY)
    assert len(api.requests) == 3
    assert len(sleeps) == 2 and all(s >= 1 for s in sleeps)


def test_500_twice_then_success(api, tmp_path, sleeps):
    api.inject("2025-11-03", "500", times=2)
    path = fetch_day(MONDAY, tmp_path, base_url=api.url, sleep=sleeps.append)
    assert path.read_bytes() == seed(MONDAY)
    assert len(api.requests) == 3
    assert len(sleeps) == 2 and sleeps[1] > sleeps[0]  # 1-1.5 s, then 2-3 s


def test_persistent_500_gives_up_after_retries_attempts(api, tmp_path, sleeps):
    api.inject("2025-11-03", "500", times=None)
    with pytest.raises(FetchError, match=r"after 3 attempts.*500"):
        fetch_day(MONDAY, tmp_path, base_url=api.url, retries=3, sleep=sleeps.append)
    assert len(api.requests) == 3
    assert len(sleeps) == 2
    assert landed(tmp_path) == []


def test_truncated_body_is_refused_and_nothing_written(api, tmp_path):
    api.inject("2025-11-03", "truncated")
    with pytest.raises(FetchError, match="invalid or truncated JSON"):
        fetch_day(MONDAY, tmp_path, base_url=api.url)
    assert landed(tmp_path) == []


def test_slow_answer_past_the_timeout_fails_and_nothing_written(api, tmp_path, sleeps):
    api.inject("2025-11-03", "slow", times=None, delay=1.5)
    with pytest.raises(FetchError, match="timed out"):
        fetch_day(MONDAY, tmp_path, base_url=api.url, timeout=0.5, retries=2, sleep=sleeps.append)
    assert len(api.requests) == 2 and len(sleeps) == 1
    assert landed(tmp_path) == []


def test_404_fails_at_once(api, tmp_path, sleeps):
    api.inject("2025-11-03", "404", times=None)
    with pytest.raises(FetchError, match="404"):
        fetch_day(MONDAY, tmp_path, base_url=api.url, sleep=sleeps.append)
    assert len(api.requests) == 1 and sleeps == []
    assert landed(tmp_path) == []


def test_a_json_object_is_refused(api, tmp_path):
    api.inject("2025-11-03", "object")
    with pytest.raises(FetchError, match="not a JSON array"):
        fetch_day(MONDAY, tmp_path, base_url=api.url)
    assert landed(tmp_path) == []


def test_an_html_page_answering_is_named_as_one(api, tmp_path):
    api.inject("2025-11-03", "html")
    with pytest.raises(FetchError, match="is an HTML page, not JSON .*check PAPERTRENDS_API_URL, or a proxy"):
        fetch_day(MONDAY, tmp_path, base_url=api.url)
    assert landed(tmp_path) == []


def test_a_weekend_date_gets_the_previous_papers_day(api, tmp_path):
    path = fetch_day(SATURDAY, tmp_path, base_url=api.url)
    assert path.name == "2025-11-08.json"
    assert path.read_bytes() == seed(FRIDAY)


def test_fetch_range_over_a_week_lands_seven_files_with_progress(api, tmp_path):
    reports = []
    paths = fetch_range(
        MONDAY, date(2025, 11, 9), tmp_path, base_url=api.url, progress=lambda *a: reports.append(a)
    )
    assert [p.name for p in paths] == [f"2025-11-{d:02d}.json" for d in range(3, 10)]
    assert landed(tmp_path) == [p.name for p in paths]
    assert [(i, n) for i, n, _ in reports] == [(i, 7) for i in range(1, 8)]
    assert reports[-1][2] == date(2025, 11, 9)
    assert (tmp_path / "2025-11-09.json").read_bytes() == seed(FRIDAY)


def test_fetch_range_stops_at_the_first_failure_and_says_how_far_it_got(api, tmp_path, sleeps):
    api.inject(THURSDAY.isoformat(), "404")
    with pytest.raises(FetchError, match="3 of 7 days were fetched") as caught:
        fetch_range(MONDAY, date(2025, 11, 9), tmp_path, base_url=api.url, sleep=sleeps.append)
    assert isinstance(caught.value.__cause__, FetchError)
    assert landed(tmp_path) == ["2025-11-03.json", "2025-11-04.json", "2025-11-05.json"]


def test_backoff_grows_with_jitter_and_is_capped():
    for attempt, low, high in [(1, 1, 1.5), (2, 2, 3), (3, 4, 6), (10, 60, 60)]:
        assert low <= _wait_seconds(attempt, None) <= high
    assert _wait_seconds(1, 1.0) == 1.0
    assert _wait_seconds(1, 3600.0) == 60.0


def test_latest_listing_day_is_today():
    assert latest_listing_day(date(2025, 11, 28)) == date(2025, 11, 28)
