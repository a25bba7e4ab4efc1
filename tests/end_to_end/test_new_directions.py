"""Terms, rising terms, topic suggestions, similar papers and the feed on the real history of
May 2023 to April 2025 (../shared/data/hf_api_history, read in place), with one term injected:
in the week of 2025-04-07, three papers a day gain the keyword "Quantum Origami", a term no
paper had before."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import duckdb
import pytest

from tests.conftest import fresh_data_dir
from tests.end_to_end.real_history import (
    INJECTED,
    INJECTED_WEEK,
    dbt_build_on,
    history_files,
    ingest,
    sql,
    with_injected_term,
)

pytestmark = pytest.mark.needs_shared_data


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    data = fresh_data_dir(tmp_path_factory.mktemp("history"))
    files, injected = with_injected_term(history_files(), tmp_path_factory.mktemp("injected"))
    ingest(data, files, date(2023, 5, 1), date(2025, 4, 30))
    return data, injected


def test_a_term_that_first_appears_in_quantity_rises_in_the_week_it_starts(history):
    data, injected = history
    weeks = sql(data, "select week_start, n_last_7d, is_rising, paper_ids from marts.rising_terms "
                      "where term = $1 order by week_start", [INJECTED])
    counted = [(week, n) for week, n, _, _ in weeks if n]
    assert counted == [(INJECTED_WEEK, len(injected))]
    rising = [(week, set(ids)) for week, _, is_rising, ids in weeks if is_rising]
    assert rising == [(INJECTED_WEEK, injected)]


def test_a_real_new_term_rises_in_its_first_week_of_five_papers(history):
    """The term "gpt 4o" (June 2024). ("test time scaling" rises over its first month of 5 papers,
    below; its first week of 5, Feb 17 2025, reaches z 2.19, under the 2.33 bar, with the two
    papers that use it listed in November 2024 and January 2025 counted.)"""
    data, _ = history
    term = "gpt 4o"
    first_in_quantity = sql(data, "select min(week_start) from marts.rising_terms "
                                  "where term = $1 and n_last_7d >= 5", [term])[0][0]
    first_rising = sql(data, "select min(week_start) from marts.rising_terms "
                             "where term = $1 and is_rising", [term])[0][0]
    assert first_in_quantity is not None and first_rising == first_in_quantity


def test_spellings_meet_in_one_term_and_stop_phrases_are_gone(history):
    data, _ = history
    terms = {row[0] for row in sql(data, "select distinct term from marts.paper_terms")}
    assert "large language model" in terms
    assert not terms & {"llm", "llms", "large language models", "model", "framework"}
    keys = sql(data, "select term_key, count(distinct term) from marts.paper_terms group by 1 "
                     "having count(distinct term) > 1")
    assert keys == []


def test_a_paper_counts_once_per_term_per_period(history):
    data, _ = history
    mismatches = sql(data, """
        with expected as (
            select terms.term, dates.grain, dates.period_start, count(distinct terms.paper_id) as n
            from marts.paper_terms as terms
            inner join intermediate.int_listed_paper_dates as dates
                on terms.paper_id = dates.paper_id and dates.basis = 'listed'
            group by all
        )
        select * from expected full join marts.term_counts as counts using (term, grain, period_start)
        where expected.n is distinct from counts.n_papers
           or counts.share is distinct from round(counts.n_papers / counts.period_papers, 4)
    """)
    assert mismatches == []
    assert {row[0] for row in sql(data, "select distinct grain from marts.term_counts")} == {"day", "week", "month"}


def test_rising_terms_follow_the_rule_of_rising_topics(history):
    data, _ = history
    broken = sql(data, """
        select * from marts.rising_terms where is_rising and not (
            z_score >= 2.33 and n_last_7d >= 5 and share >= 1.5 * trailing_share and trailing_weeks >= 3)
    """)
    assert broken == []
    assert sql(data, "select count(*) from marts.rising_terms where is_rising")[0][0] > 0


def test_suggestions_are_terms_no_topic_pattern_matches(history):
    data, _ = history
    matched = sql(data, """
        select suggestions.term from marts.topic_suggestions as suggestions
        inner join reference.topic_taxonomy as taxonomy on regexp_matches(suggestions.term, taxonomy.pattern)
    """)
    assert matched == []
    row = sql(data, "select n_papers, rising_recently, len(example_paper_ids) from marts.topic_suggestions "
                    "where term = $1", [INJECTED])
    assert row == [(15, True, 3)]


def test_every_paper_has_ten_neighbours_best_first_never_itself(history):
    data, _ = history
    assert sql(data, """
        select count(*) from (
            select paper_id from marts.similar_papers group by paper_id
            having count(*) <> 10 or max(rank) <> 10 or bool_or(paper_id = neighbour_id)
        )
    """) == [(0,)]
    assert sql(data, """
        select count(*) from marts.similar_papers as a inner join marts.similar_papers as b
            on a.paper_id = b.paper_id and a.rank + 1 = b.rank
        where a.score < b.score
    """) == [(0,)]
    n_papers = sql(data, "select count(*) from marts.papers")[0][0]
    assert sql(data, "select count(distinct paper_id) from marts.similar_papers")[0][0] == n_papers


def test_similar_command_prints_the_neighbours_of_a_paper_and_of_a_text(history, capsys):
    from orchestration.cli.main import main

    data, _ = history
    paper_id, title = sql(data, "select paper_id, title from marts.papers where arxiv_id = '2404.19756'")[0]
    assert main(["similar", "2404.19756"]) == 0
    out = capsys.readouterr().out.splitlines()
    expected = sql(data, "select neighbour_title from marts.similar_papers where paper_id = $1 "
                         "order by rank", [paper_id])
    assert out[0] == f'Papers like 2404.19756 "{title}":'
    printed = [re.match(r"^\s*\d+\s+[\d.]+\s+\S+\s+(.*)$", line).group(1) for line in out[1:]]
    assert printed == [t for (t,) in expected]
    assert main(["similar", "2404.19756v2"]) == 0   # arXiv's version suffix: the same paper
    assert capsys.readouterr().out.splitlines() == out
    assert main(["similar", "  "]) == 2
    assert "the paper id is empty" in capsys.readouterr().err
    from transforms.paper_vectors import paper_text

    abstract, keywords = sql(data, "select abstract, ai_keywords from marts.papers where paper_id = $1",
                             [paper_id])[0]
    assert main(["similar", "--text", paper_text(title, abstract, keywords), "--limit", "3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 4 and re.match(r"^\s*1\s+1\.000\s+2404\.19756\s", lines[1])
    # words no paper uses still land on positions of others' words: no "similar" paper for them
    assert main(["similar", "--text", "zzzqqx unheardofword"]) == 1
    assert "no paper in the warehouse shares a word with the text" in capsys.readouterr().err
    word = sql(data, "select lower(regexp_extract(title, '[A-Za-z]{6,}')) from marts.papers "
                     "where paper_id = $1", [paper_id])[0][0]
    assert main(["similar", "--text", f"zzzqqx {word}", "--limit", "50"]) == 0
    shown = [line.split(None, 3)[3] for line in capsys.readouterr().out.splitlines()[1:]]
    with_word = {t for (t,) in sql(data, "select title from marts.papers where regexp_matches(lower("
                                         "concat_ws(' ', title, abstract, array_to_string(ai_keywords, ' '))), $1)",
                                   [rf"\b{word}"])}
    assert shown and set(shown) <= with_word
    assert main(["similar", "0000.00000"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("papertrends: no paper '0000.00000'") and "Traceback" not in err


def test_feed_is_valid_atom_that_a_feed_reader_parses(history):
    from xml.etree import ElementTree as ET

    import feedparser

    data, _ = history
    path = data.reports / "feed.xml"
    atom = "{http://www.w3.org/2005/Atom}"
    root = ET.parse(path).getroot()
    assert root.tag == f"{atom}feed"
    for required in ("id", "title", "updated", "author"):
        assert root.find(f"{atom}{required}") is not None
    entries = root.findall(f"{atom}entry")
    assert len(entries) == 30 + 8
    for entry in entries:
        for required in ("id", "title", "updated", "content"):
            assert (entry.find(f"{atom}{required}").text or "").strip()
    ids = [entry.find(f"{atom}id").text for entry in entries]
    assert len(set(ids)) == len(ids)
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo and parsed.version == "atom10"
    newest_day = parsed.entries[0] if parsed.entries[0].id.endswith("2025-04-30") else parsed.entries[1]
    assert newest_day.id == "tag:papertrends.invalid,2023:day/2025-04-30"
    assert "https://huggingface.co/papers/" in newest_day.content[0].value


def test_a_run_over_more_papers_than_its_limit_lists_the_newest_exactly(history, tmp_path):
    """The real history with a limit of 1,000 lists a run: the 1,000 most recently listed papers
    get the lists the unlimited build gives them, the others none; `papertrends similar` answers
    one of those others by the same exact search; a run with similar_catch_up makes the rest,
    and then every list is the unlimited build's. A warehouse from before lists were exact (no
    batch columns) has every list made again."""
    import shutil

    from orchestration.cli.similar import like_paper

    data, _ = history
    query = "select paper_id, neighbour_id, rank, score from marts.similar_papers order by paper_id, rank"
    unlimited = sql(data, query)
    [(n_papers,)] = sql(data, "select count(*) from intermediate.int_paper_vectors")
    copy = tmp_path / "limited.duckdb"
    shutil.copy(data.warehouse, copy)
    dbt_build_on(copy, tmp_path / "target", "--select", "int_paper_vectors+", "--full-refresh",
                 "--vars", f"{{similar_pairs_per_run: {1000 * n_papers}}}")
    con = duckdb.connect(str(copy), read_only=True)
    try:
        listed = {paper for (paper,) in con.execute("select distinct paper_id from marts.similar_papers").fetchall()}
        newest = {paper for (paper,) in con.execute(
            "select paper_id from marts.papers order by coalesce(listed_on, first_seen) desc, paper_id desc "
            "limit 1000").fetchall()}
        limited = con.execute(query).fetchall()
        [(missing_id, missing_arxiv)] = con.execute(
            "select paper_id, arxiv_id from marts.papers where paper_id not in "
            "(select paper_id from marts.similar_papers) order by paper_id limit 1").fetchall()
    finally:
        con.close()
    assert listed == newest
    assert limited == [row for row in unlimited if row[0] in newest]
    _, answered = like_paper(copy, missing_arxiv, 10)
    expected = [(rank, score) for paper, _, rank, score in unlimited if paper == missing_id]
    assert [(rank, round(score, 3)) for rank, score, _, _ in answered] == [(r, round(s, 3)) for r, s in expected]

    dbt_build_on(copy, tmp_path / "target", "--select", "int_paper_vectors+",
                 "--vars", "{similar_pairs_per_run: 0, similar_catch_up: true}")
    con = duckdb.connect(str(copy))
    try:
        assert con.execute(query).fetchall() == unlimited
        con.execute("alter table intermediate.int_paper_neighbours drop column vectors_batch")
        con.execute("alter table intermediate.int_paper_vectors drop column batch")
        con.execute("update intermediate.int_paper_neighbours set score = 0.5")   # lists of an older build
    finally:
        con.close()
    dbt_build_on(copy, tmp_path / "target", "--select", "int_paper_vectors+")
    con = duckdb.connect(str(copy), read_only=True)
    try:
        assert con.execute(query).fetchall() == unlimited
    finally:
        con.close()


def test_the_report_shows_rising_terms_beside_rising_topics_and_suggestions(history):
    data, _ = history
    [report] = sorted(data.reports.glob("papertrends-week-*.md"))
    text = report.read_text(encoding="utf-8")
    assert text.index("## Rising topics") < text.index("## Rising terms") < text.index("## Topic suggestions")
    suggestions = text[text.index("## Topic suggestions"):].split("\n## ")[0]
    assert f"| {INJECTED} | 15 | yes |" in suggestions


@pytest.mark.parametrize("term", ["deepseek r1", "test time scaling"])
def test_a_real_new_term_rises_over_the_first_month_it_is_used_in(history, term):
    """The rule on months: "deepseek r1" and "test time scaling" (a few papers before, 10 and 9
    in February 2025) rise in their first month of 5 papers or more, and the injected term, 15
    papers of one week, rises over April with its papers."""
    data, injected = history
    rising = sql(data, "select month_start from marts.rising_terms_by_month "
                       "where term = $1 and is_rising", [term])
    first = sql(data, "select min(month_start) from marts.rising_terms_by_month "
                      "where term = $1 and n_papers >= 5", [term])
    assert rising == first == [(date(2025, 2, 1),)]
    [(n, ids)] = sql(data, "select n_papers, paper_ids from marts.rising_terms_by_month "
                           "where term = $1 and is_rising", [INJECTED])
    assert n == 15 and injected <= set(ids)


def test_the_month_report_shows_the_terms_rising_over_the_month(history):
    from orchestration.defs.reporting.report import build_report

    data, _ = history
    text = build_report(data.warehouse, data.work / "month-report", "month", date(2025, 4, 30)).read_text()
    section = text[text.index("## Rising terms of the month (2025-04)"):].split("\n## ")[0]
    expected = sql(data, "select term, n_papers from marts.rising_terms_by_month "
                         "where is_rising and month_start = '2025-04-01' order by z_score desc, term limit 10")
    assert [(r[0], int(r[1])) for r in markdown_rows(section)] == expected
    assert (INJECTED, 15) in expected
    headings = [text.index(f"## {h}") for h in ("Rising topics", "Rising terms of", "Topic suggestions")]
    assert headings == sorted(headings)


def materialization_metadata(data, key: list[str]) -> dict:
    """The metadata of the asset's latest materialization, as the Dagster instance of the data
    dir stored it (what the UI shows)."""
    import dagster as dg

    with dg.DagsterInstance.from_config(str(data.dagster_home)) as instance:
        event = instance.get_latest_materialization_event(dg.AssetKey(key))
    assert event is not None, key
    return {name: value.value for name, value in event.asset_materialization.metadata.items()}


def markdown_rows(markdown: str) -> list[list[str]]:
    lines = [line for line in markdown.splitlines() if line.startswith("| ")]
    return [[cell.strip() for cell in line.strip("|").split(" | ")] for line in lines[2:]]


def test_the_ui_shows_rising_terms_and_suggestions_on_the_marts(history):
    """The dbt assets' materializations carry the current rising terms (latest week and month
    with any) and the top suggestions as Markdown tables, the rows the marts hold."""
    data, _ = history
    weekly = materialization_metadata(data, ["marts", "rising_terms"])["rising_terms"]
    latest = sql(data, "select max(week_start) from marts.rising_terms where is_rising")[0][0]
    assert f"**Rising terms, week of {latest}**" in weekly
    assert [(r[0], int(r[1])) for r in markdown_rows(weekly)] == sql(
        data, "select term, n_last_7d from marts.rising_terms where is_rising and week_start = $1 "
              "order by z_score desc, term limit 10", [latest])
    monthly = materialization_metadata(data, ["marts", "rising_terms_by_month"])["rising_terms"]
    assert "**Rising terms of 2025-04**" in monthly
    assert [INJECTED, "15"] == markdown_rows(monthly)[0][:2]    # the highest z of April
    suggestions = materialization_metadata(data, ["marts", "topic_suggestions"])["topic_suggestions"]
    assert [r[0] for r in markdown_rows(suggestions)] == [t for (t,) in sql(
        data, "select term from marts.topic_suggestions order by rising_recently desc, n_papers desc, term "
              "limit 10")]
    assert [INJECTED, "15", "yes"] in [r[:3] for r in markdown_rows(suggestions)]


def test_the_ui_shows_the_report_sections_of_new_directions(history):
    """The trend_report materialization carries rising topics, rising terms and suggestions as
    sections of their own, the same as in the report file (without its chart)."""
    data, _ = history
    metadata = materialization_metadata(data, ["trend_report"])
    from orchestration.defs.reporting.report import without_images

    report = without_images(Path(metadata["path"]).read_text(encoding="utf-8"))
    for key, heading in (("rising_topics", "## Rising topics"), ("rising_terms", "## Rising terms"),
                         ("topic_suggestions", "## Topic suggestions")):
        assert metadata[key].startswith(heading), key
        assert metadata[key].strip() in report, key
    assert f"| {INJECTED} | 15 | yes |" in metadata["topic_suggestions"]
