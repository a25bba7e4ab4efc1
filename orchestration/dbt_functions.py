"""A dbt-duckdb plugin (named in dbt_project/profiles.yml) that gives dbt's DuckDB connection
the functions the models call beyond DuckDB's own (transforms/topic_matching.py):
topic_match_counts(text, patterns), the list of each pattern's match counts;
topic_match_counts_rewritten(text, patterns, rewrite, replacement), the same after folding the
text's whitespace and replacing `rewrite`, which paper_topics calls on the abstracts with every
topic at once; and topic_match_count(text, pattern) for one pattern. Any `dbt` command run with the project's profile
loads it, papertrends' own runs and a plain `uv run dbt build` alike."""

from __future__ import annotations

from dbt.adapters.duckdb.plugins import BasePlugin
from duckdb import DuckDBPyConnection
from duckdb.sqltypes import BIGINT, VARCHAR, DuckDBPyType

from transforms.topic_matching import count_matches, count_matches_each, count_matches_each_rewritten


class Plugin(BasePlugin):
    def configure_connection(self, conn: DuckDBPyConnection) -> None:
        conn.create_function("topic_match_count", count_matches, [VARCHAR, VARCHAR], BIGINT,
                             type="arrow", side_effects=False)
        conn.create_function("topic_match_counts", count_matches_each,
                             [VARCHAR, DuckDBPyType("VARCHAR[]")], DuckDBPyType("BIGINT[]"),
                             type="arrow", side_effects=False)
        conn.create_function("topic_match_counts_rewritten", count_matches_each_rewritten,
                             [VARCHAR, DuckDBPyType("VARCHAR[]"), VARCHAR, VARCHAR],
                             DuckDBPyType("BIGINT[]"), type="arrow", side_effects=False)
