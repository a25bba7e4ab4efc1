"""The report's sections on new directions: rising terms beside rising topics, and topic
suggestions (marts.rising_terms, marts.rising_terms_by_month and marts.topic_suggestions; see
docs/trends.md). The same tables, as Markdown, are the Dagster UI's metadata of those marts
(term_previews.py) and of the trend_report asset (`report_section`)."""

from __future__ import annotations

import re
from datetime import date

TOP_N = 10

# The week report: the latest week up to the report's end in which any term rose.
RISING_TERMS = """
    select term, n_last_7d, share, trailing_share, z_score, week_start,
        array_to_string(paper_ids[1:3], ', ')
    from marts.rising_terms
    where is_rising and week_start = (
        select max(week_start) from marts.rising_terms where is_rising and week_start <= $end)
    order by z_score desc, term
    limit $n
"""

# The month report: the terms rising over the report's month (the same rule on months).
RISING_TERMS_OF_MONTH = """
    select term, n_papers, share, trailing_share, z_score, month_start,
        array_to_string(paper_ids[1:3], ', ')
    from marts.rising_terms_by_month
    where is_rising and month_start = $start
    order by z_score desc, term
    limit $n
"""

SUGGESTIONS = """
    select term, n_papers, rising_recently, example_titles[1]
    from marts.topic_suggestions
    order by rising_recently desc, n_papers desc, term
    limit $n
"""

RISING_HEADER = ["term", "papers", "share", "trailing share", "z", "papers (most upvoted)"]
SUGGESTION_HEADER = ["term", "papers", "rising recently", "most upvoted paper"]
MARTS = ("rising_terms", "rising_terms_by_month", "topic_suggestions")


def tables_present(con) -> set[str]:
    return {row[0] for row in con.execute(
        "select table_name from information_schema.tables where table_schema = 'marts' "
        "and list_contains($names, table_name)", {"names": list(MARTS)}).fetchall()}


def terms_facts(con, end: date, period: str = "week", start: date | None = None) -> dict | None:
    """The rising terms of the report (week: the latest week with any up to `end`; month: those
    rising over the month that starts at `start`), and the top suggestions; None for a warehouse
    built before these marts existed."""
    present = tables_present(con)
    if not {"rising_terms", "topic_suggestions"} <= present:
        return None
    monthly = period == "month" and "rising_terms_by_month" in present
    rising = (con.execute(RISING_TERMS_OF_MONTH, {"start": start, "n": TOP_N}).fetchall() if monthly
              else con.execute(RISING_TERMS, {"end": end, "n": TOP_N}).fetchall())
    return {"monthly": monthly, "start": start, "rising": rising,
            "suggestions": con.execute(SUGGESTIONS, {"n": TOP_N}).fetchall()}


def rising_rows(rows) -> list[list]:
    return [list(r[:5]) + [r[6]] for r in rows]


def suggestion_rows(rows) -> list[list]:
    return [[r[0], r[1], "yes" if r[2] else "no", r[3]] for r in rows]


def terms_sections(facts: dict | None, section, table) -> None:
    """Add the two sections through the report's `section(title, image, Table, note)`."""
    if facts is None:
        return
    if facts["monthly"]:
        month = facts["start"].strftime("%Y-%m")
        section(f"Rising terms of the month ({month})", None, table(RISING_HEADER, rising_rows(facts["rising"])),
                "Terms from the papers' keywords and titles whose share of the month's listed papers is "
                "significantly above their share over the 3 months before (the rule of rising topics, "
                "on months).")
    else:
        week = facts["rising"][0][5] if facts["rising"] else "-"
        section(f"Rising terms (latest week with any, week of {week})", None,
                table(RISING_HEADER, rising_rows(facts["rising"])),
                "Terms from the papers' keywords and titles, under the rule of rising topics.")
    section("Topic suggestions", None, table(SUGGESTION_HEADER, suggestion_rows(facts["suggestions"])),
            "Frequent or recently rising terms that no topic of the taxonomy matches.")


def report_section(markdown: str, title_start: str) -> str:
    """The section of a report whose heading starts with `title_start`, heading included (empty
    when there is none): for the trend_report asset's metadata."""
    match = re.search(rf"^## {re.escape(title_start)}.*?(?=^## |\Z)", markdown, flags=re.M | re.S)
    return match.group(0).strip() + "\n" if match else ""
