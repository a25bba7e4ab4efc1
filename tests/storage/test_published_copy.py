"""Ad-hoc SQL reads the published copy: it answers while the pipeline holds the warehouse, and
the copy opens in the DuckDB 1.5 CLI from PyPI (which refuses DuckDB 2.0's own format)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb

from orchestration.storage.publish import publish, published_path, readable_by_old_clients
from orchestration.storage.warehouse import create_if_missing

BIN = Path(sys.executable).parent
HOLD_WRITER = textwrap.dedent("""
    import sys, time, duckdb
    con = duckdb.connect(sys.argv[1])            # a writer, as the scheduled run is
    con.execute("create or replace table raw.lock_probe as select 1 as x")
    print("holding", flush=True)
    time.sleep(120)
""")


def papertrends(data_root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PAPERTRENDS_DATA_DIR": str(data_root)}
    return subprocess.run([str(BIN / "papertrends"), *args], capture_output=True, text=True,
                          env=env, timeout=120)


def _count(database: Path, sql: str) -> int:
    con = duckdb.connect(str(database), read_only=True)
    try:
        return con.execute(sql).fetchall()[0][0]
    finally:
        con.close()


def test_sql_answers_while_another_process_holds_the_warehouse(seeded_copy):
    papers = _count(seeded_copy.warehouse, "select count(*) from marts.papers")   # before the writer
    assert papers > 0
    writer = subprocess.Popen([sys.executable, "-c", HOLD_WRITER, str(seeded_copy.warehouse)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "holding"
        # The warehouse itself is locked now ...
        try:
            duckdb.connect(str(seeded_copy.warehouse), read_only=True).close()
            locked = False
        except duckdb.IOException:
            locked = True
        assert locked
        # ... and the published copy still answers.
        result = papertrends(seeded_copy.root, "sql", "select count(*) as n from marts.papers",
                             "--format", "csv")
        assert result.returncode == 0, result.stderr
        assert result.stdout.split() == ["n", str(papers)]
    finally:
        writer.kill()
        writer.wait()


def duckdb_cli(database: Path, sql: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "duckdb"), "-readonly", "-csv", str(database), "-c", sql],
                          capture_output=True, text=True, timeout=60)


def test_the_duckdb_1_5_cli_opens_the_published_copy(seeded):
    version = subprocess.run([str(BIN / "duckdb"), "--version"], capture_output=True, text=True).stdout
    assert version.startswith("v1.5"), version
    copy = published_path(seeded.warehouse)
    opened = duckdb_cli(copy, "select count(*) as n from marts.papers; "
                              "select count(*) as v from reporting.topic_trends")
    assert opened.returncode == 0, opened.stderr
    papers = _count(seeded.warehouse, "select count(*) from marts.papers")
    trends = _count(copy, "select count(*) from reporting.topic_trends")
    assert papers > 0 and opened.stdout.split() == ["n", str(papers), "v", str(trends)]
    # papertrends made the warehouse in the same format, so publishing it was a file copy.
    con = duckdb.connect(str(seeded.warehouse), read_only=True)
    try:
        assert readable_by_old_clients(con)
    finally:
        con.close()


def test_a_new_warehouse_is_made_in_the_format_old_clients_read(tmp_path):
    warehouse = tmp_path / "o'brien data" / "warehouse.duckdb"  # a quote in the path, too
    create_if_missing(warehouse)
    con = duckdb.connect(str(warehouse))
    try:
        con.execute("create table t as select 1 as x")  # DuckDB 2.0 writes it, keeping the format
        assert readable_by_old_clients(con)
    finally:
        con.close()
    opened = duckdb_cli(warehouse, "select x from t")
    assert opened.returncode == 0 and opened.stdout.split() == ["x", "1"], opened.stderr


def test_a_warehouse_in_duckdb_2_format_is_published_table_by_table(tmp_path):
    warehouse = tmp_path / "o'brien" / "warehouse.duckdb"
    warehouse.parent.mkdir()
    con = duckdb.connect(str(warehouse))  # DuckDB 2.0's own format, as earlier versions made it
    try:
        con.execute("""create schema marts; create table marts.t as select 41 + 1 as x;
                       create schema reporting; create view reporting.v as select x from marts.t;
                       comment on view reporting.v is 'answer'""")
        assert not readable_by_old_clients(con)
        copy = publish(con, warehouse)
    finally:
        con.close()
    refused = duckdb_cli(warehouse, "select 1")
    assert refused.returncode != 0 and "version number" in (refused.stderr + refused.stdout)
    opened = duckdb_cli(copy, "select x from reporting.v; "
                              "select comment from duckdb_views() where view_name = 'v'")
    assert opened.returncode == 0, opened.stderr
    assert opened.stdout.split() == ["x", "42", "comment", "answer"]


def test_the_published_copy_keeps_the_comments(seeded):
    con = duckdb.connect(str(published_path(seeded.warehouse)), read_only=True)
    try:
        bare = con.execute("""select count(*) from duckdb_columns()
            where schema_name = 'reporting' and (comment is null or comment = '')""").fetchall()[0][0]
        views = con.execute("select count(*) from duckdb_views() where schema_name = 'reporting'"
                            " and comment is not null").fetchall()[0][0]
    finally:
        con.close()
    assert bare == 0 and views >= 5
