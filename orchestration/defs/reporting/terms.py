"""The report's sections on new directions: rising terms beside rising topics, and topic
suggestions (marts.rising_terms and marts.topic_suggestions; see docs/new-directions.md)."""

from __future__ import annotations

from datetime import date

TOP_N = 10

RISING_TERMS = """
    select term, n_last_7d, share, trailing_share, z_score, week_start,
        array_to_string(paper_ids[1:3], ', ')
    from marts.rising_terms
    where is_rising and week_start = (
        select max(week_start) from marts.rising_terms where is_rising and week_start <= $end)
    order by z_score desc, term
    limit $n
"""

SUGGESTIONS = """
    select term, n_papers, rising_recently, example_titles[1]
    from marts.topic_suggestions
    order by rising_recently desc, n_papers desc, term
    limit $n
"""


def terms_facts(con, end: date) -> dict | None:
    """The latest week's rising terms up to `end`, and the top suggestions; None for a
    warehouse built before these marts existed."""
    present = con.execute("select count(*) from information_schema.tables where table_schema = 'marts' "
                          "and table_name in ('rising_terms', 'topic_suggestions')").fetchall()[0][0]
    if present < 2:
        return None
    return {"rising": con.execute(RISING_TERMS, {"end": end, "n": TOP_N}).fetchall(),
            "suggestions": con.execute(SUGGESTIONS, {"n": TOP_N}).fetchall()}


def terms_sections(facts: dict | None, section, table) -> None:
    """Add the two sections through the report's `section(title, image, Table, note)`."""
    if facts is None:
        return
    week = facts["rising"][0][5] if facts["rising"] else "-"
    section(f"Rising terms (latest week with any, week of {week})", None,
            table(["term", "papers that week", "share", "trailing share", "z", "papers"],
                  [list(r[:5]) + [r[6]] for r in facts["rising"]]),
            "Terms from the papers' keywords and titles, under the rule of rising topics.")
    section("Topic suggestions", None,
            table(["term", "papers", "rising recently", "most upvoted paper"],
                  [[r[0], r[1], "yes" if r[2] else "no", r[3]] for r in facts["suggestions"]]),
            "Frequent or recently rising terms that no topic of the taxonomy matches.")
