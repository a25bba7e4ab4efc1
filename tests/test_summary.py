"""What `papertrends ingest` and `make run` print at the end: the warehouse's totals and tops."""

from __future__ import annotations

from orchestration.settings import DataDir
from orchestration.summary import summary_text

from tests.conftest import CAPTURE
from tests.warehouse_checks import ingest_ok, query


def _section(text: str, heading: str) -> list[str]:
    lines = text.splitlines()
    start = lines.index(heading) + 1
    return lines[start:lines.index("", start)]


def test_the_summary_names_the_top_authors_with_their_counts(seeded):
    text = summary_text(seeded)
    expected = query(seeded.root / "warehouse.duckdb",
                     "select author, n_papers from marts.author_counts order by n_papers desc, author limit 10")
    assert len(expected) == 10
    assert _section(text, "Top authors (papers)") == [f"  {n:>5}  {a}" for a, n in expected]


def test_with_page_captures_only_it_says_why_no_author_is_listed(tmp_path):
    ingest_ok(tmp_path, [CAPTURE])
    assert query(tmp_path / "warehouse.duckdb", "select count(*) from marts.author_counts") == [(0,)]
    section = _section(summary_text(DataDir(tmp_path)), "Top authors (papers)")
    assert len(section) == 1 and "page captures show how many authors" in section[0]
