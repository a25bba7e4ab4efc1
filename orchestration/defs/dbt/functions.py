"""A dbt-duckdb plugin (named in dbt_project/profiles.yml) that gives dbt's DuckDB connection
the functions the models call beyond DuckDB's own (transforms/topic_matching.py):
topic_match_counts_rewritten(text, patterns, rewrite, replacement), which paper_topics calls on
the abstracts with every topic at once (the list of each pattern's match counts after folding
the text's whitespace and replacing `rewrite`); topic_match_counts(text, patterns), the same
without them; and topic_match_count(text, pattern) for one pattern. Any `dbt` command run with
the project's profile loads it, papertrends' own runs and a plain `uv run dbt build` alike."""

from __future__ import annotations

from dbt.adapters.duckdb.plugins import BasePlugin
from duckdb import DuckDBPyConnection
from duckdb.sqltypes import BIGINT, VARCHAR, DuckDBPyType

from transforms.topic_matching import (
    count_matches,
    count_matches_each,
    count_matches_each_rewritten,
)

_PATTERNS, _COUNTS = DuckDBPyType("VARCHAR[]"), DuckDBPyType("BIGINT[]")
FUNCTIONS = {  # name: (arrow function, parameter types, return type)
    "topic_match_count": (count_matches, [VARCHAR, VARCHAR], BIGINT),
    "topic_match_counts": (count_matches_each, [VARCHAR, _PATTERNS], _COUNTS),
    "topic_match_counts_rewritten": (count_matches_each_rewritten,
                                     [VARCHAR, _PATTERNS, VARCHAR, VARCHAR], _COUNTS),
}


class Plugin(BasePlugin):
    def configure_connection(self, conn: DuckDBPyConnection) -> None:
        for name, (function, parameters, returns) in FUNCTIONS.items():
            conn.create_function(name, function, parameters, returns,
                                 type="arrow", side_effects=False)
