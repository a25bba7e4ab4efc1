"""New directions across runs, on months of the real history: a run on top of another keeps the
feed's entry ids, embeds only the new papers and ends where a full rebuild does."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from tests.conftest import fresh_data_dir
from tests.end_to_end.real_history import dbt_build_on, history_files, ingest, sql

pytestmark = pytest.mark.needs_shared_data


def test_feed_entry_ids_stay_the_same_from_run_to_run(tmp_path):
    """Two runs (April 2025, then one more day): the entries both feeds hold keep their ids."""
    from xml.etree import ElementTree as ET

    atom = "{http://www.w3.org/2005/Atom}"
    april = [p for p in history_files() if p.stem.startswith("2025-04")]
    data = fresh_data_dir(tmp_path / "data")
    ingest(data, april[:-1], date(2025, 4, 1), date(2025, 4, 30))
    first = ET.parse(data.reports / "feed.xml").getroot().findall(f"{atom}entry")
    ingest(data, april[-1:], date(2025, 4, 1), date(2025, 4, 30))
    second = ET.parse(data.reports / "feed.xml").getroot().findall(f"{atom}entry")

    def by_id(entries):
        return {e.find(f"{atom}id").text: e.find(f"{atom}title").text for e in entries}

    before, after = by_id(first), by_id(second)
    assert len(after) == len(before) + 1          # the new day
    days_before = {i: t for i, t in before.items() if "/day/" in i}
    assert all(after[i] == t for i, t in days_before.items())
    assert set(before) <= set(after)


def test_a_daily_run_embeds_only_new_papers_and_gives_the_full_build(tmp_path):
    """January 2025, then February in a second run: the second run keeps January's vectors and
    term mentions, and its neighbours, terms and term counts are those a full rebuild (dbt build
    --full-refresh) of the same warehouse gives."""
    import shutil

    files = [p for p in history_files() if p.stem[:7] in ("2025-01", "2025-02")]
    data = fresh_data_dir(tmp_path / "data")
    january = [p for p in files if p.stem.startswith("2025-01")]
    ingest(data, january, date(2025, 1, 1), date(2025, 1, 31))
    embedded = sql(data, "select paper_id, text_hash from intermediate.int_paper_vectors")
    mentioning = "select count(distinct paper_id) from intermediate.int_term_mentions"
    [(mentioned_in_january,)] = sql(data, mentioning)
    # a marker row among a January paper's mentions (a title word no keyword has: paper_terms
    # ignores it) stays only if the second run leaves January's papers alone
    con = duckdb.connect(str(data.warehouse))
    try:
        con.execute("""
            insert into intermediate.int_term_mentions
            select paper_id, 'zzmarker', 'zz marker', false, 1, 1, mention_hash
            from intermediate.int_term_mentions order by paper_id limit 1
        """)
    finally:
        con.close()
    ingest(data, [p for p in files if p not in january], date(2025, 2, 1), date(2025, 2, 28))
    kept = sql(data, "select paper_id, text_hash from intermediate.int_paper_vectors")
    assert set(embedded) < set(kept)
    assert sql(data, "select count(*) from intermediate.int_term_mentions "
                     "where term_key = 'zzmarker'") == [(1,)]
    [(mentioned,)] = sql(data, mentioning)
    assert mentioned > mentioned_in_january > 0

    rebuilt = tmp_path / "rebuilt.duckdb"
    shutil.copy(data.warehouse, rebuilt)
    dbt_build_on(rebuilt, tmp_path / "target", "--full-refresh", "--select", "int_paper_vectors+",
                 "int_term_mentions+")
    query = "select paper_id, neighbour_id, rank, score from marts.similar_papers order by paper_id, rank"
    terms = "select * from marts.paper_terms order by paper_id, term"
    counts = "select * from marts.term_counts order by term, grain, period_start"
    incremental = sql(data, query)
    con = duckdb.connect(str(rebuilt), read_only=True)
    try:
        assert con.execute(query).fetchall() == incremental
        assert con.execute(terms).fetchall() == sql(data, terms)
        assert con.execute(counts).fetchall() == sql(data, counts)
        assert con.execute("select count(*) from intermediate.int_term_mentions "
                           "where term_key = 'zzmarker'").fetchall() == [(0,)]
    finally:
        con.close()
    assert len(incremental) == 10 * len(kept)
