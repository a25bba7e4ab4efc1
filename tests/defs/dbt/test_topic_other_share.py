"""Almost every paper of a real daily list gets a topic: at most 5% are tagged only `other`.

The session's `seeded` data dir holds the November 2025 listing days of ../shared/data
(tests/shared_data.py), run through the real pipeline with the bundled capture;
marts.paper_topics then holds the tags of every listed paper (the capture's papers, not on a
daily list, are left out of the share).
"""

from __future__ import annotations

import duckdb


def test_at_most_five_percent_of_daily_list_papers_are_only_other(seeded):
    with duckdb.connect(str(seeded.warehouse), read_only=True) as con:
        papers, only_other = con.execute("""
            select count(*), count(*) filter (where topics = ['other'])
            from (select topics.paper_id, list(distinct topics.topic) as topics
                  from marts.paper_topics as topics
                  inner join marts.papers as papers on topics.paper_id = papers.paper_id
                  where papers.is_listed
                  group by topics.paper_id)
        """).fetchone()
        listed = con.execute("select count(*) from marts.papers where is_listed").fetchone()[0]
    assert papers == listed > 300
    assert only_other / papers <= 0.05, f"{only_other} of {papers} papers are only 'other'"
