"""Shared fixtures: real files, a real DuckDB warehouse, real Dagster runs in-process."""

from __future__ import annotations

import copy
import json
import os
from datetime import date
from pathlib import Path

import pytest

from orchestration.settings import DataDir, export_environment

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
API_DAYS = sorted((SEEDS / "api").glob("*.json"))
CAPTURE = next((SEEDS / "captures").glob("*.txt"))


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
    """A data dir into which the bundled seeds were ingested by the real pipeline (one run)."""
    from orchestration.landing import land_files
    from orchestration.runner import run_pipeline

    data = fresh_data_dir(tmp_path_factory.mktemp("seeded"))
    land_files([SEEDS], data)
    result = run_pipeline(data, date(2025, 11, 3), date(2025, 12, 10))
    assert result.success, "the pipeline run on the bundled seeds failed"
    return data


def api_items() -> list[tuple[str, dict]]:
    """(listing file day, item) for every item of every bundled API day."""
    return [(path.stem, item) for path in API_DAYS for item in json.loads(path.read_bytes())]


def api_item(arxiv_id: str, title: str, day: str | None = None, upvotes: int | None = None) -> dict:
    """An item of a daily_papers answer: the first bundled one with another arXiv id and title
    (and, when given, listed and published on `day`, with `upvotes`)."""
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
