"""The month report charts months, not the week report's weeks."""

from __future__ import annotations

import re

import pytest

from orchestration.defs.reporting.report import build_report
from tests.test_report import section_rows, sql


@pytest.fixture(scope="module")
def month_report(seeded, tmp_path_factory):
    return build_report(seeded.warehouse, tmp_path_factory.mktemp("month"), "month")


def test_topics_over_time_are_counted_per_month(seeded, month_report):
    markdown = month_report.read_text()
    text = markdown.split("\n## Topics over time", 1)[1].split("\n## ", 1)[0]
    header = [c.strip() for c in ("|" + text.split("\n|", 1)[1].split("\n", 1)[0]).split("|")[1:-1]]
    months = header[1:]
    assert months and all(re.fullmatch(r"\d{4}-\d{2}", m) for m in months), header
    assert "Listed papers per month" in text
    monthly = dict(sql(seeded.warehouse, """
        select topic, n_papers from marts.topic_counts
        where grain = 'month' and basis = 'listed' and strftime(period_start, '%Y-%m') = ?""",
        [months[-1]]))
    rows = section_rows(markdown, "Topics over time")
    assert rows
    for topic, *counts in rows:
        assert int(counts[-1]) == monthly.get(topic, 0), topic
