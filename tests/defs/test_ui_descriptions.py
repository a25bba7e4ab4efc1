"""What the Dagster UI shows without noise: every check, the schedule and the sensor described;
every raw column described from the dbt YAML (the data dictionary's source too); previews of a
table's latest rows."""

from __future__ import annotations

from datetime import date

import duckdb

from orchestration.defs.dbt.manifest import ensure_manifest

ensure_manifest()
from orchestration.definitions import defs  # noqa: E402  (needs the manifest)
from orchestration.defs.dbt.data_dictionary import OUTPUT, column_descriptions  # noqa: E402
from orchestration.defs.warehouse.table_metadata import table_metadata  # noqa: E402
from orchestration.storage.warehouse import RAW_DDL  # noqa: E402


def test_every_asset_check_is_described():
    graph = defs.resolve_asset_graph()
    missing = [key.to_user_string() for key in graph.asset_check_keys
               if not graph.get_check_spec(key).description]
    assert not missing
    spec = graph.get_check_spec(next(k for k in graph.asset_check_keys
                                      if k.name == "primary_key_papers_paper_id"))
    assert spec.description == "(paper_id) identifies each row: never null, never repeated"


def test_the_schedule_and_the_sensor_are_described():
    assert "06:00" in defs.resolve_schedule_def("daily_schedule").description or \
        "0 6 * * *" in defs.resolve_schedule_def("daily_schedule").description
    assert "landing/" in defs.resolve_sensor_def("landing_sensor").description


def _raw_warehouse() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(RAW_DDL)
    return con


def test_every_raw_column_is_described_in_the_yaml_and_the_data_dictionary():
    con = _raw_warehouse()
    columns = con.execute("select table_name, column_name from duckdb_columns() "
                          "where schema_name = 'raw'").fetchall()
    described = column_descriptions()
    missing = [f"raw.{t}.{c}" for t, c in columns if not described.get(f"raw.{t}", {}).get(c)]
    assert not missing
    dictionary = OUTPUT.read_text()
    for table, column in columns:
        section = dictionary.split(f"## raw.{table}\n", 1)[1].split("\n## ", 1)[0]
        assert f"| {column} | {described[f'raw.{table}'][column]} |" in section


def test_raw_table_metadata_carries_column_descriptions_and_the_latest_rows():
    con = _raw_warehouse()
    con.execute("""insert into raw.quarantine
                   select 's' || i, date '2025-01-01' + i::integer, 0, 'x', ['bad'], null, null
                   from range(10) t(i)""")
    metadata = table_metadata(con, "raw", "quarantine")
    schema = metadata["dagster/column_schema"]
    assert all(column.description for column in schema.columns)
    preview = metadata["preview"].md_str.splitlines()
    assert "2025-01-10" in preview[2] and "2025-01-06" in preview[-1]
    assert date(2025, 1, 1).isoformat() not in metadata["preview"].md_str
