"""The raw tables' comments in DuckDB, from the dbt YAML that describes them.

dbt writes the models' and views' comments itself (`persist_docs`), but not those of its
sources, and the raw tables are sources: without this, `.schema raw.snapshots` in `papertrends
sql` or `duckdb_columns()` would show their columns undescribed. The published copy is a copy
of the warehouse's file, so the comments written here reach it too."""

from __future__ import annotations

import duckdb

from orchestration.defs.dbt.data_dictionary import descriptions
from orchestration.storage.warehouse import sql_literal

SCHEMA = "raw"


def describe_raw_tables(con: duckdb.DuckDBPyConnection) -> int:
    """Comment every raw table and column the dbt YAML describes, where its comment differs
    (after the first run, none does). Returns how many comments were written."""
    described = descriptions()
    tables = con.execute(
        """select table_name, comment from duckdb_tables()
           where database_name = current_database() and schema_name = ?""", [SCHEMA]).fetchall()
    columns = con.execute(
        """select table_name, column_name, comment from duckdb_columns()
           where database_name = current_database() and schema_name = ?""", [SCHEMA]).fetchall()
    statements = []
    for table, comment in tables:
        wanted = described.get(f"{SCHEMA}.{table}", ("", {}))[0]
        if wanted and wanted != comment:
            statements.append(f'comment on table {SCHEMA}."{table}" is {sql_literal(wanted)}')
    for table, column, comment in columns:
        wanted = described.get(f"{SCHEMA}.{table}", ("", {}))[1].get(column)
        if wanted and wanted != comment:
            statements.append(f'comment on column {SCHEMA}."{table}"."{column}" is {sql_literal(wanted)}')
    if statements:
        con.execute("begin transaction")
        try:
            for statement in statements:
                con.execute(statement)
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
    return len(statements)
