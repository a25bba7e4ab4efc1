"""`papertrends sql` results as people read them: fitted to the terminal's width (`COLUMNS`),
long values cut with an ellipsis, wide results one column per line, and cut results saying so.
A real subprocess on a real published DuckDB file."""

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
ARXIV = "2511.07419"


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> DataDir:
    """A published copy with one 300-row table of 13 columns, a long title and an arXiv id."""
    data = DataDir(tmp_path_factory.mktemp("sql-output") / "data").ensure()
    with duckdb.connect(str(published_path(data.warehouse))) as con:
        con.execute("create schema marts")
        con.execute(f"""create table marts.papers as select range as paper_id, '{ARXIV}' as arxiv_id,
                        repeat('token ', 40) as title,
                        {', '.join(f"'v{i}' as c{i}" for i in range(10))} from range(300)""")
    return data


def sql(data: DataDir, *args: str, columns: int = 80) -> subprocess.CompletedProcess:
    env = {**os.environ, "PAPERTRENDS_DATA_DIR": str(data.root), "COLUMNS": str(columns)}
    return subprocess.run([PAPERTRENDS, "sql", *args], capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL, timeout=120)


@pytest.mark.parametrize("columns", [60, 80, 140])
def test_a_table_fits_the_terminal_and_cuts_values_with_an_ellipsis(data, columns):
    result = sql(data, "select paper_id, arxiv_id, title from marts.papers limit 3", columns=columns)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert all(len(line) <= columns for line in lines), lines
    body = [line for line in lines if line.startswith("| ") and "paper_id" not in line]
    assert len(body) == 3                       # one line a row: nothing wrapped
    assert all(ARXIV in line for line in body)  # the short value whole, never split
    assert all("…" in line for line in body)    # the long one cut, and marked
    assert lines[-1] == "(3 rows, 3 columns)"


def test_a_result_too_wide_for_the_terminal_prints_one_column_per_line(data):
    result = sql(data, "select * from marts.papers limit 2", columns=60)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert all(len(line) <= 60 for line in lines)
    assert sum(line.startswith("-[ row ") for line in lines) == 2
    assert f"arxiv_id | {ARXIV}" in lines
    assert "c9       | v9" in lines
    assert lines[-1] == "(2 rows, 13 columns)"


def test_a_cut_result_says_how_many_rows_it_shows_and_how_to_get_all(data):
    cut = sql(data, "select paper_id from marts.papers")
    assert cut.returncode == 0, cut.stderr
    footer = cut.stdout.splitlines()[-1]
    assert footer.startswith("(40 of 300 rows shown;")
    assert "--max-rows 0" in footer and "--format csv" in footer
    assert sum(line.startswith("| ") for line in cut.stdout.splitlines()) == 41   # header + 40

    some = sql(data, "select paper_id from marts.papers", "--max-rows", "5")
    assert some.stdout.splitlines()[-1].startswith("(5 of 300 rows shown;")
    every = sql(data, "select paper_id from marts.papers", "--max-rows", "0")
    assert every.stdout.splitlines()[-1] == "(300 rows, 1 column)"
    more = sql(data, "select paper_id from marts.papers", "--max-rows", "99999999999999999999")
    assert (more.returncode, more.stdout) == (0, every.stdout), more.stderr
    csv = sql(data, "select paper_id from marts.papers", "--format", "csv")
    assert csv.stdout.split() == ["paper_id", *map(str, range(300))]


def test_max_rows_must_be_a_count(data):
    result = sql(data, "select 1", "--max-rows", "-1")
    assert result.returncode == 2
    assert "--max-rows: must be 0 (every row) or more: '-1'" in result.stderr, result.stderr


# Values with the terminal cells they take, counted by hand: a CJK character takes two, an
# accent or a vowel sign drawn on the letter before it and a zero-width joiner none.
WIDE = "大型语言模型的推理能力研究与评估方法综述以及未来方向"                     # 26 characters, 52 cells
MARKED = "Cafe\u0301 re\u0301sume\u0301, हिंदी, ไทย, a\u200db and a long tail of words"


def _cells(line: str) -> int:
    """The cells of a table line built from the values above and ASCII."""
    zero_width = "\u0301\u0902\u200d"   # the acute accent, Devanagari anusvara, the joiner
    return (len(line) - sum(line.count(c) for c in zero_width)
            + sum(1 for c in line if "\u4e00" <= c <= "\u9fff"))


@pytest.mark.parametrize("columns", [40, 60])
def test_wide_characters_are_fitted_by_the_cells_they_take(data, columns):
    query = f"select '2501.00001' as arxiv_id, '{WIDE}' as title union all select '2501.00002', '{MARKED}'"
    result = sql(data, query, columns=columns)
    assert result.returncode == 0, result.stderr
    table = [line for line in result.stdout.splitlines() if line.startswith("|")]
    assert len(table) == 4
    assert {_cells(line) for line in table} == {columns}   # every line exactly as wide
    assert "…" in table[2] and table[2].startswith("| 2501.00001 | 大型")


def test_an_empty_wide_result_wraps_its_column_names_to_the_terminal(data):
    result = sql(data, "select * from marts.papers where false", columns=60)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1] == "(0 rows, 13 columns)"
    assert max(len(line) for line in lines) <= 60
    assert all(f"c{i}" in result.stdout for i in range(10)) and "arxiv_id" in result.stdout
