"""The `papertrends sql` prompt answers what people type at the DuckDB CLI: `.tables`,
`.schema`, `.help`, `.quit`, `show tables` over every schema; a missing table is answered with
the warehouse's own tables. Through piped input to a real subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from orchestration.storage.publish import published_path
from orchestration.storage.settings import DataDir

PAPERTRENDS = str(Path(sys.executable).parent / "papertrends")


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> DataDir:
    data = DataDir(tmp_path_factory.mktemp("sql-prompt") / "data").ensure()
    with duckdb.connect(str(published_path(data.warehouse))) as con:
        con.execute("create schema marts; create schema reporting; create schema raw")
        con.execute("create table marts.papers as select range as paper_id from range(3)")
        con.execute("comment on table marts.papers is 'one row per paper'")
        con.execute("comment on column marts.papers.paper_id is 'the arXiv id'")
        con.execute("create table raw.snapshots as select 1 as snapshot_id")
        con.execute("create view reporting.topic_trends as select 1 as n")
    return data


def sql(data: DataDir, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PAPERTRENDS_DATA_DIR": str(data.root), "COLUMNS": "120"}
    return subprocess.run([PAPERTRENDS, "sql", "--format", "csv", *args], capture_output=True,
                          text=True, env=env, input=stdin, timeout=120,
                          stdin=subprocess.DEVNULL if stdin is None else None)


LISTING = ["schema,name,kind,description", "marts,papers,table,one row per paper",
           "raw,snapshots,table,\"\"", "reporting,topic_trends,view,\"\""]


@pytest.mark.parametrize("command", [".tables", "show tables;", "SHOW ALL TABLES;"])
def test_tables_are_listed_across_schemas(data, command):
    result = sql(data, stdin=f"{command}\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:4] == LISTING


def test_a_dot_command_is_not_glued_to_the_next_statement(data):
    result = sql(data, stdin=".tables\nselect 7 as n;\n.schema papers\n.help\n.quit\nselect 8 as m;\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "reporting,topic_trends,view" in out and "n\n7" in out
    assert "marts.papers,paper_id,BIGINT,the arXiv id" in out
    assert ".schema [NAME]" in out          # the help
    assert "m\n8" not in out                # .quit left before it


def test_a_dot_command_as_the_query_argument(data):
    result = sql(data, ".schema marts.papers")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["table,column,type,description",
                                          "marts.papers,paper_id,BIGINT,the arXiv id"]


def test_schema_of_a_table_that_does_not_exist_fails_in_words(data):
    result = sql(data, ".schema nope")
    assert result.returncode == 1
    assert result.stderr.strip() == "papertrends: no table or view named nope; .tables lists them"
    assert result.stdout == ""


def test_an_unknown_dot_command_fails_and_the_rest_runs(data):
    result = sql(data, stdin=".tabels\nselect 1 as a;\n")
    assert result.returncode == 1
    assert result.stderr.strip() == "papertrends: unknown command .tabels; .help lists the commands"
    assert result.stdout.split() == ["a", "1"]


def test_a_missing_table_is_answered_with_the_warehouses_own(data):
    result = sql(data, "select * from paperz")
    assert result.returncode == 1
    assert "Did you mean marts.papers?" in result.stderr, result.stderr
    assert "pg_" not in result.stderr
    far = sql(data, "select * from zzz")
    assert "pg_" not in far.stderr and ".tables lists them" in far.stderr, far.stderr


def test_dot_tables_lists_every_table_whatever_max_rows(data):
    env = {**os.environ, "PAPERTRENDS_DATA_DIR": str(data.root), "COLUMNS": "120"}
    result = subprocess.run([PAPERTRENDS, "sql", "--max-rows", "1"], capture_output=True, text=True,
                            env=env, input=".tables\nselect * from range(3);\n", timeout=120)
    assert result.returncode == 0, result.stderr
    assert "(3 rows, 4 columns)" in result.stdout          # the listing: every table
    assert "(1 of 3 rows shown;" in result.stdout           # a query: cut at --max-rows


def test_list_and_struct_columns_are_json_text_in_csv(data):
    result = sql(data, "select [1, 2] as l, {'k': 'v'} as s, cast(null as int[]) as n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["l,s,n", '"[1, 2]","{""k"": ""v""}",']


def test_a_control_character_in_a_value_is_shown_not_obeyed(data):
    env = {**os.environ, "PAPERTRENDS_DATA_DIR": str(data.root), "COLUMNS": "120"}
    result = subprocess.run([PAPERTRENDS, "sql", "select 'a' || chr(27) || '[2Jb' as t"], capture_output=True,
                            text=True, env=env, timeout=120, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout and "a\\x1b[2Jb" in result.stdout


def test_a_missing_published_copy_beside_the_warehouse_says_the_next_run_writes_it(tmp_path):
    data = DataDir(tmp_path / "data").ensure()
    duckdb.connect(str(data.warehouse)).close()
    result = sql(data, "select 1")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"papertrends: the published copy {published_path(data.warehouse)} is missing (the warehouse beside "
        "it is there; a first run that stopped before the marts writes none): the next run that completes "
        f"writes it; to look at the warehouse itself now: uv run duckdb -readonly {data.warehouse}")
