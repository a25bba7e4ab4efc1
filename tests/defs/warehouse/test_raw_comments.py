"""The raw tables carry the dbt YAML's descriptions as DuckDB comments, in the published copy
people query (dbt comments its models, not its sources)."""

from __future__ import annotations

import duckdb
import yaml

from orchestration.storage.publish import published_path
from orchestration.storage.settings import DBT_PROJECT_DIR

SOURCES = DBT_PROJECT_DIR / "models" / "staging" / "__sources.yml"


def folded(text: str | None) -> str:
    return " ".join((text or "").split())


def test_the_published_copy_describes_every_raw_column_the_yaml_describes(capture_ingested):
    raw = next(s for s in yaml.safe_load(SOURCES.read_text())["sources"] if s["name"] == "raw")
    con = duckdb.connect(str(published_path(capture_ingested.warehouse)), read_only=True)
    try:
        tables = dict(con.execute("select table_name, comment from duckdb_tables() "
                                  "where schema_name = 'raw'").fetchall())
        columns = {(t, c): comment for t, c, comment in con.execute(
            "select table_name, column_name, comment from duckdb_columns() where schema_name = 'raw'"
        ).fetchall()}
    finally:
        con.close()
    expected_columns = {(table["name"], column["name"]): folded(column["description"])
                        for table in raw["tables"] for column in table.get("columns", [])
                        if column.get("description")}
    assert len(expected_columns) > 30
    assert {key: columns.get(key) for key in expected_columns} == expected_columns
    assert {t["name"]: tables.get(t["name"]) for t in raw["tables"]} == {
        t["name"]: folded(t["description"]) for t in raw["tables"]}
