"""The topic charts the Dagster UI shows where an asset is opened (orchestration/defs/reporting/inline_chart.py):
Markdown shorter than the 1,000 characters the asset page draws in place, one sparkline row per
topic. The browser test (tests/ui/test_dagster_ui.py) shows them on the asset pages."""

from __future__ import annotations

import re
from datetime import date, timedelta

import dagster as dg
import duckdb
import pytest

from orchestration.defs.reporting.inline_chart import BLOCKS, INLINE_MARKDOWN_CHARS, sparkline, topic_sparklines
from tests.conftest import exported_environment


def rows_of(markdown: str) -> dict[str, tuple[str, int, int]]:
    """topic -> (sparkline, latest, peak) of a chart's table."""
    found = {}
    for line in markdown.splitlines():
        match = re.fullmatch(r"\| (.+?) \| `([^`]*)` \| (\d+) \| (\d+) \|", line)
        if match:
            found[match[1]] = (match[2], int(match[3]), int(match[4]))
    return found


def test_a_sparkline_draws_each_value_against_the_peak():
    assert sparkline([0, 1, 2, 3, 4, 5, 6, 7]) == BLOCKS
    assert sparkline([14, 7, 0]) == "█▅▁"
    assert sparkline([0, 0]) == "▁▁"
    assert sparkline([]) == ""


def test_a_chart_of_many_long_topics_stays_short_enough_to_be_shown_in_place():
    weeks = [date(2024, 1, 1) + timedelta(weeks=n) for n in range(52)]
    series = {f"topic number {n} with a name far too long for a column": [n * w % 97 for w in range(52)]
              for n in range(22)}
    chart = topic_sparklines(series, weeks, "week")
    text = chart.md_str
    assert len(text) < INLINE_MARKDOWN_CHARS
    rows = rows_of(text)
    assert 1 <= len(rows) < 22
    assert f"({22 - len(rows)} more not shown)" in text
    first = next(iter(rows))
    assert first.endswith("…") and len(first) == 28          # names are cut, in the given order
    assert rows[first] == (sparkline(series["topic number 0 with a name far too long for a column"]), 0, 0)
    assert "week of 2024-01-01 to week of 2024-12-23 (52 weeks)" in text


def test_no_topics_no_chart():
    assert topic_sparklines({}, [], "week") is None


@pytest.fixture(scope="module")
def latest_metadata(seeded):
    """The latest materialization's metadata of the topic mart and the trend report, as the
    pipeline run of the session's `seeded` data dir recorded them in its Dagster instance."""
    with exported_environment(seeded), dg.DagsterInstance.get() as instance:
        return {name: instance.get_latest_materialization_event(dg.AssetKey(path)).asset_materialization.metadata
                for name, path in {"topic_counts": ["marts", "topic_counts"],
                                   "trend_report": ["trend_report"]}.items()}


def test_the_topic_marts_chart_is_its_top_topics_of_the_last_weeks(seeded, latest_metadata):
    text = latest_metadata["topic_counts"]["top_topics_chart"].md_str
    assert len(text) < INLINE_MARKDOWN_CHARS
    with duckdb.connect(str(seeded.warehouse), read_only=True) as con:
        expected = con.execute("""
            select topic, arg_max(n_papers, period_start), max(n_papers) from marts.topic_counts
            where grain = 'week' and basis = 'listed' and topic <> 'other'
            group by topic order by sum(n_papers) desc, topic limit 6""").fetchall()
        weeks = con.execute("select count(distinct period_start) from marts.topic_counts "
                            "where grain = 'week' and basis = 'listed'").fetchall()[0][0]
    rows = rows_of(text)
    assert [(topic, latest, peak) for topic, (_, latest, peak) in rows.items()] == [
        tuple(row) for row in expected]
    assert all(len(line) == weeks and "█" in line for line, _, _ in rows.values())


def test_the_trend_reports_chart_is_its_topics_over_time(seeded, latest_metadata):
    metadata = latest_metadata["trend_report"]
    text = metadata["top_topics_chart"].md_str
    assert len(text) < INLINE_MARKDOWN_CHARS
    report = metadata["report"].md_str
    table = report.split("\n## Topics over time", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in table.splitlines() if line.startswith("|")][2:]
    series = {cells[0]: [int(c) for c in cells[1:]]
              for cells in ([c.strip() for c in line.strip("|").split("|")] for line in lines)}
    assert series, "the report has no topic table"
    assert rows_of(text) == {topic: (sparkline(counts), counts[-1], max(counts))
                             for topic, counts in series.items()}
