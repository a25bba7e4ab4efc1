"""A dbt-duckdb plugin (named in dbt_project/profiles.yml) that gives dbt's DuckDB connection
the functions the models call beyond DuckDB's own: topic_match_count(text, pattern) for
paper_topics (transforms/topic_matching.py). Any `dbt` command run with the project's profile
loads it, papertrends' own runs and a plain `uv run dbt build` alike."""

from __future__ import annotations

from dbt.adapters.duckdb.plugins import BasePlugin
from duckdb import DuckDBPyConnection
from duckdb.sqltypes import BIGINT, VARCHAR

from transforms.topic_matching import count_matches


class Plugin(BasePlugin):
    def configure_connection(self, conn: DuckDBPyConnection) -> None:
        conn.create_function("topic_match_count", count_matches, [VARCHAR, VARCHAR], BIGINT,
                             type="arrow", side_effects=False)
