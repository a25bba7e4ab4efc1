"""Shared fixtures: real files, a real DuckDB warehouse, real Dagster runs in-process."""

from __future__ import annotations

import copy
import json
import os
from datetime import date
from pathlib import Path

import pytest

from orchestration.storage.settings import DataDir, export_environment
from tests.shared_data import API_DAY_DIR, ROOT, SHARED_DATA, api_day_files, require_shared_data  # noqa: F401

SEEDS = ROOT / "seeds"
API_DAYS = api_day_files()  # the real November 2025 days in ../shared/data (empty without it)
CAPTURE = next((SEEDS / "captures").glob("*.txt"))  # the bundled sample capture


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "needs_shared_data: reads the real data in ../shared/data (skipped without "
        "it, failed without it when CI=true)")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    if item.get_closest_marker("needs_shared_data"):
        require_shared_data()


@pytest.fixture(scope="session", autouse=True)
def _isolated_environment(tmp_path_factory):
    """No test touches the user's data dir: PAPERTRENDS_DATA_DIR points at a temp folder."""
    saved = dict(os.environ)
    data = DataDir(tmp_path_factory.mktemp("default-data"))
    export_environment(data.ensure())
    yield
    os.environ.clear()
    os.environ.update(saved)


def fresh_data_dir(path: Path) -> DataDir:
    data = DataDir(path).ensure()
    export_environment(data)
    return data


@pytest.fixture(scope="session")
def seeded(tmp_path_factory) -> DataDir:
    """A data dir into which the real pipeline ingested (one run) the 20 November 2025 API days
    of ../shared/data/hf_api_daily and the bundled capture in seeds/captures."""
    from orchestration.runs.runner import run_pipeline
    from orchestration.storage.landing import land_files

    require_shared_data()
    data = fresh_data_dir(tmp_path_factory.mktemp("seeded"))
    land_files([API_DAY_DIR, SEEDS / "captures"], data)
    result = run_pipeline(data, date(2025, 11, 3), date(2025, 12, 10))
    assert result.success, "the pipeline run on the November days and the capture failed"
    return data


@pytest.fixture(scope="session")
def damaged_dir(tmp_path_factory) -> Path:
    """The damaged-input batch (tests/fixtures/make_damaged.py), written once into a temp folder."""
    from tests.fixtures.make_damaged import write_damaged

    require_shared_data()
    folder = tmp_path_factory.mktemp("damaged") / "damaged"
    write_damaged(folder)
    return folder


def api_items() -> list[tuple[str, dict]]:
    """(listing file day, item) for every item of every real November 2025 API day."""
    require_shared_data()
    return [(path.stem, item) for path in API_DAYS for item in json.loads(path.read_bytes())]


def api_item(arxiv_id: str, title: str, day: str | None = None, upvotes: int | None = None) -> dict:
    """An item of a daily_papers answer: the first real November 2025 one with another arXiv id
    and title (and, when given, listed and published on `day`, with `upvotes`)."""
    require_shared_data()
    item = copy.deepcopy(json.loads(API_DAYS[0].read_bytes())[0])
    item["paper"].update(id=arxiv_id, title=title)
    item["title"] = title
    if day is not None:
        stamp = f"{day}T00:00:00.000Z"
        item["paper"].update(publishedAt=stamp, submittedOnDailyAt=stamp)
        item["publishedAt"] = stamp
    if upvotes is not None:
        item["paper"]["upvotes"] = upvotes
    return item
