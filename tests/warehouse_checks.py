"""Helpers for tests that ingest through the `papertrends` command and compare warehouses."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

from orchestration.defs.dbt.manifest import dbt_executable
from orchestration.storage.settings import DBT_PROJECT_DIR, DERIVED_DAGSTER_HOME_ENV, DERIVED_WAREHOUSE_ENV
from tests.shared_data import ROOT

PAPERTRENDS = str(Path(sys.executable).parent / "papertrends")
MARTS = ["papers", "paper_topics", "topic_counts", "author_counts", "org_counts", "team_sizes",
         "rising_topics", "paper_trajectories", "author_monthly_counts", "org_monthly_counts"]


# Where this process's data dir keeps its parts, and the crash test's pause: a command run for
# another data dir must not inherit them (a user starting on a new data dir has none of them set).
NOT_INHERITED = ("PAPERTRENDS_WAREHOUSE", DERIVED_WAREHOUSE_ENV, "DAGSTER_HOME",
                 DERIVED_DAGSTER_HOME_ENV, "PAPERTRENDS_LANDING_DIR", "PAPERTRENDS_ARCHIVE_DIR",
                 "PAPERTRENDS_CRASH_TEST_PAUSE")


def command_env(data_root: Path, **extra_env: str) -> dict[str, str]:
    """The environment of a `papertrends` command run for the data dir at `data_root`."""
    env = {key: value for key, value in os.environ.items() if key not in NOT_INHERITED}
    env.update(PAPERTRENDS_DATA_DIR=str(data_root), **extra_env)
    return env


def run_ingest(data_root: Path, *paths: Path | str) -> subprocess.CompletedProcess:
    """`papertrends ingest PATHS` for the data dir at `data_root`, to its end; output captured."""
    return subprocess.run([PAPERTRENDS, "ingest", *map(str, paths)], capture_output=True, text=True,
                          cwd=ROOT, env=command_env(data_root), timeout=900)


def ingest(data_root: Path, files: list[Path], **extra_env: str) -> subprocess.Popen:
    env = command_env(data_root, **extra_env)
    return subprocess.Popen([PAPERTRENDS, "ingest", *map(str, files)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)


def ingest_ok(data_root: Path, files: list[Path]) -> None:
    process = ingest(data_root, files)
    output = process.communicate(timeout=600)[0]
    assert process.returncode == 0, output
    # nothing but the command's own messages: no traceback, no warning from a library or from
    # Python's resource tracker (which once reported dbt's locks as leaked semaphores)
    assert "Traceback" not in output and "Warning" not in output, output


def one_line(result: subprocess.CompletedProcess) -> str:
    """A failed command's one `papertrends:` line; no traceback anywhere."""
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "Traceback" not in output, output
    lines = [line for line in output.splitlines() if line.startswith("papertrends:")]
    assert len(lines) == 1, output
    return lines[0]


def snapshot_dates(data_root: Path) -> list[str]:
    """The snapshot dates in a data dir's warehouse, oldest first."""
    return [day for (day,) in query(data_root / "warehouse.duckdb",
                                    "select snapshot_date::varchar from raw.snapshots order by 1")]


def query(database: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(database), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def assert_equal_to_full_refresh(warehouse: Path, tmp_path: Path, relations: list[str]) -> None:
    """`dbt build --full-refresh` on a copy of the warehouse gives the same rows (EXCEPT ALL, both
    ways) in every relation ('schema.name', or a mart's bare name) as the incremental runs did."""
    copy = tmp_path / "full-refresh.duckdb"
    shutil.copyfile(warehouse, copy)
    env = {**os.environ, "PAPERTRENDS_WAREHOUSE": str(copy)}
    build = subprocess.run(
        [dbt_executable(), "build", "--full-refresh", "--quiet", "--project-dir", str(DBT_PROJECT_DIR),
         "--profiles-dir", str(DBT_PROJECT_DIR), "--target-path", str(tmp_path / "target")],
        env=env, capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, build.stdout + build.stderr
    con = duckdb.connect(str(copy))
    try:
        con.execute(f"attach '{warehouse}' as incremental (read_only)")
        for relation in relations:
            name = relation if "." in relation else f"marts.{relation}"
            for left, right in ((name, f"incremental.{name}"), (f"incremental.{name}", name)):
                extra = con.execute(
                    f"select count(*) from (select * from {left} except all select * from {right})"
                ).fetchall()[0][0]
                assert extra == 0, (relation, left)
    finally:
        con.close()
