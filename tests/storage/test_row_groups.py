"""Every writer stores warehouse tables in row groups of the same size (orchestration/storage/warehouse.py
ROW_GROUP_SIZE): our own connections and dbt's; and opens the file as DuckDB would on its own
(spilling next to it, waiting for another process that holds it)."""

from __future__ import annotations

from datetime import timedelta

import duckdb
import polars as pl
import yaml

from orchestration.storage.settings import DBT_PROJECT_DIR
from orchestration.storage.warehouse import (
    ROW_GROUP_SIZE,
    connect,
    connect_for_writing,
    create_if_missing,
    in_chunks_of,
    replace_date_range,
)


def _row_groups(path, table: str) -> int:
    with connect(path, read_only=True) as con:
        return _row_groups_in(con, table)


def _row_groups_in(con, table: str) -> int:
    return con.execute(f"select count(distinct row_group_id) from pragma_storage_info('{table}')"
                       ).fetchall()[0][0]


def test_dbt_attaches_the_warehouse_with_the_same_row_group_size():
    profile = yaml.safe_load((DBT_PROJECT_DIR / "profiles.yml").read_text())
    [attached] = profile["papertrends"]["outputs"]["main"]["attach"]
    assert attached["options"]["row_group_size"] == ROW_GROUP_SIZE
    assert attached["alias"] == profile["papertrends"]["outputs"]["main"]["database"] == "warehouse"
    settings = profile["papertrends"]["outputs"]["main"]["settings"]
    # the attached file's path + ".tmp" (rendered: test_a_service_warehouse_spills_into_the_data_dir)
    assert attached["path"] == "{{ env_var('PAPERTRENDS_WAREHOUSE') }}"
    assert "set warehouse = env_var('PAPERTRENDS_WAREHOUSE')" in settings["temp_directory"]
    assert "{{ warehouse }}.tmp" in settings["temp_directory"]


def test_a_writing_connection_stores_tables_in_row_groups_of_that_size(tmp_path):
    path = tmp_path / "warehouse.duckdb"
    create_if_missing(path)
    with connect_for_writing(path) as con:
        assert con.execute("select current_database()").fetchall() == [("warehouse",)]
        con.execute(f"create table t as select range as x from range({3 * ROW_GROUP_SIZE + 1})")
    assert _row_groups(path, "t") == 4   # DuckDB's default size would make one


def test_connect_for_writing_is_what_connect_gives_a_writer(tmp_path):
    path = tmp_path / "warehouse.duckdb"
    create_if_missing(path)
    with connect(path) as con:
        con.execute(f"create table t as select range as x from range({ROW_GROUP_SIZE + 1})")
    assert _row_groups(path, "t") == 2
    with duckdb.connect(str(path), read_only=True) as plain:
        assert plain.execute("select count(*) from t").fetchall() == [(ROW_GROUP_SIZE + 1,)]


def test_a_writer_spills_next_to_the_warehouse(tmp_path):
    path = tmp_path / "warehouse.duckdb"
    create_if_missing(path)
    with connect_for_writing(path) as con:
        assert con.execute("select current_setting('temp_directory')").fetchall() == [(f"{path}.tmp",)]


def test_a_load_fills_whole_row_groups_whatever_chunks_its_frames_come_in(seeded, tmp_path):
    """raw.paper_observations holds n loaded rows in ceil(n / ROW_GROUP_SIZE) row groups as soon
    as the load commits, even from a frame of chunks of another size (as read back from parquet):
    the part-filled groups DuckDB's parallel insert leaves cost a merge at later checkpoints."""
    with connect(seeded.warehouse, read_only=True) as con:
        real = con.sql("select * from raw.paper_observations").pl()
        no_snapshots = con.sql("select * from raw.snapshots limit 0").pl()
        no_quarantine = con.sql("select * from raw.quarantine limit 0").pl()
    copies = -(-5 * ROW_GROUP_SIZE // real.height)   # five row groups of rows, or a few more
    rows = pl.concat([real.with_columns(pl.col("snapshot_id") + f"-{n}") for n in range(copies)])
    chunked = in_chunks_of(rows, ROW_GROUP_SIZE + 1_600)   # as parquet gave them: a group and a bit
    assert chunked.n_chunks() >= 4 and rows.height >= 5 * ROW_GROUP_SIZE
    path = tmp_path / "warehouse.duckdb"
    create_if_missing(path)
    days = rows["snapshot_date"]
    # several threads, as on the 2-core machine (one thread never leaves part-filled groups)
    with connect_for_writing(path, config={"threads": 4}) as con:
        replace_date_range(con, days.min(), days.max() + timedelta(days=1), no_snapshots, chunked,
                           no_quarantine)
        assert _row_groups_in(con, "raw.paper_observations") == -(-rows.height // ROW_GROUP_SIZE)
        assert con.execute("select count(*) from raw.paper_observations").fetchall() == [(rows.height,)]
