"""The Dagster UI's view of the new-directions marts: Markdown tables of the terms rising in
the latest week or month and of the top topic suggestions, from the same queries as the report's
sections (terms.py), attached to those marts' materializations (defs/dbt/assets.py)."""

from __future__ import annotations

from datetime import date

from orchestration.defs.reporting.report import Table, markdown_table
from orchestration.defs.reporting.terms import (
    MARTS,
    RISING_HEADER,
    RISING_TERMS,
    RISING_TERMS_OF_MONTH,
    SUGGESTION_HEADER,
    SUGGESTIONS,
    TOP_N,
    rising_rows,
    suggestion_rows,
    tables_present,
)


def mart_metadata(con, schema: str, table: str) -> dict[str, str]:
    """Markdown tables for the Dagster UI's view of the new-directions marts: the terms rising
    in the latest week (marts.rising_terms) or month (marts.rising_terms_by_month) that has any,
    and the top suggestions (marts.topic_suggestions). Empty for other tables."""
    if schema != "marts" or table not in MARTS or table not in tables_present(con):
        return {}
    if table == "rising_terms":
        rows = con.execute(RISING_TERMS, {"end": date.max, "n": TOP_N}).fetchall()
        title = f"Rising terms, week of {rows[0][5]}" if rows else "No term has risen yet"
        return {"rising_terms": _markdown(title, Table(RISING_HEADER, rising_rows(rows)), markdown_table)}
    if table == "rising_terms_by_month":
        [(latest,)] = con.execute("select max(month_start) from marts.rising_terms_by_month "
                                  "where is_rising").fetchall()
        rows = con.execute(RISING_TERMS_OF_MONTH, {"start": latest, "n": TOP_N}).fetchall() if latest else []
        title = f"Rising terms of {latest:%Y-%m}" if rows else "No term has risen yet"
        return {"rising_terms": _markdown(title, Table(RISING_HEADER, rising_rows(rows)), markdown_table)}
    rows = con.execute(SUGGESTIONS, {"n": TOP_N}).fetchall()
    return {"topic_suggestions": _markdown("Topic suggestions (top 10)",
                                           Table(SUGGESTION_HEADER, suggestion_rows(rows)), markdown_table)}


def _markdown(title: str, table, markdown_table) -> str:
    return "\n".join([f"**{title}**", "", *(markdown_table(table) if table.rows else ["(none)"])]) + "\n"
