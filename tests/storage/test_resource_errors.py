"""Resource errors are words: out of disk, a read-only data dir, a warehouse another program
holds. `papertrends ingest` prints one `papertrends:` line naming the step, the path and what to
do, exits non-zero, leaves nothing half-written, and the next run completes the work.

The small and read-only file systems are real: tmpfs mounts (the tests run as root)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.storage.settings import DataDir
from orchestration.storage.warehouse import create_if_missing
from tests.conftest import API_DAYS, CAPTURE, exported_environment
from tests.warehouse_checks import PAPERTRENDS, one_line

pytestmark = pytest.mark.needs_shared_data


@pytest.fixture
def mounts():
    """mount(folder, options): a tmpfs on the folder, unmounted after the test."""
    mounted: list[Path] = []

    def mount(folder: Path, options: str) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], check=True)
        mounted.append(folder)
        return folder

    yield mount
    for folder in reversed(mounted):
        subprocess.run(["umount", str(folder)], check=True)


def ingest(root: Path, *paths: Path) -> subprocess.CompletedProcess:
    return subprocess.run([PAPERTRENDS, "ingest", *map(str, paths)], capture_output=True, text=True,
                          env={**os.environ, "PAPERTRENDS_DATA_DIR": str(root)}, timeout=600)


def loaded_days(root: Path) -> list[str]:
    con = duckdb.connect(str(root / "warehouse.duckdb"), read_only=True)
    try:
        return [str(d) for (d,) in con.execute("select snapshot_date from raw.snapshots order by 1").fetchall()]
    finally:
        con.close()


def half_written(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.name.endswith(".part")]


def test_a_full_disk_under_a_step_fails_it_in_words_and_the_next_run_loads_the_files(tmp_path, mounts):
    root = tmp_path / "data"
    mounts(root / "work", "size=64k")   # the intermediate parquet files do not fit
    days = tmp_path / "days"
    days.mkdir()
    for path in API_DAYS[:6]:
        shutil.copy(path, days)
    line = one_line(ingest(root, days))
    assert line.startswith("papertrends: parse snapshots: out of disk space ("), line
    assert "free some space there" in line
    assert half_written(root) == []
    assert len(list((root / "archive" / "2025-11").iterdir())) == 6   # archived, not loaded

    subprocess.run(["mount", "-o", "remount,size=64m", str(root / "work")], check=True)
    empty_day = tmp_path / "2025-10-15.json"
    empty_day.write_text("[]")
    result = ingest(root, empty_day)   # another month: no re-ingest of November
    assert result.returncode == 0, result.stderr
    assert loaded_days(root) == ["2025-10-15", *(p.stem for p in API_DAYS[:6])]


def test_a_full_disk_under_dagsters_storage_leaves_no_run_unfinished(tmp_path, mounts):
    root = mounts(tmp_path / "data", "size=1200k")   # the files fit, the run's records do not
    days = tmp_path / "days"
    days.mkdir()
    for path in API_DAYS[:4]:
        shutil.copy(path, days)
    line = one_line(ingest(root, days))
    assert "out of disk space" in line and "free some space there" in line, line
    assert half_written(root) == []

    subprocess.run(["mount", "-o", "remount,size=64m", str(root)], check=True)
    result = ingest(root, days)
    assert result.returncode == 0, result.stderr
    assert loaded_days(root) == [p.stem for p in API_DAYS[:4]]
    with exported_environment(DataDir(root)), dg.DagsterInstance.get() as instance:
        statuses = {run.status for run in instance.get_runs()}
    assert not statuses & {dg.DagsterRunStatus.NOT_STARTED, dg.DagsterRunStatus.STARTED}, statuses
    assert dg.DagsterRunStatus.SUCCESS in statuses


def test_a_read_only_data_dir_is_named_with_what_to_do(tmp_path, mounts):
    root = mounts(tmp_path / "data", "size=4m")
    DataDir(root).ensure()
    subprocess.run(["mount", "-o", "remount,ro", str(root)], check=True)
    line = one_line(ingest(root, API_DAYS[0]))
    assert line == (f"papertrends: land the files in landing/: the data dir is on a read-only file "
                    f"system ({root / 'landing'}); point PAPERTRENDS_DATA_DIR at a writable folder, "
                    "or remount it read-write")


def test_a_warehouse_held_by_another_program_is_named_with_what_to_do(tmp_path):
    root = tmp_path / "data"
    data = DataDir(root).ensure()
    create_if_missing(data.warehouse)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys; c = duckdb.connect(sys.argv[1]); print('held', "
         "flush=True); sys.stdin.read()", str(data.warehouse)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        line = one_line(ingest(root, API_DAYS[0]))
    finally:
        holder.stdin.close()
        holder.wait(timeout=60)
    assert line.startswith("papertrends: open the warehouse: the warehouse is held by another "
                           "program (/"), line   # (the holder's executable, as DuckDB names it)
    assert f"process {holder.pid}) ({data.warehouse}); close that program" in line
    assert list(data.archive.iterdir()) == []   # nothing moved on: the files wait in landing/


@pytest.mark.parametrize("in_the_way", ["data", "data/landing"])
def test_a_file_where_the_data_dir_or_a_folder_of_it_must_be_is_named(tmp_path, in_the_way):
    root = tmp_path / "data"
    if in_the_way != "data":
        root.mkdir()
    (tmp_path / in_the_way).write_text("a file, not a folder")
    line = one_line(ingest(root, API_DAYS[0]))
    assert line.startswith("papertrends: "), line
    assert line.endswith(f": a file stands where a folder must be ({tmp_path / in_the_way}); point "
                         "PAPERTRENDS_DATA_DIR at a folder (or move that file away) and run again"), line


@pytest.mark.parametrize("setting", ["PAPERTRENDS_LANDING_DIR", "PAPERTRENDS_ARCHIVE_DIR", "DAGSTER_HOME"])
def test_a_setting_that_names_a_file_for_a_folder_is_the_one_named(tmp_path, setting):
    (tmp_path / "a-file").write_text("a file, not a folder")
    result = subprocess.run([PAPERTRENDS, "ingest", str(API_DAYS[0])], capture_output=True, text=True, timeout=600,
                            env={**os.environ, "PAPERTRENDS_DATA_DIR": str(tmp_path / "data"),
                                 setting: str(tmp_path / "a-file")})
    assert one_line(result) == (f"papertrends: the folder {tmp_path / 'a-file'} cannot be made (a file stands "
                                f"there): point {setting} at a folder papertrends can create and write, and run again")


def test_a_data_dir_that_cannot_be_made_and_a_warehouse_setting_that_names_a_folder(tmp_path):
    assert one_line(ingest(Path("/proc/no-such-data-dir"), API_DAYS[0])).startswith(
        "papertrends: the folder /proc/no-such-data-dir/landing cannot be made (No such file or directory): "
        "point PAPERTRENDS_DATA_DIR at a folder")
    result = subprocess.run([PAPERTRENDS, "ingest", str(API_DAYS[0])], capture_output=True, text=True, timeout=600,
                            env={**os.environ, "PAPERTRENDS_DATA_DIR": str(tmp_path / "data"),
                                 "PAPERTRENDS_WAREHOUSE": str(tmp_path)})
    assert one_line(result) == (f"papertrends: PAPERTRENDS_WAREHOUSE names a folder ({tmp_path}), not a file: "
                                f"point it at a file, such as {tmp_path / 'warehouse.duckdb'}")


def test_a_damaged_warehouse_file_is_named_with_what_to_do(tmp_path):
    root = tmp_path / "data"
    data = DataDir(root).ensure()
    for path in (data.warehouse, root / "warehouse-readonly.duckdb"):
        path.write_bytes(b"not a database, " * 4096)   # a disk error, another file copied there
    shown = "the file is not a DuckDB database (damaged, or another file in its place)"
    assert one_line(ingest(root, CAPTURE)) == (
        f"papertrends: open the warehouse: {shown} ({data.warehouse}); move it aside and ingest again: the "
        "warehouse is rebuilt from archive/, and the read-only copy is written anew by every run")
    report = subprocess.run([PAPERTRENDS, "report"], capture_output=True, text=True,
                            env={**os.environ, "PAPERTRENDS_DATA_DIR": str(root)}, timeout=600)
    assert one_line(report).startswith(f"papertrends: report: {shown} ({root / 'warehouse-readonly.duckdb'})")


def test_a_damaged_dagster_yaml_or_run_history_is_named_with_what_to_do(tmp_path):
    root = tmp_path / "data"
    home = root / "dagster"
    home.mkdir(parents=True)
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n concurrency: [oops\n")
    assert one_line(ingest(root, CAPTURE)).startswith(
        "papertrends: record the run in Dagster's storage: dagster.yaml cannot be read (not valid YAML, "
        f"or settings Dagster does not accept) ({home / 'dagster.yaml'}); fix it")
    (home / "dagster.yaml").unlink()   # written anew; now the history's database is damaged
    (home / "history").mkdir()
    (home / "history" / "runs.db").write_bytes(b"\x00garbage" * 1000)
    assert one_line(ingest(root, CAPTURE)).startswith(
        "papertrends: record the run in Dagster's storage: Dagster's run history is damaged (an SQLite "
        "file of it is not a database)")


@pytest.mark.parametrize("command", [["ingest", str(CAPTURE)], ["sql", "select 1"], ["report"]],
                         ids=["ingest", "sql", "report"])
def test_a_motherduck_warehouse_without_a_token_is_refused_before_it_waits_for_a_sign_in(tmp_path, command):
    # without a token MotherDuck prints a sign-in address and waits for a browser, for ever
    env = {k: v for k, v in os.environ.items() if k.lower() != "motherduck_token"}
    result = subprocess.run([PAPERTRENDS, *command], capture_output=True, text=True, timeout=600,
                            env={**env, "PAPERTRENDS_DATA_DIR": str(tmp_path / "data"),
                                 "PAPERTRENDS_WAREHOUSE": "md:papertrends"})
    assert one_line(result).startswith("papertrends: PAPERTRENDS_WAREHOUSE=md:papertrends needs a MotherDuck "
                                       "access token: set motherduck_token in the environment")
    assert not (tmp_path / "data" / "archive").exists() or not any((tmp_path / "data" / "archive").iterdir())
