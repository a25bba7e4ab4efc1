"""The trend report and the saved queries, against a warehouse built by the real pipeline from
the November 2025 days in ../shared/data and the bundled capture (the session's `seeded` data
dir)."""

from __future__ import annotations

import json
import re
import shutil
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

from orchestration.defs.reporting.report import build_report, markdown_to_html, report_command, without_images
from tests.conftest import ROOT
from tests.defs.reporting.test_charts import elements

PAPERTRENDS = Path(sys.executable).parent / "papertrends"
QUERIES = sorted((ROOT / "queries").glob("*.sql"))
CHARTS = ("topics", "authors", "organizations", "team-sizes")
def chart_texts(path: Path) -> list[str]:
    """The text of an SVG chart (it parses as SVG, or the test fails)."""
    return [element.text or "" for element in elements(path, "text")]


@pytest.fixture(scope="module")
def warehouse(seeded) -> Path:
    """The warehouse the real pipeline built from the bundled seeds (shared, read-only here)."""
    assert seeded.warehouse.exists()
    return seeded.warehouse


def sql(database: Path, query: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(database), read_only=True)
    try:
        return con.execute(query, params or []).fetchall()
    finally:
        con.close()


def bounds(database: Path, period: str) -> tuple[date, date]:
    """The period the report should cover, computed here in SQL: the week/month of the latest
    listed day, up to that day."""
    return sql(database, f"select cast(date_trunc('{period}', max(listed_on)) as date), max(listed_on) "
                         "from marts.papers where is_listed")[0]


def section_rows(markdown: str, heading: str) -> list[list[str]]:
    """The body rows of the first table after the heading that starts with `heading`."""
    text = markdown.split(f"\n## {heading}", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in text.splitlines() if line.startswith("|")]
    return [[c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]] for line in lines[2:]]


@pytest.fixture(scope="module")
def reports(warehouse, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("reports")
    return {period: build_report(warehouse, out, period) for period in ("week", "month")}


@pytest.mark.parametrize("period", ["week", "month"])
def test_report_writes_markdown_html_and_every_chart(warehouse, reports, period):
    md_path = reports[period]
    start, end = bounds(warehouse, period)
    assert md_path.name == f"papertrends-{period}-{end}.md"
    markdown = md_path.read_text()
    html = md_path.with_suffix(".html").read_text()
    expected = [*CHARTS, "rising"]   # the pipeline builds marts.rising_topics: its chart is drawn
    for name in expected:
        chart = md_path.parent / f"{md_path.stem}-{name}.svg"
        assert len(chart_texts(chart)) > 5, chart   # a title, axes, labels
        assert f"]({chart.name})" in markdown
        assert f'<img src="{chart.name}"' in html
    drawn = {p.name for p in md_path.parent.glob(f"{md_path.stem}-*.svg")}
    assert drawn == {f"{md_path.stem}-{name}.svg" for name in expected}
    # the authors' chart names the table's authors, top first
    authors = [row[0] for row in section_rows(markdown, "Top authors")]
    texts = chart_texts(md_path.parent / f"{md_path.stem}-authors.svg")
    assert [t for t in texts if t in authors][:3] == authors[:3]
    assert html.startswith("<!DOCTYPE html>") and html.count("<table>") >= 5
    assert "<h2>Top authors</h2>" in html and "\n|" not in html


@pytest.mark.parametrize("period", ["week", "month"])
def test_report_names_the_period_the_snapshots_and_the_papers_listed(warehouse, reports, period):
    markdown = reports[period].read_text()
    start, end = bounds(warehouse, period)
    count, first, last, daily, search = sql(warehouse, """
        select count(*), min(snapshot_date), max(snapshot_date),
               count(*) filter (where listing_kind = 'daily'), count(*) filter (where listing_kind = 'search')
        from raw.snapshots where snapshot_date between ? and ?""", [start, end])[0]
    listed = sql(warehouse, "select count(distinct paper_id) from marts.papers "
                            "where is_listed and listed_on between ? and ?", [start, end])[0][0]
    assert count > 0 and listed > 0
    assert f"# papertrends {period} report: {start} to {end}" in markdown
    assert (f"**{count}** snapshots, {first} to {last}: {daily} daily lists, {search} search views"
            in markdown)
    assert f"Papers listed: **{listed}**" in markdown
    if period == "week":  # the bundled API days: Mon 2025-11-24 .. Fri 2025-11-28
        assert (start, end, count, daily, search) == (date(2025, 11, 24), date(2025, 11, 28), 5, 5, 0)


@pytest.mark.parametrize("period", ["week", "month"])
def test_top_author_count_is_the_largest_count_of_the_period(warehouse, reports, period):
    start, end = bounds(warehouse, period)
    top = section_rows(reports[period].read_text(), "Top authors")
    most = sql(warehouse, """
        select max(n_papers) from (
            select author_key, count(*) as n_papers
            from (select distinct a.author_key, a.paper_id
                  from intermediate.int_authorships a
                  join marts.papers p on p.paper_id = a.paper_id
                  where p.is_listed and p.listed_on >= ? and p.listed_on <= ?)
            group by author_key)""", [start, end])[0][0]
    assert int(top[0][1]) == most
    assert [int(r[1]) for r in top] == sorted((int(r[1]) for r in top), reverse=True)
    if period == "month":  # every author list of the bundled data was listed in November 2025
        assert most == sql(warehouse, "select max(n_papers) from marts.author_counts")[0][0]


def test_month_report_counts_topics_over_time_per_month(warehouse, reports):
    """The month report charts months, not the week report's weeks."""
    markdown = reports["month"].read_text()
    text = markdown.split("\n## Topics over time", 1)[1].split("\n## ", 1)[0]
    header = [c.strip() for c in ("|" + text.split("\n|", 1)[1].split("\n", 1)[0]).split("|")[1:-1]]
    months = header[1:]
    assert months and all(re.fullmatch(r"\d{4}-\d{2}", m) for m in months), header
    assert "Listed papers per month" in text
    monthly = dict(sql(warehouse, """
        select topic, n_papers from marts.topic_counts
        where grain = 'month' and basis = 'listed' and strftime(period_start, '%Y-%m') = ?""",
        [months[-1]]))
    rows = section_rows(markdown, "Topics over time")
    assert rows
    for topic, *counts in rows:
        assert int(counts[-1]) == monthly.get(topic, 0), topic


def test_month_tables_agree_with_the_marts(warehouse, reports):
    start, end = bounds(warehouse, "month")
    markdown = reports["month"].read_text()
    teams = sql(warehouse, "select team_size, n_papers from marts.team_sizes where period = ? "
                           "order by bucket_order", [start])
    assert [(r[0], int(r[1])) for r in section_rows(markdown, "Team sizes") if r[1] != "0"] == teams
    week_start, _ = bounds(warehouse, "week")
    weekly = dict(sql(warehouse, "select topic, n_papers from marts.topic_counts where grain = 'week' "
                                 "and basis = 'listed' and period_start = ?", [week_start]))
    for topic, n, _share in section_rows(reports["week"].read_text(), "Top topics of the week"):
        assert weekly[topic] == int(n)


def _copy_with_rising(warehouse: Path, tmp_path: Path, present: bool) -> Path:
    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(warehouse, copy)
    con = duckdb.connect(str(copy))
    con.execute("drop table if exists marts.rising_topics")
    if present:
        con.execute("""create table marts.rising_topics as select * from (values
            ('2025-11-17'::date, 'agents', 16, 0.12, 0.12, 0.0, false),
            ('2025-11-24'::date, 'video', 22, 0.2, 0.1, 3.1, true),
            ('2025-11-24'::date, 'llm', 15, 0.14, 0.25, -2.7, false),
            ('2025-11-24'::date, 'robotics-embodied', 10, 0.09, 0.07, 0.8, false))
            as t (week_start, topic, n_last_7d, share, trailing_share, z_score, is_rising)""")
    con.close()
    return copy


@pytest.mark.parametrize("present", [True, False], ids=["rising-table", "no-rising-table"])
def test_rising_topics_section_with_and_without_the_mart(warehouse, tmp_path, present):
    copy = _copy_with_rising(warehouse, tmp_path, present)
    md_path = build_report(copy, tmp_path / "out", "week")
    markdown = md_path.read_text()
    rising_chart = md_path.parent / f"{md_path.stem}-rising.svg"
    if present:
        assert "## Rising topics (week of 2025-11-24)" in markdown
        assert [r[0] for r in section_rows(markdown, "Rising topics")] == ["video", "robotics-embodied", "llm"]
        assert section_rows(markdown, "Rising topics")[0][5] == "yes"
        assert [r[5] for r in section_rows(markdown, "Rising topics")[1:]] == ["no", "no"]
        assert {"video", "robotics-embodied", "llm"} <= set(chart_texts(rising_chart))
    else:
        assert "no rising-topic data" in markdown.lower()
        assert not rising_chart.exists()


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_saved_query_runs_read_only_and_answers(warehouse, query):
    text = query.read_text()
    assert text.startswith("-- ") and f"papertrends sql --file queries/{query.name}" in text
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        con.execute("set enable_external_access = false")
        con.execute("set lock_configuration = true")
        rows = con.execute(text).fetchall()
    finally:
        con.close()
    assert len(rows) >= 1


def test_top_topics_query_counts_the_latest_weeks_listed_papers(warehouse):
    """The saved query's counts, against the same counted from each paper's tags and listing
    day (not from marts.topic_counts, which the query reads)."""
    answer = sql(warehouse, (ROOT / "queries" / "top_topics_this_week.sql").read_text())
    expected = sql(warehouse, """
        with listed as (
            select paper_id, cast(date_trunc('week', listed_on) as date) as week
            from marts.papers where is_listed),
        latest as (select max(week) as week from listed),
        week_papers as (select paper_id, week from listed join latest using (week))
        select week, topic, count(*) as n,
               (select count(*) from week_papers) as listed_that_week
        from week_papers join marts.paper_topics using (paper_id)
        group by all order by n desc, topic""")
    assert len(expected) >= 10
    assert [row[:4] for row in answer] == expected
    assert [row[4] for row in answer] == [round(100 * n / total, 1) for _, _, n, total in expected]


def test_saved_queries_cover_the_common_questions():
    assert {q.name for q in QUERIES} >= {
        "top_topics_this_week.sql", "rising_topics.sql", "top_authors_this_month.sql",
        "top_organizations_this_month.sql", "paper_trajectory.sql", "team_sizes_by_month.sql"}


def test_report_command_prints_progress_and_paths(warehouse, tmp_path, capsys):
    assert report_command("week", warehouse, tmp_path / "reports") == 0
    out, err = capsys.readouterr()
    assert "  ... querying" in err and "  ... chart: topics" in err and ".html" in err
    written = [Path(line) for line in out.splitlines()]
    assert written[0].suffix == ".md" and written[1].suffix == ".html"
    assert all(path.exists() for path in written) and len(written) >= 2 + len(CHARTS)


def test_report_command_on_a_missing_warehouse_says_what_to_do(tmp_path, capsys):
    missing = tmp_path / "nothing" / "warehouse.duckdb"
    assert report_command("week", missing, tmp_path / "reports") == 1
    _, err = capsys.readouterr()
    assert f"papertrends: no warehouse at {missing}; run `make run` or `papertrends ingest` first" in err
    assert "Traceback" not in err and not (tmp_path / "reports").exists()


def test_html_converter_escapes_and_keeps_table_cells():
    html = markdown_to_html("# A <b>\n\n| x | n |\n| --- | ---: |\n| a \\| b | 3 |\n\n![c](c.png)\n",
                            "t")
    assert "<h1>A &lt;b&gt;</h1>" in html
    assert "<td>a | b</td><td class=num>3</td>" in html
    assert '<figure><img src="c.png" alt="c"></figure>' in html
    assert without_images("x\n\n![c](c.png)\n\ny\n") == "x\n\ny\n"


def test_trend_report_asset_materializes_into_the_data_dir(seeded_copy, monkeypatch):
    import dagster as dg

    from orchestration.defs.dbt.manifest import ensure_manifest

    manifest = json.loads(ensure_manifest().read_text())
    from orchestration.defs.dbt.assets import dbt_models
    from orchestration.defs.reporting.trend_report import trend_report
    from orchestration.defs.warehouse.published import published_warehouse

    # The report reads the published copy, which is made after every dbt model; not after the
    # seeds, which a run loads only when they change (and Dagster skips a step whose upstream
    # asset the run did not materialize).
    assert set(trend_report.asset_deps[trend_report.key]) == {published_warehouse.key}
    seeds = {dg.AssetKey([node["schema"], node["name"]]) for node in manifest["nodes"].values()
             if node["resource_type"] == "seed"}
    published_after = set(published_warehouse.asset_deps[published_warehouse.key])
    assert len(seeds) == 5 and not seeds & published_after
    assert set(dbt_models.keys) - seeds <= published_after
    monkeypatch.setenv("PAPERTRENDS_DATA_DIR", str(seeded_copy.root))
    with dg.instance_for_test() as instance:
        result = dg.materialize([trend_report], instance=instance)
    assert result.success
    metadata = result.asset_materializations_for_node("trend_report")[0].metadata
    path = Path(metadata["path"].value)
    assert path.parent == seeded_copy.root / "reports" and path.exists()
    assert "# papertrends week report" in metadata["report"].value
    assert "![" not in metadata["report"].value


def test_chart_labels_are_the_names_else_the_handle_else_a_pointer_to_the_table():
    from orchestration.defs.reporting.charts import UNDRAWABLE, label

    assert label("北京奇虎科技有限公司", "qihoo360") == "北京奇虎科技有限公司"
    assert label("", "qihoo360") == "qihoo360"
    assert label(" ", "") == UNDRAWABLE


def test_names_in_chinese_are_charted_as_written(warehouse, tmp_path):
    """The week's top organization renamed '北京奇虎科技有限公司' (as qihoo360 is named in the
    seeds), its top author '王伟' and its second author '王芳' keyed by that name (no handle):
    the report's tables and its charts show the names as written."""
    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(warehouse, copy)
    before = build_report(warehouse, tmp_path / "before", "week").read_text()
    top_org = section_rows(before, "Top organizations")[0][0]
    top_author, second_author = [row[0] for row in section_rows(before, "Top authors")[:2]]
    con = duckdb.connect(str(copy))
    try:
        con.execute("update marts.org_counts set organization_name = '北京奇虎科技有限公司' "
                    "where trim(organization_name) = ?", [top_org])
        con.execute("update marts.author_counts set author = '王伟' where author = ?", [top_author])
        (key,), = con.execute("select author_key from marts.author_counts where author = ?",
                              [second_author]).fetchall()
        # (int_authorships is a view: made a table in this copy, so that its keys can change)
        con.execute("create table intermediate.authorships as select * from intermediate.int_authorships")
        con.execute("drop view intermediate.int_authorships")
        con.execute("alter table intermediate.authorships rename to int_authorships")
        for table in ("marts.author_counts", "intermediate.int_authorships"):
            con.execute(f"update {table} set author_key = 'name:王芳' where author_key = ?", [key])
        con.execute("update marts.author_counts set author = '王芳' where author_key = 'name:王芳'")
    finally:
        con.close()
    path = build_report(copy, tmp_path / "after", "week")
    assert "北京奇虎科技有限公司" in chart_texts(path.parent / f"{path.stem}-organizations.svg")
    assert {"王伟", "王芳"} <= set(chart_texts(path.parent / f"{path.stem}-authors.svg"))
    # (charted: the charts draw the tables' rows)
    assert "北京奇虎科技有限公司" in [row[0] for row in section_rows(path.read_text(), "Top organizations")]
    assert {"王伟", "王芳"} <= {row[0] for row in section_rows(path.read_text(), "Top authors")}


@pytest.mark.parametrize("where", ["a-file", "a-file/below"])
def test_report_command_into_a_folder_that_cannot_be_made_says_so(warehouse, tmp_path, capsys, where):
    """--out naming a file, or a folder under one: one line saying where and what to do."""
    (tmp_path / "a-file").write_text("not a folder")
    assert report_command("week", warehouse, tmp_path / where) == 1
    _, err = capsys.readouterr()
    assert f"papertrends: cannot write the report into {tmp_path / where}: " in err
    assert "give --out a folder that can be created and written" in err and "Traceback" not in err
