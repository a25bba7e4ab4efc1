"""marts.papers recomputes a paper when the set of its observations changes, by comparing an
aggregate hash of the set (the observation_set_hash macro) with the stored one. The macro's
expression, run in DuckDB on sets a reload can make: a row more, a row less, rows moved to
other positions or snapshots."""

from __future__ import annotations

import re

import duckdb
import pytest

from tests.conftest import ROOT

MACROS = ROOT / "dbt_project" / "macros" / "incremental_reload.sql"


def _expression() -> str:
    text = MACROS.read_text()
    body = re.search(r"\{% macro observation_set_hash\(\) -%\}(.*?)\{%- endmacro %\}", text, re.S)
    assert body, "observation_set_hash macro not found"
    return body[1].strip()


def _hash(rows: list[tuple[str, int]]) -> int:
    values = ", ".join(f"('{snapshot}', {position})" for snapshot, position in rows)
    return duckdb.sql(f"select {_expression()} from (values {values}) as t(snapshot_id, position)").fetchall()[0][0]


@pytest.mark.parametrize("before, after", [
    ([("a", 3)], [("a", 3), ("b", 3)]),                          # a row more
    ([("a", 3), ("b", 5)], [("a", 3)]),                          # a row less
    ([("a", 3), ("b", 3)], [("a", 4), ("b", 4)]),                # same position, both moved
    ([("s1", 3), ("s1", 7)], [("s2", 3), ("s2", 7)]),            # same positions, other snapshot
    ([("a", 1), ("a", 2), ("b", 1), ("b", 2)], [("a", 1)]),      # a square of rows
    ([("a", 12)], [("a1", 2)]),                                  # id and position run together
])
def test_a_changed_set_hashes_differently(before, after):
    assert _hash(before) != _hash(after)


def test_the_same_set_in_any_order_hashes_alike():
    rows = [("2025-11-03_api_ab12", 1), ("2025-11-04_api_cd34", 7), ("2025-11-05_capture_ef56", 2)]
    assert _hash(rows) == _hash(rows[::-1])
