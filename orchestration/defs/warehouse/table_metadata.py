"""Standard Dagster metadata for warehouse tables: row count, column schema, table name and a
Markdown preview of the latest rows; and the small chart on the topic mart."""

from __future__ import annotations

import dagster as dg
import duckdb

PREVIEW_ROWS = 5
# The preview shows a table's latest rows: ordered by the first of these columns it has.
LATEST_FIRST = ("period_start", "period", "snapshot_date", "listed_on", "last_seen", "landed_at",
                "ingested_at", "first_seen")


def _descriptions(schema: str, table: str) -> dict[str, str]:
    """The dbt YAML's column descriptions (docs/data-dictionary.md) of a table whose columns
    carry no DuckDB comment (the raw tables)."""
    from orchestration.defs.dbt.data_dictionary import column_descriptions

    try:
        return column_descriptions().get(f"{schema}.{table}", {})
    except Exception:  # noqa: BLE001 - descriptions are a nicety: no dbt project, no descriptions
        return {}


def table_metadata(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> dict:
    """Metadata for one table or view; empty when it does not exist."""
    columns = con.execute(
        """select column_name, data_type, comment from duckdb_columns()
           where schema_name = ? and table_name = ? order by column_index""",
        [schema, table],
    ).fetchall()
    if not columns:
        return {}
    relation = f'{schema}."{table}"'
    rows = con.execute(f"select count(*) from {relation}").fetchall()[0][0]
    newest = next((c for c in LATEST_FIRST if c in {name for name, _, _ in columns}), None)
    order = f'order by "{newest}" desc nulls last' if newest else ""
    preview = con.sql(f"select * from {relation} {order} limit {PREVIEW_ROWS}").pl()
    described = _descriptions(schema, table)
    return {
        "dagster/row_count": rows,
        "dagster/table_name": f"warehouse.{schema}.{table}",
        "dagster/column_schema": dg.TableSchema(columns=[
            dg.TableColumn(name, str(dtype).lower(), description=comment or described.get(name))
            for name, dtype, comment in columns
        ]),
        "preview": dg.MetadataValue.md(_markdown_table(preview)),
    }


DETAIL_KEYS = ("dagster/column_schema", "preview")
MAX_DETAILED_PARTITIONS = 3


def for_partitions(metadata: dict, n_partitions: int) -> dict:
    """The metadata to attach for a step that materializes n partitions at once.

    Dagster copies a step's metadata onto the event of every partition it materializes: over a
    ten-year backfill (120 months) each asset's column schema and preview would be serialized
    and stored 120 times (measured: ~4-6 s of a backfill). A run of a few partitions (the daily
    run, a re-ingest) keeps them; a long backfill keeps the counts, and the next daily run
    shows the schema and preview again."""
    if n_partitions <= MAX_DETAILED_PARTITIONS:
        return metadata
    return {key: value for key, value in metadata.items() if key not in DETAIL_KEYS}


def frame_schema(frame) -> dg.TableSchema:
    """A polars frame's columns as a Dagster column schema."""
    return dg.TableSchema(columns=[dg.TableColumn(name, str(dtype).lower())
                                   for name, dtype in frame.schema.items()])


def _markdown_table(frame) -> str:
    def cell(value) -> str:
        text = "" if value is None else str(value)
        return (text[:60] + "...") if len(text) > 60 else text.replace("|", "\\|")

    header = "| " + " | ".join(frame.columns) + " |"
    rule = "| " + " | ".join("---" for _ in frame.columns) + " |"
    body = ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.iter_rows()]
    return "\n".join([header, rule, *body])


def topic_chart_markdown(con: duckdb.DuckDBPyConnection, top: int = 6,
                        weeks: int = 52) -> dg.MetadataValue | None:
    """The top topics' listed papers per week over the last `weeks` weeks (the top topics of
    those weeks), as a chart the asset page shows in place (orchestration/defs/reporting/inline_chart.py)."""
    from orchestration.defs.reporting.inline_chart import topic_sparklines

    rows = con.execute(
        """with recent as (
               select * from marts.topic_counts
               where grain = 'week' and basis = 'listed'
                 and period_start > (select max(period_start) from marts.topic_counts
                                     where grain = 'week' and basis = 'listed') - to_weeks(?)),
           top as (
               select topic, row_number() over (order by sum(n_papers) desc, topic) as rank
               from recent where topic <> 'other' group by topic qualify rank <= ?)
           select topic, period_start, n_papers,
                  (select list(distinct period_start order by period_start) from recent)
           from recent join top using (topic)
           order by rank, period_start""",
        [weeks, top],
    ).fetchall()
    if not rows:
        return None
    periods = rows[0][3]
    counts = {(topic, week): n for topic, week, n, _ in rows}
    series = {topic: [counts.get((topic, week), 0) for week in periods]
              for topic in dict.fromkeys(r[0] for r in rows)}
    return topic_sparklines(series, periods, "week")
