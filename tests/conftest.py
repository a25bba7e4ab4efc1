"""Shared fixtures: real files, a real DuckDB warehouse, real Dagster runs in-process."""

from __future__ import annotations

import contextlib
import copy
import fcntl
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
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
    if not hasattr(config, "workerinput"):
        # dbt_project/target/manifest.json, parsed here once when stale, before any xdist
        # worker starts: workers that found it stale at once would all write it.
        from orchestration.defs.dbt.manifest import ensure_manifest

        ensure_manifest()


# The modules whose end-to-end runs take longest, longest first: they start first, so that
# parallel workers (`make test` runs pytest-xdist, a module per worker at a time) do not end
# with one worker still on one of them while the others are done. File names, whichever folder
# of tests/ holds them.
LONGEST_FIRST = [
    "test_month_of_daily_runs.py", "test_new_directions.py", "test_make_run.py",
    "test_new_directions_runs.py",
    "test_crash_and_reingest.py", "test_orchestration.py", "test_submitter_ingest.py",
    "test_serve.py", "test_dagster_postgres.py", "test_fetch_range.py", "test_dagster_ui.py",
    "test_resource_errors.py", "test_ingest_damaged.py", "test_snapshot_names.py",
    "test_empty_months.py", "test_removed_file_reload.py", "test_rekeying.py",
]


def pytest_collection_modifyitems(items):
    rank = {name: n for n, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))   # stable: the rest keep their order


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


@pytest.fixture(scope="module", autouse=True)
def _module_environment():
    """Every test module starts from the session's environment: what a module exports (a data
    dir it points Dagster at, a Postgres URL) is undone after it, so that no later module on the
    same xdist worker runs commands against another module's data dir."""
    saved = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(saved)


def fresh_data_dir(path: Path) -> DataDir:
    data = DataDir(path).ensure()
    export_environment(data)
    return data


def built_once(tmp_path_factory, name: str, build: Callable[[Path], None]) -> Path:
    """A folder that `build` fills once per test session and every xdist worker shares: the
    first worker to ask builds it under a lock, the others wait for it. Readers only: a test
    that changes what is in it works on a copy (see `seeded_copy`)."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent   # the run's temp folder, above each worker's own
    folder, failed = base / name, base / f"{name}.failed"
    with open(base / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if failed.exists():
            pytest.fail(f"building {name} failed in another worker: {failed.read_text()}", pytrace=False)
        if not (folder / ".built").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            try:
                build(folder)
            except BaseException as error:
                failed.write_text(f"{type(error).__name__}: {error}")
                raise
            (folder / ".built").touch()
    return folder


@contextlib.contextmanager
def exported_environment(data: DataDir) -> Iterator[DataDir]:
    """The environment pointed at `data` (export_environment) inside the block, as it was after."""
    saved = dict(os.environ)
    try:
        export_environment(data)
        yield data
    finally:
        os.environ.clear()
        os.environ.update(saved)


def copy_data_dir(source: Path, target: Path) -> DataDir:
    shutil.copytree(source, target, symlinks=True, ignore=shutil.ignore_patterns(".built"))
    return DataDir(target)


def ingest_in_process(root: Path, paths: list[Path]) -> DataDir:
    """What `papertrends ingest PATHS` does to the data dir at `root`, in this process: land the
    files, then one pipeline run over their days. For tests about the warehouse a run leaves, not
    about what the command prints (that is tests/warehouse_checks.ingest_ok)."""
    from orchestration.runs.runner import run_pipeline
    from orchestration.storage.landing import land_files

    with exported_environment(DataDir(root).ensure()) as data:
        landed, refused = land_files(paths, data)
        assert landed and not refused, refused
        days = [file.day for file in landed]
        assert run_pipeline(data, min(days), max(days)).success, f"the run over {paths} failed"
    return data


@pytest.fixture(scope="session")
def seeded(tmp_path_factory) -> DataDir:
    """A data dir into which the real pipeline ingested (one run) the 20 November 2025 API days
    of ../shared/data/hf_api_daily and the bundled capture in seeds/captures. Built once for the
    whole run and shared by every test that only reads it."""
    from orchestration.runs.runner import run_pipeline
    from orchestration.storage.landing import land_files

    require_shared_data()

    def build(root: Path) -> None:
        with exported_environment(DataDir(root).ensure()) as data:
            land_files([API_DAY_DIR, SEEDS / "captures"], data)
            result = run_pipeline(data, date(2025, 11, 3), date(2025, 12, 10))
        assert result.success, "the pipeline run on the November days and the capture failed"

    return DataDir(built_once(tmp_path_factory, "seeded", build))


@pytest.fixture
def seeded_copy(seeded, tmp_path) -> DataDir:
    """A copy of the `seeded` data dir (warehouse, archive, Dagster home) for a test that writes."""
    return copy_data_dir(seeded.root, tmp_path / "seeded-copy")


@pytest.fixture(scope="session")
def capture_ingested(tmp_path_factory) -> DataDir:
    """A data dir into which `papertrends ingest` (a subprocess, as a user runs it) ingested the
    bundled capture alone; built once for the whole run."""
    from tests.warehouse_checks import ingest_ok

    return DataDir(built_once(tmp_path_factory, "capture-ingested", lambda root: ingest_ok(root, [CAPTURE])))


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


def utc_today_for(seconds: float) -> date:
    """Today in UTC, for a test whose expectations name days and that takes up to `seconds`:
    when midnight would fall within them, it waits for the new day first (a command started at
    23:59 asks for other days than expectations made a minute earlier name)."""
    now = datetime.now(UTC)
    left = (datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), UTC) - now).total_seconds()
    if left < seconds:
        time.sleep(left + 1)
    return datetime.now(UTC).date()
