"""The entry key (snapshot_id, position) of raw.paper_observations and raw.quarantine: checked by
the loader, not a DuckDB primary key (whose index DuckDB rewrites whole at each checkpoint), and
warehouses made with the old primary keys lose them without losing a row."""

from __future__ import annotations

import re
import shutil
from datetime import date

import duckdb
import polars as pl
import pytest

from orchestration.storage.warehouse import RAW_DDL, ensure_raw_tables, replace_date_range

START, END = date(2025, 11, 1), date(2025, 12, 1)
KEYED_BEFORE = ("paper_observations", "quarantine")


def with_entry_primary_key(ddl: str, table: str) -> str:
    """The DDL with `primary key (snapshot_id, position)` closing raw.<table>'s column list, as
    the keyed version made it."""
    create = re.compile(rf"(create table if not exists raw\.{table} \(.*?)(\n\);)", re.S)
    assert len(create.findall(ddl)) == 1, table
    return create.sub(lambda m: re.sub(r"(\S)(\s*(--[^\n]*)?)$",
                                       r"\1,\2", m.group(1), count=1)
                      + "\n    primary key (snapshot_id, position)" + m.group(2), ddl)


def primary_keys(con) -> set[str]:
    return {row[0] for row in con.execute(
        "select table_name from duckdb_constraints() "
        "where schema_name = 'raw' and constraint_type = 'PRIMARY KEY'").fetchall()}


def fingerprint(con, table: str) -> tuple:
    return con.execute(f"select count(*), sum(hash(t)) from raw.{table} as t").fetchone()


@pytest.fixture
def warehouse(seeded, tmp_path):
    path = tmp_path / "warehouse.duckdb"
    shutil.copy(seeded.warehouse, path)
    with duckdb.connect(str(path)) as con:
        yield con


def test_old_primary_keys_are_dropped_and_every_row_is_kept(warehouse):
    old_ddl = RAW_DDL
    for table in KEYED_BEFORE:
        old_ddl = with_entry_primary_key(old_ddl, table)
    for table in KEYED_BEFORE:   # rebuild as a warehouse made by the keyed version would be
        warehouse.execute(f"alter table raw.{table} rename to {table}__plain")
        warehouse.execute(old_ddl)
        warehouse.execute(f"insert into raw.{table} by name select * from raw.{table}__plain")
        warehouse.execute(f"drop table raw.{table}__plain")
    assert primary_keys(warehouse) == {"snapshots", "paper_observations", "quarantine"}
    before = {table: fingerprint(warehouse, table) for table in KEYED_BEFORE}
    assert before["paper_observations"][0] > 0

    ensure_raw_tables(warehouse)

    assert primary_keys(warehouse) == {"snapshots"}
    assert {table: fingerprint(warehouse, table) for table in KEYED_BEFORE} == before


def test_rows_sharing_an_entry_key_are_refused_and_nothing_is_loaded(warehouse):
    def month(table: str) -> pl.DataFrame:
        return warehouse.sql(f"select * from raw.{table} where snapshot_date >= ? and snapshot_date < ?",
                             params=[START, END]).pl()

    snapshots, observations, quarantine = month("snapshots"), month("paper_observations"), month("quarantine")
    assert observations.height > 1
    twice = pl.concat([observations, observations.head(1).with_columns(pl.col("title") + " (again)")])
    before = fingerprint(warehouse, "paper_observations")

    with pytest.raises(ValueError, match="share a \\(snapshot_id, position\\) key") as refused:
        replace_date_range(warehouse, START, END, snapshots, twice, quarantine)

    first = observations.row(0, named=True)
    assert f"{first['snapshot_id']} position {first['position']}" in str(refused.value)
    assert fingerprint(warehouse, "paper_observations") == before

    # a quarantined entry with the key of another quarantined one is refused the same way
    reasons = pl.Series("reasons", [["a reason"]], dtype=pl.List(pl.String))
    rejected = pl.DataFrame({"snapshot_id": [first["snapshot_id"]], "snapshot_date": [first["snapshot_date"]],
                             "position": [10_000], "raw_text": ["x"], "title": [None], "arxiv_id": [None]}
                            ).with_columns(reasons)
    with pytest.raises(ValueError, match="2 quarantine rows share"):
        replace_date_range(warehouse, START, END, snapshots, observations, pl.concat([rejected, rejected]))
    assert fingerprint(warehouse, "paper_observations") == before
