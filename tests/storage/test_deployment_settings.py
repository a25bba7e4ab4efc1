"""The environment variables of docs/deployment.md: what a user sets wins, and the pipeline
writes where they point (the warehouse, the archive) and nothing into the default places."""

from __future__ import annotations

import os
import subprocess

import yaml

from orchestration.storage.dagster_storage import PG_URL_ENV, POSTGRES_STORAGE
from orchestration.storage.publish import published_path
from orchestration.storage.settings import DAGSTER_YAML, DataDir, data_dir
from tests.conftest import ROOT, SEEDS, exported_environment
from tests.warehouse_checks import NOT_INHERITED, PAPERTRENDS, one_line


def test_a_blank_data_dir_setting_is_the_default_not_a_folder_named_by_spaces(monkeypatch):
    monkeypatch.setenv("PAPERTRENDS_DATA_DIR", " ")
    assert data_dir().root == ROOT / "data"


def test_a_users_warehouse_wins_over_the_data_dirs(tmp_path, monkeypatch):
    monkeypatch.setenv("PAPERTRENDS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PAPERTRENDS_WAREHOUSE", str(tmp_path / "shared" / "wh.duckdb"))
    data = data_dir()
    with exported_environment(data):   # (the environment as it was afterwards)
        assert data.warehouse == tmp_path / "shared" / "wh.duckdb"
        assert os.environ["PAPERTRENDS_WAREHOUSE"] == str(tmp_path / "shared" / "wh.duckdb")
        assert data_dir().warehouse == tmp_path / "shared" / "wh.duckdb"   # and stays so


def test_a_derived_warehouse_follows_the_next_data_dir(tmp_path, monkeypatch):
    with exported_environment(DataDir(tmp_path / "a")):
        monkeypatch.setenv("PAPERTRENDS_DATA_DIR", str(tmp_path / "b"))
        assert data_dir().warehouse == tmp_path / "b" / "warehouse.duckdb"
        assert data_dir().dagster_home == tmp_path / "b" / "dagster"


def test_a_users_dagster_home_wins_over_the_data_dirs(tmp_path, monkeypatch):
    monkeypatch.setenv("PAPERTRENDS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster-home"))
    data = data_dir().ensure()
    with exported_environment(data):
        assert os.environ["DAGSTER_HOME"] == str(tmp_path / "dagster-home")
        assert data_dir().dagster_home == tmp_path / "dagster-home"   # and stays so
    assert (tmp_path / "dagster-home" / "dagster.yaml").read_text() == DAGSTER_YAML
    assert not (tmp_path / "data" / "dagster").exists()


def test_a_motherduck_name_is_kept_as_given_and_queried_itself(tmp_path, monkeypatch):
    monkeypatch.setenv("PAPERTRENDS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PAPERTRENDS_WAREHOUSE", "md:papertrends")
    data = data_dir()
    assert str(data.warehouse) == "md:papertrends"
    assert str(published_path(data.warehouse)) == "md:papertrends"   # no copy: the service
    assert published_path(tmp_path / "w.duckdb") == tmp_path / "warehouse-readonly.duckdb"


def test_the_postgres_url_adds_dagsters_postgres_storage(tmp_path, monkeypatch):
    monkeypatch.setenv(PG_URL_ENV, "postgresql://u@127.0.0.1:1/db")
    data = DataDir(tmp_path / "new").ensure()
    text = (data.dagster_home / "dagster.yaml").read_text()
    assert text == DAGSTER_YAML + POSTGRES_STORAGE
    assert yaml.safe_load(text)["storage"] == {"postgres": {"postgres_url": {"env": PG_URL_ENV}}}
    assert "127.0.0.1" not in text   # the URL (and its password) stays in the environment

    # a file a person wrote without storage gets the block added below their lines
    edited = DataDir(tmp_path / "edited")
    edited.dagster_home.mkdir(parents=True)
    mine = "telemetry:\n  enabled: true\nretention:\n  schedule:\n    purge_after_days: 30\n"
    (edited.dagster_home / "dagster.yaml").write_text(mine)
    edited.ensure()
    assert (edited.dagster_home / "dagster.yaml").read_text() == mine + POSTGRES_STORAGE

    # a file that names its storage is left exactly as it is
    own = DataDir(tmp_path / "own")
    own.dagster_home.mkdir(parents=True)
    theirs = "run_storage:\n  module: dagster_postgres.run_storage\n  class: PostgresRunStorage\n"
    (own.dagster_home / "dagster.yaml").write_text(theirs)
    own.ensure()
    assert (own.dagster_home / "dagster.yaml").read_text() == theirs


def test_postgres_settings_that_cannot_work_are_one_line_each(tmp_path):
    def ingest(url: str | None) -> subprocess.CompletedProcess:
        env = {**os.environ, "PAPERTRENDS_DATA_DIR": str(tmp_path / "data")}
        env.pop(PG_URL_ENV, None)
        return subprocess.run([PAPERTRENDS, "ingest", str(SEEDS)], capture_output=True, text=True, timeout=600,
                              env=env if url is None else {**env, PG_URL_ENV: url})

    assert one_line(ingest("user:secret@db.example")) == (
        f"papertrends: {PG_URL_ENV} is not a Postgres URL (it names no scheme): set it to "
        "postgresql://USER:PASSWORD@HOST:PORT/DATABASE, or unset it to keep Dagster's runs in SQLite under the "
        "data dir")
    gone = one_line(ingest("postgresql://u:p@127.0.0.1:1/db"))   # (nothing listens on port 1)
    assert "Dagster's Postgres storage cannot be reached" in gone and "start the server" in gone
    # the storage lines papertrends added stay in dagster.yaml; the variable is unset
    assert one_line(ingest(None)) == (
        f"papertrends: {tmp_path / 'data' / 'dagster' / 'dagster.yaml'} keeps Dagster's runs in Postgres "
        f"through {PG_URL_ENV}, which is not set: set it again, or remove the storage lines papertrends "
        "added there to go back to SQLite")


def test_an_ingest_writes_the_warehouse_and_archive_where_they_are_set(tmp_path):
    root, shared, archive = tmp_path / "data", tmp_path / "shared", tmp_path / "archive-disk"
    landing, home = tmp_path / "landing-disk", tmp_path / "dagster-home"
    env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    env.update(PAPERTRENDS_DATA_DIR=str(root), PAPERTRENDS_WAREHOUSE=str(shared / "wh.duckdb"),
               PAPERTRENDS_ARCHIVE_DIR=str(archive), PAPERTRENDS_LANDING_DIR=str(landing),
               DAGSTER_HOME=str(home))
    done = subprocess.run([PAPERTRENDS, "ingest", str(SEEDS / "captures")], env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (shared / "wh.duckdb").exists() and (shared / "warehouse-readonly.duckdb").exists()
    assert not (root / "warehouse.duckdb").exists()
    assert not (root / "warehouse-readonly.duckdb").exists()
    assert [p.name for p in archive.rglob("*.txt")] and not list((root / "archive").rglob("*.txt"))
    assert str(shared / "wh.duckdb") in done.stdout
    # the files passed through the landing dir that is set, and the run is in that Dagster home
    assert landing.is_dir() and not (root / "landing").exists()
    assert (home / "dagster.yaml").exists() and (home / "history" / "runs.db").is_file()   # the run is recorded there
    assert not (root / "dagster").exists()
    query = subprocess.run([PAPERTRENDS, "sql", "select count(*) > 0 from raw.snapshots",
                            "--format", "csv"], env=env, capture_output=True, text=True, timeout=120)
    assert query.stdout.strip().splitlines()[-1] == "true", query.stdout + query.stderr



def test_a_service_warehouse_is_neither_created_nor_copied(tmp_path, monkeypatch):
    """The steps that make a local file skip a MotherDuck warehouse without connecting to it
    (MotherDuck itself cannot be reached from the tests: docs/deployment.md)."""
    from dagster import build_asset_context
    from dagster_duckdb import DuckDBResource

    from orchestration.defs.resources import DataDirResource
    from orchestration.defs.warehouse.published import published_warehouse
    from orchestration.storage.run_lock import release_pipeline_lock

    monkeypatch.setenv("PAPERTRENDS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PAPERTRENDS_WAREHOUSE", "md:papertrends")
    monkeypatch.setenv("motherduck_token", "made-up")
    monkeypatch.chdir(tmp_path)   # a service name taken for a file would land here
    resource = DataDirResource()
    try:
        data = resource.for_writing(build_asset_context())   # would create a file warehouse
        result = published_warehouse(build_asset_context(), data_dir=resource,
                                     duckdb=DuckDBResource(database="md:papertrends"))
    finally:
        release_pipeline_lock(resource.get().dagster_home)
    assert str(data.warehouse) == "md:papertrends"
    assert result.metadata["skipped"] == "md:papertrends is a service"
    assert not [p for p in tmp_path.rglob("*") if "duckdb" in p.name or p.name.startswith("md:")]


def test_a_service_warehouse_spills_into_the_data_dir(tmp_path, monkeypatch):
    """DuckDB's spill folder: beside a file warehouse; for md:NAME, in the data dir (not a
    folder named `md:NAME.tmp` in the working directory), in Python and in dbt's profile."""
    import jinja2

    from orchestration.storage.warehouse import spill_directory

    monkeypatch.setenv("PAPERTRENDS_DATA_DIR", str(tmp_path / "data"))
    profile = yaml.safe_load((ROOT / "dbt_project" / "profiles.yml").read_text())
    template = profile["papertrends"]["outputs"]["main"]["settings"]["temp_directory"]

    def in_profile(warehouse: str) -> str:
        values = {"PAPERTRENDS_WAREHOUSE": warehouse, "PAPERTRENDS_DATA_DIR": str(tmp_path / "data")}
        return jinja2.Template(template).render(env_var=lambda name, default=None: values.get(name, default))

    for warehouse, spill in (("md:papertrends", tmp_path / "data" / "warehouse.tmp"),
                             (str(tmp_path / "w.duckdb"), tmp_path / "w.duckdb.tmp")):
        assert spill_directory(warehouse) == str(spill)
        assert in_profile(warehouse).strip() == str(spill)
